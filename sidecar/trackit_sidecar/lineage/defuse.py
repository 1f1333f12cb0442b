"""Which names a cell reads from the notebook namespace and which it binds or changes there.

`analyze_defuse(source)` is static (no kernel) and never raises. Meaning of the result:

- reads: names the cell takes from the namespace, i.e. loaded before the cell itself bound them
  (source order). Builtins and IPython's injected names are never reads. Names used inside a
  function or lambda body are resolved when the cell ends: they are reads only if the cell never
  binds them at top level (a helper defined further down the cell is not a read).
- writes: names the cell binds at module scope (assignments, imports, def/class, for/with targets,
  walrus even inside comprehensions, match captures, `global` names a function assigns) and names
  whose object it changes: `df["x"] = ...`, `obj.a = 1`, `del df["c"]`, `lst.append(x)` and other
  mutating methods (MUTATING_METHODS), any method call with `inplace=True`. A changed object is also
  a read. `del x` counts as a write: the name's value changes (to nothing), and the next reader
  must not be linked to the earlier writer.
- Effects of a function body on module names (global assignments, mutating a global) are attributed
  to the `def` statement: we cannot know when the function is called.
- `except E as e`: Python deletes `e` when the handler ends, so it is neither a read nor a write.
- derivations: for each written name, the names its statement(s) read, in first-occurrence order,
  with names bound by imports (in this cell) or conventional module aliases (pd, np, ...) last.
  Statements are simple statements; for a compound statement only its header (`for t in it` derives
  t from it, `with e as v` derives v from e). Control dependencies (`if cond: y = 1`) are not
  derivations. A def/class derives from everything its definition reads.
- Names defined in the cell count in derivations (`df2 = df.dropna()` gives {"df2": ["df"]} even
  when df was bound earlier in the cell): derivations are the cell's internal data flow.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .kb import BUILTIN_NAMES
from .kb.python import CONVENTIONAL_ALIASES, FITTING_METHODS, MUTATING_FUNCTIONS
from .kb.python import MUTATING_METHODS as _DATA_MUTATING_METHODS
from .magics import TIMEIT_FUNCTION, preprocess
from .newer_syntax import parse_newer_fstrings

_IPYTHON_HISTORY_NAME = re.compile(r"_i?\d+")
# A fitted estimator or transformer is a new state of the same variable that later cells depend on.
MUTATING_METHODS = _DATA_MUTATING_METHODS | FITTING_METHODS


@dataclass
class DefUse:
    reads: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)
    derivations: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None  # "not analysed: <reason>"; reads/writes are empty then


def analyze_defuse(source: str) -> DefUse:
    """Reads, writes and derivations of one cell (see module docstring). Never raises."""
    try:
        if not isinstance(source, str):
            return DefUse(error=f"not analysed: source is {type(source).__name__}, not text")
        stripped = preprocess(source)
        if not stripped.is_python:
            return DefUse(error=f"not analysed: %%{stripped.cell_magic} cell")
        try:
            tree, _ = parse_newer_fstrings(stripped.code)
        except SyntaxError as exc:
            return DefUse(error=f"not analysed: SyntaxError: {exc.msg} (line {exc.lineno})")
        walker = _CellWalker()
        walker.run(tree.body)
        return walker.result()
    except RecursionError:
        return DefUse(error="not analysed: code nested too deeply")
    except (ValueError, MemoryError) as exc:  # e.g. NUL bytes in the source
        return DefUse(error=f"not analysed: {type(exc).__name__}: {exc}")


# ---------------------------------------------------------------- scopes
class _Scope:
    __slots__ = ("kind", "parent", "locals", "globals", "nonlocals")

    def __init__(self, kind: str, parent: _Scope | None, nodes: Iterable[ast.AST] = (), params: Iterable[str] = ()):
        self.kind = kind  # module | function | class | comprehension
        self.parent = parent
        self.locals: set[str] = set(params)
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()
        if kind in ("function", "class"):
            _collect_bindings(nodes, self)
        self.locals -= self.globals
        self.locals -= self.nonlocals


def _collect_bindings(nodes: Iterable[ast.AST], scope: _Scope) -> None:
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
                    scope.locals.add(_import_binding(alias))
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


def _import_binding(alias: ast.alias) -> str:
    # `import a.b.c` binds `a`; `import a.b as c` and `from x import y as c` bind `c`
    return alias.asname or alias.name.split(".")[0]


def _base_name(node: ast.expr) -> str | None:
    """The variable whose object `node` reaches into: df for df.loc[m, "a"], obj for obj.a.b."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _is_inplace_call(call: ast.Call) -> bool:
    return any(
        kw.arg == "inplace" and isinstance(kw.value, ast.Constant) and kw.value.value is True
        for kw in call.keywords
    )


