"""Hashing Arrow arrays by the bytes their rows occupy, and the digests of Arrow string columns reused while the
same immutable array is hashed over the same rows (StringColumnDigests)."""

from __future__ import annotations

import sys
import weakref

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


def _arrow_strings(values):
    """The ChunkedArray of an Arrow-backed string/binary pandas column, else None."""
    pa_array = getattr(values, "_pa_array", None)
    return pa_array if pa_array is not None and str(pa_array.type) in _ARROW_STRING_TYPES else None
