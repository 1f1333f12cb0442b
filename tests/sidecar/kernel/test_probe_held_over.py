"""A Run All's snapshot of memory user code can write (numpy blocks) waits, unmeasured, past the next cells whose code
cannot write it, judged from each cell's code before it runs (Deferral._may_wait, kern23), and is measured before the
first cell that could, or once the kernel is idle: the facts are those measured after each cell all the same."""

from __future__ import annotations

import pytest

from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .in_process_probe import new_probe, run_cell
from .test_facts_when_idle import _idle_after, _queued
from .test_probe_deferred import built_after_each_cell, pushed_after_a_run_all

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

SETUP = "import numpy as np\nimport pandas as pd\nimport pyarrow as pa"

# cells that cannot write a frame's memory behind pandas (each frame written here is named: through pandas' API); the
# frame holds READ_CODE_MIN_VALUES values (a smaller one is measured at once: cheaper than judging a cell's code)
READING_CELLS = [
    "import numpy as np\nimport pandas as pd\nframe = pd.DataFrame({'a': np.arange(6000.0), 'b': np.arange(6000)})\n"
    "frame.loc[1, 'a'] = np.nan",
    "y = 1",
    "frame['a'].sum()",
    "other = frame.dropna()",
    "frame.loc[0, 'a'] = -1.0",
    "z = y + 1",
]


def test_a_snapshot_waits_past_cells_that_cannot_write_it_with_the_same_facts():
    after_all, p = pushed_after_a_run_all(READING_CELLS)
    assert after_all == built_after_each_cell(READING_CELLS)
    # frame after cell 1 waited past cells 2-4 (cell 5 writes it under its name: measured before it), and so did
    # other's and frame's later snapshots past the cells after theirs
    assert p.held_over_count >= 3
    assert p.measured_before_next_cell <= 1


def test_a_cell_that_writes_the_frame_under_its_name_has_it_measured_first():
    """Not waited for past a write through pandas' API: the write would copy the memory the snapshot shares."""
    p = new_probe()
    p.push_socket, p.push_path = type("S", (), {"sendto": lambda *a: None})(), "/nowhere"
    import asyncio

    async def run_all():
        run_cell(p, 1, READING_CELLS[0])
        run_cell(p, 2, "frame.loc[0, 'a'] = -1.0")

    asyncio.run(run_all())
    assert (p.held_over_count, p.measured_before_next_cell) == (0, 1)


# cells that write a frame's memory behind pandas' copy-on-write, none naming the frame, each queued after a cell that
# cannot (so the snapshot waits past that one first): (cell making `frame`, the writing cell, a frame of the values the
# first cell left)
CASES = {
    # a column's ExtensionArray written in place: pandas 3.1 writes through to the frame and every shallow copy
    "column .array": (
        "frame = pd.DataFrame({'a': np.arange(10000.0), 'b': np.arange(10000.0)})",
        "col = frame['a'].array\ncol[0] = np.nan",
        "same = pd.DataFrame({'a': np.arange(10000.0), 'b': np.arange(10000.0)})"),
    # an Arrow column over a numpy buffer (a chunked array of a float array is zero-copy, and nothing in the code reads
    # as handing out memory: read_only.hands_out_memory), written through the array's name
    "arrow over numpy": (
        "raw = np.arange(10000.0)\nframe = pd.DataFrame({'x': pd.arrays.ArrowExtensionArray(pa.chunked_array([raw]))})",
        "raw[0] = np.nan",
        "same = pd.DataFrame({'x': pd.arrays.ArrowExtensionArray(pa.chunked_array([np.arange(10000.0)]))})"),
    # the same, through a name the writing cell binds first: what the name held before the cell (a number) says nothing
    "through a name bound in the cell": (
        "held = [np.arange(10000.0)]\na = 1\n"
        "frame = pd.DataFrame({'x': pd.arrays.ArrowExtensionArray(pa.chunked_array([held[0]]))})",
        "a = held[0]\na[0] = np.nan",
        "same = pd.DataFrame({'x': pd.arrays.ArrowExtensionArray(pa.chunked_array([np.arange(10000.0)]))})"),
    # through an assignment expression, which changes what it binds through no name
    "through an assignment expression": (
        "held = [np.arange(10000.0)]\n"
        "frame = pd.DataFrame({'x': pd.arrays.ArrowExtensionArray(pa.chunked_array([held[0]]))})",
        "(a := held[0]).fill(np.nan)",
        "same = pd.DataFrame({'x': pd.arrays.ArrowExtensionArray(pa.chunked_array([np.arange(10000.0)]))})"),
    # through a comprehension's own name, which the namespace does not hold before the cell
    "through a comprehension's name": (
        "held = [np.arange(10000.0)]\n"
        "frame = pd.DataFrame({'x': pd.arrays.ArrowExtensionArray(pa.chunked_array([held[0]]))})",
        "[h.fill(np.nan) for h in held]",
        "same = pd.DataFrame({'x': pd.arrays.ArrowExtensionArray(pa.chunked_array([np.arange(10000.0)]))})"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_run_alls_snapshot_that_waited_is_measured_before_a_cell_that_writes_it(live_kernel, case):
    first_cell, writing_cell, reference_cell = CASES[case]
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(SETUP)
        _idle_after(live_kernel, 0.5)
        first, waited, _writing, reference = _queued(live_kernel.client,
                                                     [first_cell, "y = 1", writing_cell, reference_cell])
        mine = {f.variable: f for f in capture.fetch(first)}["frame"]
        same = {f.variable: f for f in capture.fetch(reference)}["same"]
        stats = capture.stats()
    assert stats["held_over"] >= 1  # it did wait past "y = 1"
    assert (mine.nulls_after, mine.fingerprint) == (same.nulls_after, same.fingerprint)


def test_what_still_waits_when_the_pushes_are_dropped_is_measured_before_a_later_cell_can_write_it(monkeypatch):
    """A socket that never has room: the pushes are dropped (the sidecar asks later), and a snapshot that waited is
    measured then, while the kernel is idle: a later cell, run on its own (no burst, nothing judged), writes the
    frame's memory through a column's `.array`, and the first cell's facts are still those it left."""
    import asyncio
    import errno

    from trackit_sidecar.kernel.probe import push_channel

    monkeypatch.setattr(push_channel, "PUSH_RETRIES", 3)

    class Full:
        def sendto(self, *_args):
            raise OSError(errno.EAGAIN, "no room")

    p = new_probe()
    p.push_socket, p.push_path = Full(), "/nowhere"
    cells = [READING_CELLS[0], "y = 1"]

    async def run_all_then_idle():
        for count, source in enumerate(cells, 1):
            run_cell(p, count, source)
        assert p.held_over_count == 1
        await asyncio.sleep(push_channel.BURST_IDLE_SECONDS * 2 + push_channel.PUSH_RETRY_SECONDS * 10)

    asyncio.run(run_all_then_idle())
    assert p.unpushed == [] and p.held_over == []
    run_cell(p, 3, "col = frame['a'].array\ncol[0] = np.nan")
    first = {f["variable"]: f for f in p.facts_for(1)}["frame"]
    assert first["nulls_after"] == 1  # the NaN cell 1 left, not cell 3's second one
