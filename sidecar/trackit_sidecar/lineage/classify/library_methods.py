"""One method looked up by its receiver (`_method_call`): a generator's draws, a model's methods, frame methods
by library table, contested methods by their named rule, and what a group's reduction makes. Methods of tokenizers,
image generators and objects no library describes are read in model_object_methods.py."""

from __future__ import annotations

import ast
import re
from typing import Optional

from .. import kb
from ..kb import display as kb_display
from ..kb import janitor as kb_janitor
from ..kb import library_functions as kb_library_functions
from ..kb import numpy as kb_numpy
from ..kb import pandas as kb_pandas
from ..kb import polars as kb_polars
from ..kb import sklearn as kb_sklearn
from ..kb import sources as kb_sources
from .date_parts import date_part_of_parsed
from .env_markers import FUNCTION_MARKER, LITERAL_MARKER, REDUCES, REGISTERED_METHOD, WINDOW
from .function_calls import CLASS_CHOOSERS
from .method_shapes import (chained_after_reducing, draws_from_values, group_statistic, reduces_groups,
                            selects_only_statistics)
from .results import PREDICTED
from .missing_values import missing_tested
from .sources import RANDOM_GENERATOR
from .values import Op, Val, called_root, chain_root, duplicates_key, instance_class, is_true, kwarg, library_of, str_const, union

WHOLE_DATE_FORMAT = re.compile(kb_pandas.WHOLE_DATE_FORMAT)


