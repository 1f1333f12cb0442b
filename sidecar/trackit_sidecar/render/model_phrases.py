"""What a model step did, in words: a split, a fit, a prediction and an evaluation (with what it compared)."""

from __future__ import annotations

from typing import Callable, Optional

from ..lineage.kb.sklearn import METHODS as SKLEARN_METHODS
from ..protocol import Step
from .effects import measured_split_outputs, split_outputs
from .formula_fits import estimator_name
from .phrase_parts import Say, detail_clause, into_clause, target_of
from .words import article, code, names, one_line, short_code


def predict_model_and_data(step: Step) -> tuple[Optional[str], list[str]]:
    """(model variable, data inputs). Analyses stored before `model` existed (and `method` with it: executions keep the
    analysis they were classified with) put the model first in `inputs`. A prediction of today's analyses with no
    model is a threshold on scores (`proba[:, 1] > 0.2`, method "threshold"): its first input is no model (islr
    chapter 4 read "predicted with `y` on `y_prob`", `y` the true labels beside the scores)."""
    if step.model:
        return step.model, [i for i in step.inputs if i != step.model]
    if step.method is None and len(step.inputs) > 1:
        return step.inputs[0], step.inputs[1:]
    return None, list(step.inputs)


def _split(step: Step, say: Say) -> str:
    target, extra_facts = say.target, say.extra_facts
    outputs = split_outputs(step)
    if len(outputs) > 1 and len(measured_split_outputs(step, extra_facts)) == len(outputs):
        return f"split {target} into training and test sets"  # the effects name each part
    if step.outputs:
        return f"split {target} into training and test sets {names(outputs, count_total=False)}"
    giving = f", giving {code(step.output)}" if step.output and step.output not in step.inputs else ""
    return f"split {target} into training and test sets{detail_clause(step)}{giving}"


def _fit_model(step: Step, say: Say) -> str:
    name = estimator_name(step)
    if name:
        model = f"{article(name)} {code(name)} model"
    elif step.detail and step.method:  # `np.linalg.lstsq(X, y)`: no class, the call is what fitted
        model = f"a model with {code(step.method)}"
    else:
        model = "a model"
    as_name = f" as {code(step.output)}" if step.output else ""
    on = f" on {names(step.inputs)}" if step.inputs else ""
    # `p = LinearRegression().fit(X, y).predict(X)`: the model lives only in the statement; `p` holds its predictions
    kept = " (not kept)" if step.chained_into else ""
    formula = step.formula_fit if not step.detail else None
    if formula is not None:  # "fitted a model" said nothing of which
        model = f"{article(formula.function)} {code(formula.function)} model of {code(formula.formula)}"
        on = on or (f" on {code(formula.data)}" if formula.data else "")
    if say.rows_of:  # sm.OLS(y.iloc[:14], X.iloc[:14]).fit(): a subset, not the whole of `y` and `X`
        on = f" on rows picked from {names(say.rows_of)}"
    return f"fitted {model}{as_name}{on}{kept}"


def _predict(step: Step, say: Say) -> str:
    model, data = predict_model_and_data(step)
    if model is None and step.method == "threshold":
        scores = step.thresholded
        return f"predicted classes by a threshold{' on ' + names(scores) if scores else ''}{into_clause(step)}"
    kind = f" ({code(step.detail)})" if step.detail and model else ""
    with_model = f" with {code(model)}{kind}" if model else " with it" if say.model_just_fitted else (
        f" with a {code(step.detail)}" if step.detail else "")
    on = f" on {names(data)}" if data else ""
    if not (with_model or on):
        return f"made predictions{into_clause(step)}"
    return f"predicted{with_model}{on}{_into_columns(step, data) or into_clause(step)}"


def _into_columns(step: Step, data: list[str]) -> str:
    """" into column `y_hat`" of a prediction written into columns (`df["y_hat"] = np.polyval(fit, df.x)`: "into
    `df`" said nothing of where, and nothing at all when `df` was also what it predicted on), with the table when it
    is not the data predicted on (" into column `pred` of `df`"); "" for a prediction kept otherwise."""
    if not (step.assigned_columns and step.output):
        return ""
    word = "column" if len(step.assigned_columns) == 1 else "columns"
    table = f" of {code(step.output)}" if step.output not in data else ""
    return f" into {word} {names(step.assigned_columns)}{table}"


