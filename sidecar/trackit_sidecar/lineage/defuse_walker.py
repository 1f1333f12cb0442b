"""The def-use walk of one cell (defuse.py says what its reads, writes and derivations mean): module-level statements
in evaluation order, each simple statement one derivation frame, names resolved through Python's scopes."""

from __future__ import annotations

import ast
import re
from typing import Optional

from .in_place_changes import base_name, changed_in_place, sets_display_option
from .kb import BUILTIN_NAMES
from .kb.python import CONVENTIONAL_ALIASES
from .magics import TIMEIT_FUNCTION
from .python_scopes import Scope, import_binding

_IPYTHON_HISTORY_NAME = re.compile(r"_i?\d+")
_TRY_STAR = getattr(ast, "TryStar", None)
_LEAVES = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)


class CellWalker(ast.NodeVisitor):
    """Visits a cell in evaluation order, keeping what module scope has bound so far."""

    def __init__(self) -> None:
        self.module = Scope("module", None)
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
            method = getattr(type(self), "visit_" + type(node).__name__, CellWalker.generic_visit)
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

    def result(self) -> tuple[list[str], list[str], dict[str, list[str]]]:
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
        return list(reads), writes, derivations

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
    def _module_name(self, name: str) -> Optional[bool]:
        """Whether `name`, used here, is the module's (Python's scope rules): None when a local, a nonlocal or a
        comprehension's / class body's own name; else whether a function body was crossed to reach the module (a
        function's reads happen when it is called, not when the cell runs)."""
        scope = self.scope
        first = True
        deferred = False
        while scope.kind != "module":
            if scope.kind == "function":
                deferred = True
                if name in scope.globals:
                    break
                if name in scope.locals or name in scope.nonlocals:
                    return None
            elif scope.kind == "comprehension" or (scope.kind == "class" and first):
                if name in scope.locals:
                    return None
            first = False
            scope = scope.parent  # type: ignore[assignment]
        return deferred

    def _load(self, name: str) -> None:
        deferred = self._module_name(name)
        if deferred is not None:
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
        if self._module_name(name) is not None and name not in BUILTIN_NAMES:
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
        base = base_name(node)
        if base is not None and not sets_display_option(node, self._module_like):
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
            bound = import_binding(alias)
            if self.scope.kind == "module":
                self.imported.add(bound)
            self._store(bound)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                continue  # unknowable statically; documented limitation
            bound = import_binding(alias)
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

    def _in_scope(self, scope: Scope, work) -> None:
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
        scope = Scope("function", self.scope, node.body, self._param_names(node.args))
        self._in_scope(scope, lambda: [self.visit(stmt) for stmt in node.body])

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_arguments_outside(node.args)
        scope = Scope("function", self.scope, [node.body], self._param_names(node.args))
        self._in_scope(scope, lambda: self.visit(node.body))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        for base in node.bases:
            self.visit(base)
        for keyword in node.keywords:
            self.visit(keyword.value)
        scope = Scope("class", self.scope, node.body)
        self._in_scope(scope, lambda: [self.visit(stmt) for stmt in node.body])
        self._store(node.name)

    def _visit_comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
        generators = node.generators
        # the first iterable is evaluated in the enclosing scope (Python 3 rule)
        self.visit(generators[0].iter)
        scope = Scope("comprehension", self.scope)
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

