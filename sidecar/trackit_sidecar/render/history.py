"""A cell's history: each recorded version's change against the version before it, and the data facts of what
its latest run wrote ("`df`: 889 rows × 12 columns"). Pure; the editor arranges it with times in the user's locale."""

from __future__ import annotations

import difflib
from typing import Optional

from ..protocol import CellHistory, CellVersion, ExecutionRecord, LineageDocument
from .graph import shape
from .words import code


def source_diff(before: Optional[str], after: str, before_name: str, after_name: str) -> Optional[str]:
    """A unified diff of two versions of a cell; None for the first version."""
    if before is None:
        return None
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), before_name, after_name, lineterm="")
    return "\n".join(lines)


def written_facts(e: ExecutionRecord) -> list[str]:
    """What the run wrote, as the kernel measured it: one line per variable."""
    lines = []
    for name in e.writes:
        measured = shape(e, name)
        if measured:
            lines.append(f"{code(name)}: {measured}")
    return lines


def describe_history(history: CellHistory, doc: LineageDocument) -> CellHistory:
    """Fill `cell_index`, `diff` and `facts` of every version (versions oldest first, as the store lists them).
    `doc`: the notebook's lineage, for the runs of each version."""
    runs: dict[tuple[str, str], ExecutionRecord] = {}
    for e in sorted(doc.executions, key=lambda rec: rec.seq):
        runs[(e.cell_id, e.source_sha256)] = e  # the latest run of each version
    previous: dict[str, tuple[int, str]] = {}
    for version in history.versions:
        number, before = previous.get(version.cell_id, (0, None))
        version.diff = source_diff(before, version.source, f"version {number}", f"version {number + 1}")
        previous[version.cell_id] = (number + 1, version.source)
        latest = runs.get((version.cell_id, version.source_sha256))
        if latest is not None:
            version.cell_index = latest.cell_index
            version.facts = written_facts(latest)
    return history
