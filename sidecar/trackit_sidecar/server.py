"""pygls wiring only: JSON-RPC messages in, TrackitService calls out, lineageChanged notifications back.

Threading: DuckDB work runs on one dedicated thread (the store thread), kernel probing on another, so
the asyncio loop that reads stdin never blocks. Cell captures arrive as notifications and are batched
(≤100 events; stored once 30 ms pass with nothing new, or after 250 ms at most) into one store transaction; after the commit the editor is told which event ids
are durable, so it can drop them from its re-send buffer.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Optional, TypeVar

import cattrs
from lsprotocol import types as lsp
from pydantic import BaseModel, ValidationError
from pygls.exceptions import JsonRpcException, JsonRpcInternalError, JsonRpcInvalidParams
from pygls.io_ import StdoutWriter, run_async
from pygls.lsp.server import LanguageServer
from pygls.protocol import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
    default_converter,
)

from . import __version__
from . import protocol as p
from .config import Settings
from .services import IngestReport, TrackitService
from .store import DatabaseLocked, Spool, Store

log = logging.getLogger("trackit.server")
T = TypeVar("T")

BATCH_MAX = 100
BATCH_WINDOW_S = 0.25
BATCH_QUIET_S = 0.03
SPOOL_RETRY_S = 5.0


def _plain_params_converter() -> cattrs.Converter:
    """Keep params of our own (untyped) methods as plain dicts.

    pygls turns untyped params into nested namedtuples through a JSON round trip (~0.5 ms a message);
    we validate them with pydantic instead. LSP methods keep their lsprotocol types.
    """
    converter = default_converter()
    keep = lambda obj, cls: cls(**obj)  # noqa: E731
    converter.register_structure_hook(JsonRPCRequestMessage, keep)
    converter.register_structure_hook(JsonRPCNotification, keep)
    converter.register_structure_hook(JsonRPCResponseMessage, keep)

    # Our results are already JSON-ready dicts (pydantic model_dump): cattrs would walk and copy every
    # nested value again (~17 ms for a 200-execution lineage). LSP results (attrs objects) still go through it.
    unstructure_any = converter.unstructure

    def response(msg: JsonRPCResponseMessage) -> dict:
        result = msg.result
        if not isinstance(result, (dict, list)):
            result = unstructure_any(result)
        return {"id": msg.id, "jsonrpc": msg.jsonrpc, "result": result}

    converter.register_unstructure_hook(JsonRPCResponseMessage, response)
    return converter


def _parse(model: type[BaseModel], params: Any) -> Any:
    if not isinstance(params, dict):
        raise JsonRpcInvalidParams(f"expected an object of {model.__name__}, got {type(params).__name__}")
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise JsonRpcInvalidParams(f"invalid {model.__name__}: {where}: {first.get('msg')}") from None


class TrackitServer(LanguageServer):
    def __init__(self, db_path: str, settings: Optional[Settings] = None):
        super().__init__("trackit", __version__, converter_factory=_plain_params_converter)
        self.db_path = db_path
        self.settings = settings or Settings()
        self.store_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trackit-store")
        self.kernel_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trackit-kernel")
        self.summary_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trackit-summary")
        self.service: Optional[TrackitService] = None
        self.spool: Optional[Spool] = None
        self.locked_by: Optional[DatabaseLocked] = None
        self._pending: list[p.CellExecution] = []
        self._wake: Optional[asyncio.Event] = None
        self._last_open_attempt = 0.0
        self._runtime = None  # kernel.attach.RuntimeCapture, created on first use
        self._kernel_watcher: Optional[asyncio.Task] = None  # kernel.watcher.KernelWatcher.run()
        self._background: set[asyncio.Task] = set()

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
        self.locked_by = None
        report = store.merge_spool(_analyze)
        if report.events_ingested:
            log.info("merged %d spooled executions", report.events_ingested)
        log.info("database %s opened (pid %d)", self.db_path, os.getpid())

    async def on_store(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.store_thread, fn, *args)

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
        self._pending.append(event)
        if self._wake is not None and (len(self._pending) >= BATCH_MAX or len(self._pending) == 1):
            self._wake.set()

    async def batch_loop(self) -> None:
        self._wake = asyncio.Event()
        while True:
            await self._wake.wait()
            self._wake.clear()
            # A single cell run is stored after ~BATCH_QUIET_S (the tree updates at once); a Run All burst
            # keeps arriving and is collected for up to BATCH_WINDOW_S into one transaction.
            waited, seen = 0.0, -1
            while len(self._pending) < BATCH_MAX and waited < BATCH_WINDOW_S and len(self._pending) != seen:
                seen = len(self._pending)
                await asyncio.sleep(BATCH_QUIET_S)
                waited += BATCH_QUIET_S
            await self.flush()

    async def flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:BATCH_MAX * 10], self._pending[BATCH_MAX * 10:]
            try:
                if self.service is None and time.monotonic() - self._last_open_attempt > SPOOL_RETRY_S:
                    await self.on_store(self.open_store)
                if self.service is not None:
                    report = await self.on_store(self.service.ingest, batch)
                    self.announce(report)
                    self.start_runtime_capture(report.stored)
                else:
                    await self.on_store(self.spool.append, batch)  # type: ignore[union-attr]
            except Exception:
                # Never drop captures: keep them for the next flush and say why in the log.
                log.exception("storing %d executions failed; will retry", len(batch))
                self._pending[:0] = batch
                await asyncio.sleep(1.0)

    def announce(self, report: IngestReport) -> None:
        for notebook_uri, event_ids in report.event_ids.items():
            msg = p.LineageChanged(
                notebook_uri=notebook_uri,
                seq=report.latest_seq.get(notebook_uri, 0),
                cell_id=report.last_cell.get(notebook_uri),
                event_ids=event_ids,
            )
            self.protocol.notify(p.LINEAGE_CHANGED, msg.model_dump(mode="json"))

    # ------------------------------------------------------------ runtime facts from the live kernel
    def note_editor_activity(self) -> None:
        """A notebook cell opened or an execution arrived: watch for kernels from now on.

        Started on activity, not at launch, so an idle sidecar scans nothing; a kernel the editor
        starts next gets the probe before its first cell (kernel/watcher.py says why that matters).
        """
        if not self.settings.may_attach_kernels:
            return
        if self._kernel_watcher is not None and not self._kernel_watcher.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # not serving (a unit test calling handlers directly)
        self._kernel_watcher = loop.create_task(self._watch_kernels())

    async def _watch_kernels(self) -> None:
        from .kernel.attach import warm_up
        from .kernel.watcher import KernelWatcher, attach_found_kernel, default_runtime_dir

        def wanted() -> bool:
            return self.settings.may_attach_kernels

        # the editor's extension host is our parent; VS Code's kernels run under it
        watcher = KernelWatcher(lambda kernel: attach_found_kernel(kernel, wanted), wanted,
                                runtime_dir=default_runtime_dir(), ancestor=os.getppid(), warm_up=warm_up)
        try:
            await watcher.run()
        except Exception:  # watching is an optimisation: the per-event attach still works without it
            log.warning("kernel watcher stopped", exc_info=True)

    def start_runtime_capture(self, events: list[p.CellExecution]) -> None:
        if not self.settings.may_attach_kernels:
            return
        self.note_editor_activity()
        wanted = [e for e in events if e.language == "python" and e.execution_order and e.notebook_path]
        if wanted:
            task = asyncio.ensure_future(self._capture_runtime(wanted))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    async def _capture_runtime(self, events: list[p.CellExecution]) -> None:
        loop = asyncio.get_running_loop()
        for ev in events:
            try:
                facts = await loop.run_in_executor(self.kernel_thread, self._facts_for, ev)
                if facts and self.service is not None:
                    await self.on_store(self.service.add_runtime_facts, ev.event_id, facts)
                    self.protocol.notify(p.LINEAGE_CHANGED, p.LineageChanged(
                        notebook_uri=ev.notebook_uri, seq=0, cell_id=ev.cell_id).model_dump(mode="json"))
            except Exception:  # a kernel we cannot read degrades to static lineage, silently for the user
                log.debug("runtime capture failed for %s", ev.event_id, exc_info=True)

    def _facts_for(self, ev: p.CellExecution) -> list[p.RuntimeFacts]:
        if self._runtime is None:
            from .kernel.attach import RuntimeCapture

            self._runtime = RuntimeCapture()
        return self._runtime.facts_for_event(ev)

    # ------------------------------------------------------------ plumbing
    def report_server_error(self, error: Exception, source: Any) -> None:
        # Garbage on the wire is logged, never shown as a pop-up: the user did nothing wrong.
        log.warning("protocol error (%s): %s", getattr(source, "__name__", source), error)

    async def watch_spool(self) -> None:
        """The owner merges what other processes spooled (another window, a CLI run)."""
        from watchfiles import awatch

        directory = Spool(self.db_path).dir
        directory.mkdir(parents=True, exist_ok=True)
        async for _changes in awatch(directory, debounce=200, recursive=False):
            if self.service is None:
                continue
            try:
                report = await self.on_store(self.service.store.merge_spool, _analyze)
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

    def serve_stdio(self) -> None:
        """Like pygls' start_io, but reads stdin through an asyncio StreamReader (no thread hop per read)."""
        stop = threading.Event()
        self._stop_event = stop
        self.protocol.set_writer(StdoutWriter(sys.stdout.buffer))

        async def main() -> None:
            loop = asyncio.get_running_loop()
            reader = asyncio.StreamReader(limit=2**26)
            await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
            await self.on_store(self.open_store)
            batcher = asyncio.ensure_future(self.batch_loop())
            watcher = asyncio.ensure_future(self.watch_spool()) if self.service is not None else None
            try:
                await run_async(stop_event=stop, reader=_EofSafeReader(reader), protocol=self.protocol,
                                logger=log, error_handler=self.report_server_error)
            finally:
                batcher.cancel()
                if watcher:
                    watcher.cancel()
                await self.flush()  # the editor closed the pipe: store what we still hold
                await self.on_store(self.close_store)

        try:
            asyncio.run(main())
        except (KeyboardInterrupt, SystemExit, BrokenPipeError):
            pass
        finally:
            self.store_thread.shutdown(wait=True)
            self.kernel_thread.shutdown(wait=False)
            self.summary_thread.shutdown(wait=False)

    def close_store(self) -> None:
        if self.service is not None:
            self.service.store.close()
            self.service = None


