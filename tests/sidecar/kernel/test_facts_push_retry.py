"""A push or a notice the sidecar's socket has no room for is not lost: Linux holds 10 datagrams on a Unix socket
(/proc/sys/net/unix/max_dgram_qlen) and the probe's sends never block, so a Run All's pushes and its "when idle"
notices overflow a reader that is busy for a moment (storing executions, waiting for the editor). The probe sends them
again a few ms later (push_channel.PUSH_RETRY_SECONDS) while the reader catches up, a cell's notice before its push."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time

from trackit_sidecar.kernel import probe, probe_expressions, silent_requests
from trackit_sidecar.kernel.probe import hooks, push_channel
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .test_facts_when_idle import _queued
from .in_process_probe import new_probe, run_cell

CELLS = 25


def _read_all(receiver: socket.socket, quiet: float) -> list[dict]:
    """Every datagram until none came for `quiet` seconds."""
    got = []
    receiver.settimeout(quiet)
    while True:
        try:
            got.append(json.loads(receiver.recv(1 << 20)))
        except socket.timeout:
            return got


def _run_all_to_a_slow_reader(live_kernel, tmp_path) -> tuple[list[int], list[dict], dict]:
    """A Run All of CELLS cells pushing to a socket read only once it is over: (counts, datagrams in order, stats)."""
    path = str(tmp_path / "slow-reader.sock")
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(path)
    try:
        with RuntimeCapture(live_kernel.connection_file) as capture:
            assert capture.install()
            live_kernel.run("import pandas as pd")
            # the probe now pushes to a reader that reads nothing until the Run All is over
            silent_requests.silent_expression(
                live_kernel.client, f"__import__('sys').modules[{probe.MODULE_NAME!r}].push_to({path!r})", 10)
            counts = _queued(live_kernel.client, [f"df{i} = pd.DataFrame({{'a': [1.0, None, {i}.0]}})"
                                                  for i in range(CELLS)])
            time.sleep(0.2)  # the pushes went out once the kernel was idle (50 ms) and found the socket full
            got = _read_all(receiver, quiet=1.0)
            stats = json.loads(silent_requests.silent_expression(live_kernel.client, probe_expressions.stats_expression(),
                                                                 10))
    finally:
        receiver.close()
        os.unlink(path)
    return counts, got, stats


def test_a_run_alls_pushes_wait_for_room_in_a_full_socket(live_kernel, tmp_path):
    counts, got, stats = _run_all_to_a_slow_reader(live_kernel, tmp_path)
    pushed = {push["execution_count"]: push["facts"] for push in got if "facts" in push}
    assert [count for count in counts if count not in pushed] == []  # none lost (without the retry: <= 10 arrive)
    assert [[(f["variable"], f["nulls_after"]) for f in pushed[count]] for count in counts] == \
        [[(f"df{i}", 1)] for i in range(CELLS)]
    # the socket was full when they went out: they waited for room (behind the notices waiting before them, since
    # those are retried too)
    assert stats["pushes_retried"] + stats["notices_retried"] >= 1 and stats["errors"] == []


def test_a_run_all_is_announced_once_before_its_pushes(live_kernel, tmp_path):
    counts, got, stats = _run_all_to_a_slow_reader(live_kernel, tmp_path)
    announced = stats["pushed_before_next_cell"]  # cells a next cell came before: pushed once the kernel is idle
    assert announced > 10  # more than the socket holds
    notices = [(at, datagram) for at, datagram in enumerate(got) if datagram.get("when_idle")]
    # one notice, for the first such cell and every later one (kern22: before, one per cell, retried like the pushes)
    assert [notice.get("onward") for _, notice in notices] == [True]
    notice_at, notice = notices[0]
    pushed_at = {datagram["execution_count"]: at for at, datagram in enumerate(got)
                 if "facts" in datagram and datagram["execution_count"] in counts}
    assert sorted(pushed_at) == counts
    # a first cell or two may be pushed in turn, when the kernel was idle for a moment before the next queued cell came
    # (a loaded machine); the notice names the first cell that was not, and comes before its push and every later one
    in_turn = [count for count in counts if pushed_at[count] < notice_at]
    assert in_turn == counts[:len(in_turn)] and len(counts) - len(in_turn) > 10
    assert notice["execution_count"] == counts[len(in_turn)]
    assert stats["errors"] == []


class _FullSocket:
    """A socket that has room again only after `full_for` sends."""

    def __init__(self, full_for: int):
        self.full_for = full_for
        self.attempts = 0
        self.sent: list[dict] = []

    def sendto(self, data, _path):
        self.attempts += 1
        if self.attempts <= self.full_for:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        self.sent.append(json.loads(data))


def _run_two_cells(monkeypatch, full_for: int) -> tuple[hooks.Probe, _FullSocket]:
    monkeypatch.setattr(push_channel, "PUSH_RETRY_SECONDS", 0.001)
    monkeypatch.setattr(push_channel, "PUSH_RETRIES", 5)
    p = new_probe()
    p.push_socket, p.push_path = _FullSocket(full_for), "/nowhere"

    async def cells():
        for count, source in enumerate(["import pandas as pd\na = pd.DataFrame({'x': [1.0, None]})", "y = 1"], 1):
            run_cell(p, count, source)
            await asyncio.sleep(0.2)  # idle: the push and its retries

    asyncio.run(cells())
    return p, p.push_socket


def test_a_push_is_sent_again_until_there_is_room_and_then_given_up(monkeypatch):
    p, sock = _run_two_cells(monkeypatch, full_for=3)
    assert [push["execution_count"] for push in sock.sent] == [1, 2]  # the first after 3 attempts without room
    assert p.pushes_retried == 1 and p.unpushed == [] and p._push_timer is None
    p, sock = _run_two_cells(monkeypatch, full_for=1000)  # a reader that never reads: PUSH_RETRIES attempts each
    assert sock.sent == [] and sock.attempts == 2 * push_channel.PUSH_RETRIES
    assert p.unpushed == [] and p._push_timer is None and p.errors == []


def test_a_notice_the_socket_has_no_room_for_is_sent_again_before_the_pushes(monkeypatch):
    monkeypatch.setattr(push_channel, "PUSH_RETRY_SECONDS", 0.001)
    monkeypatch.setattr(push_channel, "PUSH_RETRIES", 5)
    p = new_probe()
    p.push_socket, p.push_path = _FullSocket(full_for=2), "/nowhere"

    async def run_all():
        # back to back, as queued cells come: the second cell comes before the first one's push, and announces it
        for count, source in enumerate(["import pandas as pd\na = pd.DataFrame({'x': [1.0, None]})", "y = 1"], 1):
            run_cell(p, count, source)
        await asyncio.sleep(0.3)  # idle: the notice, the pushes and their retries

    asyncio.run(run_all())
    sent = [(datagram["execution_count"], "when_idle" if datagram.get("when_idle") else "push")
            for datagram in p.push_socket.sent]
    assert sent == [(1, "when_idle"), (1, "push"), (2, "push")]  # before: the notice was dropped
    assert p.notices_retried == 1 and p.unsent_notices == [] and p.unpushed == [] and p._push_timer is None


class _FullFromSend:
    """A socket whose queue is full from its `room`-th send on while `full` is set (a reader busy for a moment)."""

    def __init__(self, room: int):
        self.room, self.full, self.sent = room, True, []

    def sendto(self, data, _path):
        if self.full and len(self.sent) >= self.room:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        self.sent.append(json.loads(data))


def test_cells_left_waiting_by_a_flush_cut_short_are_announced_again(monkeypatch):
    """rev26: the sidecar takes a burst's first push for its end (facts_inbox: `_onward` cleared), so cells still
    waiting behind a flush the full socket cut short, and the cells that come next, are announced again: before, the
    probe still held its burst for announced and sent nothing, and the sidecar waited for those cells 1 s (PUSH_WAIT)
    instead of until the busy kernel is idle, then asked it for each."""
    monkeypatch.setattr(push_channel, "PUSH_RETRY_SECONDS", 0.005)
    monkeypatch.setattr(push_channel, "PUSH_RETRIES", 1000)
    p = new_probe()
    p.push_socket, p.push_path = _FullFromSend(room=2), "/nowhere"

    async def run_all():
        run_cell(p, 1, "import pandas as pd\na = pd.DataFrame({'x': [1.0, None]})")
        run_cell(p, 2, "b = 2")  # back to back: announces 1 and the cells after it
        await asyncio.sleep(0.2)  # idle: 1 is pushed, 2 finds the socket full and waits for room
        run_cell(p, 3, "c = 3")
        run_cell(p, 4, "d = 4")
        p.push_socket.full = False
        await asyncio.sleep(0.3)

    asyncio.run(run_all())
    sent = [(d["execution_count"], "onward" if d.get("onward") else "push") for d in p.push_socket.sent]
    assert sent[:2] == [(1, "onward"), (1, "push")], sent
    assert sent[2] == (2, "onward") and [count for count, kind in sent[3:] if kind == "push"] == [2, 3, 4], sent
    assert p.errors == [] and p.unpushed == [] and p.unsent_notices == []
