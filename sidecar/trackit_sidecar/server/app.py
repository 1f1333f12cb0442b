"""TrackitServer: the pygls LanguageServer that owns the parts and the database for one editor.

It holds the store (owner, or spooling when another process owns the file), the three threads, the
capture batcher (batching.py), the live-kernel glue (kernels.py), and runs over stdio (transport.py).
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
from .. import protocol as p
from ..config import Settings
from ..services import IngestReport, TrackitService
from ..store import DatabaseLocked, Spool, Store
from . import transport
from .batching import CaptureBatcher, acknowledgements
from .kernels import LiveKernels

log = logging.getLogger("trackit.server")
T = TypeVar("T")

SPOOL_RETRY_S = 5.0  # a spooling server tries to become the owner again this often


class TrackitServer(LanguageServer):
    def __init__(self, db_path: str, settings: Optional[Settings] = None):
        super().__init__("trackit", __version__, converter_factory=transport.plain_params_converter)
        self.db_path = db_path
        self.settings = settings or Settings()
        self.store_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trackit-store")
        self.summary_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trackit-summary")
        self.service: Optional[TrackitService] = None
        self.spool: Optional[Spool] = None
        self.locked_by: Optional[DatabaseLocked] = None
        self._last_open_attempt = 0.0
        # what the editor says each open notebook's code cells hold now (trackit/notebookSources); kept here
        # too, so a service opened later (after spooling) starts with it
        self.current_sources: dict[str, dict[str, str]] = {}
        self.batcher = CaptureBatcher(self._store_batch, self._stored)
        self.kernels = LiveKernels(self.settings, self.on_store, lambda: self.service, self.protocol.notify)

    # ------------------------------------------------------------ store access
    def open_store(self) -> None:
        """Become the database owner, or fall back to spooling captures for the owner to merge."""
        self._last_open_attempt = time.monotonic()
        try:
            store = Store.open(self.db_path)
        except DatabaseLocked as locked:
            self.locked_by = locked
            self.spool = Spool(self.db_path)
            log.warning("%s; captures are spooled to %s and merged by the owner", locked, self.spool.dir)
            return
        self.service = TrackitService(store, self.settings)
        for notebook_uri, cell_shas in self.current_sources.items():
            self.service.set_current_sources(notebook_uri, cell_shas)
        self.locked_by = None
        report = store.merge_spool(self.service.analyze_event)
        if report.events_ingested:
            log.info("merged %d spooled executions", report.events_ingested)
        log.info("database %s opened (pid %d)", self.db_path, os.getpid())

    def close_store(self) -> None:
        if self.service is not None:
            self.service.store.close()
            self.service = None

    async def on_store(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.store_thread, fn, *args)

    def set_current_sources(self, notebook_uri: str, cell_shas: dict[str, str]) -> None:
        self.current_sources[notebook_uri] = cell_shas
        if self.service is not None:
            self.service.set_current_sources(notebook_uri, cell_shas)

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
        await self.batcher.flush()

    async def _store_batch(self, batch: list[p.CellExecution]) -> Optional[IngestReport]:
        """Into the database when we own it, else into the spool (acknowledged by nobody yet)."""
        if self.service is None and time.monotonic() - self._last_open_attempt > SPOOL_RETRY_S:
            await self.on_store(self.open_store)
        if self.service is not None:
            return await self.on_store(self.service.ingest, batch)
        await self.on_store(self.spool.append, batch)  # type: ignore[union-attr]
        return None

    def _stored(self, report: IngestReport) -> None:
        for ack in acknowledgements(report):
            self.protocol.notify(p.LINEAGE_CHANGED, ack.model_dump(mode="json"))
        self.kernels.capture(report.stored)

    async def watch_spool(self) -> None:
        """The owner merges what other processes spooled (another window, a CLI run)."""
        from watchfiles import awatch

        directory = Spool(self.db_path).dir
        directory.mkdir(parents=True, exist_ok=True)
        async for _changes in awatch(directory, debounce=200, recursive=False):
            if self.service is None:
                continue
            try:
                report = await self.on_store(self.service.store.merge_spool, self.service.analyze_event)
                if report.events_ingested:
                    self.service.invalidate()
                    log.info("merged %d spooled executions from %d file(s)", report.events_ingested,
                             report.files_merged)
                    for uri in sorted(report.notebooks):
                        self.protocol.notify(p.LINEAGE_CHANGED, p.LineageChanged(notebook_uri=uri, seq=0)
                                             .model_dump(mode="json"))
                for name, reason in report.rejected:
                    log.warning("spool file %s set aside: %s", name, reason)
            except Exception:
                log.exception("merging the spool failed; files are kept")

    # ------------------------------------------------------------ runtime facts from the live kernel
    def note_editor_activity(self) -> None:
        self.kernels.note_editor_activity()

    def start_runtime_capture(self, events: list[p.CellExecution]) -> None:
        self.kernels.capture(events)

    @property
    def _kernel_watcher(self) -> Optional[asyncio.Task]:
        return self.kernels.watcher

    # ------------------------------------------------------------ serving
    def report_server_error(self, error: Exception, source: Any) -> None:
        # Garbage on the wire is logged, never shown as a pop-up: the user did nothing wrong.
        log.warning("protocol error (%s): %s", getattr(source, "__name__", source), error)

    def serve_stdio(self) -> None:
        """Serve the editor over stdin/stdout until it closes the pipe, then store what is still held."""
        self._stop_event = threading.Event()  # pygls' shutdown() sets it
        loops: list[asyncio.Future] = []

        async def started() -> None:
            await self.on_store(self.open_store)
            loops.append(asyncio.ensure_future(self.batcher.run()))
            if self.service is not None:
                loops.append(asyncio.ensure_future(self.watch_spool()))

        async def stopping() -> None:
            for task in loops:
                task.cancel()
            await self.flush()  # the editor closed the pipe: store what we still hold
            await self.on_store(self.close_store)

        try:
            transport.serve_stdio(self.protocol, self._stop_event, self.report_server_error, started, stopping)
        finally:
            self.store_thread.shutdown(wait=True)
            self.kernels.shutdown()
            self.summary_thread.shutdown(wait=False)
