"""One executed cell source as a list of top-level statements, each with what it reads and writes. Pure.

The unit of gathering is a top-level statement: a `for` loop, an `if` block or a `def` is one unit (its body
runs together). Reads and writes come from `lineage.defuse` (the project's one def-use analysis), run on the
statement alone. On top of them each unit gets:

- `call_reads` / `call_writes` for a `def`, `class` or `name = lambda`: the global names its body reads and
  writes WHEN CALLED. The gather pass adds them at every call site, so a function defined in one cell and
  called later depends on the values current at the call.
- `params_changed` for a `def`: which positional parameters the body changes in place (`df["x"] = ...`,
  `lst.append`); a call changes the caller's argument there.
- the `calls` made at top level of the statement (callee as written, receiver, argument roots, keywords), from
  which `gather` decides, with the imports and functions known at that point, whether a statement only shows
  something, seeds or draws random numbers, or writes a file (knowledge in `lineage/kb/effects.py`).
- `magic`: the IPython line or cell magic the statement came from (line numbers never move in
  `lineage.magics.preprocess`, so a statement's lines are the user's lines).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional

from ..experiments.astutil import dotted
from ..lineage import kb
from ..lineage.defuse import analyze_defuse
from ..lineage.kb import effects
from ..lineage.magics import TIMEIT_FUNCTION, preprocess


@dataclass(frozen=True)
class Call:
    """One call at the top level of a statement: `np.random.seed(0)` -> callee "np.random.seed"."""

    callee: Optional[str]  # dotted name as written ("np.random.seed", "print", "df.plot.bar"); None: computed
    receiver: Optional[str]  # the variable a method chain starts from ("df" for df["a"].plot.bar()), if any
    methods: tuple[str, ...]  # methods called along the chain, innermost first ("groupby", "mean")
    attributes: tuple[str, ...]  # every attribute along the chain ("plot", "bar" for df.plot.bar())
    arg_roots: tuple[str, ...]  # variables passed as arguments (df for f(df["a"]))
    positional: tuple[Optional[str], ...]  # the variable at the root of each positional argument, or None
    keywords: tuple[tuple[str, Optional[str]], ...]  # (name, literal repr or None) for every keyword
    first_literal: Optional[str] = None  # the first string literal argument (a path for exports)
    path_keyword: Optional[str] = None  # a string literal passed as path= / fname= / ...
    bound_from: bool = False  # the call's value is what the statement assigns (`x = f()`)


@dataclass
class Unit:
    """One top-level statement of one execution."""

    position: int  # 0-based among the cell's top-level statements
    first_line: int  # 1-based, in the cell
    last_line: int
    text: str  # the statement as a gathered cell shows it (see `magic` for IPython lines)
    node: ast.stmt = field(repr=False)
    reads: frozenset[str] = frozenset()
    writes: frozenset[str] = frozenset()
    binds: frozenset[str] = frozenset()  # names given a new value (not merely changed)
    call_reads: frozenset[str] = frozenset()
    call_writes: frozenset[str] = frozenset()
    params_changed: tuple[int, ...] = ()
    methods: frozenset[str] = frozenset()  # a class: the methods it defines
    changing_methods: frozenset[str] = frozenset()  # a class: the methods that change `self` (self.w = ...)
    inherits: bool = False  # a class with bases: methods it does not define may change `self` too
    calls: tuple[Call, ...] = ()
    is_bare: bool = False  # an expression statement: its value is only displayed
    imports: dict[str, str] = field(default_factory=dict)  # bound name -> dotted path
    star_import: Optional[str] = None  # module of `from m import *`
    magic: Optional[str] = None  # the IPython line (or "%%name" header) this statement came from
    python_text: Optional[str] = None  # what the magic line means in plain Python, when it means anything
    comment: str = ""  # comment lines directly above the statement


@dataclass
class CellStatements:
    units: list[Unit]
    cell_magic: Optional[str] = None  # %%time, %%capture, ... (Python body) or the non-Python magic's name
    error: Optional[str] = None  # why the source has no units ("not Python: %%bash cell", a SyntaxError)
    writefile: Optional[str] = None  # path of a %%writefile cell
    writefile_body: Optional[str] = None


def split_cell(source: str) -> CellStatements:
    """The top-level statements of one cell source. Never raises."""
    try:
        stripped = preprocess(source)
    except Exception as error:  # a preprocessor bug must not lose the gather
        return CellStatements([], error=f"not analysed: {type(error).__name__}")
    if not stripped.is_python:
        lines = source.splitlines()
        head = next((line.strip() for line in lines if line.strip()), "")
        if stripped.cell_magic == "writefile":
            words = head.split()
            path = next((w for w in words[1:] if not w.startswith("-")), None)
            body = "\n".join(lines[lines.index(next(ln for ln in lines if ln.strip())) + 1:])
            return CellStatements([], cell_magic="writefile", error="%%writefile cell", writefile=path,
                                  writefile_body=body)
        return CellStatements([], cell_magic=stripped.cell_magic, error=f"not Python: %%{stripped.cell_magic} cell")
    code = stripped.code
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        return CellStatements([], cell_magic=stripped.cell_magic,
                              error=f"SyntaxError: {error.msg} (line {error.lineno})")
    except (ValueError, RecursionError, MemoryError) as error:
        return CellStatements([], cell_magic=stripped.cell_magic, error=f"not analysed: {type(error).__name__}")
    original = source.replace("\r\n", "\n").split("\n")
    python = code.split("\n")
    units: list[Unit] = []
    body = tree.body
    for position, stmt in enumerate(body):
        try:
            units.append(_unit(position, stmt, body, original, python, code, stripped.cell_magic))
        except RecursionError:
            return CellStatements([], cell_magic=stripped.cell_magic, error="not analysed: code nested too deeply")
    return CellStatements(units, cell_magic=stripped.cell_magic)


# ---------------------------------------------------------------- one statement
def _unit(position: int, stmt: ast.stmt, body: list[ast.stmt], original: list[str], python: list[str],
          code: str, cell_magic: Optional[str]) -> Unit:
    first, last = stmt.lineno, stmt.end_lineno or stmt.lineno
    shares_line = any(other is not stmt and (other.lineno <= last and (other.end_lineno or other.lineno) >= first)
                      for other in body)
    magic = python_text = None
    original_lines = original[first - 1:last]
    python_lines = python[first - 1:last]
    if original_lines != python_lines:
        # a magic line (or the header of a Python-bodied cell magic) became this statement
        magic = original_lines[0].strip()
        python_text = "\n".join(python_lines).strip()
        # `%time stmt` / `x = %time expr` run plain Python: the gathered cell keeps only that
        text = python_text if _magic_name(magic) in effects.PYTHON_STATEMENT_MAGICS else magic
    elif shares_line:
        text = ast.get_source_segment(code, stmt) or ast.unparse(stmt)
    else:
        text = "\n".join(original_lines).rstrip()
    segment = "\n".join(python_lines) if not shares_line else (ast.get_source_segment(code, stmt) or "")
    defuse = analyze_defuse(segment)
    writes = frozenset(w for w in defuse.writes if w != TIMEIT_FUNCTION)
    reads = frozenset(defuse.reads)
    unit = Unit(position, first, last, text, stmt, reads, writes, frozenset(_binds(stmt)), magic=magic,
                python_text=python_text, comment=_comment_above(original, first, body, position))
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        unit.reads = frozenset(_names_read(_definition_time_parts(stmt)))
        unit.call_reads = reads | _globals_read(stmt)
        unit.call_writes = writes - {stmt.name}
        unit.writes = frozenset({stmt.name})  # what the body changes, it changes at each call
        unit.params_changed = _params_changed(stmt)
    elif isinstance(stmt, ast.ClassDef):
        unit.call_reads = reads  # the body ran already; methods run when called
        unit.call_writes = writes - {stmt.name}
        functions = [f for f in stmt.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]
        unit.methods = frozenset(f.name for f in functions)
        unit.changing_methods = frozenset(f.name for f in functions if _changes_self(f))
        unit.inherits = any(not (isinstance(b, ast.Name) and b.id == "object") for b in stmt.bases)
    elif isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Lambda):
        unit.call_reads = reads
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        unit.imports = _imports(stmt)
        if isinstance(stmt, ast.ImportFrom) and any(alias.name == "*" for alias in stmt.names):
            unit.star_import = "." * stmt.level + (stmt.module or "")
    unit.is_bare = isinstance(stmt, ast.Expr)
    if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        unit.calls = tuple(_calls(stmt))
    if cell_magic == "timeit" or (isinstance(stmt, ast.FunctionDef) and stmt.name == TIMEIT_FUNCTION):
        unit.writes = frozenset()  # %timeit runs its code in a throwaway function
    return unit


def _magic_name(line: str) -> str:
    """`%time x = 1` -> "time"; `y = %time f()` -> "time"; `!ls` -> "!"."""
    _, sep, rest = line.partition("=")
    body = rest.strip() if sep and not line.lstrip().startswith(("%", "!")) else line.strip()
    if body.startswith("!"):
        return "!"
    words = body.lstrip("%").split()
    return words[0] if words and body.startswith("%") and not body.startswith("%%") else ""


def _binds(stmt: ast.stmt) -> set[str]:
    """Names the statement gives a new value to (not `df["x"] = ...`, which only changes df)."""
    names: set[str] = set()
    targets: list[ast.AST] = []
    if isinstance(stmt, ast.Assign):
        targets = list(stmt.targets)
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and isinstance(stmt.target, ast.Name):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.For, ast.AsyncFor)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return set(_imports(stmt))
    for target in targets:
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, (ast.Attribute, ast.Subscript)):
                break
    return names


def _imports(stmt: ast.Import | ast.ImportFrom) -> dict[str, str]:
    bound: dict[str, str] = {}
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            if alias.asname:
                bound[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                bound[top] = top
    else:
        module = "." * stmt.level + (stmt.module or "")
        for alias in stmt.names:
            if alias.name != "*":
                bound[alias.asname or alias.name] = f"{module}.{alias.name}"
    return bound


def _definition_time_parts(stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr]:
    """What Python evaluates when the `def` runs: decorators, defaults, annotations (not the body)."""
    args = stmt.args
    parts: list[ast.expr] = list(stmt.decorator_list) + list(args.defaults)
    parts += [d for d in args.kw_defaults if d is not None]
    every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
    parts += [a.annotation for a in every if a.annotation is not None]
    if stmt.returns is not None:
        parts.append(stmt.returns)
    return parts


def _names_read(parts: list[ast.expr]) -> list[str]:
    if not parts:
        return []
    source = "(" + ", ".join(ast.unparse(part) for part in parts) + ",)"
    return analyze_defuse(source).reads


def _globals_read(stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """Names declared `global` that the body also reads (`counter += 1`): def-use counts them as the cell's
    own writes, but at a call they are read from whatever the namespace holds then."""
    declared = {name for node in ast.walk(stmt) if isinstance(node, ast.Global) for name in node.names}
    if not declared:
        return frozenset()
    read = {node.id for node in ast.walk(stmt) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    read |= {node.target.id for node in ast.walk(stmt)
             if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name)}
    return frozenset(declared & read)


def _changes_self(method: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The method assigns into its first parameter (`self.weights = ...`, `self.cache[k] = v`) or calls a
    mutating method on it or on one of its attributes (`self.history.append(c)`)."""
    params = method.args.posonlyargs + method.args.args
    if not params:
        return False
    me = params[0].arg
    for node in ast.walk(method):
        if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, (ast.Store, ast.Del)):
            if _root(node) == me:
                return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in kb.MUTATING_METHODS:
            if _root(node.func.value) == me:
                return True
    return False


