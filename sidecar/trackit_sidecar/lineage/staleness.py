"""Staleness follows lineage (issue 8, item 6). Pure.

An execution is stale when the code that produced its result has changed since it ran: its own cell was
edited since ("edited"), or it read (directly or through other executions, `parents`) the result of a
stale one ("upstream"). The editor knows the cells' current text and tells the sidecar their sha256s
(trackit/notebookSources); `trackit lineage` and `trackit summarize` read them from the notebook file.
Only cells whose current text is known are judged: a cell missing from the current sources (deleted, or
known by another id) makes nothing stale by itself.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Optional

from ..protocol import ExecutionRecord, LineageDocument


def stale_marks(executions: Iterable[ExecutionRecord], current: Mapping[str, str]
                ) -> dict[int, tuple[str, list[int]]]:
    """seq -> ("edited" | "upstream", seqs of the edited executions it comes from), for stale ones only.
    `current`: cell_id -> sha256 of the cell's current source. Needs `parents` linked."""
    marks: dict[int, tuple[str, list[int]]] = {}
    for execution in sorted(executions, key=lambda e: e.seq):
        edited = execution.cell_id in current and current[execution.cell_id] != execution.source_sha256
        because = sorted({seq for parent in execution.parents if parent in marks for seq in marks[parent][1]})
        if edited:
            marks[execution.seq] = ("edited", sorted({execution.seq, *because}))
        elif because:
            marks[execution.seq] = ("upstream", because)
    return marks


def with_staleness(doc: LineageDocument, current: Optional[Mapping[str, str]]) -> LineageDocument:
    """A copy of `doc` whose executions say whether they are stale; `doc` is left as it is (it is cached).
    With no current sources known, nothing is judged (every `stale` stays None)."""
    if current is None:
        return doc
    marks = stale_marks(doc.executions, current)
    executions = []
    for execution in doc.executions:
        reason, because = marks.get(execution.seq, (None, []))
        executions.append(execution.model_copy(update={"stale": reason, "stale_because": because}))
    return doc.model_copy(update={"executions": executions})
