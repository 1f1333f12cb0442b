"""What the per-notebook table groups (experiments, derived experiments) share: the connection they read and
write through, and how a notebook's URI or path becomes its row id."""
from __future__ import annotations

from typing import Optional

from .connection import StoreConnection
from .queries import Queries


class NotebookScopedTables:
    def __init__(self, conn: StoreConnection, queries: Queries):
        self._conn = conn
        self._queries = queries

    @property
    def read_only(self) -> bool:
        return self._conn.read_only

    def _notebook_id(self, notebook: str) -> Optional[int]:
        ref = self._queries.find_notebook(notebook)
        return ref.id if ref is not None else None
