"""Cells run back to back on a kernel's event loop (a Run All: no idle moment between them) leave the measuring of what
no later cell can change for when the loop is idle, and every cell's pushed facts are those it has when each cell's
facts are built right after it: the same JSON, for every way of writing a frame in place, through another name, in a
list held in a cell, through an array a frame was built over."""

from __future__ import annotations

import asyncio
import json
import os
import types

import pytest

from trackit_sidecar.kernel import probe

from .test_probe_kept_snapshots import CELLS, REUSE_CELLS, SHARED_CELLS, _Events

pd = pytest.importorskip("pandas")


class _Socket:
    def __init__(self):
        self.sent: list[dict] = []

    def sendto(self, data, _path):
        self.sent.append(json.loads(data))


def _cell(p, shell, count: int, source: str) -> None:
    p.pre_run_cell(types.SimpleNamespace(raw_cell=source, transformed_cell=source))
    exec(source, shell.user_ns)
    p.post_run_cell(types.SimpleNamespace(execution_count=count, result=None))


def built_after_each_cell(cells) -> list[list[dict]]:
    shell = types.SimpleNamespace(user_ns={}, events=_Events(), execution_count=1)
    p = probe.Probe(shell)
    facts = []
    for count, source in enumerate(cells, 1):
        _cell(p, shell, count, source)
        facts.append(p.facts_for(count))
    assert p.errors == []
    return facts


def pushed_after_a_run_all(cells) -> tuple[list[list[dict]], probe.Probe]:
    shell = types.SimpleNamespace(user_ns={}, events=_Events(), execution_count=1)
    p = probe.Probe(shell)
    p.push_socket, p.push_path = _Socket(), "/nowhere"

    async def run_all():
        for count, source in enumerate(cells, 1):  # nothing awaited between cells: the push timer cannot fire
            _cell(p, shell, count, source)
        # no facts yet; each cell a next one overtook is announced as coming once the kernel is idle
        assert p.push_socket.sent == [{"execution_count": count, "pushed_by": os.getpid(), "when_idle": True}
                                      for count in range(1, len(cells))]
        # after a burst, 5 ms without a next cell is not idle yet (BURST_IDLE_SECONDS): a client sending each cell
        # once the last reply is in may take that long
        await asyncio.sleep(probe.PUSH_AFTER_REPLY_SECONDS * 2)
        assert [push for push in p.push_socket.sent if "facts" in push] == []
        await asyncio.sleep(probe.BURST_IDLE_SECONDS * 2)

    asyncio.run(run_all())
    assert p.errors == []
    pushed = {push["execution_count"]: push["facts"] for push in p.push_socket.sent if "facts" in push}
    assert sorted(pushed) == list(range(1, len(cells) + 1))  # each once, after the last cell
    return [pushed[count] for count in range(1, len(cells) + 1)], p


@pytest.mark.parametrize("cells", [CELLS, SHARED_CELLS, REUSE_CELLS], ids=["writes", "shared arrays", "sampled"])
def test_facts_measured_when_idle_are_the_facts_measured_after_each_cell(cells):
    after_all, p = pushed_after_a_run_all(cells)
    assert after_all == built_after_each_cell(cells)
    assert p.deferred > 0


def test_what_a_later_cell_could_change_is_measured_before_it_runs():
    """A frame of lists and a frame over a writable array are measured at the next cell's start; copy-on-write
    frames are not."""
    _, p = pushed_after_a_run_all(["import numpy as np\nimport pandas as pd\n"
                                   "lists = pd.DataFrame({'l': [[1], None]})\narr = np.zeros((2, 2))\n"
                                   "over = pd.DataFrame(arr, copy=False)\nowned = pd.DataFrame({'x': [1.0, None]})",
                                   "lists.loc[0, 'l'].append(2)\narr[0, 0] = 1.0", "x = 1"])
    # lists and over after cell 1, lists again after cell 2 (named there: measured anew); owned waited
    assert (p.measured_before_next_cell, p.deferred) == (3, 1)


def test_deferred_snapshots_stay_within_their_bytes(monkeypatch):
    monkeypatch.setattr(probe, "DEFERRED_BYTES", 40)  # room for two 2-row float frames (16 bytes each), not three
    after_all, p = pushed_after_a_run_all(["import pandas as pd\na = pd.DataFrame({'x': [1.0, None]})",
                                           "b = pd.DataFrame({'x': [2.0, None]})",
                                           "c = pd.DataFrame({'x': [3.0, None]})", "y = 1"])
    assert (p.deferred, p.measured_before_next_cell) == (2, 1)
    assert [[f["nulls_after"] for f in cell] for cell in after_all] == [[1], [1], [1], []]


def test_a_push_announced_as_coming_when_idle_still_comes_when_another_client_asks_first(monkeypatch):
    """The sidecar waits up to a minute for a push announced in a Run All; a fetch by another client of the kernel
    (the usage runner's, a second tool's) must not take that push away from it."""
    shell = types.SimpleNamespace(user_ns={}, events=_Events(), execution_count=1)
    p = probe.Probe(shell)
    p.push_socket, p.push_path = _Socket(), "/nowhere"
    monkeypatch.setattr(probe, "_probe", p)

    async def run_all_then_fetch():
        _cell(p, shell, 1, "import pandas as pd\na = pd.DataFrame({'x': [1.0, None]})")
        _cell(p, shell, 2, "y = 1")  # overtakes cell 1: its push is announced as coming when idle
        fetched = json.loads(probe.facts_json(1))  # another client asks before the kernel was idle
        await asyncio.sleep(probe.BURST_IDLE_SECONDS * 2)
        return fetched

    fetched = asyncio.run(run_all_then_fetch())
    pushed = {push["execution_count"]: push["facts"] for push in p.push_socket.sent if "facts" in push}
    assert sorted(pushed) == [1, 2]
    assert pushed[1] == fetched["facts"] and [f["nulls_after"] for f in pushed[1]] == [1]


STRING_CELLS = [
    "import pandas as pd\ndf = pd.DataFrame({'o': pd.Series(['a', None, 'c'] * 1000, dtype=object), "
    "'p': pd.Series(['x', 'y', 'z'] * 1000, dtype=object), 'f': [1.0, None, 3.0] * 1000})",
    "df['g'] = 1.0",
    "df['h'] = df['f'] * 2",
    "df.at[0, 'o'] = ['l']",  # pandas copies the object block first: new memory, checked anew (not strings)
    "df.at[0, 'o'].append('m')",  # a list in a cell changed without a write to the frame
    "x = 1",
]


def test_a_run_all_checks_an_object_array_for_strings_once_while_a_waiting_snapshot_holds_it(monkeypatch):
    checked = []
    real = pd._libs.lib.is_string_array
    monkeypatch.setattr(pd._libs.lib, "is_string_array",
                        lambda values, skipna=False: checked.append(len(values)) or real(values, skipna=skipna))
    after_all, p = pushed_after_a_run_all(STRING_CELLS)
    run_all_checks = list(checked)
    assert after_all == built_after_each_cell(STRING_CELLS)
    # the object block (o and p, 6000 values) once, when df is left for idle time after cell 1; after cells 4 and 5
    # the two one-column blocks pandas split it into (o holds a list: measured before the next cell, each time).
    # Before waiting snapshots' string arrays were remembered, cells 2 and 3 checked the 6000 again.
    assert run_all_checks == [6000, 3000, 3000, 3000, 3000]
    assert (p.deferred, p.measured_before_next_cell) == (3, 2)
    assert p.deferred_strings == {}  # let go once every waiting cell was pushed
