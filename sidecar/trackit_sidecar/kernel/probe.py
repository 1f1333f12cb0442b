"""The runtime probe: code that runs INSIDE the user's kernel.

This file's source text is sent to the kernel (see attach.install_expression) and executed
into a private module `_trackit_probe` in `sys.modules`, so it never adds names to the
user's namespace. It must therefore import nothing from trackit_sidecar (except the one table
of in-place methods, which attach sends ahead of it) and only the standard library at top level; pandas/numpy/polars/pyarrow are looked up in `sys.modules`
(if the user never imported pandas there can be no DataFrame to look at, and we must not
import it for them).

What it does: IPython pre_run_cell/post_run_cell hooks keep, per execution_count, a
RuntimeFacts-shaped dict for every pandas DataFrame/Series, numpy ndarray and polars
DataFrame in user_ns that is new, changed, or named in the cell. "Changed" is decided
cheaply (identity + shape + columns + dtypes); null counts and fingerprints are computed
only for changed or named objects and cached for the rest. One more record says what the cell
displayed (displayed_fact: kind, shape, scalar or not), so lineage can tell an answer from a new table.
Each fact says whether the variable changed in the cell (`changed`; for a named one of the same
shape, by fingerprint), which is how a failed cell's partial effects are told from what it never
got to do. "Before"
is the variable's state before the cell, except for a new variable or one the cell rebinds
from other names (`data = final.query(...)` run again): that is measured against the object
it was made from (`before_variable`), so a re-run reads like the first run.

The hooks also run after a cell that failed or was interrupted (IPython calls post_run_cell
in a finally), so such a cell's facts are what really happened before it stopped.

A cell whose code runs more code through IPython's `run_cell` (`%%capture`, `get_ipython().run_cell(...)`) fires
the hooks again, nested: those runs are part of the cell, which gets one set of facts from its start to its end,
with the nested code's names and assignments read as the cell's. A Python-bodied cell magic that runs its body
itself (`%%time`) is read the same way: IPython's transformed cell holds its body as a string.

The hooks never raise into the user's cell and never print: IPython prints a traceback for
a callback that raises, so every hook body is wrapped.

Installed late (cells already ran): install() records the namespace as it is then and gives
each earlier cell "after"-only facts for the variables it was the last to bind or visibly
change (see recover_earlier_cells). What such a cell did before is gone: no rows_before, no
nulls_before, no column/dtype changes; and a change made through an alias or by a method not
known to work in place is attributed to the earlier binding cell.
"""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import sys
import time
import weakref

MODULE_NAME = "_trackit_probe"
PROBE_VERSION = 10  # 3: the displayed result; 4: changed, before_variable; 5: measured when asked; 6: pushed after the reply;
# 7: measured when idle while cells come back to back; 8: fingerprints of per-column digests (FINGERPRINT_LAYOUT);
# 9: no facts for runs without history, only memory no user code can write kept or left for idle time, pushes retried;
# 10: object columns of strings not read again while they hold the same objects (ObjectStringColumns)
# Above this many cells (rows x cols), and with more rows than a sample holds, fingerprints hash SAMPLE_BLOCKS evenly
# spaced blocks of SAMPLE_BLOCK_ROWS rows of every column, not everything. Which rows depends on the row count only:
# a frame that gains or loses a column hashes its other columns' same rows, so their digests are reused (fingerprint).
SAMPLE_THRESHOLD_CELLS = 1_000_000
SAMPLE_BLOCKS = 32
SAMPLE_BLOCK_ROWS = 256
# What a fingerprint's tag says beyond its hash function: a digest per column over rows chosen by the row count
# (before: one stream of every column's bytes over rows chosen by the frame's size). Fingerprints under different
# tags say nothing about each other (trackit_sidecar.fingerprints); a change of what is hashed gets a new tag.
FINGERPRINT_LAYOUT = "cols"
MAX_KEPT_EXECUTIONS = 512
MAX_PENDING_EXECUTIONS = 16  # facts not asked for after this many cells are built (their snapshots let go)
MAX_TRACKED_OBJECTS = 2000
# A pushing probe measures a cell's facts after the kernel sent the cell's reply, not in post_run_cell (which runs
# before it). The reply and the idle status are then still on their way through the kernel's other threads (the
# shell channel thread forwards the reply, the IOPub thread sends idle), which need the GIL the measuring holds:
# measured on ipykernel 7.4, a callback that starts at once delayed the reply's delivery up to 8-12 ms, one that
# waits this long did not (max 1.2 ms).
PUSH_AFTER_REPLY_SECONDS = 0.005
# A next cell that comes before that (a Run All) does not wait for the measuring of the cells before it: a snapshot
# whose data no cell can change (what keep_key keeps) is measured once the kernel is idle, as long as such snapshots
# hold at most DEFERRED_BYTES (held_buffers: a buffer several share counts once) and at most MAX_UNPUSHED_EXECUTIONS
# cells wait for their push; anything else is measured before the next cell's code runs.
DEFERRED_BYTES = 256 * 1024 * 1024
# Once a next cell came before the push, the kernel counts as idle only this long after a reply with no next cell: a
# client that sends each cell when the last reply is in (nbclient, the Run All of bench_runtime_capture.py) can take
# more than 5 ms on a loaded machine, and a push then measures every cell left so far while the next cell waits
# (measured on pandas-06: the Run All's facts measured in such gaps, no faster than measuring them one by one).
BURST_IDLE_SECONDS = 0.05
MAX_UNPUSHED_EXECUTIONS = 128
# A push the sidecar's socket has no room for (Linux holds /proc/sys/net/unix/max_dgram_qlen = 10 datagrams on a Unix
# socket; the probe's sends never block the kernel) is sent again this much later, with the pushes after it, while
# the sidecar's reader makes room. After PUSH_RETRIES attempts in a row without room the sidecar counts as stuck or
# gone: the waiting pushes are dropped and it asks for those facts instead.
PUSH_RETRY_SECONDS = 0.005
PUSH_RETRIES = 100
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# IPython's own names in user_ns that never hold user data worth tracking.
_SKIP_NAMES = frozenset({"In", "Out", "exit", "quit", "get_ipython"})

# Methods that change their object in place (besides any call with inplace=True) and the cell magics that run
# their body as Python: the one definition is lineage/kb/python.py. In the kernel, attach runs that file's text
# in this module first; in the sidecar (tests, recovery logic) it is imported.
if "MUTATING_METHODS" not in globals():
    from ..lineage.kb.python import MUTATING_METHODS, PYTHON_BODY_CELL_MAGICS


_hasher_factory = None


def _new_hasher():
    """(hasher, algorithm name): xxh3_128 if the kernel has xxhash, else blake2b. Decided once."""
    global _hasher_factory
    if _hasher_factory is None:
        try:
            import xxhash

            _hasher_factory = (xxhash.xxh3_128, "xxh3_128")
        except Exception:  # xxhash is optional in the user's kernel
            import hashlib

            _hasher_factory = (lambda: hashlib.blake2b(digest_size=16), "blake2b")
    factory, name = _hasher_factory
    return factory(), name


# ------------------------------------------------------------------ object kinds and metadata
def kind_of(obj) -> str | None:
    """The tracked kind of obj, or None. Uses only modules the user already imported.

    type(obj), not isinstance: a proxy's __class__ property must not run user code. Subclasses
    count (GeoDataFrame, a user's own DataFrame subclass).
    """
    cls = type(obj)
    pd = sys.modules.get("pandas")
    if pd is not None:
        if issubclass(cls, pd.DataFrame):
            return "DataFrame"
        if issubclass(cls, pd.Series):
            return "Series"
    np = sys.modules.get("numpy")
    if np is not None and issubclass(cls, np.ndarray):
        return "ndarray"
    pl = sys.modules.get("polars")
    if pl is not None and issubclass(cls, pl.DataFrame):
        return "polars.DataFrame"
    return None


def lazy_safe(kind: str) -> bool:
    """Can this kind of object be measured after the reply from a snapshot taken at the cell's end? pandas with
    copy-on-write (always from 3.0): a shallow copy keeps the data as it is now against writes through pandas' API,
    and no later cell's code runs before it is measured (only memory no user code can write is kept longer: keep_key;
    writes outside pandas' API, a column's `.array` or an array a frame was built over, reach a snapshot's numpy
    blocks). A polars frame's clone shares immutable Arrow data. A numpy array can be written in place: measured at
    once."""
    if kind == "polars.DataFrame":
        return True
    if kind in ("DataFrame", "Series"):
        pd = sys.modules.get("pandas")
        if pd is None:
            return False
        try:
            return int(pd.__version__.split(".")[0]) >= 3 or pd.options.mode.copy_on_write is True
        except Exception:
            return False
    return False


def snapshot(obj, kind: str):
    """A cheap copy that keeps the object's data as it is now (lazy_safe kinds only)."""
    if kind == "polars.DataFrame":
        return obj.clone()
    return obj.copy(deep=False)


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


