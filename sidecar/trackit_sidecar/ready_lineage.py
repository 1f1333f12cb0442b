"""A whole notebook's lineage read from ready rows instead of made on first touch (issue 15, item 2).

Making a 2,000-execution notebook's document (reading, completing and wording every record, then serialising it)
took ~300 ms; read from ready rows (store/ready_rows.py: each record's JSON, made once) it is three queries and a
join of text. A row holds a record without its source and its stale marks: the source is joined in when asked,
and staleness (which depends on what the cells hold now) is judged on every read from the rows' parents.

A row says what it was made from: the sum of its run's record hashes up to it (`store.derived.run_inputs`:
completion only looks back within a run), the code's version (a new analyzer or wording makes every row again)
and its run's runtime note (a later run can change it). Runs whose rows do not all match (new runs, runtime facts
that arrived after an execution: its hashes change, so its run's rows from it on) are answered from the records
(LineageViews) and queued; the whole notebook is, when most of it does not match. A row whose text is not a record's
(checked cheaply on every read) is answered from the records too, and made again. `make_some` makes the queued rows
on the store thread's idle lane in steps of STEP_EXECUTIONS, looking between two whether a capture or a delta waits
(then it stops: the rest is the next step's), from the runs LineageViews holds (already completed and worded) or by
reading the run a piece at a time, each piece completed against the pieces before it.

The answer equals `TrackitService.public_lineage(notebook, include_experiments=False)` as the server sends it
(whole_lineage.document_parts: its records as protocol.records_on_the_wire says, without the fields at their default)
once each record's shared part is put back (protocol.with_shared_parts): the fields many runs repeat (what analysing
their code gave) are sent once per distinct set, in the document's table (protocol.SHARED_PARTS).
tests/sidecar/test_ready_lineage.py holds the two equal through each kind of change. Its text is compact (no spaces
after separators, UTF-8 as is), as pydantic writes the records path's.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from collections import Counter
from operator import itemgetter
from typing import Callable, Iterable, Iterator, NamedTuple, Optional

from . import protocol as p
from .held_sessions import MAX_HELD_EXECUTIONS
from .lineage.records import complete_executions
from .lineage.staleness import stale_marks
from .lineage_views import CurrentSources, LineageViews
from .render.tree import label_executions, label_session
from .store import Store
from .store.ready_rows import ReadyRow

log = logging.getLogger(__name__)


def code_version() -> str:
    """The sidecar's code (experiments.derived_keys.code_version), imported when first needed: `trackit lineage`
    as a tree loads no experiments code (its start-up time)."""
    from .experiments.derived_keys import code_version as version

    return version()

# Rows made per idle step at most (and executions read for them) when nothing else waits meanwhile: each step pays
# ~15 ms of reading what to make on a 5,000-execution notebook, so not too few
MAKE_AT_ONCE = 2000
# Executions read and completed, or rows made, between two looks at whether other store work waits: what a capture
# arriving meanwhile waits for (a piece: ~20 ms of reading, completing, wording, serialising and saving, half of it
# DuckDB's per-statement cost; larger pieces made the waits longer, smaller ones the making slower)
STEP_EXECUTIONS = 100
# A run longer than this is made only from the records LineageViews holds (after a read of it), never read for its
# rows alone: reading and completing it whole would hold ~9 KB per execution at once
MAX_RUN_READ = MAX_HELD_EXECUTIONS
_TAIL_FROM = "source_sha256"  # a record's fields from this one on are the row's tail; its source goes before it
_JUDGED = {"stale", "stale_because"}  # a record's last fields: judged on every read
_NOT_STALE = "}"  # both at their default: left out (protocol.record_on_the_wire)
_FIRST = itemgetter(0)  # a record's seq, first of its pieces
_VALUE_ENDS = frozenset('"]}el0123456789')  # the last character of a JSON value (string, list, object, true/false/null, number)


@dataclass
class _RunRead:
    """A run being read a piece at a time to make its rows (it is not held by LineageViews): the records read so far,
    completed and worded, and the sum of their record hashes (a change to them since means reading it again)."""

    key: tuple[str, int, Optional[str], str]  # notebook, session, note, wording
    records: list[p.ExecutionRecord] = field(default_factory=list)
    inputs: Optional[str] = None


class _Judged(NamedTuple):
    """What staleness reads of a record (lineage.staleness.stale_marks)."""

    seq: int
    cell_id: str
    source_sha256: str
    parents: list[int]


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def record_row(record: p.ExecutionRecord, inputs: str, wording: str, session_note: Optional[str]) -> ReadyRow:
    """A completed, worded record as a ready row: its JSON (as the server sends it) split around its source, the
    fields records share (protocol.SHARED_FIELDS) apart."""
    fields = p.record_on_the_wire(record, exclude={"source", *_JUDGED})
    shared = {name: fields.pop(name) for name in p.SHARED_FIELDS if name in fields}
    names = list(fields)
    cut = names.index(_TAIL_FROM)
    head = _compact({name: fields[name] for name in names[:cut]})[:-1]
    tail = _compact({name: fields[name] for name in names[cut:]})[1:-1]
    return ReadyRow(record.session, record.seq, inputs, wording, session_note, record.cell_id, record.source_sha256,
                    json.dumps(record.parents), head, tail, _compact(shared) if shared else "")


def row_text_ok(row: ReadyRow) -> bool:
    """Whether the row's text can be spliced in as one record: its head opens the object and ends on a value, its tail
    is the fields from the source's hash on and ends on a value, its shared fields are an object or nothing (what
    record_row writes). Cheap: no parsing."""
    head, tail, shared = row.head, row.tail, row.shared
    return isinstance(head, str) and isinstance(tail, str) and isinstance(shared, str) and head.startswith('{"') and \
        tail.startswith(f'"{_TAIL_FROM}":"') and head[-1:] in _VALUE_ENDS and tail[-1:] in _VALUE_ENDS and \
        (not shared or (shared.startswith('{"') and shared.endswith("}")))


def rows_json(rows: list[ReadyRow], judged: dict[int, str], sources: Optional[dict[str, str]]) -> \
        tuple[list[tuple[str, ...]], list[str]]:
    """The rows' records, each as its seq then the pieces of its JSON (with its source when `sources` are given, and
    its stale marks, `judged` by seq), and the document's shared parts (protocol.SHARED_PARTS): each set of shared
    fields that more than one record holds, once, in the order first met, which a record names by its index; a record
    whose set is its own keeps it (runs with their own runtime facts: a reference would only add to them). Pieces,
    not a text per record: the document joins them all at once (its text is copied once)."""
    held = Counter(r.shared for r in rows)
    parts: dict[str, int] = {}
    records = []
    for r in rows:
        if not r.shared:
            shared = ""
        elif held[r.shared] == 1:
            shared = "," + r.shared[1:-1]
        else:
            shared = f',"{p.SHARED_PART}":{parts.setdefault(r.shared, len(parts))}'
        source = f'"source":{_compact(sources[r.source_sha256])},' if sources is not None else ""
        records.append((r.seq, r.head, ",", source, r.tail, shared, judged.get(r.seq, _NOT_STALE)))
    return records, list(parts)


def judged_json(stale: Optional[str], because: list[int]) -> str:
    """A record's stale marks, the end of its JSON (each left out at its default, as protocol.record_on_the_wire)."""
    marks = ([f',"stale":{_compact(stale)}'] if stale is not None else []) + \
        ([f',"stale_because":{_compact(because)}'] if because else [])
    return "".join(marks) + "}"


