"""Fingerprints: a hash of an object's header (kind, shape, columns, dtypes) and its data, a digest per column
over rows chosen by the row count (sampled above SAMPLE_THRESHOLD_CELLS)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .arrow_hashing import STRING_COLUMN_DIGESTS, _arrow_strings, _hash_chunked_rows
from .nulls import column_arrays
from .object_strings import OBJECT_STRING_COLUMNS, LeftObjectDigest

if TYPE_CHECKING:
    from .measurements import Entry

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


_hasher_factory = None


def choose_hasher() -> None:
    """Decide the hasher (import xxhash: ~0.8 ms, ~5 ms from a cold disk): the probe's install calls it, so that it is
    not in the first measuring, which in a Run All is in a cell's time."""
    global _hasher_factory
    if _hasher_factory is None:
        try:
            import xxhash

            _hasher_factory = (xxhash.xxh3_128, "xxh3_128")
        except Exception:  # xxhash is optional in the user's kernel
            import hashlib

            _hasher_factory = (lambda: hashlib.blake2b(digest_size=16), "blake2b")


def _new_hasher():
    """(hasher, algorithm name): xxh3_128 if the kernel has xxhash, else blake2b. Decided once (choose_hasher)."""
    if _hasher_factory is None:
        choose_hasher()
    factory, name = _hasher_factory
    return factory(), name



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


def _range_index_bytes(index) -> bytes | None:
    """What a fingerprint hashes of a RangeIndex (it holds no data), else None."""
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(index, pd.RangeIndex):
        return repr(("range", index.start, index.stop, index.step)).encode()
    return None


def _hash_pandas_index(hasher, index, ranges) -> None:
    range_bytes = _range_index_bytes(index)
    if range_bytes is not None:
        hasher.update(range_bytes)
        return
    try:
        _hash_pandas_values(hasher, index.array, ranges)
    except Exception:  # MultiIndex has no .array
        for start, stop in ranges:
            _hash_object_values(hasher, [repr(v) for v in index[start:stop]])



def _column_digest(values, ranges, rows_of) -> bytes:
    """The digest of a column's bytes over the row ranges (a column whose layout the readers do not know: the pandas
    hash or repr of rows_of(start, stop), its values over each range)."""
    hasher, _ = _new_hasher()
    try:
        _hash_pandas_values(hasher, values, ranges)
    except Exception:
        hasher, _ = _new_hasher()  # nothing of a reading that failed half-way
        for start, stop in ranges:
            _hash_object_values(hasher, rows_of(start, stop))
    return hasher.digest()


def _string_column_digest(strings, values, ranges, rows_of) -> bytes:
    """An Arrow string column's digest, reused while the same immutable array is hashed over the same rows."""
    rows_hashed = tuple(ranges)
    digest = STRING_COLUMN_DIGESTS.get(strings, rows_hashed)
    if digest is None:
        digest = _column_digest(values, ranges, rows_of)
        STRING_COLUMN_DIGESTS.add(strings, rows_hashed, digest)
    return digest


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


class UnfinishedFingerprint:
    """A DataFrame's fingerprint whose reading of memory user code can write is done (its numpy columns' digests, a
    non-range index, which objects its object columns list) and whose Arrow string columns' digests, object columns'
    digests and header are left for later: those read only an immutable Arrow array (held here: the snapshot's own
    pandas wrapper over it), immutable objects listed in a copy of the probe's own (LeftObjectDigest) and the Entry's
    fixed metadata. finish() feeds the same bytes in the same order as fingerprint(), hence the same fingerprint."""

    __slots__ = ("hasher", "algorithm", "header", "feeds", "ranges", "sampled", "left", "digests", "next_left")

    def digest_next(self) -> bool:
        """Compute the first left digest (an Arrow string column's or an object column's), in place of what it reads:
        an idle push does them one by one, stopping between them for a waiting message (idle_measuring). False if
        none was left."""
        feeds = self.feeds
        for at in range(self.next_left, len(feeds)):  # those before next_left are digested
            feed = feeds[at]
            if type(feed) is tuple or type(feed) is LeftObjectDigest:
                feeds[at] = self._digest(feed)
                self.left -= 1
                self.next_left = at + 1
                return True
        self.next_left = len(feeds)
        return False

    def left_arrays(self) -> list:
        """What the digests still left read (Arrow ChunkedArrays, the probe's copies of object columns): held while
        a next cell runs, as Deferral holds them (DEFERRED_BYTES)."""
        return [feed[0] if type(feed) is tuple else feed.objects for feed in self.feeds
                if type(feed) is tuple or type(feed) is LeftObjectDigest]

    def _digest(self, feed) -> bytes:
        series = sys.modules.get("pandas").Series
        if type(feed) is tuple:  # (Arrow strings, the column's pandas array): its digest
            strings, values = feed
            return _string_column_digest(strings, values, self.ranges,
                                         lambda start, stop, values=values: series(values, copy=False)[start:stop])
        # an object column's immutable objects: their digest, kept for reuse
        left, rows_hashed = feed, tuple(self.ranges)
        digest = left.digests.get(rows_hashed)
        if digest is None:
            objects = left.objects
            digest = _column_digest(objects, self.ranges, lambda start, stop: series(objects, copy=False)[start:stop])
            left.digests[rows_hashed] = digest
        return digest

    def finish(self) -> tuple[str, bool]:
        hasher = self.hasher
        if self.header is not None:
            hasher.update(_header(*self.header).encode("utf-8", "replace"))
        for feed in self.feeds:
            hasher.update(self._digest(feed) if type(feed) is tuple or type(feed) is LeftObjectDigest else feed)
        self.feeds = ()
        return f"{self.algorithm}/{FINGERPRINT_LAYOUT}:{hasher.hexdigest()}", self.sampled


