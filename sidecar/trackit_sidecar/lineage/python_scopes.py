"""Python's compile-time scope rules as def-use needs them: the names a function or class body binds (without
entering nested scopes), what `global` and `nonlocal` take out of them, and the name an import binds."""

from __future__ import annotations

import ast
from typing import Iterable


class Scope:
    __slots__ = ("kind", "parent", "locals", "globals", "nonlocals")

    def __init__(self, kind: str, parent: Scope | None, nodes: Iterable[ast.AST] = (), params: Iterable[str] = ()):
        self.kind = kind  # module | function | class | comprehension
        self.parent = parent
        self.locals: set[str] = set(params)
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()
        if kind in ("function", "class"):
            collect_bindings(nodes, self)
        self.locals -= self.globals
        self.locals -= self.nonlocals


def collect_bindings(nodes: Iterable[ast.AST], scope: Scope) -> None:
    """Names a function/class body binds, without entering nested scopes (Python's compile-time rule)."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                scope.locals.add(node.id)
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope.locals.add(node.name)
            # decorators, defaults, bases are evaluated in this scope; the body is not ours
            stack.extend(node.decorator_list)
            if isinstance(node, ast.ClassDef):
                stack.extend(node.bases)
                stack.extend(k.value for k in node.keywords)
            else:
                stack.extend(d for d in node.args.defaults)
                stack.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        if isinstance(node, ast.Lambda):
            stack.extend(node.args.defaults)
            stack.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            # only walrus targets leak out of a comprehension
            for sub in ast.walk(node):
                if isinstance(sub, ast.NamedExpr) and isinstance(sub.target, ast.Name):
                    scope.locals.add(sub.target.id)
            stack.append(node.generators[0].iter)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name != "*":
                    scope.locals.add(import_binding(alias))
            continue
        if isinstance(node, ast.Global):
            scope.globals.update(node.names)
            continue
        if isinstance(node, ast.Nonlocal):
            scope.nonlocals.update(node.names)
            continue
        if isinstance(node, ast.ExceptHandler) and node.name:
            scope.locals.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            scope.locals.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            scope.locals.add(node.rest)
        stack.extend(ast.iter_child_nodes(node))


def import_binding(alias: ast.alias) -> str:
    # `import a.b.c` binds `a`; `import a.b as c` and `from x import y as c` bind `c`
    return alias.asname or alias.name.split(".")[0]
