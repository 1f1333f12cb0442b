"""Null counts: missing values in a pandas frame or series (block by block), a numpy array or a polars frame, and of a
frame by column (only columns that have any, up to MAX_COLUMNS_WITH_NULLS)."""

from __future__ import annotations

import sys

from .object_strings import OBJECT_STRING_COLUMNS


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
        # One pass with no temporary bool array for the common column without missing values: a max is NaN if and only
        # if some value is NaN (numpy propagates NaN), and is read at memory speed (twice as fast as a sum). A complex
        # max orders by parts, so complex numbers keep the sum, NaN only if some value is NaN (or inf - inf).
        if nd.size and not np.isnan(nd.max() if kind == "f" else nd.sum()):
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


def _block_nulls(values) -> list[tuple[int, int]]:
    """(row, missing values) of each row of a 2-D block (one row per column) that has any: what _array_nulls counts row
    by row, with one numpy call for a whole block of numbers (a wide frame's per-column calls cost more than the
    reading)."""
    np = sys.modules.get("numpy")
    kind = values.dtype.kind if isinstance(values, np.ndarray) else None
    if kind is not None and kind in "iub":
        return []
    if kind == "f" and values.size:
        # The whole block's max, read in memory order whatever the block's layout (a sum or max by row reads a
        # Fortran-ordered block, pandas' layout of a frame made from a 2-D array, across its rows: ~10x slower), is NaN
        # if and only if some value is: the common block without missing values costs one pass
        if not np.isnan(values.max()):
            return []
        missing = np.isnan(values)
        if missing.flags.c_contiguous or missing.shape[0] <= 64:
            # one count_nonzero per row reads a contiguous row at the speed of counting the whole block (x2 faster
            # than by axis); a few strided rows (a narrow frame made from a 2-D array) are still faster so
            counts = [int(np.count_nonzero(row)) for row in missing]
            return [(i, n) for i, n in enumerate(counts) if n]
        counts = np.count_nonzero(missing, axis=1)
        rows = np.flatnonzero(counts)
        return list(zip(rows.tolist(), counts[rows].tolist()))
    if kind == "c" and values.size:
        # A row's sum is NaN if it holds a NaN (or inf - inf): only those rows are counted
        rows = np.flatnonzero(np.isnan(values.sum(axis=1)))
        found = ((int(i), int(np.count_nonzero(np.isnan(values[i])))) for i in rows)
        return [(i, n) for i, n in found if n]
    found = ((i, _array_nulls(values[i], column=True)) for i in range(values.shape[0]))
    return [(i, n) for i, n in found if n]


def column_arrays(frame) -> list:
    """A pandas DataFrame's column arrays, without building a Series per column (most of the cost of reading
    a wide frame's columns one by one)."""
    try:
        manager = frame._mgr
        arrays = [None] * len(manager.items)
        # block by block, as the manager's iget_values reads one column (its block's values; of a 2-D block, the row of
        # the column's place in the block): one lookup of the column's block and place per column cost more than that
        for block in manager.blocks:
            values = block.values
            places = block.mgr_locs.as_array.tolist()
            if getattr(values, "ndim", 1) == 2:
                for row, position in enumerate(places):
                    arrays[position] = values[row]
            else:
                (position,) = places
                arrays[position] = values
        if any(values is None for values in arrays):
            raise ValueError("a column in no block")
        return arrays
    except Exception:  # another pandas layout
        return [ser.array for _, ser in frame.items()]


# Missing values are counted by column only for the columns that have any (a frame without gaps adds nothing to its
# facts) and only up to this many such columns: a wide frame with gaps everywhere (a one-hot matrix of 10,000 sparse
# columns) would add a label and a number per column to every fact of it, stored per execution. Past it the counts
# by column are not given at all (a cut list would read as "no missing value" in the columns cut): the sidecar then
# decides with the frame's total, as without them. At 256 a fact of a frame with gaps in every column stays within
# ~10 KB of JSON (a label and a count each), and cleaning a frame column by column is done on far fewer.
MAX_COLUMNS_WITH_NULLS = 256


