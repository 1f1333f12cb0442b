"""Writing an export: a run folder (or file) is created whole, or left exactly as it is.

A folder that already exists is never overwritten: if its files are byte-for-byte what this export would
write it is reported unchanged, otherwise it is kept as it is (the user may have edited notes.md, or the
experiment was re-parented since) and reported as kept. A new folder is written to a temporary name next
to it and renamed into place, so a crash never leaves half a run folder under the real name.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ...protocol import ExportResult


def _units(files: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    """Group files by their unit: `experiments/<run folder>` for a folder export, the file itself otherwise."""
    units: dict[str, dict[str, bytes]] = {}
    for rel, data in files.items():
        parts = rel.split("/")
        unit = "/".join(parts[:2]) if len(parts) > 2 else rel
        units.setdefault(unit, {})[rel] = data
    return units


def _same(root: Path, files: dict[str, bytes], unit: str) -> bool:
    target = root / unit
    if target.is_file():
        return set(files) == {unit} and target.read_bytes() == files[unit]
    present = {p.relative_to(root).as_posix() for p in target.rglob("*") if p.is_file()}
    return present == set(files) and all((root / rel).read_bytes() == data for rel, data in files.items())


def write_files(out_dir: str, files: dict[str, bytes], result: ExportResult | None = None) -> ExportResult:
    result = result or ExportResult()
    root = Path(out_dir)
    for unit, unit_files in sorted(_units(files).items()):
        target = root / unit
        shown = str(target)
        if target.exists():
            (result.unchanged if _same(root, unit_files, unit) else result.kept).append(shown)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        single = set(unit_files) == {unit}
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            for rel, data in unit_files.items():
                path = staging / (target.name if single else rel[len(unit):].lstrip("/"))
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            # both fail if the target appeared meanwhile, so nothing is ever overwritten
            if single:
                os.link(staging / target.name, target)
            else:
                os.rename(staging, target)
        except OSError:
            if target.exists():
                result.kept.append(shown)
                continue
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        result.written.append(shown)
    return result
