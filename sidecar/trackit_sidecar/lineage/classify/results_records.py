"""A results table written as records: a model's evaluations put one per field of a row (`pd.DataFrame([{"rmse":
rmse, "mae": mae, "r2": r2, "n_train": len(X_train)}])`, `pd.DataFrame({"rmse": rmse, "r2": r2}, index=[0])`,
`pd.DataFrame([{"model": name, "val_f1": float(np.mean(cv_out["test_f1"])), "fit_s": np.mean(cv_out["fit_time"])}])`).

CONVENTIONS 27 counts "assigned summary_frame() / results tables" as `evaluate`, and the table written column by column
(`{"Score": [acc_svc, acc_knn]}`, table_constructors) already was one. The same results written row-wise, the other
common way to lay a results table out, read as data written in the code (a `load`: the field names and the model's
name are literals) or as nothing. Two or more fields must hold evaluations (names bound to one, statistics of one) and
none data or predictions: one metric beside data is that data's table, and a table of the truth beside predictions is
a concat (prediction_columns.py)."""

from __future__ import annotations

import ast

from .results import EVALUATED

# How many fields of the record must hold evaluations for the row to be a results table rather than a record that
# happens to carry a score.
MIN_RESULT_FIELDS = 2


class ResultsRecordRules:
    """Mixin of `Cell`."""

    def results_in_records(self, data_nodes: list[ast.AST]) -> list[str]:
        """The names of the evaluations a constructor's records hold: its data is one dict of scalars or a list of
        such dicts, two or more values of a record hold evaluations and nothing else does (literals, sizes and
        answers may sit beside them); else []."""
        if len(data_nodes) != 1:
            return []
        data = data_nodes[0]
        records = [data] if isinstance(data, ast.Dict) else list(data.elts) \
            if isinstance(data, (ast.List, ast.Tuple)) and data.elts else []
        if not records or not all(isinstance(record, ast.Dict) and None not in record.keys for record in records):
            return []
        found: list[str] = []
        for record in records:
            held = 0
            for value in record.values:  # type: ignore[attr-defined]
                if isinstance(value, (ast.List, ast.Tuple, ast.Dict, ast.ListComp)):
                    return []  # {"Score": [a, b]}: columns, not one row's fields (table_constructors reads those)
                roles = self.roles_in(value)  # type: ignore[attr-defined]
                if roles == {EVALUATED}:
                    held += 1
                    found += [sub.id for sub in ast.walk(value) if isinstance(sub, ast.Name)
                              and EVALUATED in self.roles_in(sub)]  # type: ignore[attr-defined]
                elif roles or not self._beside_results(value):
                    return []
            if held < MIN_RESULT_FIELDS:
                return []
        return list(dict.fromkeys(found))

    def _beside_results(self, value: ast.AST) -> bool:
        """A field that may sit in a results row: a literal, a size (`len(X_train)`), an answer, a model's attribute
        (`model.best_iteration`), or a name holding none of the data (a model's name, a setting)."""
        if isinstance(value, ast.Constant) or isinstance(value, ast.JoinedStr):
            return True
        val = self.evaluated(value)  # type: ignore[attr-defined]
        return bool(val.answer) or not val.inputs or all(
            name not in self.data_names for name in val.inputs)  # type: ignore[attr-defined]
