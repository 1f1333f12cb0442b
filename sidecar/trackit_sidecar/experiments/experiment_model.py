"""The model an experiment is about, from its slice's steps and the kernel's answer: which fitted variable its
result scored, the estimators and the data each was fitted on, whether its scores are on the training rows, what
the kernel is asked about it, and its fingerprint (the kernel's, else the static features'). Pure."""

from __future__ import annotations

from typing import Any, Optional

from ..protocol import ExecutionRecord, InputsWrittenAgain, Metric, ModelFingerprint, Step
from . import kb
from . import metric_names
from .astutil import fitted_last_in_loop


def module_steps(execution: ExecutionRecord) -> list[Step]:
    """The execution's steps on the notebook's variables: a step written in a function's body names the function's
    locals (islr chapter 4: `def KNN(): clf = KNeighborsClassifier(...); clf.fit(...)` made the notebook's `clf`, a
    LogisticRegression of another cell, the model of the loop that called `KNN`, fingerprinted by the kernel)."""
    return [step for step in execution.steps if not step.in_function]


def estimators(executions: list[ExecutionRecord]) -> dict[str, str]:
    """variable -> the class of the estimator last fitted into it in the slice (a pipeline's last step's)."""
    return {step.output: step.detail for execution in executions for step in module_steps(execution)
            if step.op == "fit_model" and step.output and step.detail}


def trained_on(executions: list[ExecutionRecord]) -> dict[str, frozenset[str]]:
    """variable -> the inputs the model last fitted into it in the slice was fitted on (its own score on them is a
    training score)."""
    return {step.output: frozenset(step.inputs) for execution in executions for step in module_steps(execution)
            if step.op == "fit_model" and step.output and step.inputs}


def _fit_outputs(executions: list[ExecutionRecord]) -> list[str]:
    found: list[str] = []
    for execution in executions:
        for step in module_steps(execution):
            if step.op == "fit_model" and step.output:
                if step.output in found:
                    found.remove(step.output)
                found.append(step.output)
    return found


def model_variable(execution: ExecutionRecord, executions: list[ExecutionRecord]) -> Optional[str]:
    """The model the experiment evaluated: the fitted variable whose own predict / score its result used (the step's
    `model`), else whose predictions it scored, else the last predict / score of the slice, else the last fitted."""
    if _scored_a_functions_model(execution, executions):
        return None  # fitted in the function's body, kept nowhere the kernel can be asked: the slice's fit describes it
    fitted = _fit_outputs(executions)
    scored = _scored_model(execution, executions, fitted)
    if scored is not None:
        return scored
    for candidate in reversed(executions):
        for step in reversed(module_steps(candidate)):
            if step.op in ("predict", "evaluate") and step.model in fitted:
                return step.model
    return fitted[-1] if fitted else None


def scores_training_predictions(execution: ExecutionRecord, executions: list[ExecutionRecord]) -> bool:
    """Every evaluation of the execution scores predictions a model made on the very data it was fitted on (islr
    chapter 4, cells 25-26: `y_pred = lda.fit(X, y).predict(X)`, then `classification_report(y, y_pred)`): a training
    score, as `model.score(X_train, y_train)` is (metric_names), not a test accuracy; `ask "which model is best?"`
    named its 0.97 the best against the test accuracies of the other models."""
    evaluations = [s for s in module_steps(execution) if s.op == "evaluate"]
    on_training: set[str] = set()
    fitted_on: dict[str, frozenset[str]] = {}
    for candidate in executions:
        # data a later cell wrote again (`X = X_test`) is no longer what an earlier fit was given
        fitted_on = {model: inputs for model, inputs in fitted_on.items() if not inputs & set(candidate.writes)}
        for step in module_steps(candidate):
            if step.op == "fit_model" and step.output:
                fitted_on[step.output] = frozenset(step.inputs)
            elif step.op == "predict" and step.model in fitted_on:
                data = frozenset(i for i in step.inputs if i != step.model)
                if data and data <= fitted_on[step.model]:
                    on_training |= {n for n in (step.output, *step.outputs) if n}
    return bool(evaluations) and all(on_training & set(s.inputs) for s in evaluations)


def on_training_rows(metric: Metric) -> Metric:
    if metric.name.startswith(kb.TRAINING_ROWS_PREFIX):
        return metric
    return metric.model_copy(update={"name": f"{kb.TRAINING_ROWS_PREFIX}{metric.name}",
                                     "raw_name": metric.raw_name or metric.name})


def _scored_a_functions_model(execution: ExecutionRecord, executions: list[ExecutionRecord]) -> bool:
    """The execution scored values it computed by calling a function whose body fits a model (islr chapter 4, cell 52:
    `pred, score, classes = KNN(i)`, then `confusion_matrix(y_test, pred)`): the model is that body's, not a notebook
    variable of the same name, nor an earlier prediction of `pred`."""
    fitting = {s.in_function for e in executions for s in e.steps if s.in_function and s.op == "fit_model"}
    scored = {name for s in module_steps(execution) if s.op == "evaluate" for name in s.inputs}
    return any(fitting & set(execution.derivations.get(name, ())) for name in scored)


