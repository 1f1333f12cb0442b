"""Captures in, batches out: the pending queue, the batch loop, flush, shutdown, and the acknowledgements.

Cell captures arrive one notification at a time. The first one is stored at once, alone (a single cell run
waits for no window: the tree shows it as soon as it is stored); whatever arrives while that transaction runs
(a Run All burst) is stored together in the next one, up to FLUSH_CHUNK at a time: the batches grow with the
backlog, never with a timer. After the commit the editor is told which event ids are durable (`lineageChanged`
with `event_ids`), so it can drop them from its re-send buffer. No pygls here: the batcher is given a `store`
coroutine and callbacks.

Bounds (the promises in the README's "Reliability"):
- memory holds at most MAX_PENDING_EVENTS captures or MAX_PENDING_BYTES of their text; past that,
  captures go to the overflow queue on disk (overflow.py), are acknowledged once written, and are
  stored in arrival order after what memory holds. Nothing is dropped.
- a batch the database fails to take (a failing disk, a damaged file: not a bad event, the writer
  isolates those) is retried RETRY_DELAYS_S apart; then it goes to disk too, the editor is told once
  (`on_unavailable`), and the database is tried again every PROBE_INTERVAL_S. Requests that need
  everything stored (`flush`) fail at once with the database's error instead of waiting.
- `close` (stdin closed, SIGTERM) stores what it can within its deadline and writes the rest to disk. A batch the
  loop was storing when it was cancelled is stored all the same, and close reports it (its runs' facts are still
  taken).
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Awaitable, Callable, Optional

from .. import protocol as p
from ..services import IngestReport
from .overflow import OverflowQueue

log = logging.getLogger("trackit.server")

BATCH_MAX = 100  # what the shutdown drain stores at a time (a transaction still running at its deadline ends soon)
FLUSH_CHUNK = BATCH_MAX * 10  # what one store call takes at a time when it is behind
MAX_PENDING_EVENTS = 10_000
MAX_PENDING_BYTES = 64 * 1024 * 1024
SPILL_CHUNK = 1_000  # captures per overflow file
RETRY_DELAYS_S = (0.5, 1.0, 2.0)
PROBE_INTERVAL_S = 15.0

# Stores a batch; returns what it stored (or, spooling for another owner, what it wrote durably).
StoreBatch = Callable[[list[p.CellExecution]], Awaitable[IngestReport]]


class DatabaseUnavailableError(RuntimeError):
    """The database failed to take captures; they are kept on disk. The message is the database's."""


def event_bytes(event: p.CellExecution) -> int:
    """What a capture costs in memory, roughly: its texts."""
    return len(event.source) + sum(len(o.text or o.base64 or "") for o in event.outputs) + 512


