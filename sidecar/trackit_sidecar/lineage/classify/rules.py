"""The named rules that decide contested methods (kb `CONTESTED_METHODS`): each reads one call and names an
outcome; the kb table says which op that outcome is. No op is chosen here."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import BUILTIN_NAMES, LIBRARIES, MISSING_TESTS, PRESENT_TESTS
from ..kb import display as kb_display
from ..kb import numpy as kb_numpy
from ..kb import scipy as kb_scipy
from ..kb import python as kb_python
from ..kb import pandas as kb_pandas
from ..kb import polars as kb_polars
from ..kb import sklearn as kb_sklearn
from .results import _is_number
from .sources import COLUMN_LABELS
from .values import MARKER, Val, chain_root, is_true, kwarg, library_of, str_const, str_list

EFFECT = f"{MARKER}effect:"  # `trackit:effect:<function>`: what a notebook function does to a value (see function_effect)
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
        if isinstance(arg, ast.Name) and self.env.get(arg.id, "") == f"{MARKER}dict":
            return "dict"
        if self._looks_up_a_dict(arg):
            return "dict"
        if isinstance(arg, ast.Lambda) and recodes_a_label(arg.body):
            return "label_recode"
        if self.reduces_to_a_number(arg):
            # df.apply(lambda c: c.isnull().sum()), df[num].apply(lambda x: skew(x.dropna())): one statistic per
            # column, as df.isnull().sum() is; along the rows (axis=1) it is a value per row, which derives
            return "function" if _along_rows(node) else "reduces"
        return self.function_effect(arg) or "function"

    def _looks_up_a_dict(self, arg: ast.AST) -> bool:
        """`lambda x: codes[x]`, `lambda x: codes.get(x, 0)`, `codes.get` with `codes` a dict written in the code: each
        value looked up in that dict, the same mapping as `.map(codes)` (what-is-a-step.md: "`map`/`replace` with a
        dict of category codes: `encode_categorical`")."""
        def is_dict(node: ast.AST) -> bool:
            return isinstance(node, ast.Name) and self.env.get(node.id, "") == f"{MARKER}dict"
        if isinstance(arg, ast.Attribute) and arg.attr == "get":
            return is_dict(arg.value)  # codes.get
        if not (isinstance(arg, ast.Lambda) and len(arg.args.args) == 1):
            return False
        param, body = arg.args.args[0].arg, arg.body
        if isinstance(body, ast.Subscript):
            return is_dict(body.value) and isinstance(body.slice, ast.Name) and body.slice.id == param
        return isinstance(body, ast.Call) and isinstance(body.func, ast.Attribute) and body.func.attr == "get" \
            and is_dict(body.func.value) and bool(body.args) and isinstance(body.args[0], ast.Name) \
            and body.args[0].id == param

    def reduces_to_a_number(self, arg: ast.AST) -> bool:
        """A function that makes one number of what it is given: a NumPy / SciPy reduction by reference
        (`np.mean`, `skew`), or a lambda that reduces its parameter (`lambda c: c.isnull().sum()`,
        `lambda x: skew(x.dropna())`); not `lambda s: s.count("a")`, which counts in each value."""
        if not isinstance(arg, ast.Lambda):
            return self._names_a_reduction(arg)
        params = {a.arg for a in arg.args.args}
        body = arg.body
        if not isinstance(body, ast.Call):
            return False
        if isinstance(body.func, ast.Attribute) and body.func.attr in kb_display.ANSWER_METHODS \
                and (not body.args or body.func.attr == "quantile"):
            return chain_root(body.func.value) in params
        return self._names_a_reduction(body.func) and any(chain_root(a) in params for a in body.args[:1])

    def _names_a_reduction(self, ref: ast.AST) -> bool:
        lib, _, rel = (self._function_path(ref) or "").partition(".")
        return rel.rsplit(".", 1)[-1] in REDUCTIONS.get(lib, ())

    def function_effect(self, arg: ast.AST) -> Optional[str]:
        """What a function applied to each value (or group) does: "fills" (fillna), "cleans_text" (lower, strip,
        re.sub, ...), "casts" (str, int, float), else None. A lambda is read here; a notebook function by its body,
        read where it was defined (`trackit:effect:<name>`)."""
        library_effect = kb_pandas.FUNCTION_OP_EFFECTS.get(self._function_op(arg) or "")
        if library_effect:
            # s.apply(np.log), s.transform(np.log1p), df.apply(pd.to_numeric), df[cols].apply(pd.to_datetime): the
            # library function's own op, value by value or column by column
            return library_effect
        if isinstance(arg, ast.Name):
            if arg.id in kb_python.TYPE_FUNCTIONS:
                return "casts"  # s.apply(str)
            imported = self.env.get(arg.id, "")
            if not imported.startswith(MARKER) and imported.rsplit(".", 1)[-1] in kb_python.TEXT_CLEANING_CALLS:
                return "cleans_text"  # s.apply(word_tokenize), s.apply(unidecode)
            return self.env.get(EFFECT + arg.id)
        if isinstance(arg, ast.Lambda):
            return self.body_effect(arg.body)
        if isinstance(arg, ast.Attribute) and arg.attr in kb_python.TEXT_CLEANING_CALLS:
            return "cleans_text"  # s.apply(str.lower), s.map(str.strip), s.apply(nltk.word_tokenize)
        return None

    def body_effect(self, body: ast.AST) -> Optional[str]:
        """`body`: a lambda's expression, or a function's body as a Module (its returned values are read)."""
        values = [node.value for node in ast.walk(body) if isinstance(node, ast.Return) and node.value] \
            if isinstance(body, ast.Module) else [body]
        if isinstance(body, ast.Module) and recodes_labels_by_branches(body.body):
            # def encoder(b): if b in ("10M", "50M"): return 0; if b == "100M": return 1: each label's code, a dict
            # map written as branches (CONVENTIONS 20: "a dict map/replace that recodes category values")
            return "label_recode"
        if isinstance(body, ast.Module) and values and all(_recodes_by_a_dict(value) for value in values):
            # def binary_map(x): return x.map({"yes": 1, "no": 0}), then df[cols].apply(binary_map): each column's
            # categories recoded through a dict, as df[c].map({...}) is (CONVENTIONS 20: "a dict map/replace that
            # recodes category values")
            return "label_recode"
        ops = [op.op for value in values for op in self.expr(value).ops]  # type: ignore[attr-defined]
        if "impute_missing" in ops or fills_gaps(body):
            return "fills"  # lambda g: g.fillna(g.median()), lambda x: "U" if pd.isnull(x) else x
        cleared = clears_a_code(body) or caps_past_a_bound(body)
        if cleared:
            return cleared  # lambda x: np.nan if x == 0 else x: as replace(0, np.nan) (CONVENTIONS 29)
        if "scale_normalize" in ops or any(self._is_standardisation(v) for v in values):  # type: ignore[attr-defined]
            return "scales"  # lambda x: (x - x.mean()) / x.std(), lambda v: np.log(v + 1)
        made = [(value, ops) for value, ops in ((v, self.expr(v).ops) for v in values) if ops]  # type: ignore[attr-defined]
        if made and all(isinstance(value, ast.Call) and ops[-1].op == "datetime_parse" and not _formats_a_date(value)
                        for value, ops in made):
            # (the parse itself returned: `pd.to_datetime(d).year` takes a part out of the date, which derives)
            return "parses_dates"  # def converter(col): t = col.astype(str).str.pad(4); return pd.to_datetime(d + t)
        calls = {sub.func.attr if isinstance(sub.func, ast.Attribute) else getattr(sub.func, "id", "")
                 for sub in ast.walk(body) if isinstance(sub, ast.Call)}
        if calls & kb_python.TEXT_CLEANING_CALLS or "text_clean" in ops:
            return "cleans_text"  # lambda s: s.lower().strip(), re.sub(r"\W", " ", s)
        if any(_rejoins_words(value) for value in values):
            return "cleans_text"  # lambda x: " ".join(w for w in x.split() if w not in stops): words kept, rejoined
        if isinstance(body, ast.Call) and isinstance(body.func, ast.Name) and body.func.id in kb_python.TYPE_FUNCTIONS \
                and body.args and isinstance(body.args[0], ast.Name):
            return "casts"  # lambda v: int(v); not lambda d: int(d.year), which takes a part out (derive)
        picked = [self.expr(value).ops for value in values if isinstance(value, ast.Subscript)]  # type: ignore[attr-defined]
        if values and len(picked) == len(values) \
                and all(ops and ops[-1].op in ("filter_rows", "outlier_remove") for ops in picked):
            # def outliers(g): return g[(g.x - g.x.median()).abs() > 0.1]: the rows it keeps of what it is given
            return "removes_outliers" if any(ops[-1].op == "outlier_remove" for ops in picked) else "picks_rows"
        return None

    def _function_path(self, ref: ast.AST) -> Optional[str]:
        """The dotted path of a function named by reference (`np.log` -> numpy.log, `skew` imported from scipy)."""
        if isinstance(ref, ast.Attribute) and isinstance(ref.value, ast.Name):
            return f"{self.resolve_name(ref.value.id) or ''}.{ref.attr}"  # type: ignore[attr-defined]
        if isinstance(ref, ast.Name):
            return self.env.get(ref.id, "")
        return None

    def _function_op(self, ref: ast.AST) -> Optional[str]:
        """The library op of a function passed by reference (`np.log`, `log` from `from numpy import log`)."""
        path = self._function_path(ref)
        if path is None:
            return None
        lib, _, rel = path.partition(".")
        module = LIBRARIES.get(lib)
        return getattr(module, "FUNCTIONS", {}).get(rel) if module is not None and rel else None

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
                          or self.env.get(getattr(node.args[0], "id", ""), "").startswith(MARKER + "columns:")):
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
        if isinstance(mapping, ast.Name) and replacement is None and self.env.get(mapping.id, "") == f"{MARKER}dict":
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
            return None
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
        numbers = [arg for arg in node.args if _is_number(arg)]
        data = [arg for arg in node.args if not _is_number(arg) and self.expr(arg).inputs]
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
        return kind is None or kind.startswith(f"{MARKER}columns:") or kind == COLUMN_LABELS

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
            return self.env.get(node.id, "").startswith(MARKER + "columns:")
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

    def assigned_values(self, target: ast.Subscript, rows_mask: Optional[ast.AST], key: Optional[ast.AST],
                        value: ast.AST) -> str:
        """What putting `value` into part of data does (kb.VALUE_ASSIGNMENT): fills gaps ("missing"), standardises
        ("scaled"), clears a text placeholder or a numeric anomaly through a mask ("placeholder_text" /
        "anomaly"), writes positions ("positions"), or makes a column ("column")."""
        written = self._slice_columns(key) if rows_mask is not None else []  # type: ignore[attr-defined]
        if rows_mask is not None and self.fills_gaps_of(rows_mask, written, value):  # type: ignore[attr-defined]
            return "missing"
        if rows_mask is not None and written and is_constant(value) and not is_missing_value(value) \
                and self._is_mask(rows_mask) and not set(written) & set(self.mask_columns(rows_mask)) \
                and set(written) <= set(self.missing_seen(self._target_base(target))):  # type: ignore[attr-defined]
            # merged.loc[merged["region"] == "PR", "state"] = "Puerto Rico" after the notebook looked at where `state`
            # is missing: a value put where the column is null, chosen by another column (what-is-a-step.md:
            # "assigning a value where a column is null: impute_missing")
            return "missing"
        if self._is_standardisation(value) or self._is_share_of_total(value):  # type: ignore[attr-defined]
            return "scaled"
        # df.iloc[2:3, [1, 2]] = np.nan, df.loc[0:3, "age"] = np.nan: rows picked by position, not by a test of values
        rows_tested = rows_mask is not None and self._is_mask(rows_mask)  # type: ignore[attr-defined]
        mask = rows_mask if rows_tested else key if rows_mask is None and key is not None and self._is_mask(key) else None  # type: ignore[attr-defined]
        constant = is_constant(value)
        if mask is not None and constant:
            text = self.compares_text(mask)  # type: ignore[attr-defined]
            if is_missing_value(value):
                return "placeholder_text" if text else "anomaly"
            written = self._slice_columns(key) if rows_mask is not None else []  # type: ignore[attr-defined]
            if text and rows_mask is not None and set(written) & set(self.mask_columns(mask)):  # type: ignore[attr-defined]
                # df.loc[df.shape.isin(["IR1", "IR2"]), "shape"] = "IR": categories of the column lumped;
                # df.loc[df.sex == "male", "sex"] = 0: a category recoded to a number (CONVENTIONS 20)
                return "recode"
            written = self._slice_columns(key) if rows_mask is not None else []  # type: ignore[attr-defined]
            same = set(written) & set(self.expr(mask).columns) if written else \
                rows_mask is None and _mentions_name(mask, self._target_base(target))  # type: ignore[attr-defined]
            if not text and same and _sets_a_bound(mask, value):
                return "anomaly"  # data[data < 0] = 0, df.loc[df.age > 100, "age"] = 100: values past a bound capped
        if mask is not None and isinstance(value, ast.Name) and _compared_with(mask, value.id) \
                and not self.compares_text(mask) and _writes_tested_column(self, target, rows_mask, key, mask):  # type: ignore[attr-defined]
            # df.loc[df[c] > up_limit, c] = up_limit: values past a bound held in a name capped at that bound
            # (CONVENTIONS 29: "clipping, replacing outliers" is outlier_remove), as with a bound written as a number
            return "anomaly"
        if mask is not None and rows_mask is not None and _rescales_itself(target, value) \
                and not self.compares_text(mask) and set(written) & set(self.mask_columns(mask)):  # type: ignore[attr-defined]
            # df.loc[df.age > 100, "age"] = df.loc[df.age > 100, "age"] / 10: values past a bound brought back by
            # correcting their unit, in place; replacing outliers (CONVENTIONS 29)
            return "anomaly"
        if self._writes_positions(target, rows_mask, key) or (mask is not None and constant and rows_mask is None):
            return "positions"
        return "column"

    def _writes_positions(self, target: ast.Subscript, rows_mask: Optional[ast.AST], key: Optional[ast.AST]) -> bool:
        holder = target.value
        if isinstance(holder, ast.Attribute) and holder.attr in ("iloc", "iat", "T"):
            return True
        if isinstance(holder, ast.Attribute) and holder.attr in ("loc", "at"):
            # df.loc[rows] = v: whole rows; df.loc[0:3, "age"] = v: rows by position (`loc[:, c]` is the column)
            return key is None or (isinstance(rows_mask, ast.Slice)
                                   and any((rows_mask.lower, rows_mask.upper, rows_mask.step)))
        base_kind = self.env.get(self._target_base(target) or "", "")  # type: ignore[attr-defined]
        if base_kind.startswith(("pandas.DataFrame", "polars.DataFrame")) and isinstance(key, ast.Constant):
            return False  # df[3] = np.nan: a frame's column labelled 3
        labels = key.elts if isinstance(key, (ast.List, ast.Tuple)) else [key]
        if base_kind.startswith("pandas.Series") and rows_mask is None and key is not None \
                and all(isinstance(item, ast.Constant) for item in labels):
            return True  # s[["Vermont", "Nevada"]] = np.nan: a series' values at rows named by label
        return key is not None and self._is_position(key)

    def _is_position(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Slice):
            return True
        if isinstance(node, ast.Constant):
            return isinstance(node.value, int) and not isinstance(node.value, bool)
        if isinstance(node, ast.UnaryOp):
            return self._is_position(node.operand)
        if isinstance(node, ast.Name):
            return self.env.get(node.id, "") == f"{MARKER}position"
        if isinstance(node, (ast.Tuple, ast.List)):
            return bool(node.elts) and all(self._is_position(e) or isinstance(e, (ast.List, ast.Tuple)) for e in node.elts)
        return False

    def _map_op(self, node: ast.Call) -> Optional[str]:
        """pandas' op for `map` called as `node` (also used for map inside column expressions)."""
        return self.contested_op("pandas", "map", Val(), node, None)