def count_nulls(obj, kind: str) -> int | None:
    """Missing values in obj (a DataFrame block by block)."""
    return null_counts(obj, kind)[0]


def null_counts(obj, kind: str, known: dict | None = None, labels: tuple | None = None) -> \
        tuple[int | None, dict[str, int] | None]:
    """(missing values in obj, of a frame the same by column label: only columns that have any; None for other
    kinds, past MAX_COLUMNS_WITH_NULLS, or with column labels repeated, whose counts could not be told apart).
    `known`: of a frame, {label: missing values} of columns no code wrote since they were counted (tracking: column
    stores); a block whose columns all have a count there is not read. `labels`: of a frame, its column labels as
    listed (Entry.columns: `columns.tolist()`), not listed again (an Arrow-backed Index lists and indexes its labels
    at ~0.5 us each)."""
    if kind == "DataFrame":
        return _frame_null_counts(obj, known, labels)
    if kind == "Series":
        return _array_nulls(obj.array), None
    if kind == "ndarray":
        if obj.dtype.kind in "fcmMO":
            return _array_nulls(obj), None
        return 0, None
    if kind == "polars.DataFrame":
        if not obj.width:
            return 0, {}
        counts = obj.null_count().row(0)
        return int(sum(counts)), _by_label(obj.columns, [(i, n) for i, n in enumerate(counts) if n], unique=True)
    return None, None


def _frame_null_counts(frame, known: dict | None = None, labels: tuple | None = None) -> \
        tuple[int, dict[str, int] | None]:
    """A pandas DataFrame's missing values, block by block, and by column (null_counts)."""
    try:
        blocks = [(block.values, block.mgr_locs.as_array) for block in frame._mgr.blocks]
    except Exception:  # another pandas layout
        counts = [_array_nulls(values, column=True) for values in column_arrays(frame)]
        found = [(i, n) for i, n in enumerate(counts) if n]
    else:
        found = []  # (column position, missing values) of the columns that have any
        # listed when a block is first looked up in known, unless given
        for values, positions in blocks:
            if known and not _counted_at_once(values):
                labels = frame.columns.tolist() if labels is None else labels
                counted = [known.get(labels[position]) for position in positions]
                if None not in counted:
                    found += [(int(position), n) for position, n in zip(positions, counted) if n]
                    continue
            if getattr(values, "ndim", 1) == 2:  # a numpy block: one row per column
                found += [(int(positions[row]), n) for row, n in _block_nulls(values)]
            else:
                n = _array_nulls(values, column=True)
                if n:
                    found.append((int(positions[0]), n))
    return sum(n for _, n in found), _by_label(frame.columns, found, frame.columns.is_unique, labels)


def _counted_at_once(values) -> bool:
    """Whether a block's missing values cost nothing to count (no read of its data): integers and booleans have none,
    an Arrow array keeps its count. Looking such a block's columns up in known counts costs more than that."""
    if getattr(values, "_pa_array", None) is not None:
        return True
    kind = getattr(getattr(values, "dtype", None), "kind", None)
    return type(values).__module__ == "numpy" and kind is not None and kind in "iub"


def _by_label(labels, found: list[tuple[int, int]], unique: bool, listed: tuple | None = None) -> \
        dict[str, int] | None:
    """{str(label): missing values} of `found` (column position, count), in column order; None past the cap or when
    labels repeat. `listed`: the labels as `labels.tolist()` lists them, whose strings are the labels themselves (any
    other label is read from the Index: str() of a numpy scalar, np.float32(0.1), is not that of the float tolist
    gives)."""
    if len(found) > MAX_COLUMNS_WITH_NULLS or not unique:
        return None
    if listed is None:
        return {str(labels[position]): int(n) for position, n in sorted(found)}
    return {(listed[position] if type(listed[position]) is str else str(labels[position])): int(n)
            for position, n in sorted(found)}
