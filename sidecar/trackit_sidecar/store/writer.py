"""The one writer: a batch of executions with their analyses, runtime facts and input files, stored
in one transaction. TrackitService.ingest and the spool merge both go through `Writer.write`.

Writes are append-only (every execution is a new row; sources are content-addressed and written
once, with their first execution's analysis; an execution classified otherwise, in the context of other earlier
cells, names its own analysis, content-addressed in `analyses`). Caches are updated only after a commit, so a rolled-back batch leaves them untouched.

Everything written passes admission.py first (cleaned, checked, redacted, capped), so no secret
reaches the file and one bad event never blocks the others: it goes to the dead letter with its
reason, and the rest of its batch is stored. A failing database (not a bad value) raises.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Iterable, NamedTuple, Optional, Sequence, Union

import duckdb

from ..protocol import CellExecution, InputFile, RuntimeFacts
from .admission import Admitted, Rejection, admit, admit_facts, admit_input_file, reject
from .attached_rows import RuntimeStatuses, attach_once, capture_rows, facts_rows, file_rows
from .caps import DEFAULT_MAX_TEXT_BYTES
from .connection import StoreConnection
from .errors import RejectedData
from .memory_limit import retried_out_of_memory
from .session_contexts import Changes, add_context_changes
from .notebook_rows import notebook_keys, resolve_notebooks
from .numbering import load_states
from .sessions import NotebookState, place_execution
from .stored_analysis import (
    STORED_ANALYSIS,
    AnalysisLike,
    analysis_columns,
    analysis_sha256,
    pin_before_upgrade,
    resolve_analyzer_version,
    store_analyses,
    update_sources,
)
from .tables import (
    CAPTURE_COLUMNS,
    DEAD_LETTER_COLUMNS,
    EXEC_COLUMNS,
    FACT_COLUMNS,
    INPUT_FILE_COLUMNS,
    SOURCE_COLUMNS,
    existing,
    insert_rows,
    select_in,
)


log = logging.getLogger("trackit.store")


class WriteResult(NamedTuple):
    """Each event's seq in input order (None: its event_id was already stored or repeated in the
    batch), and the event_ids of facts/files whose execution is stored nowhere (not written)."""

    seqs: list[Optional[int]]
    orphan_event_ids: set[str]
    # sources stored by an older analyzer and analysed again in place: every earlier execution of them, in any
    # notebook, now reads differently (what callers hold of them is out of date)
    reanalysed_shas: frozenset[str] = frozenset()
    # notebook URI -> where its numbering stands after the batch (what places its next execution)
    states: dict[str, NotebookState] = {}


class Writer:
    def __init__(self, conn: StoreConnection, max_text_output_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> None:
        self._conn = conn
        self.max_text_output_bytes = max_text_output_bytes
        # Notebook rows are never deleted or re-keyed, so a cached id stays valid even if another
        # Store in this process (DuckDB shares one instance per file) adds notebooks.
        self._notebook_ids: dict[str, int] = {}
        self._keys: dict[tuple[str, Optional[str]], str] = {}
        # Seq/session state is trusted only while the executions count is what this Writer last
        # wrote; any other writer changes the count and the state is re-read (one cheap query).
        self._states: dict[int, NotebookState] = {}
        self._states_at_count: Optional[int] = None
        # source sha256 -> an analysis equal to its stored row's: an execution given an equal one (the common case)
        # names nothing, and is told so without making its stored columns (redacting and dumping every execution's
        # steps halved ingest). Learnt only after a commit; forgotten when the row is analysed again.
        self._as_source: dict[str, AnalysisLike] = {}
        # the last `stored_event_ids` answer: (ids asked, those stored, the executions count it holds at)
        self._asked: tuple[frozenset[str], frozenset[str], Optional[int]] = (frozenset(), frozenset(), None)

    def stored_event_ids(self, event_ids: Iterable[str]) -> set[str]:
        """Which of `event_ids` are stored (a re-sent capture). The service asks before analysing a batch; the write
        that follows takes the answer instead of asking again while the executions count says nothing was stored
        since (the query was ~4 ms of a batch of 100, 1/8 of ingest)."""
        ids = list(set(event_ids))
        with self._conn.lock:
            found = existing(self._conn.con, "executions", "event_id", ids)
        self._asked = (frozenset(ids), frozenset(found), self._states_at_count)
        return set(found)

    def write(
        self,
        events: Sequence[CellExecution],
        analyses: dict[str, AnalysisLike],
        analyzer_version: Optional[int] = None,
        runtime_facts: Optional[dict[str, list[RuntimeFacts]]] = None,
        input_files: Optional[dict[str, list[InputFile]]] = None,
        runtime_status: Optional[RuntimeStatuses] = None,
        shas: Optional[Sequence[str]] = None,
        execution_analyses: Optional[dict[str, AnalysisLike]] = None,
        contexts: Optional[dict[str, tuple[int, Changes]]] = None,
    ) -> WriteResult:
        """Store a batch in one transaction; an event the store cannot hold goes to the dead letter instead.

        Each event is admitted first (admission.py: cleaned, checked, redacted, capped); one that is not
        is dead-lettered with the reason in the same transaction. If the database still refuses the
        batch because of a value (RejectedData), the batch is split until the refused event stands alone;
        it is dead-lettered and the rest is stored. Any other database failure raises and stores nothing.

        `shas`: each event's content address (of the source the editor ran) when the caller already has it.
        `analyses` is keyed by it and recorded with `analyzer_version` (default:
        lineage.analysis.ANALYZER_VERSION). A stored source keeps its analysis unless that came from
        an older analyzer (or none) and a new one is given: then it is upgraded in place, and the executions
        that read it keep the analysis they were classified with (stored_analysis.pin_before_upgrade).
        `execution_analyses`: event_id -> the analysis that execution was classified with (in its
        notebook's context); one that differs from its source's is stored once and named by the execution.
        Events without one read their source's. `contexts`: notebook URI -> (session, what this batch's cells changed
        in its context), stored for a session the batch stored executions of (store/session_contexts.py). Facts and
        input files (and a runtime status) are added for executions that have none yet, so a replayed
        batch adds them once."""
        runtime_facts, input_files, runtime_status = runtime_facts or {}, input_files or {}, runtime_status or {}
        if not events and not runtime_facts and not input_files and not runtime_status:
            return WriteResult([], set())
        runtime_facts = {event_id: [admit_facts(f) for f in facts] for event_id, facts in runtime_facts.items()}
        input_files = {event_id: [admit_input_file(f) for f in files] for event_id, files in input_files.items()}
        known = list(shas) if shas is not None else [None] * len(events)
        batch = _Batch(events, [admit(e, self.max_text_output_bytes, sha) for e, sha in zip(events, known)], analyses,
                       resolve_analyzer_version(analyzer_version), runtime_facts, input_files, runtime_status,
                       execution_analyses or {}, contexts or {})
        orphans = self._write_isolating(batch, list(range(len(events))))
        for rejection in batch.dead_lettered:
            log.warning("execution %s not stored (dead letter): %s", rejection.event_id, rejection.reason)
        return WriteResult(batch.seqs, orphans, frozenset(batch.reanalysed_shas), batch.states)

    def _write_isolating(self, batch: "_Batch", indices: list[int]) -> set[str]:
        """Write `indices` of the batch; split on a refused value until the event that causes it is alone."""
        try:
            return self._write_once(batch, indices)
        except Exception as exc:  # noqa: BLE001 - a refused value or a bug in one record; anything else re-raised
            if not _refused(exc):
                raise
            if len(indices) > 1:
                half = len(indices) // 2
                self._write_isolating(batch, indices[:half])
                return self._write_isolating(batch, indices[half:])  # the last part sees every stored execution
            i = indices[0]
            detail = exc.detail if isinstance(exc, RejectedData) else f"{type(exc).__name__}: {exc}"
            batch.items[i] = reject(batch.events[i], f"the database refused it: {detail}")
            return self._write_once(batch, indices)

    @retried_out_of_memory
    def _write_once(self, batch: "_Batch", indices: list[int]) -> set[str]:
        """One transaction: the dead letters and the admitted events among `indices`, facts and files."""
        items = batch.items
        seen: set[str] = set()
        unique: list[int] = []
        for i in indices:
            event_id = items[i].event.event_id if isinstance(items[i], Admitted) else items[i].event_id
            if event_id not in seen:
                seen.add(event_id)
                unique.append(i)
        batch.stored_from, batch.as_source = {}, {}
        with self._conn.lock:
            with self._conn.transaction() as con:
                total = int(con.execute("SELECT count(*) FROM executions").fetchone()[0])
                asked, asked_stored, asked_at = self._asked
                # executions are only ever added: an unchanged count since the answer means it still holds
                stored = (set(asked_stored & seen) if asked_at == total and seen <= asked else
                          existing(con, "executions", "event_id", list(seen)))
                letters = [items[i] for i in unique if isinstance(items[i], Rejection) and items[i].event_id not in stored]
                letters = _insert_dead_letters(con, letters)
                fresh = [i for i in unique if isinstance(items[i], Admitted) and items[i].event.event_id not in stored]
                # seq follows execution order, not arrival order (late outputs reorder arrivals).
                fresh.sort(key=lambda i: (items[i].event.started_at, i))
                admitted: list[Admitted] = [items[i] for i in fresh]
                fresh_events = [a.event for a in admitted]
                keys = notebook_keys(fresh_events, self._keys)
                new_ids = resolve_notebooks(con, fresh_events, keys, self._notebook_ids)
                ids = {**self._notebook_ids, **new_ids}
                reanalysed = self._insert_sources(con, admitted, batch)
                batch.reanalysed_shas.update(reanalysed)
                for sha in reanalysed:
                    self._as_source.pop(sha, None)
                own_analyses = self._own_analyses(con, admitted, batch)
                if total != self._states_at_count:
                    self._states.clear()
                wanted = {ids[key] for key in keys.values()}
                states = {i: self._states[i] for i in wanted if i in self._states}
                states.update(load_states(con, wanted - states.keys()))

                now = time.time()
                seqs: dict[int, int] = {}
                upto: dict[tuple[int, int], int] = {}  # (notebook id, session) -> its last seq in this batch
                rows: list[list[Any]] = []
                for i, item in zip(fresh, admitted):
                    event = item.event
                    nb_id = ids[keys[(event.notebook_uri, event.notebook_path)]]
                    placed = place_execution(states[nb_id], event.kernel_id, event.execution_order, event.started_at,
                                             event.status)
                    states[nb_id] = placed.state
                    seqs[i] = placed.seq
                    upto[(nb_id, placed.session)] = max(placed.seq, upto.get((nb_id, placed.session), 0))
                    rows.append([
                        event.event_id, nb_id, placed.seq, placed.session, event.cell_id, event.cell_index,
                        event.execution_order, event.status, event.started_at, event.ended_at, event.language,
                        item.source_sha256,
                        json.dumps([o.model_dump(mode="json", exclude_none=True) for o in item.outputs]),
                        event.error_name, event.error_message, event.kernel_id, event.kernel_name, now,
                        event.cell_uri, event.kernel_display_name, own_analyses.get(event.event_id),
                    ])
                insert_rows(con, "executions", EXEC_COLUMNS, rows)
                fresh_nb = {a.event.event_id: ids[keys[(a.event.notebook_uri, a.event.notebook_path)]] for a in admitted}
                by_uri = {a.event.notebook_uri: fresh_nb[a.event.event_id] for a in admitted}
                add_context_changes(con, [(by_uri[uri], session, upto[(by_uri[uri], session)], changes)
                                          for uri, (session, changes) in batch.contexts.items()
                                          if (by_uri.get(uri), session) in upto])
                orphans = attach_once(con, "runtime_facts", FACT_COLUMNS, batch.runtime_facts, fresh_nb, facts_rows)
                orphans |= attach_once(con, "input_files", INPUT_FILE_COLUMNS, batch.input_files, fresh_nb, file_rows)
                orphans |= attach_once(con, "runtime_capture", CAPTURE_COLUMNS,
                                        {e: [status] for e, status in batch.runtime_status.items()}, fresh_nb,
                                        capture_rows)
            self._notebook_ids.update(new_ids)
            self._keys.update(keys)
            self._states.update(states)
            batch.states.update({uri: states[nb_id] for uri, nb_id in by_uri.items()})
            self._states_at_count = total + len(rows)
            self._as_source.update(batch.as_source)
            while len(self._as_source) > _AS_SOURCE_HELD:
                self._as_source.pop(next(iter(self._as_source)))
        for i, seq in seqs.items():
            batch.seqs[i] = seq
        batch.dead_lettered.extend(letters)
        return orphans

    @retried_out_of_memory
    def update_analyses(self, analyses: dict[str, AnalysisLike], analyzer_version: Optional[int] = None) -> int:
        """Replace the stored analysis of already-stored sources (e.g. after an analyzer upgrade);
        returns how many were updated. Unknown sha256 keys are ignored."""
        if not analyses:
            return 0
        for sha in analyses:
            self._as_source.pop(sha, None)
        with self._conn.transaction() as con:
            known = existing(con, "sources", "sha256", list(analyses))
            update_sources(con, {sha: analyses[sha] for sha in known}, resolve_analyzer_version(analyzer_version))
        return len(known)

    def _own_analyses(self, con: duckdb.DuckDBPyConnection, admitted: list[Admitted], batch: "_Batch") -> dict[str, str]:
        """event_id -> the sha256 of its analysis, for the executions classified otherwise than their source row says
        (inside the batch's transaction, after the sources are written); each such analysis is stored once."""
        given = [(a.event.event_id, a.source_sha256, batch.execution_analyses[a.event.event_id]) for a in admitted
                 if a.event.event_id in batch.execution_analyses]
        # equal to what its source's row was stored from: nothing to compare (dataclass equality, no redaction)
        given = [(event_id, sha, analysis) for event_id, sha, analysis in given
                 if analysis != batch.stored_from.get(sha, self._as_source.get(sha))]
        if not given:
            return {}
        of_source = {sha: list(columns) for sha, *columns in
                     select_in(con, STORED_ANALYSIS, "sha256", list({sha for _, sha, _ in given}))}
        own: dict[str, str] = {}
        kept: dict[str, list[Any]] = {}
        for event_id, sha, analysis in given:
            columns = batch.columns(analysis)
            if columns == of_source.get(sha):
                batch.as_source[sha] = analysis
            else:
                own[event_id] = key = analysis_sha256(columns)
                kept.setdefault(key, columns)
        store_analyses(con, kept)
        return own

    @staticmethod
    def _insert_sources(con: duckdb.DuckDBPyConnection, admitted: list[Admitted], batch: "_Batch") -> list[str]:
        """Insert new sources; analyse again in place those an older analyzer stored. Returns the latter."""
        analyses, analyzer_version = batch.analyses, batch.analyzer_version
        by_sha: dict[str, Admitted] = {}
        for item in admitted:
            by_sha.setdefault(item.source_sha256, item)
        stored = dict(select_in(con, "SELECT sha256, analyzer_version FROM sources", "sha256", list(by_sha)))
        new = [sha for sha in by_sha if sha not in stored]
        outdated = [
            sha for sha, version in stored.items()
            if sha in analyses and (version is None or version < analyzer_version)
        ]
        if outdated:
            pin_before_upgrade(con, outdated)
            update_sources(con, {sha: analyses[sha] for sha in outdated}, analyzer_version)
        rows = []
        for sha in new:
            event = by_sha[sha].event  # its source is the redacted text; sha256 is the original's
            analysis = analyses.get(sha)
            # No analysis given: columns stay NULL so analysed_shas() reports it as still to do.
            columns = batch.columns(analysis) if analysis is not None else [None] * 6
            rows.append([sha, event.source, event.language, *columns])
        insert_rows(con, "sources", SOURCE_COLUMNS, rows)
        batch.stored_from.update({sha: analyses[sha] for sha in [*new, *outdated] if sha in analyses})
        batch.as_source.update(batch.stored_from)
        return outdated


@dataclass
class _Batch:
    """One write() call: the events as given, each one admitted or rejected, and what was stored."""

    events: Sequence[CellExecution]
    items: list[Union[Admitted, Rejection]]
    analyses: dict[str, AnalysisLike]
    analyzer_version: int
    runtime_facts: dict[str, list[RuntimeFacts]]
    input_files: dict[str, list[InputFile]]
    runtime_status: RuntimeStatuses
    execution_analyses: dict[str, AnalysisLike]
    contexts: dict[str, tuple[int, Changes]]
    seqs: list[Optional[int]] = field(init=False)
    states: dict[str, NotebookState] = field(default_factory=dict)
    dead_lettered: list[Rejection] = field(default_factory=list)
    reanalysed_shas: set[str] = field(default_factory=set)
    # id(analysis) -> its stored columns: the service gives a new source's analysis both as the source's and as its
    # execution's (the objects live as long as the batch, so their ids are not reused meanwhile)
    _columns: dict[int, list[Any]] = field(default_factory=dict)
    # of one attempt (_write_once): the analyses source rows were stored from, and what Writer._as_source learns
    stored_from: dict[str, AnalysisLike] = field(default_factory=dict)
    as_source: dict[str, AnalysisLike] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.seqs = [None] * len(self.events)

    def columns(self, analysis: AnalysisLike) -> list[Any]:
        found = self._columns.get(id(analysis))
        if found is None:
            found = self._columns[id(analysis)] = analysis_columns(analysis, self.analyzer_version)
        return found


_AS_SOURCE_HELD = 4096


def _refused(exc: BaseException) -> bool:
    """A failure caused by the values of one record (isolate it), not by the database (raise it)."""
    return isinstance(exc, (RejectedData, ValueError, TypeError, OverflowError, KeyError, AttributeError))


def _insert_dead_letters(con: duckdb.DuckDBPyConnection, letters: list[Rejection]) -> list[Rejection]:
    """Dead letters for events not dead-lettered before (a re-sent poison event is kept once)."""
    if not letters:
        return []
    known = existing(con, "dead_letters", "event_id", [r.event_id for r in letters])
    new = [r for r in letters if r.event_id not in known]
    insert_rows(con, "dead_letters", DEAD_LETTER_COLUMNS,
                [[r.event_id, r.notebook_uri, r.received_at, r.reason, r.payload] for r in new])
    return new
