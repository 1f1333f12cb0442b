"""The inbox waits for a push only while it can still come (a real Unix datagram socket; the probe is played by a
client socket sending what it sends)."""

from __future__ import annotations

import json
import os
import socket

import pytest

from trackit_sidecar.kernel import facts_inbox
from trackit_sidecar.kernel.facts_inbox import FactsInbox


@pytest.fixture
def inbox():
    box = FactsInbox()
    try:
        yield box
    finally:
        box.close()


@pytest.fixture
def waits(monkeypatch):
    """Every wait a take starts for a push, counted; each is real."""
    started = []
    real = FactsInbox._wait

    def wait(self, seconds):
        started.append(seconds)
        return real(self, seconds)

    monkeypatch.setattr(FactsInbox, "_wait", wait)
    return started


def _push(inbox: FactsInbox, count: int, **extra) -> None:
    sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        payload = {"execution_count": count, "pushed_by": os.getpid(), "facts": [], **extra}
        sender.sendto(json.dumps(payload).encode("utf-8"), inbox.path)
    finally:
        sender.close()


def test_a_push_that_is_here_is_taken_without_waiting(inbox, waits):
    _push(inbox, 1)
    assert json.loads(inbox.take(1, wait=30))["execution_count"] == 1
    assert waits == []


def test_a_later_cells_push_means_this_one_was_dropped_so_it_is_not_waited_for(inbox, waits):
    _push(inbox, 3)  # the probe pushes oldest first: 2's push was dropped (a full queue)
    assert inbox.take(2, wait=30) is None
    assert waits == []
    assert inbox.take(3, wait=30) is not None


def test_after_a_wait_ran_out_only_a_new_push_makes_it_wait_again(inbox, waits):
    _push(inbox, 1)
    inbox.take(1, wait=30)
    assert inbox.take(2, wait=0.05) is None  # nothing came: pushes are being dropped
    assert len(waits) >= 1
    waited = len(waits)
    assert inbox.take(3, wait=30) is None
    assert len(waits) == waited  # not waited for again
    _push(inbox, 4)
    assert inbox.take(4, wait=30) is not None


def test_a_push_too_big_for_a_datagram_comes_as_a_notice_and_is_not_waited_for(inbox, waits):
    _push(inbox, 5, too_big=True)
    assert inbox.take(5, wait=30) is None  # asked of the kernel instead
    assert waits == []


def test_a_take_that_does_not_wait_does_not_stop_the_next_wait(inbox, waits):
    assert inbox.take(1) is None  # e.g. the cell ran before the probe pushed: asked at once
    _push(inbox, 2)
    assert inbox.take(2, wait=30) is not None


def test_a_push_the_probe_sends_once_idle_is_waited_for_past_the_usual_wait(inbox, monkeypatch):
    """Cells came back to back (a Run All): the probe said cell 1's facts come once the kernel is idle, so the inbox
    waits for them instead of making the sidecar ask the busy kernel (a request queued behind the cells)."""
    import threading

    monkeypatch.setattr(facts_inbox, "WHEN_IDLE_WAIT", 30.0)
    assert inbox.take(1, wait=0.2) is None  # no word from the probe: the usual wait, then the sidecar asks
    inbox.forget()
    _push(inbox, 2, when_idle=True)
    later = threading.Timer(0.6, lambda: _push(inbox, 2))
    later.start()
    try:
        taken = inbox.take(2, wait=0.2)
    finally:
        later.join()
    assert taken is not None and json.loads(taken)["execution_count"] == 2
    assert json.loads(taken)["facts"] == [] and "when_idle" not in json.loads(taken)  # the push, not the notice


def test_a_push_promised_once_idle_is_not_waited_for_from_a_gone_kernel(inbox, waits):
    sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        gone = 2 ** 22 + 12345  # no such process (above the default pid_max)
        sender.sendto(json.dumps({"execution_count": 1, "pushed_by": gone, "when_idle": True}).encode(), inbox.path)
    finally:
        sender.close()
    assert inbox.take(1, wait=30) is None
    assert waits == []


def test_a_push_under_a_count_before_its_idle_notice_is_not_the_announced_push(inbox, monkeypatch):
    """A run sent without history (VS Code's hidden requests) takes the next cell's count: its push came first; the
    notice that the cell's own push comes once the kernel is idle makes the inbox wait for that one instead."""
    monkeypatch.setattr(facts_inbox, "WHEN_IDLE_WAIT", 0.3)
    _push(inbox, 2, facts=[{"variable": "hidden"}])
    _push(inbox, 2, when_idle=True)
    assert inbox.take(2, wait=0.1) is None  # waited for the announced push, then the sidecar asks
    _push(inbox, 3, when_idle=True)
    _push(inbox, 3, facts=[{"variable": "cell"}])  # the announced push itself, after its notice: taken
    assert json.loads(inbox.take(3, wait=0.1))["facts"] == [{"variable": "cell"}]


