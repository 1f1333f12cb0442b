"""The value model of the step classifier: what an expression is (`Val`) and the operations it carries (`Op`),
plus small AST helpers every rule uses."""

from __future__ import annotations

import ast
from copy import copy
from dataclasses import dataclass, field
from typing import Any, Optional

from ..kb.guesses import INFERRED_FROM

# Prefix of the bindings the classifier itself writes into the carried context (see lineage/steps.py).
MARKER = "trackit:"
FITTED_MODEL = "fitted.Model()"  # what a fit returns when the library's class is not known


@dataclass
class Op:
    op: str
    inputs: list[str]
    columns: list[str] = field(default_factory=list)
    detail: Optional[str] = None
    output: Optional[str] = None  # set by inplace=True / model.fit: the receiver is mutated
    pick: bool = False  # a column pick by subscript (df[cols]): incidental when it only feeds a call
    display: bool = False  # an inspection (head/describe/...) or chained after one: no step in a bare statement
    conversion: bool = False  # only repackages data (copy, .values, np.asarray): `other` only as a whole assignment
    # structured Step fields (protocol.Step: method, derived_from, group_keys, statistic, model, estimator,
    # params, conditions); only non-empty values are kept. `made_with`: a load drawn inside a constructor
    # (`pd.DataFrame(np.random.rand(5))`) is the constructor's step (its method and detail)
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class Val:
    """What an expression is, as far as the classifier cares."""

    ops: list[Op] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # data names this value was computed from
    kind: Optional[str] = None  # import path, "<class>()" instance, "polars.DataFrame()", "grouped", accessor
    base: Optional[str] = None  # the variable at the root of a chain (for inplace output)
    columns: list[str] = field(default_factory=list)  # literal column names touched
    picked_column: bool = False  # df["x"]: one column taken out
    computed: bool = False  # an arithmetic / comparison result, not a stored column or frame
    shown: bool = False  # the result of an inspection call (df.describe()): what follows it only displays too
    params: dict[str, Any] = field(default_factory=dict)  # an estimator's literal constructor params
    answer: bool = False  # a number or a small answer about data (df.x.sum(), df.shape, len(df)): not data
    plot: bool = False  # a plotting accessor (df.plot): what is called on it draws
    fitted_on: list[str] = field(default_factory=list)  # `StandardScaler().fit(X)`: the data the object was fitted on


def copied(val: Val) -> Val:
    """A copy of `val` whose own changes (ops appended, dropped or replaced, fields set) do not reach `val`; its ops
    are the same objects (rules re-label an op of the value they build, after the arguments were looked at)."""
    made = copy(val)
    made.ops, made.params = list(val.ops), dict(val.params)
    return made


def inferred(val: Val, how: str, beyond: list[Op]) -> Val:
    """`val` with the ops it adds to `beyond` (its arguments' ops, decided on their own) marked as decided by a guess
    (`how`: a key of kb/guesses.py INFERRED_FROM), which the step they make carries as `inferred_from`."""
    if how not in INFERRED_FROM:
        raise KeyError(f"not a kind of guess of kb/guesses.py: {how!r}")
    for op in val.ops:
        if not any(op is argument_op for argument_op in beyond):
            op.facts["inferred_from"] = how
    return val


def union(*lists: list[str]) -> list[str]:
    seen: list[str] = []
    for items in lists:
        for item in items:
            if item not in seen:
                seen.append(item)
    return seen


def instance_class(kind: Optional[str]) -> Optional[str]:
    if kind and kind.endswith(")") and "(" in kind and not kind.startswith((MARKER, "grouped", "accessor:")):
        return kind[: kind.index("(")]
    return None


def instance_components(kind: str) -> list[str]:
    inner = kind[kind.index("(") + 1 : -1]
    return [part for part in inner.split(",") if part]


