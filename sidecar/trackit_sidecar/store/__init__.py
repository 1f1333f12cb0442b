"""DuckDB storage for TrackIT: schema + migrations, batch ingest, read queries, spool."""

from __future__ import annotations

from .caps import DEFAULT_MAX_TEXT_BYTES, cap_output, cap_outputs, is_text_mime
from .db import NotebookRef, Store, StoredAnalysis, iso_utc, next_session, source_sha256
from .errors import DatabaseLocked, DatabaseNeedsMigration, DatabaseTooNew, StoreError, UnknownEvent
from .identity import local_path, notebook_key
from .schema import LATEST_VERSION
from .spool import MergeReport, Spool, SpoolFileError

__all__ = [
    "DEFAULT_MAX_TEXT_BYTES",
    "LATEST_VERSION",
    "DatabaseLocked",
    "DatabaseNeedsMigration",
    "DatabaseTooNew",
    "MergeReport",
    "NotebookRef",
    "Spool",
    "SpoolFileError",
    "Store",
    "StoreError",
    "StoredAnalysis",
    "UnknownEvent",
    "cap_output",
    "cap_outputs",
    "is_text_mime",
    "iso_utc",
    "local_path",
    "next_session",
    "notebook_key",
    "source_sha256",
]
