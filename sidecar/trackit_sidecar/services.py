"""TrackitService: the one place that turns captures into lineage, hovers and summaries.

The pygls server and the `trackit` CLI both call this; neither holds logic of its own. Methods are
synchronous and must run on one thread (the store's), the server arranges that.
"""

from __future__ import annotations

import logging
import os
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Optional

from . import latency_trace
from . import protocol as p
from .config import Settings
from .input_files import describe_files, loaded_paths
from .kernel_contexts import KernelContexts
from .lineage.analysis import ANALYZER_VERSION, SourceAnalysis, analysed_in_order
from .lineage.kept_errors import judged
from .held_sessions import MAX_HELD_EXECUTIONS
from .lineage_views import LineageViews
from .ready_lineage import ReadyLineage
from .render.hover import build_annotation
from .store import Store

if TYPE_CHECKING:
    from .store import MergeReport

log = logging.getLogger(__name__)


def _weak(method: Callable) -> Callable:
    """A service method handed to a part the service holds (views, experiments, compare, summaries), without the part
    holding the service: with the cycle, a let-go service's records waited for the cyclic collector (a `trackit lineage`
    of 5,000 runs spent ~60 ms of its exit on them)."""
    ref = weakref.WeakMethod(method)
    return lambda *args, **kwargs: ref()(*args, **kwargs)


@dataclass
class IngestReport:
    """What a batch changed, per notebook: the newest seq and the events now durable."""

    latest_seq: dict[str, int] = field(default_factory=dict)
    event_ids: dict[str, list[str]] = field(default_factory=dict)
    last_cell: dict[str, str] = field(default_factory=dict)
    stored: list[p.CellExecution] = field(default_factory=list)  # events that were new (not repeats)


