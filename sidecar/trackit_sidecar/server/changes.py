"""`trackit/lineageChanged` as a delta: what changed is read on the store thread and sent, in order.

Every reason the editor's lineage changes (a stored batch, runtime facts or statuses, an edit that changes
staleness, a spool merge) goes through `publish`: the message gets the notebook's change since the last
one (TrackitService.take_change: new executions after `after_seq`, changed ones, changed sessions), is
serialised on the store thread (the records are the store thread's) and sent in the order published. No
pygls here: the publisher is given `on_store` and `notify`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Optional

from .. import latency_trace
from .. import protocol as p
from ..services import TrackitService

log = logging.getLogger("trackit.server")

WITHOUT_SOURCE = {"executions": {"__all__": {"source"}}}


def with_change(service: Optional[TrackitService], message: p.LineageChanged) -> Optional[dict]:
    """Store thread: `message` with the notebook's change filled in, as JSON; None when it would say nothing
    (no event ids to acknowledge, no change)."""
    change = service.take_change(message.notebook_uri) if service is not None else None
    if change is not None:
        message.after_seq = change.after_seq
        message.seq = max(message.seq, change.latest_seq)
        message.executions = change.executions
        message.sessions = change.sessions
        if not (message.event_ids or change.executions or change.sessions or change.latest_seq > change.after_seq):
            return None
    payload = message.model_dump(mode="json", exclude=WITHOUT_SOURCE)
    if latency_trace.ON:
        latency_trace.mark("delta_built", message.event_ids or [])
    return payload


class ChangePublisher:
    """One worker drains the published messages in order. (A task per message awaiting the one before made a
    chain as long as the backlog: under a burst of 100,000 captures, cancelling it at shutdown recursed past
    Python's limit and the sidecar never exited.)

    A notebook has at most one message waiting: one published while another of its notebook waits is merged into
    it (event ids added, the later seq and cell). The delta is read when a message is sent, so the merged message
    tells everything both would have. While a burst of captures keeps the store thread busy, the queue is as long
    as the notebooks that changed, not as the batches stored (bench_sidecar.py memory: ~1,900 messages waited,
    holding every event id, after 50,000 captures in 25 notebooks)."""

    def __init__(
        self,
        on_store: Callable[..., Awaitable[Any]],
        service: Callable[[], Optional[TrackitService]],
        notify: Callable[[str, dict], None],
    ) -> None:
        self._on_store = on_store
        self._service = service
        self._notify = notify
        self._waiting: dict[str, p.LineageChanged] = {}  # notebook uri -> its message, in the order first published
        self._worker: Optional[asyncio.Future] = None
        self._held: dict[str, asyncio.Future] = {}  # notebook uri -> what its next message waits for

    def hold(self, notebook_uri: str, until: Awaitable[None]) -> None:
        """The notebook's messages wait for `until` (the caller bounds it) before their delta is read: a change
        coming right after (a run's pushed facts) is told with them, not after them. Every message of the
        notebook waits, since any delta read meanwhile would carry the run without its facts."""
        self._held[notebook_uri] = asyncio.ensure_future(until)

    def publish(self, message: p.LineageChanged) -> None:
        """Send `message` with its delta once the store thread has read it, after every earlier one (merged into
        its notebook's message that is still waiting, if any)."""
        waiting = self._waiting.get(message.notebook_uri)
        if waiting is None:
            self._waiting[message.notebook_uri] = message
        else:
            waiting.event_ids.extend(message.event_ids)
            waiting.seq = max(waiting.seq, message.seq)
            waiting.cell_id = message.cell_id or waiting.cell_id
        if self._worker is None or self._worker.done():
            self._worker = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        while self._waiting:
            message = self._waiting.pop(next(iter(self._waiting)))
            try:
                await self._send(message)
            except Exception:  # one message that cannot be sent does not hold back the ones after it
                log.warning("sending the lineage change of %s failed", message.notebook_uri, exc_info=True)

    async def _send(self, message: p.LineageChanged) -> None:
        held = self._held.get(message.notebook_uri)
        if held is not None:
            await asyncio.wait([held])  # bounded by whoever held it; its failure is not this message's
            if self._held.get(message.notebook_uri) is held:
                del self._held[message.notebook_uri]
        try:
            payload = await self._on_store(with_change, self._service(), message)
        except Exception:  # the editor must still hear of it (and of the event ids): without a delta it reloads
            log.warning("reading the lineage change of %s failed", message.notebook_uri, exc_info=True)
            payload = message.model_copy(update={"after_seq": None, "executions": [], "sessions": []}).model_dump(
                mode="json", exclude=WITHOUT_SOURCE)
        if payload is not None:
            self._notify(p.LINEAGE_CHANGED, payload)
            if latency_trace.ON:
                latency_trace.mark("sent", message.event_ids or [])

    async def idle(self) -> None:
        """Wait until everything published so far is sent (tests, shutdown)."""
        while self._worker is not None and not self._worker.done():
            await asyncio.gather(self._worker, return_exceptions=True)
