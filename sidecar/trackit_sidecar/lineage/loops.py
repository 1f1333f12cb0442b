"""The loops each line of a cell's code runs in (`for col in cols:`): a step written in a loop's body ran once per
pass, and its variable holds what the last pass left. Pure: read from the cell's source (magics stripped, the lines
`Step.line` counts), and set on each step as `Step.loops` when the cell is analysed (classify/wording_facts.py).

Comprehensions are not here: a step written as one is one statement that runs once.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache

from ..protocol import StepLoop
from .magics import strip_magics

_HAS_LOOP = re.compile(r"\b(?:for|while)\b")


@lru_cache(maxsize=1024)  # a sidecar reads a notebook's stored analyses again and again, of a few cells' sources
def loops_by_line(source: str) -> dict[int, list[StepLoop]]:
    """Line (1-based) -> the loops whose body holds it, outermost first; lines in no loop are absent. Not to be
    changed: the answer is shared."""
    if not _HAS_LOOP.search(source):  # most cells have no loop: no parse
        return {}
    try:
        tree = ast.parse(strip_magics(source))
    except (SyntaxError, ValueError):
        return {}
    found: dict[int, list[StepLoop]] = {}
    _walk(tree, [], found)
    return found


def _walk(node: ast.AST, around: list[StepLoop], found: dict[int, list[StepLoop]]) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.For, ast.AsyncFor, ast.While)):
            loop = _loop(child)
            inside = around + [loop]
            for statement in child.body:  # `else:` runs once, after the loop
                for line in range(statement.lineno, (statement.end_lineno or statement.lineno) + 1):
                    found[line] = inside  # a loop nested in it overwrites its own lines below, with both loops
                _walk(ast.Module(body=[statement], type_ignores=[]), inside, found)
            for statement in child.orelse:
                _walk(statement, around, found)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            _walk(child, [], found)  # its body runs when it is called, not in the loop it is defined in
        else:
            _walk(child, around, found)


def _loop(node: ast.AST) -> StepLoop:
    if not isinstance(node, (ast.For, ast.AsyncFor)):
        return StepLoop()  # a `while` loop: no variable, nothing it goes over
    target, over = node.target, node.iter
    # `for i, col in enumerate(cols)`: each `col` of `cols`, the counter is bookkeeping
    if (isinstance(over, ast.Call) and isinstance(over.func, ast.Name) and over.func.id == "enumerate" and over.args
            and isinstance(target, ast.Tuple) and len(target.elts) == 2):
        target, over = target.elts[1], over.args[0]
    return StepLoop(target=ast.unparse(target), over=ast.unparse(over))
