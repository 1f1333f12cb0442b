"""Subscripts (`df[...]`, `.loc` / `.iloc` / `.at` / `.iat`, `arr[...]`, `np.r_[...]`): the row filters, column
selections, sorts and samples they make, or the single value they pick. A mask over the columns (`df.loc[:, mask]`)
is read in column_masks.py."""

from __future__ import annotations

import ast
import re
from typing import Optional

from .. import kb
from ..kb import models as kb_models
from ..kb import numpy as kb_numpy
from ..kb import pandas as kb_pandas
from ..kb import sklearn as kb_sklearn
from ..kb import sources as kb_sources
from .env_markers import COLUMN_LABELS, DICT_MARKER, FOLD_ROWS_MARKER, FRAME_CLASSES, LISTED_STRINGS
from .results import PREDICTED, ROLE
from .shuffled_positions import PERMUTATION_MARKER
from .sklearn_rules import FITTED_MODEL
from .column_labels import is_index_expression
from .column_masks import column_label_mask, tests_each_column
from .fitted_items import picks_one_fitted_item
from .values import MARKER, Op, Val, chain_root, dict_items_key, instance_class, short, str_const, str_list, union

# A year, a month or a day written as text (`"2017"`, `"2017-03"`, `"2017-03-05"`): as a row label of a time index it
# picks that period's rows (pandas' partial string indexing).
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{1,2}){0,2}$")


def _every_position(node: ast.AST) -> bool:
    """`:` as an index: every row or column."""
    return isinstance(node, ast.Slice) and node.lower is None and node.upper is None and node.step is None


