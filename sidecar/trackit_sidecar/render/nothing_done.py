"""What a statement the kernel saw do nothing did instead, in words: a filter that kept every row, a fill that
filled no gap, an in-place call that changed a copy (lineage/runtime_decisions.py decides; this says it)."""

from __future__ import annotations

from ..lineage.kb import runtime as kb_runtime
from ..protocol import Step
from .phrase_parts import Say
from .words import code, short_code


# What a statement the kernel saw do nothing did instead (lineage/runtime_decisions.py), by the op it was written as
NOTHING_DONE_PHRASES: dict[str, str] = {**{op: "kept every row" for op in kb_runtime.ROW_REMOVING_OPS},
                                        **{op: "filled no missing value" for op in kb_runtime.FILLING_OPS}}


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
    what = f" with {code(snippet)}" if snippet else f" of {say.target}"
    # `#seq` as citations name an execution (render/answers.py)
    again = f" (a re-run: it started from the result of execution #{step.rerun_of} of this cell)" \
        if step.rerun_of is not None else ""
    return f"{nothing_done(step)}{what}{again}"
