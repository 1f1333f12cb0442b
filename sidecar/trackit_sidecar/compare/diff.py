"""The diff of two sides (experiments or runs), put together: metrics, the first divergent step and its cause,
then every difference (features as a tree, code per cell, data revisions, seeds, environment, git). Pure;
the words are render/compare.py's."""

from __future__ import annotations

from typing import Optional

from ..experiments import feature_diff
from ..experiments import features as feature_tree
from ..experiments.feature_diff import split_path
from ..protocol import Divergence, Experiment, ExperimentDiff, FeatureChange, StepRef
from . import changes
from .cause import explain
from .kb import MODEL_SECTIONS
from .metrics import deltas, paired, per_experiment
from .sides import Side
from .walk import Unit, walk


def step_ref(unit: Optional[Unit]) -> Optional[StepRef]:
    if unit is None:
        return None
    execution = unit.execution
    step = unit.step
    return StepRef(seq=execution.seq, cell_id=execution.cell_id, cell_index=execution.cell_index,
                   execution_count=execution.execution_count, op=step.op if step is not None else None,
                   variable=unit.variables[0] if unit.variables else None, step=step)


def _not_reached(stopped: Side, other: Side) -> set[str]:
    """Feature paths only the cells `stopped`'s run never reached give `other` (it stopped at an error): eeoc run 2 ->
    3 listed "graphics_info ... -> (removed)" for a load in a cell after run 3's KeyError, as if it had been deleted."""
    at = stopped.ref.stopped_at_cell_index
    if at is None:
        return set()
    ran = {e.cell_id for e in stopped.run}
    reached = [e for e in other.run if e.cell_id in ran or e.cell_index <= at]
    if len(reached) == len(other.run):
        return set()
    every = {c.path for c in feature_diff.diff(stopped.features, other.features)}
    return every - {c.path for c in feature_diff.diff(stopped.features, feature_tree.build(reached))}


def _model_key(experiment: Experiment) -> tuple[Optional[str], Optional[str]]:
    model = experiment.model
    return (model.class_name, model.variable) if model is not None else (None, None)


def per_model(a: Side, b: Side) -> list[FeatureChange]:
    """Two runs' model decisions (MODEL_SECTIONS), each scored model's against the other run's experiment of the same
    cell and model (metrics.paired), named by model and cell: a run's own tree holds only its last fitted model, so
    islr's `diff "run 1" "run 2"` listed the logistic regression's C and not the KNN's n_neighbors 5 -> 7. A model
    scored in several cells changes once (its first scoring cell's)."""
    out: list[FeatureChange] = []
    seen: set[tuple] = set()
    for ea, eb in paired(a.experiments, b.experiments):
        if ea is None or eb is None:
            continue  # scored in one run only: its metrics say so; its decisions have nothing to differ from
        sections_a = {k: v for k, v in ea.features.items() if k in MODEL_SECTIONS}
        sections_b = {k: v for k, v in eb.features.items() if k in MODEL_SECTIONS}
        changes = feature_diff.model_decisions(feature_diff.diff(sections_a, sections_b), ea.model, eb.model)
        for change in changes:
            key = (_model_key(eb), change.path, repr(change.before), repr(change.after))
            if key in seen:
                continue
            seen.add(key)
            out.append(change.model_copy(update={"a_experiment": ea.id, "b_experiment": eb.id,
                                                 "model": _model_key(eb)[0], "cell_index": eb.cell_index}))
    return out


def _run_feature_changes(a: Side, b: Side) -> list[FeatureChange]:
    """The decisions two sides differ by. Runs: their shared decisions from the runs' trees, each model's from its
    experiments (per_model); the trees' model sections describe only the last fitted model, kept where no scored
    model says the same."""
    whole = feature_diff.model_decisions(feature_diff.diff(a.features, b.features), a.model, b.model)
    if "run" not in (a.ref.kind, b.ref.kind):
        return whole
    models = per_model(a, b)
    said = {(c.path, repr(c.before), repr(c.after)) for c in models}
    shared = [c for c in whole if split_path(c.path)[0] not in MODEL_SECTIONS
              or (c.path, repr(c.before), repr(c.after)) not in said]
    return shared + models


def diff(a: Side, b: Side, repeats_a: Optional[dict[str, list[float]]] = None,
         repeats_b: Optional[dict[str, list[float]]] = None,
         directions: Optional[dict[str, str]] = None) -> ExperimentDiff:
    """`repeats_*`: metric name -> values of every evaluation of the same decisions as that side (itself
    included), for the noise; `directions`: metric name -> "higher" | "lower" where the caller knows better."""
    feature_changes = changes.explained_restatements(_run_feature_changes(a, b))
    unreached = _not_reached(a, b) | _not_reached(b, a)
    not_reached = [c for c in feature_changes if c.path in unreached]
    feature_changes = [c for c in feature_changes if c.path not in unreached]
    walked = walk(a.executions, b.executions, (a.model, b.model), (a.reached, b.reached), (a.fitted, b.fitted))
    divergence = None
    if walked.found is not None:
        found = walked.found
        divergence = Divergence(kind=found.kind, a=step_ref(found.a), b=step_ref(found.b),
                                differences=found.differences,
                                cause=explain(found, a, b, feature_changes, walked.agreed_cells),
                                matched_before=walked.matched_before)
    primary = a.ref.primary_metric or b.ref.primary_metric
    if "run" in (a.ref.kind, b.ref.kind):  # a run scores several models: each metric is compared model by model
        metrics = per_experiment(a.experiments, b.experiments)
    else:
        metrics = deltas(a.metrics, b.metrics, primary.name if primary else None, repeats_a, repeats_b, directions)
    return ExperimentDiff(
        a=a.ref, b=b.ref,
        metrics=metrics,
        divergence=divergence, steps_compared=walked.compared, measured=walked.measured,
        feature_changes=feature_changes, feature_tree=changes.feature_tree(feature_changes),
        features_not_reached=not_reached,
        code_changes=changes.code_changes(a.executions, b.executions),
        data_changes=changes.data_changes(a.data, b.data),
        seed_changes=changes.seed_changes(changes.run_seeds(a.run, a.ref.seq, a.stamp),
                                          changes.run_seeds(b.run, b.ref.seq, b.stamp),
                                          {e.cell_id: e.cell_index + 1 for e in [*a.run, *b.run]}),
        environment_changes=changes.environment_changes(a.stamp, b.stamp),
        git_changes=changes.git_changes(a.stamp, b.stamp))