class SubscriptRules:
    """Mixin of `Cell`: what a subscript is (`subscript`, reached from `expr`)."""

    env: dict[str, str]

    def _summary_table_model(self, node: ast.Subscript) -> Optional[str]:
        """The fitted model `results` of `results.summary2().tables[1]` / `results.summary().tables[1]`, else None."""
        tables = node.value
        if not (isinstance(tables, ast.Attribute) and tables.attr == "tables" and isinstance(tables.value, ast.Call)
                and isinstance(tables.value.func, ast.Attribute)
                and tables.value.func.attr in kb_models.SUMMARY_METHODS):
            return None
        model = tables.value.func.value
        return model.id if isinstance(model, ast.Name) and self._is_fitted(model) else None  # type: ignore[attr-defined]

    def subscript(self, node: ast.Subscript) -> Val:
        if isinstance(node.value, ast.Attribute) and node.value.attr in kb_sklearn.PART_ATTRIBUTES:
            # pre.named_transformers_["cat"], pipe.named_steps["model"]: a part of a pipeline, an estimator; of a
            # pipeline fitted right there (`m = Pipeline([...]).fit(X, y).named_steps["m"]`) the fit is the statement's
            # step, the part it keeps a fitted model (as `.named_steps.m`: attributes.py)
            owner = self.expr(node.value.value)
            fitted_here = bool(owner.ops) and owner.ops[-1].op == "fit_model" and not owner.base
            return Val(ops=list(owner.ops)) if fitted_here else Val()
        summarised = self._summary_table_model(node)
        if summarised is not None:
            # coef_table = results.summary2().tables[1]: a fitted model's coefficients with their standard errors,
            # t statistics and p-values as a table, a results table: evaluate when kept, shown it is like
            # `.summary()` itself (CONVENTIONS 27)
            return Val(ops=[Op("evaluate", [summarised], [], None,
                               facts={"method": "summary", "model": summarised, "result_table": True})],
                       inputs=[summarised], kind="pandas.DataFrame()")
        if picks_one_fitted_item(node):
            recv = self.expr(node.value)
            if recv.ops and recv.ops[-1].op == "predict" and recv.ops[-1].facts.get("method") == node.value.attr:  # type: ignore[attr-defined]
                # affair_mod.fittedvalues[1000]: one fitted value looked at, an answer (fitted_items.py)
                return Val(ops=recv.ops[:-1], answer=True)
        if isinstance(node.value, ast.Name) and self.env.get(node.value.id) == DICT_MARKER \
                and dict_items_key(node.value.id) in self.env:
            kind = self.env[dict_items_key(node.value.id)]
            if (instance_class(kind) or "").startswith(FRAME_CLASSES):
                return Val(kind=kind, inputs=[node.value.id], base=node.value.id)  # data["sat"]: a table read into a dict
            return Val(kind=kind)  # encoders[col]: the encoder kept under that key
        if self._entry_of_written_dict(node):
            # model = models["XGBRegressor"]["model"] after models = {"XGBRegressor": {"model": XGBRegressor()}}: an
            # entry of a dict the notebook wrote, looked up by key, not a column of data (CONVENTIONS 18 is about
            # tables' columns)
            return Val()
        indexer: Optional[str] = None
        if isinstance(node.value, ast.Attribute) and node.value.attr in ("loc", "iloc", "at", "iat"):
            recv = self.expr(node.value.value)
            indexer = node.value.attr
        else:
            recv = self.expr(node.value)
        if self._is_path(recv.kind):  # np.r_[a, b], typing generics
            path = recv.kind or ""
            if short(path) in ("c_", "r_"):
                # (np.c_[train[["x1", "x2"]].values, test[["x1", "x2"]].values]: the lists that pick a table's columns
                # are selections of data, not names put in the stack; the stack is a concat, CONVENTIONS 13, 18)
                selections = {sub.slice for sub in ast.walk(node.slice) if isinstance(sub, ast.Subscript)}
                if any(str_list(item) is not None for item in ast.walk(node.slice) if item not in selections):
                    return Val()  # np.r_[names, ["IsAlone"]]: column names, not data (CONVENTIONS 15)
                if not isinstance(node.slice, ast.Tuple) and isinstance(node.value, ast.Attribute):
                    # np.c_[df[["age", "bp"]]], np.c_[df["time"]]: one table made a 2-D array, nothing put beside
                    # it: read as np.array(df[["age", "bp"]]) is (CONVENTIONS 12, 18), not a concat (13: "two or more")
                    as_array = ast.copy_location(ast.Call(func=ast.copy_location(ast.Attribute(
                        value=node.value.value, attr="array", ctx=ast.Load()), node.value), args=[node.slice],
                        keywords=[]), node)
                    return self.expr(as_array)
                items = self.expr(node.slice)
                pieces = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
                stacked = self.stacks_one_variable(pieces)  # type: ignore[attr-defined]
                if stacked == "names":
                    return Val()  # np.r_[enc.feature_names_in_, ["IsAlone"]]: column names (CONVENTIONS 15)
                if stacked == "generated":
                    return Val(ops=items.ops, inputs=items.inputs, kind="numpy.ndarray()")  # drawn here: one load
                if stacked == "one_variable":
                    # np.c_[np.ones((m, 1)), X]: a column of ones added to one variable (CONVENTIONS 13: derive)
                    # ... and the variable's own functions beside it (`np.c_[X, np.square(X)]`) are the design matrix's
                    kept = [o for o in items.ops if not (o.facts.get("generated")
                                                          and o.facts.get("method") in kb_sources.FILLED_GENERATORS)
                            and not (o.pick or o.conversion)
                            and not (o.op == "derive_feature" and o.output is None)]
                    return Val(ops=kept + [Op("derive_feature", items.inputs, facts={"method": short(path)})],
                               inputs=items.inputs, kind="numpy.ndarray()")
                # (the columns picked to be stacked, `train[["x1", "x2"]].values`, are part of the stack, as inside
                # np.hstack's argument: CONVENTIONS 18, a selection inside another call's argument is no step)
                kept = [o for o in items.ops if not (o.pick or o.conversion)]
                return Val(ops=kept + [Op("concat", items.inputs, facts={"method": short(path)})],
                           inputs=items.inputs, kind="numpy.ndarray()")
            return Val()
        if indexer is None and recv.kind == COLUMN_LABELS:
            return Val(kind=COLUMN_LABELS)  # np.array(cols)[mask]: some of the names
        if indexer is None and isinstance(node.value, ast.Name) \
                and (self.env.get(node.value.id) == COLUMN_LABELS
                     or (isinstance(node.slice, ast.Slice)
                         and self.env.get(node.value.id, "").startswith(LISTED_STRINGS))):
            # cols1 = cols[:len(cols) // 2], s[s] with s = (X.dtypes == "object"): part of a list of column names
            # (or of a test indexed by them), names still (CONVENTIONS 15)
            return Val()
        if indexer is None and isinstance(node.value, ast.Call) \
                and short(self.module_path(node.value.func) or "") in kb_numpy.IDENTITY_MATRICES:
            labels = self.expr(node.slice)
            if labels.inputs:
                # np.eye(10)[y]: the identity matrix's rows picked by the labels, one indicator column per class, a
                # one-hot encoding (CONVENTIONS 20), not an identity matrix made in code (a load)
                # (np.eye(10)[y.astype(int)]: the cast only feeds the encoding, as a cast inside an argument does)
                return Val(ops=[op for op in labels.ops if op.op != "type_cast"] + [Op("encode_categorical", list(labels.inputs), [], "one-hot",
                                                facts={"method": "eye"})],
                           inputs=list(labels.inputs), kind="numpy.ndarray()")
        if indexer is None and self.holds_fitted_models(node.value):  # type: ignore[attr-defined]
            # GBC_models[104].make_predictions(X): one of the fitted models the dict was filled with
            return Val(kind=FITTED_MODEL, base=node.value.id)  # type: ignore[attr-defined]
        out = Val(ops=list(recv.ops), inputs=list(recv.inputs), base=recv.base, kind=recv.kind,
                   columns=list(recv.columns), shown=recv.shown, answer=recv.answer)
        if indexer is None and recv.inputs and not recv.answer and isinstance(node.value, (ast.Name, ast.Attribute)) \
                and self._adds_an_axis(node.slice):
            # y[:, np.newaxis], x[:, None]: every value kept, the array given one more axis, as y.reshape(-1, 1) is: a
            # conversion (CONVENTIONS 12 lists `[:, np.newaxis]`), `other` when it is the whole right-hand side; of a
            # variable only (`tf.math.not_equal(ids, 0)[:, tf.newaxis]` is a mask given an axis, CONVENTIONS 15)
            out.ops.append(Op("other", list(recv.inputs), [], None, facts={"method": "newaxis"}, conversion=True))
            return out
        if indexer in (None, "loc") and out.ops and str_const(node.slice) is not None \
                and out.ops[-1].facts.get("method") in kb_models.PER_PARAMETER_TABLE_METHODS:
            # res.conf_int().loc["income"]: one parameter's interval, read as res.params["income"] is (CONVENTIONS 27)
            out.ops.pop()
            out.answer = True
        if indexer in (None, "iloc", "iat") and out.ops and out.ops[-1].op == "aggregate" \
                and out.ops[-1].facts.get("method") in kb_numpy.PAIRWISE_MATRICES and _one_cell(node):
            # r = np.corrcoef(x, y)[0][1], np.cov(a, b)[0, 1]: one coefficient of the pairwise matrix, a single number
            # (CONVENTIONS 9: "A single number ... is not a step, even when assigned"), not the matrix (an aggregate)
            out.ops = self.kept_anywhere(out.ops[:-1])  # type: ignore[attr-defined]
            out.answer = True
            return out
        counts = len(out.ops) - 1
        if counts > 0 and out.ops[counts].op == "other" \
                and out.ops[counts].facts.get("method") in kb_pandas.COUNT_TABLE_CONVERSIONS:
            counts -= 1  # value_counts().values[0]: the counts as an array, indexed the same way
        if indexer in (None, "loc", "iloc", "at", "iat") and counts >= 0 and out.ops[counts].op == "aggregate" \
                and out.ops[counts].facts.get("method") in kb_pandas.COUNT_TABLES and _is_scalar_label(node.slice):
            # neg = df.Outcome.value_counts()[0], df.A.value_counts().values[1] / len(df): one value's count, a single
            # number (CONVENTIONS 9: "A single number ... is not a step, even when assigned"), not the counts table
            out.ops = self.kept_anywhere(out.ops[:counts])  # type: ignore[attr-defined]
            out.answer = True
            return out
        accessor = self._accessor(recv.kind)
        if accessor is not None and accessor[1] == "str":
            # s.str[0:2]: part of each string, as str.slice
            out.ops.append(Op("text_clean", recv.inputs, recv.columns, facts={"method": "str.slice"}))
            out.kind = self._frame_kind(accessor[0])
            return out
        if not recv.inputs and recv.kind and not recv.kind.startswith(MARKER) \
                and not any(op.op == "load" for op in recv.ops) \
                and not self.on_a_helpers_result(node.value):  # type: ignore[attr-defined]
            # subscript of a fitted object / module attribute: nothing to say; a table read in the same chain
            # (`pd.read_csv(p)[cols]`) is data, its columns picked as anywhere else (CONVENTIONS 18), and so is what a
            # notebook function returned, renamed in the chain (`parse(p).rename(...).loc[m]`)
            return out
        if isinstance(node.value, ast.Attribute) and node.value.attr in kb_models.PARAMETER_ATTRIBUTES \
                and self._around_a_model(node.value.value):  # type: ignore[attr-defined]
            # lr.coef_[0, :], nb.feature_count_[1, :]: part of a fitted model's parameters, not rows of data
            # (CONVENTIONS 27: reading coef_ ... and tables built only from them are no steps)
            return out
        if recv.ops and recv.ops[-1].op in ("predict", "evaluate", "split", "fit_model"):
            # model.predict_proba(X)[:, 1], smf.ols(...).fit().params["t"]: picking from a result, not data columns
            return out
        if not recv.ops and isinstance(node.slice, ast.Slice) and indexer in (None, "iloc") \
                and chain_root(node.value) is not None \
                and self.env.get(ROLE + (chain_root(node.value) or "")) == PREDICTED:
            # predictions.predicted_mean.iloc[-window:] after predictions = res.get_prediction(...): the last
            # predictions by position, part of the prediction (CONVENTIONS 26), not rows of data filtered
            return out
        rows: Optional[ast.AST]
        cols: Optional[ast.AST]
        slice_node = node.slice
        if isinstance(slice_node, ast.Lambda) and len(slice_node.args.args) == 1 and self._is_mask(slice_node.body):
            # df.loc[lambda x: x["cycle"] == "1"], df[lambda d: d.age > 3]: the rows a condition on the frame keeps,
            # as df.loc[df["cycle"] == "1"] (pandas' callable indexing, common in method chains)
            slice_node = slice_node.body
        if indexer is not None:
            if isinstance(slice_node, ast.Tuple) and len(slice_node.elts) == 2 \
                    and all(_is_scalar_label(e) for e in slice_node.elts):
                out.answer = True  # C.loc["Yes", "Yes"], df.loc["Ariana Grande", "SkipRate"]: one value (CONVENTIONS 9)
                return out
            if isinstance(slice_node, ast.Tuple) and len(slice_node.elts) == 2:
                rows, cols = slice_node.elts
            else:
                rows, cols = slice_node, None
        elif _reverses(slice_node):
            out.ops.append(Op("sort", recv.inputs, [], None, facts={"method": "[::-1]"}))  # CONVENTIONS 30
            return out
        elif isinstance(slice_node, ast.Name) and self.env.get(slice_node.id) == FOLD_ROWS_MARKER:
            rows, cols, indexer = slice_node, None, "iloc"  # X[train_index] in a loop over skf.split(X, y): rows
        elif self._is_mask(slice_node) or isinstance(slice_node, ast.Slice) or _applies_a_predicate(slice_node):
            rows, cols = slice_node, None  # df[df.x > 0], df[:100], arr[5:8], df[:"2004"]: rows
        elif isinstance(slice_node, ast.Tuple) and len(slice_node.elts) == 2 and str_list(slice_node) is None:
            if all(isinstance(e, (ast.Constant, ast.UnaryOp)) for e in slice_node.elts):
                out.answer = True  # confusion[1, 1]: one element
                return out
            (rows, cols), indexer = slice_node.elts, "iloc"  # arr[1000:, :], X[:, 1:]: NumPy positions
        else:
            rows, cols = None, slice_node
        order = next((key for key in (rows, cols) if key is not None and _is_an_ordering(key)), None)
        if order is not None:
            # df.loc[df.mean(axis=1).sort_values().index], df[s.sort_values().index]: every row (or column), in
            # another order: a sort (CONVENTIONS 30), not rows or columns picked
            out.ops.append(Op("sort", recv.inputs, [], None, display=recv.shown, facts={"method": "ordered_index"}))
            rows = None if order is rows else rows
            cols = None if order is cols else cols
        if rows is not None and (_is_a_permutation(rows) or (
                isinstance(rows, ast.Name) and self.env.get(rows.id) == PERMUTATION_MARKER)):
            # df.iloc[np.random.permutation(len(df))]: every row in a random order, a shuffle (CONVENTIONS 30:
            # "permutation ... resampling [is] `sample`"), not rows picked
            out.ops.append(Op("sample", recv.inputs, [], None, display=recv.shown, facts={"method": "permutation"}))
            rows = None
        rows_filtered = False  # a condition on the rows picked them in this same .loc (see below)
        if rows is not None and not (isinstance(rows, ast.Slice) and rows.lower is None and rows.upper is None):
            if self._is_mask(rows) or _applies_a_predicate(rows):
                mask_val = self.expr(rows)
                op = self._mask_op(rows)
                facts = self.mask_op_facts(rows, op, {"method": "sample"} if op == "sample"
                                           else {"conditions": self._mask_conditions(rows)})
                if op == "filter_rows" and _names_a_part(rows):
                    facts["method"] = "part_mask"  # X.loc[train], X.loc[~train]: rows of the part the mask names
                out.ops.append(Op(op, recv.inputs, union(mask_val.columns), display=recv.shown, facts=facts))
                # df.loc[df.x.notna(), "x"], X.loc[mask, [c]]: the rows a condition keeps and their columns, picked by
                # one indexing; that indexing is one step, the row filter (what-is-a-step.md, Granularity: one step
                # per transforming call), not a filter and a selection (CONVENTIONS 18's single column ends a chain
                # of its own: `df.query(...)["v"]`)
                rows_filtered = indexer == "loc"
            elif isinstance(rows, ast.Slice) or (indexer in ("iloc", "loc") and self._names_rows(rows)) \
                    or (indexer == "iloc" and (cols is None or _every_position(cols)) and _is_int(rows)) \
                    or (indexer == "loc" and cols is None and PARTIAL_DATE.match(str_const(rows) or "")):
                # (df.loc["2017"], .loc["2017-03"]: pandas' partial string indexing, the rows of that period)
                # positions or labels of rows: X.iloc[train_idx], df.loc[["a", "b"]], arr[:-20], dta.iloc[1000],
                # X[0, :] (one row, every column, as dta.iloc[0]);
                # rows picked by an index array inside another call's arguments (`fit(X.iloc[tr], ...)`) only feed
                # the call, rows held out by a fixed slice (`sm.OLS(y.iloc[:14], ...)`) are a filter of their own
                # (X[tr] / X.iloc[tr] with `tr` a fold's positions from skf.split: that fold's part, a split whatever
                # it is named, CONVENTIONS 16: "selecting KFold indices" gives one split per output)
                fold = isinstance(rows, ast.Name) and self.env.get(rows.id) == FOLD_ROWS_MARKER
                out.ops.append(Op("split" if fold else "filter_rows", recv.inputs,
                                  pick=not (isinstance(rows, ast.Slice) and indexer == "iloc"),
                                  display=recv.shown, facts={"method": "slice"}))
        if isinstance(cols, ast.Slice) and cols.lower is None and cols.upper is None and cols.step is None:
            cols = None  # X[1000:, :]: every column
        if (recv.kind or "").startswith("grouped") and cols is not None:
            # df.groupby("k")["v"].mean(), grouped[["a", "b"]].agg(...): the aggregated columns belong to the groupby
            if out.ops:
                out.ops[-1].columns = union(out.ops[-1].columns, self._slice_columns(cols))
            out.columns = union(out.columns, self._slice_columns(cols))
            return out
        label_mask = column_label_mask(cols) if indexer == "loc" and cols is not None else None
        if label_mask is not None:
            # df.loc[:, ~df.columns.str.contains("^Unnamed")]: columns dropped by a test of their labels; without the
            # negation, columns picked by it (CONVENTIONS 18: `.loc[:, cols]` selects; `drop(columns=...)` drops)
            out.ops.append(Op(label_mask, recv.inputs, [], None, display=recv.shown, facts={"method": "label_mask"}))
        elif cols is not None and indexer in ("iloc", "loc") and self._positional_columns_slice(cols):
            out.ops.append(Op("select_columns", recv.inputs, self._slice_columns(cols), pick=True,
                               display=recv.shown))
        elif cols is not None:
            single = str_const(cols)
            col_list = self._slice_columns(cols)
            if (recv.kind or "").startswith("grouped") and out.ops:
                # df.groupby("k")["v"].mean(): the aggregated column belongs to the groupby step
                out.ops[-1].columns = union(out.ops[-1].columns, col_list)
                return out
            if single is not None or self._is_single_column_name(cols, recv.kind):
                out.columns = union(out.columns, col_list)
                out.picked_column = not rows_filtered
            elif rows_filtered:
                out.columns = union(out.columns, col_list)
            elif col_list or self._names_column_list(cols):
                out.ops.append(Op("select_columns", recv.inputs, col_list, pick=True, display=recv.shown))
            elif indexer == "loc" and tests_each_column(cols):
                # df.loc[:, df.nunique() > 1], X.loc[:, X.var() > 0.01], df.loc[:, (df != 0).any()]: the columns a test
                # of each column's values keeps, picked by `.loc[:, ...]` (CONVENTIONS 18: `.loc[:, cols]` selects)
                out.ops.append(Op("select_columns", recv.inputs, [], pick=True, display=recv.shown,
                                  facts={"method": "column_mask"}))
        return out

    def _adds_an_axis(self, key: ast.AST) -> bool:
        """`[:, np.newaxis]`, `[:, None]`, `[np.newaxis, :]`: full slices and at least one new axis, nothing picked."""
        items = key.elts if isinstance(key, ast.Tuple) else [key]
        new_axis = [item for item in items if isinstance(item, ast.Constant) and item.value is None
                    or short(self.module_path(item) or "") == "newaxis"]  # type: ignore[attr-defined]
        return bool(new_axis) and all(item in new_axis or isinstance(item, ast.Slice) and item.lower is None
                                      and item.upper is None and item.step is None
                                      or isinstance(item, ast.Constant) and item.value is Ellipsis for item in items)

    def _names_rows(self, node: ast.AST) -> bool:
        """X.iloc[train_idx] / df.loc[[1, 5]] / df.iloc[idx[:800]]: an index array (or part of one) or a list of
        row labels."""
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Slice):
            node = node.value  # idx[:800]: the first positions of a (shuffled) index array
        if isinstance(node, ast.Name):
            # (idx[:800] of shuffled positions: rows too, the first 800 of a random order)
            marker = self.env.get(node.id, "")
            return marker in (FOLD_ROWS_MARKER, PERMUTATION_MARKER) or not marker.startswith(MARKER)
        return isinstance(node, (ast.List, ast.Call, ast.Attribute)) or is_index_expression(node)


