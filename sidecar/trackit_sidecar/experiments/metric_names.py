"""What a metric is called. A printed or assigned label is normalised (`Test Acc` -> `test_accuracy`, `r2_score` ->
`r2`) and gets a direction from kb.METRICS; a label that names no known metric is not a metric (`rows: 891` is not).
What an evaluate step assigned or showed is named by its variable, its function, or the metric its model's class
scores (`model.score(...)`). metrics.py and printed_metrics.py make Metrics with these names."""

from __future__ import annotations

import ast
import re
from typing import Any, Optional

from ..protocol import Metric, Step
from . import kb
from .astutil import dotted, parse

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SKLEARN_EVALUATE_FUNCTIONS = frozenset({"cross_val_score", "cross_validate"})


# ---------------------------------------------------------------- names and directions
def _core(tokens: list[str]) -> Optional[tuple[int, int, str]]:
    """(start, stop, canonical) of the widest run of tokens that names a known metric, leftmost first."""
    for size in range(len(tokens), 0, -1):
        for start in range(0, len(tokens) - size + 1):
            window = "_".join(tokens[start:start + size])
            if window in kb.ALIASES:
                return start, start + size, kb.ALIASES[window]
            if window in kb.METRICS:
                return start, start + size, window
    return None


def _normalize_part(raw: str) -> tuple[str, Optional[str]]:
    lowered = raw.strip().lower().replace("r^2", "r2").replace("r²", "r2").replace("f1-score", "f1")
    tokens = [t for t in _NON_ALNUM.split(lowered) if t]
    if not tokens:
        return "", None
    core = _core(tokens)
    if core is None:
        return "_".join(tokens), None
    start, stop, canonical = core
    return "_".join(tokens[:start] + [canonical] + tokens[stop:]), canonical


def normalize_name(raw: str) -> str:
    """`Test Acc` -> `test_accuracy`, `R^2` -> `r2`, `f1-score.macro avg` -> `f1.macro_avg` (dots separate parts)."""
    return ".".join(part for part in (_normalize_part(p)[0] for p in raw.split(".")) if part)


def is_metric_name(raw: str) -> bool:
    return _normalize_part(raw.split(".", 1)[0])[1] is not None


def is_computed_figure(step: Step) -> bool:
    """A figure computed from a model's results by an expression (`TP / float(TP + FN)`, lineage/classify/results.py),
    no metric function's."""
    return step.op == "evaluate" and step.method == "computed"


def computed_figure_name(step: Step) -> Optional[str]:
    """What a computed figure is, as the user named it: the variable it is assigned to (`specificity = TN / float(TN +
    FP)`, ml-basics' `test_acc1 = np.sum(...) / len(...) * 100`: the kernel reads its value as that metric), else the
    label it is printed with (`print('Sensitivity:', ...)`). None: an
    unnamed figure (sklearn-videos 09, `print(TP / float(TP + FN))` beside `recall_score`, checking a formula): no
    metric, and no experiment of its own, since nothing says what it measures (it made experiments with no metric,
    "-" in the table, and "score" in their evaluation.functions)."""
    if step.output:
        return step.output
    first = (step.quoted[0] if step.quoted else "").strip()  # `print('Sensitivity:', TP / float(TP + FN))`
    label = first.rstrip(":=").strip() if first.endswith((":", "=")) else ""
    return normalize_name(label) if label else None


def direction(name: str) -> str:
    """"higher" / "lower" is better, from kb.METRICS by the metric the name contains; "unknown" otherwise.
    sklearn's negated losses (`neg_mean_squared_error`) are higher-is-better."""
    first = name.split(".", 1)[0]
    normalized, canonical = _normalize_part(first)
    if canonical is None:
        return "unknown"
    found = kb.METRICS.get(canonical.split(".", 1)[0], "unknown")
    # `cv_neg_mse`: cross_val_score's scoring names the negated loss after the "cv_" prefix (_evaluate_name)
    if normalized.removeprefix(kb.CROSS_VALIDATED_PREFIX).startswith(kb.NEGATED_PREFIX) and found == "lower":
        return "higher"
    return found


