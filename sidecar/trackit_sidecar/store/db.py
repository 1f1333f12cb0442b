"""`Store`: the facade the rest of TrackIT holds over one database. Only `store/` talks SQL.

It composes the parts, each with one job: `connection` (open, migrate, lock + owner file, close),
`writer` (the one writer: a batch of executions with analyses, facts and input files in one
transaction; session policy from the pure `sessions`), `attached` (facts, input files and capture status
added to an execution already stored), `queries` (everything read back), `summaries` (saved summaries), and
`spool` (a second process's captures, merged through the same writer).
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Callable, Iterable, Optional, Sequence

from ..protocol import (
    CellExecution,
    CellHistory,
    ExecutionRecord,
    InputFile,
    LineageDocument,
    RuntimeFacts,
    SummaryResult,
)
from .caps import DEFAULT_MAX_TEXT_BYTES
from .connection import StoreConnection
from .derived import DerivedStore
from .errors import StoreError
from .experiments import ExperimentStore
from .hypotheses import HypothesisStore
from .attached_rows import AttachedRows, RuntimeStatuses
from .notebook_index import NotebookRef
from .queries import DeadLetter, Queries
from .sessions import NotebookState
from .ready_rows import ReadyRowsStore
from .stored_analysis import AnalysisLike
from .summaries import SummaryStore

if TYPE_CHECKING:
    from .spool import MergeReport
    from .writer import WriteResult, Writer


class Store:
    """One TrackIT database. Use `Store.open(path)`; `Store.open(None)` is in-memory.

    New code may use `store.writer` / `store.queries` (and the other parts) directly; the methods below forward to
    them."""

    def __init__(self, conn: StoreConnection, max_text_output_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> None:
        self.connection = conn
        self._max_text_output_bytes = max_text_output_bytes
        self.attached = AttachedRows(conn)  # facts, input files and capture status of executions already stored
        self.queries = Queries(conn)
        self.summaries = SummaryStore(conn)
        self.experiments = ExperimentStore(conn, self.queries)  # ids, stamps, revisions, the user's words
        self.hypotheses = HypothesisStore(conn)  # hypotheses, thresholds, links, status overrides
        self.derived = DerivedStore(conn, self.queries)  # experiments derived from the records, kept across processes
        self.ready = ReadyRowsStore(conn, self.queries)  # lineage records as the editor reads them, kept as JSON

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def open(
        cls,
        path: Optional[str | os.PathLike[str]] = None,
        read_only: bool = False,
        *,
        description: str = "trackit",
        max_text_output_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    ) -> "Store":
        """Open (creating and migrating as needed) the database at `path` (connection.StoreConnection.open
        says what it raises)."""
        return cls(StoreConnection.open(path, read_only, description), max_text_output_bytes)

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Optional[str]:
        return self.connection.path

    @property
    def read_only(self) -> bool:
        return self.connection.read_only

    @property
    def mode(self) -> str:
        return self.connection.mode

    def schema_version(self) -> int:
        return self.connection.schema_version()

    @functools.cached_property
    def writer(self) -> "Writer":
        """The one writer, made when first used: a read (`trackit lineage`) never loads it, nor admission and the
        spool it brings."""
        from .writer import Writer

        return Writer(self.connection, self._max_text_output_bytes)

    @property
    def max_text_output_bytes(self) -> int:
        return self._max_text_output_bytes

    @max_text_output_bytes.setter
    def max_text_output_bytes(self, value: int) -> None:
        self._max_text_output_bytes = value
        if "writer" in self.__dict__:
            self.writer.max_text_output_bytes = value

    # ------------------------------------------------------------------ writes
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
        contexts: Optional[dict[str, tuple[int, dict[str, Optional[str]]]]] = None,
    ) -> WriteResult:
        """Executions, analyses, runtime facts, input files and runtime statuses in one transaction
        (writer.Writer.write); `shas` are the events' source hashes when the caller already has them;
        `execution_analyses`: event_id -> the analysis that execution was classified with; `contexts`: notebook URI ->
        (session, what this batch's cells changed in its context: name -> binding, None once unbound)."""
        return self.writer.write(events, analyses, analyzer_version, runtime_facts, input_files, runtime_status,
                                 shas, execution_analyses, contexts)

    def ingest(
        self,
        events: Sequence[CellExecution],
        analyses: dict[str, AnalysisLike],
        analyzer_version: Optional[int] = None,
    ) -> list[Optional[int]]:
        """`write` of executions alone; returns each event's seq (input order), None for an event_id
        already stored or repeated in the batch."""
        return self.writer.write(events, analyses, analyzer_version).seqs

    def update_analyses(self, analyses: dict[str, AnalysisLike], analyzer_version: Optional[int] = None) -> int:
        return self.writer.update_analyses(analyses, analyzer_version)

    def add_runtime_facts(self, event_id: str, facts: Sequence[RuntimeFacts]) -> None:
        self.attached.add_runtime_facts(event_id, facts)

    def set_runtime_status(self, statuses: RuntimeStatuses) -> None:
        self.attached.set_runtime_status(statuses)

    def add_input_files(self, event_id: str, files: Sequence[InputFile]) -> None:
        self.attached.add_input_files(event_id, files)

    def save_summary(self, result: SummaryResult, notebook_uri: Optional[str] = None) -> None:
        self.summaries.save(result, notebook_uri)

    def merge_spool(
        self,
        analyze: Callable[[CellExecution, str, bool], AnalysisLike],
        analyzer_version: Optional[int] = None,
    ) -> "MergeReport":
        """Ingest every complete spool file next to this database, deleting each after its commit."""
        if self.path is None:
            raise StoreError("an in-memory store has no spool")
        from .spool import Spool

        return Spool(self.path).merge_into(self, analyze, analyzer_version)

    # ------------------------------------------------------------------ reads
    def notebooks(self) -> list[str]:
        return self.queries.notebooks()

    def count_executions(self, notebook: Optional[str] = None) -> int:
        return self.queries.count_executions(notebook)

    def analysed_shas(self, analyzer_version: int) -> set[str]:
        return self.queries.analysed_shas(analyzer_version)

    def stored_shas(self, shas: Iterable[str], analyzer_version: Optional[int] = None) -> set[str]:
        return self.queries.stored_shas(shas, analyzer_version)

    def stored_event_ids(self, event_ids: Iterable[str]) -> set[str]:
        return self.writer.stored_event_ids(event_ids)  # the write that follows takes the answer

    def dead_letters(self, limit: Optional[int] = None) -> list[DeadLetter]:
        return self.queries.dead_letters(limit)

    def count_dead_letters(self) -> int:
        return self.queries.count_dead_letters()

    def find_notebook(self, notebook: str) -> Optional[NotebookRef]:
        return self.queries.find_notebook(notebook)

    def lineage(self, notebook: str, session: Optional[int] = None, after_seq: Optional[int] = None,
                upto_seq: Optional[int] = None, static: bool = False, from_seq: Optional[int] = None,
                described: bool = True) -> LineageDocument:
        return self.queries.lineage(notebook, session, after_seq, upto_seq, static, from_seq, described)

    def notebook_state(self, notebook: str) -> NotebookState:
        return self.queries.notebook_state(notebook)

    def run_sources(self, notebook: str, sessions: list[int], after_seq: int = 0
                    ) -> list[tuple[int, int, str, str, str, str]]:
        return self.queries.run_sources(notebook, sessions, after_seq)

    def session_context(self, notebook: str, session: int) -> Optional[tuple[dict[str, str], int]]:
        return self.queries.session_context(notebook, session)

    def cell_runs(self, notebook: str, cell_id: str) -> list[ExecutionRecord]:
        return self.queries.cell_runs(notebook, cell_id)

    def latest_per_cell(self, notebook: str) -> dict[str, ExecutionRecord]:
        return self.queries.latest_per_cell(notebook)

    def run_counts(self, notebook: str) -> dict[str, int]:
        return self.queries.run_counts(notebook)

    def cell_history(self, notebook: str, cell_id: Optional[str] = None) -> CellHistory:
        return self.queries.cell_history(notebook, cell_id)

    def find_cell_by_uri(self, cell_uri: str) -> Optional[tuple[str, str]]:
        return self.queries.find_cell_by_uri(cell_uri)

    def last_input_file_sha(self, path: str) -> Optional[str]:
        return self.queries.last_input_file_sha(path)

    def latest_summary(
        self, notebook_uri: str, provider: Optional[str] = None, prompt_sha256: Optional[str] = None
    ) -> Optional[SummaryResult]:
        return self.summaries.latest(notebook_uri, provider, prompt_sha256)
