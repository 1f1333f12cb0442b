"""Ids: experiments `E####` (monotonic per workspace = per database) and dataset revisions `D####`
(numbered per dataset; a new one only when the file's sha256 changes; a revision is never mutated).
Pure: the store keeps what was assigned and hands it back here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Iterable, Optional

_EXPERIMENT_ID = re.compile(r"^[Ee]?0*(\d+)$")


def experiment_id(number: int) -> str:
    return f"E{number:04d}"


def parse_experiment_id(text: str) -> int:
    """"E0007", "e7", "7" -> 7. ValueError with the text for anything else."""
    match = _EXPERIMENT_ID.match(text.strip())
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"not an experiment id: {text!r} (expected E0007)")
    return int(match.group(1))


def revision_id(number: int) -> str:
    return f"D{number:04d}"


def dataset_id(path: str) -> str:
    """The file's folder name and file name: `/data/titanic/passengers.csv` -> `titanic/passengers.csv`.
    A file read from two places with the same folder name is the same dataset; its bytes decide the revision."""
    normalized = path.replace("\\", "/").rstrip("/")
    name = os.path.basename(normalized)
    folder = os.path.basename(os.path.dirname(normalized))
    return f"{folder}/{name}" if folder else name


@dataclass(frozen=True)
class Revision:
    dataset_id: str
    number: int
    sha256: str
    size: Optional[int]
    path: str
    first_seen_at: Optional[str] = None

    @property
    def id(self) -> str:
        return revision_id(self.number)


@dataclass(frozen=True)
class FileSeen:
    path: str
    sha256: str
    size: Optional[int]
    seen_at: Optional[str] = None


def assign(known: Iterable[Revision], seen: Iterable[FileSeen]) -> list[Revision]:
    """New revisions for files whose (dataset, sha256) has none yet, in the order seen. Known revisions
    are never changed: bytes that come back to an earlier state get that earlier revision again."""
    by_key = {(r.dataset_id, r.sha256): r for r in known}
    last: dict[str, int] = {}
    for revision in by_key.values():
        last[revision.dataset_id] = max(last.get(revision.dataset_id, 0), revision.number)
    new: list[Revision] = []
    for file in seen:
        dataset = dataset_id(file.path)
        if (dataset, file.sha256) in by_key:
            continue
        number = last.get(dataset, 0) + 1
        last[dataset] = number
        revision = Revision(dataset, number, file.sha256, file.size, file.path, file.seen_at)
        by_key[(dataset, file.sha256)] = revision
        new.append(revision)
    return new
