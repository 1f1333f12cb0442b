"""Small, pure AST helpers shared by the experiment readers (seeds, features, metrics).

They read executed cell sources; magics are blanked first (lineage.magics) so a cell with `%time` parses.
A value is "literal" when `ast.literal_eval` accepts it or it is a name bound to a literal earlier in
the same slice (`SEED = 42` ... `random_state=SEED`): those are decisions worth recording as values.
Anything else is recorded as its normalised source text (`ast.unparse`), never evaluated.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from ..lineage.ast_names import dotted  # re-exported: experiments/ reads it from here
from ..lineage.kb.python import FITTING_METHODS
from ..lineage.magics import strip_magics

_MISSING = object()


@functools.lru_cache(maxsize=4096)
def parse(source: str) -> Optional[ast.Module]:
    """The cell's AST, or None when it does not parse (such a cell contributes nothing). Cached: a notebook's
    experiments share most of their slices; callers never mutate the tree."""
    try:
        return ast.parse(strip_magics(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


@functools.lru_cache(maxsize=4096)
def set_last_in_loop(source: str, variable: str) -> bool:
    """Whether the cell's last top-level statement that sets `variable` sets it inside a `for` or `while` loop:
    its value after the cell is the loop's last pass's."""
    return _last_in_loop(source, variable, frozenset())


@functools.lru_cache(maxsize=4096)
def fitted_last_in_loop(source: str, variable: str) -> bool:
    """Whether the cell's last top-level statement that sets or fits `variable` (`knn.fit(...)`, FITTING_METHODS)
    does so inside a loop: the model left after the cell is the last pass's fit (ztm-ml heart-disease refits one
    `knn` for 20 values of n_neighbors; banana builds a new SVC for each C and seed)."""
    return _last_in_loop(source, variable, FITTING_METHODS)


def _last_in_loop(source: str, variable: str, mutating_methods: frozenset[str]) -> bool:
    tree = parse(source)
    if tree is None:
        return False

    def sets(node: ast.AST, in_loop: bool) -> Optional[bool]:
        """None: `variable` not set in `node`; else whether some setting of it is inside a loop."""
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return None  # a local of its own scope
        if isinstance(node, ast.Name) and node.id == variable and isinstance(node.ctx, ast.Store):
            return in_loop
        looped = in_loop or isinstance(node, (ast.For, ast.AsyncFor, ast.While))
        found = [sets(child, looped) for child in ast.iter_child_nodes(node)]
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in mutating_methods
                and isinstance(node.func.value, ast.Name) and node.func.value.id == variable):
            found.append(in_loop)
        return any(found) if any(f is not None for f in found) else None

    last = None
    for statement in tree.body:
        verdict = sets(statement, False)
        if verdict is not None:
            last = verdict
    return bool(last)


def text(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # an AST unparse cannot handle (very deep): say so rather than fail
        return "<unreadable expression>"


@dataclass
class Scope:
    """What earlier cells of a slice bound: import aliases and names holding literal values."""

    imports: dict[str, str] = field(default_factory=dict)  # local name -> dotted module path
    constants: dict[str, Any] = field(default_factory=dict)
    calls: dict[str, ast.Call] = field(default_factory=dict)  # name -> the call last assigned to it
    classes: set[str] = field(default_factory=set)  # classes a `class` statement of the notebook defined

    def learn(self, tree: ast.Module) -> None:
        """Record this cell's imports and top-level bindings (in statement order)."""
        for stmt in tree.body:
            if isinstance(stmt, ast.ClassDef):
                self.classes.add(stmt.name)
                self.imports.pop(stmt.name, None)
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                self.classes -= {alias.asname or alias.name.split(".", 1)[0] for alias in stmt.names}
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.asname:
                        self.imports[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".", 1)[0]
                        self.imports[top] = top
            elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
                for alias in stmt.names:
                    if alias.name != "*":
                        self.imports[alias.asname or alias.name] = f"{stmt.module}.{alias.name}"
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for target in targets:
                    if not isinstance(target, ast.Name):
                        continue
                    value = self.literal(stmt.value)
                    if value is not _MISSING:
                        self.constants[target.id] = value
                    else:
                        self.constants.pop(target.id, None)
                    if isinstance(stmt.value, ast.Call):
                        self.calls[target.id] = stmt.value
                    else:
                        self.calls.pop(target.id, None)

    def qualified(self, node: ast.AST) -> Optional[str]:
        """A call target with its import alias resolved: `np.random.seed` -> "numpy.random.seed"."""
        name = dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        base = self.imports.get(head)
        if base is None:
            return name
        return f"{base}.{rest}" if rest else base

    def literal(self, node: Optional[ast.AST]) -> Any:
        """The node's value when it is a literal (or a name bound to one), else the sentinel _MISSING."""
        if node is None:
            return _MISSING
        if isinstance(node, ast.Name):
            return self.constants.get(node.id, _MISSING)
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            pass
        if isinstance(node, (ast.List, ast.Tuple)):
            values = [self.literal(e) for e in node.elts]
            if all(v is not _MISSING for v in values):
                return values
        if isinstance(node, ast.Dict) and all(k is not None for k in node.keys):
            keys = [self.literal(k) for k in node.keys]
            values = [self.literal(v) for v in node.values]
            if all(k is not _MISSING and isinstance(k, (str, int, float, bool)) for k in keys) and all(
                    v is not _MISSING for v in values):
                return dict(zip(keys, values))
        return _MISSING

    def value(self, node: ast.AST) -> Any:
        """A JSON-ready description of an argument: its literal value, else its source text."""
        found = self.literal(node)
        if found is _MISSING:
            return text(node)
        return jsonable(found)


def is_missing(value: Any) -> bool:
    return value is _MISSING


def jsonable(value: Any) -> Any:
    """Literal values as JSON can hold them: tuples and sets become lists, bytes and complex become text."""
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return repr(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def calls(tree: ast.AST) -> Iterator[ast.Call]:
    """Every call in the tree, outer calls before the calls in their arguments."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def keyword_values(call: ast.Call, scope: Scope) -> dict[str, Any]:
    """`f(a, b=1, c=x)` -> {"b": 1, "c": "x"}; `**params` of a dict literal (or a name bound to one) is its keys and
    values, as if written out (causal-handbook 17: `GradientBoostingRegressor(**model_params)` with max_depth 4 -> 3
    read "features changed: none"); any other `**kwargs` is kept as "**kwargs"."""
    out: dict[str, Any] = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            spread = scope.literal(keyword.value)
            if isinstance(spread, dict) and spread and all(isinstance(k, str) for k in spread):
                out.update({k: jsonable(v) for k, v in spread.items()})
            else:
                out["**"] = text(keyword.value)
        else:
            out[keyword.arg] = scope.value(keyword.value)
    return out


def callee_name(call: ast.Call) -> Optional[str]:
    """The short name of what is called: `sklearn.linear_model.LogisticRegression(...)` -> "LogisticRegression"."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def constructed_before(top: Optional[ast.stmt], name: str, line: Optional[int]) -> Optional[ast.Call]:
    """The last call assigned to `name` above `line` inside `top` (a def's body): the estimator a local was built as."""
    found = None
    for node in ast.walk(top) if top is not None and line is not None else ():
        if isinstance(node, ast.Assign) and node.lineno < line and isinstance(node.value, ast.Call) \
                and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            if found is None or node.lineno > found.lineno:
                found = node
    return found.value if found is not None else None
