"""Deriving a notebook's experiments again where what they were derived from changed (derived.py's scheme): which
experiments are stale, the runs read for them (a read at a time), their own facts built again, the experiments
numbered and the input files' revisions added, parents chosen again along changed chains, and the rows saved.
NotebookDerivation is a mixin of derived.DerivedExperiments; _Notebook is what it derives."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

from .. import protocol as p
from ..render.words import notebook_name
from ..store import Store, iso_utc
from ..store.derived import KeptRow
from ..whole_lineage import CHUNK_EXECUTIONS, chunks
from . import build as builder
from . import parent as parents
from .derived_keys import _Keys, _sha
from .detect import experiments_and_looks, is_experiment
from .revisions import FileSeen, Revision, assign

log = logging.getLogger(__name__)
# executions read at a time when most of a notebook's runs are derived, and the most held between detecting
# experiments and building their own facts (whole_lineage.CHUNK_EXECUTIONS: the lineage views' bound)
_READ_EXECUTIONS = CHUNK_EXECUTIONS


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


class NotebookDerivation:
    """Mixin of `DerivedExperiments`: `_derive` and what it reads, numbers and saves."""

    store: Store
    lineage: Callable[..., p.LineageDocument]
    run_lineage: Callable[..., p.LineageDocument]
    cache: Callable[[], dict]
    derived_count: int
    _read_full: Callable[[_Notebook, list[int]], None]

    def _own(self, kept: _Notebook, owns: dict[int, p.Experiment], number: int) -> p.Experiment:
        """An experiment's own facts: derived just now, else its kept (linked) form unlinked."""
        if number in owns:
            return owns[number]
        self._read_full(kept, [number])
        return builder.unlinked(kept.full[number])

    def _derive(self, uri: str, keys: _Keys, old: Optional[_Notebook]) -> _Notebook:
        db = self.store.experiments
        old = old or _Notebook(uri=uri, fingerprint="")
        # every run read: session -> the seqs of its executions that are experiments (what numbering needs); and its
        # completed records when every run read fits in one read (else each is read again for its own facts)
        detected: dict[int, list[int]] = {}
        looks: dict[int, dict[int, list[int]]] = {}  # session -> its experiments' second looks (detect)
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
            self._detect_runs(uri, sorted(wanted - detected.keys()), keys, detected, looks, executions)
            # a cell that only showed a table of an experiment's result is part of it (also_looked_at), and comes
            # after it: it leaves the experiment's key as it was, so the looks of each run read are compared
            stale |= {number for number, seq, _, session in assigned
                      if session in looks and number in old.summaries
                      and [look.seq for look in old.summaries[number].also_looked_at] != looks[session].get(seq, [])}
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
                    stamp_seeds=False, looks={s: looks[s] for s in runs})  # every run built was detected: plan()
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
                     looks: dict[int, dict[int, list[int]]], into: dict[int, list[p.ExecutionRecord]]) -> None:
        """Read these runs and note which of their executions are experiments (`detected`) and the second looks at
        their results (`looks`: detect.experiments_and_looks); their records are kept
        (`into`) only when they fit in one read, else each run is read again for its experiments' own facts: a
        2,000-run notebook's records held at once were the sidecar's high-water mark when the experiments of
        every notebook were listed (bench_sidecar.py, memory part)."""
        hold = sum(len(keys.measured.executions.get(s, ())) for s in sessions) <= _READ_EXECUTIONS

        def detect(runs: dict[int, list[p.ExecutionRecord]]) -> None:
            for session, run in runs.items():
                detected[session], looks[session] = experiments_and_looks(run)
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
