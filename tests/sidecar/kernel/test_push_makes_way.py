"""A push made while the kernel is idle stops for a client's message that comes in mid-push (push_channel._make_way,
shell_inbox): the message is handled before the cells left are measured, and those are pushed afterwards, with the
same facts as a push nothing cut short, oldest first and after their "when idle" notice. Before kern31 a next cell
waited until every waiting cell was measured and pushed (kern30: +35 ms a Run All on pandas-06)."""

from __future__ import annotations

import asyncio
import json
import os
import socket

from trackit_sidecar.kernel import probe, probe_expressions, silent_requests
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import LiveKernel
from .in_process_probe import new_probe, run_cell
from .test_facts_when_idle import _queued

CELLS = 8
COLUMNS, ROWS = 40, 30_000  # a frame of this many Arrow string columns takes tens of ms to measure
# frames of Arrow strings, each cell's its own (measured by each push, not found the same as an earlier one's)
FRAMES = f"""import pandas as pd
def strings(cell):
    return pd.DataFrame({{f'c{{k}}': pd.array([None] + [f'{{cell}}-{{k}}-{{j}}' for j in range({ROWS})], dtype='str')
                         for k in range({COLUMNS})}})
"""
# a Run All of them: memory no later cell can write, so each frame is measured once the kernel is idle
RUN_ALL = [f"df{i} = strings({i})" for i in range(CELLS)]
# which of the Run All's cells still wait to be measured (their facts not built) when this runs
STILL_WAITING = "sorted(c for c in __import__('sys').modules[{name!r}]._probe.pending if c in {counts!r})"


def _receive(receiver: socket.socket, until, timeout: float = 60.0) -> list[dict]:
    """Datagrams until `until(got)` holds."""
    got: list[dict] = []
    receiver.settimeout(timeout)
    while not until(got):
        got.append(json.loads(receiver.recv(1 << 22)))
    return got


def _pushed(got: list[dict], counts: list[int]) -> list[int]:
    return [d["execution_count"] for d in got if "facts" in d and d["execution_count"] in counts]


def _pushed_once_idle(got: list[dict], counts: list[int]) -> bool:
    """A push came once the Run All was over: one of a cell its "when idle" notice announced (on a loaded machine a
    first queued cell or two can be pushed in turn, while the next ones still run). Only the Run All's own: the cell
    before it (FRAMES) can be announced ("onward") and pushed when its push made way for push_to's request."""
    notices = [d["execution_count"] for d in got if d.get("when_idle")]
    return bool(notices) and any("facts" in d and d["execution_count"] >= notices[0] and d["execution_count"] in counts
                                 for d in got)


def _run_all_then(kernel: LiveKernel, path: str, interrupt: str | None) -> tuple[list[int], list[dict], list, dict]:
    """A Run All of RUN_ALL, whose pushes go to `path` once the kernel is idle; when the first one is in, `interrupt`
    ("cell": a next cell; "hidden": an execute_request without history, as VS Code's variables view sends; None: only
    once every push is in) asks which cells still wait. (counts, datagrams in order, cells still waiting, stats)."""
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(path)
    try:
        with RuntimeCapture(kernel.connection_file) as capture:
            assert capture.install()
            kernel.run(FRAMES)
            silent_requests.silent_expression(
                kernel.client, f"__import__('sys').modules[{probe.MODULE_NAME!r}].push_to({path!r})", 10)
            counts = _queued(kernel.client, RUN_ALL)
            still_waiting = STILL_WAITING.format(name=probe.MODULE_NAME, counts=counts)
            got = _receive(receiver, lambda got: _pushed_once_idle(got, counts) if interrupt else
                           len(_pushed(got, counts)) == len(counts))
            if interrupt == "hidden":
                waiting = silent_requests.silent_expression(kernel.client, still_waiting, 60)
            else:
                ran = kernel.run(f"waiting = {still_waiting}")
                assert ran["status"] == "ok", ran["reply"]
                waiting = silent_requests.silent_expression(kernel.client, "waiting", 10)
            got += _receive(receiver, lambda more: len(_pushed(got + more, counts)) == len(counts))
            stats = json.loads(silent_requests.silent_expression(kernel.client, probe_expressions.stats_expression(),
                                                                 10))
    finally:
        receiver.close()
        os.unlink(path)
    return counts, got, waiting, stats


def _facts(got: list[dict], counts: list[int]) -> dict[int, list[dict]]:
    return {d["execution_count"]: d["facts"] for d in got if "facts" in d and d["execution_count"] in counts}


