"""The statement walker: one cell's statements in order, assignments, column assignments, bare expressions,
and how their operations become `Step`s (emit). Bindings that later cells need go into `env`."""

from __future__ import annotations

import ast
import json
import logging
import re
from typing import Optional

from ... import protocol
from .. import kb
from ..kb import models as kb_models
from ..kb import numpy as kb_numpy
from ..kb import pandas as kb_pandas
from ..kb import sources as kb_sources
from ..kb import polars as kb_polars
from ..magics import TIMEIT_FUNCTION
from .hand_written import HAND_WRITTEN_UPDATE, NORMAL_EQUATION
from .function_scope import keys_among_parameters, locals_only_counted, tests_one_value
from .written_lists import has_values
from .masks import BOUND_NAME
from .results import EVALUATED, PREDICTED, ROLE
from .rules import EFFECT, is_constant, is_missing_value, missing_tested
from .sources import (STAR_IMPORTED, WINDOW, ACCUMULATOR, ANSWER_MARKER, BUILDS_TABLE, COLUMN_LABELS, DRAWS, FIGURE_MARKER, FORMULA_MARKER, FUNCTION_MARKER, LITERAL_MARKER, PIECES_MARKER, WRITTEN_VALUES_MARKER, parameters_read,
                      POSITION_MARKER, REDUCES, is_literal_data)
from .readers import handle_source
from .row_parts import returns_positional_parts
from .values import MARKER, Op, Val, answer_key, instance_class, kwarg, params_key, path_key, statistic_key, str_const, str_list, union

MAX_PATH_CHARS = 4096  # longer strings bound to a name are text, not a file's path

CODE_LIMIT = 300
WHOLE_DATE_FORMAT = re.compile(kb_pandas.WHOLE_DATE_FORMAT)
GRID = f"{MARKER}grid:"  # + name: a grid of values made in the code (np.linspace, np.arange)
# How a model's step computed by hand is recorded (`method`): parameter updates, parameters solved by the normal
# equation (hand_written.closed_form_fit), and a prediction computed from a model's parameters (`_with_result_op`:
# "threshold"). A function named for an algorithm whose body only computes so
# is that algorithm (CONVENTIONS 4a: `def predict(X, w, b)` of an exercise), not a helper around a library's step; a
# helper that reads metrics out of results (`def evaluate_threshold(t): print(tpr[thresholds > t][-1])`) is labelled
# in its body (CONVENTIONS 1), as the tuning labels say.
HAND_COMPUTED_METHODS = frozenset({HAND_WRITTEN_UPDATE, NORMAL_EQUATION, "threshold"})
TRAIN_TEST_NAME = re.compile(kb.TRAIN_TEST_NAME, re.IGNORECASE)
# Iterators over a frame's rows, one row at a time (`for i, row in df.iterrows()`, `for r in df.itertuples()`)
ROW_ITERATORS = frozenset({"iterrows", "itertuples", "iter_rows"})
RESULT_OPS = frozenset({"evaluate", "predict"})
# Picks of one element by position (`s.values[0]`, `s.iloc[-1]`, `s.iat[0]`, `s.to_numpy()[0]`)
ONE_ELEMENT_HOLDERS = frozenset({"values", "iloc", "iat", "to_numpy", "array"})
# Look-ups of the row label of an extreme value (`df.loc[df.rate.idxmax(), "g"]`)
ROW_LABEL_LOOKUPS = frozenset({"idxmax", "idxmin", "argmax", "argmin"})
# How values kept only to fill gaps with were made (`observed = df.c.dropna().tolist()`): the imputation absorbs them
FILL_VALUE_SOURCE_OPS = frozenset({"drop_missing", "select_columns", "aggregate", "sample", "other"})
OUTLIER_FUNCTION = re.compile(r"(^|_)outliers?(_|$)", re.IGNORECASE)
IMPUTER_NAME = re.compile(kb.IMPUTER_NAME, re.IGNORECASE)
PREDICTION_PARAMETER = re.compile(kb_models.PREDICTION_PARAMETER_NAME, re.IGNORECASE)


def names_imputing(name: str) -> bool:
    """The function or class is named for filling gaps (kb.IMPUTER_NAME), camelCase split into words."""
    return bool(IMPUTER_NAME.search(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)))
# .dt methods that give a datetime back (not a component): the column stays a datetime
DATETIME_CONVERSIONS = frozenset(
    method for accessors in (kb_pandas.ACCESSORS, kb_polars.ACCESSORS)
    for method, op in accessors.get("dt", {}).items() if op == "datetime_parse")

# pandas functions that parse dates (`pd.DatetimeIndex(s)`, `pd.to_datetime(s)`): a field read off their result is taken
# out of the dates, as `.dt.month` is
DATE_PARSING_FUNCTIONS = frozenset(name for name, op in kb_pandas.FUNCTIONS.items() if op == "datetime_parse")


log = logging.getLogger(__name__)


