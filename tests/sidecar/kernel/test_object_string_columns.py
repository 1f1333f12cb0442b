"""An object column of strings (pandas' object dtype: made with `dtype=object`, or a CSV column pandas did not make
`str`) is not
read again while it holds the same objects (object_strings.ObjectStringColumns): its null count and its digest follow from
which objects it holds, and those are compared by their addresses against a copy that keeps them alive. Every way of
writing the column changes them, and the column is read again (real ipykernel through RuntimeCapture, and the probe's
hooks in-process for the writes outside pandas' API)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from trackit_sidecar.kernel import probe, silent_requests
from trackit_sidecar.kernel.probe import fingerprints, measurements, nulls, object_strings
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import facts_by_variable
from .in_process_probe import run_cells

ROWS = 6000  # over ObjectStringColumns.MIN_ROWS
# counting an object column's missing values (ObjectStringColumns._missing: by its pointers, or pd.isna over its
# objects) is what reading the column's null count costs; counted in the kernel
SETUP = f"""
import sys as _sys
import numpy as np
import pandas as pd
_columns = _sys.modules[{probe.MODULE_NAME!r} + ".object_strings"].OBJECT_STRING_COLUMNS
_null_reads = []
_real_missing = _columns._missing
def _counting_missing(values):
    _null_reads.append(len(values))
    return _real_missing(values)
