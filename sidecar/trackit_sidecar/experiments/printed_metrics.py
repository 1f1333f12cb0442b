"""The metrics a cell printed or showed: printed metric lines (`accuracy: 0.789`, `RMSE = 12.3`, `R^2 0.81`,
`test acc 78.9%`), printed classification_report tables, metrics printed bare (`print(accuracy_score(...))`) and
the cell's execute_result, each Metric with the output line it came from. Pure: a record in, Metrics out."""

from __future__ import annotations

import ast
import re
from typing import Iterable, Optional

from ..protocol import ExecutionRecord, Metric
from . import kb
from .astutil import parse
from .metric_names import _evaluate_name, _metric, is_computed_figure, is_metric_name

_NUMBER = r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?"
# `name: value`, `name = value`, `name value`; several per line are allowed (`acc: 0.8, f1: 0.7`); a number followed
# by `:` or `=` and another number is the label's, not a value ("Test accuracy with k = 1: 97.78" is no metric of 1)
_PAIR = re.compile(
    rf"(?P<name>[A-Za-z][A-Za-z0-9 _\-^²/().]*?)\s*(?:[:=]\s*|\s+)(?P<value>{_NUMBER})(?P<pct>\s*%)?(?![\w.])"
    rf"(?!\s*[:=]\s*{_NUMBER})")
_REPR_NUMBER = re.compile(rf"^(?:np\.|numpy\.)?(?:float\d*|int\d*|Decimal)?\(?\s*'?(?P<v>{_NUMBER})'?\s*\)?$")


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
                    if name is not None:  # None: an unnamed computed figure's number, no metric
                        found.append((offset, _metric(name, float(number.group("v")),
                                                      f"output line {line_no + offset + 1}", raw)))
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
                 trained_on: Optional[dict[str, frozenset[str]]] = None) -> list[tuple[Optional[str], str]]:
    """(metric name, what was printed) of each `print(<metric>)` at the cell's top level, in order, when the lines
    the cell printed can be told apart: every print the cell holds is such a top-level print of one metric (a
    metric call, `round(...)` of one, or a variable named as a metric), so its k-th bare number is the k-th of
    them. A figure computed from the model's results and printed unnamed (`print(TP / float(TP + FN))`) prints a bare
    number that is no metric (name None): sklearn-videos 09's `recall_score` printed below one was lost. Anything else
    that prints (other prints, prints in loops or functions) and nothing is matched."""
    tree = parse(execution.source)
    if tree is None or "print" not in execution.source:
        return []
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
             and n.func.id == "print"]
    steps = {s.line: s for s in execution.steps if s.op == "evaluate" and not s.output}
    found: list[tuple[Optional[str], str]] = []
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
        elif (stmt.lineno in steps and is_computed_figure(steps[stmt.lineno])) or _literal_arithmetic(shown):
            found.append((None, ast.unparse(shown)))
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


def _literal_arithmetic(node: ast.expr) -> bool:
    """Arithmetic on number literals (`(10 + 0 + 20 + 10) / 4.`, `np.sqrt((10**2 + 20**2) / 4.)`): one number, no
    metric. sklearn-videos 06 prints the MAE "by hand" above `metrics.mean_absolute_error(true, pred)`, which was lost
    (the cell's bare numbers could not be told apart)."""
    names_called = {id(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
    for part in ast.walk(node):
        if isinstance(part, ast.Constant) and not isinstance(part.value, (int, float)):
            return False
        if isinstance(part, (ast.Name, ast.Attribute)) and id(part) not in names_called and not any(
                isinstance(parent, ast.Attribute) and parent.value is part for parent in ast.walk(node)):
            return False  # a variable: its value may be anything (an array prints no bare number)
        if isinstance(part, (ast.Subscript, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.JoinedStr, ast.Compare)):
            return False
    return isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Call))


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


__all__ = ["metrics_from_outputs"]
