"""The first divergent step of a diff and its cause in words: the step (where it ran, what it did), what was
measured to differ there, the cause, and a note when a side scored a model fitted before its data changed. Pure."""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

from ..compare.kb import RESTATED_LEAVES
from ..experiments.feature_diff import is_outcome, split_path
from ..protocol import Cause, Divergence, ExperimentDiff, FactChange, StepRef
from .defined import as_defined
from .diff_values import change, data_change_line, feature_line, seed_change_line, value, value_change_line
from .phrases import step_phrase
from .refits import fitted_before
from .words import ARROW, capitalise, code, names

RESTATED = RESTATED_LEAVES  # feature-tree leaves that restate a step's statement rather than name a decision


def where(ref: StepRef) -> str:
    """"cell 12 [6]" (1-based position, execution count as Jupyter shows it)."""
    count = f" [{ref.execution_count}]" if ref.execution_count is not None else ""
    return f"cell {ref.cell_index + 1}{count}"


def step_label(ref: StepRef, derivations: Mapping[str, Sequence[str]] = {}) -> str:
    """`derivations`: the step's execution's (a function the cell defines and calls is said to be called, as the tree,
    hovers and summary say it: render/defined.py)."""
    if ref.step is not None:
        said = step_phrase(ref.step)
        what = capitalise(as_defined(ref.step.in_function, [said], derivations) if ref.step.in_function else said)
    elif ref.variable:
        what = f"Wrote {code(ref.variable)}"
    else:
        what = "Ran"
    return f"{what} ({where(ref)}, #{ref.seq})"


COUNTED_FACTS = ("rows", "cols", "nulls")


FACT_WORDS = {"rows": "rows", "cols": "columns", "nulls": "missing values", "kind": "type",
              "input_file": "input file sha256", "model_state": "fitted model state sha256", "params": "parameters",
              "code": "code"}


def fact_change(c: FactChange, a: str = "A", b: str = "B", source: str = "its input") -> str:
    """`source`: what the step read ("`df`"), whose columns a step's output added or left out (the kernel measures
    them against the step's input): "columns removed [y] → [x2, y]" did not say whose, nor that each list is a side's."""
    if c.fact in ("columns_added", "columns_removed"):
        what = f"columns added to {source}" if c.fact == "columns_added" else f"columns of {source} left out"
        return f"{what}: {value(c.a) if c.a else 'none'} in {a}, {value(c.b) if c.b else 'none'} in {b}"
    if c.fact == "dtypes":
        return f"type changes {value(c.a)} {ARROW} {value(c.b)}"
    if c.fact == "fingerprint":
        return "values differ (fingerprint)"
    if c.fact in ("input_file", "model_state"):
        return f"{FACT_WORDS[c.fact]} {str(c.a)[:12]} {ARROW} {str(c.b)[:12]}"
    if c.fact in COUNTED_FACTS:  # as the tree says them: "2,083 → 2,038", not "2083 → 2038"
        return f"{FACT_WORDS[c.fact]} {c.a:,} {ARROW} {c.b:,}"
    return f"{FACT_WORDS.get(c.fact, c.fact)} {change(c.a, c.b)}"


Derivations = Mapping[int, Mapping[str, Sequence[str]]]  # seq -> that execution's derivations, of one side


def measured_differences(differences: list[FactChange], a: str, b: str, source: str) -> str:
    """Each difference once, and, when the step's variables differ in different ways, whose: a split's "rows 800 → 700;
    values differ (fingerprint); rows 200 → 300" did not say which parts had 800 and which 200 rows."""
    said: dict[str, list[str]] = {}  # a difference in words -> the variables it was measured on
    for c in differences:
        if c.fact != "code":
            variables = said.setdefault(fact_change(c, a, b, source), [])
            variables += [v for v in c.variables if v not in variables]
    if len({tuple(variables) for variables in said.values()}) < 2:
        return "; ".join(said)
    return "; ".join(f"{names(variables, count_total=False)}: {text}" if variables else text
                     for text, variables in said.items())


def divergence_label(d: Divergence, a: str, b: str, derivations: tuple[Derivations, Derivations] = ({}, {})) -> str:
    """`derivations`: each side's (step_label); a side's seqs are its notebook's."""
    if d.kind in ("only_a", "only_b"):
        ref, side = (d.a, derivations[0]) if d.kind == "only_a" else (d.b, derivations[1])
        said = step_label(ref, side.get(ref.seq, {}))  # type: ignore[union-attr]
        stopped = d.cause.stopped_at_cell_index
        if stopped is not None:  # the other run stopped at an error before it: not a step it left out
            other = b if d.kind == "only_a" else a
            return f"a step {other} did not reach (it stopped at the error in cell {stopped + 1}): {said}"
        return f"a step ran only in {a if d.kind == 'only_a' else b}: {said}"
    ref, side = (d.b, derivations[1]) if d.b is not None else (d.a, derivations[0])
    source = code(ref.step.inputs[0]) if ref.step is not None and ref.step.inputs else "its input"  # type: ignore
    what = measured_differences(d.differences, a, b, source)
    if d.kind == "decision":
        what = "no measured data to compare; its code or parameters differ"
    elif d.kind == "model":
        what = f"the fitted model differs ({what})"
    return f"{step_label(ref, side.get(ref.seq, {}))}: {what}"  # type: ignore[union-attr]