_columns._missing = _counting_missing
"""
FRAME = f"""rng = np.random.default_rng(3)
frame = pd.DataFrame({{"s": pd.Series(rng.choice(["x", "yy", None], {ROWS}), dtype=object),
                       "t": pd.Series(rng.choice(["p", "q"], {ROWS}), dtype=object),
                       "n": rng.integers(0, 9, {ROWS})}})"""


def _reads(live_kernel) -> int:
    return int(silent_requests.silent_expression(live_kernel.client, "len(_null_reads)", 10))


def test_an_object_string_column_only_read_is_not_read_again_and_a_write_through_its_array_is_seen(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(SETUP)
        made = facts_by_variable(capture, live_kernel.run(FRAME))["frame"]
        assert _reads(live_kernel) == 2  # "s" and "t", once each

        only_read = facts_by_variable(capture, live_kernel.run('longest = frame["s"].str.len().max()'))["frame"]
        # Before this change both object columns were read again here (4).
        assert _reads(live_kernel) == 2
        assert (only_read.changed, only_read.fingerprint, only_read.nulls_after) == \
            (False, made.fingerprint, made.nulls_after)

        # outside pandas' API: pandas 3 hands out the column's own memory, and nothing makes a copy
        written = facts_by_variable(capture, live_kernel.run(
            'row = int((frame["s"].to_numpy() != None).argmax())\ncolumn = frame["s"].array\ncolumn[row] = None'))
        written = written["frame"]
        assert _reads(live_kernel) == 3  # the written column: read again; "t" still holds the same objects
        assert written.changed is True and written.fingerprint != made.fingerprint
        assert written.nulls_after == made.nulls_after + 1

        # the same values in new objects (read anew) have the facts the reused count and digest gave
        copied = facts_by_variable(capture, live_kernel.run(
            'copied = frame.copy()\nfor c in ("s", "t"):\n'
            '    copied[c] = pd.Series([None if v is None else "".join(v) for v in frame[c]], dtype=object)'))["copied"]
        assert _reads(live_kernel) == 5
        assert (copied.fingerprint, copied.nulls_after) == (written.fingerprint, written.nulls_after)


MIXED_FRAME = f"""rng = np.random.default_rng(5)
mixed = pd.DataFrame({{"m": pd.Series(rng.choice(np.array([1, 2.5, "a", None, float("nan"), True], dtype=object),
                                                   {ROWS}), dtype=object),
                       "n": rng.integers(0, 9, {ROWS})}})"""


def test_an_object_column_of_numbers_text_and_gaps_only_read_is_not_read_again_and_a_write_through_its_array_is_seen(
        live_kernel):
    """A column of immutable scalars of several types (a CSV column pandas left as objects) is reused as a column of
    strings is; before, every cell that named the frame counted its missing values again."""
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(SETUP)
        made = facts_by_variable(capture, live_kernel.run(MIXED_FRAME))["mixed"]
        assert _reads(live_kernel) == 1

        only_read = facts_by_variable(capture, live_kernel.run('kinds = mixed["m"].map(type).value_counts()'))["mixed"]
        assert _reads(live_kernel) == 1  # before this change: 2
        assert (only_read.changed, only_read.fingerprint, only_read.nulls_after) == \
            (False, made.fingerprint, made.nulls_after)

        # outside pandas' API, an int for another int: the same null count, other values
        written = facts_by_variable(capture, live_kernel.run(
            'row = int(mixed["m"].map(lambda v: type(v) is int).to_numpy().argmax())\n'
            'column = mixed["m"].array\ncolumn[row] = 7'))["mixed"]
        assert _reads(live_kernel) == 2
        assert written.changed is True and written.fingerprint != made.fingerprint
        assert written.nulls_after == made.nulls_after

        # the same values in new objects (read anew) have the facts the reused count and digest gave
        copied = facts_by_variable(capture, live_kernel.run(
            'copied = mixed.copy()\n'
            'copied["m"] = pd.Series([v if v is None else type(v)(str(v)) if type(v) is not bool else bool(v)'
            ' for v in mixed["m"]], dtype=object)'))["copied"]
        assert _reads(live_kernel) == 3
        assert (copied.fingerprint, copied.nulls_after) == (written.fingerprint, written.nulls_after)


# writes of an object column between two cells; the frame is named (only read) in the cell after
WRITES = {
    "pandas API": ("frame = pd.DataFrame({'s': pd.Series(['a', 'bb'] * 3000, dtype=object)})",
                   "frame.loc[1, 's'] = None"),
    "column .array": ("frame = pd.DataFrame({'s': pd.Series(['a', 'bb'] * 3000, dtype=object)})",
                      "col = frame['s'].array\ncol[1] = None"),
    ".values made writable": ("frame = pd.DataFrame({'s': pd.Series(['a', 'bb'] * 3000, dtype=object)})",
                              "v = frame.values\nv.flags.writeable = True\nv[1, 0] = None\ndel v"),
    "array the frame was built over": (
        "held = [np.array(['a', 'bb'] * 3000, dtype=object).reshape(-1, 1)]\n"
        "frame = pd.DataFrame(held[0], columns=['s'], dtype=object, copy=False)",
        "held[0][1, 0] = None"),
    # the same null count after the write: only the fingerprint says it
    "another string": ("frame = pd.DataFrame({'s': pd.Series(['a', 'bb'] * 3000, dtype=object)})",
                       "col = frame['s'].array\ncol[1] = 'cc'"),
    # a column of numbers, text and gaps (immutable scalars of several types)
    "mixed scalars, pandas API": ("frame = pd.DataFrame({'s': pd.Series([1, 'bb', None, 2.5] * 1500, dtype=object)})",
                                  "frame.loc[0, 's'] = 3"),
    "mixed scalars, column .array": (
        "frame = pd.DataFrame({'s': pd.Series([1, 'bb', None, 2.5] * 1500, dtype=object)})",
        "col = frame['s'].array\ncol[3] = 2.75"),
    "mixed scalars, a gap filled": (
        "frame = pd.DataFrame({'s': pd.Series([1, 'bb', None, 2.5] * 1500, dtype=object)})",
        "col = frame['s'].array\ncol[2] = 0"),
}


def _from_scratch(frame) -> tuple:
    """The frame's null count and fingerprint measured with nothing reused."""
    fresh = object_strings.ObjectStringColumns()
    kept, object_strings.OBJECT_STRING_COLUMNS = object_strings.OBJECT_STRING_COLUMNS, fresh
    try:
        entry = measurements.Entry(frame, "DataFrame")
        return nulls.count_nulls(frame, "DataFrame"), fingerprints.fingerprint(frame, "DataFrame", entry)[0]
    finally:
        object_strings.OBJECT_STRING_COLUMNS = kept


@pytest.mark.parametrize("case", list(WRITES))
def test_a_frame_named_after_a_write_of_its_object_column_has_the_written_values(case):
    made_cell, write_cell = WRITES[case]
    p, namespace, facts = run_cells(["import numpy as np\nimport pandas as pd", made_cell, "frame.shape", write_cell,
                                     "frame.shape"])
    assert p.errors == []
    before, after = facts[2]["frame"], facts[4]["frame"]
    assert (after["nulls_after"], after["fingerprint"]) == _from_scratch(namespace["frame"])
    assert after["fingerprint"] != before["fingerprint"]  # the write is seen (the control: the cells differ)


def test_an_entry_holds_the_objects_it_lists_so_equal_addresses_are_the_same_objects():
    columns = object_strings.ObjectStringColumns()
    first = "".join(["only", "-here"])  # an object no one else holds
    values = np.array([first] + ["x"] * 2000, dtype=object)
    held_before = sys.getrefcount(first)
    assert columns.nulls(values) == 0
    assert sys.getrefcount(first) == held_before + 1  # the entry's copy holds it
    values[0] = None  # without that copy `first` would be freed here, and a new string could take its address
    del first
    assert columns.nulls(values) == 1


