"""Ready lineage rows: each execution's record as the editor reads it, kept as JSON text (schema: lineage_rows).

`store.ready` (a ReadyRowsStore) shares the Store's connection and lock. What it keeps is a cache, never a record:
every row says what it was made from, and ready_lineage.py decides whether it still matches (the sum of the run's
record hashes up to the row, `store.derived.run_inputs`, with the code's version: completion only looks back within a
run, so that is everything the row depends on, with the run's runtime note).
"""

from __future__ import annotations

from operator import itemgetter
from typing import NamedTuple, Optional

from .memory_limit import retried_out_of_memory
from .scoped import NotebookScopedTables
from .tables import Columns, insert_rows, select_in

READY_COLUMNS: Columns = (
    ("notebook_id", "INTEGER"), ("session", "INTEGER"), ("seq", "INTEGER"), ("inputs", "VARCHAR"),
    ("wording", "VARCHAR"), ("session_note", "VARCHAR"), ("cell_id", "VARCHAR"), ("source_sha256", "VARCHAR"),
    ("parents", "VARCHAR"), ("head", "VARCHAR"), ("tail", "VARCHAR"), ("shared", "VARCHAR"),
)
_JUDGED = {"cell_id", "source_sha256", "parents"}
_SEQ = itemgetter(1)  # a row's seq, as read


class ReadyRow(NamedTuple):
    session: int
    seq: int
    inputs: str
    wording: str
    session_note: Optional[str]
    cell_id: str
    source_sha256: str
    parents: str  # JSON list of seqs
    head: str
    tail: str
    shared: str  # the fields records share (protocol.SHARED_FIELDS) as a JSON object, '' when all at their default


class ReadyRowsStore(NotebookScopedTables):
    def read(self, notebook: str, judged: bool = True, text: bool = True) -> list[ReadyRow]:
        """The notebook's rows in seq order (whether they still match is the caller's to judge). `judged=False`:
        without what staleness and joining sources read (cell_id, source_sha256, parents are empty: a third of the
        time); `text=False`: without the JSON (head, tail and shared are empty: what deciding which rows to make reads)."""
        nb_id = self._notebook_id(notebook)
        if nb_id is None:
            return []
        left_out = (set() if judged else _JUDGED) | (set() if text else {"head", "tail", "shared"})
        names = ", ".join("''" if name in left_out else name for name, _ in READY_COLUMNS[1:])
        with self._conn.lock:  # sorted here: DuckDB's ORDER BY moved the rows' text too (~1.3 ms of 2,000 rows' 6)
            rows = self._conn.con.execute(f"SELECT {names} FROM lineage_rows WHERE notebook_id = ?", [nb_id]).fetchall()
        rows.sort(key=_SEQ)
        return list(map(ReadyRow._make, rows))

    def save(self, notebook: str, rows: list[ReadyRow]) -> None:
        """Replace the rows of these seqs, in one transaction. A read-only store keeps nothing."""
        self._replace(notebook, [row.seq for row in rows], rows)

    def forget(self, notebook: str, seqs: list[int]) -> None:
        """Drop the rows of these seqs (their text is damaged: they are made again). A read-only store keeps them."""
        self._replace(notebook, seqs, [])

    @retried_out_of_memory
    def _replace(self, notebook: str, seqs: list[int], rows: list[ReadyRow]) -> None:
        nb_id = self._notebook_id(notebook)
        if nb_id is None or not seqs or self._conn.read_only:
            return
        with self._conn.transaction() as con:
            con.execute("DELETE FROM lineage_rows WHERE notebook_id = ? AND seq IN (SELECT unnest(?::INTEGER[]))",
                        [nb_id, seqs])
            if rows:
                insert_rows(con, "lineage_rows", READY_COLUMNS, [[nb_id, *row] for row in rows])

    def sources(self, shas: list[str]) -> dict[str, str]:
        """sha256 -> the source text (a whole document with its sources)."""
        with self._conn.lock:
            return dict(select_in(self._conn.con, "SELECT sha256, text FROM sources", "sha256", shas))

    def unworded(self, wording: str) -> dict[str, int]:
        """notebook URI -> how many of its executions have no row made by `wording` (a database from an older
        TrackIT, a new analyzer or wording code): what the sidecar makes after opening."""
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT n.uri, count(*) FROM executions e JOIN notebooks n ON n.id = e.notebook_id "
                "LEFT JOIN lineage_rows r ON r.notebook_id = e.notebook_id AND r.seq = e.seq AND r.wording = ? "
                "WHERE r.seq IS NULL GROUP BY n.uri ORDER BY n.uri", [wording]).fetchall()
        return {uri: int(n) for uri, n in rows}
