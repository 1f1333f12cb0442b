"""Offline, deterministic Markdown narrative of a notebook's latest session: the overview sentence,
the preprocessing and modelling sections, and the document that puts every section together.

Pure: takes a `LineageDocument`, returns Markdown. No clock, no I/O, no randomness, so the
same lineage always gives the same text (the editor caches and diffs it).

Every sentence ends with the cells it comes from, "[cell 3]" / "[cells 2, 5]" (1-based cell
numbers = cell_index + 1), so `faithfulness.check` can verify the built-in text like an LLM's.
"""

from __future__ import annotations

import os
from typing import Optional

from ..lineage.code_names import call_derivations
from ..protocol import ExecutionRecord, LineageDocument
from ..render.defined import calls
from ..render.files_written import (failed_run_writes, file_written_line, run_files_written, unfinished_write_line,
                                    written_paths)
from ..render.formula_fits import fitted_estimator
from ..render.loops import LoopNotes
from ..render.model_phrases import evaluation_metric
from ..render.words import article, code, names
from .bullets import format_time, group_sentence, human_duration
from .data_sources import data_sources, input_files_shown, notebook_dir_of
from .dependencies import dependencies
from .problems import problems
from .quoted_outputs import printed_metrics, short_text_outputs
from .session_view import SessionView, cell_reran, cite, cite_compact, described_records, latest_session, section_groups

MAX_OVERVIEW_MODELS = 3
# what the Preprocessing section says, and so what the overview's "prepares" / "works on data" clauses cover: a step
# the classifier calls "other" (`movies.set_index("title")`) is a bullet there and was in no clause of the overview
PREPROCESSING_SECTIONS = frozenset({"preprocessing", "other"})


def preprocessing(view: SessionView) -> list[str]:
    loops = LoopNotes()
    return [group_sentence(group, rec, cell_reran(view, rec), loop_notes=loops)
            for rec, group in section_groups(view, PREPROCESSING_SECTIONS)]


def modelling(view: SessionView) -> list[str]:
    lines = []
    quoted: set[int] = set()
    loops = LoopNotes()
    for rec, group in section_groups(view, {"model"}):
        lines.append(group_sentence(group, rec, cell_reran(view, rec), loop_notes=loops))
        if "evaluate" in group.ops and rec.seq not in quoted:
            quoted.add(rec.seq)
            texts = short_text_outputs(rec) or printed_metrics(rec)
            for text in texts:
                lines.append(f"The evaluation printed \u201c{text}\u201d {cite([rec])}.")
            if texts:  # a quoted line between: the next bullet says its loops in full
                loops = LoopNotes()
    return lines