def test_pushes_sent_while_nobody_takes_are_kept_past_the_sockets_queue(inbox):
    """A Unix datagram socket queues at most net.unix.max_dgram_qlen (10 by default) datagrams and the probe's sends
    do not block: the inbox reads them as they come, not only when a cell's facts are asked."""
    import time

    sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sender.setblocking(False)
    dropped = 0
    try:
        for count in range(1, 26):  # paced as a probe measuring each cell between its pushes
            payload = {"execution_count": count, "pushed_by": os.getpid(), "facts": []}
            try:
                sender.sendto(json.dumps(payload).encode("utf-8"), inbox.path)
            except BlockingIOError:
                dropped += 1
            time.sleep(0.005)
    finally:
        sender.close()
    assert dropped == 0
    assert [json.loads(inbox.take(count))["execution_count"] for count in range(1, 26)] == list(range(1, 26))


def test_once_the_probe_pushes_after_an_idle_notice_a_push_that_does_not_follow_is_asked_for(inbox, monkeypatch):
    """Once idle, the probe pushes the waiting cells oldest first; one dropped on a full queue (the tail of a Run All)
    is not waited for WHEN_IDLE_WAIT: once nothing came for FLUSH_QUIET after a push, the sidecar asks."""
    import time

    monkeypatch.setattr(facts_inbox, "WHEN_IDLE_WAIT", 30.0)
    monkeypatch.setattr(facts_inbox, "FLUSH_QUIET", 0.2)
    _push(inbox, 2, when_idle=True)
    _push(inbox, 3, when_idle=True)
    _push(inbox, 2)
    assert inbox.take(2, wait=1.0) is not None
    started = time.monotonic()
    assert inbox.take(3, wait=1.0) is None
    assert time.monotonic() - started < 10.0  # FLUSH_QUIET after the last push, not WHEN_IDLE_WAIT


def test_the_push_of_a_fetched_cell_does_not_cut_the_wait_for_an_announced_one(inbox, monkeypatch):
    """A fetch's answer is pushed too (facts_json, for another client of the kernel): a push of a cell asked already
    is no sign the probe is pushing the waiting cells, and the cells still running keep their announced wait."""
    import threading
    import time

    monkeypatch.setattr(facts_inbox, "WHEN_IDLE_WAIT", 5.0)
    monkeypatch.setattr(facts_inbox, "FLUSH_QUIET", 0.2)
    _push(inbox, 3, when_idle=True)
    assert inbox.take(2, wait=0.1) is None  # not pushed in time: the sidecar fetches it ...
    _push(inbox, 2)  # ... and the probe pushes that answer as well
    later = threading.Timer(0.8, lambda: _push(inbox, 3))
    later.start()
    try:
        started = time.monotonic()
        taken = inbox.take(3, wait=0.1)
    finally:
        later.join()
    assert taken is not None and time.monotonic() - started >= 0.7


def test_a_bursts_one_notice_announces_every_later_cell_until_its_first_push(inbox, monkeypatch):
    """kern22: the probe announces a Run All's burst once, from its first overtaken cell on ("onward"), not cell by
    cell: each of those cells' pushes is waited for as announced, a stale push under any of those counts is dropped,
    and once the burst's first push came (the rest follow at once) a later cell is waited for as any other."""
    import threading
    import time

    monkeypatch.setattr(facts_inbox, "WHEN_IDLE_WAIT", 5.0)
    monkeypatch.setattr(facts_inbox, "FLUSH_QUIET", 2.0)
    _push(inbox, 4, facts=[{"variable": "hidden"}])  # a run without history took a later cell's count
    _push(inbox, 2, when_idle=True, onward=True)
    later = threading.Timer(0.5, lambda: [_push(inbox, count, facts=[{"variable": f"v{count}"}])
                                          for count in (2, 3, 4)])
    later.start()
    try:
        # cell 3 is asked first (its wait began announced, and stays so when the burst's first push, 2's, comes)
        assert json.loads(inbox.take(3, wait=0.1))["facts"] == [{"variable": "v3"}]
        assert json.loads(inbox.take(4, wait=0.1))["facts"] == [{"variable": "v4"}]  # not the hidden run's
    finally:
        later.join()
    started = time.monotonic()
    assert inbox.take(5, wait=0.1) is None  # after the burst: not announced, waited `wait` only
    assert time.monotonic() - started < 1.0


def test_a_cell_announced_with_a_burst_is_waited_for_past_the_push_wait(inbox, monkeypatch):
    import threading

    monkeypatch.setattr(facts_inbox, "WHEN_IDLE_WAIT", 5.0)
    _push(inbox, 7, when_idle=True, onward=True)
    later = threading.Timer(0.4, lambda: _push(inbox, 9, facts=[{"variable": "v9"}]))
    later.start()
    try:
        assert json.loads(inbox.take(9, wait=0.1))["facts"] == [{"variable": "v9"}]
    finally:
        later.join()