def recodes_a_label(body: ast.AST) -> bool:
    """`1 if x == "Yes" else 0`: constants chosen by equality with a string (not a numeric threshold); and
    `x.replace(">50K", "1")`: a label replaced by a code, a recoding to codes (CONVENTIONS 20), not a spelling fix."""
    if isinstance(body, ast.Call) and isinstance(body.func, ast.Attribute) and body.func.attr == "replace" \
            and len(body.args) == 2 and str_const(body.args[0]) and (str_const(body.args[1]) or "").isdigit():
        return True
    if not isinstance(body, ast.IfExp):
        return False
    if not (isinstance(body.body, ast.Constant) and isinstance(body.orelse, (ast.Constant, ast.IfExp))):
        return False
    test = body.test
    return (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.NotEq, ast.In))
            and any(str_const(c) is not None or str_list(c) is not None  # x in {"L", "XL"}: a set of labels too
                    or (isinstance(c, ast.Set) and str_list(ast.List(elts=c.elts, ctx=ast.Load())) is not None)
                    for c in test.comparators))


def _tests_labels(test: ast.AST) -> bool:
    """`x == "Yes"`, `x in ("10M", "50M")`, joined by `or` / `and`: a test of the value against string labels."""
    if isinstance(test, ast.BoolOp):
        return all(_tests_labels(value) for value in test.values)
    return isinstance(test, ast.Compare) and len(test.ops) == 1 \
        and isinstance(test.ops[0], (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) \
        and isinstance(test.left, ast.Name) and _labels(test.comparators[0])


def _labels(node: ast.AST) -> bool:
    if str_const(node) is not None:
        return True
    if isinstance(node, (ast.Tuple, ast.Set, ast.List)):
        return str_list(ast.List(elts=node.elts, ctx=ast.Load())) is not None
    return False


def recodes_labels_by_branches(body: list[ast.stmt]) -> bool:
    """A function body made only of branches that test the value against string labels and return constants (and a
    constant returned last): `if b in ("10M", "50M"): return 0` / `elif b == "100M": return 1` / `return 2`. Not a
    body that computes anything, nor one whose branches test numbers (`if age < 18: return "child"`, derive_feature)."""
    return _branches_return_constants(body) and any(isinstance(stmt, ast.If) for stmt in body)


def _recodes_by_a_dict(value: ast.AST) -> bool:
    """`x.map({"yes": 1, "no": 0})`, `x.replace({"Y": 1, "N": 0})` of a name: labels written in a dict, each given a
    constant code (not a dict putting a placeholder in, such as `{"?": np.nan}`, nor codes computed)."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in ("map", "replace")
            and isinstance(value.func.value, ast.Name) and len(value.args) == 1 and isinstance(value.args[0], ast.Dict)):
        return False
    mapping = value.args[0]
    return bool(mapping.keys) and all(key is not None and str_const(key) is not None for key in mapping.keys) \
        and all(isinstance(code, ast.Constant) for code in mapping.values)


def _branches_return_constants(body: list[ast.stmt]) -> bool:
    for stmt in body:
        if isinstance(stmt, ast.Expr) and str_const(stmt.value) is not None:
            continue  # a docstring
        if isinstance(stmt, ast.Return):
            if not isinstance(stmt.value, ast.Constant):
                return False
        elif isinstance(stmt, ast.If):
            if not _tests_labels(stmt.test) or not _branches_return_constants(stmt.body) \
                    or not _branches_return_constants(stmt.orelse):
                return False
        else:
            return False
    return True


def missing_tested(condition: ast.AST) -> Optional[tuple[ast.AST, bool]]:
    """(the value tested, whether the condition holds where it is missing) for one test of missingness:
    `s.isna()`, `pd.isnull(x)`, `np.isnan(a)`, `x is None` (missing); `s.notna()`, `~s.isna()`, `not pd.isnull(x)`
    (present). None for any other condition."""
    if isinstance(condition, ast.UnaryOp) and isinstance(condition.op, (ast.Invert, ast.Not)):
        inner = missing_tested(condition.operand)
        return (inner[0], not inner[1]) if inner else None
    if isinstance(condition, ast.Compare) and len(condition.ops) == 1 and is_missing_value(condition.comparators[0]) \
            and isinstance(condition.ops[0], (ast.Is, ast.IsNot)):
        return condition.left, isinstance(condition.ops[0], ast.Is)
    if not isinstance(condition, ast.Call):
        return None
    func = condition.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name not in MISSING_TESTS and name not in PRESENT_TESTS:
        return None
    if condition.args:
        tested = condition.args[0]  # pd.isnull(x), np.isnan(a), math.isnan(v)
    elif isinstance(func, ast.Attribute):
        tested = func.value  # s.isna()
    else:
        return None
    return tested, name in MISSING_TESTS


def same_value(a: ast.AST, b: ast.AST) -> bool:
    """The same variable or the same column of one, however it is written (`df.x` and `df["x"]`)."""
    return _value_key(a) == _value_key(b)


def _value_key(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.attr not in kb_pandas.FRAME_ATTRIBUTES:
        return f"{node.value.id}[{node.attr!r}]"
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and str_const(node.slice) is not None:
        return f"{node.value.id}[{str_const(node.slice)!r}]"
    return ast.dump(node)


def fills_gaps(body: ast.AST) -> bool:
    """A function applied value by value that returns a value where its input is missing and the input itself
    elsewhere: `lambda x: "U" if pd.isnull(x) else x`, or a body with `if pd.isnull(age): return 37 ... return age`
    (what-is-a-step.md: "assigning a value where a column is null: impute_missing"). Returning something else for
    present values (`0 if pd.isnull(x) else 1`) makes an indicator, not a fill."""
    if isinstance(body, ast.IfExp):
        tested = missing_tested(body.test)
        if tested is None:
            return False
        kept = body.orelse if tested[1] else body.body
        return same_value(kept, tested[0])
    if not isinstance(body, ast.Module):
        return False
    returned = [ast.dump(node.value) for node in ast.walk(body) if isinstance(node, ast.Return) and node.value]
    for node in ast.walk(body):
        if isinstance(node, ast.If):
            tested = missing_tested(node.test)
            if tested is not None and isinstance(tested[0], ast.Name) and ast.dump(tested[0]) in returned \
                    and len(set(returned)) > 1:
                return True
    return False


def clears_a_code(body: ast.AST) -> Optional[str]:
    """`np.nan if x == 0 else x`: one value of the input made missing, the input kept otherwise; "anomaly" for a
    number, "placeholder_text" for a string (the outcomes of `replace(code, np.nan)`), else None."""
    if not (isinstance(body, ast.IfExp) and isinstance(body.test, ast.Compare) and len(body.test.ops) == 1
            and isinstance(body.test.ops[0], (ast.Eq, ast.NotEq))):
        return None
    cleared, kept = (body.body, body.orelse) if isinstance(body.test.ops[0], ast.Eq) else (body.orelse, body.body)
    code = body.test.comparators[0]
    if not (is_missing_value(cleared) and same_value(kept, body.test.left) and isinstance(code, ast.Constant)):
        return None
    return "placeholder_text" if isinstance(code.value, str) else "anomaly"


def _replaced_in_place(node: ast.Call) -> Optional[str]:
    """"in_place" for `s.where(cond, v, inplace=True)` / `s.mask(...)`: values replaced where a condition says, in the
    frame itself, as `df[c] = df[c].where(cond, v)` is (a column assignment, CONVENTIONS 19); else None."""
    return "in_place" if isinstance(node.func, ast.Attribute) and is_true(kwarg(node, "inplace")) else None


def caps_past_a_bound(body: ast.AST) -> Optional[str]:
    """`10 if x > 10 else x`, `mean if x < lower or x > upper else x`: the input past an order bound replaced by a
    number or a name (a bound or a statistic), the input kept otherwise: "anomaly", as `df.loc[df.x > 10, "x"] = 10`
    (CONVENTIONS 29: "clipping, replacing outliers" is outlier_remove); else None. An indicator (`1 if x > 60 else
    0`) keeps nothing of the input, and a replacement computed from the input (`x / 10 if x > 100 else x`) derives."""
    if not isinstance(body, ast.IfExp):
        return None
    tests = body.test.values if isinstance(body.test, ast.BoolOp) and isinstance(body.test.op, ast.Or) else [body.test]
    if not all(isinstance(t, ast.Compare) and len(t.ops) == 1 and isinstance(t.ops[0], (ast.Lt, ast.LtE, ast.Gt, ast.GtE))
               for t in tests):
        return None
    kept, put = body.orelse, body.body
    if not all(same_value(kept, t.left) for t in tests):
        kept, put = body.body, body.orelse  # `x if x > 0 else 0`: kept where the test holds, the bound elsewhere
        if not all(same_value(kept, t.left) for t in tests):
            return None
    number = isinstance(put, ast.Constant) and isinstance(put.value, (int, float)) and not isinstance(put.value, bool)
    if isinstance(put, ast.UnaryOp) and isinstance(put.op, ast.USub):
        number = isinstance(put.operand, ast.Constant) and isinstance(put.operand.value, (int, float))
    named = isinstance(put, ast.Name) and not same_value(put, kept)
    return "anomaly" if number or named else None


def arithmetic_result(node: ast.AST) -> bool:
    """Arithmetic of numbers, perhaps rounded (`(df.t // 3600) % 24`, `round(df.a / df.b)`), not a comparison or a
    boolean combination: what an indicator's cast is part of (CONVENTIONS 20)."""
    while isinstance(node, ast.Call) and node.args and (
            (isinstance(node.func, ast.Name) and node.func.id in kb_numpy.ROUNDING_FUNCTIONS)
            or (isinstance(node.func, ast.Attribute) and node.func.attr in kb_numpy.ROUNDING_FUNCTIONS)):
        node = node.args[0]
    return isinstance(node, ast.BinOp) and not isinstance(node.op, (ast.BitAnd, ast.BitOr, ast.BitXor)) \
        and not any(isinstance(sub, ast.Compare) for sub in ast.walk(node))


def casts_to_category(node: ast.Call) -> bool:
    for sub in ast.walk(node):
        if str_const(sub) == "category":
            return True
        if isinstance(sub, ast.Attribute) and sub.attr in ("Categorical", "Enum", "CategoricalDtype"):
            return True
    return False


MISSING_VALUE_NAMES = frozenset({"nan", "NaN", "NAN", "NA", "NaT", "None"})


def is_missing_value(node: ast.AST) -> bool:
    """np.nan, None, pd.NA, float("nan")."""
    if isinstance(node, ast.Constant):
        return node.value is None
    if isinstance(node, ast.Attribute):
        return node.attr in MISSING_VALUE_NAMES
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float" and node.args:
        return str_const(node.args[0]) in ("nan", "NaN")
    return False


def is_constant(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant) or is_missing_value(node)


def _mentions_name(node: ast.AST, name: Optional[str]) -> bool:
    return name is not None and any(isinstance(sub, ast.Name) and sub.id == name for sub in ast.walk(node))


def _rescales_itself(target: ast.AST, value: ast.AST) -> bool:
    """The value is the target's own cells times / divided by / shifted by a number (`x.loc[m, "a"] / 10`)."""
    if not isinstance(value, ast.BinOp) or not isinstance(value.op, (ast.Mult, ast.Div, ast.Add, ast.Sub)):
        return False
    same, number = (value.left, value.right) if isinstance(value.right, ast.Constant) else (value.right, value.left)
    return isinstance(number, ast.Constant) and isinstance(number.value, (int, float)) \
        and not isinstance(number.value, bool) and ast.unparse(same) == ast.unparse(target)


def _compared_with(mask: ast.AST, name: str) -> bool:
    """The name is a side of one of the mask's order comparisons (`df.x > up_limit`, `df.x.gt(up_limit)`): a bound
    (`df.x == v` picks a value, not a tail)."""
    for sub in ast.walk(mask):
        sides: list[ast.AST] = []
        if isinstance(sub, ast.Compare) and all(isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE)) for op in sub.ops):
            sides = [sub.left, *sub.comparators]
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.args \
                and sub.func.attr in ("gt", "ge", "lt", "le"):
            sides = [sub.args[0]]
        if any(isinstance(side, ast.Name) and side.id == name for side in sides):
            return True
    return False


