"""One side of a comparison: an experiment (its lineage slice) or a whole run (every execution of a session).

Pure: built from a lineage document (parents linked) and the experiments derived from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..experiments import feature_diff
from ..experiments import features as feature_tree
from ..experiments.data_used import DataUsed, Reach, ReachedAny
from ..protocol import (
    DatasetRevision,
    DiffSide,
    ExecutionRecord,
    Experiment,
    LineageDocument,
    Metric,
    ModelFingerprint,
    RunStamp,
    SeedRecord,
)


@dataclass
class Side:
    ref: DiffSide
    executions: list[ExecutionRecord]  # the slice walked, in execution order
    run: list[ExecutionRecord]  # every execution of the side's run up to its result (seeds set anywhere in it)
    metrics: list[Metric] = field(default_factory=list)
    features: dict = field(default_factory=dict)
    data: list[DatasetRevision] = field(default_factory=list)
    stamp: Optional[RunStamp] = None
    model: Optional[ModelFingerprint] = None
    seeds: list[SeedRecord] = field(default_factory=list)  # the slice's (experiments' own list)
    # whose metrics these are (an experiment: itself; a run: its successful experiments), for a run-level diff that
    # compares them one cell and model at a time (metrics.per_experiment)
    experiments: list[Experiment] = field(default_factory=list)
    # what reached the side's result(s) (None: everything is taken to have): the walk passes the rest by
    reached: Optional[Reach] = None
    # seq of an execution that fitted a scored model -> that model's fingerprint (the walk compares a fit's state)
    fitted: dict[int, ModelFingerprint] = field(default_factory=dict)


def fitted_models(experiments: list[Experiment], by_seq: dict[int, ExecutionRecord]) -> dict[int, ModelFingerprint]:
    """The execution that last fitted each experiment's model before its result -> the model's fingerprint, the first
    experiment's that scored it. A run's side held only its last experiment's model, so a run-level diff compared no
    other fit by its state: gulutu-ml chili's ridge grid edited, its fit's model differed and nothing else measured did
    ("No step diverged" beside a moved ridge_best_mae_log)."""
    out: dict[int, ModelFingerprint] = {}
    for experiment in experiments:
        model = experiment.model
        if model is None or not model.variable or not model.state_sha256:
            continue
        fits = [s.seq for s in experiment.slice if s.seq in by_seq and any(
            step.op == "fit_model" and model.variable in (step.output, *step.outputs) for step in by_seq[s.seq].steps)]
        if fits:
            out.setdefault(max(fits), model)
    return out


def from_experiment(experiment: Experiment, doc: LineageDocument) -> Side:
    by_seq = {e.seq: e for e in doc.executions}
    executions = [by_seq[s.seq] for s in experiment.slice if s.seq in by_seq]
    run = [e for e in doc.executions if e.session == experiment.session and e.seq <= experiment.seq]
    ref = DiffSide(ref=experiment.id, kind="experiment", notebook_uri=experiment.notebook_uri,
                   session=experiment.session, seq=experiment.seq, cell_id=experiment.cell_id,
                   cell_index=experiment.cell_index, status=experiment.status, created_at=experiment.created_at,
                   primary_metric=experiment.primary_metric, config_sha256=experiment.config_sha256,
                   model_fitted_before=experiment.model.fitted_before if experiment.model is not None else None)
    return Side(ref=ref, executions=executions, run=run, metrics=list(experiment.metrics),
                features=experiment.features, data=list(experiment.data), stamp=experiment.stamp,
                model=experiment.model, seeds=list(experiment.seeds), experiments=[experiment],
                reached=DataUsed(executions, experiment.seq), fitted=fitted_models([experiment], by_seq))


def from_run(doc: LineageDocument, session: int, experiments: list[Experiment],
             stamp: Optional[RunStamp] = None) -> Side:
    """A whole run: every execution of the session; its metrics are its successful experiments' (each compared with
    the other run's experiment of the same cell and model, never one model's metric with another's); its data every
    revision they read."""
    run = [e for e in doc.executions if e.session == session]
    mine = [e for e in experiments if e.session == session]
    data: dict[str, DatasetRevision] = {}
    for experiment in mine:
        for revision in experiment.data:
            data[revision.dataset_id] = revision
    last = mine[-1] if mine else None
    by_seq = {e.seq: e for e in run}
    reached = ReachedAny([({s.seq for s in e.slice},
                           DataUsed([by_seq[s.seq] for s in e.slice if s.seq in by_seq], e.seq)) for e in mine])
    tree = feature_tree.build(run, used=reached)
    ref = DiffSide(ref=f"run {session}", kind="run", notebook_uri=doc.notebook_uri, session=session,
                   status="failed" if any(e.status != "ok" for e in run) else "ok",
                   created_at=run[-1].ended_at if run else None,
                   primary_metric=last.primary_metric if last is not None else None,
                   config_sha256=feature_diff.config_hash(tree),
                   model_fitted_before=last.model.fitted_before if last is not None and last.model is not None
                   else None,
                   stopped_at_cell_index=run[-1].cell_index if run and run[-1].status != "ok" else None)
    if stamp is None and mine:
        stamp = mine[-1].stamp
    return Side(ref=ref, executions=run, run=run, features=tree, data=list(data.values()), stamp=stamp,
                model=last.model if last is not None else None,
                experiments=[e for e in mine if e.status == "ok" and e.metrics], reached=reached,
                fitted=fitted_models(mine, by_seq))
