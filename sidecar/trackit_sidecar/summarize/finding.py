"""A problem found in a session (summarize/problems.py, join_problems.py), and the two places that say it: the
summary's Problems section (its line, citing the cells) and the hover of each cell it is about (its text, naming
the other cells). One home, so the two can never say different things."""

from __future__ import annotations

from dataclasses import dataclass

from ..protocol import ExecutionRecord
from .session_view import cell_number, cite


@dataclass(frozen=True)
class Finding:
    """`text` is the sentence without its citation; `records` the runs it is about (the summary cites their cells).
    `then`, when given, is said after the citation, with "{cells}" standing for the cells of `then_records`
    ("re-run {cells} and the cells after it ...")."""

    kind: str  # what was found: "failed", "re-run", "leakage", ... (a hover leaves out what its headline says)
    text: str
    records: tuple[ExecutionRecord, ...] = ()
    then: str = ""
    then_records: tuple[ExecutionRecord, ...] = ()
    # later runs of the same statement that found the same again: the summary says the first, a hover of the later
    # run's cell says it too
    repeats: tuple[ExecutionRecord, ...] = ()

    def line(self) -> str:
        """As the summary says it: "<text> [cells 12, 22]."""
        cited = f" {cite(self.records)}" if self.records else ""
        then = f"; {self.then.format(cells=cite(self.then_records))}" if self.then else ""
        return f"{self.text}{cited}{then}."

    def about(self, seq: int) -> bool:
        return any(rec.seq == seq for rec in self.records + self.repeats)

    def on_cell(self, rec: ExecutionRecord) -> str:
        """As the hover of `rec`'s cell says it: the other cells it involves named in words, "(with cell 22)"."""
        others = sorted({cell_number(r) for r in self.records} - {cell_number(rec)})
        with_cells = f" (with {_cells(others)})" if others else ""
        then = f"; {self.then.format(cells=_cells(sorted({cell_number(r) for r in self.then_records})))}" \
            if self.then else ""
        return f"{self.text}{with_cells}{then}."


def _cells(numbers: list[int]) -> str:
    """"cell 22", "cells 3 and 5", "cells 2, 3 and 5": cells named in words (a citation's brackets are the summary's)."""
    if len(numbers) == 1:
        return f"cell {numbers[0]}"
    return "cells " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"


def findings_on(findings: list[Finding], latest: ExecutionRecord, left_out: frozenset[str] = frozenset()
                ) -> list[str]:
    """What a cell's hover says of the session's findings: each that cites the cell's latest run `latest` (a finding
    about an earlier run of it, since re-run, is not about what the cell now holds), but for kinds in `left_out`."""
    return [found.on_cell(latest) for found in findings if found.kind not in left_out and found.about(latest.seq)]