def _scored_model(execution: ExecutionRecord, executions: list[ExecutionRecord], fitted: list[str]) -> Optional[str]:
    """The model whose predictions the result's own evaluation scored: gulutu-ml chili's
    `accuracy_score(y_test_binary, cv_preds_binary)`, `cv_preds_binary` predicted by `clf_search_c` in a cell that
    then predicted with `reg_search_c`; the last predict of the slice named the regressor's search as the model of a
    classifier's accuracy."""
    evaluations = [s for s in module_steps(execution) if s.op == "evaluate"]
    for step in evaluations:
        if step.model in fitted:
            return step.model
    scored = {name for step in evaluations for name in step.inputs}
    for candidate in reversed([e for e in executions if e.seq <= execution.seq]):
        for step in reversed(module_steps(candidate)):
            if step.op == "predict" and step.model in fitted and scored & {step.output, *step.outputs}:
                return step.model
    return None


def model_questions(execution: ExecutionRecord, executions: list[ExecutionRecord]) -> list[str]:
    """Model variables worth fingerprinting after this execution ran (what the kernel is asked)."""
    names = [s.output for s in module_steps(execution) if s.op == "fit_model" and s.output]
    variable = model_variable(execution, executions)
    if variable and variable not in names:
        names.append(variable)
    return names


def kernel_model(answer: dict[str, Any], variable: Optional[str]) -> Optional[dict[str, Any]]:
    models = answer.get("models") or {}
    found = models.get(variable) if variable else None
    if variable is None and len(models) == 1:  # a model the kernel was asked about is never another one's
        found = next(iter(models.values()))
    return found if isinstance(found, dict) and found.get("kind") == "model" else None


def model_metrics(kernel_model: Optional[dict[str, Any]]) -> list[Metric]:
    if kernel_model and isinstance(kernel_model.get("best_score"), (int, float)):
        return [Metric(name="best_score", value=float(kernel_model["best_score"]), source="kernel",
                       direction=metric_names.direction("best_score"), raw_name=kb.SEARCH_SCORE_ATTRIBUTE)]
    return []


def _fitted_before(executions: list[ExecutionRecord], variable: Optional[str]) -> Optional[InputsWrittenAgain]:
    """The fit's data inputs that a later execution of the slice wrote again (heart-disease: the split re-run with
    test_size 0.3 after a model was fitted on the 0.2 split, then the old model scored on the new test rows)."""
    for index in range(len(executions) - 1, -1, -1):
        fit = next((s for s in reversed(module_steps(executions[index]))
                    if s.op == "fit_model" and s.output == variable), None)
        if variable is None or fit is None:
            continue
        fitted_on = {name: _fingerprint(executions[:index + 1], name) for name in fit.inputs}
        for later in executions[index + 1:]:
            # written again, unless the kernel measured the same data (the same split cell run once more)
            again = [name for name in fit.inputs if name in later.writes and name != variable
                     and (fitted_on[name] is None or _fingerprint([later], name) != fitted_on[name])]
            if again:
                by_split = any(s.op == "split" and s.output in again for s in later.steps)
                return InputsWrittenAgain(variables=again, fit_seq=executions[index].seq, seq=later.seq,
                                          by_split=by_split)
        return None
    return None


def _fingerprint(executions: list[ExecutionRecord], name: str) -> Optional[str]:
    """The kernel's fingerprint of `name` as the last of these executions that measured it left it."""
    for execution in reversed(executions):
        for facts in execution.runtime:
            if facts.variable == name and facts.fingerprint:
                return facts.fingerprint
    return None


def _fitted_last_in_loop(executions: list[ExecutionRecord], variable: Optional[str]) -> bool:
    """Whether the execution that fitted `variable` last in the slice fitted it inside a loop."""
    for execution in reversed(executions):
        if variable and any(s.op == "fit_model" and s.output == variable for s in module_steps(execution)):
            return fitted_last_in_loop(execution.source, variable)
    return False


def model_fingerprint(tree: dict[str, Any], kernel_model: Optional[dict[str, Any]], variable: Optional[str],
                      executions: list[ExecutionRecord]) -> Optional[ModelFingerprint]:
    looped = _fitted_last_in_loop(executions, variable)
    before = _fitted_before(executions, variable)
    if kernel_model is not None:
        qualified = str(kernel_model.get("class") or "?")
        return ModelFingerprint(class_name=qualified.rsplit(".", 1)[-1], library=qualified.split(".", 1)[0],
                                variable=variable, params=kernel_model.get("params") or {},
                                state_sha256=kernel_model.get("state_sha256"),
                                best_params=kernel_model.get("best_params"), source="kernel",
                                last_pass_of_loop=looped, fitted_before=before)
    model = tree.get("model")
    if not model:
        return None
    return ModelFingerprint(class_name=model.get("class", "?"), library=model.get("library"), variable=variable,
                            params=model.get("params") or {}, source="static", last_pass_of_loop=looped,
                            fitted_before=before)
