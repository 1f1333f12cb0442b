"""A column first set to a placeholder and then filled row by row in the same cell (`df["new_condition"] = np.nan`,
then `df.loc[(df.condition == "go") & ..., "new_condition"] = "go"` for each case; `df["pred"] = pd.Series()`, then
`df["pred"][948:] = ...`): the empty column is where the values go, as an `np.zeros` accumulator is (CONVENTIONS 15);
the fills are the steps (each a separately written statement, CONVENTIONS 2). A column set to a constant and not
filled afterwards (`df["intercept"] = 1`, `df["is_train"] = 1`) keeps its step."""

from __future__ import annotations

import ast

from ..kb import pandas as kb_pandas


def placeholder_statements(tree: ast.AST) -> tuple[frozenset[int], frozenset[int]]:
    """(`id()`s of the assignments that set a column to a placeholder value which a later statement of the same body
    fills by rows (`.loc[rows, col] = ...`, `.at[row, col] = ...`, `df[col][rows] = ...`), `id()`s of those fills).
    A fill computes the new column's values: the gaps it fills are the placeholder's, not missing data, so what it
    computes is derived (`df.loc[m, "total"] = (df.a.fillna(0) + df.b.fillna(0)) / 2`), not imputed."""
    found: set[int] = set()
    fills: set[int] = set()
    for body in _bodies(tree):
        statements = [stmt for stmt in body if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1]
        for stmt in statements:
            column = _column_set(stmt.targets[0])
            if column is None or not _is_placeholder(stmt.value):
                continue
            later = [node for after in body[body.index(stmt) + 1:] for node in ast.walk(after)
                     if isinstance(node, ast.Assign) and len(node.targets) == 1]
            filling = [node for node in later if _row_fill_of(node.targets[0]) == column]
            if filling:
                found.add(id(stmt))
                fills.update(id(node) for node in filling)
    return frozenset(found), frozenset(fills)


def _bodies(tree: ast.AST) -> list[list[ast.stmt]]:
    """The statement lists of the cell: the module's, and those of every function, loop and branch in it."""
    return [node.body for node in ast.walk(tree) if isinstance(getattr(node, "body", None), list)] \
        + [node.orelse for node in ast.walk(tree) if isinstance(getattr(node, "orelse", None), list) and node.orelse]


def _key(node: ast.AST) -> str:
    return ast.dump(node)


def _column_set(target: ast.AST):
    """`df["c"] = ...` -> (frame, column key)."""
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) \
            and isinstance(target.slice, (ast.Constant, ast.Name, ast.JoinedStr)):
        return target.value.id, _key(target.slice)
    return None


def _row_fill_of(target: ast.AST):
    """`df.loc[rows, "c"] = ...`, `df.at[i, "c"] = ...` or `df["c"][rows] = ...` -> (frame, column key)."""
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Attribute) \
            and target.value.attr in ("loc", "at", "iloc", "iat") and isinstance(target.value.value, ast.Name) \
            and isinstance(target.slice, ast.Tuple) and len(target.slice.elts) == 2:
        return target.value.value.id, _key(target.slice.elts[1])
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Subscript):
        return _column_set(target.value)
    return None


def _is_placeholder(value: ast.AST) -> bool:
    """np.nan, None, pd.NA, float("nan"), an empty `pd.Series()`: no values yet (kb/pandas.py `PLACEHOLDER_VALUES`)."""
    if isinstance(value, ast.Constant):
        return value.value is None
    if isinstance(value, ast.Attribute):
        return value.attr in kb_pandas.PLACEHOLDER_VALUES
    if isinstance(value, ast.Call) and not value.keywords:
        name = value.func.attr if isinstance(value.func, ast.Attribute) else getattr(value.func, "id", "")
        if name == "float" and len(value.args) == 1 and isinstance(value.args[0], ast.Constant):
            return str(value.args[0].value).lower() == "nan"
        return name in kb_pandas.EMPTY_CONTAINERS and not value.args
    return False
