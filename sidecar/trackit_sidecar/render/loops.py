"""A step written in a loop, in words: "filled missing values in `train` (for each `col` in `num_cols`)". Without it a
step that ran once per pass read as if it ran once (chili's fill of every numeric column, banana's ten splits per
`C`). Which loops a statement runs in is a Step field, `loops` (lineage/loops.py)."""

from __future__ import annotations

from typing import Sequence

from ..protocol import Step, StepLoop
from .words import code

MAX_LOOP_TEXT = 40  # a longer iterable as written (a list of twenty names) is left out: "for each `col`"


def loop_words(loops: Sequence[StepLoop]) -> str:
    """" (for each `C` in `C_values` and each `seed` in `range(10)`)"; " (repeated in a `while` loop)". In brackets: in
    a list of clauses, ", for each `col` in `cols` and filled ..." read as if the loop went on into the next clause."""
    parts = []
    for loop in loops:
        if loop.target is None:
            parts.append("repeated in a `while` loop")
            continue
        over = f" in {code(loop.over)}" if loop.over and len(loop.over) <= MAX_LOOP_TEXT else ""
        parts.append(f"each {code(loop.target)}{over}")
    fors = [p for p in parts if p.startswith("each ")]
    said = ("for " + " and ".join(fors)) if fors else ""
    whiles = [p for p in parts if not p.startswith("each ")]
    return " (" + ", ".join(([said] if said else []) + whiles[:1]) + ")"


def step_loop_words(step: Step) -> str:
    """`loop_words` of the loops `step`'s statement is written in; '' when it is in none."""
    return loop_words(step.loops) if step.loops else ""
