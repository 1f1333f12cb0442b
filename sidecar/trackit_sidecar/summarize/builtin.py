"""Offline, deterministic Markdown narrative of a notebook's latest session.

Pure: takes a `LineageDocument`, returns Markdown. No clock, no I/O, no randomness, so the
same lineage always gives the same text (the editor caches and diffs it).

Every sentence ends with the cells it comes from, "[cell 3]" / "[cells 2, 5]" (1-based cell
numbers = cell_index + 1), so `faithfulness.check` can verify the built-in text like an LLM's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Optional

from ..protocol import ExecutionRecord, InputFile, LineageDocument, RuntimeFacts, Step

MINUS = "\u2212"  # typographic minus: reads better than "-" next to numbers
ARROW = "\u2192"

SOURCE_OPS = {"load"}
MODEL_OPS = {"fit_model", "predict", "evaluate"}

MAX_LISTED_PROBLEMS = 12
MAX_LISTED_COLUMNS = 8
MAX_DEPENDENCY_GROUPS = 15
SHORT_OUTPUT_CHARS = 200
SHORT_OUTPUT_LINES = 3


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
    return view


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
        found = sorted({last_writer[name] for name in rec.reads if name in last_writer})
        parents[rec.seq] = found
        for name in rec.writes:
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


# ------------------------------------------------------------------ wording helpers
def code(name: str) -> str:
    return f"`{name}`"


def names(items: Iterable[str], limit: int = MAX_LISTED_COLUMNS) -> str:
    items = [i for i in items if i]
    shown = [code(i) for i in items[:limit]]
    if len(items) > limit:
        shown.append("among others")
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def signed(delta: int) -> str:
    if delta > 0:
        return f"+{delta:,}"
    if delta < 0:
        return f"{MINUS}{-delta:,}"
    return "0"


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    if size < 1024 ** 3:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024 ** 3:.1f} GB"


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


def runtime_effects(facts: Optional[RuntimeFacts], op: str = "") -> list[str]:
    """Row/column/dtype/null effects measured in the kernel, as short phrases."""
    if facts is None:
        return []
    effects = []
    rb, ra = facts.rows_before, facts.rows_after
    if rb is not None and ra is not None:
        if rb == ra:
            effects.append(f"{ra:,} rows (unchanged)")
        else:
            effects.append(f"{rb:,} {ARROW} {ra:,} rows ({signed(ra - rb)})")
    elif ra is not None:
        effects.append(f"{ra:,} rows")
    cb, ca = facts.cols_before, facts.cols_after
    if cb is not None and ca is not None and cb != ca:
        effects.append(f"{cb:,} {ARROW} {ca:,} columns ({signed(ca - cb)})")
    elif ca is not None and cb is None:
        effects.append(f"{ca:,} columns")
    if facts.added_columns and op != "encode_categorical":
        effects.append("added " + names(facts.added_columns))
    if facts.removed_columns:
        effects.append("removed " + names(facts.removed_columns))
    for column, change in list(facts.dtype_changes.items())[:MAX_LISTED_COLUMNS]:
        if len(change) == 2:
            effects.append(f"{code(column)} {change[0]} {ARROW} {change[1]}")
    nb, na = facts.nulls_before, facts.nulls_after
    if nb is not None and na is not None and nb != na:
        effects.append(f"missing values {nb:,} {ARROW} {na:,}")
    if facts.sampled:
        effects.append("measured on a sample")
    return effects


def _target(step: Step) -> str:
    if step.inputs:
        return names(step.inputs)
    if step.output:
        return code(step.output)
    return "the data"


def _into(step: Step) -> str:
    if step.output and step.output not in step.inputs:
        return f" into {code(step.output)}"
    return ""


def _on_columns(step: Step, word: str = "in") -> str:
    return f" {word} {names(step.columns)}" if step.columns else ""


def _detail(step: Step) -> str:
    return f" ({step.detail})" if step.detail else ""


def describe_step(step: Step) -> str:
    """One clause naming what a step did (without its effects or citation)."""
    op = step.op
    target = _target(step)
    if op == "load":
        source = (step.input_file.path if step.input_file else None) or step.detail or "a source"
        where = f" into {code(step.output)}" if step.output else ""
        return f"Loaded {code(source)}{where}"
    if op == "filter_rows":
        return f"Filtered rows of {target}{_on_columns(step, 'on')}{_into(step)}"
    if op == "select_columns":
        cols = names(step.columns) if step.columns else "a subset of columns"
        return f"Selected {cols} from {target}{_into(step)}"
    if op == "drop_columns":
        cols = names(step.columns) if step.columns else "columns"
        return f"Dropped {cols} from {target}{_into(step)}"
    if op == "impute_missing":
        return f"Filled missing values{_on_columns(step)} of {target}{_detail(step)}{_into(step)}"
    if op == "drop_missing":
        return f"Dropped rows with missing values{_on_columns(step)} from {target}{_into(step)}"
    if op == "drop_duplicates":
        return f"Dropped duplicate rows{_on_columns(step, 'by')} from {target}{_into(step)}"
    if op == "rename":
        return f"Renamed {names(step.columns) if step.columns else 'columns'} of {target}{_into(step)}"
    if op == "type_cast":
        to = f" to {step.detail}" if step.detail else ""
        return f"Converted {names(step.columns) if step.columns else 'the type'} of {target}{to}{_into(step)}"
    if op == "encode_categorical":
        detail = (step.detail or "").lower().replace("-", "").replace("_", "")
        verb = "One-hot encoded" if ("dummies" in detail or "onehot" in detail) else "Encoded"
        what = names(step.columns) if step.columns else target
        of = f" of {target}" if step.columns else ""
        extra = f" ({step.detail})" if step.detail and verb == "Encoded" else ""
        added = step.runtime.added_columns if step.runtime else []
        into_cols = f" into {len(added)} columns" if added else ""
        return f"{verb} {what}{of}{extra}{into_cols}{_into(step)}"
    if op == "scale_normalize":
        return f"Scaled{_on_columns(step)} {target}{_detail(step)}{_into(step)}"
    if op == "derive_feature":
        cols = names(step.columns) if step.columns else "a new feature"
        return f"Derived {cols} in {target}{_into(step)}"
    if op == "aggregate":
        return f"Aggregated {target}{_on_columns(step, 'by')}{_detail(step)}{_into(step)}"
    if op == "join":
        left = code(step.inputs[0]) if step.inputs else "data"
        right = names(step.inputs[1:]) if len(step.inputs) > 1 else "another table"
        key = step.detail or (", ".join(step.columns) if step.columns else "")
        on = f" on {code(key)}" if key else ""
        return f"Joined {left} with {right}{on}{_into(step)}"
    if op == "concat":
        return f"Concatenated {target}{_into(step)}"
    if op == "reshape":
        return f"Reshaped {target}{_detail(step)}{_into(step)}"
    if op == "sort":
        return f"Sorted {target}{_on_columns(step, 'by')}{_into(step)}"
    if op == "sample":
        return f"Sampled rows of {target}{_detail(step)}{_into(step)}"
    if op == "split":
        outs = f", giving {code(step.output)}" if step.output else ""
        return f"Split {target} into training and test sets{_detail(step)}{outs}"
    if op == "datetime_parse":
        return f"Parsed{_on_columns(step)} of {target} as dates{_into(step)}"
    if op == "text_clean":
        return f"Cleaned text{_on_columns(step)} of {target}{_into(step)}"
    if op == "outlier_remove":
        return f"Removed outliers{_on_columns(step, 'by')} from {target}{_into(step)}"
    if op == "fit_model":
        model = f"a {code(step.detail)} model" if step.detail else "a model"
        as_name = f" as {code(step.output)}" if step.output else ""
        on = f" on {names(step.inputs)}" if step.inputs else ""
        return f"Fitted {model}{as_name}{on}"
    if op == "predict":
        with_model = f" with {code(step.inputs[0])}" if step.inputs else ""
        on = f" on {names(step.inputs[1:])}" if len(step.inputs) > 1 else ""
        return f"Predicted{with_model}{on}{_into(step)}"
    if op == "evaluate":
        metric = f" with {code(step.detail)}" if step.detail else ""
        return f"Evaluated {target}{metric}{_into(step)}"
    what = f"{code(step.detail)} on " if step.detail else "an operation on "
    return f"Ran {what}{target}{_into(step)}"


def step_sentence(step: Step, rec: ExecutionRecord, reruns: bool) -> str:
    effects = runtime_effects(step.runtime, step.op)
    text = describe_step(step)
    if effects:
        text += ": " + "; ".join(effects)
    when = f" (In [{rec.execution_count}])" if reruns and rec.execution_count is not None else ""
    return f"{text} {cite([rec])}{when}."


# ------------------------------------------------------------------ sections
def _input_file_sentence(f: InputFile, rec: ExecutionRecord, output: Optional[str], effects: list[str]) -> str:
    parts = []
    if f.size is not None:
        parts.append(human_size(f.size))
    if f.sha256:
        parts.append(f"sha256 {f.sha256[:8]}")
    facts = f" ({', '.join(parts)})" if parts else ""
    into = f" into {code(output)}" if output else ""
    text = f"Loaded {code(f.path)}{facts}{into}"
    if effects:
        text += ": " + "; ".join(effects)
    if f.changed_since:
        text += f". The file changed since the last session (it was sha256 {f.changed_since[:8]})"
    if f.error:
        text += f". It could not be inspected ({f.error})"
    return f"{text} {cite([rec])}."


def data_sources(view: SessionView) -> list[str]:
    lines = []
    for rec in view.executions:
        described_paths = set()
        for step in rec.steps:
            if step.op not in SOURCE_OPS:
                continue
            if step.input_file is not None:
                described_paths.add(step.input_file.path)
                effects = runtime_effects(step.runtime, step.op)
                lines.append(_input_file_sentence(step.input_file, rec, step.output, effects))
            else:
                lines.append(step_sentence(step, rec, reruns=False))
                if step.detail:
                    described_paths.add(step.detail)
        for f in rec.input_files:
            if f.path not in described_paths:
                lines.append(_input_file_sentence(f, rec, None, []))
    return lines


def preprocessing(view: SessionView) -> list[str]:
    lines = []
    for rec in view.executions:
        reruns = len(view.runs_per_cell.get(rec.cell_id, [])) > 1
        for step in rec.steps:
            if step.op in SOURCE_OPS or step.op in MODEL_OPS:
                continue
            lines.append(step_sentence(step, rec, reruns))
    return lines


def modelling(view: SessionView) -> list[str]:
    lines = []
    for rec in view.executions:
        reruns = len(view.runs_per_cell.get(rec.cell_id, [])) > 1
        model_steps = [s for s in rec.steps if s.op in MODEL_OPS]
        for step in model_steps:
            lines.append(step_sentence(step, rec, reruns))
        if any(s.op == "evaluate" for s in model_steps):
            for text in short_text_outputs(rec):
                lines.append(f"The evaluation printed \u201c{text}\u201d {cite([rec])}.")
    return lines


def problems(view: SessionView) -> list[str]:
    lines = []
    for rec in view.executions:
        if rec.status == "error":
            name = rec.error.name if rec.error and rec.error.name else "an error"
            message = f": {rec.error.message.strip().splitlines()[0]}" if rec.error and rec.error.message and rec.error.message.strip() else ""
            count = f" (In [{rec.execution_count}])" if rec.execution_count is not None else ""
            lines.append(f"Cell {cell_number(rec)}{count} failed with {name}{message} {cite([rec])}.")
        elif rec.status == "cancelled":
            lines.append(f"Cell {cell_number(rec)} was interrupted before it finished {cite([rec])}.")
    reran = [runs for runs in view.runs_per_cell.values() if len(runs) > 1]
    reran.sort(key=lambda runs: runs[0].seq)
    for runs in reran[:MAX_LISTED_PROBLEMS]:
        counts = [str(r.execution_count) for r in runs if r.execution_count is not None]
        at = f" (execution counts {', '.join(counts)})" if counts else ""
        lines.append(f"Cell {cell_number(runs[0])} was run {len(runs)} times{at} {cite(runs[:1])}.")
    if len(reran) > MAX_LISTED_PROBLEMS:
        lines.append("Further cells were re-run as well; see the cell history.")
    pairs = out_of_order_pairs(view)
    for rec, prev in pairs[:MAX_LISTED_PROBLEMS]:
        lines.append(
            f"Cell {cell_number(rec)} ran after cell {cell_number(prev)}, out of notebook order {cite([rec, prev])}."
        )
    if len(pairs) > MAX_LISTED_PROBLEMS:
        lines.append("The notebook was run out of order further times; a top-to-bottom rerun may give different results.")
    for rec in view.executions:
        files = [f for s in rec.steps if s.input_file for f in [s.input_file]] + list(rec.input_files)
        seen = set()
        for f in files:
            if f.changed_since and f.path not in seen:
                seen.add(f.path)
                lines.append(f"Input {code(f.path)} changed since the last session, so results may differ from before {cite([rec])}.")
    unanalysed = [r for r in view.executions if r.analysis_error]
    reasons: dict[str, list[ExecutionRecord]] = {}
    for rec in unanalysed:
        reasons.setdefault(rec.analysis_error or "", []).append(rec)
    for reason, recs in reasons.items():
        why = reason.removeprefix("not analysed:").strip() or "unknown reason"
        lines.append(f"Some code was not analysed ({why}), so its lineage is incomplete {cite(recs)}.")
    return lines


def dependencies(view: SessionView) -> list[str]:
    last_writer: dict[str, ExecutionRecord] = {}
    for rec in view.executions:
        for name in rec.writes:
            last_writer[name] = rec
    by_writer: dict[int, list[str]] = {}
    for name, rec in last_writer.items():
        by_writer.setdefault(rec.seq, []).append(name)
    lines = []
    for seq in sorted(by_writer, reverse=True)[:MAX_DEPENDENCY_GROUPS]:
        rec = view.by_seq[seq]
        variables = names(sorted(by_writer[seq]))
        ups = [view.by_seq[s] for s in upstream_seqs(view, seq) if s in view.by_seq]
        up_cells = sorted({cell_number(r) for r in ups} - {cell_number(rec)})
        if up_cells:
            built = f"built from {cite(up_cells)}"
        else:
            built = "depends on no earlier cell"
        lines.append(f"{variables}: last set in {cite([rec])}, {built}.")
    if len(by_writer) > MAX_DEPENDENCY_GROUPS:
        lines.append("Variables set earlier in the session are omitted here.")
    return lines


def builtin_summary(doc: LineageDocument) -> str:
    notebook = os.path.basename(doc.notebook.rstrip("/")) or doc.notebook
    view = latest_session(doc)
    if not view.executions:
        return f"# {notebook}\n\nNo cell executions have been recorded for this notebook yet.\n"

    cells = {r.cell_id for r in view.executions}
    errors = sum(1 for r in view.executions if r.status == "error")
    total_ms = sum(r.duration_ms for r in view.executions)
    out = [f"# {notebook} \u2014 session of {format_time(view.started_at)}", ""]
    intro = (
        f"This session ran {len(view.executions)} executions of {len(cells)} cells"
        f" (total run time {human_duration(total_ms)})"
    )
    intro += f", with {errors} failing." if errors else ", all without errors."
    if view.earlier_sessions == 1:
        intro += " One earlier session is not covered here."
    elif view.earlier_sessions:
        intro += f" {view.earlier_sessions} earlier sessions are not covered here."
    out += [intro, ""]

    sections = [
        ("Data sources", data_sources(view), "No data was loaded from files in this session."),
        ("Preprocessing", preprocessing(view), "No preprocessing steps were recognised."),
        ("Modelling and results", modelling(view), "No model was fitted or evaluated."),
        ("Problems", problems(view), "No problems found: every cell ran once, in notebook order, without errors."),
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
