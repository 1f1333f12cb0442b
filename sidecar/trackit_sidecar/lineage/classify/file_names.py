"""Text work on names, not on data: a file's name cut out of its path (`condition = d.replace("Data/Data",
"").replace(".xlsx", "")`), a path put together (`"Data/" + name + ".csv"`) and feature names stripped of a
transformer's prefix (`[n.replace("num__", "") for n in names]`) make labels for the notebook's own bookkeeping:
no text_clean and no derive_feature of the data (what-is-a-step.md: a step is data-transforming; CONVENTIONS 15:
"column-name lists (also when computed)" are no step). Which strings say so: kb/sources.py `NAME_TEXT_PIECE`.
Text work through a column's `.str` accessor, or on a name bound to a table, stays a step on the data."""

from __future__ import annotations

import ast
import re
from typing import Callable, Optional

from ..kb import sources as kb_sources

NAME_TEXT_PIECE = re.compile(kb_sources.NAME_TEXT_PIECE)


def works_on_names(value: ast.AST, resolve: Callable[[str], Optional[str]]) -> bool:
    """Whether `value` is string work whose written pieces are parts of paths or of generated feature names, done on
    plain strings (a name bound to no table, a literal), so that it only makes labels."""
    if isinstance(value, (ast.ListComp, ast.GeneratorExp)):
        value = value.elt
    pieces = [node.value for node in ast.walk(value) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    if not any(NAME_TEXT_PIECE.search(piece) for piece in pieces):
        return False
    return _plain_string_work(value, resolve)


def _plain_string_work(node: ast.AST, resolve: Callable[[str], Optional[str]]) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Name):
        kind = resolve(node.id) or ""
        return not kind.startswith(("pandas.", "polars.", "numpy."))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _plain_string_work(node.left, resolve) and _plain_string_work(node.right, resolve)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr in kb_sources.PLAIN_STRING_METHODS:
        return _plain_string_work(node.func.value, resolve)  # a `.str` accessor in between is no plain string
    return False
