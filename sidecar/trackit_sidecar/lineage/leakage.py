"""Preprocessing that learned from rows a later split set apart for testing (train/test leakage). Pure: records in,
findings out; the summary's Problems say them (summarize/problems.py).

The session is walked in the order its executions ran. Each name carries the learning steps in its history
(kb/leakage.py: a fill with a statistic of the data, an estimator's `fit_transform`): a step's outputs carry what its
inputs carried, plus the step itself when it learns from the rows it changes; a name a cell wrote without a step
carries what the names it was computed from carried (ExecutionRecord.derivations). A split whose inputs carry a
learning step made a test set whose rows that step had learned from. A step fitted after the split, on the training
part, carries into no later split of the same data and is never named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..protocol import ExecutionRecord, Step
from .kb.leakage import FITTING_METHODS, LEARNED_STATISTICS, LEARNING_OPS
from .measured import written_names

_StepKey = tuple[int, int]  # (seq, index in the execution's steps)


@dataclass(frozen=True)
class LearnedBeforeSplit:
    """`step` of `learned` learned from every row it was given; `split_step` of `split` later set test rows apart from
    data that came from them."""

    learned: ExecutionRecord
    step: Step
    split: ExecutionRecord
    split_step: Step


def learns_from_rows(step: Step) -> bool:
    """The step computes something from the rows it changes (kb/leakage.py); a step in a function's body writes the
    function's locals and is left out, as everywhere in lineage."""
    if step.op not in LEARNING_OPS or step.in_function:
        return False
    return step.statistic in LEARNED_STATISTICS or step.method in FITTING_METHODS


def learned_before_split(executions: Iterable[ExecutionRecord]) -> list[LearnedBeforeSplit]:
    """Each learning step that a later split's inputs came from, once (with the first split it reached), in the order
    the learning steps ran."""
    carried: dict[str, frozenset[_StepKey]] = {}
    steps: dict[_StepKey, tuple[ExecutionRecord, Step]] = {}
    found: dict[tuple, LearnedBeforeSplit] = {}
    for execution in sorted(executions, key=lambda e: e.seq):
        written = set(written_names(execution))
        if not written:
            continue
        local: dict[str, frozenset[_StepKey]] = {}

        def held(name: str) -> frozenset[_StepKey]:
            return local.get(name, carried.get(name, frozenset()))

        ordered = sorted(enumerate(execution.steps), key=lambda pair: (pair[1].line or 0, pair[0]))
        for index, step in ordered:
            if step.in_function:
                continue
            came = frozenset().union(*(held(name) for name in step.inputs))
            if step.op == "split":
                for key in sorted(came):
                    learned, learning_step = steps[key]
                    # the same statement re-run is one finding
                    same = (learned.cell_index, learning_step.line, learning_step.code)
                    found.setdefault(same, LearnedBeforeSplit(learned, learning_step, execution, step))
            if learns_from_rows(step):
                steps[(execution.seq, index)] = (execution, step)
                came = came | {(execution.seq, index)}
            for name in {step.output, *step.outputs} - {None}:
                local[name] = came
        for name, sources in execution.derivations.items():
            if name not in local:  # written by no step: it carries what it was computed from
                local[name] = frozenset().union(*(held(source) for source in sources))
        carried.update({name: keys for name, keys in local.items() if name in written})
    return sorted(found.values(), key=lambda f: (f.learned.seq, f.step.line or 0))


__all__ = ["LearnedBeforeSplit", "learned_before_split", "learns_from_rows"]
