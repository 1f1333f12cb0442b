"""Answers to `trackit ask` in words, citing experiments `[E0003]`, cells `[cell 12]`, steps `[#24 impute_missing]`
and runs `[run 2]`; and the retrieved records as the labelled lines an LLM gets. Pure."""

from __future__ import annotations

from typing import Optional

from ..compare.ask.answer import Answered, Records
from ..experiments.kb import KERNEL_LAST_LOOP_PASS
from ..lineage.code_names import call_derivations
from ..protocol import Citation, ExecutionRecord, Experiment, ExperimentDiff, MetricDelta, Step
from .best_notes import evaluated_on_words, missed_class_note, test_rows_note, tied_note
from .diff_values import number, value_change_line
from .divergence import cause_label, divergence_label, model_note, other_decisions
from .metric_moves import metric_line
from .experiments import LAST_PASS_NOTE
from .hypotheses import answer_about, answer_lines
from .sentences import recorded_step
from .words import ARROW, code, counted

CAPABILITIES = ("what changed between two experiments (E0003 vs E0005, the last two, best vs latest), why a metric "
                "changed, which experiments used a data revision or a column, what produced a variable, which steps "
                "touch a column, which runs had uncommitted changes, and what the evidence says of a hypothesis you "
                "recorded (is H1 supported?)")
NOTHING = {
    "no_experiments": "No experiments are recorded for this notebook yet (a cell that evaluates a model makes one).",
    "one_experiment": "Only one experiment is recorded, so there is nothing to compare it with.",
    "latest_is_best": "The latest experiment is also the best one: there is nothing to compare.",
    "metric_not_moved": "No experiment changed that metric compared with its parent.",
    "no_metric": "No experiment recorded that metric.",
    "not_found": "Nothing in the records matches.",
    "data_reached_no_result": "No experiment's result came from that data: nothing the notebook read from it reached "
                              "an evaluated model.",
    "no_git": "No run was stamped inside a git repository, so no worktree state is recorded.",
    "none_dirty": "Every stamped run had a clean worktree.",
}


# ---------------------------------------------------------------- citations
def cite_experiment(e: Experiment) -> Citation:
    return Citation(kind="experiment", experiment_id=e.id, seq=e.seq, cell_id=e.cell_id, cell_index=e.cell_index,
                    session=e.session, label=f"[{e.id}]")


def cite_cell(execution: ExecutionRecord) -> Citation:
    return Citation(kind="cell", seq=execution.seq, cell_id=execution.cell_id, cell_index=execution.cell_index,
                    session=execution.session, label=f"[cell {execution.cell_index + 1}]")


def cite_step(execution: ExecutionRecord, step: Step) -> Citation:
    return Citation(kind="step", seq=execution.seq, cell_id=execution.cell_id, cell_index=execution.cell_index,
                    op=step.op, session=execution.session, label=f"[#{execution.seq} {step.op}]")


def cite_run(session: int) -> Citation:
    return Citation(kind="run", session=session, label=f"[run {session}]")


class _Cites:
    """Citations in the order the answer makes them, each once."""

    def __init__(self) -> None:
        self.items: list[Citation] = []

    def __call__(self, citation: Citation) -> str:
        if not any(c.label == citation.label for c in self.items):
            self.items.append(citation)
        return citation.label or ""


# ---------------------------------------------------------------- the answer
def _metric_of(e: Experiment, name: Optional[str]) -> str:
    metric = next((m for m in e.metrics if m.name == name), None) or e.primary_metric
    if metric is None:
        return "no metric"
    # banana, "which model is best?": "accuracy 0.9773", one seed's split of the loop's last k, not the KNN's score
    looped = f" ({LAST_PASS_NOTE})" if metric.source == KERNEL_LAST_LOOP_PASS else ""
    return f"{metric.name} {number(metric.value)}{looped}"


