"""Assignments into part of a variable (`df["c"] = ...`, `df.loc[m, "c"] = ...`, `a[mask] = 0`): derived, filled,
encoded or predicted columns and rows."""

from __future__ import annotations

import ast
import re
from typing import Optional

from ... import protocol
from .. import kb
from ..kb import models as kb_models
from ..kb import numpy as kb_numpy
from ..kb import pandas as kb_pandas
from ..kb import sources as kb_sources
from ..kb import polars as kb_polars
from .env_markers import DICT_MARKER, WRITTEN_CONTAINERS
from .loop_bindings import ROWS_OF_MASK_KEY
from .chained_fits import with_transforms_fitted_here
from .date_parts import date_part_of_parsed
from .expression_statements import read_into_container
from .filled_results import fills_one_grid_cell
from .kept_tables import aggregated_into_container
from .missing_seen import frame_and_column
from .missing_values import missing_tested
from .results import FITTED, ROLE
from .sources import ACCUMULATOR
from .values import MARKER, Op, Val, answer_key, answer_source_key, called_name, casts_to_category, str_const, union

# Attributes of a frame that are no column: `df.values[mask] = 0` writes positions of the array
CHAINED_NOT_COLUMNS = frozenset({"loc", "iloc", "at", "iat", "values", "T", "index", "columns", "str", "dt", "cat"})

WHOLE_DATE_FORMAT = re.compile(kb_pandas.WHOLE_DATE_FORMAT)
TRAINING_PART = re.compile(kb_models.TRAINING_PART_NAME, re.IGNORECASE)
HELD_OUT_PART = re.compile(kb_models.HELD_OUT_PART_NAME, re.IGNORECASE)
# .dt methods that give a datetime back (not a component): the column stays a datetime
DATETIME_CONVERSIONS = frozenset(
    method for accessors in (kb_pandas.ACCESSORS, kb_polars.ACCESSORS)
    for method, op in accessors.get("dt", {}).items() if op == "datetime_parse")
# pandas functions that parse dates (`pd.DatetimeIndex(s)`, `pd.to_datetime(s)`): a field read off their result is taken
# out of the dates, as `.dt.month` is
DATE_PARSING_FUNCTIONS = frozenset(name for name, op in kb_pandas.FUNCTIONS.items() if op == "datetime_parse")


def arithmetic_result(node: ast.AST) -> bool:
    """Arithmetic of numbers, perhaps rounded (`(df.t // 3600) % 24`, `round(df.a / df.b)`), not a comparison or a
    boolean combination: what an indicator's cast is part of (CONVENTIONS 20)."""
    while isinstance(node, ast.Call) and node.args and (
            (isinstance(node.func, ast.Name) and node.func.id in kb_numpy.ROUNDING_FUNCTIONS)
            or (isinstance(node.func, ast.Attribute) and node.func.attr in kb_numpy.ROUNDING_FUNCTIONS)):
        node = node.args[0]
    return isinstance(node, ast.BinOp) and not isinstance(node.op, (ast.BitAnd, ast.BitOr, ast.BitXor)) \
        and not any(isinstance(sub, ast.Compare) for sub in ast.walk(node))


def recomputed_columns(value: ast.AST, base: str, written: list[str], key: Optional[ast.AST] = None) -> list[str]:
    """The written columns whose new values are computed from their own (`df["Age"] = df["Age"] * 2`,
    `chipo.item_price = chipo.item_price.apply(f)`): the value reads `base[col]` or `base.col` and no other table's
    column of that name (`df["id"] = other["id"]` copies, `berri.index.weekday` is the index's). `key`: the target's
    column key; a name (`df[col] = df[col] * 10` for each `col` of a list) stands for every written column, each
    recomputed when the value reads `base[col]` and no other table's `[col]`."""
    if isinstance(key, ast.Name):
        tables = {n.value.id for n in ast.walk(value) if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name)
                  and isinstance(n.slice, ast.Name) and n.slice.id == key.id}
        return list(written) if tables == {base} else []
    read = [found for found in map(frame_and_column, ast.walk(value)) if found is not None]
    return [c for c in written if (base, c) in read and not any(t != base and col == c for t, col in read)]


