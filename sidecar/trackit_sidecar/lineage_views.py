"""Lineage as the editor and the CLI read it: kept per session, built incrementally, bounded in memory.

Edges never cross sessions (lineage.graph), so each (notebook, session) is completed (lineage.records),
worded (render.tree) and judged stale (lineage.staleness) on its own, and held in a least-recently-used
cache bounded by the executions it holds (held_sessions.py). New executions are appended to their session with the session's
earlier runs as context (records.complete_executions: the cost of the new runs, not of the notebook); new
runtime facts or statuses re-complete their session from that execution on; an edit re-judges staleness in
place. Every change is remembered per notebook until `take_change` hands it to whoever tells the editor
(server/changes.py): the executions that changed, by seq, and the sessions whose description changed.

No SQL here (the store reads) and no protocol I/O; one thread (the store's) calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Optional

from . import protocol as p
from .held_sessions import MAX_HELD_EXECUTIONS, HeldSessions
from .lineage.records import complete_executions
from .lineage.staleness import stale_marks
from .memory import release_freed
from .render.tree import execution_runtime_note, label_executions, label_session
from .store import Store

if TYPE_CHECKING:
    from .summarize.finding import Finding

# Once reads let go of this many executions, the freed heap is given back (memory.release_freed): counted across
# reads, so a whole document read a few sessions at a time (whole_lineage.py) gives it back as one read did
RELEASE_AFTER_LETTING_GO = 1000

CurrentSources = Callable[[str, str], Optional[Mapping[str, str]]]


@dataclass
class SessionView:
    notebook_uri: str
    notebook_path: str
    session: int
    executions: list[p.ExecutionRecord]
    note: Optional[str]  # the session's runtime note the executions' own notes were worded against
    judged: object = None  # the current-sources mapping the stale marks were judged against (by identity)
    worded: bool = True  # the renderer's words filled (a hover reads the records, not the tree's words)
    # counts the changes of the records (new runs, new facts, stale marks): what is derived from the whole session is
    # kept with the revision it was derived at (`problems`: (revision, the session's findings), services.annotation)
    revision: int = 0
    problems: Optional[tuple[int, list["Finding"]]] = None


@dataclass
class Notebook:
    """What is known of one notebook's sessions: labelled infos and each session's seq range."""

    uri: str
    path: str
    infos: list[p.SessionInfo]
    ranges: dict[int, tuple[int, int]]  # session -> (first seq, last seq)
    latest_seq: int


@dataclass
class Change:
    """What changed in one notebook since the last `take_change`: a delta the editor can apply."""

    notebook_uri: str
    after_seq: int  # the new executions are every one after this seq (the editor needs all up to it)
    latest_seq: int
    executions: list[p.ExecutionRecord] = field(default_factory=list)  # new or changed, seq order
    sessions: list[p.SessionInfo] = field(default_factory=list)  # sessions whose description changed


@dataclass
class _Pending:
    after_seq: int
    seqs: set[int] = field(default_factory=set)
    sessions: set[int] = field(default_factory=set)


class LineageViews:
    def __init__(self, store: Store, current_sources: CurrentSources, max_executions: int = MAX_HELD_EXECUTIONS):
        """`current_sources(notebook_uri, notebook_path)`: cell_id -> sha256 of each cell's current text, or None
        when not known (then nothing is judged stale)."""
        self.store = store
        self._current = current_sources
        self.cache = HeldSessions(max_executions)  # the sessions held, bounded by their executions (held_sessions.py)
        self._let_go = 0  # executions let go by reads since the freed heap was last given back
        self._notebooks: dict[str, Notebook] = {}
        self._pending: dict[str, _Pending] = {}

    # ------------------------------------------------------------ reads
    def notebook(self, notebook: str) -> Optional[Notebook]:
        """The notebook's sessions (labelled), or None for one with nothing recorded."""
        ref = self.store.find_notebook(notebook)
        if ref is None:
            return None
        known = self._notebooks.get(ref.uri)
        if known is None:
            known = self._notebooks[ref.uri] = self._read_notebook(ref.uri, ref.path or ref.uri)
        return known

    def document(self, notebook: str, session: Optional[int] = None, latest_session: bool = False,
                 after_seq: Optional[int] = None, words: bool = True, sessions: Optional[Iterable[int]] = None
                 ) -> p.LineageDocument:
        """The lineage document: every session described; the executions of all sessions, of one (`session`),
        of the latest one, those after `after_seq`, or those of some `sessions`. Shared records: callers must not
        change them.
        `words=False`: runs not worded yet are left without the renderer's words (a caller that shows only some
        of them words those itself: the printed tree)."""
        nb = self.notebook(notebook)
        if nb is None:
            return p.LineageDocument(notebook=self.store.queries.display_name(notebook), notebook_uri=notebook)
        if session is not None:
            wanted = [session] if session in nb.ranges else []
        elif latest_session:
            wanted = [max(nb.ranges)] if nb.ranges else []
        elif after_seq is not None:
            wanted = [sid for sid, (_, last) in sorted(nb.ranges.items()) if last > after_seq]
        elif sessions is not None:
            wanted = sorted(set(sessions) & nb.ranges.keys())
        else:
            wanted = sorted(nb.ranges)
        missing = [sid for sid in wanted if (nb.uri, sid) not in self.cache]
        if len(missing) > 1:
            incoming = sum(nb.ranges[sid][1] - nb.ranges[sid][0] + 1 for sid in missing)  # seqs: at most that many runs
            self._let_go += self.cache.make_room(incoming, keep={(nb.uri, sid) for sid in wanted})
            self._read_sessions(nb, missing, words)
        executions: list[p.ExecutionRecord] = []
        for sid in wanted:
            view = self._view(nb.uri, nb.path, sid, words=words)
            executions.extend(e for e in view.executions if after_seq is None or e.seq > after_seq)
        if len(wanted) > 1:
            executions.sort(key=lambda e: e.seq)
        self._let_go += self.cache.evict()  # a whole document may be more than is kept: answered, let go
        if self._let_go >= RELEASE_AFTER_LETTING_GO:
            release_freed()
            self._let_go = 0
        return p.LineageDocument.model_construct(
            format=p.LINEAGE_FORMAT, notebook=nb.path, notebook_uri=nb.uri,
            sessions=[s.model_copy() for s in nb.infos], executions=executions, experiments=[],
            latest_seq=nb.latest_seq,
        )

    def session_of_cell(self, notebook: str, cell_id: str) -> Optional[tuple[SessionView, int]]:
        """(the view of the session of the cell's latest run, the cell's run count in all sessions)."""
        ref = self.store.find_notebook(notebook)
        found = self.store.queries.latest_run(notebook, cell_id) if ref is not None else None
        if ref is None or found is None:
            return None
        _seq, session, runs = found
        view = self._view(ref.uri, ref.path or ref.uri, session, words=False)
        if not view.worded:  # the hover shows the latest run's steps in the tree's words: only that run is worded
            last = [e for e in view.executions if e.cell_id == cell_id][-1:]
            label_executions(last, {session: view.note})
        return view, runs

    def worded_run(self, uri: str, session: int, note: Optional[str], read: bool = True
                   ) -> Optional[list[p.ExecutionRecord]]:
        """A run's records completed and worded against its session's `note` (not judged): the view held when it
        was worded against that note, else (`read`) read and completed without being held (ready_lineage.py makes
        rows of runs no one reads), else None."""
        view = self.cache.get((uri, session))
        if view is not None and view.note == note:
            self._word(view)
            return view.executions
        if not read:
            return None
        executions = self.store.lineage(uri, session=session, described=False).executions
        complete_executions(executions)
        label_executions(executions, {session: note})
        return executions

    def run_upto(self, uri: str, session: int, upto_seq: int) -> list[p.ExecutionRecord]:
        """A run's completed records up to `upto_seq` (completion never crosses a run and only looks back): the
        view's when held, else read and completed without being held and without taking the notebook in. For
        experiment detection as executions are stored: a notebook the views know is read again at every write of
        it (appended: two queries with joins, each leaving ~2-8 KB of DuckDB heap until the database closes)."""
        view = self.cache.get((uri, session))
        if view is not None:
            return [e for e in view.executions if e.seq <= upto_seq]
        executions = self.store.lineage(uri, session=session, upto_seq=upto_seq, described=False).executions
        complete_executions(executions)
        return executions

    # ------------------------------------------------------------ changes (store thread, after each write)
    def appended(self, notebook_uris: Iterable[str]) -> None:
        """New executions were stored for these notebooks: append them to the sessions held."""
        for named in notebook_uris:
            uri = self._uri(named)
            nb = self._notebooks.get(uri) if uri is not None else None
            if nb is None:  # only cells of it were read (annotations): read again when asked
                self.cache.drop(uri)
                continue
            fresh = self.store.lineage(uri, after_seq=nb.latest_seq, described=False).executions
            # new runs join the latest session or start later ones: the sessions before them are described as before
            updated = self._read_notebook(uri, nb.path, after=nb, from_session=min(
                (e.session for e in fresh), default=None))
            pending = self._pending_for(uri)
            by_session: dict[int, list[p.ExecutionRecord]] = {}
            for execution in fresh:
                by_session.setdefault(execution.session, []).append(execution)
                pending.seqs.add(execution.seq)
            for sid, runs in by_session.items():
                view = self.cache.get((uri, sid))
                if view is None:
                    self._view(uri, nb.path, sid)  # read whole (new runs included) when not held
                    continue
                complete_executions(runs, view.executions)
                if view.worded:
                    label_executions(runs, {sid: view.note})
                view.executions.extend(runs)
                view.revision += 1
                view.judged = None  # the new runs are judged at the next read or take
                self.cache.resized(len(runs))
            self._replace_notebook(nb, updated, pending)
            self.cache.evict()

    def facts_changed(self, event_ids: Iterable[str]) -> set[str]:
        """Runtime facts or statuses arrived for these executions: re-complete their sessions from them on; the
        URIs of their notebooks."""
        where = self.store.queries.where_is(list(event_ids))
        first: dict[tuple[str, int], int] = {}
        for uri, seq, session in where.values():
            key = (uri, session)
            first[key] = min(seq, first.get(key, seq))
        for uri in {uri for uri, _ in first}:
            nb = self._notebooks.get(uri)
            if nb is None:  # only cells of it were read (annotations): read again when asked
                self.cache.drop(uri)
                continue
            pending = self._pending_for(uri)
            for (view_uri, sid), seq in first.items():
                view = self.cache.get((view_uri, sid)) if view_uri == uri else None
                if view is None:
                    continue
                before = [e for e in view.executions if e.seq < seq]
                old = {e.seq: e for e in view.executions if e.seq >= seq}
                again = self.store.lineage(uri, session=sid, from_seq=seq, described=False).executions
                complete_executions(again, before)
                if view.worded:
                    label_executions(again, {sid: view.note})
                self.cache.resized(len(again) - len(old))
                view.executions = before + again
                view.revision += 1
                view.judged = None  # the new records carry no stale marks yet
                self._judge(view)
                pending.seqs.update(e.seq for e in again if old.get(e.seq) != e)  # only what really changed
            self._replace_notebook(nb, self._read_notebook(uri, nb.path), pending)
        return {uri for uri, _ in first}

    def sources_changed(self, notebook_uri: str) -> None:
        """The cells' current text changed: re-judge staleness of the sessions held."""
        notebook_uri = self._uri(notebook_uri) or notebook_uri
        nb = self._notebooks.get(notebook_uri)
        if nb is None:
            return
        pending = self._pending_for(notebook_uri)
        for (uri, _sid), view in self.cache.views():
            if uri == notebook_uri:
                pending.seqs.update(self._judge(view))

    def forget(self, notebook_uri: Optional[str] = None) -> None:
        """Something outside ingest changed the store (a spool merge): read again when asked."""
        self.cache.drop(notebook_uri)
        for uri in [u for u in self._notebooks if notebook_uri is None or u == notebook_uri]:
            del self._notebooks[uri]
            self._pending.pop(uri, None)

    def take_change(self, notebook_uri: str) -> Optional[Change]:
        """What changed in the notebook since the last take, with every changed execution held judged and
        worded; None when nothing is known of it (the editor then reloads it when it wants it)."""
        notebook_uri = self._uri(notebook_uri) or notebook_uri
        nb = self._notebooks.get(notebook_uri)
        pending = self._pending.pop(notebook_uri, None)
        if nb is None:
            return None
        change = Change(notebook_uri, after_seq=pending.after_seq if pending is not None else nb.latest_seq,
                        latest_seq=nb.latest_seq)
        if pending is None:
            return change
        # a changed run of a session no longer held is read again: the editor may hold that session
        missing = set(pending.seqs)
        for (uri, _sid), view in self.cache.views():
            if uri == notebook_uri:
                missing.difference_update(e.seq for e in view.executions)
        for sid, (first, last) in nb.ranges.items():
            if any(first <= seq <= last for seq in missing):
                self._view(nb.uri, nb.path, sid)
        for (uri, _sid), view in self.cache.views():
            if uri != notebook_uri:
                continue
            self._word(view)
            touched = self._judge(view) | pending.seqs
            change.executions.extend(e for e in view.executions if e.seq in touched)
        change.executions.sort(key=lambda e: e.seq)
        change.sessions = [s.model_copy() for s in nb.infos if s.id in pending.sessions]
        self._pending.pop(notebook_uri, None)  # what judging just now found is in this change already
        return change

    # ------------------------------------------------------------ inside
    def _uri(self, notebook: str) -> Optional[str]:
        """The URI a notebook is stored under, however the caller named it."""
        ref = self.store.find_notebook(notebook)
        return ref.uri if ref is not None else None

    def _read_notebook(self, uri: str, path: str, after: Optional[Notebook] = None,
                       from_session: Optional[int] = None) -> Notebook:
        """The notebook's sessions; with `after` and `from_session`, those before `from_session` are taken from
        `after` (unchanged: the same, already labelled objects) and only the later ones read."""
        if after is None or from_session is None:
            infos, ranges = self.store.queries.session_infos_and_ranges(uri)
        else:
            infos, ranges = self.store.queries.session_infos_and_ranges(uri, from_session)
            infos = [s for s in after.infos if s.id < from_session] + infos
            ranges = {**{sid: r for sid, r in after.ranges.items() if sid < from_session}, **ranges}
        for info in infos:
            if from_session is None or after is None or info.id >= from_session:
                label_session(info)
        latest = max((last for _, last in ranges.values()), default=0)
        return Notebook(uri, path, infos, ranges, latest)

    def _replace_notebook(self, old: Notebook, new: Notebook, pending: _Pending) -> None:
        """Take the re-read sessions; a session whose runtime note changed re-words its runs' own notes."""
        before = {s.id: s for s in old.infos}
        for info in new.infos:
            if before.get(info.id) != info:
                pending.sessions.add(info.id)
            view = self.cache.get((new.uri, info.id))
            if view is not None and not view.worded:
                view.note = info.runtime_note  # worded when first shown
            elif view is not None and view.note != info.runtime_note:
                view.note = info.runtime_note
                for e in view.executions:
                    note = execution_runtime_note(e, view.note)
                    if note != e.runtime_note:
                        e.runtime_note = note
                        pending.seqs.add(e.seq)
        self._notebooks[new.uri] = new

    def _pending_for(self, uri: str) -> _Pending:
        pending = self._pending.get(uri)
        if pending is None:
            nb = self._notebooks.get(uri)
            pending = self._pending[uri] = _Pending(after_seq=nb.latest_seq if nb is not None else 0)
        return pending

    def _view(self, uri: str, path: str, session: int, words: bool = True) -> SessionView:
        """A session's runs, completed and judged; worded too unless `words` is False (then when first shown)."""
        key = (uri, session)
        view = self.cache.get(key)
        if view is None:
            doc = self.store.lineage(uri, session=session)
            # the session's description is its runs' (queries._sessions): no need to read the others
            note = label_session(doc.sessions[0]) if doc.sessions else None
            complete_executions(doc.executions)
            view = self.cache.hold(SessionView(uri, path, session, doc.executions, note, worded=False))
            self.cache.evict(keep=key)
        else:
            self.cache.used(key)
        if words:
            self._word(view)
        self._judge(view)
        return view

    @staticmethod
    def _word(view: SessionView) -> None:
        if not view.worded:
            label_executions(view.executions, {view.session: view.note})
            view.worded = True

    def _read_sessions(self, nb: Notebook, sessions: list[int], words: bool = True) -> None:
        """Several sessions not held, read in one pass over the notebook (one session per read costs a few
        queries each)."""
        wanted = set(sessions)
        after = min(nb.ranges[sid][0] for sid in sessions) - 1
        upto = max(nb.ranges[sid][1] for sid in sessions)
        by_session: dict[int, list[p.ExecutionRecord]] = {}
        for execution in self.store.lineage(nb.uri, after_seq=after, upto_seq=upto,
                                                   described=False).executions:
            if execution.session in wanted:
                by_session.setdefault(execution.session, []).append(execution)
        notes = {s.id: s.runtime_note for s in nb.infos}
        runs = [e for sid in sessions for e in by_session.get(sid, [])]
        complete_executions(runs)
        if words:
            label_executions(runs, notes)
        for sid in sessions:
            self.cache.hold(SessionView(nb.uri, nb.path, sid, by_session.get(sid, []), notes.get(sid), worded=words))

    def _judge(self, view: SessionView) -> set[int]:
        """Mark the view's stale runs against the cells' current text, in place; the seqs whose mark changed."""
        current = self._current(view.notebook_uri, view.notebook_path)
        if view.judged is (current if current is not None else _NOTHING_KNOWN):
            return set()
        marks = stale_marks(view.executions, current) if current is not None else {}
        touched = set()
        for e in view.executions:
            reason, because = marks.get(e.seq, (None, []))
            if e.stale != reason or e.stale_because != because:
                e.stale, e.stale_because = reason, because
                touched.add(e.seq)
        if touched:
            view.revision += 1
        view.judged = current if current is not None else _NOTHING_KNOWN
        if touched and view.notebook_uri in self._notebooks:  # whoever judged first, the editor is told
            self._pending_for(view.notebook_uri).seqs.update(touched)
        return touched


_NOTHING_KNOWN = object()
