"""Build the LLM prompt from structured lineage: steps, runtime facts, errors, short outputs.

Never raw logs, and never data values except computed facts (shapes, column names, counts),
unless options["send_raw_outputs"] is true. Everything that came from the notebook (code,
outputs, error messages, paths, column names) passes through `redact` first.

Long sessions are summarised map-reduce: executions are chunked to fit `budget_tokens`
(estimated as chars / 4), each chunk is summarised, and a final prompt combines the parts.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any, Optional

from ..lineage.measured import written_names
from ..protocol import ExecutionRecord, LineageDocument, RuntimeFacts, Step
from ..redaction import redact
from ..render.inferred import inferred_note
from ..render.files_written import failed_run_writes, file_written_line, run_files_written, unfinished_write_line
from ..render.nothing_done import nothing_done
from ..render.words import human_size
from .bullets import format_time
from .quoted_outputs import short_text_outputs
from .session_view import SessionView, cell_number, cite, latest_session, out_of_order_pairs, upstream_seqs

DEFAULT_BUDGET_TOKENS = 6000
MIN_BUDGET_TOKENS = 600
MAX_SOURCE_CHARS = 1500
MAX_RAW_OUTPUT_CHARS = 2000
TRUNCATION_NOTE = " …[truncated]"

SECTIONS = ["Data sources", "Preprocessing", "Modelling and results", "Problems", "Open questions"]

SYSTEM_PROMPT = (
    "You are TrackIT, summarising how a data scientist's Jupyter notebook session transformed its data. "
    "You receive structured lineage recorded while the cells ran: code (secrets redacted), the "
    "transformation steps found in it, row/column counts measured in the kernel, errors and short outputs. "
    "Write for a data scientist, in plain sentences, in Markdown. Use only facts given to you: do not invent "
    "numbers, column names, files or results, and never guess values you were not given. Every claim must "
    "cite the cells it comes from as [cell N] or [cells N, M], using the cell numbers given. "
    "Use exactly these level-2 sections in this order: "
    + ", ".join(f"## {s}" for s in SECTIONS)
    + ". In Preprocessing, list every step in execution order with its row and column effects. "
    "In Problems, cover errors, re-runs, out-of-order execution and changed inputs. "
    "In Open questions, list what a reviewer should check."
)


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


@dataclass
class PromptPlan:
    """Everything that would be sent: one prompt, or several map prompts plus a reduce step."""

    system: str
    header: str
    map_prompts: list[str]
    redactions: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def single(self) -> bool:
        return len(self.map_prompts) == 1


# ------------------------------------------------------------------ facts as text
def _r(text: str, counter: list[int]) -> str:
    cleaned, n = redact(text)
    counter[0] += n
    return cleaned


def _facts_text(facts: RuntimeFacts) -> str:
    parts = []
    if facts.kind:
        parts.append(facts.kind)
    if facts.rows_before is not None or facts.rows_after is not None:
        parts.append(f"rows {facts.rows_before if facts.rows_before is not None else '?'} -> {facts.rows_after if facts.rows_after is not None else '?'}")
    if facts.cols_before is not None or facts.cols_after is not None:
        parts.append(f"columns {facts.cols_before if facts.cols_before is not None else '?'} -> {facts.cols_after if facts.cols_after is not None else '?'}")
    if facts.added_columns:
        parts.append("added columns " + ", ".join(facts.added_columns[:30]))
    if facts.removed_columns:
        parts.append("removed columns " + ", ".join(facts.removed_columns[:30]))
    for col, change in list(facts.dtype_changes.items())[:20]:
        parts.append(f"dtype {col}: {' -> '.join(change)}")
    if facts.nulls_before is not None or facts.nulls_after is not None:
        parts.append(f"missing values {facts.nulls_before if facts.nulls_before is not None else '?'} -> {facts.nulls_after if facts.nulls_after is not None else '?'}")
    if facts.sampled:
        parts.append("(measured on a sample)")
    return "; ".join(parts)


def _step_text(step: Step) -> str:
    bits = [step.op]
    if step.inferred_from:  # lineage/kb/guesses.py: the op is a guess; the summary must not state it as fact
        bits.append(f"op a guess{inferred_note(step)}, not known: say it as probable")
    if step.inputs:
        bits.append("inputs " + ", ".join(step.inputs))
    if step.output:
        bits.append("output " + step.output)
    if step.columns:
        bits.append("columns " + ", ".join(step.columns[:30]))
    if step.derived_from:  # the columns above were computed / written from these
        bits.append("from columns " + ", ".join(step.derived_from[:30]))
    if step.group_keys:  # an aggregate's other columns are those aggregated
        bits.append("grouped by " + ", ".join(step.group_keys[:30]))
    if step.statistic:
        bits.append("statistic " + step.statistic)
    if step.detail:
        bits.append("detail " + step.detail)
    if step.in_function:  # written in a def's body: done when the function is called, not when this cell ran
        bits.append(f"written in the body of function {step.in_function}: runs when it is called")
    if step.static_op is not None:  # lineage/runtime_decisions.py: the kernel saw it remove or fill nothing
        rerun = f", a re-run starting from run #{step.rerun_of}'s result" if step.rerun_of is not None else ""
        bits.append(f"written as {step.static_op} but {nothing_done(step)}{rerun}: not a {step.static_op} step")
    if step.gaps_left:  # lineage/fill_columns.py: counted by column, these columns it was to fill kept their gaps
        bits.append("left unfilled: " + ", ".join(f"{column} {missing} missing"
                                                  for column, missing in step.gaps_left.items()))
    if step.input_file is not None:
        f = step.input_file
        extra = [f.path]
        if f.size is not None:
            extra.append(f"{f.size} bytes ({human_size(f.size)})")
        if f.sha256:
            extra.append(f"sha256 {f.sha256[:8]}")
        if f.changed_since:
            extra.append(f"CHANGED since last session (was {f.changed_since[:8]})")
        bits.append("file " + ", ".join(extra))
    text = "; ".join(bits)
    if step.runtime is not None:
        facts = _facts_text(step.runtime)
        if facts:
            text += f" | measured: {facts}"
    return text


def _looks_like_rows(text: str) -> bool:
    """Tables and frame dumps are raw data; metrics like "accuracy 0.81" are computed facts."""
    if "<table" in text.lower() or "<tr" in text.lower():
        return True
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) >= 2 and sum(1 for line in lines if len(line.split()) >= 3) >= 2


def execution_text(rec: ExecutionRecord, view: SessionView, options: dict[str, Any], counter: list[int],
                   max_chars: Optional[int] = None) -> str:
    ec = f"execution count {rec.execution_count}, " if rec.execution_count is not None else ""
    lines = [f"### [cell {cell_number(rec)}] {ec}run #{rec.seq}, status {rec.status}, {rec.duration_ms:.0f} ms"]
    source = rec.source if len(rec.source) <= MAX_SOURCE_CHARS else rec.source[:MAX_SOURCE_CHARS] + TRUNCATION_NOTE
    lines.append("code:\n```python\n" + source + "\n```")
    if rec.steps:
        # a failed run's steps are the code as written; only those with measured facts took effect
        lines.append("steps:" if rec.status == "ok" else "steps as written (the run stopped; only measured ones took effect):")
        lines.extend(f"- {_step_text(s)}" for s in rec.steps)
    elif any(not f.displayed for f in rec.runtime):
        lines.append("measured objects:")
        lines.extend(f"- {(f.variable or '?') + ': ' + _facts_text(f)}" for f in rec.runtime if not f.displayed)
    for f in rec.input_files:
        # the file name only: an absolute path tells a provider the user's name and folder layout, and the
        # load step above already carries the path as the code wrote it
        desc = f"input file {os.path.basename(f.path)}" + (f", {f.size} bytes" if f.size is not None else "")
        if f.changed_since:
            desc += " (CHANGED since last session)"
        lines.append(desc)
    # saving is no step: without these a provider's summary could not say which file the notebook produced
    lines.extend(f"file written: {file_written_line(w)}" for w in run_files_written(rec))
    lines.extend(f"file write: {unfinished_write_line(w)}" for w in failed_run_writes(rec))
    if rec.reads or rec.writes:
        lines.append(f"reads: {', '.join(rec.reads) or '-'}; writes: {', '.join(rec.writes) or '-'}")
    parents = [view.by_seq[p] for p in view.parents.get(rec.seq, []) if p in view.by_seq]
    if parents:
        lines.append(f"uses results of {cite(parents)}")
    if rec.analysis_error:
        lines.append(f"lineage: {rec.analysis_error}")
    if rec.error is not None:
        lines.append(f"error: {rec.error.name or 'Error'}: {(rec.error.message or '').strip()[:500]}")
    if rec.outcome:
        lines.append(f"outcome: {rec.outcome}")
    if rec.stale == "edited":
        lines.append("stale: the cell was edited since this run")
    elif rec.stale == "upstream":
        edited = [view.by_seq[s] for s in rec.stale_because if s in view.by_seq]
        lines.append(f"stale: uses results of {cite(edited) if edited else 'cells'} edited since")
    if options.get("send_raw_outputs"):
        for out in rec.outputs:
            if out.text:
                text = out.text[:MAX_RAW_OUTPUT_CHARS] + (TRUNCATION_NOTE if len(out.text) > MAX_RAW_OUTPUT_CHARS else "")
                lines.append(f"output ({out.mime}):\n{text}")
    else:
        shorts = [t for t in short_text_outputs(rec) if not _looks_like_rows(t)]
        for text in shorts:
            lines.append(f"short output: {text}")
        withheld = len([o for o in rec.outputs if o.output_type != "error"]) - len(shorts)
        if withheld > 0:
            lines.append(f"{withheld} other outputs withheld (raw data is not sent)")
    # one redaction pass per execution: cheaper than per line, and catches secrets split across fields
    text = _r("\n".join(lines), counter)
    if max_chars is not None and len(text) > max_chars:
        text = text[: max(0, max_chars - len(TRUNCATION_NOTE))] + TRUNCATION_NOTE
    return text


def header_text(doc: LineageDocument, view: SessionView, counter: list[int]) -> str:
    notebook = os.path.basename(doc.notebook.rstrip("/")) or doc.notebook
    cells = {r.cell_id for r in view.executions}
    lines = [
        f"Notebook: {_r(notebook, counter)}",
        f"Session {view.session_id} started {format_time(view.started_at)}: {len(view.executions)} executions "
        f"of {len(cells)} cells (earlier sessions not included: {view.earlier_sessions}).",
    ]
    errors = [r for r in view.executions if r.status == "error"]
    if errors:
        lines.append(f"Errors: {len(errors)} in {cite(errors)}.")
    reran = [runs for runs in view.runs_per_cell.values() if len(runs) > 1]
    if reran:
        lines.append("Re-run cells: " + "; ".join(f"{cite(runs[:1])} {len(runs)} times" for runs in reran[:30]) + ".")
    pairs = out_of_order_pairs(view)
    if pairs:
        lines.append("Out-of-order runs: " + "; ".join(f"{cite([a])} after {cite([b])}" for a, b in pairs[:30]) + ".")
    unanalysed = [r for r in view.executions if r.analysis_error]
    if unanalysed:
        lines.append(f"Not analysed: {cite(unanalysed)}.")
    last_writer: dict[str, ExecutionRecord] = {}
    for rec in view.executions:
        for name in written_names(rec):
            last_writer[name] = rec
    deps = []
    for name, rec in sorted(last_writer.items(), key=lambda kv: -kv[1].seq)[:20]:
        ups = {cell_number(view.by_seq[s]) for s in upstream_seqs(view, rec.seq) if s in view.by_seq}
        stale = " (from code edited since)" if rec.stale else ""
        deps.append(f"{name} <- {cite([rec])}" + (f" built from {cite(ups)}" if ups else "") + stale)
    if deps:
        lines.append(_r("Final variables: " + "; ".join(deps) + ".", counter))
    return "\n".join(lines)


def _map_prompt(header: str, body: list[str], part: int, parts: int) -> str:
    if parts == 1:
        intro = "Summarise this notebook session."
    else:
        intro = (f"This is part {part} of {parts} of a long notebook session. Summarise only the executions below, "
                 "keeping every [cell N] citation and every measured number; another step will combine the parts.")
    return "\n\n".join([intro, "## Session facts", header, "## Executions in the order they ran", *body])


def plan_prompt(doc: LineageDocument, budget_tokens: int = DEFAULT_BUDGET_TOKENS,
                options: Optional[dict[str, Any]] = None) -> PromptPlan:
    options = options or {}
    budget_tokens = max(int(budget_tokens), MIN_BUDGET_TOKENS)
    counter = [0]
    view = latest_session(doc)
    header = header_text(doc, view, counter)
    overhead = estimate_tokens(_map_prompt(header, [], 99, 99))
    # a single execution never gets more than the room left after the fixed part
    room_chars = max(400, (budget_tokens - overhead) * 4)
    blocks = [execution_text(r, view, options, counter, max_chars=room_chars) for r in view.executions]

    chunks: list[list[str]] = [[]]
    used = overhead
    for block in blocks:
        cost = estimate_tokens(block) + 1
        if chunks[-1] and used + cost > budget_tokens:
            chunks.append([])
            used = overhead
        chunks[-1].append(block)
        used += cost
    prompts = [_map_prompt(header, chunk, i + 1, len(chunks)) for i, chunk in enumerate(chunks)]
    plan = PromptPlan(system=SYSTEM_PROMPT, header=header, map_prompts=prompts, redactions=counter[0])
    if counter[0]:
        plan.warnings.append(f"{counter[0]} secrets were redacted before building the prompt.")
    if not view.executions:
        plan.warnings.append("No executions recorded: nothing to summarise.")
    return plan


def build_reduce_prompt(plan: PromptPlan, partial_summaries: list[str]) -> str:
    parts = [f"### Part {i + 1}\n{redact(text)[0].strip()}" for i, text in enumerate(partial_summaries)]
    return "\n\n".join([
        f"Combine these {len(partial_summaries)} partial summaries of one notebook session into one summary. "
        "Keep the [cell N] citations and the measured numbers exactly; drop repetition.",
        "## Session facts", plan.header, "## Partial summaries", *parts,
    ])


def build_prompt(doc: LineageDocument, budget_tokens: int = DEFAULT_BUDGET_TOKENS,
                 options: Optional[dict[str, Any]] = None) -> list[str]:
    """The map prompts (one when the session fits the budget)."""
    return plan_prompt(doc, budget_tokens, options).map_prompts


def render_preview(plan: PromptPlan) -> str:
    """The exact text that would be sent, for the user to inspect before any network call."""
    out = ["=== system ===", plan.system]
    if plan.single:
        out += ["=== user ===", plan.map_prompts[0]]
        return "\n".join(out)
    for i, text in enumerate(plan.map_prompts):
        out += [f"=== user (part {i + 1} of {len(plan.map_prompts)}) ===", text]
    placeholders = [f"<summary of part {i + 1}>" for i in range(len(plan.map_prompts))]
    out += ["=== user (combine step) ===", build_reduce_prompt(plan, placeholders)]
    return "\n".join(out)
