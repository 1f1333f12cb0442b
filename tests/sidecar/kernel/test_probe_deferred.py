"""Cells run back to back on a kernel's event loop (a Run All: no idle moment between them) leave the measuring of what
no later cell can change (Arrow strings: kept_memory.keep_key) for when the loop is idle, and every cell's pushed facts are
those it has when each cell's facts are built right after it: the same JSON, for every way of writing a frame in
place, through another name, in a list held in a cell, through an array a frame was built over."""

from __future__ import annotations

import asyncio
import json
import os

import pytest

from trackit_sidecar.kernel import probe
from trackit_sidecar.kernel.probe import deferral, hooks, kept_memory, push_channel

from .in_process_probe import new_probe, run_cell
from .test_probe_kept_snapshots import CELLS, REUSE_CELLS, SHARED_CELLS

pd = pytest.importorskip("pandas")


class _Socket:
    def __init__(self):
        self.sent: list[dict] = []

    def sendto(self, data, _path):
        self.sent.append(json.loads(data))


def built_after_each_cell(cells) -> list[list[dict]]:
    p = new_probe()
    facts = []
    for count, source in enumerate(cells, 1):
        run_cell(p, count, source)
        facts.append(p.facts_for(count))
    assert p.errors == []
    return facts


def pushed_after_a_run_all(cells) -> tuple[list[list[dict]], hooks.Probe]:
    p = new_probe()
    p.push_socket, p.push_path = _Socket(), "/nowhere"

    async def run_all():
        for count, source in enumerate(cells, 1):  # nothing awaited between cells: the push timer cannot fire
            run_cell(p, count, source)
        # no facts yet; the first cell a next one overtook is announced as coming once the kernel is idle, with every
        # later one (one notice per burst, kern22: before, one per cell)
        assert p.push_socket.sent == [{"execution_count": 1, "pushed_by": os.getpid(), "when_idle": True,
                                       "onward": True}]
        # after a burst, 5 ms without a next cell is not idle yet (BURST_IDLE_SECONDS): a client sending each cell
        # once the last reply is in may take that long
        await asyncio.sleep(push_channel.PUSH_AFTER_REPLY_SECONDS * 2)
        assert [push for push in p.push_socket.sent if "facts" in push] == []
        await asyncio.sleep(push_channel.BURST_IDLE_SECONDS * 2)

    asyncio.run(run_all())
    assert p.errors == []
    pushed = {push["execution_count"]: push["facts"] for push in p.push_socket.sent if "facts" in push}
    assert sorted(pushed) == list(range(1, len(cells) + 1))  # each once, after the last cell
    return [pushed[count] for count in range(1, len(cells) + 1)], p


@pytest.mark.parametrize("cells, deferred", [(CELLS, True), (SHARED_CELLS, False), (REUSE_CELLS, False)],
                         ids=["writes", "shared arrays", "sampled"])
def test_facts_measured_when_idle_are_the_facts_measured_after_each_cell(cells, deferred):
    after_all, p = pushed_after_a_run_all(cells)
    assert after_all == built_after_each_cell(cells)
    assert (p.deferred > 0) is deferred  # only CELLS hold a frame of Arrow strings alone


def test_what_a_later_cell_could_change_is_measured_before_it_runs():
    """A frame of lists, a frame over a writable array and a frame of numbers pandas owns (its column's .array is
    writable) are measured at the next cell's start (kern16 to kern18 copied the two small ones then: private_copy), a
    frame of Arrow strings when idle."""
    _, p = pushed_after_a_run_all(["import numpy as np\nimport pandas as pd\n"
                                   "lists = pd.DataFrame({'l': [[1], None]})\narr = np.zeros((2, 2))\n"
                                   "over = pd.DataFrame(arr, copy=False)\n"
                                   "owned = pd.DataFrame({'x': pd.array(['a', None], dtype='str')})",
                                   "lists.loc[0, 'l'].append(2)\narr[0, 0] = 1.0\nnumbers = pd.DataFrame({'x': [1.0]})",
                                   "x = 1"])
    # lists after cell 1 and again after cell 2 (named there: measured anew), over after cell 1 and numbers after
    # cell 2; owned waited
    assert (p.measured_before_next_cell, p.deferred) == (4, 1)


