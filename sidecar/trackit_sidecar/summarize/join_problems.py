"""The summary's Problems about joins, read from the kernel's facts: a join that repeated rows of its left table, a
left join whose rows matched nothing (their new columns are missing), and a merge that dropped such rows because it
was an inner join by default. Nothing in the notebook shows any of them."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from ..lineage.kb.runtime import DEFAULT_JOIN_HOW, ROW_MATCHING_HOWS, ROW_MATCHING_JOINS
from ..protocol import ExecutionRecord, RuntimeFacts, Step
from ..render.words import code, counted, names, short_code
from .finding import Finding
from .session_view import SessionView

MAX_LISTED_JOINS = 12


def join_problems(view: SessionView) -> list[Finding]:
    """One finding per statement and kind (a re-run that does the same again is the same finding: the first run's,
    with the later runs as its repeats)."""
    lines: dict[tuple, Finding] = {}
    for rec in view.executions:
        for index, step in enumerate(rec.steps):
            facts = step.runtime
            if (step.op != "join" or step.method not in ROW_MATCHING_JOINS or len(step.inputs) < 2 or facts is None
                    or facts.rows_before is None or facts.rows_after is None):
                continue
            left, right = step.inputs[0], step.inputs[1]
            if (facts.before_variable or facts.variable) != left:  # rows_before counts another table's rows
                continue
            for kind, line in _findings(view, rec, index, step, facts, left, right):
                key = (rec.cell_id, step.line, step.code, kind)
                first = lines.get(key)
                lines[key] = Finding(f"join {kind}", line, (rec,)) if first is None \
                    else replace(first, repeats=first.repeats + (rec,))
    return list(lines.values())[:MAX_LISTED_JOINS]


def _findings(view: SessionView, rec: ExecutionRecord, index: int, step: Step, facts: RuntimeFacts, left: str,
              right: str) -> list[tuple[str, str]]:
    """(kind, line) of each finding: a left join can both repeat some rows and match nothing for others."""
    found = []
    written = code(short_code(step) or step.code or "")
    said_how = step.params.get("how")
    how = said_how or DEFAULT_JOIN_HOW.get((_library(facts), step.method))
    if said_how in ROW_MATCHING_HOWS and "validate" not in step.params and facts.rows_after > facts.rows_before:
        # validate= asked pandas / polars to check the keys: then it was meant, or it raised
        found.append(("repeated", f"{written} gave {facts.rows_after:,} rows from the {facts.rows_before:,} of "
                      f"{code(left)}: some keys match more than one row of {code(right)}, so rows of {code(left)} were "
                      f"repeated"))
    if how == "left":
        unmatched = _rows_that_matched_nothing(view, rec, index, facts, right)
        if unmatched:
            are = "is" if len(facts.added_columns) == 1 else "are"
            found.append(("unmatched", f"{written} found no row of {code(right)} for {unmatched:,} of the "
                          f"{facts.rows_before:,} rows of {code(left)}: their {names(facts.added_columns)} {are} "
                          f"missing"))
    if how == "inner" and said_how is None and facts.rows_after < facts.rows_before:
        found.append(("dropped", f"{written} gave {facts.rows_after:,} rows from the {facts.rows_before:,} of "
                      f"{code(left)}: rows of {code(left)} that matched no row of {code(right)} were dropped, since "
                      f"{code(step.method)} is an inner join unless `how=` says otherwise"))
    return found


def _rows_that_matched_nothing(view: SessionView, rec: ExecutionRecord, index: int, facts: RuntimeFacts,
                               right: str) -> int:
    """How many rows of the left table a left join matched to nothing: each such row has every new column missing.
    Told only when the right table had no gaps when it was last measured, so no gap came with a matched row, and every
    new column has the same count (a column renamed with a suffix carries the left table's own gaps: they differ)."""
    if not facts.added_columns or facts.column_nulls_after is None:
        return 0
    measured = _last_measured(view, rec, index, right)
    if measured is None or measured.column_nulls_after != {}:
        return 0
    counts = {facts.column_nulls_after.get(column, 0) for column in facts.added_columns}
    return counts.pop() if len(counts) == 1 else 0


def _last_measured(view: SessionView, rec: ExecutionRecord, index: int, variable: str) -> Optional[RuntimeFacts]:
    """The kernel's latest facts of `variable` as a table written before the join: in earlier executions, then in
    the steps before the join in its own."""
    before = [step for past in view.executions if past.seq < rec.seq for step in past.steps] + rec.steps[:index]
    return next((step.runtime for step in reversed(before) if step.runtime is not None
                 and step.runtime.variable == variable and not step.runtime.displayed), None)


def _library(facts: RuntimeFacts) -> str:
    return "polars" if (facts.kind or "").startswith("polars.") else "pandas"
