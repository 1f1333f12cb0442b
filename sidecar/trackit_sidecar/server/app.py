"""TrackitServer: the pygls LanguageServer that owns the parts and the database for one editor.

It holds the store (owner, or spooling when another process owns the file), the three threads, the
capture batcher (batching.py), the live-kernel glue (kernels.py), the store thread's idle work (store_upkeep.py),
and runs over stdio (transport.py).
Request and notification handlers are registered by handlers/.

Threading: DuckDB work runs on one dedicated thread (the store thread), kernel probing on another and
LLM summaries on a third, so the asyncio loop that reads stdin never blocks.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Optional, TypeVar

from pygls.exceptions import JsonRpcInternalError
from pygls.lsp.server import LanguageServer

from .. import __version__
from .. import latency_trace
from .. import protocol as p
from ..collector import freeze_startup_objects
from ..config import Settings
from ..render.words import notebook_name
from ..services import IngestReport, TrackitService
from ..store import DatabaseLocked, Spool, Store, lock
from . import transport
from .batching import CaptureBatcher, DatabaseUnavailableError, acknowledgements
from .changes import ChangePublisher
from .kernels import LiveKernels
from .overflow import OverflowQueue
from .store_thread import StoreThread
from .store_upkeep import StoreUpkeep

log = logging.getLogger("trackit.server")
T = TypeVar("T")

OWNER_POLL_S = 0.25  # a spooling server checks this often whether the owner is still alive
# A run whose kernel pushes its facts to us (server/kernels.py) is told with them: its first delta waits for them
# this long at most (they are stored ~25 ms after the run). Told apart, the tree would change twice within VS Code's
# 200 ms debounce and a run finishing right after would wait behind the second change (repaintPacer.ts).
FACTS_HOLD_S = 0.05
SHUTDOWN_DEADLINE_S = 1.0  # stdin closed / SIGTERM / exit: store for this long, then the rest goes to disk (the
# other second of the 2 s promise is for writing it, closing the database and exiting on a loaded machine); the
# stored runs' runtime facts are waited for within the same second (server/kernels.py, finish). The 2 s are the
# editor's: on deactivate the extension sends shutdown and exit, and its language client kills the sidecar's process
# tree 2 s after (vscode-languageclient's checkProcessDied)


class TrackitServer(LanguageServer):
    def __init__(self, db_path: str, settings: Optional[Settings] = None):
        super().__init__("trackit", __version__, converter_factory=transport.plain_params_converter,
                         protocol_cls=transport.TrackitProtocol)
        self.db_path = db_path
        self.settings = settings or Settings()
        self.store_thread = StoreThread("trackit-store")  # captures and their deltas first (store_thread.py)
        self.summary_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trackit-summary")
        self.service: Optional[TrackitService] = None
        self.spool: Optional[Spool] = None
        self.locked_by: Optional[DatabaseLocked] = None
        # what the editor says each open notebook's code cells hold now (trackit/notebookSources); kept here
        # too, so a service opened later (after spooling) starts with it
        self.current_sources: dict[str, dict[str, str]] = {}
        self._holder_start: Optional[str] = None  # start identity of the process holding the database
        self._loops: list[asyncio.Future] = []
        self._spool_watcher: Optional[asyncio.Future] = None  # one merger of the spool, however often ownership returns
        self._event_loop: Optional[asyncio.AbstractEventLoop] = None  # the server's, once serving
        self._stopping = False  # stdin closed, exit or a signal: store what is held, tell the editor nothing
        # the store thread's idle work: ready lineage rows, the vacuum owed, reopening the database (store_upkeep.py)
        self.upkeep = StoreUpkeep(self.store_thread, lambda: self.service, self._lost_to_another_process,
                                  self._reopen_failed_for_good)
        self.batcher = CaptureBatcher(self._store_batch, self._stored, OverflowQueue(db_path), self._database_failed)
        self.changes = ChangePublisher(self.on_store_urgent, lambda: self.service, self.protocol.notify)
        self.kernels = LiveKernels(self.settings, self.on_store, lambda: self.service, self.changes.publish)
        self._facts_gates: dict[str, asyncio.Future] = {}  # notebook uri -> its held batch's pushed facts, once stored
        self._facts_pushed: set[str] = set()  # ids of the held batch's events whose facts are pushed to us
        self._stopped: Optional[asyncio.Future] = None  # stop(): once, whichever way the editor went

    # ------------------------------------------------------------ store access
    def open_store(self) -> None:
        """Become the database owner, or fall back to spooling captures for the owner to merge.

        Only a database held by another process is survived (spooling); any other StoreError (damaged,
        read-only, newer) propagates: `trackit serve` prints it as one line and exits 2 or 3."""
        try:
            store = Store.open(self.db_path)
        except DatabaseLocked as locked:
            first = self.locked_by is None
            self.locked_by = locked
            self._holder_start = lock.process_start(locked.holder_pid) if locked.holder_pid is not None else None
            self.spool = self.spool or Spool(self.db_path)
            if first:
                log.warning("%s; captures are spooled to %s and merged by the owner", locked, self.spool.dir)
            return
        store.connection.limit_memory()  # the sidecar lives as long as the editor: DuckDB's memory bounded
        service = TrackitService(store, self.settings)
        for notebook_uri, cell_shas in self.current_sources.items():
            service.set_current_sources(notebook_uri, cell_shas)
        report = service.merge_spool()  # before anyone sees this process as the owner
        if report.events_ingested:
            log.info("merged %d spooled executions", report.events_ingested)
        self.service, self.locked_by = service, None
        service.ready.wake = self.upkeep.make_ready_rows
        self.upkeep.make_ready_rows()  # rows an older TrackIT did not make (ready_lineage.py), once
        log.info("database %s opened (pid %d)", self.db_path, os.getpid())

    def close_store(self) -> None:
        if self.service is not None:
            self.service.store.close()
            self.service = None

    async def on_store(self, fn: Callable[..., T], *args: Any) -> T:
        try:
            return await asyncio.get_running_loop().run_in_executor(self.store_thread, fn, *args)
        finally:
            self.upkeep.tidy_when_quiet()  # a user's reads alone run enough queries to make a reopen worth it

    async def on_store_urgent(self, fn: Callable[..., T], *args: Any) -> T:
        """Before ordinary store work already queued: storing captures and telling the editor about them."""
        return await asyncio.wrap_future(self.store_thread.submit_urgent(fn, *args))

    def _reopen_failed_for_good(self, message: str) -> None:
        """Store thread: opening the database again failed at every try: the user is told (once: not when the batcher
        already told them the store takes nothing)."""
        if self._event_loop is not None and self.batcher.unavailable is None:
            self._event_loop.call_soon_threadsafe(self._database_failed, message)

    def _lost_to_another_process(self) -> None:
        """Store thread: another process took the file while this sidecar had it closed, and kept it: spool captures
        for it and watch for it to end, as when it owned the file first."""
        log.warning("the database was taken by another process while this sidecar reopened it")
        self.service = None
        self.open_store()
        if self.service is None and self._event_loop is not None:
            self._event_loop.call_soon_threadsafe(
                lambda: self._loops.append(asyncio.ensure_future(self.watch_owner())))

    def set_current_sources(self, notebook_uri: str, cell_shas: dict[str, str]) -> None:
        self.current_sources[notebook_uri] = cell_shas
        if self.service is not None:
            self.service.set_current_sources(notebook_uri, cell_shas)
            service = self.service

            async def rejudge() -> None:  # staleness of the runs held, told as a change (if any)
                await self.on_store(service.sources_changed, notebook_uri)
                self.changes.publish(p.LineageChanged(notebook_uri=notebook_uri, seq=0))

            asyncio.ensure_future(rejudge())

    def require_service(self) -> TrackitService:
        if self.service is None:
            holder = self.locked_by
            raise JsonRpcInternalError(
                f"{holder}. This sidecar is spooling captures; they appear once the owner merges them."
                if holder else "the TrackIT database is not open"
            )
        return self.service

    # ------------------------------------------------------------ capture pipeline
    def enqueue(self, event: p.CellExecution) -> None:
        self.batcher.enqueue(event)

    async def flush(self) -> None:
        try:
            await self.batcher.flush()
        except DatabaseUnavailableError as failed:
            raise JsonRpcInternalError(f"the TrackIT database cannot take captures: {failed}. They are kept "
                                       f"on disk and stored once it can.") from None

    async def _store_batch(self, batch: list[p.CellExecution]) -> IngestReport:
        """Into the database when we own it, else into the spool: durable either way, so acknowledged."""
        if latency_trace.ON:
            latency_trace.mark("store_queued", [event.event_id for event in batch])
        if self.service is not None:
            self._hold_for_facts(batch)
            try:
                return await self.on_store_urgent(self.service.ingest, batch)
            except BaseException:
                self._release_holds({})
                raise
        assert self.spool is not None
        await self.on_store_urgent(self.spool.append, batch)
        report = IngestReport()
        for event in batch:
            report.event_ids.setdefault(event.notebook_uri, []).append(event.event_id)
        return report

    def _hold_for_facts(self, batch: list[p.CellExecution]) -> None:
        """Before a batch is stored: a notebook whose kernel pushes its facts to us (server/kernels.py) is told of
        nothing until they are stored too (FACTS_HOLD_S at most once the batch is), so that no message read
        meanwhile carries the new run without them."""
        self._facts_pushed = {ev.event_id for ev in batch if self.kernels.notebooks.facts_pushed(ev)}
        for uri in dict.fromkeys(ev.notebook_uri for ev in batch if ev.event_id in self._facts_pushed):
            gate = self._facts_gates[uri] = asyncio.get_running_loop().create_future()
            self.changes.hold(uri, _facts_stored(gate, FACTS_HOLD_S))

    def _release_holds(self, facts_in: dict[str, list[asyncio.Future]]) -> None:
        """The batch is stored (or failed): each held notebook waits for its facts now (`facts_in`), or not at all."""
        gates, self._facts_gates = self._facts_gates, {}
        for uri, gate in gates.items():
            if not gate.done():
                gate.set_result(facts_in.get(uri, []))

    def _stored(self, report: IngestReport) -> None:
        if self._stopping:  # the editor is gone or going: no one to tell; their facts are still taken (stop)
            self._release_holds({})
            self.kernels.capture(report.stored)
            return
        # Captures written to disk are acknowledged here too, whenever their write ends (batching._acknowledge), also
        # while a held batch is being stored: such a report stores nothing and is not that batch's, whose holds and
        # pushed facts wait for its own report (it names every event of the batch, repeats too).
        if self._facts_pushed and not any(event_id in self._facts_pushed
                                          for ids in report.event_ids.values() for event_id in ids):
            for ack in acknowledgements(report):
                self.changes.publish(ack)
            return
        pushed, self._facts_pushed = self._facts_pushed, set()
        if latency_trace.ON:
            latency_trace.mark("stored", [event.event_id for event in report.stored])
        stored: dict[str, int] = {}
        for event in report.stored:
            stored[event.notebook_uri] = stored.get(event.notebook_uri, 0) + 1
        for uri, count in stored.items():
            log.info("%s: stored %d execution%s (latest #%d)", notebook_name(uri), count, "" if count == 1 else "s",
                     report.latest_seq.get(uri, 0))
        # Captures first: the next delta of a notebook whose kernel pushes the facts to us waits for them.
        self._release_holds(self.kernels.capture(report.stored, pushed) if report.stored else {})
        for ack in acknowledgements(report):
            self.changes.publish(ack)  # with what changed (changes.py)
        self.upkeep.tidy_when_quiet()

    def _database_failed(self, message: str) -> None:
        """Tell the editor once: it shows the message with a "Repair database" action."""
        if not self._stopping:
            self.protocol.notify(p.DATABASE_ERROR, p.DatabaseError(message=message, db_path=self.db_path)
                                 .model_dump(mode="json"))

    async def watch_spool(self) -> None:
        """The owner merges what other processes spooled (another window, a CLI run)."""
        from watchfiles import awatch

        directory = Spool(self.db_path).dir
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        async for _changes in awatch(directory, debounce=200, recursive=False):
            if self.service is None:
                continue
            try:
                report = await self.on_store(self.service.merge_spool)
                if report.events_ingested:
                    log.info("merged %d spooled executions from %d file(s)", report.events_ingested,
                             report.files_merged)
                    for uri in sorted(report.notebooks):
                        self.changes.publish(p.LineageChanged(notebook_uri=uri, seq=0))
                for name, reason in report.rejected:
                    log.warning("spool file %s set aside: %s", name, reason)
            except Exception:
                log.exception("merging the spool failed; files are kept")

    async def watch_owner(self) -> None:
        """Spooling: become the owner within OWNER_POLL_S of the owner's death. The owner is alive while a
        process with its pid AND its start time runs (a reused pid is someone else)."""
        while self.service is None:
            await asyncio.sleep(OWNER_POLL_S)
            holder = self.locked_by
            if holder is not None and holder.holder_pid is not None and self._holder_start is not None \
                    and lock.process_start(holder.holder_pid) == self._holder_start:
                continue
            await self.on_store(self.open_store)
        log.info("the previous owner is gone: this sidecar (pid %d) now owns %s", os.getpid(), self.db_path)
        self.start_watching_spool()

    def start_watching_spool(self) -> None:
        """Merge the spool from now on, unless already merging: an owner that lost the file on a reopen and took it back
        keeps the watcher it had, so two watchers never merge the same files."""
        if self._spool_watcher is None or self._spool_watcher.done():
            self._spool_watcher = asyncio.ensure_future(self.watch_spool())
            self._loops.append(self._spool_watcher)

    # ------------------------------------------------------------ runtime facts from the live kernel
    def note_editor_activity(self) -> None:
        self.kernels.note_editor_activity()

    def start_runtime_capture(self, events: list[p.CellExecution]) -> None:
        self.kernels.capture(events)

    @property
    def _kernel_watcher(self) -> Optional[asyncio.Task]:
        return self.kernels.watcher

    # ------------------------------------------------------------ stopping
    async def stop(self) -> None:
        """The editor is gone or going (stdin closed, a signal, `exit`): store what is held within SHUTDOWN_DEADLINE_S
        (the rest goes to disk), and each stored run's runtime facts within the same second, or why it has none;
        then close the database. Once, however many ways the editor says it."""
        if self._stopped is None:
            self._stopped = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopped)

    async def _stop(self) -> None:
        self._stopping = True
        by = time.monotonic() + SHUTDOWN_DEADLINE_S
        self.kernels.close_by(by)  # the runs stored now are captured by then, and nothing else starts
        for task in self._loops:
            task.cancel()
        if self._loops:  # ended: a batch the loop was storing is the batcher's to report now
            await asyncio.wait(self._loops)
        await self.batcher.close(SHUTDOWN_DEADLINE_S)
        await self.kernels.finish(by)
        await self.on_store(self.close_store)

    # ------------------------------------------------------------ serving
    def report_server_error(self, error: Exception, source: Any) -> None:
        # Garbage on the wire is logged, never shown as a pop-up: the user did nothing wrong.
        log.warning("protocol error (%s): %s", getattr(source, "__name__", source), error)

    def serve_stdio(self) -> None:
        """Serve the editor over stdin/stdout until it closes the pipe (or SIGTERM), then store what is
        still held within SHUTDOWN_DEADLINE_S and write the rest to disk."""
        self.open_store()  # before the first frame: a database the server cannot use ends it here
        freeze_startup_objects()  # never walked again by the collector's full passes (collector.py)
        self._stop_event = threading.Event()  # pygls' shutdown() sets it

        async def started() -> None:
            self._event_loop = asyncio.get_running_loop()
            self._loops.append(asyncio.ensure_future(self.batcher.run()))
            if self.service is not None:
                self.start_watching_spool()
            else:
                self._loops.append(asyncio.ensure_future(self.watch_owner()))

        try:
            transport.serve_stdio(self.protocol, self._stop_event, self.report_server_error, started, self.stop)
        finally:
            self.store_thread.shutdown(wait=True)
            self.kernels.shutdown()
            self.summary_thread.shutdown(wait=False)


async def _facts_stored(gate: asyncio.Future, timeout: float) -> None:
    """Until the batch is stored (`gate` gives the futures of its pushed facts, server/kernels.py), then until each
    of those facts is stored, `timeout` at most; then nothing waits for them."""
    await asyncio.wait([gate])
    facts_in = [] if gate.cancelled() else gate.result()
    if not facts_in:
        return
    try:
        await asyncio.wait(facts_in, timeout=timeout)
    finally:
        for waiting in facts_in:
            waiting.cancel()
