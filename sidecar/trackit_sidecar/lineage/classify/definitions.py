"""`def` and `class` statements: whether a function's or class's body is classified where it is written or its
calls are the step (CONVENTIONS 1, 3, 4), and what later calls of it read from `env`."""

from __future__ import annotations

import ast
import re

from ... import protocol
from .. import kb
from ..kb import data_maker_names as kb_data_maker_names
from ..kb import models as kb_models
from ..kb import pandas as kb_pandas
from ..kb import sources as kb_sources
from .applied_functions import EFFECT
from .env_markers import (ANSWER_MARKER, OP_FROM_NAME, BINS_ONE_VALUE, BUILDS_TABLE, DRAWS, FUNCTION_MARKER, REDUCES, REGISTERED_METHOD,
                          SETTINGS_CLASS)
from .function_scope import keys_among_parameters, locals_only_counted, tests_one_value
from .hand_written import HAND_WRITTEN_UPDATE, NORMAL_EQUATION
from .named_ops import SPLITTING_NAME
from .results import PREDICTED, RETURNS_RESULTS, ROLE, ROLE_FROM_NAME
from .values import answer_key, called_name

# How a model's step computed by hand is recorded (`method`): parameter updates, parameters solved by the normal
# equation (hand_written.closed_form_fit), and a prediction computed from a model's parameters (`_with_result_op`:
# "threshold"). A function named for an algorithm whose body only computes so
# is that algorithm (CONVENTIONS 4a: `def predict(X, w, b)` of an exercise), not a helper around a library's step; a
# helper that reads metrics out of results (`def evaluate_threshold(t): print(tpr[thresholds > t][-1])`) is labelled
# in its body (CONVENTIONS 1), as the tuning labels say.
HAND_COMPUTED_METHODS = frozenset({HAND_WRITTEN_UPDATE, NORMAL_EQUATION, "threshold"})
OUTLIER_FUNCTION = re.compile(kb.OUTLIER_FUNCTION_NAME, re.IGNORECASE)
IMPUTER_NAME = re.compile(kb.IMPUTER_NAME, re.IGNORECASE)
PREDICTION_PARAMETER = re.compile(kb_models.PREDICTION_PARAMETER_NAME, re.IGNORECASE)
GENERATED_DATA_NAME = re.compile(kb_data_maker_names.GENERATED_DATA_FUNCTION_NAME)


