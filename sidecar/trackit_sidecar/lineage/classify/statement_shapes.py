"""Pure tests of AST shapes that decide what an assignment is (`X[:, 0] / X[:, 1]`, `X -= X.min()`,
`df.copy()`, `t.loc[m, "c"].values[0]`)."""

from __future__ import annotations

import ast
from typing import Optional

from .. import kb
from ..kb import numpy as kb_numpy
from ..kb import pandas as kb_pandas
from ..kb import sources as kb_sources
from .env_markers import LISTED_STRINGS, LITERAL_MARKER, ROW_LABEL
from .values import Op, called_name, is_number, kwarg, str_const

MODULE_NAMES = frozenset(kb.CONVENTIONAL_ALIASES) | frozenset(kb.CONVENTIONAL_ALIASES.values())
# Picks of one element by position (`s.values[0]`, `s.iloc[-1]`, `s.iat[0]`, `s.to_numpy()[0]`)
ONE_ELEMENT_HOLDERS = frozenset({"values", "iloc", "iat", "to_numpy", "array"})
# Look-ups of the row label of an extreme value (`df.loc[df.rate.idxmax(), "g"]`)
ROW_LABEL_LOOKUPS = frozenset({"idxmax", "idxmin", "argmax", "argmin"})


def looks_up_a_row_label(value: ast.AST) -> bool:
    """`t["err"].idxmin()`, `t.rate.idxmax()`: the label of one row (with an axis it is one per row or column)."""
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
        and value.func.attr in ROW_LABEL_LOOKUPS and not value.args and kwarg(value, "axis") is None


def transforms_values(value: ast.BinOp) -> bool:
    """`(1 + r) ** 12 - 1`, `(rf ** 30) - 1`, `1 / (1 - r * 90 / 360)`, `1 / var`: a power or the reciprocal of the
    values, or two or more arithmetic operations on them (one scaling or shift alone does not)."""
    if any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
           and (node.func.attr in kb_numpy.REDUCTIONS or kwarg(node, "axis") is not None) for node in ast.walk(value)):
        return False  # mu = 1 / m * np.sum(X, axis=0): a statistic of the values, not the values transformed
    operations = [node for node in ast.walk(value) if isinstance(node, ast.BinOp)]
    # weights = 1 / var_eff: the reciprocal of the values, not the values put on another scale (`X / 255`)
    reciprocal = isinstance(value.op, ast.Div) and isinstance(value.left, ast.Constant) \
        and not isinstance(value.right, ast.Constant)
    return any(isinstance(node.op, ast.Pow) for node in operations) or len(operations) >= 2 or reciprocal


def combines_two_parts(value: ast.BinOp) -> bool:
    """`X[:, 0] / X[:, 1]`, `a[1:] - a[:-1]`: two different parts of one variable (positions of an array, which carry
    no column names) combined by arithmetic."""
    sides = [value.left, value.right]
    if not all(isinstance(side, ast.Subscript) and isinstance(side.value, ast.Name) for side in sides):
        return False
    left, right = sides[0], sides[1]
    return left.value.id == right.value.id and ast.dump(left.slice) != ast.dump(right.slice)  # type: ignore[attr-defined]


def is_name_or_column(target: ast.AST) -> bool:
    """`A`, `df["w"]` or `X[:, 1]`: a variable, or one column of it named by a string or taken by position."""
    return isinstance(target, ast.Name) or (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                                            and (str_const(target.slice) is not None or _positional_column(target.slice)))


def _positional_column(index: ast.AST) -> bool:
    """`[:, 1]`: every row of one column, by position."""
    return isinstance(index, ast.Tuple) and len(index.elts) == 2 and isinstance(index.elts[0], ast.Slice) \
        and index.elts[0].lower is None and index.elts[0].upper is None and isinstance(index.elts[1], ast.Constant) \
        and isinstance(index.elts[1].value, int)


