"""DuckDB storage for TrackIT: connection + migrations, the one writer, session policy, read queries, spool."""

from __future__ import annotations

from ..protocol import source_sha256  # the one content address, re-exported for store callers
from . import lock
from .caps import DEFAULT_MAX_TEXT_BYTES, cap_output, cap_outputs, is_text_mime
from .db import Store
from .errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseNeedsMigration,
    DatabaseReadOnly,
    DatabaseTooNew,
    DatabaseUnavailable,
    RejectedData,
    StoreError,
    UnknownEvent,
)
from .execution_records import iso_utc
from .identity import local_path, notebook_key
from .notebook_index import NotebookRef
from .queries import DeadLetter
from .schema import LATEST_VERSION
from .sessions import NotebookState, Placement, assign_sessions, place_execution

# What only writing and merging use, loaded when first asked for (`from trackit_sidecar.store import Spool`): a read
# (`trackit lineage`) never loads the writer, the spool or their admission of new captures
_LOADED_WHEN_USED = {"MergeReport": "spool", "Spool": "spool", "SpoolFileError": "spool", "WriteResult": "writer"}


def __getattr__(name: str):
    module = _LOADED_WHEN_USED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)

__all__ = [
    "DEFAULT_MAX_TEXT_BYTES",
    "LATEST_VERSION",
    "DatabaseDamaged",
    "DatabaseLocked",
    "DatabaseNeedsMigration",
    "DatabaseReadOnly",
    "DatabaseTooNew",
    "DatabaseUnavailable",
    "DeadLetter",
    "MergeReport",
    "NotebookRef",
    "NotebookState",
    "Placement",
    "RejectedData",
    "Spool",
    "SpoolFileError",
    "Store",
    "StoreError",
    "UnknownEvent",
    "WriteResult",
    "assign_sessions",
    "cap_output",
    "cap_outputs",
    "is_text_mime",
    "lock",
    "iso_utc",
    "local_path",
    "notebook_key",
    "place_execution",
    "source_sha256",
]
