"""Runtime facts from the notebook's live kernel, as the server schedules them. Glue only: watching,
attaching and probing live in `kernel/`.

Kernel work runs on its own thread (the kernel thread) so neither the asyncio loop that reads stdin
nor the store thread waits on a kernel. A kernel we cannot read degrades to static lineage.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable, Optional

from .. import protocol as p
from ..config import Settings
from ..services import TrackitService

log = logging.getLogger("trackit.server")


class LiveKernels:
    def __init__(
        self,
        settings: Settings,
        on_store: Callable[..., Awaitable[Any]],
        service: Callable[[], Optional[TrackitService]],
        notify: Callable[[str, dict], None],
    ) -> None:
        """`on_store(fn, *args)` runs fn on the store thread; `service()` is the open service or None;
        `notify(method, params)` tells the editor."""
        self.settings = settings
        self._on_store = on_store
        self._service = service
        self._notify = notify
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trackit-kernel")
        # a run's stamp (package listing in a subprocess, git) takes seconds: never on the kernel thread
        self.stamp_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trackit-stamp")
        self.watcher: Optional[asyncio.Task] = None  # kernel.watcher.KernelWatcher.run()
        self._runtime = None  # kernel.attach.RuntimeCapture, created on first use
        self._background: set[asyncio.Task] = set()

    def note_editor_activity(self) -> None:
        """A notebook cell opened or an execution arrived: watch for kernels from now on.

        Started on activity, not at launch, so an idle sidecar scans nothing; a kernel the editor
        starts next gets the probe before its first cell (kernel/watcher.py says why that matters).
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
        from ..kernel.attach import warm_up
        from ..kernel.watcher import KernelWatcher, attach_found_kernel, default_runtime_dir

        def wanted() -> bool:
            return self.settings.may_attach_kernels

        # the editor's extension host is our parent; VS Code's kernels run under it
        watcher = KernelWatcher(lambda kernel: attach_found_kernel(kernel, wanted), wanted,
                                runtime_dir=default_runtime_dir(), ancestor=os.getppid(), warm_up=warm_up)
        try:
            await watcher.run()
        except Exception:  # watching is an optimisation: the per-event attach still works without it
            log.warning("kernel watcher stopped", exc_info=True)

    def capture(self, events: list[p.CellExecution]) -> None:
        """Fetch runtime facts for newly stored executions in the background, then tell the editor."""
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
                facts = await loop.run_in_executor(self.thread, self._facts_for, ev)
                service = self._service()
                if facts and service is not None:
                    await self._on_store(service.add_runtime_facts, ev.event_id, facts)
                    self._notify(p.LINEAGE_CHANGED, p.LineageChanged(
                        notebook_uri=ev.notebook_uri, seq=0, cell_id=ev.cell_id).model_dump(mode="json"))
                if service is not None:
                    await self._experiment_work(service, ev)
            except Exception:  # a kernel we cannot read degrades to static lineage, silently for the user
                log.debug("runtime capture failed for %s", ev.event_id, exc_info=True)

    async def _experiment_work(self, service: TrackitService, ev: p.CellExecution) -> None:
        """After a stored execution: the kernel's answers for an experiment (kernel thread, silent) and the
        run's stamp (stamp thread), each stored on the store thread."""
        loop = asyncio.get_running_loop()
        experiments = service.experiments
        work = await self._on_store(experiments.kernel_work, ev)
        if work is None:
            return
        reply = await loop.run_in_executor(
            self.thread, lambda: self._runtime.ask_for_event(ev, lambda ask: experiments.ask_kernel(work, ask))
            if self._runtime is not None else None)
        if reply is not None and reply.answer is not None:
            await self._on_store(experiments.record, work, reply.answer)
        if work.stamp and (reply is not None or not experiments.defer_stamp(work)):
            from ..experiments.service import KernelReply

            stamp = await loop.run_in_executor(self.stamp_thread, experiments.make_stamp, work, reply or KernelReply(
                errors=["kernel environment: no live kernel found for this notebook"]))
            await self._on_store(experiments.record, work, None, stamp)

    def _facts_for(self, ev: p.CellExecution) -> list[p.RuntimeFacts]:
        if self._runtime is None:
            from ..kernel.attach import RuntimeCapture

            self._runtime = RuntimeCapture()
        return self._runtime.facts_for_event(ev)

    def shutdown(self) -> None:
        self.thread.shutdown(wait=False)
        self.stamp_thread.shutdown(wait=False)