class _EofSafeReader:
    """pygls reads a body with readexactly; at EOF asyncio raises instead of returning b''."""

    def __init__(self, reader: asyncio.StreamReader):
        self._reader = reader

    async def readline(self) -> bytes:
        return await self._reader.readline()

    async def readexactly(self, n: int) -> bytes:
        try:
            return await self._reader.readexactly(n)
        except asyncio.IncompleteReadError as partial:
            return partial.partial


def _analyze(source: str, language: str):
    from .lineage.analysis import analyze_source

    return analyze_source(source, language)


def build_server(db_path: str, settings: Optional[Settings] = None) -> TrackitServer:
    server = TrackitServer(db_path, settings)

    @server.feature(p.CELL_EXECUTED)
    def cell_executed(params: Any) -> None:
        try:
            event = _parse(p.CellExecution, params)
        except JsonRpcException as bad:  # a notification has nobody to answer: log it and go on
            log.warning("dropped malformed %s: %s", p.CELL_EXECUTED, bad.message)
            return
        server.enqueue(event)
        server.note_editor_activity()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def cell_opened(params: lsp.DidOpenTextDocumentParams) -> None:
        # pygls keeps the document itself; we only learn that a notebook is open
        if params.text_document.uri.startswith("vscode-notebook-cell"):
            server.note_editor_activity()

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_opened(params: lsp.DidOpenNotebookDocumentParams) -> None:
        server.note_editor_activity()

    @server.feature(p.SET_CONFIG)
    def set_config(params: Any) -> None:
        try:
            server.settings.update(_parse(p.SetConfigParams, params).model_dump(exclude_none=True))
        except JsonRpcException as bad:
            log.warning("ignored malformed %s: %s", p.SET_CONFIG, bad.message)

    @server.feature(p.LINEAGE)
    async def lineage(params: Any) -> dict:
        req = _parse(p.LineageParams, params)
        await server.flush()  # answer with everything received so far
        doc = await server.on_store(server.require_service().lineage, req.notebook_uri)
        exclude = {"executions": {"__all__": {"source"}}} if not req.include_source else None
        return doc.model_dump(mode="json", exclude=exclude)

    @server.feature(p.CELL_ANNOTATION)
    async def cell_annotation(params: Any) -> dict:
        req = _parse(p.CellAnnotationParams, params)
        ann = await server.on_store(server.require_service().annotation, req.notebook_uri, req.cell_id)
        return ann.model_dump(mode="json")

    @server.feature(p.CELL_HISTORY)
    async def cell_history(params: Any) -> dict:
        req = _parse(p.CellHistoryParams, params)
        hist = await server.on_store(server.require_service().history, req.notebook_uri, req.cell_id)
        return hist.model_dump(mode="json")

    @server.feature(p.SUMMARIZE)
    async def summarize(params: Any) -> dict:
        req = _parse(p.SummarizeParams, params)
        await server.flush()
        service = server.require_service()
        try:
            doc, provider, cached = await server.on_store(
                service.summary_plan, req.notebook_uri, req.provider, req.regenerate)
        except LookupError as missing:
            raise JsonRpcInvalidParams(str(missing)) from None
        if cached is not None:
            return cached.model_dump(mode="json")
        # an LLM provider can take many seconds: keep it off the store thread so captures keep flowing
        result = await asyncio.get_running_loop().run_in_executor(
            server.summary_thread, service.generate_summary, doc, provider)
        await server.on_store(service.store.save_summary, result, doc.notebook_uri)
        return result.model_dump(mode="json")

    @server.feature(p.PREVIEW_PROMPT)
    async def preview_prompt(params: Any) -> dict:
        req = _parse(p.PreviewPromptParams, params)
        service = server.require_service()
        prompt = await server.on_store(service.preview_prompt, req.notebook_uri, req.provider)
        return p.PromptPreview(notebook_uri=req.notebook_uri, provider=req.provider or
                               server.settings.summary_provider, prompt=prompt).model_dump(mode="json")

    @server.feature(p.STATUS)
    async def status(params: Any) -> dict:
        count = 0
        if server.service is not None:
            count = (await server.on_store(server.service.status))["executions_stored"]
        return p.StatusResult(
            version=__version__, db_path=server.db_path,
            db_mode="owner" if server.service is not None else "spool",
            lock_holder=str(server.locked_by) if server.locked_by else None,
            executions_stored=count,
        ).model_dump(mode="json")

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(params: lsp.HoverParams) -> Optional[lsp.Hover]:
        uri = params.text_document.uri
        if not uri.startswith("vscode-notebook-cell") or server.service is None:
            return None
        markdown = await server.on_store(server.service.hover_markdown, uri)
        if not markdown:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=markdown))

    return server
