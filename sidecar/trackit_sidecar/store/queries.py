"""Read queries: lineage documents, cell history, lookups by URI or path, summaries, input files.

Reads pre-filter by notebook and use a handful of queries per call, never one per row.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, NamedTuple, Optional

from ..protocol import (
    CellHistory,
    CellVersion,
    ErrorInfo,
    ExecutionRecord,
    InputFile,
    LineageDocument,
    OutputInfo,
    RuntimeFacts,
    SessionInfo,
    Step,
    SummaryResult,
)
from .admission import EPOCH_MS_MAX, EPOCH_MS_MIN
from .connection import StoreConnection
from .identity import local_path, notebook_key, real_path
from .tables import select_in
from .writer import resolve_analyzer_version

NOT_ANALYSED = "not analysed: no analysis stored for this source"

# Read back for ExecutionRecord. Sources are fetched separately by primary key: joining the whole
# sources table costs ~4x more once it holds 100k texts.
_RECORD_SELECT = """
SELECT e.seq, e.session, e.cell_id, e.cell_index, e.execution_count, e.status, e.started_at, e.ended_at,
       e.language, e.source_sha256, e.outputs, e.error_name, e.error_message, e.kernel_name, e.event_id,
       e.kernel_display_name
FROM executions e
"""
_SOURCE_SELECT = "SELECT sha256, text, reads, writes, derivations, steps, analysis_error, analyzer_version FROM sources"


@dataclass(frozen=True)
class NotebookRef:
    id: int
    uri: str
    path: Optional[str]


@dataclass(frozen=True)
class DeadLetter:
    """An event that was not stored, with why (its payload is the event as JSON, redacted)."""

    id: int
    event_id: str
    notebook_uri: Optional[str]
    received_at: float
    reason: str
    payload: str


class _Row(NamedTuple):
    record: ExecutionRecord
    kernel_name: Optional[str]
    kernel_display_name: Optional[str]
    started: float
    ended: float


def stored_time(epoch_ms: float) -> float:
    """A stored time as a real one: a value admission now refuses (NaN, 1e30, -1e15), written by an older
    TrackIT, reads as the nearest bound of 1970-2200 instead of breaking the notebook's lineage for good
    (`trackit doctor` reports such rows)."""
    if not math.isfinite(epoch_ms):
        return EPOCH_MS_MIN
    return min(max(epoch_ms, EPOCH_MS_MIN), EPOCH_MS_MAX)


def iso_utc(epoch_ms: float) -> str:
    return datetime.fromtimestamp(stored_time(epoch_ms) / 1000.0, tz=timezone.utc).isoformat(timespec="milliseconds")


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

    def stored_event_ids(self, event_ids: Iterable[str]) -> set[str]:
        """Which of `event_ids` are already stored (a re-sent capture)."""
        with self._conn.lock:
            rows = select_in(self._conn.con, "SELECT event_id FROM executions", "event_id", list(set(event_ids)))
        return {r[0] for r in rows}

    def find_notebook(self, notebook: str) -> Optional[NotebookRef]:
        """A notebook by URI or path: `file:///a/b%20c.ipynb`, `/a/b c.ipynb` and `./b c.ipynb`
        (from /a) all find the same one."""
        known = self._notebook_refs.get(notebook)
        if known is not None:  # a notebook keeps the identity it got on first sight: safe to remember
            return known
        path = local_path(notebook)
        ref = self._known_notebooks.find(notebook, path)
        if ref is None:  # recorded since the table was read, or never: read the rows added since
            with self._conn.lock:
                rows = self._conn.con.execute("SELECT id, key, uri, path FROM notebooks WHERE id > ? ORDER BY id",
                                              [self._known_notebooks.last_id]).fetchall()
            self._known_notebooks.add(rows)
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
            with self._conn.lock:
                rows = self._conn.con.execute("SELECT id, key, uri, path FROM notebooks WHERE id > ? ORDER BY id",
                                              [self._known_notebooks.last_id]).fetchall()
            self._known_notebooks.add(rows)
            ref = self._known_notebooks.by_id.get(nb_id)
        return ref

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
                upto_seq: Optional[int] = None, static: bool = False, from_seq: Optional[int] = None) -> LineageDocument:
        """Every execution of a notebook in seq order with sessions, outputs, errors, runtime facts
        and input files; `parents` left empty (lineage.graph.link_parents fills them). An unknown
        notebook gives a document with no executions. `session` restricts to one session, `after_seq`
        to the executions stored after that one, `upto_seq` to those stored up to that one, `from_seq` to that
        seq and later (a window); `sessions` then describe the executions returned (session_infos() describes
        them all). `static`: without runtime facts, capture status and input files (what the code and its
        outputs say, read in two queries)."""
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
            records = self._records(ref.id, where, params, static=static)
        return LineageDocument(
            notebook=ref.path or ref.uri,
            notebook_uri=ref.uri,
            sessions=_sessions(records),
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
            return [r.record for r in self._records(ref.id, "e.notebook_id = ? AND e.cell_id = ?", [ref.id, cell_id])]

    def latest_per_cell(self, notebook: str) -> dict[str, ExecutionRecord]:
        """The most recent execution of each cell (annotation badges), keyed by cell_id."""
        with self._conn.lock:
            ref = self.find_notebook(notebook)
            if ref is None:
                return {}
            where = (
                "e.notebook_id = ? AND e.seq IN (SELECT max(seq) FROM executions WHERE notebook_id = ? GROUP BY cell_id)"
            )
            return {r.record.cell_id: r.record for r in self._records(ref.id, where, [ref.id, ref.id])}

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

    def latest_summary(
        self, notebook_uri: str, provider: Optional[str] = None, prompt_sha256: Optional[str] = None
    ) -> Optional[SummaryResult]:
        """The newest saved summary, optionally of one provider and one prompt (a summary of an
        unchanged prompt can be reused); returned with cached=True."""
        sql = "SELECT notebook_uri, markdown, provider, model, created_at, prompt_sha256, warnings FROM summaries WHERE notebook_key = ?"
        params: list[Any] = [notebook_key(notebook_uri)]
        if provider is not None:
            sql += " AND provider = ?"
            params.append(provider)
        if prompt_sha256 is not None:
            sql += " AND prompt_sha256 = ?"
            params.append(prompt_sha256)
        with self._conn.lock:
            row = self._conn.con.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
        if row is None:
            return None
        uri, markdown, prov, model, created_at, prompt_sha, warnings = row
        return SummaryResult(notebook_uri=uri, markdown=markdown, provider=prov, model=model, created_at=created_at,
                             prompt_sha256=prompt_sha, cached=True, warnings=json.loads(warnings))

    def run_sources(self, notebook: str, sessions: list[int]) -> list[tuple[int, int, str, str, str, str]]:
        """(session, seq, cell_id, language, source text, source sha256) of every execution of these runs, in seq
        order: what reading a run's code needs, without its analysis, outputs or runtime facts."""
        with self._conn.lock:
            ref = self.find_notebook(notebook)
            if ref is None or not sessions:
                return []
            rows = self._conn.con.execute(
                "SELECT e.session, e.seq, e.cell_id, e.language, s.text, e.source_sha256 FROM executions e "
                "JOIN sources s ON s.sha256 = e.source_sha256 WHERE e.notebook_id = ? "
                "AND e.session IN (SELECT unnest(?::INTEGER[])) ORDER BY e.seq", [ref.id, sorted(sessions)]).fetchall()
        return [(int(session), int(seq), cell, language, text, sha) for session, seq, cell, language, text, sha in rows]

    def _records(self, nb_id: int, where: str, params: list[Any], static: bool = False) -> list[_Row]:
        """ExecutionRecords for the rows matching `where` (seq order) in three queries: executions, their
        sources by key, then their runtime facts, capture status and input files joined on `where`
        (`static`: the first two only)."""
        con = self._conn.con
        rows = con.execute(f"{_RECORD_SELECT} WHERE {where} ORDER BY e.seq", params).fetchall()
        if not rows:
            return []
        sources = {r[0]: r for r in select_in(con, _SOURCE_SELECT, "sha256", list({r[9] for r in rows}))}
        if static:
            return _build_records(rows, sources, {}, {}, {})
        wanted = {r[14] for r in rows}
        # Facts, statuses and files of the executions matched, in one query of three joins (a bound IN list of 40
        # keys costs more than the join; reading the whole notebook's rows for one session, much more; a query
        # per table, a round trip each)
        joined = f"JOIN executions e ON e.event_id = x.event_id WHERE x.notebook_id = ? AND {where}"
        side_rows = con.execute(
            f"SELECT 'fact', x.event_id, x.ord, x.facts, NULL, NULL, NULL, NULL, NULL FROM runtime_facts x {joined} "
            f"UNION ALL SELECT 'capture', x.event_id, 0, x.status, x.evidence, NULL, NULL, NULL, NULL "
            f"FROM runtime_capture x {joined} "
            f"UNION ALL SELECT 'file', x.event_id, x.ord, x.path, x.error, x.size, x.mtime, x.sha256, x.changed_since "
            f"FROM input_files x {joined}",
            [nb_id, *params] * 3).fetchall()
        facts: dict[str, list[RuntimeFacts]] = {}
        captures: dict[str, tuple[str, Optional[str]]] = {}
        files: dict[str, list[InputFile]] = {}
        for kind, event_id, _ord, text, error, size, mtime, sha, changed_since in sorted(
                side_rows, key=lambda r: (r[0], r[1], r[2])):
            if event_id not in wanted:
                continue
            if kind == "fact":
                facts.setdefault(event_id, []).append(RuntimeFacts.model_validate_json(text))
            elif kind == "capture":
                captures[event_id] = (text, error)
            else:
                files.setdefault(event_id, []).append(
                    InputFile(path=text, size=size, mtime=mtime, sha256=sha, changed_since=changed_since, error=error))
        return _build_records(rows, sources, facts, files, captures)


