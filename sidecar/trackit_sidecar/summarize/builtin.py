"""Offline, deterministic Markdown narrative of a notebook's latest session.

Pure: takes a `LineageDocument`, returns Markdown. No clock, no I/O, no randomness, so the
same lineage always gives the same text (the editor caches and diffs it).

Every sentence ends with the cells it comes from, "[cell 3]" / "[cells 2, 5]" (1-based cell
numbers = cell_index + 1), so `faithfulness.check` can verify the built-in text like an LLM's.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Optional, Sequence

# the step wording is shared with the lineage tree and hovers (render/)
from ..lineage.measured import read_names, written_names
from ..render.files import file_summary, made_in_code, match_input_file
from ..render.groups import SOURCE_OPS, StepGroup, visible_groups
from ..render.phrases import predict_model_and_data
from ..render.sentences import group_effects, group_phrase, outcome_note
from ..render.words import ARROW, code, human_size, names  # noqa: F401  (prompt.py imports human_size from here)
from ..protocol import ExecutionRecord, InputFile, LineageDocument

MAX_LISTED_PROBLEMS = 12
MAX_DEPENDENCY_GROUPS = 15
MAX_QUOTED_METRICS = 3
MAX_OVERVIEW_MODELS = 3
SHORT_OUTPUT_CHARS = 200
SHORT_OUTPUT_LINES = 3
# "accuracy: 0.789", "F1 = 0.76", "rmse 3.2": a label and exactly one number
METRIC_LINE = re.compile(
    r"^\s*[A-Za-z][\w\-/()]*(?: [A-Za-z][\w\-/()]*){0,4}\s*(?:[:=]\s*|\s+)-?\d+(?:\.\d+)?%?\s*$"
)


# ------------------------------------------------------------------ session view (shared with prompt.py)
@dataclass
class SessionView:
    """The latest session of a document, with the derived facts every summary needs."""

    session_id: Optional[int]
    executions: list[ExecutionRecord]  # seq order
    earlier_sessions: int = 0
    started_at: Optional[str] = None
    by_seq: dict[int, ExecutionRecord] = field(default_factory=dict)
    runs_per_cell: dict[str, list[ExecutionRecord]] = field(default_factory=dict)
    parents: dict[int, list[int]] = field(default_factory=dict)  # seq -> parent seqs in this session
    # what the narrative describes: the latest run of each cell plus earlier runs whose results are
    # still in use (see `described_runs`), ok runs only (a failed one is a problem, not a step)
    described: Optional[list[ExecutionRecord]] = None


def cell_number(rec: ExecutionRecord) -> int:
    return rec.cell_index + 1


def cite(records_or_numbers: Iterable) -> str:
    """"[cell 3]" or "[cells 2, 5]"; accepts records or 1-based cell numbers."""
    numbers = sorted({cell_number(r) if isinstance(r, ExecutionRecord) else int(r) for r in records_or_numbers})
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"[cell {numbers[0]}]"
    return "[cells " + ", ".join(str(n) for n in numbers) + "]"


def latest_session(doc: LineageDocument) -> SessionView:
    if not doc.executions:
        return SessionView(session_id=None, executions=[], earlier_sessions=len(doc.sessions))
    session_id = max(rec.session for rec in doc.executions)
    executions = sorted((r for r in doc.executions if r.session == session_id), key=lambda r: r.seq)
    earlier = len({r.session for r in doc.executions if r.session != session_id})
    info = next((s for s in doc.sessions if s.id == session_id), None)
    view = SessionView(
        session_id=session_id,
        executions=executions,
        earlier_sessions=earlier,
        started_at=(info.started_at if info else None) or executions[0].started_at,
    )
    view.by_seq = {r.seq: r for r in executions}
    for rec in executions:
        view.runs_per_cell.setdefault(rec.cell_id, []).append(rec)
    view.parents = _session_parents(executions)
    live = {r.seq for r in described_runs(executions, view.parents)}
    view.described = [rec for rec in executions if rec.seq in live and rec.status == "ok"]
    return view


def described_runs(executions: list[ExecutionRecord], parents: dict[int, list[int]]) -> list[ExecutionRecord]:
    """The executions that made the state the session ended in, in seq order.

    A data scientist reads a summary as "what my notebook did to get here": for each cell that is
    its latest run. An earlier run of a cell is kept only while its effect still matters, i.e. it is
    upstream of a latest run or of a variable's final value (a later cell used what it produced, or
    the re-run worked on its result, as `df["x"] *= 2` run twice does). A Run All done twice thus
    describes the second pass only.
    """
    latest: dict[str, int] = {}
    final_writer: dict[str, int] = {}
    for rec in executions:
        latest[rec.cell_id] = rec.seq
        for name in written_names(rec):
            final_writer[name] = rec.seq
    live: set[int] = set()
    stack = list(latest.values()) + list(final_writer.values())
    while stack:
        seq = stack.pop()
        if seq in live:
            continue
        live.add(seq)
        stack.extend(parents.get(seq, []))
    return [rec for rec in executions if rec.seq in live]


def _session_parents(executions: list[ExecutionRecord]) -> dict[int, list[int]]:
    """Parent links inside the session.

    The store leaves `parents` empty until lineage/graph.link_parents runs; when nobody ran it we
    derive the same edges from reads/writes (last earlier writer of each name read) so the
    dependency section never silently disappears.
    """
    seqs = {r.seq for r in executions}
    if any(r.parents for r in executions):
        return {r.seq: [p for p in r.parents if p in seqs] for r in executions}
    last_writer: dict[str, int] = {}
    parents: dict[int, list[int]] = {}
    for rec in executions:
        found = sorted({last_writer[name] for name in read_names(rec) if name in last_writer})
        parents[rec.seq] = found
        for name in written_names(rec):
            last_writer[name] = rec.seq
    return parents


def upstream_seqs(view: SessionView, seq: int) -> list[int]:
    seen: set[int] = set()
    stack = list(view.parents.get(seq, []))
    while stack:
        parent = stack.pop()
        if parent in seen:
            continue
        seen.add(parent)
        stack.extend(view.parents.get(parent, []))
    return sorted(seen)


def out_of_order_pairs(view: SessionView) -> list[tuple[ExecutionRecord, ExecutionRecord]]:
    """(earlier-placed cell run later, the run just before it): the execution order went back up the notebook."""
    pairs = []
    for prev, rec in zip(view.executions, view.executions[1:]):
        if rec.cell_index < prev.cell_index:
            pairs.append((rec, prev))
    return pairs


def short_text_outputs(rec: ExecutionRecord) -> list[str]:
    """Small plain-text results (metrics, shapes) worth quoting; never tables or long dumps."""
    texts = []
    for out in rec.outputs:
        if out.text is None or out.output_type == "error":
            continue
        if not out.mime.startswith("text/plain"):
            continue
        text = out.text.strip()
        if not text or len(text) > SHORT_OUTPUT_CHARS or text.count("\n") >= SHORT_OUTPUT_LINES:
            continue
        texts.append(" ".join(text.split()))
    return texts


def printed_metrics(rec: ExecutionRecord) -> list[str]:
    """Lines like "accuracy: 0.789" from an evaluation's printed text (stdout included), at most a few.

    Used when the output is too long to quote whole (a classification report after the accuracy).
    """
    found: list[str] = []
    for out in rec.outputs:
        if out.text is None or out.output_type == "error":
            continue
        if not (out.mime.startswith("text/plain") or "stdout" in out.mime):
            continue
        for line in out.text.splitlines():
            if METRIC_LINE.match(line):
                text = " ".join(line.split())
                if text not in found:
                    found.append(text)
            if len(found) >= MAX_QUOTED_METRICS:
                return found
    return found


# ------------------------------------------------------------------ wording helpers
def human_duration(ms: float) -> str:
    if ms < 1000:
        return f"{ms:.0f} ms"
    if ms < 120_000:
        return f"{ms / 1000:.1f} s"
    return f"{ms / 60000:.1f} min"


def format_time(iso: Optional[str]) -> str:
    if not iso:
        return "an unknown time"
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _when(rec: ExecutionRecord, reruns: bool) -> str:
    return f" (In [{rec.execution_count}])" if reruns and rec.execution_count is not None else ""


def group_sentence(group: StepGroup, rec: ExecutionRecord, reruns: bool,
                   file_facts: Optional[dict[int, str]] = None, notes: Sequence[str] = ()) -> str:
    """One bullet for one group of steps: the clauses, the group's combined effect, notes, citation."""
    text = group_phrase(group, file_facts, rec.runtime)
    effects = group_effects(group, rec.runtime)
    if effects:
        text += ": " + "; ".join(effects)
    for note in notes:
        text += f". {note}"
    return f"{text} {cite([rec])}{_when(rec, reruns)}."


