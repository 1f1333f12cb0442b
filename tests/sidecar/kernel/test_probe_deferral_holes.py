"""Ways a later cell of a Run All changes a frame's data behind pandas' copy-on-write, so that a snapshot left for
idle time (Probe._defer, kern7) is measured with the later cell's values: each leaves a cell's facts saying what the
NEXT cell made. Before kern7 (522491a) these snapshots were measured before the next cell's code, and cell by cell
they still are (the push 5 ms after the reply); since kern9 only snapshots of memory no user code can write (Arrow
strings, see kept_memory.keep_key) are left for idle time, and only those are kept to stand for a frame named later."""

from __future__ import annotations

import pytest

from .in_process_probe import run_cells
from .test_facts_when_idle import _idle_after, _queued
from trackit_sidecar.kernel.probe import fingerprints, measurements, nulls
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

SETUP = "import numpy as np\nimport pandas as pd\nimport pyarrow as pa"

CASES = {
    # a writable array the frame was built over, held in a container rather than by a name of the namespace:
    # Probe._writable_elsewhere looks at top-level names only
    "array in a list": (
        "held = [np.array([[1.0, 2.0], [3.0, 4.0]])]\nframe = pd.DataFrame(held[0], copy=False)",
        "held[0][0, 0] = np.nan",
        "same = pd.DataFrame(np.array([[1.0, 2.0], [3.0, 4.0]]))"),
    # a column's ExtensionArray written in place: pandas 3.1 writes through to the frame and every shallow copy
    "column .array": (
        "frame = pd.DataFrame({'a': [1.0, 2.0, 3.0], 'b': [4.0, 5.0, 6.0]})",
        "col = frame['a'].array\ncol[0] = np.nan",
        "same = pd.DataFrame({'a': [1.0, 2.0, 3.0], 'b': [4.0, 5.0, 6.0]})"),
    # an Arrow column over a numpy buffer (pa.array of a float array is zero-copy): keep_key counts Arrow data as
    # immutable, and _writable_elsewhere looks only at numpy parts of a column
    "arrow over numpy": (
        "raw = np.array([1.0, 2.0, 3.0])\nframe = pd.DataFrame({'x': pd.arrays.ArrowExtensionArray(pa.array(raw))})",
        "raw[0] = np.nan",
        "same = pd.DataFrame({'x': pd.arrays.ArrowExtensionArray(pa.array(np.array([1.0, 2.0, 3.0])))})"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_run_alls_first_cell_has_the_values_it_left(live_kernel, case):
    first_cell, later_cell, reference_cell = CASES[case]
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(SETUP)
        _idle_after(live_kernel, 0.5)
        first, _later, reference = _queued(live_kernel.client, [first_cell, later_cell, reference_cell])
        mine = {f.variable: f for f in capture.fetch(first)}["frame"]
        same = {f.variable: f for f in capture.fetch(reference)}["same"]
    assert (mine.nulls_after, mine.fingerprint) == (same.nulls_after, same.fingerprint)


@pytest.mark.parametrize("case", list(CASES))
def test_cell_by_cell_the_first_cell_has_the_values_it_left(live_kernel, case):
    """The same cells one at a time: each cell's facts are measured before the next cell (the control: the tests
    above compare like with like)."""
    first_cell, later_cell, reference_cell = CASES[case]
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(SETUP)
        first = live_kernel.run(first_cell)["execution_count"]
        capture.fetch(first - 1)
        mine = {f.variable: f for f in capture.fetch(first)}["frame"]
        live_kernel.run(later_cell)
        reference = live_kernel.run(reference_cell)["execution_count"]
        same = {f.variable: f for f in capture.fetch(reference)}["same"]
    assert (mine.nulls_after, mine.fingerprint) == (same.nulls_after, same.fingerprint)


@pytest.mark.parametrize("case", list(CASES))
def test_a_frame_named_after_such_a_write_is_measured_again_not_read_from_its_kept_snapshot(case):
    """The same writes between two cells, the frame named in the cell after: a kept snapshot reading the same memory
    (holds_same_data) or a column digest kept by memory (KEPT_BLOCKS) stood for the data as it was before the write."""
    pytest.importorskip("pyarrow")
    first_cell, later_cell, reference_cell = CASES[case]
    p, namespace, facts = run_cells([SETUP, first_cell, later_cell, "frame.shape", reference_cell])
    assert p.errors == []
    named, written = facts[3]["frame"], facts[4]["same"]
    written_frame = namespace["frame"]
    fresh = fingerprints.fingerprint(written_frame, "DataFrame", measurements.Entry(written_frame, "DataFrame"))[0]
    assert (named["fingerprint"], named["nulls_after"]) == (fresh, nulls.count_nulls(written_frame, "DataFrame"))
    assert written["fingerprint"] != fresh  # the reference frame holds the values before the write
