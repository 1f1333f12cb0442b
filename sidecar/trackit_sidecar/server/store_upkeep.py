"""The store thread's idle work, kept out of the way of captures and reads: making the ready lineage rows queued
(ready_lineage.py) a step at a time, and the vacuum the store's checkpoints owe or reopening the database to give back
the C heap DuckDB keeps until it closes (store/memory_limit.py). Each is retried, backing off, when it fails."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Callable, Optional

from ..store import DatabaseLocked
from .store_thread import StoreThread

if TYPE_CHECKING:
    from ..services import TrackitService

log = logging.getLogger("trackit.server")

# Making ready lineage rows failed: tried again after this, doubled after each failure in a row up to the most
ROWS_RETRY_S, ROWS_RETRY_MAX_S = 1.0, 300.0
# The vacuum the store's checkpoints owe, and reopening the database to give back the C heap DuckDB keeps until it
# closes (store/memory_limit.py), run once no capture or request has come for this long: not within a burst of
# captures or a user's reads, whose peak the vacuum would add to (+10-30 MB at 50,000 executions)
VACUUM_QUIET_S = 2.0
# A reopen that failed for another reason than the lock (the file or its WAL unreadable for a moment, a failing disk)
# leaves the store closed; captures go to disk meanwhile (batching.py). Opening it is tried again after each of these
# in turn (~2 min in all), then the user is told once, with the "Repair database" action (which restarts the sidecar)
REOPEN_RETRY_DELAYS_S = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)


class StoreUpkeep:
    def __init__(self, store_thread: StoreThread, service: Callable[[], Optional["TrackitService"]],
                 lost_to_another_process: Callable[[], None], reopen_failed_for_good: Callable[[str], None]) -> None:
        """`service()`: the server's service, None while it spools. `lost_to_another_process()`: store thread, another
        process took the file while it was closed for a reopen, and kept it. `reopen_failed_for_good(message)`: store
        thread, opening the database again failed at every try: tell the user."""
        self.store_thread = store_thread
        self._service = service
        self._lost_to_another_process = lost_to_another_process
        self._reopen_failed_for_good = reopen_failed_for_good
        self._making_rows = False  # a step of making ready lineage rows is queued on the store thread's idle lane
        self._rows_failed = 0  # steps of making them that failed in a row (each retry waits twice as long)
        self._tidy_queued = False  # the owed vacuum or a reopen is queued on the store thread's idle lane

    def make_ready_rows(self, after: float = 0.0) -> None:
        """Make the ready lineage rows queued (ready_lineage.py) a step at a time, when the store thread is idle (and
        `after` seconds from now)."""
        if not self._making_rows:
            self._making_rows = True
            self.store_thread.submit_idle_after(after, self._make_ready_rows_step)

    def _make_ready_rows_step(self) -> None:
        """Store thread, idle lane: one step, stopping early when other work is queued; the next step is queued."""
        self._making_rows = False
        service = self._service()
        try:
            more = service is not None and service.ready.make_some(waiting=self.store_thread.waiting)
        except Exception:  # the rows are a cache: meanwhile the lineage is read the slower way (ready_lineage logs it)
            self._rows_failed += 1
            self.make_ready_rows(after=min(ROWS_RETRY_MAX_S, ROWS_RETRY_S * 2 ** (self._rows_failed - 1)))
            return
        self._rows_failed = 0
        if more:
            self.make_ready_rows()
        self.tidy_when_quiet()  # making rows runs queries too: a reopen may be worth it while the user is away

    def tidy_when_quiet(self, after: float = VACUUM_QUIET_S) -> None:
        """Queue the vacuum the store's checkpoints owe, or reopening the database when worth it, if either, for once
        the store thread has been quiet VACUUM_QUIET_S."""
        service = self._service()
        if not self._tidy_queued and service is not None and (service.store.connection.vacuum_owed()
                                                              or service.store.connection.reopen_worth()):
            self._tidy_queued = True
            self.store_thread.submit_idle_after(after, self._tidy_step)

    def _tidy_step(self) -> None:
        """Store thread, idle lane: the vacuum, then the reopen, or, when work came meanwhile, queued again for after
        the quiet."""
        self._tidy_queued = False
        service = self._service()
        if service is None:
            return
        quiet = self.store_thread.quiet_s()
        if quiet < VACUUM_QUIET_S:
            self.tidy_when_quiet(after=VACUUM_QUIET_S - quiet)
            return
        connection = service.store.connection
        try:
            connection.vacuum()
        except Exception:  # owed still: tried again after the next stored batch
            log.warning("vacuuming the database failed", exc_info=True)
        if not connection.reopen_worth():
            return
        try:
            connection.reopen()
        except DatabaseLocked:  # another process took the file while it was closed, and kept it: spool, as then
            self._lost_to_another_process()
        except Exception as failed:  # closed: every later call says why, until opening it again works
            self._reopen_failed(failed, tries=1)

    def _reopen_failed(self, failed: Exception, tries: int) -> None:
        """Store thread: opening the database again failed `tries` times in a row; tried again later, backing off, or,
        after the last try, given up on (reopen_failed_for_good)."""
        if tries <= len(REOPEN_RETRY_DELAYS_S):
            delay = REOPEN_RETRY_DELAYS_S[tries - 1]
            log.warning("opening the database again failed (%s); trying again in %.0f s", failed, delay)
            self.store_thread.submit_idle_after(delay, self._reopen_again, tries)
            return
        log.error("opening the database again failed %d times; it stays closed: %s", tries, failed)
        self._reopen_failed_for_good(f"the TrackIT database could not be opened again after {tries} tries: {failed}. "
                                     f"Captures are kept on disk and stored once it opens")

    def _reopen_again(self, tries: int) -> None:
        """Store thread, idle lane: after `tries` failed tries to open the database again, one more."""
        service = self._service()
        if service is None or service.store.connection.reopen_failed is None:
            return
        try:
            service.store.connection.reopen()
        except DatabaseLocked:  # another process took the file meanwhile: spool, as then
            self._lost_to_another_process()
        except Exception as failed:
            self._reopen_failed(failed, tries + 1)
        else:
            log.info("the database opened again after %d failed tr%s", tries, "y" if tries == 1 else "ies")
