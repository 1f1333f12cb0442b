"""What a fill did to each column it was to fill, from the kernel's missing values by column
(RuntimeFacts.column_nulls_before / column_nulls_after). Pure.

A variable's facts are the cell's, not a statement's. A cell that drops a column full of gaps and fills the others in a
loop (`df.drop(columns=["x"], inplace=True)` then `for c in cols: df[c].fillna(0, inplace=True)`) has fewer missing
values in all whatever its fills did: the total cannot say whether the fill filled. Column by column it can: the
columns the fill was to fill kept as many missing values as before → it filled none (pandas 3's chained in-place fill,
a re-run, nothing to fill); some fewer and some as many → it filled only those, and the others kept their gaps.

Which columns a fill was to fill: the ones its statement names (`df["a"]`, `df[["a", "b"]]`, `df.fillna({"a": 0})`),
every column for a fill of the whole frame (`df.fillna(df.mean())`), and, for one that picks columns the code does
not name (`df[col]` in a loop), every column too, but then only "filled none" is said (all of them kept their
counts): which of them it was meant to fill is not known, so neither is which it left.

Read only where the cell's other statements binding the variable cannot change the counts compared: they drop or pick
columns (kb GAP_KEEPING_OPS), or, beside a fill of named columns, write other named columns (kb ROW_COUNT_KEEPING_OPS
less renames); other fills only remove gaps, so a column a fill names that kept its count was filled by none. Columns
added or removed by the cell are not compared (an added column's gaps are not a fill's; a removed one's are gone).
A partial outcome is given only for the variable's one fill (two fills' columns could have been filled by either).
"""

from __future__ import annotations

import ast
from typing import NamedTuple, Optional, Sequence

from ..protocol import RuntimeFacts, Step
from .classify.values import str_const
from .kb import runtime as kb_runtime

ALL_COLUMNS = "all"  # the fill is of the whole frame
UNNAMED_COLUMNS = "unnamed"  # the fill picks columns the code does not name (`df[col]`)


class FillOutcome(NamedTuple):
    filled: tuple[str, ...]  # columns with fewer missing values after the cell; empty: the fill filled none
    gaps_left: dict[str, int]  # columns it was to fill that kept as many missing values as before (> 0), by count


def fill_outcomes(fills: Sequence[tuple[Step, Optional[ast.stmt]]], others: Sequence[Step],
                  fact: RuntimeFacts) -> dict[int, FillOutcome]:
    """id(step) -> outcome, for each fill the counts by column decide. `fills`: the fills of the variable `fact`
    measures (with their statements, runtime_decisions._one_statement); `others`: the cell's other steps writing it.
    Empty when the facts have no counts by column, were taken on a sample, or the rows changed."""
    before, after = fact.column_nulls_before, fact.column_nulls_after
    if before is None or after is None or fact.sampled:
        return {}
    if fact.rows_before is None or fact.rows_before != fact.rows_after:
        return {}
    skipped = set(fact.added_columns) | set(fact.removed_columns)
    outcomes: dict[int, FillOutcome] = {}
    for step, node in fills:
        columns = filled_columns(step, node)
        if not _others_keep_counts(others, columns):
            continue
        if isinstance(columns, tuple):
            if skipped & set(columns):
                continue  # a column it names was added or removed by the cell: nothing to compare
            compared = list(columns)
        else:
            compared = [c for c in {**before, **after} if c not in skipped]
        if any(after.get(c, 0) > before.get(c, 0) for c in compared):
            continue  # something gave a column it fills more gaps: the counts do not show what the fill did
        filled = tuple(c for c in compared if after.get(c, 0) < before.get(c, 0))
        left = {c: after[c] for c in compared if after.get(c, 0) and after[c] == before.get(c, 0)}
        if not filled:
            outcomes[id(step)] = FillOutcome((), left)
        elif left and columns != UNNAMED_COLUMNS and len(fills) == 1:
            outcomes[id(step)] = FillOutcome(filled, left)
    return outcomes


def filled_columns(step: Step, node: Optional[ast.stmt]) -> tuple[str, ...] | str:
    """The columns a fill was to fill: named (a tuple), ALL_COLUMNS or UNNAMED_COLUMNS (see the module docstring)."""
    if step.columns:
        return tuple(step.columns)
    call = _fill_call(node, step.method)
    if call is None:
        return UNNAMED_COLUMNS
    value = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "value"), None)
    if isinstance(value, ast.Dict):  # df.fillna({"a": 0, "b": "x"}): the keys
        keys = [str_const(k) if k is not None else None for k in value.keys]
        return tuple(k for k in keys if k is not None) if all(k is not None for k in keys) else UNNAMED_COLUMNS
    return ALL_COLUMNS if isinstance(call.func.value, ast.Name) else UNNAMED_COLUMNS


def _fill_call(node: Optional[ast.stmt], method: Optional[str]) -> Optional[ast.Call]:
    """The call of the fill's method in its statement's value (`df.fillna(0)` of `df = df.fillna(0).copy()`)."""
    value = node.value if isinstance(node, (ast.Assign, ast.Expr)) else None
    while isinstance(value, (ast.Call, ast.Attribute, ast.Subscript)):
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == method:
            return value
        value = value.func if isinstance(value, ast.Call) else value.value
    return None


def _others_keep_counts(others: Sequence[Step], columns: tuple[str, ...] | str) -> bool:
    """Can the cell's other statements writing the variable leave the compared columns' counts as they were?"""
    for other in others:
        if other.op in kb_runtime.GAP_KEEPING_OPS:
            continue
        if not isinstance(columns, tuple) or other.op not in kb_runtime.ROW_COUNT_KEEPING_OPS or other.op == "rename" \
                or not other.columns or set(other.columns) & set(columns):
            return False
    return True
