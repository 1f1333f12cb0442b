"""Which lines of a cell bind each name. Pure: source in, name -> lines out.

Runtime facts are per cell and per variable, so a fact about a variable can be read as the result of one
statement only when no other statement of the cell rebinds or changes that variable (runtime_decisions).
A line "binds" a name when its statement assigns it (plain, tuple, augmented, annotated, walrus, `for`,
`with ... as`, `import`, `def`/`class`), deletes it, assigns into it (`df.loc[m] = ...`, `df["x"] = ...`,
`df.attr = ...`), or changes it in place: a method of kb.python's in-place tables called on it (`lst.sort()`,
`df.update(other)`, `model.fit(X, y)`), any call with `inplace=True`, or a mutating function handed it
(`np.random.shuffle(a)`); which calls those are is in_place_changes.changed_in_place, the one reading of those tables.
Function and class bodies and lambdas are their own scopes and are not entered; comprehension targets do not leak
(a walrus does).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import lru_cache
from typing import Optional

from .in_place_changes import base_name, changed_in_place
from .kb.python import CONVENTIONAL_ALIASES
from .magics import strip_magics

_OWN_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@lru_cache(maxsize=1024)  # a notebook's runs repeat a few cells' sources: one parse per text, not one per run
def binding_lines(source: str) -> Optional[dict[str, frozenset[int]]]:
    """name -> lines of the statements in `source` that bind it; None when the cell does not parse. Shared between
    callers (cached): read, never changed."""
    try:
        tree = ast.parse(strip_magics(source))
    except SyntaxError:
        return None
    found: dict[str, set[int]] = defaultdict(set)
    modules = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
               if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names} | set(CONVENTIONAL_ALIASES)
    stack: list[tuple[ast.AST, int]] = [(node, node.lineno) for node in tree.body]
    while stack:
        node, line = stack.pop()
        if isinstance(node, ast.stmt):
            line = node.lineno  # a binding belongs to the innermost statement, as a Step's `line` does
        for name in _bound_here(node, modules):
            found[name].add(line)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue  # the name is bound above; the body binds its own locals
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.comprehension):
            stack.extend((child, line) for child in [node.iter, *node.ifs])  # not the loop target
            continue
        stack.extend((child, line) for child in ast.iter_child_nodes(node))
    return {name: frozenset(lines) for name, lines in found.items()}


def _bound_here(node: ast.AST, modules: set[str]) -> list[str]:
    """The names this one node binds (not its children's); `modules`: names that stand for modules here."""
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        return [node.id]
    if isinstance(node, (ast.Subscript, ast.Attribute)) and not isinstance(node.ctx, ast.Load):
        root = base_name(node.value)
        return [root] if root else []
    if isinstance(node, ast.Call):
        return changed_in_place(node, modules.__contains__)
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [alias.asname or alias.name.split(".")[0] for alias in node.names if alias.name != "*"]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    return []

