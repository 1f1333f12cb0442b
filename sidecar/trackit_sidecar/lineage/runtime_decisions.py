"""Runtime facts decide what static analysis cannot. Pure: steps and facts in, steps out.

Static analysis decides every op it can know from the code; the same code then gives the same op with and
without a kernel. Two things only the kernel can tell:

- What a cell's last bare expression showed (`Step.displays_result`). Static analysis already drops what the
  code shows to be an answer (`df[df.x == "a"].y.sum()`, `df[mask].shape[0]`, `df.shape`, a bare
  `groupby`: classify/display.py); what it keeps (a shown join, concat, reshape or aggregate) may still turn
  out to be a scalar or a small answer (`summarize(pd.concat([a, b]))`): then the statement was inspection and
  its data steps are dropped (a load, fit, prediction, split or metric stays: kb ANSWER_KEEPS_OPS); a group with
  nothing applied is no step either. A new table (DataFrame, Series, array) is the analysis' result: its steps
  stay. Other values say nothing.
- Whether the cell showed anything at all: a run that failed or was interrupted stopped before its last
  expression was displayed, so a table that expression would have shown was never made (as a notebook saved with
  an error output says statically: lineage/saved_outputs.py, CONVENTIONS 5); its steps are dropped.
- Whether a filter into a new variable removed anything: a measured row count equal to its source's means
  nothing was filtered (op `other`). A filter that rebinds its own input (`df = df[m]`) is left as static
  said: on a re-run the kernel's "before" is the already-filtered value.

Every step gets `decided_by`: "runtime" where a fact above decided it, "static" otherwise (also when no
kernel was attached). Knowledge of kinds lives in kb/runtime.py.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..protocol import RuntimeFacts, Step
from .kb import runtime as kb_runtime


def decide_with_runtime(steps: Sequence[Step], facts: Sequence[RuntimeFacts], stopped: bool = False) -> list[Step]:
    """The execution's steps after the runtime facts had their say (modified in place, dropped ones left out).

    `facts`: the execution's runtime facts, with step facts already attached (graph.attach_runtime); `stopped`:
    the run failed or was interrupted after it started.
    """
    verdict = displayed_verdict(next((f for f in facts if f.displayed), None))
    decided: list[Step] = []
    for step in steps:
        step.decided_by = "static"
        if step.displays_result and step.output is None and stopped:
            continue  # (long_df.pivot(...)) raised: nothing was shown, no table made
        if step.displays_result and verdict is not None and step.op not in kb_runtime.ANSWER_KEEPS_OPS:
            if verdict == "inspection":
                continue
            step.decided_by = "runtime"
        if step.op in kb_runtime.ROW_FILTER_OPS and _kept_every_row(step):
            step.op = "other"
            step.decided_by = "runtime"
        decided.append(step)
    return decided


def displayed_verdict(shown: Optional[RuntimeFacts]) -> Optional[str]:
    """"inspection" (an answer, or a group with nothing applied), "table" (a new table), None (says nothing)."""
    if shown is None or not shown.kind:
        return None
    if shown.scalar or shown.kind in kb_runtime.ANSWER_KINDS or shown.kind.endswith(kb_runtime.UNAPPLIED_KIND_SUFFIXES):
        return "inspection"
    if shown.kind in kb_runtime.TABLE_KINDS:
        return "table"
    return None


def _kept_every_row(step: Step) -> bool:
    facts = step.runtime
    if facts is None or step.output is None or step.output in step.inputs or facts.variable != step.output:
        return False
    return facts.rows_before is not None and facts.rows_before == facts.rows_after
