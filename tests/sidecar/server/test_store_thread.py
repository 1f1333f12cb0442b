"""The store thread's two lanes: storing captures and their deltas go before derived work already queued."""

from __future__ import annotations

import asyncio
import threading

import pytest

from trackit_sidecar.server import store_thread
from trackit_sidecar.server.store_thread import StoreThread


def test_urgent_calls_run_before_queued_ordinary_ones_each_lane_in_order():
    thread = StoreThread("test-store")
    ran: list[str] = []
    busy = threading.Event()
    release = threading.Event()

    def first() -> None:
        busy.set()
        release.wait(10)
        ran.append("running")

    try:
        running = thread.submit(first)
        assert busy.wait(10)
        later = [thread.submit(ran.append, "facts 1"), thread.submit(ran.append, "facts 2"),
                 thread.submit_urgent(ran.append, "store"), thread.submit_urgent(ran.append, "delta")]
        release.set()
        for future in [running, *later]:
            future.result(10)
    finally:
        thread.shutdown()
    assert ran == ["running", "store", "delta", "facts 1", "facts 2"]  # a running call is never interrupted


def test_errors_reach_the_caller_and_shutdown_runs_what_was_queued():
    thread = StoreThread("test-store")
    future = thread.submit(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        future.result(10)
    done: list[int] = []
    for n in range(5):
        thread.submit(done.append, n)
    thread.shutdown(wait=True)
    assert done == [0, 1, 2, 3, 4]
    with pytest.raises(RuntimeError):
        thread.submit(done.append, 5)


async def test_the_asyncio_loop_awaits_both_lanes():
    thread = StoreThread("test-store")
    try:
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(thread, sum, [1, 2]) == 3
        assert await asyncio.wrap_future(thread.submit_urgent(max, 4, 5)) == 5
    finally:
        thread.shutdown()


def test_idle_calls_wait_for_quiet_and_let_work_queued_meanwhile_run_first(monkeypatch):
    from trackit_sidecar.server import store_thread

    monkeypatch.setattr(store_thread, "IDLE_S", 0.2)
    thread = StoreThread("test-store")
    ran: list[str] = []
    try:
        idle = thread.submit_idle(ran.append, "rows")
        # queued after the idle call, within its quiet time: it runs first, and the quiet starts again after it
        work = [thread.submit(ran.append, "read"), thread.submit_urgent(ran.append, "store")]
        for future in work:
            future.result(10)
        assert ran == ["store", "read"]
        idle.result(10)
    finally:
        thread.shutdown()
    assert ran == ["store", "read", "rows"]


def test_idle_calls_still_queued_at_shutdown_are_dropped():
    thread = StoreThread("test-store")
    idle = thread.submit_idle(lambda: 1)
    done = thread.submit(lambda: 2)
    thread.shutdown(wait=True)
    assert done.result(0) == 2 and idle.cancelled()


def test_an_idle_call_runs_under_steady_work_less_than_the_quiet_apart(monkeypatch):
    """Review F6: work every 0.1 s never leaves IDLE_S of quiet; an idle call starved IDLE_STARVED_S still runs,
    between two of them (and an idle call asks `waiting()` to stop early for queued work)."""
    monkeypatch.setattr(store_thread, "IDLE_STARVED_S", 1.0, raising=False)  # absent before F6
    thread = StoreThread("test-store")
    ran = threading.Event()
    looked: list[bool] = []
    try:
        thread.submit_idle(lambda: (looked.append(thread.waiting()), ran.set()))
        for _ in range(300):  # up to 30 s of steady work; the idle call must not wait for it to end
            thread.submit(lambda: None).result(10)
            if ran.wait(0.1):
                break
        assert ran.is_set(), "the idle call never ran while work kept coming"
        running, blocker = threading.Event(), threading.Event()

        def idle_call() -> None:
            running.set()
            blocker.wait(10)
            looked.append(thread.waiting())

        thread.submit_idle(idle_call)
        assert running.wait(30)  # an idle call running (after its quiet) ...
        started = thread.submit(lambda: None)  # ... sees this queued
        assert not started.done()
        blocker.set()
        started.result(10)
    finally:
        thread.shutdown()
    assert looked == [False, True]


def test_an_idle_call_queued_with_a_delay_waits_for_it():
    thread = StoreThread("test-store")
    try:
        order: list[str] = []
        later = thread.submit_idle_after(60, order.append, "later")
        now = thread.submit_idle(order.append, "now")
        now.result(10)  # not held back by the delayed one queued before it
        assert order == ["now"] and not later.done()
    finally:
        thread.shutdown()
    assert later.cancelled()  # idle work is dropped at shutdown