def _reruns(view: SessionView, rec: ExecutionRecord) -> bool:
    return len(view.runs_per_cell.get(rec.cell_id, [])) > 1


# ------------------------------------------------------------------ input files
def _notebook_dir(notebook: str) -> Optional[str]:
    if "://" in notebook or not notebook.startswith("/"):
        return None
    return posixpath.dirname(notebook)


def file_display_path(path: str, notebook_dir: Optional[str]) -> str:
    """The path as the notebook would write it: relative to the notebook's folder when inside it."""
    if notebook_dir and path.startswith(notebook_dir.rstrip("/") + "/"):
        return path[len(notebook_dir.rstrip("/")) + 1:]
    return path


@dataclass
class _LoadedFile:
    file: InputFile
    display: str


def _file_notes(f: InputFile) -> list[str]:
    notes = []
    if f.changed_since:
        notes.append(f"The file changed since the last session (it was sha256 {f.changed_since[:8]})")
    if f.error:
        notes.append(f"It could not be inspected ({f.error})")
    return notes


def _loads_of(rec: ExecutionRecord, group: StepGroup) -> dict[int, InputFile]:
    """id(load step) -> the input file it read (attached by the store, or matched by path)."""
    found = {}
    for step in group.steps:
        if step.op in SOURCE_OPS:
            f = step.input_file or match_input_file(step.detail, rec.input_files)
            if f is not None:
                found[id(step)] = f
    return found