def _params_changed(stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, ...]:
    """Positions of parameters whose object the body changes in place: the body read as module code, where
    parameters are names from outside, and a parameter it writes without rebinding first is changed."""
    params = [a.arg for a in stmt.args.posonlyargs + stmt.args.args]
    if not params:
        return ()
    body = ast.Module(body=stmt.body, type_ignores=[])
    try:
        analysis = analyze_defuse(ast.unparse(body))
    except (ValueError, RecursionError):
        return tuple(range(len(params)))
    rebound = _rebound_first(stmt.body)
    return tuple(i for i, name in enumerate(params) if name in analysis.writes and name not in rebound)


def _rebound_first(body: list[ast.stmt]) -> set[str]:
    """Names whose first top-level write in the body is a plain rebinding (`df = df.copy()`)."""
    seen: set[str] = set()
    rebound: set[str] = set()
    for stmt in body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name) and target.id not in seen:
                    rebound.add(target.id)
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                seen.add(node.id)
            elif isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, ast.Store):
                root = _root(node)
                if root:
                    seen.add(root)
    return rebound


def _comment_above(original: list[str], first: int, body: list[ast.stmt], position: int) -> str:
    """Comment lines directly above the statement (not belonging to the previous statement)."""
    floor = (body[position - 1].end_lineno or 0) if position else 0
    lines: list[str] = []
    index = first - 2
    while index >= floor and index >= 0 and original[index].strip().startswith("#"):
        lines.append(original[index].rstrip())
        index -= 1
    return "\n".join(reversed(lines))