def _is_int(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool)


def _reverses(node: ast.AST) -> bool:
    """[::-1]: the rows in reverse order."""
    return isinstance(node, ast.Slice) and node.lower is None and node.upper is None and node.step is not None \
        and isinstance(node.step, ast.UnaryOp) and isinstance(node.step.operand, ast.Constant) \
        and node.step.operand.value == 1


def _is_an_ordering(key: ast.AST) -> bool:
    """`s.sort_values().index`, `s.sort_values(ascending=False).index[::-1]`, `np.argsort(x)`, `x.argsort()`: every
    label or position of the data, in an order (a slice of it, `.index[:10]`, picks some: not an ordering)."""
    if isinstance(key, ast.Subscript) and _reverses(key.slice):
        key = key.value
    if isinstance(key, ast.Attribute) and key.attr == "index":
        key = key.value
        return isinstance(key, ast.Call) and isinstance(key.func, ast.Attribute) \
            and key.func.attr in ("sort_values", "sort_index")
    return isinstance(key, ast.Call) and isinstance(key.func, ast.Attribute) and key.func.attr == "argsort"


def _one_cell(node: ast.Subscript) -> bool:
    """`m[0, 1]`, `m[0][1]`: one element of a two-axis matrix picked by two numbers written in the code."""
    def number(item: ast.AST) -> bool:
        return isinstance(item, ast.Constant) and isinstance(item.value, int)
    if isinstance(node.slice, ast.Tuple):
        return len(node.slice.elts) == 2 and all(number(item) for item in node.slice.elts)
    return number(node.slice) and isinstance(node.value, ast.Subscript) and number(node.value.slice)