def _cell(cause: Cause) -> str:
    return f"cell {cause.cell_index + 1}" if cause.cell_index is not None else "a cell"


def cause_label(cause: Cause, a: str, b: str) -> str:
    kind = cause.kind
    if kind == "feature":
        # the decision itself (a strategy, a threshold, a parameter) before the statement's text that carries it
        named = [c for c in cause.feature_changes if split_path(c.path)[-1] not in RESTATED] or cause.feature_changes
        decisions = "; ".join(feature_line(c) for c in named[:3])
        more = len(named) - 3
        return f"a decision changed in {_cell(cause)}: {decisions}" + (f" (and {more} more)" if more > 0 else "")
    if kind == "code":
        return f"the code of {_cell(cause)} changed (no recorded decision names it)"
    if kind in ("cell_only_a", "cell_only_b") and cause.stopped_at_cell_index is not None:
        # "cell 30 ran only in run 2" read as a cell added; run 1 had stopped at an error before it
        return (f"{b if kind == 'cell_only_a' else a} stopped at the error in cell {cause.stopped_at_cell_index + 1} "
                f"before reaching {_cell(cause)}")
    if kind == "cell_only_a":
        return f"{_cell(cause)} ran only in {a}"
    if kind == "cell_only_b":
        return f"{_cell(cause)} ran only in {b}"
    if kind == "data":
        if not cause.data:
            return f"the data {_cell(cause)} read changed (same code; its file is not recorded, e.g. a computed path)"
        return "the input data changed: " + "; ".join(data_change_line(c) for c in cause.data)
    if kind == "seed":
        seeds = "; ".join(seed_change_line(c, a, b) for c in cause.seeds)
        if cause.cell_index is not None:
            return f"a different seed in {_cell(cause)}" + (f": {seeds}" if seeds else "")
        return f"a different seed: {seeds}"
    if kind == "package":
        return "package versions differ: " + "; ".join(value_change_line(c) for c in cause.packages[:5])
    if kind == "environment":
        return "the environment differs: " + "; ".join(value_change_line(c) for c in cause.environment[:5])
    return ("nothing recorded differs (same code, inputs, seeds and packages): state from outside the slice, an "
            "unseeded random generator or a file no load step names")


def other_decisions(diff: ExperimentDiff) -> Optional[str]:
    """The decisions that changed besides the cause's, when the cause is one: the bundled example with its `Age` fill
    and the model's C both edited, `ask "why did accuracy drop?"` named the fill alone, as if it explained the whole
    move; the walk stops at the first divergent step, and nothing recorded splits a move between two edits."""
    div = diff.divergence
    if div is None or not any(m.delta for m in diff.metrics):  # no metric of both sides moved: nothing to split
        return None
    said = {(c.path, repr(c.before), repr(c.after)) for c in div.cause.feature_changes}
    others = [c for c in diff.feature_changes if split_path(c.path)[-1] not in RESTATED and not is_outcome(c.path)
              and (c.path, repr(c.before), repr(c.after)) not in said]
    if not others:
        return None
    listed = "; ".join(feature_line(c) for c in others[:3])
    more = f" (and {len(others) - 3} more)" if len(others) > 3 else ""
    return f"{listed}{more}; with more than one decision changed, the records do not say how much of the difference each made"


def model_note(diff: ExperimentDiff) -> Optional[str]:
    """A side whose model was fitted before its training data was written again (heart-disease: the split re-run with
    test_size 0.3, the 0.2 split's model scored on the new test rows): "cause: split.test_size 0.2 → 0.3" alone read
    as the effect of test_size on a model trained with it, while that side's metric is an older model's."""
    stale = [side for side in (diff.a, diff.b) if side.model_fitted_before is not None]
    if not stale:
        return None
    said = "; ".join(f"{side.ref}'s model was {fitted_before(side.model_fitted_before)}"  # type: ignore[arg-type]
                     for side in stale)
    scored = " and ".join(side.ref for side in stale)
    if diff.divergence is None:
        return f"{said}. {scored} scored a model fitted before its data was written again"
    return (f"{said}. The metrics did not move with the change alone: {scored} scored the model fitted before it, "
            f"not one refitted after it")
