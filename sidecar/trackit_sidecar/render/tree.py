"""The lineage tree's words (the editor's tree and `trackit lineage` show the same): an execution's label and
description, a session's kernel, why runtime facts are missing, and `label_document`, which fills the rendered
fields the sidecar sends with a lineage document."""

from __future__ import annotations

from typing import Optional

from ..lineage.code_names import call_derivations
from ..protocol import ExecutionRecord, LineageDocument, SessionInfo
from .groups import group_steps, prediction_of
from .sentences import describe_execution, describe_steps, line_alone, main_line, outcome_note, recorded_step

# The line the trees show for a runtime status that leaves an execution without facts ("captured" says nothing).
RUNTIME_STATUS_NOTES: dict[str, str] = {
    "kernel_not_identified": "runtime facts unavailable (kernel not identified)",
    "kernel_unreachable": "runtime facts unavailable (kernel did not answer)",
    "not_python": "runtime facts unavailable (not a Python kernel)",
    "off": "runtime facts off",
    "editor_closed": "runtime facts not captured (editor closed)",
}


def format_duration(ms: float) -> str:
    if not ms >= 0:  # NaN and negatives
        return "?"
    if ms < 1000:
        return f"{round(ms)} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    minutes, seconds = int(ms // 60_000), round((ms % 60_000) / 1000)
    return f"{minutes} min {seconds} s"


def execution_label(e: ExecutionRecord) -> str:
    """"[3] Cell 5": the execution count as Jupyter shows it, the cell's 1-based position."""
    count = e.execution_count if e.execution_count is not None else " "
    return f"[{count}] Cell {e.cell_index + 1}"


def execution_description(e: ExecutionRecord, step_lines: Optional[list[str]] = None) -> str:
    """The tree row's text after the label: a failed run leads with its error ("error: KeyError"); an ok one
    with its main effect, plain ("Dropped rows with missing values from df: 891 → 714 rows (−177) · 12 ms"),
    and how many more steps its tooltip lists; "ok · 12 ms" | "cancelled · 3 ms" when it has no step line."""
    if e.status == "error":
        return f"error: {(e.error.name if e.error else None) or 'error'}"
    duration = format_duration(e.duration_ms)
    main = main_line(e) if step_lines else None
    if e.status != "ok" or main is None:
        return f"{e.status} \u00b7 {duration}"
    more = len(step_lines) - 1
    rest = f" \u00b7 {more} more step{'s' if more > 1 else ''}" if more > 0 else ""
    return f"{line_alone(e, main, step_lines).replace('`', '')} \u00b7 {duration}{rest}"


def runtime_note(status: Optional[str]) -> Optional[str]:
    """"runtime facts unavailable (kernel not identified)" etc.; None when there is nothing to say."""
    return RUNTIME_STATUS_NOTES.get(status) if status else None


def kernel_label(s: SessionInfo) -> Optional[str]:
    """"Python 3 (ipykernel) [python3]": the kernelspec that ran, by its display name and its name."""
    if s.kernel_display_name and s.kernel_name and s.kernel_display_name != s.kernel_name:
        return f"{s.kernel_display_name} [{s.kernel_name}]"
    return s.kernel_display_name or s.kernel_name or None


def label_document(doc: LineageDocument) -> LineageDocument:
    """Fill `label`, `description`, `step_lines`, `outcome` and `runtime_note` of every execution, `label` of
    every step and `kernel_label` and `runtime_note` of every session, in place.

    `step_lines` are what the hover says (a re-run's figures are already measured against its inputs:
    lineage.measured). A runtime note true of every run of a session is said once, on the session; a run
    carries its own only when it differs.
    """
    session_notes = {s.id: label_session(s) for s in doc.sessions}
    label_executions(doc.executions, session_notes)
    return doc


def label_session(s: SessionInfo) -> Optional[str]:
    """Fill a session's `kernel_label` and `runtime_note`; returns the note."""
    s.kernel_label = kernel_label(s)
    s.runtime_note = runtime_note(s.runtime_status)
    return s.runtime_note


def label_executions(executions: list[ExecutionRecord], session_notes: dict[int, Optional[str]]) -> None:
    """`label_document` for some executions, given their sessions' notes (label_session)."""
    word_printed(executions, session_notes)
    for e in executions:
        e.label = execution_label(e)
        e.description = execution_description(e, e.step_lines)
        if len(e.steps) == 1 and len(e.step_lines) == 1:
            e.steps[0].label = e.step_lines[0]  # the execution's one line is about its one step
        else:
            for group in group_steps(e.steps):
                # a prediction made inside an evaluation's call is said with it (render.groups.predicted_inside):
                # alone, the evaluation named the data predicted on as what it scored
                together = describe_steps(group.steps, derivations=call_derivations(e))[0] \
                    if prediction_of(group) is not None else None
                for step in group.steps:
                    step.label = together or recorded_step(step, e, group)


def word_printed(executions: list[ExecutionRecord], session_notes: dict[int, Optional[str]]) -> None:
    """Fill only what the printed tree (`trackit lineage`) shows of each run: `runtime_note`, `step_lines` and
    `outcome`. The editor's `label`, `description` and step labels are not printed: wording them for every run
    of a long notebook was a third of the command's time."""
    for e in executions:
        e.runtime_note = execution_runtime_note(e, session_notes.get(e.session))
        e.step_lines = describe_execution(e)
        e.outcome = outcome_note(e)


def execution_runtime_note(e: ExecutionRecord, session_note: Optional[str]) -> Optional[str]:
    """A run's own runtime note: only when its session does not already say it for all of its runs."""
    note = runtime_note(e.runtime_status)
    return note if note != session_note else None
