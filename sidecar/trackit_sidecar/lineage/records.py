"""A recorded lineage document made whole, in the one order the passes need. Pure.

The store returns executions with their static analysis and the kernel's raw facts; this gives each
step the facts it produced (graph.attach_runtime), settles what every execution really did
(measured.settle: failed runs, "before" against each step's inputs), lets those facts decide what static
analysis cannot (runtime_decisions: on settled facts, a re-run's "before" is its input; `reruns_of` says which
earlier run of the same cell that input came from), then links parents
over what was really written (graph.link_parents), marks which reads and writes are code, not data
(code_names.mark_code_names), and sets the files each run's code writes (files_written: saving is no step).
The service, `trackit analyze` and tests all use it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from ..protocol import ExecutionRecord, LineageDocument
from . import code_names, graph, measured
from .copy_writes import lines_written_to_a_copy
from .files_written import files_written
from .runtime_decisions import decide_with_runtime


def complete(doc: LineageDocument) -> LineageDocument:
    """Fill steps' runtime facts and decisions, applied writes, parents, read_from, code names and files written of
    every execution, in place."""
    complete_executions(doc.executions)
    return doc


def complete_executions(executions: list[ExecutionRecord], before: Sequence[ExecutionRecord] = ()) -> None:
    """`complete` for executions that follow `before`, already completed executions of the same sessions
    (every pass reads only earlier runs of a session, so appending costs the new runs, not the notebook)."""
    for execution in executions:
        if execution.runtime and execution.steps:
            graph.attach_runtime(execution.steps, execution.runtime)
    measured.settle(executions, before)
    for execution, reruns in zip(executions, reruns_of(executions, before)):
        stopped = execution.status != "ok" and measured.ran(execution)
        execution.steps = decide_with_runtime(execution.steps, execution.runtime, execution.source, stopped,
                                              reruns, lines_written_to_a_copy(execution.outputs))
    graph.link_parents(executions, before)
    code_names.mark_code_names(executions, before)
    for execution in executions:
        execution.files_written = list(files_written(execution.source)) if execution.source else []


def reruns_of(executions: Sequence[ExecutionRecord], before: Sequence[ExecutionRecord] = ()) -> list[dict[str, int]]:
    """Per execution: variable -> seq of an earlier run of the same cell, with the same source and in the same
    session, that was the last to write the variable before it (a re-run starts from that run's result)."""
    last_writer: dict[int, dict[str, ExecutionRecord]] = defaultdict(dict)
    for execution in sorted(before, key=lambda e: e.seq):
        for name in measured.written_names(execution):
            last_writer[execution.session][name] = execution
    found: dict[int, dict[str, int]] = {}
    for execution in sorted(executions, key=lambda e: e.seq):
        writers = last_writer[execution.session]
        found[id(execution)] = {name: writer.seq for name, writer in writers.items()
                                if writer.cell_id == execution.cell_id and writer.source == execution.source}
        for name in measured.written_names(execution):
            writers[name] = execution
    return [found[id(execution)] for execution in executions]
