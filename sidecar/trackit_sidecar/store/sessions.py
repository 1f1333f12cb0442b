"""Session policy, pure: which session and seq the next execution of a notebook gets.

The writer reads a NotebookState per notebook inside its transaction and folds each new execution
through `next_session`; no I/O here, so the policy is unit-tested on small cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass
class NotebookState:
    """Where a notebook's execution order stands: enough to assign the next seq and session."""

    last_seq: int = 0
    session: int = 0
    kernel_id: Optional[str] = None
    max_order: Optional[int] = None
    last_started: Optional[float] = None  # epoch ms of the session's latest start


def next_session(state: NotebookState, kernel_id: Optional[str], execution_order: Optional[int],
                 started_at: Optional[float] = None) -> NotebookState:
    """The state after one more execution (docs/architecture.md "Sessions"). A new session starts
    when the kernel id changes or the execution counter does not grow (a restarted kernel counts
    from 1 again). An unknown (None) kernel id or counter is no evidence of a restart, and neither is
    a smaller counter on an execution that STARTED before the session's latest one: that is an editor
    delivering a finished cell late (a cell whose outputs settle later), not a restart."""
    if state.session == 0:
        return NotebookState(state.last_seq + 1, 1, kernel_id, execution_order, started_at)
    latest = state.last_started if started_at is None or state.last_started is None else max(state.last_started, started_at)
    kernel_changed = kernel_id is not None and state.kernel_id is not None and kernel_id != state.kernel_id
    arrived_late = started_at is not None and state.last_started is not None and started_at < state.last_started
    counter_reset = (execution_order is not None and state.max_order is not None
                     and execution_order <= state.max_order and not arrived_late)
    if kernel_changed or counter_reset:
        return NotebookState(state.last_seq + 1, state.session + 1, kernel_id, execution_order, started_at)
    max_order = state.max_order
    if execution_order is not None:
        max_order = execution_order if max_order is None else max(max_order, execution_order)
    return NotebookState(state.last_seq + 1, state.session, kernel_id or state.kernel_id, max_order, latest)
