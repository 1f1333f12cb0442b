"""Experiments of one notebook from its records: pure, so they can be re-derived at any time.

Inputs are what the store holds (the lineage document with parents linked, the ids already assigned,
kernel answers, names and notes, manual parents, dataset revisions, run stamps); the output is one
`protocol.Experiment` per assigned id. Only ids, revisions, stamps, kernel answers and the user's own
words are recorded; everything else (slices, features, parents, diffs) is computed here. What is computed is
kept (experiments/derived.py) only as long as the records it was computed from and the code that computed it
are unchanged, so a better analyzer improves old experiments too.

own() makes each experiment's own facts from the records of its run; link() chooses parents and diffs
against them; build() is both, over a whole notebook. What the model of an experiment is: experiment_model.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from ..lineage.kb.packaged_data import PACKAGED_DATA_SETS, packaged_loader
from ..protocol import (
    DatasetRevision,
    ExecutionRecord,
    Experiment,
    ExperimentSummary,
    FrameFingerprint,
    LineageDocument,
    RunStamp,
    SecondLook,
)
from . import experiment_model as model_reader
from . import feature_diff
from . import features as feature_tree
from . import metrics as metric_reader
from . import parent as parents
from . import printed_metrics
from . import randomness
from . import seeds as seed_reader
from .data_used import DataUsed
from .detect import Detected, detect, done_steps, experiments_and_looks
from .revisions import Revision, dataset_id, experiment_id
from .slice import Slicer, entries, signature


@dataclass
class Assigned:
    number: int
    seq: int
    origin: str = "auto"


@dataclass
class Records:
    doc: LineageDocument  # parents linked (lineage.graph.link_parents)
    assigned: list[Assigned] = field(default_factory=list)
    kernel_answers: dict[int, dict[str, Any]] = field(default_factory=dict)  # seq -> values_json answer
    names: dict[int, tuple[Optional[str], Optional[str]]] = field(default_factory=dict)  # number -> (name, notes)
    overrides: dict[int, Optional[int]] = field(default_factory=dict)  # number -> parent number (None: root)
    revisions: list[Revision] = field(default_factory=list)
    stamps: dict[int, RunStamp] = field(default_factory=dict)  # session -> stamp
    # the seeds set by a slice's sources, kept across builds by the caller (sources never change)
    cache: Optional[dict] = None
    # False: each experiment carries its run's stamp without the seeds the run's code set (those read every
    # execution of the run; derived.py adds them when a whole experiment is asked for, not for a listing)
    stamp_seeds: bool = True
    # session -> its experiments' second looks (detect.experiments_and_looks), for the runs the caller already
    # walked to find their experiments (derivation.py): each run is walked once. A run not in it is walked here.
    looks: dict[int, dict[int, list[int]]] = field(default_factory=dict)


def detected(doc: LineageDocument, marked: list[int]) -> list[Detected]:
    return detect(doc.executions, marked)


def build(records: Records) -> list[Experiment]:
    """Every experiment of the records, in number order, linked to its parent."""
    return link(own(records), records.overrides)


def own(records: Records) -> list[Experiment]:
    """Each assigned experiment whose execution `records.doc` holds, in number order, with its own facts only:
    everything but its parent and the diff against that parent (link() adds those). A document of some runs
    only gives those runs' experiments: nothing an experiment is made of crosses a run."""
    slicer = Slicer(records.doc.executions)
    revisions = {(r.dataset_id, r.sha256): r for r in records.revisions}
    looks = dict(records.looks)  # session -> its experiments' second looks (detect)
    built: list[Experiment] = []
    for item in sorted(records.assigned, key=lambda a: a.number):
        execution = slicer.by_seq.get(item.seq)
        if execution is not None:
            experiment = _one(item, execution, slicer, records, revisions)
            if execution.session not in looks:
                looks[execution.session] = experiments_and_looks(
                    e for e in records.doc.executions if e.session == execution.session)[1]
            experiment.also_looked_at = second_looks(looks[execution.session].get(execution.seq, []), slicer)
            built.append(experiment)
    return built


def second_looks(seqs: list[int], slicer: Slicer) -> list[SecondLook]:
    """The executions `seqs` (tables shown of an experiment's result), as `show` names them."""
    return [SecondLook(seq=seq, cell_id=e.cell_id, cell_index=e.cell_index,
                       functions=list(dict.fromkeys(step.method for step in done_steps(e)
                                                    if step.op == "evaluate" and step.method)))
            for seq in seqs for e in [slicer.by_seq[seq]]]


def node(experiment: Experiment) -> parents.Node:
    """What choosing a parent compares of an experiment."""
    return parents.Node(int(experiment.id[1:]), experiment.notebook_uri, experiment.seq,
                        experiment.status == "failed", signature(experiment.slice))


