"""The numbers a cell produced, each with where it came from. Pure: records and kernel answers in, Metric out.

Sources, best first (kb.SOURCE_RANK): values read from the live kernel (full precision; arrays as
mean/std/n), the cell's execute_result, a printed classification_report table, printed metric lines
(`accuracy: 0.789`, `RMSE = 12.3`, `R^2 0.81`, `test acc 78.9%`). A metric found in several places keeps
the best source's value. Names are normalised (`Test Acc` -> `test_accuracy`, `r2_score` -> `r2`) and
get a direction from kb.METRICS; a printed label that names no known metric is not a metric
(`rows: 891` is not).
"""

from __future__ import annotations

import ast
import math
import re
from functools import lru_cache
from typing import Any, Iterable, Optional

from ..protocol import ExecutionRecord, Metric, Step
from . import kb
from .astutil import Scope, dotted, parse, set_last_in_loop

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NUMBER = r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?"
# `name: value`, `name = value`, `name value`; several per line are allowed (`acc: 0.8, f1: 0.7`)
_PAIR = re.compile(
    rf"(?P<name>[A-Za-z][A-Za-z0-9 _\-^²/().]*?)\s*(?:[:=]\s*|\s+)(?P<value>{_NUMBER})(?P<pct>\s*%)?(?![\w.])")
_REPR_NUMBER = re.compile(rf"^(?:np\.|numpy\.)?(?:float\d*|int\d*|Decimal)?\(?\s*'?(?P<v>{_NUMBER})'?\s*\)?$")
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


