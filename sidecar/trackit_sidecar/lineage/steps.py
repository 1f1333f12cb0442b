"""Static classification of a cell's data operations (a Vamsa-style knowledge base).

`classify_steps(source, aliases)` reads a cell with `ast` and emits one `protocol.Step` per
recognised data operation; what each library call means lives in `lineage/kb/` as data.

Rules (the corpus expectations in tests/corpus follow them):

- A method chain gives one step per recognised call, innermost first:
  `df.dropna().drop_duplicates().reset_index()` -> drop_missing, drop_duplicates, other.
  `reset_index`, `set_index`, `head`, `tail`, `describe`, `info` and `to_csv`-style writes are
  `other`; calls the knowledge base does not know are omitted (no step).
- Inspection is not a transformation: in an expression statement (not assigned) an inspection call
  (`head`, `tail`, `describe`, `info`, `value_counts`, ... kb.INSPECTION_METHODS) and whatever is chained
  after it (`df.describe().T`) give no step, also inside `print(...)` / `display(...)`; `df.shape` /
  `df.dtypes` never do. What runs before it still counts (`df.groupby("k").size().head()` is an
  aggregate). Assigned (`top = df.head()`, `counts = s.value_counts()`) they keep their op.
- Consecutive steps of the same op in one statement merge into one (`.str.strip().str.lower()`
  is one text_clean).
- `groupby(...)` / `resample(...)` / `group_by(...)` plus the reduction after it is ONE aggregate.
- Column assignment `df["x"] = rhs`: the ops found in rhs (fillna -> impute_missing, astype ->
  type_cast, ...) with output `df` and column `x`; an aggregate in rhs (`groupby().transform`) counts
  as derive_feature; rhs with no op is derive_feature. `df.loc[df.x.isna(), "x"] = v` is impute_missing.
- derive_feature of a column assignment: `columns` are only the NEW column(s) written; the columns they
  were computed from are the detail ("from SibSp, Parch"; mask columns of `df.loc[mask, "x"] = v` too).
- A fill value is how, not a step: `fillna(df.groupby(["Sex", "Pclass"])["Age"].transform("median"))`
  is one impute_missing (columns [Age], detail "median by Sex, Pclass"), no aggregate / derive_feature.
- `y = df["target"]` and `X = df[cols]` are select_columns; `df[mask]`, `df.loc[mask]`, `.query()`,
  `.filter()` are filter_rows, or outlier_remove when the mask uses a quantile / std / z-score / IQR
  bound (by call or by a name such as `q1`, `upper`, `iqr`, `z`). `.clip` is outlier_remove.
- scikit-learn: `fit_transform` / `transform` of a transformer give that transformer's op (scaler ->
  scale_normalize, encoder -> encode_categorical, imputer -> impute_missing); `.fit` of a lone
  transformer is not a step (the transform is). `.fit` of a Pipeline / ColumnTransformer / search
  gives one step per transformer inside, then fit_model per final estimator. `.fit` of anything else
  that is not a frame is fit_model. `cross_val_score(pipe, ...)` is only evaluate.
- Kinds of filter: a mask of only `notna()` / `~isna()` / `is_not_null()` is drop_missing,
  `~df.duplicated()` drop_duplicates; `x > x.quantile(0.95)` keeps a tail, so it stays filter_rows.
- `map({...})`, `map(dict_var)` and `apply(lambda x: 1 if x == "Yes" else 0)` encode; other
  map/apply functions derive. `astype("category")` / `cast(pl.Categorical)` encode; a cast of a
  computed value (`(df.n == 1).astype(int)`) is part of deriving it. `(x - x.mean()) / x.std()`,
  min-max and `x / x.sum()` / `df.div(df.sum(axis=1), axis=0)` are scale_normalize.
- polars `with_columns(...)` / pandas `assign(...)`: one step per distinct op among the expressions.
- Operations nested in another call's arguments count (`pd.concat([a.dropna(), b])`), except column
  picks and casts that only feed the call (`model.fit(df[cols], y)`, `le.fit_transform(s.astype(str))`).
- `df.columns = ...` is rename; `for a, b in kf.split(X)` is split; `%timeit` lines are not steps.
- `inplace=True` makes the receiver the output; `model.fit(...)` outputs `model`.
- `model.predict(X)` / `model.score(X, y)`: inputs are the model variable first, then the data; the
  detail is the estimator class (a Pipeline's / search's final estimator), also when `model` was bound
  in an earlier cell (carried in `aliases`).
- encode_categorical's detail names the method: "get_dummies", "OneHotEncoder", "map", "apply",
  "cat.codes", "astype('category')", "cast(pl.Categorical)", "to_dummies", "factorize", ...
- `output` is the assigned name (for a tuple target the first name; `detail` then lists them all),
  `inputs` the data names read (modules, classes, fitted objects and literals excluded, except the
  model of a predict / score),
  `columns` the literal column names involved.

The `aliases` dict carries what earlier cells bound. Values are strings:
  "pandas", "sklearn.preprocessing.StandardScaler"      import aliases (module / class / function)
  "sklearn.preprocessing.StandardScaler()"               a variable holding an instance of that class
  "sklearn.pipeline.Pipeline(a.B,c.D)"                   a composite with its flattened components
  "polars.DataFrame()" / "pandas.DataFrame()"            a variable known to hold a frame of that library
  "trackit:columns:a,b" / "trackit:column:a,b"          a list of column names / a loop variable over them
  "trackit:mask" / "trackit:outlier_mask" / "trackit:bound" / "trackit:dict"
`collect_aliases(source, aliases)` returns the dict after the cell so a caller can carry it on.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field
from typing import Optional

from .. import protocol
from . import kb
from .kb import CONVENTIONAL_ALIASES, LIBRARIES
from .kb import numpy as kb_numpy
from .kb import pandas as kb_pandas
from .kb import polars as kb_polars
from .kb import sklearn as kb_sklearn

__all__ = ["classify_steps", "collect_aliases", "classify_cell"]

_CODE_LIMIT = 300
_TIMEIT_FUNCTION = "__trackit_timeit__"  # magics.TIMEIT_FUNCTION
# .dt methods that give a datetime back (not a component): the column stays a datetime
_DATETIME_CONVERSIONS = frozenset(
    method for accessors in (kb_pandas.ACCESSORS, kb_polars.ACCESSORS)
    for method, op in accessors.get("dt", {}).items() if op == "datetime_parse")
_BUILTIN_NAMES = frozenset(dir(builtins)) | {"display", "get_ipython"}
_MARKER = "trackit:"
# names that, inside a filter mask, mean the bound came from a quantile / IQR / z-score
_BOUND_NAME = re.compile(kb.OUTLIER_BOUND_NAME, re.IGNORECASE)
_BOUND_CALLS = kb.OUTLIER_BOUND_CALLS
_CELL_MAGICS_WITH_PYTHON_BODY = frozenset({"time", "timeit", "capture", "prun", "debug"})
_LOAD_PATH_KEYWORDS = ("filepath_or_buffer", "path", "source", "io", "file", "fname", "path_or_buf", "name",
                       "sql", "query", "uri")


# ---------------------------------------------------------------- public API
def classify_steps(source: str, aliases: Optional[dict[str, str]] = None) -> list[protocol.Step]:
    """Steps of one cell. `aliases` (not modified) is what earlier cells bound; never raises."""
    return classify_cell(source, aliases)[0]


def collect_aliases(source: str, aliases: Optional[dict[str, str]] = None) -> dict[str, str]:
    """`aliases` updated with this cell's imports and variable bindings (a new dict)."""
    return classify_cell(source, aliases)[1]