def _experiment_line(e: Experiment, cite: _Cites, metric: Optional[str] = None) -> str:
    cell = f"[cell {e.cell_index + 1}]"
    cite(Citation(kind="cell", seq=e.seq, cell_id=e.cell_id, cell_index=e.cell_index, session=e.session, label=cell))
    failed = ", failed" if e.status == "failed" else ""
    named = f" “{e.name}”" if e.name else ""
    # the citation names the experiment: "E0001 [E0001]" said it twice
    return f"{cite(cite_experiment(e))}{named}: {_metric_of(e, metric)}, {cell}, run {e.session}{failed}"


def _step_line(execution: ExecutionRecord, step: Step, cite: _Cites) -> str:
    said = recorded_step(step, execution)
    return f"{said} {cite(cite_cell(execution))} {cite(cite_step(execution, step))}"


def _diff_lines(d: ExperimentDiff, answered: Answered, records: Records, cite: _Cites) -> list[str]:
    by_id = {e.id: e for e in answered.experiments}
    sides = [by_id[side.ref] if side.kind == "experiment" else side for side in (d.a, d.b)]
    cited = [cite(cite_experiment(side)) if isinstance(side, Experiment) else cite(cite_run(side.session))
             for side in sides]
    a, b = d.a.ref, d.b.ref  # "E0003", or "run 2" (a notebook that made no experiment: `_last_two_runs`)
    # each side by its citation, which names it: "run 1 [run 1] → run 2 [run 2]" said each name twice
    lines = [f"{cited[0]} {ARROW} {cited[1]}:"]
    runs = "run" in (d.a.kind, d.b.kind)
    if runs:
        lines += _edit_lines(d, cite)
    if runs:
        shown = _each_pairs_metric(d, answered.metric, records)
    else:
        shown = [m for m in d.metrics if m.name == answered.metric] or [m for m in d.metrics if m.delta][:3]
    moved = [m for m in shown if m.delta != 0] if runs else shown  # runs: one line per model that moved
    stopped = (d.a.stopped_at_cell_index, d.b.stopped_at_cell_index)
    lines += [f"- {metric_line(m, a, b, stopped=stopped)}" for m in moved]
    still = [m for m in shown if m not in moved]
    if still:
        # "other" than those said above: with none moved there is no first one ("the 1 other experiment")
        others = (f"{len(still)} other experiment{'s' if len(still) != 1 else ''}" if moved
                  else "experiment" if len(still) == 1 else f"{len(still)} experiments")
        if len({m.name for m in still}) == 1:
            pairs = ", ".join(f"{m.a_experiment} {ARROW} {m.b_experiment}" for m in still)
            lines.append(f"- {still[0].name} did not move in the {others} both runs made ({pairs}).")
        else:
            pairs = ", ".join(f"{m.name} ({m.a_experiment} {ARROW} {m.b_experiment})" for m in still)
            lines.append(f"- Did not move in the {others} both runs made: {pairs}.")
        # islr, C=0.01 on the Caravan logistic regression: its accuracy stayed 0.94, its recall.no went 0.99 -> 1
        for m in still:
            other = [o for o in d.metrics if (o.a_experiment, o.b_experiment) == (m.a_experiment, m.b_experiment)
                     and o.name != m.name and o.delta]
            if other:
                said = "; ".join(f"{o.name} {number(o.a)} {ARROW} {number(o.b)}" for o in other[:3])
                more = f" and {len(other) - 3} more" if len(other) > 3 else ""
                lines.append(f"- In {m.a_experiment} {ARROW} {m.b_experiment} other metrics moved: {said}{more}.")
    by_seq = {e.seq: e for e in records.doc.executions}
    div = d.divergence
    if div is None:
        basis = "measured data" if d.measured else "their code"
        lines.append(f"- No step diverged: the {d.steps_compared} steps both ran agree on {basis}.")
        if d.environment_changes or d.seed_changes:
            changed = [value_change_line(c) for c in (d.seed_changes + d.environment_changes)[:4]]
            lines.append(f"- Outside the steps: {'; '.join(changed)}.")
        return lines + _model_note_lines(d)
    ref = div.b or div.a
    execution = by_seq.get(ref.seq) if ref is not None else None
    where = ""
    if execution is not None and ref is not None and ref.step is not None:
        where = f" {cite(cite_cell(execution))} {cite(cite_step(execution, ref.step))}"
    elif execution is not None:
        where = f" {cite(cite_cell(execution))}"
    derivations = {e.seq: call_derivations(e) for e in records.doc.executions}  # ask compares experiments of one notebook
    lines.append(f"- First step whose data diverged: {divergence_label(div, a, b, (derivations, derivations))}{where}.")
    cause_cell = ""
    if div.cause.cell_index is not None:
        cause_cell = " " + cite(Citation(kind="cell", cell_id=div.cause.cell_id, cell_index=div.cause.cell_index,
                                         session=d.b.session, label=f"[cell {div.cause.cell_index + 1}]"))
    lines.append(f"- Cause: {cause_label(div.cause, a, b)}{cause_cell}.")
    others = other_decisions(d)
    if others:
        lines.append(f"- Also changed: {others}.")
    return lines + _model_note_lines(d)