def changed_in_place(call: ast.Call, module_like: Callable[[str], bool]) -> list[str]:
    """The variables whose object `call` changes in place: the receiver of a mutating method (`lst.sort()`,
    `df.update(other)`, `model.fit(X, y)`, `x.add_(1)`, any call with `inplace=True`), and the array a mutating
    function is handed (`np.random.shuffle(a)`, `rng.shuffle(a)`). The one reading of kb.python's in-place tables
    (def-use here, lineage.cell_bindings for the runtime rule). `module_like(name)`: `name` is a module
    (`np.append(a, 1)` is a module function, not a change to np)."""
    func = call.func
    changed: list[str] = []
    if isinstance(func, ast.Attribute) and (func.attr in MUTATING_METHODS or _is_inplace_call(call)
                                            or _is_torch_inplace(func.attr)):
        base = _base_name(func.value)
        if base is not None and not module_like(base):  # np.random.shuffle(a) changes a, not np
            changed.append(base)
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name in MUTATING_FUNCTIONS and call.args:
        base = _base_name(call.args[0])
        if base is not None and base not in changed and not module_like(base):
            changed.append(base)
    return changed


_TRY_STAR = getattr(ast, "TryStar", None)
_LEAVES = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)


# ---------------------------------------------------------------- the walker
class _CellWalker(ast.NodeVisitor):
    """Visits a cell in evaluation order, keeping what module scope has bound so far."""

    def __init__(self) -> None:
        self.module = _Scope("module", None)
        self.scope = self.module
        self.defined: set[str] = set()
        self.read_events: list[tuple[str, bool]] = []  # (name, inside a function body: resolved at the end)
        self.writes: dict[str, None] = {}
        self.bound: set[str] = set()  # names given a value (not just changed): they settle deferred reads
        self.derivations: dict[str, dict[str, None]] = {}
        self.imported: set[str] = set()
        self.transient: set[str] = set()  # `except ... as e` names while their handler runs
        self.frame_reads: dict[str, None] = {}
        self.frame_writes: dict[str, None] = {}

    # ------------------------------------------------------------ dispatch
    # ast.NodeVisitor looks the method up by name for every node and visits childless operator and
    # context nodes; a per-class table and skipping those leaves halves the walk (a cell is analysed
    # on every new source the editor sends).
    _dispatch: dict[type, object] = {}

    def visit(self, node: ast.AST) -> None:
        method = self._dispatch.get(type(node))
        if method is None:
            method = getattr(type(self), "visit_" + type(node).__name__, _CellWalker.generic_visit)
            self._dispatch[type(node)] = method
        method(self, node)  # type: ignore[operator]

    def generic_visit(self, node: ast.AST) -> None:
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST) and not isinstance(value, _LEAVES):
                self.visit(value)

    # ------------------------------------------------------------ driving
    def run(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self._top(stmt)

    def result(self) -> DefUse:
        writes = [w for w in self.writes if w != TIMEIT_FUNCTION]
        reads: dict[str, None] = {}
        for name, deferred in self.read_events:
            if not deferred or name not in self.bound:
                reads.setdefault(name, None)
        derivations = {}
        for name, sources in self.derivations.items():
            if name == TIMEIT_FUNCTION:
                continue
            ordered = [s for s in sources if not self._module_like(s)] + [s for s in sources if self._module_like(s)]
            derivations[name] = ordered
        return DefUse(list(reads), writes, derivations, None)

    def _module_like(self, name: str) -> bool:
        return name in self.imported or name in CONVENTIONAL_ALIASES

    def _top(self, stmt: ast.stmt) -> None:
        """One module-level statement: simple ones are one derivation frame, compound ones per header/body."""
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            self._frame(lambda: (self.visit(stmt.iter), self.visit(stmt.target)))
            self._top_body(stmt.body, stmt.orelse)
        elif isinstance(stmt, (ast.While, ast.If)):
            self._frame(lambda: self.visit(stmt.test))
            self._top_body(stmt.body, stmt.orelse)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            self._frame(lambda: [self.visit(item) for item in stmt.items])
            self._top_body(stmt.body)
        elif isinstance(stmt, ast.Try) or (_TRY_STAR is not None and isinstance(stmt, _TRY_STAR)):
            self._top_body(stmt.body)
            for handler in stmt.handlers:
                self._top_handler(handler)
            self._top_body(stmt.orelse, stmt.finalbody)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                self._frame(lambda case=case: self._match_case_head(stmt.subject, case))
                self._top_body(case.body)
        elif isinstance(stmt, ast.Delete):
            # `del a, b[0]`: each target is its own change; `a` is not derived from `b`
            for target in stmt.targets:
                self._frame(lambda target=target: self.visit(target))
        else:
            self._frame(lambda: self.visit(stmt))

    def _top_body(self, *bodies: list[ast.stmt]) -> None:
        for body in bodies:
            for stmt in body:
                self._top(stmt)

    def _top_handler(self, handler: ast.ExceptHandler) -> None:
        if handler.type is not None:
            self._frame(lambda: self.visit(handler.type))
        name = handler.name
        if not name:
            self._top_body(handler.body)
            return
        was_defined = name in self.defined
        self.defined.add(name)
        self.transient.add(name)
        self._top_body(handler.body)
        self.transient.discard(name)
        if not was_defined:
            self.defined.discard(name)

    def _match_case_head(self, subject: ast.expr, case: ast.match_case) -> None:
        self.visit(subject)
        self.visit(case.pattern)
        if case.guard is not None:
            self.visit(case.guard)

    def _frame(self, work) -> None:
        self.frame_reads, self.frame_writes = {}, {}
        work()
        for name in self.frame_writes:
            sources = self.derivations.setdefault(name, {})
            for source in self.frame_reads:
                sources.setdefault(source, None)

    # ------------------------------------------------------------ name resolution
    def _load(self, name: str) -> None:
        scope = self.scope
        first = True
        deferred = False
        while scope.kind != "module":
            if scope.kind == "function":
                deferred = True
                if name in scope.globals:
                    break
                if name in scope.locals or name in scope.nonlocals:
                    return
            elif scope.kind == "comprehension" or (scope.kind == "class" and first):
                if name in scope.locals:
                    return
            first = False
            scope = scope.parent  # type: ignore[assignment]
        self._module_load(name, deferred)

    def _module_load(self, name: str, deferred: bool) -> None:
        if name in BUILTIN_NAMES or name in self.transient or _IPYTHON_HISTORY_NAME.fullmatch(name):
            return
        self.frame_reads.setdefault(name, None)
        if deferred:
            self.read_events.append((name, True))
        elif name not in self.defined:
            self.read_events.append((name, False))

    def _store(self, name: str, binds: bool = True) -> None:
        scope = self.scope
        if scope.kind == "module" or (scope.kind == "function" and name in scope.globals):
            self._module_write(name, binds)
        elif scope.kind == "comprehension" and name not in scope.locals:
            # only a walrus gets here: it binds in the nearest enclosing function or module scope
            while scope.kind == "comprehension":
                scope = scope.parent  # type: ignore[assignment]
            if scope.kind == "module" or name in scope.globals:
                self._module_write(name)

    def _mutate(self, name: str) -> None:
        """The object `name` refers to was changed: write it where it lives (module or local)."""
        scope = self.scope
        first = True
        while scope.kind != "module":
            if scope.kind == "function":
                if name in scope.globals:
                    break
                if name in scope.locals or name in scope.nonlocals:
                    return
            elif scope.kind == "comprehension" or (scope.kind == "class" and first):
                if name in scope.locals:
                    return
            first = False
            scope = scope.parent  # type: ignore[assignment]
        if name not in BUILTIN_NAMES:
            self._module_write(name, binds=False)

    def _module_write(self, name: str, binds: bool = True) -> None:
        # a changed object (binds=False) still comes from outside the cell unless something bound it
        if binds:
            self.bound.add(name)
        self.writes.setdefault(name, None)
        self.defined.add(name)
        self.frame_writes.setdefault(name, None)

    # ------------------------------------------------------------ names and targets
    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self._load(node.id)
        else:  # Store and Del: `del x` removes the binding, a write that gives no value
            self._store(node.id, binds=isinstance(node.ctx, ast.Store))

    def _visit_reach_target(self, node: ast.Attribute | ast.Subscript) -> None:
        """`df["x"] = ...`, `obj.a = ...`, `del df["c"]`: evaluate the base (a read), then it is changed."""
        self.visit(node.value)
        if isinstance(node, ast.Subscript):
            self.visit(node.slice)
        base = _base_name(node)
        if base is not None:
            self._mutate(base)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.ctx, ast.Load):
            self.visit(node.value)
        else:
            self._visit_reach_target(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Load):
            self.visit(node.value)
            self.visit(node.slice)
        else:
            self._visit_reach_target(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            self._load(target.id)
            self.visit(node.value)
            self._store(target.id)
        else:
            self.visit(node.value)
            self.visit(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.target)
        elif not isinstance(node.target, ast.Name):
            # `obj.a: int` evaluates obj but binds nothing
            self.visit(node.target.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self._store(node.target.id)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        # long `a + b + c + ...` chains nest on the left; walk the spine without recursing per term
        rights = []
        while isinstance(node, ast.BinOp):
            rights.append(node.right)
            node = node.left  # type: ignore[assignment]
        self.visit(node)
        for right in reversed(rights):
            self.visit(right)

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        for base in changed_in_place(node, self._module_like):
            self._mutate(base)

    # ------------------------------------------------------------ imports
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            bound = _import_binding(alias)
            if self.scope.kind == "module":
                self.imported.add(bound)
            self._store(bound)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                continue  # unknowable statically; documented limitation
            bound = _import_binding(alias)
            if self.scope.kind == "module":
                self.imported.add(bound)
            self._store(bound)

    # ------------------------------------------------------------ scopes
    def _visit_arguments_outside(self, args: ast.arguments) -> None:
        for default in args.defaults:
            self.visit(default)
        for default in args.kw_defaults:
            if default is not None:
                self.visit(default)

    def _visit_annotations(self, args: ast.arguments, returns: ast.expr | None) -> None:
        every = args.posonlyargs + args.args + args.kwonlyargs
        every += [a for a in (args.vararg, args.kwarg) if a is not None]
        for arg in every:
            if arg.annotation is not None:
                self.visit(arg.annotation)
        if returns is not None:
            self.visit(returns)

    @staticmethod
    def _param_names(args: ast.arguments) -> list[str]:
        names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
        names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
        return names

    def _in_scope(self, scope: _Scope, work) -> None:
        saved = self.scope
        self.scope = scope
        try:
            work()
        finally:
            self.scope = saved

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._visit_arguments_outside(node.args)
        self._visit_annotations(node.args, node.returns)
        self._store(node.name)
        scope = _Scope("function", self.scope, node.body, self._param_names(node.args))
        self._in_scope(scope, lambda: [self.visit(stmt) for stmt in node.body])

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_arguments_outside(node.args)
        scope = _Scope("function", self.scope, [node.body], self._param_names(node.args))
        self._in_scope(scope, lambda: self.visit(node.body))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        for base in node.bases:
            self.visit(base)
        for keyword in node.keywords:
            self.visit(keyword.value)
        scope = _Scope("class", self.scope, node.body)
        self._in_scope(scope, lambda: [self.visit(stmt) for stmt in node.body])
        self._store(node.name)

    def _visit_comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
        generators = node.generators
        # the first iterable is evaluated in the enclosing scope (Python 3 rule)
        self.visit(generators[0].iter)
        scope = _Scope("comprehension", self.scope)
        for generator in generators:
            for sub in ast.walk(generator.target):
                if isinstance(sub, ast.Name):
                    scope.locals.add(sub.id)

        def body() -> None:
            for index, generator in enumerate(generators):
                if index:
                    self.visit(generator.iter)
                self.visit(generator.target)
                for condition in generator.ifs:
                    self.visit(condition)
            if isinstance(node, ast.DictComp):
                self.visit(node.key)
                self.visit(node.value)
            else:
                self.visit(node.elt)

        self._in_scope(scope, body)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _visit_comprehension

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        # the iterable is evaluated before the target is bound (generic_visit would go target first)
        self.visit(node.iter)
        self.visit(node.target)
        for stmt in node.body + node.orelse:
            self.visit(stmt)

    visit_AsyncFor = visit_For

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        # only reached inside functions/classes (module level goes through _top_handler)
        if node.type is not None:
            self.visit(node.type)
        for stmt in node.body:
            self.visit(stmt)

    # ------------------------------------------------------------ match patterns
    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.pattern is not None:
            self.visit(node.pattern)
        if node.name:
            self._store(node.name)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self._store(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        for key in node.keys:
            self.visit(key)
        for pattern in node.patterns:
            self.visit(pattern)
        if node.rest:
            self._store(node.rest)


def _is_torch_inplace(method: str) -> bool:
    """PyTorch-style `x.add_(1)`: a trailing single underscore marks an in-place method."""
    return len(method) > 1 and method.endswith("_") and not method.endswith("__") and not method.startswith("_")
