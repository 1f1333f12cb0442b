"""The diff of two sides (experiments or runs), put together: metrics, the first divergent step and its cause,
then every difference (features as a tree, code per cell, data revisions, seeds, environment, git). Pure;
the words are render/compare.py's."""

from __future__ import annotations

from typing import Optional

from ..experiments import feature_diff
from ..experiments import features as feature_tree
from ..protocol import Divergence, ExperimentDiff, StepRef
from . import changes
from .cause import explain
from .metrics import deltas, per_experiment
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


def diff(a: Side, b: Side, repeats_a: Optional[dict[str, list[float]]] = None,
         repeats_b: Optional[dict[str, list[float]]] = None,
         directions: Optional[dict[str, str]] = None) -> ExperimentDiff:
    """`repeats_*`: metric name -> values of every evaluation of the same decisions as that side (itself
    included), for the noise; `directions`: metric name -> "higher" | "lower" where the caller knows better."""
    feature_changes = changes.explained_restatements(
        feature_diff.without_params_both_had(feature_diff.diff(a.features, b.features), a.model, b.model))
    unreached = _not_reached(a, b) | _not_reached(b, a)
    not_reached = [c for c in feature_changes if c.path in unreached]
    feature_changes = [c for c in feature_changes if c.path not in unreached]
    walked = walk(a.executions, b.executions, (a.model, b.model))
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
