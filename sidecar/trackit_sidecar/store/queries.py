"""Read queries: lineage documents, sessions, cell history, lookups by URI or path, input files, dead letters.

Reads pre-filter by notebook and use a handful of queries per call, never one per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

from ..protocol import CellHistory, CellVersion, ExecutionRecord, LineageDocument, SessionInfo
from .connection import StoreConnection
from .execution_records import iso_utc, read_records, sessions_of
from .identity import local_path, real_path
from .notebook_index import NotebookIndex, NotebookRef
from .numbering import load_states
from .session_contexts import read_context
from .sessions import NotebookState
from .stored_analysis import resolve_analyzer_version
from .tables import select_in


@dataclass(frozen=True)
class DeadLetter:
    """An event that was not stored, with why (its payload is the event as JSON, redacted)."""

    id: int
    event_id: str
    notebook_uri: Optional[str]
    received_at: float
    reason: str
    payload: str


class Queries:
    def __init__(self, conn: StoreConnection) -> None:
        self._conn = conn
        self._notebook_refs: dict[str, NotebookRef] = {}  # find_notebook() answers, by the string asked
        # every notebook recorded, read in one query when one is first asked for: a notebook's first touch (a
        # hover) then costs no query of its own to find it. Notebooks are only ever added, never changed.
        self._known_notebooks = NotebookIndex()

    def notebooks(self) -> list[str]:
        """URIs of every notebook with stored executions, sorted."""
        with self._conn.lock:
            return [r[0] for r in self._conn.con.execute("SELECT uri FROM notebooks ORDER BY uri").fetchall()]

    def count_executions(self, notebook: Optional[str] = None) -> int:
        with self._conn.lock:
            con = self._conn.con
            if notebook is None:
                return int(con.execute("SELECT count(*) FROM executions").fetchone()[0])
            ref = self.find_notebook(notebook)
            if ref is None:
                return 0
            return int(con.execute("SELECT count(*) FROM executions WHERE notebook_id = ?", [ref.id]).fetchone()[0])

    def analysed_shas(self, analyzer_version: int) -> set[str]:
        """Sources whose stored analysis is from `analyzer_version` or newer (no re-analysis needed)."""
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT sha256 FROM sources WHERE analyzer_version >= ?", [analyzer_version]).fetchall()
        return {r[0] for r in rows}

    def stored_shas(self, shas: Iterable[str], analyzer_version: Optional[int] = None) -> set[str]:
        """Which of `shas` are stored with an analysis from `analyzer_version` (default: the
        current one) or newer: the ones a caller need not analyse again."""
        version = resolve_analyzer_version(analyzer_version)
        with self._conn.lock:
            rows = select_in(self._conn.con, "SELECT sha256, analyzer_version FROM sources", "sha256", list(set(shas)))
        return {sha for sha, stored in rows if stored is not None and stored >= version}

    def find_notebook(self, notebook: str) -> Optional[NotebookRef]:
        """A notebook by URI or path: `file:///a/b%20c.ipynb`, `/a/b c.ipynb` and `./b c.ipynb`
        (from /a) all find the same one."""
        known = self._notebook_refs.get(notebook)
        if known is not None:  # a notebook keeps the identity it got on first sight: safe to remember
            return known
        path = local_path(notebook)
        ref = self._known_notebooks.find(notebook, path)
        if ref is None:  # recorded since the table was read, or never: read the rows added since
            self._read_new_notebooks()
            ref = self._known_notebooks.find(notebook, path)
        if ref is None:
            return None
        self._notebook_refs[notebook] = ref
        self._notebook_refs.setdefault(ref.uri, ref)  # the reads that follow ask by the URI it resolved to
        return ref

    def notebook_by_id(self, nb_id: int) -> Optional[NotebookRef]:
        """The notebook of a row id (what the executions table names): from memory, reading the rows added since
        when it is not there yet."""
        ref = self._known_notebooks.by_id.get(nb_id)
        if ref is None:
            self._read_new_notebooks()
            ref = self._known_notebooks.by_id.get(nb_id)
        return ref

    def _read_new_notebooks(self) -> None:
        """Take in the rows of the notebooks table recorded since it was last read."""
        with self._conn.lock:
            rows = self._conn.con.execute("SELECT id, key, uri, path FROM notebooks WHERE id > ? ORDER BY id",
                                          [self._known_notebooks.last_id]).fetchall()
        self._known_notebooks.add(rows)

    def dead_letters(self, limit: Optional[int] = None) -> list[DeadLetter]:
        """Events that were not stored, oldest first."""
        sql = "SELECT id, event_id, notebook_uri, received_at, reason, payload FROM dead_letters ORDER BY id"
        with self._conn.lock:
            rows = self._conn.con.execute(sql + (f" LIMIT {int(limit)}" if limit is not None else "")).fetchall()
        return [DeadLetter(*row) for row in rows]

    def count_dead_letters(self) -> int:
        with self._conn.lock:
            return int(self._conn.con.execute("SELECT count(*) FROM dead_letters").fetchone()[0])

    def lineage(self, notebook: str, session: Optional[int] = None, after_seq: Optional[int] = None,
                upto_seq: Optional[int] = None, static: bool = False, from_seq: Optional[int] = None,
                described: bool = True) -> LineageDocument:
        """Every execution of a notebook in seq order with sessions, outputs, errors, runtime facts
        and input files; `parents` left empty (lineage.graph.link_parents fills them). An unknown
        notebook gives a document with no executions. `session` restricts to one session, `after_seq`
        to the executions stored after that one, `upto_seq` to those stored up to that one, `from_seq` to that
        seq and later (a window); `sessions` then describe the executions returned (session_infos() describes
        them all). `static`: without runtime facts, capture status and input files (what the code and its
        outputs say, read in two queries). `described=False`: the executions alone, `sessions` left empty, for a
        reader that describes the sessions itself (lineage_views: one aggregate query); describing them again from
        every record and validating the document around them was ~15 ms of `trackit lineage` on 5,000 runs."""
        with self._conn.lock:
            ref = self.find_notebook(notebook)
            if ref is None:
                return LineageDocument(notebook=local_path(notebook) or notebook, notebook_uri=notebook)
            where, params = "e.notebook_id = ?", [ref.id]
            if session is not None:
                where, params = where + " AND e.session = ?", params + [session]
            if after_seq is not None:
                where, params = where + " AND e.seq > ?", params + [after_seq]
            if upto_seq is not None:
                where, params = where + " AND e.seq <= ?", params + [upto_seq]
            if from_seq is not None:
                where, params = where + " AND e.seq >= ?", params + [from_seq]
            records = read_records(self._conn.con, ref.id, where, params, static=static)
        if not described:
            return LineageDocument.model_construct(notebook=ref.path or ref.uri, notebook_uri=ref.uri,
                                                   executions=[r.record for r in records])
        return LineageDocument(
            notebook=ref.path or ref.uri,
            notebook_uri=ref.uri,
            sessions=sessions_of(records),
            executions=[r.record for r in records],
        )

    def session_infos_and_ranges(self, notebook: str, from_session: Optional[int] = None
                                 ) -> tuple[list[SessionInfo], dict[int, tuple[int, int]]]:
        """Every session of a notebook (what `lineage(notebook).sessions` says) and each one's first and last
        seq, from one aggregate query without reading the executions: a windowed read lists all sessions and
        loads one. `from_session`: only that session and later ones (new runs only change those)."""
        with self._conn.lock:
            ref = self.find_notebook(notebook)
            if ref is None:
                return [], {}
            rows = self._conn.con.execute(
                "SELECT e.session, min(e.started_at), max(e.ended_at), count(*), "
                "arg_min(e.kernel_name, e.seq) FILTER (WHERE e.kernel_name IS NOT NULL AND e.kernel_name <> ''), "
                "arg_min(e.kernel_display_name, e.seq) FILTER (WHERE e.kernel_name IS NOT NULL AND e.kernel_name <> ''), "
                "min(c.status), max(c.status), min(e.seq), max(e.seq) "
                "FROM executions e LEFT JOIN runtime_capture c ON c.event_id = e.event_id AND c.notebook_id = ? "
                "WHERE e.notebook_id = ? AND e.session >= ? GROUP BY e.session ORDER BY e.session",
                [ref.id, ref.id, from_session if from_session is not None else -(2**31)],
            ).fetchall()
        # a run's status is the one its captured executions share (min = max: count(DISTINCT) cost ~0.8 ms more)
        infos = [
            SessionInfo(id=sid, started_at=iso_utc(start), ended_at=iso_utc(end), kernel_name=kernel,
                        kernel_display_name=display if kernel else None, executions=int(n),
                        runtime_status=status if status is not None and status == highest else None)
            for sid, start, end, n, kernel, display, status, highest, _first, _last in rows
        ]
        return infos, {row[0]: (int(row[8]), int(row[9])) for row in rows}

    def where_is(self, event_ids: list[str]) -> dict[str, tuple[str, int, int]]:
        """event_id -> (notebook URI, seq, session) of stored executions."""
        with self._conn.lock:
            rows = select_in(self._conn.con, "SELECT e.event_id, n.uri, e.seq, e.session FROM executions e "
                                             "JOIN notebooks n ON n.id = e.notebook_id", "e.event_id", event_ids)
        return {event_id: (uri, int(seq), int(session)) for event_id, uri, seq, session in rows}

    @staticmethod
    def display_name(notebook: str) -> str:
        """How a notebook with nothing recorded is named in an empty document."""
        return local_path(notebook) or notebook

    def latest_run(self, notebook: str, cell_id: str) -> Optional[tuple[int, int, int]]:
        """(seq, session, run count) of a cell's latest execution, or None when it never ran."""
        with self._conn.lock:
            ref = self.find_notebook(notebook)
            if ref is None:
                return None
            row = self._conn.con.execute(
                "SELECT max(seq), arg_max(session, seq), count(*) FROM executions WHERE notebook_id = ? AND cell_id = ?",
                [ref.id, cell_id],
            ).fetchone()
        return None if row is None or row[0] is None else (int(row[0]), int(row[1]), int(row[2]))

    def latest_seq(self, notebook: str) -> int:
        """The newest seq stored for a notebook (0 for none)."""
        with self._conn.lock:
            ref = self.find_notebook(notebook)
            if ref is None:
                return 0
            row = self._conn.con.execute("SELECT max(seq) FROM executions WHERE notebook_id = ?", [ref.id]).fetchone()
        return int(row[0] or 0)

    def cell_runs(self, notebook: str, cell_id: str) -> list[ExecutionRecord]:
        """Every execution of one cell, in seq order (runtime facts and input files included)."""
        with self._conn.lock:
            ref = self.find_notebook(notebook)
            if ref is None:
                return []
            where = "e.notebook_id = ? AND e.cell_id = ?"
            return [r.record for r in read_records(self._conn.con, ref.id, where, [ref.id, cell_id])]

    def latest_per_cell(self, notebook: str) -> dict[str, ExecutionRecord]:
        """The most recent execution of each cell (annotation badges), keyed by cell_id."""
        with self._conn.lock:
            ref = self.find_notebook(notebook)
            if ref is None:
                return {}
            where = (
                "e.notebook_id = ? AND e.seq IN (SELECT max(seq) FROM executions WHERE notebook_id = ? GROUP BY cell_id)"
            )
            return {r.record.cell_id: r.record for r in read_records(self._conn.con, ref.id, where, [ref.id, ref.id])}

    def run_counts(self, notebook: str) -> dict[str, int]:
        with self._conn.lock:
            ref = self.find_notebook(notebook)
            if ref is None:
                return {}
            rows = self._conn.con.execute(
                "SELECT cell_id, count(*) FROM executions WHERE notebook_id = ? GROUP BY cell_id", [ref.id]
            ).fetchall()
        return {cell: int(n) for cell, n in rows}

    def cell_history(self, notebook: str, cell_id: Optional[str] = None) -> CellHistory:
        """Each distinct source a cell has run with (all cells when cell_id is None), oldest first."""
        with self._conn.lock:
            ref = self.find_notebook(notebook)
            if ref is None:
                return CellHistory(notebook_uri=notebook)
            sql = (
                "SELECT e.cell_id, e.source_sha256, e.status, count(*), min(e.started_at), max(e.started_at), min(e.seq) "
                "FROM executions e WHERE e.notebook_id = ?"
            )
            params: list[Any] = [ref.id]
            if cell_id is not None:
                sql += " AND e.cell_id = ?"
                params.append(cell_id)
            con = self._conn.con
            rows = con.execute(sql + " GROUP BY ALL", params).fetchall()
            texts = dict(select_in(con, "SELECT sha256, text FROM sources", "sha256", list({r[1] for r in rows})))
        grouped: dict[tuple[str, str], dict[str, Any]] = {}
        for cell, sha, status, n, first, last, first_seq in rows:
            g = grouped.setdefault((cell, sha), {"runs": 0, "first": first, "last": last, "seq": first_seq, "statuses": {}})
            g["runs"] += int(n)
            g["first"], g["last"], g["seq"] = min(g["first"], first), max(g["last"], last), min(g["seq"], first_seq)
            g["statuses"][status] = g["statuses"].get(status, 0) + int(n)
        versions = [
            CellVersion(cell_id=cell, source_sha256=sha, source=texts.get(sha, ""), first_run_at=iso_utc(g["first"]),
                        last_run_at=iso_utc(g["last"]), runs=g["runs"], statuses=g["statuses"])
            for (cell, sha), g in sorted(grouped.items(), key=lambda kv: kv[1]["seq"])
        ]
        return CellHistory(notebook_uri=ref.uri, versions=versions)

    def find_cell_by_uri(self, cell_uri: str) -> Optional[tuple[str, str]]:
        """(notebook_uri, cell_id) of the latest execution sent with this vscode-notebook-cell URI."""
        with self._conn.lock:
            row = self._conn.con.execute(
                "SELECT n.uri, e.cell_id FROM executions e JOIN notebooks n ON n.id = e.notebook_id "
                "WHERE e.cell_uri = ? ORDER BY e.started_at DESC, e.seq DESC LIMIT 1",
                [cell_uri],
            ).fetchone()
        return (row[0], row[1]) if row else None

    def last_input_file_sha(self, path: str) -> Optional[str]:
        """The sha256 most recently recorded for this file (any notebook), for `changed_since`."""
        with self._conn.lock:
            row = self._conn.con.execute(
                "SELECT sha256 FROM input_files WHERE real_path = ? AND sha256 IS NOT NULL ORDER BY id DESC LIMIT 1",
                [real_path(path)],
            ).fetchone()
        return row[0] if row else None

    def notebook_state(self, notebook: str) -> NotebookState:
        """Where the notebook's numbering stands (its latest session, kernel, counter), as the writer reads it: what
        tells whether a new execution continues that session (sessions.place_execution)."""
        with self._conn.lock:
            ref = self.find_notebook(notebook)
            return NotebookState() if ref is None else load_states(self._conn.con, {ref.id})[ref.id]

    def run_sources(self, notebook: str, sessions: list[int], after_seq: int = 0
                    ) -> list[tuple[int, int, str, str, str, str]]:
        """(session, seq, cell_id, language, source text, source sha256) of every execution of these runs (after
        `after_seq`), in seq order: what reading a run's code needs, without its analysis, outputs or runtime facts."""
        with self._conn.lock:
            ref = self.find_notebook(notebook)
            if ref is None or not sessions:
                return []
            rows = self._conn.con.execute(
                "SELECT e.session, e.seq, e.cell_id, e.language, s.text, e.source_sha256 FROM executions e "
                "JOIN sources s ON s.sha256 = e.source_sha256 WHERE e.notebook_id = ? "
                "AND e.session IN (SELECT unnest(?::INTEGER[])) AND e.seq > ? ORDER BY e.seq",
                [ref.id, sorted(sessions), after_seq]).fetchall()
        return [(int(session), int(seq), cell, language, text, sha) for session, seq, cell, language, text, sha in rows]

    def session_context(self, notebook: str, session: int) -> Optional[tuple[dict[str, str], int]]:
        """What the session's cells bound, as stored with its batches, and the last seq that includes; None when
        nothing was stored for it (store/session_contexts.py)."""
        with self._conn.lock:
            ref = self.find_notebook(notebook)
            return None if ref is None else read_context(self._conn.con, ref.id, session)