def _each_pairs_metric(d: ExperimentDiff, metric: Optional[str], records: Records) -> list[MetricDelta]:
    """A run-level diff's metrics, one per pair of experiments: `metric` where the pair measured it, else the later
    experiment's primary metric. Only `metric`'s left out the models scored by another name (banana, after a filter
    edit: the accuracies of SVC, KNN and random forest moved and were listed; the logistic regression's avg_accuracy
    moved too and was not said; 07 cross-validation: the KNN whose n_neighbors was edited, scored by cv_accuracy,
    was not named among the experiments that did not move)."""
    primary = {e.id: e.primary_metric.name for e in records.experiments if e.primary_metric is not None}
    by_pair: dict[tuple[Optional[str], Optional[str]], list[MetricDelta]] = {}
    for m in d.metrics:
        by_pair.setdefault((m.a_experiment, m.b_experiment), []).append(m)
    shown = []
    for (a, b), metrics in by_pair.items():
        names = [metric, primary.get(b or ""), primary.get(a or "")]
        shown.append(next((m for name in names for m in metrics if m.name == name), metrics[0]))
    return shown


def _edit_lines(d: ExperimentDiff, cite: _Cites) -> list[str]:
    """What the later run changed in the code: the cells edited between the runs, and the cells only one of them ran."""
    def cell(index: Optional[int], cell_id: str, session: int) -> str:
        if index is None:
            return cell_id
        return cite(Citation(kind="cell", cell_id=cell_id, cell_index=index, session=session,
                             label=f"[cell {index + 1}]"))

    edited = [cell(c.cell_index_b, c.cell_id, d.b.session) for c in d.code_changes if c.change == "changed"]
    only = {side: [cell(c.cell_index_a if side == "a" else c.cell_index_b, c.cell_id,
                        d.a.session if side == "a" else d.b.session)
                   for c in d.code_changes if c.change == f"only_{side}"] for side in ("a", "b")}
    lines = [f"- Edited between the runs: {', '.join(edited)}." if edited else "- No cell was edited between the runs."]
    for side, ref, other in (("a", d.a.ref, d.b), ("b", d.b.ref, d.a)):
        if not only[side]:
            continue
        if other.stopped_at_cell_index is not None:  # a run that stopped at an error did not leave the rest out
            lines.append(f"- Not reached in {other.ref} (it stopped at the error in cell "
                         f"{other.stopped_at_cell_index + 1}): {', '.join(only[side])}.")
        else:
            lines.append(f"- Ran only in {ref}: {', '.join(only[side])}.")
    return lines


def _model_note_lines(d: ExperimentDiff) -> list[str]:
    note = model_note(d)
    return [f"- Also: {note}."] if note else []


