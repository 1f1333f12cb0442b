"""nulls.column_arrays reads a frame's columns block by block: each column's array is the one pandas' own iget_values
gives for its position (the same object, or a view of the same memory of the same type), whatever blocks the frame
is made of (2-D numpy blocks of several columns, a column inserted between them, Arrow strings, dates with a time zone,
categories, objects)."""

from __future__ import annotations

import pytest

from trackit_sidecar.kernel.probe import nulls

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")


def test_each_column_is_the_array_pandas_gives_for_its_position():
    frame = pd.DataFrame(np.arange(24.0).reshape(6, 4), columns=["f0", "f1", "f2", "f3"])  # one block of 4 columns
    frame = pd.concat([frame, pd.DataFrame(np.arange(18).reshape(6, 3), columns=["i0", "i1", "i2"])], axis=1)
    frame["s"] = np.arange(6).astype(str)
    frame["when"] = pd.date_range("2020-01-01", periods=6, tz="UTC")
    frame["kind"] = pd.Categorical(["a", "b"] * 3)
    frame["held"] = pd.Series([[1], [2], None, [3], [4], [5]], dtype=object)
    frame.insert(2, "inserted", 0.5)  # a block placed between the others' columns
    del frame["f1"]
    manager = frame._mgr
    assert max(len(block.mgr_locs) for block in manager.blocks) >= 3  # blocks of several columns each
    expected = [manager.iget_values(i) for i in range(len(manager.items))]
    got = nulls.column_arrays(frame)
    assert len(got) == len(expected)
    for position, (mine, theirs) in enumerate(zip(got, expected)):
        assert type(mine) is type(theirs), position
        if isinstance(theirs, np.ndarray):
            assert mine.shape == theirs.shape and mine.dtype == theirs.dtype
            assert np.shares_memory(mine, theirs) and mine.__array_interface__ == theirs.__array_interface__, position
        else:
            assert mine is theirs or mine.equals(theirs), position