def short(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def library_of(kind: Optional[str]) -> Optional[str]:
    cls = instance_class(kind)
    if cls:
        return cls.split(".", 1)[0]
    return None


def chain_root(node: ast.AST) -> Optional[str]:
    """The variable a chain starts from: `c` of `c.isnull().sum()`, `x` of `x.dropna()`, `df` of `df.loc[m]`;
    `f` of `f(x)[:2]` (a plain function's result is where that chain starts)."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        else:
            return node.id if isinstance(node, ast.Name) else None


def called_root(node: ast.AST) -> Optional[str]:
    """The function whose call a chain starts from: `clean` of `clean(df).rename(...).loc[m]`; None when the chain
    starts from a variable (`df.rename(...)`) or a function only referred to (`f.__name__`)."""
    called = None
    while True:
        if isinstance(node, ast.Call):
            called, node = node, node.func
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            called, node = None, node.value
        else:
            return node.id if isinstance(node, ast.Name) and called is not None else None


def str_const(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def joined_str(node: ast.AST) -> Optional[str]:
    """A string written in the code, also when written in pieces joined with `+` (a long model formula split over
    lines: `"y ~ Pclass + C(Sex) + " + "C(Embarked) + Fare"`)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = joined_str(node.left), joined_str(node.right)
        return left + right if left is not None and right is not None else None
    return str_const(node)


def str_list(node: ast.AST) -> Optional[list[str]]:
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        values = [str_const(e) for e in node.elts]
        if all(v is not None for v in values):
            return [v for v in values if v is not None]
    return None


def casts_to_category(node: ast.Call) -> bool:
    for sub in ast.walk(node):
        if str_const(sub) == "category":
            return True
        if isinstance(sub, ast.Attribute) and sub.attr in ("Categorical", "Enum", "CategoricalDtype"):
            return True
    return False


def is_number(node: ast.AST, env: Optional[dict] = None) -> bool:
    """A number written in the code (`100`, `-1`, `+0.5`); with the cell's env also a name bound to one
    (`decision_prob = 0.2`)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    if isinstance(node, ast.Name) and env is not None:
        return env.get(node.id) == f"{MARKER}number"
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def called_name(func: ast.AST) -> str:
    """`f` for `f(...)`, `m` for `obj.m(...)`, "" for anything else called."""
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def kwarg(call: ast.Call, name: str) -> Optional[ast.AST]:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def is_true(node: Optional[ast.AST]) -> bool:
    return isinstance(node, ast.Constant) and node.value is True



def literal_params(call: ast.Call) -> dict[str, Any]:
    """The keyword arguments of a constructor that are literals: RandomForestClassifier(n_estimators=200,
    max_depth=None) -> {"n_estimators": 200, "max_depth": None}. Others are left out (not guessed)."""
    params: dict[str, Any] = {}
    for item in call.keywords:
        if item.arg is None:
            continue
        try:
            value = ast.literal_eval(item.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
        if isinstance(value, tuple):
            value = list(value)
        if value is None or isinstance(value, (bool, int, float, str, list)) and len(repr(value)) <= 200:
            params[item.arg] = value
    return params


def statistic_key(name: str) -> str:
    """Where the carried context keeps which statistic (kb.STANDARDISING_STATISTICS) `name` was bound to."""
    return f"{MARKER}statistic:{name}"


def answer_key(name: str) -> str:
    """Where the carried context marks that `name` holds an answer about data (`total = df.isnull().sum()`), whatever
    kind of value it is."""
    return f"{MARKER}answer:{name}"


def answer_source_key(name: str) -> str:
    """Where the carried context keeps the data names a number bound to `name` was computed from (`mean =
    np.mean(train.value)` -> train)."""
    return f"{MARKER}answer_of:{name}"


def duplicates_key(name: str) -> str:
    """Where the carried context marks that the notebook looked for repeated rows of the frame `name`
    (`df2[df2.duplicated(["user_id"], keep=False)]` shown): a row dropped by its label afterwards is one of them."""
    return f"{MARKER}duplicates_looked_at:{name}"


def path_key(name: str) -> str:
    """Where the carried context keeps the string `name` was bound to (`path = 'data/x.csv'`): a loader given the
    name reads that file, which the load step names and the sidecar hashes as the experiment's data revision."""
    return f"{MARKER}path:{name}"


def names_bound_otherwise(tree: ast.AST) -> frozenset[str]:
    """Names a cell binds other than by assigning a whole value to the name alone: loop and comprehension variables,
    `with ... as`, function and lambda parameters, `except ... as`, imports, `:=`, `global`, unpacking and augmented
    assignment. A string bound to such a name before is not what it holds where a loader reads it (path_key)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension, ast.AugAssign, ast.NamedExpr)):
            names.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.Assign):
            names.update(n.id for target in node.targets if not isinstance(target, ast.Name)
                         for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            names.update(n.id for n in ast.walk(node.optional_vars) if isinstance(n, ast.Name))
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
    return frozenset(names)


def dict_items_key(name: str) -> str:
    """Where the carried context keeps the kind of the transformers a dict `name` holds (`encoders[col] = LabelEncoder()`)."""
    return f"{MARKER}items:{name}"


def params_key(name: str) -> str:
    """Where the carried context keeps the literal params of the estimator bound to `name`."""
    return f"{MARKER}params:{name}"


def picked_by_condition(op: Op) -> bool:
    """A row filter by a condition (`df[df.g == "a"]`, `.query(...)`) inside an expression, not assigned on its own:
    rows picked to hand to a call. A slice of positions (`y.iloc[:14]`) holds data out, a filter of its own."""
    return op.op == "filter_rows" and op.output is None and op.facts.get("method") != "slice"
