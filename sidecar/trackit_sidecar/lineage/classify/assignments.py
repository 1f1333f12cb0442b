"""Assignments to names and attributes (`x = ...`, `x += ...`, `df.columns = ...`): which of the value's ops are
steps of the names assigned, by the shape of the value and what the names are for."""

from __future__ import annotations

import ast
import re
from typing import Optional

from ... import protocol
from .. import kb
from ..kb import models as kb_models
from ..kb import pandas as kb_pandas
from ..kb import sources as kb_sources
from .bindings import GRID_KEY, LABEL_KEY
from .env_markers import DICT_MARKER, FRAME_CLASSES, WINDOW, WRITTEN_VALUES_MARKER
from .expression_statements import read_into_container
from .file_names import works_on_names
from .loop_bindings import LISTED_VALUE_KEY
from .model_aliases import aliases_a_model
from .outlier_bounds import BOUND_NAME
from .results import EVALUATED, PREDICTED, ROLE
from .unpacked_values import unpacks_a_column
from .sources import ACCUMULATOR
from .split_parts import TRAIN_TEST_NAME
from .statement_shapes import (combines_two_parts, converts_a_name, counts_own_rows, ends_in_transpose,
                               hyperparameter_grid, index_values_converted, is_absolute, is_index_of_other,
                               is_name_or_column, made_a_list, one_value_of_a_column, own_statistic, pixels_taken_out,
                               projects_an_aggregate, rescaled_name, transforms_values)
from .shuffled_positions import PERMUTATION_MARKER, counts_positions
from .sklearn_rules import sklearn_transformer_op
from .values import Op, Val, dict_items_key, instance_class, is_number, str_const, union

TARGET_NAME = re.compile(kb_models.TARGET_NAME)
SAVED_DATA = re.compile(kb_models.SAVED_DATA_NAME, re.IGNORECASE)
SAVED_TOOL = re.compile(kb_models.SAVED_TOOL_WORDS, re.IGNORECASE)
RESULT_OPS = frozenset({"evaluate", "predict"})


