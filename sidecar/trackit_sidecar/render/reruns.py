"""Re-runs in one session: honest "before" facts for names a re-run rebinds without reading them."""

from __future__ import annotations

from typing import Optional, Sequence

from ..protocol import ExecutionRecord, RuntimeFacts
from .effects import without_before


def facts_by_variable(rec: ExecutionRecord) -> dict[str, RuntimeFacts]:
    found = {f.variable: f for f in rec.runtime if f.variable}
    for step in rec.steps:
        if step.runtime is not None and step.runtime.variable:
            found.setdefault(step.runtime.variable, step.runtime)
    return found


def first_writers(earlier: Sequence[ExecutionRecord]) -> dict[str, int]:
    """name -> index in `earlier` of the first execution that wrote it."""
    found: dict[str, int] = {}
    for index, prior in enumerate(earlier):
        for name in prior.writes:
            found.setdefault(name, index)
    return found


def restate_rebound_facts(rec: ExecutionRecord, earlier: Sequence[ExecutionRecord],
                          first_writer: Optional[dict[str, int]] = None) -> ExecutionRecord:
    """`rec` with honest "before" facts for names it rebinds without reading them.

    `earlier`: the executions of the same session before `rec`, in order. When `rec` assigns a
    name it does not read (`df = passengers.drop_duplicates()`) and an earlier execution had set
    that name, the kernel's "before" is that stale value (a second Run All says "889 → 891 rows").
    Then, if an earlier run of the same code produced the identical object (same fingerprint) at a
    time the name was still unset, its facts describe this run's change exactly and are reused;
    otherwise only the new object's own shape is kept. `rec` itself is never modified.
    `first_writer`: `first_writers(earlier)` when the caller keeps it up to date (a whole session at once).
    """
    if first_writer is None:
        first_writer = first_writers(earlier)
    stale = {name for name in rec.writes if name in first_writer and name not in rec.reads}
    if not stale:
        return rec
    facts = facts_by_variable(rec)
    replacement: dict[str, RuntimeFacts] = {}
    for name in stale:
        fact = facts.get(name)
        if fact is None:
            continue
        replacement[name] = without_before(fact)  # type: ignore[assignment]
        if not fact.fingerprint:
            continue
        for index, prior in enumerate(earlier):
            if prior.source_sha256 != rec.source_sha256 or first_writer.get(name, index) < index:
                continue  # other code, or the name was already set then (its "before" is stale too)
            clean = facts_by_variable(prior).get(name)
            if clean is not None and clean.fingerprint == fact.fingerprint:
                replacement[name] = clean
                break
    if not replacement:
        return rec
    # shallow copies: only the facts are replaced, never changed
    copy = rec.model_copy()
    copy.runtime = [replacement.get(f.variable or "", f) for f in rec.runtime]
    copy.steps = [step.model_copy(update={"runtime": replacement[step.runtime.variable]})
                  if step.runtime is not None and step.runtime.variable in replacement else step
                  for step in rec.steps]
    return copy
