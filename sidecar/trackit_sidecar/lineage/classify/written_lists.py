"""Lists of values written in the code and put side by side in a table (pure functions over `ast`).

`data1 = [150, 155, 175]; data2 = [225, 380]; fake = pd.DataFrame([data1, data2])`: each named list is data built in
code, a root of the data's lineage (what-is-a-step.md, "Sources are steps": "data created in code ... from literals,
lists or dicts"; CONVENTIONS 28: "A literal list ... used as data is `load`"), and the table made of two or more of
them puts existing data side by side (CONVENTIONS 13: `concat`). One list wrapped alone stays the one `load` of its
table (the constructor's), and a list only used to pick columns or as a parameter is no step (CONVENTIONS 15).
"""

from __future__ import annotations

import ast

from ..kb import sources as kb_sources
from .sources import is_literal_data
from .table_constructors import table_pieces
from .values import called_name

# Calls that make a table of the lists they are given (kb.sources: constructors, and arrays put side by side).
TABLE_MAKERS: frozenset[str] = frozenset(
    name for names in kb_sources.CONSTRUCTORS.values() for name in names) | kb_sources.SIDE_BY_SIDE


def has_values(node: ast.AST) -> bool:
    """A literal that holds values (`[150, 155]`), not an empty list to fill (`scores = []`, see collected.py)."""
    return is_literal_data(node) and not (isinstance(node, (ast.List, ast.Tuple, ast.Set)) and not node.elts)


def lists_tabled_together(tree: ast.AST) -> frozenset[str]:
    """Names this cell binds to lists of values written in the code and then puts, two or more together, into one
    table: each is a `load` where it is written."""
    written = {node.targets[0].id for node in ast.walk(tree)
               if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
               and has_values(node.value)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and called_name(node.func) in TABLE_MAKERS:
            names = {piece.id for piece in table_pieces(node) if isinstance(piece, ast.Name) and piece.id in written}
            if len(names) >= 2:
                found |= names
    return frozenset(found)
