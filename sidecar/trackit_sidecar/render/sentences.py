"""Lines for the tree, hovers and summary: one sentence per group of an execution's steps, with its effects."""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

from ..lineage.code_names import call_derivations
from ..protocol import ExecutionRecord, InputFile, RuntimeFacts, Step, StepLoop
from .effects import effect_phrases, metric_value_size, shows_change, split_effects, without_before
from .files import file_summary, match_input_file
from .files_written import file_written_line, run_files_written
from .loops import Clause, LoopNotes
from .defined import as_defined
from .groups import (StepGroup, builds_afresh, group_facts, group_steps, is_noise, prediction_of, statements,
                     uses_chained_fit, visible_groups)
from .model_phrases import evaluation_metric, evaluation_target
from .nothing_done import found_nothing_to_fill
from .phrase_parts import cast_from_facts
from .phrases import step_phrase
from .words import capitalise, code, join_clauses, names


def stated_dtype_columns(group: StepGroup) -> list[str]:
    facts = group_facts(group)
    stated: list[str] = []
    for step in group.steps:
        if step.op == "type_cast" and not step.detail:
            stated += cast_from_facts(step, facts)[1]
    return stated


def evaluate_phrase(group: StepGroup) -> str:
    prediction = prediction_of(group)
    evaluations = [s for s in group.steps if s is not prediction]
    if len(evaluations) == 1 or any(s.inferred_from for s in evaluations):
        # (an evaluation whose op is a guess says so in its own clause: render/inferred.py)
        return join_clauses([step_phrase(s, prediction=prediction) for s in evaluations])
    first = evaluations[0]
    hows = [evaluation_metric(s) for s in evaluations]
    if not all(hows):
        # a figure computed from the model's results (`print(f"accuracy: {100 - np.mean(...)}%")`) names no metric:
        # two of them read "evaluated the data with another metric and another metric" (ml-basics logistic regression)
        return join_clauses([step_phrase(s, prediction=prediction) for s in evaluations])
    metrics = []
    for step, how in zip(evaluations, hows):
        metric = code(how)
        if step.output and step.output not in step.inputs:
            metric += f" (into {code(step.output)})"
        metrics.append(metric)
    return f"evaluated {evaluation_target(first, prediction)} with {join_clauses(metrics)}"


def group_phrase(group: StepGroup, file_facts: Optional[dict[int, str]] = None,
                 extra_facts: Sequence[RuntimeFacts] = (), derivations: Mapping[str, Sequence[str]] = {},
                 notes: Optional[LoopNotes] = None) -> str:
    """One capitalised clause list for the whole group, e.g.
    "Dropped duplicate rows from `passengers` into `df` and converted `Age` from str to float64".

    The first statement names the variable; later ones are in the short form, so the sentence says
    what was done to `df` without claiming which statement caused the measured effect.
    `file_facts`: id(load step) -> "(49.0 KB, sha256 …)". A group written in a function's body says what the
    function does when called (render/defined.py): the cell only defined it, and called it when the execution's
    `derivations` say a variable was computed from it. `notes`: the loop notes of the lines said just before it, of
    the same run (render/loops.py); without, the sentence says its loops in full.
    """
    notes = notes if notes is not None else LoopNotes()
    function = group.steps[0].in_function  # render.groups.group_steps keeps one function's steps together
    if group.kind == "function":  # its body's steps grouped as a cell's would be, said in one sentence
        inner = group_steps([s.model_copy(update={"in_function": None}) for s in group.steps])
        said = notes.say([c for g in inner if not is_noise(g) for c in group_clauses(g, extra_facts=extra_facts)])
        return capitalise(as_defined(function, said, derivations))
    said = notes.say(group_clauses(group, file_facts, extra_facts))
    return capitalise(as_defined(function, said, derivations) if function else join_clauses(said))


