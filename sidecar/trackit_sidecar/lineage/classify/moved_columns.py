"""A column moved within its frame (`df.insert(0, "year", df.pop("year"))`, a scraping notebook's "put year-month
first"): the frame's columns reordered, `other` (what-is-a-step.md's op list has no reorder; CONVENTIONS 14 files
set_index / reset_index, the frame's layout, under `other`), not a column dropped (18) and one derived (19)."""

from __future__ import annotations

import ast


def moved_column_frame(node: ast.AST) -> str | None:
    """`frame.insert(loc, column, frame.pop(c))` (DataFrame.insert's three arguments, positional or named; a list's
    `insert(i, x)` takes two): the frame's name, else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "insert"
            and isinstance(node.func.value, ast.Name)):
        return None
    given = dict(zip(("loc", "column", "value"), node.args)) | {k.arg: k.value for k in node.keywords if k.arg}
    if "column" not in given or "value" not in given:
        return None
    return node.func.value.id if moves_own_column(node.func.value.id, given["value"]) else None


def moves_own_column(frame: str, value: ast.AST) -> bool:
    """The value inserted into `frame` is `frame.pop(<column>)`: the frame's own column taken out to be put back."""
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "pop" \
        and isinstance(value.func.value, ast.Name) and value.func.value.id == frame and len(value.args) == 1
