"""Which memory a pandas snapshot reads, and whether it may be kept (or left for idle time) because no code of the
user can write it: the rule behind kept snapshots (Measurement.holds_same_data) and deferred measurements."""

from __future__ import annotations

import sys

from .arrow_hashing import _arrow_strings

# A measurement of a small pandas object keeps its snapshot while it is current, if no code of the user can write the
# memory the snapshot reads: an object whose blocks still read that memory then holds the snapshot's data, and a cell
# that names it only to read it (`df["s"].unique()`, `df.shape`) is not measured again. pandas' copy-on-write guards
# only writes through pandas' own API, so that holds of Arrow string and binary arrays alone (Arrow copies Python and
# numpy text into buffers of its own, and an Arrow array is immutable; a RangeIndex holds no data). Not of a numpy
# block: the array a frame was built over (`pd.DataFrame(arr, copy=False)`, held by any name or container) and a
# column's `.array` (pandas 3.1 hands out a writable NumpyExtensionArray over the block: a write through it shows in
# every shallow copy, snapshots included) write it unseen. Not of an Arrow array of numbers, dates or booleans either:
# pa.array of a numpy array is a zero-copy view of it. Bound: all data up to KEEP_BYTES (what a kept snapshot can
# hold alive after the user's code let it go, until the cell's hook).
KEEP_BYTES = 64 * 1024 * 1024


def _buffer_key(values):
    """What identifies the memory one pandas array reads (a numpy buffer's address and layout, an immutable Arrow
    array's identity), or None for a layout not known here."""
    np = sys.modules.get("numpy")
    if isinstance(values, np.ndarray):
        return values.__array_interface__["data"][0], values.shape, values.strides, values.dtype.str
    pa_array = getattr(values, "_pa_array", None)
    if pa_array is not None:
        return "arrow", id(pa_array)
    data, mask = getattr(values, "_data", None), getattr(values, "_mask", None)
    if isinstance(data, np.ndarray) and isinstance(mask, np.ndarray):
        return _buffer_key(data), _buffer_key(mask)
    nd = getattr(values, "_ndarray", None)  # Categorical codes, datetimes, python strings
    if isinstance(nd, np.ndarray):
        return _buffer_key(nd)
    return None


def data_key(obj, kind: str):
    """The memory a pandas DataFrame/Series reads, block by block with each block's columns, and its index; None
    if any part is of a layout not known here (then it is always measured)."""
    if kind not in ("DataFrame", "Series"):
        return None
    pd = sys.modules.get("pandas")
    index = obj.index
    if isinstance(index, pd.RangeIndex):
        keys = [("range", index.start, index.stop, index.step)]
    elif isinstance(index, pd.MultiIndex):
        return None
    else:
        keys = [_buffer_key(index._values)]
    for block in obj._mgr.blocks:
        indexer = block.mgr_locs.indexer
        where = (indexer.start, indexer.stop, indexer.step) if isinstance(indexer, slice) else indexer.tobytes()
        keys.append((_buffer_key(block.values), where))
    return None if any(key is None or key[0] is None for key in keys) else tuple(keys)


def keep_key(snap, kind: str):
    """data_key of a snapshot worth keeping, else None: one whose data no code of the user can write (Arrow string
    and binary arrays, a RangeIndex; see KEEP_BYTES) within KEEP_BYTES."""
    if kind not in ("DataFrame", "Series"):
        return None
    total = 0
    for values in _held_arrays(snap):  # first: most frames hold a numpy block, and this says so before data_key
        if _arrow_strings(values) is None:
            return None
        total += _held_bytes(values)
        if total > KEEP_BYTES:
            return None
    return data_key(snap, kind)


def _held_arrays(snap) -> list:
    """The arrays a pandas snapshot holds alive: its blocks' values and its index's (a RangeIndex holds no data, and its
    _values would build some)."""
    arrays = [block.values for block in snap._mgr.blocks]
    if not isinstance(snap.index, sys.modules.get("pandas").RangeIndex):
        arrays.append(snap.index._values)
    return arrays


def _held_bytes(values) -> int:
    """What one of those arrays holds alive: an Arrow array's whole buffers, also of a slice (and ~20x cheaper than
    nbytes)."""
    pa_array = getattr(values, "_pa_array", None)
    return values.nbytes if pa_array is None else pa_array.get_total_buffer_size()


def held_buffers(snap) -> dict:
    """The memory a pandas snapshot holds alive, by buffer (_buffer_key -> bytes, as keep_key counts them): snapshots
    of one frame before and after a cell share most of it."""
    return {_buffer_key(values): _held_bytes(values) for values in _held_arrays(snap)}