class ReadyLineage:
    def __init__(self, store: Store, views: LineageViews, current_sources: CurrentSources):
        """`current_sources(notebook_uri, notebook_path)`: cell_id -> sha256 of each cell's current text, or None."""
        self.store = store
        self.views = views
        self._current = current_sources
        self._unmade: dict[str, None] = {}  # notebook URIs whose rows are to be made, in order (an ordered set)
        self._scanned = False
        self._making_since: Optional[float] = None
        self._made = 0
        self._reading: Optional[_RunRead] = None  # a long run whose rows are being made a piece at a time
        self._failed: set[str] = set()  # notebooks whose rows could not be made (logged once each)
        self.wake: Optional[Callable[[], None]] = None  # the server makes queued rows when its store thread is idle

    # ------------------------------------------------------------ reads
    def document_json(self, notebook: str, include_source: bool) -> Optional[str]:
        """The whole lineage document as JSON text: the runs whose rows all match from them, the others (runs that
        changed since, queued to be made) from the records LineageViews holds or reads. None when most of the
        notebook has no matching rows (the caller makes the document the old way, in one pass)."""
        nb = self.views.notebook(notebook)
        if nb is None:
            return None
        current = self._current(nb.uri, nb.path)
        rows = self.store.ready.read(nb.uri, judged=current is not None or include_source)
        unmatched = self._unmatched(nb.uri, rows, {s.id: s.runtime_note for s in nb.infos})
        damaged = [r for r in rows if r.session not in unmatched and not row_text_ok(r)]
        if damaged:  # answered from the records; made again (it matches its inputs, so it must go first)
            log.warning("lineage rows: %d of %s are not a record's text (first: seq %d); read from the records and "
                        "made again", len(damaged), nb.uri, damaged[0].seq)
            executions = {s.id: s.executions for s in nb.infos}
            unmatched.update((r.session, executions.get(r.session, 0)) for r in damaged)
            self.store.ready.forget(nb.uri, [r.seq for r in damaged])
        if unmatched:
            self.queue([nb.uri])
            if sum(unmatched.values()) * 2 > sum(s.executions for s in nb.infos):
                return None
        if unmatched:
            rows = [r for r in rows if r.session not in unmatched]
        marks = stale_marks([_Judged(r.seq, r.cell_id, r.source_sha256, json.loads(r.parents)) for r in rows],
                            current) if current is not None else {}  # parents never cross runs: judged apart
        judged = {seq: judged_json(stale, because) for seq, (stale, because) in marks.items()}
        sources = self.store.ready.sources(list({r.source_sha256 for r in rows})) if include_source else None
        records, shared = rows_json(rows, judged, sources)
        exclude = None if include_source else {"source"}
        for session in sorted(unmatched):
            records += [(e.seq, _compact(p.record_on_the_wire(e, exclude)))
                        for e in self.views.document(nb.uri, session=session).executions]
        if unmatched:
            records.sort(key=_FIRST)
        sessions = [s.model_copy() for s in nb.infos]
        self._stamp(nb.uri, sessions)
        head = _compact({"format": p.LINEAGE_FORMAT, "notebook": nb.path, "notebook_uri": nb.uri,
                         "sessions": [s.model_dump(mode="json") for s in sessions]})[:-1]
        text = [head, f',"{p.SHARED_PARTS}":[', ",".join(shared), '],"executions":[']
        for record in records:
            text += record[1:]
            text.append(",")
        if records:
            text.pop()
        text += ('],"experiments":[],"latest_seq":', json.dumps(nb.latest_seq), "}")
        return "".join(text)

    def _unmatched(self, uri: str, rows: list[ReadyRow], notes: dict[int, Optional[str]]) -> dict[int, int]:
        """session -> its executions, for the runs with an execution that has no row made from what the run holds
        now, by this code, with the run's note."""
        inputs = self.store.derived.run_inputs(uri) or {}
        wording = code_version()
        unmatched = {r.session for r in rows if not _matches(r, inputs.get(r.seq), wording, notes.get(r.session))}
        runs = Counter(session for session, _ in inputs.values())
        rows_of = Counter(r.session for r in rows)
        unmatched.update(session for session, n in runs.items() if rows_of.get(session) != n)
        return {session: runs.get(session, 0) for session in unmatched}

    def _stamp(self, uri: str, sessions: list[p.SessionInfo]) -> None:
        """Each run's stamp with the seeds its code set (what experiments.annotate adds to the document)."""
        try:
            stamps = self.store.experiments.stamps(uri)
            if not stamps:
                return
            from .experiments.build import seeded_stamp
            from .experiments.derived import RunCode

            runs: dict[int, list[RunCode]] = {}
            for session, seq, cell_id, language, source, sha in self.store.run_sources(uri, sorted(stamps)):
                runs.setdefault(session, []).append(RunCode(seq, cell_id, language, source, sha))
            for info in sessions:
                if info.id in stamps:
                    info.stamp = seeded_stamp(stamps[info.id], runs.get(info.id, []))
        except Exception:  # stamps are an addition: the lineage itself must still be served
            log.warning("run stamps could not be added to the lineage of %s", uri, exc_info=True)

    # ------------------------------------------------------------ making rows
    def queue(self, notebook_uris: Iterable[str]) -> None:
        """These notebooks' rows may not match any more (new runs, facts, statuses): make them when idle."""
        added = False
        for uri in notebook_uris:
            if uri not in self._unmade:
                self._unmade[uri] = None
                added = True
        if added and self.wake is not None:
            self.wake()

    def make_some(self, at_most: int = MAKE_AT_ONCE, waiting: Callable[[], bool] = lambda: False) -> bool:
        """Make the rows of queued notebooks' runs that do not match: about `at_most` (rows made, and executions read to
        make them), in pieces of STEP_EXECUTIONS, stopping after a piece when `waiting()` (other store work waits);
        whether more is queued. A notebook whose rows cannot be made goes to the back of the queue (logged once) and
        the error is raised: the caller tries again later. The first call also queues every notebook with rows made
        by other code (an older TrackIT, a new analyzer), and says so once."""
        if self.store.read_only:
            self._unmade.clear()
            return False
        if not self._scanned:
            self._scan()
        made = 0
        while self._unmade and made < at_most:
            uri = next(iter(self._unmade))
            try:
                count, done = self._make(uri, at_most - made, waiting)
            except Exception:
                del self._unmade[uri]
                self._unmade[uri] = None  # to the back: the other notebooks' rows are made meanwhile
                self._reading = None
                if uri not in self._failed:
                    self._failed.add(uri)
                    log.warning("lineage rows: those of %s could not be made (its whole lineage is read the slower "
                                "way meanwhile); tried again later", uri, exc_info=True)
                raise
            made += count
            if not done:  # `at_most` reached, or other work waits
                break
            self._unmade.pop(uri, None)
            self._failed.discard(uri)
        self._made += made
        if not self._unmade and self._making_since is not None:
            log.info("lineage rows: ready (%d made in %.1f s)", self._made, time.monotonic() - self._making_since)
            self._making_since = None
        return bool(self._unmade)

    def _scan(self) -> None:
        self._scanned = True
        unmade = self.store.ready.unworded(code_version())
        if unmade:
            log.info("lineage rows: making the ready rows of %d executions in %d notebook%s once (recorded by an "
                     "older TrackIT or analyzed by an older analyzer); until then their whole lineage is read the "
                     "slower way", sum(unmade.values()), len(unmade), "" if len(unmade) == 1 else "s")
            self._making_since, self._made = time.monotonic(), 0
            self.queue(unmade)

    def _make(self, uri: str, at_most: int, waiting: Callable[[], bool]) -> tuple[int, bool]:
        """Make about `at_most` of the notebook's rows that do not match (rows made and executions read for them),
        stopping after a piece when `waiting()`: (how many, whether that was all of them)."""
        ref = self.store.find_notebook(uri)
        inputs = self.store.derived.run_inputs(uri)
        if ref is None or inputs is None:
            return 0, True
        infos, _ranges = self.store.queries.session_infos_and_ranges(uri)
        notes = {s.id: label_session(s) for s in infos}
        kept = {r.seq: r for r in self.store.ready.read(uri, judged=False, text=False)}
        runs: dict[int, list[int]] = {}  # session -> its seqs, in order
        for seq, (session, _) in inputs.items():
            runs.setdefault(session, []).append(seq)
        wording = code_version()
        made = 0
        for session, seqs in runs.items():
            note = notes.get(session)
            unmade = {seq for seq in seqs if not _matches(kept.get(seq), inputs[seq], wording, note)}
            if not unmade:
                continue
            if made >= at_most or (made and waiting()):
                return made, False
            for cost in self._make_run(ref.uri, session, note, wording, seqs, unmade, inputs):
                made += cost
                if made >= at_most or waiting():
                    return made, False
        return made, True

    def _make_run(self, uri: str, session: int, note: Optional[str], wording: str, seqs: list[int], unmade: set[int],
                  inputs: dict[int, tuple[int, str]]) -> Iterator[int]:
        """A run's rows that do not match (`unmade`), a piece at a time; yields what each piece cost (rows made, or
        executions read). From the run LineageViews holds; else read a piece at a time, each completed against the
        pieces before it, kept between steps while what they were read from stays the same."""
        held = self.views.worded_run(uri, session, note, read=False)
        if held is not None:
            todo = [r for r in held if r.seq in unmade]
            for at in range(0, len(todo), STEP_EXECUTIONS):
                piece = todo[at:at + STEP_EXECUTIONS]
                self.store.ready.save(uri, [record_row(r, inputs[r.seq][1], wording, note) for r in piece])
                yield len(piece)
            return
        if len(seqs) > MAX_RUN_READ:  # too long to read for this: made after a read holds it
            return
        reading = self._reading
        if reading is None or reading.key != (uri, session, note, wording) or \
                (reading.records and reading.inputs != inputs.get(reading.records[-1].seq, (0, None))[1]):
            reading = self._reading = _RunRead((uri, session, note, wording))
        while len(reading.records) < len(seqs):
            piece = seqs[len(reading.records):len(reading.records) + STEP_EXECUTIONS]
            records = self.store.lineage(uri, session=session, from_seq=piece[0], upto_seq=piece[-1]).executions
            if [r.seq for r in records] != piece:
                raise RuntimeError(f"run {session} of {uri} read as seqs {[r.seq for r in records][:5]}..., "
                                   f"expected {piece[:5]}...")
            complete_executions(records, reading.records)
            label_executions(records, {session: note})
            self.store.ready.save(uri, [record_row(r, inputs[r.seq][1], wording, note)
                                        for r in records if r.seq in unmade])
            reading.records += records
            reading.inputs = inputs[piece[-1]][1]
            yield len(piece)
        self._reading = None


def _matches(row: Optional[ReadyRow], inputs: Optional[tuple[int, str]], wording: str, note: Optional[str]) -> bool:
    """The row was made from what its run holds now (session and record hashes), by this code, with this note."""
    return row is not None and (row.session, row.inputs) == inputs and row.wording == wording and \
        row.session_note == note
