"""What a statement the kernel saw do nothing did instead, in words: a filter that kept every row, a fill that
filled no gap, an in-place call that changed a copy (lineage/runtime_decisions.py decides; this says it)."""

from __future__ import annotations

from ..lineage.kb import runtime as kb_runtime
from ..protocol import Step
from .phrase_parts import Say
from .words import code, names, short_code


# What a statement the kernel saw do nothing did instead (lineage/runtime_decisions.py), by the op it was written as
NOTHING_DONE_PHRASES: dict[str, str] = {**{op: "kept every row" for op in kb_runtime.ROW_REMOVING_OPS},
                                        **{op: "filled no missing value" for op in kb_runtime.FILLING_OPS}}


# a fill whose table the kernel counted no missing value in, before or after: there was nothing to fill, and the
# sentence says so itself ("found no missing value to fill in `Fare` of `df`"), not again among its effects
NOTHING_TO_FILL = "found no missing value to fill"


def found_nothing_to_fill(step: Step) -> bool:
    """A fill the kernel saw fill nothing because its table had no gap (not one that left its gaps)."""
    facts = step.runtime
    return (step.static_op in kb_runtime.FILLING_OPS and not step.written_to_a_copy and facts is not None
            and facts.nulls_before == 0 and facts.nulls_after == 0 and not facts.sampled)


# what an in-place call pandas warned never updates its table did (Step.written_to_a_copy)
COPY_WRITTEN = "its in-place call changed a copy; pandas warned ChainedAssignmentError"


def nothing_done(step: Step) -> str:
    """"kept every row" / "filled no missing value": what a step decided `other` by the kernel did (`static_op`);
    "changed a copy, not the table" for an in-place call pandas warned never updates it (`written_to_a_copy`)."""
    if step.written_to_a_copy:
        return f"changed nothing ({COPY_WRITTEN})"
    return NOTHING_DONE_PHRASES[step.static_op or ""]


def did_nothing(step: Step, say: Say) -> str:
    """A statement written to remove rows or fill gaps that the kernel saw remove or fill none: not that step."""
    snippet = short_code(step)
    if step.written_to_a_copy:  # "changed nothing in `cm_df` with `cm_df.Pred.replace(...)` (its in-place call ...)"
        return f"changed nothing in {say.target}{f' with {code(snippet)}' if snippet else ''} ({COPY_WRITTEN})"
    # the columns it was to fill name what it did not do; the statement only when they are not known (a loop's `col`)
    if step.static_op in kb_runtime.FILLING_OPS and step.columns and say.with_target:
        what = f" in {names(step.columns)} of {say.target}"
    else:
        what = f" with {code(snippet)}" if snippet else f" of {say.target}"
    # `#seq` as citations name an execution (render/answers.py)
    again = f" (a re-run: it started from the result of execution #{step.rerun_of} of this cell)" \
        if step.rerun_of is not None else ""
    done = NOTHING_TO_FILL if found_nothing_to_fill(step) else nothing_done(step)
    return f"{done}{what}{again}"