def classify_cell(source: str, aliases: Optional[dict[str, str]] = None) -> tuple[list[protocol.Step], dict[str, str]]:
    """Both at once: (steps, aliases after the cell). Never raises."""
    # a caller's dict may come from JSON or an older version: keep only what this module wrote
    env = {k: v for k, v in (aliases or {}).items() if isinstance(k, str) and isinstance(v, str)}
    try:
        text = _strip_magics(source)
        tree = ast.parse(text)
    except Exception:  # syntax error, null bytes, recursion: a cell we cannot read has no steps
        return [], env
    cell = _Cell(text, env)
    cell.block(tree.body)
    return cell.steps, cell.env


def _strip_magics(source: str) -> str:
    try:
        from .magics import strip_magics  # written by a colleague; optional at import time
    except Exception:
        return _blank_magics(source)
    try:
        return strip_magics(source)
    except Exception:
        return _blank_magics(source)


def _blank_magics(source: str) -> str:
    """Minimal fallback: blank magic, shell and help lines, keeping line numbers."""
    lines = source.split("\n")
    first = lines[0].lstrip() if lines else ""
    if first.startswith("%%"):
        name = first[2:].split(None, 1)[0] if first[2:].strip() else ""
        if name not in _CELL_MAGICS_WITH_PYTHON_BODY:
            return "\n".join("" for _ in lines)
    out = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")) or stripped.endswith("?") and not stripped.startswith("#"):
            out.append("")
        elif re.match(r"^\s*[A-Za-z_][\w, ]*=\s*[!%]", line):
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)


# ---------------------------------------------------------------- values
@dataclass
class _Op:
    op: str
    inputs: list[str]
    columns: list[str] = field(default_factory=list)
    detail: Optional[str] = None
    output: Optional[str] = None  # set by inplace=True / model.fit: the receiver is mutated
    pick: bool = False  # a column pick by subscript (df[cols]): incidental when it only feeds a call
    display: bool = False  # an inspection (head/describe/...) or chained after one: no step in a bare statement


@dataclass
class _Val:
    """What an expression is, as far as the classifier cares."""

    ops: list[_Op] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # data names this value was computed from
    kind: Optional[str] = None  # import path, "<class>()" instance, "polars.DataFrame()", "grouped", accessor
    base: Optional[str] = None  # the variable at the root of a chain (for inplace output)
    columns: list[str] = field(default_factory=list)  # literal column names touched
    picked_column: bool = False  # df["x"]: one column taken out
    computed: bool = False  # an arithmetic / comparison result, not a stored column or frame
    shown: bool = False  # the result of an inspection call (df.describe()): what follows it only displays too


def _union(*lists: list[str]) -> list[str]:
    seen: list[str] = []
    for items in lists:
        for item in items:
            if item not in seen:
                seen.append(item)
    return seen


def _instance_class(kind: Optional[str]) -> Optional[str]:
    if kind and kind.endswith(")") and "(" in kind and not kind.startswith((_MARKER, "grouped", "accessor:")):
        return kind[: kind.index("(")]
    return None


def _instance_components(kind: str) -> list[str]:
    inner = kind[kind.index("(") + 1 : -1]
    return [part for part in inner.split(",") if part]