def own_statistic(value: ast.AST, target: ast.AST) -> bool:
    """`min(X)`, `X.mean(axis=0)`, `np.max(X[:, 1])` with X (or X[:, 1]) the target: a statistic of the target itself
    (kb.numpy.CENTRING_STATISTICS)."""
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    if isinstance(func, ast.Name) and func.id in ("min", "max") and len(value.args) == 1:
        of = value.args[0]
    elif isinstance(func, ast.Attribute) and func.attr in kb_numpy.CENTRING_STATISTICS:
        of = value.args[0] if value.args and isinstance(func.value, ast.Name) and func.value.id in ("np", "numpy") \
            else func.value
    else:
        return False
    return ast.unparse(of) == ast.unparse(target)


def index_values_converted(value: ast.AST, base: str) -> Optional[str]:
    """`base.index.strftime(...)` / `base.index.format()`: the op of converting `base`'s own index values
    (kb.pandas.INDEX_VALUE_CONVERSIONS), else None."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)):
        return None
    owner = value.func.value
    if not (isinstance(owner, ast.Attribute) and owner.attr == "index" and isinstance(owner.value, ast.Name)
            and owner.value.id == base):
        return None
    return kb_pandas.INDEX_VALUE_CONVERSIONS.get(value.func.attr)


def ends_in_transpose(value: ast.AST) -> bool:
    """The value is a table turned on its side at the end of a chain (`make(...).T`, `make(...).transpose()`)."""
    if isinstance(value, ast.Call) and not value.args and isinstance(value.func, ast.Attribute):
        return value.func.attr in kb_sources.TRANSPOSES and isinstance(value.func.value, (ast.Call, ast.Subscript))
    return isinstance(value, ast.Attribute) and value.attr == "T" and isinstance(value.value, (ast.Call, ast.Subscript))


def rescaled_name(value: ast.AST) -> Optional[str]:
    """The variable put on another scale by a number (`X / 255`, `X.astype("float32") / 255.0`), or None."""
    if not (isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Div, ast.Mult)) and is_number(value.right)):
        return None
    left = value.left
    if isinstance(left, ast.Call) and isinstance(left.func, ast.Attribute) and left.func.attr == "astype":
        left = left.func.value
    return left.id if isinstance(left, ast.Name) else None


def pixels_taken_out(value: ast.AST) -> Optional[ast.AST]:
    """The pixels a statement takes out of a frame and divides by an 8-bit image's largest value: the left operand
    when it drops the label or turns the frame into an array on the way (`train.drop("label", axis=1) / 255`,
    `train.loc[:, train.columns != "label"].values / 255`), else None. (A name or a column subset only divided,
    `X = df / 255`, `X = df[["a", "b"]] / 255`, is left as earlier rows have it.)"""
    if not (isinstance(value, ast.BinOp) and isinstance(value.op, ast.Div) and is_number(value.right)
            and value.right.value in kb.PIXEL_MAXIMA):  # type: ignore[attr-defined]
        return None
    taken = any((isinstance(node, ast.Attribute) and node.attr in kb_pandas.ARRAY_CONVERSIONS)
                or (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in kb_pandas.ARRAY_CONVERSIONS | {"drop"})
                for node in ast.walk(value.left))
    return value.left if taken else None



def converts_a_name(node: ast.AST) -> bool:
    """`df.copy()`, `X.values`, `np.asarray(x)`, `pl.from_pandas(df)`: a conversion of a variable itself, not of a
    computed value (`np.setdiff1d(a, b).tolist()`, `X.T @ X`)."""
    while True:
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in MODULE_NAMES:
                # np.asarray(x), pl.from_pandas(df), pd.DataFrame(data=pcs, columns=names): the data handed by
                # keyword is handed all the same
                given = list(node.args) + [keyword.value for keyword in node.keywords if keyword.arg == "data"]
                if len(given) != 1:
                    return False
                node = given[0]
            elif isinstance(func, ast.Attribute):
                node = func.value  # x.values.ravel(), df.copy(): look at what is converted
            elif isinstance(func, ast.Name) and func.id in kb_sources.CONVERSION_BUILTINS and len(node.args) == 1:
                node = node.args[0]  # list(y): the values of y in a Python list
            else:
                return False
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Dict) and len(node.values) == 1 and node.keys[0] is not None \
                and isinstance(node.values[0], ast.Name):
            # pd.DataFrame({"value": walk}): the one variable, given a column name (a frame's column wrapped alone,
            # `pd.DataFrame({"lstat": df["lstat"]})`, stays no step: test_steps_pass8)
            node = node.values[0]
        else:
            return isinstance(node, ast.Name)


def is_absolute(node: ast.AST) -> bool:
    """np.abs(...) / abs(...): a distance."""
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Attribute) and node.func.attr in ("abs", "absolute"))
        or (isinstance(node.func, ast.Name) and node.func.id == "abs"))


def is_index_of_other(value: ast.AST, base: str) -> bool:
    """`test.index`, `other["id"]`, `df["id"]`: the index of another table, or a column of any table, the table's own
    included (`layout.index = layout["Variable Name"]` is `layout.set_index("Variable Name")`); not a list of new
    labels, nor the table's own index."""
    if isinstance(value, ast.Attribute) and value.attr == "index":
        value = value.value
        return isinstance(value, ast.Name) and value.id != base
    if isinstance(value, ast.Subscript) and str_const(value.slice) is not None:
        return isinstance(value.value, ast.Name)
    return False