def test_a_column_of_other_objects_is_not_copied_and_is_read_every_time():
    columns = object_strings.ObjectStringColumns()
    values = np.array([[1], "a", None] * 700, dtype=object)
    assert columns.nulls(values) == 700
    assert columns._entries == {}
    values[0] = None
    assert columns.nulls(values) == 701


class _MutableFloat(float):
    """A float subclass with state of its own: its repr (what a fingerprint hashes) can change while it is the same
    object, so a column holding one is not reused."""

    label = "x"

    def __repr__(self):
        return self.label


@pytest.mark.parametrize("odd", [_MutableFloat(1.0), np.float64(1.0), [1]],
                         ids=["float subclass", "numpy scalar", "list"])
def test_a_column_with_an_object_not_of_the_immutable_scalar_types_is_not_kept(odd):
    columns = object_strings.ObjectStringColumns()
    values = np.array([1, "a", None, 2.5] * 600 + [odd], dtype=object)
    assert columns.nulls(values) == 600
    assert columns._entries == {}


def test_strings_and_none_counted_by_pointers_are_what_pandas_counts():
    columns = object_strings.ObjectStringColumns()
    rows = columns.MIN_ROWS
    cases = [np.array(["a", None] * rows, dtype=object), np.array(["a", float("nan"), None] * rows, dtype=object),
             np.array(["a", pd.NA] * rows, dtype=object), np.array([None] * rows, dtype=object),
             np.array(["a", None, 1] * rows, dtype=object), np.array(["a", None] * rows, dtype=object)[::3]]
    for values in cases:
        assert columns._missing(values)[0] == int(pd.isna(values).sum())
    assert columns._missing(cases[0])[1] is True and columns._missing(cases[4])[1] is False


def test_an_entry_goes_with_the_memory_it_was_taken_from_and_entries_stay_within_their_bytes(monkeypatch):
    columns = object_strings.ObjectStringColumns()
    block = np.array([["a"] * 2000, ["b"] * 2000], dtype=object)  # a 2-D block: its rows are the columns
    assert columns.nulls(block[0]) == 0 and columns.nulls(block[1]) == 0
    assert len(columns._entries) == 2
    del block
    assert columns._entries == {} and columns._bytes == 0

    monkeypatch.setattr(object_strings.ObjectStringColumns, "MAX_BYTES", 2 * 2000 * 8)
    arrays = [np.array([str(k)] * 2000, dtype=object) for k in range(3)]
    for values in arrays:
        columns.nulls(values)
    assert [columns._find(values) is not None for values in arrays] == [False, True, True]
    assert columns._bytes == 2 * 2000 * 8


def test_one_reading_compares_a_column_once_and_the_next_reading_sees_a_write(monkeypatch):
    # a snapshot's null count and then its fingerprint (Measurement.resolve, measure_writable) compare each kept object
    # column's pointers once; a write between two readings is still seen
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"s": pd.Series(rng.choice(["x", "yy", None], ROWS), dtype=object), "n": np.arange(ROWS)})
    compares = []
    real_array_equal = np.array_equal

    def counting_array_equal(a, b):
        compares.append(len(a))
        return real_array_equal(a, b)

    monkeypatch.setattr(np, "array_equal", counting_array_equal)

    def measured():
        entry = measurements.Entry(frame, "DataFrame")
        measurement = measurements.Measurement(frame.copy(deep=False), from_snapshot=True).resolve(entry)
        return measurement.nulls, measurement.column_nulls, measurement.fingerprint

    def fresh():
        copy = frame.copy(deep=True)  # other objects: nothing kept of them
        entry = measurements.Entry(copy, "DataFrame")
        return (*nulls.null_counts(copy, "DataFrame"), fingerprints.fingerprint(copy, "DataFrame", entry)[0])

    assert measured() == fresh()  # counted and kept
    expected = fresh()
    del compares[:]
    before_write = measured()
    assert before_write == expected
    assert compares == [ROWS]  # the kept column compared with its copy once
    del compares[:]
    entry = measurements.Entry(frame, "DataFrame")
    writable = measurements.Measurement(frame.copy(deep=False), from_snapshot=True)
    writable.measure_writable(entry)
    assert compares == [ROWS]
    block = next(block for block in frame._mgr.blocks if block.dtype == object)
    block.values[0, :3] = [None, None, "zzz"]  # in place, outside pandas' API
    expected = fresh()
    assert measured() == expected != before_write
