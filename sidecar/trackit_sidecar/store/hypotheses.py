"""Hypothesis storage: the hypotheses, their thresholds, links to experiments and the user's status overrides.

`store.hypotheses` (a HypothesisStore) shares the Store's connection and lock. Everything after a hypothesis'
creation is appended and read as the latest row, so a status set by hand (and cleared) stays on record.
"""

from __future__ import annotations

import time
from typing import Optional

from ..redaction import redact_text
from .connection import StoreConnection
from .memory_limit import retried_out_of_memory


class HypothesisStore:
    def __init__(self, conn: StoreConnection):
        self._conn = conn

    @retried_out_of_memory
    def add(self, statement: str, metric: str, direction: Optional[str], baseline: str, thresholds_json: str) -> int:
        with self._conn.transaction() as con:
            number = int(con.execute("SELECT coalesce(max(number), 0) + 1 FROM hypotheses").fetchone()[0])
            now = time.time()
            con.execute("INSERT INTO hypotheses VALUES (?, ?, ?, ?, ?, ?)",
                        [number, redact_text(statement), metric, direction, baseline, now])
            con.execute("INSERT INTO hypothesis_thresholds VALUES (?, ?, ?)", [number, thresholds_json, now])
        return number

    def rows(self, numbers: Optional[list[int]] = None) -> list[tuple[int, str, str, Optional[str], str, float]]:
        """(number, statement, metric, direction, baseline, created_at), oldest first."""
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT number, statement, metric, direction, baseline, created_at FROM hypotheses ORDER BY number"
            ).fetchall()
        wanted = set(numbers) if numbers is not None else None
        return [tuple(r) for r in rows if wanted is None or r[0] in wanted]  # type: ignore[misc]

    def thresholds(self) -> dict[int, str]:
        """number -> the latest thresholds JSON."""
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT number, arg_max(thresholds, set_at) FROM hypothesis_thresholds GROUP BY number").fetchall()
        return {int(n): t for n, t in rows}

    def set_thresholds(self, number: int, thresholds_json: str) -> None:
        with self._conn.lock:
            self._conn.check_writable()
            self._conn.con.execute("INSERT INTO hypothesis_thresholds VALUES (?, ?, ?)",
                                   [number, thresholds_json, time.time()])

    @retried_out_of_memory
    def link(self, number: int, experiments: list[int], linked: bool = True) -> None:
        now = time.time()
        with self._conn.transaction() as con:
            for i, experiment in enumerate(experiments):  # set_at keeps their order
                con.execute("INSERT INTO hypothesis_links VALUES (?, ?, ?, ?)", [number, experiment, linked, now + i * 1e-6])

    def links(self) -> dict[int, list[int]]:
        """number -> experiments linked now, in the order they were first linked."""
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT number, experiment, arg_max(linked, set_at), min(set_at) FROM hypothesis_links "
                "GROUP BY number, experiment ORDER BY number, min(set_at)").fetchall()
        out: dict[int, list[int]] = {}
        for number, experiment, linked, _first in rows:
            if linked:
                out.setdefault(int(number), []).append(int(experiment))
        return out

    def set_status(self, number: int, status: Optional[str], note: Optional[str]) -> None:
        with self._conn.lock:
            self._conn.check_writable()
            self._conn.con.execute("INSERT INTO hypothesis_status VALUES (?, ?, ?, ?)",
                                   [number, status, redact_text(note), time.time()])

    def statuses(self) -> dict[int, tuple[str, Optional[str], float]]:
        """number -> (status, note, set_at) of hypotheses whose latest override is a status (not a clear)."""
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT number, arg_max_null(status, set_at), arg_max_null(note, set_at), max(set_at) "
                "FROM hypothesis_status GROUP BY number").fetchall()
        return {int(n): (s, note, at) for n, s, note, at in rows if s is not None}