def _metric(name: str, value: float, source: str, raw: Optional[str] = None, **extra: Any) -> Metric:
    normalized = normalize_name(name)
    return Metric(name=normalized, value=value, source=source, direction=direction(normalized), raw_name=raw, **extra)


# ---------------------------------------------------------------- what an evaluate step's result is called
def _evaluate_name(step: Step, variable: Optional[str], estimators: Optional[dict[str, str]] = None,
                   trained_on: Optional[dict[str, frozenset[str]]] = None) -> Optional[str]:
    """What a metric assigned by this step is called: the variable when it names a metric, else the function;
    `model.score(...)` shown or printed bare is the metric the model's class scores (estimators: variable ->
    class of the model fitted into it, experiment_model.py reads them from the slice). None: the function's result is no
    metric (kb.NOT_METRIC_FUNCTIONS: `fpr` of a roc_curve is no score)."""
    if variable and is_metric_name(variable):
        return variable
    function = step.detail or ""
    if function in kb.NOT_METRIC_FUNCTIONS:
        return None
    if function in kb.ROOT_METRICS and _root_taken(step.code or "", function):
        return kb.ROOT_METRICS[function]  # print(np.sqrt(mean_squared_error(...))) printed the RMSE, named "mse"
    if function in _SKLEARN_EVALUATE_FUNCTIONS:
        scoring = _scoring(step.code or "")
        loss = scoring.removeprefix(kb.NEGATED_PREFIX) if scoring else None
        if loss in kb.ROOT_METRICS and _root_taken(step.code or "", function):
            # np.sqrt(-cross_val_score(..., scoring="neg_mean_squared_error")): the folds' RMSE, lower is better
            return f"{kb.CROSS_VALIDATED_PREFIX}{kb.ROOT_METRICS[loss]}"
        return f"{kb.CROSS_VALIDATED_PREFIX}{scoring}" if scoring else f"{kb.CROSS_VALIDATED_PREFIX}score"
    if function in kb.ALIASES or function.endswith(("_score", "_error", "_loss")):
        return function
    if variable and not function:
        return variable
    if step.method == "score" and step.model:
        name = score_metric((estimators or {}).get(step.model)) or "score"
        # heart-disease: `gs_log_reg.score(X_train, y_train)` was "accuracy" as the test score was, so `diff` called it
        # better with no decision changed (trained_on: model variable -> the inputs it was last fitted on)
        fitted_on = (trained_on or {}).get(step.model)
        data = frozenset(i for i in step.inputs if i != step.model)
        return f"{kb.TRAINING_ROWS_PREFIX}{name}" if fitted_on and data and data <= fitted_on else name
    return "score"  # `.score(...)` names the estimator in detail


def _root_taken(code: str, function: str) -> bool:
    """Does the statement take the square root of what `function` returns (`np.sqrt(f(...))`, `f(...) ** 0.5`)?"""
    def calls_function(node: ast.AST) -> bool:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):  # np.sqrt(-cross_val_score(...))
            node = node.operand
        return isinstance(node, ast.Call) and (dotted(node.func) or "").rsplit(".", 1)[-1] == function

    tree = parse(code)
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Call) and (dotted(node.func) or "").rsplit(".", 1)[-1] in kb.SQUARE_ROOT_FUNCTIONS \
                and node.args and calls_function(node.args[0]):
            return True
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant) \
                and node.right.value == 0.5 and calls_function(node.left):
            return True
    return False


def score_metric(estimator: Optional[str]) -> Optional[str]:
    """The metric `estimator.score(X, y)` computes for this class (kb.SCORE_METRIC_BY_ESTIMATOR); None: unknown."""
    if not estimator:
        return None
    if estimator in kb.SCORE_METRIC_BY_ESTIMATOR:
        return kb.SCORE_METRIC_BY_ESTIMATOR[estimator]
    return next((metric for ending, metric in kb.SCORE_METRIC_BY_ENDING if estimator.endswith(ending)), None)


def _scoring(code: str) -> Optional[str]:
    tree = parse(code)
    if tree is None:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "scoring" and isinstance(keyword.value, ast.Constant) and isinstance(
                        keyword.value.value, str):
                    return keyword.value.value
    return None


__all__ = ["direction", "is_metric_name", "normalize_name", "score_metric"]
