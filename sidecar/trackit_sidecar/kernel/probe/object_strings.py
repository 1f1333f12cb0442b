"""Null counts and digests of pandas object columns of strings (and other immutable scalars), reused while a column
holds the very same objects (ObjectStringColumns)."""

from __future__ import annotations

import sys
import weakref
from contextlib import contextmanager

# Exact types (not subclasses: those can carry state and a repr of their own) whose objects cannot change, and whose
# missingness (pd.isna) and repr (what a fingerprint hashes of an object column) follow from their value alone. numpy
# scalars are not: their repr follows numpy's print options.
IMMUTABLE_SCALAR_TYPES = frozenset({str, int, float, bool, complex, bytes, type(None)})


def _holds_immutable_scalars(nd) -> bool:
    """Whether a 1-D object array lists only objects of IMMUTABLE_SCALAR_TYPES (one pass over it, in C)."""
    return set(map(type, nd.tolist())) <= IMMUTABLE_SCALAR_TYPES


class ObjectStringColumns:
    """Null counts and fingerprint digests of pandas object columns that hold only strings and missing values (None,
    NaN, NA: pandas' is_string_array), or only objects of IMMUTABLE_SCALAR_TYPES (a CSV column of numbers and text that
    pandas left as objects), reused while a column holds the very same objects in the same order.

    Unlike a numpy block of numbers, such a column's facts follow from which objects it holds: a str, those missing
    values and those scalars are immutable, so the same objects have the same null count and the same bytes hashed.
    Which objects it holds is read every time, and cheaply: its pointers (8 bytes a row, one numpy comparison, ~60x
    cheaper than pd.isna over the objects) against a copy of the column taken when it was measured. That copy holds
    a reference to every object it lists, so none of them can be freed and another object be made at its address
    while the entry lives: equal pointers are the same objects. Whoever writes the column (pandas, `.array`,
    `.values` made writable, an array the frame was built over) changes its pointers, and the column is measured
    again; the lookup key (the memory's address and layout) only says where to look, it proves nothing.

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
        # during one reading of a snapshot (reading()): key -> the entry its memory was found to list the objects of.
        # No code of the user's runs within a reading, so its null count and its fingerprint compare a column once
        # (a 66K-row column: ~17 us warm, a 1 MB read cold), not once each.
        self._checked: dict | None = None

    @contextmanager
    def reading(self):
        """One reading of a snapshot's columns (its null counts, then its fingerprint), with no code of the user's
        between: a column found to hold its entry's objects is not compared again until it ends."""
        if self._checked is not None:  # within a reading already: that one ends it
            yield
            return
        self._checked = {}
        try:
            yield
        finally:
            self._checked = None

    def nulls(self, nd) -> int:
        """pd.isna(nd).sum() of a 1-D object array."""
        entry = self._find(nd)
        if entry is not None and entry[1] is not None:
            return entry[1]
        count, strings = self._missing(nd)
        if entry is not None:
            entry[1] = count
        else:
            self._add(nd, count, {}, strings)
        return count

    def _missing(self, nd) -> tuple[int, bool]:
        """(pd.isna(nd).sum(), whether nd was found to hold only strings and None). A column of strings and None (the
        common object column: text with gaps) is counted by its pointers, ~3x faster than pd.isna: None is one object
        (its address), and a str is never missing; any other object and pandas counts."""
        lib = sys.modules.get("pandas._libs.lib")
        if lib is not None and len(nd) >= self.MIN_ROWS:
            np = sys.modules["numpy"]
            none = _pointers(nd) == id(None)
            if lib.is_string_array(nd[~none], skipna=False):
                return int(np.count_nonzero(none)), True
        return int(sys.modules["pandas"].isna(nd).sum()), False

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

    def leave(self, nd, rows_hashed: tuple):
        """Of a 1-D object array this keeps the objects of (_add: strings and missing values, or immutable scalars): its
        digest of rows_hashed if known, else the digest left to compute when idle (LeftObjectDigest: from the kept copy,
        which lists the same objects and which no code of the user can write). None: not kept, read it now (digest)."""
        entry = self._find(nd)
        if entry is None:
            return None
        digest = entry[2].get(rows_hashed)
        return digest if digest is not None else LeftObjectDigest(entry[0], entry[2])

    @staticmethod
    def _key(nd):
        return nd.__array_interface__["data"][0], nd.shape, nd.strides

    def _find(self, nd):
        if nd.ndim != 1 or len(nd) < self.MIN_ROWS:
            return None
        key = self._key(nd)
        entry = self._entries.get(key)
        if entry is None:
            return None
        checked = self._checked
        if checked is not None and checked.get(key) is entry:
            return entry
        np = sys.modules.get("numpy")
        if np.array_equal(_pointers(nd), _pointers(entry[0])):
            if checked is not None:
                checked[key] = entry
            return entry
        self._drop(key)  # written since: its objects are let go
        return None

    def _add(self, nd, count, digests: dict, strings: bool = False) -> None:
        """Keep nd's facts while it holds the same objects, if those are strings and missing values or immutable
        scalars (`strings`: already known to be strings and None)."""
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
        if lib is None or not (strings or lib.is_string_array(nd, skipna=True) or _holds_immutable_scalars(nd)):
            self._others[key] = weakref.ref(owner, lambda gone, key=key: self._forget(key, gone))
            return
        self._drop(key)
        self._entries[key] = entry = [nd.copy(), count, digests, ref]
        if self._checked is not None:  # a copy lists the very objects
            self._checked[key] = entry
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


class LeftObjectDigest:
    """An object column's digest left for idle time (ObjectStringColumns.leave): `objects`, the probe's own copy of the
    column, holds the very objects it held (immutable ones) alive; `digests` is its entry's {rows hashed: digest}, where
    the digest goes once computed (an entry let go since just does not reuse it)."""

    __slots__ = ("objects", "digests")

    def __init__(self, objects, digests: dict):
        self.objects = objects
        self.digests = digests


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
