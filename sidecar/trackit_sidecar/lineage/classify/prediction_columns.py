"""Predictions kept as a column of a table: attached (`results["pred"] = y_pred`) or put into a table beside the truth
(`pd.DataFrame({"actual": y_test, "predicted": y_pred})`), the way analyses line up what a model said with what
happened. Attaching stays what it is (CONVENTIONS 19: `derive_feature`; a table of two arrays is a `concat`, 13), but
the column then holds the model's predictions, so the truth minus it is a residual, an evaluation (CONVENTIONS 27:
"errors or accuracy computed by hand from data, residuals"), and a statistic of that residual column
(`df["error"].abs().mean()`) is a metric computed by hand (what-is-a-step.md: "a metric computed by hand (RMSE from
predictions)"), as it already is for residuals kept under a name (`resid = y - y_pred; resid.std()`)."""

from __future__ import annotations

import ast
from typing import Optional

from .result_shapes import plain_reference, wraps_a_reference
from .results import EVALUATED, PREDICTED, RESIDUAL, ROLE, ROLE_FROM_NAME, table_column_key
from .values import Op, called_name, str_const

# the table constructors whose dict argument names its columns
TABLE_CONSTRUCTORS = frozenset({"DataFrame"})


class PredictionColumnRules:
    """Mixin of `Cell`."""

    env: dict[str, str]
    roles_bound: bool

    def bind_result_columns(self, base: Optional[str], cols: list[str], ops: list[Op], value: ast.AST) -> None:
        """After `table[c] = value` whose op is no prediction: the column holds the predictions attached as they are
        (`t["pred"] = y_pred`), or the evaluation computed from them (`t["err"] = t["y"] - t["pred"]`, a residual).
        Kept for that table's column only: a submission's `sub["SalePrice"] = preds` says nothing of
        `train["SalePrice"]`."""
        if not cols or not base:
            return
        table = ast.Name(id=base)
        evaluated = any(op.op == "evaluate" for op in ops)
        predicted = not evaluated and (plain_reference(value) or wraps_a_reference(value)) \
            and self.roles_in(value) == {PREDICTED}  # type: ignore[attr-defined]
        residual = evaluated and self.per_row_errors(value)  # type: ignore[attr-defined]
        # t["pred"] = y_pred in `def f(y_true, y_pred)`: predictions by the parameter's name alone (ROLE_FROM_NAME)
        from_name = predicted and self.role_from_name_in(value)  # type: ignore[attr-defined]
        for column in cols:
            self._bind_column(table, column, EVALUATED if evaluated else PREDICTED if predicted else None, residual,
                              from_name)

    def bind_table_columns(self, names: list[str], value: ast.AST) -> None:
        """After `t = pd.DataFrame({"actual": y_test, "predicted": y_pred})`: the columns given predictions hold them,
        and those given errors computed per row hold an evaluation whose statistics are metrics."""
        table = _table_dict(value)
        if table is None or len(names) != 1 or not self.roles_bound:
            return
        for key, item in zip(table.keys, table.values):
            column = str_const(key) if key is not None else None
            if column is None:
                continue
            predicted = plain_reference(item) and self.roles_in(item) == {PREDICTED}  # type: ignore[attr-defined]
            # pd.DataFrame({"Percentage": abs(d["Actual"] - d["Predicted"]) * 100 / d["Actual"]}): errors per row
            errors = not predicted and self.per_row_errors(item)  # type: ignore[attr-defined]
            self._bind_column(ast.Name(id=names[0]), column, PREDICTED if predicted else EVALUATED if errors else None,
                              errors, predicted and self.role_from_name_in(item))  # type: ignore[attr-defined]

    def _bind_column(self, table: ast.Name, column: str, role: Optional[str], residual: bool,
                     from_name: bool = False) -> None:
        if role:
            self.env[table_column_key(ROLE, table, column)] = role
            self.roles_bound = True
        else:
            self.env.pop(table_column_key(ROLE, table, column), None)
        if residual:
            self.env[table_column_key(RESIDUAL, table, column)] = "1"
        else:
            self.env.pop(table_column_key(RESIDUAL, table, column), None)
        if from_name:
            self.env[table_column_key(ROLE_FROM_NAME, table, column)] = "1"
        else:
            self.env.pop(table_column_key(ROLE_FROM_NAME, table, column), None)


def _table_dict(value: ast.AST) -> Optional[ast.Dict]:
    """The dict literal of `pd.DataFrame({...})` (first argument or `data=`), else None."""
    if not (isinstance(value, ast.Call) and called_name(value.func) in TABLE_CONSTRUCTORS):
        return None
    given = value.args[0] if value.args else next((kw.value for kw in value.keywords if kw.arg == "data"), None)
    return given if isinstance(given, ast.Dict) else None