class CaptureBatcher:
    def __init__(
        self,
        store: StoreBatch,
        on_stored: Callable[[IngestReport], None],
        overflow: Optional[OverflowQueue] = None,
        on_unavailable: Callable[[str], None] = lambda message: None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._on_stored = on_stored
        self._overflow = overflow
        self._on_unavailable = on_unavailable
        self._clock = clock
        self._pending: list[p.CellExecution] = []
        self._pending_bytes = 0
        self._first_arrival = 0  # arrival number of _pending[0]
        self._arrivals = 0
        self._staging: list[p.CellExecution] = []  # newer than every overflow file, on its way to disk
        self._staging_first = 0
        self._spilling = False  # captures go to disk until the overflow is drained
        self._spills: set[asyncio.Future] = set()
        self._disk = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trackit-overflow")
        self._wake = asyncio.Event()
        self._draining = asyncio.Lock()
        self._interrupted: Optional[asyncio.Future] = None  # a store the loop was cancelled in: close reports it
        self.unavailable: Optional[str] = None  # the database's error while it takes nothing
        self._next_probe = 0.0

    def set_overflow(self, overflow: OverflowQueue) -> None:
        self._overflow = overflow

    @property
    def pending(self) -> int:
        return len(self._pending) + len(self._staging)

    @property
    def pending_bytes(self) -> int:
        return self._pending_bytes

    # ------------------------------------------------------------ in
    def enqueue(self, event: p.CellExecution) -> None:
        arrival = self._arrivals
        self._arrivals += 1
        size = event_bytes(event)
        full = len(self._pending) >= MAX_PENDING_EVENTS or self._pending_bytes + size > MAX_PENDING_BYTES
        if self._overflow is not None and (self._spilling or (full and self._pending)):
            if not self._spilling:
                log.warning("more than %d captures (%d MB) waiting: the rest go to %s until the store catches up",
                            len(self._pending), self._pending_bytes // 2**20, self._overflow.dir)
            self._spilling = True
            if not self._staging:
                self._staging_first = arrival
            self._staging.append(event)
            if len(self._staging) >= SPILL_CHUNK:
                self._spill_staging()
        else:
            if not self._pending:
                self._first_arrival = arrival
            self._pending.append(event)
            self._pending_bytes += size
        self._wake.set()

    def _spill_staging(self) -> None:
        """Write the staged captures to disk in the background (one writer thread keeps file order)."""
        if not self._staging or self._overflow is None:
            return
        events, first = self._staging, self._staging_first
        self._staging = []
        future = asyncio.get_running_loop().run_in_executor(self._disk, self._overflow.append, events, first)
        self._spills.add(future)
        future.add_done_callback(lambda f: self._spilled(f, events))

    def _spilled(self, future: asyncio.Future, events: list[p.CellExecution]) -> None:
        self._spills.discard(future)
        if future.cancelled() or future.exception() is not None:
            # the disk failed too: keep them in memory (order kept: they go after what is there)
            log.error("writing %d captures to disk failed: %s; keeping them in memory", len(events),
                      future.exception() if not future.cancelled() else "cancelled")
            self._pending.extend(events)
            self._pending_bytes += sum(event_bytes(e) for e in events)
            return
        self._acknowledge(events)

    def _acknowledge(self, events: list[p.CellExecution]) -> None:
        """Captures durable on disk: the editor may forget them (seq 0: nothing new to show yet)."""
        report = IngestReport()
        for event in events:
            report.event_ids.setdefault(event.notebook_uri, []).append(event.event_id)
        self._on_stored(report)

    # ------------------------------------------------------------ the loop
    async def run(self) -> None:
        """The batch loop: wait for an event, store what is there; forever. (No window: _drain takes what
        arrived during the previous transaction as the next batch.)"""
        while True:
            timeout = max(0.05, self._next_probe - self._clock()) if self.unavailable else None
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()
            try:
                await self._drain(retry=True)
            except DatabaseUnavailableError:
                pass  # kept on disk; told once; probed again later

    async def flush(self) -> None:
        """Store everything received so far (requests call this to answer with all of it). Raises
        DatabaseUnavailableError at once when the database cannot take it; nothing is lost then."""
        await self._drain(retry=False)

    async def close(self, deadline_s: float) -> None:
        """Shutting down: store what can be stored within `deadline_s`, write the rest to disk."""
        end = self._clock() + deadline_s
        await self._report_interrupted(end)
        try:  # small batches: the one still running in the store thread at the deadline ends soon after it
            await asyncio.wait_for(self._drain(retry=False, chunk=BATCH_MAX), max(0.0, end - self._clock()))
        except (asyncio.TimeoutError, DatabaseUnavailableError, Exception) as stopped:  # noqa: BLE001
            if self.pending:
                log.warning("stopping with %d captures not stored (%s): writing them to disk",
                            self.pending, type(stopped).__name__)
        await self._to_disk_now()
        self._disk.shutdown(wait=True)

    async def _report_interrupted(self, end: float) -> None:
        """The batch the loop was storing when it was cancelled: once stored, reported like any other (its events
        are still pending or in their file, and are stored again as repeats: stored once, acknowledged)."""
        store, self._interrupted = self._interrupted, None
        if store is None:
            return
        await asyncio.wait([store], timeout=max(0.0, end - self._clock()))
        if store.done() and not store.cancelled() and store.exception() is None:
            self._on_stored(store.result())

    async def _to_disk_now(self) -> None:
        """Memory and staging to disk, in order, before the process ends."""
        if self._overflow is None:
            return
        if self._spills:
            await asyncio.gather(*self._spills, return_exceptions=True)
        loop = asyncio.get_running_loop()
        for events, first in ((self._pending, self._first_arrival), (self._staging, self._staging_first)):
            if events:
                await loop.run_in_executor(self._disk, self._overflow.append, list(events), first)
                self._acknowledge(events)
        self._pending, self._staging, self._pending_bytes = [], [], 0

    # ------------------------------------------------------------ storing
    async def _drain(self, retry: bool, chunk: int = FLUSH_CHUNK) -> None:
        """Memory first (oldest), then overflow files in arrival order, then staging comes back to memory."""
        async with self._draining:
            if self.unavailable and self._clock() < self._next_probe:
                if retry:
                    self._spill_pending()
                raise DatabaseUnavailableError(self.unavailable)
            while True:
                if self._pending:
                    batch = self._pending[:chunk]
                    await self._store_batch(batch, retry)
                    self._pending = self._pending[len(batch):]
                    self._pending_bytes = max(0, self._pending_bytes - sum(event_bytes(e) for e in batch))
                    self._first_arrival += len(batch)
                    continue
                if self._spills:
                    await asyncio.gather(*self._spills, return_exceptions=True)
                    continue
                files = self._overflow.files() if self._overflow is not None else []
                if files:
                    events = await asyncio.get_running_loop().run_in_executor(self._disk, self._overflow.read, files[0])
                    await self._store_batch(events, retry)
                    self._overflow.remove(files[0])
                    continue
                if self._staging:  # the disk is drained: the newest captures come back to memory
                    self._first_arrival, self._pending = self._staging_first, self._staging
                    self._pending_bytes = sum(event_bytes(e) for e in self._pending)
                    self._staging = []
                    continue
                self._spilling = False
                return

    async def _store_batch(self, batch: list[p.CellExecution], retry: bool) -> None:
        delays = RETRY_DELAYS_S if retry else ()
        for attempt in range(len(delays) + 1):
            store = asyncio.ensure_future(self._store(batch))
            try:
                report = await asyncio.shield(store)  # stopping the loop mid-store does not stop the store
            except asyncio.CancelledError:
                self._interrupted = store
                raise
            except Exception as exc:  # noqa: BLE001 - the database failed (the writer isolates bad events)
                failure = str(exc) or type(exc).__name__
                if attempt < len(delays):
                    log.warning("storing %d captures failed (%s); retrying in %.1f s", len(batch), failure, delays[attempt])
                    await asyncio.sleep(delays[attempt])
                    continue
                self._became_unavailable(failure, log_it=retry)
                if retry:
                    self._spill_pending()
                raise DatabaseUnavailableError(failure) from exc
            if self.unavailable:
                log.info("the database takes captures again")
                self.unavailable = None
            self._on_stored(report)
            return

    def _became_unavailable(self, failure: str, log_it: bool) -> None:
        first = self.unavailable is None
        self.unavailable = failure
        self._next_probe = self._clock() + PROBE_INTERVAL_S
        if first:
            if log_it:
                log.error("the database cannot take captures: %s; they are kept on disk and tried again every %.0f s",
                          failure, PROBE_INTERVAL_S)
            self._on_unavailable(failure)

    def _spill_pending(self) -> None:
        """While the database takes nothing, memory goes to disk (durable, acknowledged, drained later):
        first what memory holds, then the staged captures (newer), each with its first arrival number."""
        if self._overflow is None:
            return
        if self._pending:
            events, first = self._pending, self._first_arrival
            self._pending, self._pending_bytes = [], 0
            self._spilling = True
            future = asyncio.get_running_loop().run_in_executor(self._disk, self._overflow.append, events, first)
            self._spills.add(future)
            future.add_done_callback(lambda f: self._spilled(f, events))
        self._spill_staging()


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
