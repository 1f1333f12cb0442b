"""A frame too big to copy that a next cell could write (numpy columns) is measured before that cell runs, but only
where user code can write it: its Arrow string columns' digests and its header are left for when the kernel is idle
(Measurement.measure_writable, fingerprints.UnfinishedFingerprint). The facts are those built right after each cell,
whatever the next cell writes: numpy memory under the frame, a string column through its `.array`, a cell via loc."""

from __future__ import annotations

import pytest

from trackit_sidecar.kernel.probe import arrow_hashing, deferral, fingerprints, measurements, objects

from .test_probe_deferred import built_after_each_cell, pushed_after_a_run_all

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

# 40,000 rows x 30 columns: sampled (fingerprints.SAMPLE_THRESHOLD_CELLS); its float
# column is the array `nums` (copy=False), which the next cell writes in place, with a NaN (the null count changes)
LEFT_CELLS = [
    "import numpy as np\nimport pandas as pd\n"
    "nums = np.arange(40_000, dtype=float)\nwords = pd.array(np.arange(40_000).astype(str), dtype='str')\n"
    "wide = pd.DataFrame({'n': nums, **{f's{i}': words for i in range(29)}}, copy=False)\n"
    "labelled = pd.DataFrame({'s': words, 'n': np.arange(40_000)}, index=pd.Index(np.arange(40_000) * 2))",
    "nums[:300] = -1.0\nnums[7] = np.nan\nwide['s0'].array[0] = 'z'\nwide.loc[5, 's1'] = 'y'\n"
    "labelled['s'].array[1] = 'w'\nlabelled.loc[0, 'n'] = -5",
    "x = 1",
]


def test_facts_with_strings_left_for_idle_are_the_facts_after_each_cell():
    after_all, p = pushed_after_a_run_all(LEFT_CELLS)
    assert p.strings_left_for_idle >= 3  # wide and labelled after cell 1, wide (named) after cell 2
    each = built_after_each_cell(LEFT_CELLS)
    assert after_all == each
    first = {f["variable"]: f for f in each[0]}
    assert first["wide"]["nulls_after"] == 0  # before cell 2's NaN


def test_facts_are_the_same_when_the_strings_are_over_the_deferred_bound(monkeypatch):
    monkeypatch.setattr(deferral, "DEFERRED_BYTES", 0)
    after_all, p = pushed_after_a_run_all(LEFT_CELLS)
    assert p.strings_left_for_idle == 0
    assert after_all == built_after_each_cell(LEFT_CELLS)


def _frames():
    words = pd.array(["a", None, "ccc", "dd"] * 10_000, dtype="str")
    numbers = np.arange(40_000)
    yield pd.DataFrame({"s": words, "n": numbers, **{f"t{i}": words for i in range(28)}})  # sampled
    yield pd.DataFrame({"s": words, "n": numbers.astype(float)}, index=pd.Index(numbers[::-1].copy()))
    yield pd.DataFrame({"s": words[:5], "o": ["x", None, "y", "z", "w"], "m": pd.array([1, None, 3, 4, 5])},
                       index=pd.Index(["a", "b", "c", "d", "e"], dtype="str"))
    yield pd.DataFrame({"n": numbers[:3]})  # nothing to leave: finished at once


@pytest.mark.parametrize("cached", [False, True], ids=["digests computed", "digests reused"])
def test_an_unfinished_fingerprint_is_the_fingerprint(cached):
    for frame in _frames():
        entry = measurements.Entry(frame, "DataFrame")
        arrow_hashing.STRING_COLUMN_DIGESTS.__init__()
        if cached:
            fingerprints.fingerprint(frame, "DataFrame", entry)
        unfinished = fingerprints.fingerprint_leaving_strings(frame, entry)
        arrow_hashing.STRING_COLUMN_DIGESTS.__init__()
        assert unfinished.finish() == fingerprints.fingerprint(frame, "DataFrame", entry)


def test_what_is_left_reads_nothing_user_code_can_write():
    """Measured from a snapshot, then the user's frame written in place through pandas' API, a column's `.array`
    and the array it was built over: the finished measurement is the frame's as it was."""
    nums = np.arange(40_000, dtype=float)
    words = pd.array(np.arange(40_000).astype(str), dtype="str")
    frame = pd.DataFrame({"n": nums, **{f"s{i}": words for i in range(29)}}, copy=False)
    as_it_was = frame.copy(deep=True)
    entry = measurements.Entry(frame, "DataFrame")
    measurement = measurements.Measurement(objects.snapshot(frame, "DataFrame"), from_snapshot=True)
    assert measurement.measure_writable(entry)  # something was left
    nums[:300] = np.nan
    frame["s0"].array[0] = "z"
    frame.loc[5, "s1"] = "y"
    arrow_hashing.STRING_COLUMN_DIGESTS.__init__()
    measurement.resolve(entry)
    assert measurement.error is None
    assert (measurement.nulls, measurement.fingerprint) == (
        0, fingerprints.fingerprint(as_it_was, "DataFrame", measurements.Entry(as_it_was, "DataFrame"))[0])
    assert measurement.fingerprint != fingerprints.fingerprint(frame, "DataFrame", entry)[0]
