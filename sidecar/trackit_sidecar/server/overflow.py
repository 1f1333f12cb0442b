"""The batcher's disk queue: captures that do not fit in memory, or that the database cannot take now.

Files live in `<db>.spool/overflow-<pid>/`, one per chunk, named by the arrival number of the chunk's
first event, so reading them in name order is arrival order even when an older chunk is written
later (memory spilled at shutdown after newer events already overflowed). Each file is written like a
spool file (redacted, tmp + fsync + rename) and deleted only after its events are stored. A process
that dies leaves its folder; the next owner merges it on start, before anything else (store/spool.py).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from .. import protocol as p
from ..store.spool import SPOOL_SUFFIX, overflow_dir, parse_spool_text, spool_lines


class OverflowQueue:
    def __init__(self, db_path: str, pid: Optional[int] = None) -> None:
        self.dir = overflow_dir(db_path, pid if pid is not None else os.getpid())

    def append(self, events: list[p.CellExecution], first_arrival: int) -> Path:
        """Write one chunk durably; `first_arrival` orders it among the others."""
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = self.dir / f"{first_arrival:015d}{SPOOL_SUFFIX}"
        tmp = self.dir / f".{target.name}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(spool_lines(events))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        return target

    def files(self) -> list[Path]:
        """Complete chunks, oldest arrival first."""
        if not self.dir.is_dir():
            return []
        return sorted(f for f in self.dir.iterdir() if f.suffix == SPOOL_SUFFIX and not f.name.startswith("."))

    def __len__(self) -> int:
        return len(self.files())

    @staticmethod
    def read(path: Path) -> list[p.CellExecution]:
        return parse_spool_text(path.read_text(encoding="utf-8"), path.name).events

    def remove(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        try:
            self.dir.rmdir()  # only when it is empty: the next chunk recreates it
        except OSError:
            pass
