"""The built-in answerer: an intent (intents.py) answered from the stored records. Pure.

It retrieves what answers the question (experiments, a diff, steps, runs) and says why when nothing does;
render/answers.py words it, with every experiment, cell and step cited. The same retrieved records are what an
LLM gets when a provider is configured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ...experiments.data_used import DataUsed
from ...experiments.metric_names import direction as metric_direction
from ...experiments.revisions import dataset_id
from ...experiments.slice import Slicer
from ...protocol import ExecutionRecord, Experiment, ExperimentDiff, Hypothesis, LineageDocument, RunStamp, Step
from .. import sides
from ..diff import diff
from ..metrics import repeats
from ..walk import outputs
from .intents import Intent, Vocabulary

MAX_CHAIN = 15


@dataclass
class Records:
    """What the answerer reads: one notebook's lineage (parents linked), its experiments, its runs' stamps."""

    doc: LineageDocument
    experiments: list[Experiment]
    stamps: dict[int, RunStamp] = field(default_factory=dict)
    # the hypotheses linked to its experiments and those linked to none yet (CompareService.hypotheses: evidence and
    # status computed as `trackit hypotheses` shows them)
    hypotheses: list[Hypothesis] = field(default_factory=list)


@dataclass
class Answered:
    intent: Intent
    experiments: list[Experiment] = field(default_factory=list)
    diff: Optional[ExperimentDiff] = None
    steps: list[tuple[ExecutionRecord, Step]] = field(default_factory=list)
    runs: list[int] = field(default_factory=list)  # sessions
    metric: Optional[str] = None
    hypotheses: list[Hypothesis] = field(default_factory=list)
    nothing: Optional[str] = None  # why nothing answers: no_experiments, one_experiment, not_found, no_git, ...


def vocabulary(records: Records) -> Vocabulary:
    words = Vocabulary(experiments={e.id for e in records.experiments}, hypotheses={h.id for h in records.hypotheses})
    for experiment in records.experiments:
        words.metrics.update(m.name for m in experiment.metrics)
        words.datasets.update(d.dataset_id for d in experiment.data)
    for execution in records.doc.executions:
        # a file the notebook read that no experiment's result came from (banana: test.csv, read for the submission)
        # is still a file the user may ask about: "which experiments used test.csv?" is answered "none", not with
        # every experiment as if no file had been named
        words.datasets.update(dataset_id(f.path) for f in execution.input_files)
        words.variables.update(execution.writes)
        for step in execution.steps:
            words.columns.update(step.columns)
            words.columns.update(step.derived_from)
            words.columns.update(step.group_keys)
            words.columns.update(c.column for c in step.conditions if c.column)
        for fact in execution.runtime:
            words.columns.update(fact.added_columns)
            words.columns.update(fact.removed_columns)
    return words


# ---------------------------------------------------------------- helpers
def _number(experiment: Experiment) -> int:
    return int(experiment.id[1:])


def _value(experiment: Experiment, metric: str) -> Optional[float]:
    return next((m.value for m in experiment.metrics if m.name == metric), None)


def _primary(experiments: list[Experiment]) -> Optional[str]:
    for experiment in reversed(experiments):
        if experiment.primary_metric is not None:
            return experiment.primary_metric.name
    return None


def _best(experiments: list[Experiment], metric: str) -> Optional[Experiment]:
    direction = metric_direction(metric)
    scored = [e for e in experiments if e.status == "ok" and _value(e, metric) is not None]
    if not scored or direction not in ("higher", "lower"):
        return None
    pick = max if direction == "higher" else min
    return pick(scored, key=lambda e: (_value(e, metric), _number(e)))


def evaluated_on(experiment: Experiment) -> tuple[tuple[str, ...], str]:
    """What an experiment's metrics measure: the data sets it read and the target it predicts (its training target,
    as the feature tree names it). Two experiments' metrics rank against each other only when these are the same:
    islr chapter 4's "which model is best?" named a logistic regression on Caravan `Purchase` (accuracy 0.94, about
    the share of its majority class) over the Smarket models predicting `Direction` (0.56 to 0.6). Another revision
    of the same file is the same data set edited, one of the decisions a comparison is about (the answer says which
    revisions it ranked)."""
    target = (experiment.features.get("training") or {}).get("target")
    return tuple(sorted({d.dataset_id for d in experiment.data})), "" if target is None else str(target)


def best_per_group(experiments: list[Experiment], metric: str) -> list[Experiment]:
    """The best experiment by `metric` of each group evaluated on the same data and target (`evaluated_on`), in the
    order the groups were first evaluated; a group none of whose experiments measured `metric` has none."""
    groups: dict[tuple[tuple[str, ...], str], list[Experiment]] = {}
    for experiment in experiments:
        groups.setdefault(evaluated_on(experiment), []).append(experiment)
    found = [_best(group, metric) for group in groups.values()]
    return [best for best in found if best is not None]


def _diff(records: Records, a: Experiment, b: Experiment) -> ExperimentDiff:
    family = records.experiments
    return diff(sides.from_experiment(a, records.doc), sides.from_experiment(b, records.doc),
                repeats(a, family), repeats(b, family))


def _pair(intent: Intent, records: Records, metric: Optional[str]) -> tuple[Optional[Experiment], Optional[Experiment], Optional[str]]:
    by_id = {e.id: e for e in records.experiments}
    ordered = sorted(records.experiments, key=_number)
    named = [by_id[i] for i in intent.experiments if i in by_id]
    missing = [i for i in intent.experiments if i not in by_id]
    if missing:
        return None, None, "unknown_experiment:" + ",".join(missing)
    if len(named) >= 2:
        return named[0], named[1], None
    if len(named) == 1:
        parent = by_id.get(named[0].parent) if named[0].parent else None
        return (parent, named[0], None) if parent else (None, None, "no_parent:" + named[0].id)
    if len(ordered) < 2:
        return None, None, "one_experiment" if ordered else "no_experiments"
    if intent.pair == "best_latest":
        latest = ordered[-1]  # the best it is compared with is one evaluated on the same data and target
        best = _best([e for e in ordered if evaluated_on(e) == evaluated_on(latest)], metric or _primary(ordered) or "")
        if best is None:
            return None, None, "no_metric"
        if best.id == latest.id:
            return None, latest, "latest_is_best"
        return best, latest, None
    if intent.kind == "why_metric" and metric:
        moved = []
        for index, experiment in enumerate(ordered):
            parent = _previous_value(experiment, ordered[:index], by_id, metric)
            now, before = _value(experiment, metric), (_value(parent, metric) if parent else None)
            if parent is None or now is None or before is None or now == before:
                continue
            better = (now > before) == (metric_direction(metric) != "lower")
            if intent.direction is None or (intent.direction == "rise") == better:
                moved.append((parent, experiment))
        if moved:
            return moved[-1][0], moved[-1][1], None
        return None, None, "metric_not_moved"
    if intent.pair in ("latest_previous", "last_runs"):  # last_runs: a notebook of one run
        latest = ordered[-1]
        return _previous_run_of(latest, ordered[:-1]) or by_id.get(latest.parent or "") or ordered[-2], latest, None
    return ordered[-2], ordered[-1], None


def _previous_run_of(experiment: Experiment, earlier: list[Experiment]) -> Optional[Experiment]:
    """The latest experiment of an earlier run made by the same cell: the last time this result was computed."""
    return next((e for e in reversed(earlier) if e.cell_id == experiment.cell_id and e.session != experiment.session),
                None)


def _previous_value(experiment: Experiment, earlier: list[Experiment], by_id: dict[str, Experiment], metric: str
                    ) -> Optional[Experiment]:
    """What `metric` moved from: the parent's value, else (a parent of the same run that scored something else: chili's
    accuracy cell, whose parent is the confusion-matrix cell above it) the same cell's in an earlier run, else the
    latest earlier experiment that measured it. "No experiment changed that metric compared with its parent" was
    said of an accuracy that fell from 0.89 to 0.857 between two runs."""
    parent = by_id.get(experiment.parent) if experiment.parent else None
    if parent is not None and _value(parent, metric) is not None:
        return parent
    measured = [e for e in earlier if _value(e, metric) is not None]
    return _previous_run_of(experiment, measured) or (measured[-1] if measured else None)


def _mentions(step: Step, execution: ExecutionRecord, column: str, left_out: bool = True) -> bool:
    """The step names the column as data (its columns, sources, group keys, conditions, columns it added, and with
    `left_out` those it removed) or as a string its statement quotes (`train_test_split(df[["age", "income"]], ...)`:
    Step.quoted). An experiment whose slice only left a column out did not use it (rev22: islr's LDA on [Lag1, Lag2]
    was listed as using `Lag3`, which the kernel measured its column pick removing)."""
    names = set(step.columns) | set(step.derived_from) | set(step.group_keys) | {c.column for c in step.conditions}
    facts = step.runtime
    if facts is not None:
        names |= set(facts.added_columns) | (set(facts.removed_columns) if left_out else set())
    return column in names or column in step.quoted


def _latest_session(doc: LineageDocument) -> list[ExecutionRecord]:
    if not doc.executions:
        return []
    last = doc.executions[-1].session
    return [e for e in doc.executions if e.session == last]


# ---------------------------------------------------------------- answering
def answer(intent: Intent, records: Records) -> Answered:
    found = Answered(intent=intent)
    experiments = sorted(records.experiments, key=_number)
    kind = intent.kind
    if kind in ("experiments_using_column", "column_steps") and intent.column is None and intent.unknown_column:
        found.nothing = f"unknown_column:{intent.unknown_column}"
        return found
    if kind in ("diff", "why_metric"):
        metric = intent.metric or _primary(experiments)
        found.metric = metric
        if kind == "diff" and intent.pair == "named_runs":
            known = {e.session for e in records.doc.executions}
            missing = [str(run) for run in intent.runs if run not in known]
            if missing:
                found.nothing = f"unknown_run:{', '.join(missing)}"
                return found
            found.diff = _runs_diff(records, intent.runs[0], intent.runs[1])
            return found
        if kind == "diff" and intent.pair == "last_runs":
            found.diff = _last_two_runs(records)
            if found.diff is not None:
                return found
        a, b, problem = _pair(intent, records, metric)
        if problem:
            found.nothing = problem
            if b is not None:
                found.experiments = [b]
            return found
        found.experiments = [a, b]  # type: ignore[list-item]
        found.diff = _diff(records, a, b)  # type: ignore[arg-type]
    elif kind == "experiments_using_data":
        found.experiments = [e for e in experiments if any(
            (intent.dataset is None or d.dataset_id == intent.dataset)
            and (intent.revision is None or d.revision_id == intent.revision) for d in e.data)]
        # a file named (not a revision): the vocabulary knows it because the notebook read it
        unused = "data_reached_no_result" if intent.dataset and not intent.revision else "not_found"
        found.nothing = None if found.experiments else unused
    elif kind == "experiments_using_column":
        by_seq = {e.seq: e for e in records.doc.executions}
        for experiment in experiments:
            slice_ = [by_seq[s.seq] for s in experiment.slice if s.seq in by_seq]
            # a step that names the column but whose value never reached the result (banana: a filter of the test
            # frame, loaded in the training data's cell) is not the experiment's use of it
            reached = DataUsed(slice_, experiment.seq)
            used = [(ex, st) for ex in slice_ for st in ex.steps
                    if _mentions(st, ex, intent.column or "", left_out=False) and reached.reached_result(ex, st)]
            trained = intent.column in ((experiment.features.get("training") or {}).get("features") or [])
            if used or trained:
                found.experiments.append(experiment)
                found.steps.extend(u for u in used[:3] if u not in found.steps)
        found.nothing = None if found.experiments else "not_found"
    elif kind == "column_steps":
        found.steps = [(ex, st) for ex in _latest_session(records.doc) for st in ex.steps
                       if _mentions(st, ex, intent.column or "")]
        found.runs = [records.doc.executions[-1].session] if records.doc.executions else []
        found.nothing = None if found.steps else "not_found"
    elif kind == "variable_origin":
        found.steps, found.runs = _origin(records.doc, intent.variable or "")
        found.nothing = None if found.steps else "not_found"
    elif kind == "dirty_runs":
        stamped = {s: st for s, st in records.stamps.items() if st.git is not None and st.git.dirty_worktree is not None}
        found.runs = sorted(s for s, st in stamped.items() if st.git.dirty_worktree)  # type: ignore[union-attr]
        found.experiments = [e for e in experiments if e.session in found.runs]
        found.nothing = None if found.runs else ("no_git" if not stamped else "none_dirty")
    elif kind == "best_experiment":
        metric = intent.metric or _primary(experiments)
        found.metric = metric
        found.experiments = best_per_group(experiments, metric) if metric else []
        found.nothing = None if found.experiments else ("no_experiments" if not experiments else "no_metric")
        if metric and not found.experiments and metric_direction(metric) == "unknown":
            # ml-basics k-nearest-neighbour's `test_acc1`: "No experiment recorded that metric." of the metric every
            # experiment recorded; which way is better is what is not known. Those that measured it are listed.
            found.nothing = f"unknown_direction:{metric}"
            found.experiments = [e for e in experiments if _value(e, metric) is not None]
    elif kind == "list_experiments":
        found.experiments = experiments
        found.nothing = None if experiments else "no_experiments"
    elif kind == "hypotheses":
        _hypotheses(found, records)
    else:
        found.experiments = experiments[-3:]
    return found


def _hypotheses(found: Answered, records: Records) -> None:
    """The hypotheses named ("is H1 supported?"), else those of the status asked about ("which hypotheses are
    supported?"), else all of them; their evidence's experiments are what the answer cites."""
    intent = found.intent
    by_id = {h.id: h for h in records.hypotheses}
    if intent.hypotheses:
        missing = [h for h in intent.hypotheses if h not in by_id]
        if missing:
            found.nothing = "unknown_hypothesis:" + ", ".join(missing)
            return
        found.hypotheses = [by_id[h] for h in dict.fromkeys(intent.hypotheses)]
    elif intent.status is not None:
        found.hypotheses = [h for h in records.hypotheses if h.status == intent.status]
        if not found.hypotheses and records.hypotheses:
            found.nothing = f"no_hypothesis_status:{intent.status}"
            found.hypotheses = records.hypotheses  # what each is instead
            return
    else:
        found.hypotheses = list(records.hypotheses)
    if not found.hypotheses:
        found.nothing = "no_hypotheses"


def _last_two_runs(records: Records) -> Optional[ExperimentDiff]:
    """The last two runs compared, for a bare "what changed?": what the last run changed (jvns-cookbook ch06, a data
    preparation edited 'Snow' -> 'Rain' between runs, got "No experiments are recorded for this notebook yet"; islr
    ch4, whose last run edited two cells, got its latest experiment against its previous run: "No step diverged").
    None with fewer than two runs."""
    runs = sorted({e.session for e in records.doc.executions})
    if len(runs) < 2:
        return None
    return _runs_diff(records, runs[-2], runs[-1])


def _runs_diff(records: Records, a: int, b: int) -> ExperimentDiff:
    first, second = (sides.from_run(records.doc, run, records.experiments, records.stamps.get(run)) for run in (a, b))
    return diff(first, second)


def _origin(doc: LineageDocument, variable: str) -> tuple[list[tuple[ExecutionRecord, Step]], list[int]]:
    """The steps that made `variable` as it last was: its last writer and every execution upstream of it."""
    writer = next((e for e in reversed(doc.executions) if variable in e.writes), None)
    if writer is None:
        return [], []
    chain = Slicer([e for e in doc.executions if e.session == writer.session]).slice(writer.seq)[-MAX_CHAIN:]
    steps = [(e, s) for e in chain for s in e.steps if outputs(s) and s.op not in ("predict", "evaluate")]
    return steps, [writer.session]
