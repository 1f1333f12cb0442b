"""A notebook's experiments kept derived: derived again only where their records changed, and kept in the store
so that a new process lists and compares them without deriving them again (issue 12, item 5).

Deriving every experiment of a long notebook takes seconds (every execution read and completed, every slice's
feature tree built, parents chosen among hundreds); the Experiments panel opens in a new window and refreshes
after every cell, and must answer in milliseconds. An experiment's own facts (build.own) depend only on its
run's executions up to its own, on what is its own (id, name, kernel answers) and on its run's stamp: the
lineage's completion and slices never cross a kernel restart and never look forward. Its parent depends on
every earlier experiment's slice; its diff against the parent on the two experiments' own facts. So:

- two queries measure the notebook's records, execution by execution (store/derived.py: `measure`); an
  experiment whose key (_Keys: those records, with the deriving code's version) is unchanged keeps its own facts;
- a run with a stale experiment is read alone (or the whole notebook, when most runs are) and only its stale
  experiments are derived again; a run that only gained executions is read only if one of them may be an
  experiment (_may_hold_experiments);
- a parent is chosen again only for an experiment whose chain (its slice signature and every earlier
  experiment's) changed; the user's parents (re-parenting) always win (parent.choose);
- an experiment whose own facts, parent and parent's own facts are unchanged keeps its diff against the parent;
- a run's stamp with the seeds its code set (every execution of the run) is added when a whole experiment is
  asked for, never for a listing.

The result is exactly build.build over the whole notebook: tests/sidecar/experiments/test_derived.py holds the
two equal through each kind of change. In a read-only store nothing is written: what is derived is kept in memory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Optional

from .. import protocol as p
from ..render.words import notebook_name
from ..store import Store, iso_utc
from ..store.derived import KeptRow, Measured
from ..whole_lineage import CHUNK_EXECUTIONS, chunks
from . import build as builder
from . import parent as parents
from .detect import is_experiment
from .revisions import FileSeen, Revision, assign

log = logging.getLogger(__name__)
_code_version: Optional[str] = None
_KEPT_PREFIXES = 16  # runs' records kept for diffs (run_records)
# notebooks whose experiments stay in memory (a 2,000-run notebook's 222 experiments are ~5 MB): the others are read
# back from the store's derived rows when asked, as a new process does. A read-only store keeps no rows: all stay.
_KEPT_NOTEBOOKS = 4
# executions read at a time when most of a notebook's runs are derived, and the most held between detecting
# experiments and building their own facts (whole_lineage.CHUNK_EXECUTIONS: the lineage views' bound)
_READ_EXECUTIONS = CHUNK_EXECUTIONS


def code_version() -> str:
    """sha256 of the sidecar's own code: every module, so a better analyzer or builder derives old experiments
    again. A frozen sidecar holds no sources: its build (version, binary size and time) stands for its code."""
    global _code_version
    if _code_version is None:
        package = Path(__file__).resolve().parent.parent
        sources = sorted(package.rglob("*.py"))
        digest = hashlib.sha256()
        if getattr(sys, "frozen", False) or not sources:
            from .. import __version__

            stat = Path(sys.executable).stat()
            digest.update(f"{__version__}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        for path in [] if getattr(sys, "frozen", False) else sources:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        _code_version = digest.hexdigest()
    return _code_version


def _sha(*parts: object) -> str:
    return hashlib.sha256("\0".join(str(part) for part in parts).encode()).hexdigest()


class _Keys:
    """What each experiment and each run is derived from, as measured now, with the deriving code's version.

    An experiment's own facts (build.own) read its run's executions up to its own and its run's stamp, nothing
    later: the lineage's completion only ever looks back within a run. So its key is its id and origin, the sum
    of its run's record hashes up to its execution, what is its own (name, kernel answers), and the run's stamps;
    a later execution of the run, or anything of another run, leaves it unchanged. A run's key covers every key
    of its experiments (and which executions are numbered experiments)."""

    def __init__(self, measured: Measured):
        self.measured = measured
        self.code = code_version()
        self.links = _sha(self.code, measured.links)
        self.runs: dict[int, str] = {}
        self.last_seq: dict[int, int] = {}
        self._sums: dict[int, tuple[dict[int, int], list[int], tuple[int, ...]]] = {}
        for session, rows in measured.executions.items():
            seqs, records, owns = zip(*rows)
            cumulative = list(accumulate(records))
            self._sums[session] = (dict(zip(seqs, range(len(seqs)))), cumulative, owns)
            self.runs[session] = _sha(self.code, session, len(seqs), cumulative[-1], sum(owns),
                                      measured.stamps.get(session, 0), measured.numbered.get(session, 0))
            self.last_seq[session] = seqs[-1]
        self.notebook = _sha(self.code, sorted(self.runs.items()), self.links)

    def experiment(self, number: int, origin: str, session: int, seq: int) -> str:
        index, cumulative, owns = self._sums.get(session, ({}, [], ()))
        i = index.get(seq)
        if i is None:  # not measured (written since): never equal to a kept key
            return ""
        return _sha(self.code, number, origin, session, i + 1, cumulative[i], owns[i],
                    self.measured.stamps.get(session, 0))

    def prefix(self, session: int, seq: int) -> str:
        """What a run's completed records up to `seq` were read from (completion only looks back); "" when `seq`
        was not measured."""
        index, cumulative, _ = self._sums.get(session, ({}, [], ()))
        i = index.get(seq)
        return "" if i is None else _sha(self.code, session, i + 1, cumulative[i])


class RunCode(NamedTuple):
    """One execution's code: what the seeds of a run read (builder.seeded_stamp)."""

    seq: int
    cell_id: str
    language: str
    source: str
    source_sha256: str