def _writes_tested_column(rules, target: ast.Subscript, rows_mask: Optional[ast.AST], key: Optional[ast.AST],
                          mask: ast.AST) -> bool:
    """The cells written are of the column the mask tests (`df.loc[df[c] > b, c]`, `s[s > b]`), not another one."""
    if rows_mask is None:
        return _mentions_name(mask, rules._target_base(target))
    written = rules._slice_columns(key)
    tested = rules.expr(mask).columns
    if written and tested:
        return bool(set(written) & set(tested))
    # df.loc[df[variable] < low, variable]: the same column named by a variable on both sides
    return key is not None and any(ast.unparse(key) == ast.unparse(sub.slice) for sub in ast.walk(mask)
                                   if isinstance(sub, ast.Subscript))


def _sets_a_bound(mask: ast.AST, value: ast.AST) -> bool:
    """The value put in is one of the mask's own bounds (capping: `df.loc[df.x > 100, "x"] = 100`), not a code
    (binning: `df.loc[(df.age > 16) & (df.age <= 32), "age"] = 1`)."""
    try:
        put = ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    bounds = set()
    for sub in ast.walk(mask):
        sides: list[ast.AST] = []
        if isinstance(sub, ast.Compare):
            sides = [sub.left, *sub.comparators]
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.args \
                and sub.func.attr in ("gt", "ge", "lt", "le"):
            sides = [sub.args[0]]  # df.RoomService.gt(9000): the comparison written as a method
        for side in sides:
            try:
                bounds.add(ast.literal_eval(side))
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
    return put in bounds


