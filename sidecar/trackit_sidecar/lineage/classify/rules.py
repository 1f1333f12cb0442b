"""The named rules that decide contested methods (kb `CONTESTED_METHODS`): each reads one call and names an
outcome; the kb table says which op that outcome is. No op is chosen here."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import BUILTIN_NAMES
from ..kb import display as kb_display
from ..kb import numpy as kb_numpy
from ..kb import pandas as kb_pandas
from ..kb import polars as kb_polars
from ..kb import sklearn as kb_sklearn
from .applied_functions import recodes_a_label
from .category_tables import category_table_env_key, category_table_key, column_key, names_an_identifier
from .lumped_categories import choice_lumps, names_a_catch_all
from .env_markers import COLUMN_LABELS, DICT_MARKER, LISTED_STRINGS
from .missing_values import is_missing_value, missing_tested, same_value
from .values import Val, casts_to_category, is_number, is_true, kwarg, library_of, str_const, str_list

CONTESTED = {"pandas": kb_pandas.CONTESTED_METHODS, "polars": kb_polars.CONTESTED_METHODS,
             "numpy": kb_numpy.CONTESTED_METHODS}
CONTESTED_FUNCTIONS = {"numpy": kb_numpy.CONTESTED_FUNCTIONS, "pandas": kb_pandas.CONTESTED_FUNCTIONS}


class ContestedRules:
    """Mixin of `Cell`: `contested_op` and the rules it names."""

    env: dict[str, str]

    def contested_op(self, lib: Optional[str], method: str, recv: Val, node: ast.Call,
                     op: Optional[str]) -> Optional[str]:
        """The op of `method` called as `node`, when the library's table lists it as contested; else `op`.

        `lib`: the library whose METHODS table gave `op` (None when no table knows the method: pandas then).
        """
        entry = CONTESTED[lib or "pandas"].get(method)
        if entry is None:
            return op
        rule, outcomes = entry
        outcome = getattr(self, rule)(recv, node)
        return outcomes[outcome] if outcome in outcomes else op

    def contested_function_op(self, lib: str, name: str, node: ast.Call, op: Optional[str]) -> Optional[str]:
        """The op of a module function the library's table lists as contested (kb CONTESTED_FUNCTIONS); else `op`."""
        entry = CONTESTED_FUNCTIONS.get(lib, {}).get(name)
        if entry is None:
            return op
        rule, outcomes = entry
        outcome = getattr(self, rule)(Val(), node)
        return outcomes[outcome] if outcome in outcomes else op

    # ---------------------------------------------------------- the rules (named in the kb tables)
    @staticmethod
    def declared_categories(recv: Val, node: ast.Call) -> Optional[str]:
        """"declared" when the call names the categories or their order (`categories=[...]`, `ordered=True`, or a
        second positional argument), else None."""
        if len(node.args) > 1 or any(keyword.arg in ("categories", "ordered") for keyword in node.keywords):
            return "declared"
        return None

    def mapping_argument(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"dict" (a dict literal or a name bound to one), "label_recode" (a lambda choosing constants by string
        equality), "function" (anything else), None (no argument)."""
        if not node.args:
            return None
        arg = node.args[0]
        if isinstance(arg, ast.Dict):
            return "dict"
        if isinstance(arg, ast.Name) and self.env.get(arg.id, "") == DICT_MARKER:
            return "dict"
        if self._looks_up_a_dict(arg):
            return "dict"
        if self._maps_through_own_categories(node):
            return "category_table"
        if isinstance(arg, ast.Lambda) and recodes_a_label(arg.body):
            return "label_recode"
        if self.reduces_to_a_number(arg):
            # df.apply(lambda c: c.isnull().sum()), df[num].apply(lambda x: skew(x.dropna())): one statistic per
            # column, as df.isnull().sum() is; along the rows (axis=1) it is a value per row, which derives
            return "function" if _along_rows(node) else "reduces"
        return self.function_effect(arg) or "function"

    def _maps_through_own_categories(self, node: ast.Call) -> bool:
        """`df["city"].map(freq)` after `freq = df["city"].value_counts()`, `df[c].map(train.groupby(c)["y"].mean())`:
        a column mapped through a table of one value per category of that same column (category_tables.py)."""
        if not (isinstance(node.func, ast.Attribute) and node.func.attr == "map" and node.args):
            return False
        key = column_key(node.func.value)
        arg = node.args[0]
        if key is None or names_an_identifier(key):
            return False
        if isinstance(arg, ast.Name):
            return self.env.get(category_table_env_key(arg.id)) == key
        return category_table_key(arg) == key

    def missing_condition(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"positions" for np.where(mask) with one argument; "outlier_bound" when the condition is a statistical bound;
        "fills" when a condition on missing values puts a value
        only into the gaps and keeps the data elsewhere:
        `np.where(s.isna(), v, s)`, `np.where(s.notna(), s, v)`, `s.where(s.notna(), v)`, `s.mask(s.isna(), v)`
        (what-is-a-step.md: "assigning a value where a column is null: impute_missing")."""
        method = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if not node.args:
            return None
        if method == "where" and len(node.args) == 1 and not recv.inputs and not recv.kind:
            return "positions"  # np.where(y == 1): where the mask holds (a module function: no receiver)
        if method == "where" and len(node.args) == 3:  # np.where(condition, if_true, if_false)
            condition, if_true, if_false = node.args
        elif method in ("where", "mask") and isinstance(node.func, ast.Attribute):
            receiver = node.func.value  # s.where(keep, other): s where keep holds; s.mask(gap, other): the reverse
            condition = node.args[0]
            if_true, if_false = (receiver, None) if method == "where" else (None, receiver)
        else:
            return None
        tested = missing_tested(condition)
        if tested is None and choice_lumps(node):
            return "lumped"  # s.where(s.isin(top), "Other"): categories lumped, as replace(rare, "Other") (20)
        if tested is None:
            # s.mask(s > s.quantile(0.99)), np.where(x > upper, upper, x): values past a statistical bound replaced
            # (CONVENTIONS 29: "replacing outliers" is outlier_remove)
            # s.mask(cond) and np.where(cond, v, x) replace where cond holds, so a condition that picks the tail
            # (`s > s.quantile(0.99)`) names the outliers; s.where(cond) keeps where it holds
            replaced = method == "mask" or len(node.args) == 3
            outlier = self._mask_is_outlier(condition) or (replaced and self._selects_a_tail(condition))  # type: ignore[attr-defined]
            return "outlier_bound" if outlier else _replaced_in_place(node)
        expression, missing = tested
        kept = if_false if missing else if_true
        return "fills" if kept is not None and same_value(kept, expression) else _replaced_in_place(node)

    def drop_axis(self, recv: Val, node: ast.Call) -> str:
        """"columns" for columns= / axis=1 / axis="columns" (keyword or second positional), else "rows"."""
        if kwarg(node, "columns") is not None:
            return "columns"
        axis = kwarg(node, "axis")
        if isinstance(axis, ast.Constant) and axis.value in (1, "columns"):
            return "columns"
        if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and node.args[1].value in (1, "columns"):
            return "columns"
        return "rows"

    def reindex_labels(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"columns" as drop_axis says; "written_order" for row labels written out in the code as a list of
        constants (`.reindex(["Mon", "Tue", "Wed"])`); "rows_of_keys" for a per-group result reindexed by a column of
        data, one label per row (`counts.reindex(df.k)`, `counts.reindex(keys)`); else None (labels computed or taken
        from other data)."""
        if self.drop_axis(recv, node) == "columns":
            return "columns"
        labels = node.args[0] if node.args else kwarg(node, "index")
        if isinstance(labels, (ast.List, ast.Tuple)) and labels.elts \
                and all(isinstance(item, ast.Constant) for item in labels.elts):
            return "written_order"
        if labels is not None and any(op.op == "aggregate" for op in recv.ops) and self._is_data_column(labels):
            return "rows_of_keys"
        return None

    def _is_data_column(self, node: ast.AST) -> bool:
        """A series of the data: a name bound to data, or a column of it (`df.k`, `df["k"]`), not its index."""
        if isinstance(node, ast.Name):
            return self._is_data(node.id)  # type: ignore[attr-defined]
        if isinstance(node, ast.Attribute) and node.attr in ("index", "columns"):
            return False
        if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.value, ast.Name):
            return self._is_data(node.value.id) and (  # type: ignore[attr-defined]
                isinstance(node, ast.Attribute) or str_const(node.slice) is not None)
        return False

    def filter_arguments(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"labels" for pandas' filter(items= / like= / regex=), or a list of labels as its first argument (`items`):
        it picks columns by name."""
        if any(kwarg(node, key) is not None for key in ("items", "like", "regex")):
            return "labels"
        if node.args and (str_list(node.args[0]) is not None or self.names_column_labels(node.args[0])  # type: ignore[attr-defined]
                          or self.env.get(getattr(node.args[0], "id", ""), "").startswith(LISTED_STRINGS)):
            return "labels"  # df.filter(["a", "b"]), df.filter(cols)
        return None

    def cast_target(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"computed_value" when the receiver is an arithmetic / comparison result, "category" for a cast to
        a categorical type, "datetime" for one to datetime64, else None."""
        if recv.computed:
            return "computed_value"
        if casts_to_category(node):
            dtype = node.args[0] if node.args else kwarg(node, "dtype")
            declared = [sub for sub in ast.walk(dtype) if isinstance(sub, ast.Call)] if dtype is not None else []
            if any(self.declared_categories(recv, sub) or (isinstance(sub.func, ast.Attribute) and sub.func.attr == "Enum")
                   for sub in declared):
                # astype(pd.CategoricalDtype(["lo", "hi"], ordered=True)): the values coded by a declared order, as
                # pd.Categorical(..., ordered=True) codes them (an ordinal encoding, CONVENTIONS 20)
                return "declared"
            return "category"  # astype("category"): the column's type made categorical (CONVENTIONS 21: type_cast)
        if any((str_const(sub) or "").startswith("datetime64") for sub in ast.walk(node)):
            return "datetime"  # df.d.astype("datetime64[ns]"): dates parsed, as pd.to_datetime parses them
        return None

    def divisor(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"own_total" when dividing by the receiver's own sum / max / norm."""
        if node.args and self._is_total_of(node.args[0], recv.base):  # type: ignore[attr-defined]
            return "own_total"
        return None

    def replacement_values(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"fills" when missing values are replaced by a value, "recode" when a dict maps values that are not all
        text (`{0: "No", 1: "Yes"}`, `{"male": 0}`), "numbers" when only numbers are swapped (`[np.inf, -np.inf]` -> NaN), None (text work) otherwise."""
        mapping = node.args[0] if node.args else kwarg(node, "to_replace")
        replacement = node.args[1] if len(node.args) > 1 else kwarg(node, "value")
        if isinstance(mapping, ast.Name) and replacement is None and self.env.get(mapping.id, "") == DICT_MARKER:
            # s.replace(codes) with codes = {1: "Mid", 2: "Low", ...} written in the code: a recoding of the values
            # through that dict, as s.map(codes) is (CONVENTIONS 20: "a dict map/replace that recodes category values")
            return "recode"
        if isinstance(mapping, (ast.List, ast.Tuple)) and isinstance(replacement, (ast.List, ast.Tuple)) \
                and len(mapping.elts) == len(replacement.elts):
            # replace(["male", "female"], [0, 1]) is replace({"male": 0, "female": 1}), written as two lists
            mapping, replacement = ast.Dict(keys=list(mapping.elts), values=list(replacement.elts)), None
        cleared = list(mapping.keys) if isinstance(mapping, ast.Dict) and mapping.values and all(
            is_missing_value(v) for v in mapping.values) else ([mapping] if replacement is not None
                                                                and is_missing_value(replacement) else [])
        infinities = all(isinstance(sub, ast.Attribute) and sub.attr in ("inf", "Inf", "infty")
                         for k in cleared for sub in (k.elts if isinstance(k, (ast.List, ast.Tuple)) else [k])
                         for sub in [sub.operand if isinstance(sub, ast.UnaryOp) else sub])
        filled = list(mapping.keys) if isinstance(mapping, ast.Dict) and mapping.keys and all(
            k is not None and is_missing_value(k) for k in mapping.keys) and not any(
            is_missing_value(v) for v in mapping.values) else ([mapping] if mapping is not None and replacement is not None
                                                               and is_missing_value(mapping)
                                                               and not is_missing_value(replacement) else [])
        if filled:
            return "fills"  # replace(np.nan, "S"), replace({np.nan: 0}): the gaps get a value (what-is-a-step.md)
        if cleared and all(k is not None for k in cleared) and all(
                is_missing_value(sub) for k in cleared for sub in (k.elts if isinstance(k, (ast.List, ast.Tuple)) else [k])):
            # X.replace([pd.NA], np.nan), replace({None: np.nan}): one marker of a missing value written as another, the
            # same gaps in another representation (kb.pandas: other), no anomaly code cleared (CONVENTIONS 29)
            return "missing_marker"
        if cleared and infinities:
            return "numbers"  # replace([np.inf, -np.inf], np.nan): results of arithmetic swapped, not an anomaly code
        if cleared and all(k is not None for k in cleared):
            # replace({365243: np.nan}): a numeric anomaly code cleared; replace("?", np.nan): a text placeholder
            # cleared (CONVENTIONS 29)
            texts = [sub for k in cleared for sub in ast.walk(k) if str_const(sub) is not None]
            return "placeholder_text" if texts else "anomaly"
        if isinstance(mapping, ast.Dict) and mapping.values and all(
                isinstance(v, ast.Dict) and v.keys and all(k is not None and is_missing_value(k) for k in v.keys)
                and not any(is_missing_value(x) for x in v.values) for v in mapping.values):
            return "fills"  # replace({"col": {np.nan: 0}}): per column, the gaps get a value
        if isinstance(mapping, ast.Dict):
            items = [k for k in mapping.keys if k is not None] + list(mapping.values)
            if any(isinstance(v, ast.Dict) for v in items):
                items = [x for v in items if isinstance(v, ast.Dict) for x in list(v.keys) + list(v.values) if x]
            if any(str_const(v) is None for v in items):
                return "recode"
            if any(names_a_catch_all(v) for v in mapping.values):
                return "recode"  # replace({"Leeds": "Other", "York": "Other"}): lumped, as replace(rare, "Other")
            return None
        if any(ch.isalpha() for ch in str_const(mapping) or "") and isinstance(replacement, ast.Constant) \
                and isinstance(replacement.value, (int, float)):
            # df['Churn'].replace(to_replace='Yes', value=1, inplace=True), s.replace('no', 0): a category's value
            # recoded to a number, one value per call, as replace({"Yes": 1}) does (CONVENTIONS 20)
            return "recode"
        if mapping is not None and not isinstance(mapping, ast.Constant) and replacement is not None \
                and str_const(replacement) is not None and str_const(replacement).strip():
            return "recode"  # s.replace(rare_titles, "Other"): categories lumped into one (CONVENTIONS 20)
        if mapping is not None and not any(str_const(sub) is not None for sub in ast.walk(mapping)) \
                and not isinstance(mapping, ast.Name):
            return "numbers"
        return None

    @staticmethod
    def array_axis(recv: Val, node: ast.Call) -> Optional[str]:
        """np.delete(X, [0, 3], axis=1) / np.insert(X, 0, 1, axis=1): "columns" for axis 1, "rows" for axis 0; None
        without an axis (the array is flattened first: neither rows nor columns)."""
        axis = kwarg(node, "axis") or (node.args[2] if len(node.args) > 2 else None)
        if isinstance(axis, ast.Constant) and axis.value in (0, 1):
            return "columns" if axis.value == 1 else "rows"
        return None

    def bound_by_a_number(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"bound" for `np.maximum(x, 0)` / `np.minimum(100, x)`: data held at a bound written as a number."""
        if len(node.args) != 2 or node.keywords:
            return None
        numbers = [arg for arg in node.args if is_number(arg)]
        data = [arg for arg in node.args if not is_number(arg) and self.expr(arg).inputs]
        return "bound" if len(numbers) == 1 and len(data) == 1 else None

    def reduction_names(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"statistics" when every function asked for is a reduction named by a string (`agg(["min", "max"])`,
        `agg({"a": "sum"})`, `agg("mean")`) and the receiver is not grouped (grouped receivers never reach here)."""
        if len(node.args) != 1 or node.keywords:
            return None
        arg = node.args[0]
        names = [arg] if isinstance(arg, ast.Constant) else list(arg.elts) if isinstance(arg, (ast.List, ast.Tuple)) \
            else list(arg.values) if isinstance(arg, ast.Dict) else []
        names = [n for item in names for n in (item.elts if isinstance(item, (ast.List, ast.Tuple)) else [item])]
        return "statistics" if names and all(str_const(n) in kb_display.ANSWER_METHODS for n in names) else None

    def one_stored_variable(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"stored" for `np.sqrt(y)` / `np.sqrt(df.price)` / `np.sqrt(df["price"])`: one variable of the data as it is
        stored, nothing computed in the argument."""
        if len(node.args) != 1 or node.keywords:
            return None
        arg = node.args[0]
        if isinstance(arg, ast.Name):
            return "stored" if self._is_data(arg.id) else None  # type: ignore[attr-defined]
        if isinstance(arg, ast.Subscript) and isinstance(arg.value, ast.Name) and isinstance(arg.slice, ast.Name) \
                and self._is_data(arg.value.id) and self._names_a_label(arg.slice.id):
            return "stored"  # for col in num.columns: np.sqrt(num[col]): one column, its label held in a variable
        return "stored" if self._is_data_column(arg) else None

    def _names_a_label(self, name: str) -> bool:
        """A name that holds a column label (a loop variable over labels, bound to nothing the cell knows), not a
        frame, an array, a mask or positions (those are bound to a kind or a marker)."""
        kind = self.env.get(name)
        return kind is None or kind.startswith(LISTED_STRINGS) or kind == COLUMN_LABELS

    def stacked_pieces(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"one_variable" when every stacked piece is computed from the same single variable (`(x, x**2)`,
        `(x, np.sin(x), np.ones(n))`): a design matrix of that variable, not two data sets side by side."""
        if node.args and isinstance(node.args[0], (ast.ListComp, ast.GeneratorExp)):
            return self.stacked_comprehension(node.args[0])
        items = node.args[0].elts if node.args and isinstance(node.args[0], (ast.Tuple, ast.List)) else node.args
        return self.stacks_one_variable(items)

    def stacked_comprehension(self, comp: ast.ListComp | ast.GeneratorExp) -> Optional[str]:
        """np.hstack([t.iloc[:, i] for i in range(5)]): the columns of ONE table stacked end to end, the table laid
        out long ("long_layout": reshape, as melt is; CONVENTIONS 12); np.hstack([[i + 1] * 50 for i in range(5)]):
        values written from numbers only, no data read ("written": data built in code, a load, CONVENTIONS 28)."""
        looped = {sub.id for gen in comp.generators for sub in ast.walk(gen.target) if isinstance(sub, ast.Name)}
        read = {sub.id for sub in ast.walk(comp.elt) if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load)
                and sub.id not in looped and sub.id not in BUILTIN_NAMES}
        iterated = {sub.id for gen in comp.generators for sub in ast.walk(gen.iter) if isinstance(sub, ast.Name)
                    and sub.id not in BUILTIN_NAMES}
        if not read and not iterated and not any(isinstance(sub, ast.Call) for sub in ast.walk(comp.elt)):
            return "written"
        if len(read) == 1 and isinstance(comp.elt, ast.Subscript) and self._is_data(next(iter(read))) \
                and any(isinstance(sub, ast.Name) and sub.id in looped for sub in ast.walk(comp.elt.slice)):
            return "long_layout"
        return None

    def stacks_one_variable(self, items: list[ast.expr]) -> Optional[str]:
        """"one_variable" (see stacked_pieces) for the pieces of a stack, also written `np.c_[np.ones(m), X]`;
        "generated" when no piece is existing data and some piece is drawn here (see stacks_only_draws)."""
        if self.stacks_only_draws(items):
            return "generated"
        if any(self.names_columns(item) for item in items):
            return "names"  # np.concatenate([num_cols, ohe.get_feature_names_out()]): labels (CONVENTIONS 15)
        names = {name for item in items for name in self.expr(item).inputs}  # type: ignore[attr-defined]
        if any(_written_values(item) for item in items):
            return None  # np.hstack([y, [0] * 50]): values written in the code put after the data, rows added (concat)
        # (x, x**2), (np.ones(m), X): one variable with its transforms or with a constant column (CONVENTIONS 13)
        computed = any(isinstance(item, (ast.BinOp, ast.Call, ast.UnaryOp)) for item in items)
        return "one_variable" if len(names) == 1 and len(items) > 1 and computed else None

    def names_columns(self, node: ast.AST) -> bool:
        """Column labels: a list of strings, a frame's `.columns`, a name bound to either, or what a fitted
        transformer says its columns are called (`get_feature_names_out()`, `feature_names_in_`)."""
        if str_list(node) is not None or self.names_column_labels(node):  # type: ignore[attr-defined]
            return True
        if isinstance(node, ast.Name):
            return self.env.get(node.id, "").startswith(LISTED_STRINGS)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return node.func.attr in kb_sklearn.FEATURE_NAME_METHODS
        return isinstance(node, ast.Attribute) and node.attr in kb_sklearn.FEATURE_NAME_ATTRIBUTES

    def stacks_only_draws(self, items: list[ast.expr]) -> bool:
        """np.c_[np.random.randn(n), np.random.randn(n)], np.r_[rng.normal(size=20) - 2, rng.normal(size=20) + 2]:
        columns drawn in this very statement are generated data, one `load` (CONVENTIONS 28: "a statement that draws
        random numbers for generated data is `load`"); a stack is a concat only of existing arrays (CONVENTIONS 13),
        as `pd.DataFrame({"a": np.random.randn(n)})` is already a load alone."""
        values = [self.expr(item) for item in items]  # type: ignore[attr-defined]
        return len(items) > 1 and not any(value.inputs for value in values) \
            and any(op.op == "load" and op.facts.get("generated") for value in values for op in value.ops)

    def appended_receiver(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"not_a_frame" for `.append` on anything but a pandas frame or series (a list, a list of names)."""
        return None if library_of(recv.kind) == "pandas" else "not_a_frame"

    def dropped_index(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"dropped" for reset_index(drop=True): the old index is thrown away, the rows only renumbered."""
        return "dropped" if is_true(kwarg(node, "drop")) else None

    def popped_label(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"column" for `df.pop("year")`: a label, not a list position."""
        return "column" if node.args and str_const(node.args[0]) is not None else None

    def correlation_pair(self, recv: Val, node: ast.Call) -> Optional[str]:
        """"pair" for `s.corr(other)`: one number; `df.corr()` is a matrix."""
        return "pair" if node.args else None

    def _map_op(self, node: ast.Call) -> Optional[str]:
        """pandas' op for `map` called as `node` (also used for map inside column expressions)."""
        return self.contested_op("pandas", "map", Val(), node, None)


def _replaced_in_place(node: ast.Call) -> Optional[str]:
    """"in_place" for `s.where(cond, v, inplace=True)` / `s.mask(...)`: values replaced where a condition says, in the
    frame itself, as `df[c] = df[c].where(cond, v)` is (a column assignment, CONVENTIONS 19); else None."""
    return "in_place" if isinstance(node.func, ast.Attribute) and is_true(kwarg(node, "inplace")) else None


def _along_rows(call: ast.Call) -> bool:
    """apply(f, axis=1) / axis="columns": f is given each row."""
    axis = kwarg(call, "axis")
    return isinstance(axis, ast.Constant) and axis.value in (1, "columns")


def _written_values(node: ast.AST) -> bool:
    """`[0] * 50`, `[1, 2, 3]`: a list of values written in the code (numbers or text), repeated or not."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _written_values(node.left) or _written_values(node.right)
    return isinstance(node, ast.List) and bool(node.elts) and all(isinstance(e, ast.Constant) for e in node.elts)
