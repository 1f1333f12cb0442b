"""Per-cell annotation (hover and status bar) from a notebook's linked lineage, and its Markdown. Pure."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Optional, Sequence

from ..protocol import CellAnnotation, CellRef, ExecutionRecord, LineageDocument
from ..lineage.code_names import code_written, data_names
from ..lineage.measured import read_names, written_names
from .effects import runtime_delta
from .sentences import describe_execution, outcome_note
from .words import error_line


if TYPE_CHECKING:
    from ..summarize.finding import Finding


def _ref(e: ExecutionRecord) -> CellRef:
    return CellRef(seq=e.seq, cell_id=e.cell_id, cell_index=e.cell_index, execution_count=e.execution_count)


def _dependents(executions: list[ExecutionRecord], seqs: set[int]) -> list[ExecutionRecord]:
    """Executions that read (directly or transitively) from any of `seqs`."""
    found: set[int] = set()
    frontier = set(seqs)
    for e in executions:  # seq order: a dependent always comes after what it depends on
        if frontier.intersection(e.parents) and e.seq not in seqs:
            found.add(e.seq)
            frontier.add(e.seq)
    return [e for e in executions if e.seq in found]


def _ago(iso: str, now: datetime | None) -> str:
    try:
        then = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    now = now or datetime.now(timezone.utc)
    secs = max(0, int((now - then).total_seconds()))
    if secs < 60:
        return f"{secs}s ago"
    if secs < 3600:
        return f"{secs // 60} min ago"
    if secs < 86400:
        return f"{secs // 3600} h ago"
    return then.strftime("%Y-%m-%d %H:%M")


# what the rest of the hover says already: the headline says a failure or an interrupt and how many times the cell ran,
# the italic line that its code was not analysed
SAID_ELSEWHERE = frozenset({"failed", "cancelled", "re-run", "not analysed"})


def _cell_label(e: ExecutionRecord) -> str:
    count = f"[{e.execution_count}]" if e.execution_count is not None else "[ ]"
    return f"cell {e.cell_index + 1} {count}"


def build_annotation(doc: LineageDocument, cell_id: str, now: datetime | None = None,
                     run_count: int | None = None, problems: Optional[Sequence[Finding]] = None) -> CellAnnotation:
    """Everything a hover says about one cell: runs, last outcome, reads/writes, upstream, downstream, effects and
    the session's problems about its latest run.

    `doc.executions` must have parents linked (graph.link_parents); it may be only the session of the cell's
    latest run, with `run_count` its runs over all sessions. `problems`: the findings of that session when the caller
    holds them (they read the whole session), else found here.
    """
    runs = [e for e in doc.executions if e.cell_id == cell_id]
    if not runs:
        return CellAnnotation(cell_id=cell_id, markdown="**TrackIT** \u2014 this cell has not run since tracking started.")
    last = runs[-1]
    by_seq = {e.seq: e for e in doc.executions}
    upstream = [by_seq[s] for s in last.parents if s in by_seq]
    session_runs = [e for e in doc.executions if e.session == last.session]
    downstream = [e for e in _dependents(session_runs, {last.seq}) if e.cell_id != cell_id]
    # one entry per downstream cell, its latest run
    latest_down: dict[str, ExecutionRecord] = {}
    for e in downstream:
        latest_down[e.cell_id] = e

    ann = CellAnnotation(
        cell_id=cell_id,
        run_count=run_count if run_count is not None else len(runs),
        last_run_at=last.ended_at,
        last_status=last.status,
        last_duration_ms=last.duration_ms,
        last_execution_count=last.execution_count,
        last_seq=last.seq,
        reads=data_names(last, read_names(last)),
        writes=data_names(last, written_names(last)),
        upstream=[_ref(e) for e in upstream],
        downstream=[_ref(e) for e in latest_down.values()],
        steps=last.steps,
        stale=last.stale,
    )
    # the summary's findings load only when a hover is built, not with `trackit lineage` (test_cli_startup)
    from ..summarize.finding import findings_on
    from ..summarize.problems import session_problems

    found = problems if problems is not None else session_problems(doc, last.session)
    ann.problems = findings_on(list(found), last, SAID_ELSEWHERE)
    edited = [by_seq[s] for s in last.stale_because if s in by_seq and s != last.seq]
    ann.markdown = render_markdown(ann, last, upstream, list(latest_down.values()), now, edited)
    return ann


def _headline(ann: CellAnnotation, last: ExecutionRecord, now: datetime | None) -> str:
    """The first paragraph: how the last run ended, its error first when it failed."""
    times = "once" if ann.run_count == 1 else f"{ann.run_count} times"
    when = f"{_ago(last.ended_at, now)} as [{last.execution_count or ' '}]"
    if last.status == "ok":
        return f"**TrackIT** \u2014 ran {times}, last {when}, ok in {last.duration_ms:,.0f} ms"
    error = last.error
    if last.status == "error":
        what = f"**failed** with `{error.name}`" if error and error.name else "**failed**"
        if error and error.message:
            what += f": {error_line(error.message)}"
    elif last.execution_count is None:
        what = "**cancelled** before it ran"
    else:
        what = "**interrupted**"
    return f"**TrackIT** \u2014 {what} \u2014 last run {when}, after {last.duration_ms:,.0f} ms (ran {times})"


def render_markdown(
    ann: CellAnnotation,
    last: ExecutionRecord,
    upstream: list[ExecutionRecord],
    downstream: list[ExecutionRecord],
    now: datetime | None = None,
    edited: list[ExecutionRecord] | None = None,
) -> str:
    """`edited`: the edited runs a stale `last` comes from (other than itself)."""
    paragraphs = [_headline(ann, last, now)]
    if last.stale == "edited":
        paragraphs.append("**stale**: the cell was edited since this run")
    elif last.stale == "upstream":
        where = ", ".join(_cell_label(e) for e in edited or [])
        paragraphs.append(f"**stale**: it used results of {where or 'a cell'}, edited since")
    note = outcome_note(last)
    if note and not note.startswith("cancelled"):
        paragraphs.append(note[:1].upper() + note[1:] + ".")
    if last.analysis_error:
        paragraphs.append(f"_{last.analysis_error}_")
    if ann.problems:
        paragraphs.append("\u26a0 **problems**\n\n" + "\n".join(f"- {text}" for text in ann.problems))
    names = []
    code = code_written(last)
    for verb, listed in (("reads", data_names(last, read_names(last))), ("writes", data_names(last, written_names(last))),
                         ("imports", code["module"]), ("defines", code["function"] + code["class"])):
        if listed:
            names.append(f"**{verb}** " + ", ".join(f"`{n}`" for n in listed))
    if names:
        paragraphs.append("  \n".join(names))  # two spaces: a Markdown line break
    lines = describe_execution(last)
    if lines:
        paragraphs.append("\n".join(f"- {t}" for t in lines))
    elif last.status == "ok" or last.applied_writes is not None:
        applied = None if last.status == "ok" else set(last.applied_writes or [])
        effects = [f"- `{f.variable}`: {runtime_delta(f)}" for f in last.runtime
                   if f.variable and runtime_delta(f) and (applied is None or f.variable in applied)]
        if effects:
            paragraphs.append("\n".join(effects))
    if upstream:
        paragraphs.append("**depends on** " + ", ".join(_cell_label(e) for e in upstream))
    if downstream:
        paragraphs.append("**used by** " + ", ".join(_cell_label(e) for e in downstream))
    else:
        paragraphs.append("_nothing downstream reads what this cell wrote_")
    return "\n\n".join(paragraphs)