def input_files_shown(rec: ExecutionRecord, notebook_dir: Optional[str]) -> list[_LoadedFile]:
    """Every input file of an execution once, named as the code wrote it when a load step matches it."""
    shown: list[_LoadedFile] = []
    seen: set[str] = set()
    for step in rec.steps:
        if step.op not in SOURCE_OPS:
            continue
        f = step.input_file or match_input_file(step.detail, rec.input_files)
        if f is not None and f.path not in seen:
            seen.add(f.path)
            shown.append(_LoadedFile(f, step.detail or file_display_path(f.path, notebook_dir)))
    for f in rec.input_files:
        if f.path not in seen:
            seen.add(f.path)
            shown.append(_LoadedFile(f, file_display_path(f.path, notebook_dir)))
    return shown


# ------------------------------------------------------------------ sections
def _times(count: int) -> str:
    """"twice", "3 times": how often something happened, as people say it."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


@dataclass
class _FileLoads:
    """Every load of one file in the session, described or not, in execution order."""

    loads: list[tuple[ExecutionRecord, Optional[InputFile]]] = field(default_factory=list)

    def notes(self, rec: ExecutionRecord) -> list[str]:
        """"Loaded twice (In [1], In [14])" / "It changed between loads (…)" for the load described at `rec`."""
        notes = []
        if len(self.loads) > 1:
            counts = [f"In [{r.execution_count}]" for r, _ in self.loads if r.execution_count is not None]
            at = f" ({', '.join(counts)})" if len(counts) == len(self.loads) else ""
            # the sentence already cites `rec`; other loading cells are cited here
            others = {cell_number(r) for r, _ in self.loads} != {cell_number(rec)}
            cells = f" {cite([r for r, _ in self.loads])}" if others else ""
            notes.append(f"Loaded {_times(len(self.loads))} in this session{at}{cells}; the latest load is shown")
        digests: list[str] = []
        for _, f in self.loads:
            if f is not None and f.sha256 and (not digests or digests[-1] != f.sha256):
                digests.append(f.sha256)
        if len(digests) > 1:
            chain = f" {ARROW} ".join(d[:8] for d in digests)
            notes.append(f"The file changed between loads (sha256 {chain}), so earlier results came from other data")
        return notes


def _load_key(step_or_file, rec: ExecutionRecord) -> Optional[str]:
    """The file a load step read (its recorded path), or the path as written when none was recorded."""
    if isinstance(step_or_file, InputFile):
        return step_or_file.path
    f = step_or_file.input_file or match_input_file(step_or_file.detail, rec.input_files)
    if f is not None:
        return f.path
    if made_in_code(step_or_file):  # each `pd.DataFrame({...})` is its own data; a re-run of it is the same
        return f"made by: {step_or_file.code}"
    return f"as written: {step_or_file.detail}" if step_or_file.detail else None


def _file_loads(view: SessionView) -> dict[str, _FileLoads]:
    found: dict[str, _FileLoads] = {}
    for rec in view.executions:
        seen: set[str] = set()
        for step in rec.steps:
            if step.op not in SOURCE_OPS:
                continue
            key = _load_key(step, rec)
            if key is not None and key not in seen:
                seen.add(key)
                f = step.input_file or match_input_file(step.detail, rec.input_files)
                found.setdefault(key, _FileLoads()).loads.append((rec, f))
        for f in rec.input_files:
            if f.path not in seen:
                seen.add(f.path)
                found.setdefault(f.path, _FileLoads()).loads.append((rec, f))
    return found


def data_sources(view: SessionView, notebook_dir: Optional[str] = None) -> list[str]:
    """One line per file, at its latest described load, saying how often it was loaded and whether it changed.

    A Run All done twice loads every file twice; listing each load would read as two data sources.
    """
    described = _described(view)
    files = _file_loads(view)
    last_load: dict[str, int] = {}
    for rec in described:
        for step in rec.steps:
            key = _load_key(step, rec) if step.op in SOURCE_OPS else None
            if key is not None:
                last_load[key] = rec.seq
        for f in rec.input_files:
            last_load[f.path] = rec.seq
    lines = []
    done: set[str] = set()
    for rec in described:
        reruns = _reruns(view, rec)
        matched: set[str] = set()
        for group in visible_groups(rec.steps):
            if group.section != "source":
                continue
            keys = [k for k in (_load_key(s, rec) for s in group.steps if s.op in SOURCE_OPS) if k is not None]
            if keys and all(last_load.get(k) != rec.seq or k in done for k in keys):
                continue  # described at a later load of the same file
            loads = _loads_of(rec, group)
            file_facts = {key: file_summary(f) for key, f in loads.items()}
            notes = [n for f in loads.values() if f.path not in matched for n in _file_notes(f)]
            for key in keys:
                if key not in done and key in files:
                    notes += files[key].notes(rec)
            matched.update(f.path for f in loads.values())
            done.update(keys)
            lines.append(group_sentence(group, rec, reruns, file_facts, notes))
        for shown in input_files_shown(rec, notebook_dir):
            path = shown.file.path
            if path in matched or path in done or last_load.get(path) != rec.seq:
                continue
            matched.add(path)
            done.add(path)
            facts = file_summary(shown.file)
            text = f"Read {code(shown.display)}" + (f" {facts}" if facts else "")
            for note in _file_notes(shown.file) + (files[path].notes(rec) if path in files else []):
                text += f". {note}"
            lines.append(f"{text} {cite([rec])}{_when(rec, reruns)}.")
    return lines


def _described(view: SessionView) -> list[ExecutionRecord]:
    # a view built by hand (tests, prompt.py callers) may not have computed it: every ok run
    if view.described is not None:
        return view.described
    return [rec for rec in view.executions if rec.status == "ok"]


def _section_groups(view: SessionView, sections: set[str]) -> list[tuple[ExecutionRecord, StepGroup]]:
    found = []
    for rec in _described(view):
        for group in visible_groups(rec.steps):
            if group.section in sections:
                found.append((rec, group))
    return found


def preprocessing(view: SessionView) -> list[str]:
    return [group_sentence(group, rec, _reruns(view, rec))
            for rec, group in _section_groups(view, {"preprocessing", "other"})]


def modelling(view: SessionView) -> list[str]:
    lines = []
    quoted: set[int] = set()
    for rec, group in _section_groups(view, {"model"}):
        lines.append(group_sentence(group, rec, _reruns(view, rec)))
        if "evaluate" in group.ops and rec.seq not in quoted:
            quoted.add(rec.seq)
            texts = short_text_outputs(rec) or printed_metrics(rec)
            for text in texts:
                lines.append(f"The evaluation printed \u201c{text}\u201d {cite([rec])}.")
    return lines


def _rerun_lines(view: SessionView) -> list[str]:
    """The "Re-runs" findings: which cells ran more than once and which of their runs the summary describes.

    Cells re-run unchanged whose earlier runs no longer matter (the usual Run All twice) are one
    line; a cell edited between runs, or whose earlier run is still in use, gets its own line.
    """
    described = {r.seq for r in _described(view)}
    reran = sorted((runs for runs in view.runs_per_cell.values() if len(runs) > 1), key=lambda runs: runs[0].seq)
    plain: dict[int, list[list[ExecutionRecord]]] = {}  # run count -> cells re-run unchanged, earlier runs superseded
    special: list[list[ExecutionRecord]] = []
    for runs in reran:
        edited = len({r.source_sha256 for r in runs}) > 1
        if not edited and not any(r.seq in described for r in runs[:-1]):
            plain.setdefault(len(runs), []).append(runs)
        else:
            special.append(runs)
    lines: list[str] = []
    listed: list[list[ExecutionRecord]] = []
    for count, group in plain.items():
        if len(group) >= 3:
            cells = [runs[-1] for runs in group]
            numbers = [str(cell_number(r)) for r in cells]
            lines.append(f"Cells {', '.join(numbers[:-1])} and {numbers[-1]} each ran {_times(count)} with the same code; "
                         f"only the latest run of each is described here {cite(cells)}.")
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
        lines.append(f"Cell {cell_number(runs[0])} was run {len(runs)} times{at}{edited}{what} {cite(runs[:1])}.")
    if len(listed) > MAX_LISTED_PROBLEMS:
        lines.append("Further cells were re-run as well; see the cell history.")
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


def _jump_back_line(view: SessionView, rec: ExecutionRecord, prev: ExecutionRecord, again: str) -> str:
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
        return (f"Cell {cell_number(rec)} ran after cell {cell_number(prev)}: the notebook was run again from "
                f"cell {cell_number(rec)} down to cell {cell_number(prev)} in order{again} {cite([rec, prev])}.")
    return f"Cell {cell_number(rec)} ran after cell {cell_number(prev)}, out of notebook order{again} {cite([rec, prev])}."


def problems(view: SessionView, notebook_dir: Optional[str] = None) -> list[str]:
    lines = []
    for rec in view.executions:
        note = outcome_note(rec)
        after = f"; {note}" if note and rec.status == "error" else ""
        if rec.status == "error":
            name = rec.error.name if rec.error and rec.error.name else "an error"
            message = f": {rec.error.message.strip().splitlines()[0]}" if rec.error and rec.error.message and rec.error.message.strip() else ""
            count = f" (In [{rec.execution_count}])" if rec.execution_count is not None else ""
            lines.append(f"Cell {cell_number(rec)}{count} failed with {name}{message}{after} {cite([rec])}.")
        elif rec.status == "cancelled" and rec.execution_count is None:
            lines.append(f"Cell {cell_number(rec)} was cancelled before it ran {cite([rec])}.")
        elif rec.status == "cancelled":
            partial = f"; {note}" if note else ""
            lines.append(f"Cell {cell_number(rec)} (In [{rec.execution_count}]) was interrupted before it finished"
                         f"{partial} {cite([rec])}.")
    lines += _rerun_lines(view)
    for rec, previous, twice in applied_twice(view)[:MAX_LISTED_PROBLEMS]:
        now = f" (In [{rec.execution_count}])" if rec.execution_count is not None else ""
        before = f" (In [{previous.execution_count}])" if previous.execution_count is not None else ""
        lines.append(f"Cell {cell_number(rec)}{now} ran again on the {names(twice, count_total=False)} its previous "
                     f"run{before} had already changed, so its change was applied twice {cite([rec])}.")
    pairs = out_of_order_pairs(view)
    # the same jump back (cell 40 -> cell 1 in a loop of reruns) is one finding, not one per repeat
    distinct: dict[tuple[int, int], list[tuple[ExecutionRecord, ExecutionRecord]]] = {}
    for rec, prev in pairs:
        distinct.setdefault((cell_number(rec), cell_number(prev)), []).append((rec, prev))
    for found in list(distinct.values())[:MAX_LISTED_PROBLEMS]:
        again = ", repeatedly" if len(found) > 1 else ""
        lines.append(_jump_back_line(view, found[0][0], found[0][1], again))
    if len(distinct) > MAX_LISTED_PROBLEMS:
        lines.append("The notebook was run out of order further times; a top-to-bottom rerun may give different results.")
    changed: set[str] = set()
    for rec in view.executions:
        for shown in input_files_shown(rec, notebook_dir):
            if shown.file.changed_since and shown.file.path not in changed:
                changed.add(shown.file.path)
                lines.append(f"Input {code(shown.display)} changed since the last session, "
                             f"so results may differ from before {cite([rec])}.")
    lines += _stale_final_values(view)
    unanalysed = [r for r in view.executions if r.analysis_error]
    reasons: dict[str, list[ExecutionRecord]] = {}
    for rec in unanalysed:
        reasons.setdefault(rec.analysis_error or "", []).append(rec)
    for reason, recs in reasons.items():
        why = reason.removeprefix("not analysed:").strip() or "unknown reason"
        lines.append(f"Some code was not analysed ({why}), so its lineage is incomplete {cite(recs)}.")
    return lines


def _stale_final_values(view: SessionView) -> list[str]:
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
    rerun = f"; re-run {cite(edited_runs)} and the cells after it that use it to bring them up to date" if edited_runs else ""
    return [f"The final values of {names(list(stale), count_total=False)} come from code edited since it ran "
            f"{cite(stale.values())}{rerun}."]


# ------------------------------------------------------------------ final variables
# rank of a final variable in "What the final variables depend on": the model and what it was fitted
# on come first, then the held-out data, predictions and metrics, then other data, then the rest
RANK_MODEL, RANK_FIT_DATA, RANK_TEST_DATA, RANK_PREDICTIONS, RANK_METRIC, RANK_DATA, RANK_OTHER = range(7)


def _variable_roles(view: SessionView) -> tuple[dict[str, int], dict[str, str]]:
    """(name -> rank, model name -> estimator class).

    What a variable *is* comes from the latest step that wrote it (a `df` once fitted on is not a
    model); what it is *for* from every step that read it (the lowest rank wins: `X_train` is the
    model's training data even though a split made it).
    """
    made: dict[str, int] = {}
    used: dict[str, int] = {}
    estimators: dict[str, str] = {}

    def read(name: Optional[str], rank: int) -> None:
        if name and rank < used.get(name, RANK_OTHER):
            used[name] = rank

    def wrote(name: Optional[str], rank: int) -> None:
        if name:
            made[name] = rank
            estimators.pop(name, None)

    for rec in view.executions:
        for fact in rec.runtime:
            if fact.variable and fact.kind:
                read(fact.variable, RANK_DATA)  # the kernel measured it: a data object
        for step in rec.steps:
            if step.op == "fit_model":
                wrote(step.output, RANK_MODEL)
                if step.output and step.detail:
                    estimators[step.output] = step.detail
                for name in step.inputs:
                    read(name, RANK_FIT_DATA)
            elif step.op == "predict":
                wrote(step.output, RANK_PREDICTIONS)
                for name in predict_model_and_data(step)[1]:
                    read(name, RANK_TEST_DATA)
            elif step.op == "evaluate":
                wrote(step.output, RANK_METRIC)
                for name in step.inputs:
                    read(name, RANK_TEST_DATA)
            elif step.op != "other":
                wrote(step.output, RANK_DATA)
                for name in step.inputs:
                    read(name, RANK_DATA)
    ranks = {name: min(made.get(name, RANK_OTHER), used.get(name, RANK_OTHER)) for name in set(made) | set(used)}
    return ranks, estimators


def _what_it_is(name: str, rank: int, estimators: dict[str, str], writer: ExecutionRecord) -> str:
    """"fitted `LogisticRegression`" / "DataFrame, 666 rows × 9 columns": only what was recorded."""
    if rank == RANK_MODEL:
        return f"fitted {code(estimators[name])}" if name in estimators else "fitted model"
    # only the last writer's measurement describes the final value (later cells may merely read it)
    measured = [f for f in writer.runtime if f.variable == name]
    measured += [s.runtime for s in writer.steps if s.runtime is not None and s.runtime.variable == name]
    if not measured:
        return ""
    fact = measured[-1]
    # the shape as pandas users write it (rows × columns); a 1-D object has a length
    kind = fact.kind or ""
    if fact.rows_after is not None and fact.cols_after is not None:
        return f"{kind} {fact.rows_after:,} \u00d7 {fact.cols_after:,}".strip()
    if fact.rows_after is not None:
        return f"{kind} of length {fact.rows_after:,}" if kind else f"{fact.rows_after:,} rows"
    return kind


def variable_upstream(view: SessionView, name: str, rec: ExecutionRecord) -> Optional[list[int]]:
    """Seqs of the executions the value of `name` set by `rec` was computed from, via `derivations`.

    Finer than the cell-level parents (`fares = pd.read_csv(...)` in a cell that also reads `df`
    does not depend on `df`). None when `rec` recorded no derivation for the name: the caller then
    falls back to the cell's parents.
    """
    if name not in rec.derivations:
        return None
    position = {r.seq: i for i, r in enumerate(view.executions)}
    found: set[int] = set()
    seen: set[tuple[str, int]] = set()

    def previous_writer(source: str, before: ExecutionRecord) -> Optional[ExecutionRecord]:
        for earlier in reversed(view.executions[:position[before.seq]]):
            if source in written_names(earlier):
                return earlier
        return None

    def visit(variable: str, writer: ExecutionRecord) -> None:
        if (variable, writer.seq) in seen:
            return
        seen.add((variable, writer.seq))
        sources = writer.derivations.get(variable)
        if sources is None:  # no finer record: everything the writing cell depended on
            found.update(upstream_seqs(view, writer.seq))
            return
        for source in sources:
            if source != variable and source in writer.writes:
                visit(source, writer)  # set earlier in the same cell
                continue
            earlier = previous_writer(source, writer)
            if earlier is not None and source not in earlier.code_names:  # a module is not data
                found.add(earlier.seq)
                visit(source, earlier)

    visit(name, rec)
    return sorted(found)


def dependencies(view: SessionView) -> list[str]:
    """One line per final data object or model, most important first; imports and functions left out."""
    last_writer: dict[str, ExecutionRecord] = {}
    order: dict[str, int] = {}
    for rec in view.executions:
        for name in written_names(rec):
            last_writer[name] = rec
            order[name] = len(order) if name not in order else order[name]
    variables = [n for n, rec in last_writer.items() if n not in rec.code_names]
    ranks, estimators = _variable_roles(view)

    def importance(name: str) -> tuple:
        rank = ranks.get(name, RANK_OTHER)
        if rank == RANK_DATA or rank == RANK_OTHER:
            return (rank, -last_writer[name].seq, order[name])  # the latest-built data first
        return (rank, order[name])

    variables.sort(key=importance)
    main = [n for n in variables if ranks.get(n, RANK_OTHER) < RANK_OTHER]
    rest = [n for n in variables if ranks.get(n, RANK_OTHER) == RANK_OTHER]
    lines = []
    for name in main[:MAX_DEPENDENCY_GROUPS]:
        rec = last_writer[name]
        seqs = variable_upstream(view, name, rec)
        if seqs is None:
            seqs = upstream_seqs(view, rec.seq)
        ups = [view.by_seq[s] for s in seqs if s in view.by_seq]
        up_cells = sorted({cell_number(r) for r in ups} - {cell_number(rec)})
        built = f"built from {cite(up_cells)}" if up_cells else "depends on no earlier cell"
        what = _what_it_is(name, ranks.get(name, RANK_OTHER), estimators, rec)
        label = f"{code(name)} ({what})" if what else code(name)
        lines.append(f"{label}: last set in {cite([rec])}, {built}.")
    if len(main) > MAX_DEPENDENCY_GROUPS:
        lines.append(f"Further data objects set earlier are omitted here {cite([last_writer[n] for n in main[MAX_DEPENDENCY_GROUPS:]])}.")
    if rest:
        lines.append(f"Other variables: {names(rest, count_total=False)} {cite([last_writer[n] for n in rest])}.")
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def cite_compact(records: Iterable[ExecutionRecord]) -> str:
    """Like `cite`, with runs of three or more consecutive cells as a range ("[cells 1–40]")."""
    numbers = sorted({cell_number(r) for r in records})
    if len(numbers) <= 1:
        return cite(numbers)
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{run[0]}–{run[-1]}" if len(run) >= 3 else ", ".join(map(str, run)) for run in runs]
    return "[cells " + ", ".join(parts) + "]"


def overview(view: SessionView, notebook_dir: Optional[str] = None) -> str:
    """"In short, it ..." -- the session's pipeline in one sentence, each part citing its cells."""
    parts: list[str] = []
    loaded: list[str] = []
    load_recs: list[ExecutionRecord] = []
    for rec in _described(view):
        for shown in input_files_shown(rec, notebook_dir):
            if shown.display not in loaded:
                loaded.append(shown.display)
                load_recs.append(rec)
    if loaded:
        parts.append(f"loads {names(loaded, count_total=False)} {cite_compact(load_recs)}")
    prepared: list[str] = []
    prep_recs: list[ExecutionRecord] = []
    split_sources: list[str] = []
    split_recs: list[ExecutionRecord] = []
    for rec, group in _section_groups(view, {"preprocessing"}):
        if set(group.ops) == {"split"}:
            split_recs.append(rec)
            split_sources += [i for i in group.steps[0].inputs if i not in split_sources]
            continue
        prep_recs.append(rec)
        if group.output and group.output not in prepared:
            prepared.append(group.output)
    if prep_recs:
        what = names(prepared, limit=4, count_total=False) if prepared else "the data"
        parts.append(f"prepares {what} {cite_compact(prep_recs)}")
    if split_recs:
        what = names(split_sources, count_total=False) if split_sources else "the data"
        parts.append(f"splits {what} into training and test sets {cite_compact(split_recs)}")
    fits: dict[tuple[Optional[str], Optional[str]], list[ExecutionRecord]] = {}
    for rec, group in _section_groups(view, {"model"}):
        for step in group.steps:
            if step.op == "fit_model":
                fits.setdefault((step.detail, step.output), []).append(rec)
    for (estimator, output), recs in list(fits.items())[:MAX_OVERVIEW_MODELS]:
        model = f"a {code(estimator)} model" if estimator else "a model"
        as_name = f" as {code(output)}" if output else ""
        parts.append(f"fits {model}{as_name} {cite_compact(recs)}")
    metrics: list[str] = []
    metric_recs: list[ExecutionRecord] = []
    for rec, group in _section_groups(view, {"model"}):
        for step in group.steps:
            if step.op == "evaluate":
                metric_recs.append(rec)
                if step.detail and step.detail not in metrics:
                    metrics.append(step.detail)
    if metric_recs:
        with_what = f" with {names(metrics, count_total=False)}" if metrics else ""
        parts.append(f"evaluates{with_what} {cite_compact(metric_recs)}")
    if not parts:
        return ""
    return "In short, it " + "; ".join(parts) + "."


def builtin_summary(doc: LineageDocument) -> str:
    notebook = os.path.basename(doc.notebook.rstrip("/")) or doc.notebook
    view = latest_session(doc)
    notebook_dir = _notebook_dir(doc.notebook)
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
    for title, lines, empty in sections:
        out.append(f"## {title}")
        out.append("")
        if lines:
            out.extend(f"- {line}" for line in lines)
        else:
            out.append(empty)
        out.append("")
    return "\n".join(out)