class Measurement:
    """An object's null count and fingerprint as they were at one moment: computed at once, or when first asked
    for, from a snapshot the user's code cannot change (lazy_safe). Entries of an object that did not change
    share one, and so do those of a named object still reading the kept snapshot's data (holds_same_data)."""

    __slots__ = ("pending", "nulls", "fingerprint", "sampled", "error", "from_snapshot", "kept", "key")

    def __init__(self, pending=None, from_snapshot: bool = False):
        self.pending = pending  # the snapshot (or object) still to measure, or None once measured
        self.nulls = None
        self.fingerprint = None
        self.sampled = False
        self.error = None
        self.from_snapshot = from_snapshot
        self.kept = None  # the measured snapshot, kept (keep_key) ...
        self.key = None  # ... with the memory it reads (also of a snapshot left to measure when idle, Probe._defer)

    def resolve(self, entry: "Entry") -> "Measurement":
        obj = self.pending
        if obj is not None:
            self.pending = None
            try:
                self.nulls = count_nulls(obj, entry.kind)
                self.fingerprint, self.sampled = fingerprint(obj, entry.kind, entry)
            except Exception as error:  # a failed measurement still reports shape and columns
                self.error = error
                self.key = None  # nothing stands for later states
                return self
            if self.from_snapshot:
                # a snapshot left for idle time was judged then (Probe._defer) and cannot have changed since
                if self.key is None:
                    try:
                        self.key = keep_key(obj, entry.kind)
                    except Exception:  # another pandas layout: measured every time, as before
                        self.key = None
                self.kept = obj if self.key is not None else None
        return self

    def holds_same_data(self, obj, kind: str) -> bool:
        """Does `obj` still read the memory of this measurement's kept snapshot (hence hold its data)?"""
        if self.key is None:
            return False
        try:
            return data_key(obj, kind) == self.key
        except Exception:
            return False


class Entry:
    """What we know about one variable at one moment."""

    __slots__ = ("ref", "obj_id", "kind", "shape", "columns", "dtypes", "m", "labels")

    def __init__(self, obj, kind: str, previous: "Entry | None" = None):
        """`previous`: the variable's last entry, whose column labels are reused while its Index object is the
        same (an Index is immutable; listing an Arrow-backed one costs more than the rest of the metadata)."""
        try:
            self.ref = weakref.ref(obj)
        except TypeError:
            self.ref = None
        self.obj_id = id(obj)
        self.kind = kind
        self.labels = getattr(obj, "columns", None) if kind == "DataFrame" else None
        known = previous.columns if previous is not None and self.labels is not None and previous.labels is self.labels \
            else None
        self.shape, self.columns, self.dtypes = metadata(obj, kind, known)
        self.m: Measurement | None = None

    # null count and fingerprint: measured when first read (Measurement)
    @property
    def nulls(self):
        return self.m.resolve(self).nulls if self.m is not None else None

    @property
    def fingerprint(self):
        return self.m.resolve(self).fingerprint if self.m is not None else None

    @property
    def sampled(self):
        return self.m.resolve(self).sampled if self.m is not None else False

    def is_same_object(self, obj) -> bool:
        if self.ref is not None:
            return self.ref() is obj
        return self.obj_id == id(obj)

    def same_metadata(self, other: "Entry") -> bool:
        return (
            self.kind == other.kind
            and self.shape == other.shape
            and self.columns == other.columns
            and self.dtypes == other.dtypes
        )

    @property
    def rows(self):
        return self.shape[0] if self.shape else None

    @property
    def cols(self):
        if self.kind in ("DataFrame", "polars.DataFrame"):
            return self.shape[1]
        if self.kind == "ndarray" and len(self.shape) >= 2:
            n = 1
            for d in self.shape[1:]:
                n *= d
            return n
        return None


def metadata(obj, kind: str, columns: tuple | None = None) -> tuple[tuple, tuple, tuple]:
    """(shape, column labels, dtypes): the cheap change signature, runs for every object every cell.

    Raw labels and dtype objects, not strings: str() of a dtype costs ~2.5 us, which times
    columns times frames is most of a trivial cell's capture cost. Strings are made only
    for the facts of changed objects (build_fact).
    """
    if kind == "DataFrame":
        try:
            dtypes = tuple(obj._mgr.get_dtypes())  # ~1 us; obj.dtypes builds a Series (~50 us)
        except Exception:
            dtypes = tuple(obj.dtypes.values)
        return tuple(obj.shape), columns if columns is not None else tuple(obj.columns.tolist()), dtypes
    if kind == "Series":
        return (len(obj),), (), (obj.dtype,)
    if kind == "ndarray":
        return tuple(obj.shape), (), (obj.dtype,)
    if kind == "polars.DataFrame":
        return tuple(obj.shape), tuple(obj.columns), tuple(obj.dtypes)
    return (), (), ()


# ------------------------------------------------------------------ null counts
def _array_nulls(values, column: bool = False) -> int:
    """Missing values in one pandas column's array (or a numpy array). `column`: `values` is a pandas column's
    array even when it is a bare ndarray (column_arrays gives object columns as such)."""
    pa_array = getattr(values, "_pa_array", None)
    if pa_array is not None:
        return int(pa_array.null_count)
    mask = getattr(values, "_mask", None)
    if mask is not None:
        return int(mask.sum())
    np = sys.modules.get("numpy")
    codes = getattr(values, "codes", None)
    if codes is not None:  # Categorical: -1 marks missing, the smallest code (a min makes no temporary array)
        return int(np.count_nonzero(codes == -1)) if codes.size and codes.min() < 0 else 0
    nd = getattr(values, "_ndarray", values)
    kind = getattr(getattr(nd, "dtype", None), "kind", "O")
    if np is not None and kind in "fc":
        # A sum is NaN only if some value is NaN (or inf - inf): one cheap pass, no temporary
        # bool array, for the common column without missing values.
        if nd.size and not np.isnan(nd.sum()):
            return 0
        return int(np.count_nonzero(np.isnan(nd)))
    if np is not None and kind in "mM":
        # NaT is the smallest int64: one pass without a temporary array when there is none
        if nd.size and nd.view("i8").min() != np.iinfo(np.int64).min:
            return 0
        return int(np.count_nonzero(np.isnat(nd)))
    if kind in "iub":
        return 0
    pd = sys.modules.get("pandas")
    if pd is not None and (column or values is not nd):  # a pandas column's object array: pandas' own missing
        if kind == "O" and nd.ndim == 1:
            return OBJECT_STRING_COLUMNS.nulls(nd)
        return int(pd.isna(nd).sum())
    # a bare object ndarray: counted the same whether or not the user imported pandas (a replay must agree)
    return sum(1 for value in getattr(nd, "flat", nd) if value is None or _is_nan(value))


def _is_nan(value) -> bool:
    try:
        return bool(value != value)
    except Exception:  # an object whose comparison raises or is not a truth value
        return False


def _block_nulls(values) -> int:
    """Missing values in a 2-D block, one row per column: what _array_nulls counts row by row, with one numpy call for
    a whole block of numbers (a wide frame's per-column calls cost more than the reading)."""
    np = sys.modules.get("numpy")
    kind = values.dtype.kind if isinstance(values, np.ndarray) else None
    if kind is not None and kind in "iub":
        return 0
    if kind is not None and kind in "fc" and values.size:
        # A row's sum is NaN if it holds a NaN (or inf - inf): only those rows are counted
        return sum(int(np.count_nonzero(np.isnan(values[i]))) for i in np.flatnonzero(np.isnan(values.sum(axis=1))))
    return sum(_array_nulls(values[i], column=True) for i in range(values.shape[0]))


def column_arrays(frame) -> list:
    """A pandas DataFrame's column arrays, without building a Series per column (most of the cost of reading
    a wide frame's columns one by one)."""
    try:
        manager = frame._mgr
        return [manager.iget_values(i) for i in range(len(manager.items))]
    except Exception:  # another pandas layout
        return [ser.array for _, ser in frame.items()]


def count_nulls(obj, kind: str) -> int | None:
    """Missing values in obj (a DataFrame block by block)."""
    if kind == "DataFrame":
        try:
            blocks = obj._mgr.blocks
        except Exception:  # another pandas layout
            return sum(_array_nulls(values, column=True) for values in column_arrays(obj))
        total = 0
        for block in blocks:
            values = block.values
            if getattr(values, "ndim", 1) == 2:  # a numpy block: one row per column
                total += _block_nulls(values)
            else:
                total += _array_nulls(values, column=True)
        return total
    if kind == "Series":
        return _array_nulls(obj.array)
    if kind == "ndarray":
        if obj.dtype.kind in "fcmMO":
            return _array_nulls(obj)
        return 0
    if kind == "polars.DataFrame":
        return int(sum(obj.null_count().row(0))) if obj.width else 0
    return None