def files_written_section(view: SessionView) -> list[str]:
    """The files the session's code wrote, each from what and in which cell; a failed cell's writes as uncertain, unless
    the cell later ran to the end."""
    lines = [f"{file_written_line(written)} {cite([rec])}."
             for rec in described_records(view) for written in run_files_written(rec)]
    for index, rec in enumerate(view.executions):
        if any(later.cell_id == rec.cell_id and later.status == "ok" for later in view.executions[index + 1:]):
            continue
        lines += [f"{unfinished_write_line(written)} {cite([rec])}." for written in failed_run_writes(rec)]
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def overview(view: SessionView, notebook_dir: Optional[str] = None) -> str:
    """"In short, it ..." -- the session's pipeline in one sentence, each part citing its cells."""
    parts: list[str] = []
    loaded: list[str] = []
    load_recs: list[ExecutionRecord] = []
    for rec in described_records(view):
        for shown in input_files_shown(rec, notebook_dir):
            if shown.display not in loaded:
                loaded.append(shown.display)
                load_recs.append(rec)
    if loaded:
        parts.append(f"loads {names(loaded, count_total=False)} {cite_compact(load_recs)}")
    prepared: list[str] = []
    prep_recs: list[ExecutionRecord] = []
    unkept_recs: list[ExecutionRecord] = []  # a result shown or dropped, not assigned: it prepares none of `prepared`
    split_sources: list[str] = []
    split_recs: list[ExecutionRecord] = []
    # functions whose bodies hold steps (`Step.in_function`): the cell defined them and did none of those steps; the
    # sections' bullets say what each does when called (render/defined.py)
    defined: dict[str, list[ExecutionRecord]] = {}
    for rec, group in section_groups(view, PREPROCESSING_SECTIONS | {"source", "model"}):
        if group.steps[0].in_function:
            defined.setdefault(group.steps[0].in_function, []).append(rec)
    for rec, group in section_groups(view, PREPROCESSING_SECTIONS):
        if group.steps[0].in_function:
            continue
        if set(group.ops) == {"split"}:
            split_recs.append(rec)
            split_sources += [i for i in group.steps[0].inputs if i not in split_sources]
            continue
        if not group.output:
            unkept_recs.append(rec)
            continue
        prep_recs.append(rec)
        if group.output not in prepared:
            prepared.append(group.output)
    if prep_recs:
        parts.append(f"prepares {names(prepared, limit=4, count_total=False)} {cite_compact(prep_recs)}")
    if unkept_recs:
        parts.append(f"works on data without keeping the result {cite_compact(unkept_recs)}")
    if split_recs:
        what = names(split_sources, count_total=False) if split_sources else "the data"
        parts.append(f"splits {what} into training and test sets {cite_compact(split_recs)}")
    fits: dict[tuple[Optional[str], Optional[str]], list[ExecutionRecord]] = {}
    # a function the same cell calls is said with its call ("defines `clean` and calls it on `df`", as the bullets
    # say it): "defines `clean`" alone read as if the cell prepared nothing
    called = {function: calls(function, call_derivations(recs[-1])) for function, recs in defined.items()}
    only_defined = [function for function in defined if not called[function]]
    if only_defined:
        parts.append(f"defines {names(only_defined, limit=4, count_total=False)} "
                     f"{cite_compact(r for function in only_defined for r in defined[function])}")
    for function in (f for f in defined if called[f]):
        parts.append(f"defines {code(function)} and {called[function]} {cite_compact(defined[function])}")
    for rec, group in section_groups(view, {"model"}):
        for step in group.steps:
            if step.op == "fit_model" and not step.in_function:
                fits.setdefault((fitted_estimator(step), step.output), []).append(rec)
    for (estimator, output), recs in list(fits.items())[:MAX_OVERVIEW_MODELS]:
        model = f"{article(estimator)} {code(estimator)} model" if estimator else "a model"
        as_name = f" as {code(output)}" if output else ""
        parts.append(f"fits {model}{as_name} {cite_compact(recs)}")
    left_out = list(fits.values())[MAX_OVERVIEW_MODELS:]
    if left_out:  # chili's fourth model went unsaid, as if the notebook fitted three
        more = len(left_out)
        parts.append(f"fits {more if more > 1 else 'one'} more model{'s' if more > 1 else ''} "
                     f"{cite_compact(r for recs in left_out for r in recs)}")
    metrics: list[str] = []
    metric_recs: list[ExecutionRecord] = []
    for rec, group in section_groups(view, {"model"}):
        for step in group.steps:
            if step.op == "evaluate" and not step.in_function:
                metric_recs.append(rec)
                metric = evaluation_metric(step)  # as the bullets name it: `f_test`, not the model's class `OLS`
                if metric and metric not in metrics:
                    metrics.append(metric)
    if metric_recs:
        with_what = f" with {names(metrics, count_total=False)}" if metrics else ""
        parts.append(f"evaluates{with_what} {cite_compact(metric_recs)}")
    writing = [rec for rec in described_records(view) if run_files_written(rec)]
    if writing:  # the files the notebook produced are its results as much as its models
        paths = written_paths([w for rec in writing for w in run_files_written(rec)])
        parts.append(f"writes {names(paths, limit=4, count_total=False)} "
                     f"{cite_compact(writing)}")
    if not parts:
        return ""
    return "In short, it " + "; ".join(parts) + "."


def builtin_summary(doc: LineageDocument) -> str:
    notebook = os.path.basename(doc.notebook.rstrip("/")) or doc.notebook
    view = latest_session(doc)
    notebook_dir = notebook_dir_of(doc.notebook)
    if not view.executions:
        return f"# {notebook}\n\nNo cell executions have been recorded for this notebook yet.\n"

    cells = {r.cell_id for r in view.executions}
    errors = sum(1 for r in view.executions if r.status == "error")
    total_ms = sum(r.duration_ms for r in view.executions)
    out = [f"# {notebook} \u2014 session of {format_time(view.started_at)}", ""]
    intro = (
        f"This session ran {_plural(len(view.executions), 'execution')} of {_plural(len(cells), 'cell')}"
        f" (total run time {human_duration(total_ms)})"
    )
    intro += f", with {errors} failing." if errors else ", all without errors."
    if any(len(runs) > 1 for runs in view.runs_per_cell.values()):
        intro += " Where a cell ran more than once, the summary describes the run that produced the session's final state."
    if view.earlier_sessions == 1:
        intro += " One earlier session is not covered here."
    elif view.earlier_sessions:
        intro += f" {view.earlier_sessions} earlier sessions are not covered here."
    out += [intro, ""]
    summary_line = overview(view, notebook_dir)
    if summary_line:
        out += [summary_line, ""]

    sections = [
        ("Data sources", data_sources(view, notebook_dir), "No data was loaded from files in this session."),
        ("Preprocessing", preprocessing(view), "No preprocessing steps were recognised."),
        ("Modelling and results", modelling(view), "No model was fitted or evaluated."),
        ("Problems", problems(view, notebook_dir), "No problems found: every cell ran once, in notebook order, without errors."),
        ("What the final variables depend on", dependencies(view), "No variables were written."),
    ]
    written = files_written_section(view)
    if written:  # said only when the code writes one: a call no table knows may write a file
        sections.insert(3, ("Files written", written, ""))
    for title, lines, empty in sections:
        out.append(f"## {title}")
        out.append("")
        if lines:
            out.extend(f"- {line}" for line in lines)
        else:
            out.append(empty)
        out.append("")
    return "\n".join(out)