class LibraryMethodRules:
    """Mixin of `Cell` (through `CallRules`): a method's op by receiver and library table."""

    env: dict[str, str]

    def _method_call(self, recv: Val, method: str, node: ast.Call) -> Val:
        if method in CLASS_CHOOSERS and isinstance(node.func, ast.Attribute) \
                and PREDICTED in self.roles_in(node.func.value):
            # lr.predict_proba(X).argmax(axis=1): the class of highest predicted probability, a prediction of its own
            # (CONVENTIONS 26: probabilities turned into classes are a prediction), not a statistic per row
            return Val(ops=list(recv.ops) + [Op("predict", list(recv.inputs), [], None, facts={"method": method})],
                       inputs=list(recv.inputs), kind="numpy.ndarray()")
        cls = instance_class(recv.kind)
        if (cls or "").rsplit(".", 1)[-1] in kb_library_functions.IMAGE_GENERATOR_CLASSES \
                and method in kb_library_functions.IMAGE_GENERATOR_METHOD_OPS:
            return self._image_generator_method(method, node)  # datagen.flow_from_directory("train"): files read
        if cls == RANDOM_GENERATOR:
            return self.random_method(method, self._args(node), node)
        generated = bool(recv.ops) and recv.ops[-1].facts.get("generated") and method == "reshape"
        if generated and not recv.inputs:
            return Val(ops=list(recv.ops), kind=recv.kind)  # np.arange(12).reshape(3, 4): generated in that shape
        # pl_df.to_series(1): a polars frame's column taken out is a pick (kb.polars.COLUMN_PICKS), not a conversion;
        # after a pick (df.select("q").to_series()) it is the same column in another container
        if method in kb_polars.COLUMN_PICKS and library_of(recv.kind) == "polars" \
                and not recv.picked_column and not (recv.ops and recv.ops[-1].op == "select_columns"):
            # other.get_column("id") is the pick other["id"] is: a select_columns only where it ends the assigned
            # expression (assignments), none inside a filter's condition, another call's argument or under a later
            # op (CONVENTIONS 18: "Not a step: a column that is only the operand of a later op ..., or a selection
            # inside another call's argument")
            named = str_const(node.args[0]) if node.args else None
            return Val(ops=list(recv.ops), inputs=list(recv.inputs), base=recv.base, kind=recv.kind,
                       columns=union(recv.columns, [named] if named else []), shown=recv.shown, answer=recv.answer,
                       picked_column=True)
        if recv.inputs and (method in kb_sources.CONVERSION_METHODS or self._is_vector_reshape(method, node)):
            # df.copy(), X.ravel(), x.values.reshape(-1, 1): the same data in another container
            out = Val(ops=list(recv.ops) + [Op("other", list(recv.inputs), [], None, facts={"method": method},
                                                conversion=True)],
                      inputs=list(recv.inputs), base=recv.base, kind=recv.kind, columns=list(recv.columns),
                      shown=recv.shown, answer=recv.answer, picked_column=recv.picked_column)
            if method in ("to_pandas",):
                out.kind = "pandas.DataFrame()"
            elif method in ("lazy", "collect"):
                out.kind = "polars.DataFrame()"
            return out
        if cls and cls.split(".", 1)[0] not in ("pandas", "polars", "numpy"):
            return self.object_method(recv, cls, method, node)
        accessor = self._accessor(recv.kind)
        args = self._args(node)
        # classified per expression below
        arg_ops = [] if method in ("with_columns", "with_column", "assign", "select") else args.ops
        if method in kb.GROUPING_METHODS:
            # df.groupby(df.endTime.dt.date).seconds.sum(): a key computed to group by is part of the aggregation,
            # as a projection around it is (CONVENTIONS 18, 22)
            arg_ops = [o for o in arg_ops if o.op not in kb.GROUP_KEY_OPS or o.output is not None]
        if method == "map" and self._maps_through_own_categories(node):  # type: ignore[attr-defined]
            # df["city"].map(df["city"].value_counts()): the table of counts is a parameter of the encoding, part of
            # that step (CONVENTIONS 9: "A statistic used as a parameter of another step is part of that step")
            arg_ops = []
        out = Val(ops=list(recv.ops) + arg_ops, inputs=list(recv.inputs), base=recv.base,
                   columns=list(recv.columns))
        if REGISTERED_METHOD + method in self.env:
            # clean_df.explode(column_name="genre", sep=",") after `@pf.register_dataframe_method def explode(df, ...)`:
            # the notebook's own function, its body classified where written (CONVENTIONS 1), not pandas' explode
            out.kind = recv.kind
            return out
        if accessor is not None:
            lib, acc = accessor
            op = self._accessor_table(lib, acc).get(method)
            if date_part_of_parsed(method, node.func.value):
                op = None  # .str.strptime(pl.Datetime).dt.date(): the parse already read is the step
            if acc == "dt" and method in kb_pandas.DATE_FORMATTING_METHODS and node.args \
                    and WHOLE_DATE_FORMAT.search(str_const(node.args[0]) or ""):
                op = "type_cast"  # dt.strftime("%Y-%m"): the whole date written as text
            if op:
                detail = f"{acc}.{method}" if op == "encode_categorical" else None
                out.ops.append(Op(op, recv.inputs, recv.columns, detail, facts={"method": f"{acc}.{method}"}))
            out.kind = self._frame_kind(lib)
            return out
        lib = library_of(recv.kind)
        if recv.kind == "grouped" or (recv.kind or "").startswith("grouped:"):
            grouping = next((o for o in reversed(out.ops) if o.op == "aggregate"
                             and o.facts.get("method") in kb.GROUPING_METHODS), None)
            if method in kb.GROUPING_METHODS and grouping is not None:
                # df.groupby("k").resample("M").sum(): a resample by time within groups groups once more; the chain
                # has one transforming call, its reduction, so it is one aggregate by `k` (what-is-a-step.md,
                # Granularity: "one step per transforming call"; "A bare `groupby(...)` ... is not a step")
                grouping.facts["method"] = method
                out.kind = recv.kind
                return out
            if method in kb_pandas.GROUP_ROW_METHODS and grouping is not None:
                # groupby("k").v.cumsum() / shift() / rank() / rolling(3).mean(): a value per row of its group, not
                # one per group: the grouped step derives (CONVENTIONS 22); a window's reduction is absorbed into it
                grouping.op = "derive_feature"
                grouping.facts["method"] = method  # the call that made the values (a window's stays absorbable)
                if method in kb.WINDOW_METHODS:
                    out.kind = recv.kind
                else:
                    out.kind = "pandas.DataFrame()" if recv.kind == "grouped" else recv.kind.split(":", 1)[1]
                return out
            if method in kb_pandas.GROUP_ROW_OPS and grouping is not None:
                # groupby("k").v.ffill() / .head(1): each group's rows filled or picked, the grouped step is that op
                grouping.op = kb_pandas.GROUP_ROW_OPS[method]
                grouping.facts["method"] = method
                out.kind = "pandas.DataFrame()" if recv.kind == "grouped" else recv.kind.split(":", 1)[1]
                return out
            if method in kb_pandas.GROUP_ROW_METHODS and method not in kb.WINDOW_METHODS:
                # groups made in an earlier statement (`g = df.groupby("k")`, then `g.v.cumsum()`): a value per row
                # derives here too, not only in one chain (a window's derives below, its reduction absorbed)
                out.ops.append(Op("derive_feature", recv.inputs, recv.columns, facts={"method": method}))
                out.kind = "pandas.DataFrame()" if recv.kind == "grouped" else recv.kind.split(":", 1)[1]
                return out
            if method in kb_pandas.GROUP_REDUCERS or (method == "pipe" and reduces_groups(node)):
                out.kind = "pandas.DataFrame()" if recv.kind == "grouped" else recv.kind.split(":", 1)[1]
                if self.env.get(WINDOW + (chain_root(node.func) or "")) and not recv.ops:
                    # roll = s.rolling(30) in an earlier statement, then roll.agg(["mean", "std"]): a value per row
                    # over its window, as s.rolling(30).mean() in one chain (CONVENTIONS 22: rolling derives)
                    out.ops.append(Op("derive_feature", recv.inputs, recv.columns, facts={"method": method}))
                    out.kind = "pandas.DataFrame()"
                    return out
                if not any(op.facts.get("method") in kb.GROUPING_METHODS | kb.WINDOW_METHODS for op in recv.ops):
                    # grouped = df.groupby("k") in an earlier statement: the reduction is the aggregate
                    out.ops.append(Op("aggregate", recv.inputs, recv.columns, facts={"method": method}))
                statistic = group_statistic(method, node)
                if statistic and out.ops and out.ops[-1].op == "aggregate":
                    out.ops[-1].facts["statistic"] = statistic  # groupby("k").v.mean(): each group's mean of `v`
                if method == "pipe" and node.args and isinstance(node.args[0], ast.Lambda):
                    # pipe(lambda grp: pd.DataFrame({...}).unstack()): the table of group values is then reshaped,
                    # one step per transforming call of the chain (what-is-a-step.md, Granularity)
                    out.ops.extend(Op(op, recv.inputs, [], None, facts={"method": name})
                                   for name, op in chained_after_reducing(node.args[0].body))
                if self._per_row_group_result(method, node) and out.ops and out.ops[-1].op == "aggregate":
                    # g.transform("mean"), g.apply(top_rows): a value per row, not one per group (CONVENTIONS 22);
                    # g.transform(lambda x: x.fillna(x.median())) fills each group's gaps
                    effect = self.function_effect(node.args[0]) if node.args else None
                    out.ops[-1].op = kb_pandas.GROUP_FUNCTION_OPS.get(effect or "", "derive_feature")
                return out  # absorbed into the groupby step
            lib = None if recv.kind == "grouped" else library_of(recv.kind.split(":", 1)[1])
        if not recv.inputs and not recv.kind and not (isinstance(node.func, ast.Attribute)
                                                      and self.on_a_helpers_result(node.func.value)):
            # method on something we know nothing about (a literal, a call result of unknown code)
            if method in ("fit",):
                return self.object_method(recv, "", method, node)
            if method in kb_sklearn.METHODS and kb_sklearn.METHODS[method]:
                return self.object_method(recv, "", method, node)
            return self._unknown_model_method(recv, method, node) or out
        if recv.kind == LITERAL_MARKER and method in kb_display.COLLECTING_METHODS:
            # states = []; states.extend(df["state"].unique()): values put into a list written in the code, whatever
            # they are; polars' `extend` (a concat) is a frame's method
            return out
        op, lib_used = self._frame_method_op(lib, method, node)
        if lib_used == "polars" and method in kb_sources.DISTINCT_VALUES_METHODS and recv.picked_column \
                and not node.args and not node.keywords:
            # set(solution["video_id"].unique()), for lab in solution["lab_id"].unique(): one polars column's distinct
            # values, as pandas' `s.unique()` gives them (what-is-a-step.md, Inspection: `unique()`); a frame's
            # `unique(subset=...)` drops repeated rows (drop_duplicates)
            op = None
        table_op, op = op, self.contested_op(lib_used, method, recv, node, op)
        if method == "select" and lib_used == "polars" and selects_only_statistics(node):
            # df.select(pl.col("a").mean()), select(pl.len()): numbers about the data, an answer as s.mean() is
            # (CONVENTIONS 9: "A single number (sum, mean, ...) is not a step, even when assigned")
            out.answer = True
            out.kind = self._frame_kind("polars")
            return out
        if method in ("fit", "fit_transform", "transform") and op is None:
            return self.object_method(recv, "", method, node)
        if op is None and method in kb_sklearn.METHODS and kb_sklearn.METHODS[method]:
            return self.object_method(recv, "", method, node)
        if op is None and not recv.kind and not recv.ops:
            named = self._unknown_model_method(recv, method, node)
            if named is not None:
                return named
        out.kind = self._frame_kind(lib_used or lib) if (lib_used or lib) else recv.kind
        if op is None:
            if method in ("to_pandas",):
                out.kind = "pandas.DataFrame()"
            counts_gaps = isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call) \
                and isinstance(node.func.value.func, ast.Attribute) \
                and node.func.value.func.attr in (kb.MISSING_TESTS | kb.PRESENT_TESTS) \
                and _is_axis_zero(kwarg(node, "axis"))
            # (df.isna().sum(axis=0): the gaps counted per column, the definition's `isnull().sum()` (Inspection))
            axis = kwarg(node, "axis")
            # hits.any(axis=None): reduced over every axis at once, one value (CONVENTIONS 9: "a chain that ends in
            # one" number is not a step), as a reduction without axis
            along_an_axis = axis is not None and not (isinstance(axis, ast.Constant) and axis.value is None)
            if method in kb_display.ANSWER_METHODS and along_an_axis and recv.inputs and not counts_gaps \
                    and not self.summarises_scores(node):  # (train_scores.mean(axis=1): as np.mean(train_scores, axis=1))
                # X.mean(axis=0), hits.any(axis=1): one value per column or row, a table of statistics
                # as another call's argument (`df.div(df.sum(axis=1))`) it is part of that step (CONVENTIONS 9)
                # shown, it is an answer like any reduction (display)
                out.ops.append(Op("aggregate", recv.inputs, recv.columns, pick=True, display=True,
                                  facts={"method": method}))
                return out
            out.answer = method in kb_display.ANSWER_METHODS or (
                method == "apply" and self.mapping_argument(recv, node) == "reduces")  # df.apply(np.mean)
            if method in kb_pandas.ROW_RENUMBERING_METHODS and not out.answer:
                # y = df["sii"].reset_index(drop=True): the same column, its rows only renumbered (CONVENTIONS 14),
                # still one column that ends the assigned expression (18), as `df["sii"].copy()` is
                out.picked_column = recv.picked_column
            return out
        columns = union(self._keyword_columns(node), self._positional_columns(node, method))
        inputs = union(recv.inputs, args.inputs if op in ("join", "concat") else [])
        detail: Optional[str] = None
        facts: dict = {"method": method}
        if not recv.kind and method in kb.python.BUILTIN_TYPE_METHODS:
            # s.replace("a", "b") of a value whose kind is unknown: pandas' replace, or a string's (kb/guesses.py)
            facts["inferred_from"] = "unknown_receiver"
        if self.decided_by_names(op, lambda: self.contested_op(lib_used, method, recv, node, table_op)):
            facts["inferred_from"] = "input_name"  # s.mask(s > upper, upper): outliers by the bound's name alone
        if op == "join":
            detail = self._join_key(node)
            facts["params"] = self._join_params(node)
        elif op == "other" and method.startswith(("to_", "write_", "sink_")):
            detail = self._load_detail(node)
        elif op == "encode_categorical":
            detail = self._encode_method(method, node)
        elif op == "impute_missing":
            fill_value_ops = [o for o in arg_ops if o.op == "aggregate" or (
                o.op == "derive_feature" and o.facts.get("method") in kb.GROUPING_METHODS)]
            if fill_value_ops:
                # fillna(df.groupby(keys)[c].transform("median")): the group statistic is how the gaps are
                # filled (the detail), not a step of its own
                out.ops = [o for o in out.ops if all(o is not f for f in fill_value_ops)]
            fill = node.args[0] if node.args else kwarg(node, "value")
            if fill is not None and draws_from_values(fill):
                # fillna(pd.Series(np.random.choice(df.c.dropna().values, size=n))): values drawn to fill the gaps
                # with, and the observed values they are drawn from, are how the gaps are filled (random imputation),
                # not steps of their own (CONVENTIONS 9: a parameter of another step is part of that step)
                out.ops = [o for o in out.ops if all(o is not f for f in arg_ops)]
            if fill_value_ops and method == "fillna":
                facts.update(self._group_fill(node))
                if "statistic" in facts:  # the earlier text, for readers of the JSON; the wording reads the fields
                    detail = f"{facts['statistic']} by {', '.join(facts['group_keys'])}"
            elif method == "fillna":
                facts.update(self._fill_statistic(node))  # fillna(df["Age"].median()): a statistic of the data
        if op == "filter_rows" and method == "drop" and node.args and isinstance(node.args[0], ast.Attribute) \
                and node.args[0].attr == "index" and isinstance(node.args[0].value, ast.Name):
            facts["dropped"] = node.args[0].value.id  # df.drop(part.index): the rows of `part` leave
        if op == "filter_rows" and method == "filter" and len(node.args) == 1 and self._is_mask(node.args[0]):
            op = self._mask_op(node.args[0])
            facts.update(self.mask_op_facts(node.args[0], op, {"conditions": self._mask_conditions(node.args[0])}))
        elif op == "filter_rows" and self._mask_is_outlier(_own_arguments(node)):
            op = "outlier_remove"
            if not self.without_names(lambda: self._mask_is_outlier(_own_arguments(node))):
                facts["inferred_from"] = "input_name"  # df.drop(df[df.x > upper].index): a bound by its name alone
        elif op == "filter_rows" and method == "drop" and _drops_rows_with_gaps(node):
            # df.drop(df[df.HomePlanet.isnull()].index), df.drop(df.loc[df["Electrical"].isnull()].index): the rows
            # where a value is missing leave, as dropna(subset=[...]) drops them (CONVENTIONS 29: "A notnull() / ~isna()
            # row filter is drop_missing")
            op = "drop_missing"
        elif op == "filter_rows" and method == "drop" and _drops_labels_written(node) \
                and self.env.get(duplicates_key(chain_root(node.func.value) or "")):
            # df2[df2.duplicated(["user_id"], keep=False)] shown, then df2.drop(2893) / df2.drop([1899]): the row whose
            # label the notebook read off the repeated rows leaves, a duplicate removed by hand, as drop_duplicates
            # removes it (the Udacity A/B-test project's "Remove one of the rows with a duplicate user_id")
            op = "drop_duplicates"
        elif op == "filter_rows" and method == "query" and self._query_keeps_present(node):
            # df.query("not aum.isnull()"), df.query("aum.notna()"): rows whose value is there (CONVENTIONS 29: "A
            # `notnull()`/`~isna()` row filter is drop_missing"), as df[df.aum.notna()] is
            op = "drop_missing"
            if not self.without_names(lambda: self._query_keeps_present(node)):
                facts["inferred_from"] = "input_name"  # df.query("not @missing_mask"): a mask by its name alone
        if op in ("filter_rows", "outlier_remove") and method == "query" and node.args:
            facts["conditions"] = self._query_conditions(node.args[0])
        produced: list[Op] = []
        # fit(df.drop("y", axis=1), df["y"]) only feeds the call (decided in _args); pop changes its receiver
        pick = op == "drop_columns" and method != "pop" and not is_true(kwarg(node, "inplace"))
        if method in ("with_columns", "with_column", "assign"):
            produced = self._expression_ops(node, recv.inputs)
        elif method == "select" and lib_used == "polars":
            produced = self._expression_ops(node, recv.inputs, selecting=True)
        if method in kb.GROUPING_METHODS and recv.ops and recv.ops[-1].op == "select_columns" and recv.ops[-1].pick:
            # df[["a", "k"]].groupby("k").mean(): the projection belongs to the aggregation (CONVENTIONS 18)
            out.ops = [o for o in out.ops if o is not recv.ops[-1]]
        # pds.frame(size=n).select(pds.random(0.0, 1.0).alias("x1"), ...): columns drawn into the frame, the load's
        # draws (kb.library_functions.GENERATED_COLUMN_FUNCTION_PREFIXES), no step of its own
        drawn_columns = method in ("select", "with_columns") and lib_used == "polars" and bool(node.args) \
            and all(self._draws_a_column(a) for a in node.args)  # type: ignore[attr-defined]
        if not produced and not drawn_columns:
            # a drop names the columns it drops, never those of the data it is chained onto
            own = columns if op == "drop_columns" else union(recv.columns, columns)
            produced = [Op(op, inputs, own, detail, pick=pick, facts=facts)]
        if recv.base and (is_true(kwarg(node, "inplace")) or (method in kb.MUTATING_METHODS and lib_used != "polars"
                                                              and (method, lib_used) != ("append", "pandas"))):
            for item in produced:  # df.dropna(inplace=True), arr.sort(), df.pop("year"): the receiver changes
                item.output = recv.base
        if method in kb_sources.TRANSPOSES:
            for item in produced:
                item.conversion = True  # X.T @ X: turned around to compute with (kept only as a whole assignment)
        out.ops.extend(produced)
        out.inputs = inputs
        out.computed = method == "eval"  # df.eval("a + b == 0"): a computed value (its cast is part of it)
        if op == "aggregate" and (method in kb.GROUPING_METHODS or method == "value_counts"):
            # the columns grouped by, apart from those aggregated (picked after it: groupby("k")["v"]); a value count
            # groups by the values counted
            keys = union(recv.columns, columns) if method == "value_counts" else columns
            for item in produced:
                if keys:
                    item.facts["group_keys"] = list(keys)
        if op == "aggregate" and method in kb.GROUPING_METHODS:
            out.kind = "grouped" if not lib_used or lib_used == "pandas" else f"grouped:{self._frame_kind(lib_used)}"
        if op == "derive_feature" and method in kb.WINDOW_METHODS:
            out.kind = "grouped"
        return out

    def on_a_helpers_result(self, receiver: ast.AST) -> bool:
        """`receiver` is, or is chained onto, what a notebook function returned (`parse_file(p)`, `totals(df).loc[m]`,
        `parse_file(p).rename(...)`): data whose further transforming calls are the cell's own steps, written here
        (what-is-a-step.md, Granularity), though the helper's call is none (CONVENTIONS 1). A function bound to an op
        (a loader, a hand-written model: CONVENTIONS 4) makes its own kind of value and is not meant."""
        return self.env.get(called_root(receiver) or "") == FUNCTION_MARKER

    def _per_row_group_result(self, method: str, node: ast.Call) -> bool:
        """groupby(...).transform(...) keeps one value per row; groupby(...).apply(f) too when the notebook's f does
        not reduce a group to one value."""
        if method == "transform":
            return True
        if method == "apply" and node.args and self.reduces_to_a_number(node.args[0]):
            # g.v.apply(lambda x: x.str[:2].unique()): each group reduced to its distinct codes, one result per group;
            # the text work inside only computes it
            return False
        if method == "apply" and node.args and self.function_effect(node.args[0]) in kb_pandas.GROUP_FUNCTION_OPS:
            return True
        if method == "apply" and node.args and isinstance(node.args[0], ast.Name):
            marker = self.env.get(node.args[0].id, "")
            return marker.startswith(FUNCTION_MARKER) and self.env.get(REDUCES + node.args[0].id) is None
        return False

    @staticmethod
    def _is_vector_reshape(method: str, node: ast.Call) -> bool:
        """x.reshape(-1, 1) / x.reshape(n, 1) / x.reshape(-1): a column or flat vector, the same values."""
        if method != "reshape":
            return False
        shape = node.args[0].elts if len(node.args) == 1 and isinstance(node.args[0], ast.Tuple) else node.args
        consts = [a.value if isinstance(a, ast.Constant) else -1 if isinstance(a, ast.UnaryOp) else None for a in shape]
        return len(shape) == 1 and consts == [-1] or len(shape) == 2 and (1 in consts or consts == [1, -1])

    def _frame_method_op(self, lib: Optional[str], method: str, node: ast.Call) -> tuple[Optional[str], Optional[str]]:
        """Look the method up in the receiver's library table first, then the others."""
        order = {"polars": ("polars", "pandas", "numpy"), "numpy": ("numpy", "pandas", "polars")}.get(
            lib or "", ("pandas", "polars", "numpy"))
        tables = {"pandas": kb_pandas.METHODS, "polars": kb_polars.METHODS, "numpy": kb_numpy.METHODS}
        # pyjanitor's methods, registered on pandas frames by `import janitor`: after the libraries' own names
        janitor = ("janitor",) if lib in (None, "pandas") and method in kb_janitor.METHODS else ()
        if method in kb_pandas.ARITHMETIC_METHODS and node.args and str_const(node.args[0]) is not None:
            # url = re.compile(...); url.sub("", text): a pattern's replacement in a text, not a frame's subtraction
            return None, None
        for name in order:
            table = tables[name]
            if method in table:
                return table[method], name
        if janitor:
            return kb_janitor.METHODS[method], "pandas"
        return None, None


