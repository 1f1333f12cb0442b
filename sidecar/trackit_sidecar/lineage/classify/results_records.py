"""A results table written as records: a model's evaluations put one per field of a row (`pd.DataFrame([{"rmse":
rmse, "mae": mae, "r2": r2, "n_train": len(X_train)}])`, `pd.DataFrame([{"model": name, "val_f1":
float(np.mean(cv_out["test_f1"])), "fit_s": np.mean(cv_out["fit_time"])}])`, `pd.DataFrame([result])` after `result =
{"model": name, "mse": mse, "r2": r2}`).

CONVENTIONS 27 counts "assigned summary_frame() / results tables" as `evaluate`, and the table written column by column
(`{"Score": [acc_svc, acc_knn]}`, table_constructors) already was one. The same results written row-wise, the other
common way to lay a results table out, read as data written in the code (a `load`: the field names and the model's
name are literals) or as nothing. Two or more fields must hold evaluations (names bound to one, statistics of one) and
none data or predictions: one metric beside data is that data's table, and a table of the truth beside predictions is
a concat (prediction_columns.py)."""

from __future__ import annotations

import ast
from typing import Optional

from .results import EVALUATED
from .values import MARKER

# + name: the name holds one results row (`result = {"model": name, "mse": mse, "r2": r2}`; result_roles.bind_roles)
RESULTS_RECORD = f"{MARKER}results_record:"

# How many fields of the record must hold evaluations for the row to be a results table rather than a record that
# happens to carry a score.
MIN_RESULT_FIELDS = 2


class ResultsRecordRules:
    """Mixin of `Cell`."""

    def results_in_records(self, data_nodes: list[ast.AST]) -> list[str]:
        """The names of the evaluations a constructor's records hold: its data is a list of rows, each a dict of
        scalars that `results_in_record` reads as results, or each a name holding such a row; else []."""
        if len(data_nodes) != 1:
            return []
        data = data_nodes[0]
        # only a list of rows: one dict of scalars (`{"RandomForest": auc_rf, "SVM": auc_svm}, index=["Auc"]`) is the
        # models' results put side by side, a concat by the tuning labels (mk-kaggle__spaceship-titanic 136), and a
        # dict of names may hold whole arrays of fold scores (CONVENTIONS 13)
        records = list(data.elts) if isinstance(data, (ast.List, ast.Tuple)) else []
        if not records:
            return []
        named = [record for record in records if isinstance(record, ast.Name)]
        if named and len(named) == len(records) and all(
                self.env.get(RESULTS_RECORD + record.id) for record in named):  # type: ignore[attr-defined]
            # pd.DataFrame([result]) after result = {"model": name, "mse": mse, "r2": r2}: the row kept under a name
            return [record.id for record in named]
        found: list[str] = []
        for record in records:
            held = self.results_in_record(record)
            if held is None:
                return []
            found += held
        return list(dict.fromkeys(found))

    def results_in_record(self, record: ast.AST) -> Optional[list[str]]:
        """The names of the evaluations one row holds: a dict of scalars with two or more values holding evaluations
        and nothing else holding data or predictions (literals, sizes and answers may sit beside them); else None."""
        if not isinstance(record, ast.Dict) or None in record.keys:
            return None
        held, found = 0, []  # type: int, list[str]
        for value in record.values:
            if isinstance(value, (ast.List, ast.Tuple, ast.Dict, ast.ListComp)):
                return None  # {"Score": [a, b]}: columns, not one row's fields (table_constructors reads those)
            roles = self.roles_in(value)  # type: ignore[attr-defined]
            if roles == {EVALUATED}:
                held += 1
                found += [sub.id for sub in ast.walk(value) if isinstance(sub, ast.Name)
                          and EVALUATED in self.roles_in(sub)]  # type: ignore[attr-defined]
            elif roles or not self._beside_results(value):
                return None
        return found if held >= MIN_RESULT_FIELDS else None

    def _beside_results(self, value: ast.AST) -> bool:
        """A field that may sit in a results row: a literal, a size (`len(X_train)`), an answer, a model's attribute
        (`model.best_iteration`), or a name holding none of the data (a model's name, a setting)."""
        if isinstance(value, ast.Constant) or isinstance(value, ast.JoinedStr):
            return True
        val = self.evaluated(value)  # type: ignore[attr-defined]
        return bool(val.answer) or not val.inputs or all(
            name not in self.data_names for name in val.inputs)  # type: ignore[attr-defined]