class StatementWalker:
    """Mixin of `Cell`: statements and bindings. `self.env`, `self.lines`, `self.steps` are the cell's."""

    env: dict[str, str]
    lines: list[str]
    steps: list[protocol.Step]

    # ---------------------------------------------------------- statements
    def block(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            try:
                self.statement(stmt)
                self.remember_missing_tests(stmt)
            except Exception as error:  # RecursionError included: one odd statement must not lose the others' steps
                # said, not hidden: a statement skipped here loses its steps, and a rule that raises loses them for
                # every cell like it (none of the 127 blind-corpus notebooks reaches this line)
                log.warning("the step classifier skipped the statement at line %s of a cell (%s: %s); the other "
                            "statements keep their steps", getattr(stmt, "lineno", "?"), type(error).__name__,
                            str(error).splitlines()[0][:200] if str(error) else "")
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
                    elif stmt.module.split(".", 1)[0] not in kb.LIBRARIES:
                        self.env[STAR_IMPORTED] = "1"  # from utils import *: a course's or project's own helpers
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                and isinstance(stmt.value, ast.Lambda):
            self.named_lambda(stmt.targets[0].id, stmt.value)
        elif isinstance(stmt, ast.Assign):
            start = len(self.steps)
            self.assign(stmt.targets[0], stmt.value, stmt)
            for extra in stmt.targets[1:]:
                self._bind(extra, None, stmt.value)
            if any(step.op == "impute_missing" for step in self.steps[start:]):
                self._absorb_fill_values(stmt.value)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            self.assign(stmt.target, stmt.value, stmt)
        elif isinstance(stmt, ast.AugAssign):
            val = self.expr(stmt.value)
            ops = list(val.ops)
            target = self._target_base(stmt.target)
            if isinstance(stmt.op, (ast.Add, ast.Sub, ast.Div)) and _is_name_or_column(stmt.target) \
                    and target and self._is_data(target) and _own_statistic(stmt.value, stmt.target):
                # X -= min(X), X[:, 0] -= X[:, 0].min(), y /= y.max(): shifted or scaled by its own statistic, centring
                # or rescaling (CONVENTIONS 23: "z-scores and centring are scale_normalize")
                ops = [Op("scale_normalize", [target], [], None, facts={"method": "rescale"})]
            elif not ops and isinstance(stmt.op, (ast.Div, ast.Mult)) and _is_name_or_column(stmt.target) \
                    and target and self._is_data(target) and _is_number(stmt.value):
                # A /= 255, df["w"] /= 100: a stored variable (or one column of it) put on another scale
                ops = [Op("scale_normalize", [target], [], None, facts={"method": "rescale"})]
            elif not ops and isinstance(stmt.target, ast.Name) and target and self._is_data(target) \
                    and isinstance(stmt.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)) and val.inputs and not val.answer \
                    and self.env.get(target) != ACCUMULATOR and not self.roles_in(stmt.value):
                # X += true_mean[None, :], y -= offset_array: data changed by other data (CONVENTIONS 28: "noise
                # added to real data is derive_feature", as X = X + noise is)
                ops = [Op("derive_feature", [target] + [i for i in val.inputs if i != target], [],
                          facts={"method": "arithmetic"})]
            elif not ops and isinstance(stmt.target, ast.Subscript) and target and self._is_data(target) \
                    and self.env.get(target) != ACCUMULATOR:
                # df["agecell"] -= 21: a column changed by arithmetic (CONVENTIONS 19: arithmetic derives)
                cols = self._slice_columns(stmt.target.slice)
                ops = [Op("derive_feature", [target], cols, facts={"method": "arithmetic"})]
            self.emit(ops, stmt, output=target)
        elif isinstance(stmt, ast.Expr):
            start = len(self.steps)
            self.bare(stmt.value, stmt)
            self.collect_results(stmt.value)
            self.bind_fitted_in_place(stmt.value, [step.op for step in self.steps[start:]])
        elif isinstance(stmt, ast.Return) and stmt.value is not None:
            returned = self.expr(stmt.value)
            # return len(d[d.a > 1]): a number returned is an answer, as one assigned is (CONVENTIONS 9);
            # return pd.DataFrame(matrix, columns=names), return X.values: a conversion not assigned to a new name
            # is no step (CONVENTIONS 11-12)
            ops = [op for op in returned.ops if not op.conversion]
            ops = self.kept_anywhere(ops) if returned.answer else ops
            # return np.sqrt(np.mean((y_true - y_pred) ** 2)): a metric computed by hand and returned (CONVENTIONS 27)
            if self.predicted_parameters:
                ops = self._with_result_op(ops, stmt.value, returned)
            if returns_positional_parts(stmt.value):
                # def split_data(d, frac): n = ...; return d[:n], d[n:]: a hand-written split returning the train and
                # test rows (what-is-a-step.md: "a hand-written split function that returns train and test sets:
                # split"), one per part (CONVENTIONS 16)
                ops = [Op("split", op.inputs, op.columns, None, facts=dict(op.facts)) if op.op == "filter_rows" else op
                       for op in ops]
            self.emit(ops, stmt)
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                if isinstance(target, ast.Subscript):
                    base = self._target_base(target)
                    cols = self._slice_columns(target.slice)
                    if base:
                        self.emit([Op("drop_columns", [base], cols)], stmt, output=base)
                elif isinstance(target, ast.Name):
                    self.env.pop(target.id, None)
        elif isinstance(stmt, ast.For):
            # for a, b in kf.split(X) is a split; `for a in np.arange(1, 20)` and `for k, g in df.groupby("k")`
            # only loop
            iterated = self.expr(stmt.iter)
            ops = self._without_unapplied_group(iterated.ops, iterated)
            ops = [op for op in ops if not (op.facts.get("generated") or op.conversion)]
            if ops and ops[-1].op == "select_columns" and ops[-1].output is None \
                    and (iterated.kind or "").startswith("pandas."):
                # for c in X.select_dtypes(["object"]): a table iterated over yields its column labels, a loop over
                # names (CONVENTIONS 15: column-name lists, also when computed, are no step), no columns kept
                ops = ops[:-1]
            start = len(self.steps)
            self._bind_loop_var(stmt.target, stmt.iter)
            self.block(stmt.body)
            self.block(stmt.orelse)
            if any(step.op == "split" for step in self.steps[start:]):
                # for tr, va in kf.split(X): X_tr = X.iloc[tr] ...: the parts are the splits (one per output)
                ops = [op for op in ops if op.op != "split"]
            body = self.fitted_by_updates(stmt, self.steps[start:])
            del self.steps[start:]
            self.emit(ops, stmt, code_node=stmt.iter)
            self.steps.extend(body)
        elif isinstance(stmt, ast.While):
            start = len(self.steps)
            self.block(stmt.body)
            self.block(stmt.orelse)
            self.steps[start:] = self.fitted_by_updates(stmt, self.steps[start:])
        elif isinstance(stmt, ast.If):
            self.block(stmt.body)
            self.block(stmt.orelse)
        elif isinstance(stmt, ast.With):
            for item in stmt.items:
                if isinstance(item.optional_vars, ast.Name):
                    # with open(path) as f: / with engine.connect() as con: `f` is a handle data is read from
                    handle = self.expr(item.context_expr)
                    if handle_source(handle.kind) is not None:
                        self.env[item.optional_vars.id] = handle.kind or ""
            self.block(stmt.body)
        elif isinstance(stmt, ast.Try):
            self.block(stmt.body)
            for handler in stmt.handlers:
                self.block(handler.body)
            self.block(stmt.orelse)
            self.block(stmt.finalbody)
        elif isinstance(stmt, ast.ClassDef):
            self.class_def(stmt)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # magics.py wraps %timeit statements in a function whose assignments never reach the namespace; what
            # its statements change in place does (`%timeit model.fit(X, y)` fits model)
            if stmt.name != TIMEIT_FUNCTION:
                self.function_def(stmt)
            else:
                for inner in stmt.body:
                    if isinstance(inner, ast.Expr):
                        self.emit([op for op in self.expr(inner.value).ops if op.output is not None], inner)

    def class_def(self, stmt: ast.ClassDef) -> None:
        """A notebook-defined transformer (it has `transform`): its methods' statements are the steps, written here
        (CONVENTIONS 1). A notebook-defined model (`fit` / `predict`, no `transform`) is a black box: its instances
        fit and predict like any model's (CONVENTIONS 4a). Other classes only hold helpers; they are not data work."""
        methods = {item.name for item in stmt.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
        if "transform" in methods and self.selects_by_scoring(stmt):
            # class SBS: fit() holds data out and scores an estimator per feature subset: a hand-written selection
            # algorithm around a model, a black box whose instances fit (CONVENTIONS 4a), not a transformer written out
            self.env[stmt.name] = f"notebook.{stmt.name}"
        elif "transform" in methods:
            self.env[stmt.name] = FUNCTION_MARKER
            outer, self.imputing = self.imputing, self.imputing or names_imputing(stmt.name)
            try:
                for item in stmt.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        self.block(item.body)
            finally:
                self.imputing = outer
        elif methods & {"fit", "predict", "train"}:
            self.env[stmt.name] = f"notebook.{stmt.name}"  # calling it makes a model object (notebook.KNN())
        else:
            self.env[stmt.name] = FUNCTION_MARKER

    def function_def(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """A helper's body is classified where it is written, and its calls are not steps (CONVENTIONS 1); but a
        function passed to apply / agg / transform is part of that call (CONVENTIONS 3), a function that returns
        generated data is a source and a function named for a model step (computeCost, gradientDescent) is a
        black box (CONVENTIONS 4): their bodies are not classified and their calls are the step."""
        op = self.algorithm_op(stmt.name)
        returned = [self.expr(node.value) for node in ast.walk(stmt) if isinstance(node, ast.Return) and node.value]
        if op is not None and op != "load" and self._body_has(stmt, op):
            op = None  # def rmsle_cv(m): ...cross_val_score(...): a helper around a library's step (CONVENTIONS 1)
        if op is None and any(o.facts.get("generated") for value in returned for o in value.ops):
            op = "load"
        if op is None and stmt.name not in self.callbacks and self._returns_drawn(stmt):
            op = "load"  # def make_data(N): X = np.random.random(N); ...; return X, y: generated data (CONVENTIONS 4c)
        self.env[stmt.name] = f"{FUNCTION_MARKER}:{op}" if op else FUNCTION_MARKER
        outlier_helper = bool(OUTLIER_FUNCTION.search(stmt.name))
        if (not returned or self._returns_only_figures(stmt)) and self._draws_in(stmt):
            # def plot_decision_regions(X, y, ...): plt.scatter(...): it plots; so does a function that returns only
            # the figure and axes it drew on (`def tsplot(y): ax = plt.subplot2grid(...); ...; return ax, acf_ax`)
            self.env[DRAWS + stmt.name] = "1"
        else:
            self.env.pop(DRAWS + stmt.name, None)
        if any(not value.answer and any(o.op in kb.display.SHOWN_TABLE_OPS for o in value.ops) for value in returned):
            self.env[BUILDS_TABLE + stmt.name] = "1"  # def count_cycles(df): return df.groupby(k).pipe(...).sum()...
        else:
            self.env.pop(BUILDS_TABLE + stmt.name, None)
        if any(value.answer or any(o.op == "aggregate" for o in value.ops) for value in returned):
            self.env[REDUCES + stmt.name] = "1"  # def get_stats(g): return g.mean(): applied to groups, it aggregates
        else:
            self.env.pop(REDUCES + stmt.name, None)
        effect = self.body_effect(ast.Module(body=stmt.body, type_ignores=[])) if len(stmt.args.args) == 1 else None
        if effect == "picks_rows" and (outlier_helper or self._body_has(stmt, "outlier_remove")):
            # def get_outlier_openings(g): median = ...; return g[(g.p - median).abs() > 0.1]: the rows it keeps are
            # past a statistical bound, or the notebook calls them outliers (CONVENTIONS 29)
            effect = "removes_outliers"
        if effect:
            self.env[EFFECT + stmt.name] = effect  # def clean(text): return re.sub(...): applied to text, it cleans
        else:
            self.env.pop(EFFECT + stmt.name, None)
        if op is None and stmt.name not in self.callbacks and stmt.name not in self.switched_off \
                and not self.is_algorithm_piece(stmt.name) and not tests_one_value(stmt):
            # (a function the cell calls only in comments is never called: its body is no step, CONVENTIONS 1; def
            # sigmoid(z) / compute_gradient(X, y, w, b) are pieces of a hand-written algorithm, black boxes, 4a; def
            # aqi(pm): if pm >= lo: ... works on one value at a time, so it is applied: a callback, CONVENTIONS 3)
            start = len(self.steps)
            outer, self.imputing = self.imputing, self.imputing or names_imputing(stmt.name)
            try:
                self.function_body(stmt)
            finally:
                self.imputing = outer
            if outlier_helper:
                # def remove_outliers(df): return df[df.x < 100]: filters the notebook itself calls outlier removal
                for step in self.steps[start:]:
                    if step.op == "filter_rows":
                        step.op = "outlier_remove"
            returns = {node.lineno for node in ast.walk(stmt) if isinstance(node, ast.Return) and node.value}
            if any(step.line in returns and step.op in kb.display.SHOWN_TABLE_OPS for step in self.steps[start:]):
                # flags = d.groupby(k).pipe(...); return flags.sum().to_frame("n"): read with the body's own names
                self.env[BUILDS_TABLE + stmt.name] = "1"

    def function_body(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """The body's statements, read with what the function's own scope tells (classify/function_scope.py): its
        key parameters are values, not data, and the locals it only counts are answers, not steps."""
        keys = [answer_key(name) for name in keys_among_parameters(stmt) if answer_key(name) not in self.env]
        # def rmse(y_true, y_pred): the parameter named for predictions holds them (kb.models.PREDICTION_PARAMETER_NAME)
        predicted = [ROLE + arg.arg for arg in stmt.args.args
                     if PREDICTION_PARAMETER.match(arg.arg) and ROLE + arg.arg not in self.env]
        outer, outer_predicted = self.counted_locals, self.predicted_parameters
        self.env.update((key, "1") for key in keys)
        self.env.update((key, PREDICTED) for key in predicted)
        self.roles_bound = self.roles_bound or bool(predicted)
        self.predicted_parameters = bool(predicted)
        self.counted_locals = locals_only_counted(stmt)
        try:
            self.block(stmt.body)
        finally:
            self.counted_locals, self.predicted_parameters = outer, outer_predicted
            for key in keys + predicted:
                self.env.pop(key, None)

    def _returns_only_figures(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Every value the function returns is a name (or a tuple of names) its body bound to a plotting call's result
        (`fig = plt.figure()`, `ax = plt.subplot2grid(...)`, `fig, axes = plt.subplots(2)`)."""
        figures: set[str] = set()
        for node in ast.walk(stmt):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and self.draws_call(node.value.func):
                figures.update(sub.id for target in node.targets for sub in ast.walk(target)
                               if isinstance(sub, ast.Name))
        returned = [node.value for node in ast.walk(stmt) if isinstance(node, ast.Return) and node.value is not None]
        names = [sub for value in returned for sub in (value.elts if isinstance(value, ast.Tuple) else [value])]
        return bool(names) and all(isinstance(name, ast.Name) and name.id in figures for name in names)

    def _draws_in(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """The function's body calls a plotting function or method (plt.scatter, ax.plot)."""
        return any(isinstance(node, ast.Call) and (
            (isinstance(node.func, ast.Attribute) and node.func.attr in kb.display.PLOT_METHODS)
            or self.draws_call(node.func)) for node in ast.walk(stmt))

    def _returns_drawn(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """The function returns a variable its own statements drew at random (`X = np.random.random(N)` ...
        `return X, y`): a function that returns generated data, whose call is the load (CONVENTIONS 4c), read without
        keeping the body's steps."""
        returned = {sub.id for node in ast.walk(stmt) if isinstance(node, ast.Return) and node.value
                    for sub in (node.value.elts if isinstance(node.value, ast.Tuple) else [node.value])
                    if isinstance(sub, ast.Name)}  # `return X, y`; not `return d.iloc[idx]`: rows of d picked
        if not returned:
            return False
        if any(isinstance(node, ast.Assign) and any(isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                                                    and target.value.id in returned for target in node.targets)
               and self._draws_numpy(node.value) for node in ast.walk(stmt)):
            # process = np.empty(n); for i ...: process[i + 1] = alpha * process[i] + np.random.standard_normal():
            # an array filled with random draws, a simulated series (CONVENTIONS 28)
            return True
        start, env = len(self.steps), dict(self.env)
        for arg in stmt.args.posonlyargs + stmt.args.args + stmt.args.kwonlyargs:
            # a parameter is not the notebook's variable of that name (def rmse(y, y_pred) after y_pred = w0 + X @ w):
            # what that variable was found to hold does not make the body a step of its own
            self.env.pop(ROLE + arg.arg, None)
        try:
            self.block(stmt.body)
            return any(step.op == "load" and step.method in kb_sources.RANDOM_DRAWS and step.output in returned
                       for step in self.steps[start:])
        finally:
            del self.steps[start:]
            self.env.clear()
            self.env.update(env)

    def _draws_numpy(self, value: ast.AST) -> bool:
        """The expression calls one of NumPy's random draws (`np.random.standard_normal()`)."""
        return any(isinstance(node, ast.Call) and (self.module_path(node.func) or "").startswith("numpy.random.")
                   and (self.module_path(node.func) or "").rsplit(".", 1)[-1] in kb_sources.RANDOM_DRAWS
                   for node in ast.walk(value))

    def _body_has(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef, op: str) -> bool:
        """The function's own statements make a step of this op with a library's call (read without keeping it); a
        fit written by hand as parameter updates (def gradient_descent(...): w = w - alpha * dj_dw) is the algorithm
        the name says, a black box (CONVENTIONS 4a), not a helper around a library's fit."""
        start, env = len(self.steps), dict(self.env)
        for arg in stmt.args.posonlyargs + stmt.args.args + stmt.args.kwonlyargs:
            # a parameter is not the notebook's variable of that name (def rmse(y, y_pred) after y_pred = w0 + X @ w):
            # what that variable was found to hold does not make the body a step of its own
            self.env.pop(ROLE + arg.arg, None)
        try:
            self.block(stmt.body)
            # (a prediction computed by hand, `z = np.dot(X[i], w) + b` in `def predict(X, w, b)`, is the algorithm too)
            return any(step.op == op and step.method not in HAND_COMPUTED_METHODS for step in self.steps[start:])
        finally:
            del self.steps[start:]
            self.env.clear()
            self.env.update(env)

    def _calls_a_helper(self, value: ast.AST) -> bool:
        return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
            and self.env.get(value.func.id, "") == FUNCTION_MARKER

    def _bind_loop_var(self, target: ast.AST, iterable: ast.AST) -> None:
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) \
                and iterable.func.attr in ROW_ITERATORS:
            # for i, row in df.iterrows(): h = row["H"]: one row's values, read one at a time; a value picked from it
            # is a number, not a column selected (CONVENTIONS 18 is about columns; 9: single numbers are no step)
            for name in self._target_names(target):
                self.env[name] = ANSWER_MARKER
            return
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) \
                and iterable.func.attr in ("items", "keys") and isinstance(target, (ast.Tuple, ast.Name)):
            key = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
            if isinstance(key, ast.Name):
                self.env[key.id] = ANSWER_MARKER  # for name, model in models.items(): name is a label, not data
            for other in (target.elts[1:] if isinstance(target, ast.Tuple) else []):
                for name in self._target_names(other):
                    self.env.pop(name, None)
            return
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, (ast.Name, ast.Attribute)) \
                and (getattr(iterable.func, "id", None) in ("range", "enumerate")
                     or getattr(iterable.func, "attr", None) in ("ndenumerate", "ndindex")):
            # for i in range(8), for (i, j), v in np.ndenumerate(Z): positions, not column names
            position_names = self._target_names(target)
            if getattr(iterable.func, "id", None) == "enumerate":
                position_names = position_names[:1]
            for name in position_names:
                self.env[name] = POSITION_MARKER
            return
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "zip" \
                and isinstance(target, ast.Tuple) and len(target.elts) == len(iterable.args):
            # for scores, clf in zip((rf_scores, lr_scores), (rf, lr)): each name takes what its sequence holds
            for name, sequence in zip(target.elts, iterable.args):
                self._bind_loop_var(name, sequence)
            return
        if isinstance(target, ast.Name) and isinstance(iterable, (ast.Tuple, ast.List)) and iterable.elts \
                and all(isinstance(e, ast.Name) for e in iterable.elts) \
                and len({self.env.get(e.id) for e in iterable.elts}) == 1 \
                and self.env.get(iterable.elts[0].id) == f"{MARKER}dict":
            # for scores in (rf_scores, lr_scores): dicts the notebook fills, a value put under a key is no column
            self.env[target.id] = f"{MARKER}dict"
            return
        if not isinstance(target, ast.Name):
            return
        cols = str_list(iterable)
        if cols is None and isinstance(iterable, ast.Name):
            marker = self.env.get(iterable.id, "")
            if marker.startswith(MARKER + "columns:"):
                cols = marker.split(":", 2)[2].split(",")
        if cols is not None:
            self.env[target.id] = f"{MARKER}column:{','.join(cols)}"
        else:
            self.env.pop(target.id, None)

    def assign(self, target: ast.AST, value: ast.AST, stmt: ast.stmt) -> None:
        if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
                and len(target.elts) == len(value.elts) \
                and not any(isinstance(e, ast.Starred) for e in target.elts + value.elts):
            # X, y = d.data, d.target: one assignment per expression (CONVENTIONS 17)
            for part_target, part_value in zip(target.elts, value.elts):
                self.assign(part_target, part_value, stmt)
            return
        val = self.expr(value)
        # df["x"] = ..., df.loc[rows, "x"] = ..., df[["a", "b"]] = ...
        if isinstance(target, ast.Subscript):
            self.column_assign(target, value, val, stmt)
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
            if target.attr in kb.RENAMING_ATTRIBUTES and base and self._is_data(base) \
                    and not (target.attr == "index" and ops):  # df.index = pd.to_datetime(df.index) parses
                # df.columns = df.columns.str.lower(), s.name = "x", df.index.name = "day": naming, whatever
                # string work computes the names (CONVENTIONS 30)
                ops = [Op("rename", [base])]
                converted = _index_values_converted(value, base) if target.attr == "index" else None
                if converted:
                    # y.index = y.index.strftime("%Y-%m"): the index's own values in another type (kb table)
                    ops = [Op(converted, [base], [], None, facts={"method": "index"})]
                elif target.attr == "index" and isinstance(target.value, ast.Name) and _is_index_of_other(value, base):
                    # sub.index = test.index: rows labelled by another table's index, as set_index does (CONVENTIONS
                    # 14: `other`); naming the index (`df.index.name = "day"`) stays a rename (30)
                    ops = [Op("other", union([base], val.inputs), [], None, facts={"method": "index"})]
            self.emit(ops, stmt, output=base)
            return
        names = self._target_names(target)
        output = names[0] if names else None
        ops = self._without_unapplied_group(list(val.ops), val)
        for name in names:
            self.env.pop(WINDOW + name, None)
        if (val.kind or "").startswith("grouped") and ops and ops[-1].op == "derive_feature" \
                and ops[-1].facts.get("method") in kb.WINDOW_METHODS:
            # roll = s.rolling(30, center=True): a window with nothing applied to it is not a step yet, as a bare
            # groupby is not (what-is-a-step.md); what is later computed over it derives (CONVENTIONS 22: rolling)
            ops = ops[:-1]
            self.env.update((WINDOW + name, "1") for name in names)
        if val.answer or (names and set(names) <= self.counted_locals):
            # n = df[df.x > 0].shape[0]: a number, not data; nor a function's local it only counts (len(sub))
            ops = self.kept_anywhere(ops)
        if self.is_parameter_name(output):
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
            # one only looped over or computed into an accumulator to draw (sources._walks_a_grid)
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
        if output and BOUND_NAME.search(output) and _is_absolute(value) \
                and all(op.op in ("scale_normalize", "aggregate") for op in ops):
            ops = []  # z = np.abs(stats.zscore(x)): a distance for an outlier filter, not data
        if self._is_mask(value) and self.draws_rows(value):
            ops = [op for op in ops if not op.facts.get("generated")]  # msk = np.random.rand(n) < 0.8: a mask (15)
        # is_snowing = s.str.contains("Snow") then is_snowing.astype(float): a mask used as numbers is an indicator
        indicator = self.indicator_op(value, column=len(names) == 1 and names[0] in self.cast_names)
        if indicator:
            ops = [op for op in ops if op.op in ("filter_rows", "select_columns")] + [
                Op(indicator, list(val.inputs), list(val.columns), facts={"method": "indicator"})]
        ops = self._conversions(ops, val, value, names)
        if val.picked_column and not val.answer and not (ops and ops[-1].op == "select_columns") \
                and not self.roles_in(value) and not (drawn_only and not ops and id(stmt) in self.assigned_in_loops):
            # y = df["target"], y = df[df.x > 0].label: a single column ends the assigned expression (CONVENTIONS 18);
            # not one picked in a loop only to be drawn there (for f in features: full = train[f];
            # sns.histplot(full): plot plumbing, CONVENTIONS 8)
            ops.append(Op("select_columns", val.inputs, val.columns))
        if len(names) == 1 and ops and all(op.op == "split" and op.facts.get("method") == "split" for op in ops):
            # kfold = StratifiedKFold(10).split(X, y): the folds' indices, not data (CONVENTIONS 15: splitters are no
            # steps); the split is where the indices pick rows into named parts (CONVENTIONS 16)
            ops = []
        ops = self._split_parts(ops, names, val)
        if len(names) == 1 and _one_value_of_a_column(value, self.env) and not any(op.op in RESULT_OPS for op in ops):
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
        rescaled = _rescaled_name(value)
        if rescaled and names == [rescaled] and self._is_data(rescaled) and all(op.op == "type_cast" for op in ops):
            # X = X / 255: rescaled in place, as `X /= 255` is (what-is-a-step.md: scalers are scale_normalize); so
            # after its cast (the Keras guides' `x = x.astype("float32") / 255`: type_cast, then the rescale)
            ops = ops + [Op("scale_normalize", [rescaled], [], None, facts={"method": "rescale"})]
        if not ops and isinstance(value, ast.BinOp) and not val.answer and names and not self.assigns_a_mask(value) \
                and (len(val.inputs) >= 2 or len(val.columns) >= 2 or _combines_two_parts(value) or (
                    val.inputs and _transforms_values(value) and not all(self.env.get(GRID + i) for i in val.inputs))):
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
        ops = self._with_result_op(ops, value, val)
        ops = self.closed_form_fit(ops, names, value)
        if not ops and names and not drawn_only and self.summarises_scores(value):
            # cv_mean = np.mean(cv_scores), then used: the mean score kept is the metric reported (CONVENTIONS 7);
            # printed or only drawn (train_mean = np.mean(train_scores, axis=1) for a learning curve) it is an answer
            ops = [Op("evaluate", list(val.inputs), [], None, facts={"method": "computed"})]
        read_from_results = bool(ops) and self.roles_in(value) == {EVALUATED} and (
            all(op.op in kb.RESULTS_TABLE_READING_OPS for op in ops) or self.completes_one_result(value, ops))
        if read_from_results:
            # coef_hr = S[S.index.str.contains("hr")]["coef"] after S = summarize(fit): rows and columns of a results
            # table, not data (CONVENTIONS 27: tables built only from a model's results are no steps)
            ops = []
        # `detail` keeps its earlier text for readers of the JSON; the wording reads `outputs`
        self.emit(ops, stmt, output=output, outputs=names if len(names) > 1 else None,
                  tuple_detail="outputs: " + ", ".join(names) if len(names) > 1 else None)
        self._bind(target, val, value)
        # (read from the value, not from the steps kept: a grid only drawn is no step and still a grid)
        grid = len(val.ops) == 1 and val.ops[0].op == "load" and val.ops[0].facts.get("method") in kb_sources.GRID_GENERATORS
        for name in names:
            if grid:
                self.env[GRID + name] = "1"  # rhos = np.linspace(0, 1, 201): a grid of values written in the code
            else:
                self.env.pop(GRID + name, None)
        if accumulator:
            for name in filled_names:
                self.env[name] = ACCUMULATOR  # what is written into it is filled, not data work (column_assign)
        self.bind_roles(names, ["evaluate"] if read_from_results else [op.op for op in ops], value)

    def _absorb_fill_values(self, value: ast.AST) -> None:
        """observed = df.c.dropna().tolist(); df.c = df.c.fillna(pd.Series(np.random.choice(observed, ...))): the
        observed values made in this cell to draw the fill from are a parameter of the imputation (random
        imputation), part of its step (CONVENTIONS 9: "A statistic used as a parameter of another step is part of that
        step"), not steps of their own (an earlier cell's steps are already recorded). Only names drawn from count:
        `df.c.fillna(other.c.mean())` keeps `other`'s own steps."""
        used: set[str] = set()
        for node in ast.walk(value):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "fillna":
                fill = node.args[0] if node.args else kwarg(node, "value")
                for draw in ast.walk(fill) if fill is not None else ():
                    if isinstance(draw, ast.Call) and isinstance(draw.func, ast.Attribute) \
                            and draw.func.attr in kb_sources.DRAWS_FROM_VALUES and draw.args:
                        used.update(sub.id for sub in ast.walk(draw.args[0]) if isinstance(sub, ast.Name))
        if used:  # read anywhere else in the cell, the values are data the analysis goes on with
            reads = [node.id for node in ast.walk(ast.parse(self.text))
                     if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)]
            used = {name for name in used if reads.count(name) == 1}
        self.steps[:] = [step for step in self.steps
                         if not (step.output in used and step.op in FILL_VALUE_SOURCE_OPS)]

    def _absorb_statistics(self, value: ast.AST) -> None:
        """mu = X.mean(axis=0); sigma = X.std(axis=0); Xn = (X - mu) / sigma: the statistics are parameters of the
        standardisation, part of its step (CONVENTIONS 9), not aggregates of their own (in the same cell; an earlier
        cell's steps are already recorded)."""
        used = {sub.id for sub in ast.walk(value) if isinstance(sub, ast.Name) and self.statistic_of(sub)}
        self.steps[:] = [step for step in self.steps if not (step.op == "aggregate" and step.output in used)]

    def _with_result_op(self, ops: list[Op], value: ast.AST, val: Val) -> list[Op]:
        """A metric or prediction computed by hand from a model's results (classify/results.py) is that step."""
        made = self.result_op(value)
        if made == "evaluate" and isinstance(value, ast.Call) and ops and all(op.op == "scale_normalize" for op in ops) \
                and self.roles_in(value) == {EVALUATED}:
            # best_mae = np.expm1(best_mae_log): a metric brought back to the target's scale is still the metric
            # (arithmetic on an evaluation's result evaluates, CONVENTIONS 27), not a feature rescaled; `cm / cm.sum()`
            # normalises the table itself
            return [Op(made, list(val.inputs), [], None, facts={"method": "computed"})]
        if made is None or any(op.op in (made, "scale_normalize") for op in ops) or (made == "predict" and val.answer):
            return ops  # np.unique(proba > 0.5, return_counts=True): an answer about predictions, not one
        if made == "predict":
            # pd.DataFrame({"true": y, "pred": proba[:, 1] > 0.25}): the threshold predicts; the table stays
            # (np.dot([1, 3.5], theta): the product is how it predicts, not a feature of its own)
            kept = [op for op in ops if op.op not in ("derive_feature", "scale_normalize", "type_cast")]
            return kept + [Op(made, list(val.inputs), [], None, facts={"method": "threshold"})]
        kept = [op for op in ops if op.op in ("evaluate", "predict") or op.output is not None]
        return kept + [Op(made, list(val.inputs), [], None, facts={"method": "computed"})]

    def _split_parts(self, ops: list[Op], names: list[str], val: Val) -> list[Op]:
        """One split per output (what-is-a-step.md: "when it creates a train/test pair it is a split (one per
        output)"): a splitter's tuple, or rows held out into a new train/test-named variable (`X_train =
        X[:1000]`, `test = df.drop(train.index)`, `X_tr = X.iloc[train_idx]`)."""
        if len(names) > 1 and any(op.op == "split" for op in ops):
            at = next(i for i, op in enumerate(ops) if op.op == "split")
            parts = [Op("split", ops[at].inputs, ops[at].columns, ops[at].detail, name, facts=dict(ops[at].facts))
                     for name in names]
            return ops[:at] + parts + ops[at + 1:]
        if len(names) == 1 and TRAIN_TEST_NAME.search(names[0]) and names[0] not in val.inputs:
            for i, op in enumerate(ops):
                if op.op in kb.HOLD_OUT_OPS and op.facts.get("method") in kb.HOLD_OUT_METHODS and op.output is None:
                    return ops[:i] + [Op("split", op.inputs, op.columns, None, facts=dict(op.facts))] + ops[i + 1:]
        if len(names) == 1 and len(ops) == 1 and ops[0].op == "filter_rows" and ops[0].facts.get("method") == "drop":
            sampled = self._dropped_sample(value_of=ops[0])
            if sampled is not None:
                # part = df.sample(frac=0.75) ... rest = df.drop(part.index): a sample and the rest are a pair (a split
                # each, CONVENTIONS 16: "sample + drop"), whatever they are named
                sampled.op = "split"
                return [Op("split", ops[0].inputs, ops[0].columns, None, facts=dict(ops[0].facts))]
        return ops

    def _dropped_sample(self, value_of: Op) -> Optional[protocol.Step]:
        """The sample step of this cell whose rows the drop removes (`df.drop(part.index)` after `part = df.sample()`)."""
        dropped = value_of.facts.get("dropped")
        for step in reversed(self.steps):
            if step.op == "sample" and step.output == dropped and set(step.inputs) == set(value_of.inputs):
                return step
        return None

    def _conversions(self, ops: list[Op], val: Val, value: ast.AST, names: list[str]) -> list[Op]:
        """A copy or container conversion is `other` only when it is the whole right-hand side assigned to a new
        name (`X = df.values`, `df2 = df.copy()`, an alias `X = X4`); otherwise it is no step (CONVENTIONS 11-12)."""
        new_name = bool(names) and not any(name in val.inputs for name in names)
        if any(op.conversion for op in ops):
            whole = all(op.conversion for op in ops) and new_name and not val.picked_column \
                and _converts_a_name(value)
            kept = [op for op in ops if not op.conversion]
            if not whole and len(names) == 1 and kept and _ends_in_transpose(value) \
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
            return [Op("other", list(val.inputs), [], None, facts={"method": "alias"})]
        return ops

    def column_assign(self, target: ast.Subscript, value: ast.AST, val: Val, stmt: ast.stmt) -> None:
        base = self._target_base(target)
        if base is None or not self._is_data(base):
            # plt.rcParams["figure.figsize"] = ...: settings, not data; scores[name] = cross_val_score(...) still
            # evaluates (metrics and predictions count wherever they are written, CONVENTIONS 7)
            counted = [op for op in val.ops if op.op in ("evaluate", "predict") or op.output is not None] \
                or read_into_container(val.ops)  # frames[name] = pd.read_csv(path): a file read into a dict is a load
            self.emit(counted, stmt, output=base if counted and base and self.env.get(base, "").startswith(MARKER) else None)
            return
        if self.env.get(base) == ACCUMULATOR:
            drawn_only = base in self.drawn_accumulators
            # J[i, j] = computeCost(X, y, [t0, t1]) into a grid then only drawn (a cost surface): plot plumbing
            # (CONVENTIONS 8: data made only to draw, by building grids; a prediction only drawn still counts)
            kept = ("predict",) if drawn_only else ("predict", "evaluate")
            self.emit([op for op in val.ops if op.op in kept], stmt, output=base)
            return  # Z[i, j] = rss(...): filling an accumulator; oof[va] = model.predict(X_va) stays a prediction
        slice_node = target.slice
        rows_mask: Optional[ast.AST] = None
        if isinstance(target.value, ast.Attribute) and target.value.attr in ("loc", "iloc", "at", "iat"):
            if isinstance(slice_node, ast.Tuple) and len(slice_node.elts) == 2:
                rows_mask, slice_node = slice_node.elts
            else:
                rows_mask, slice_node = slice_node, None
        cols = self._slice_columns(slice_node) if slice_node is not None else []
        ops: list[Op] = []
        if self._is_datetime_component(value):
            # df["hour"] = pd.to_datetime(df.ts).dt.hour: the new column is a feature; parsing is on the way
            val.ops = []
        mask_columns = self.expr(rows_mask).columns if rows_mask is not None else []
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
        for op in computed:
            if op.op in ("filter_rows", "select_columns", "sort", "other"):
                continue  # part of computing the new values, not a step on the frame
            if op.op == "aggregate":
                op = Op("derive_feature", op.inputs, op.columns, op.detail)
            if op.op == "derive_feature":
                op = self._derived_into(op, cols, union(val.columns, mask_columns))
            ops.append(op)
        gap_mask, filled = rows_mask, list(cols)
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
            ops = [Op("impute_missing", union([base] if base else [], val.inputs), filled,
                      facts={"method": "assign"})]
        indicator = self.indicator_op(value, column=True)
        if indicator:
            # df["is_female"] = (df.sex == "female").astype(int): an indicator of a category (CONVENTIONS 20)
            ops = [Op(indicator, union([base] if base else [], val.inputs), [], facts={"method": "indicator"})]
        made = self.result_op(value)
        if made is not None and not any(op.op == made for op in ops):
            # auto["resid"] = auto.mpg - auto.pred: a residual is an evaluation (CONVENTIONS 27)
            ops = [op for op in ops if op.op in ("evaluate", "predict")] + [
                Op(made, union([base] if base else [], val.inputs), list(cols), facts={"method": "computed"})]
        if any(op.op == "predict" for op in ops) and cols:
            self.bind_roles(cols, ["predict"], value, columns=True)  # auto["pred1"] = regr.predict(X)
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
                          facts={"method": "threshold"})], stmt, output=base)
            self.bind_roles([base] if base else [], ["predict"], value)
            return
        if not ops:
            rule, outcomes = kb.VALUE_ASSIGNMENT
            op_name = outcomes[getattr(self, rule)(target, rows_mask, slice_node, value)]
            if op_name == "derive_feature" and self.imputing and rows_mask is not None:
                # X.loc[no_garage, ["GarageType", "GarageQual"]] = "NA" inside `class CustomImputer`: values put into
                # rows picked by a mask, in what the notebook calls an imputer, fill its gaps (kb.IMPUTER_NAME)
                op_name = "impute_missing"
            inputs = union([base] if base else [], val.inputs)
            ops = [Op(op_name, inputs, list(val.columns))]
            if op_name == "derive_feature":
                ops = [self._derived_into(ops[0], cols, mask_columns)]
        ops = [self._written_elsewhere(op, cols, val.columns) if op.op in kb.COLUMN_VALUE_OPS else op for op in ops]
        self.emit(ops, stmt, output=base, extra_columns=cols)

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
    def _derived_into(op: Op, written: list[str], sources: list[str]) -> Op:
        """derive_feature of `df[written] = ...`: `columns` are the new columns only; the columns they were
        computed from are `derived_from` (SibSp, Parch; also the detail "from SibSp, Parch" for JSON readers)."""
        origin = [c for c in union(op.columns, sources) if c not in written]
        facts = dict(op.facts)
        if origin:
            facts["derived_from"] = origin
        detail = op.detail or (f"from {', '.join(origin)}" if origin else None)
        return Op("derive_feature", op.inputs, list(written), detail, op.output, op.pick, op.display, facts=facts)

    @staticmethod
    def _is_datetime_component(node: ast.AST) -> bool:
        """x.dt.hour / x.dt.day_name(): a field taken out of a datetime."""
        call = node
        if isinstance(node, ast.Call):
            node = node.func
        whole_date = isinstance(call, ast.Call) and call.args \
            and bool(WHOLE_DATE_FORMAT.search(str_const(call.args[0]) or ""))  # dt.strftime("%Y-%m"): a cast
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Call) and node.attr not in DATETIME_CONVERSIONS \
                and _called_short_name(node.value) in DATE_PARSING_FUNCTIONS and not whole_date:
            return True  # pd.DatetimeIndex(df.d).month: a field of the dates parsed on the way (CONVENTIONS 21)
        return (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                and node.value.attr == "dt" and node.attr not in DATETIME_CONVERSIONS and not whole_date)

    def bare(self, node: ast.AST, stmt: ast.stmt) -> None:
        inserted = self._inserted_column(node)
        if inserted is not None:
            # df.insert(0, "c", df.a * 2): a column put into the frame, as df["c"] = df.a * 2 (CONVENTIONS 19)
            self.column_assign(inserted[0], inserted[1], self.expr(inserted[1]), stmt)
            return
        if isinstance(node, ast.Tuple) and len(node.elts) > 1 and all(self._evaluates(e) for e in node.elts):
            # np.mean(pred == y), np.mean(pred != y) shown: metrics in a tuple of separate expressions, one step per
            # expression (CONVENTIONS 17, 7), not one metric of the same data (emit merges those within one expression)
            for element in node.elts:
                self.bare(element, stmt)
            return
        val = self.expr(node)
        # df.head() / df["x"].describe() / print(df.value_counts()) only show data; an inplace call
        # (its op has an output) still changes its receiver and stays a step
        ops = [op for op in val.ops if not ((op.display or op.conversion or op.facts.get("result_table"))
                                             and op.output is None)]  # print(res.summary_frame()) only shows
        ops = self._without_unapplied_group(ops, val)
        shown = node.args[0] if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in ("print", "display") and len(node.args) == 1 else node
        if isinstance(shown, ast.Call) and isinstance(shown.func, ast.Attribute) \
                and shown.func.attr in kb.INSPECTION_METHODS and shown.func.attr not in ("head", "tail") \
                and not self._describes_groups(shown.func):
            # pd.concat([df.a, df.b], axis=1).corr(), df.merge(o).describe(): the table is made to be looked at, the
            # answer shown is the inspection's (CONVENTIONS 6: shown describe / value_counts / corr are inspection)
            ops = self.kept_anywhere(ops)
        # print(...) shows its arguments; scores.append((acc - acc_shuffled) / acc) keeps what it computes
        shows = list(node.args) if isinstance(node, ast.Call) and (
            (isinstance(node.func, ast.Name) and node.func.id in ("print", "display"))
            or (isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend"))) else [node]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("print", "display"):
            # print(f"accuracy {hits / total:.1%}"), print(templ.format(k, hits / total)): a message shows the values
            # put into it, so a metric computed there is printed (CONVENTIONS 7)
            shows = [value for shown_value in shows for value in self._message_values(shown_value)]
        for shown_value in shows:
            shown_val = self.expr(shown_value)
            ops = self._with_result_op(ops, shown_value, Val(inputs=shown_val.inputs, answer=shown_val.answer))
        kept = self.bare_ops(ops, self.is_shown(stmt, node), val.answer, self._calls_a_table_builder(shown))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend") \
                and not kept:
            # frames.append(pd.read_csv(path)) in a loop: each file read is kept in the list the analysis goes on with
            # (what-is-a-step.md: reading a file is a load, counted once where it is written)
            kept = read_into_container(ops)
            if kept and isinstance(node.func.value, ast.Name):
                self.emit(kept, stmt, output=node.func.value.id)
                return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend") \
                and isinstance(node.func.value, ast.Name):
            self.keeps_results_in(node.func.value.id, [op.op for op in kept])  # accs.append(accuracy_score(...))
        self.emit(kept, stmt)

    def _inserted_column(self, node: ast.AST) -> Optional[tuple[ast.Subscript, ast.AST]]:
        """`df.insert(loc, column, value)` on a pandas frame: the target `df[column]` and the value, else None."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "insert"
                and isinstance(node.func.value, ast.Name)):
            return None
        if not (instance_class(self.resolve_name(node.func.value.id)) or "").startswith("pandas.DataFrame"):
            return None
        given = dict(zip(("loc", "column", "value"), node.args)) | {k.arg: k.value for k in node.keywords if k.arg}
        if "column" not in given or "value" not in given:
            return None
        target = ast.copy_location(ast.Subscript(value=node.func.value, slice=given["column"], ctx=ast.Store()), node)
        return target, given["value"]

    def _message_values(self, node: ast.AST) -> list[ast.AST]:
        """The values a formatted message shows (`f"{v:.2f}"`, `"%.2f" % v`, `"{}".format(v)`, `templ.format(v)`), else
        the node itself."""
        if isinstance(node, ast.JoinedStr):
            return [part.value for part in node.values if isinstance(part, ast.FormattedValue)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and str_const(node.left) is not None:
            return list(node.right.elts) if isinstance(node.right, ast.Tuple) else [node.right]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
                and (str_const(node.func.value) is not None
                     or (isinstance(node.func.value, ast.Name) and not self._holds_a_table(node.func.value.id))):
            return list(node.args) + [keyword.value for keyword in node.keywords]
        return [node]

    def _holds_a_table(self, name: str) -> bool:
        """The name is known to hold a frame or an array (a message template is not bound to anything we track)."""
        cls = instance_class(self.resolve_name(name))
        return bool(cls) and cls.split(".", 1)[0] in kb.DATA_LIBRARIES

    def _evaluates(self, node: ast.AST) -> bool:
        """The expression computes a metric: a metric call, or one computed by hand from a model's results."""
        return self.result_op(node) == "evaluate" or any(op.op == "evaluate" for op in self.expr(node).ops)

    def _describes_groups(self, func: ast.Attribute) -> bool:
        """`grouped.describe` / `df.groupby("k")["v"].describe`: a table of statistics per group, an aggregate
        (kb.pandas.GROUP_TABLE_INSPECTIONS)."""
        return func.attr in kb_pandas.GROUP_TABLE_INSPECTIONS \
            and (self.expr(func.value).kind or "").startswith("grouped")

    def _calls_a_table_builder(self, node: ast.AST) -> bool:
        """count_cycles(df.loc[...].loc[...]) where `def count_cycles(df): return df.groupby(...)...sum()`: what is
        shown is the new table the notebook's function builds (CONVENTIONS 6), not the argument looked at; the
        function's call itself is no step, its body is (CONVENTIONS 1)."""
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and bool(self.env.get(BUILDS_TABLE + node.func.id))

    @staticmethod
    def _without_unapplied_group(ops: list[Op], val: Val) -> list[Op]:
        """A bare `groupby(...)` with nothing applied to it is not a step (what-is-a-step.md)."""
        if (val.kind or "").startswith("grouped") and ops and ops[-1].op == "aggregate" \
                and ops[-1].facts.get("method") in kb.GROUPING_METHODS:
            return ops[:-1]
        return ops

    def emit(self, ops: list[Op], stmt: ast.stmt, output: Optional[str] = None,
             extra_columns: Optional[list[str]] = None, outputs: Optional[list[str]] = None,
             tuple_detail: Optional[str] = None, code_node: Optional[ast.AST] = None) -> None:
        if not ops:
            return
        code = self.segment(code_node or stmt)
        if len(code) > CODE_LIMIT:
            code = code[: CODE_LIMIT - 1] + "\u2026"
        merged: list[protocol.Step] = []
        for op in ops:
            step_output = op.output or output
            columns = union(op.columns, extra_columns or [])
            detail = op.detail if op.detail is not None else tuple_detail
            # df.d.astype(str).str[:4].astype(int): the same values cast once, also with other work in between; a
            # filter before and a head after an aggregation keep different rows (two steps)
            previous = (next((s for s in reversed(merged) if s.op == op.op), None) if op.op != "filter_rows"
                        else merged[-1] if merged and merged[-1].op == op.op else None) \
                if op.op in kb.ONE_STEP_PER_STATEMENT_OPS or op.facts.get("method") in kb.TEXT_PART_PICKS else None
            if previous is not None and previous.output == step_output \
                    and (op.op != "filter_rows" or set(op.inputs) <= set(previous.inputs)) \
                    and (op.op != "evaluate" or step_output is not None or _same_data(op.inputs, previous.inputs)):
                # (filters of two arguments' rows, y.iloc[:14] and X.iloc[:14], stay two; so do metrics of two data
                # sets printed or shown, mse(y_train, y_train_pred) and mse(y_test, y_test_pred), where
                # np.sqrt(mse(y, p)) is one and what is kept under one name is one result)
                # pd.read_csv(...).pipe(...) reads once, np.sqrt(mean_squared_error(...)) is one metric; every other
                # transforming call of a chain is a step of its own (what-is-a-step.md: "one step per transforming call")
                previous.columns = union(previous.columns, columns)
                previous.inputs = union(previous.inputs, op.inputs)
                if op.op == "encode_categorical" and detail and detail != previous.detail:
                    # astype("category").cat.codes: both methods name how it was encoded
                    previous.detail = f"{previous.detail}, {detail}" if previous.detail else detail
                if op.facts.get("derived_from"):
                    previous.derived_from = union(previous.derived_from, op.facts["derived_from"])
                for condition in op.facts.get("conditions") or []:
                    item = protocol.StepCondition.model_validate(condition)  # a field, not a raw dict
                    if item not in previous.conditions:
                        previous.conditions = previous.conditions + [item]
                continue
            fields = {key: value for key, value in op.facts.items() if value not in (None, [], {})}
            if op.facts.get("made_with"):  # pd.DataFrame({"a": np.random.rand(5)}): made by the constructor
                fields["method"] = detail = op.facts["made_with"]
            if outputs:
                fields["outputs"] = list(outputs)
            merged.append(protocol.Step(
                op=op.op, inputs=[name for name in op.inputs if name], output=step_output, columns=columns,
                code=code, line=getattr(stmt, "lineno", None), detail=detail, **fields,
            ))
        self.steps.extend(merged)
        if output:
            self.keeps_results_in(output, [step.op for step in merged])  # scores[name] = cross_val_score(...)

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

    def _bind(self, target: ast.AST, val: Optional[Val], value: ast.AST) -> None:
        if val is not None and val.kind == FIGURE_MARKER:
            for name in self._target_names(target):
                self.env[name] = FIGURE_MARKER  # fig, ax = plt.subplots(): what these are called with only draws
            return
        if not isinstance(target, ast.Name):
            # lo, hi = np.percentile(x, [1, 99]): both names are bounds for a later filter
            bound = val is not None and not val.ops and self._mentions_bound(value)
            for name in self._target_names(target):
                if bound:
                    self.env[name] = f"{MARKER}bound"
                else:
                    self.env.pop(name, None)
            return
        name = target.id
        kind = self._binding_kind(val, value)
        if kind is None:
            self.env.pop(name, None)
        else:
            self.env[name] = kind
        if val is not None and val.params and kind is not None:
            self.env[params_key(name)] = json.dumps(val.params)
        else:
            self.env.pop(params_key(name), None)
        if val is not None and val.answer and not self.kept_anywhere(val.ops):
            self.env[answer_key(name)] = "1"  # total = df.isnull().sum().sort_values(): read by a table of answers
        else:
            self.env.pop(answer_key(name), None)
        statistic = self.statistic_of(value) if isinstance(value, ast.Call) else None
        if statistic:
            self.env[statistic_key(name)] = statistic  # mu = X.mean(axis=0): read where X is standardised with it
        else:
            self.env.pop(statistic_key(name), None)
        written = str_const(value)
        if written is not None and "\n" not in written and len(written) <= MAX_PATH_CHARS:
            self.env[path_key(name)] = written  # path = "data/x.csv": read where pd.read_csv(path) loads it
        else:
            self.env.pop(path_key(name), None)

    def _library_constant(self, value: ast.AST) -> bool:
        """`math.pi`, `scipy.constants.Boltzmann`, `const.value("Bohr magneton")` (kb.sources.CONSTANT_MODULES)."""
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and value.func.attr in kb_sources.CONSTANT_LOOKUPS and value.args \
                and all(str_const(arg) is not None for arg in value.args):
            value = value.func
        if not isinstance(value, ast.Attribute):
            return False
        parts, holder = [], value.value
        while isinstance(holder, ast.Attribute):
            parts.insert(0, holder.attr)
            holder = holder.value
        root = self.resolve_name(holder.id) if isinstance(holder, ast.Name) else None
        return ".".join([root or "", *parts]) in kb_sources.CONSTANT_MODULES

    def _binding_kind(self, val: Optional[Val], value: ast.AST) -> Optional[str]:
        cols = str_list(value)
        if cols is not None:
            return f"{MARKER}columns:{','.join(cols)}"
        if self._library_constant(value):
            return ANSWER_MARKER  # kb_SI = const.Boltzmann, mub = const.value("Bohr magneton"): a number, not data
        copied = _copied_list(value)
        if copied is not None and self.env.get(copied, "").startswith(MARKER + "columns:"):
            # features = base.copy(), list(base): the same column names in a list of its own to extend, not a
            # frame (CONVENTIONS 15: column-name lists are no step); a frame indexed by it picks them (18)
            return self.env[copied]
        if isinstance(value, ast.Dict) and self.data_pieces([value]):
            # columns = {"a": df.x, "b": df.y}, scores = {"rf": [rf_acc, rf_f1], ...}: existing data or results put
            # side by side, read where a table is made of it (pd.DataFrame(columns): CONVENTIONS 13, a concat)
            return f"{PIECES_MARKER}{';'.join(','.join(piece) for piece in self.data_pieces([value]))}"
        if isinstance(value, ast.Dict) or _builds_a_dict(value):
            return f"{MARKER}dict"  # read where a column is mapped through it (map/replace with a dict)
        if is_literal_data(value):
            # data = [[1, 2], [3, 4]]: values written in the code; scores = []: a list to fill
            return WRITTEN_VALUES_MARKER if has_values(value) else LITERAL_MARKER
        if val is None:
            return None
        read = parameters_read(value)
        if isinstance(read, ast.Attribute) and read.attr in kb_models.PARAMETER_ATTRIBUTES \
                and self._around_a_model(read.value) and not val.ops:
            # importances = forest.feature_importances_, w = np.abs(lda.scalings_.ravel()): a model's parameters,
            # not data; sorted, cut or normalised later they stay an answer (CONVENTIONS 27)
            return ANSWER_MARKER
        if self._finds_positions(value.value if isinstance(value, ast.Subscript) else value):
            return f"{MARKER}mask"  # idx = np.where(y == 1)[0]: X[idx] picks rows, as X[y == 1] does
        if self.names_column_labels(value):
            return COLUMN_LABELS  # cols = df.columns[1:]: labels, read where a frame is indexed by them
        if _lists_values(value) and (val.answer or not val.ops):
            # cols = meta["name"].unique().tolist()[1:]: values of data made a list of labels; a frame indexed by it
            # picks those columns (CONVENTIONS 18), as by df.columns[1:]
            return VALUE_LABELS
        formula = str_const(value)
        if formula is not None and "~" in formula and len(formula) < 500:
            return f"{FORMULA_MARKER}{formula}"  # formula = "y ~ C(Pclass) + Age": read where it is used
        if self._tests_missing_per_row(value):
            # keep = df.notna().all(axis=1), bad = np.isnan(X).any(axis=1): one mask value per row, still a mask to
            # pick rows with (CONVENTIONS 15), not an answer
            return self.mask_kind(value)
        if val.answer and all(op.op in kb.display.REORDERING_OPS and op.output is None for op in val.ops):
            # q3 = df.x.quantile(0.75): a bound for an outlier filter; n = len(X): a number, not data;
            # miss = df.isnull().sum().sort_values()[:10]: an answer sorted or cut is still one (CONVENTIONS 9-10)
            bound = self._mentions_bound(value) or self._uses_a_bound(value)
            return f"{MARKER}bound" if bound else ANSWER_MARKER
        if isinstance(value, ast.Call) and self._is_mask(value) and not val.ops:
            # m = df.t.isin(("WD", "CWD")), snowing = df.w.str.contains("Snow"): a mask made by a method, as one made by a
            # comparison (CONVENTIONS 15), read where rows are picked or values assigned through it
            return self.mask_kind(value)
        if val.kind and (instance_class(val.kind) or val.kind.startswith((MARKER, "grouped"))):
            return val.kind  # a frame, a fitted object, a group to reduce later (g = df.groupby("k"))
        if self._is_mask(value):
            return self.mask_kind(value)
        if not val.ops and (self._mentions_bound(value) or self._uses_a_bound(value)) \
                and not self._is_standardisation(value):
            return f"{MARKER}bound"  # upper = q3 + 1.5 * iqr; not (x - x.mean()) / x.std(), which is data
        if (is_constant(value) and not is_missing_value(value)) or (val.answer and not val.ops):
            return ANSWER_MARKER  # nsample = 50, n = len(X): a number, not data (x = None says nothing)
        return None





def read_into_container(ops: list[Op]) -> list[Op]:
    """The reads of files and data sets (not generated draws) among `ops`, with what is done to them on the way
    (`frames.append(pd.read_csv(p).dropna())`): kept in a list or dict, they are data the analysis goes on with."""
    reads = [i for i, op in enumerate(ops) if op.op == "load" and not op.facts.get("generated")]
    return ops[reads[0]:] if reads else []


def _transforms_values(value: ast.BinOp) -> bool:
    """`(1 + r) ** 12 - 1`, `(rf ** 30) - 1`, `1 / (1 - r * 90 / 360)`: a power of the values, or two or more
    arithmetic operations on them (one scaling or shift alone does not)."""
    if any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
           and (node.func.attr in kb_numpy.REDUCTIONS or kwarg(node, "axis") is not None) for node in ast.walk(value)):
        return False  # mu = 1 / m * np.sum(X, axis=0): a statistic of the values, not the values transformed
    operations = [node for node in ast.walk(value) if isinstance(node, ast.BinOp)]
    return any(isinstance(node.op, ast.Pow) for node in operations) or len(operations) >= 2


def _combines_two_parts(value: ast.BinOp) -> bool:
    """`X[:, 0] / X[:, 1]`, `a[1:] - a[:-1]`: two different parts of one variable (positions of an array, which carry
    no column names) combined by arithmetic."""
    sides = [value.left, value.right]
    if not all(isinstance(side, ast.Subscript) and isinstance(side.value, ast.Name) for side in sides):
        return False
    left, right = sides[0], sides[1]
    return left.value.id == right.value.id and ast.dump(left.slice) != ast.dump(right.slice)  # type: ignore[attr-defined]


def _is_name_or_column(target: ast.AST) -> bool:
    """`A`, `df["w"]` or `X[:, 1]`: a variable, or one column of it named by a string or taken by position."""
    return isinstance(target, ast.Name) or (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                                            and (str_const(target.slice) is not None or _positional_column(target.slice)))


def _positional_column(index: ast.AST) -> bool:
    """`[:, 1]`: every row of one column, by position."""
    return isinstance(index, ast.Tuple) and len(index.elts) == 2 and isinstance(index.elts[0], ast.Slice) \
        and index.elts[0].lower is None and index.elts[0].upper is None and isinstance(index.elts[1], ast.Constant) \
        and isinstance(index.elts[1].value, int)


def _own_statistic(value: ast.AST, target: ast.AST) -> bool:
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


def _index_values_converted(value: ast.AST, base: str) -> Optional[str]:
    """`base.index.strftime(...)` / `base.index.format()`: the op of converting `base`'s own index values
    (kb.pandas.INDEX_VALUE_CONVERSIONS), else None."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)):
        return None
    owner = value.func.value
    if not (isinstance(owner, ast.Attribute) and owner.attr == "index" and isinstance(owner.value, ast.Name)
            and owner.value.id == base):
        return None
    return kb_pandas.INDEX_VALUE_CONVERSIONS.get(value.func.attr)


def _builds_a_dict(node: ast.AST) -> bool:
    """{k: i for i, k in enumerate(...)}, dict(zip(keys, values)): a mapping built in code, as a dict literal is."""
    if isinstance(node, ast.DictComp):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" \
        and len(node.args) == 1 and isinstance(node.args[0], ast.Call) and isinstance(node.args[0].func, ast.Name) \
        and node.args[0].func.id == "zip"


def _ends_in_transpose(value: ast.AST) -> bool:
    """The value is a table turned on its side at the end of a chain (`make(...).T`, `make(...).transpose()`)."""
    if isinstance(value, ast.Call) and not value.args and isinstance(value.func, ast.Attribute):
        return value.func.attr in kb_sources.TRANSPOSES and isinstance(value.func.value, (ast.Call, ast.Subscript))
    return isinstance(value, ast.Attribute) and value.attr == "T" and isinstance(value.value, (ast.Call, ast.Subscript))


VALUE_LABELS = f"{MARKER}value_labels"  # a list of labels made from data values (_lists_values)


def _lists_values(value: ast.AST) -> bool:
    """`s.unique().tolist()[1:]`, `s.to_list()`, `list(s.unique())`: the values of data as a list of labels. (A computed
    table's `.index` is left out: `df.dtypes[...].index` names columns whose per-column statistics are answers.)"""
    while isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Slice):
        value = value.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "list" and value.args:
        value = value.args[0]
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in ("tolist", "to_list"):
        value = value.func.value
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "unique"


def _rescaled_name(value: ast.AST) -> Optional[str]:
    """The variable put on another scale by a number (`X / 255`, `X.astype("float32") / 255.0`), or None."""
    if not (isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Div, ast.Mult)) and _is_number(value.right)):
        return None
    left = value.left
    if isinstance(left, ast.Call) and isinstance(left.func, ast.Attribute) and left.func.attr == "astype":
        left = left.func.value
    return left.id if isinstance(left, ast.Name) else None