# a fitted model's methods that score it on the data they are given (`model.score(X_test, y_test)`)
SCORING_METHODS = frozenset(name for name, op in SKLEARN_METHODS.items() if op == "evaluate")


def evaluation_target(step: Step, prediction: Optional[Step] = None) -> str:
    """What an evaluation compared. With the prediction made inside its call (render.groups.predicted_inside) its
    inputs name the data predicted on, not predictions: "the predictions of `model` on `X_test` against `y_test`",
    where "`y_test` and `X_test`" read as if the test features were scored."""
    data = [i for i in step.inputs if i != step.model]
    if prediction is None and step.model and data and (step.model not in step.inputs or step.method in SCORING_METHODS):
        # cross_val_score(knn, X, y) fits and scores the model itself: "evaluated `X` and `y`" read as if the data
        # were what was scored; `rs.score(X_test, y_test)` read "evaluated `rs`, `X_test` and `y_test`", the model
        # one more thing evaluated beside its data. Another method's arguments need not be data (`res2.f_test(R)`)
        return f"{code(step.model)} on {names(data)}"
    if prediction is None:
        return target_of(step)
    model, data = predict_model_and_data(prediction)
    truth = [i for i in step.inputs if i not in data and i != model]
    return "the predictions" + (f" of {code(model)}" if model else "") + (f" on {names(data)}" if data else "") \
        + (f" against {names(truth)}" if truth else "")


def evaluation_metric(step: Step) -> Optional[str]:
    """What an evaluation computed its figure with: a fitted model's own method (`res2.f_test(R)`, `model.score(X, y)`)
    names it; the detail is then the model's class ("evaluated `res2` with `OLS`" named no test); else the metric
    function (`accuracy_score`). A model's `score` names it also when the model is kept nowhere
    (`LinearRegression().fit(X, y).score(X, y)` read "evaluated with `LinearRegression`")."""
    return step.method if (step.model or step.method in SCORING_METHODS) and step.method else step.detail


def _evaluate(step: Step, say: Say) -> str:
    if step.majority_baseline:  # no model's evaluation: the score any model must beat
        return (f"computed the majority-class baseline of {say.target} (the accuracy of always predicting its most "
                f"frequent class){into_clause(step)}")
    how = evaluation_metric(step)
    metric = f" with {code(how)}" if how else ""
    if not step.inputs and not step.detail and short_code(step):
        # print(TP / (TP + FN)): a figure computed from a model's results (lineage/classify/results.py) the classifier
        # names no input or function of; "evaluated the data" said nothing true, the figure's expression says what
        shown = one_line(step.shown_expression) if step.shown_expression else short_code(step)
        return f"computed {code(shown or '')} from {_results_read(step)}"
    if say.model_just_fitted and step.model is None and step.method in SCORING_METHODS:
        # LinearRegression().fit(X, y).score(X, y): the model just said to be fitted scored on the data it is given,
        # with its own method (its class, as the metric, named no metric)
        on = f" on {names(step.inputs)}" if step.inputs else ""
        return f"evaluated it{on} with {code(step.method)}{into_clause(step)}"
    label = _printed_label(step)
    if not step.inputs and not step.detail and label:
        # too long to quote: `print(f"train accuracy: {100 - np.mean(np.abs(y_p_train - y_train)) * 100}%")` (ml-basics
        # logistic regression) read "evaluated the data"; the label it prints says what the figure is
        return f"computed the {code(label)} it prints from {_results_read(step)}"
    return f"evaluated {say.target}{metric}{into_clause(step)}"


def _results_read(step: Step) -> str:
    """What a figure computed by hand of no input was computed from. A model's results, when the classifier knew the
    values it read by how they were made (`TP` out of a confusion matrix); when that rested on names
    (`inferred_from` "input_name": `R2 = SSR / SST`, measures by their names, `SST` of `y` alone) nothing says a
    model gave them: results computed earlier."""
    return "results computed earlier" if step.inferred_from == "input_name" else "the model's results"


MODEL_PHRASES: dict[str, Callable[[Step, Say], str]] = {
    "split": _split,
    "fit_model": _fit_model,
    "predict": _predict,
    "evaluate": _evaluate,
}


def _printed_label(step: Step) -> Optional[str]:
    """The words a printed figure is labelled with (`print(f"train accuracy: {...}%")` -> "train accuracy")."""
    first = step.quoted[0] if step.quoted else ""
    label = first.strip().rstrip(":=").strip()
    return label if step.shown_expression and label and first.rstrip().endswith((":", "=")) else None