# Functions that make one number of an array, by library: applied to each column they give a table of statistics.
REDUCTIONS = {"numpy": kb_numpy.REDUCTIONS, "scipy": kb_scipy.REDUCTIONS}


def _along_rows(call: ast.Call) -> bool:
    """apply(f, axis=1) / axis="columns": f is given each row."""
    axis = kwarg(call, "axis")
    return isinstance(axis, ast.Constant) and axis.value in (1, "columns")


def _written_values(node: ast.AST) -> bool:
    """`[0] * 50`, `[1, 2, 3]`: a list of values written in the code (numbers or text), repeated or not."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _written_values(node.left) or _written_values(node.right)
    return isinstance(node, ast.List) and bool(node.elts) and all(isinstance(e, ast.Constant) for e in node.elts)


def _formats_a_date(value: ast.Call) -> bool:
    """`datetime.strptime(x, "%d.%m.%Y").strftime("%m")`: a parsed date written back as a part or a format of it,
    which derives (CONVENTIONS 21: "Extracting date parts is derive_feature"), not the parse returned."""
    return isinstance(value.func, ast.Attribute) and value.func.attr in ("strftime", "isoformat", "weekday",
                                                                         "isoweekday", "timestamp", "date", "time")


def _rejoins_words(value: ast.AST) -> bool:
    """`" ".join(w for w in x.split() if w not in stops)`: a text's words split, some kept (or changed), joined back
    into a text: the text cleaned (what-is-a-step.md: "`str.split` ... `replace` on text: `text_clean`"), not a part
    picked out of it (`x.split("-")[0]` derives)."""
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "join" \
        and isinstance(value.func.value, ast.Constant) and isinstance(value.func.value.value, str) \
        and any(isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "split"
                for sub in ast.walk(value))