def _is_axis_zero(axis: Optional[ast.AST]) -> bool:
    """`axis=0` / `axis="index"`: pandas' default axis written out."""
    return isinstance(axis, ast.Constant) and axis.value in (0, "index", "rows")


def _drops_labels_written(node: ast.Call) -> bool:
    """`df.drop(2893)`, `df.drop([1899])`, `df.drop(index=[10, 11])`: row labels written in the code as whole numbers."""
    labels = node.args[0] if node.args else kwarg(node, "index")
    items = labels.elts if isinstance(labels, (ast.List, ast.Tuple)) else [labels]
    return bool(items) and all(isinstance(item, ast.Constant) and type(item.value) is int for item in items)


def _drops_rows_with_gaps(node: ast.Call) -> bool:
    """`df.drop(df[df.c.isnull()].index)` / `df.drop(index=df.loc[df["c"].isna()].index)`: the labels dropped are those
    of the rows a test of missingness picks (where the value is missing)."""
    labels = node.args[0] if node.args else kwarg(node, "index")
    if not (isinstance(labels, ast.Attribute) and labels.attr == "index" and isinstance(labels.value, ast.Subscript)):
        return False
    tested = missing_tested(labels.value.slice)
    return tested is not None and tested[1]


def _own_arguments(node: ast.Call) -> ast.Call:
    """The call with its receiver left out: the rows a filter keeps are decided by what it is given (`query("x <
    x.mean() + 3 * x.std()")`), not by what its receiver was computed from (`.agg(["mean", "std"]).head(3)` keeps the
    first three rows of a table of statistics, a filter_rows)."""
    func = node.func
    if isinstance(func, ast.Attribute):
        func = ast.Attribute(value=ast.Name(id="_", ctx=ast.Load()), attr=func.attr, ctx=ast.Load())
    return ast.Call(func=func, args=node.args, keywords=node.keywords)