def group_clauses(group: StepGroup, file_facts: Optional[dict[int, str]] = None,
                  extra_facts: Sequence[RuntimeFacts] = ()) -> list[Clause]:
    """`group_phrase`'s clauses, each starting with its verb (a function's body says each in the present tense), each
    with the loops of its statement (said by `LoopNotes.say`)."""
    if group.kind == "evaluate":
        return [Clause(evaluate_phrase(group), group.steps[-1].loops)]
    facts = group_facts(group)
    clauses: list[str] = []
    loops: list[Sequence[StepLoop]] = []  # per clause, the loops of the statement it says first
    times: list[set] = []  # per clause, the statements it stands for
    said: dict[str, int] = {}  # short form -> clause: statements that read the same are said once, counted
    stated = statements(group)
    # the clause that says where the result went: the first statement's, unless that one only prepared a table handed
    # to a join of the group (`pd.merge(info, metrics.drop_duplicates(...))` read "Dropped duplicate rows ... from
    # `metrics` into `g` and joined ...", as if `g` were the de-duplicated `metrics`)
    target = next((i for i, (step, _) in enumerate(stated) if not _prepares_a_joined_table(step, group)), 0)
    joined: set[str] = set()  # the tables earlier joins of the group joined: a later join's left side, not its right
    for index, (step, folded) in enumerate(stated):
        if step.op == "join":
            step, joined = _joins_what_is_new(step, joined), joined | set(step.inputs)
        using: list[str] = []
        for other in folded:
            using += [c for c in other.columns if c not in step.columns and c not in using]
        extra = (file_facts or {}).get(id(step), "")
        rows_of = [i for other in folded if other.op == "filter_rows" for i in other.inputs] \
            if step.op == "fit_model" else []  # render.groups.statements: the rows a fit is given
        # LinearRegression().fit(X, y).predict(X): said after its fit, the model is "it"
        just_fitted = index > 0 and uses_chained_fit(stated[index - 1][0], step)
        # the short form says a statement again in fewer words, and is the key that says statements that read the same
        # once: a group of one statement (most of them) says it once, in full (index == target), and compares it with
        # none (wording it for nothing was a seventh of wording a long notebook)
        short = step_phrase(step, with_target=False, facts=facts, using=using, file_facts=extra,
                            extra_facts=extra_facts, rows_of=rows_of, model_just_fitted=just_fitted) \
            if len(stated) > 1 else None
        # a chain's calls are one statement (`s.str.replace(...).str.removesuffix(...).str.strip()` read "cleaned text
        # in `AGE_CLS` (3 statements)", ds-python cleaning cell 68, whose cell has two)
        statement = (step.line, step.code) if step.code else id(step)
        if short in said:
            times[said[short]].add(statement)
            continue
        said[short] = len(clauses)
        times.append({statement})
        loops.append(step.loops)
        if index < target:  # says which table it changed, and no result: that is the join's
            short = step_phrase(step.model_copy(update={"output": None}), facts=facts, using=using, file_facts=extra,
                                extra_facts=extra_facts, rows_of=rows_of, model_just_fitted=just_fitted)
        clauses.append((step_phrase(step, with_target=True, facts=facts, using=using, file_facts=extra,
                                    extra_facts=extra_facts, rows_of=rows_of, model_just_fitted=just_fitted)
                        if index == target else short))
    return [Clause(clause, in_loops, len(count)) for clause, in_loops, count in zip(clauses, loops, times)]


def _joins_what_is_new(step: Step, joined: set[str]) -> Step:
    """A join chained after another reads every table of the chain: bfn-eeoc 01's `pd.merge(sectors, wide, ...)
    .pipe(pd.merge, tidy.groupby(...)...)` read "joined `wide` and `tidy`", as if `wide` were joined again; the chain
    so far is its left side, the table it brings in is `tidy`."""
    new = [name for name in step.inputs[1:] if name not in joined]
    if not joined or not new or len(new) == len(step.inputs) - 1:
        return step
    return step.model_copy(update={"inputs": [step.inputs[0], *new]})


def _prepares_a_joined_table(step: Step, group: StepGroup) -> bool:
    """The step changes a table that a join of the group takes as its other side, inside the join's call: its result is
    an argument of the join, not the variable the statement assigns."""
    return step.op != "join" and len(step.inputs) == 1 and any(
        other.op == "join" and other.output == step.output and step.inputs[0] in other.inputs[1:]
        for other in group.steps)


def group_effects(group: StepGroup, extra_facts: Sequence[RuntimeFacts] = ()) -> list[str]:
    """The measured effect of the group as a whole (never split between its statements)."""
    if set(group.ops) == {"split"}:
        effects = split_effects(group.steps[0], extra_facts)
        if effects:
            return effects
    if "evaluate" in group.ops or set(group.ops) in ({"predict"}, {"fit_model"}):
        # an evaluation's, a prediction's or a fit's result is a new value (a confusion matrix, a score, predictions,
        # fitted weights), not its input changed: "192 -> 2 rows (-190)" read as a filter, "`y_pred` float64 -> int64"
        # as a cast of the features predicted on, a hand-written model's `w_trained, b_trained, costs =
        # regressor.train(X_train, y_train)` as "750 -> 2 rows (-748)". Its shape only, when it was kept.
        kept = _kept_result(group)
        evaluation = next((s for s in group.steps if s.op == "evaluate" and kept is not None
                           and kept.variable in (s.output, *s.outputs)), None)
        if evaluation is not None:
            return metric_value_size(kept, evaluation.detail)
        return effect_phrases(without_before(kept))
    facts = group_facts(group)
    if builds_afresh(group):
        facts = without_before(facts)
    # a fill the kernel saw fill nothing (`static_op`) still says what there was to fill: "missing values 2 (unchanged)"
    op = (group.steps[0].static_op or group.steps[0].op) if len(group.steps) == 1 else ""
    if any(s.op == "encode_categorical" for s in group.steps):
        op = "encode_categorical"
    elif any(s.op == "join" or (s.op == "concat" and len(s.inputs) > 1) for s in group.steps):
        # the result's rows are not a change of the table it is measured against: a concatenation of three tables,
        # reshaped, measured against the first read "907 -> 908 rows (+1)" (bfn-eeoc 01), said beside it as a join's
        op = "join"
    if op == "impute_missing" and (not _measured_against_its_input(group.steps[0], facts)
                                   or found_nothing_to_fill(group.steps[0])):
        # its "before" is not what it filled, or its sentence says it found nothing to fill: nothing more about gaps
        op = ""
    return effect_phrases(facts, op, stated_dtypes=stated_dtype_columns(group))


