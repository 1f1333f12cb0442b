"""Runtime effects measured in the kernel, as phrases ("891 \u2192 714 rows (\u2212177)")."""

from __future__ import annotations

from typing import Iterable, Optional

from ..lineage.kb.runtime import CONVERTING_OPS
from ..lineage.kb.sklearn import CROSS_VALIDATION_FUNCTIONS
from ..model_copies import updated
from ..protocol import ExecutionRecord, RuntimeFacts, Step
from .words import ARROW, MAX_LISTED, code, counted, join_clauses, names, signed


def shows_change(facts: Optional[RuntimeFacts]) -> bool:
    """True when the kernel measured an actual change (not just the size of an object it saw)."""
    if facts is None:
        return False
    pairs = [(facts.rows_before, facts.rows_after), (facts.cols_before, facts.cols_after),
             (facts.nulls_before, facts.nulls_after)]
    if any(b is not None and a is not None and b != a for b, a in pairs):
        return True
    return bool(facts.added_columns or facts.removed_columns or facts.dtype_changes)


def effect_phrases(facts: Optional[RuntimeFacts], op: str = "", stated_dtypes: Iterable[str] = ()) -> list[str]:
    """Row/column/dtype/null effects measured in the kernel, as short phrases.

    `stated_dtypes`: columns whose type change the sentence already says ("converted `Age` from str
    to float64"), left out here so it is not said twice.
    """
    if facts is None:
        return []
    effects: list[str] = []
    rb, ra = facts.rows_before, facts.rows_after
    cb, ca = facts.cols_before, facts.cols_after
    beside = op == "join" and bool(facts.before_variable) and (rb is not None or cb is not None)
    if beside:
        # measured against one of the tables joined: the result is not that table changed ("1,682 -> 100,000 rows
        # (+98,318)" reads as rows made up), so its shape is said with the input's beside it
        effects += _beside_the_input(facts)
    elif rb is None and cb is None and ra is not None and ca is not None:
        # a new object: its shape, the way pandas users read it
        effects.append(f"{counted(ra, 'row')} \u00d7 {counted(ca, 'column')}")
    else:
        if rb is not None and ra is not None:
            if rb == ra:
                effects.append(f"{counted(ra, 'row')} (unchanged)")
            else:
                effects.append(f"{rb:,} {ARROW} {ra:,} rows ({signed(ra - rb)})")
        elif ra is not None:
            effects.append(counted(ra, "row"))
        if cb is not None and ca is not None and cb != ca:
            effects.append(f"{cb:,} {ARROW} {ca:,} columns ({signed(ca - cb)})")
        elif ca is not None and cb is None:
            effects.append(counted(ca, "column"))
    if facts.added_columns and op != "encode_categorical":  # the encode sentence names them already
        effects.append("added " + names(facts.added_columns))
    if facts.removed_columns:
        effects.append("removed " + names(facts.removed_columns))
    stated = set(stated_dtypes)
    for column, change in list(facts.dtype_changes.items())[:MAX_LISTED]:
        if len(change) == 2 and column not in stated:
            effects.append(f"{code(column)} {change[0]} {ARROW} {change[1]}")
    nb, na = facts.nulls_before, facts.nulls_after
    if beside:
        if na:  # a join that leaves nothing missing says nothing of it
            effects.append(counted(na, "missing value") + (f" ({nb:,} in {code(facts.before_variable or '')})"
                                                       if nb is not None else ""))
    elif nb is not None and na is not None and nb != na:
        filled = _gaps_filled(facts) if op == "impute_missing" and na else ""
        unconverted = gaps_made_converting(facts, op)
        made = f" ({unconverted_values(unconverted)} did not convert)" if unconverted else ""
        effects.append(f"missing values {nb:,} {ARROW} {na:,}{_gaps_removed(facts)}{filled}{made}")
    elif op == "impute_missing" and nb is not None and nb == na and not facts.sampled:
        # a fill that found nothing to fill: without this, "Filled missing values in `Fare`" reads as if it did
        effects.append(f"missing values {na:,} (unchanged)" if na else "no missing values to fill")
    elif nb is None and na:
        effects.append(counted(na, "missing value"))
    if facts.sampled:
        effects.append("measured on a sample")
    return effects


def gaps_made_converting(facts: Optional[RuntimeFacts], op: str) -> list[tuple[str, int]]:
    """[("Age", 12)]: missing values a conversion made, by column: of each column whose type the step changed, how
    many more values are missing after it than before (kb.runtime.CONVERTING_OPS). Counted by column only: a frame's
    total could rise for another reason in the same cell."""
    if facts is None or op not in CONVERTING_OPS:
        return []
    before, after = facts.column_nulls_before, facts.column_nulls_after
    if before is None or after is None:  # no count by column (not a frame, or too many columns with gaps)
        return []
    return [(column, after.get(column, 0) - before.get(column, 0)) for column in facts.dtype_changes
            if after.get(column, 0) > before.get(column, 0)]


def unconverted_values(made: list[tuple[str, int]]) -> str:
    """"12 values of `Age`", "12 values of `Age` and 3 of `Fare`": what gaps_made_converting found, as a noun phrase."""
    listed = [f"{counted(made[0][1], 'value')} of {code(made[0][0])}"]
    listed += [f"{count:,} of {code(column)}" for column, count in made[1:MAX_LISTED]]
    return join_clauses(listed + (["more"] if len(made) > MAX_LISTED else []))


