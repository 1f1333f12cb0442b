"""An experiment's lineage slice: exactly the executions its result depends on, in execution order.

Walks the parents graph (lineage.graph.link_parents: the last writer of every name read, within one
session) back from the experiment's execution. Cells that only looked at data, plotted, or computed
something the result never read are not in it, and neither is anything from another run (session).
"""

from __future__ import annotations

from typing import Iterable

from ..protocol import ExecutionRecord, SliceEntry


class Slicer:
    """Slices of many experiments of one notebook, sharing one index of the executions."""

    def __init__(self, executions: Iterable[ExecutionRecord]):
        self.by_seq = {e.seq: e for e in executions}

    def slice(self, seq: int) -> list[ExecutionRecord]:
        """The execution `seq` and every execution it transitively read from, sorted by seq.
        Needs `parents` filled (lineage.graph.link_parents)."""
        if seq not in self.by_seq:
            return []
        seen = {seq}
        stack = [seq]
        while stack:
            for parent in self.by_seq[stack.pop()].parents:
                if parent not in seen and parent in self.by_seq:
                    seen.add(parent)
                    stack.append(parent)
        return [self.by_seq[s] for s in sorted(seen)]


def entries(executions: list[ExecutionRecord]) -> list[SliceEntry]:
    return [SliceEntry(seq=e.seq, cell_id=e.cell_id, cell_index=e.cell_index, execution_count=e.execution_count,
                       source_sha256=e.source_sha256, status=e.status) for e in executions]


def signature(executions: Iterable[ExecutionRecord | SliceEntry]) -> dict[str, tuple[str, ...]]:
    """cell id -> the source versions it ran with in the slice (in order): what parent.py compares."""
    found: dict[str, list[str]] = {}
    for execution in executions:
        found.setdefault(execution.cell_id, []).append(execution.source_sha256)
    return {cell: tuple(shas) for cell, shas in found.items()}
