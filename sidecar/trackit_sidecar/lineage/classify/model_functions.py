"""Notebook functions that are a hand-written model because the cell hands them to a fitting routine
(kb.models.MODEL_FUNCTION_FITTERS: `popt, _ = curve_fit(decay, t, y)`, `gmodel = lmfit.Model(magnetisation)`).

CONVENTIONS 4a: "Treat these as black boxes: label the call, not the body. (a) Hand-written models and algorithms".
The fitting call is the step (fit_model); the formula the model computes is not data prepared, so its body, and the
bodies of the cell's functions that only it calls (the pieces of its formula: `def brillouin(x, J)` used inside
`def magnetisation(H, ...)`), are no steps. A piece the cell also calls elsewhere is a helper of its own and keeps its
body's steps where they are written (CONVENTIONS 1).
"""

from __future__ import annotations

import ast
from typing import Callable, Optional

from ..kb import models as kb_models


def model_function_lines(tree: ast.Module, path_of: Callable[[ast.AST], Optional[str]]) -> list[tuple[int, int]]:
    """(first, last) lines of the cell's top-level functions that are fitted as models, and of their pieces.
    `path_of` gives the dotted library path a called expression stands for (None for the cell's own names)."""
    defined = {stmt.name: stmt for stmt in tree.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if not defined:
        return []
    models: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and path_of(node.func) in kb_models.MODEL_FUNCTION_FITTERS:
            handed = node.args[:1] + [k.value for k in node.keywords if k.arg in kb_models.MODEL_FUNCTION_KEYWORDS]
            models.update(arg.id for arg in handed if isinstance(arg, ast.Name) and arg.id in defined)
    if not models:
        return []
    inside = {name: {id(sub) for sub in ast.walk(stmt)} for name, stmt in defined.items()}
    black_boxes = set(models)
    changed = True
    while changed:  # pieces: functions of the cell called only from inside the black boxes
        changed = False
        boxed = set().union(*(inside[name] for name in black_boxes))
        for name in defined.keys() - black_boxes:
            calls = [node for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id == name
                     and isinstance(node.ctx, ast.Load) and id(node) not in inside[name]]
            if calls and all(id(call) in boxed for call in calls):
                black_boxes.add(name)
                changed = True
    return [(defined[name].lineno, defined[name].end_lineno or defined[name].lineno) for name in black_boxes]