def _evaluate_name(step: Step, variable: Optional[str], estimators: Optional[dict[str, str]] = None,
                   trained_on: Optional[dict[str, frozenset[str]]] = None) -> Optional[str]:
    """What a metric assigned by this step is called: the variable when it names a metric, else the function;
    `model.score(...)` shown or printed bare is the metric the model's class scores (estimators: variable ->
    class of the model fitted into it, build.py reads them from the slice). None: the function's result is no
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


# ---------------------------------------------------------------- from the outputs
def metrics_from_outputs(execution: ExecutionRecord, estimators: Optional[dict[str, str]] = None,
                         trained_on: Optional[dict[str, frozenset[str]]] = None) -> list[Metric]:
    """Printed metric lines, printed classification_report tables, metrics printed bare and the execute_result
    (estimators: see _evaluate_name)."""
    out: list[Metric] = []
    line_no = 0
    bare = _bare_prints(execution, estimators, trained_on)
    for output in execution.outputs:
        if output.text is None:
            continue
        if output.output_type == "stream" and not output.mime.endswith("stderr"):
            lines = output.text.splitlines()
            found: list[tuple[int, Metric]] = []
            used: set[int] = set()
            for offset, metric, consumed in _report_tables(lines):
                found.append((offset, metric))
                used.update(consumed)
            for offset, line in enumerate(lines):
                if offset in used:
                    continue
                number = _REPR_NUMBER.match(line.strip())
                if number is not None and bare:
                    name, raw = bare.pop(0)
                    found.append((offset, _metric(name, float(number.group("v")), f"output line {line_no + offset + 1}",
                                                  raw)))
                else:
                    found.extend((offset, m) for m in _line_metrics(line, line_no + offset + 1))
            found.sort(key=lambda pair: pair[0])  # stable: a line's metrics keep their order
            for offset, metric in found:
                if metric.source.startswith("classification_report"):
                    metric.source = f"classification_report (output line {line_no + offset + 1})"
                out.append(metric)
            line_no += len(lines)
        elif output.output_type == "execute_result" and output.mime == "text/plain":
            found = _execute_result(execution, output.text, estimators, trained_on)
            if found is not None:
                out.append(found)
    return out


def _line_metrics(line: str, number: int) -> list[Metric]:
    found = []
    for match in _PAIR.finditer(line):
        raw = match.group("name").strip(" -_/.(")
        if not raw or not is_metric_name(raw):
            continue
        value = float(match.group("value"))
        unit = "%" if match.group("pct") else None
        found.append(_metric(raw, value, f"output line {number}", raw, unit=unit))
    return found


def _report_tables(lines: list[str]) -> Iterable[tuple[int, Metric, list[int]]]:
    """Rows of every printed classification_report: `precision.1`, `f1.macro_avg`, `accuracy`, ..."""
    i = 0
    while i < len(lines):
        header = lines[i].split()
        if header[:3] != list(kb.REPORT_COLUMNS[:3]):
            i += 1
            continue
        columns = [c.replace("f1-score", "f1") for c in header if c != "support"]
        consumed = [i]
        j = i + 1
        while j < len(lines):
            row = lines[j]
            if not row.strip():
                consumed.append(j)
                j += 1
                if j < len(lines) and lines[j].split()[:3] == list(kb.REPORT_COLUMNS[:3]):
                    break
                continue
            parts = row.split()
            numbers = []
            while parts and len(numbers) < len(kb.REPORT_COLUMNS) and re.fullmatch(_NUMBER, parts[-1]):
                numbers.insert(0, float(parts.pop()))
            label = " ".join(parts)
            if not label or not numbers:
                break
            consumed.append(j)
            source = "classification_report"  # the caller adds the line number
            if label == "accuracy" and len(numbers) <= 2:
                yield j, _metric("accuracy", numbers[0], source, "accuracy"), consumed
            else:
                for column, value in zip(columns, numbers):
                    yield j, _metric(f"{column}.{label}", value, source, f"{label} {column}"), consumed
            j += 1
        i = j


def _bare_prints(execution: ExecutionRecord, estimators: Optional[dict[str, str]],
                 trained_on: Optional[dict[str, frozenset[str]]] = None) -> list[tuple[str, str]]:
    """(metric name, what was printed) of each `print(<metric>)` at the cell's top level, in order, when the lines
    the cell printed can be told apart: every print the cell holds is such a top-level print of one metric (a
    metric call, `round(...)` of one, or a variable named as a metric), so its k-th bare number is the k-th of
    them. Anything else that prints (other prints, prints in loops or functions) and nothing is matched."""
    tree = parse(execution.source)
    if tree is None or "print" not in execution.source:
        return []
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
             and n.func.id == "print"]
    steps = {s.line: s for s in execution.steps if s.op == "evaluate" and not s.output}
    found: list[tuple[str, str]] = []
    no_metric = 0  # prints of a curve or a matrix (kb.NOT_METRIC_FUNCTIONS): they print no bare number
    for stmt in tree.body:
        call = stmt.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) else None
        if call is None or not (isinstance(call.func, ast.Name) and call.func.id == "print"):
            continue
        if len(call.args) != 1 or call.keywords:
            return []
        shown = _unwrapped(call.args[0])
        if isinstance(shown, ast.Name) and is_metric_name(shown.id):
            found.append((shown.id, shown.id))
        elif isinstance(shown, ast.Call) and stmt.lineno in steps:
            step = steps[stmt.lineno]
            name = _evaluate_name(step, None, estimators, trained_on)
            if name is None:
                no_metric += 1
            else:
                found.append((name, step.detail or step.method or "score"))
        else:
            return []
    return found if len(found) + no_metric == len(calls) else []


def _unwrapped(node: ast.expr) -> ast.expr:
    """`round(x, 3)` / `float(x)` -> x: the same metric, rounded or converted."""
    while (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("round", "float")
           and node.args):
        node = node.args[0]
    return node


def _execute_result(execution: ExecutionRecord, text: str, estimators: Optional[dict[str, str]] = None,
                    trained_on: Optional[dict[str, frozenset[str]]] = None) -> Optional[Metric]:
    """The cell's shown value when its last statement evaluates a model or is a metric variable."""
    match = _REPR_NUMBER.match(text.strip())
    if not match:
        return None
    tree = parse(execution.source)
    if tree is None or not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return None
    last = tree.body[-1]
    if isinstance(last.value, ast.Name) and is_metric_name(last.value.id):
        return _metric(last.value.id, float(match.group("v")), "execute_result", last.value.id)
    step = next((s for s in execution.steps if s.op == "evaluate" and s.line == last.lineno and not s.output), None)
    name = _evaluate_name(step, None, estimators, trained_on) if step is not None else None
    if step is None or name is None:
        return None
    return _metric(name, float(match.group("v")), "execute_result", step.detail or step.method)


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
    "direction", "execution_metrics", "has_score", "is_metric_name", "merge", "metric_variables",
    "metrics_from_kernel", "metrics_from_outputs", "normalize_name", "primary_metric", "score_metric",
]
