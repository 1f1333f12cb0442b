"""What the probe knows of one variable at one moment (Entry) and its null counts (in all and, of a frame, by column)
and fingerprint, measured at once or later from a snapshot (Measurement)."""

from __future__ import annotations

import weakref

from . import fingerprints, nulls
from .kept_memory import data_key, keep_key
from .object_strings import OBJECT_STRING_COLUMNS
from .objects import frame_dtypes, metadata


class Measurement:
    """An object's null count and fingerprint as they were at one moment: computed at once, or when first asked
    for, from a snapshot the user's code cannot change (lazy_safe). Entries of an object that did not change
    share one, and so do those of a named object still reading the kept snapshot's data (holds_same_data)."""

    __slots__ = ("pending", "nulls", "column_nulls", "fingerprint", "sampled", "error", "from_snapshot", "kept", "key",
                 "private", "column_digests", "known", "maybe_changed")

    def __init__(self, pending=None, from_snapshot: bool = False, known: tuple | None = None):
        self.pending = pending  # the snapshot (or object) still to measure, or None once measured
        self.nulls = None
        self.column_nulls = None  # of a frame: {column: missing values} of columns that have any (nulls.null_counts)
        self.fingerprint = None
        self.sampled = False
        self.error = None
        self.from_snapshot = from_snapshot
        self.kept = None  # the measured snapshot, kept (keep_key) ...
        self.key = None  # ... with the memory it reads (also of a snapshot left to measure when idle, Probe._defer)
        # pending is an unfinished fingerprint of what reads no writable memory (measure_writable)
        self.private = False
        # of a frame, once measured: (rows hashed, {label: digest}) of its columns but strings (_column_digests)
        self.column_digests = None
        # of a frame whose columns a cell only stored to (tracking._known_columns): (rows hashed, {label: digest},
        # {label: missing values} or None) of the others, as measured before the cell; dropped once measured
        self.known = known
        # the object may have been changed since, through a name the changing cell did not hold it under
        # (tracking._mark_maybe_changed): this stands for its data no more, only for its state when measured
        self.maybe_changed = False

    def resolve(self, entry: "Entry") -> "Measurement":
        obj = self.pending
        if isinstance(obj, fingerprints.UnfinishedFingerprint):  # counted and read where writable (measure_writable)
            self.pending = None
            try:
                self.fingerprint, self.sampled = obj.finish()
            except Exception as error:
                self.error = error
            return self
        if obj is not None:
            self.pending = None
            known, self.known = self.known, None
            try:
                with OBJECT_STRING_COLUMNS.reading():
                    self.nulls, self.column_nulls = nulls.null_counts(obj, entry.kind, known[2] if known else None,
                                                                      entry.columns)
                    digests = []
                    self.fingerprint, self.sampled = fingerprints.fingerprint(obj, entry.kind, entry, known, digests)
                self.column_digests = digests[0] if digests else None
            except Exception as error:  # a failed measurement still reports shape and columns
                self.error = error
                self.key = None  # nothing stands for later states
                return self
            if self.from_snapshot and not self.private:
                # a snapshot left for idle time was judged then (Probe._defer) and cannot have changed since
                if self.key is None:
                    try:
                        self.key = keep_key(obj, entry.kind)
                    except Exception:  # another pandas layout: measured every time, as before
                        self.key = None
                self.kept = obj if self.key is not None else None
        return self

    def measure_writable(self, entry: "Entry") -> list:
        """Of a DataFrame snapshot (neither kept nor copied, Probe._defer): count its nulls and hash what user code
        can write now, and leave its Arrow string columns' digests and its object columns' of immutable objects
        (fingerprint_leaving_strings) for resolve(). What the left digests read: Arrow arrays (ChunkedArrays) and the
        probe's copies of object columns (numpy arrays); empty: nothing left, fully measured."""
        obj = self.pending
        known, self.known = self.known, None
        try:
            with OBJECT_STRING_COLUMNS.reading():
                self.nulls, self.column_nulls = nulls.null_counts(obj, entry.kind, known[2] if known else None,
                                                                  entry.columns)
                unfinished = fingerprints.fingerprint_leaving_strings(obj, entry, known)
        except Exception as error:  # as resolve() records it
            self.pending, self.error, self.key = None, error, None
            return []
        self.column_digests = unfinished.digests
        # what is left reads no object of the user's: never kept, nor re-measured before a cell (private)
        self.pending, self.private = unfinished, True
        if not unfinished.left:
            self.resolve(entry)
            return []
        return unfinished.left_arrays()

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

    # null counts and fingerprint: measured when first read (Measurement)
    @property
    def nulls(self):
        return self.m.resolve(self).nulls if self.m is not None else None

    @property
    def column_nulls(self):
        return self.m.resolve(self).column_nulls if self.m is not None else None

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

    def still_describes(self, obj, kind: str) -> bool:
        """Whether this entry, measured, still describes `obj` as far as metadata can tell: the same object with the
        same shape, columns and dtypes (what a new Entry would compare with same_metadata; the column labels are reused
        while the Index object is the same, as __init__ does). Then it can stand for the object's next state as it is,
        instead of a new Entry sharing its measurement (NamespaceTracking._post): nothing of an Entry changes once it
        is measured, and a new one would hold the same. An entry never measured (m is None) can still be measured, so
        it is not reused (its measurement could then be read by facts of an earlier state)."""
        if self.m is None or kind != self.kind or not self.is_same_object(obj):
            return False
        if kind == "DataFrame":
            # the same column Index object (immutable): the same labels, so the same number of columns; what is left to
            # compare is the rows (len(obj.index), which obj.shape reads with the columns') and the dtypes
            return obj.columns is self.labels and len(obj.index) == self.shape[0] and \
                frame_dtypes(obj) == self.dtypes
        shape, columns, dtypes = metadata(obj, kind)
        return shape == self.shape and columns == self.columns and dtypes == self.dtypes

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
