"""Rows attached to a stored execution: its runtime facts, the input files it read and what became of its runtime
capture (a status, with the kernel's evidence). Added with the execution in its batch's transaction (attach_once), or
later for one already stored (AttachedRows)."""

from __future__ import annotations

import json
from typing import Any, Callable, Optional, Sequence

import duckdb

from ..protocol import InputFile, RuntimeFacts
from .admission import admit_facts, admit_input_file
from .connection import StoreConnection
from .errors import UnknownEvent
from .identity import real_path
from .memory_limit import retried_out_of_memory
from .tables import CAPTURE_COLUMNS, FACT_COLUMNS, INPUT_FILE_COLUMNS, Columns, existing, insert_rows, select_in

# event_id -> (protocol.RuntimeStatus, protocol.KernelEvidence or None)
RuntimeStatuses = dict[str, tuple[str, Optional[str]]]


class AttachedRows:
    def __init__(self, conn: StoreConnection) -> None:
        self._conn = conn

    def add_runtime_facts(self, event_id: str, facts: Sequence[RuntimeFacts]) -> None:
        """Append facts measured in the kernel for a stored execution (UnknownEvent otherwise)."""
        self._append("runtime_facts", FACT_COLUMNS, facts_rows, event_id, [admit_facts(f) for f in facts])

    @retried_out_of_memory
    def set_runtime_status(self, statuses: RuntimeStatuses) -> None:
        """What became of each execution's runtime facts, one row per execution (a later call replaces
        it), for a batch in one transaction. UnknownEvent for an event_id that is not stored."""
        if not statuses:
            return
        ids = list(statuses)
        with self._conn.lock:
            with self._conn.transaction() as con:
                nb_of = dict(select_in(con, "SELECT event_id, notebook_id FROM executions", "event_id", ids))
                missing = [e for e in ids if e not in nb_of]
                if missing:
                    raise UnknownEvent(missing[0])
                for start in range(0, len(ids), 500):
                    chunk = ids[start:start + 500]
                    con.execute(f"DELETE FROM runtime_capture WHERE event_id IN ({', '.join('?' * len(chunk))})", chunk)
                insert_rows(con, "runtime_capture", CAPTURE_COLUMNS,
                            [row for e in ids for row in capture_rows(e, int(nb_of[e]), [statuses[e]], 0)])

    def add_input_files(self, event_id: str, files: Sequence[InputFile]) -> None:
        """Append the files an execution read (UnknownEvent for an unstored event_id)."""
        self._append("input_files", INPUT_FILE_COLUMNS, file_rows, event_id, [admit_input_file(f) for f in files])

    def _append(self, table: str, columns: Columns, to_rows: Callable[[str, int, list[Any], int], list[list[Any]]],
                event_id: str, items: list[Any]) -> None:
        """Rows for one stored execution, numbered after the ones it already has."""
        with self._conn.lock:
            self._conn.check_writable()
            con = self._conn.con
            nb_id = _event_notebook(con, event_id)
            start = con.execute(f"SELECT count(*) FROM {table} WHERE event_id = ?", [event_id]).fetchone()[0]
            insert_rows(con, table, columns, to_rows(event_id, nb_id, items, start))


def attach_once(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Columns,
    items: dict[str, list[Any]],
    fresh_nb: dict[str, int],
    to_rows: Callable[[str, int, list[Any], int], list[list[Any]]],
) -> set[str]:
    """Insert facts/files for executions that have none yet: a replayed spool file (or facts
    spooled apart from their execution) then adds them exactly once. Returns unknown event_ids."""
    if not items:
        return set()
    others = [event_id for event_id in items if event_id not in fresh_nb]
    notebook_of = dict(fresh_nb)
    if others:
        notebook_of.update(select_in(con, "SELECT event_id, notebook_id FROM executions", "event_id", others))
    already = existing(con, table, "event_id", [e for e in items if e in notebook_of and e not in fresh_nb])
    rows: list[list[Any]] = []
    for event_id, values in items.items():
        if event_id in notebook_of and event_id not in already:
            rows.extend(to_rows(event_id, notebook_of[event_id], values, 0))
    insert_rows(con, table, columns, rows)
    return {event_id for event_id in items if event_id not in notebook_of}


def _event_notebook(con: duckdb.DuckDBPyConnection, event_id: str) -> int:
    row = con.execute("SELECT notebook_id FROM executions WHERE event_id = ?", [event_id]).fetchone()
    if row is None:
        raise UnknownEvent(event_id)
    return int(row[0])


def facts_rows(event_id: str, nb_id: int, facts: list[RuntimeFacts], start: int) -> list[list[Any]]:
    return [
        [event_id, nb_id, start + k, json.dumps(f.model_dump(mode="json", exclude_defaults=True))]
        for k, f in enumerate(facts)
    ]


def capture_rows(event_id: str, nb_id: int, statuses: list[tuple[str, Optional[str]]], _start: int) -> list[list[Any]]:
    return [[event_id, nb_id, status, evidence] for status, evidence in statuses[-1:]]


def file_rows(event_id: str, nb_id: int, files: list[InputFile], start: int) -> list[list[Any]]:
    return [
        [event_id, nb_id, start + k, f.path, real_path(f.path), f.size, f.mtime, f.sha256, f.changed_since, f.error]
        for k, f in enumerate(files)
    ]
