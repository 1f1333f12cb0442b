"""Who holds the database: `<db>.owner.json` written by the owner, DuckDB's lock error parsed.

DuckDB already enforces one read-write process per file; this module only turns its error into
a message a person can act on ("held by PID 4242 (trackit serve, since 14:05)").
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Optional

_LOCK_ERROR = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")


@dataclass(frozen=True)
class LockConflict:
    program: Optional[str]
    pid: Optional[int]


def parse_lock_error(message: str) -> Optional[LockConflict]:
    """The holder named in DuckDB's lock error, or None when the error is not a lock conflict."""
    if "Could not set lock" not in message and "Conflicting lock" not in message:
        return None
    match = _LOCK_ERROR.search(message)
    if match is None:
        return LockConflict(program=None, pid=None)
    return LockConflict(program=match.group("program"), pid=int(match.group("pid")))


def owner_file(db_path: str | os.PathLike[str]) -> Path:
    return Path(f"{os.fspath(db_path)}.owner.json")


def process_start(pid: int) -> Optional[str]:
    """What tells this process apart from a later one given the same pid: its start time (Linux: clock ticks
    after boot, /proc/<pid>/stat field 22). None when no process has this pid. Elsewhere, "running"
    for any live pid (no start time to compare)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        stat = ""
    if stat:
        fields = stat[stat.rindex(")") + 2:].split()
        return None if fields[0] in ("Z", "X") else fields[19]  # a zombie holds no lock
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return "running"


def write_owner(db_path: str | os.PathLike[str], description: str) -> Path:
    """Record this process as the owner; written via tmp + rename so readers never see half a file."""
    target = owner_file(db_path)
    record = {
        "pid": os.getpid(),
        "process_start": process_start(os.getpid()),
        "description": description,
        "command": " ".join(sys.argv),
        "started_at": time.time(),
    }
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, target)
    return target


def read_owner(db_path: str | os.PathLike[str]) -> Optional[dict]:
    try:
        data = json.loads(owner_file(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def remove_owner(db_path: str | os.PathLike[str]) -> None:
    """Remove the owner file only if it is ours: a newer owner may have replaced it."""
    data = read_owner(db_path)
    if data is not None and data.get("pid") != os.getpid():
        return
    try:
        owner_file(db_path).unlink()
    except FileNotFoundError:
        pass


def describe_holder(conflict: LockConflict, owner: Optional[dict]) -> Optional[str]:
    """'trackit serve, since 14:05' from the owner file when it names the same PID; else the
    program DuckDB reported. A stale owner file (PID differs) is ignored."""
    if owner is not None and (conflict.pid is None or owner.get("pid") == conflict.pid):
        description = str(owner.get("description") or owner.get("command") or "unknown command")
        started = owner.get("started_at")
        if isinstance(started, (int, float)):
            description += f", since {datetime.fromtimestamp(started).strftime('%H:%M')}"
        return description
    return conflict.program
