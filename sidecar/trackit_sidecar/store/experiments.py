"""Experiment storage: ids, kernel answers, run stamps, dataset revisions, names and parents.

`store.experiments` (an ExperimentStore) shares the Store's connection and lock. Ids are assigned once
and kept; a revision, once written, is never changed; names, notes and parents are appended and read as
the latest.
"""

from __future__ import annotations

import json
import time
from typing import Any, Collection, Optional

from ..protocol import RunStamp
from ..redaction import redact_text, redact_value
from .errors import StoreError
from .memory_limit import retried_out_of_memory
from .scoped import NotebookScopedTables
from .tables import insert_rows, select_in

_EXPERIMENT_COLUMNS = (("number", "INTEGER"), ("notebook_id", "INTEGER"), ("event_id", "VARCHAR"), ("origin", "VARCHAR"),
                       ("created_at", "DOUBLE"))


class ExperimentStore(NotebookScopedTables):
    def event_ids(self, notebook: str, seqs: list[int]) -> dict[int, str]:
        """seq -> event_id for a notebook's executions."""
        nb_id = self._notebook_id(notebook)
        if nb_id is None or not seqs:
            return {}
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT seq, event_id FROM executions WHERE notebook_id = ? AND seq IN (SELECT unnest(?::INTEGER[]))",
                [nb_id, list(seqs)]).fetchall()
        return {int(seq): event_id for seq, event_id in rows}

    def execution_of(self, event_id: str) -> Optional[tuple[str, int, int]]:
        """(notebook uri, seq, session) of a stored execution. Asked for every captured execution: a lookup by key
        with the notebook found in memory (joined with the notebooks table, each query kept ~0.5 KB of DuckDB's
        heap until the database closed, ~0.2 KB so: bench/duckdb_join_heap.py)."""
        with self._conn.lock:
            row = self._conn.con.execute("SELECT notebook_id, seq, session FROM executions WHERE event_id = ?",
                                         [event_id]).fetchone()
        ref = self._queries.notebook_by_id(int(row[0])) if row else None
        return (ref.uri, int(row[1]), int(row[2])) if row and ref else None

    # ------------------------------------------------------------ ids
    @retried_out_of_memory
    def assign(self, notebook: str, wanted: dict[int, str]) -> dict[int, int]:
        """Give experiment numbers to executions (seq -> origin) that have none; returns seq -> number for
        every seq asked about. One transaction: numbers are dense and never reused."""
        nb_id = self._notebook_id(notebook)
        if nb_id is None or not wanted:
            return {}
        events = self.event_ids(notebook, list(wanted))
        with self._conn.transaction() as con:
            known = dict(select_in(con, "SELECT event_id, number FROM experiments", "event_id", list(events.values())))
            next_number = int(con.execute("SELECT coalesce(max(number), 0) + 1 FROM experiments").fetchone()[0])
            now = time.time()
            rows = []
            for seq in sorted(events):
                event_id = events[seq]
                if event_id in known:
                    continue
                rows.append([next_number, nb_id, event_id, wanted[seq], now])
                known[event_id] = next_number
                next_number += 1
            insert_rows(con, "experiments", _EXPERIMENT_COLUMNS, rows)
        return {seq: int(known[event_id]) for seq, event_id in events.items() if event_id in known}

    def assigned(self, notebook: str) -> list[tuple[int, int, str, int]]:
        """(number, seq, origin, session) of every experiment of the notebook."""
        nb_id = self._notebook_id(notebook)
        if nb_id is None:
            return []
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT x.number, e.seq, x.origin, e.session FROM experiments x JOIN executions e "
                "ON e.event_id = x.event_id WHERE x.notebook_id = ? ORDER BY x.number", [nb_id]).fetchall()
        return [(int(n), int(s), o, int(session)) for n, s, o, session in rows]

    def find(self, number: int) -> Optional[tuple[str, int]]:
        """(notebook uri, seq) of experiment `number`."""
        with self._conn.lock:
            row = self._conn.con.execute(
                "SELECT n.uri, e.seq FROM experiments x JOIN executions e ON e.event_id = x.event_id "
                "JOIN notebooks n ON n.id = x.notebook_id WHERE x.number = ?", [number]).fetchone()
        return (row[0], int(row[1])) if row else None

    def mark_manual(self, notebook: str, seq: int) -> int:
        """An execution the user marked; an existing experiment keeps its number and origin."""
        return self.assign(notebook, {seq: "manual"})[seq]

    # ------------------------------------------------------------ kernel answers
    def save_kernel_answer(self, event_id: str, answer: dict[str, Any]) -> None:
        with self._conn.lock:
            self._conn.check_writable()
            row = self._conn.con.execute("SELECT notebook_id FROM executions WHERE event_id = ?", [event_id]).fetchone()
            if row is None:
                raise StoreError(f"no execution {event_id}")
            self._conn.con.execute("INSERT INTO experiment_kernel_values VALUES (?, ?, ?, ?)",
                               [event_id, row[0], json.dumps(redact_value(answer), sort_keys=True), time.time()])

    def kernel_answers(self, notebook: str, sessions: Optional[Collection[int]] = None) -> dict[int, dict[str, Any]]:
        """seq -> the latest kernel answer recorded for that execution (of these runs only, when given)."""
        nb_id = self._notebook_id(notebook)
        if nb_id is None:
            return {}
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT e.seq, arg_max(k.answer, k.recorded_at) FROM experiment_kernel_values k "
                "JOIN executions e ON e.event_id = k.event_id WHERE k.notebook_id = ?" + _in_sessions(sessions)
                + " GROUP BY e.seq", [nb_id] + _session_list(sessions)).fetchall()
        return {int(seq): json.loads(answer) for seq, answer in rows}

    # ------------------------------------------------------------ stamps
    def save_stamp(self, event_id: str, stamp: RunStamp) -> None:
        # seeds are derived from the sources on read; a stamp names remotes and environments: redacted like all text
        payload = json.dumps(redact_value(json.loads(stamp.model_dump_json(exclude={"seeds"}))))
        with self._conn.lock:
            self._conn.check_writable()
            row = self._conn.con.execute("SELECT notebook_id FROM executions WHERE event_id = ?", [event_id]).fetchone()
            if row is None:
                raise StoreError(f"no execution {event_id}")
            self._conn.con.execute("INSERT INTO run_stamps VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                               [event_id, row[0], payload, time.time()])

    def stamped(self, event_id: str) -> bool:
        """Does the run (session) of this execution have a stamp already?"""
        with self._conn.lock:
            row = self._conn.con.execute(
                "SELECT 1 FROM run_stamps s JOIN executions e ON e.event_id = s.event_id "
                "JOIN executions me ON me.event_id = ? "
                "WHERE e.notebook_id = me.notebook_id AND e.session = me.session LIMIT 1", [event_id]).fetchone()
        return row is not None

    def stamps(self, notebook: str, sessions: Optional[Collection[int]] = None) -> dict[int, RunStamp]:
        """session -> the run's stamp (the earliest taken, if several were), of these runs only when given."""
        nb_id = self._notebook_id(notebook)
        if nb_id is None:
            return {}
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT e.session, arg_min(s.stamp, e.seq) FROM run_stamps s JOIN executions e ON e.event_id = s.event_id "
                "WHERE s.notebook_id = ?" + _in_sessions(sessions) + " GROUP BY e.session",
                [nb_id] + _session_list(sessions)).fetchall()
        return {int(session): RunStamp.model_validate_json(payload) for session, payload in rows}

    # ------------------------------------------------------------ dataset revisions
    def revisions(self) -> list[tuple[str, int, str, Optional[int], str, Optional[str]]]:
        """(dataset_id, number, sha256, size, path, first_seen_at) of every revision."""
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT dataset_id, number, sha256, size, path, first_seen_at FROM dataset_revisions "
                "ORDER BY dataset_id, number").fetchall()
        return [(d, int(n), s, size, path, seen) for d, n, s, size, path, seen in rows]

    def add_revisions(self, rows: list[tuple[str, int, str, Optional[int], str, Optional[str]]]) -> None:
        """Insert new revisions; one already there (same dataset and bytes) is left exactly as it was."""
        if not rows:
            return
        with self._conn.lock:
            self._conn.check_writable()
            self._conn.con.executemany("INSERT INTO dataset_revisions VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                                   [[d, n, sha, size, redact_text(path), seen] for d, n, sha, size, path, seen in rows])

    def input_files(self, notebook: str) -> list[tuple[str, str, Optional[int], float]]:
        """(path, sha256, size, ingested_at) of every hashed input file of the notebook, oldest first."""
        nb_id = self._notebook_id(notebook)
        if nb_id is None:
            return []
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT f.path, f.sha256, f.size, e.started_at FROM input_files f JOIN executions e "
                "ON e.event_id = f.event_id WHERE f.notebook_id = ? AND f.sha256 IS NOT NULL ORDER BY e.seq, f.ord",
                [nb_id]).fetchall()
        return [(p, s, size, t) for p, s, size, t in rows]

    # ------------------------------------------------------------ the user's words
    def set_name(self, number: int, name: Optional[str], notes: Optional[str]) -> None:
        current = self.names([number]).get(number, (None, None))
        with self._conn.lock:
            self._conn.check_writable()
            self._conn.con.execute("INSERT INTO experiment_notes VALUES (?, ?, ?, ?)",
                               [number, redact_text(name) if name is not None else current[0],
                                redact_text(notes) if notes is not None else current[1], time.time()])

    def names(self, numbers: Optional[list[int]] = None) -> dict[int, tuple[Optional[str], Optional[str]]]:
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT number, arg_max_null(name, updated_at), arg_max_null(notes, updated_at) FROM experiment_notes "
                "GROUP BY number").fetchall()
        wanted = set(numbers) if numbers is not None else None
        return {int(n): (name, notes) for n, name, notes in rows if wanted is None or int(n) in wanted}

    def set_parent(self, number: int, parent: Optional[int]) -> None:
        with self._conn.lock:
            self._conn.check_writable()
            self._conn.con.execute("INSERT INTO experiment_parents VALUES (?, ?, ?)", [number, parent, time.time()])

    def parents(self) -> dict[int, Optional[int]]:
        """number -> the parent the user chose (None: a root), for experiments re-parented by hand."""
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT number, arg_max_null(parent, set_at) FROM experiment_parents GROUP BY number").fetchall()
        return {int(n): (int(p) if p is not None else None) for n, p in rows}


def _in_sessions(sessions: Optional[Collection[int]]) -> str:
    return "" if sessions is None else " AND e.session IN (SELECT unnest(?::INTEGER[]))"


def _session_list(sessions: Optional[Collection[int]]) -> list[Any]:
    return [] if sessions is None else [sorted(sessions)]
