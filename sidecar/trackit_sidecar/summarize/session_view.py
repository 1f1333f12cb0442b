"""The latest session of a lineage document, and the facts about it every summary section reads.

Pure: which runs the summary describes (the state the session ended in), the parent links inside the
session, the order the cells ran in, and how a sentence cites its cells ("[cells 2, 5]").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from ..lineage.measured import read_names, written_names
from ..protocol import ExecutionRecord, LineageDocument
from ..render.groups import StepGroup, visible_groups


@dataclass
class SessionView:
    """The latest session of a document, with the derived facts every summary needs."""

    session_id: Optional[int]
    executions: list[ExecutionRecord]  # seq order
    earlier_sessions: int = 0
    started_at: Optional[str] = None
    by_seq: dict[int, ExecutionRecord] = field(default_factory=dict)
    runs_per_cell: dict[str, list[ExecutionRecord]] = field(default_factory=dict)
    parents: dict[int, list[int]] = field(default_factory=dict)  # seq -> parent seqs in this session
    # what the narrative describes: the latest run of each cell plus earlier runs whose results are
    # still in use (see `described_runs`), ok runs only (a failed one is a problem, not a step)
    described: Optional[list[ExecutionRecord]] = None


def cell_number(rec: ExecutionRecord) -> int:
    return rec.cell_index + 1


def cite(records_or_numbers: Iterable) -> str:
    """"[cell 3]" or "[cells 2, 5]"; accepts records or 1-based cell numbers."""
    numbers = sorted({cell_number(r) if isinstance(r, ExecutionRecord) else int(r) for r in records_or_numbers})
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"[cell {numbers[0]}]"
    return "[cells " + ", ".join(str(n) for n in numbers) + "]"


def latest_session(doc: LineageDocument) -> SessionView:
    if not doc.executions:
        return SessionView(session_id=None, executions=[], earlier_sessions=len(doc.sessions))
    session_id = max(rec.session for rec in doc.executions)
    executions = sorted((r for r in doc.executions if r.session == session_id), key=lambda r: r.seq)
    earlier = len({r.session for r in doc.executions if r.session != session_id})
    info = next((s for s in doc.sessions if s.id == session_id), None)
    view = SessionView(
        session_id=session_id,
        executions=executions,
        earlier_sessions=earlier,
        started_at=(info.started_at if info else None) or executions[0].started_at,
    )
    view.by_seq = {r.seq: r for r in executions}
    for rec in executions:
        view.runs_per_cell.setdefault(rec.cell_id, []).append(rec)
    view.parents = _session_parents(executions)
    live = {r.seq for r in described_runs(executions, view.parents)}
    view.described = [rec for rec in executions if rec.seq in live and rec.status == "ok"]
    return view


def described_runs(executions: list[ExecutionRecord], parents: dict[int, list[int]]) -> list[ExecutionRecord]:
    """The executions that made the state the session ended in, in seq order.

    A data scientist reads a summary as "what my notebook did to get here": for each cell that is
    its latest run. An earlier run of a cell is kept only while its effect still matters, i.e. it is
    upstream of a latest run or of a variable's final value (a later cell used what it produced, or
    the re-run worked on its result, as `df["x"] *= 2` run twice does). A Run All done twice thus
    describes the second pass only.
    """
    latest: dict[str, int] = {}
    final_writer: dict[str, int] = {}
    for rec in executions:
        latest[rec.cell_id] = rec.seq
        for name in written_names(rec):
            final_writer[name] = rec.seq
    live: set[int] = set()
    stack = list(latest.values()) + list(final_writer.values())
    while stack:
        seq = stack.pop()
        if seq in live:
            continue
        live.add(seq)
        stack.extend(parents.get(seq, []))
    return [rec for rec in executions if rec.seq in live]


def _session_parents(executions: list[ExecutionRecord]) -> dict[int, list[int]]:
    """Parent links inside the session.

    The store leaves `parents` empty until lineage/graph.link_parents runs; when nobody ran it we
    derive the same edges from reads/writes (last earlier writer of each name read) so the
    dependency section never silently disappears.
    """
    seqs = {r.seq for r in executions}
    if any(r.parents for r in executions):
        return {r.seq: [p for p in r.parents if p in seqs] for r in executions}
    last_writer: dict[str, int] = {}
    parents: dict[int, list[int]] = {}
    for rec in executions:
        found = sorted({last_writer[name] for name in read_names(rec) if name in last_writer})
        parents[rec.seq] = found
        for name in written_names(rec):
            last_writer[name] = rec.seq
    return parents


def upstream_seqs(view: SessionView, seq: int) -> list[int]:
    seen: set[int] = set()
    stack = list(view.parents.get(seq, []))
    while stack:
        parent = stack.pop()
        if parent in seen:
            continue
        seen.add(parent)
        stack.extend(view.parents.get(parent, []))
    return sorted(seen)


def out_of_order_pairs(view: SessionView) -> list[tuple[ExecutionRecord, ExecutionRecord]]:
    """(earlier-placed cell run later, the run just before it): the execution order went back up the notebook."""
    pairs = []
    for prev, rec in zip(view.executions, view.executions[1:]):
        if rec.cell_index < prev.cell_index:
            pairs.append((rec, prev))
    return pairs


def cell_reran(view: SessionView, rec: ExecutionRecord) -> bool:
    return len(view.runs_per_cell.get(rec.cell_id, [])) > 1


def described_records(view: SessionView) -> list[ExecutionRecord]:
    # a view built by hand (tests, prompt.py callers) may not have computed it: every ok run
    if view.described is not None:
        return view.described
    return [rec for rec in view.executions if rec.status == "ok"]


def section_groups(view: SessionView, sections: set[str]) -> list[tuple[ExecutionRecord, StepGroup]]:
    found = []
    for rec in described_records(view):
        for group in visible_groups(rec.steps):
            if group.section in sections:
                found.append((rec, group))
    return found


def cite_compact(records: Iterable[ExecutionRecord]) -> str:
    """Like `cite`, with runs of three or more consecutive cells as a range ("[cells 1–40]")."""
    numbers = sorted({cell_number(r) for r in records})
    if len(numbers) <= 1:
        return cite(numbers)
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{run[0]}–{run[-1]}" if len(run) >= 3 else ", ".join(map(str, run)) for run in runs]
    return "[cells " + ", ".join(parts) + "]"
