"""What the probe tracks in the user's namespace: the kind of an object, its cheap change signature (metadata), and
whether and how it can be measured later from a shallow snapshot."""

from __future__ import annotations

import sys


# type -> its kind (kind_of), by id with the type held (its id is not reused while it is here; hashing a type could run
# a metaclass's __hash__, user code): every value of the user's namespace is looked at every cell, most of the same few
# types. At most MAX_KNOWN_TYPES (then forgotten: cells that define classes make new types each run).
_KINDS: dict[int, tuple[type, str | None]] = {}
MAX_KNOWN_TYPES = 1024


def kind_of(obj) -> str | None:
    """The tracked kind of obj, or None. Uses only modules the user already imported.

    type(obj), not isinstance: a proxy's __class__ property must not run user code. Subclasses
    count (GeoDataFrame, a user's own DataFrame subclass).
    """
    cls = type(obj)
    known = _KINDS.get(id(cls))
    if known is not None and known[0] is cls:
        return known[1]
    kind = _kind_of_type(cls)
    if len(_KINDS) >= MAX_KNOWN_TYPES:
        _KINDS.clear()
    _KINDS[id(cls)] = (cls, kind)  # a library imported later cannot make an existing class one of its frames
    return kind


def _kind_of_type(cls) -> str | None:
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
        return copy_on_write()
    return False


def copy_on_write() -> bool:
    """Does pandas copy on write in this kernel (always from 3.0; an option before)? Without it a series or frame
    taken from another (`s = df["a"]`) can be a view of its data, and a write through it changes the other: the
    shortcuts that keep a frame's measurement because the cell did not write it through its own name rely on this."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return False
    try:
        return int(pd.__version__.split(".")[0]) >= 3 or pd.options.mode.copy_on_write is True
    except Exception:
        return False


def snapshot(obj, kind: str):
    """A cheap copy that keeps the object's data as it is now (lazy_safe kinds only)."""
    if kind == "polars.DataFrame":
        return obj.clone()
    return obj.copy(deep=False)



def metadata(obj, kind: str, columns: tuple | None = None) -> tuple[tuple, tuple, tuple]:
    """(shape, column labels, dtypes): the cheap change signature, runs for every object every cell.

    Raw labels and dtype objects, not strings: str() of a dtype costs ~2.5 us, which times
    columns times frames is most of a trivial cell's capture cost. Strings are made only
    for the facts of changed objects (build_fact).
    """
    if kind == "DataFrame":
        return tuple(obj.shape), columns if columns is not None else tuple(obj.columns.tolist()), frame_dtypes(obj)
    if kind == "Series":
        return (len(obj),), (), (obj.dtype,)
    if kind == "ndarray":
        return tuple(obj.shape), (), (obj.dtype,)
    if kind == "polars.DataFrame":
        return tuple(obj.shape), tuple(obj.columns), tuple(obj.dtypes)
    return (), (), ()


def frame_dtypes(obj) -> tuple:
    """A DataFrame's column dtypes (the dtype objects themselves): from its block manager (~1 us; obj.dtypes builds a
    Series, ~50 us), listed by tolist() (an object array's items as they are, at a third of the cost of tuple() over
    the array, which makes a numpy scalar view per item)."""
    try:
        return tuple(obj._mgr.get_dtypes().tolist())
    except Exception:
        return tuple(obj.dtypes.values)
