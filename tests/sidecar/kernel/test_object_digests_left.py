"""In a Run All, a frame measured before the next cell (Deferral._defer: numpy or object memory user code can write)
leaves the digest of an object column of immutable objects (strings and gaps, or immutable scalars) for when the
kernel is idle (object_strings.ObjectStringColumns.leave, PROBE_VERSION 20): it is computed then from the probe's own
copy of the column, which lists the objects the column held when the cell ended. Whatever the next cell writes into
the column (pandas' API, the column's `.array`, `.values` made writable, the array the frame was built over), the
first cell's facts are the values it left: those of the same frame made afresh in a later cell."""

from __future__ import annotations

import pytest

from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .test_facts_when_idle import _idle_after, _queued, _stats

SETUP = "import numpy as np\nimport pandas as pd"
ROWS = 6000  # over ObjectStringColumns.MIN_ROWS: its objects are kept, so its digest can be left
STRINGS = f"pd.Series(['a', None, 'bb', 'ccc'] * {ROWS // 4}, dtype=object)"
MIXED = f"pd.Series([1, 'bb', None, 2.5] * {ROWS // 4}, dtype=object)"

# (the frame, a next cell writing its object column in place with the same null count: only the digest says it,
# the same frame made afresh)
CASES = {
    "pandas API": (f"frame = pd.DataFrame({{'s': {STRINGS}, 'n': np.arange({ROWS})}})",
                   "frame.loc[0, 's'] = 'zz'",
                   f"same = pd.DataFrame({{'s': {STRINGS}, 'n': np.arange({ROWS})}})"),
    "column .array": (f"frame = pd.DataFrame({{'s': {STRINGS}, 'n': np.arange({ROWS})}})",
                      "col = frame['s'].array\ncol[2] = 'zz'\ncol[0] = 'yy'",
                      f"same = pd.DataFrame({{'s': {STRINGS}, 'n': np.arange({ROWS})}})"),
    ".values made writable": (f"frame = pd.DataFrame({{'s': {STRINGS}}})",
                              "v = frame.values\nv.flags.writeable = True\nv[0, 0] = 'zz'\ndel v",
                              f"same = pd.DataFrame({{'s': {STRINGS}}})"),
    "array the frame was built over": (
        f"held = [np.array(['a', None, 'bb', 'ccc'] * {ROWS // 4}, dtype=object).reshape(-1, 1)]\n"
        "frame = pd.DataFrame(held[0], columns=['s'], dtype=object, copy=False)",
        "held[0][2, 0] = 'zz'",
        f"same = pd.DataFrame({{'s': {STRINGS}}})"),
    "mixed scalars, column .array": (f"frame = pd.DataFrame({{'s': {MIXED}, 'n': np.arange({ROWS})}})",
                                     "col = frame['s'].array\ncol[3] = 2.75",
                                     f"same = pd.DataFrame({{'s': {MIXED}, 'n': np.arange({ROWS})}})"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_run_alls_object_column_digest_left_for_idle_time_is_of_the_values_the_cell_left(live_kernel, case):
    first_cell, later_cell, reference_cell = CASES[case]
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(SETUP)
        _idle_after(live_kernel, 0.5)
        first, later, reference = _queued(live_kernel.client, [first_cell, later_cell, reference_cell])
        mine = {f.variable: f for f in capture.fetch(first)}["frame"]
        written = {f.variable: f for f in capture.fetch(later)}.get("frame")
        same = {f.variable: f for f in capture.fetch(reference)}["same"]
        stats = _stats(live_kernel)
    assert stats["errors"] == []
    # the frame was measured before the next cell with its object column's digest left (before PROBE_VERSION 20:
    # nothing left, 0)
    assert stats["strings_left_for_idle"] >= 1
    assert (mine.nulls_after, mine.fingerprint) == (same.nulls_after, same.fingerprint)
    if written is not None:  # the write is seen where the cell names the frame
        assert written.fingerprint != same.fingerprint
