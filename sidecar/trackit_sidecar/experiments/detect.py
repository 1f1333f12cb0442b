"""Which executions are experiments. Pure over a lineage document's executions.

An execution is an experiment when one of its steps evaluates a model or computes a metric (op
`evaluate`), or it fits a model and reads a score (`grid.best_score_`) or prints a metric line. Status
"ok" makes a normal experiment; a failed or interrupted one is kept and marked "failed" (the user saw it
happen; hiding it would make the history look cleaner than it was). The user can mark any execution.
A metric called on literal values only (a tutorial's `accuracy_score([0, 1, 1], [0, 1, 0])`) evaluates no
predictions on data; a table (`confusion_matrix`) of what an earlier experiment of the run scored is a second
look at that result (run_experiments): neither is an experiment.
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


def tables_only(execution: ExecutionRecord) -> frozenset[str]:
    """The data a cell evaluated when every evaluation it did gives a table, no score (kb.NOT_METRIC_FUNCTIONS: a
    `confusion_matrix(y_test, pred)` shown), and it fitted nothing and printed no metric; else empty."""
    steps = done_steps(execution)
    evaluations = [step for step in steps if step.op == "evaluate"]
    if not evaluations or any(step.method not in kb.NOT_METRIC_FUNCTIONS or not step.inputs for step in evaluations) \
            or any(step.op == "fit_model" for step in steps) or has_score(execution):
        return frozenset()
    return frozenset(name for step in evaluations for name in step.inputs)


def run_experiments(run: Iterable[ExecutionRecord]) -> list[int]:
    """The experiments of one run (its executions), seqs in order (experiments_and_looks)."""
    return experiments_and_looks(run)[0]


def experiments_and_looks(run: Iterable[ExecutionRecord]) -> tuple[list[int], dict[int, list[int]]]:
    """The experiments of one run (its executions), seqs in order, and the second looks at their results: experiment
    seq -> the seqs of the later cells of the run that only showed a table of what it scored. Such a cell
    (`confusion_matrix(y_test, pred)` after `accuracy_score(y_test, pred)`, neither rewritten between) looks at that
    result again: no experiment of its own (it was one, with no metric, "changed" only in `evaluation.functions`),
    but part of what the user saw of the earlier one (`show`: "also looked at"). A table of what no experiment scored
    stays one: the table is its result."""
    found: list[int] = []
    looks: dict[int, list[int]] = {}
    scored: dict[str, int] = {}  # what the run's experiments so far evaluated (-> which), until a later cell rewrites it
    for execution in sorted(run, key=lambda e: e.seq):
        automatic = is_experiment(execution)
        tables = tables_only(execution) if automatic else frozenset()
        if automatic and tables and tables <= scored.keys():
            for seq in sorted({scored[name] for name in tables}):
                looks.setdefault(seq, []).append(execution.seq)
        elif automatic:
            found.append(execution.seq)
        for name in execution.writes:
            scored.pop(name, None)
        if automatic and not tables:
            scored.update({name: execution.seq for step in done_steps(execution) if step.op == "evaluate"
                           for name in step.inputs})
    return found, looks


def is_run_experiment(execution: ExecutionRecord, run_before: Iterable[ExecutionRecord]) -> bool:
    """`is_experiment`, knowing the run's executions before it (`run_before`): only a tables-only cell reads them."""
    if not is_experiment(execution):
        return False
    return not tables_only(execution) or execution.seq in run_experiments(
        [*(e for e in run_before if e.seq < execution.seq), execution])


def detect(executions: Iterable[ExecutionRecord], marked: Iterable[int] = ()) -> list[Detected]:
    """Experiments among `executions` (of one or more runs), in seq order; `marked` are seqs the user marked."""
    marked = set(marked)
    executions = sorted(executions, key=lambda e: e.seq)
    runs: dict[int, list[ExecutionRecord]] = {}
    for execution in executions:
        runs.setdefault(execution.session, []).append(execution)
    automatic = {seq for run in runs.values() for seq in run_experiments(run)}
    return [Detected(e.seq, "ok" if e.status == "ok" else "failed", "auto" if e.seq in automatic else "manual")
            for e in executions if e.seq in marked or e.seq in automatic]