def words(answered: Answered, records: Records) -> tuple[str, list[Citation]]:
    """(Markdown, citations)."""
    cite = _Cites()
    intent = answered.intent
    kind = intent.kind
    lines: list[str] = []
    if kind == "hypotheses":
        by_id = {e.id: e for e in records.experiments}
        lines += answer_about(answered.hypotheses, answered.nothing,
                              lambda ref: cite(cite_experiment(by_id[ref])) if ref in by_id else "")
    elif answered.nothing and answered.nothing.startswith("unknown_direction:"):
        metric = answered.nothing.partition(":")[2]
        lines.append(f"Which way {code(metric)} is better is not known (TrackIT knows no metric by that name), so no "
                     f"experiment is called the best by it; the experiments that measured it:")
        lines += [f"- {_experiment_line(e, cite, metric)}" for e in answered.experiments]
    elif answered.nothing and answered.nothing.startswith(("unknown_experiment:", "no_parent:", "unknown_run:",
                                                         "unknown_column:")):
        what, _, ids = answered.nothing.partition(":")
        lines.append({"unknown_experiment": f"No experiment {ids} in this notebook.",
                      "unknown_run": f"No run {ids} of this notebook is recorded.",
                      "unknown_column": f"No recorded step of this notebook names a column {code(ids)}: only code "
                                        f"that ran is recorded (not a cell after an error, nor one never run)."}.get(
                          what, f"{ids} has no parent experiment to compare it with."))
    elif answered.nothing and kind not in ("unknown",):
        lines.append(NOTHING.get(answered.nothing, "Nothing in the records matches."))
        lines += [f"- {_experiment_line(e, cite, answered.metric)}" for e in answered.experiments]
    elif kind in ("diff", "why_metric") and answered.diff is not None:
        lines += _diff_lines(answered.diff, answered, records, cite)
    elif kind == "experiments_using_data":
        what = intent.dataset or "that data"
        if intent.revision:
            what = f"{what}@{intent.revision}" if intent.dataset else f"revision {intent.revision}"
        lines.append(f"{counted(len(answered.experiments), 'experiment')} used {what}:")
        for e in answered.experiments:
            data = ", ".join(f"{d.dataset_id}@{d.revision_id}" for d in e.data)
            lines.append(f"- {_experiment_line(e, cite, intent.metric)}; data {data}")
    elif kind == "experiments_using_column":
        lines.append(f"{counted(len(answered.experiments), 'experiment')} used the column {code(intent.column or '')}:")
        for e in answered.experiments:
            through = list(dict.fromkeys(cite(cite_step(ex, st)) for ex, st in answered.steps
                                         if ex.seq in {s.seq for s in e.slice}))
            lines.append(f"- {_experiment_line(e, cite, intent.metric)}" + (f", through {' '.join(through)}" if through else ""))
    elif kind == "column_steps":
        run = answered.runs[0] if answered.runs else None
        lines.append(f"In run {run}, {counted(len(answered.steps), 'step')} {'touches' if len(answered.steps) == 1 else 'touch'} {code(intent.column or '')} {cite(cite_run(run))}:"
                     if run is not None else f"Steps that touch {code(intent.column or '')}:")
        lines += [f"{i}. {_step_line(ex, st, cite)}" for i, (ex, st) in enumerate(answered.steps, 1)]
    elif kind == "variable_origin":
        last = answered.steps[-1][0] if answered.steps else None
        writer = next((ex for ex, st in reversed(answered.steps) if intent.variable in ex.writes), last)
        if writer is not None:
            lines.append(f"{code(intent.variable or '')} was last written in cell {writer.cell_index + 1} of run "
                         f"{writer.session} {cite(cite_cell(writer))} {cite(cite_run(writer.session))}, from these "
                         "steps, in order:")
        lines += [f"{i}. {_step_line(ex, st, cite)}" for i, (ex, st) in enumerate(answered.steps, 1)]
    elif kind == "dirty_runs":
        lines.append("Runs with uncommitted changes in the notebook's repository:")
        for session in answered.runs:
            git = records.stamps[session].git
            files = ", ".join(git.changed_files[:5]) if git and git.changed_files else "no file listed"
            commit = (git.commit or "")[:12] if git else ""
            mine = [e for e in answered.experiments if e.session == session]
            results = "; experiments " + ", ".join(cite(cite_experiment(e)) for e in mine) if mine else ""
            lines.append(f"- {cite(cite_run(session))}: at {commit or '(no commit)'} on "
                         f"{(git.branch if git else None) or '(detached)'}, changed: {files}{results}")
    elif kind == "best_experiment":
        metric = answered.metric or ""
        better = f"{'higher' if _higher(metric) else 'lower'} is better"
        if len(answered.experiments) == 1:
            best = answered.experiments[0]
            lines.append(f"The best {code(metric)} ({better}) is {_experiment_line(best, cite, metric)}"
                         f"{evaluated_on_words(best, records.experiments)}{missed_class_note(best)}"
                         f"{test_rows_note(best, records.experiments, metric)}"
                         f"{tied_note(best, records.experiments, metric)}.")
        else:  # one answer across data sets or targets would rank numbers that measure different things
            lines.append(f"The experiments that measured {code(metric)} were evaluated on {len(answered.experiments)} "
                         f"different data sets or targets, and it ranks only within one; the best of each ({better}):")
            lines += [f"- {_experiment_line(best, cite, metric)}{evaluated_on_words(best, records.experiments)}"
                      f"{missed_class_note(best)}{test_rows_note(best, records.experiments, metric)}"
                      for best in answered.experiments]
    elif kind == "list_experiments":
        lines.append(f"{counted(len(answered.experiments), 'experiment')}:")
        lines += [f"- {_experiment_line(e, cite)}" + (f", parent {e.parent}" if e.parent else ", a root")
                  for e in answered.experiments]
    else:
        lines.append(f"I could not tell what you are asking. I can answer {CAPABILITIES}.")
        if answered.experiments:
            lines.append("The latest experiments:")
            lines += [f"- {_experiment_line(e, cite)}" for e in answered.experiments]
    return "\n".join(lines), cite.items


