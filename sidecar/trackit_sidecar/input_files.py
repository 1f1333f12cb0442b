"""The local files a cell's run read: which paths its load steps name (a string in the code, or a name bound to one),
and each one's size, mtime and sha256 as the run found it. Ingest describes a live run's (TrackitService); `trackit
run` describes those it spools (SpooledRunFiles)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Optional
from urllib.parse import unquote, urlparse

from . import protocol as p
from .lineage.analysis import SourceAnalysis, analysed_in_order, is_bound_path


def notebook_dir(event: p.CellExecution) -> Optional[Path]:
    """The folder relative paths in a cell resolve against (the kernel's working directory)."""
    if event.notebook_path:
        return Path(event.notebook_path).parent
    parsed = urlparse(event.notebook_uri)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path)).parent
    return None


def loaded_paths(analysis: SourceAnalysis, source: str, context: dict) -> list[str]:
    """The local files a cell's load steps read (a path written as a string, or a name bound to one): the files
    its run hashes."""
    return [s.detail for s in analysis.steps if s.op == "load" and s.detail and _looks_like_path(s.detail)
            and (_written_as_literal(s.detail, source) or is_bound_path(context, s.detail))]


def describe_files(paths: Iterable[str], ev: p.CellExecution) -> list[p.InputFile]:
    """Size, mtime and sha256 of each file, as the run found it (relative paths from the notebook's folder)."""
    base = notebook_dir(ev)
    if base is None:
        return []
    from .kernel.files import describe_input_file

    return [describe_input_file(raw, str(base)) for raw in dict.fromkeys(paths)]


class SpooledRunFiles:
    """The input files of runs `trackit run` hands to the spool (another process holds the database): described
    when each ran, as ingest describes a live run's, because the owner merges later and the file may have changed by
    then (without them the merged run said "Loaded `data.csv`" with no sha256 and its experiments had no data)."""

    def __init__(self) -> None:
        self._context: dict[str, dict] = {}  # notebook -> what its earlier cells bound (analyze_event's context)

    def describe(self, ev: p.CellExecution) -> list[p.InputFile]:
        context = self._context.setdefault(ev.notebook_uri, {})
        analysis, = analysed_in_order([(ev.source, ev.language, ev.content_sha256())], context)
        return describe_files(loaded_paths(analysis, ev.source, context), ev) if ev.status == "ok" else []


def _looks_like_path(detail: str) -> bool:
    """Loads also come from URLs, SQL and sklearn's bundled datasets; only local files get hashed."""
    return "://" not in detail and not detail.startswith(("load_", "fetch_", "SELECT", "select")) and (
        os.sep in detail or "." in os.path.basename(detail)
    )


def _written_as_literal(detail: str, source: str) -> bool:
    """A load step's detail is the path when the code wrote it as a string, else the code's text
    (`os.path.join(DATA, 'x.csv')`, `f'{name}.csv'`): that text is no file to look for ("file not found")."""
    return any(f"{quote}{written}{quote}" in source for written in dict.fromkeys((detail, repr(detail)[1:-1]))
               for quote in ("'", '"'))
