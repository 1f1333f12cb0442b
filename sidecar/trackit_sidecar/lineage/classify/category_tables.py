"""Tables of one value per category of a column (`df["city"].value_counts()`, `df.groupby("city")["y"].mean()`) and
the column they are keyed by: a column mapped through a table of its own categories (`df["city"].map(freq)`) is a
frequency or target encoding, each category replaced by its count or its mean of the target (CONVENTIONS 20: a map
that recodes category values is encode_categorical)."""

from __future__ import annotations

import ast
import re
from typing import Optional

from ..kb import pandas as kb_pandas
from .values import MARKER, str_const

# What a per-category table may be passed through and still be keyed by the same categories: a dict of it
# (`value_counts().to_dict()`), its values binned (`pd.cut(table, bins=5, labels=[...])`) or rounded.
KEEP_KEYS_METHODS = frozenset({"to_dict", "round", "rank", "sort_values", "sort_index"})
KEEP_KEYS_FUNCTIONS = frozenset({"cut", "qcut", "dict"})
IDENTIFIER_NAME = re.compile(kb_pandas.IDENTIFIER_COLUMN_NAME)
# Per-group values that are one per row, not one per group (CONVENTIONS 22: `groupby().transform` derives).
PER_ROW_GROUP_METHODS = frozenset({"transform", "cumsum", "cumcount", "apply"})


def category_table_env_key(name: str) -> str:
    """Where the carried context keeps the column a per-category table bound to `name` is keyed by."""
    return f"{MARKER}category_table:{name}"


def names_an_identifier(key: str) -> bool:
    """`Product_ID`, `user_id`, `UserId`: a column of identifiers, whose per-row counts or sums mapped back are a group
    statistic of each row (CONVENTIONS 22: `groupby().transform` derives), not categories recoded (a tuning notebook
    labels `df["User_ID"].map(df.groupby("User_ID")["Purchase"].count())` derive_feature, two others label a
    neighbourhood's median price mapped back encode_categorical)."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key.split(":", 1)[-1]).lower()
    return IDENTIFIER_NAME.search(words) is not None


def column_key(node: ast.AST) -> Optional[str]:
    """`df["city"]`, `df.city` -> "city"; `df[col]` -> "name:col" (a loop's column); else None."""
    if isinstance(node, ast.Subscript):
        label = str_const(node.slice)
        if label is not None:
            return label
        return f"name:{node.slice.id}" if isinstance(node.slice, ast.Name) else None
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.attr
    return None


def category_table_key(value: ast.AST) -> Optional[str]:
    """The column a table of one value per category is keyed by: `X[c].value_counts()`, `X.groupby(c)[t].mean()`,
    `X[[c, t]].groupby(c).median()[t]`, through `.to_dict()` or `pd.cut(...)`; else None."""
    while True:
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and value.func.attr in KEEP_KEYS_METHODS:
            value = value.func.value
        elif isinstance(value, ast.Call) and value.args and _function_name(value.func) in KEEP_KEYS_FUNCTIONS:
            value = value.args[0]
        elif isinstance(value, ast.Subscript) and str_const(value.slice) is not None:
            value = value.value  # groupby(c).median()["SalePrice"]: the target's column of the per-group table
        else:
            break
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)):
        return None
    method, receiver = value.func.attr, value.func.value
    if method == "value_counts":
        return column_key(receiver)
    if method not in kb_pandas.GROUP_REDUCERS or method in PER_ROW_GROUP_METHODS:
        return None
    while isinstance(receiver, ast.Subscript):
        receiver = receiver.value  # groupby(c)["y"]: the column reduced
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute) and receiver.func.attr == "groupby" \
            and len(receiver.args) == 1 and not receiver.keywords:
        key = receiver.args[0]
        label = str_const(key)
        if label is not None:
            return label
        return f"name:{key.id}" if isinstance(key, ast.Name) else None
    return None


def _function_name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""
