"""Pure tests of AST shapes that decide what a method call does (a table built and reshaped by a group
function, one statistic per group, a polars select of statistics, values drawn out of given ones)."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import pandas as kb_pandas
from ..kb import polars as kb_polars
from ..kb import sources as kb_sources
from .values import called_name, str_const


def chained_after_reducing(body: ast.AST) -> list[tuple[str, str]]:
    """(method, op) of the transforming pandas calls chained onto the table a group function builds, innermost first:
    `pd.DataFrame({...}).unstack()` -> [("unstack", "reshape")]."""
    found: list[tuple[str, str]] = []
    while isinstance(body, ast.Call) and isinstance(body.func, ast.Attribute) and body.func.attr in kb_pandas.METHODS:
        op = kb_pandas.METHODS[body.func.attr]
        if op is not None:
            found.append((body.func.attr, op))
        body = body.func.value
    func = body.func if isinstance(body, ast.Call) else None
    built = called_name(func) \
        in ("DataFrame", "Series")
    return found[::-1] if built else []


def group_statistic(method: str, node: ast.Call) -> Optional[str]:
    """What a reduction of groups computes, when it is one statistic named in the code: `mean()` -> "mean",
    `agg("median")` -> "median"; None for a function, a dict, a list of statistics or a per-row result."""
    if method in ("agg", "aggregate") and len(node.args) == 1 and not node.keywords:
        return str_const(node.args[0])
    return method if method in kb_pandas.GROUP_STATISTICS else None


def selects_only_statistics(node: ast.Call) -> bool:
    """Every expression of a polars select reduces its column to one value (`pl.col("a").mean()`, `pl.len()`,
    `pl.col("a").n_unique().alias("n")`), none per row (`.over(...)`)."""
    exprs = list(node.args) + [k.value for k in node.keywords if k.arg]
    if len(exprs) == 1 and isinstance(exprs[0], (ast.List, ast.Tuple)):
        exprs = list(exprs[0].elts)
    return bool(exprs) and all(_reduces_to_one_value(expr) for expr in exprs)


def _reduces_to_one_value(expr: ast.AST) -> bool:
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ("alias", "round"):
        expr = expr.func.value  # pl.col("a").mean().alias("m"), .mean().round(2): still the one value
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)):
        return False
    if isinstance(expr.func.value, ast.Name) and expr.func.attr in kb_polars.REDUCTIONS:
        return True  # pl.len(), pl.sum("a"), pl.mean("a")
    return expr.func.attr in kb_polars.REDUCTIONS and isinstance(expr.func.value, ast.Call)


def reduces_groups(node: ast.Call) -> bool:
    """groupby(k).pipe(lambda grp: pd.DataFrame({"a": grp["x"].any()})): a function handed the groups that reduces
    them, one value per group, as groupby(k).x.any() does (CONVENTIONS 22: aggregate)."""
    function = node.args[0] if node.args else None
    return isinstance(function, ast.Lambda) and any(
        isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in kb_pandas.GROUP_REDUCERS
        for sub in ast.walk(function.body))


def draws_from_values(node: ast.AST) -> bool:
    """The expression draws values at random out of given ones (`np.random.choice(observed, size=n)`)."""
    return any(isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)
               and sub.func.attr in kb_sources.DRAWS_FROM_VALUES and sub.args for sub in ast.walk(node))
