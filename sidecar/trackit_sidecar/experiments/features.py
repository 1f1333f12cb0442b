"""The decisions in an experiment's slice as a tree.

    data.sources.<variable>        {path, reader, options, packaged (a library's data set: its loader), data_set,
                                    library}
    preprocessing.<op>[<columns>]  {op, columns, detail, expr, params, strategy | conditions}
    split                          {function, test_size, train_size, random_state, stratify, shuffle, n_splits}
    model                          {class, library, params, steps | estimator, best_params}
    training                       {inputs, features, target, fit_params}
    prediction.<variable>          {threshold, comparison, params}  (prediction.py; only a prediction that decided any)
    evaluation                     {functions, cv, scoring}

Values are literals (or names bound to literals earlier in the slice); anything else is its normalised
source text, so a semantic edit changes the tree and a comment or spacing edit does not. Steps come from
`protocol.Step` (the lineage classifier), with its structured fields where they say it (a split's `outputs`,
a filter's `conditions`, a fit's `estimator`/`params` when its constructor cannot be read); what a step does
not carry (an imputation strategy, non-literal parameters, pipeline members, search grids, reader and
split options) is read here from the step's statement in the executed source. `model.best_params` (what a
search found, read from the kernel) is an outcome, not a decision: it is in the tree but not in the config hash.

The tree's hash and the diff of two trees are feature_diff.py's; how a model's constructor is described,
estimator_description.py's.
"""

from __future__ import annotations

import ast
from typing import Any, Iterable, Optional

from ..lineage.kb.sklearn import CROSS_VALIDATION_FUNCTIONS
from ..lineage.packaged_data import packaged_data_set
from ..protocol import ExecutionRecord, Step
from . import kb, prediction
from .astutil import Scope, callee_name, constructed_before, is_missing, keyword_values, parse, text
from .data_used import Reach
from .estimator_description import EstimatorDescription
from .metric_names import computed_figure_name, is_computed_figure

PREPROCESSING_SKIP = frozenset({"load", "split", "fit_model", "predict", "evaluate", "other"})
_SPLIT_FUNCTIONS = frozenset({"train_test_split"})
_FIT_KEYWORDS_IGNORED = frozenset()
_ALWAYS_KEPT = frozenset({"fit_model", "evaluate"})  # kept whatever reached the result: see build()


def build(executions: Iterable[ExecutionRecord], best_params: Optional[dict[str, Any]] = None,
          model_variable: Optional[str] = None, used: Optional[Reach] = None) -> dict[str, Any]:
    """The feature tree of a slice (executions in execution order). `model_variable` names the model the
    experiment evaluated, when known; otherwise the last model fitted in the slice. `used`: what reached the
    experiment's result; a load, a split or a preparation step whose value did not is not the experiment's decision
    (banana: `df_test`, read in the training data's cell for the submission alone, was among every model's
    `data.sources`; a fill of that test frame was among its preprocessing). Fits and evaluations stay: which model
    the result is, `model_variable` says."""
    builder = _Builder(used)
    for execution in executions:
        if execution.language == "python":
            builder.execution(execution)
    return builder.tree(best_params, model_variable)


def _picked_in_call(fit_call: ast.Call, scope: Scope) -> list[str]:
    """The columns a fit picks in its own call, `fit(X_train[['x1', 'x2']], y_train)` (or a name bound to that list):
    the step's input is `X_train`, whose columns are all the split's; a logistic regression refitted on
    `X_train[['x1']]` then `X_train[['x1', 'x2']]` said "changed from parent: -" (islr chapter 4's `Lag1`, `Lag2`)."""
    if not fit_call.args or not isinstance(fit_call.args[0], ast.Subscript):
        return []
    picked = scope.literal(fit_call.args[0].slice)
    if isinstance(picked, list) and picked and all(isinstance(column, str) for column in picked):
        return list(picked)
    return []