@dataclass
class _Notebook:
    """One notebook's experiments as derived for `fingerprint`. Full experiments are read (or kept when derived)
    without their run's stamp; it is added when one is asked for (`stamped`: those that have the current one)."""

    uri: str
    fingerprint: str
    links: str = ""  # the parents set by hand, as measured
    runs: dict[int, tuple[str, int]] = field(default_factory=dict)  # session -> (fingerprint, last seq derived)
    rows: dict[int, KeptRow] = field(default_factory=dict)  # by number
    summaries: dict[int, p.ExperimentSummary] = field(default_factory=dict)
    # the whole experiments read so far: a listing needs only the summaries, so derived ones are saved and let go
    # (slices and diffs are most of a kept notebook's memory); in a read-only store every derived one, since nothing
    # can be read back
    full: dict[int, p.Experiment] = field(default_factory=dict)
    stamped: set[int] = field(default_factory=set)
    stamps: dict[int, Optional[p.RunStamp]] = field(default_factory=dict)  # the runs' stamps with their seeds
    nodes: dict[int, parents.Node] = field(default_factory=dict)  # rows' nodes read so far
    keys: Optional[_Keys] = None  # the records as measured by the latest current()

    def node(self, number: int) -> parents.Node:
        found = self.nodes.get(number)
        if found is None:
            seq, failed, signature = json.loads(self.rows[number].node)
            found = self.nodes[number] = parents.Node(number, self.uri, seq, failed,
                                                      {cell: tuple(shas) for cell, shas in signature.items()})
        return found


