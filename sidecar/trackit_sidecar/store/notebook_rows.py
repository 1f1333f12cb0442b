"""The notebooks table's rows a batch's executions name: each notebook's key, resolved once per (uri, path) pair, and its id,
looked up or inserted inside the writer's transaction. Apart from writer.py, which stores the executions, because a
notebook's identity is settled on first sight and kept (identity.py says what it is); the writer only asks for it."""

from __future__ import annotations

from typing import Iterable, Optional

import duckdb

from ..protocol import CellExecution
from .identity import local_path, notebook_key, real_path
from .tables import NOTEBOOK_COLUMNS, insert_rows


def notebook_keys(
    events: Iterable[CellExecution], known: dict[tuple[str, Optional[str]], str]
) -> dict[tuple[str, Optional[str]], str]:
    """notebook_key per distinct (uri, path). realpath hits the filesystem, so each pair is resolved
    once per Store: the identity a notebook got on first sight is the one it keeps."""
    keys: dict[tuple[str, Optional[str]], str] = {}
    for event in events:
        pair = (event.notebook_uri, event.notebook_path)
        if pair not in keys:
            keys[pair] = known.get(pair) or notebook_key(*pair)
    return keys


def resolve_notebooks(
    con: duckdb.DuckDBPyConnection, events: list[CellExecution], keys: dict[tuple[str, Optional[str]], str],
    cached: dict[str, int],
) -> dict[str, int]:
    """Ids for notebooks not in `cached` (key -> id): looked up, else inserted (inside the caller's transaction)."""
    wanted: dict[str, CellExecution] = {}
    for event in events:
        key = keys[(event.notebook_uri, event.notebook_path)]
        if key not in cached and key not in wanted:
            wanted[key] = event
    if not wanted:
        return {}
    found = {
        key: int(nb_id)
        for key, nb_id in con.execute(
            "SELECT key, id FROM notebooks WHERE key IN (SELECT unnest(?::VARCHAR[]))", [list(wanted)]
        ).fetchall()
    }
    missing = [key for key in wanted if key not in found]
    if missing:
        next_id = int(con.execute("SELECT coalesce(max(id), 0) + 1 FROM notebooks").fetchone()[0])
        rows = []
        for offset, key in enumerate(missing):
            event = wanted[key]
            path = real_path(event.notebook_path) if event.notebook_path else local_path(event.notebook_uri)
            rows.append([next_id + offset, key, event.notebook_uri, path])
            found[key] = next_id + offset
        insert_rows(con, "notebooks", NOTEBOOK_COLUMNS, rows)
    return found
