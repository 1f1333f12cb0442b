"""A notebook's experiments kept derived: derived again only where their records changed, and kept in the store
so that a new process lists and compares them without deriving them again (issue 12, item 5).

Deriving every experiment of a long notebook takes seconds (every execution read and completed, every slice's
feature tree built, parents chosen among hundreds); the Experiments panel opens in a new window and refreshes
after every cell, and must answer in milliseconds. An experiment's own facts (build.own) depend only on its
run's executions up to its own (but one fact, below), on what is its own (id, name, kernel answers) and on its run's
stamp: the lineage's completion and slices never cross a kernel restart and never look forward. Its parent depends on
every earlier experiment's slice; its diff against the parent on the two experiments' own facts. So:

- two queries measure the notebook's records, execution by execution (store/derived.py: `measure`); an
  experiment whose key (_Keys: those records, with the deriving code's version) is unchanged keeps its own facts;
- a run with a stale experiment is read alone (or the whole notebook, when most runs are) and only its stale
  experiments are derived again; a run that only gained executions is read only if one of them may be an
  experiment (_may_hold_experiments);
- one own fact looks forward: the later cells of its run that only showed a table of its result (`also_looked_at`,
  detect.experiments_and_looks). Such a cell may be an experiment, so its run is read; the looks found there are
  compared with the kept summary's, and an experiment whose looks changed is derived again;
- a parent is chosen again only for an experiment whose chain (its slice signature and every earlier
  experiment's) changed; the user's parents (re-parenting) always win (parent.choose);
- an experiment whose own facts, parent and parent's own facts are unchanged keeps its diff against the parent;
- a run's stamp with the seeds its code set (every execution of the run) is added when a whole experiment is
  asked for, never for a listing.

The result is exactly build.build over the whole notebook: tests/sidecar/experiments/test_derived.py holds the
two equal through each kind of change. In a read-only store nothing is written: what is derived is kept in memory.

This file keeps the derived experiments and answers reads from them (DerivedExperiments); the keys they are derived
from are measured in derived_keys.py, and deriving them again where those changed is derivation.py's.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, NamedTuple, Optional

from .. import protocol as p
from ..store import Store
from . import build as builder
from .derivation import NotebookDerivation, _Notebook
from .derived_keys import _Keys

_KEPT_PREFIXES = 16  # runs' records kept for diffs (run_records)
# notebooks whose experiments stay in memory (a 2,000-run notebook's 222 experiments are ~5 MB): the others are read
# back from the store's derived rows when asked, as a new process does (a cold listing: ~80-100 ms against ~20-40 warm,
# bench_compare). One, the notebook listed last (the panel in front): with 4, listing the memory bench's 25 notebooks
# one after another climbed ~5 MB higher (in process, max 147.1-148.7 MB against 141.3-143.1; perf33). A read-only
# store keeps no rows: all stay.
_KEPT_NOTEBOOKS = 1


class RunCode(NamedTuple):
    """One execution's code: what the seeds of a run read (builder.seeded_stamp)."""

    seq: int
    cell_id: str
    language: str
    source: str
    source_sha256: str

class DerivedExperiments(NotebookDerivation):
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

