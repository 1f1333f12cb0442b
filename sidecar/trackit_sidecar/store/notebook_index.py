"""The notebooks table held in memory: a notebook found by URI, key or row id without a query of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class NotebookRef:
    id: int
    uri: str
    path: Optional[str]


class NotebookIndex:
    """The notebooks table in memory, to find a notebook as find_notebook's SQL used to: by URI first, then by
    key (the URI or path asked, or the real path it names). Rows in id order: the first recorded wins a tie."""

    def __init__(self) -> None:
        self._by_uri: dict[str, NotebookRef] = {}
        self._by_key: dict[str, NotebookRef] = {}
        self.by_id: dict[int, NotebookRef] = {}
        self.last_id = -(2**31)  # the rows read so far are those up to this id

    def add(self, rows: list[tuple[int, str, str, Optional[str]]]) -> None:
        """Rows of the notebooks table (id, key, uri, path) recorded after `last_id`, in id order."""
        for nb_id, key, uri, path in rows:
            ref = NotebookRef(nb_id, uri, path)
            self._by_uri.setdefault(uri, ref)
            self._by_key.setdefault(key, ref)
            self.by_id[nb_id] = ref
            self.last_id = max(self.last_id, nb_id)

    def find(self, notebook: str, path: Optional[str]) -> Optional[NotebookRef]:
        return self._by_uri.get(notebook) or self._by_key.get(notebook) or self._by_key.get(path or notebook)