# ---------------------------------------------------------------- building
class _Builder(EstimatorDescription):
    def __init__(self, used: Optional[Reach] = None) -> None:
        self.used = used
        self.scope = Scope()
        self.sources: dict[str, Any] = {}
        self.preprocessing: dict[str, Any] = {}
        self.splits: list[dict[str, Any]] = []
        self.models: dict[str, dict[str, Any]] = {}  # model variable -> description, in fit order
        self.trainings: dict[str, dict[str, Any]] = {}
        self.evaluation: dict[str, Any] = {}
        self.predictions: dict[str, Any] = {}  # a prediction's variable -> what it decided at predict time
        self.producers: dict[str, tuple[Step, int]] = {}  # variable -> (step that last wrote it, output position)
        self.split_columns: dict[str, list[str]] = {}  # a split's output -> the columns its array was selected with
        self.top: Optional[ast.stmt] = None  # the cell's top-level statement being read

    def execution(self, execution: ExecutionRecord) -> None:
        tree = parse(execution.source)
        if tree is None:
            return
        steps = [s for s in execution.steps
                 if s.op in _ALWAYS_KEPT or self.used is None or self.used.reached_result(execution, s)]
        for stmt in tree.body:
            self.top = stmt  # a step in a def's body finds its constructor there (`fit`)
            self.scope.learn(ast.Module(body=[stmt], type_ignores=[]))
            end = getattr(stmt, "end_lineno", stmt.lineno) or stmt.lineno
            fit_codes = {s.code for s in steps if s.op == "fit_model" and s.line is not None
                         and stmt.lineno <= s.line <= end}
            for step in steps:
                if step.line is None or not (stmt.lineno <= step.line <= end):
                    continue
                if step.op != "fit_model" and step.code in fit_codes:
                    continue  # a pipeline's inner transformer: described under model.steps
                self.step(step, _statement_at(stmt, step.line))
        # steps with no line (older analyses) still count, without statement details
        for step in steps:
            if step.line is None:
                self.step(step, None)

    def step(self, step: Step, stmt: Optional[ast.stmt]) -> None:
        calls = [n for n in ast.walk(stmt) if isinstance(n, ast.Call)] if stmt is not None else []
        if step.op == "load":
            self.load(step, calls)
        elif step.op == "split":
            self.split(step, stmt, calls)
        elif step.op == "fit_model":
            self.fit(step, calls)
        elif step.op == "evaluate":
            self.evaluate(step, calls)
        elif step.op == "predict":
            decided = prediction.decisions(step, stmt, self.scope)
            if decided:
                self.predictions[step.output or step.detail or f"prediction{len(self.predictions) + 1}"] = decided
        elif step.op not in PREPROCESSING_SKIP:
            self.preprocess(step, stmt, calls)
        for position, name in enumerate(_outputs(step)):
            self.producers[name] = (step, position)

    # -- per op
    def load(self, step: Step, calls: list[ast.Call]) -> None:
        reader = calls[-1] if calls else None  # innermost-last: the reading call is the deepest one
        for call in calls:
            if callee_name(call) and (callee_name(call) or "").startswith(("read_", "load", "fetch_", "make_",
                                                                           "scan_", "loadtxt", "genfromtxt")):
                reader = call
                break
        entry: dict[str, Any] = {"source": step.detail}
        if reader is not None:
            entry["reader"] = callee_name(reader)
            options = keyword_values(reader, self.scope)
            if options:
                entry["options"] = options
            qualified = self.scope.qualified(reader.func)
            packaged = packaged_data_set(qualified, reader)
            if packaged is not None:  # a library's data set: no input file to record, but which one and whose
                entry.update({"packaged": qualified, "data_set": packaged.name, "library": packaged.library})
        self.sources[step.output or step.detail or f"source{len(self.sources) + 1}"] = entry

    def split(self, step: Step, stmt: Optional[ast.stmt], calls: list[ast.Call]) -> None:
        if self.splits and self.splits[-1].get("outputs") == _outputs(step) and len(_outputs(step)) > 1 \
                and step.output != _outputs(step)[0]:
            return  # one step per output of the same split (what-is-a-step.md): the split is described once
        entry: dict[str, Any] = {}
        call = next((c for c in calls if callee_name(c) in _SPLIT_FUNCTIONS), None)
        if call is None:  # `for tr, te in kf.split(X)`: the splitter object carries the decisions
            split_call = next((c for c in calls if callee_name(c) == "split"), None)
            receiver = split_call.func.value if split_call is not None and isinstance(
                split_call.func, ast.Attribute) else None
            if isinstance(receiver, ast.Name) and receiver.id in self.scope.calls:
                call = self.scope.calls[receiver.id]
            elif isinstance(receiver, ast.Call):
                call = receiver
        if call is not None:
            entry["function"] = callee_name(call)
            if callee_name(call) in _SPLIT_FUNCTIONS:
                self.learn_split_columns(call, _outputs(step))
            params = keyword_values(call, self.scope)
            if callee_name(call) not in _SPLIT_FUNCTIONS and call.args:
                params.setdefault("n_splits", self.scope.value(call.args[0]))
            entry.update({k: params[k] for k in kb.SPLIT_KEYWORDS if k in params})
        elif stmt is not None:
            entry["expr"] = text(_value_of(stmt))
        entry["outputs"] = _outputs(step)
        # a split written again into the same names replaces the earlier one: its parts are what later steps read
        # (sklearn-videos 06 re-splits in its last cell; the slice keeps the first split for the refitted model)
        self.splits = [s for s in self.splits if s.get("outputs") != entry["outputs"]] + [entry]

    def fit(self, step: Step, calls: list[ast.Call]) -> None:
        fit_call = next((c for c in calls if isinstance(c.func, ast.Attribute) and c.func.attr in (
            "fit", "fit_predict", "fit_transform", "partial_fit")), None)
        receiver = fit_call.func.value if fit_call is not None else None
        model: dict[str, Any] = {}
        if isinstance(receiver, ast.Call):
            model = self.estimator(receiver)
        elif isinstance(receiver, ast.Name) and step.in_function:
            # the scope is the notebook's: a function's local `clf` is not the notebook's `clf` (islr chapter 4's
            # `KNN`); its constructor is in the body, its arguments the function's (`KNeighborsClassifier(n_neighbors)`)
            built = constructed_before(self.top, receiver.id, step.line)
            model = self.estimator(built) if built is not None else {"class": step.estimator, "params": {}}
        elif isinstance(receiver, ast.Name) and receiver.id in self.scope.calls:
            model = self.estimator(self.scope.calls[receiver.id])
        elif step.estimator:  # the constructor is out of reach (a helper's return value): the classifier's word
            model = {"class": step.estimator, "params": dict(step.params)}
        variable = step.output or (receiver.id if isinstance(receiver, ast.Name) else "model")
        self.models.pop(variable, None)  # re-fitted: moves to the end (the latest fit)
        self.models[variable] = model
        training: dict[str, Any] = {"inputs": list(step.inputs)}
        if fit_call is not None:
            extra = {k: v for k, v in keyword_values(fit_call, self.scope).items() if k not in _FIT_KEYWORDS_IGNORED}
            if extra:
                training["fit_params"] = extra
        features = _picked_in_call(fit_call, self.scope) if fit_call is not None else []
        if not features and step.inputs:
            features = self.trace_columns(step.inputs[0])
        if features:
            training["features"] = features
        if len(step.inputs) > 1:
            target = self.trace_columns(step.inputs[1])
            if target:
                training["target"] = target[0] if len(target) == 1 else target
        self.trainings[variable] = training

    def evaluate(self, step: Step, calls: list[ast.Call]) -> None:
        functions = self.evaluation.setdefault("functions", [])
        if is_computed_figure(step):  # no function: the figure's name, and nothing for an unnamed one
            name = computed_figure_name(step)
        else:
            name = step.detail if step.detail and (step.detail in kb.ALIASES or "_" in step.detail) else "score"
        if name is not None and name not in functions:
            functions.append(name)
        for call in calls:
            if callee_name(call) in CROSS_VALIDATION_FUNCTIONS:
                params = keyword_values(call, self.scope)
                for key in ("cv", "scoring"):
                    if key in params:
                        self.evaluation[key] = params[key]
                if isinstance(params.get("cv"), str) and params["cv"] in self.scope.calls:
                    self.evaluation["cv"] = self.estimator(self.scope.calls[params["cv"]])
                elif "cv" in params:
                    cv_node = next((k.value for k in call.keywords if k.arg == "cv"), None)
                    if isinstance(cv_node, ast.Call):
                        self.evaluation["cv"] = self.estimator(cv_node)
                if call.args and (not self.models or callee_name(call) in self.models):
                    # cross-validation fits the model itself; a later one in the slice (another cell's, on other
                    # columns) is the one this result comes from
                    estimator = call.args[0]
                    if isinstance(estimator, ast.Name) and estimator.id in self.scope.calls:
                        estimator = self.scope.calls[estimator.id]
                    elif isinstance(estimator, ast.Name):
                        # made in the same loop or function body (sklearn-videos 07's search over k: `for k in
                        # k_range: knn = KNeighborsClassifier(n_neighbors=k)`): the notebook's scope never saw it, and
                        # the experiment had no model, so `ask "which model is best?"` took it for another data set
                        estimator = constructed_before(self.top, estimator.id, step.line) or estimator
                    if isinstance(estimator, ast.Call):
                        self.models[f"{callee_name(call)}"] = self.estimator(estimator)
                        self.trainings[f"{callee_name(call)}"] = self.cross_validated_training(call)

    def cross_validated_training(self, call: ast.Call) -> dict[str, Any]:
        """`cross_val_score(lm, X[['x1']], y)` fits the model itself: its features and target are the data handed to
        it, selected in the call or traced back like a fit's, so two cross-validations on different columns differ."""
        training: dict[str, Any] = {}
        for key, node in (("features", call.args[1] if len(call.args) > 1 else None),
                          ("target", call.args[2] if len(call.args) > 2 else None)):
            if node is None:
                continue
            columns = self.selected_columns(node) or (self.trace_columns(node.id) if isinstance(node, ast.Name) else [])
            if columns:
                training[key] = columns[0] if key == "target" and len(columns) == 1 else columns
        return training

    def preprocess(self, step: Step, stmt: Optional[ast.stmt], calls: list[ast.Call]) -> None:
        by_output = step.op in kb.COLUMN_LIST_DECISIONS and step.output
        key = f"{step.op}[{','.join(step.columns)}]" if step.columns and not by_output \
            else f"{step.op}({step.output or ''})"
        base, n = key, 2
        while key in self.preprocessing:
            key, n = f"{base}#{n}", n + 1
        entry: dict[str, Any] = {"op": step.op}
        if step.columns:
            entry["columns"] = list(step.columns)
        if step.detail:
            entry["detail"] = step.detail
        if stmt is not None:
            entry["expr"] = text(_value_of(stmt))
        main = _main_call(calls)
        if main is not None:
            params = keyword_values(main, self.scope)
            if params:
                entry["params"] = params
        if step.op == "impute_missing":
            strategy = self.imputation(step, calls)
            if strategy is not None:
                entry["strategy"] = strategy
        elif step.conditions:  # filter_rows / outlier_remove / drop_missing by a mask: one per comparison
            entry["conditions"] = [c.model_dump(mode="json", exclude_none=True) for c in step.conditions]
        self.preprocessing[key] = entry

    def imputation(self, step: Step, calls: list[ast.Call]) -> Any:
        for call in calls:
            name = callee_name(call)
            if name == "fillna":
                method = next((k.value for k in call.keywords if k.arg == "method"), None)
                if method is not None:
                    return self.scope.value(method)
                arg = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "value"), None)
                if arg is None:
                    continue
                literal = self.scope.literal(arg)
                if not is_missing(literal):
                    return {"value": self.scope.value(arg)}
                return step.detail or _statistic(arg) or text(arg)
            if name in ("ffill", "bfill", "interpolate"):
                return name
            receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
            if isinstance(receiver, ast.Name) and receiver.id in self.scope.calls:
                imputer = self.scope.calls[receiver.id]
                params = keyword_values(imputer, self.scope)
                return {"imputer": callee_name(imputer), **params}
            if isinstance(receiver, ast.Call) and (callee_name(receiver) or "").endswith("Imputer"):
                return {"imputer": callee_name(receiver), **keyword_values(receiver, self.scope)}
        return step.detail

    # -- helpers
    def learn_split_columns(self, call: ast.Call, outputs: list[str]) -> None:
        """`train_test_split(df[['a', 'b']], df.y)`: each array's train and test parts (two outputs an array, in
        order) keep the columns it was selected with in the call, so the fit reads them as its features."""
        for index, array in enumerate(call.args):
            columns = self.selected_columns(array)
            for output in outputs[2 * index:2 * index + 2]:
                if columns:
                    self.split_columns[output] = columns
                else:
                    self.split_columns.pop(output, None)

    def selected_columns(self, node: ast.AST) -> list[str]:
        """`df[['a', 'b']]` / `df[cols]` (a literal list) -> [a, b]; `df['y']` / `df.y` -> [y]; else []."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return [node.attr]
        if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)):
            return []
        key = self.scope.literal(node.slice)
        if isinstance(key, str):
            return [key]
        if isinstance(key, (list, tuple)) and key and all(isinstance(k, str) for k in key):
            return list(key)
        return []

    def trace_columns(self, variable: str, depth: int = 0) -> list[str]:
        """The literal columns a fit input was selected with, traced back through splits in the slice."""
        found = self.producers.get(variable)
        if found is None or depth > 8:
            return []
        step, position = found
        if step.op == "select_columns":
            return list(step.columns)
        if step.op == "split" and variable in self.split_columns:
            return list(self.split_columns[variable])
        if step.op == "split" and step.inputs:
            outputs = _outputs(step)
            per_input = max(1, len(outputs) // max(1, len(step.inputs)))
            index = min(position // per_input, len(step.inputs) - 1)
            return self.trace_columns(step.inputs[index], depth + 1)
        if step.inputs and step.inputs[0] != variable:
            return self.trace_columns(step.inputs[0], depth + 1)
        return []

    def tree(self, best_params: Optional[dict[str, Any]], model_variable: Optional[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.sources:
            out["data"] = {"sources": self.sources}
        if self.preprocessing:
            out["preprocessing"] = self.preprocessing
        if self.splits:
            out["split"] = self.splits[-1] if len(self.splits) == 1 else {
                f"split#{i + 1}" if i else "split": s for i, s in enumerate(self.splits)}
        variable = model_variable if model_variable in self.models else (next(reversed(self.models), None))
        if variable is not None:
            model = dict(self.models[variable])
            if best_params:
                model["best_params"] = best_params
            out["model"] = model
            if variable in self.trainings:
                out["training"] = self.trainings[variable]
        if self.predictions:
            out["prediction"] = self.predictions
        if self.evaluation:
            out["evaluation"] = self.evaluation
        return out


def _outputs(step: Step) -> list[str]:
    """Every name the step bound: a tuple assignment's parts (a split's), in order, else its one output."""
    return list(step.outputs) or ([step.output] if step.output else [])


def _statement_at(stmt: ast.stmt, line: int) -> ast.stmt:
    """The innermost statement of `stmt` that starts at `line` (a step inside a loop or a function)."""
    best = stmt
    for node in ast.walk(stmt):
        if isinstance(node, ast.stmt) and node.lineno == line:
            best = node
    return best


def _value_of(stmt: ast.stmt) -> ast.AST:
    if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and stmt.value is not None:
        return stmt.value
    if isinstance(stmt, ast.Expr):
        return stmt.value
    return stmt


def _main_call(calls: list[ast.Call]) -> Optional[ast.Call]:
    """The transforming call of a statement: the outermost call with keyword arguments, else the outermost."""
    return next((c for c in calls if c.keywords), calls[0] if calls else None)


def _statistic(node: ast.AST) -> Optional[str]:
    """`df["Age"].median()` -> "median"; `df.groupby(...)["Age"].transform("mean")` -> "mean by ..." is in detail."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
            "mean", "median", "mode", "min", "max", "quantile", "std"):
        return node.func.attr if not node.args else f"{node.func.attr}({text(node.args[0])})"
    if isinstance(node, ast.Subscript):  # df["x"].mode()[0]
        return _statistic(node.value)
    return None