def link(experiments: list[Experiment], overrides: dict[int, Optional[int]]) -> list[Experiment]:
    """Each experiment's parent (parent.choose; `overrides` are the user's) and its diff against it, in place."""
    chosen = parents.choose([node(e) for e in experiments], overrides)
    by_number = {int(e.id[1:]): e for e in experiments}
    for experiment in experiments:
        number = int(experiment.id[1:])
        parent_number = chosen.get(number)
        link_one(experiment, by_number.get(parent_number) if parent_number is not None else None,
                 number in overrides)
    return experiments


def link_one(experiment: Experiment, parent: Optional[Experiment], set_by_user: bool) -> Experiment:
    """Set an experiment's parent (None: a root) and what changed since it, in place: the features that differ
    and the datasets read at another revision. `experiment` holds its own facts only (own(), unlinked())."""
    experiment.parent = parent.id if parent is not None else None
    experiment.parent_set_by_user = set_by_user
    if parent is not None:
        experiment.feature_changes = feature_diff.model_decisions(
            feature_diff.diff(parent.features, experiment.features), parent.model, experiment.model)
        experiment.changed = feature_diff.changed_paths(experiment.feature_changes)
        before = {d.dataset_id: d.revision_id for d in parent.data}
        for data in experiment.data:
            if data.dataset_id in before and before[data.dataset_id] != data.revision_id:
                data.previous_revision_id = before[data.dataset_id]
                experiment.data_changed = True
    return experiment


def unlinked(experiment: Experiment) -> Experiment:
    """A copy of a linked experiment with its own facts only (what link_one() starts from)."""
    return experiment.model_copy(update={
        "parent": None, "parent_set_by_user": False, "feature_changes": [], "changed": [], "data_changed": False,
        "data": [d.model_copy(update={"previous_revision_id": None}) for d in experiment.data]})


def summary(experiment: Experiment) -> ExperimentSummary:
    return ExperimentSummary.model_validate(experiment.model_dump(include=set(ExperimentSummary.model_fields)))


# ---------------------------------------------------------------- one experiment
def _one(item: Assigned, execution: ExecutionRecord, slicer: Slicer, records: Records,
         revisions: dict[tuple[str, str], Revision]) -> Experiment:
    executions = slicer.slice(item.seq)
    answer = records.kernel_answers.get(item.seq) or {}
    model_variable = model_reader.model_variable(execution, executions)
    kernel_model = model_reader.kernel_model(answer, model_variable)
    best_params = kernel_model.get("best_params") if kernel_model else None
    # the features read the steps (which a re-analysis or late runtime facts change: never cached by source);
    # the seeds read only the sources
    used = DataUsed(executions, execution.seq)
    tree = feature_tree.build(executions, best_params, model_variable, used)
    key = ("seeds", tuple((e.seq, e.source_sha256) for e in executions))
    cache = records.cache if records.cache is not None else {}
    if key not in cache:
        cache[key] = seed_reader.seeds_in_executions(executions)
    slice_seeds = [s.model_copy() for s in cache[key]]
    draws_key = ("draws", key[1])
    if draws_key not in cache:
        cache[draws_key] = randomness.slice_draws(executions)
    estimators = model_reader.estimators(executions)
    trained_on = model_reader.trained_on(executions)
    metrics = metric_reader.merge(
        metric_reader.metrics_from_kernel(execution, answer.get("values") or {}, estimators, trained_on),
        model_reader.model_metrics(kernel_model),
        printed_metrics.metrics_from_outputs(execution, estimators, trained_on),
    )
    primary = metric_reader.primary_metric(metrics, execution, estimators, trained_on)
    if model_reader.scores_training_predictions(execution, executions):
        metrics, primary = ([model_reader.on_training_rows(m) for m in metrics],
                            primary and model_reader.on_training_rows(primary))
    stamp = run_stamp(records, execution.session) if records.stamp_seeds else records.stamps.get(execution.session)
    name, notes = records.names.get(item.number, (None, None))
    data = _data(executions, revisions, used)
    model = model_reader.model_fingerprint(tree, kernel_model, model_variable, executions)
    return Experiment(
        id=experiment_id(item.number), notebook_uri=records.doc.notebook_uri, seq=execution.seq,
        session=execution.session, cell_id=execution.cell_id, cell_index=execution.cell_index,
        created_at=execution.ended_at, status="ok" if execution.status == "ok" else "failed",
        origin="manual" if item.origin == "manual" else "auto", name=name, notes=notes,
        primary_metric=primary, metrics=metrics,
        slice=entries(executions), features=tree, config_sha256=feature_diff.config_hash(tree),
        data=data, datasets=[f"{d.dataset_id}@{d.revision_id}" for d in data],
        packaged_data_sets=packaged_data_sets(tree),
        frames=_frames(execution, executions, model_variable, used),
        model=model,
        seeds=slice_seeds + seed_reader.hash_seed_from_env(stamp.env if stamp else {}),
        unseeded_draws=randomness.unseeded_draws(cache[draws_key], model),
        stamp=stamp,
        dirty_worktree=stamp.git.dirty_worktree if stamp is not None and stamp.git is not None else None,
    )