class DerivedExperiments:
    """Every notebook's experiments, kept derived. `lineage(notebook[, sessions=, words=])` and
    `run_lineage(notebook, session[, upto_seq])` give completed records (parents linked): the whole notebook's (or
    some sessions'), or one run's (up to an execution)."""

    def __init__(self, store: Store, lineage: Callable[..., p.LineageDocument],
                 run_lineage: Callable[..., p.LineageDocument], cache: Callable[[], dict]):
        self.store = store
        self.lineage = lineage
        self.run_lineage = run_lineage
        self.cache = cache  # build.Records.cache: the seeds of slices and runs, shared by every derivation
        self._kept: dict[str, _Notebook] = {}
        # (notebook, session, seq, prefix key) -> a run's completed records up to seq: what a diff walks, kept across
        # writes while the records they were read from are unchanged (a few: diffs compare a few experiments)
        self._prefixes: dict[tuple[str, int, int, str], list[p.ExecutionRecord]] = {}
        self._pinned: Optional[dict[str, _Notebook]] = None  # within pinned(): each notebook measured once
        self.derived_count = 0  # experiments derived (own facts built) by this object: what the tests count
        # the one notebook whose measured keys are held (a hash per execution: ~0.7 MB for 2,000 runs, per notebook
        # served when every one kept its own): current() measures again on every call, so only the request that
        # measured reads them (run_records' prefix key); another notebook's keys are let go
        self._keyed: Optional[_Notebook] = None

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """Within the block each notebook's records are measured once: one request (a diff reads two experiments,
        their repeats and their runs) sees one state of them. Requests run one at a time on the store's thread."""
        if self._pinned is not None:
            yield
            return
        self._pinned = {}
        try:
            yield
        finally:
            self._pinned = None

    # ------------------------------------------------------------ reads
    def summaries(self, notebook: str) -> list[p.ExperimentSummary]:
        """The notebook's experiments in the order their executions ran. An id is given once, when the experiment is
        first found, and never changes (hypotheses, notes and reports cite it): one found later among earlier runs
        (marked by hand, or a failed run a newer analysis counts) has a higher id than experiments that ran after
        it, and listing by id put it out of time order."""
        kept = self.current(notebook)
        return sorted(kept.summaries.values(), key=lambda s: (s.seq, int(s.id[1:])))

    def experiments(self, notebook: str, numbers: Optional[Iterable[int]] = None,
                    seeds: bool = True) -> list[p.Experiment]:
        """The notebook's experiments (those numbered `numbers` only, when given), in number order. `seeds=False`:
        a run's stamp may come without the seeds its code set (reading them reads the run's code)."""
        kept = self.current(notebook)
        wanted = sorted(kept.summaries if numbers is None else set(numbers) & kept.summaries.keys())
        self._read_full(kept, wanted)
        if seeds:
            self._stamp(kept, wanted)
            return [kept.full[n] for n in wanted]
        unstamped = sorted({kept.full[n].session for n in wanted if n not in kept.stamped})
        stored = self.store.experiments.stamps(kept.uri, unstamped) if unstamped else {}
        return [kept.full[n] if n in kept.stamped else kept.full[n].model_copy(
            update={"stamp": stored.get(kept.full[n].session)}) for n in wanted]

    def current(self, notebook: str) -> _Notebook:
        """The notebook's experiments as its records are now: kept ones when nothing they were derived from
        changed, else derived again where it did."""
        ref = self.store.find_notebook(notebook)
        if ref is not None and self._pinned is not None and ref.uri in self._pinned:
            return self._pinned[ref.uri]
        measured = self.store.derived.measure(ref.uri) if ref is not None else None
        if ref is None or measured is None:
            return _Notebook(uri=notebook, fingerprint="")
        keys = _Keys(measured)
        kept = self._kept.get(ref.uri)
        if kept is None or kept.fingerprint != keys.notebook:
            stored = self._stored(ref.uri) if kept is None else None
            if stored is not None and stored.fingerprint == keys.notebook:
                kept = stored
            else:
                kept = self._derive(ref.uri, keys, kept or stored)
                keys = kept.keys or keys  # deriving numbers experiments and adds revisions: measured again
        self._keep(ref.uri, kept)
        self._hold_keys(kept, keys)
        if self._pinned is not None:
            self._pinned[ref.uri] = kept
        return kept

    def run_records(self, experiment: p.Experiment) -> p.LineageDocument:
        """The completed records of the experiment's run up to its execution: everything its slice and a diff's
        walk read. Read alone (not the run, not the notebook) and kept until those records change."""
        kept = self.current(experiment.notebook_uri)
        prefix = kept.keys.prefix(experiment.session, experiment.seq) if kept.keys is not None else ""
        key = (kept.uri, experiment.session, experiment.seq, prefix)
        found = self._prefixes.get(key) if prefix else None
        if found is None:
            found = list(self.run_lineage(kept.uri, experiment.session, experiment.seq).executions)
            if prefix:
                while len(self._prefixes) >= _KEPT_PREFIXES:
                    del self._prefixes[next(iter(self._prefixes))]  # the oldest first
                self._prefixes[key] = found
        return p.LineageDocument(notebook=kept.uri, notebook_uri=kept.uri, executions=found)

    def _keep(self, uri: str, kept: _Notebook) -> None:
        """The notebook's experiments kept as the most recently used; the least recently used beyond
        _KEPT_NOTEBOOKS let go (their rows are in the store)."""
        self._kept.pop(uri, None)
        self._kept[uri] = kept
        while len(self._kept) > _KEPT_NOTEBOOKS and not self.store.read_only:
            del self._kept[next(iter(self._kept))]

    def _hold_keys(self, kept: _Notebook, keys: _Keys) -> None:
        if self._keyed is not None and self._keyed is not kept:
            self._keyed.keys = None  # measured again when next asked for (a None prefix key only skips a cache)
        kept.keys, self._keyed = keys, kept

    def _stored(self, uri: str) -> Optional[_Notebook]:
        stored = self.store.derived.load(uri)
        if stored is None:
            return None
        return _Notebook(uri=uri, fingerprint=stored.fingerprint, links=stored.links, runs=dict(stored.runs),
                         rows={row.number: row for row in stored.rows},
                         summaries={row.number: p.ExperimentSummary.model_validate_json(row.summary)
                                    for row in stored.rows})

    def _read_full(self, kept: _Notebook, numbers: list[int]) -> None:
        """Full experiments not in memory yet, read from the store (without their run's stamp)."""
        missing = [n for n in numbers if n not in kept.full]
        for number, payload in self.store.derived.experiments(missing).items():
            kept.full[number] = p.Experiment.model_validate_json(payload)

    def _stamp(self, kept: _Notebook, numbers: list[int]) -> None:
        """Give these experiments their run's stamp as it is now, with the seeds the run's code set."""
        wanted = [n for n in numbers if n not in kept.stamped]
        sessions = sorted({kept.full[n].session for n in wanted} - kept.stamps.keys())
        if sessions:
            stored = self.store.experiments.stamps(kept.uri, sessions)
            # the seeds a run's code set read its sources alone, not the run's records (analysis, outputs, facts)
            runs: dict[int, list[RunCode]] = {}
            for session, seq, cell_id, language, source, sha in self.store.run_sources(
                    kept.uri, [s for s in sessions if s in stored]):
                runs.setdefault(session, []).append(RunCode(seq, cell_id, language, source, sha))
            for session in sessions:
                stamp = stored.get(session)
                kept.stamps[session] = (builder.seeded_stamp(stamp, runs.get(session, []))
                                        if stamp is not None else None)
        for number in wanted:
            experiment = kept.full[number]
            stamp = kept.stamps[experiment.session]
            experiment.stamp = stamp.model_copy(deep=True) if stamp is not None else None
            kept.stamped.add(number)

    def _own(self, kept: _Notebook, owns: dict[int, p.Experiment], number: int) -> p.Experiment:
        """An experiment's own facts: derived just now, else its kept (linked) form unlinked."""
        if number in owns:
            return owns[number]
        self._read_full(kept, [number])
        return builder.unlinked(kept.full[number])

    # ------------------------------------------------------------ deriving
    def _derive(self, uri: str, keys: _Keys, old: Optional[_Notebook]) -> _Notebook:
        db = self.store.experiments
        old = old or _Notebook(uri=uri, fingerprint="")
        # every run read: session -> the seqs of its executions that are experiments (what numbering needs); and its
        # completed records when every run read fits in one read (else each is read again for its own facts)
        detected: dict[int, list[int]] = {}
        executions: dict[int, list[p.ExecutionRecord]] = {}

        def plan(keys: _Keys) -> tuple[list[tuple[int, int, str, int]], set[int]]:
            """Which experiments must be derived again (stale); read every run that holds one, or that has
            executions new since it was derived of which one may be an experiment."""
            assigned = db.assigned(uri)
            changed = {s for s, key in keys.runs.items() if old.runs.get(s, ("", 0))[0] != key}
            stale = {number for number, seq, origin, session in assigned
                     if number not in old.rows or old.rows[number].session != session
                     or (session in changed
                         and old.rows[number].inputs_sha256 != keys.experiment(number, origin, session, seq))}
            wanted = {session for number, _, _, session in assigned if number in stale}
            marked = {seq for _, seq, origin, _ in assigned if origin == "manual"}
            for session in sorted(changed - wanted - detected.keys()):
                previous = old.runs.get(session)
                if previous is None or self._may_hold_experiments(uri, session, previous[1], marked):
                    wanted.add(session)
            self._detect_runs(uri, sorted(wanted - detected.keys()), keys, detected, executions)
            return assigned, stale

        for _ in range(3):  # numbering experiments or adding revisions changes what was measured: measure again
            assigned, stale = plan(keys)
            numbered, revised, revisions = self._sync(uri, detected, assigned)
            if revised:
                keys = _Keys(self.store.derived.measure(uri) or keys.measured)
            elif numbered:
                keys = _Keys(self.store.derived.measure_runs(uri, keys.measured))
            else:
                break
        else:
            assigned, stale = plan(keys)
        unchanged_runs = {s for s in keys.runs if old.runs.get(s, ("", 0))[0] == keys.runs[s]}
        if not stale and keys.links == old.links and old.rows.keys() == {a[0] for a in assigned}:
            kept = self._kept_as_it_was(old, keys, unchanged_runs)
            kept.keys = keys
            return kept

        # the stale experiments' own facts (build.own over the runs read)
        derived = [a for a in assigned if a[0] in stale and a[3] in detected]
        owns: dict[int, p.Experiment] = {}
        if derived:
            sessions = sorted({session for _, _, _, session in derived})
            answers, names = db.kernel_answers(uri, sessions), db.names([n for n, _, _, _ in derived])
            stamps = db.stamps(uri, sessions)

            def build_own(runs: dict[int, list[p.ExecutionRecord]]) -> None:
                # nothing an experiment's own facts are made of crosses a run (build.own): built a read at a time
                records = builder.Records(
                    doc=p.LineageDocument(notebook=uri, notebook_uri=uri, executions=sorted(
                        (e for run in runs.values() for e in run), key=lambda e: e.seq)),
                    assigned=[builder.Assigned(n, seq, origin) for n, seq, origin, s in derived if s in runs],
                    kernel_answers=answers, names=names, revisions=revisions, stamps=stamps, cache=self.cache(),
                    stamp_seeds=False)
                for experiment in builder.own(records):
                    experiment.stamp = None  # added when asked for (_stamp): a listing never needs the run's seeds
                    owns[int(experiment.id[1:])] = experiment

            held = {s: executions.pop(s) for s in sessions if s in executions}
            unread = [s for s in sessions if s not in held]
            if held:
                build_own(held)
            del held
            self._read_runs(uri, unread, keys, build_own)
            self.derived_count += len(owns)
        inputs = {n: keys.experiment(n, origin, session, seq) for n, seq, origin, session in derived}

        # every experiment's node (derived now, else kept; one whose execution is gone is left out), its chain
        kept = _Notebook(uri=uri, fingerprint=keys.notebook, links=keys.links,
                         runs={s: (keys.runs[s], keys.last_seq[s]) for s in keys.runs},
                         stamps={s: stamp for s, stamp in old.stamps.items() if s in unchanged_runs})
        own_sha: dict[int, str] = {}
        node_json: dict[int, str] = {}
        for number, _, _, _ in assigned:
            if number in owns:
                node = kept.nodes[number] = builder.node(owns[number])
                node_json[number] = json.dumps([node.seq, node.failed, node.signature])
                own_sha[number] = _sha(owns[number].model_dump_json())
            elif number not in stale and number in old.rows:
                kept.nodes[number] = old.node(number)
                node_json[number] = old.rows[number].node
                own_sha[number] = old.rows[number].own_sha256
        nodes = sorted(kept.nodes.values(), key=lambda n: n.seq)
        chains = _chains(nodes, node_json, old)
        overrides = {n: parent for n, parent in db.parents().items() if n in kept.nodes}
        decided = {n: old.rows[n].auto_parent for n in kept.nodes
                   if n in old.rows and n not in overrides and old.rows[n].chain == chains[n]}
        chosen = parents.choose(nodes, overrides, decided)

        written: list[tuple[KeptRow, str]] = []
        chain_updates: dict[int, tuple[Optional[str], Optional[int]]] = {}
        for number in sorted(kept.nodes):
            parent = chosen.get(number)
            parent = parent if parent in kept.nodes else None
            set_by_user = number in overrides
            chain, auto_parent = chains[number], None if set_by_user else chosen.get(number)
            link = _sha(own_sha[number], parent, own_sha[parent] if parent is not None else "", set_by_user)
            previous = old.rows.get(number)
            if number not in owns and previous is not None and previous.link_sha256 == link:
                kept.rows[number] = replace(previous, chain=chain, auto_parent=auto_parent)
                kept.summaries[number] = old.summaries[number]
                if number in old.full:
                    kept.full[number] = old.full[number]
                    if number in old.stamped and previous.session in unchanged_runs:
                        kept.stamped.add(number)
                if (previous.chain, previous.auto_parent) != (chain, auto_parent):
                    chain_updates[number] = (chain, auto_parent)
                continue
            experiment = builder.link_one(self._own(old, owns, number),
                                          self._own(old, owns, parent) if parent is not None else None, set_by_user)
            summary = builder.summary(experiment)
            row = KeptRow(number=number, session=experiment.session,
                          inputs_sha256=inputs[number] if number in owns else previous.inputs_sha256,  # type: ignore[union-attr]
                          node=node_json[number], chain=chain, auto_parent=auto_parent,
                          own_sha256=own_sha[number], link_sha256=link, summary=summary.model_dump_json())
            kept.rows[number], kept.summaries[number] = row, summary
            if self.store.read_only:  # nowhere to read it back from; else saved below, read back when asked for
                kept.full[number] = experiment
            if previous is None or (previous.link_sha256, previous.inputs_sha256) != (link, row.inputs_sha256):
                written.append((row, experiment.model_dump_json()))
            elif (previous.chain, previous.auto_parent) != (chain, auto_parent):
                chain_updates[number] = (chain, auto_parent)
        self._save(kept, old.runs, unchanged_runs, written, chain_updates)
        kept.keys = keys
        return kept

    def _kept_as_it_was(self, old: _Notebook, keys: _Keys, unchanged_runs: set[int]) -> _Notebook:
        """Nothing an experiment was derived from changed (runs only gained executions that are no experiments,
        or changed after their last experiment): the experiments stand; the runs' new fingerprints are kept."""
        kept = _Notebook(uri=old.uri, fingerprint=keys.notebook, links=keys.links,
                         runs={s: (keys.runs[s], keys.last_seq[s]) for s in keys.runs}, rows=old.rows,
                         summaries=old.summaries, full=old.full, nodes=old.nodes,
                         stamped={n for n in old.stamped if old.rows[n].session in unchanged_runs},
                         stamps={s: stamp for s, stamp in old.stamps.items() if s in unchanged_runs})
        self._save(kept, old.runs, unchanged_runs, [], {})
        return kept

    def _save(self, kept: _Notebook, old_runs: dict[int, tuple[str, int]], unchanged_runs: set[int],
              written: list[tuple[KeptRow, str]], chain_updates: dict[int, tuple[Optional[str], Optional[int]]]) -> None:
        if not self.store.read_only:
            self.store.derived.save(kept.uri, kept.fingerprint, kept.links,
                                    {s: run for s, run in kept.runs.items() if s not in unchanged_runs}, written,
                                    chain_updates, gone_runs=[s for s in old_runs if s not in kept.runs])

    def _may_hold_experiments(self, uri: str, session: int, derived_seq: int, marked: set[int]) -> bool:
        """Might an execution of the run stored after `derived_seq` be an experiment? Judged on its stored
        analysis: the lineage's completion only ever drops steps or makes a row filter `other`, never makes an
        evaluation or a fit, so what is not an experiment statically is not one at all."""
        fresh = self.store.lineage(uri, session, after_seq=derived_seq, static=True).executions
        return any(e.seq in marked or is_experiment(e) for e in fresh)

    def _detect_runs(self, uri: str, sessions: list[int], keys: _Keys, detected: dict[int, list[int]],
                     into: dict[int, list[p.ExecutionRecord]]) -> None:
        """Read these runs and note which of their executions are experiments (`detected`); their records are kept
        (`into`) only when they fit in one read, else each run is read again for its experiments' own facts: a
        2,000-run notebook's records held at once were the sidecar's high-water mark when the experiments of
        every notebook were listed (bench_sidecar.py, memory part)."""
        hold = sum(len(keys.measured.executions.get(s, ())) for s in sessions) <= _READ_EXECUTIONS

        def detect(runs: dict[int, list[p.ExecutionRecord]]) -> None:
            for session, run in runs.items():
                detected[session] = [e.seq for e in run if is_experiment(e)]
                if hold:
                    into[session] = run

        self._read_runs(uri, sessions, keys, detect)

    def _read_runs(self, uri: str, sessions: list[int], keys: _Keys,
                   each: Callable[[dict[int, list[p.ExecutionRecord]]], None]) -> None:
        """These runs' completed records handed to `each` a read at a time (session -> records), and let go before
        the next read: run by run, or, when most of the notebook's runs are asked for, sessions in seq order about
        _READ_EXECUTIONS executions at a time (the lineage views' own bound; each read costs a few queries)."""
        if not sessions:
            return
        if len(sessions) * 2 <= len(keys.runs):
            for session in sessions:
                each({session: list(self.run_lineage(uri, session).executions)})
            return
        measured = keys.measured.executions
        ranges = {s: (measured[s][0][0], measured[s][-1][0]) for s in sessions if measured.get(s)}
        groups = chunks(ranges, _READ_EXECUTIONS) if len(ranges) == len(sessions) else None
        for group in groups or [sessions]:  # sessions overlapping in seq, or not measured: one read
            runs: dict[int, list[p.ExecutionRecord]] = {session: [] for session in group}
            for execution in self.lineage(uri, sessions=group, words=False).executions:  # experiments read no words
                runs[execution.session].append(execution)
            each(runs)

    def _sync(self, uri: str, detected: dict[int, list[int]],
              assigned: list[tuple[int, int, str, int]]) -> tuple[bool, bool, list[Revision]]:
        """Ids for the experiments of the runs read not numbered yet, revisions for the notebook's input files not
        seen yet. Returns whether experiments were numbered, whether revisions were added, and every revision."""
        db = self.store.experiments
        writable = not self.store.read_only
        known = {seq for _, seq, _, _ in assigned}  # the user's marks among them: what detection adds is "auto"
        new = {seq: "auto" for run in detected.values() for seq in run if seq not in known}
        if new and writable:
            db.assign(uri, new)
            log.info("%s: %d experiment%s detected", notebook_name(uri), len(new), "" if len(new) == 1 else "s")
        revisions = [Revision(d, n, s, size, path, seen) for d, n, s, size, path, seen in db.revisions()]
        seen = [FileSeen(path, sha, size, iso_utc(at)) for path, sha, size, at in db.input_files(uri)]
        fresh = assign(revisions, seen)
        if fresh and writable:
            db.add_revisions([(r.dataset_id, r.number, r.sha256, r.size, r.path, r.first_seen_at) for r in fresh])
        return bool(new) and writable, bool(fresh) and writable, revisions + fresh


def _chains(nodes: list[parents.Node], contents: dict[int, str], old: _Notebook) -> dict[int, str]:
    """number -> sha256 of the node and every earlier one (`nodes` in seq order): what its automatic parent is chosen
    from. Up to the first node that differs from the kept ones, the kept chains stand."""
    order = sorted(old.rows, key=lambda n: old.summaries[n].seq)
    out: dict[int, str] = {}
    previous, unchanged = "", True
    for i, node in enumerate(nodes):
        row = old.rows.get(node.number)
        unchanged = (unchanged and row is not None and bool(row.chain) and i < len(order) and order[i] == node.number
                     and row.node == contents[node.number])
        previous = out[node.number] = row.chain if unchanged else _sha(previous, node.number, contents[node.number])  # type: ignore[union-attr]
    return out
