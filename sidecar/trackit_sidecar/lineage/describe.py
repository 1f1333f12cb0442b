"""Human phrases for steps and their runtime effects ("Dropped rows with missing values in `Age` from `df`: 891 → 714 rows (−177)").

Shared by hovers, the lineage tree text and the built-in summary so they all say the same thing.
Pure: steps and facts in, text out.

Runtime facts are measured per cell and per variable, not per statement: when several steps of one
execution write the same variable, the kernel saw only their combined effect. `group_steps` keeps
such runs of steps together and `group_phrase` names them in one sentence, so an effect is never
pinned on the one statement that happened to come last.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from ..protocol import ExecutionRecord, InputFile, RuntimeFacts, Step

MINUS = "\u2212"  # typographic minus: reads better than "-" next to numbers
ARROW = "\u2192"
MAX_LISTED = 8
MAX_CODE_CHARS = 60

SOURCE_OPS = frozenset({"load"})
MODEL_OPS = frozenset({"fit_model", "predict", "evaluate"})
# ops whose statement is usually described better by a sibling step classified from the same line
# (e.g. `df["Age"].fillna(df.groupby(["Sex", "Pclass"])...)` is impute_missing + derive_feature)
SECONDARY_OPS = frozenset({"derive_feature", "other"})

ONE_HOT_HINTS = ("dummies", "onehot")  # get_dummies, str.get_dummies, polars to_dummies, OneHotEncoder


# ------------------------------------------------------------------ wording helpers
def code(name: str) -> str:
    return f"`{name}`"


def names(items: Iterable[str], limit: int = MAX_LISTED, count_total: bool = True) -> str:
    """"`a`, `b` and `c`". Long lists are cut after `limit` names; one extra name is shown rather than cut.

    The total is stated ("(30 in total)") only when the caller knows it is a recorded count (a step's
    columns, a fact's added columns), because the faithfulness check rejects invented numbers.
    """
    items = [i for i in items if i]
    if len(items) > limit + 1:
        shown = [code(i) for i in items[:limit]]
        rest = f"others ({len(items)} in total)" if count_total else "others"
        return ", ".join(shown) + " and " + rest
    shown = [code(i) for i in items]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def signed(n: int) -> str:
    """+3 / −177 with a real minus sign, as people write deltas."""
    return f"+{n:,}" if n > 0 else f"{MINUS}{abs(n):,}" if n < 0 else "\u00b10"


def _join_clauses(clauses: list[str]) -> str:
    if len(clauses) <= 1:
        return "".join(clauses)
    return ", ".join(clauses[:-1]) + " and " + clauses[-1]


def _union_names(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([n for n in first + second if n]))


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _short_code(step: Step) -> Optional[str]:
    text = " ".join((step.code or "").split())
    return text if text and len(text) <= MAX_CODE_CHARS else None


# ------------------------------------------------------------------ runtime effects
def shows_change(facts: Optional[RuntimeFacts]) -> bool:
    """True when the kernel measured an actual change (not just the size of an object it saw)."""
    if facts is None:
        return False
    pairs = [(facts.rows_before, facts.rows_after), (facts.cols_before, facts.cols_after),
             (facts.nulls_before, facts.nulls_after)]
    if any(b is not None and a is not None and b != a for b, a in pairs):
        return True
    return bool(facts.added_columns or facts.removed_columns or facts.dtype_changes)


def effect_phrases(facts: Optional[RuntimeFacts], op: str = "", stated_dtypes: Iterable[str] = ()) -> list[str]:
    """Row/column/dtype/null effects measured in the kernel, as short phrases.

    `stated_dtypes`: columns whose type change the sentence already says ("converted `Age` from str
    to float64"), left out here so it is not said twice.
    """
    if facts is None:
        return []
    effects: list[str] = []
    rb, ra = facts.rows_before, facts.rows_after
    cb, ca = facts.cols_before, facts.cols_after
    if rb is None and cb is None and ra is not None and ca is not None:
        # a new object: its shape, the way pandas users read it
        effects.append(f"{ra:,} rows \u00d7 {ca:,} columns")
    else:
        if rb is not None and ra is not None:
            if rb == ra:
                effects.append(f"{ra:,} rows (unchanged)")
            else:
                effects.append(f"{rb:,} {ARROW} {ra:,} rows ({signed(ra - rb)})")
        elif ra is not None:
            effects.append(f"{ra:,} rows")
        if cb is not None and ca is not None and cb != ca:
            effects.append(f"{cb:,} {ARROW} {ca:,} columns ({signed(ca - cb)})")
        elif ca is not None and cb is None:
            effects.append(f"{ca:,} columns")
    if facts.added_columns and op != "encode_categorical":  # the encode sentence names them already
        effects.append("added " + names(facts.added_columns))
    if facts.removed_columns:
        effects.append("removed " + names(facts.removed_columns))
    stated = set(stated_dtypes)
    for column, change in list(facts.dtype_changes.items())[:MAX_LISTED]:
        if len(change) == 2 and column not in stated:
            effects.append(f"{code(column)} {change[0]} {ARROW} {change[1]}")
    nb, na = facts.nulls_before, facts.nulls_after
    if nb is not None and na is not None and nb != na:
        effects.append(f"missing values {nb:,} {ARROW} {na:,}")
    elif nb is None and na:
        effects.append(f"{na:,} missing values")
    if facts.sampled:
        effects.append("measured on a sample")
    return effects


def runtime_delta(facts: Optional[RuntimeFacts]) -> str:
    """'891 → 714 rows (−177); added `Fare`'; '' when nothing is known."""
    return "; ".join(effect_phrases(facts))


# ------------------------------------------------------------------ input files
def _path_parts(path: str) -> list[str]:
    norm = posixpath.normpath(path.replace("\\", "/"))
    return [p for p in norm.split("/") if p not in ("", ".")]


def match_input_file(written: Optional[str], files: Sequence[InputFile]) -> Optional[InputFile]:
    """The recorded input file a load's path (as written in the code) refers to.

    The kernel records resolved absolute paths; code usually says `"data/train.csv"`. Matching is
    on the whole path, then on the trailing path components, then on the basename, each only when
    exactly one file fits. No file system access: the summary must be the same on any machine.
    """
    if not written or not files:
        return None
    wanted = _path_parts(written)
    if not wanted:
        return None
    for f in files:
        if _path_parts(f.path) == wanted:
            return f
    if ".." not in wanted:
        ends_alike = [f for f in files if _path_parts(f.path)[-len(wanted):] == wanted]
        if ends_alike:
            # two recorded files ending the same way: say nothing rather than guess
            return ends_alike[0] if len(ends_alike) == 1 else None
    same_name = [f for f in files if _path_parts(f.path)[-1:] == wanted[-1:]]
    return same_name[0] if len(same_name) == 1 else None


# ------------------------------------------------------------------ grouping
@dataclass
class StepGroup:
    """Consecutive steps of one execution that the kernel's facts cannot tell apart."""

    steps: list[Step] = field(default_factory=list)
    kind: str = "single"  # single | output (same output variable) | evaluate (same inputs)

    @property
    def output(self) -> Optional[str]:
        return self.steps[-1].output if self.kind != "evaluate" else None

    @property
    def ops(self) -> list[str]:
        return [s.op for s in self.steps]

    @property
    def section(self) -> str:
        """Where the summary puts it: a group that loads is a data source; one that fits/uses a model is modelling."""
        ops = set(self.ops)
        if ops & SOURCE_OPS:
            return "source"
        if ops & MODEL_OPS:
            return "model"
        if ops == {"other"}:
            return "other"
        return "preprocessing"


def group_steps(steps: Sequence[Step]) -> list[StepGroup]:
    """Split an execution's steps (in code order) into groups.

    A step joins the previous group when it writes the same variable (its effect is inseparable in
    the measured facts), or when both are evaluations of the same inputs (three metrics on
    `y_test`/`predictions` read as one sentence).
    """
    groups: list[StepGroup] = []
    for step in steps:
        last = groups[-1] if groups else None
        if last is not None and step.output is not None and last.kind in ("single", "output") \
                and last.steps[-1].output == step.output:
            last.steps.append(step)
            last.kind = "output"
        elif last is not None and step.op == "evaluate" and last.kind in ("single", "evaluate") \
                and last.steps[-1].op == "evaluate" and last.steps[-1].inputs == step.inputs:
            last.steps.append(step)
            last.kind = "evaluate"
        else:
            groups.append(StepGroup(steps=[step]))
    return groups


def is_noise(group: StepGroup) -> bool:
    """A lone `other` step (`df.head()`, `df.describe()`) that changed nothing measurable."""
    if group.ops != ["other"]:
        return False
    return not shows_change(group.steps[0].runtime)


def visible_groups(steps: Sequence[Step]) -> list[StepGroup]:
    """Groups worth showing: lone `other` steps are left out unless the execution has nothing else."""
    groups = group_steps(steps)
    if all(is_noise(g) for g in groups):
        return groups
    return [g for g in groups if not is_noise(g)]


def _statements(group: StepGroup) -> list[tuple[Step, list[Step]]]:
    """(primary step, steps classified from the same statement) in order.

    The classifier can emit two steps for one line; the more specific one describes the statement
    and the secondary one's extra columns become "using ..." (the columns the statement read).
    """
    result: list[tuple[Step, list[Step]]] = []
    by_statement: dict[tuple[int, str], int] = {}
    for step in group.steps:
        key = (step.line, step.code) if step.code else None
        if key is not None and key in by_statement:
            index = by_statement[key]
            primary, folded = result[index]
            if primary.op in SECONDARY_OPS and step.op not in SECONDARY_OPS:
                result[index] = (step, folded + [primary])
                continue
            if step.op in SECONDARY_OPS:
                folded.append(step)
                continue
            # two specific ops from one statement (a chain like `.dropna().drop_duplicates()`): both are said
        if key is not None:
            by_statement[key] = len(result)
        result.append((step, []))
    return result


def group_facts(group: StepGroup) -> Optional[RuntimeFacts]:
    """The measured facts that belong to the group's result (or a measured change of something else)."""
    facts = [s.runtime for s in group.steps if s.runtime is not None]
    for fact in reversed(facts):
        if fact.variable is None or fact.variable == group.output:
            return fact
    for fact in reversed(facts):
        # attach_runtime hands an output-less step the facts of a variable it merely read; show
        # them only if that variable actually changed, otherwise "223 rows (unchanged)" is noise
        if shows_change(fact):
            return fact
    return None


# ------------------------------------------------------------------ one step
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


def _cols(step: Step, word: str) -> str:
    return f" {word} {names(step.columns)}" if step.columns else ""


def _detail(step: Step) -> str:
    return f" ({step.detail})" if step.detail else ""


def _cast_from_facts(step: Step, facts: Optional[RuntimeFacts]) -> tuple[str, list[str]]:
    """(" from str to float64", ["Age"]) when the facts show the cast columns' type change."""
    if facts is None or not step.columns or not all(c in facts.dtype_changes for c in step.columns):
        return "", []
    changes = [facts.dtype_changes[c] for c in step.columns]
    if any(len(c) != 2 for c in changes):
        return "", []
    before = {c[0] for c in changes}
    after = {c[1] for c in changes}
    if len(after) != 1:
        return "", []
    start = f" from {next(iter(before))}" if len(before) == 1 else ""
    return f"{start} to {next(iter(after))}", list(step.columns)


def stated_dtype_columns(group: StepGroup) -> list[str]:
    facts = group_facts(group)
    stated: list[str] = []
    for step in group.steps:
        if step.op == "type_cast" and not step.detail:
            stated += _cast_from_facts(step, facts)[1]
    return stated


def _derived_targets(step: Step, facts: Optional[RuntimeFacts]) -> list[str]:
    """The new columns: `columns` of a column assignment (it names `derived_from`), else the added ones."""
    if step.derived_from:
        return list(step.columns)
    if facts is not None:
        return [c for c in step.columns if c in facts.added_columns]
    return []


def _split_outputs(step: Step) -> list[str]:
    if step.outputs:
        return list(step.outputs)
    return [step.output] if step.output else []


def predict_model_and_data(step: Step) -> tuple[Optional[str], list[str]]:
    """(model variable, data inputs). Analyses stored before `model` existed put the model first in `inputs`."""
    if step.model:
        return step.model, [i for i in step.inputs if i != step.model]
    if len(step.inputs) > 1:
        return step.inputs[0], step.inputs[1:]
    return None, list(step.inputs)


def step_phrase(step: Step, with_target: bool = True, facts: Optional[RuntimeFacts] = None,
                using: Sequence[str] = (), file_facts: str = "", extra_facts: Sequence[RuntimeFacts] = ()) -> str:
    """What one step did, lower-case, without effects or citation.

    with_target=False gives the short form used after the first clause of a group
    ("... and filled missing values in `Fare`"): the group's variable is named once.
    `facts`: the measured facts of the step's group (for the cast type and encoded columns).
    `using`: extra columns the same statement read. `file_facts`: "(49.0 KB, sha256 5efb7e27)".
    `extra_facts`: the execution's other facts (a split's outputs).
    """
    op = step.op
    target = _target(step)
    into = _into(step) if with_target else ""
    facts = facts if facts is not None else step.runtime
    use = f" using {names(using)}" if using else ""
    if op == "load":
        source = step.detail or (step.input_file.path if step.input_file else None)
        what = code(source) if source else "data"
        extra = f" {file_facts}" if file_facts else ""
        where = f" into {code(step.output)}" if step.output else ""
        return f"loaded {what}{extra}{where}"
    if op == "filter_rows":
        return f"filtered rows of {target}{_cols(step, 'on')}{use}{into}" if with_target \
            else f"filtered rows{_cols(step, 'on')}{use}"
    if op == "select_columns":
        cols = names(step.columns) if step.columns else "a subset of columns"
        return f"selected {cols} from {target}{into}" if with_target else f"selected {cols}"
    if op == "drop_columns":
        cols = names(step.columns) if step.columns else "columns"
        return f"dropped {cols} from {target}{into}" if with_target else f"dropped {cols}"
    if op == "impute_missing":
        where = _cols(step, "in")
        how = _detail(step)
        if step.statistic and step.group_keys:  # a groupby().transform fill value
            how = f" with the {step.statistic} per {names(step.group_keys)}"
        return f"filled missing values{where} of {target}{how}{use}{into}" if with_target \
            else f"filled missing values{where}{how}{use}"
    if op == "drop_missing":
        return f"dropped rows with missing values{_cols(step, 'in')} from {target}{use}{into}" if with_target \
            else f"dropped rows with missing values{_cols(step, 'in')}{use}"
    if op == "drop_duplicates":
        return f"dropped duplicate rows{_cols(step, 'by')} from {target}{into}" if with_target \
            else f"dropped duplicate rows{_cols(step, 'by')}"
    if op == "rename":
        cols = names(step.columns) if step.columns else "columns"
        return f"renamed {cols} of {target}{into}" if with_target else f"renamed {cols}"
    if op == "type_cast":
        cols = names(step.columns) if step.columns else "the type"
        to = f" to {step.detail}" if step.detail else _cast_from_facts(step, facts)[0]
        return f"converted {cols} of {target}{to}{into}" if with_target else f"converted {cols}{to}"
    if op == "encode_categorical":
        hint = f"{step.method or ''} {step.detail or ''}".lower().replace("-", "").replace("_", "")
        one_hot = any(h in hint for h in ONE_HOT_HINTS)
        verb = "one-hot encoded" if one_hot else "encoded"
        extra = f" ({step.detail})" if step.detail and not one_hot else ""
        added = facts.added_columns if facts else []
        into_cols = f" into {len(added)} columns ({names(added)})" if added else ""
        if not step.columns:
            return f"{verb} {target}{extra}{into_cols}{into}" if with_target else f"{verb} the categories{extra}{into_cols}"
        of = f" of {target}" if with_target else ""
        return f"{verb} {names(step.columns)}{of}{extra}{into_cols}{into}"
    if op == "scale_normalize":
        cols = f" {names(step.columns)} of" if step.columns else ""
        return f"scaled{cols} {target}{_detail(step)}{into}" if with_target \
            else f"scaled {names(step.columns) if step.columns else 'the values'}{_detail(step)}"
    if op == "derive_feature":
        made = _derived_targets(step, facts)
        sources = [c for c in step.columns if c not in made] + [c for c in using if c not in step.columns]
        sources = _union_names(sources, list(step.derived_from))
        if made:
            what = names(made) + (f" from {names(sources)}" if sources else "")
        elif step.derived_from:  # df[name_in_a_variable] = ...: the new column is unknown, its sources are not
            what = f"a new feature from {names(sources)}"
        else:
            what = names(step.columns) if step.columns else "a new feature"
        return f"derived {what} in {target}{into}" if with_target else f"derived {what}"
    if op == "aggregate":
        return f"aggregated {target}{_cols(step, 'by')}{_detail(step)}{into}" if with_target \
            else f"aggregated{_cols(step, 'by')}{_detail(step)}"
    if op == "join":
        left = code(step.inputs[0]) if step.inputs else "the data"
        right = names(step.inputs[1:]) if len(step.inputs) > 1 else "another table"
        key = step.detail or (", ".join(step.columns) if step.columns else "")
        on = f" on {code(key)}" if key else ""
        return f"joined {left} with {right}{on}{into}" if with_target else f"joined {right}{on}"
    if op == "concat":
        others = [i for i in step.inputs if i != step.output]
        return f"concatenated {target}{into}" if with_target \
            else (f"appended {names(others)}" if others else "concatenated")
    if op == "reshape":
        return f"reshaped {target}{_detail(step)}{into}" if with_target else f"reshaped the table{_detail(step)}"
    if op == "sort":
        return f"sorted {target}{_cols(step, 'by')}{into}" if with_target \
            else (f"sorted by {names(step.columns)}" if step.columns else "sorted the rows")
    if op == "sample":
        return f"sampled rows of {target}{_detail(step)}{into}" if with_target else f"sampled rows{_detail(step)}"
    if op == "split":
        outputs = _split_outputs(step)
        if len(outputs) > 1 and len(_measured_split_outputs(step, extra_facts)) == len(outputs):
            return f"split {target} into training and test sets"  # the effects name each part
        if step.outputs:
            return f"split {target} into training and test sets {names(outputs, count_total=False)}"
        giving = f", giving {code(step.output)}" if step.output and step.output not in step.inputs else ""
        return f"split {target} into training and test sets{_detail(step)}{giving}"
    if op == "datetime_parse":
        if not step.columns:
            return f"parsed dates in {target}{into}" if with_target else "parsed dates"
        of = f" of {target}" if with_target else ""
        return f"parsed {names(step.columns)}{of} as dates{into}"
    if op == "text_clean":
        return f"cleaned text{_cols(step, 'in')} of {target}{into}" if with_target else f"cleaned text{_cols(step, 'in')}"
    if op == "outlier_remove":
        return f"removed outliers{_cols(step, 'by')} from {target}{into}" if with_target \
            else f"removed outliers{_cols(step, 'by')}"
    if op == "fit_model":
        model = f"a {code(step.detail)} model" if step.detail else "a model"
        as_name = f" as {code(step.output)}" if step.output else ""
        on = f" on {names(step.inputs)}" if step.inputs else ""
        return f"fitted {model}{as_name}{on}"
    if op == "predict":
        model, data = predict_model_and_data(step)
        kind = f" ({code(step.detail)})" if step.detail and model else ""
        with_model = f" with {code(model)}{kind}" if model else (f" with a {code(step.detail)}" if step.detail else "")
        on = f" on {names(data)}" if data else ""
        if not (with_model or on):
            return f"made predictions{_into(step)}"
        return f"predicted{with_model}{on}{_into(step)}"
    if op == "evaluate":
        metric = f" with {code(step.detail)}" if step.detail else ""
        return f"evaluated {target}{metric}{_into(step)}"
    # "other": the code itself says more than any verb we could guess
    snippet = _short_code(step)
    if snippet:
        return f"ran {code(snippet)}"
    what = f"{code(step.detail)} on " if step.detail else "an operation on "
    return f"ran {what}{target}{into}" if with_target else "applied one more operation"


def _evaluate_phrase(group: StepGroup) -> str:
    first = group.steps[0]
    metrics = []
    for step in group.steps:
        metric = code(step.detail) if step.detail else "another metric"
        if step.output and step.output not in step.inputs:
            metric += f" (into {code(step.output)})"
        metrics.append(metric)
    return f"evaluated {_target(first)} with {_join_clauses(metrics)}"


def group_phrase(group: StepGroup, file_facts: Optional[dict[int, str]] = None,
                 extra_facts: Sequence[RuntimeFacts] = ()) -> str:
    """One capitalised clause list for the whole group, e.g.
    "Dropped duplicate rows from `passengers` into `df` and converted `Age` from str to float64".

    The first statement names the variable; later ones are in the short form, so the sentence says
    what was done to `df` without claiming which statement caused the measured effect.
    `file_facts`: id(load step) -> "(49.0 KB, sha256 …)".
    """
    if group.kind == "evaluate":
        return _capitalise(_evaluate_phrase(group))
    facts = group_facts(group)
    clauses = []
    for index, (step, folded) in enumerate(_statements(group)):
        using: list[str] = []
        for other in folded:
            using += [c for c in other.columns if c not in step.columns and c not in using]
        extra = (file_facts or {}).get(id(step), "")
        clauses.append(step_phrase(step, with_target=index == 0, facts=facts, using=using, file_facts=extra,
                                   extra_facts=extra_facts))
    return _capitalise(_join_clauses(clauses))


def _measured_split_outputs(step: Step, facts: Iterable[RuntimeFacts]) -> list[tuple[str, RuntimeFacts]]:
    by_variable = {f.variable: f for f in facts if f.variable}
    if step.runtime is not None and step.runtime.variable:
        by_variable.setdefault(step.runtime.variable, step.runtime)
    return [(name, by_variable[name]) for name in _split_outputs(step)
            if name in by_variable and by_variable[name].rows_after is not None]


def split_effects(step: Step, facts: Iterable[RuntimeFacts]) -> list[str]:
    """'889 rows → 666 in `X_train` and `y_train`, 223 in `X_test` and `y_test`' from the outputs' facts.

    Each size is said of the parts it was measured on, never as a change of one of them.
    """
    measured = _measured_split_outputs(step, facts)
    if not measured:
        return []
    by_rows: dict[int, list[str]] = {}
    for name, fact in measured:
        by_rows.setdefault(fact.rows_after, []).append(name)  # type: ignore[arg-type]
    before = next((f.rows_before for _, f in measured if f.rows_before is not None), None)
    parts = [f"{rows:,} in {names(group_names, count_total=False)}" for rows, group_names in by_rows.items()]
    start = f"{before:,} rows {ARROW} " if before is not None else ""
    return [start + ", ".join(parts) + ("" if before is not None else " rows")]


def without_before(facts: Optional[RuntimeFacts]) -> Optional[RuntimeFacts]:
    """The facts of a brand-new object: only its state after the cell.

    The kernel's "before" is whatever the name held before the cell ran. For a value the cell
    built afresh (a load, or `df = passengers.drop_duplicates()` run a second time) that is the
    previous, discarded value, and "889 → 891 rows (+2)" would describe nothing the code did.
    """
    if facts is None:
        return None
    return facts.model_copy(update={"rows_before": None, "cols_before": None, "nulls_before": None,
                                    "added_columns": [], "removed_columns": [], "dtype_changes": {}})


def builds_afresh(group: StepGroup) -> bool:
    """True when the group's result does not start from its variable's previous value (a load)."""
    return bool(group.steps) and group.steps[0].op in SOURCE_OPS


def group_effects(group: StepGroup, extra_facts: Sequence[RuntimeFacts] = ()) -> list[str]:
    """The measured effect of the group as a whole (never split between its statements)."""
    if group.ops == ["split"]:
        effects = split_effects(group.steps[0], extra_facts)
        if effects:
            return effects
    facts = group_facts(group)
    if builds_afresh(group):
        facts = without_before(facts)
    op = group.steps[0].op if len(group.steps) == 1 else ""
    if any(s.op == "encode_categorical" for s in group.steps):
        op = "encode_categorical"
    return effect_phrases(facts, op, stated_dtypes=stated_dtype_columns(group))


# ------------------------------------------------------------------ lines for the tree and hovers
def describe_step(step: Step) -> str:
    """One line for one step: what it did, to what, and with what effect."""
    group = StepGroup(steps=[step])
    text = group_phrase(group)
    effects = group_effects(group)
    return f"{text}: {'; '.join(effects)}" if effects else text


def describe_steps(steps: Sequence[Step], facts: Sequence[RuntimeFacts] = (),
                   files: Sequence[InputFile] = ()) -> list[str]:
    """One line per group of an execution's steps (see `group_steps`), noise left out.

    `facts`: the execution's runtime facts (lets a split state its train/test sizes).
    `files`: the execution's input files (a load then states the file's size and hash).
    """
    lines = []
    for group in visible_groups(steps):
        file_facts = {}
        for step in group.steps:
            if step.op == "load":
                found = step.input_file or match_input_file(step.detail, files)
                if found is not None:
                    file_facts[id(step)] = file_summary(found)
        text = group_phrase(group, file_facts, facts)
        effects = group_effects(group, facts)
        lines.append(f"{text}: {'; '.join(effects)}" if effects else text)
    return lines


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    if size < 1024 ** 3:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024 ** 3:.1f} GB"


def file_summary(f: InputFile) -> str:
    """'(49.0 KB, sha256 5efb7e27)'; '' when nothing is known."""
    parts = []
    if f.size is not None:
        parts.append(human_size(f.size))
    if f.sha256:
        parts.append(f"sha256 {f.sha256[:8]}")
    return f"({', '.join(parts)})" if parts else ""


# ------------------------------------------------------------------ re-runs in one session
def _facts_by_variable(rec: ExecutionRecord) -> dict[str, RuntimeFacts]:
    found = {f.variable: f for f in rec.runtime if f.variable}
    for step in rec.steps:
        if step.runtime is not None and step.runtime.variable:
            found.setdefault(step.runtime.variable, step.runtime)
    return found


def restate_rebound_facts(rec: ExecutionRecord, earlier: Sequence[ExecutionRecord]) -> ExecutionRecord:
    """`rec` with honest "before" facts for names it rebinds without reading them.

    `earlier`: the executions of the same session before `rec`, in order. When `rec` assigns a
    name it does not read (`df = passengers.drop_duplicates()`) and an earlier execution had set
    that name, the kernel's "before" is that stale value (a second Run All says "889 → 891 rows").
    Then, if an earlier run of the same code produced the identical object (same fingerprint) at a
    time the name was still unset, its facts describe this run's change exactly and are reused;
    otherwise only the new object's own shape is kept. `rec` itself is never modified.
    """
    written_before: set[str] = set()
    first_writer: dict[str, int] = {}  # name -> index in `earlier` of its first writer
    for index, prior in enumerate(earlier):
        for name in prior.writes:
            first_writer.setdefault(name, index)
        written_before.update(prior.writes)
    stale = {name for name in rec.writes if name in written_before and name not in rec.reads}
    if not stale:
        return rec
    facts = _facts_by_variable(rec)
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
            clean = _facts_by_variable(prior).get(name)
            if clean is not None and clean.fingerprint == fact.fingerprint:
                replacement[name] = clean
                break
    if not replacement:
        return rec
    copy = rec.model_copy(deep=True)
    copy.runtime = [replacement.get(f.variable or "", f) for f in copy.runtime]
    for step in copy.steps:
        if step.runtime is not None and step.runtime.variable in replacement:
            step.runtime = replacement[step.runtime.variable]
    return copy


def describe_execution(rec: ExecutionRecord, earlier: Sequence[ExecutionRecord] = ()) -> list[str]:
    """`describe_steps` for one recorded execution; pass the session's earlier executions so a re-run's
    rebuilt variables are measured against their inputs (see `restate_rebound_facts`), as the summary does."""
    rec = restate_rebound_facts(rec, earlier) if earlier else rec
    return describe_steps(rec.steps, facts=rec.runtime, files=rec.input_files)