def snake_case(name: str) -> str:
    """The name in lower snake_case, camelCase split into words."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def names_imputing(name: str) -> bool:
    """The function or class is named for filling gaps (kb.IMPUTER_NAME), camelCase split into words."""
    return bool(IMPUTER_NAME.search(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)))


class DefinitionRules:
    """Mixin of `Cell` (through `StatementWalker`): functions and classes defined in the cell."""

    env: dict[str, str]
    steps: list[protocol.Step]

    def class_def(self, stmt: ast.ClassDef) -> None:
        """A notebook-defined transformer (it has `transform`): its methods' statements are the steps, written here
        (CONVENTIONS 1). A notebook-defined model (`fit` / `predict`, no `transform`) is a black box: its instances
        fit and predict like any model's (CONVENTIONS 4a). Other classes only hold helpers; they are not data work."""
        methods = {item.name for item in stmt.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.env.pop(SETTINGS_CLASS + stmt.name, None)
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
            if all(name.startswith("__") for name in methods):
                # class CFG: SEED = 42; CFG = CFG(): an object holding settings (calls.py); a class with methods of
                # its own (`AcquireData(path).get_data()`) does work whose calls are read as they are
                self.env[SETTINGS_CLASS + stmt.name] = "1"

    def function_def(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """A helper's body is classified where it is written, and its calls are not steps (CONVENTIONS 1); but a
        function passed to apply / agg / transform is part of that call (CONVENTIONS 3), a function that returns
        generated data is a source and a function named for a model step (computeCost, gradientDescent) is a
        black box (CONVENTIONS 4): their bodies are not classified and their calls are the step."""
        self.env.pop(SETTINGS_CLASS + stmt.name, None)
        self.env.pop(RETURNS_RESULTS + stmt.name, None)
        op = named = self.algorithm_op(stmt.name)
        if op not in (None, "load") and GENERATED_DATA_NAME.search(snake_case(stmt.name)) and self._returns_drawn(stmt):
            # def generate_linear_regression_data(n, d, coef): x = np.random.uniform(...); ...; return x, y: the model
            # word names the data it makes, the call is a load (CONVENTIONS 4c; kb/data_maker_names.py)
            op = "load"
        returned = [self.expr(node.value) for node in ast.walk(stmt) if isinstance(node, ast.Return) and node.value]
        scorer = op == "evaluate" and self._passed_by_reference(stmt.name)
        if op is not None and op != "load" and not scorer and (self._body_has(stmt, op) or (
                op == "evaluate" and self._body_has(stmt, "predict"))):
            # def rmsle_cv(m): ...cross_val_score(...): a helper around a library's step (CONVENTIONS 1); so is
            # def evaluate(model, X, y): p = model.predict(X); return np.sqrt(np.mean((p - y) ** 2)): the library
            # model predicts in it, and the metric on its predictions is computed where it is written. Handed to a
            # library as its scorer (`validation_curve(..., scoring=rms_error)`) it is part of that call, its body no
            # step (CONVENTIONS 3; sklearn-tutorial__validation 52)
            op = None
        if op is None and any(o.facts.get("generated") for value in returned for o in value.ops):
            op = "load"
        if op is None and stmt.name not in self.callbacks and self._returns_drawn(stmt):
            op = "load"  # def make_data(N): X = np.random.random(N); ...; return X, y: generated data (CONVENTIONS 4c)
        self.env[stmt.name] = f"{FUNCTION_MARKER}:{op}" if op else FUNCTION_MARKER
        if op is not None and op == named:
            self.env[OP_FROM_NAME + stmt.name] = "function_name"  # def gradientDescent(X, y, theta): the name's op
        else:
            self.env.pop(OP_FROM_NAME + stmt.name, None)
        if any(called_name(decorator.func if isinstance(decorator, ast.Call) else decorator)
               in kb_pandas.METHOD_REGISTERING_DECORATORS for decorator in stmt.decorator_list):
            self.env[REGISTERED_METHOD + stmt.name] = "1"  # @pf.register_dataframe_method: df.str_trim(...) calls it
        else:
            self.env.pop(REGISTERED_METHOD + stmt.name, None)
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
        # (def lemmatize_text(words, lemmatizer=lemmatizer): one value given, the others have defaults)
        required = len(stmt.args.args) - len(stmt.args.defaults)
        effect = self.body_effect(ast.Module(body=stmt.body, type_ignores=[])) \
            if len(stmt.args.args) == 1 or (required == 1 and not stmt.args.vararg) else None
        if effect == "picks_rows" and (outlier_helper or self._body_has(stmt, "outlier_remove")):
            # def get_outlier_openings(g): median = ...; return g[(g.p - median).abs() > 0.1]: the rows it keeps are
            # past a statistical bound, or the notebook calls them outliers (CONVENTIONS 29)
            effect = "removes_outliers"
        if tests_one_value(stmt):
            self.env[BINS_ONE_VALUE + stmt.name] = "1"  # def classify_likelihood(p): if p < 0.001: return "***"
        else:
            self.env.pop(BINS_ONE_VALUE + stmt.name, None)
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
            for step in self.steps[start:]:
                # done when the function is called, not when the cell runs: the wording says so (render/); a nested
                # def's steps keep the innermost function's name
                step.in_function = step.in_function or stmt.name
            if SPLITTING_NAME.search(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", stmt.name).lower()):
                # def split_train_test(data, r): ...; return data.iloc[train_idx], data.iloc[test_idx]: the row
                # subsets it returns are the train and test sets, one split each (kb.models.SPLITTING_FUNCTION_NAME)
                returned_lines = {node.lineno for node in ast.walk(stmt) if isinstance(node, ast.Return) and node.value}
                returned_names = {sub.id for node in ast.walk(stmt) if isinstance(node, ast.Return) and node.value
                                  for sub in ast.walk(node.value) if isinstance(sub, ast.Name)}
                for step in self.steps[start:]:
                    # (train = d.iloc[:n]; valid = d.iloc[n:]; return train, valid: the parts it returns, by name)
                    if step.op == "filter_rows" and (step.line in returned_lines or step.output in returned_names):
                        step.op, step.inferred_from = "split", "enclosing_function_name"
            if outlier_helper:
                # def remove_outliers(df): return df[df.x < 100]: filters the notebook itself calls outlier removal
                for step in self.steps[start:]:
                    if step.op == "filter_rows":
                        step.op, step.inferred_from = "outlier_remove", "enclosing_function_name"
            returns = {node.lineno for node in ast.walk(stmt) if isinstance(node, ast.Return) and node.value}
            if any(step.line in returns and step.op in kb.display.SHOWN_TABLE_OPS for step in self.steps[start:]):
                # flags = d.groupby(k).pipe(...); return flags.sum().to_frame("n"): read with the body's own names
                self.env[BUILDS_TABLE + stmt.name] = "1"
            returned_names = {sub.id for node in ast.walk(stmt) if isinstance(node, ast.Return) and node.value
                              for sub in ast.walk(node.value) if isinstance(sub, ast.Name)}
            if any(step.op == "evaluate" and (step.line in returns or step.output in returned_names)
                   for step in self.steps[start:]):
                # def evaluate(model): ...; return {"R2": r2_score(y_test, p), ...}: what a call gives back is the
                # model's scores, so a dict or list they are kept in holds results (results.keeps_results_in)
                self.env[RETURNS_RESULTS + stmt.name] = "1"

    def function_body(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """The body's statements, read with what the function's own scope tells (classify/function_scope.py): its
        key parameters are values, not data, and the locals it only counts are answers, not steps."""
        keys = [answer_key(name) for name in keys_among_parameters(stmt) if answer_key(name) not in self.env]
        # def rolling_forecast(df, train_len: int, horizon: int): parameters annotated as one number are numbers, so
        # total_len = train_len + horizon is a size, not a derived feature (CONVENTIONS 9)
        scalars = {arg.arg: self.env.get(arg.arg) for arg in stmt.args.posonlyargs + stmt.args.args + stmt.args.kwonlyargs
                   if isinstance(arg.annotation, ast.Name) and arg.annotation.id in kb.python.SCALAR_ANNOTATIONS}
        # def rmse(y_true, y_pred): the parameter named for predictions holds them (kb.models.PREDICTION_PARAMETER_NAME)
        predicted = [ROLE + arg.arg for arg in stmt.args.args
                     if PREDICTION_PARAMETER.match(arg.arg) and ROLE + arg.arg not in self.env]
        outer, outer_predicted = self.counted_locals, self.predicted_parameters
        self.env.update((key, "1") for key in keys)
        self.env.update((name, ANSWER_MARKER) for name in scalars)
        self.env.update((key, PREDICTED) for key in predicted)
        self.env.update((ROLE_FROM_NAME + key[len(ROLE):], "1") for key in predicted)
        self.roles_bound = self.roles_bound or bool(predicted)
        self.predicted_parameters = bool(predicted)
        self.counted_locals = locals_only_counted(stmt)
        self.function_depth += 1
        try:
            self.block(stmt.body)
        finally:
            self.function_depth -= 1
            self.counted_locals, self.predicted_parameters = outer, outer_predicted
            for key in keys + predicted:
                self.env.pop(key, None)
            for key in predicted:
                self.env.pop(ROLE_FROM_NAME + key[len(ROLE):], None)
            for name, before in scalars.items():
                if before is None:
                    self.env.pop(name, None)
                else:
                    self.env[name] = before

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
            # (def knn_train_test(df, cols, k): ... cross_val_score(knn, df[cols], df[t], cv=kf): the library's
            # cross-validation fits the model on every fold, so the body fits with a library's call too)
            return any((step.op == op or (op == "fit_model" and step.cross_validated))
                       and step.method not in HAND_COMPUTED_METHODS for step in self.steps[start:])
        finally:
            del self.steps[start:]
            self.env.clear()
            self.env.update(env)

    def _passed_by_reference(self, name: str) -> bool:
        """The cell hands the function itself to a call (`validation_curve(..., scoring=rms_error)`)."""
        for node in ast.walk(ast.parse(self.text)):
            if isinstance(node, ast.Call) and any(isinstance(arg, ast.Name) and arg.id == name
                                                  for arg in list(node.args) + [k.value for k in node.keywords]):
                return True
        return False

    def _calls_a_helper(self, value: ast.AST) -> bool:
        return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
            and self.env.get(value.func.id, "") == FUNCTION_MARKER
