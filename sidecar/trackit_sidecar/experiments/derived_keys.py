"""What a notebook's experiments are derived from, as measured now (derived.py's keys): the sidecar's own code
version, each experiment's and each run's key (_Keys) over the store's measure of the records, and the hash they
are made with (_sha). An experiment whose key is unchanged keeps its own facts."""

from __future__ import annotations

import hashlib
import os
import sys
from itertools import accumulate
from typing import Optional

from ..store.derived import Measured

_code_version: Optional[str] = None


def code_version() -> str:
    """A fingerprint of the sidecar's own code: every module, so a better analyzer or builder derives old experiments
    again (and ready_lineage words its rows again). Computed once per process, when a key needs it. A frozen sidecar
    holds no sources: its build (version, binary size and time) stands for its code."""
    global _code_version
    if _code_version is None:
        package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
        _code_version = None if getattr(sys, "frozen", False) else sources_fingerprint(package)
        if _code_version is None:
            from .. import __version__

            stat = os.stat(sys.executable)
            _code_version = _sha(__version__, stat.st_size, stat.st_mtime_ns)
    return _code_version


def sources_fingerprint(package: str) -> Optional[str]:
    """Every .py file under `package` by its path, size and modification time, not its text: reading and hashing
    ~350 sources took 8-30 ms of every `trackit lineage --json`, a walk of their stats takes ~2. An edit changes the
    time; a file only touched, or copied again, changes it too (its experiments are derived again: the safe side).
    None when there are none."""
    found: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        walk(entry.path, prefix + entry.name + "/")
                elif entry.name.endswith(".py"):
                    stat = entry.stat()
                    found.append(f"{prefix}{entry.name}\0{stat.st_size}\0{stat.st_mtime_ns}")

    if os.path.isdir(package):
        walk(package, "")
    return hashlib.sha256("\n".join(sorted(found)).encode()).hexdigest() if found else None


def _sha(*parts: object) -> str:
    return hashlib.sha256("\0".join(str(part) for part in parts).encode()).hexdigest()


class _Keys:
    """What each experiment and each run is derived from, as measured now, with the deriving code's version.

    An experiment's own facts (build.own) read its run's executions up to its own and its run's stamp, nothing
    later: the lineage's completion only ever looks back within a run. So its key is its id and origin, the sum
    of its run's record hashes up to its execution, what is its own (name, kernel answers), and the run's stamps;
    a later execution of the run, or anything of another run, leaves it unchanged. A run's key covers every key
    of its experiments (and which executions are numbered experiments)."""

    def __init__(self, measured: Measured):
        self.measured = measured
        self.code = code_version()
        self.links = _sha(self.code, measured.links)
        self.runs: dict[int, str] = {}
        self.last_seq: dict[int, int] = {}
        self._sums: dict[int, tuple[dict[int, int], list[int], tuple[int, ...]]] = {}
        for session, rows in measured.executions.items():
            seqs, records, owns = zip(*rows)
            cumulative = list(accumulate(records))
            self._sums[session] = (dict(zip(seqs, range(len(seqs)))), cumulative, owns)
            self.runs[session] = _sha(self.code, session, len(seqs), cumulative[-1], sum(owns),
                                      measured.stamps.get(session, 0), measured.numbered.get(session, 0))
            self.last_seq[session] = seqs[-1]
        self.notebook = _sha(self.code, sorted(self.runs.items()), self.links)

    def experiment(self, number: int, origin: str, session: int, seq: int) -> str:
        index, cumulative, owns = self._sums.get(session, ({}, [], ()))
        i = index.get(seq)
        if i is None:  # not measured (written since): never equal to a kept key
            return ""
        return _sha(self.code, number, origin, session, i + 1, cumulative[i], owns[i],
                    self.measured.stamps.get(session, 0))

    def prefix(self, session: int, seq: int) -> str:
        """What a run's completed records up to `seq` were read from (completion only looks back); "" when `seq`
        was not measured."""
        index, cumulative, _ = self._sums.get(session, ({}, [], ()))
        i = index.get(seq)
        return "" if i is None else _sha(self.code, session, i + 1, cumulative[i])
