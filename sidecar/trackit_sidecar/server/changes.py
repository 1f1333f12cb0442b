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
    return message.model_dump(mode="json", exclude=WITHOUT_SOURCE)


class ChangePublisher:
    def __init__(
        self,
        on_store: Callable[..., Awaitable[Any]],
        service: Callable[[], Optional[TrackitService]],
        notify: Callable[[str, dict], None],
    ) -> None:
        self._on_store = on_store
        self._service = service
        self._notify = notify
        self._last: Optional[asyncio.Future] = None

    def publish(self, message: p.LineageChanged) -> None:
        """Send `message` with its delta once the store thread has read it, after every earlier one."""
        previous = self._last
        self._last = asyncio.ensure_future(self._send(message, previous))

    async def _send(self, message: p.LineageChanged, previous: Optional[asyncio.Future]) -> None:
        if previous is not None:
            try:
                await previous
            except BaseException:  # an earlier failure is logged there; this one still goes out
                pass
        try:
            payload = await self._on_store(with_change, self._service(), message)
        except Exception:  # the editor must still hear of it (and of the event ids): without a delta it reloads
            log.warning("reading the lineage change of %s failed", message.notebook_uri, exc_info=True)
            payload = message.model_copy(update={"after_seq": None, "executions": [], "sessions": []}).model_dump(
                mode="json", exclude=WITHOUT_SOURCE)
        if payload is not None:
            self._notify(p.LINEAGE_CHANGED, payload)

    async def idle(self) -> None:
        """Wait until everything published so far is sent (tests, shutdown)."""
        if self._last is not None:
            await asyncio.gather(self._last, return_exceptions=True)
