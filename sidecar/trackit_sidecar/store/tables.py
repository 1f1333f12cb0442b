"""Table layouts and the bulk statements the writer and the queries share.

Rows go in as one list per column and are unnested in SQL: binding 19 lists is ~3x faster than a
100-row VALUES list of 1,900 scalars, ~15x executemany.
"""

from __future__ import annotations

from typing import Any

import duckdb

Columns = tuple[tuple[str, str], ...]

# (column, type) per table, in insert order.
EXEC_COLUMNS: Columns = (
    ("event_id", "VARCHAR"), ("notebook_id", "INTEGER"), ("seq", "INTEGER"), ("session", "INTEGER"),
    ("cell_id", "VARCHAR"), ("cell_index", "INTEGER"), ("execution_count", "INTEGER"), ("status", "VARCHAR"),
    ("started_at", "DOUBLE"), ("ended_at", "DOUBLE"), ("language", "VARCHAR"), ("source_sha256", "VARCHAR"),
    ("outputs", "VARCHAR"), ("error_name", "VARCHAR"), ("error_message", "VARCHAR"), ("kernel_id", "VARCHAR"),
    ("kernel_name", "VARCHAR"), ("ingested_at", "DOUBLE"), ("cell_uri", "VARCHAR"), ("kernel_display_name", "VARCHAR"),
    ("analysis_sha256", "VARCHAR"),
)
SOURCE_COLUMNS: Columns = (
    ("sha256", "VARCHAR"), ("text", "VARCHAR"), ("language", "VARCHAR"), ("reads", "VARCHAR"), ("writes", "VARCHAR"),
    ("derivations", "VARCHAR"), ("steps", "VARCHAR"), ("analysis_error", "VARCHAR"), ("analyzer_version", "INTEGER"),
)
# an execution's own analysis when it is not its source's (schema: _analyses_in_context)
ANALYSES_COLUMNS: Columns = (("sha256", "VARCHAR"), *SOURCE_COLUMNS[3:])
NOTEBOOK_COLUMNS: Columns = (("id", "INTEGER"), ("key", "VARCHAR"), ("uri", "VARCHAR"), ("path", "VARCHAR"))
CAPTURE_COLUMNS: Columns = (
    ("event_id", "VARCHAR"), ("notebook_id", "INTEGER"), ("status", "VARCHAR"), ("evidence", "VARCHAR"),
)
FACT_COLUMNS: Columns = (
    ("event_id", "VARCHAR"), ("notebook_id", "INTEGER"), ("ord", "INTEGER"), ("facts", "VARCHAR"),
)
INPUT_FILE_COLUMNS: Columns = (
    ("event_id", "VARCHAR"), ("notebook_id", "INTEGER"), ("ord", "INTEGER"), ("path", "VARCHAR"),
    ("real_path", "VARCHAR"), ("size", "BIGINT"), ("mtime", "DOUBLE"), ("sha256", "VARCHAR"),
    ("changed_since", "VARCHAR"), ("error", "VARCHAR"),
)
DEAD_LETTER_COLUMNS: Columns = (
    ("event_id", "VARCHAR"), ("notebook_uri", "VARCHAR"), ("received_at", "DOUBLE"), ("reason", "VARCHAR"),
    ("payload", "VARCHAR"),
)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: Columns, rows: list[list[Any]]) -> None:
    if rows:
        names = ", ".join(name for name, _ in columns)
        unnests = ", ".join(f"unnest(?::{kind}[])" for _, kind in columns)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {unnests}", [list(column) for column in zip(*rows)])


def select_in(con: duckdb.DuckDBPyConnection, select: str, column: str, keys: list[str]) -> list[tuple]:
    """`select` WHERE column IN (keys). A placeholder IN list lets DuckDB probe the primary-key
    index: ~4x faster at 100k rows than IN (SELECT unnest(?)), which hash-joins the whole table."""
    found: list[tuple] = []
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        placeholders = ", ".join("?" * len(chunk))
        found.extend(con.execute(f"{select} WHERE {column} IN ({placeholders})", chunk).fetchall())
    return found


def existing(con: duckdb.DuckDBPyConnection, table: str, column: str, keys: list[str]) -> set[str]:
    """Which of `keys` are stored in `table.column`."""
    if not keys:
        return set()
    return {r[0] for r in select_in(con, f"SELECT {column} FROM {table}", column, keys)}
