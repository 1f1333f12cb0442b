"""Giving DuckDB's memory back: the owner's database connection is closed and opened again (store/connection.py,
`reopen`) once the sidecar has been quiet for QUIET_S after REOPEN_AFTER_WRITES executions were stored since the last
time. DuckDB's allocator keeps what appending rows, their indexes and the blocks read took until the database closes
(~24-28 MB of the sidecar's memory after 50,000 executions, bench_sidecar.py --only memory). Done on the store thread's
idle lane, between two calls, so no reader or writer is ever in the middle of one; a capture arriving meanwhile waits
for it (a reopen took ~70 ms after 10,000 executions here, the first read after it ~15 ms more; each is logged).
"""

from __future__ import annotations

import logging
import time
from typing import Callable, Optional

from ..services import TrackitService
from ..store import StoreError
from .store_thread import StoreThread

log = logging.getLogger("trackit.server")

REOPEN_AFTER_WRITES = 5_000  # executions stored since the last reopen
QUIET_S = 1.0  # nothing but idle work on the store thread for this long: the user stopped running cells


class ConnectionRefresh:
    def __init__(self, store_thread: StoreThread, service: Callable[[], Optional[TrackitService]]) -> None:
        self._thread = store_thread
        self._service = service
        self._queued = False  # a reopen waits on the store thread's idle lane

    def stored(self) -> None:
        """After a batch is stored: queue a reopen once enough executions were stored since the last one."""
        service = self._service()
        if self._queued or service is None or service.store.connection.written < REOPEN_AFTER_WRITES:
            return
        self._queued = True
        self._thread.submit_idle_after(QUIET_S, self._reopen_when_quiet)

    def _reopen_when_quiet(self) -> None:
        """Store thread, idle lane (which may run it before QUIET_S of quiet: then it waits again)."""
        quiet = self._thread.quiet_s()
        if quiet < QUIET_S or self._thread.waiting():
            self._thread.submit_idle_after(max(0.0, QUIET_S - quiet), self._reopen_when_quiet)
            return
        self._queued = False
        service = self._service()
        if service is None:
            return
        written, started = service.store.connection.written, time.perf_counter()
        try:
            if not service.store.connection.reopen():
                return
        except StoreError as failed:  # another process took the file in between: the next use takes it back
            log.warning("reopening the database to give DuckDB's memory back: %s", failed)
            return
        log.info("database reopened after %d executions stored (%.0f ms): DuckDB's memory given back", written,
                 (time.perf_counter() - started) * 1000)
