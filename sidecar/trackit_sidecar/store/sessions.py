"""Session policy, pure: which seq and session the next execution of a notebook gets.

A session is one kernel lifetime, nothing else. A new one starts only on evidence of a new kernel:
  - the kernel id changed (both known), or
  - the execution counter went back to 1 after it had passed 1 (a restarted kernel counts from 1
    again; a Jupyter server keeps a kernel's id across a restart, so this holds with ids too).
Nothing else is evidence: IPython gives an empty cell the count of the cell after it (so counts
repeat), an interrupted or failed cell keeps its count, a cancelled cell never ran, and an editor
may deliver a finished cell after later ones (outputs still settling). One known limit: without
kernel ids, a restart whose first recorded execution is not counted 1 (the first cell after it was
not tracked), or one after a kernel that had run a single cell, cannot be told from the same kernel.

The writer reads a NotebookState per notebook inside its transaction and folds each new execution
through `place_execution`; `assign_sessions` folds a whole stored history the same way (the repair
migration). No I/O here, so the policy is unit-tested on small cases.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Optional


@dataclass(frozen=True)
class NotebookState:
    """Where a notebook's execution order stands: enough to place the next execution."""

    last_seq: int = 0
    session: int = 0  # the current (latest) session
    kernel_id: Optional[str] = None  # the current session's kernel, once known
    max_order: Optional[int] = None  # the highest execution counter seen in the current session
    last_started: Optional[float] = None  # epoch ms of the current session's latest start
    session_started: Optional[float] = None  # epoch ms of the current session's earliest start


@dataclass(frozen=True)
class Placement:
    seq: int
    session: int
    state: NotebookState  # the notebook's state after this execution


def place_execution(state: NotebookState, kernel_id: Optional[str], execution_order: Optional[int],
                    started_at: Optional[float] = None, status: Optional[str] = None) -> Placement:
    """Seq and session for one more execution of a notebook, and the state after it.

    An execution that started before the current session began was delivered late: it is filed in
    the session before and starts nothing. A cancelled execution never ran, so its counter and kernel
    id say nothing. Unknown (None) ids, counters and times are no evidence of anything."""
    seq = state.last_seq + 1
    counted = status != "cancelled"
    order = execution_order if counted else None
    kernel = kernel_id if counted else None
    if state.session == 0:
        return _placed(seq, NotebookState(seq, 1, kernel, order, started_at, started_at))
    if (state.session > 1 and started_at is not None and state.session_started is not None
            and started_at < state.session_started):
        return Placement(seq, state.session - 1, replace(state, last_seq=seq))
    arrived_late = started_at is not None and state.last_started is not None and started_at < state.last_started
    kernel_changed = kernel is not None and state.kernel_id is not None and kernel != state.kernel_id
    counter_restarted = order == 1 and state.max_order is not None and state.max_order > 1 and not arrived_late
    if kernel_changed or counter_restarted:
        return _placed(seq, NotebookState(seq, state.session + 1, kernel, order, started_at, started_at))
    max_order = state.max_order if order is None else max(order, state.max_order or order)
    return _placed(seq, NotebookState(
        seq, state.session, kernel or state.kernel_id, max_order,
        _pick(max, state.last_started, started_at), _pick(min, state.session_started, started_at)))


def _placed(seq: int, state: NotebookState) -> Placement:
    return Placement(seq, state.session, state)


def _pick(choose, known: Optional[float], new: Optional[float]) -> Optional[float]:
    if known is None or new is None:
        return known if new is None else new
    return choose(known, new)


@dataclass(frozen=True)
class StoredExecution:
    """What the policy needs of a stored execution (the repair reads these in seq order)."""

    seq: int
    kernel_id: Optional[str]
    execution_order: Optional[int]
    started_at: Optional[float]
    status: Optional[str]


def assign_sessions(history: Iterable[StoredExecution]) -> dict[int, int]:
    """seq -> session for one notebook's whole history, in seq order, by the policy above."""
    state = NotebookState()
    sessions: dict[int, int] = {}
    for execution in sorted(history, key=lambda e: e.seq):
        placed = place_execution(replace(state, last_seq=execution.seq - 1), execution.kernel_id,
                                 execution.execution_order, execution.started_at, execution.status)
        sessions[execution.seq] = placed.session
        state = placed.state
    return sessions
