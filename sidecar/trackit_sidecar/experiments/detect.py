"""Which executions are experiments. Pure over a lineage document's executions.

An execution is an experiment when one of its steps evaluates a model or computes a metric (op
`evaluate`), or it fits a model and reads a score (`grid.best_score_`) or prints a metric line. Status
"ok" makes a normal experiment; a failed or interrupted one is kept and marked "failed" (the user saw it
happen; hiding it would make the history look cleaner than it was). The user can mark any execution.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterable, Literal

from ..lineage.code_names import called_at_top_level
from ..protocol import ExecutionRecord, Step
from . import kb
from .astutil import Scope, callee_name, is_missing, parse
from .metric_names import computed_figure_name, is_computed_figure
from .metrics import has_score


@dataclass(frozen=True)
class Detected:
    seq: int
    status: Literal["ok", "failed"]
    origin: Literal["auto", "manual"]


def done_steps(execution: ExecutionRecord) -> list[Step]:
    """The steps the execution did: a step written in a function's body is done when the function is called, so only
    when this cell calls it (islr chapter 4, cell 51, defined `KNN`, whose body fits and scores a model, and called
    nothing: it was an experiment, with the notebook's `clf` of another cell as its model)."""
    called = called_at_top_level(execution.source)
    return [step for step in execution.steps if not step.in_function or step.in_function in called]


def is_experiment(execution: ExecutionRecord) -> bool:
    # a majority-class baseline computed from the test target alone scores no model (rev20: `null_accuracy = max(
    # y_test.mean(), 1 - y_test.mean())` was an experiment with primary metric null_accuracy)
    # and an unnamed figure computed from a model's results measures nothing a user named (computed_figure_name)
    # and a metric called on literal values only shows how the metric works (a tutorial's
    # `accuracy_score([0, 1, 1], [0, 1, 0])` was an experiment, and the parent of the notebook's first real one)
    ops = {step.op for step in done_steps(execution) if not step.majority_baseline
           and not (is_computed_figure(step) and computed_figure_name(step) is None)
           and not evaluates_literals_only(step)}
    if "evaluate" in ops:
        return True
    return "fit_model" in ops and has_score(execution)


def evaluates_literals_only(step: Step) -> bool:
    """An evaluate step whose metric call is given literal values only (bare, or wrapped by kb.LITERAL_WRAPPERS):
    no variable, so no model's or rule's predictions on data."""
    if step.op != "evaluate" or step.inputs or step.model or not step.code or not step.method:
        return False
    tree = parse(step.code)
    call = next((node for node in ast.walk(tree) if isinstance(node, ast.Call) and callee_name(node) == step.method),
                None) if tree is not None else None
    if call is None:
        return False
    values = [*call.args, *(keyword.value for keyword in call.keywords)]
    return bool(values) and all(_literal(value) for value in values)


def _literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and callee_name(node) in kb.LITERAL_WRAPPERS and not node.keywords:
        return all(_literal(arg) for arg in node.args)
    return not is_missing(Scope().literal(node))


def detect(executions: Iterable[ExecutionRecord], marked: Iterable[int] = ()) -> list[Detected]:
    """Experiments among `executions`, in seq order; `marked` are seqs the user marked by hand."""
    marked = set(marked)
    found = []
    for execution in sorted(executions, key=lambda e: e.seq):
        manual = execution.seq in marked
        if manual or is_experiment(execution):
            found.append(Detected(execution.seq, "ok" if execution.status == "ok" else "failed",
                                  "manual" if manual and not is_experiment(execution) else "auto"))
    return found
