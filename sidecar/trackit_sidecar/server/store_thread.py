"""The one thread that runs every DuckDB call, with two lanes: urgent calls run before queued ordinary ones.

Storing a cell's capture and building the delta that tells the editor about it are urgent: the user is looking
at the tree. Work derived from earlier runs (runtime statuses and facts re-completing a session, experiment
detection, stamps, staleness) and editor reads are ordinary: they follow in their own later delta. With one
FIFO queue a new run waited behind the previous run's derived work (bench/bench_hop.py: up to 50-70 ms on a
2,000-execution notebook). Within a lane, calls run in the order submitted; a call never interrupts another.
A third lane, idle, is for work no one waits for (making ready lineage rows): its calls run only once nothing
else has been queued or run for IDLE_S, so a burst of captures, or a user running cells, is not slowed by it.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from concurrent.futures import Executor, Future
from typing import Any, Callable

URGENT, ORDINARY, IDLE = 0, 1, 2
IDLE_S = 0.5  # quiet this long before an idle call runs: between a user's cell runs, not within a burst


class StoreThread(Executor):
    def __init__(self, name: str = "trackit-store") -> None:
        self._queue: list[tuple[int, int, Future, Callable[..., Any], tuple, dict]] = []
        self._order = itertools.count()  # FIFO within a lane (and never compares futures)
        self._cond = threading.Condition()
        self._shutdown = False
        self._busy_at = time.monotonic()  # when an urgent or ordinary call was last queued or finished
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._put(ORDINARY, fn, args, kwargs)

    def submit_urgent(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._put(URGENT, fn, args, kwargs)

    def submit_idle(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._put(IDLE, fn, args, kwargs)

    def _put(self, lane: int, fn: Callable[..., Any], args: tuple, kwargs: dict) -> Future:
        future: Future = Future()
        with self._cond:
            if self._shutdown:
                raise RuntimeError("cannot schedule new futures after shutdown")
            heapq.heappush(self._queue, (lane, next(self._order), future, fn, args, kwargs))
            if lane != IDLE:
                self._busy_at = time.monotonic()
            self._cond.notify()
        return future

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._shutdown:
                    self._cond.wait()
                if not self._queue:
                    return  # shut down and nothing left: what was submitted before shutdown has run
                quiet = self._busy_at + IDLE_S - time.monotonic()
                if self._queue[0][0] == IDLE and quiet > 0 and not self._shutdown:
                    self._cond.wait(quiet)  # woken early by new work, which then runs first
                    continue
                lane, _order, future, fn, args, kwargs = heapq.heappop(self._queue)
                if lane == IDLE and self._shutdown:
                    future.cancel()  # no one waits for it, and the process is ending
                    continue
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:  # noqa: BLE001 - handed to whoever awaits the future
                future.set_exception(error)
            else:
                future.set_result(result)
            if lane != IDLE:
                with self._cond:
                    self._busy_at = time.monotonic()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._cond:
            self._shutdown = True
            if cancel_futures:
                for _lane, _order, future, *_ in self._queue:
                    future.cancel()
            self._cond.notify_all()
        if wait and threading.current_thread() is not self._thread:
            self._thread.join()