_OUTPUT_KEYS = frozenset({"output_type", "mime", "size", "sha256"})
# every field of a record that has a plain default (lists and dicts are given for each record)
_RECORD_DEFAULTS = {name: field.default for name, field in ExecutionRecord.model_fields.items()
                    if field.default_factory is None and not field.is_required()}


def _trusted(model: type, defaults: dict, **values: Any) -> Any:
    """A model from values we wrote and read back ourselves, every field given: what model_construct does,
    without its per-field default lookups (a fifth of reading a notebook of 5,000 runs)."""
    made = model.__new__(model)
    fields = {**defaults, **values}
    object.__setattr__(made, "__dict__", fields)
    object.__setattr__(made, "__pydantic_fields_set__", set(values))
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


def _copied(step: Step) -> Step:
    """A shallow copy of a validated step (graph.attach_runtime sets .runtime per execution)."""
    made = Step.__new__(Step)
    object.__setattr__(made, "__dict__", dict(step.__dict__))
    object.__setattr__(made, "__pydantic_fields_set__", set(step.__pydantic_fields_set__))
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


def _output(stored: dict) -> OutputInfo:
    """An output as the writer stored it (writer.py caps and shapes them); anything else is validated."""
    if not _OUTPUT_KEYS.issubset(stored):
        return OutputInfo.model_validate(stored)
    return _trusted(OutputInfo, {}, output_type=stored["output_type"], mime=stored["mime"], size=stored["size"],
                    sha256=stored["sha256"], truncated=stored.get("truncated", False), text=stored.get("text"))


