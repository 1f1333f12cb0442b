"""A step written in a loop, in words: "filled missing values in `train` (for each `col` in `num_cols`)". Without it a
step that ran once per pass read as if it ran once (chili's fill of every numeric column, banana's ten splits per
`C`). Which loops a statement runs in is a Step field, `loops` (lineage/loops.py).

Said once for the clauses and lines under the same loops, one after the other: consecutive clauses of a sentence under
the same loops say them after the last of them ("fits ... and evaluates ... (for each `name` in `models`)"), and the
next lines of the same run under them "(in the same loop)" (banana's loop cell repeated "(for each `C` in `C_values`
and each `seed` in `range(10)`)" on each of its six lines and, in a sentence, after each of its clauses)."""

from __future__ import annotations

from typing import NamedTuple, Optional, Sequence

from ..protocol import StepLoop
from .words import code

MAX_LOOP_TEXT = 40  # a longer iterable as written (a list of twenty names) is left out: "for each `col`"
SAME_LOOP = " (in the same loop)"


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


class Clause(NamedTuple):
    """A clause of a sentence before its loops are said: what it says, the loops of its statement, and how many
    statements it stands for (statements that read the same are said once, counted)."""

    text: str
    loops: Sequence[StepLoop]
    statements: int = 1


class LoopNotes:
    """The loop notes of consecutive clauses and lines of one run, in the order they are said: a step's loops in full,
    unless the step said just before was in the same loops. A step in no loop ends the run; so does another run
    (`of_run`). A fresh one per line makes each line stand alone (a tree row of its own)."""

    def __init__(self) -> None:
        self._last: Optional[list[StepLoop]] = None
        self._run: Optional[int] = None

    def of_run(self, seq: int) -> "LoopNotes":
        """These notes for a line of the run `seq`: a line of another run than the last says its loops in full."""
        if seq != self._run:
            self._run, self._last = seq, None
        return self

    def say(self, clauses: Sequence[Clause]) -> list[str]:
        """The clauses of one sentence as said, in order: each run of them under the same loops with its loops after
        its last clause (in brackets: ", for each `col` in `cols` and filled ..." read as if the loop went on into the
        next clause); " (3 statements)" after that."""
        said = []
        for index, clause in enumerate(clauses):
            ends_run = index + 1 == len(clauses) or list(clauses[index + 1].loops) != list(clause.loops)
            note = self._note(clause.loops) if ends_run else ""
            count = f" ({clause.statements} statements)" if clause.statements > 1 else ""
            said.append(f"{clause.text}{note}{count}")
        return said

    def _note(self, loops: Sequence[StepLoop]) -> str:
        """" (for each `col` in `cols`)", " (in the same loop)" or '' for no loop."""
        same = bool(loops) and list(loops) == self._last
        self._last = list(loops) or None
        if not loops:
            return ""
        return SAME_LOOP if same else loop_words(loops)