def test_deferred_snapshots_stay_within_their_bytes(monkeypatch):
    one = sum(kept_memory.held_buffers(pd.DataFrame({"x": pd.array(["a", None], dtype="str")})).values())
    monkeypatch.setattr(deferral, "DEFERRED_BYTES", int(one * 2.5))  # room for two of those frames, not three
    after_all, p = pushed_after_a_run_all(["import pandas as pd\n"
                                           "a = pd.DataFrame({'x': pd.array(['a', None], dtype='str')})",
                                           "b = pd.DataFrame({'x': pd.array(['b', None], dtype='str')})",
                                           "c = pd.DataFrame({'x': pd.array(['c', None], dtype='str')})", "y = 1"])
    assert (p.deferred, p.measured_before_next_cell) == (2, 1)
    assert [[f["nulls_after"] for f in cell] for cell in after_all] == [[1], [1], [1], []]


def test_a_push_announced_as_coming_when_idle_still_comes_when_another_client_asks_first(monkeypatch):
    """The sidecar waits up to a minute for a push announced in a Run All; a fetch by another client of the kernel
    (the usage runner's, a second tool's) must not take that push away from it."""
    p = new_probe()
    p.push_socket, p.push_path = _Socket(), "/nowhere"
    monkeypatch.setattr(probe, "_probe", p)

    async def run_all_then_fetch():
        run_cell(p, 1, "import pandas as pd\na = pd.DataFrame({'x': [1.0, None]})")
        run_cell(p, 2, "y = 1")  # overtakes cell 1: its push is announced as coming when idle
        fetched = json.loads(probe.facts_json(1))  # another client asks before the kernel was idle
        await asyncio.sleep(push_channel.BURST_IDLE_SECONDS * 2)
        return fetched

    fetched = asyncio.run(run_all_then_fetch())
    pushed = {push["execution_count"]: push["facts"] for push in p.push_socket.sent if "facts" in push}
    assert sorted(pushed) == [1, 2]
    assert pushed[1] == fetched["facts"] and [f["nulls_after"] for f in pushed[1]] == [1]


# frames whose every layout user code can write behind pandas (arrays passed with copy=False): each is measured before
# the next cell, which writes each array
PRIVATE_CELLS = [
    "import numpy as np\nimport pandas as pd\n"
    "data = np.array([1, 2, 3])\nmask = np.array([False, True, False])\n"
    "masked = pd.DataFrame({'n': pd.arrays.IntegerArray(data, mask)}, copy=False)\n"
    "labels = np.array([10, 20, 30])\n"
    "indexed = pd.DataFrame({'x': [1.0, 2.0, 3.0]}, index=pd.Index(labels, copy=False))\n"
    "stamps = np.array([0, 1, 2], dtype='M8[ns]')\ntimed = pd.Series(stamps, copy=False)\n"
    "grid = np.array([[1.0, np.nan], [3.0, 4.0]])\nover = pd.DataFrame(grid, copy=False)",
    "data[0] = 7\nmask[1] = False\nlabels[0] = 11\nstamps[2] = np.datetime64(5, 'ns')\ngrid[0, 1] = 2.0",
    "x = 1",
]


def test_a_frame_user_code_can_write_is_measured_as_the_cell_left_it():
    after_all, p = pushed_after_a_run_all(PRIVATE_CELLS)
    assert p.measured_before_next_cell == 4 and p.deferred == 0
    each = built_after_each_cell(PRIVATE_CELLS)
    assert after_all == each
    first = {f["variable"]: f for f in each[0]}
    assert (first["masked"]["nulls_after"], first["over"]["nulls_after"]) == (1, 1)  # before the writes
