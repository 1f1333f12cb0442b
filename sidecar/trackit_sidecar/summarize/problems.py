"""The summary's "Problems" section: failures, re-runs, changes applied twice, out-of-order runs,
changed inputs, fills that left the gaps they were written to fill, conversions that made values missing, joins that
repeated, dropped or left unmatched rows (join_problems.py), preprocessing that learned from rows a later split set
apart for testing (or a cross-validation scored on), stale final values and code that could not be analysed."""

from __future__ import annotations

from typing import Optional

from ..lineage.leakage import learned_before_split
from ..lineage.measured import read_names, written_names
from ..protocol import ExecutionRecord, LineageDocument
from ..render.effects import gaps_made_converting, unconverted_values
from ..render.phrases import gaps_left_words
from ..render.sentences import outcome_note
from ..lineage.kb.runtime import FILLING_OPS
from ..render.words import code, counted, names, short_code
from .bullets import times
from .data_sources import input_files_shown, notebook_dir_of
from .finding import Finding
from .join_problems import join_problems
from .session_view import SessionView, cell_number, described_records, latest_session, out_of_order_pairs

MAX_LISTED_PROBLEMS = 12


def _reruns(view: SessionView) -> list[Finding]:
    """The "Re-runs" findings: which cells ran more than once and which of their runs the summary describes.

    Cells re-run unchanged whose earlier runs no longer matter (the usual Run All twice) are one
    line; a cell edited between runs, or whose earlier run is still in use, gets its own line.
    """
    described = {r.seq for r in described_records(view)}
    reran = sorted((runs for runs in view.runs_per_cell.values() if len(runs) > 1), key=lambda runs: runs[0].seq)
    plain: dict[int, list[list[ExecutionRecord]]] = {}  # run count -> cells re-run unchanged, earlier runs superseded
    special: list[list[ExecutionRecord]] = []
    for runs in reran:
        edited = len({r.source_sha256 for r in runs}) > 1
        if not edited and not any(r.seq in described for r in runs[:-1]):
            plain.setdefault(len(runs), []).append(runs)
        else:
            special.append(runs)
    lines: list[Finding] = []
    listed: list[list[ExecutionRecord]] = []
    for count, group in plain.items():
        if len(group) >= 3:
            cells = [runs[-1] for runs in group]
            numbers = [str(cell_number(r)) for r in cells]
            lines.append(Finding("re-run", f"Cells {', '.join(numbers[:-1])} and {numbers[-1]} each ran {times(count)} "
                                 f"with the same code; only the latest run of each is described here", tuple(cells)))
        else:
            listed += group
    listed += special
    listed.sort(key=lambda runs: runs[0].seq)
    for runs in listed[:MAX_LISTED_PROBLEMS]:
        counts = [str(r.execution_count) for r in runs if r.execution_count is not None]
        at = f" (execution counts {', '.join(counts)})" if counts else ""
        edited = ", with its code edited in between" if len({r.source_sha256 for r in runs}) > 1 else ""
        kept = [r for r in runs[:-1] if r.seq in described]
        if kept:
            which = ", ".join(f"In [{r.execution_count}]" if r.execution_count is not None else "an earlier run"
                              for r in kept)
            what = f"; the earlier run ({which}) is described too, because what it produced is still in use"
        else:
            latest = runs[-1]
            when = f" (In [{latest.execution_count}])" if latest.execution_count is not None else ""
            what = f"; only the latest run{when} is described"
        lines.append(Finding("re-run", f"Cell {cell_number(runs[0])} was run {len(runs)} times{at}{edited}{what}",
                             tuple(runs[:1])))
    if len(listed) > MAX_LISTED_PROBLEMS:
        lines.append(Finding("re-run", "Further cells were re-run as well; see the cell history"))
    return lines


