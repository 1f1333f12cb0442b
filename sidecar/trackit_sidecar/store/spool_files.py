"""Where a database's spool files are and which of them wait to be merged (spool.py writes and merges them).

Apart from spool.py so that a command that only reads (`trackit lineage`) can ask whether captures wait without
loading what writes and merges them (the protocol's spool lines, redaction)."""

from __future__ import annotations

import os
from pathlib import Path

SPOOL_SUFFIX = ".jsonl"
OVERFLOW_PREFIX = "overflow-"


def spool_dir(db_path: str | os.PathLike[str]) -> Path:
    return Path(f"{os.fspath(db_path)}.spool")


def overflow_dir(db_path: str | os.PathLike[str], pid: int) -> Path:
    """Where the owner with `pid` keeps captures that did not fit in memory (server/overflow.py)."""
    return spool_dir(db_path) / f"{OVERFLOW_PREFIX}{pid}"


def pending_files(folder: Path) -> list[Path]:
    """Complete spool files in `folder`, oldest first (temporary files are still being written). First come the
    overflow chunks a dead owner left (in arrival order: they are older than anything spooled since); this
    process's own overflow is its batcher's to drain."""
    if not folder.is_dir():
        return []
    left: list[Path] = []
    own = f"{OVERFLOW_PREFIX}{os.getpid()}"
    for overflow in sorted(d for d in folder.iterdir() if d.is_dir() and d.name.startswith(OVERFLOW_PREFIX)):
        if overflow.name != own:
            left += sorted(p for p in overflow.iterdir() if p.suffix == SPOOL_SUFFIX and not p.name.startswith("."))
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix == SPOOL_SUFFIX and not p.name.startswith(".")]
    return left + sorted(files, key=lambda p: (_mtime(p), p.name))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
