"""Names that are code, not data: bound by `import`, `def` or `class` (issue 8, item 7). Pure.

`import pandas as pd` writes `pd`, and every cell that uses pandas reads it: true for the order cells must
run in (execution parents keep these edges), but not data lineage. The tree, hovers and summary leave
code names out of a run's data reads and writes and out of what a variable was derived from; the JSON
lists them with their kind (`ExecutionRecord.code_names`).
"""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import Iterable

from ..protocol import CodeKind, ExecutionRecord
from .analysis import MAX_ANALYSED_CHARS
from .magics import strip_magics
from .measured import written_names


def code_bindings(source: str) -> dict[str, CodeKind]:
    """Names a cell binds only by import, def or class (also inside if/try/with/for at module level);
    a name the cell also assigns data to is data. {} for a cell that does not parse, or that is above the
    analysis limit (like its lineage: parsing a 10 MB cell on every lineage request took the store ~40 s)."""
    return _bindings(source)[0]


def rebinds(source: str, name: str) -> bool:
    """Whether the cell binds `name` itself (assignment, import, def, class, loop target...), rather than only
    changing the value it holds (`pd.options.display.max_columns = 45`, `df["x"] = ...`)."""
    code, data = _bindings(source)
    return name in code or name in data


@lru_cache(maxsize=4096)
def _bindings(source: str) -> tuple[dict[str, CodeKind], frozenset[str]]:
    """(code bindings, names bound to data anywhere in the cell)."""
    if len(source) > MAX_ANALYSED_CHARS:
        return {}, frozenset()
    try:
        tree = ast.parse(strip_magics(source))
    except (SyntaxError, ValueError):
        return {}, frozenset()
    code: dict[str, CodeKind] = {}
    data: set[str] = set()

    def visit(statements: Iterable[ast.stmt]) -> None:
        for stmt in statements:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for alias in stmt.names:
                    if alias.name != "*":
                        code[alias.asname or alias.name.split(".")[0]] = "module"
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                code[stmt.name] = "function"
            elif isinstance(stmt, ast.ClassDef):
                code[stmt.name] = "class"
            else:
                for node in ast.walk(stmt):
                    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                        data.add(node.id)
                for attr in ("body", "orelse", "finalbody", "handlers"):
                    inner = getattr(stmt, attr, None)
                    if isinstance(inner, list):
                        visit([s for s in inner if isinstance(s, ast.stmt)] +
                              [s for h in inner if isinstance(h, ast.excepthandler) for s in h.body])

    visit(tree.body)
    return {name: kind for name, kind in code.items() if name not in data}, frozenset(data)


def mark_code_names(executions: list[ExecutionRecord], before: Iterable[ExecutionRecord] = ()) -> None:
    """Fill `code_names` of every execution: its own code writes, and the reads whose value came from
    another execution's code write (via `read_from`, so graph.link_parents must have run). `before`: earlier
    executions their reads may come from (appending to a marked document)."""
    by_seq = {e.seq: e for e in before}
    by_seq.update((e.seq, e) for e in executions)
    for execution in sorted(executions, key=lambda e: e.seq):  # a read's producer is marked before its reader
        own = code_bindings(execution.source) if execution.language == "python" else {}
        names: dict[str, CodeKind] = {name: own[name] for name in execution.writes if name in own}
        for name, seq in execution.read_from.items():
            kind = _kind_left(name, by_seq.get(seq))
            if kind is not None:
                names[name] = kind
        execution.code_names = names


def _kind_left(name: str, producer: ExecutionRecord | None) -> CodeKind | None:
    """The code kind of `name` as `producer` left it: what bound it there, or, when it only changed the value
    (`pd.options.display.max_columns = 45`), the kind of what it read (a module whose option is set is still
    that module; the producer, earlier, is already marked)."""
    if producer is None or producer.language != "python":
        return None
    kind = code_bindings(producer.source).get(name)
    if kind is not None or rebinds(producer.source, name):
        return kind
    return producer.code_names.get(name)


def data_names(execution: ExecutionRecord, names: Iterable[str]) -> list[str]:
    """`names` without the execution's code names."""
    return [name for name in names if name not in execution.code_names]


def code_written(execution: ExecutionRecord) -> dict[CodeKind, list[str]]:
    """The code names an execution binds itself, by kind, in write order ("imports pd, np", "defines f")."""
    found: dict[CodeKind, list[str]] = {"module": [], "function": [], "class": []}
    own = code_bindings(execution.source) if execution.language == "python" else {}
    for name in written_names(execution):
        if name in own:
            found[own[name]].append(name)
    return found


def call_derivations(execution: ExecutionRecord) -> dict[str, list[str]]:
    """The execution's derivations as its own statements made them, for "calls it on `df` into `X`"
    (render/defined.py): a def or class derives from everything its body reads (defuse.py), which is no call, and a
    function the cell defines but uses only inside another body did not run when the cell ran. Without this,
    `def prep(df): return add(df)` then `X = prep(df)` read "defines `add`, ..., and calls it into `prep`", and a
    global the body of `prep` assigns read as `add`'s result. A function the cell's statements hand on
    (`df.pipe(fix)`, `apply(lambda g: fix(g))`) is used there, and still said to be called."""
    own = code_bindings(execution.source) if execution.language == "python" else {}
    if not any(kind != "module" for kind in own.values()):
        return execution.derivations
    used = read_outside_definitions(execution.source)
    return {written: [name for name in sources if own.get(name) not in ("function", "class") or name in used]
            for written, sources in execution.derivations.items() if own.get(written) not in ("function", "class")}


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@lru_cache(maxsize=4096)
def read_outside_definitions(source: str) -> frozenset[str]:
    """Names the cell's own statements read (`fix` of `X = fix(df)`, `df.pipe(fix)`, `lambda g: fix(g)`), not counting
    reads inside a def or class body: those happen when that body runs. Empty for a cell that does not parse."""
    return frozenset(node.id for node in _run_by_the_cell(source, DEFINITIONS)
                     if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load))


@lru_cache(maxsize=4096)
def called_at_top_level(source: str) -> frozenset[str]:
    """Names the cell's own statements call (`KNN(3)`, `pred, score = KNN(i)` in a loop), not counting calls written
    inside a def, class or lambda body: those run when that body runs. Empty for a cell that does not parse."""
    return frozenset(node.func.id for node in _run_by_the_cell(source, DEFINITIONS + (ast.Lambda,))
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Name))


def _run_by_the_cell(source: str, bodies: tuple) -> list[ast.AST]:
    """The cell's syntax nodes outside any node of the kinds `bodies` (their code runs when they are called); [] for
    a cell that does not parse or is above the analysis limit."""
    if len(source) > MAX_ANALYSED_CHARS:
        return []
    try:
        tree = ast.parse(strip_magics(source))
    except (SyntaxError, ValueError):
        return []
    found: list[ast.AST] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, bodies):
            return
        found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found
