"""Notebook functions defined again before anything calls them (pure function over the cells' sources).

Notebooks are written by trying things: a helper's cell is copied and run again (`def analysis_function(data,
column): ...` in one cell, the same def again in the next, then the calls). The first copy is bound and replaced
before any code reads its name, so its body never runs on data: CONVENTIONS 1, "Functions that are never called are
not labelled". Only a copy counts: a def written differently the second time is another version the author may have
run in between (a saved notebook does not show every run), so both keep their steps. Only names read as code count as a use (`f(df)`, `df.apply(f)`,
`g = f`); a name inside a string or a comment is none (what-is-a-step.md: "Code inside strings ... is not a step").
"""

from __future__ import annotations

import ast
from typing import Optional

from .magics import strip_magics


def _parsed(source: str) -> Optional[ast.Module]:
    try:
        return ast.parse(strip_magics(source))
    except (SyntaxError, ValueError, RecursionError):
        return None


def superseded_definitions(sources: list[str]) -> dict[int, frozenset[str]]:
    """position of a cell -> the names of the functions it defines at its top level that a later cell defines again,
    the same code, with no read of the name in between (after the first def in its own cell, in the cells between, and before the
    new def in the cell that redefines it)."""
    # per cell, in order of lines: (line, 1, "def", name, the def's code) and (line, 0, "read", name, "") events
    events: list[list[tuple[int, int, str, str, str]]] = []
    for source in sources:
        tree = _parsed(source)
        found: list[tuple[int, int, str, str, str]] = []
        if tree is not None:
            for stmt in tree.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found.append((stmt.lineno, 1, "def", stmt.name, ast.dump(stmt)))
            for node in ast.walk(tree):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    found.append((node.lineno, 0, "read", node.id, ""))
        events.append(sorted(found))
    # function name -> (position of the cell whose definition nothing has read yet, that definition's code)
    pending: dict[str, tuple[int, str]] = {}
    superseded: dict[int, set[str]] = {}
    for position, cell_events in enumerate(events):
        for _, _, kind, name, code in cell_events:
            if kind == "read":
                pending.pop(name, None)
            else:
                if name in pending and pending[name][1] == code:
                    superseded.setdefault(pending[name][0], set()).add(name)
                pending[name] = (position, code)
    return {position: frozenset(names) for position, names in superseded.items()}