# ---------------------------------------------------------------- calls
def _root(node: ast.AST) -> Optional[str]:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _chain_methods(func: ast.AST) -> tuple[Optional[str], tuple[str, ...], tuple[str, ...]]:
    """(receiver variable, methods called, every attribute) along a call chain, innermost first:
    `df.columns.tolist` -> ("df", ("tolist",), ("columns", "tolist")); `df["a"].plot.bar` -> ("df", ("bar",),
    ("plot", "bar"))."""
    methods: list[str] = []
    attributes: list[str] = []
    node = func
    called = True  # the outermost attribute is the one being called
    while True:
        if isinstance(node, ast.Attribute):
            attributes.append(node.attr)
            if called:
                methods.append(node.attr)
            called = False
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
            called = False
        elif isinstance(node, ast.Call):
            node = node.func
            called = True
        else:
            break
    receiver = node.id if isinstance(node, ast.Name) else None
    return receiver, tuple(reversed(methods)), tuple(reversed(attributes))


def _literal(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Constant):
        return repr(node.value)
    return None


def _calls(stmt: ast.stmt) -> list[Call]:
    """Every call in the statement (not inside function bodies, which run later)."""
    assigned = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)) else None
    found: list[Call] = []
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Call):
            receiver, methods, attributes = _chain_methods(node.func)
            positional = tuple(_root(a.value if isinstance(a, ast.Starred) else a) for a in node.args)
            arg_roots = tuple(r for r in positional if r) + tuple(r for r in (_root(k.value) for k in node.keywords) if r)
            keywords = tuple((k.arg or "**", _literal(k.value)) for k in node.keywords)
            first = next((a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)),
                         None)
            path_kw = next((k.value.value for k in node.keywords if k.arg in effects.PATH_KEYWORDS
                            and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)), None)
            found.append(Call(dotted(node.func), receiver, methods, attributes, arg_roots, positional, keywords, first,
                              path_kw, bound_from=node is assigned))
        stack.extend(ast.iter_child_nodes(node))
    found.reverse()
    return found