def _picks_one_column(node: ast.AST) -> bool:
    """`t["rate"]`, `t.loc[mask, "rate"]`, `t[mask]["rate"]`: the chain narrows a table to one named column (read
    along the chain only, not inside a mask: `t.loc[t["g"] == "a"]` keeps every column)."""
    sub = node
    while isinstance(sub, (ast.Subscript, ast.Attribute, ast.Call)):
        if isinstance(sub, ast.Call):
            sub = sub.func
            continue
        if isinstance(sub, ast.Subscript):
            if str_const(sub.slice) is not None:
                return True
            if isinstance(sub.slice, ast.Tuple) and len(sub.slice.elts) == 2 and str_const(sub.slice.elts[1]) is not None:
                return True
        sub = sub.value
    return False


def one_value_of_a_column(value: ast.AST, env: dict[str, str]) -> bool:
    """One element of one column: `t.loc[m, "rate"].values[0]`, `t["rate"].iloc[0]`, `t.loc[t.rate.idxmax(), "g"]`
    (the column also named by a variable that holds no list of names: `for c in ["a", "b"]: t.loc[t.r.idxmax(), c]`);
    and one column of one row taken by position: `train.iloc[-1].value`, `t.iloc[0]["v"]`, `d[:i].iloc[-1].values[0]`."""
    if isinstance(value, ast.Attribute) and value.attr not in kb_pandas.FRAME_ATTRIBUTES \
            and not value.attr.startswith("_") and _one_row_by_position(value.value):
        return True  # train.iloc[-1].value: the last row's value
    if isinstance(value, ast.Subscript) and str_const(value.slice) is not None and _one_row_by_position(value.value):
        return True  # t.iloc[0]["v"]
    if isinstance(value, ast.Subscript) and _is_int_position(value.slice):
        holder = value.value
        if isinstance(holder, ast.Call) and not holder.args:
            holder = holder.func  # .to_numpy()[0]
        return isinstance(holder, ast.Attribute) and holder.attr in ONE_ELEMENT_HOLDERS and (
            _picks_one_column(holder) or (holder.attr in ("values", "to_numpy", "array")
                                          and _one_row_by_position(holder.value)))
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Attribute) and value.value.attr in ("loc", "at") \
            and isinstance(value.slice, ast.Tuple) and len(value.slice.elts) == 2 \
            and (str_const(value.slice.elts[1]) is not None or isinstance(value.slice.elts[1], ast.Name)
                 and not env.get(value.slice.elts[1].id, "").startswith((LISTED_STRINGS, LITERAL_MARKER))):
        row = value.slice.elts[0]
        # (or kept under a name first: `best_idx = t["err"].idxmin(); best = t.loc[best_idx, "hour"]`)
        return looks_up_a_row_label(row) or isinstance(row, ast.Name) and (ROW_LABEL + row.id) in env
    return False


