"""Preprocessing that learned from rows a later split set apart for testing (train/test leakage), or that a later
cross-validation scores on (leakage across folds). Pure: records in, findings out; the summary's Problems say them
(summarize/problems.py).

The session is walked in the order its executions ran. Each name carries the learning steps in its history
(kb/leakage.py): a step's outputs carry what its inputs carried, plus the step itself when it learned from the rows it
changes; a name a cell wrote without a step carries what the names it was computed from carried
(ExecutionRecord.derivations). A step learns from the rows it changes in its own statement (a fill with a statistic of
the data, an estimator's `fit_transform` or `fit(X).transform(X)`), or applies what an earlier statement learned from
those same rows (`Step.learned_by`: `scaler.fit(X)` then `scaler.transform(X)`, `m = df["Age"].median()` then
`fillna(m)`): the name is followed to the execution that last wrote it, and the data it was computed from there must
be one of the step's inputs, not bound anew since. A split whose inputs carry a learning step made a test set whose
rows that step had learned from; so did a cross-validation (`Step.cross_validated`) for each fold's test rows. A step fitted after the
split, on the training part, carries into no later split of the same data and is never named.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Optional

from ..protocol import ExecutionRecord, Step
from .kb.leakage import FITTING_METHODS, LEARNED_STATISTICS, LEARNING_OPS
from .measured import written_names

_StepKey = tuple[int, int]  # (seq, index in the execution's steps)


@dataclass(frozen=True)
class LearnedBeforeSplit:
    """`step` of `learned` learned from every row it was given; `split_step` of `split` later set test rows apart from
    data that came from them (a split, or a cross-validation's folds: `split_step.cross_validated`). A step that
    applies what an earlier statement learned (`step.learned_by`) has that statement's execution as `computed`, and
    the data it learned from as `learned_from`."""

    learned: ExecutionRecord
    step: Step
    split: ExecutionRecord
    split_step: Step
    computed: Optional[ExecutionRecord] = None
    learned_from: tuple[str, ...] = ()
    # later runs of the same statements that learned and split again (a Run All done twice): the finding is theirs too
    repeats: tuple[ExecutionRecord, ...] = ()


@dataclass(frozen=True)
class _Computed:
    """What a statement learned, held by a name: the execution that wrote it, the names it was computed from, and
    which execution had bound each of them anew by then."""

    execution: ExecutionRecord
    sources: frozenset[str]
    bound_at: dict[str, Optional[int]]


def learns_from_rows(step: Step) -> bool:
    """The step computes something from the rows it changes in its own statement (kb/leakage.py), also by a fit
    chained before its transform (`StandardScaler().fit(X).transform(X)`: Step.fitted_on); a step in a function's body
    writes the function's locals and is left out, as everywhere in lineage. A step that applies what an earlier
    statement learned (`learned_by`) is decided by that statement's data (learned_before_split)."""
    if step.op not in LEARNING_OPS or step.in_function or step.learned_by:
        return False
    return step.statistic in LEARNED_STATISTICS or step.method in FITTING_METHODS \
        or bool(set(step.fitted_on) & set(step.inputs))


def _sets_apart(step: Step) -> bool:
    return step.op == "split" or step.cross_validated


def learned_before_split(executions: Iterable[ExecutionRecord]) -> list[LearnedBeforeSplit]:
    """Each learning step that a later split's or cross-validation's inputs came from, once (with the first it
    reached), in the order the learning steps ran."""
    carried: dict[str, frozenset[_StepKey]] = {}
    bound_at: dict[str, Optional[int]] = {}  # name -> seq of the execution that bound it to a value not made from it
    computed_by: dict[str, _Computed] = {}
    steps: dict[_StepKey, tuple[ExecutionRecord, Step, Optional[_Computed], tuple[str, ...]]] = {}
    found: dict[tuple, LearnedBeforeSplit] = {}
    for execution in sorted(executions, key=lambda e: e.seq):
        written = set(written_names(execution))
        if not written:
            continue
        # what the names are bound to once this execution ran: a name written from itself (`df["a"] = ...`,
        # `scaler.fit(X)`) holds the same rows or object; one written from other names only is bound anew
        bound_now = dict(bound_at)
        for name in written:
            if name not in execution.derivations.get(name, ()):
                bound_now[name] = execution.seq
        here = {name: _Computed(execution, frozenset(sources) - {name},
                                {source: bound_now.get(source) for source in sources})
                for name, sources in execution.derivations.items() if name in written}
        local: dict[str, frozenset[_StepKey]] = {}

        def held(name: str) -> frozenset[_StepKey]:
            return local.get(name, carried.get(name, frozenset()))

        ordered = sorted(enumerate(execution.steps), key=lambda pair: (pair[1].line or 0, pair[0]))
        for index, step in ordered:
            if step.in_function:
                continue
            came = frozenset().union(*(held(name) for name in step.inputs))
            if _sets_apart(step):
                for key in sorted(came):
                    learned, learning_step, computed, learned_from = steps[key]
                    # the same statement re-run is one finding, the first; its later runs are its repeats
                    same = (learned.cell_index, learning_step.line, learning_step.code)
                    runs = (learned, execution) + ((computed.execution,) if computed else ())
                    first = found.get(same)
                    if first is None:
                        found[same] = LearnedBeforeSplit(learned, learning_step, execution, step,
                                                         computed.execution if computed else None, learned_from)
                    else:
                        known = {r.seq for r in (first.learned, first.split, first.computed, *first.repeats) if r}
                        found[same] = replace(first, repeats=first.repeats + tuple(
                            {r.seq: r for r in runs if r.seq not in known}.values()))
            applied = _applied_from_these_rows(step, here.get(step.learned_by or "") or computed_by.get(
                step.learned_by or ""), bound_now)
            if learns_from_rows(step) or applied:
                computed, learned_from = applied or (None, ())
                steps[(execution.seq, index)] = (execution, step, computed, learned_from)
                came = came | {(execution.seq, index)}
            for name in {step.output, *step.outputs} - {None}:
                local[name] = came
        for name, sources in execution.derivations.items():
            if name not in local:  # written by no step: it carries what it was computed from
                local[name] = frozenset().union(*(held(source) for source in sources))
        carried.update({name: keys for name, keys in local.items() if name in written})
        bound_at = bound_now
        computed_by.update(here)
    return sorted(found.values(), key=lambda f: (f.learned.seq, f.step.line or 0))


def _applied_from_these_rows(step: Step, computed: Optional[_Computed], bound_now: dict[str, Optional[int]]
                             ) -> Optional[tuple[_Computed, tuple[str, ...]]]:
    """A step that applies what its `learned_by` name holds, to rows that name was computed from (the same names,
    not bound anew since): that computation and those names; None otherwise (fitted on other data, or on a part of
    it a split made, or never seen computed)."""
    if not step.learned_by or step.op not in LEARNING_OPS or step.in_function or computed is None:
        return None
    if step.statistic not in LEARNED_STATISTICS and step.method != "transform":
        return None
    same = tuple(name for name in step.inputs
                 if name in computed.sources and computed.bound_at.get(name) == bound_now.get(name))
    return (computed, same) if same else None


__all__ = ["LearnedBeforeSplit", "learned_before_split", "learns_from_rows"]
