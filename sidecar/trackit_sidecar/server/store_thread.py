"""The one thread that runs every DuckDB call, with two lanes: urgent calls run before queued ordinary ones.

Storing a cell's capture and building the delta that tells the editor about it are urgent: the user is looking
at the tree. Work derived from earlier runs (runtime statuses and facts re-completing a session, experiment
detection, stamps, staleness) and editor reads are ordinary: they follow in their own later delta. With one
FIFO queue a new run waited behind the previous run's derived work (bench/bench_hop.py: up to 50-70 ms on a
2,000-execution notebook). Within a lane, calls run in the order submitted; a call never interrupts another.
A third lane, idle, is for work no one waits for (making ready lineage rows): its calls run only once nothing
else has been queued or run for IDLE_S, so a burst of captures, or a user running cells, is not slowed by it. Under
steady work less than IDLE_S apart that would be never: an idle call waiting longer than IDLE_STARVED_S runs as soon
as nothing else is queued. Idle calls keep themselves short (`waiting()`: they stop when other work is queued).
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
IDLE_STARVED_S = 5.0  # an idle call queued this long runs without the quiet, when nothing else is queued


class StoreThread(Executor):
    def __init__(self, name: str = "trackit-store") -> None:
        # (lane, order, not before (monotonic), future, fn, args, kwargs)
        self._queue: list[tuple[int, int, float, Future, Callable[..., Any], tuple, dict]] = []
        self._order = itertools.count()  # FIFO within a lane (and never compares futures)
        self._cond = threading.Condition()
        self._shutdown = False
        self._busy_at = time.monotonic()  # when an urgent or ordinary call was last queued or finished
        self._idle_since: dict[int, float] = {}  # an idle call's order -> when it was first found waiting to run
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._put(ORDINARY, fn, args, kwargs)

    def submit_urgent(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._put(URGENT, fn, args, kwargs)

    def submit_idle(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._put(IDLE, fn, args, kwargs)

    def submit_idle_after(self, delay: float, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        """An idle call that also waits `delay` seconds from now (a retry backing off)."""
        return self._put(IDLE, fn, args, kwargs, time.monotonic() + delay)

    def quiet_s(self) -> float:
        """Seconds since an urgent or ordinary call was last queued or finished."""
        with self._cond:
            return time.monotonic() - self._busy_at

    def waiting(self) -> bool:
        """Whether urgent or ordinary work is queued: an idle call running now stops at its next look."""
        with self._cond:
            return bool(self._queue) and self._queue[0][0] != IDLE

    def _put(self, lane: int, fn: Callable[..., Any], args: tuple, kwargs: dict, not_before: float = 0.0) -> Future:
        future: Future = Future()
        with self._cond:
            if self._shutdown:
                raise RuntimeError("cannot schedule new futures after shutdown")
            heapq.heappush(self._queue, (lane, next(self._order), not_before, future, fn, args, kwargs))
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
                if self._queue[0][0] == IDLE and not self._shutdown:  # then everything queued is idle
                    now = time.monotonic()
                    due = min((item for item in self._queue if item[2] <= now), default=None)
                    if due is None:  # each waits for its delay
                        self._cond.wait(min(item[2] for item in self._queue) - now)
                        continue
                    starved = max(self._idle_since.setdefault(due[1], now), due[2]) + IDLE_STARVED_S
                    wait = min(self._busy_at + IDLE_S, starved) - now
                    if wait > 0:
                        self._cond.wait(wait)  # woken early by new work, which then runs first
                        continue
                    self._queue.remove(due)
                    heapq.heapify(self._queue)
                    lane, order, _not_before, future, fn, args, kwargs = due
                else:
                    lane, order, _not_before, future, fn, args, kwargs = heapq.heappop(self._queue)
                self._idle_since.pop(order, None)
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
                for _lane, _order, _not_before, future, *_ in self._queue:
                    future.cancel()
            self._cond.notify_all()
        if wait and threading.current_thread() is not self._thread:
            self._thread.join()