def _kept_result(group: StepGroup) -> Optional[RuntimeFacts]:
    """The measured facts of the variable a group's statements assigned (`confusion = confusion_matrix(...)`)."""
    return next((s.runtime for s in reversed(group.steps)
                 if s.output and s.runtime is not None and s.runtime.variable == s.output), None)


def _measured_against_its_input(step: Step, facts: Optional[RuntimeFacts]) -> bool:
    """Whether `facts`' before describes what the step started from: the variable it changes itself
    (`df["Fare"] = df["Fare"].fillna(...)`), or the input named in `before_variable` (`df2 = df.fillna(0)`)."""
    return facts is not None and (facts.before_variable is not None or step.output in step.inputs)


def describe_step(step: Step, facts: Sequence[RuntimeFacts] = (),
                  derivations: Mapping[str, Sequence[str]] = {}) -> str:
    """One line for one step: what it did, to what, and with what effect. `facts`: its execution's runtime facts (a
    column the statement added to the variable it assigns, when its stored code is cut before the keyword);
    `derivations`: its execution's (a step in the body of a function the cell also calls says it is called)."""
    group = StepGroup(steps=[step])
    text = group_phrase(group, extra_facts=facts, derivations=derivations)
    effects = group_effects(group)
    return f"{text}: {'; '.join(effects)}" if effects else text


def recorded_step(step: Step, rec: ExecutionRecord, group: Optional[StepGroup] = None) -> str:
    """One step of a recorded execution in one line (the tree's step nodes, the graph's, `trackit ask`). The kernel
    measured the cell, not the statement: a step said with others (its `group_steps` group) is said without their
    measured effect, which `describe_execution` states once for the group. bfn-ofsted's load-select-join-assign read
    "Derived `owned_by_cambian` and `owned_by_keys` in `private_ownerships` into `inspections`: 1,585 → 3,488 rows
    (+1,903)", the whole cell's effect pinned on its last step. `group`: the step's `group_steps` group, when the
    caller words every step of each (grouping the execution again for each of its steps was a tenth of labelling)."""
    if group is None:
        group = next((g for g in group_steps(rec.steps) if any(s is step for s in g.steps)), None)
    earlier = written_earlier(rec.steps, group) if group is not None else 0
    if group is None or (len(group.steps) == 1 and not earlier):
        return describe_step(step, rec.runtime, call_derivations(rec))
    text = group_phrase(StepGroup(steps=[step]), extra_facts=rec.runtime, derivations=call_derivations(rec))
    effects = group_effects(group, rec.runtime) if step is group.steps[-1] else []
    return with_cell_effect(text, effects, len(group.steps) - 1, earlier, group_facts(group))


def written_earlier(steps: Sequence[Step], group: StepGroup) -> int:
    """How many of the execution's steps before `group`, not in it, wrote the variable whose measured facts the group
    holds. The kernel measured that variable once, after the cell: snowiness = is_snowing.astype(float).resample(...)
    then, two statements later, `snowiness.name = "Snowiness"` read "Renamed columns of `snowiness`: 8,784 → 12 rows
    (−8,772); `snowiness` bool → float64" (jvns-cookbook ch06), the cast and resample's effect pinned on the rename."""
    facts = group_facts(group)
    first = next((i for i, s in enumerate(steps) if s is group.steps[0]), None)
    if facts is None or not facts.variable or first is None:
        return 0
    body = group.steps[0].in_function  # a function body's local `df` is not the cell's
    return sum(1 for s in steps[:first] if s.output == facts.variable and s.in_function == body)