# ------------------------------------------------------------------ fingerprints
def row_ranges(nrows: int, ncols: int) -> tuple[list[tuple[int, int]], bool]:
    """Row ranges to hash and whether that is a sample. Whether to sample depends on the size (rows x cols); the
    rows a sample holds only on the row count. Pure; tested in the sidecar."""
    block = SAMPLE_BLOCK_ROWS
    if nrows * max(ncols, 1) <= SAMPLE_THRESHOLD_CELLS or nrows <= SAMPLE_BLOCKS * block:
        return [(0, nrows)], False
    last_start = nrows - block
    return [((last_start * i) // (SAMPLE_BLOCKS - 1), (last_start * i) // (SAMPLE_BLOCKS - 1) + block)
            for i in range(SAMPLE_BLOCKS)], True


def _hash_object_values(hasher, values) -> None:
    """Fallback for object/mixed data: pandas' vectorised value hash, else repr."""
    pd = sys.modules.get("pandas")
    np = sys.modules.get("numpy")
    if pd is not None and np is not None:
        try:
            hasher.update(pd.util.hash_array(np.asarray(values, dtype=object)).tobytes())
            return
        except Exception:
            pass
    hasher.update(repr(list(values)).encode("utf-8", "replace"))


def _hash_ndarray_rows(hasher, nd, ranges) -> None:
    np = sys.modules.get("numpy")
    if nd.dtype.kind == "O":
        # never pandas' hash here: the same array must hash the same whether or not pandas was imported
        for start, stop in ranges:
            hasher.update(repr(nd[start:stop].ravel().tolist()).encode("utf-8", "replace"))
        return
    if len(ranges) > 1 and nd.flags.c_contiguous and nd.ndim:
        # a sample of a C-contiguous array: each range's rows are one run of its bytes, fed as they lie (no copy).
        # The same bytes in the same order as gathering them first: a streaming hash's digest depends only on the
        # bytes fed, not on how they were split into updates.
        # np.asarray: an ndarray subclass may keep two dimensions through reshape (np.matrix), and a 2-D memoryview
        # would be sliced by its rows, not its bytes
        flat = memoryview(np.asarray(nd).reshape(-1).view(np.uint8))
        row_bytes = flat.nbytes // len(nd)
        for start, stop in ranges:
            hasher.update(flat[start * row_bytes:stop * row_bytes])
        return
    if len(ranges) > 1:  # a sample of a strided array: gather its rows and hash them at once (one copy of ~256K cells at most)
        rows = _sample_rows(ranges)
        ranges = [(0, len(rows))]
        nd = nd[rows]
    for start, stop in ranges:
        part = nd[start:stop]
        if not part.flags.c_contiguous:
            part = np.ascontiguousarray(part)
        # bytes view: datetime64/timedelta64 do not export the buffer protocol themselves
        hasher.update(part.reshape(-1).view(np.uint8))


_sample_rows_memo: tuple = ((), None)


def _sample_rows(ranges) -> "object":
    """The row numbers of a sample's ranges, as one index array: every column of a frame has the same sample,
    so it is built once per frame, not once per column (the last one is kept)."""
    global _sample_rows_memo
    key = tuple(ranges)
    if _sample_rows_memo[0] != key:
        np = sys.modules.get("numpy")
        _sample_rows_memo = (key, np.concatenate([np.arange(start, stop) for start, stop in ranges]))
    return _sample_rows_memo[1]


_string_plan_memo: tuple = ((), None)


def _string_sample_plan(ranges: tuple, offset: int) -> tuple:
    """What hashing these row ranges of a string array at this chunk offset reads, as index arrays: the ranges'
    first and last offsets, every offset to rebase with the first of its range, and each range's (start, stop,
    begin, end) in rows and in the rebased offsets. The same for every string column of a frame (one sample), so
    it is built once per frame, not per column (the last one is kept): that was half a column's cost."""
    global _string_plan_memo
    key = (ranges, offset)
    if _string_plan_memo[0] != key:
        np = sys.modules.get("numpy")
        starts = np.fromiter((start for start, _ in ranges), dtype=np.int64, count=len(ranges)) + offset
        stops = np.fromiter((stop for _, stop in ranges), dtype=np.int64, count=len(ranges)) + offset
        lengths = stops - starts + 1  # offsets per range: one more than its rows
        ends = np.cumsum(lengths)
        positions = np.arange(int(ends[-1])) + np.repeat(starts - (ends - lengths), lengths)
        begins = ends - lengths
        spans = list(zip(starts.tolist(), stops.tolist(), begins.tolist(), ends.tolist()))
        _string_plan_memo = (key, (starts, stops, positions, np.repeat(starts, lengths), spans))
    return _string_plan_memo[1]


# Arrow types laid out as offsets + bytes: hashed by the rows' bytes, and immutable (StringColumnDigests reuses them)
_ARROW_STRING_TYPES = frozenset({"string", "large_string", "binary", "large_binary"})


class _ArrowChunk:
    """One Arrow array and what hashing a row range of it reads (type, buffers, offsets), read once for all the
    ranges of a sample: reading them again per range cost more than hashing the bytes."""

    __slots__ = ("chunk", "type_name", "buffers", "offsets")

    def __init__(self, chunk):
        self.chunk = chunk
        self.type_name = str(chunk.type)
        self.buffers = chunk.buffers()
        self.offsets = None  # a string array's offsets as numpy, on first use

    def hash_range(self, hasher, start: int, stop: int) -> None:
        """Hash rows [start, stop) without copying the buffers.

        A sliced Arrow array shares its parent's buffers, so hashing whole buffers would make
        every slice of a column look the same; we hash exactly the bytes the rows occupy.
        """
        n = stop - start
        if n <= 0:
            return
        chunk = self.chunk
        offset = chunk.offset + start
        type_name = self.type_name
        buffers = self.buffers
        validity = buffers[0] if buffers else None
        if validity is not None and chunk.null_count:
            hasher.update(memoryview(validity)[offset // 8:(offset + n + 7) // 8])
            hasher.update(bytes([offset % 8]))
        np = sys.modules.get("numpy")
        if type_name in _ARROW_STRING_TYPES and np is not None:
            if self.offsets is None:
                width = "int64" if type_name.startswith("large") else "int32"
                self.offsets = np.frombuffer(buffers[1], dtype=width)
            offsets = self.offsets[offset:offset + n + 1]
            first, last = int(offsets[0]), int(offsets[-1])
            hasher.update((offsets - first).tobytes() if first else memoryview(offsets).cast("B"))
            if buffers[2] is not None:
                hasher.update(memoryview(buffers[2])[first:last])
            return
        bit_width = getattr(chunk.type, "bit_width", None)
        if len(buffers) == 2 and bit_width and buffers[1] is not None:
            if bit_width % 8 == 0:
                width = bit_width // 8
                hasher.update(memoryview(buffers[1])[offset * width:(offset + n) * width])
            else:  # booleans: bit-packed
                hasher.update(memoryview(buffers[1])[offset // 8:(offset + n + 7) // 8])
                hasher.update(bytes([offset % 8]))
            return
        # Nested / dictionary / view types: rare in frames; exact but slow.
        hasher.update(repr(chunk.slice(start, n).to_pylist()).encode("utf-8", "replace"))

    def hash_string_ranges(self, hasher, ranges) -> bool:
        """Hash many row ranges of a string/binary array as hash_range would one by one (the same bytes, in the
        same order), with the offsets of all of them rebased in one numpy pass: a sample has ~32 ranges per
        column, and per-range numpy calls were most of a wide string frame's fingerprint. False: not a string
        array, nothing hashed."""
        np = sys.modules.get("numpy")
        type_name = self.type_name
        if np is None or type_name not in _ARROW_STRING_TYPES:
            return False
        chunk, buffers = self.chunk, self.buffers
        if self.offsets is None:
            self.offsets = np.frombuffer(buffers[1], dtype="int64" if type_name.startswith("large") else "int32")
        ranges = [(start, stop) for start, stop in ranges if stop > start]
        if not ranges:
            return True
        starts, stops, positions, range_firsts, spans = _string_sample_plan(tuple(ranges), chunk.offset)
        offsets = self.offsets
        rebased = (offsets[positions] - offsets[range_firsts]).tobytes()
        itemsize = offsets.itemsize
        firsts, lasts = offsets[starts].tolist(), offsets[stops].tolist()
        validity = buffers[0] if buffers else None
        validity = memoryview(validity) if validity is not None and chunk.null_count else None
        data = memoryview(buffers[2]) if buffers[2] is not None else None
        pieces = []
        for (start, stop, begin, end), first, last in zip(spans, firsts, lasts):
            if validity is not None:
                pieces.append(validity[start // 8:(stop + 7) // 8])
                pieces.append(bytes([start % 8]))
            pieces.append(rebased[begin * itemsize:end * itemsize])
            if data is not None:
                pieces.append(data[first:last])
        hasher.update(b"".join(pieces))
        return True


def _hash_chunked_rows(hasher, chunked, ranges) -> None:
    chunks = chunked.chunks if hasattr(chunked, "chunks") else [chunked]
    bounds = []
    position = 0
    for chunk in chunks:
        bounds.append((position, position + len(chunk), _ArrowChunk(chunk)))
        position += len(chunk)
    # the (chunk, rows) pieces in row order; consecutive pieces of one chunk are hashed together
    runs: list[tuple[_ArrowChunk, list[tuple[int, int]]]] = []
    for start, stop in ranges:
        for lo, hi, chunk in bounds:
            a, b = max(start, lo), min(stop, hi)
            if a < b:
                if runs and runs[-1][0] is chunk:
                    runs[-1][1].append((a - lo, b - lo))
                else:
                    runs.append((chunk, [(a - lo, b - lo)]))
    for chunk, pieces in runs:
        # one range (a whole column, not a sample) is hashed in place: joining would copy all its bytes
        if len(pieces) > 1 and chunk.hash_string_ranges(hasher, pieces):
            continue
        for a, b in pieces:
            chunk.hash_range(hasher, a, b)


def _hash_pandas_values(hasher, values, ranges) -> None:
    """Hash one pandas column/index array over the given row ranges."""
    pa_array = getattr(values, "_pa_array", None)
    if pa_array is not None:
        _hash_chunked_rows(hasher, pa_array, ranges)
        return
    data, mask = getattr(values, "_data", None), getattr(values, "_mask", None)
    if data is not None and mask is not None and hasattr(data, "dtype"):  # nullable Int64 etc.
        _hash_ndarray_rows(hasher, data, ranges)
        _hash_ndarray_rows(hasher, mask, ranges)
        return
    codes = getattr(values, "codes", None)
    categories = getattr(values, "categories", None)
    if codes is not None and categories is not None:
        _hash_ndarray_rows(hasher, codes, ranges)
        hasher.update(repr(list(categories[:10000])).encode("utf-8", "replace"))
        return
    nd = getattr(values, "_ndarray", None)
    if nd is None:
        np = sys.modules.get("numpy")
        nd = np.asarray(values)
    _hash_ndarray_rows(hasher, nd, ranges)


def _hash_pandas_index(hasher, index, ranges) -> None:
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(index, pd.RangeIndex):
        hasher.update(repr(("range", index.start, index.stop, index.step)).encode())
        return
    try:
        _hash_pandas_values(hasher, index.array, ranges)
    except Exception:  # MultiIndex has no .array
        for start, stop in ranges:
            _hash_object_values(hasher, [repr(v) for v in index[start:stop]])


class StringColumnDigests:
    """The digests of Arrow string columns in fingerprints, by the array and the rows hashed: a string column that a
    frame still holds after a cell (a frame only read, or one whose other columns changed) is not read again. For any
    frame, also one too big to keep a snapshot of: nothing is kept of the frame and no write of the user's copies
    anything.

    Sound because an Arrow array is immutable: pandas writes into a column by making a new array, and a string
    array's buffers are Arrow's own (a numeric one can be a zero-copy view of a numpy array the user can still
    write, so only string and binary arrays are reused). The array is held by weak reference: its entry goes with
    it, so an id is never matched after the array is gone and the id reused. At most MAX_ENTRIES (the oldest go
    first)."""

    MAX_ENTRIES = 4096

    def __init__(self):
        self._entries: dict = {}  # (id(array), row ranges hashed) -> (weakref to the array, digest)

    def get(self, pa_array, rows_hashed: tuple) -> bytes | None:
        entry = self._entries.get((id(pa_array), rows_hashed))
        return entry[1] if entry is not None and entry[0]() is pa_array else None

    def add(self, pa_array, rows_hashed: tuple, digest: bytes) -> None:
        key = (id(pa_array), rows_hashed)
        self._drop(key)
        self._entries[key] = (weakref.ref(pa_array, lambda ref, key=key: self._drop(key, ref)), digest)
        while len(self._entries) > self.MAX_ENTRIES:
            self._drop(next(iter(self._entries)))

    def _drop(self, key, ref=None) -> None:
        entry = self._entries.get(key)
        if entry is not None and (ref is None or entry[0] is ref):  # not a newer entry under a reused id
            del self._entries[key]


STRING_COLUMN_DIGESTS = StringColumnDigests()


class ObjectStringColumns:
    """Null counts and fingerprint digests of pandas object columns that hold only strings and missing values (None,
    NaN, NA: pandas' is_string_array), reused while a column holds the very same objects in the same order.

    Unlike a numpy block of numbers, such a column's facts follow from which objects it holds: a str and those missing
    values are immutable, so the same objects have the same null count and the same bytes hashed. Which objects it
    holds is read every time, and cheaply: its pointers (8 bytes a row, one numpy comparison, ~60x cheaper than pd.isna
    over the objects) against a copy of the column taken when it was measured. That copy holds a reference to every
    object it lists, so none of them can be freed and another object be made at its address while the entry lives:
    equal pointers are the same objects. Whoever writes the column (pandas, `.array`, `.values` made writable, an
    array the frame was built over) changes its pointers, and the column is measured again; the lookup key (the
    memory's address and layout) only says where to look, it proves nothing.

    Limit: is_string_array accepts subclasses of str; one whose repr reads mutable state would be taken for its first
    value. Bound: MAX_BYTES of copied pointers (the oldest go first); an entry goes with the array whose memory it
    was taken from. Columns under MIN_ROWS rows are measured every time (cheaper than the copy)."""

    MAX_BYTES = 64 * 1024 * 1024
    MIN_ROWS = 1024

    def __init__(self):
        # (address, shape, strides) -> [copy of the column, null count or None, {rows hashed: digest}, weakref]
        self._entries: dict = {}
        self._bytes = 0
        # (address, shape, strides) -> weakref: a column found to hold other objects, not checked again while its
        # memory lives (only what is worth copying is copied; a column written to strings later is simply not reused)
        self._others: dict = {}

    def nulls(self, nd) -> int:
        """pd.isna(nd).sum() of a 1-D object array."""
        entry = self._find(nd)
        if entry is not None and entry[1] is not None:
            return entry[1]
        count = int(sys.modules["pandas"].isna(nd).sum())
        if entry is not None:
            entry[1] = count
        else:
            self._add(nd, count, {})
        return count

    def digest(self, nd, rows_hashed: tuple, compute) -> bytes:
        """compute() (the digest of nd's rows_hashed) of a 1-D object array."""
        entry = self._find(nd)
        digest = entry[2].get(rows_hashed) if entry is not None else None
        if digest is None:
            digest = compute()
            if entry is not None:
                entry[2][rows_hashed] = digest
            else:
                self._add(nd, None, {rows_hashed: digest})
        return digest

    @staticmethod
    def _key(nd):
        return nd.__array_interface__["data"][0], nd.shape, nd.strides

    def _find(self, nd):
        if nd.ndim != 1 or len(nd) < self.MIN_ROWS:
            return None
        entry = self._entries.get(self._key(nd))
        if entry is None:
            return None
        np = sys.modules.get("numpy")
        if np.array_equal(_pointers(nd), _pointers(entry[0])):
            return entry
        self._drop(self._key(nd))  # written since: its objects are let go
        return None

    def _add(self, nd, count, digests: dict) -> None:
        if nd.ndim != 1 or len(nd) < self.MIN_ROWS or nd.nbytes > self.MAX_BYTES:
            return
        key = self._key(nd)
        other = self._others.get(key)
        if other is not None and other() is not None:
            return
        owner = nd
        while isinstance(owner.base, type(nd)):  # the array that owns the memory (a block, for a block's row)
            owner = owner.base
        try:
            ref = weakref.ref(owner, lambda gone, key=key: self._drop(key, gone))
        except TypeError:  # an owner without weak references: the entry could outlive the memory
            return
        lib = sys.modules.get("pandas._libs.lib")
        if lib is None or not lib.is_string_array(nd, skipna=True):
            self._others[key] = weakref.ref(owner, lambda gone, key=key: self._forget(key, gone))
            return
        self._drop(key)
        self._entries[key] = [nd.copy(), count, digests, ref]
        self._bytes += nd.nbytes
        while self._bytes > self.MAX_BYTES:
            self._drop(next(iter(self._entries)))

    def _forget(self, key, ref) -> None:
        if self._others.get(key) is ref:  # not newer memory at that address
            del self._others[key]

    def _drop(self, key, ref=None) -> None:
        entry = self._entries.get(key)
        if entry is not None and (ref is None or entry[3] is ref):  # not a newer entry of memory at that address
            del self._entries[key]
            self._bytes -= entry[0].nbytes


class _PointerInterface:
    """An object array's memory as unsigned integers (numpy makes no such view of references itself)."""

    __slots__ = ("__array_interface__",)

    def __init__(self, nd):
        self.__array_interface__ = {"data": (nd.__array_interface__["data"][0], True), "shape": nd.shape,
                                    "strides": nd.strides, "typestr": sys.modules["numpy"].dtype("uintp").str,
                                    "version": 3}


def _pointers(nd):
    """The addresses of the objects a 1-D object array lists, read in place (read-only; nd must outlive the view)."""
    return sys.modules["numpy"].asarray(_PointerInterface(nd))


OBJECT_STRING_COLUMNS = ObjectStringColumns()


def _arrow_strings(values):
    """The ChunkedArray of an Arrow-backed string/binary pandas column, else None."""
    pa_array = getattr(values, "_pa_array", None)
    return pa_array if pa_array is not None and str(pa_array.type) in _ARROW_STRING_TYPES else None


def _column_digest(obj, i: int, values, ranges) -> bytes:
    """The digest of column i's bytes over the row ranges (a column whose layout the readers do not know: its
    values' pandas hash or repr)."""
    hasher, _ = _new_hasher()
    try:
        _hash_pandas_values(hasher, values, ranges)
    except Exception:
        hasher, _ = _new_hasher()  # nothing of a reading that failed half-way
        for start, stop in ranges:
            _hash_object_values(hasher, obj.iloc[start:stop, i])
    return hasher.digest()


_DTYPE_REPRS: dict = {}  # id(numpy dtype) -> (the dtype, held so that its id is not reused; its repr)
MAX_DTYPE_REPRS = 256


def _dtype_repr(dtype) -> str:
    """repr(dtype), made once per numpy dtype object: numpy builds it in Python (~1 us, per column of every frame
    measured). A numpy dtype cannot change, but for a structured one's field names (settable): those are not kept."""
    known = _DTYPE_REPRS.get(id(dtype))
    if known is not None and known[0] is dtype:
        return known[1]
    text = repr(dtype)
    np = sys.modules.get("numpy")
    if np is not None and isinstance(dtype, np.dtype) and dtype.names is None and len(_DTYPE_REPRS) < MAX_DTYPE_REPRS:
        _DTYPE_REPRS[id(dtype)] = (dtype, text)
    return text


def _header(kind: str, entry: Entry) -> str:
    """repr((kind, shape, columns, dtypes)), what a fingerprint hashes first, with _dtype_repr for each dtype."""
    dtypes = [_dtype_repr(dtype) for dtype in entry.dtypes]
    return f"({kind!r}, {entry.shape!r}, {entry.columns!r}, ({', '.join(dtypes)}{',' if len(dtypes) == 1 else ''}))"


def fingerprint(obj, kind: str, entry: Entry) -> tuple[str, bool]:
    """(fingerprint, sampled): "<hash function>/<FINGERPRINT_LAYOUT>:<hex>". Header (kind, shape, columns, dtypes) +
    the data. A DataFrame: its index's bytes, then each column's digest (the hash of its bytes over the rows hashed):
    an Arrow string column already hashed over the same rows (STRING_COLUMN_DIGESTS) is not read again, nor an
    object column of strings that holds the same objects (OBJECT_STRING_COLUMNS). Other columns are read every time:
    user code can write their memory unseen (see KEEP_BYTES)."""
    hasher, algorithm = _new_hasher()
    hasher.update(_header(kind, entry).encode("utf-8", "replace"))
    nrows = entry.rows or 0
    ranges, sampled = row_ranges(nrows, entry.cols or 1)
    if kind == "DataFrame":
        _hash_pandas_index(hasher, obj.index, ranges)
        rows_hashed = tuple(ranges)
        numpy_array = sys.modules["numpy"].ndarray
        for i, values in enumerate(column_arrays(obj)):
            strings = _arrow_strings(values)
            digest = STRING_COLUMN_DIGESTS.get(strings, rows_hashed) if strings is not None else None
            if strings is None and isinstance(values, numpy_array) and values.dtype.kind == "O" and values.ndim == 1:
                digest = OBJECT_STRING_COLUMNS.digest(values, rows_hashed,
                                                      lambda i=i, values=values: _column_digest(obj, i, values, ranges))
            if digest is None:
                digest = _column_digest(obj, i, values, ranges)
                if strings is not None:
                    STRING_COLUMN_DIGESTS.add(strings, rows_hashed, digest)
            hasher.update(digest)
    elif kind == "Series":
        _hash_pandas_index(hasher, obj.index, ranges)
        _hash_pandas_values(hasher, obj.array, ranges)
    elif kind == "ndarray":
        if obj.ndim == 0:
            hasher.update(repr(obj.item()).encode("utf-8", "replace"))
        else:
            _hash_ndarray_rows(hasher, obj, ranges)
    elif kind == "polars.DataFrame":
        # polars' own row hash is vectorised (and multi-threaded); hash its output.
        for start, stop in ranges:
            hashed = obj.slice(start, stop - start).hash_rows(seed=0).to_numpy()
            hasher.update(memoryview(hashed).cast("B"))
    return f"{algorithm}/{FINGERPRINT_LAYOUT}:{hasher.hexdigest()}", sampled


# ------------------------------------------------------------------ the facts record
def build_fact(name: str, before: Entry | None, after: Entry) -> dict:
    """A RuntimeFacts-shaped dict comparing two entries. Pure."""
    fact = {
        "variable": name,
        "kind": after.kind,
        "rows_after": after.rows,
        "cols_after": after.cols,
        "nulls_after": after.nulls,
        "fingerprint": after.fingerprint,
        "sampled": bool(after.sampled),
        "added_columns": [],
        "removed_columns": [],
        "dtype_changes": {},
    }
    if before is None:
        return fact
    fact["rows_before"] = before.rows
    fact["cols_before"] = before.cols
    fact["nulls_before"] = before.nulls
    if after.columns or before.columns:
        old, new = set(before.columns), set(after.columns)
        fact["added_columns"] = [str(c) for c in after.columns if c not in old]
        fact["removed_columns"] = [str(c) for c in before.columns if c not in new]
        old_types = dict(zip(before.columns, before.dtypes))
        for column, dtype in zip(after.columns, after.dtypes):
            # the same dtype object has the same name: str() of each dtype was most of a wide frame's fact
            if column in old_types and old_types[column] is not dtype and str(old_types[column]) != str(dtype):
                fact["dtype_changes"][str(column)] = [str(old_types[column]), str(dtype)]
    elif before.dtypes and after.dtypes and str(before.dtypes[0]) != str(after.dtypes[0]):
        fact["dtype_changes"][name] = [str(before.dtypes[0]), str(after.dtypes[0])]
    return fact


def displayed_fact(value) -> dict | None:
    """A RuntimeFacts-shaped record of what the cell displayed (the value of its last expression). Pure and
    cheap: kind and shape only, no data is read. None when nothing was displayed."""
    if value is None:
        return None
    fact = {"variable": None, "displayed": True, "scalar": False}
    kind = kind_of(value)
    if kind is not None:
        shape = tuple(value.shape)
        fact["kind"] = kind
        fact["rows_after"] = shape[0] if shape else None
        fact["cols_after"] = shape[1] if len(shape) > 1 else None
        fact["scalar"] = not shape
        return fact
    np = sys.modules.get("numpy")
    if isinstance(value, (bool, int, float, complex, str, bytes)) or (np is not None and isinstance(value, np.generic)):
        fact["kind"] = "scalar"
        fact["scalar"] = True
        return fact
    fact["kind"] = type(value).__name__
    if isinstance(value, (tuple, list, dict, set, frozenset)):
        fact["rows_after"] = len(value)
    return fact


def named_in_order(source: str) -> list[str]:
    """Identifiers in the cell, first occurrence order. Pure."""
    seen: dict[str, None] = {}
    for match in _IDENTIFIER.finditer(source or ""):
        seen.setdefault(match.group(0), None)
    return list(seen)


def python_magic_bodies(source: str) -> list[str]:
    """The bodies of the Python-bodied cell magics a transformed cell runs, in source order. Pure.

    IPython turns `%%time\\nbody` into `get_ipython().run_cell_magic('time', '', 'body\\n')`: the body is a string
    there, so neither the names nor the assignments in it would be seen.
    """
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    calls = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "run_cell_magic"
        and len(node.args) == 3 and all(isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                                        for arg in node.args)
        and node.args[0].value in PYTHON_BODY_CELL_MAGICS
    ]
    calls.sort(key=lambda node: (node.lineno, node.col_offset))
    return [node.args[2].value for node in calls]


def assignment_sources(source: str) -> dict[str, list[str]]:
    """Assigned name -> names its right-hand side reads, in source order (last assignment wins). Pure."""
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    statements = [
        node for node in ast.walk(tree)
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None
    ]
    statements.sort(key=lambda node: (node.lineno, node.col_offset))
    result: dict[str, list[str]] = {}
    for node in statements:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        reads = [n for n in ast.walk(node.value) if isinstance(n, ast.Name)]
        reads.sort(key=lambda n: (n.lineno, n.col_offset))
        read_ids = list(dict.fromkeys(n.id for n in reads))
        for target in targets:
            for target_name in _bound_names(target):
                result[target_name] = read_ids
    return result


def _root_name(node) -> str | None:
    """`df` for df, df["a"], df.loc[...], df.a.b; None for anything else."""
    import ast

    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def changed_names(source: str) -> list[str]:
    """Names a cell rebinds or visibly changes in place, in source order. Pure.

    Rebinding (`df = ...`, `for df in ...`, `import x as df`), item/attribute assignment or del
    rooted in a name (`df["a"] = ...`, `df.loc[m, "a"] = ...`, `del df["a"]`), augmented
    assignment, and method calls known to work in place (`df.drop(..., inplace=True)`,
    `arr.sort()`). Unparsable source (a magic the transformer left) -> every name it mentions,
    which over-attributes rather than hides a change.
    """
    import ast

    try:
        tree = ast.parse(source or "")
    except (SyntaxError, ValueError):
        return named_in_order(source)
    found: list[tuple[int, int, str]] = []

    def add(node, name):
        if name:
            found.append((getattr(node, "lineno", 0), getattr(node, "col_offset", 0), name))

    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
        elif isinstance(node, ast.NamedExpr):
            targets = [node.target]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                add(node, (alias.asname or alias.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            add(node, node.name)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            in_place = node.func.attr in MUTATING_METHODS or any(
                kw.arg == "inplace" and isinstance(kw.value, ast.Constant) and kw.value.value is True
                for kw in node.keywords
            )
            if in_place:
                add(node, _root_name(node.func.value))
        for target in targets:
            for name in _bound_names(target):
                add(target, name)
            if isinstance(target, (ast.Subscript, ast.Attribute)):
                add(target, _root_name(target))
    found.sort()
    return list(dict.fromkeys(name for _, _, name in found))


def _bound_names(target) -> list[str]:
    """Names a target rebinds: `a`, `a, b`, `*rest`; not `df["x"]` or `obj.attr` (those mutate)."""
    import ast

    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _bound_names(element)]
    return []


class _gc_paused:
    """Hold off the cyclic GC while a hook runs.

    A collection due to the user's own allocations would otherwise land inside our few
    milliseconds and be billed to capture (measured: 30-250 ms spikes after big merges).
    It runs at the user's next allocation instead, exactly as it would without TrackIT.
    """

    def __enter__(self):
        import gc

        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        import gc

        if self.was_enabled:
            gc.enable()
        return False


class Probe:
    def __init__(self, shell):
        self.shell = shell
        self.last: dict[str, Entry] | None = None  # state after the previous cell = "before" of the next
        self.named: list[str] = []
        # the running cell's code, the bodies of its Python-bodied cell magics and the code of the run_cell calls
        # nested in it (`%%capture`, `get_ipython().run_cell(...)`): one cell, whose facts cover all of them
        self.sources: list[str] = []
        self._assigned_from: dict[str, list[str]] | None = None  # parsed lazily, only for new or rebound variables
        # ExecutionInfo of the running cell, then of each run_cell nested in it (innermost last)
        self.open_runs: list = []
        self.renumbered = False  # a run nested in the running cell stored history: the cell's reply has its number
        self.pre_seconds = 0.0
        self.pre_cpu_seconds = 0.0
        self.facts: dict[int, list[dict]] = {}
        # execution count the first hooked cell gets; earlier cells have recovered facts at most
        self.installed_at: int | None = None
        self.recovered: list[int] = []
        # wall time and this thread's CPU time per cell: on a shared machine the two differ
        # when the kernel is preempted, and only CPU time is cost we caused
        self.capture_ms: dict[int, float] = {}
        self.capture_cpu_ms: dict[int, float] = {}
        # facts not built yet (count -> what to build them from): a cell's null counts and fingerprints are
        # measured from snapshots after its reply (a push, _push_later) or when the sidecar asks (facts_json), off
        # the cell's time; lazy_ms is that cost
        self.pending: dict[int, tuple[list[tuple], dict | None]] = {}
        self.lazy_ms: dict[int, float] = {}
        self.lazy_cpu_ms: dict[int, float] = {}
        self.measured_in_hooks = 0  # snapshots a cell needed before the sidecar asked (a Run All outrunning it)
        self.reused = 0  # named objects not measured again: still their kept snapshot's data
        self.errors: list[str] = []
        # the sidecar's private socket (push_to): each finished cell's facts are sent there, so the sidecar
        # need not send the kernel a request per cell; a push that fails is dropped (one the socket has no room for,
        # after PUSH_RETRIES) and the sidecar asks
        self.push_path: str | None = None
        self.push_socket: socket.socket | None = None
        self.unpushed: list[int] = []  # finished cells whose facts go out once the kernel is idle (_push_later)
        self._push_timer = None
        self._push_retries = 0  # attempts in a row the socket had no room (PUSH_RETRIES)
        self.pushes_retried = 0  # pushes that found the socket full and went out on a later attempt
        # notices the socket had no room for (_notify), sent before anything else: a cell's when_idle notice must come
        # before its push (the sidecar takes a push it got before the notice for another run's)
        self.unsent_notices: list[dict] = []
        self.notices_retried = 0  # notices that found the socket full and went out on a later attempt
        self.pushed_before_next_cell = 0  # pushes a next cell came too soon for (_before_next_cell)
        self._overtaken = 0  # the last cell counted there
        self._in_burst = False  # a next cell came before the last push, and the kernel has not been idle since
        self.deferred = 0  # measurements a next cell did not wait for: measured once the kernel was idle
        self.measured_before_next_cell = 0  # measurements a next cell waited for (not deferrable, or over the bounds)
        # buffer -> bytes of the snapshots left for idle time (held_buffers), counted until every waiting cell is pushed
        self.deferred_buffers: dict = {}
        self.deferred_bytes = 0

    # The hooks ------------------------------------------------------------
    def pre_run_cell(self, info=None) -> None:
        # A run_cell inside the running cell stores no history, as a rule, and is called from the cell's code; a cell
        # from the frontend stores history and runs under no cell's code, and so starts afresh even if a lost
        # post_run_cell had left a run open.
        if self.open_runs and (not getattr(info, "store_history", True) or self._called_from_cell_code()):
            self._pre_nested(info)
            return
        if not getattr(info, "store_history", True):
            return  # not a cell (_is_hidden_run)
        self.open_runs = [info]
        self.renumbered = False
        started, started_cpu = time.perf_counter(), time.thread_time()
        if self.unpushed:
            self._before_next_cell()
        try:
            import warnings

            with warnings.catch_warnings(), _gc_paused():
                warnings.simplefilter("ignore")
                # transformed_cell has magics turned into Python, so it parses
                source = getattr(info, "transformed_cell", None) or getattr(info, "raw_cell", "") or ""
                self._pre(source)
        except (Exception, KeyboardInterrupt) as error:  # never into the user's cell
            self._note(error)
            self.last = None
        self.pre_seconds = time.perf_counter() - started
        self.pre_cpu_seconds = time.thread_time() - started_cpu

    def _before_next_cell(self) -> None:
        """A cell came before the last cells' facts went out (their push waits for the kernel to be idle, so it does
        not delay this cell): what this cell's code could change in them is measured now, the rest is left (_defer)."""
        if self._push_timer is not None:  # pushed once idle after this cell, not between queued cells
            self._push_timer.cancel()
            self._push_timer = None
        self._in_burst = True
        overtaken = [count for count in self.unpushed if count > self._overtaken]
        self.pushed_before_next_cell += len(overtaken)
        self._overtaken = max(self.unpushed)
        for count in overtaken:  # the sidecar waits for these pushes until the kernel is idle, instead of asking
            self._notify({"execution_count": count, "pushed_by": os.getpid(), "when_idle": True})
        while len(self.unpushed) > MAX_UNPUSHED_EXECUTIONS:
            self._push_out_of_turn(self.unpushed.pop(0))
        try:
            import warnings

            with warnings.catch_warnings(), _gc_paused():
                warnings.simplefilter("ignore")
                self._defer([self.pending[count] for count in overtaken if count in self.pending])
        except (Exception, KeyboardInterrupt) as error:  # never into the user's cell: those facts are measured later
            self._note(error)

    def _defer(self, waiting: list[tuple[list[tuple], dict | None]]) -> None:
        """Leave a newly waiting cell's measurement for when the kernel is idle only if no later cell can change what it
        measures: a snapshot keep_key would keep (Arrow strings only: memory no code of the user can write, the same
        rule that lets a kept snapshot stand for later states, see holds_same_data), within DEFERRED_BYTES. Anything
        else (a numpy array or block, which user code can write unseen by pandas; too big a frame) is measured now,
        before this cell's code runs, as before kern7. A deferred measurement gets its key at once, so a named frame
        still reading that memory shares it (holds_same_data) instead of being snapshotted and measured again."""
        held = self.deferred_buffers
        seen = set()
        for specs, _shown in waiting:
            for _name, before, after, _unchanged_shape, against in specs:
                for entry in (before, after, against[1] if against else None):
                    measurement = entry.m if entry is not None else None
                    if measurement is None or measurement.pending is None or id(measurement) in seen:
                        continue
                    seen.add(id(measurement))
                    if measurement.key is not None:  # deferred at an earlier cell: counted then
                        continue
                    key = buffers = None
                    if measurement.from_snapshot:
                        try:
                            key = keep_key(measurement.pending, entry.kind)
                            buffers = held_buffers(measurement.pending) if key is not None else None
                        except Exception:  # another pandas layout: measured now
                            key = None
                    added = 0 if key is None else sum(size for buffer, size in buffers.items() if buffer not in held)
                    if key is not None and self.deferred_bytes + added <= DEFERRED_BYTES:
                        measurement.key = key
                        held.update(buffers)
                        self.deferred_bytes += added
                        self.deferred += 1
                    else:
                        measurement.resolve(entry)  # an error is noted when its facts are built
                        self.measured_before_next_cell += 1

    def _called_from_cell_code(self) -> bool:
        """Whether a cell's code is running below this hook (`get_ipython().run_cell(code, store_history=True)`):
        IPython names each cell's compiled code in its compiler's map (a frame of it is the running cell's)."""
        cells = getattr(getattr(self.shell, "compile", None), "_filename_map", None)
        if not cells:
            return False
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename in cells:
                return True
            frame = frame.f_back
        return False

    def _pre_nested(self, info) -> None:
        """A run_cell nested in the running cell: the outer cell's facts cover it. What its code names is measured
        now, before that code runs, and its assignments count as the cell's."""
        self.open_runs.append(info)
        self.renumbered = self.renumbered or bool(getattr(info, "store_history", False))
        started, started_cpu = time.perf_counter(), time.thread_time()
        try:
            import warnings

            with warnings.catch_warnings(), _gc_paused():
                warnings.simplefilter("ignore")
                source = getattr(info, "transformed_cell", None) or getattr(info, "raw_cell", "") or ""
                if source not in self.sources:  # else the body of a `%%capture` the cell's own code was read for
                    known = set(self.named)
                    new = [name for name in self._add_sources(source) if name not in known]
                    self.named.extend(new)
                    self._measure_named(new)
        except (Exception, KeyboardInterrupt) as error:  # never into the user's cell
            self._note(error)
            self.last = None
        self.pre_seconds += time.perf_counter() - started
        self.pre_cpu_seconds += time.thread_time() - started_cpu

    def _ends_nested_run(self, result) -> bool:
        """Close the run `result` ends; True if it was nested in a cell still running (nothing to record yet).

        IPython sends post_run_cell without pre_run_cell for empty code: inside a cell, that is a nested run too."""
        runs = self.open_runs
        if not runs:
            return False
        info = getattr(result, "info", None)
        for depth in range(len(runs) - 1, -1, -1):
            if runs[depth] is info:
                del runs[depth:]
                return bool(runs)
        if info is None:  # no result (the run failed before it had one), or one that does not say: the innermost
            runs.pop()
            return bool(runs)
        return True

    @staticmethod
    def _is_hidden_run(result) -> bool:
        """A run from the frontend that stores no history (VS Code's variables view, data viewer and start-up code:
        execute_request with store_history=False) is not a cell: IPython gives its result the count the NEXT cell
        will take (it bumps execution_count only with history), so its facts would be taken for that cell. It gets
        no record and no push; what it changes (nothing, as a rule: it reads) is in the next cell's facts."""
        return not getattr(getattr(result, "info", None), "store_history", True)

    def post_run_cell(self, result=None) -> None:
        if self._ends_nested_run(result) or self._is_hidden_run(result):
            return
        started, started_cpu = time.perf_counter(), time.thread_time()
        count = getattr(result, "execution_count", None)
        if self.renumbered and isinstance(getattr(self.shell, "execution_count", None), int):
            count = self.shell.execution_count - 1  # the number the nested run took, which the reply reports
        specs: list[tuple] = []
        shown = None
        try:
            import warnings

            with warnings.catch_warnings(), _gc_paused():
                warnings.simplefilter("ignore")
                specs = self._post()
                shown = displayed_fact(getattr(result, "result", None))
        except (Exception, KeyboardInterrupt) as error:
            self._note(error)
            self.last = None
        if count is not None:
            self.facts.pop(count, None)
            self.pending[count] = (specs, shown)
            self.capture_ms[count] = (self.pre_seconds + time.perf_counter() - started) * 1000.0
            self.capture_cpu_ms[count] = (self.pre_cpu_seconds + time.thread_time() - started_cpu) * 1000.0
            # snapshots hold old data alive: facts nobody asked for within a few cells are built and let go (those
            # waiting for their push are bounded in _before_next_cell)
            waiting = sorted(c for c in self.pending if c not in self.unpushed)
            while len(waiting) > MAX_PENDING_EXECUTIONS:
                self.facts_for(waiting.pop(0))
            while len(self.facts) + len(self.pending) > MAX_KEPT_EXECUTIONS:
                oldest = min([*self.facts, *self.pending])
                for kept in (self.facts, self.pending, self.capture_ms, self.capture_cpu_ms, self.lazy_ms,
                             self.lazy_cpu_ms):
                    kept.pop(oldest, None)
            if self.push_path is not None:
                self._push_later(count)

    def _push_later(self, count: int) -> None:
        """Measure and push the cell's facts once its reply is out and no next cell came: a timer on the kernel's
        event loop (see PUSH_AFTER_REPLY_SECONDS; a next cell puts it off until after its own reply,
        _before_next_cell, and then waits BURST_IDLE_SECONDS). Outside a running loop (IPython in a terminal, no
        kernel), at once."""
        self.unpushed.append(count)
        try:
            import asyncio

            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._push_unpushed()
            return
        if self._push_timer is None:
            idle = BURST_IDLE_SECONDS if self._in_burst else PUSH_AFTER_REPLY_SECONDS
            self._push_timer = loop.call_later(idle, self._push_unpushed)

    def _push_unpushed(self) -> None:
        """Every waiting cell's facts, oldest first (from the timer, once the kernel is idle; never raises). A push the
        socket has no room for is tried again PUSH_RETRY_SECONDS later, with the rest."""
        if self._push_timer is not None:
            self._push_timer.cancel()
            self._push_timer = None
        while self.unsent_notices or self.unpushed:
            waiting = self.unsent_notices or self.unpushed  # the notices first, in the order they were made
            if self._send(waiting[0]) if waiting is self.unsent_notices else self._push(waiting[0]):
                waiting.pop(0)
                if waiting is self.unsent_notices:
                    self.notices_retried += 1
                else:
                    self.pushes_retried += self._push_retries > 0
                self._push_retries = 0
                continue
            self._push_retries += 1
            if self._push_retries < PUSH_RETRIES and self._push_again_later():
                return
            self.unpushed.clear()  # the sidecar asks for these
            self.unsent_notices.clear()
            self._push_retries = 0
        self.deferred_buffers, self.deferred_bytes = {}, 0
        self._in_burst = False

    def _push_again_later(self) -> bool:
        try:
            import asyncio

            self._push_timer = asyncio.get_running_loop().call_later(PUSH_RETRY_SECONDS, self._push_unpushed)
            return True
        except RuntimeError:  # no running loop (IPython in a terminal): nothing to wait on
            return False

    def _notify(self, notice: dict) -> None:
        """Send a notice after those still waiting; one the socket has no room for waits with them, and they are sent
        again when the next cell comes and with the pushes (_push_unpushed: PUSH_RETRIES, then dropped)."""
        while self.unsent_notices and self._send(self.unsent_notices[0]):
            self.unsent_notices.pop(0)
            self.notices_retried += 1
        if self.unsent_notices or not self._send(notice):
            self.unsent_notices.append(notice)

    def _push_out_of_turn(self, count: int) -> None:
        """Push one cell now, once, if no notice is waiting (they go first); else neither its push nor its notice goes
        out, and the sidecar asks for it."""
        if not self.unsent_notices:
            self._push(count)
        else:
            self.unsent_notices = [notice for notice in self.unsent_notices if notice["execution_count"] != count]

    def _send(self, notice: dict) -> bool:
        """False if the socket had no room, else True (sent, or lost for good: the sidecar asks instead)."""
        try:
            self.push_socket.sendto(json.dumps(notice).encode("utf-8"), self.push_path)
        except OSError as error:
            return error.errno not in (errno.EAGAIN, errno.ENOBUFS)
        return True

    def _push(self, count: int) -> bool:
        """Send one cell's facts; False if the socket had no room (sent again later: _push_unpushed), else True (sent,
        or lost for good: the sidecar asks)."""
        try:
            try:
                self.push_socket.sendto(facts_payload(self, count, pushed_by=os.getpid()).encode("utf-8"),
                                        self.push_path)
            except OSError as error:
                if error.errno in (errno.EAGAIN, errno.ENOBUFS):
                    return False
                if error.errno != errno.EMSGSIZE:
                    raise
                # too big for one datagram: say so, so the sidecar asks at once instead of waiting for it (that notice
                # stands for the push: tried again as the push would be)
                return self._send({"execution_count": count, "pushed_by": os.getpid(), "too_big": True})
        except (Exception, KeyboardInterrupt) as error:  # gone: the sidecar will ask instead
            if not isinstance(error, OSError):
                self._note(error)
        return True

    def facts_for(self, count: int) -> list[dict] | None:
        """The facts of one execution, built (and measured from its snapshots) on first request."""
        spec = self.pending.pop(count, None)
        if spec is not None:
            started, started_cpu = time.perf_counter(), time.thread_time()
            try:
                import warnings

                with warnings.catch_warnings(), _gc_paused():
                    warnings.simplefilter("ignore")
                    self.facts[count] = self._build(*spec)
            except (Exception, KeyboardInterrupt) as error:
                self._note(error)
                self.facts[count] = []
            self.lazy_ms[count] = (time.perf_counter() - started) * 1000.0
            self.lazy_cpu_ms[count] = (time.thread_time() - started_cpu) * 1000.0
        return self.facts.get(count)

    def _build(self, specs: list[tuple], shown: dict | None) -> list[dict]:
        records = []
        for name, before, after, unchanged_shape, against in specs:
            if not unchanged_shape:
                changed = True
            elif before.fingerprint is not None and after.fingerprint is not None:
                changed = before.fingerprint != after.fingerprint  # same shape: did the values change?
            else:
                changed = None  # not measurable: unknown, not "unchanged"
            for entry in (before, after, against[1] if against else None):
                if entry is not None and entry.m is not None and entry.m.resolve(entry).error is not None:
                    self._note(entry.m.error)
                    entry.m.error = None
            record = build_fact(name, against[1] if against else before, after)
            if changed is not None:
                record["changed"] = changed
            if against is not None:
                record["before_variable"] = against[0]
            records.append(record)
        if shown is not None:
            records.append(shown)
        return records

    # The work ------------------------------------------------------------
    def _tracked(self):
        found = 0
        for name, obj in list(self.shell.user_ns.items()):
            if name[:1] == "_" or name in _SKIP_NAMES:
                continue
            kind = kind_of(obj)
            if kind is None:
                continue
            found += 1
            if found > MAX_TRACKED_OBJECTS:
                return
            yield name, obj, kind

    def _measure(self, entry: Entry, obj) -> None:
        """Null count and fingerprint of `obj` as it is now: from a snapshot, when asked, if that is safe."""
        if lazy_safe(entry.kind):
            entry.m = Measurement(snapshot(obj, entry.kind), from_snapshot=True)
        else:
            entry.m = Measurement(obj).resolve(entry)
            if entry.m.error is not None:
                raise entry.m.error

    def _entry(self, obj, kind: str, previous: Entry | None = None) -> Entry | None:
        """Entry for one object; an object whose attributes raise is skipped, not fatal."""
        try:
            return Entry(obj, kind, previous)
        except Exception as error:
            self._note(error)
            return None

    def _measured(self, entry: Entry, obj) -> bool:
        try:
            self._measure(entry, obj)
            return True
        except Exception as error:
            self._note(error)
            return False

    def _pre(self, source: str) -> None:
        self.sources = []
        self.named = self._add_sources(source)
        self._measure_named(self.named)

    def _add_sources(self, source: str) -> list[str]:
        """Add the code and the bodies of its Python-bodied cell magics (as IPython will run them) to the cell's
        sources; returns the names they mention."""
        added = [source]
        for code in added:  # a body may hold another cell magic (`%%capture` over `%%time`): read on
            if "run_cell_magic" in code:
                for body in python_magic_bodies(code):
                    try:
                        added.append(self.shell.transform_cell(body))
                    except Exception:  # IPython will fail the same body: its names still say what it touches
                        added.append(body)
        self.sources.extend(added)
        self._assigned_from = None
        if len(added) == 1:
            return named_in_order(source)
        return list(dict.fromkeys(name for code in added for name in named_in_order(code)))

    def _measure_named(self, names: list[str]) -> None:
        if self.last is None:
            self.last = {}
            for name, obj, kind in self._tracked():
                entry = self._entry(obj, kind)
                if entry is not None:
                    self.last[name] = entry
        user_ns = self.shell.user_ns
        # Objects named in the cell may be changed in place without a shape change
        # (df["age"] = df["age"].fillna(...)): measure them now so "before" is real.
        for name in names:
            obj = user_ns.get(name)
            kind = kind_of(obj) if obj is not None else None
            if kind is None:
                continue
            entry = self.last.get(name)
            fresh = self._entry(obj, kind, entry)
            if fresh is None:
                self.last.pop(name, None)
                continue
            if entry is None or not entry.is_same_object(obj) or not entry.same_metadata(fresh):
                entry = fresh
                self.last[name] = entry
            if entry.m is None:
                self._measured(entry, obj)
            elif entry.m.pending is not None and entry.m.key is None:
                # the sidecar has not asked for the last cell's facts yet and this cell may write the object
                # in place: measure now rather than make the user's write copy its data (copy-on-write). Not one left
                # for when idle (_defer): kept after measuring, its snapshot would make that write copy anyway
                entry.m.resolve(entry)
                self.measured_in_hooks += 1

    def _post(self) -> list[tuple]:
        """What changed, to build facts from when asked: (name, before, after, unchanged shape, (name, entry) of
        the object a new or rebound variable was made from, or None)."""
        before_all = self.last or {}
        named = set(self.named)
        after_all: dict[str, Entry] = {}
        changes = []
        for name, obj, kind in self._tracked():
            before = before_all.get(name)
            after = self._entry(obj, kind, before)
            if after is None:
                continue
            after_all[name] = after
            same_object = before is not None and before.is_same_object(obj)
            unchanged_shape = same_object and before.same_metadata(after)
            if unchanged_shape and name not in named:
                after.m = before.m  # the same object, not touched: the same measurement
                continue
            if unchanged_shape and before.m is not None and before.m.holds_same_data(obj, kind):
                # named, but still its kept snapshot's data: memory no code can write (keep_key)
                after.m = before.m
                self.reused += 1
            else:
                self._measured(after, obj)
            changes.append((name, before, after, same_object, unchanged_shape))
        self.last = after_all
        specs = []
        for name, before, after, same_object, unchanged_shape in changes:
            against = None
            # A new name, or a name the cell rebinds from other names (`data = final.query(...)` run
            # again), is measured against the object it was made from, not the name's previous value.
            if before is None or (not same_object and self._rebinds_from_others(name)):
                found, entry = self._baseline(name, after, after_all)
                against = (found, entry) if found is not None else None
                if against is None:
                    before = None
            specs.append((name, before, after, unchanged_shape, against))
        return specs

    def _assignments(self) -> dict[str, list[str]]:
        """Assigned name -> names read, over the cell's sources in the order they ran (a later one wins)."""
        if self._assigned_from is None:
            merged: dict[str, list[str]] = {}
            for source in self.sources:
                merged.update(assignment_sources(source))
            self._assigned_from = merged
        return self._assigned_from

    def _rebinds_from_others(self, name: str) -> bool:
        """The cell's last assignment to `name` does not read `name` itself."""
        sources = self._assignments().get(name)
        return sources is not None and name not in sources

    def _baseline(self, name: str, after: Entry, after_all: dict) -> tuple[str | None, Entry | None]:
        """(name, entry) of the object a new or rebound variable was most likely made from, as it is now.

        Heuristic: the first name read by the right-hand side of the statement that assigned
        the variable and holding an object of the same kind: `train = df[df.age > 0]` -> df;
        `merged = left.merge(right)` -> left; `X_tr, X_te, y_tr, y_te = split(X, y)` -> X / y.
        Its state after the cell is used: a cell that changes df and then derives from it
        derives from the changed df. No assignment found (or a magic-laden cell) -> (None, None).
        """
        for candidate in self._assignments().get(name, ()):
            if candidate == name:
                continue
            entry = after_all.get(candidate)
            if entry is not None and entry.kind == after.kind:
                return candidate, entry
        return None, None

    def recover_earlier_cells(self) -> None:
        """Facts for cells that ran before the probe existed, from the namespace as it is now.

        Each tracked variable's current state is credited to the last earlier cell that rebinds
        or visibly changes it (changed_names); only "after" values are known. Also becomes the
        "before" of the next cell, so the first hooked cell needs no fresh scan.
        """
        shell = self.shell
        first_hooked = int(getattr(shell, "execution_count", 1) or 1)
        self.installed_at = first_hooked
        if first_hooked <= 1:
            return
        history = getattr(getattr(shell, "history_manager", None), "input_hist_parsed", None) or []
        first_kept = max(1, first_hooked - MAX_KEPT_EXECUTIONS)  # bounded work for a long-lived kernel
        last_change: dict[str, int] = {}
        for count in range(first_kept, first_hooked):
            source = history[count] if count < len(history) else ""
            for name in changed_names(source):
                last_change[name] = count
        current: dict[str, Entry] = {}
        recovered: dict[int, list[dict]] = {count: [] for count in range(first_kept, first_hooked)}
        for name, obj, kind in self._tracked():
            entry = self._entry(obj, kind)
            if entry is None:
                continue
            current[name] = entry
            count = last_change.get(name)
            if count is not None and self._measured(entry, obj):
                recovered[count].append(build_fact(name, None, entry))
        for count, facts in recovered.items():
            if count not in self.facts:
                self.facts[count] = facts
                self.recovered.append(count)
        self.last = current

    def _note(self, error: BaseException) -> None:
        self.errors.append(type(error).__name__ + ": " + str(error)[:300])
        del self.errors[:-20]


# ------------------------------------------------------------------ entry points for the sidecar
_probe: Probe | None = None


def install(shell) -> str:
    """Register the hooks once per kernel. Returns 'installed' or 'already'."""
    global _probe
    if _probe is not None and _probe.shell is shell:
        return "already"
    if _probe is not None:
        uninstall()
    probe = Probe(shell)
    with _gc_paused():
        try:
            probe.recover_earlier_cells()
        except Exception as error:  # recovery is a bonus: the hooks matter more
            probe._note(error)
            probe.last = None
    _probe = probe
    shell.events.register("pre_run_cell", _probe.pre_run_cell)
    shell.events.register("post_run_cell", _probe.post_run_cell)
    return "installed"


def uninstall() -> None:
    global _probe
    if _probe is None:
        return
    for event, callback in (("pre_run_cell", _probe.pre_run_cell), ("post_run_cell", _probe.post_run_cell)):
        try:
            _probe.shell.events.unregister(event, callback)
        except ValueError:
            pass
    if _probe._push_timer is not None:
        _probe._push_timer.cancel()
    if _probe.push_socket is not None:
        _probe.push_socket.close()
    _probe = None


def push_to(path: str) -> str:
    """Send each finished cell's facts to the sidecar's socket at `path` from now on (a later call replaces it).

    Non-blocking, never stalls the user's cell: a push a full socket has no room for is sent again a few ms later
    (PUSH_RETRY_SECONDS), one to a missing socket is dropped."""
    probe = _probe
    if probe is None:
        return "not installed"
    if probe.push_socket is None:
        probe.push_socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        probe.push_socket.setblocking(False)
    probe.push_path = path
    return "pushing"


def facts_json(execution_count: int) -> str:
    """JSON for one execution: {"execution_count", "known", "facts", "capture_ms"}."""
    if _probe is not None and execution_count in _probe.unpushed:  # asked before its push went out: not twice ...
        if execution_count > _probe._overtaken:
            _probe.unpushed.remove(execution_count)
        elif not _probe.unsent_notices:
            # ... unless the sidecar was told this push comes once the kernel is idle: it waits for that push (up to
            # a minute), and whoever asked here (another client of the kernel) is not the sidecar; the facts are
            # built once (facts_for keeps them), so the push and this answer are the same. While notices wait to be
            # sent it stays in turn behind them (a push before its cell's notice would be taken for another run's)
            _probe.unpushed.remove(execution_count)
            _probe._push(execution_count)
    return facts_payload(_probe, execution_count)


def facts_payload(probe: Probe | None, execution_count: int, pushed_by: int | None = None) -> str:
    facts = probe.facts_for(execution_count) if probe is not None else None
    return json.dumps(
        {
            "execution_count": execution_count,
            "known": facts is not None,
            "recovered": probe is not None and execution_count in probe.recovered,
            "facts": facts or [],
            "capture_ms": probe.capture_ms.get(execution_count) if probe else None,
            "capture_cpu_ms": probe.capture_cpu_ms.get(execution_count) if probe else None,
            "lazy_ms": probe.lazy_ms.get(execution_count) if probe else None,
            **({"pushed_by": pushed_by} if pushed_by is not None else {}),  # the kernel process
        },
        default=str,
    )


def stats_json() -> str:
    """Every per-cell capture time and the last errors (for the benchmark and debugging)."""
    probe = _probe
    return json.dumps(
        {
            "installed": probe is not None,
            "capture_ms": probe.capture_ms if probe else {},
            "capture_cpu_ms": probe.capture_cpu_ms if probe else {},
            "lazy_ms": probe.lazy_ms if probe else {},
            "lazy_cpu_ms": probe.lazy_cpu_ms if probe else {},
            "measured_in_hooks": probe.measured_in_hooks if probe else 0,
            "pushed_before_next_cell": probe.pushed_before_next_cell if probe else 0,
            "deferred": probe.deferred if probe else 0,
            "measured_before_next_cell": probe.measured_before_next_cell if probe else 0,
            "reused": probe.reused if probe else 0,
            "pushes_retried": probe.pushes_retried if probe else 0,
            "notices_retried": probe.notices_retried if probe else 0,
            "errors": probe.errors if probe else [],
            "installed_at": probe.installed_at if probe else None,
            "recovered": probe.recovered if probe else [],
            "version": PROBE_VERSION,
        },
        default=str,
    )