def _is_a_permutation(node: ast.AST) -> bool:
    """`np.random.permutation(len(df))`, `rng.permutation(df.index)`: every position, in a random order."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "permutation"


def _applies_a_predicate(node: ast.AST) -> bool:
    """`df["text"].apply(lambda x: len(x.split()) <= 50)`, `s.map(lambda v: isinstance(v, str))`: a test written as a
    function of each value, applied to a column; indexing the frame by it keeps the rows where it holds."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("apply", "map")
            and len(node.args) == 1 and not node.keywords and isinstance(node.args[0], ast.Lambda)):
        return False
    body = node.args[0].body
    if isinstance(body, ast.UnaryOp) and isinstance(body.op, ast.Not):
        body = body.operand
    if isinstance(body, (ast.Compare, ast.BoolOp)):
        return True
    return isinstance(body, ast.Call) and (
        (isinstance(body.func, ast.Name) and body.func.id in PREDICATE_FUNCTIONS)
        or (isinstance(body.func, ast.Attribute) and body.func.attr in PREDICATE_METHODS))


# Builtins and string methods whose result is True or False (`isinstance(x, str)`, `any(k in x for k in words)`,
# `x.startswith("http")`): a lambda returning one of them is a test.
PREDICATE_FUNCTIONS = frozenset({"isinstance", "any", "all", "bool", "callable", "hasattr"})
PREDICATE_METHODS = frozenset({"startswith", "endswith", "isdigit", "isnumeric", "isalpha", "isalnum", "isdecimal",
                               "isspace", "islower", "isupper", "istitle", "isascii"})


def _names_a_part(mask: ast.AST) -> bool:
    """A mask that is a name for a training / test part, or its negation (`train`, `~train`, `is_test`)."""
    if isinstance(mask, ast.UnaryOp) and isinstance(mask.op, (ast.Invert, ast.Not)):
        mask = mask.operand
    return isinstance(mask, ast.Name) and re.search(kb.TRAIN_TEST_NAME, mask.id, re.IGNORECASE) is not None


def _is_scalar_label(node: ast.AST) -> bool:
    """One row or column label or position written as a literal (`"Yes"`, `3`, `-1`)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, int)) and not isinstance(node.value, bool)
