"""A push that already started measuring a cell stops inside it for a client's message (idle_measuring): what user
code can write is measured first, then each Arrow string column's digest with a check between them; the message's cell
code runs before the digests left are computed, and those are computed by the next idle push, with the same facts as a
push nothing cut short. Before kern32 a push stopped only between cells (kern31), so a next cell waited for the whole
cell being measured (up to ~13 ms at pandas-06's read_csv cell)."""

from __future__ import annotations

import asyncio
import json
import os
import socket

from trackit_sidecar.kernel import probe, probe_expressions, silent_requests
from trackit_sidecar.kernel.probe import deferral
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import LiveKernel
from .in_process_probe import new_probe, run_cell
from .test_facts_when_idle import _idle_after, _queued
from .test_push_makes_way import _facts, _pushed, _receive

COLUMNS, ROWS = 40, 2000
# each Arrow string column's digest made this much slower, holding the GIL as hashing does: the cell's push then
# takes ~1 s, so a request sent when the push before it is in comes while this cell is measured, however loaded the
# machine (the same wrapper in both kernels: it changes no digest)
SLOW_DIGEST_SECONDS = 0.025
SETUP = f"""import sys, time
import numpy as np, pandas as pd
_fingerprints = sys.modules[{probe.MODULE_NAME + '.fingerprints'!r}]
def _slow(*args, _digest=_fingerprints._string_column_digest):
    started = time.perf_counter()
    while time.perf_counter() - started < {SLOW_DIGEST_SECONDS}:
        pass
    return _digest(*args)
_fingerprints._string_column_digest = _slow
def _digests_left(count):
    '''How many string columns' digests of cell `count` are still to compute (0 once its facts are built).'''
    changes = sys.modules[{probe.MODULE_NAME!r}]._probe.pending.get(count, ([],))[0]
    return sum(entry.m.pending.left for change in changes for entry in change[1:3]
               if entry is not None and entry.m is not None and type(entry.m.pending).__name__ == 'UnfinishedFingerprint')
"""
# a Run All of a small frame and one of many string columns and a numpy column over `arr`'s memory (no copy)
RUN_ALL = ["small = pd.DataFrame({'x': [1.0, None]})",
           f"arr = np.zeros({ROWS})\n"
           f"big = pd.DataFrame({{**{{f'c{{k}}': pd.array([None] + [f'{{k}}-{{j}}' for j in range({ROWS - 1})], "
           f"dtype='str') for k in range({COLUMNS})}}, 'n': arr}}, copy=False)"]
# the next cell: how much of the big frame's push is left when its code starts, then a write to that frame's numpy
# column that pandas does not see (its facts must still be the frame's before this cell)
NEXT = "left = _digests_left({count})\narr[:] = 1.0"


def _run(kernel: LiveKernel, path: str, hurried: bool) -> tuple[list[int], list[dict], int, dict]:
    """The Run All; then NEXT, sent the moment the small frame's push is in (hurried: while the big frame's push is
    measuring) or once every push is in. (counts, datagrams in order, digests left when NEXT started, stats)."""
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(path)
    try:
        with RuntimeCapture(kernel.connection_file) as capture:
            assert capture.install()
            ran = kernel.run(SETUP)
            assert ran["status"] == "ok", ran["reply"]
            _idle_after(kernel, 0.3)  # the Run All's second cell comes before the first one's push, however loaded
            silent_requests.silent_expression(
                kernel.client, f"__import__('sys').modules[{probe.MODULE_NAME!r}].push_to({path!r})", 10)
            counts = _queued(kernel.client, RUN_ALL)
            got = _receive(receiver, lambda got: len(_pushed(got, counts)) == (1 if hurried else 2))
            ran = kernel.run(NEXT.format(count=counts[1]))
            assert ran["status"] == "ok", ran["reply"]
            counts.append(ran["execution_count"])
            got += _receive(receiver, lambda more: len(_pushed(got + more, counts)) == len(counts))
            left = silent_requests.silent_expression(kernel.client, "left", 10)
            stats = json.loads(silent_requests.silent_expression(kernel.client, probe_expressions.stats_expression(),
                                                                 10))
    finally:
        receiver.close()
        os.unlink(path)
    return counts, got, left, stats