def applied_twice(view: SessionView) -> list[tuple[ExecutionRecord, ExecutionRecord, list[str]]]:
    """(run, the same cell's previous run, names) where a run changed the values its own previous run left.

    `df["x"] *= 2` or `df = df.dropna()` read what they write: run again without re-running the
    cells above, they work on their own earlier result, so the change is applied once more.
    """
    found = []
    last_writer: dict[str, ExecutionRecord] = {}
    for rec in view.executions:
        writes = written_names(rec)
        again = [name for name in read_names(rec) if name in writes and name in last_writer
                 and last_writer[name].cell_id == rec.cell_id]
        if again:
            found.append((rec, last_writer[again[0]], again))
        for name in writes:
            last_writer[name] = rec
    return found


def _jump_back(view: SessionView, rec: ExecutionRecord, prev: ExecutionRecord, again: str) -> Finding:
    """A jump back up the notebook, said plainly when it starts a re-run of the previous pass.

    "Run All" done again jumps from the last cell to the first; that repeats the earlier pass in
    order and is not the out-of-order hazard. It counts as a re-run only when the cell jumped to
    ran in the previous pass and every cell that pass ran from there on runs again, in order.
    """
    start = view.executions.index(rec)
    previous_pass: list[int] = []
    for earlier in reversed(view.executions[:start]):
        if previous_pass and earlier.cell_index >= previous_pass[-1]:
            break
        previous_pass.append(earlier.cell_index)
    next_pass = [rec.cell_index]
    for later in view.executions[start + 1:]:
        if later.cell_index < next_pass[-1]:
            break
        next_pass.append(later.cell_index)
    repeated = {i for i in previous_pass if i >= rec.cell_index}
    if rec.cell_index in previous_pass and repeated <= set(next_pass):
        return Finding("re-run", f"Cell {cell_number(rec)} ran after cell {cell_number(prev)}: the notebook was run "
                       f"again from cell {cell_number(rec)} down to cell {cell_number(prev)} in order{again}", (rec, prev))
    return Finding("out of order", f"Cell {cell_number(rec)} ran after cell {cell_number(prev)}, out of notebook "
                   f"order{again}", (rec, prev))


def problems(view: SessionView, notebook_dir: Optional[str] = None) -> list[str]:
    """The summary's Problems section, a line each."""
    return [found.line() for found in session_findings(view, notebook_dir)]


def session_problems(doc: LineageDocument, session: int) -> list[Finding]:
    """The findings of one session of `doc` (linked), as for a summary of it: what a cell's hover reads."""
    runs = [e for e in doc.executions if e.session == session]
    view = latest_session(LineageDocument.model_construct(notebook=doc.notebook, notebook_uri=doc.notebook_uri,
                                                          sessions=[], executions=runs, experiments=[]))
    return session_findings(view, notebook_dir_of(doc.notebook))


