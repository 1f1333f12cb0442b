"""RunRecorder: for `trackit run` (and tests that drive a kernel the same way), what happens after each
stored execution: ask the kernel what the experiments need (silently, between cells) and stamp the run on a
background thread, so package listing and git never run on the kernel's thread nor hold up the next cell."""

from __future__ import annotations

import threading
from typing import Optional

from .. import protocol as p


class RunRecorder:
    """`after_execution(event, ask)` for kernel.runner.run_notebook; `finish()` before closing the store."""

    def __init__(self, service, ask_values: bool = True):
        self.service = service
        self.ask_values = ask_values
        self._threads: list[threading.Thread] = []
        self.errors: list[str] = []

    def after_execution(self, event: p.CellExecution, ask) -> None:
        experiments = self.service.experiments
        try:
            work = experiments.kernel_work(event)
        except Exception as error:
            self.errors.append(f"experiments: {error}")
            return
        if work is None:
            return
        if not self.ask_values:
            work.metric_names, work.model_names = [], []
        reply = experiments.ask_kernel(work, ask)
        if reply.answer is not None:
            experiments.record(work, answer=reply.answer)
        if work.stamp:
            thread = threading.Thread(target=self._stamp, args=(work, reply), name="trackit-stamp", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _stamp(self, work, reply) -> None:
        try:
            stamp = self.service.experiments.make_stamp(work, reply)
            self.service.experiments.record(work, stamp=stamp)
        except Exception as error:
            self.errors.append(f"stamp: {error}")

    def finish(self, timeout: Optional[float] = 60.0) -> None:
        for thread in self._threads:
            thread.join(timeout)