def fingerprint_leaving_strings(obj, entry: Entry, known: tuple | None = None) -> UnfinishedFingerprint:
    """A DataFrame's fingerprint with only what user code can write read now (UnfinishedFingerprint); `left` says
    how many Arrow string and object columns were left (none: finish() only combines). `known`, `digests`: as
    _column_digests."""
    hasher, algorithm = _new_hasher()
    unfinished = UnfinishedFingerprint()
    unfinished.hasher, unfinished.algorithm, unfinished.left, unfinished.next_left = hasher, algorithm, 0, 0
    nrows = entry.rows or 0
    ranges, unfinished.sampled = row_ranges(nrows, entry.cols or 1)
    unfinished.ranges = ranges
    feeds = unfinished.feeds = []
    range_bytes = _range_index_bytes(obj.index)
    if range_bytes is not None:  # all the header and index read is fixed: both left
        unfinished.header = ("DataFrame", entry)
        feeds.append(range_bytes)
    else:
        unfinished.header = None
        hasher.update(_header("DataFrame", entry).encode("utf-8", "replace"))
        _hash_pandas_index(hasher, obj.index, ranges)
    unfinished.digests = _column_digests(obj, entry.columns, ranges, feeds.append, leave_strings=True, known=known)
    unfinished.left = sum(1 for feed in feeds if type(feed) is tuple or type(feed) is LeftObjectDigest)
    return unfinished


def _column_digests(obj, labels: tuple, ranges, feed, leave_strings: bool, known: tuple | None = None) -> tuple | None:
    """Feed each column's digest of a DataFrame in order: an Arrow string column already hashed over the same rows
    (STRING_COLUMN_DIGESTS) is not read again, nor an object column of strings that holds the same objects
    (OBJECT_STRING_COLUMNS); leave_strings: an Arrow string column is fed as (strings, values), its digest left.

    Returns (rows hashed, {label: digest}) of the other columns (numbers, dates, categories, ...) when the labels are
    distinct strings, else None. `known`: such a pair of the same object measured before a cell that wrote none of
    these labels' columns (tracking: column stores), whose digests are fed as they are when the same rows are hashed.
    leave_strings also leaves the digest of an object column whose immutable objects OBJECT_STRING_COLUMNS keeps
    (fed as LeftObjectDigest)."""
    rows_hashed = tuple(ranges)
    numpy_array = sys.modules["numpy"].ndarray
    record = {} if all(type(label) is str for label in labels) and len(set(labels)) == len(labels) else None
    reusable = known[1] if known is not None and record is not None and known[0] == rows_hashed else {}
    for i, values in enumerate(column_arrays(obj)):
        strings = _arrow_strings(values)
        if strings is not None:
            if leave_strings:
                feed((strings, values))
            else:
                feed(_string_column_digest(strings, values, ranges,
                                           lambda start, stop, i=i: obj.iloc[start:stop, i]))
            continue

        def compute(i=i, values=values):
            return _column_digest(values, ranges, lambda start, stop: obj.iloc[start:stop, i])

        if isinstance(values, numpy_array) and values.dtype.kind == "O" and values.ndim == 1:
            left = OBJECT_STRING_COLUMNS.leave(values, rows_hashed) if leave_strings else None
            feed(left if left is not None else OBJECT_STRING_COLUMNS.digest(values, rows_hashed, compute))
            continue
        digest = reusable.get(labels[i]) if reusable else None
        if digest is None:
            digest = compute()
        feed(digest)
        if record is not None:
            record[labels[i]] = digest
    return (rows_hashed, record) if record is not None else None


def fingerprint(obj, kind: str, entry: Entry, known: tuple | None = None, record: list | None = None) -> tuple[str, bool]:
    """(fingerprint, sampled): "<hash function>/<FINGERPRINT_LAYOUT>:<hex>". Header (kind, shape, columns, dtypes) +
    the data. A DataFrame: its index's bytes, then each column's digest (the hash of its bytes over the rows hashed,
    _column_digests, which `known` is given to and whose column digests are appended to `record`). Other columns are
    read every time: user code can write their memory unseen (see KEEP_BYTES)."""
    hasher, algorithm = _new_hasher()
    hasher.update(_header(kind, entry).encode("utf-8", "replace"))
    nrows = entry.rows or 0
    ranges, sampled = row_ranges(nrows, entry.cols or 1)
    if kind == "DataFrame":
        _hash_pandas_index(hasher, obj.index, ranges)
        digests = _column_digests(obj, entry.columns, ranges, hasher.update, leave_strings=False, known=known)
        if record is not None:
            record.append(digests)
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
