"""The details a call's step keeps: columns named in its arguments, load path, join key and kind, how it
encodes, the statistic and groups of a fill."""

from __future__ import annotations

import ast
from typing import Optional

from .. import kb
from ..kb import pandas as kb_pandas
from .values import is_true, kwarg, path_key, statistic_key, str_const, union

LOAD_PATH_KEYWORDS = ("filepath_or_buffer", "path", "source", "io", "file", "fname", "path_or_buf", "name",
                      "sql", "query", "uri")


class CallDetailRules:
    """Mixin of `Cell` (through `CallRules`): details read from a call's arguments."""

    env: dict[str, str]

    @staticmethod
    def _encode_method(method: str, node: ast.Call) -> str:
        """How a method call encodes, for the step's detail: `map`, `astype('category')`, `cast(pl.Categorical)`."""
        if method in kb.CAST_METHODS and node.args:
            try:
                return f"{method}({ast.unparse(node.args[0])})"
            except Exception:
                return method
        return method

    def _group_fill(self, node: ast.Call) -> dict:
        """fillna(df.groupby(["Sex", "Pclass"])["Age"].transform("median")) -> statistic "median", group_keys
        ["Sex", "Pclass"] ({} when either is unknown)."""
        head = _fill_value_call(node)
        if head is None:
            return {}
        statistic: Optional[str] = head.func.attr  # type: ignore[union-attr]
        if statistic in ("transform", "agg", "aggregate"):
            statistic = str_const(head.args[0]) if head.args else None
        elif statistic not in kb_pandas.GROUP_REDUCERS and statistic != "mode":
            statistic = None
        keys: list[str] = []
        for sub in ast.walk(head):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) \
                    and sub.func.attr in kb.GROUPING_METHODS:
                by = sub.args[0] if sub.args else kwarg(sub, "by")
                keys = self._slice_columns(by)
                break
        return {"statistic": statistic, "group_keys": keys} if statistic and keys else {}

    def _fill_statistic(self, node: ast.Call) -> dict:
        """fillna(df["Age"].median()), fillna(df.mean()), fillna(df.Embarked.mode()[0]) -> statistic "median", "mean",
        "mode": the fill value is a statistic of the data, which the fill learned from every row it was given
        (lineage/leakage.py); fillna(m) with `m = df["Age"].median()` bound earlier -> the same statistic, learned by
        `m`, which lineage/leakage.py follows to the statement that computed it. {} for a constant or anything else."""
        value = node.args[0] if node.args else kwarg(node, "value")
        if isinstance(value, ast.Name):
            statistic = self.env.get(statistic_key(value.id))
            return {"statistic": statistic, "learned_by": value.id} if statistic else {}
        statistic = self.data_statistic(value) if value is not None else None
        return {"statistic": statistic} if statistic else {}

    def data_statistic(self, value: ast.AST) -> Optional[str]:
        """"median" for `df["Age"].median()`, "mode" for `df.Embarked.mode()[0]` (kb.pandas.FILL_STATISTICS of a series
        or frame of the data, past any subscript of the result); None for anything else."""
        while isinstance(value, ast.Subscript):
            value = value.value
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)):
            return None
        statistic = value.func.attr
        if statistic not in kb_pandas.FILL_STATISTICS:
            return None
        return statistic if self._is_data_column(value.func.value) else None  # type: ignore[attr-defined]

    def _keyword_columns(self, node: ast.Call, names: tuple[str, ...] = (
            "columns", "subset", "on", "by", "left_on", "right_on", "id_vars", "value_vars", "index", "values",
            "keys", "cols")) -> list[str]:
        cols: list[str] = []
        for keyword in node.keywords:
            if keyword.arg not in names:
                continue
            value = keyword.value
            if isinstance(value, ast.Dict):  # rename(columns={"a": "b"})
                cols.extend(c for c in (str_const(k) for k in value.keys if k is not None) if c)
            else:
                cols.extend(self._slice_columns(value))
        return union(cols)

    def _positional_columns(self, node: ast.Call, method: str) -> list[str]:
        if method in ("groupby", "group_by", "sort_values", "sort", "drop", "select", "unique", "drop_duplicates",
                      "dropna", "drop_nulls", "pivot_table", "value_counts", "explode", "set_index", "melt"):
            cols: list[str] = []
            for arg in node.args[:1] if method not in ("select", "drop", "group_by") else node.args:
                cols.extend(self._slice_columns(arg))
                cols.extend(self._expression_columns(arg))
            return union(cols)
        if method == "rename" and node.args and isinstance(node.args[0], ast.Dict):
            return [c for c in (str_const(k) for k in node.args[0].keys if k is not None) if c]
        return []

    def _load_detail(self, node: ast.Call) -> Optional[str]:
        candidate: Optional[ast.AST] = node.args[0] if node.args else None
        if candidate is None:
            for key in LOAD_PATH_KEYWORDS:
                candidate = kwarg(node, key)
                if candidate is not None:
                    break
        if candidate is None:
            return None
        literal = str_const(candidate)
        if literal is not None:
            return literal
        if isinstance(candidate, ast.Name) and path_key(candidate.id) in self.env \
                and candidate.id not in self.bound_otherwise:
            return self.env[path_key(candidate.id)]  # path = "data.csv" (this cell or an earlier one); read_csv(path)
        try:
            return ast.unparse(candidate)
        except Exception:
            return None

    def _join_key(self, node: ast.Call) -> Optional[str]:
        on = kwarg(node, "on")
        if on is not None:
            cols = self._slice_columns(on)
            return ", ".join(cols) if cols else ast.unparse(on)
        # each side's key: its columns (left_on / right_on) or its index (left_index / right_index)
        sides = []
        for on, index in (("left_on", "left_index"), ("right_on", "right_index")):
            given = kwarg(node, on)
            sides.append("index" if is_true(kwarg(node, index)) else None if given is None
                         else ", ".join(self._slice_columns(given)) or ast.unparse(given))
        left, right = sides
        if left is not None and right is not None and left != right:
            return f"{left} = {right}"  # merge(a, b, left_index=True, right_on="movie_id"): "index = movie_id"
        return left or right

    @staticmethod
    def _join_params(node: ast.Call) -> dict:
        """{"how": "outer", "validate": "m:1"}: which rows a join keeps, when the call says it (the default differs by
        call), and the key relation the call has pandas or polars check, when it asks for one."""
        params = {}
        for name in ("how", "validate"):
            given = kwarg(node, name)
            value = str_const(given) if given is not None else None
            if value:
                params[name] = value
        return params


def _fill_value_call(node: ast.Call) -> Optional[ast.Call]:
    """The method call a fill's value is made by, past any subscript of its result (`.transform("median")["Age"]`,
    `.mode()[0]`): what _group_fill reads the statistic from; None for any other value."""
    head = node.args[0] if node.args else kwarg(node, "value")
    while isinstance(head, ast.Subscript):
        head = head.value
    return head if isinstance(head, ast.Call) and isinstance(head.func, ast.Attribute) else None