def session_findings(view: SessionView, notebook_dir: Optional[str] = None) -> list[Finding]:
    """Every problem found in the session, in the order the summary lists them. Pure: reads the whole session."""
    lines: list[Finding] = []
    for rec in view.executions:
        note = outcome_note(rec)
        after = f"; {note}" if note and rec.status == "error" else ""
        if rec.status == "error":
            name = rec.error.name if rec.error and rec.error.name else "an error"
            message = f": {rec.error.message.strip().splitlines()[0]}" if rec.error and rec.error.message and rec.error.message.strip() else ""
            count = f" (In [{rec.execution_count}])" if rec.execution_count is not None else ""
            lines.append(Finding("failed", f"Cell {cell_number(rec)}{count} failed with {name}{message}{after}", (rec,)))
        elif rec.status == "cancelled" and rec.execution_count is None:
            lines.append(Finding("cancelled", f"Cell {cell_number(rec)} was cancelled before it ran", (rec,)))
        elif rec.status == "cancelled":
            partial = f"; {note}" if note else ""
            lines.append(Finding("cancelled", f"Cell {cell_number(rec)} (In [{rec.execution_count}]) was interrupted "
                                 f"before it finished{partial}", (rec,)))
    lines += _reruns(view)
    for rec, previous, twice in applied_twice(view)[:MAX_LISTED_PROBLEMS]:
        now = f" (In [{rec.execution_count}])" if rec.execution_count is not None else ""
        before = f" (In [{previous.execution_count}])" if previous.execution_count is not None else ""
        lines.append(Finding("applied twice", f"Cell {cell_number(rec)}{now} ran again on the "
                             f"{names(twice, count_total=False)} its previous run{before} had already changed, so its "
                             f"change was applied twice", (rec,)))
    pairs = out_of_order_pairs(view)
    # the same jump back (cell 40 -> cell 1 in a loop of reruns) is one finding, not one per repeat
    distinct: dict[tuple[int, int], list[tuple[ExecutionRecord, ExecutionRecord]]] = {}
    for rec, prev in pairs:
        distinct.setdefault((cell_number(rec), cell_number(prev)), []).append((rec, prev))
    for found in list(distinct.values())[:MAX_LISTED_PROBLEMS]:
        again = ", repeatedly" if len(found) > 1 else ""
        lines.append(_jump_back(view, found[0][0], found[0][1], again))
    if len(distinct) > MAX_LISTED_PROBLEMS:
        lines.append(Finding("out of order", "The notebook was run out of order further times; a top-to-bottom rerun "
                             "may give different results"))
    changed: set[str] = set()
    for rec in view.executions:
        for shown in input_files_shown(rec, notebook_dir):
            if shown.file.changed_since and shown.file.path not in changed:
                changed.add(shown.file.path)
                lines.append(Finding("input changed", f"Input {code(shown.display)} changed since the last session, "
                                     f"so results may differ from before", (rec,)))
    lines += _fills_that_left_gaps(view)
    lines += _conversions_that_made_gaps(view)
    lines += join_problems(view)
    lines += _learned_before_split(view)
    lines += _stale_final_values(view)
    unanalysed = [r for r in view.executions if r.analysis_error]
    reasons: dict[str, list[ExecutionRecord]] = {}
    for rec in unanalysed:
        reasons.setdefault(rec.analysis_error or "", []).append(rec)
    for reason, recs in reasons.items():
        why = reason.removeprefix("not analysed:").strip() or "unknown reason"
        lines.append(Finding("not analysed", f"Some code was not analysed ({why}), so its lineage is incomplete",
                             tuple(recs)))
    return lines


def _stale_final_values(view: SessionView) -> list[Finding]:
    """One line when some final data values come from code edited since it ran (lineage.staleness)."""
    last_writer: dict[str, ExecutionRecord] = {}
    for rec in view.executions:
        for name in written_names(rec):
            last_writer[name] = rec
    stale = {name: rec for name, rec in last_writer.items()
             if rec.stale is not None and name not in rec.code_names}
    if not stale:
        return []
    edited = sorted({seq for rec in stale.values() for seq in rec.stale_because})
    edited_runs = [view.by_seq[seq] for seq in edited if seq in view.by_seq]
    it = "it" if len({r.cell_id for r in edited_runs}) == 1 else "them"
    rerun = f"re-run {{cells}} and the cells after {it} that use {it} to bring them up to date" if edited_runs else ""
    return [Finding("stale", f"The final values of {names(list(stale), count_total=False)} come from code edited "
                    f"since it ran", tuple(stale.values()), rerun, tuple(edited_runs))]


