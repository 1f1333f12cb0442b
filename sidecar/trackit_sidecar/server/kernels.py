"""Runtime facts from each notebook's own kernel, as the server schedules them. Glue only: which kernel
is a notebook's, watching, attaching and probing live in `kernel/` (identity.py has the rules).

Kernel work runs off the asyncio loop that reads stdin: facts on the kernel thread, an announced
kernel's early attach on a thread of its own (it may wait for a starting kernel, and a facts fetch
must not queue behind it). Every stored execution gets a runtime status, so the tree can say why an
execution has no facts instead of showing nothing; also when the editor closes right after a Run All (`finish`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import deque
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable, Collection, Optional

from .. import protocol as p
from ..config import Settings
from ..kernel.notebook_kernels import NotebookKernels
from ..render.words import notebook_name
from ..services import TrackitService

log = logging.getLogger("trackit.server")

MAX_CAPTURE_BACKLOG = 1_000  # stored executions waiting for runtime facts; past it the oldest keep static lineage
CAPTURE_CHUNK = 100  # executions whose statuses are stored together
FINISH_GRACE_S = 0.25  # closing: past its deadline, what the worker is still doing is given this long to end


class _InHand:
    """An execution taken from the backlog whose runtime status is not stored yet."""

    __slots__ = ("event", "status", "asked")

    def __init__(self, event: p.CellExecution) -> None:
        self.event = event
        self.status: Optional[tuple[str, Optional[str]]] = None  # (protocol.RuntimeStatus, KernelEvidence)
        self.asked = False  # its kernel was asked (or nothing needed asking): `status` is what became of it


class LiveKernels:
    def __init__(
        self,
        settings: Settings,
        on_store: Callable[..., Awaitable[Any]],
        service: Callable[[], Optional[TrackitService]],
        changed: Callable[[p.LineageChanged], None],
    ) -> None:
        """`on_store(fn, *args)` runs fn on the store thread; `service()` is the open service or None;
        `changed(message)` tells the editor a notebook's lineage changed (server/changes.py)."""
        self.settings = settings
        self._on_store = on_store
        self._service = service
        self._changed_lineage = changed
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trackit-kernel")
        # a run's stamp (package listing in a subprocess, git) takes seconds: never on the kernel thread
        self.stamp_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trackit-stamp")
        self.watcher: Optional[asyncio.Task] = None  # kernel.watcher.KernelWatcher.run()
        # The editor's extension host is our parent: its kernels descend from it (identity.py).
        self.notebooks = NotebookKernels(ancestor=os.getppid(), may_attach=lambda: settings.may_attach_kernels)
        self._backlog: deque[p.CellExecution] = deque(maxlen=MAX_CAPTURE_BACKLOG)
        self._worker: Optional[asyncio.Future] = None
        self._facts_in: dict[str, asyncio.Future] = {}  # event id -> done once its pushed facts are stored
        self._in_hand: dict[str, _InHand] = {}  # event id -> taken from the backlog, its status not stored yet
        self._closing_by: Optional[float] = None  # closing (close_by): what is not in by then is not waited for
        self._not_captured = 0  # closing: executions stored as editor_closed
        self._stamps: set[asyncio.Task] = set()  # runs' stamps under way (_stamp_aside)

    def announce(self, message: p.NotebookKernel) -> None:
        """The editor tied a notebook to a kernel (trackit/notebookKernel): remember it and, when allowed,
        install the probe at once, before the kernel's first cell if the announcement came early enough."""
        self.note_editor_activity()
        noticed = time.monotonic()

        def attach() -> None:
            try:
                result = self.notebooks.announce(message, noticed)
            except Exception:  # an attach must not die silently, nor take the sidecar with it
                log.warning("%s: attaching to the kernel announced for it failed", notebook_name(message.notebook_uri),
                            exc_info=True)
                return
            log.info("%s: kernel %s announced: %r", notebook_name(message.notebook_uri),
                     message.connection_file or message.kernel_id, result)

        threading.Thread(target=attach, name="trackit-announced-kernel", daemon=True).start()

    def note_editor_activity(self) -> None:
        """A notebook cell opened or an execution arrived: watch for the editor's kernels from now on.

        Started on activity, not at launch, so an idle sidecar scans nothing; a kernel the editor
        starts next and that names a recorded notebook gets the probe before its first cell.
        """
        if not self.settings.may_attach_kernels:
            return
        if self.watcher is not None and not self.watcher.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # not serving (a unit test calling handlers directly)
        self.watcher = loop.create_task(self._watch_kernels())

    async def _watch_kernels(self) -> None:
        # jupyter_client and zmq take ~0.4 s to import: on the kernel thread, so requests keep being answered
        await asyncio.get_running_loop().run_in_executor(self.thread, _import_kernel_modules)
        from ..kernel.early_attach import warm_up
        from ..kernel.watcher import KernelWatcher

        def wanted() -> bool:
            return self.settings.may_attach_kernels

        watcher = KernelWatcher(self.notebooks.on_new_kernel, wanted, ancestor=self.notebooks.ancestor,
                                warm_up=warm_up)
        try:
            await watcher.run()
        except Exception:  # watching is an optimisation: the per-event attach still works without it
            log.warning("kernel watcher stopped", exc_info=True)

    def capture(self, events: list[p.CellExecution], awaited: Collection[str] = ()) -> dict[str, list[asyncio.Future]]:
        """Runtime facts (or why there are none) for newly stored executions, in the background.

        One worker takes them in order, in chunks, from a backlog of at most MAX_CAPTURE_BACKLOG: a burst
        faster than kernels answer (a replay of thousands) skips the oldest, which keep their static lineage,
        instead of holding every event in memory.

        Returns, by notebook, for the events in `awaited` (ids of events whose facts are pushed to an attached
        client, as the caller found when it held their notebook: NotebookKernels.facts_pushed, asked once), a future
        each that is done once those facts are stored: what the editor is told next can carry them. Whoever waits
        on them cancels them when done waiting."""
        if not events:
            return {}
        if self._closing_by is None:
            self.note_editor_activity()
        loop = asyncio.get_running_loop()
        facts_in: dict[str, list[asyncio.Future]] = {}
        for ev in events:
            if ev.event_id in awaited:
                future = self._facts_in[ev.event_id] = loop.create_future()
                future.add_done_callback(lambda _f, event_id=ev.event_id: self._facts_in.pop(event_id, None))
                facts_in.setdefault(ev.notebook_uri, []).append(future)
        skipped = max(0, len(self._backlog) + len(events) - MAX_CAPTURE_BACKLOG)
        if skipped:
            log.warning("runtime capture is behind: %d executions keep static lineage only", skipped)
        self._backlog.extend(_waiting(ev) for ev in events)
        if self._worker is None or self._worker.done():
            self._worker = asyncio.ensure_future(self._capture_backlog())
        return facts_in

    def close_by(self, by: float) -> None:
        """The editor is gone or going (the server is stopping): from now on nothing is waited for past `by`
        (monotonic), a wait under way on the kernel thread included; the editor is told nothing, no kernel watcher
        starts and no experiment work is done. `finish` then settles what is held."""
        self._closing_by = by
        self.notebooks.close_by(by)

    async def finish(self, by: float) -> None:
        """Closing (close_by): every execution handed to `capture` gets its facts by `by` — pushed already, or
        fetched from its kernel if it still answers — or the status `editor_closed`, never none; their statuses are
        stored. Returns soon after `by`."""
        self.close_by(by)
        worker = self._worker
        if worker is not None and not worker.done():
            await asyncio.wait([worker], timeout=max(0.0, by - time.monotonic()) + FINISH_GRACE_S)
            if not worker.done():
                worker.cancel()
                log.warning("runtime capture still busy %.2f s after the editor closed: left", FINISH_GRACE_S)
        if self._stamps:  # a stamp is worth its wait only while the facts' deadline lasts
            stamps = list(self._stamps)
            await asyncio.wait(stamps, timeout=max(0.0, by - time.monotonic()))
            for task in stamps:
                if not task.done():
                    task.cancel()
                    log.info("the editor closed while a run was being stamped: its stamp is left unmade")
        left = [*self._in_hand.values(), *(_InHand(ev) for ev in self._backlog)]
        self._in_hand, self._backlog = {}, deque(maxlen=MAX_CAPTURE_BACKLOG)
        statuses: dict[str, tuple[str, Optional[str]]] = {}
        for held in left:
            if not held.asked:
                result = self.notebooks.not_asked(held.event)
                held.status = (result.status, result.evidence) if result.status is not None else None
            if held.status is not None:
                statuses[held.event.event_id] = held.status
        await self._store_statuses(statuses)
        if self._not_captured:
            log.info("the editor closed before the runtime facts of %d execution%s came: stored as not captured",
                     self._not_captured, "" if self._not_captured == 1 else "s")

    async def _store_statuses(self, statuses: dict[str, tuple[str, Optional[str]]]) -> bool:
        """Whether they are stored (a failure is logged: those executions keep no status)."""
        service = self._service()
        if not statuses or service is None:
            return False
        try:
            await self._on_store(service.set_runtime_status, statuses)
        except Exception:
            log.warning("storing the runtime status of %d executions failed", len(statuses), exc_info=True)
            return False
        self._not_captured += sum(status == "editor_closed" for status, _ in statuses.values())
        return True

    def _out_of_time(self) -> bool:
        return self._closing_by is not None and time.monotonic() >= self._closing_by

    async def _capture_backlog(self) -> None:
        while self._backlog and not self._out_of_time():
            chunk = [self._backlog.popleft() for _ in range(min(CAPTURE_CHUNK, len(self._backlog)))]
            held = [self._in_hand.setdefault(ev.event_id, _InHand(ev)) for ev in chunk]
            await self._capture_runtime(held)

    async def _capture_runtime(self, chunk: list[_InHand]) -> None:
        """Each execution's facts in turn, then the chunk's statuses at once. Closing, it stops at the deadline: the
        rest is `finish`'s."""
        asked = []
        for held in chunk:
            if self._out_of_time():
                break
            await self._capture_one(held)
            asked.append(held)
        statuses = {h.event.event_id: h.status for h in asked if h.status is not None}
        stored = await self._store_statuses(statuses)
        for held in asked:  # not when cancelled (closing, past the grace): then `finish` stores them
            self._in_hand.pop(held.event.event_id, None)
        if stored:
            for uri in dict.fromkeys(h.event.notebook_uri for h in asked if h.event.event_id in statuses):
                self._changed(uri, None)

    async def _capture_one(self, held: _InHand) -> None:
        ev = held.event
        loop = asyncio.get_running_loop()
        try:
            try:
                result = await loop.run_in_executor(self.thread, self.notebooks.facts_for_event, ev)
                service = self._service()
                stored = bool(result.facts) and service is not None
                if stored:
                    await self._on_store(service.add_runtime_facts, ev.event_id, result.facts)
                # only now: a worker cancelled before its facts are stored leaves it to `finish` (editor_closed)
                held.status = (result.status, result.evidence) if result.status is not None else None
                held.asked = True
            finally:  # stored, or there are none: a delta held for them goes now, and carries them
                self._facts_stored(ev.event_id)
            if stored:
                self._changed(ev.notebook_uri, ev.cell_id)
            if service is not None and self._closing_by is None:  # closing: the facts only (a stamp takes seconds)
                await self._experiment_work(service, ev, ask_kernel=result.status == "captured")
        except Exception:  # a kernel we cannot read degrades to static lineage, silently for the user
            held.asked = True  # asked, and failing: not `editor_closed`
            log.warning("%s: runtime facts for execution [%s] failed", notebook_name(ev.notebook_uri),
                        ev.execution_order, exc_info=True)

    async def _experiment_work(self, service: TrackitService, ev: p.CellExecution, ask_kernel: bool) -> None:
        """After a stored execution: the kernel's answers for an experiment (kernel thread, silent) and the
        run's stamp (stamp thread), each stored on the store thread. `ask_kernel`: the notebook's own kernel
        just answered for this execution; only that tied kernel is asked (notebook_kernels.ask_for_event)."""
        loop = asyncio.get_running_loop()
        experiments = service.experiments
        work = await self._on_store(experiments.kernel_work, ev)
        if work is None:
            return
        reply = None
        if ask_kernel:
            reply = await loop.run_in_executor(
                self.thread, self.notebooks.ask_for_event, ev, lambda ask: experiments.ask_kernel(work, ask))
        if reply is not None and reply.answer is not None:
            await self._on_store(experiments.record, work, reply.answer)
        if work.stamp and (reply is not None or not experiments.defer_stamp(work)):
            from ..experiments.service import KernelReply

            self._stamp_aside(experiments, work, reply or KernelReply(
                errors=["kernel environment: the notebook's kernel could not be asked"]))

    def _stamp_aside(self, experiments, work, reply) -> None:
        """A run's stamp (package listing in a subprocess, git) takes seconds: made on the stamp thread while the
        worker goes on, so the next executions' facts and statuses do not wait for it (a Run All closed a second
        after it started lost its last cell's facts to the first cell's stamp)."""
        async def stamp() -> None:
            try:
                made = await asyncio.get_running_loop().run_in_executor(
                    self.stamp_thread, experiments.make_stamp, work, reply)
                await self._on_store(experiments.record, work, None, made)
            except Exception:
                log.warning("the stamp of execution [%s] failed", work.execution_count, exc_info=True)

        task = asyncio.ensure_future(stamp())
        self._stamps.add(task)
        task.add_done_callback(self._stamps.discard)

    async def idle(self) -> None:
        """Once the worker and the stamps under way are done (tests, and `finish` with a deadline)."""
        while (self._worker is not None and not self._worker.done()) or self._stamps:
            await asyncio.gather(*(t for t in (self._worker,) if t is not None), *self._stamps, return_exceptions=True)

    def _facts_stored(self, event_id: str) -> None:
        waiting = self._facts_in.get(event_id)
        if waiting is not None and not waiting.done():
            waiting.set_result(None)

    def _changed(self, notebook_uri: str, cell_id: Optional[str]) -> None:
        if self._closing_by is not None:  # the editor is gone or going: it reads everything when it opens again
            return
        self._changed_lineage(p.LineageChanged(notebook_uri=notebook_uri, seq=0, cell_id=cell_id))

    def shutdown(self) -> None:
        self.thread.shutdown(wait=False)
        self.stamp_thread.shutdown(wait=False)
        self.notebooks.close()


def _waiting(event: p.CellExecution) -> p.CellExecution:
    """The execution as it waits in the backlog: without the outputs capturing does not read (images, tables, results).
    Only stream text is read (whether it may be an experiment: experiments.service); a backlog of a Run All with
    plots held every image until its turn."""
    streams = [o for o in event.outputs if o.output_type == "stream"]
    return event if len(streams) == len(event.outputs) else event.model_copy(update={"outputs": streams})


def _import_kernel_modules() -> None:
    from ..kernel import early_attach, watcher  # noqa: F401