def test_a_next_cell_that_comes_mid_cell_runs_before_the_string_columns_left_are_measured(tmp_path):
    hurried = LiveKernel(tmp_path)
    try:
        counts, got, left, stats = _run(hurried, str(tmp_path / "hurried.sock"), hurried=True)
    finally:
        hurried.close()
    unhurried = LiveKernel(tmp_path)
    try:
        same_counts, unhurried_got, unhurried_left, _ = _run(unhurried, str(tmp_path / "calm.sock"), hurried=False)
    finally:
        unhurried.close()
    # the next cell's code ran while string columns of the big frame were still to measure (before kern32: none, the
    # push measured the whole cell first)
    assert 0 < left <= COLUMNS and unhurried_left == 0, (left, unhurried_left)
    assert stats["pushes_made_way"] >= 1 and stats["errors"] == [], \
        json.dumps({k: v for k, v in stats.items() if "ms" not in k})
    # oldest first, the big frame's after the notice the next cell sent for it
    assert _pushed(got, counts) == counts
    notices = [(at, d["execution_count"]) for at, d in enumerate(got) if d.get("when_idle")]
    pushes_at = {d["execution_count"]: at for at, d in enumerate(got) if "facts" in d}
    assert any(count == counts[1] and at < pushes_at[counts[1]] for at, count in notices), got
    # the same facts as a push nothing cut short: the big frame as it was before the next cell wrote its numpy column
    assert same_counts == counts
    assert _facts(got, counts) == _facts(unhurried_got, counts)
    big = [f for f in _facts(got, counts)[counts[1]] if f.get("variable") == "big"]
    assert [(f["rows_after"], f["cols_after"], f["nulls_after"]) for f in big] == [(ROWS, COLUMNS + 1, COLUMNS)]


class _Inbox:
    """Answers `waiting` from a list, then `then` (a message waits from a given question on)."""

    def __init__(self, answers: list[bool], then: bool):
        self.answers, self.then = list(answers), then

    def waiting(self) -> bool:
        return self.answers.pop(0) if self.answers else self.then


class _Socket:
    def __init__(self):
        self.sent: list[dict] = []

    def sendto(self, data, _path):
        self.sent.append(json.loads(data))


STRINGS = "pd.DataFrame({{**{{f'c{{k}}': pd.array(['{cell}'] * 2000 + [None], dtype='str') for k in range(6)}}, " \
          "'n': np.arange(2001.0)}})"


def test_a_push_stops_between_string_columns_and_goes_on_with_the_same_facts(monkeypatch):
    """In-process, with an inbox whose answers are set: asked before the cell (no), before its frame's writable part
    (no), before each string column's digest (no, no, then yes). The push stops with 4 of 6 digests left, held as a
    next cell's leftovers; once the message is gone the push goes on. Then with no room for leftovers
    (DEFERRED_BYTES) a cell is measured through, its message or not."""
    p = new_probe()
    p.push_socket, p.push_path = _Socket(), "/nowhere"
    p.shell_inbox = _Inbox([False, False, False, False], then=True)
    calm = new_probe()
    first = "import pandas as pd, numpy as np\na = " + STRINGS.format(cell="a")
    second = "b = " + STRINGS.format(cell="b")

    def left(count: int) -> int:
        return sum(entry.m.pending.left for change in p.pending[count][0] for entry in change[1:3]
                   if entry is not None and entry.m is not None and entry.m.pending is not None)

    async def cells():
        run_cell(p, 1, first)
        await asyncio.sleep(0.03)  # the push's timer fired (PUSH_AFTER_REPLY_SECONDS), stopped mid-cell
        assert (p.unpushed, p.push_socket.sent) == ([1], [])
        assert left(1) == 4 and p.deferred_bytes > 0 and p.pushes_cut_mid_cell == 1
        p.shell_inbox = _Inbox([], then=False)  # the message was handled
        await asyncio.sleep(0.03)
        assert p.unpushed == [] and [d["execution_count"] for d in p.push_socket.sent] == [1]
        monkeypatch.setattr(deferral, "DEFERRED_BYTES", 0)
        p.shell_inbox = _Inbox([False, False], then=True)
        run_cell(p, 2, second)
        await asyncio.sleep(0.03)

    asyncio.run(cells())
    assert p.pushes_cut_mid_cell == 1 and p.unpushed == [] and p.errors == []
    assert [d["execution_count"] for d in p.push_socket.sent] == [1, 2]
    run_cell(calm, 1, first)
    run_cell(calm, 2, second)
    assert [d["facts"] for d in p.push_socket.sent] == [calm.facts_for(1), calm.facts_for(2)]