def with_cell_effect(text: str, effects: Sequence[str], others: int, earlier: int,
                     facts: Optional[RuntimeFacts]) -> str:
    """`text` with the effect the kernel measured for the cell, said as shared with the `others` steps of its group
    (just above) and the `earlier` steps that wrote the same variable before it."""
    if not effects:
        return text
    # the numbers are the cell's, measured once after it: said as this step's and the others' together, in plain words
    # ("Filled missing values of `train` (with the earlier step on `train`, as the kernel measured the cell: ...)"
    # read as a riddle)
    if earlier and facts is not None and facts.variable:
        together = others + earlier
        steps = "the earlier step" if together == 1 else f"the {together} earlier steps"
        together_with = f"{steps} on {code(facts.variable)}"
    else:
        together_with = "the step above" if others == 1 else f"the {others} steps above"
    return f"{text} (this and {together_with} together: {'; '.join(effects)})"


def describe_steps(steps: Sequence[Step], facts: Sequence[RuntimeFacts] = (),
                   files: Sequence[InputFile] = (), derivations: Mapping[str, Sequence[str]] = {},
                   each_alone: bool = False) -> list[str]:
    """One line per group of an execution's steps (see `group_steps`), noise left out.

    `facts`: the execution's runtime facts (lets a split state its train/test sizes).
    `files`: the execution's input files (a load then states the file's size and hash).
    `derivations`: the execution's (a function the cell defines and calls is said to be called).
    `each_alone`: each line is read on its own, so it says its loops in full; else the lines are read one after the
    other, and a loop is said once for the lines under it.
    """
    lines = []
    notes = LoopNotes()
    for group in visible_groups(steps):
        notes = LoopNotes() if each_alone else notes
        file_facts = {}
        for step in group.steps:
            if step.op == "load":
                found = step.input_file or match_input_file(step.detail, files)
                if found is not None:
                    file_facts[id(step)] = file_summary(found)
        lines.append(with_effects(group_phrase(group, file_facts, facts, derivations, notes), group, steps, facts))
    return lines


def with_effects(text: str, group: StepGroup, steps: Sequence[Step], facts: Sequence[RuntimeFacts] = ()) -> str:
    """A group's sentence `text` with its measured effect: its own ("...: 12 rows"), or the cell's when earlier steps
    of the execution (`steps`) wrote the same variable (`written_earlier`)."""
    effects = group_effects(group, facts)
    earlier = written_earlier(steps, group)
    if earlier:
        return with_cell_effect(text, effects, len(group.steps) - 1, earlier, group_facts(group))
    return f"{text}: {'; '.join(effects)}" if effects else text


def describe_execution(rec: ExecutionRecord, each_alone: bool = False) -> list[str]:
    """`describe_steps` for one recorded execution. Its steps' facts are already measured against their own
    inputs in that run (lineage.measured), so a re-run reads like the first run. A failed or cancelled run
    is described only by what it did: the steps whose variable the kernel saw change (`outcome_note` says
    the rest); with no facts at all (nothing known), its steps as written, without figures. The files the run wrote
    follow its steps (saving is no step, but an auditor needs to know which file came from what). `each_alone`: as
    `describe_steps`'."""
    lines = describe_steps(described_steps(rec), facts=rec.runtime, files=rec.input_files, derivations=call_derivations(rec),
                           each_alone=each_alone)
    return lines + [file_written_line(written) for written in run_files_written(rec)]


def described_steps(rec: ExecutionRecord) -> list[Step]:
    """The steps `describe_execution` words: a failed run's only when the kernel saw their variable change."""
    if rec.status != "ok" and rec.applied_writes is not None:
        return [s for s in rec.steps if s.runtime is not None]
    return list(rec.steps)


def line_alone(rec: ExecutionRecord, index: int, lines: Sequence[str]) -> str:
    """Line `index` of `lines` (`describe_execution(rec)`) said on its own, as a tree row's description shows it: the
    lines above it are not read with it, so it says its loops in full, not "(in the same loop)"."""
    groups = visible_groups(described_steps(rec))
    if index == 0 or index >= len(groups) or not any(step.loops for step in groups[index].steps):
        return lines[index]
    return describe_execution(rec, each_alone=True)[index]


def main_line(rec: ExecutionRecord) -> Optional[int]:
    """Which of `describe_execution`'s lines is the run's main effect: the first whose data the kernel saw
    change, else the first; None when there is no line."""
    groups = visible_groups(described_steps(rec))
    for index, group in enumerate(groups):
        if shows_change(group_facts(group)):
            return index
    return 0 if groups else None


def outcome_note(rec: ExecutionRecord) -> Optional[str]:
    """What a failed or cancelled run left behind: "partially applied: `df` changed before the error",
    "no data changed before the error", "cancelled before it ran"; None for an ok run or when not known."""
    if rec.status == "ok":
        return None
    if rec.status == "cancelled" and rec.execution_count is None:
        return "cancelled before it ran"
    stop = "the error" if rec.status == "error" else "the interrupt"
    if rec.applied_writes is None:
        return None
    if not rec.applied_writes:
        return f"no data changed before {stop}"
    return f"partially applied: {names(rec.applied_writes, count_total=False)} changed before {stop}"