def _fills_that_left_gaps(view: SessionView) -> list[Finding]:
    """A fill the kernel saw fill nothing while gaps remained (lineage/runtime_decisions.py; not a re-run, which found
    them filled): what the user wrote to fill them did not, and later cells see the gaps (pandas 3's chained
    `df["a"].fillna(0, inplace=True)` fills a temporary copy). Counted by column, the columns left with gaps are named
    (Step.gaps_left), also for a fill that filled only some of its columns."""
    lines = []
    for rec in view.executions:
        for step in rec.steps:
            facts, written = step.runtime, code(short_code(step) or step.code or "")
            if step.op in FILLING_OPS and step.gaps_left:  # filled some of its columns, not these
                lines.append(Finding("fill left gaps", f"{written} left {gaps_left_words(step.gaps_left)} unfilled",
                                     (rec,)))
                continue
            if step.static_op not in FILLING_OPS or step.rerun_of is not None:
                continue
            if step.gaps_left:  # counted by column (facts are on the variable's last writer only: not needed)
                kept = gaps_left_words(step.gaps_left)
            elif facts is not None and facts.nulls_after and facts.column_nulls_after is None:
                kept = f"its {counted(facts.nulls_after, 'missing value')}"
            else:
                continue  # nothing to fill, or counted by column with no gap left in what it was to fill
            chained = " (under pandas 3 an in-place fill of a column picked by a subscript changes a copy: assign " \
                      "the result instead)" if step.in_place_on_pick else ""
            lines.append(Finding("fill left gaps", f"{written} filled no missing value: {code(step.output or '')} "
                                 f"kept {kept}{chained}", (rec,)))
    return lines[:MAX_LISTED_PROBLEMS]


def _conversions_that_made_gaps(view: SessionView) -> list[Finding]:
    """A conversion that made values missing without an error (`pd.to_numeric(..., errors="coerce")`): the values it
    could not convert are gone from the data every later cell uses, which nothing in the notebook shows."""
    lines = []
    for rec in view.executions:
        for step in rec.steps:
            made = gaps_made_converting(step.runtime, step.op)
            if made:
                written = code(short_code(step) or step.code or "")
                now = "it is" if sum(count for _, count in made) == 1 else "they are"
                lines.append(Finding("conversion made gaps",
                                     f"{written} could not convert {unconverted_values(made)}; {now} now missing", (rec,)))
    return lines[:MAX_LISTED_PROBLEMS]


def _learned_before_split(view: SessionView) -> list[Finding]:
    """A fill with a statistic of the data or an estimator fitted on it, run before a train/test split of data that
    came from it, or before a cross-validation of it (lineage/leakage.py): the test rows' values went into the training
    data, so the test score is not one of unseen data."""
    lines = []
    for found in learned_before_split(view.executions)[:MAX_LISTED_PROBLEMS]:
        step, split_step = found.step, found.split_step
        from_rows = f"every row of {names(list(found.learned_from), count_total=False)}" if found.learned_from \
            else "every row"
        if step.learned_by and step.statistic:  # fillna(m), m = df["Age"].median()
            what = f"filled with {code(step.learned_by)}, the {step.statistic} taken from {from_rows},"
        elif step.learned_by:  # scaler.transform(X) after scaler.fit(X)
            kind = f" (a {code(step.estimator)})" if step.estimator else ""
            what = f"applied {code(step.learned_by)}{kind}, fitted on {from_rows},"
        elif step.statistic:
            per = f" per {names(step.group_keys, count_total=False)}" if step.group_keys else ""
            what = f"took the {step.statistic}{per} from {from_rows}"
        else:
            what = f"fitted {code(step.estimator)} on {from_rows}" if step.estimator else f"was fitted on {from_rows}"
        # `train_test_split` / `cross_val_score` say the split; a slice (`X[:800]`) or a search's fit
        # (`grid.fit(X, y)`) is said as written
        split = code(split_step.method if split_step.method and split_step.method not in ("slice", "fit")
                     else short_code(split_step) or split_step.code or "")
        if split_step.cross_validated:
            after = (f"before {split} cross-validated on it, so each fold's test rows' values went into the data its "
                     f"model was trained on (leakage across cross-validation folds)")
        else:
            after = (f"before {split} set test rows apart, so the test rows' values went into the training data "
                     f"(train/test leakage)")
        cells = [found.learned, found.split] + ([found.computed] if found.computed else [])
        lines.append(Finding("leakage", f"{code(short_code(step) or step.code or '')} {what} {after}", tuple(cells),
                             repeats=found.repeats))
    return lines