def _gaps_removed(facts: RuntimeFacts) -> str:
    """" (648 in removed `temp`)": the missing values that went with the columns removed, when counted by column. A
    cell that drops a column of gaps and fills the others has fewer in all whatever its fills did (chili)."""
    before = facts.column_nulls_before or {}
    gone = {column: before[column] for column in facts.removed_columns if before.get(column)}
    if not gone:
        return ""
    return f" ({sum(gone.values()):,} in removed {names(list(gone), count_total=False)})"


def _gaps_filled(facts: RuntimeFacts) -> str:
    """" (`Age` 177 → 0)": a fill's columns counted by column, when the table keeps gaps elsewhere. The table's total
    alone ("Filled missing values in `Age` of `train`: missing values 866 → 689", pydata-book ch12) read as if `Age`
    had had 866."""
    before, after = facts.column_nulls_before or {}, facts.column_nulls_after or {}
    fell = [(column, count, after.get(column, 0)) for column, count in before.items()
            if column not in facts.removed_columns and after.get(column, 0) < count]
    if not fell:
        return ""
    said = "; ".join(f"{code(column)} {was:,} {ARROW} {now:,}" for column, was, now in fell[:MAX_LISTED])
    return f" ({said}{'; ...' if len(fell) > MAX_LISTED else ''})"


def _beside_the_input(facts: RuntimeFacts) -> list[str]:
    """"100,000 rows (1,682 in `movies`)", "7 columns (5 in `movies`)": a join's result beside the input measured."""
    source = code(facts.before_variable or "")
    said = []
    for before, after, noun in ((facts.rows_before, facts.rows_after, "row"), (facts.cols_before, facts.cols_after,
                                                                               "column")):
        if after is not None:
            said.append(counted(after, noun) + (f" ({before:,} in {source})" if before is not None else ""))
    return said


def evaluation_of(e: ExecutionRecord, name: str) -> Optional[Step]:
    """The evaluation step of `e` that wrote `name` (its value is a metric: a score, scores, a confusion matrix)."""
    return next((s for s in e.steps if s.op == "evaluate" and name in (s.output, *s.outputs)), None)


def metric_value_size(facts: Optional[RuntimeFacts], function: Optional[str]) -> list[str]:
    """The size of a metric's value, the one wording of it everywhere (a step's effect, a graph node, a cell's
    history): a score array holds scores, one per fold for a cross-validation ("cross_val_score into `scores`: 4
    rows" read as a table); a matrix (a confusion matrix) is rows by columns, as a table's shape is said; a single
    score says nothing."""
    if facts is None or facts.rows_after is None:
        return []
    if facts.cols_after is not None:
        return [f"{counted(facts.rows_after, 'row')} \u00d7 {counted(facts.cols_after, 'column')}"]
    per_fold = ", one per fold" if function in CROSS_VALIDATION_FUNCTIONS else ""
    return [counted(facts.rows_after, "score") + per_fold]


def runtime_delta(facts: Optional[RuntimeFacts]) -> str:
    """'891 → 714 rows (−177); added `Fare`'; '' when nothing is known."""
    return "; ".join(effect_phrases(facts))


def without_before(facts: Optional[RuntimeFacts]) -> Optional[RuntimeFacts]:
    """The facts of a brand-new object: only its state after the cell.

    The kernel's "before" is whatever the name held before the cell ran. For a value the cell
    built afresh (a load, or `df = passengers.drop_duplicates()` run a second time) that is the
    previous, discarded value, and "889 → 891 rows (+2)" would describe nothing the code did.
    """
    if facts is None:
        return None
    return updated(facts, {"rows_before": None, "cols_before": None, "nulls_before": None,
                           "column_nulls_before": None, "added_columns": [], "removed_columns": [],
                           "dtype_changes": {}})


def split_outputs(step: Step) -> list[str]:
    if step.outputs:
        return list(step.outputs)
    return [step.output] if step.output else []


def measured_split_outputs(step: Step, facts: Iterable[RuntimeFacts]) -> list[tuple[str, RuntimeFacts]]:
    by_variable = {f.variable: f for f in facts if f.variable}
    if step.runtime is not None and step.runtime.variable:
        by_variable.setdefault(step.runtime.variable, step.runtime)
    return [(name, by_variable[name]) for name in split_outputs(step)
            if name in by_variable and by_variable[name].rows_after is not None]


def split_effects(step: Step, facts: Iterable[RuntimeFacts]) -> list[str]:
    """'889 rows → 666 in `X_train` and `y_train`, 223 in `X_test` and `y_test`' from the outputs' facts.

    Each size is said of the parts it was measured on, never as a change of one of them.
    """
    measured = measured_split_outputs(step, facts)
    if not measured:
        return []
    by_rows: dict[int, list[str]] = {}
    for name, fact in measured:
        by_rows.setdefault(fact.rows_after, []).append(name)  # type: ignore[arg-type]
    before = next((f.rows_before for _, f in measured if f.rows_before is not None), None)
    if before is None:  # no size to split from: each part's own size ("180 rows in `y_train`")
        return [", ".join(f"{counted(rows, 'row')} in {names(group_names, count_total=False)}"
                          for rows, group_names in by_rows.items())]
    parts = [f"{rows:,} in {names(group_names, count_total=False)}" for rows, group_names in by_rows.items()]
    return [f"{before:,} rows {ARROW} " + ", ".join(parts)]
