"""Captures in, batches out: the pending queue, the batch loop, flush, and the acknowledgements.

Cell captures arrive one notification at a time. A single cell run is stored after BATCH_QUIET_S with
nothing new (the tree updates at once); a Run All burst keeps arriving and is collected for up to
BATCH_WINDOW_S, at most BATCH_MAX events, into one store transaction. After the commit the editor is
told which event ids are durable (`lineageChanged` with `event_ids`), so it can drop them from its
re-send buffer. No pygls here: the batcher is given a `store` coroutine and an `on_stored` callback.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, Optional

from .. import protocol as p
from ..services import IngestReport

log = logging.getLogger("trackit.server")

BATCH_MAX = 100
BATCH_WINDOW_S = 0.25
BATCH_QUIET_S = 0.03
FLUSH_CHUNK = BATCH_MAX * 10  # what one flush hands the store at a time when it is behind
RETRY_PAUSE_S = 1.0

# Stores a batch; returns what it stored, or None when the batch was kept elsewhere (spooled) and
# nothing is durable in the database yet.
StoreBatch = Callable[[list[p.CellExecution]], Awaitable[Optional[IngestReport]]]


class CaptureBatcher:
    def __init__(self, store: StoreBatch, on_stored: Callable[[IngestReport], None]) -> None:
        self._store = store
        self._on_stored = on_stored
        self._pending: list[p.CellExecution] = []
        self._wake = asyncio.Event()

    @property
    def pending(self) -> int:
        return len(self._pending)

    def enqueue(self, event: p.CellExecution) -> None:
        self._pending.append(event)
        if len(self._pending) >= BATCH_MAX or len(self._pending) == 1:
            self._wake.set()

    async def run(self) -> None:
        """The batch loop: wait for a first event, collect what follows it, flush; forever."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            waited, seen = 0.0, -1
            while len(self._pending) < BATCH_MAX and waited < BATCH_WINDOW_S and len(self._pending) != seen:
                seen = len(self._pending)
                await asyncio.sleep(BATCH_QUIET_S)
                waited += BATCH_QUIET_S
            await self.flush()

    async def flush(self) -> None:
        """Store everything pending now (requests call this to answer with all that was received)."""
        while self._pending:
            batch, self._pending = self._pending[:FLUSH_CHUNK], self._pending[FLUSH_CHUNK:]
            try:
                report = await self._store(batch)
                if report is not None:
                    self._on_stored(report)
            except Exception:
                # Never drop captures: keep them for the next flush and say why in the log.
                log.exception("storing %d executions failed; will retry", len(batch))
                self._pending[:0] = batch
                await asyncio.sleep(RETRY_PAUSE_S)


def acknowledgements(report: IngestReport) -> list[p.LineageChanged]:
    """One lineageChanged per notebook in a stored batch, naming every event id now durable."""
    return [
        p.LineageChanged(
            notebook_uri=notebook_uri,
            seq=report.latest_seq.get(notebook_uri, 0),
            cell_id=report.last_cell.get(notebook_uri),
            event_ids=event_ids,
        )
        for notebook_uri, event_ids in report.event_ids.items()
    ]