def _higher(metric: str) -> bool:
    from ..experiments.metric_names import direction

    return direction(metric) != "lower"


# ---------------------------------------------------------------- what an LLM gets
def records_text(answered: Answered, records: Records) -> str:
    """The retrieved records as labelled lines (secrets not yet redacted: the caller redacts)."""
    cite = _Cites()
    lines: list[str] = []
    for e in answered.experiments:
        data = ", ".join(f"{d.dataset_id}@{d.revision_id}" for d in e.data) or "none recorded"
        metrics = "; ".join(f"{m.name} = {m.value:.6g} ({m.direction} is better)" for m in e.metrics[:8])
        dirty = {True: "yes", False: "no", None: "unknown"}[e.dirty_worktree]
        lines.append(f"{cite(cite_experiment(e))} experiment, run {e.session}, [cell {e.cell_index + 1}], "
                     f"{e.status}; metrics: {metrics or 'none'}; parent: {e.parent or 'none'}; data: {data}; "
                     f"uncommitted changes: {dirty}; changed from parent: {', '.join(e.changed) or 'nothing'}")
    d = answered.diff
    if d is not None:
        text, _ = words(answered, records)
        lines.append(f"diff {d.a.ref} -> {d.b.ref}:")
        lines += [f"  {line}" for line in text.splitlines()[1:]]
        if d.divergence is not None and d.divergence.cause.diff:
            lines.append("  the changed cell's diff:")
            lines += [f"    {line}" for line in d.divergence.cause.diff.splitlines()[:30]]
    for h in answered.hypotheses:
        lines += answer_lines(h, lambda ref: f"[{ref}]" if ref else "")
    for execution, step in answered.steps:
        lines.append(f"{cite(cite_step(execution, step))} [cell {execution.cell_index + 1}] run {execution.session}: "
                     f"{recorded_step(step, execution)}; code: {step.code or ''}")
    for session in answered.runs:
        stamp = records.stamps.get(session)
        git = stamp.git if stamp is not None else None
        if git is not None:
            lines.append(f"[run {session}] git commit {(git.commit or '')[:12]}, branch {git.branch}, uncommitted "
                         f"changes: {git.dirty_worktree}, changed files: {', '.join(git.changed_files[:10]) or 'none'}")
        else:
            lines.append(f"[run {session}] no git state recorded")
    return "\n".join(lines) or "(no records matched the question)"


def faithfulness_section(problems: list[str]) -> str:
    if not problems:
        return "**Faithfulness check:** every cited record exists and every number stated is in the records."
    lines = ["**Faithfulness check:** these could not be verified against the records:"]
    lines += [f"- \u26a0 The answer {problem}." for problem in problems]
    return "\n".join(lines)