class AssignmentRules:
    """Mixin of `Cell` (through `StatementWalker`): assignments, their targets names or attributes."""

    env: dict[str, str]
    steps: list[protocol.Step]

    @staticmethod
    def _read_frame(val: Val) -> bool:
        """A table read from a file (`pd.read_csv(path)`, maybe with steps after it) or a name holding one: a frame
        made of data, not values written in the code."""
        frame = (instance_class(val.kind) or "").startswith(FRAME_CLASSES)
        return frame and (bool(read_into_container(val.ops)) or (not val.ops and bool(val.inputs)))

    def assign(self, target: ast.AST, value: ast.AST, stmt: ast.stmt) -> None:
        self.bind_written_text(target, value)  # type: ignore[attr-defined]  # query = "SELECT ...": sql_texts.py
        if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
                and len(target.elts) == len(value.elts) \
                and not any(isinstance(e, ast.Starred) for e in target.elts + value.elts):
            # X, y = d.data, d.target: one assignment per expression (CONVENTIONS 17)
            for part_target, part_value in zip(target.elts, value.elts):
                self.assign(part_target, part_value, stmt)
            return
        if id(stmt) in self.assigned_in_loops and self.cleans_document(target, value, stmt):
            return  # review = re.sub(..., df["Review"][i]) in a loop over the rows (documents.py)
        val = self.expr(value)
        # df["x"] = ..., df.loc[rows, "x"] = ..., df[["a", "b"]] = ...
        target = self._column_written_as_attribute(target, value)
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) \
                and self.env.get(target.value.id) == DICT_MARKER and sklearn_transformer_op(instance_class(val.kind) or ""):
            # encoders[col] = LabelEncoder() in a dict of encoders: a constructor kept (CONVENTIONS 15: no step), read
            # where `encoders[col].fit_transform(df[col])` transforms with it (subscripts.py)
            self.env[dict_items_key(target.value.id)] = val.kind or ""
            return
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) \
                and self.env.get(target.value.id) == DICT_MARKER and self._is_data(target.value.id) \
                and (instance_class(val.kind) or "").startswith(FRAME_CLASSES):
            # data["survey"] = survey, data["demo"] = data["demo"][mask] in a dict of the tables read: a table put
            # under its key, as `x = ...` binds one; what computes it is the step, putting it there is none
            self.emit([op for op in val.ops if not op.conversion], stmt, output=target.value.id)
            return
        if isinstance(target, ast.Subscript):
            read_into_dict = isinstance(target.value, ast.Name) and self.env.get(target.value.id) == DICT_MARKER \
                and self._read_frame(val)
            if isinstance(target.value, ast.Name):
                self.keeps_results_in(target.value.id, [], stmt)  # results[name] = evaluate(m): a helper's scores
            self.fill_predictions_by_position(target, val)  # type: ignore[attr-defined]  # y_pred[:, i] = m.predict(X)
            start = len(self.steps)
            self.column_assign(target, value, val, stmt)
            self.made_to_hold_results(target, start)  # type: ignore[attr-defined]  # bias = np.zeros(n); bias[:] = err
            if read_into_dict:
                # data[name] = pd.read_csv(path), data[f] = d after d = pd.read_csv(f): a dict of the tables read
                # (the read is the load, above), each item a frame the analysis goes on with (`data["sat"]["total"]
                # = ...`, `data["a"].merge(data["b"])`: subscripts.py), as a frame bound to a name is
                self.env[dict_items_key(target.value.id)] = val.kind or "pandas.DataFrame()"  # type: ignore[union-attr]
            return
        if isinstance(target, ast.Attribute):
            base = self._target_base(target)
            if base == "self":
                return  # self.estimator_ = ..., self.columns_ = ...: an object's own state, kept for its methods
            ops = list(val.ops)
            if base and self.env.get(ROLE + base) == EVALUATED and target.attr in kb.RENAMING_ATTRIBUTES:
                # cm_df.index.name = "Predicted" on a confusion matrix put in a table: the metric's labels, read
                # with it, not data renamed (CONVENTIONS 27: metrics and results tables are evaluations)
                return
            if target.attr == "index" and base and isinstance(target.value, ast.Name) and counts_own_rows(value, base):
                # df.index = range(len(df)), df.index = np.arange(df.shape[0]): the rows numbered again, as
                # reset_index(drop=True) does (CONVENTIONS 14: "which only renumbers rows, is not a step")
                return
            if target.attr == "columns" and base:
                self.name_row_columns(base, value)  # type: ignore[attr-defined]  # df_scores.columns = ["t", "tp", ...]
            if target.attr in kb.RENAMING_ATTRIBUTES and base and self._is_data(base) \
                    and not (target.attr == "index" and ops):  # df.index = pd.to_datetime(df.index) parses
                # df.columns = df.columns.str.lower(), s.name = "x", df.index.name = "day": naming, whatever
                # string work computes the names (CONVENTIONS 30)
                ops = [Op("rename", [base])]
                converted = index_values_converted(value, base) if target.attr == "index" else None
                if converted:
                    # y.index = y.index.strftime("%Y-%m"): the index's own values in another type (kb table)
                    ops = [Op(converted, [base], [], None, facts={"method": "index"})]
                elif target.attr == "index" and isinstance(target.value, ast.Name) and is_index_of_other(value, base):
                    # sub.index = test.index: rows labelled by another table's index, as set_index does (CONVENTIONS
                    # 14: `other`); naming the index (`df.index.name = "day"`) stays a rename (30)
                    ops = [Op("other", union([base], val.inputs), [], None, facts={"method": "index"})]
            self.emit(ops, stmt, output=base)
            return
        names = self._target_names(target)
        output = names[0] if names else None
        if len(names) == 1:
            self.carry_row_roles(names[0], value)  # type: ignore[attr-defined]  # df_scores = pd.DataFrame(scores)
            self.carry_simulated(names[0], value)  # type: ignore[attr-defined]  # p_diffs = np.array(p_diffs)
        if names and set(names) <= self.shuffled_positions and counts_positions(value):  # type: ignore[attr-defined]
            # idx = np.arange(n) then np.random.shuffle(idx): the rows' positions, to be put in a random order; no
            # data drawn (CONVENTIONS 15, 30; shuffled_positions.py). df.iloc[idx] is then the sample
            self.env.update((name, PERMUTATION_MARKER) for name in names)
            return
        ops = self._without_unapplied_group(list(val.ops), val)
        for name in names:
            self.env.pop(WINDOW + name, None)
        if (val.kind or "").startswith("grouped") and ops and ops[-1].op == "derive_feature" \
                and ops[-1].facts.get("method") in kb.WINDOW_METHODS:
            # roll = s.rolling(30, center=True): a window with nothing applied to it is not a step yet, as a bare
            # groupby is not (what-is-a-step.md); what is later computed over it derives (CONVENTIONS 22: rolling)
            ops = ops[:-1]
            self.env.update((WINDOW + name, "1") for name in names)
        if unpacks_a_column(target, value) and (val.kind or "").startswith(("pandas.", "polars.")):
            # p1, p2 = gb["mean"]: numbers read out of a small table's column (unpacked_values.py)
            ops, val.picked_column = self.kept_anywhere(ops), False
        if val.answer or (names and set(names) <= self.counted_locals):
            # n = df[df.x > 0].shape[0]: a number, not data; nor a function's local it only counts (len(sub))
            ops = self.kept_anywhere(ops)
        if self.is_parameter_name(output) or hyperparameter_grid(value):
            ops = [op for op in ops if not op.facts.get("generated")]  # theta = np.zeros(3): parameters, not data
        filled_names = [name for name in names if name in self.filled_by_position]
        accumulator = bool(filled_names) and ((bool(ops) and all(
            op.facts.get("generated") and op.facts.get("method") in kb_sources.FILLED_GENERATORS for op in ops))
            # FDRs, Rs, Vs = np.empty((3, m)), each then filled in a loop: accumulators all three
            or (not ops and isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                and value.func.attr in kb_sources.FILLED_GENERATORS))
        if accumulator:
            ops = []  # medians = np.zeros((2, 3)) then medians[i, j] = ...: an accumulator (CONVENTIONS 15)
        grid = next((op.facts["grid"] for op in ops if op.facts.get("grid")), None)
        drawn_only = not (set(names) & self.data_names) and bool(set(names) & self.read_names) \
            and id(stmt) not in self.rebinding  # df = df.dropna() before a figure: later cells read it (cell.py)
        walked_only = not (set(names) & self.grid_data_names) and bool(set(names) & self.read_names)
        if grid and (drawn_only or walked_only):
            # income = np.linspace(0, 150) then only ax.plot(income, ...); xx, yy = np.meshgrid(a, b): a grid to
            # draw or evaluate over, not data (a grid fed to predict or used to make data is: CONVENTIONS 28); and
            # one only looped over or computed into an accumulator to draw (data_uses._walks_a_grid)
            ops = [op for op in ops if not op.facts.get("grid")]
        ops = self.jitter(self.drawn_curve(ops, names, value, drawn_only, bool(grid)), value, drawn_only)
        if drawn_only and ops and all((op.op in kb.display.PLOT_PLUMBING_OPS
                                       and op.facts.get("method") not in kb.display.DRAWN_TABLE_METHODS
                                       and not op.facts.get("written"))  # lists written in code are data (28)
                                      or op.facts.get("method") in kb.display.PLOT_PLUMBING_METHODS for op in ops):
            # survived = df[df.Survived == 1] then only plt.hist(survived.Age), or only used to make other data that
            # is only drawn: data made only to draw (CONVENTIONS 8; which names: drawn_values.names_only_drawn)
            ops = []
        if id(stmt) in self.printed_in_loops:
            # for k in keys: sub = df[df.k == k]; print(k, len(sub)): a loop that prints groups is inspection
            ops = self.kept_anywhere(ops)
        if self.assigns_a_mask(value):
            # long = df.zip.str.len() > 5, keep = df.a.notna() & (df.b > 0): a boolean mask to pick rows with is not
            # a step (CONVENTIONS 15); what it computes to test the rows is part of it. A prediction thresholded
            # (`proba > 0.5`) stays a prediction.
            ops = [op for op in ops if op.op not in kb.MASK_PART_OPS]
            # rows = np.isnan(X).any(axis=1), keep = df.notna().all(axis=1): missing-value tests reduced over each row
            # are still one mask (CONVENTIONS 15), not a table of totals (a reduction of other tests, `hits =
            # (np.abs(walks) >= 30).any(axis=1)`, stays an aggregate: the tuning labels say so)
            if self._tests_missing_per_row(value):
                ops = [op for op in ops if not (op.op == "aggregate" and op.facts.get("method") in kb.ROW_REDUCTIONS)]
        if output and BOUND_NAME.search(output) and is_absolute(value) \
                and all(op.op in ("scale_normalize", "aggregate") for op in ops):
            ops = []  # z = np.abs(stats.zscore(x)): a distance for an outlier filter, not data
        if self._is_mask(value) and self.draws_rows(value):
            ops = [op for op in ops if not op.facts.get("generated")]  # msk = np.random.rand(n) < 0.8: a mask (15)
        # is_snowing = s.str.contains("Snow") then is_snowing.astype(float): a mask used as numbers is an indicator
        indicator = self.indicator_op(value, column=len(names) == 1 and (
            names[0] in self.cast_names or TARGET_NAME.match(names[0]) is not None))
        if indicator:
            # y = df.churn == "yes": a bare comparison is a mask unless bound to a name read as the target
            # (kb.models.TARGET_NAME): then its indicator is decided by that name alone, a guess (kb/guesses.py)
            by_name = self.indicator_op(value, column=len(names) == 1 and names[0] in self.cast_names) is None
            ops = [op for op in ops if op.op in ("filter_rows", "select_columns")] + [
                Op(indicator, list(val.inputs), list(val.columns),
                   facts={"method": "indicator", **({"inferred_from": "variable_name"} if by_name else {})})]
        ops = self._conversions(ops, val, value, names)
        if ops and made_a_list(value) and all(op.op in kb.display.PICKING_OPS and op.output is None for op in ops) \
                and not self.roles_in(value):
            # above = t[t.rate > base]["group"].tolist(), top3 = t.head(3)["occupation"].tolist(): values of rows and
            # a column picked and made a Python list, a list of labels to loop over or name, an answer (what-is-a-
            # step.md, Inspection: "an answer to a question, not data that the analysis goes on with"; CONVENTIONS 15:
            # lists of names, also when computed, are no step). What changes values on the way stays.
            ops, val.picked_column = [], False
        if drawn_only and ops and all(op.conversion or op.facts.get("method") == "alias" for op in ops) \
                and not set(names) & self.figure_tables:
            # plot_df = amro_df, X_plot = df.values, then only sns.relplot(data=plot_df): a name or a container made
            # only to hand the figure its data is plot plumbing (CONVENTIONS 8), not a copy kept (11-12); an alias
            # columns are then written into (b = a; b["B"] = ...) is the data those columns change
            ops = []
        if val.picked_column and not val.answer and not (ops and ops[-1].op == "select_columns") \
                and not self.roles_in(value) and not (drawn_only and not ops and id(stmt) in self.assigned_in_loops) \
                and not projects_an_aggregate(value, ops):
            # y = df["target"], y = df[df.x > 0].label: a single column ends the assigned expression (CONVENTIONS 18);
            # not one picked in a loop only to be drawn there (for f in features: full = train[f];
            # sns.histplot(full): plot plumbing, CONVENTIONS 8)
            ops.append(Op("select_columns", val.inputs, val.columns))
        if len(names) == 1 and ops and all(op.op == "split" and op.facts.get("method") == "split" for op in ops):
            # kfold = StratifiedKFold(10).split(X, y): the folds' indices, not data (CONVENTIONS 15: splitters are no
            # steps); the split is where the indices pick rows into named parts (CONVENTIONS 16)
            ops = []
        if not ops and self._parts_from_an_imported_helper(value, names) \
                and not any(TRAIN_TEST_NAME.search(name) for name in val.inputs):
            # (X_train, X_test = utils.prepare(X_train, X_test): parts already made, treated together, no split)
            # train, validate, test = wrangle_kepler_modeling(): a helper of the project's own module (a black box,
            # CONVENTIONS 4b) that returns a train / test pair splits, one per output (CONVENTIONS 16); called
            # without data it reads the data itself first, the lineage's root (what-is-a-step.md: a `load`)
            helper = value.func.attr if isinstance(value.func, ast.Attribute) else value.func.id  # type: ignore[attr-defined]
            # (both decided by the names the results are unpacked into: kb/guesses.py)
            guessed = {"method": helper, "inferred_from": "variable_name"}
            ops = ([] if val.inputs else [Op("load", [], [], helper, facts=dict(guessed))]) \
                + [Op("split", list(val.inputs), [], None, facts=dict(guessed))]
        if not ops and self._saved_data_read_back(value, names):
            # X_train = joblib.load("../data/processed/X_train.pkl"): prepared data read back from a file is a load
            # (what-is-a-step.md, "Sources are steps"); a model read back the same way stays no step (CONVENTIONS 15)
            ops = [Op("load", [], [], str_const(value.args[0]) if value.args else None,  # type: ignore[attr-defined]
                      facts={"method": "load", "inferred_from": "variable_name"})]  # data, by its name
        ops = self._split_parts(ops, names, val, value)
        if len(names) == 1 and one_value_of_a_column(value, self.env) and not any(op.op in RESULT_OPS for op in ops):
            # rate = tbl.loc[tbl.g == "a", "positive_rate"].values[0], top = tbl.loc[tbl.rate.idxmax(), "g"]: one
            # value looked up in a table, a number (CONVENTIONS 9: "A single number ... is not a step, even when
            # assigned"), not rows filtered or a column selected
            ops, val.ops, val.answer = [], [], True
        if all(op.op in ("derive_feature", "aggregate") for op in ops) and not val.answer \
                and (self._is_standardisation(value) or self._is_share_of_total(value)):
            # (x - g.transform("mean")) / g.transform("std"): the group statistics are how it is standardised
            ops = [Op("scale_normalize", val.inputs, val.columns)]
            self._absorb_statistics(value)
        if not ops and not val.answer and self.is_part_of_row_total(value) and val.inputs:
            # y = counts.iloc[:, 0] / counts.sum(axis=1): one column's proportion of its row total, a new variable
            ops = [Op("derive_feature", list(val.inputs), list(val.columns), facts={"method": "arithmetic"})]
        rescaled = rescaled_name(value)
        if rescaled and names == [rescaled] and self._is_data(rescaled) and all(op.op == "type_cast" for op in ops):
            # X = X / 255: rescaled in place, as `X /= 255` is (what-is-a-step.md: scalers are scale_normalize); so
            # after its cast (the Keras guides' `x = x.astype("float32") / 255`: type_cast, then the rescale)
            ops = ops + [Op("scale_normalize", [rescaled], [], None, facts={"method": "rescale"})]
        pixels = pixels_taken_out(value)
        if pixels is not None and names and val.inputs and not val.answer \
                and not any(op.op == "scale_normalize" for op in ops):
            # features = train.loc[:, train.columns != "label"].values / 255, X = train.drop("label", axis=1) / 255:
            # the pixel columns taken out and their intensities put on [0, 1] in one statement, a rescale as in place
            # (above); the columns dropped or picked on the way stay steps of their own (CONVENTIONS 18: a
            # multi-column subset heading an assigned chain)
            ops = [op for op in self.expr(pixels).ops if not op.conversion] \
                + [Op("scale_normalize", list(val.inputs), [], None, facts={"method": "rescale"})]
        if not ops and isinstance(value, ast.BinOp) and not val.answer and names and not self.assigns_a_mask(value) \
                and not self.adds_name_lists(value) and (len(val.inputs) >= 2 or len(val.columns) >= 2 or combines_two_parts(value) or (
                    val.inputs and transforms_values(value) and not all(self.env.get(GRID_KEY + i) for i in val.inputs))):
            # density = df.population / df.area, y = y_true + e, r = X[:, 0] / X[:, 1]: a new variable computed from
            # data (derive_feature);
            # rf = (1 + rf / 100) ** (1 / 12) - 1: one variable's values turned into others by a formula (a power of
            # them, or more than one operation), not only put on another scale (`X = X / 255`, above); a formula over a
            # grid written in the code (`r2 = rhos ** 2` after `rhos = np.linspace(0, 1, 201)`) draws a curve of theory
            ops = [Op("derive_feature", list(val.inputs), list(val.columns), facts={"method": "arithmetic"})]
        if not ops and names and names[0] in self.tabled_lists \
                and self._binding_kind(val, value) == WRITTEN_VALUES_MARKER:
            # data1 = [150, 155, ...] put with another such list into one table: data built in code (written_lists.py)
            ops = [Op("load", [], [], "list", facts={"method": "list"})]
        if not ops and names and self._interval_of_a_prediction(value):
            # pred_ci = pred.conf_int() after pred = res.get_prediction(...): the prediction's interval, kept, is part
            # of predicting (CONVENTIONS 26: "`get_prediction` ... [is] `predict`"), not a model's parameters read
            ops = [Op("predict", list(val.inputs) or [value.func.value.id], [],  # type: ignore[attr-defined]
                      None, facts={"method": value.func.attr})]  # type: ignore[attr-defined]
        if names and not any(op.op in ("predict", "evaluate") for op in ops) and self.constant_baseline(names, value):
            # y_pred = np.zeros(y_test.shape[0]), baseline = np.full(len(y_test), y_train.mean()): a model that always
            # says one thing, its predictions (baseline_predictions.py); the array is no data built in code
            ops = [Op("predict", list(val.inputs), [], None,
                      facts={"method": "constant_baseline", "inferred_from": "variable_name"})]
        ops = self._with_result_op(ops, value, val)
        ops = self.closed_form_fit(ops, names, value)
        if not ops and names and not drawn_only and not self.function_depth and self.summarises_scores(value) \
                and value.func.attr in kb_models.SCORE_SUMMARY_STATISTICS:  # type: ignore[attr-defined]
            # cv_mean = np.mean(cv_scores) or cv_scores.mean(), then used: the mean score kept is the metric reported
            # (CONVENTIONS 7); printed or only drawn (train_mean = np.mean(train_scores, axis=1) for a learning
            # curve) it is an answer; a total or a position (`C.loc["Yes"].sum()`, a count read out of a confusion
            # table; `np.argmax(scores)`) is no score summarised (CONVENTIONS 9). In a function body it is what the
            # helper hands back, not a score reported (as for hand-computed measures, hand_written.metric_by_hand)
            ops = [Op("evaluate", list(val.inputs), [], None, facts={"method": "computed"})]
        if not ops and len(names) == 1 and not drawn_only and not self.function_depth \
                and self.metric_by_hand(names[0], value):
            # RSE = np.sqrt(SSD / (len(data) - 2)), mses = np.mean((y - y_hat) ** 2, axis=0): an error measure computed
            # by hand, by the name it is bound to (hand_written.metric_by_hand; a guess, kb/guesses.py)
            ops = [Op("evaluate", list(val.inputs), [], None,
                      facts={"method": "computed", "inferred_from": "variable_name"})]
        read_from_results = bool(ops) and self.roles_in(value) == {EVALUATED} and (
            all(op.op in kb.RESULTS_TABLE_READING_OPS for op in ops) or self.completes_one_result(value, ops))
        if read_from_results:
            # coef_hr = S[S.index.str.contains("hr")]["coef"] after S = summarize(fit): rows and columns of a results
            # table, not data (CONVENTIONS 27: tables built only from a model's results are no steps)
            ops = []
        if ops and all(op.op in kb.NAME_TEXT_OPS for op in ops) and works_on_names(value, self.resolve_name):
            # condition = d.replace("Data/Data", "").replace(".xlsx", ""): a file's name, a label (file_names.py)
            ops = []
        # `detail` keeps its earlier text for readers of the JSON; the wording reads `outputs`
        self.emit(ops, stmt, output=output, outputs=names if len(names) > 1 else None,
                  tuple_detail="outputs: " + ", ".join(names) if len(names) > 1 else None)
        self._bind(target, val, value)
        if isinstance(target, ast.Name) and isinstance(value, ast.Dict) and value.values \
                and self.env.get(target.id) == DICT_MARKER \
                and all(item is not None and self._read_frame(self.evaluated(item)) for item in value.values):
            # data = {"sat": pd.read_csv("sat.csv"), "demo": pd.read_csv("demo.csv")}: a dict of the tables read,
            # written as one literal, as the same dict filled item by item is (above): `data["sat"]` is a frame
            self.env[dict_items_key(target.id)] = self.evaluated(value.values[0]).kind or "pandas.DataFrame()"
        self.remember_component_list(target, value)  # type: ignore[attr-defined]
        # (read from the value, not from the steps kept: a grid only drawn is no step and still a grid)
        grid = len(val.ops) == 1 and val.ops[0].op == "load" and val.ops[0].facts.get("method") in kb_sources.GRID_GENERATORS
        for name in names:
            if grid:
                self.env[GRID_KEY + name] = "1"  # rhos = np.linspace(0, 1, 201): a grid of values written in the code
            else:
                self.env.pop(GRID_KEY + name, None)
            if len(names) == 1 and isinstance(value, ast.Constant) and isinstance(value.value, str):
                self.env[LABEL_KEY + name] = "1"  # target = "SalePrice": a label, which `df[target]` picks as a column
            else:
                self.env.pop(LABEL_KEY + name, None)
            self.env.pop(LISTED_VALUE_KEY + name, None)  # v = 7 after `for v in [2, 3, 4]`: one number again
        if accumulator:
            for name in filled_names:
                self.env[name] = ACCUMULATOR  # what is written into it is filled, not data work (column_assign)
        self.bind_roles(names, ["evaluate"] if read_from_results else [op.op for op in ops], value,
                        guessed=not read_from_results and bool(ops) and bool(ops[-1].facts.get("inferred_from")))
        self.bind_table_columns(names, value)  # pd.DataFrame({"actual": y_test, "predicted": y_pred})

    def _column_written_as_attribute(self, target: ast.AST, value: ast.AST) -> ast.AST:
        """`df.churn = (df.churn == "yes").astype(int)`: a column of a data frame written by attribute, its own values
        read in the value, is that column assigned (`df["churn"] = ...`, CONVENTIONS 19: the op of its calculation);
        `df.columns` / `df.index` / `s.name` (naming) and attributes of other objects stay as they are."""
        if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                and target.attr not in kb.RENAMING_ATTRIBUTES and self._is_data(target.value.id)
                and (self.resolve_name(target.value.id) or "").startswith(("pandas.", "polars."))):
            return target
        base, column = target.value.id, target.attr
        reads_it = any(isinstance(sub, (ast.Attribute, ast.Subscript)) and isinstance(sub.value, ast.Name)
                       and sub.value.id == base and (sub.attr if isinstance(sub, ast.Attribute) else str_const(sub.slice))
                       == column for sub in ast.walk(value))
        if not reads_it:
            return target
        return ast.copy_location(ast.Subscript(value=target.value, slice=ast.Constant(column), ctx=ast.Store()), target)

    def augmented_assign(self, stmt: ast.AugAssign) -> None:
        """`X -= X.min()`, `A /= 255`, `X += noise`, `df["w"] -= 21`, `df.w -= 21`: a variable or one column changed in
        place by arithmetic."""
        val = self.expr(stmt.value)
        # (X += shift[None, :]: a conversion inside the arithmetic is no step of its own, CONVENTIONS 12)
        ops = [op for op in val.ops if not op.conversion]
        target = self._target_base(stmt.target)
        named_column = self._named_column(stmt.target, target)  # df.w: only of data the notebook made
        one = is_name_or_column(stmt.target) or named_column is not None
        if isinstance(stmt.op, (ast.Add, ast.Sub, ast.Div)) and one \
                and target and self._is_data(target) and own_statistic(stmt.value, stmt.target):
            # X -= min(X), X[:, 0] -= X[:, 0].min(), y /= y.max(): shifted or scaled by its own statistic, centring
            # or rescaling (CONVENTIONS 23: "z-scores and centring are scale_normalize")
            ops = [Op("scale_normalize", [target], [], None, facts={"method": "rescale"})]
        elif isinstance(stmt.op, (ast.Sub, ast.Div)) and one and target and self._is_data(target) \
                and self._shifted_or_scaled_by_statistic(stmt):
            # mean = X_train.mean(axis=0); std = X_train.std(axis=0); X_train -= mean; X_train /= std; X_test -= mean:
            # standardised in place with statistics kept under names (CONVENTIONS 23, as `(X - mu) / sigma`); the
            # statistics are its parameters, no aggregates of their own (CONVENTIONS 9)
            ops = [Op("scale_normalize", [target] + [i for i in val.inputs if i != target], [], None,
                      facts={"method": "rescale"})]
            self._absorb_statistics(stmt.value)
        elif not ops and isinstance(stmt.op, (ast.Div, ast.Mult)) and one \
                and target and self._is_data(target) and is_number(stmt.value):
            # A /= 255, df["w"] /= 100: a stored variable (or one column of it) put on another scale
            ops = [Op("scale_normalize", [target], [], None, facts={"method": "rescale"})]
        elif not ops and isinstance(stmt.target, ast.Name) and target and self._is_data(target) \
                and isinstance(stmt.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)) and val.inputs and not val.answer \
                and self.env.get(target) != ACCUMULATOR and not self.roles_in(stmt.value):
            # X += true_mean[None, :], y -= offset_array: data changed by other data (CONVENTIONS 28: "noise
            # added to real data is derive_feature", as X = X + noise is)
            ops = [Op("derive_feature", [target] + [i for i in val.inputs if i != target], [],
                      facts={"method": "arithmetic"})]
        elif not ops and (isinstance(stmt.target, ast.Subscript) or named_column is not None) and target \
                and self._is_data(target) and self.env.get(target) != ACCUMULATOR:
            # df["agecell"] -= 21, df.agecell -= 21: a column changed by arithmetic (CONVENTIONS 19: arithmetic
            # derives), recomputed from its own values (`derived_from` itself), not a new feature
            cols = self._slice_columns(stmt.target.slice) if isinstance(stmt.target, ast.Subscript) else [named_column]
            ops = [Op("derive_feature", [target], cols, facts={"method": "arithmetic", "derived_from": list(cols)})]
        self.emit(ops, stmt, output=target)

    def _shifted_or_scaled_by_statistic(self, stmt: ast.AugAssign) -> bool:
        """`X -= mu`, `X /= sigma` with `mu` / `sigma` bound to a centring or spreading statistic (scaling_shapes
        statistic_of): a location subtracted, a spread or a maximum divided by."""
        statistic = self.statistic_of(stmt.value) if isinstance(stmt.value, ast.Name) else None
        if isinstance(stmt.op, ast.Sub):
            return statistic in ("mean", "median", "min")
        return statistic in ("std", "max")

    def _named_column(self, target: ast.AST, base: Optional[str]) -> Optional[str]:
        """`df.Block` as an assignment's target: the column `Block` of data the notebook made (`df.index` is no column;
        `self.n`, `stats.total` of objects it did not make as data are no columns)."""
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and base \
                and self.resolve_name(base) is not None and target.attr not in kb_pandas.FRAME_ATTRIBUTES:
            return target.attr
        return None

    def _interval_of_a_prediction(self, value: ast.AST) -> bool:
        """`pred.conf_int()` where `pred` holds what a model predicted (`res.get_prediction(...)`,
        kb.models.PREDICTION_INTERVAL_METHODS)."""
        return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
            and value.func.attr in kb_models.PREDICTION_INTERVAL_METHODS and isinstance(value.func.value, ast.Name) \
            and self.roles_in(value.func.value) == {PREDICTED}

    def _saved_data_read_back(self, value: ast.AST, names: list[str]) -> bool:
        """`X_train = joblib.load(path)`, `y_test = pickle.load(open(path, "rb"))`, `X_tr, X_te = joblib.load(path)`:
        an object saved earlier read back into names of data, none of them a model's, a tool's or a column list's."""
        if not (isinstance(value, ast.Call) and names
                and self.module_path(value.func) in kb_models.SAVED_OBJECT_READERS):  # type: ignore[attr-defined]
            return False
        return all(SAVED_DATA.search(name) and not SAVED_TOOL.search(name) for name in names)

    def _conversions(self, ops: list[Op], val: Val, value: ast.AST, names: list[str]) -> list[Op]:
        """A copy or container conversion is `other` only when it is the whole right-hand side assigned to a new
        name (`X = df.values`, `df2 = df.copy()`, an alias `X = X4`); otherwise it is no step (CONVENTIONS 11-12)."""
        new_name = bool(names) and not any(name in val.inputs for name in names)
        if any(op.conversion for op in ops):
            whole = all(op.conversion for op in ops) and new_name and not val.picked_column \
                and converts_a_name(value)
            kept = [op for op in ops if not op.conversion]
            stacked_as_columns = kept[-1:] and kept[-1].op == "concat" \
                and kept[-1].facts.get("method") in kb_sources.ROW_STACKING_CONSTRUCTORS
            if not whole and len(names) == 1 and kept and ends_in_transpose(value) and not stacked_as_columns \
                    and self.roles_in(value) != {EVALUATED}:
                # fake = pd.DataFrame([a, b]).transpose(): the table built is kept turned on its side, its rows made
                # columns, a layout changed (CONVENTIONS 12: `reshape`; one step per transforming call)
                return kept + [Op("reshape", list(val.inputs), [], None, facts=dict(ops[-1].facts))]
            if not whole or self.roles_in(value) == {EVALUATED}:
                # tn, fp, fn, tp = cm.ravel(): the parts of a metric read out, as TP = cm[1, 1] is, not data converted
                return kept
            if ops[-1].facts.get("method") in kb_sources.TRANSPOSES and len(names) == 1:
                return [Op("reshape", list(val.inputs), [], None, facts=dict(ops[-1].facts))]  # flipped = df.T
            return [Op("other", list(val.inputs), [], None, facts=dict(ops[-1].facts))]
        if not ops and isinstance(value, ast.Name) and val.inputs and new_name and len(names) == 1:
            if aliases_a_model(value.id, names[0], self.env):
                return []  # final_model = best_gbc: a model named again, no data (model_aliases.py)
            return [Op("other", list(val.inputs), [], None, facts={"method": "alias"})]
        return ops