def _json_list(value: Optional[str]) -> list:
    return json.loads(value) if value else []


def _build_records(
    rows: list[tuple],
    sources: dict[str, tuple],
    facts: dict[str, list[RuntimeFacts]],
    files: dict[str, list[InputFile]],
    captures: dict[str, tuple[str, Optional[str]]],
) -> list[_Row]:
    parsed: dict[str, tuple[list, list, dict, list]] = {}
    out = []
    for (seq, session, cell_id, cell_index, count, status, started, ended, language, sha, outputs, error_name,
         error_message, kernel_name, event_id, kernel_display_name) in rows:
        _, text, reads, writes, derivations, steps, analysis_error, analyzer_version = sources[sha]
        if sha not in parsed:
            parsed[sha] = (_json_list(reads), _json_list(writes), json.loads(derivations) if derivations else {},
                           [Step.model_validate(s) for s in _json_list(steps)])
        p_reads, p_writes, p_derivations, p_steps = parsed[sha]
        if analyzer_version is None and reads is None:
            analysis_error = NOT_ANALYSED
        error = ErrorInfo.model_construct(name=error_name, message=error_message) if (error_name or error_message) else None
        capture = captures.get(event_id, (None, None))
        start, end = stored_time(started), stored_time(ended)
        # Rows we wrote ourselves: built without validation (validating 2,000 records was most of a
        # notebook's first read).
        record = _trusted(
            ExecutionRecord,
            _RECORD_DEFAULTS,
            seq=seq,
            session=session,
            cell_id=cell_id,
            cell_index=cell_index,
            execution_count=count,
            status=status,
            started_at=iso_utc(started),
            ended_at=iso_utc(ended),
            duration_ms=max(0.0, end - start),
            language=language,
            source=text,
            source_sha256=sha,
            reads=list(p_reads),
            writes=list(p_writes),
            derivations={k: list(v) for k, v in p_derivations.items()},
            analysis_error=analysis_error,
            # Fresh Step objects per record (graph.attach_runtime sets .runtime per execution); a shallow
            # copy of a validated Step is ~20x cheaper than validating the JSON again for every re-run.
            steps=[_copied(s) for s in p_steps],
            outputs=[_output(o) for o in json.loads(outputs)],
            error=error,
            runtime=facts.get(event_id, []),
            input_files=files.get(event_id, []),
            runtime_status=capture[0],
            runtime_evidence=capture[1],
            parents=[], read_from={}, code_names={}, step_lines=[], stale_because=[],
        )
        out.append(_Row(record, kernel_name, kernel_display_name, start, end))
    return out


def _sessions(records: list[_Row]) -> list[SessionInfo]:
    info: dict[int, dict[str, Any]] = {}
    for record, kernel_name, display_name, started, ended in records:
        s = info.setdefault(record.session, {"start": started, "end": ended, "kernel": None, "display": None,
                                             "n": 0, "statuses": set()})
        s["start"], s["end"], s["n"] = min(s["start"], started), max(s["end"], ended), s["n"] + 1
        if kernel_name and not s["kernel"]:  # the kernelspec the session's first reporting execution named
            s["kernel"], s["display"] = kernel_name, display_name
        if record.runtime_status is not None:
            s["statuses"].add(record.runtime_status)
    return [
        SessionInfo(id=sid, started_at=iso_utc(s["start"]), ended_at=iso_utc(s["end"]), kernel_name=s["kernel"],
                    kernel_display_name=s["display"], executions=s["n"],
                    runtime_status=next(iter(s["statuses"])) if len(s["statuses"]) == 1 else None)
        for sid, s in sorted(info.items())
    ]
