"""How a summary bullet is put together: a step group's sentence, its citation, durations and times."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional, Sequence

from ..lineage.code_names import call_derivations
from ..protocol import ExecutionRecord
from ..render.groups import StepGroup
from ..render.loops import LoopNotes
from ..render.sentences import group_phrase, with_effects
from .session_view import cite


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


def run_label(rec: ExecutionRecord, reruns: bool) -> str:
    return f" (In [{rec.execution_count}])" if reruns and rec.execution_count is not None else ""


def group_sentence(group: StepGroup, rec: ExecutionRecord, reruns: bool,
                   file_facts: Optional[dict[int, str]] = None, notes: Sequence[str] = (),
                   loop_notes: Optional[LoopNotes] = None) -> str:
    """One bullet for one group of steps: the clauses, the group's combined effect, notes, citation. `loop_notes`: those
    of the bullets just above (a loop is said once for the bullets of one run under it); without, in full."""
    loop_notes = loop_notes.of_run(rec.seq) if loop_notes is not None else None
    text = with_effects(group_phrase(group, file_facts, rec.runtime, call_derivations(rec), loop_notes), group,
                        rec.steps, rec.runtime)
    for note in notes:
        text += f". {note}"
    return f"{text} {cite([rec])}{run_label(rec, reruns)}."


def times(count: int) -> str:
    """"twice", "3 times": how often something happened, as people say it."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")