class TrackitService:
    def __init__(self, store: Store, settings: Optional[Settings] = None, sources_from_files: bool = False,
                 max_held_executions: int = MAX_HELD_EXECUTIONS):
        """`sources_from_files`: judge staleness against the saved notebook file when no editor has said what
        its cells hold now (the CLI); the server only believes the editor (trackit/notebookSources).
        `max_held_executions`: the lineage views' bound (a one-shot command holds what it read until it exits)."""
        self.store = store
        self.settings = settings or Settings()
        self.sources_from_files = sources_from_files
        # notebook URI -> cell_id -> sha256 of the cell's current text. Replaced whole (never mutated), so
        # the editor's thread may set it while the store thread reads it.
        self._current_sources: dict[str, dict[str, str]] = {}
        self._file_sources: dict[str, tuple[float, Optional[dict[str, str]]]] = {}  # path -> (mtime, cell shas)
        self._analysed: set[str] = set(store.analysed_shas(ANALYZER_VERSION))
        # completed, worded, stale-marked lineage per session, kept incrementally (lineage_views.py)
        self.views = LineageViews(store, _weak(self._current_shas), max_held_executions)
        # whole documents read from rows made once per record (ready_lineage.py); made when the server is idle
        self.ready = ReadyLineage(store, self.views, _weak(self._current_shas))
        # notebook -> aliases/bindings so far in its kernel session; read back from the store on first sight
        self.contexts = KernelContexts(store)
        self._loads_by_sha: dict[str, list[str]] = {}  # source sha256 -> file paths its load steps name
        self._last_file_sha: dict[str, str] = {}  # input path -> sha256 at its latest recorded load
        self._describe_input_file: Optional[Callable] = None
        self._experiments = None
        self._compare = None
        self._summaries = None
        self._executions_stored = store.count_executions()  # status answers from memory, never queued behind a write

    # ------------------------------------------------------------ capture
    def ingest(self, events: list[p.CellExecution]) -> IngestReport:
        report = IngestReport()
        if not events:
            return report
        # As they ended (a `%%capture` body that raised failed), so that what follows a stored run (input files,
        # report.stored: the runtime facts and an experiment's metric values asked of the kernel) goes by what the
        # store keeps; admission judges again for the runs that reach the store through the spool.
        events = [judged(ev) for ev in events]
        # The editor's cap (trackit/setConfig) is the store's: applied at every write.
        self.store.max_text_output_bytes = self.settings.max_text_output_bytes
        if latency_trace.ON:
            latency_trace.mark("ingest_start", [ev.event_id for ev in events])
        analyses: dict[str, SourceAnalysis] = {}
        by_event: dict[str, SourceAnalysis] = {}
        shas = [ev.content_sha256() for ev in events]  # hashed once: analysis, store and files reuse them
        # the executions the store has not got (a re-sent one, or one repeated in the batch, is not stored again)
        seen = self.store.stored_event_ids(ev.event_id for ev in events)
        new: list[bool] = []
        for ev in events:
            new.append(ev.event_id not in seen)
            seen.add(ev.event_id)
        for ev, sha, is_new in zip(events, shas, new):
            try:
                analysis = self.analyze_event(ev, sha, is_new)
            except Exception as exc:  # an analyzer bug must cost one cell its analysis, not the batch its storage
                log.exception("analysing %s failed; storing it unanalysed", ev.event_id)
                analysis = SourceAnalysis(analysis_error=f"not analysed: analyzer failed: {type(exc).__name__}")
            if sha not in self._analysed and sha not in analyses:
                analyses[sha] = analysis
            # what this execution was classified with: a cell re-run after an earlier one was edited may differ
            by_event[ev.event_id] = analysis
        # Input files are described for new executions only (a re-sent one already has them) and stored
        # in the same transaction as their executions; file hashes seen in this batch count only once it commits.
        files_by_event: dict[str, list[p.InputFile]] = {}
        file_shas: dict[str, str] = {}
        for ev, sha, is_new in zip(events, shas, new):
            if is_new and ev.status == "ok":
                try:
                    files = self._input_files(ev, sha, file_shas)
                except Exception:  # describing input files is extra; the execution is stored without them
                    log.exception("describing the input files of %s failed", ev.event_id)
                    files = []
                if files:
                    files_by_event[ev.event_id] = files
        if latency_trace.ON:
            latency_trace.mark("analysed", [ev.event_id for ev in events])
        try:
            written = self.store.write(events, analyses, input_files=files_by_event, shas=shas,
                                       execution_analyses=by_event,
                                       contexts=self.contexts.changes({ev.notebook_uri for ev in events}))
        except Exception:
            self.contexts.forget()  # nothing stored: a retry reads the contexts back as the store has them
            raise
        self.contexts.written(written.states)
        seqs = written.seqs
        if latency_trace.ON:
            latency_trace.mark("written", [ev.event_id for ev in events])
        self._analysed.update(analyses)
        self._last_file_sha.update(file_shas)
        for ev, seq in zip(events, seqs):
            # repeats are acknowledged too: the editor re-sends after a restart and must be able to forget them
            report.event_ids.setdefault(ev.notebook_uri, []).append(ev.event_id)
            if seq is None:
                continue
            self._executions_stored += 1
            report.stored.append(ev)
            if seq > report.latest_seq.get(ev.notebook_uri, 0):
                report.latest_seq[ev.notebook_uri] = seq
                report.last_cell[ev.notebook_uri] = ev.cell_id
        if written.reanalysed_shas:
            # sources an older analyzer stored were analysed again in place: earlier executions of them, in any
            # notebook, now have other steps, so nothing held of them may be served or made into ready rows again
            # (rare: once per old source after an upgrade)
            self.views.forget()
        self.views.appended(report.latest_seq)
        self.ready.queue(report.latest_seq)
        if latency_trace.ON:
            latency_trace.mark("appended", [ev.event_id for ev in report.stored])
        return report

    def analyze_event(self, ev: p.CellExecution, sha: str, new: bool) -> SourceAnalysis:
        """The cell's analysis in its kernel session's context so far (lineage.analysis.analyze_cell, the one owner;
        kernel_contexts.py), and the context carried on: `scaler = StandardScaler()` in one cell makes
        `scaler.fit_transform(X)` in a later one a scaling step. Used for live captures and for spooled ones
        (merge_spool). `new`: the store has not got the execution (its caller asks once per batch or spool file)."""
        context = self.contexts.context_for(ev, new)
        analysis, = analysed_in_order([(ev.source, ev.language, sha)], context)
        self._loads_by_sha[sha] = loaded_paths(analysis, ev.source, context)
        if len(self._loads_by_sha) > 4096:
            self._loads_by_sha.pop(next(iter(self._loads_by_sha)))
        return analysis

    def _input_files(self, ev: p.CellExecution, sha: str, batch_shas: dict[str, str]) -> list[p.InputFile]:
        """Size, mtime and sha256 of every file a load step names, at every run (not only the first run of
        that code): a later session must be able to tell that the file changed under the same code.
        `batch_shas` collects each path's latest sha256 in this batch (earlier events of it count)."""
        files = describe_files(self._loads_by_sha.get(sha, []), ev)
        for info in files:
            if info.sha256:
                previous = batch_shas.get(info.path) or self._last_file_sha.get(info.path)
                if previous is None:
                    previous = self.store.last_input_file_sha(info.path)
                if previous and previous != info.sha256:
                    info.changed_since = previous
                batch_shas[info.path] = info.sha256
        return files

    def add_runtime_facts(self, event_id: str, facts: list[p.RuntimeFacts]) -> None:
        if facts:
            self.store.add_runtime_facts(event_id, facts)
            self.ready.queue(self.views.facts_changed([event_id]))

    def set_runtime_status(self, statuses: dict[str, tuple[str, Optional[str]]]) -> None:
        """event_id -> (protocol.RuntimeStatus, protocol.KernelEvidence | None), for a batch of executions."""
        if statuses:
            self.store.set_runtime_status(statuses)
            self.ready.queue(self.views.facts_changed(statuses))

    def merge_spool(self) -> "MergeReport":
        """Merge what other processes spooled (and a dead owner's overflow), each event analysed in its
        notebook's context like a live capture."""
        report = self.store.merge_spool(self.analyze_event)
        if report.events_ingested:
            self.contexts.forget()  # the merged executions' bindings were not stored with them: read back on top
            self._executions_stored += report.events_ingested
            self.views.forget()
            self.ready.queue(sorted(report.notebooks))
        return report

    def invalidate(self) -> None:
        """Something outside ingest changed the store: forget cached lineage."""
        self.views.forget()

    def set_current_sources(self, notebook_uri: str, cell_shas: dict[str, str]) -> None:
        """What the notebook's code cells hold now, from the editor (staleness is judged against it). Any
        thread; the runs held are judged again on the store thread (sources_changed)."""
        self._current_sources = {**self._current_sources, notebook_uri: dict(cell_shas)}

    def sources_changed(self, notebook_uri: str) -> None:
        """Store thread, after set_current_sources: re-judge the runs held; take_change tells what changed."""
        self.views.sources_changed(notebook_uri)

    def take_change(self, notebook_uri: str):
        """What changed in a notebook's lineage since the last call (lineage_views.Change), or None."""
        return self.views.take_change(notebook_uri)

    # ------------------------------------------------------------ reads
    def lineage(self, notebook: str, session: Optional[int] = None, latest_session: bool = False,
                after_seq: Optional[int] = None, words: bool = True) -> p.LineageDocument:
        """The lineage document with the renderer's words (the tree and the CLI show them) and the stale runs
        marked: every execution, or a window (one session, the latest one, or those after a seq) with every
        session described. Its records are shared with the cache: read them, do not change them.
        `words=False`: the caller words what it shows (LineageViews.document)."""
        return self.views.document(notebook, session, latest_session, after_seq, words)

    def _linked(self, notebook: str, sessions: Optional[Iterable[int]] = None, words: bool = True
                ) -> p.LineageDocument:
        """Every execution (of these sessions only, when given), complete (lineage.records); what experiments and
        summaries read. `words=False`: runs not worded yet are left so (experiments read no words)."""
        return self.views.document(notebook, sessions=sessions, words=words)

    def _linked_run(self, notebook: str, session: int, upto_seq: Optional[int] = None) -> p.LineageDocument:
        """One run's completed records (up to `upto_seq`, when given): the same as the whole document's (completion
        never crosses a run and only looks back). Experiments and diffs read runs, not notebooks; the run is the
        session view lineage_views keeps, so a diff and the tree share one read."""
        doc = self.views.document(notebook, session=session)
        return doc.model_copy(update={
            "sessions": [s for s in doc.sessions if s.id == session],
            "executions": [e for e in doc.executions if upto_seq is None or e.seq <= upto_seq]})

    def _current_shas(self, notebook_uri: str, notebook_path: str) -> Optional[dict[str, str]]:
        """cell_id -> sha256 of each cell's current text: what the editor said, else (the CLI) the saved file."""
        found = self._current_sources.get(notebook_uri)
        if found is not None or not self.sources_from_files:
            return found
        from .lineage.saved_cells import NotebookError, current_cell_shas

        try:
            mtime = os.stat(notebook_path).st_mtime
        except OSError:
            return None  # moved or deleted since: nothing to judge against
        known = self._file_sources.get(notebook_path)
        if known is None or known[0] != mtime:
            try:
                shas: Optional[dict[str, str]] = current_cell_shas(notebook_path)
            except NotebookError:
                shas = None
            known = self._file_sources[notebook_path] = (mtime, shas)
        return known[1]

    def public_lineage(self, notebook: str, include_experiments: bool = True, session: Optional[int] = None,
                       latest_session: bool = False, after_seq: Optional[int] = None) -> p.LineageDocument:
        """The lineage JSON as users and the editor get it: with sessions[].stamp and (when asked) experiments[]."""
        doc = self.lineage(notebook, session, latest_session, after_seq)
        windowed = session is not None or latest_session or after_seq is not None
        self.experiments.annotate(doc, include_experiments and not windowed)
        if windowed:  # a stamp's seeds are read from its session's runs: only for sessions in the window
            shown = {e.session for e in doc.executions}
            for info in doc.sessions:
                if info.id not in shown:
                    info.stamp = None
            if include_experiments:
                full = self.lineage(notebook)
                self.experiments.annotate(full, True)
                doc.experiments = full.experiments
        return doc

    def whole_lineage_json(self, notebook: str, include_source: bool) -> Optional[str]:
        """`public_lineage(notebook, include_experiments=False)` as the JSON text the server sends (without the
        sources unless asked), read from the ready rows (ready_lineage.py); None when they do not cover the
        notebook yet (then public_lineage makes it)."""
        return self.ready.document_json(notebook, include_source)

    @property
    def experiments(self):
        """experiments.service.ExperimentService over this store (created on first use)."""
        if self._experiments is None:
            from .experiments.service import ExperimentService

            # the linked document: experiments read records, not the rendered words (render/ runs only where shown)
            self._experiments = ExperimentService(self.store, _weak(self._linked), _weak(self._linked_run),
                                                  self.views.run_upto)
        return self._experiments

    @property
    def compare(self):
        """compare.service.CompareService: diffs, hypotheses and answers (created on first use)."""
        if self._compare is None:
            from .compare.service import CompareService

            self._compare = CompareService(self.store, self.experiments, _weak(self._linked), _weak(self._linked_run),
                                           self.settings)
        return self._compare

    @property
    def summaries(self):
        """notebook_summaries.NotebookSummaries: a notebook's summary, stored or new (created on first use)."""
        if self._summaries is None:
            from .notebook_summaries import NotebookSummaries

            self._summaries = NotebookSummaries(self.store, self.settings, _weak(self._linked))
        return self._summaries

    def annotation(self, notebook: str, cell_id: str) -> p.CellAnnotation:
        """From the session of the cell's latest run only: what it read, what reads it and its staleness never
        cross sessions; the run count is over all of them."""
        found = self.views.session_of_cell(notebook, cell_id)
        if found is None:
            return build_annotation(p.LineageDocument(notebook=notebook, notebook_uri=notebook), cell_id)
        view, runs = found
        session = p.LineageDocument.model_construct(notebook=view.notebook_path, notebook_uri=notebook, sessions=[],
                                                    executions=view.executions, experiments=[])
        # the problems read the whole session: found once per state of its records, not at every hover
        if view.problems is None or view.problems[0] != view.revision:
            from .summarize.problems import session_problems  # not loaded by `trackit lineage` (test_cli_startup)

            view.problems = (view.revision, session_problems(session, view.session))
        return build_annotation(session, cell_id, run_count=runs, problems=view.problems[1])

    def hover_markdown(self, cell_uri: str) -> Optional[str]:
        found = self.store.find_cell_by_uri(cell_uri)
        if found is None:
            return None
        notebook_uri, cell_id = found
        return self.annotation(notebook_uri, cell_id).markdown

    def provenance(self, req: p.ProvenanceParams) -> p.ProvenanceGraph:
        """How a value was made (the editor's data lineage graph): lineage/provenance.py, worded by render/graph.py."""
        from .experiments.revisions import revision_id
        from .lineage import provenance
        from .render import graph as graph_words

        doc = self.lineage(req.notebook_uri)
        experiment = self.experiments.experiment(req.experiment_id) if req.experiment_id else None
        asked = provenance.scope(
            doc.executions, variable=req.variable, session=req.session,
            seq=experiment.seq if experiment is not None and req.seq is None else req.seq,
            slice_seqs=[s.seq for s in experiment.slice] if experiment is not None else None)
        found = provenance.trace(asked.executions, variable=asked.variable, seq=asked.seq,
                                 files_of=graph_words.files_of)
        answer = p.ProvenanceGraph(notebook_uri=doc.notebook_uri, variable=asked.variable, session=asked.session,
                                   experiment_id=experiment.id if experiment is not None else None, seq=asked.seq,
                                   variables=provenance.data_variables(asked.executions))
        revisions = {sha: graph_words.revision_label(revision_id(number), dataset)
                     for dataset, number, sha, _size, _path, _seen in self.store.experiments.revisions()}
        return graph_words.fill(answer, found, asked.executions, revisions, provenance.MAX_NODES)

    def history(self, notebook: str, cell_id: Optional[str] = None) -> p.CellHistory:
        """Every version of a cell (or of all cells), each with its diff and the facts of what it wrote."""
        from .render.history import describe_history

        history = self.store.cell_history(notebook, cell_id)
        return describe_history(history, self._linked(notebook)) if history.versions else history

    def status(self) -> dict:
        """From memory: safe to call from any thread while the store thread writes."""
        return {"executions_stored": self._executions_stored}
