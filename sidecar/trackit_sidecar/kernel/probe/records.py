"""The facts the sidecar gets: a RuntimeFacts-shaped record per variable and of what the cell displayed, and one
cell's facts as the JSON payload asked for (facts_json) or pushed."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from .objects import kind_of

if TYPE_CHECKING:
    from .hooks import Probe
    from .measurements import Entry


def build_fact(name: str, before: Entry | None, after: Entry) -> dict:
    """A RuntimeFacts-shaped dict comparing two entries. Pure."""
    measured = _measured(after)  # resolved once, not by each of Entry's properties
    fact = {
        "variable": name,
        "kind": after.kind,
        "rows_after": after.rows,
        "cols_after": after.cols,
        "nulls_after": measured.nulls if measured is not None else None,
        "fingerprint": measured.fingerprint if measured is not None else None,
        "sampled": bool(measured.sampled) if measured is not None else False,
        "added_columns": [],
        "removed_columns": [],
        "dtype_changes": {},
    }
    if measured is not None and measured.column_nulls is not None:  # a frame's, within nulls.MAX_COLUMNS_WITH_NULLS
        fact["column_nulls_after"] = measured.column_nulls
    if before is None:
        return fact
    measured = _measured(before)
    fact["rows_before"] = before.rows
    fact["cols_before"] = before.cols
    fact["nulls_before"] = measured.nulls if measured is not None else None
    if measured is not None and measured.column_nulls is not None:
        fact["column_nulls_before"] = measured.column_nulls
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


def _measured(entry: Entry):
    """The entry's Measurement, resolved (what Entry's nulls, fingerprint, ... properties read), or None."""
    return entry.m.resolve(entry) if entry.m is not None else None


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