def _is_int_position(node: ast.AST) -> bool:
    """`0`, `-1`: one position."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool)


def _one_row_by_position(node: ast.AST) -> bool:
    """`t.iloc[-1]`, `df[:i].iloc[0]`: one row taken by its position from a table as it is (a chain that filters or
    sorts first, `t.loc[m].sort_values("f").iloc[0]["name"]`, keeps those steps: the labels count them)."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "iloc"
            and _is_int_position(node.slice)):
        return False
    table = node.value.value
    if isinstance(table, ast.Subscript) and isinstance(table.slice, ast.Slice):
        table = table.value  # df[:i]: the rows up to a position, the table so far
    return isinstance(table, ast.Name)


def made_a_list(value: ast.AST) -> bool:
    """The assigned value ends in `.tolist()` / `.to_list()` (a Python list of the values)."""
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
        and value.func.attr in ("tolist", "to_list") and not value.args


def counts_own_rows(value: ast.AST, base: str) -> bool:
    """`range(len(df))`, `range(len(df.index))`, `np.arange(df.shape[0])`, `range(0, len(df))`: positions 0..n-1 of
    `base`'s own rows."""
    if not (isinstance(value, ast.Call) and value.args and len(value.args) <= 2):
        return False
    func = value.func
    name = called_name(func)
    if name not in ("range", "arange") or (len(value.args) == 2 and not (
            isinstance(value.args[0], ast.Constant) and value.args[0].value == 0)):
        return False
    size = value.args[-1]
    if isinstance(size, ast.Call) and isinstance(size.func, ast.Name) and size.func.id == "len" and len(size.args) == 1:
        sized = size.args[0]
    elif isinstance(size, ast.Subscript) and isinstance(size.value, ast.Attribute) and size.value.attr == "shape":
        sized = size.value.value
    else:
        return False
    if isinstance(sized, ast.Attribute) and sized.attr == "index":
        sized = sized.value
    return isinstance(sized, ast.Name) and sized.id == base


def projects_an_aggregate(value: ast.AST, ops: list[Op]) -> bool:
    """`df.groupby("date").mean()["sales"]`, `df.groupby("label").count()["pixel0"]`: one column of the table an
    aggregation has just made, picked in the same expression: a projection around the groupby, part of the aggregate
    (CONVENTIONS 18: "Not a step: ... projections around a groupby"), not a column selected of its own."""
    while isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and not value.args \
            and value.func.attr in PROJECTION_KEEPERS:
        value = value.func.value  # (store_sales.groupby("date").mean().squeeze())["sales"].to_frame()
    return isinstance(value, ast.Subscript) and str_const(value.slice) is not None and isinstance(value.value, ast.Call) \
        and bool(ops) and ops[-1].op == "aggregate"


# Calls after a projection that keep it the same values (a frame of the one column, the column squeezed to a Series).
PROJECTION_KEEPERS = frozenset({"to_frame", "squeeze"})


def hyperparameter_grid(value: ast.AST) -> bool:
    """`{"C": np.logspace(-3, 3, 7), "clf__gamma": [0.1, 1]}`: a dict whose every key names an estimator's
    hyper-parameter (kb.sources.HYPERPARAMETER_KEYS) or a pipeline step's one (`<step>__<param>`), whatever its name."""
    return isinstance(value, ast.Dict) and bool(value.keys) and all(
        isinstance(key, ast.Constant) and isinstance(key.value, str)
        and (key.value in kb_sources.HYPERPARAMETER_KEYS or "__" in key.value.strip("_")) for key in value.keys)