def _short(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _library(kind: Optional[str]) -> Optional[str]:
    cls = _instance_class(kind)
    if cls:
        return cls.split(".", 1)[0]
    return None


def _str_const(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _str_list(node: ast.AST) -> Optional[list[str]]:
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        values = [_str_const(e) for e in node.elts]
        if all(v is not None for v in values):
            return [v for v in values if v is not None]
    return None


def _kw(call: ast.Call, name: str) -> Optional[ast.AST]:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _is_true(node: Optional[ast.AST]) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


# ---------------------------------------------------------------- sklearn helpers
def _sklearn_transformer_op(cls_path: str) -> Optional[str]:
    return kb_sklearn.TRANSFORMERS.get(_short(cls_path))


def _is_estimator(cls_path: str) -> bool:
    name = _short(cls_path)
    if name in kb_sklearn.TRANSFORMERS or name in kb_sklearn.COMPOSITES or name in kb_sklearn.SPLITTERS:
        return False
    return name in kb_sklearn.ESTIMATORS or name.endswith(kb_sklearn.ESTIMATOR_SUFFIXES)


def _is_sklearn_name(name: str) -> bool:
    return (
        name in kb_sklearn.TRANSFORMERS or name in kb_sklearn.ESTIMATORS or name in kb_sklearn.COMPOSITES
        or name in kb_sklearn.SPLITTERS or name in kb_sklearn.FUNCTIONS
    )


# ---------------------------------------------------------------- the cell walker
class _Cell:
    def __init__(self, text: str, env: dict[str, str]):
        self.text = text
        self.lines = text.splitlines(keepends=True)  # once per cell: ast.get_source_segment re-splits per call
        self.env = env
        self.steps: list[protocol.Step] = []

    # ---------------------------------------------------------- statements
    def block(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            try:
                self.statement(stmt)
            except Exception:  # RecursionError included: one odd statement must not lose the others' steps
                continue

    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    self.env[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    self.env[top] = top
        elif isinstance(stmt, ast.ImportFrom):
            if stmt.module and not stmt.level:
                for alias in stmt.names:
                    if alias.name != "*":
                        self.env[alias.asname or alias.name] = f"{stmt.module}.{alias.name}"
        elif isinstance(stmt, ast.Assign):
            self.assign(stmt.targets[0], stmt.value, stmt)
            for extra in stmt.targets[1:]:
                self._bind(extra, None, stmt.value)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            self.assign(stmt.target, stmt.value, stmt)
        elif isinstance(stmt, ast.AugAssign):
            val = self.expr(stmt.value)
            self.emit(val.ops, stmt, output=self._target_base(stmt.target))
        elif isinstance(stmt, ast.Expr):
            self.bare(stmt.value, stmt)
        elif isinstance(stmt, ast.Return) and stmt.value is not None:
            self.emit(self.expr(stmt.value).ops, stmt)
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                if isinstance(target, ast.Subscript):
                    base = self._target_base(target)
                    cols = self._slice_columns(target.slice)
                    if base:
                        self.emit([_Op("drop_columns", [base], cols)], stmt, output=base)
                elif isinstance(target, ast.Name):
                    self.env.pop(target.id, None)
        elif isinstance(stmt, ast.For):
            self.emit(self.expr(stmt.iter).ops, stmt, code_node=stmt.iter)  # for a, b in kf.split(X)
            self._bind_loop_var(stmt.target, stmt.iter)
            self.block(stmt.body)
            self.block(stmt.orelse)
        elif isinstance(stmt, (ast.While, ast.If)):
            self.block(stmt.body)
            self.block(stmt.orelse)
        elif isinstance(stmt, ast.With):
            self.block(stmt.body)
        elif isinstance(stmt, ast.Try):
            self.block(stmt.body)
            for handler in stmt.handlers:
                self.block(handler.body)
            self.block(stmt.orelse)
            self.block(stmt.finalbody)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # a helper's body is classified where it is written; magics.py wraps %timeit statements in
            # a function whose effects never reach the namespace, so that one is skipped
            if stmt.name != _TIMEIT_FUNCTION:
                self.block(stmt.body)

    def _bind_loop_var(self, target: ast.AST, iterable: ast.AST) -> None:
        if not isinstance(target, ast.Name):
            return
        cols = _str_list(iterable)
        if cols is None and isinstance(iterable, ast.Name):
            marker = self.env.get(iterable.id, "")
            if marker.startswith(_MARKER + "columns:"):
                cols = marker.split(":", 2)[2].split(",")
        if cols is not None:
            self.env[target.id] = f"{_MARKER}column:{','.join(cols)}"
        else:
            self.env.pop(target.id, None)

    def assign(self, target: ast.AST, value: ast.AST, stmt: ast.stmt) -> None:
        val = self.expr(value)
        # df["x"] = ..., df.loc[rows, "x"] = ..., df[["a", "b"]] = ...
        if isinstance(target, ast.Subscript):
            self.column_assign(target, value, val, stmt)
            return
        if isinstance(target, ast.Attribute):
            base = self._target_base(target)
            ops = list(val.ops)
            if target.attr == "columns" and base and self._is_data(base):
                # df.columns = df.columns.str.lower(): the string work on names is the renaming
                ops = [_Op("rename", [base])]
            self.emit(ops, stmt, output=base)
            return
        names = self._target_names(target)
        output = names[0] if names else None
        ops = list(val.ops)
        if val.picked_column and not ops:
            ops = [_Op("select_columns", val.inputs, val.columns)]
        if not ops and (self._is_standardisation(value) or self._is_share_of_total(value)):
            ops = [_Op("scale_normalize", val.inputs, val.columns)]
        detail = None
        if len(names) > 1:
            detail = "outputs: " + ", ".join(names)
        self.emit(ops, stmt, output=output, tuple_detail=detail)
        self._bind(target, val, value)

    def column_assign(self, target: ast.Subscript, value: ast.AST, val: _Val, stmt: ast.stmt) -> None:
        base = self._target_base(target)
        slice_node = target.slice
        rows_mask: Optional[ast.AST] = None
        if isinstance(target.value, ast.Attribute) and target.value.attr in ("loc", "iloc", "at", "iat"):
            if isinstance(slice_node, ast.Tuple) and len(slice_node.elts) == 2:
                rows_mask, slice_node = slice_node.elts
            else:
                rows_mask, slice_node = slice_node, None
        cols = self._slice_columns(slice_node) if slice_node is not None else []
        ops: list[_Op] = []
        if self._is_datetime_component(value):
            # df["hour"] = pd.to_datetime(df.ts).dt.hour: the new column is a feature; parsing is on the way
            val.ops = []
        mask_columns = self.expr(rows_mask).columns if rows_mask is not None else []
        for op in val.ops:
            if op.op in ("filter_rows", "select_columns", "sort", "other"):
                continue  # part of computing the new values, not a step on the frame
            if op.op == "aggregate":
                op = _Op("derive_feature", op.inputs, op.columns, op.detail)
            if op.op == "derive_feature":
                op = self._derived_into(op, cols, _union(val.columns, mask_columns))
            ops.append(op)
        if not ops:
            op_name = "derive_feature"
            if rows_mask is not None and self._mask_tests_missing(rows_mask):
                op_name = "impute_missing"
            elif self._is_standardisation(value) or self._is_share_of_total(value):
                op_name = "scale_normalize"
            inputs = _union([base] if base else [], val.inputs)
            ops = [_Op(op_name, inputs, list(val.columns))]
            if op_name == "derive_feature":
                ops = [self._derived_into(ops[0], cols, mask_columns)]
        self.emit(ops, stmt, output=base, extra_columns=cols)

    @staticmethod
    def _derived_into(op: _Op, written: list[str], sources: list[str]) -> _Op:
        """derive_feature of `df[written] = ...`: `columns` are the new columns only; the columns they were
        computed from go to the detail ("from SibSp, Parch")."""
        origin = [c for c in _union(op.columns, sources) if c not in written]
        detail = op.detail or (f"from {', '.join(origin)}" if origin else None)
        return _Op("derive_feature", op.inputs, list(written), detail, op.output, op.pick, op.display)

    @staticmethod
    def _is_datetime_component(node: ast.AST) -> bool:
        """x.dt.hour / x.dt.day_name(): a field taken out of a datetime."""
        if isinstance(node, ast.Call):
            node = node.func
        return (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                and node.value.attr == "dt" and node.attr not in _DATETIME_CONVERSIONS)

    def bare(self, node: ast.AST, stmt: ast.stmt) -> None:
        val = self.expr(node)
        # df.head() / df["x"].describe() / print(df.value_counts()) only show data; an inplace call
        # (its op has an output) still changes its receiver and stays a step
        self.emit([op for op in val.ops if not (op.display and op.output is None)], stmt)

    def emit(self, ops: list[_Op], stmt: ast.stmt, output: Optional[str] = None,
             extra_columns: Optional[list[str]] = None, tuple_detail: Optional[str] = None,
             code_node: Optional[ast.AST] = None) -> None:
        if not ops:
            return
        code = self.segment(code_node or stmt)
        if len(code) > _CODE_LIMIT:
            code = code[: _CODE_LIMIT - 1] + "\u2026"
        merged: list[protocol.Step] = []
        for op in ops:
            step_output = op.output or output
            columns = _union(op.columns, extra_columns or [])
            detail = op.detail if op.detail is not None else tuple_detail
            previous = merged[-1] if merged else None
            if previous is not None and previous.op == op.op and previous.output == step_output:
                previous.columns = _union(previous.columns, columns)
                previous.inputs = _union(previous.inputs, op.inputs)
                if op.op == "encode_categorical" and detail and detail != previous.detail:
                    # astype("category").cat.codes: both methods name how it was encoded
                    previous.detail = f"{previous.detail}, {detail}" if previous.detail else detail
                continue
            merged.append(protocol.Step(
                op=op.op, inputs=[name for name in op.inputs if name], output=step_output, columns=columns,
                code=code, line=getattr(stmt, "lineno", None), detail=detail,
            ))
        self.steps.extend(merged)

    def segment(self, node: ast.AST) -> str:
        """Source text of a node (what ast.get_source_segment returns), from the pre-split lines."""
        try:
            first, last = node.lineno - 1, node.end_lineno - 1  # type: ignore[attr-defined]
            start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
            if first == last:
                return self.lines[first].encode()[start:end].decode(errors="replace")
            head = self.lines[first].encode()[start:].decode(errors="replace")
            tail = self.lines[last].encode()[:end].decode(errors="replace")
            return head + "".join(self.lines[first + 1:last]) + tail
        except (AttributeError, IndexError, TypeError):
            return ""

    # ---------------------------------------------------------- bindings carried in env
    def _target_names(self, target: ast.AST) -> list[str]:
        if isinstance(target, ast.Name):
            return [target.id]
        if isinstance(target, (ast.Tuple, ast.List)):
            names: list[str] = []
            for elt in target.elts:
                names.extend(self._target_names(elt))
            return names
        if isinstance(target, ast.Starred):
            return self._target_names(target.value)
        return []

    def _target_base(self, target: ast.AST) -> Optional[str]:
        while isinstance(target, (ast.Subscript, ast.Attribute)):
            target = target.value
        return target.id if isinstance(target, ast.Name) else None

    def _bind(self, target: ast.AST, val: Optional[_Val], value: ast.AST) -> None:
        if not isinstance(target, ast.Name):
            # lo, hi = np.percentile(x, [1, 99]): both names are bounds for a later filter
            bound = val is not None and not val.ops and self._mentions_bound(value)
            for name in self._target_names(target):
                if bound:
                    self.env[name] = f"{_MARKER}bound"
                else:
                    self.env.pop(name, None)
            return
        name = target.id
        kind = self._binding_kind(val, value)
        if kind is None:
            self.env.pop(name, None)
        else:
            self.env[name] = kind

    def _binding_kind(self, val: Optional[_Val], value: ast.AST) -> Optional[str]:
        cols = _str_list(value)
        if cols is not None:
            return f"{_MARKER}columns:{','.join(cols)}"
        if isinstance(value, ast.Dict):
            return f"{_MARKER}dict"
        if val is None:
            return None
        if val.kind and (_instance_class(val.kind) or val.kind.startswith(_MARKER)):
            return val.kind
        if self._is_mask(value):
            return f"{_MARKER}outlier_mask" if self._mask_is_outlier(value) else f"{_MARKER}mask"
        if not val.ops and self._mentions_bound(value):
            return f"{_MARKER}bound"
        return None

    # ---------------------------------------------------------- expressions
    def resolve_name(self, name: str) -> Optional[str]:
        if name in self.env:
            return self.env[name]
        if name in CONVENTIONAL_ALIASES:
            return CONVENTIONAL_ALIASES[name]
        if _is_sklearn_name(name):
            return f"sklearn.{name}"
        return None

    def _is_data(self, name: str) -> bool:
        kind = self.resolve_name(name)
        if kind is None:
            return name not in _BUILTIN_NAMES
        if kind.startswith(_MARKER):
            return False
        cls = _instance_class(kind)
        return bool(cls) and cls.split(".", 1)[0] in ("pandas", "polars", "numpy")

    def expr(self, node: Optional[ast.AST]) -> _Val:
        if node is None:
            return _Val()
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return self._merge([self.expr(e) for e in node.elts])
        if isinstance(node, ast.Starred):
            return self.expr(node.value)
        if isinstance(node, ast.Dict):
            return self._merge([self.expr(v) for v in node.values])
        if isinstance(node, ast.BinOp):
            merged = self._merge([self.expr(node.left), self.expr(node.right)])
            merged.kind = None
            merged.computed = True
            merged.picked_column = False
            return merged
        if isinstance(node, (ast.BoolOp, ast.Compare, ast.UnaryOp, ast.IfExp)):
            children = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
            merged = self._merge([self.expr(c) for c in children])
            merged.kind = None
            merged.computed = True
            merged.picked_column = False
            return merged
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            # [pd.read_csv(p) for p in paths]: the element's operations happen once per item
            elt = self.expr(node.elt)
            return _Val(ops=elt.ops, inputs=[i for i in elt.inputs if not self._is_comprehension_var(node, i)])
        if isinstance(node, (ast.Lambda, ast.DictComp)):
            return _Val()  # bodies run per element; their names are loop locals
        if isinstance(node, ast.Await):
            return self.expr(node.value)
        return _Val()

    @staticmethod
    def _is_comprehension_var(node: ast.AST, name: str) -> bool:
        return any(isinstance(t, ast.Name) and t.id == name
                   for gen in getattr(node, "generators", []) for t in ast.walk(gen.target))

    def _merge(self, vals: list[_Val]) -> _Val:
        out = _Val()
        for val in vals:
            out.ops.extend(val.ops)
            out.inputs = _union(out.inputs, val.inputs)
            out.columns = _union(out.columns, val.columns)
            if out.base is None:
                out.base = val.base
        if len(vals) == 1:
            out.kind = vals[0].kind
            out.picked_column = vals[0].picked_column
            out.computed = vals[0].computed
        return out

    def name(self, node: ast.Name) -> _Val:
        kind = self.resolve_name(node.id)
        if kind is None:
            if node.id in _BUILTIN_NAMES:
                return _Val()
            return _Val(inputs=[node.id], base=node.id)
        if kind.startswith(_MARKER):
            return _Val(kind=kind)
        cls = _instance_class(kind)
        if cls is not None:
            if self._is_data(node.id):
                return _Val(inputs=[node.id], base=node.id, kind=kind)
            return _Val(kind=kind, base=node.id)  # a fitted object: not data
        return _Val(kind=kind)  # an import path

    def attribute(self, node: ast.Attribute) -> _Val:
        recv = self.expr(node.value)
        if self._is_path(recv.kind):
            return _Val(kind=f"{recv.kind}.{node.attr}")
        out = _Val(ops=list(recv.ops), inputs=list(recv.inputs), base=recv.base, columns=list(recv.columns),
                   shown=recv.shown)
        if node.attr == "columns" and out.ops and out.ops[-1].op == "select_columns":
            out.ops.pop()  # df.select_dtypes("number").columns: choosing names, not data
        accessor = self._accessor(recv.kind)
        if accessor is not None:
            lib, acc = accessor
            op = self._accessor_table(lib, acc).get(node.attr)  # .cat.codes is an attribute
            if op:
                detail = f"{acc}.{node.attr}" if op == "encode_categorical" else None
                out.ops.append(_Op(op, recv.inputs, recv.columns, detail, display=recv.shown))
            out.kind = self._frame_kind(lib)
            return out
        if node.attr in ("str", "dt", "cat", "list", "arr", "name") and recv.inputs:
            lib = _library(recv.kind) or "pandas"
            out.kind = f"accessor:{lib}:{node.attr}"
            return out
        attr_op = kb_pandas.ATTRIBUTES.get(node.attr)
        if attr_op and recv.inputs:
            out.ops.append(_Op(attr_op, recv.inputs, recv.columns, display=recv.shown))
        out.kind = recv.kind if _library(recv.kind) in ("pandas", "polars", "numpy") else None
        if node.attr not in ("values", "index", "columns", "shape", "dtypes", "loc", "iloc", "at", "iat", "T"):
            # df.age inside an expression: a column by attribute access
            if recv.inputs and not node.attr.startswith("_"):
                out.columns = _union(out.columns, [node.attr])
        return out

    @staticmethod
    def _is_path(kind: Optional[str]) -> bool:
        return bool(kind) and not kind.startswith((_MARKER, "accessor:", "grouped")) and _instance_class(kind) is None

    @staticmethod
    def _accessor(kind: Optional[str]) -> Optional[tuple[str, str]]:
        if kind and kind.startswith("accessor:"):
            _, lib, acc = kind.split(":", 2)
            return lib, acc
        return None

    @staticmethod
    def _accessor_table(lib: str, acc: str) -> dict[str, Optional[str]]:
        primary = kb_polars.ACCESSORS if lib == "polars" else kb_pandas.ACCESSORS
        secondary = kb_pandas.ACCESSORS if lib == "polars" else kb_polars.ACCESSORS
        table = dict(secondary.get(acc, {}))
        table.update(primary.get(acc, {}))
        return table

    @staticmethod
    def _frame_kind(lib: Optional[str]) -> Optional[str]:
        if lib == "polars":
            return "polars.DataFrame()"
        if lib == "numpy":
            return "numpy.ndarray()"
        if lib == "pandas":
            return "pandas.DataFrame()"
        return None

    # ---------------------------------------------------------- subscripts
    def subscript(self, node: ast.Subscript) -> _Val:
        indexer: Optional[str] = None
        if isinstance(node.value, ast.Attribute) and node.value.attr in ("loc", "iloc", "at", "iat"):
            recv = self.expr(node.value.value)
            indexer = node.value.attr
        else:
            recv = self.expr(node.value)
        if self._is_path(recv.kind):  # np.r_[a, b], typing generics
            path = recv.kind or ""
            if _short(path) in ("c_", "r_"):
                items = self.expr(node.slice)
                return _Val(ops=items.ops + [_Op("concat", items.inputs)], inputs=items.inputs,
                            kind="numpy.ndarray()")
            return _Val()
        out = _Val(ops=list(recv.ops), inputs=list(recv.inputs), base=recv.base, kind=recv.kind,
                   columns=list(recv.columns), shown=recv.shown)
        if not recv.inputs and recv.kind and not recv.kind.startswith(_MARKER):
            return out  # subscript of a fitted object / module attribute: nothing to say
        if recv.ops and recv.ops[-1].op in ("predict", "evaluate", "split"):
            return out  # model.predict_proba(X)[:, 1]: picking from a result, not selecting data columns
        rows: Optional[ast.AST]
        cols: Optional[ast.AST]
        slice_node = node.slice
        if indexer is not None:
            if isinstance(slice_node, ast.Tuple) and len(slice_node.elts) == 2:
                rows, cols = slice_node.elts
            else:
                rows, cols = slice_node, None
        elif self._is_mask(slice_node):
            rows, cols = slice_node, None
        else:
            rows, cols = None, slice_node
        if rows is not None and not (isinstance(rows, ast.Slice) and rows.lower is None and rows.upper is None):
            if self._is_mask(rows):
                mask_val = self.expr(rows)
                op = self._mask_op(rows)
                out.ops.append(_Op(op, recv.inputs, _union(mask_val.columns), display=recv.shown))
            elif indexer in ("iloc", "loc") and isinstance(rows, ast.Slice):
                out.ops.append(_Op("filter_rows", recv.inputs, display=recv.shown))
        if cols is not None and indexer in ("iloc", "loc") and self._positional_columns_slice(cols):
            out.ops.append(_Op("select_columns", recv.inputs, self._slice_columns(cols), pick=True,
                               display=recv.shown))
        elif cols is not None:
            single = _str_const(cols)
            col_list = self._slice_columns(cols)
            if (recv.kind or "").startswith("grouped") and out.ops:
                # df.groupby("k")["v"].mean(): the aggregated column belongs to the groupby step
                out.ops[-1].columns = _union(out.ops[-1].columns, col_list)
                return out
            if single is not None or self._is_single_column_name(cols):
                out.columns = _union(out.columns, col_list)
                out.picked_column = True
            elif col_list or self._names_column_list(cols):
                out.ops.append(_Op("select_columns", recv.inputs, col_list, pick=True, display=recv.shown))
        return out

    @staticmethod
    def _positional_columns_slice(node: ast.AST) -> bool:
        """df.iloc[:, :-1] / df.iloc[:, 3] / df.loc[:, "a":"c"]: columns by position or range."""
        if isinstance(node, ast.Slice):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return True
        if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
            return True
        return isinstance(node, (ast.List, ast.Tuple)) and bool(node.elts) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, int) for e in node.elts)

    def _is_single_column_name(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            marker = self.env.get(node.id, "")
            return marker.startswith(_MARKER + "column:") or (not marker and node.id not in self.env)
        return False

    def _names_column_list(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return self.env.get(node.id, "").startswith(_MARKER + "columns:")
        if isinstance(node, (ast.List, ast.Tuple)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "list":
            return True
        if isinstance(node, ast.BinOp):  # num_cols + cat_cols
            return self._names_column_list(node.left) or self._names_column_list(node.right)
        return False

    def _slice_columns(self, node: Optional[ast.AST]) -> list[str]:
        if node is None:
            return []
        single = _str_const(node)
        if single is not None:
            return [single]
        many = _str_list(node)
        if many is not None:
            return many
        if isinstance(node, ast.Name):
            marker = self.env.get(node.id, "")
            if marker.startswith((_MARKER + "columns:", _MARKER + "column:")):
                return marker.split(":", 2)[2].split(",")
        if isinstance(node, ast.BinOp):
            return _union(self._slice_columns(node.left), self._slice_columns(node.right))
        return []

    # ---------------------------------------------------------- masks
    def _is_mask(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Compare):
            return True
        if isinstance(node, ast.BoolOp):
            return True
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not)):
            return True
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr, ast.BitXor)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return node.func.attr in kb_pandas.MASK_METHODS
        if isinstance(node, ast.Name):
            return self.env.get(node.id, "") in (f"{_MARKER}mask", f"{_MARKER}outlier_mask")
        return False

    def _mask_op(self, node: ast.AST) -> str:
        """filter_rows, or what kind of filter: df[df.x.notna()] drops missing, df[~df.duplicated()] duplicates."""
        if self._mask_is_outlier(node):
            return "outlier_remove"
        tests = self._mask_tests(node)
        if tests and tests <= kb.PRESENT_TESTS:
            return "drop_missing"
        if tests == {"~duplicated"}:
            return "drop_duplicates"
        return "filter_rows"

    def _mask_tests(self, node: ast.AST) -> set[str]:
        """The predicate methods a mask is made of (None of them if anything else is compared)."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd):
            left, right = self._mask_tests(node.left), self._mask_tests(node.right)
            return left | right if left and right else set()
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
            inner = node.operand
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
                if inner.func.attr == "duplicated":
                    return {"~duplicated"}
                if inner.func.attr in kb.MISSING_TESTS:
                    return {"notna"}  # ~df.x.isna(), ~np.isnan(a)
            return set()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args:
            return {node.func.attr}
        return set()

    def _mask_is_outlier(self, node: ast.AST) -> bool:
        if self._selects_a_tail(node):
            return False
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                if self.env.get(sub.id, "") in (f"{_MARKER}bound", f"{_MARKER}outlier_mask"):
                    return True
                if _BOUND_NAME.search(sub.id):
                    return True
        return self._mentions_bound(node)

    @staticmethod
    def _selects_a_tail(node: ast.AST) -> bool:
        """x > x.quantile(0.95) keeps the extremes (a filter), where x < x.quantile(0.95) drops them."""
        if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
            return False
        bound = node.comparators[0]
        if not (isinstance(bound, ast.Call) and isinstance(bound.func, ast.Attribute)
                and bound.func.attr == "quantile" and bound.args):
            return False
        q = bound.args[0]
        if not (isinstance(q, ast.Constant) and isinstance(q.value, (int, float))):
            return False
        op = node.ops[0]
        return (isinstance(op, (ast.Gt, ast.GtE)) and q.value >= 0.5) or (isinstance(op, (ast.Lt, ast.LtE)) and q.value < 0.5)

    @staticmethod
    def _mentions_bound(node: ast.AST) -> bool:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                func = sub.func
                name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                if name in _BOUND_CALLS:
                    return True
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value:
                # df.query("price < @upper"): names inside the query string
                for word in re.findall(r"[A-Za-z_]\w*", sub.value):
                    if _BOUND_NAME.search(word) and len(sub.value) < 200:
                        return True
        return False

    @staticmethod
    def _mask_tests_missing(node: ast.AST) -> bool:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
                if sub.func.attr in kb.MISSING_TESTS:
                    return True
        return False

    @staticmethod
    def _is_total_of(node: ast.AST, base: Optional[str]) -> bool:
        """basket.sum(axis=1) for receiver basket: dividing by it normalises to shares."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("sum", "max", "norm")):
            return False
        root = node.func.value
        while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
            root = root.func if isinstance(root, ast.Call) else root.value
        return isinstance(root, ast.Name) and (base is None or root.id == base)

    def _is_share_of_total(self, node: ast.AST) -> bool:
        """x / x.sum(): values as shares of their total."""
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
            return False
        left_root = node.left
        while isinstance(left_root, (ast.Attribute, ast.Subscript, ast.Call)):
            left_root = left_root.func if isinstance(left_root, ast.Call) else left_root.value
        return isinstance(left_root, ast.Name) and self._is_total_of(node.right, left_root.id)

    @staticmethod
    def _is_standardisation(node: ast.AST) -> bool:
        """(x - x.mean()) / x.std()  or  (x - x.min()) / (x.max() - x.min())."""
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
            return False
        left = node.left
        if not (isinstance(left, ast.BinOp) and isinstance(left.op, ast.Sub)):
            return False
        calls = {sub.func.attr for sub in ast.walk(node)
                 if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)}
        return {"mean", "std"} <= calls or {"min", "max"} <= calls

    # ---------------------------------------------------------- calls
    def call(self, node: ast.Call) -> _Val:
        func = node.func
        if isinstance(func, ast.Attribute):
            recv = self.expr(func.value)
            if self._is_path(recv.kind):
                return self.function_call(f"{recv.kind}.{func.attr}", node)
            return self.method_call(recv, func.attr, node)
        f = self.expr(func)
        if self._is_path(f.kind):
            return self.function_call(f.kind or "", node)
        # a user function, a builtin, a fitted object called: its arguments may hold steps
        args = self._args(node)
        if isinstance(func, ast.Name) and func.id in _BUILTIN_NAMES:
            return _Val(ops=args.ops)
        return _Val(ops=f.ops + args.ops, inputs=_union(f.inputs, args.inputs))

    def _args(self, node: ast.Call) -> _Val:
        values = [self.expr(a) for a in node.args] + [self.expr(k.value) for k in node.keywords]
        merged = self._merge(values) if values else _Val()
        # model.fit(df[features], df["y"]): picking the columns to pass is not a step of its own
        # le.fit_transform(df[c].astype(str)): the cast only feeds the call's own operation
        merged.ops = [op for op in merged.ops if not (op.pick or op.op == "type_cast")]
        merged.kind = None
        merged.picked_column = False
        return merged

    def function_call(self, path: str, node: ast.Call) -> _Val:
        lib = path.split(".", 1)[0]
        rel = path.split(".", 1)[1] if "." in path else path
        args = self._args(node)
        inputs = args.inputs
        if lib == "sklearn":
            return self.sklearn_function(path, node, args)
        module = LIBRARIES.get(lib)
        table = getattr(module, "FUNCTIONS", {}) if module else {}
        op = table.get(rel, table.get(_short(rel)))
        if op is None:
            if module is not None and lib in ("pandas", "polars", "numpy"):
                # constructors (pd.DataFrame, np.array) make frames; pl.col / pl.lit make expressions
                makes_frame = _short(rel)[:1].isupper() or lib == "numpy"
                return _Val(ops=args.ops, inputs=inputs, kind=self._frame_kind(lib) if makes_frame else None)
            # an unknown library's class/function: remember instances of classes (xgb.XGBClassifier())
            if _short(path)[:1].isupper():
                return _Val(ops=args.ops, kind=f"{path}()")
            return _Val(ops=args.ops, inputs=inputs)
        columns = _union(args.columns, self._keyword_columns(node))
        detail: Optional[str] = None
        if op == "load":
            detail = self._load_detail(node) or _short(rel)
            inputs = []
        elif op == "join":
            detail = self._join_key(node)
        elif op == "encode_categorical":
            columns = _union(columns, self._keyword_columns(node, ("columns",)))
            detail = _short(rel)  # get_dummies / Categorical / factorize
        elif op == "derive_feature" and any(a.op in ("evaluate", "predict") for a in args.ops):
            return _Val(ops=args.ops)  # np.sqrt(mean_squared_error(...)): arithmetic on a metric
        result = _Val(ops=args.ops + [_Op(op, inputs, columns, detail)], inputs=inputs,
                      kind=self._frame_kind(lib), columns=columns)
        if lib == "seaborn":
            result.kind = "pandas.DataFrame()"
        return result

    def sklearn_function(self, path: str, node: ast.Call, args: _Val) -> _Val:
        name = _short(path)
        if name in kb_sklearn.COMPOSITES:
            components = self._components(node)
            return _Val(ops=[], kind=f"{path}({','.join(components)})")
        op = kb_sklearn.FUNCTIONS.get(name)
        if op is None and (name in kb_sklearn.TRANSFORMERS or name in kb_sklearn.SPLITTERS or _is_estimator(name)
                           or name[:1].isupper()):
            return _Val(ops=[], kind=f"{path}()")  # a constructor: the object is bound, its methods act
        if op is None:
            for prefix, prefixed_op in kb_sklearn.FUNCTION_PREFIXES.items():
                if name.startswith(prefix):
                    op = prefixed_op
        if op is None:
            return _Val(ops=args.ops, inputs=args.inputs)
        inputs = [i for i in args.inputs]
        # split: None, so a tuple target's names become the detail (output holds only the first)
        detail = name if op in ("evaluate", "load", "encode_categorical") else None
        if op == "load":
            inputs = []
        return _Val(ops=args.ops + [_Op(op, inputs, [], detail)], inputs=inputs,
                    kind="pandas.DataFrame()" if op == "load" else None)

    def _components(self, node: ast.Call) -> list[str]:
        """Flattened class paths of the transformers/estimators inside a composite's arguments."""
        found: list[str] = []

        def visit(item: ast.AST) -> None:
            if isinstance(item, ast.Call):
                target = self.expr(item.func)
                path = target.kind if self._is_path(target.kind) else None
                if path and _short(path) in kb_sklearn.COMPOSITES:
                    inner = self._components(item)
                    found.extend(inner)
                    return
                if path:
                    found.append(path)
                    return
                for arg in list(item.args) + [k.value for k in item.keywords]:
                    visit(arg)
            elif isinstance(item, ast.Name):
                kind = self.env.get(item.id, "")
                cls = _instance_class(kind)
                if cls and _short(cls) in kb_sklearn.COMPOSITES:
                    found.extend(_instance_components(kind))
                elif cls:
                    found.append(cls)
            elif isinstance(item, (ast.List, ast.Tuple)):
                for elt in item.elts:
                    visit(elt)

        for arg in list(node.args) + [k.value for k in node.keywords
                                       if k.arg in ("steps", "transformers", "estimator", "transformer_list",
                                                    "regressor")]:
            visit(arg)
        return found

    def method_call(self, recv: _Val, method: str, node: ast.Call) -> _Val:
        out = self._method_call(recv, method, node)
        if recv.shown or method in kb.INSPECTION_METHODS:
            # df.describe().T / df["x"].value_counts().sort_index(): showing data, step by step
            start = len(recv.ops)
            if method in kb.INSPECTION_METHODS and (recv.kind or "").startswith("grouped") and recv.ops \
                    and recv.ops[-1].op == "aggregate":
                start -= 1  # df.groupby("k")["v"].describe(): the groupby is part of the display
            for op in out.ops[max(start, 0):]:
                op.display = True
            out.shown = True
        return out

    def _method_call(self, recv: _Val, method: str, node: ast.Call) -> _Val:
        cls = _instance_class(recv.kind)
        if cls and cls.split(".", 1)[0] not in ("pandas", "polars", "numpy"):
            return self.object_method(recv, cls, method, node)
        accessor = self._accessor(recv.kind)
        args = self._args(node)
        arg_ops = [] if method in ("with_columns", "with_column", "assign") else args.ops  # classified per expression below
        out = _Val(ops=list(recv.ops) + arg_ops, inputs=list(recv.inputs), base=recv.base,
                   columns=list(recv.columns))
        if accessor is not None:
            lib, acc = accessor
            op = self._accessor_table(lib, acc).get(method)
            if op:
                detail = f"{acc}.{method}" if op == "encode_categorical" else None
                out.ops.append(_Op(op, recv.inputs, recv.columns, detail))
            out.kind = self._frame_kind(lib)
            return out
        lib = _library(recv.kind)
        if recv.kind == "grouped" or (recv.kind or "").startswith("grouped:"):
            if method in kb_pandas.GROUP_REDUCERS:
                out.kind = "pandas.DataFrame()" if recv.kind == "grouped" else recv.kind.split(":", 1)[1]
                return out  # absorbed into the groupby step
            lib = None if recv.kind == "grouped" else _library(recv.kind.split(":", 1)[1])
        if not recv.inputs and not recv.kind:
            # method on something we know nothing about (a literal, a call result of unknown code)
            if method in ("fit",):
                return self.object_method(recv, "", method, node)
            if method in kb_sklearn.METHODS and kb_sklearn.METHODS[method]:
                return self.object_method(recv, "", method, node)
            return out
        op, lib_used = self._frame_method_op(lib, method, node)
        if op == "type_cast" and recv.computed:
            op = None  # (df.x == 1).astype(int) builds a feature; the cast is incidental
        if op == "type_cast" and self._casts_to_category(node):
            op = "encode_categorical"
        if method == "map" and lib_used != "polars":
            op = self._map_op(node)
        if method == "apply" and node.args and isinstance(node.args[0], ast.Lambda) \
                and self._recodes_a_label(node.args[0].body):
            op = "encode_categorical"
        if method in ("div", "divide", "truediv") and node.args and self._is_total_of(node.args[0], recv.base):
            op = "scale_normalize"
        if method in ("fit", "fit_transform", "transform") and op is None:
            return self.object_method(recv, "", method, node)
        if op is None and method in kb_sklearn.METHODS and kb_sklearn.METHODS[method]:
            return self.object_method(recv, "", method, node)
        out.kind = self._frame_kind(lib_used or lib) if (lib_used or lib) else recv.kind
        if op is None:
            if method in ("to_pandas",):
                out.kind = "pandas.DataFrame()"
            return out
        columns = _union(self._keyword_columns(node), self._positional_columns(node, method))
        inputs = _union(recv.inputs, args.inputs if op in ("join", "concat") else [])
        detail: Optional[str] = None
        if op == "join":
            detail = self._join_key(node)
        elif op == "other" and method.startswith(("to_", "write_", "sink_")):
            detail = self._load_detail(node)
        elif op == "encode_categorical":
            detail = self._encode_method(method, node)
        elif op == "impute_missing":
            fill_value_ops = [o for o in arg_ops if o.op == "aggregate"]
            if fill_value_ops:
                # fillna(df.groupby(keys)[c].transform("median")): the group statistic is how the gaps are
                # filled (the detail), not a step of its own
                out.ops = [o for o in out.ops if all(o is not f for f in fill_value_ops)]
            if fill_value_ops and method == "fillna":
                detail = self._group_fill_detail(node)
        if op == "filter_rows" and method == "filter" and lib_used != "polars":
            if any(_kw(node, key) is not None for key in ("items", "like", "regex")):
                op = "select_columns"
        if op == "filter_rows" and method == "drop":
            op = self._drop_op(lib_used or lib, node)
        if op == "filter_rows" and method == "filter" and len(node.args) == 1 and self._is_mask(node.args[0]):
            op = self._mask_op(node.args[0])
        elif op == "filter_rows" and self._mask_is_outlier(node):
            op = "outlier_remove"
        produced: list[_Op] = []
        if method in ("with_columns", "with_column", "assign"):
            produced = self._expression_ops(node, recv.inputs)
        if not produced:
            produced = [_Op(op, inputs, _union(recv.columns, columns), detail)]
        if _is_true(_kw(node, "inplace")) and recv.base:
            for item in produced:
                item.output = recv.base
        out.ops.extend(produced)
        out.inputs = inputs
        if op == "aggregate" and method in kb.GROUPING_METHODS:
            out.kind = "grouped" if not lib_used or lib_used == "pandas" else f"grouped:{self._frame_kind(lib_used)}"
        if op == "derive_feature" and method in kb.WINDOW_METHODS:
            out.kind = "grouped"
        return out

    def _frame_method_op(self, lib: Optional[str], method: str, node: ast.Call) -> tuple[Optional[str], Optional[str]]:
        """Look the method up in the receiver's library table first, then the others."""
        order = {"polars": ("polars", "pandas", "numpy"), "numpy": ("numpy", "pandas", "polars")}.get(
            lib or "", ("pandas", "polars", "numpy"))
        tables = {"pandas": kb_pandas.METHODS, "polars": kb_polars.METHODS, "numpy": kb_numpy.METHODS}
        for name in order:
            table = tables[name]
            if method in table:
                return table[method], name
        return None, None

    @staticmethod
    def _casts_to_category(node: ast.Call) -> bool:
        for sub in ast.walk(node):
            if _str_const(sub) == "category":
                return True
            if isinstance(sub, ast.Attribute) and sub.attr in ("Categorical", "Enum"):
                return True
        return False

    @staticmethod
    def _encode_method(method: str, node: ast.Call) -> str:
        """How a method call encodes, for the step's detail: `map`, `astype('category')`, `cast(pl.Categorical)`."""
        if method in ("astype", "cast") and node.args:
            try:
                return f"{method}({ast.unparse(node.args[0])})"
            except Exception:
                return method
        return method

    def _group_fill_detail(self, node: ast.Call) -> Optional[str]:
        """fillna(df.groupby(["Sex", "Pclass"])["Age"].transform("median")) -> "median by Sex, Pclass"."""
        head = node.args[0] if node.args else _kw(node, "value")
        while isinstance(head, ast.Subscript):  # ...transform(...)["Age"]
            head = head.value
        if not (isinstance(head, ast.Call) and isinstance(head.func, ast.Attribute)):
            return None
        statistic: Optional[str] = head.func.attr
        if statistic in ("transform", "agg", "aggregate"):
            statistic = _str_const(head.args[0]) if head.args else None
        elif statistic not in kb_pandas.GROUP_REDUCERS and statistic != "mode":
            statistic = None
        keys: list[str] = []
        for sub in ast.walk(head):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) \
                    and sub.func.attr in kb.GROUPING_METHODS:
                by = sub.args[0] if sub.args else _kw(sub, "by")
                keys = self._slice_columns(by)
                break
        return f"{statistic} by {', '.join(keys)}" if statistic and keys else None

    def _drop_op(self, lib: Optional[str], node: ast.Call) -> str:
        if lib == "polars":
            return "drop_columns"
        if _kw(node, "columns") is not None:
            return "drop_columns"
        axis = _kw(node, "axis")
        if isinstance(axis, ast.Constant) and axis.value in (1, "columns"):
            return "drop_columns"
        if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and node.args[1].value in (1, "columns"):
            return "drop_columns"
        return "filter_rows"

    def _map_op(self, node: ast.Call) -> Optional[str]:
        """map({...}) and map(lambda x: 1 if x == "Yes" else 0) recode categories; other functions derive."""
        if node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Dict):
                return "encode_categorical"
            if isinstance(arg, ast.Name) and self.env.get(arg.id, "") == f"{_MARKER}dict":
                return "encode_categorical"
            if isinstance(arg, ast.Lambda) and self._recodes_a_label(arg.body):
                return "encode_categorical"
            return "derive_feature"
        return None

    @staticmethod
    def _recodes_a_label(body: ast.AST) -> bool:
        """`1 if x == "Yes" else 0`: constants chosen by equality with a string (not a numeric threshold)."""
        if not isinstance(body, ast.IfExp):
            return False
        if not (isinstance(body.body, ast.Constant) and isinstance(body.orelse, (ast.Constant, ast.IfExp))):
            return False
        test = body.test
        return (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.NotEq, ast.In))
                and any(_str_const(c) is not None or _str_list(c) is not None for c in test.comparators))

    def _expression_ops(self, node: ast.Call, inputs: list[str]) -> list[_Op]:
        """One op per distinct kind of expression in with_columns(...) / assign(...)."""
        by_op: dict[str, list[str]] = {}
        encode_methods: list[str] = []
        exprs: list[tuple[Optional[str], ast.AST]] = [(None, a) for a in node.args]
        exprs += [(k.arg, k.value) for k in node.keywords if k.arg]
        for keyword_name, expr_node in exprs:
            items = expr_node.elts if isinstance(expr_node, (ast.List, ast.Tuple)) else [expr_node]
            for item in items:
                cols = [keyword_name] if keyword_name else self._expression_columns(item)
                for op in self._expression_op(item):
                    by_op[op] = _union(by_op.get(op, []), cols)
                    if op == "encode_categorical":
                        encode_methods = _union(encode_methods, [m for m in [self._expression_encoding(item)] if m])
        return [_Op(op, inputs, cols, ", ".join(encode_methods) or None if op == "encode_categorical" else None)
                for op, cols in by_op.items()]

    def _expression_encoding(self, node: ast.AST) -> Optional[str]:
        """The encoding call in one column expression (outermost first): `cast(pl.Categorical)`, `map`, `cat.codes`."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Attribute) and sub.value.attr == "cat":
                return f"cat.{sub.attr}"
            if not isinstance(sub, ast.Call):
                continue
            if isinstance(sub.func, ast.Attribute):
                method = sub.func.attr
                if method in ("cast", "astype") and self._casts_to_category(sub):
                    return self._encode_method(method, sub)
                if method in ("map", "replace_strict", "to_physical", "to_dummies", "get_dummies") \
                        and (method != "map" or self._map_op(sub) == "encode_categorical"):
                    return method
            target = self.expr(sub.func)
            if self._is_path(target.kind) and _short(target.kind or "") in ("Categorical", "get_dummies", "factorize"):
                return _short(target.kind or "")
        return None

    def _expression_op(self, node: ast.AST) -> list[str]:
        """The distinct ops of one column expression, innermost first; derive_feature if none."""
        if self._is_standardisation(node) or self._is_share_of_total(node):
            return ["scale_normalize"]
        ops: list[str] = []
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
                method = sub.func.attr
                holder = sub.func.value
                if isinstance(holder, ast.Attribute) and holder.attr in ("str", "dt", "cat"):
                    op = self._accessor_table("polars", holder.attr).get(method)
                else:
                    op = kb_polars.EXPRESSION_METHODS.get(method)
                    if op == "type_cast" and self._casts_to_category(sub):
                        op = "encode_categorical"
                    if op is None and method in ("map", "replace"):
                        op = self._map_op(sub) if method == "map" else "text_clean"
                        if op == "derive_feature":
                            op = None
                    if op is None and method in ("fillna",):
                        op = "impute_missing"
                    if op is None and method in ("astype",):
                        op = "type_cast"
                if op:
                    ops.append(op)
            elif isinstance(sub, ast.Call):
                target = self.expr(sub.func)
                if self._is_path(target.kind):
                    path = target.kind or ""
                    module = LIBRARIES.get(path.split(".", 1)[0])
                    table = getattr(module, "FUNCTIONS", {}) if module else {}
                    op = table.get(_short(path))
                    if op in ("datetime_parse", "type_cast", "encode_categorical"):
                        ops.append(op)
        # ast.walk is outermost first
        return _union(list(reversed(ops))) or ["derive_feature"]

    def _expression_columns(self, node: ast.AST) -> list[str]:
        alias: list[str] = []
        cols: list[str] = []
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
                if sub.func.attr in ("alias", "name") and sub.args and _str_const(sub.args[0]):
                    alias.append(_str_const(sub.args[0]) or "")
                if sub.func.attr == "col" and sub.args:
                    cols.extend(c for c in (_str_const(a) for a in sub.args) if c)
        return alias or cols

    def object_method(self, recv: _Val, cls: str, method: str, node: ast.Call) -> _Val:
        """A method of a fitted / fittable object (sklearn or a model from any library)."""
        args = self._args(node)
        detail = _short(cls) if cls else None
        out = _Val(ops=list(recv.ops) + args.ops, inputs=args.inputs)
        kind = recv.kind or ""
        components = _instance_components(kind) if cls and _short(cls) in kb_sklearn.COMPOSITES else None
        owner = recv.base  # fit mutates the object it is called on
        if method in ("fit", "fit_transform", "transform", "fit_resample"):
            produced: list[_Op] = []
            if components is not None:
                for component in components:
                    op = _sklearn_transformer_op(component)
                    if op and method in ("fit", "fit_transform", "transform"):
                        produced.append(_Op(op, args.inputs, [], _short(component), owner if method == "fit" else None))
                    elif method == "fit" and _is_estimator(component):
                        produced.append(_Op("fit_model", args.inputs, [], _short(component), owner))
                if method == "fit" and not any(op.op == "fit_model" for op in produced) \
                        and kb_sklearn.COMPOSITES.get(_short(cls)) == "search":
                    produced.append(_Op("fit_model", args.inputs, [], _short(cls), owner))
            else:
                transformer_op = _sklearn_transformer_op(cls) if cls else None
                if transformer_op:
                    if method in ("fit_transform", "transform"):
                        produced.append(_Op(transformer_op, args.inputs, [], detail))
                elif method == "fit" or (cls and _short(cls) in kb_sklearn.SPLITTERS):
                    if not (cls and _short(cls) in kb_sklearn.SPLITTERS):
                        produced.append(_Op("fit_model", args.inputs, [], detail, owner))
            out.ops.extend(produced)
            out.kind = kind or None if method == "fit" else None
            out.base = recv.base if method == "fit" else None
            return out
        if method == "split" and cls and _short(cls) in kb_sklearn.SPLITTERS:
            out.ops.append(_Op("split", args.inputs, [], detail))
            return out
        op = kb_sklearn.METHODS.get(method)
        if op:
            final = None
            if components:
                estimators = [c for c in components if _is_estimator(c)]
                final = _short(estimators[-1]) if estimators else None
            # model.predict(X_test) / model.score(X, y): the result depends on the fitted model as much as on
            # the data, so the model variable is the first input
            inputs = _union([recv.base] if recv.base and op in ("predict", "evaluate") else [], args.inputs)
            out.ops.append(_Op(op, inputs, [], final or detail))
        return out

    # ---------------------------------------------------------- argument details
    def _keyword_columns(self, node: ast.Call, names: tuple[str, ...] = (
            "columns", "subset", "on", "by", "left_on", "right_on", "id_vars", "value_vars", "index", "values",
            "keys", "cols")) -> list[str]:
        cols: list[str] = []
        for keyword in node.keywords:
            if keyword.arg not in names:
                continue
            value = keyword.value
            if isinstance(value, ast.Dict):  # rename(columns={"a": "b"})
                cols.extend(c for c in (_str_const(k) for k in value.keys if k is not None) if c)
            else:
                cols.extend(self._slice_columns(value))
        return _union(cols)

    def _positional_columns(self, node: ast.Call, method: str) -> list[str]:
        if method in ("groupby", "group_by", "sort_values", "sort", "drop", "select", "unique", "drop_duplicates",
                      "dropna", "drop_nulls", "pivot_table", "value_counts", "explode", "set_index", "melt"):
            cols: list[str] = []
            for arg in node.args[:1] if method not in ("select", "drop", "group_by") else node.args:
                cols.extend(self._slice_columns(arg))
                cols.extend(self._expression_columns(arg))
            return _union(cols)
        if method == "rename" and node.args and isinstance(node.args[0], ast.Dict):
            return [c for c in (_str_const(k) for k in node.args[0].keys if k is not None) if c]
        return []

    def _load_detail(self, node: ast.Call) -> Optional[str]:
        candidate: Optional[ast.AST] = node.args[0] if node.args else None
        if candidate is None:
            for key in _LOAD_PATH_KEYWORDS:
                candidate = _kw(node, key)
                if candidate is not None:
                    break
        if candidate is None:
            return None
        literal = _str_const(candidate)
        if literal is not None:
            return literal
        try:
            return ast.unparse(candidate)
        except Exception:
            return None

    def _join_key(self, node: ast.Call) -> Optional[str]:
        on = _kw(node, "on")
        if on is not None:
            cols = self._slice_columns(on)
            return ", ".join(cols) if cols else ast.unparse(on)
        left, right = _kw(node, "left_on"), _kw(node, "right_on")
        if left is not None and right is not None:
            lcols, rcols = self._slice_columns(left), self._slice_columns(right)
            return f"{', '.join(lcols) or ast.unparse(left)} = {', '.join(rcols) or ast.unparse(right)}"
        if _is_true(_kw(node, "left_index")) or _is_true(_kw(node, "right_index")):
            return "index"
        return None
