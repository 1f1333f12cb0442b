"""What a cell's code names, assigns and changes, read from its source (pure; the sidecar's recovery logic and tests
use it too)."""

from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Methods that change their object in place (besides any call with inplace=True) and the cell magics that run
# their body as Python: the one definition is lineage/kb/python.py. In the kernel, probe_expressions runs that file's
# text in this module first; in the sidecar (tests, recovery logic) it is imported.
if "MUTATING_METHODS" not in globals():
    from ...lineage.kb.python import MUTATING_METHODS, PYTHON_BODY_CELL_MAGICS


# Codes whose syntax trees parsed() keeps: a cell's facts are built once the kernel is idle, which in a Run All comes
# after the last cell (the pushes wait: push_channel, deferral.MAX_UNPUSHED_EXECUTIONS), so a cell read after it ran is
# read again then; a notebook's cells are a few KB of code each, their trees a few times that.
PARSED_CODES = 64
_TREES: dict = {}  # code -> its syntax tree, the least recently used first


def parsed(source: str):
    """The code's syntax tree (ast.parse, or the very tree given to keep_parsed), kept for the last PARSED_CODES codes:
    a cell's code is read after the cell (read_only) and again when its facts are built (assignment_sources). Its
    readers only read it."""
    tree = _TREES.pop(source, None)
    if tree is None:
        import ast

        tree = ast.parse(source)
    keep_parsed(source, tree)
    return tree


def keep_parsed(source: str, tree) -> None:
    """Keep `tree` as what parsed(source) returns: only a tree equal to ast.parse(source)'s (ipython_parse)."""
    _TREES.pop(source, None)
    _TREES[source] = tree
    if len(_TREES) > PARSED_CODES:
        del _TREES[next(iter(_TREES))]


def named_in_order(source: str) -> list[str]:
    """Identifiers in the cell, first occurrence order. Pure."""
    return list(dict.fromkeys(_IDENTIFIER.findall(source or "")))


def python_magic_bodies(source: str) -> list[str]:
    """The bodies of the Python-bodied cell magics a transformed cell runs, in source order. Pure.

    IPython turns `%%time\\nbody` into `get_ipython().run_cell_magic('time', '', 'body\\n')`: the body is a string
    there, so neither the names nor the assignments in it would be seen.
    """
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    calls = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "run_cell_magic"
        and len(node.args) == 3 and all(isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                                        for arg in node.args)
        and node.args[0].value in PYTHON_BODY_CELL_MAGICS
    ]
    calls.sort(key=lambda node: (node.lineno, node.col_offset))
    return [node.args[2].value for node in calls]


def assignment_sources(source: str) -> dict[str, list[str]]:
    """Assigned name -> names its right-hand side reads, in source order (last assignment wins). Pure."""
    import ast

    try:
        tree = parsed(source)
    except (SyntaxError, ValueError):
        return {}
    statements = [
        node for node in _statements(tree)
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None
    ]
    statements.sort(key=lambda node: (node.lineno, node.col_offset))
    result: dict[str, list[str]] = {}
    for node in statements:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        reads = [n for n in ast.walk(node.value) if isinstance(n, ast.Name)]
        reads.sort(key=lambda n: (n.lineno, n.col_offset))
        read_ids = list(dict.fromkeys(n.id for n in reads))
        for target in targets:
            for target_name in _bound_names(target):
                result[target_name] = read_ids
    return result


def _statements(tree):
    """Every statement in the tree, nested ones too (in no set order), without walking into expressions: only a
    statement can be an assignment, and the expressions are most of a cell's nodes (ast.walk visits them all)."""
    import ast

    todo = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(node, field, ()):
                todo.extend((child,) if isinstance(child, ast.stmt) else child.body)  # ExceptHandler, match_case


def _root_name(node) -> str | None:
    """`df` for df, df["a"], df.loc[...], df.a.b; None for anything else."""
    import ast

    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def changed_names(source: str) -> list[str]:
    """Names a cell rebinds or visibly changes in place, in source order. Pure.

    Rebinding (`df = ...`, `for df in ...`, `import x as df`), item/attribute assignment or del
    rooted in a name (`df["a"] = ...`, `df.loc[m, "a"] = ...`, `del df["a"]`), augmented
    assignment, and method calls known to work in place (`df.drop(..., inplace=True)`,
    `arr.sort()`). Unparsable source (a magic the transformer left) -> every name it mentions,
    which over-attributes rather than hides a change.
    """
    import ast

    try:
        tree = ast.parse(source or "")
    except (SyntaxError, ValueError):
        return named_in_order(source)
    found: list[tuple[int, int, str]] = []

    def add(node, name):
        if name:
            found.append((getattr(node, "lineno", 0), getattr(node, "col_offset", 0), name))

    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
        elif isinstance(node, ast.NamedExpr):
            targets = [node.target]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                add(node, (alias.asname or alias.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            add(node, node.name)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            in_place = node.func.attr in MUTATING_METHODS or any(
                kw.arg == "inplace" and isinstance(kw.value, ast.Constant) and kw.value.value is True
                for kw in node.keywords
            )
            if in_place:
                add(node, _root_name(node.func.value))
        for target in targets:
            for name in _bound_names(target):
                add(target, name)
            if isinstance(target, (ast.Subscript, ast.Attribute)):
                add(target, _root_name(target))
    found.sort()
    return list(dict.fromkeys(name for _, _, name in found))


def _bound_names(target) -> list[str]:
    """Names a target rebinds: `a`, `a, b`, `*rest`; not `df["x"]` or `obj.attr` (those mutate)."""
    import ast

    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _bound_names(element)]
    return []