def _called_short_name(call: ast.Call) -> str:
    """`pd.DatetimeIndex(x)` -> "DatetimeIndex", `to_datetime(x)` -> "to_datetime"."""
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _is_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def _converts_a_name(node: ast.AST) -> bool:
    """`df.copy()`, `X.values`, `np.asarray(x)`, `pl.from_pandas(df)`: a conversion of a variable itself, not of a
    computed value (`np.setdiff1d(a, b).tolist()`, `X.T @ X`)."""
    while True:
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in MODULE_NAMES:
                if len(node.args) != 1:
                    return False
                node = node.args[0]  # np.asarray(x), pl.from_pandas(df)
            elif isinstance(func, ast.Attribute):
                node = func.value  # x.values.ravel(), df.copy(): look at what is converted
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


MODULE_NAMES = frozenset(kb.CONVENTIONAL_ALIASES) | frozenset(kb.CONVENTIONAL_ALIASES.values())


def _is_absolute(node: ast.AST) -> bool:
    """np.abs(...) / abs(...): a distance."""
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Attribute) and node.func.attr in ("abs", "absolute"))
        or (isinstance(node.func, ast.Name) and node.func.id == "abs"))


def _is_index_of_other(value: ast.AST, base: str) -> bool:
    """`test.index`, `other["id"]`: the index or a column of another table (not a list of new labels)."""
    if isinstance(value, ast.Attribute) and value.attr == "index":
        value = value.value
    elif isinstance(value, ast.Subscript) and str_const(value.slice) is not None:
        value = value.value
    else:
        return False
    return isinstance(value, ast.Name) and value.id != base


