"""The numbers a cell produced, each with where it came from. Pure: records and kernel answers in, Metric out.

Sources, best first (kb.SOURCE_RANK): values read from the live kernel (full precision; arrays as
mean/std/n), the cell's execute_result, a printed classification_report table, printed metric lines
(`accuracy: 0.789`, `RMSE = 12.3`, `R^2 0.81`, `test acc 78.9%`). A metric found in several places keeps
the best source's value. Names are normalised (`Test Acc` -> `test_accuracy`, `r2_score` -> `r2`) and
get a direction from kb.METRICS; a printed label that names no known metric is not a metric
(`rows: 891` is not).

What a metric is called is metric_names.py's; what a cell printed or showed, printed_metrics.py's. This file asks
the kernel, reads its answers, and keeps one metric per name.
"""

from __future__ import annotations

import ast
import math
from functools import lru_cache
from typing import Any, Iterable, Optional

from ..protocol import ExecutionRecord, Metric, Step
from . import kb
from .astutil import parse, set_last_in_loop
from .metric_names import _evaluate_name, _metric, is_metric_name, normalize_name
from .printed_metrics import metrics_from_outputs


# ---------------------------------------------------------------- what to ask the kernel
def metric_variables(execution: ExecutionRecord) -> list[str]:
    """Names an execution assigned a metric to (outputs of its evaluate steps), to read from the kernel."""
    names: list[str] = []
    for step in execution.steps:
        if step.op != "evaluate":
            continue
        for name in _outputs(step):
            if name not in names:
                names.append(name)
    return names


def _outputs(step: Step) -> list[str]:
    if step.detail and step.detail.startswith("outputs: "):
        return [n.strip() for n in step.detail[len("outputs: "):].split(",") if n.strip()]
    return [step.output] if step.output else []


# ---------------------------------------------------------------- from the kernel
def metrics_from_kernel(execution: ExecutionRecord, values: dict[str, Any],
                        estimators: Optional[dict[str, str]] = None,
                        trained_on: Optional[dict[str, frozenset[str]]] = None) -> list[Metric]:
    """Kernel answers (kernel.experiment_probe.values_json "values") -> metrics. Stale or non-numeric
    answers give nothing: the outputs still may."""
    out: list[Metric] = []
    step_of = {name: step for step in execution.steps if step.op == "evaluate" for name in _outputs(step)}
    for variable, answer in values.items():
        if not isinstance(answer, dict):
            continue
        step = step_of.get(variable)
        name = _evaluate_name(step, variable, estimators, trained_on) if step is not None else variable
        kind = answer.get("kind")
        if name is None and kind != "mapping":
            continue
        source = kb.KERNEL_LAST_LOOP_PASS if set_last_in_loop(execution.source, variable) else "kernel"
        if kind == "number" and _finite(answer.get("value")):
            out.append(_metric(name, float(answer["value"]), source, variable))
        elif kind == "array" and _finite(answer.get("mean")):
            out.append(_metric(name, float(answer["mean"]), source, variable,
                               std=_float_or_none(answer.get("std")), n=answer.get("n")))
        elif kind == "mapping":
            for key, value in (answer.get("items") or {}).items():
                leaf = _report_key(key)
                if leaf and is_metric_name(leaf) and _finite(value):
                    out.append(_metric(leaf, float(value), source, f"{variable}[{key}]"))
    return out


def _report_key(key: str) -> Optional[str]:
    """classification_report(output_dict=True) keys, flattened "label.metric" -> "metric.label"."""
    label, _, metric = key.rpartition(".")
    if not label:
        return key if key != "support" else None
    if metric == "support":
        return None
    return f"{metric}.{label}"


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _float_or_none(value: Any) -> Optional[float]:
    return float(value) if _finite(value) else None


# ---------------------------------------------------------------- together
def _rank(metric: Metric) -> int:
    kind = "output" if metric.source.startswith("output") else metric.source.split(" ", 1)[0]
    return kb.SOURCE_RANK.index(kind) if kind in kb.SOURCE_RANK else len(kb.SOURCE_RANK)


def merge(*groups: Iterable[Metric]) -> list[Metric]:
    """One metric per name, the best-ranked source's; order of first appearance kept."""
    best: dict[str, Metric] = {}
    order: list[str] = []
    for group in groups:
        for metric in group:
            if metric.name not in best:
                order.append(metric.name)
                best[metric.name] = metric
            elif _rank(metric) < _rank(best[metric.name]):
                best[metric.name] = metric
    return [best[name] for name in order]


def execution_metrics(execution: ExecutionRecord, kernel_values: Optional[dict[str, Any]] = None,
                      estimators: Optional[dict[str, str]] = None) -> list[Metric]:
    return merge(metrics_from_kernel(execution, kernel_values or {}, estimators),
                 metrics_from_outputs(execution, estimators))


def primary_metric(metrics: list[Metric], execution: ExecutionRecord,
                   estimators: Optional[dict[str, str]] = None,
                   trained_on: Optional[dict[str, frozenset[str]]] = None) -> Optional[Metric]:
    """The metric of the cell's first evaluate step that produced a value; else, of the metrics the cell measured
    (a search's best_score_ carried by its model is not, unless the cell reads it), a printed report's summary row,
    then the first with a direction, then the first."""
    if not metrics:
        return None
    by_name = {m.name: m for m in metrics}
    for step in execution.steps:
        if step.op != "evaluate":
            continue
        for variable in _outputs(step) or [None]:
            name = _evaluate_name(step, variable, estimators, trained_on)
            if name is not None and normalize_name(name) in by_name:
                return by_name[normalize_name(name)]
    # ztm-ml heart-disease: a classification report of a GridSearchCV's test predictions read "best_score 0.8346",
    # the search's cross-validated score on the training data, over the report's accuracy 0.89 on the test set
    measured = [m for m in metrics if m.raw_name != kb.SEARCH_SCORE_ATTRIBUTE] or metrics
    if _reads_a_score(execution.source):
        measured = metrics
    report = next((m for m in measured if m.name == kb.REPORT_SUMMARY_METRIC
                   and m.source.startswith("classification_report")), None)
    return report or next((m for m in measured if m.direction != "unknown"), measured[0])


def has_score(execution: ExecutionRecord) -> bool:
    """A fit cell that reads a score off the fitted object (`grid.best_score_`) or printed a metric line."""
    return _reads_a_score(execution.source) or bool(metrics_from_outputs(execution))


@lru_cache(maxsize=4096)
def _reads_a_score(source: str) -> bool:
    """The code reads a score attribute (kb.SCORE_ATTRIBUTES). By source: detection asks again for every execution
    of a run each time one of its experiments is derived."""
    if not any(attribute in source for attribute in kb.SCORE_ATTRIBUTES):
        return False
    tree = parse(source)
    return tree is not None and any(isinstance(n, ast.Attribute) and n.attr in kb.SCORE_ATTRIBUTES
                                    for n in ast.walk(tree))



__all__ = [
    "execution_metrics", "has_score", "merge", "metric_variables", "metrics_from_kernel", "primary_metric",
]