class ColumnAssignmentRules:
    """Mixin of `Cell` (through `StatementWalker`): values written into columns or rows."""

    env: dict[str, str]
    steps: list[protocol.Step]

    def _statistic_of_the_keys_group(self, target: ast.Subscript, value: ast.AST) -> list[Op]:
        """`means[g] = df[df["k"] == g]["v"].mean()`, `sizes[g] = len(df[df.k == g])` in a loop over the groups: one
        statistic of the rows whose column equals the key, kept by that key in a dict the code started empty, is the
        group-by aggregation written by hand (CONVENTIONS 22: `groupby().agg/sum/mean/size` is aggregate; a loop that
        only prints groups stays inspection, what-is-a-step.md), counted once where it is written. A statistic of a
        column picked by the key (`missing[c] = df[c].isnull().sum()`) has no groups. Its aggregate, else []."""
        if not isinstance(target.slice, ast.Name):
            return []
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "len" \
                and len(value.args) == 1:
            rows, statistic = value.args[0], "size"
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and value.func.attr in kb_pandas.TABLE_TOTALS and not value.args:
            rows, statistic = value.func.value, value.func.attr
        else:
            return []
        for sub in ast.walk(rows):
            if isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name) and isinstance(sub.slice, ast.Name) \
                    and sub.slice.id == target.slice.id and self.env.get(sub.value.id) == DICT_MARKER \
                    and self._is_data(sub.value.id):  # type: ignore[attr-defined]
                # avg[sym] = prices[sym]["close"].mean() over a dict of the tables read, one per stock: each table is
                # the key's group
                return [Op("aggregate", [sub.value.id], [], None, facts={"method": "groupby", "statistic": statistic})]
            mask = sub.slice if isinstance(sub, ast.Subscript) else None
            if isinstance(mask, ast.Tuple) and mask.elts:
                mask = mask.elts[0]  # df.loc[df.k == g, "v"]
            if not (isinstance(mask, ast.Compare) and len(mask.ops) == 1 and isinstance(mask.ops[0], ast.Eq)):
                continue
            sides = (mask.left, mask.comparators[0])
            keyed = [side for side in sides if isinstance(side, ast.Name) and side.id == target.slice.id]
            column = next((frame_and_column(side) for side in sides if frame_and_column(side) is not None), None)
            if keyed and column is not None and self._is_data(column[0]):  # type: ignore[attr-defined]
                return [Op("aggregate", [column[0]], [column[1]], None,
                           facts={"method": "groupby", "group_keys": [column[1]], "statistic": statistic})]
        return []

    def column_assign(self, target: ast.Subscript, value: ast.AST, val: Val, stmt: ast.stmt) -> None:
        if id(stmt) in self.placeholders:  # type: ignore[attr-defined]
            return  # df["new"] = np.nan, then df.loc[rows, "new"] = ...: an empty column to fill (placeholder_columns)
        start = len(self.steps)  # type: ignore[attr-defined]
        self._column_assign(self._chained_as_loc(target), value, val, stmt)
        if id(stmt) in self.placeholder_fills:  # type: ignore[attr-defined]
            for step in self.steps[start:]:  # type: ignore[attr-defined]
                if step.op == "impute_missing":
                    step.op = "derive_feature"  # the placeholder's gaps filled: the new column computed

    def _chained_as_loc(self, target: ast.Subscript) -> ast.Subscript:
        """`df.Gender[df.Gender == "Female"] = 1`, `df["Gender"][mask] = 1`: pandas' chained indexing, rows of one
        column of a frame picked by a mask, read as the `df.loc[mask, "Gender"] = 1` it means (one meaning, one op);
        any other target as it is."""
        picked = frame_and_column(target.value)
        if picked is None or picked[1] in CHAINED_NOT_COLUMNS or not self._is_mask(target.slice) \
                or not self.env.get(picked[0], "").startswith("pandas.DataFrame"):  # type: ignore[attr-defined]
            return target
        frame = target.value.value  # type: ignore[attr-defined]
        loc = ast.Subscript(value=ast.Attribute(value=frame, attr="loc", ctx=ast.Load()),
                            slice=ast.Tuple(elts=[target.slice, ast.Constant(picked[1])], ctx=ast.Load()),
                            ctx=ast.Store())
        return ast.copy_location(loc, target)

    def _metric_kept(self, target: ast.Subscript, value: ast.AST, val: Val) -> list[Op]:
        """`errs[i] = np.sqrt(np.mean((y_test - y_pred) ** 2))`, `acc[i] = (cm[0, 0] + cm[1, 1]) / cm.sum()`: a metric
        computed by hand from predictions, kept in a list, a dict or an array made for it (CONVENTIONS 27, 7), as it is
        when assigned to a name (step_emitter._with_result_op). Not a grid filled cell by cell (`Z[i, j] = ((y - (b0 +
        b1 * X)) ** 2).sum()` over a mesh of parameters: a cost surface to draw, CONVENTIONS 8)."""
        if fills_one_grid_cell(target) or self.result_op(value) != "evaluate":  # type: ignore[attr-defined]
            return []
        return [Op("evaluate", list(val.inputs), [], None, facts={"method": "computed"})]

    def _column_assign(self, target: ast.Subscript, value: ast.AST, val: Val, stmt: ast.stmt) -> None:
        base = self._target_base(target)
        if base is None or not self._is_data(base):
            # plt.rcParams["figure.figsize"] = ...: settings, not data; scores[name] = cross_val_score(...) still
            # evaluates (metrics and predictions count wherever they are written, CONVENTIONS 7)
            counted = with_transforms_fitted_here(  # feats[k] = PCA(k).fit(X).transform(X)
                [op for op in val.ops if op.op in ("evaluate", "predict", "fit_model") or op.output is not None], val.ops) \
                or read_into_container(val.ops)  # frames[name] = pd.read_csv(path): a file read into a dict is a load
            counted = counted or self._metric_kept(target, value, val)  # errs[i] = np.sqrt(np.mean(...)) into a list
            if not counted and base is not None and self.env.get(base, "").startswith(WRITTEN_CONTAINERS):
                counted = self.derived_into_container(value, val)  # type: ignore[attr-defined]  # feats[k] = s.shift(L)
                counted = counted or self._statistic_of_the_keys_group(target, value)
                counted = counted or aggregated_into_container(val)  # res[col] = df[col].value_counts(): kept_tables.py
                if counted:
                    self.env.pop(base)  # it holds data now, not values written in the code: pd.DataFrame(feats) is no load
            self.emit(counted, stmt, output=base if counted and base and self.env.get(base, "").startswith(MARKER) else None)
            self.keeps_models_in(base, [op.op for op in counted])
            return
        if self.env.get(answer_key(base)) and self.env.get(ROLE + base) == FITTED \
                and not any(op.op in ("evaluate", "predict") for op in val.ops):
            # tokens["ratio"] = tokens.five_star / tokens.one_star after tokens = pd.DataFrame({"token": names,
            # "one_star": nb.feature_count_[0, :], ...}): a table built only from a model's parameters, computed on,
            # is still parameters (CONVENTIONS 27: "tables/Series built only from them" are no steps)
            return
        if self.env.get(base) == ACCUMULATOR:
            drawn_only = base in self.drawn_accumulators
            # J[i, j] = computeCost(X, y, [t0, t1]) into a grid then only drawn (a cost surface): plot plumbing
            # (CONVENTIONS 8: data made only to draw, by building grids; a prediction only drawn still counts, and so
            # does the fit made for it: preds[:, i] = LinearRegression().fit(X, y).predict(Xt), as into a dict)
            kept = ("fit_model", "predict") if drawn_only else ("fit_model", "predict", "evaluate")
            ops = [op for op in val.ops if op.op in kept]
            if not ops and not drawn_only:
                ops = self._metric_kept(target, value, val)  # errs[i] = np.sqrt(np.mean(...)) into np.zeros(n)
            self.emit(ops, stmt, output=base)
            return  # Z[i, j] = rss(...): filling an accumulator; oof[va] = model.predict(X_va) stays a prediction
        slice_node = target.slice
        rows_mask: Optional[ast.AST] = None
        if isinstance(target.value, ast.Attribute) and target.value.attr in ("loc", "iloc", "at", "iat"):
            if isinstance(slice_node, ast.Tuple) and len(slice_node.elts) == 2:
                rows_mask, slice_node = slice_node.elts
            else:
                rows_mask, slice_node = slice_node, None
        cols = self._slice_columns(slice_node) if slice_node is not None else []
        if self._naive_forecast(base, value):
            # test.loc[:, "pred_mean"] = mean after mean = np.mean(train.value): one number of the training part
            # written for every held-out row, a forecast (CONVENTIONS 26: "forecast ... are all predict"); the
            # column then holds predictions (mse(test.value, test.pred_mean) evaluates)
            self.emit([Op("predict", [base, value.id], cols, None,  # type: ignore[attr-defined]
                          facts={"method": "naive", "inferred_from": "variable_name"})], stmt,
                      output=base)
            self.bind_roles(cols, ["predict"], value, columns=True)
            return
        ops: list[Op] = []
        if self._is_datetime_component(value):
            # df["hour"] = pd.to_datetime(df.ts).dt.hour: the new column is a feature; parsing is on the way
            val.ops = []
        mask_columns = self.expr(rows_mask).columns if rows_mask is not None else []
        own = recomputed_columns(value, base, cols, slice_node)
        computed = list(val.ops)
        if computed and self._values_built_in_code(value, computed):
            # data["c"] = pd.Categorical(["a", "b", "a"]), df["noise"] = np.random.standard_normal(len(df)): values
            # made in the code attached to the data as a column, as `df["c"] = ["a", "b", "a"]` is (CONVENTIONS 19:
            # attaching is derive_feature; 28: noise put into real data derives), not a new root of the lineage
            computed = []
        if computed and computed[-1].op == "derive_feature":
            # df["month"] = np.where(m, 0, df.date.str[5:7].astype(int)), df["n"] = df.t.str.split().str.len():
            # the column takes the op of its calculation; the text work and casts only compute it (CONVENTIONS 19)
            computed = [op for op in computed[:-1] if op.op not in ("text_clean", "type_cast")] + computed[-1:]
        aggregates_derived = False
        wheres = [op for op in computed if op.facts.get("method") == "where"]
        if len(wheres) > 1 and len({op.op for op in wheres}) == 1:
            # np.where(x > hi, hi, np.where(x < lo, lo, x)): nested choices of one calculation, one step (19)
            later = {id(op) for op in wheres[1:]}
            computed = [op for op in computed if id(op) not in later]
        for op in computed:
            if op.op in ("filter_rows", "select_columns", "sort", "other"):
                continue  # part of computing the new values, not a step on the frame
            if op.op == "aggregate":
                if aggregates_derived:
                    continue  # df["range"] = g["v"].max() - g["v"].min(): one calculation, one derived column (19)
                aggregates_derived = True
                if base not in op.inputs and op.facts.get("group_keys"):
                    # summary["mean"] = df.groupby("k")["v"].mean(): the group statistics become a column of another
                    # table, one row per group, built by aggregating (CONVENTIONS 19: a column assignment takes the
                    # op of its calculation; 22); put back into the grouped frame itself they derive. A reduction
                    # over each row (`day["min"] = data.min(axis=1)`) has no groups: one value per row, derived
                    ops.append(op)
                    continue
                op = Op("derive_feature", op.inputs, op.columns, op.detail)
            if op.op == "derive_feature":
                op = self._derived_into(op, cols, union(val.columns, mask_columns), own)
            ops.append(op)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "astype" \
                and arithmetic_result(value.func.value) and not casts_to_category(value) \
                and not any(op.op in ("predict", "evaluate") for op in ops):
            # df["hour"] = ((df.t // 3600) % 24).astype(int), round(df.a / df.b).astype(int): the arithmetic makes the
            # column (derive_feature), then its values are cast (type_cast): two calculations, and a column assignment
            # takes the op of each (CONVENTIONS 19: "`.astype` is type_cast, ... `a * b` is derive_feature"; an
            # indicator's cast stays part of it, 20)
            inputs = union([base], val.inputs)
            ops = [self._derived_into(Op("derive_feature", inputs, list(val.columns), facts={"method": "arithmetic"}),
                                      cols, union(val.columns, mask_columns), own),
                   Op("type_cast", inputs, list(cols), facts={"method": "astype"})] \
                + [op for op in ops if op.op not in ("derive_feature", "type_cast")]
        gap_mask, filled = rows_mask, list(cols)
        if isinstance(rows_mask, ast.Name) and ROWS_OF_MASK_KEY + rows_mask.id in self.env:
            # for ind in df[df.Age.isnull()].index: df.loc[ind, "Age"] = fill: written into the rows that mask picks
            gap_mask = ast.parse(self.env[ROWS_OF_MASK_KEY + rows_mask.id], mode="eval").body
        if gap_mask is None and slice_node is not None and (self._is_mask(slice_node)
                                                             or missing_tested(slice_node) is not None):
            # df.age[df.age.isnull()] = 30, df["age"][mask] = 30, a[np.isnan(a)] = 0: rows picked by a mask of the
            # column (or array) that holds them
            gap_mask, filled = slice_node, self._slice_columns(target.value.slice) \
                if isinstance(target.value, ast.Subscript) else [target.value.attr] \
                if isinstance(target.value, ast.Attribute) and target.value.attr not in kb_pandas.FRAME_ATTRIBUTES else []
        if gap_mask is not None and self.fills_gaps_of(gap_mask, filled, value) and not any(
                op.op in ("predict", "evaluate") for op in ops):
            # df.loc[df.x.isna(), "x"] = np.expm1(pred): gaps filled, whatever computes the fill (CONVENTIONS 19)
            guessed = not self.without_names(lambda: self.fills_gaps_of(gap_mask, filled, value))
            ops = [Op("impute_missing", union([base] if base else [], val.inputs), filled,
                      facts={"method": "assign", **({"inferred_from": "input_name"} if guessed else {})})]
        indicator = self.indicator_op(value, column=True)
        if indicator:
            # df["is_female"] = (df.sex == "female").astype(int): an indicator of a category (CONVENTIONS 20)
            ops = [Op(indicator, union([base] if base else [], val.inputs), [], facts={"method": "indicator"})]
            if indicator == "derive_feature" and cols and own == list(cols):
                # df["target"] = (df["target"] == 2).astype(int): the column recoded from its own values, not a new one
                ops = [Op(indicator, ops[0].inputs, list(cols), facts={"method": "indicator", "derived_from": list(cols)})]
        made = self.result_op(value)
        if made is not None and not any(op.op == made for op in ops):
            # auto["resid"] = auto.mpg - auto.pred: a residual is an evaluation (CONVENTIONS 27)
            ops = [op for op in ops if op.op in ("evaluate", "predict")] + [
                Op(made, union([base] if base else [], val.inputs), list(cols),
                   facts=self._result_facts("computed", value))]  # type: ignore[attr-defined]
        if any(op.op == "predict" for op in ops) and cols:
            self.bind_roles(cols, ["predict"], value, columns=True)  # auto["pred1"] = regr.predict(X)
        else:
            self.bind_result_columns(base, cols, ops, value)  # t["pred"] = y_pred; t["err"] = t["y"] - t["pred"]
        if not ops and self._calls_a_helper(value):
            return  # df["zip"] = fix_zip_codes(df["zip"]): the helper's body holds the steps (CONVENTIONS 1)
        threshold = rows_mask if rows_mask is not None else slice_node if slice_node is not None \
            and self._is_mask(slice_node) else None
        if not ops and threshold is not None and self.result_op(threshold) == "predict":
            # labels = np.array(["Down"] * n); labels[probs > 0.5] = "Up": thresholding probabilities predicts
            # (CONVENTIONS 26); the array of the default label it fills is part of that prediction, not data built
            self.steps[:] = [step for step in self.steps if not (step.op == "load" and step.output == base
                                                                 and not step.inputs)]
            self.emit([Op("predict", union([base] if base else [], val.inputs, self.expr(threshold).inputs), [],
                          facts=self._result_facts("threshold", threshold))],  # type: ignore[attr-defined]
                      stmt, output=base)
            self.bind_roles([base] if base else [], ["predict"], value)
            return
        if not ops:
            rule, outcomes = kb.VALUE_ASSIGNMENT
            outcome = getattr(self, rule)(target, rows_mask, slice_node, value)
            op_name = outcomes[outcome]
            facts: dict = {}
            if self.decided_by_names(op_name, lambda: outcomes[getattr(self, rule)(target, rows_mask, slice_node, value)]):
                # df.loc[is_nan, "x"] = 0: gaps filled through a mask known as one of missing values by its name alone
                facts = {"inferred_from": "input_name"}
            if op_name == "derive_feature" and self.imputing and rows_mask is not None:
                # X.loc[no_garage, ["GarageType", "GarageQual"]] = "NA" inside `class CustomImputer`: values put into
                # rows picked by a mask, in what the notebook calls an imputer, fill its gaps (kb.IMPUTER_NAME); by
                # the name of the function or class it is written in, a guess (kb/guesses.py)
                op_name, facts = "impute_missing", {"inferred_from": "enclosing_function_name"}
            inputs = union([base] if base else [], val.inputs)
            ops = [Op(op_name, inputs, list(val.columns), facts=facts)]
            if op_name == "derive_feature":
                ops = [self._derived_into(ops[0], cols, mask_columns, own)]
        ops = [self._written_elsewhere(op, cols, val.columns) if op.op in kb.COLUMN_VALUE_OPS else op for op in ops]
        self.emit(ops, stmt, output=base, extra_columns=cols)

    def _naive_forecast(self, base: str, value: ast.AST) -> bool:
        """`base` is named as a held-out part (test, valid) and `value` names a number computed from a training part
        only (`mean = np.mean(train.value)`, `last_value = train.iloc[-1].value`)."""
        if not (isinstance(value, ast.Name) and HELD_OUT_PART.search(base)):
            return False
        sources = [name for name in self.env.get(answer_source_key(value.id), "").split(",") if name]
        return bool(sources) and all(TRAINING_PART.search(name) for name in sources)

    def _values_built_in_code(self, value: ast.AST, ops: list[Op]) -> bool:
        """`pd.Categorical(["a", "b"])`, `pd.Series([1, 2])`, `np.array([1, 2])`: a constructor of values written in the
        code (kb.sources.CODE_VALUE_CONSTRUCTORS); `np.random.standard_normal(n)`: values drawn (not a filled
        accumulator such as np.zeros)."""
        if isinstance(value, ast.Call) and value.args and isinstance(value.args[0], (ast.List, ast.Tuple)) \
                and value.args[0].elts and all(isinstance(item, ast.Constant) for item in value.args[0].elts):
            library, _, constructor = (self.module_path(value.func) or "").partition(".")
            if constructor in kb_sources.CODE_VALUE_CONSTRUCTORS.get(library, ()):
                return True
        return all(op.op == "load" and op.facts.get("generated")
                   and op.facts.get("method") not in kb_sources.FILLED_GENERATORS for op in ops)

    @staticmethod
    def _written_elsewhere(op: Op, written: list[str], sources: list[str]) -> Op:
        """A column's values changed and written to other columns (`df["week_day"] = pd.Categorical(df["DAY"])`,
        `df["x2"] = df["x"].fillna(0)`): as for a derived column, `columns` are the written ones and the columns
        the values came from are `derived_from`, so the written one is not said to be encoded or filled itself. A
        column changed in place (`df["Sex"] = df["Sex"].map(...)`) stays as it was."""
        origin = [c for c in union(op.columns, sources) if c not in written]
        if not written or not origin or set(written) & set(op.columns):
            return op
        facts = {**op.facts, "derived_from": union(op.facts.get("derived_from") or [], origin)}
        return Op(op.op, op.inputs, list(written), op.detail, op.output, op.pick, op.display, op.conversion, facts)

    @staticmethod
    def _derived_into(op: Op, written: list[str], sources: list[str], own: list[str]) -> Op:
        """derive_feature of `df[written] = ...`: `columns` are the new columns only; the columns they were
        computed from are `derived_from` (SibSp, Parch; also the detail "from SibSp, Parch" for JSON readers). A column
        recomputed from its own values alone (`own`: `df["Age"] = df["Age"] * 2`) names itself: nothing new was made."""
        origin = [c for c in union(op.columns, sources) if c not in written]
        facts = dict(op.facts)
        if origin or own:
            facts["derived_from"] = origin or own
        detail = op.detail or (f"from {', '.join(origin)}" if origin else None)
        return Op("derive_feature", op.inputs, list(written), detail, op.output, op.pick, op.display, facts=facts)

    @staticmethod
    def _is_datetime_component(node: ast.AST) -> bool:
        """x.dt.hour / x.dt.day_name(): a field taken out of a datetime."""
        call = node
        if isinstance(node, ast.Call):
            node = node.func
        if isinstance(node, ast.Attribute) and date_part_of_parsed(node.attr, node.value):
            return False  # pd.to_datetime(s).dt.date: text parsed to dates, the parse is the step
        whole_date = isinstance(call, ast.Call) and call.args \
            and bool(WHOLE_DATE_FORMAT.search(str_const(call.args[0]) or ""))  # dt.strftime("%Y-%m"): a cast
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Call) and node.attr not in DATETIME_CONVERSIONS \
                and called_name(node.value.func) in DATE_PARSING_FUNCTIONS and not whole_date:
            return True  # pd.DatetimeIndex(df.d).month: a field of the dates parsed on the way (CONVENTIONS 21)
        return (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                and node.value.attr == "dt" and node.attr not in DATETIME_CONVERSIONS and not whole_date)