def _same_data(inputs: list[str], other: list[str]) -> bool:
    """One set of inputs holds the other (or one is unknown): the same data, as a metric computed from another is."""
    return not inputs or not other or set(inputs) <= set(other) or set(other) <= set(inputs)


def _copied_list(value: ast.AST) -> Optional[str]:
    """`names.copy()`, `list(names)`, `names[:]`: the name whose list is copied, else None."""
    if isinstance(value, ast.Call) and not value.keywords:
        func = value.func
        if isinstance(func, ast.Attribute) and func.attr == "copy" and not value.args and isinstance(func.value, ast.Name):
            return func.value.id
        if isinstance(func, ast.Name) and func.id == "list" and len(value.args) == 1 and isinstance(value.args[0], ast.Name):
            return value.args[0].id
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) and isinstance(value.slice, ast.Slice) \
            and value.slice.lower is None and value.slice.upper is None and value.slice.step is None:
        return value.value.id
    return None


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


def _one_value_of_a_column(value: ast.AST, env: dict[str, str]) -> bool:
    """One element of one column: `t.loc[m, "rate"].values[0]`, `t["rate"].iloc[0]`, `t.loc[t.rate.idxmax(), "g"]`
    (the column also named by a variable that holds no list of names: `for c in ["a", "b"]: t.loc[t.r.idxmax(), c]`)."""
    if isinstance(value, ast.Subscript) and isinstance(value.slice, (ast.Constant, ast.UnaryOp)) \
            and isinstance(getattr(value.slice, "value", None) if isinstance(value.slice, ast.Constant)
                           else getattr(value.slice.operand, "value", None), int):
        holder = value.value
        if isinstance(holder, ast.Call) and not holder.args:
            holder = holder.func  # .to_numpy()[0]
        return isinstance(holder, ast.Attribute) and holder.attr in ONE_ELEMENT_HOLDERS and _picks_one_column(holder)
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Attribute) and value.value.attr in ("loc", "at") \
            and isinstance(value.slice, ast.Tuple) and len(value.slice.elts) == 2 \
            and (str_const(value.slice.elts[1]) is not None or isinstance(value.slice.elts[1], ast.Name)
                 and not env.get(value.slice.elts[1].id, "").startswith((MARKER + "columns:", MARKER + "literal"))):
        row = value.slice.elts[0]
        return isinstance(row, ast.Call) and isinstance(row.func, ast.Attribute) and row.func.attr in ROW_LABEL_LOOKUPS
    return False
