"""A recorded lineage document made whole, in the one order the passes need. Pure.

The store returns executions with their static analysis and the kernel's raw facts; this gives each
step the facts it produced (graph.attach_runtime), settles what every execution really did
(measured.settle: failed runs, "before" against each step's inputs), lets those facts decide what static
analysis cannot (runtime_decisions: on settled facts, a re-run's "before" is its input), then links parents
over what was really written (graph.link_parents) and marks which reads and writes are code, not data
(code_names.mark_code_names). The service, `trackit analyze` and tests all use it.
"""

from __future__ import annotations

from typing import Sequence

from ..protocol import ExecutionRecord, LineageDocument
from . import code_names, graph, measured
from .runtime_decisions import decide_with_runtime


def complete(doc: LineageDocument) -> LineageDocument:
    """Fill steps' runtime facts and decisions, applied writes, parents, read_from and code names of every
    execution, in place."""
    complete_executions(doc.executions)
    return doc


def complete_executions(executions: list[ExecutionRecord], before: Sequence[ExecutionRecord] = ()) -> None:
    """`complete` for executions that follow `before`, already completed executions of the same sessions
    (every pass reads only earlier runs of a session, so appending costs the new runs, not the notebook)."""
    for execution in executions:
        if execution.runtime and execution.steps:
            graph.attach_runtime(execution.steps, execution.runtime)
    measured.settle(executions, before)
    for execution in executions:
        stopped = execution.status != "ok" and measured.ran(execution)
        execution.steps = decide_with_runtime(execution.steps, execution.runtime, stopped)
    graph.link_parents(executions, before)
    code_names.mark_code_names(executions, before)
