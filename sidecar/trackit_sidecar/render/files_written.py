"""The files a run wrote, in words: "Wrote `df` to `clean.csv` (`to_csv`)". What its code writes is a record field,
`ExecutionRecord.files_written` (lineage/files_written.py); the tree, the hover and the summary say it with these
words."""

from __future__ import annotations

from typing import Sequence

from ..protocol import ExecutionRecord, FileWritten
from .words import code


def run_files_written(rec: ExecutionRecord) -> tuple[FileWritten, ...]:
    """The files a run's code writes; none for a run that did not finish: which of its writes happened before it
    stopped is not known (bfn-eeoc 01's `to_csv` into a missing folder failed, and wrote nothing)."""
    return tuple(rec.files_written) if rec.status == "ok" else ()


def failed_run_writes(rec: ExecutionRecord) -> tuple[FileWritten, ...]:
    """The writes in the code of a run that failed (`run_files_written` leaves them out)."""
    return tuple(rec.files_written) if rec.status == "error" else ()


def file_written_line(written: FileWritten) -> str:
    """"Wrote `df` to `clean.csv` (`to_csv`)"; "Wrote data from `df` to the path `f'{out}/x.csv'` (`to_csv`), once
    per pass of a loop"."""
    where = code(written.path) if written.literal else f"the path {code(written.path)}"
    how = f" ({code(written.call)})"
    loop = ", once per pass of a loop" if written.in_loop else ""
    if written.source is None:
        return f"Wrote {where}{how}{loop}"
    what = code(written.source) if written.whole else f"data from {code(written.source)}"
    return f"Wrote {what} to {where}{how}{loop}"


def unfinished_write_line(written: FileWritten) -> str:
    """A write in a run that failed: whether it happened before the error is not known."""
    what = f" of {code(written.source)}" if written.source else ""
    where = code(written.path) if written.literal else f"the path {code(written.path)}"
    return f"{code(written.call)}{what} to {where} may not have written the file: the cell failed"


def written_paths(written: Sequence[FileWritten]) -> list[str]:
    """The paths said in the summary's overview ("writes `clean.csv`"), each once, in order."""
    paths: list[str] = []
    for w in written:
        if w.path not in paths:
            paths.append(w.path)
    return paths