def packaged_data_sets(tree: dict[str, Any]) -> list[str]:
    """The data sets a library's loaders gave the slice, each once: "iris (scikit-learn)" (features.py's
    `data.sources`); a generated one says so, "moons (generated by scikit-learn)"."""
    said: list[str] = []
    for entry in ((tree.get("data") or {}).get("sources") or {}).values():
        if not isinstance(entry, dict) or not entry.get("packaged"):
            continue
        name = entry.get("data_set") or entry.get("reader") or entry["packaged"].rsplit(".", 1)[-1]
        key = packaged_loader(entry["packaged"])
        generated = key is not None and PACKAGED_DATA_SETS[key].kind == "generated"
        text = f"{name} (generated by {entry.get('library')})" if generated else f"{name} ({entry.get('library')})"
        if text not in said:
            said.append(text)
    return said


def run_stamp(records: Records, session: int) -> Optional[RunStamp]:
    """The run's stored stamp with the seeds its code set (every execution of the run in `records.doc`)."""
    stamp = records.stamps.get(session)
    if stamp is None:
        return None
    return seeded_stamp(stamp, [e for e in records.doc.executions if e.session == session])


def seeded_stamp(stamp: RunStamp, run: Sequence[Any]) -> RunStamp:
    """A copy of a run's stamp with the seeds its code set. `run`: the run's executions in order, as records or
    anything else with their seq, cell_id, language, source and source_sha256 (the seeds read only the code)."""
    stamp = stamp.model_copy(deep=True)
    stamp.seeds = seed_reader.seeds_of_run(run) + seed_reader.hash_seed_from_env(stamp.env)
    return stamp


def stamp_with_seeds(doc: LineageDocument, session: int, stamp: RunStamp) -> RunStamp:
    """A stored stamp with the seeds its run's code set (derived from the sources on every read)."""
    return run_stamp(Records(doc=doc, stamps={session: stamp}), session)  # type: ignore[return-value]



def _data(executions: list[ExecutionRecord], revisions: dict[tuple[str, str], Revision], used: DataUsed
          ) -> list[DatasetRevision]:
    out: dict[str, DatasetRevision] = {}
    for execution in executions:
        for file in used.files(execution):
            if not file.sha256:
                continue
            revision = revisions.get((dataset_id(file.path), file.sha256))
            if revision is None:
                continue
            out[revision.dataset_id] = DatasetRevision(
                dataset_id=revision.dataset_id, revision_id=revision.id, sha256=revision.sha256, size=revision.size,
                path=file.path, first_seen_at=revision.first_seen_at)
    return list(out.values())


def _frames(execution: ExecutionRecord, executions: list[ExecutionRecord], model_variable: Optional[str],
            used: DataUsed) -> list[FrameFingerprint]:
    """The frames read from each dataset, out of the split, into the fit and into the metric, as the
    kernel measured them when they were written (no runtime facts: no frames)."""
    wanted: list[tuple[str, str, int, Optional[str]]] = []  # (role, variable, seq where it is used, dataset)
    fit = None
    for candidate in executions:
        for step in model_reader.module_steps(candidate):
            if step.op == "load" and step.output and used.reached_result(candidate, step):
                wanted.append(("load", step.output, candidate.seq, _dataset_of(step.detail, candidate)))
            elif step.op == "split" and used.reached_result(candidate, step):
                wanted.extend(("split", name, candidate.seq, None) for name in feature_tree._outputs(step))
            elif step.op == "fit_model" and step.output == model_variable:
                fit = (candidate.seq, step)
    if fit is not None:
        wanted.extend(("fit", name, fit[0], None) for name in fit[1].inputs)
    for step in model_reader.module_steps(execution):
        if step.op in ("evaluate", "predict"):
            wanted.extend(("metric", name, execution.seq, None) for name in step.inputs if name != model_variable)
    out: list[FrameFingerprint] = []
    seen: set[tuple[str, str]] = set()
    for role, variable, used_at, dataset in wanted:
        if (role, variable) in seen:
            continue
        seen.add((role, variable))
        fact_seq, fact = None, None
        for candidate in executions:
            if candidate.seq > used_at:
                break
            for item in candidate.runtime:
                if item.variable == variable:
                    fact_seq, fact = candidate.seq, item
        if fact is not None:
            out.append(FrameFingerprint(role=role, variable=variable, dataset_id=dataset, seq=fact_seq,
                                        rows=fact.rows_after, cols=fact.cols_after, fingerprint=fact.fingerprint))
    return out


def _dataset_of(detail: Optional[str], execution: ExecutionRecord) -> Optional[str]:
    """The dataset a load step read: the execution's input file whose name the step's path ends with."""
    if not detail:
        return None
    name = detail.replace("\\", "/").rsplit("/", 1)[-1]
    for file in execution.input_files:
        if file.path.replace("\\", "/").rsplit("/", 1)[-1] == name:
            return dataset_id(file.path)
    return None


__all__ = ["Assigned", "Records", "build", "detected", "link", "link_one", "node", "own", "run_stamp",
           "stamp_with_seeds", "summary", "unlinked"]