def _in_order(got: list[dict], counts: list[int]) -> None:
    """Pushes oldest first, each after the notice that announced it (the sidecar takes a push before its notice for
    another run's)."""
    assert _pushed(got, counts) == counts
    notices = [at for at, d in enumerate(got) if d.get("when_idle")]
    assert notices
    first_announced = got[notices[0]]["execution_count"]
    pushes_at = {d["execution_count"]: at for at, d in enumerate(got) if "facts" in d}
    assert all(pushes_at[count] > notices[0] for count in counts if count >= first_announced)


def test_a_next_cell_that_comes_mid_push_runs_before_the_cells_left_are_measured(tmp_path):
    hurried = LiveKernel(tmp_path)
    try:
        counts, got, waiting, stats = _run_all_then(hurried, str(tmp_path / "hurried.sock"), "cell")
    finally:
        hurried.close()
    unhurried = LiveKernel(tmp_path)
    try:
        same_counts, unhurried_got, unhurried_waiting, _ = _run_all_then(unhurried, str(tmp_path / "calm.sock"), None)
    finally:
        unhurried.close()
    # the next cell ran while later cells of the Run All still waited to be measured (before kern31: none, the push
    # measured every one first)
    assert waiting and waiting == counts[-len(waiting):] and len(waiting) < len(counts), (waiting, counts)
    assert stats["pushes_made_way"] >= 1 and stats["errors"] == [], json.dumps({k: v for k, v in stats.items() if "ms" not in k})
    _in_order(got, counts)
    # every cell's facts came, the same as those of a push nothing cut short
    assert same_counts == counts and unhurried_waiting == []
    assert _facts(got, counts) == _facts(unhurried_got, counts)
    assert [[(f["variable"], f["rows_after"], f["nulls_after"]) for f in facts]
            for facts in _facts(got, counts).values()] == [[(f"df{i}", ROWS + 1, COLUMNS)] for i in range(CELLS)]


def test_a_push_goes_on_after_a_request_that_is_not_a_cell(live_kernel, tmp_path):
    """A hidden run (VS Code's variables view) starts no cell, so nothing but the push's own timer takes it up again."""
    counts, got, waiting, stats = _run_all_then(live_kernel, str(tmp_path / "hidden.sock"), "hidden")
    assert waiting and waiting == counts[-len(waiting):] and len(waiting) < len(counts), (waiting, counts)
    assert stats["pushes_made_way"] >= 1 and stats["errors"] == [], json.dumps({k: v for k, v in stats.items() if "ms" not in k})
    _in_order(got, counts)
    assert [[(f["variable"], f["nulls_after"]) for f in facts] for facts in _facts(got, counts).values()] == \
        [[(f"df{i}", COLUMNS)] for i in range(CELLS)]


class _Inbox:
    """A client's message waits from the `after`-th question on, until `waiting` is cleared."""

    def __init__(self, after: int):
        self.asked, self.after, self.cleared = 0, after, False

    def waiting(self) -> bool:
        self.asked += 1
        return self.asked >= self.after and not self.cleared


class _Socket:
    def __init__(self):
        self.sent: list[dict] = []

    def sendto(self, data, _path):
        self.sent.append(json.loads(data))


def test_a_cell_a_push_made_way_for_starts_no_burst():
    """The kernel was idle before that push: after the cell's reply the push goes on PUSH_AFTER_REPLY_SECONDS later,
    not BURST_IDLE_SECONDS (50 ms), as after a cell that came before the push started."""
    p = new_probe()
    p.push_socket, p.push_path = _Socket(), "/nowhere"
    # the first cell's push goes out (asked before the cell and before its frame), a message then waits
    p.shell_inbox = inbox = _Inbox(after=3)

    def sent() -> list[tuple[int, str]]:
        return [(d["execution_count"], "notice" if d.get("when_idle") else "push") for d in p.push_socket.sent]

    async def cells():
        run_cell(p, 1, "import pandas as pd\na = pd.DataFrame({'x': [1.0, None]})")
        run_cell(p, 2, "b = a.fillna(0.0)")  # back to back: a burst, pushed once idle 50 ms
        await asyncio.sleep(0.15)
        assert sent() == [(1, "notice"), (1, "push")] and p.pushes_made_way >= 1 and p.unpushed == [2]
        inbox.cleared = True
        run_cell(p, 3, "c = b.sum()")  # the message: a cell, which the push made way for
        assert not p._in_burst
        await asyncio.sleep(0.03)  # past PUSH_AFTER_REPLY_SECONDS, short of BURST_IDLE_SECONDS

    asyncio.run(cells())
    assert sent() == [(1, "notice"), (1, "push"), (2, "notice"), (2, "push"), (3, "push")]
    assert [f["nulls_after"] for f in p.push_socket.sent[3]["facts"] if f.get("variable") == "b"] == [0]
    assert p.errors == [] and p.unpushed == []
