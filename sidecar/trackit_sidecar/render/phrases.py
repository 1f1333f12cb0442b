"""What one step did, in words: one template (TEMPLATES) or one function per op (PHRASES), reading the step's fields.

Lower-case, without effects or citation. `Say.with_target` False gives the short form used after the first
clause of a group ("... and filled missing values in `Fare`"): the group's variable is named once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from ..lineage.kb import runtime as kb_runtime
from ..lineage.kb.sklearn import METHODS as SKLEARN_METHODS
from ..protocol import RuntimeFacts, Step
from .effects import measured_split_outputs, split_outputs
from .files import made_in_code
from .groups import TABLE_CONSTRUCTORS
from .words import MAX_LISTED, code, counted, names, one_line, short_code, union_names

ONE_HOT_HINTS = ("dummies", "onehot")  # get_dummies, str.get_dummies, polars to_dummies, OneHotEncoder


@dataclass
class Say:
    """How to word one step: its context in the sentence.

    `facts`: the measured facts of the step's group (for the cast type and encoded columns).
    `using`: extra columns the same statement read. `file_facts`: "(49.0 KB, sha256 5efb7e27)".
    `extra_facts`: the execution's other facts (a split's outputs).
    """

    target: str
    with_target: bool = True
    facts: Optional[RuntimeFacts] = None
    using: Sequence[str] = ()
    file_facts: str = ""
    extra_facts: Sequence[RuntimeFacts] = field(default_factory=tuple)
    into: str = ""
    use: str = ""
    rows_of: Sequence[str] = ()  # fit_model: the variables whose rows the statement picked to fit on


def target_of(step: Step) -> str:
    """What the step worked on: its inputs; with none read from the code, its output only when the phrase does not
    also say it made that output ("converted the type of `snowiness` into `snowiness`", jvns-cookbook ch06: the input
    `is_snowing` was not read from the chain, its result was named as what it converted)."""
    if step.inputs:
        return names(step.inputs)
    if step.output and not _into(step):  # `x = x.astype(float)`, its input not read: `x` still
        return code(step.output)
    return "the data"


def _into(step: Step) -> str:
    # `reads_output`: the statement's value names the variable it assigns (`is_snowing=is_snowing.astype(float)`):
    # what it worked on, though the classifier read no input
    if step.output and step.output not in step.inputs and (step.inputs or not step.reads_output):
        # a tuple assignment binds every name it lists (`fpr, tpr, thr = roc_curve(...)` read "into `fpr`")
        bound = step.outputs if len(step.outputs) > 1 and step.output in step.outputs else [step.output]
        return f" into {names(bound)}"
    return ""


def _cols(step: Step, word: str) -> str:
    return f" {word} {names(step.columns)}" if step.columns else ""


def changed_columns(step: Step) -> tuple[list[str], str]:
    """(the columns whose values the step changed, " into `x2`" when it wrote them to other columns): for ops other
    than derive_feature, `derived_from` names the columns changed and `columns` where the values were written
    (`df["x2"] = df["x"].fillna(0)`)."""
    if step.derived_from and step.op != "derive_feature":
        return list(step.derived_from), f" into {names(step.columns)}" if step.columns else ""
    return list(step.columns), ""


def _detail(step: Step) -> str:
    return f" ({step.detail})" if step.detail else ""


def cast_from_facts(step: Step, facts: Optional[RuntimeFacts]) -> tuple[str, list[str]]:
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
    # written to other columns (`df["b"] = df["a"].astype(int)`): the type before is the old `b`'s, not `a`'s
    start = f" from {next(iter(before))}" if len(before) == 1 and not step.derived_from else ""
    return f"{start} to {next(iter(after))}", list(step.columns)


def _derived_targets(step: Step, facts: Optional[RuntimeFacts], extra_facts: Sequence[RuntimeFacts] = ()) -> list[str]:
    """The new columns: `columns` of a column assignment (it names `derived_from`), else the added ones (by the step's
    facts, else by its execution's of the variable it assigns: one link of a chain has none of its own), else those
    the statement names as `.assign(name=...)` keywords (`assigned_columns`: a column the kernel did not see added,
    the variable was replaced later in the cell, or the assign is one link of a chain)."""
    if step.derived_from:
        return list(step.columns)
    if facts is None:
        facts = next((f for f in extra_facts if step.output and f.variable == step.output), None)
    added = [c for c in step.columns if c in facts.added_columns] if facts is not None else []
    return added + [c for c in step.columns if c in step.assigned_columns and c not in added]


def predict_model_and_data(step: Step) -> tuple[Optional[str], list[str]]:
    """(model variable, data inputs). Analyses stored before `model` existed (and `method` with it: executions keep the
    analysis they were classified with) put the model first in `inputs`. A prediction of today's analyses with no
    model is a threshold on scores (`proba[:, 1] > 0.2`, method "threshold"): its first input is no model (islr
    chapter 4 read "predicted with `y` on `y_prob`", `y` the true labels beside the scores)."""
    if step.model:
        return step.model, [i for i in step.inputs if i != step.model]
    if step.method is None and len(step.inputs) > 1:
        return step.inputs[0], step.inputs[1:]
    return None, list(step.inputs)


def _load(step: Step, say: Say) -> str:
    if made_in_code(step) and step.output:
        return f"created {code(step.output)} with {code(step.method or '')}"
    file_facts = say.file_facts
    source = step.detail or (step.input_file.path if step.input_file else None)
    what = code(source) if source else "data"
    extra = f" {file_facts}" if file_facts else ""
    where = f" into {code(step.output)}" if step.output else ""
    return f"loaded {what}{extra}{where}"


# The ops said by a template: (long form, short form[, what to say when no column is named]). The long form
# names the data (`{target}`) and is followed by " into `out`" when the result is a new variable; the short
# form continues a sentence about the same data. Fields: {target} {cols} {on_cols} {in_cols} {by_cols}
# {detail} {use}.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "filter_rows": ("filtered rows of {target}{on_cols}{use}", "filtered rows{on_cols}{use}"),
    "select_columns": ("selected {cols} from {target}", "selected {cols}", "a subset of columns"),
    "drop_columns": ("dropped {cols} from {target}", "dropped {cols}", "columns"),
    "drop_missing": ("dropped rows with missing values{in_cols} from {target}{use}",
                     "dropped rows with missing values{in_cols}{use}"),
    "drop_duplicates": ("dropped duplicate rows{by_cols} from {target}", "dropped duplicate rows{by_cols}"),
    "rename": ("renamed {cols} of {target}", "renamed {cols}", "columns"),
    "reshape": ("reshaped {target}{detail}", "reshaped the table{detail}"),
    "sample": ("sampled rows of {target}{detail}", "sampled rows{detail}"),
    "text_clean": ("cleaned text{in_cols} of {target}", "cleaned text{in_cols}"),
    "outlier_remove": ("removed outliers{by_cols} from {target}", "removed outliers{by_cols}"),
}


def _templated(step: Step, say: Say) -> str:
    long_form, short_form, *no_columns = TEMPLATES[step.op]
    form = long_form if say.with_target else short_form
    changed, written = changed_columns(step)
    columns = names(changed) if changed and "cols}" in form else ""
    fields = {"target": say.target, "use": say.use, "detail": _detail(step),
              "on_cols": f" on {columns}" if columns else "", "in_cols": f" in {columns}" if columns else "",
              "by_cols": f" by {columns}" if columns else "",
              "cols": columns or (no_columns[0] if no_columns else "")}
    return form.format(**fields) + written + say.into if say.with_target else form.format(**fields) + written


def _rename(step: Step, say: Say) -> str:
    if step.named_as is not None:  # series.name = "Snowiness": a Series has no columns to rename ("Renamed columns of
        # `temperature`", jvns-cookbook ch06)
        return f"named {say.target} {code(step.named_as)}{say.into}" if say.with_target \
            else f"named it {code(step.named_as)}"
    if step.names_axis is None:
        return _templated(step, say)
    # `df.index.name = "k"`, `df.rename_axis("k")`: a rename of no column (chili's submission frames read "renamed
    # columns")
    axis = "the columns' axis" if step.names_axis == "columns" else "the index"
    return f"named {axis} of {say.target}{say.into}" if say.with_target else f"named {axis}"


def _impute_missing(step: Step, say: Say) -> str:
    target, into, use, with_target = say.target, say.into, say.use, say.with_target
    changed, written = changed_columns(step)
    changed = [c for c in changed if c not in step.group_keys]  # grouped by, not filled
    where = f" in {names(changed)}" if changed else ""
    how = _detail(step)
    if step.statistic and step.group_keys:  # a groupby().transform fill value
        how = f" with the {step.statistic} per {names(step.group_keys)}"
    elif step.group_keys:  # groupby("k").v.ffill(): each group's gaps from its own rows
        how = _within_groups(step)
    # the kernel counted by column and some columns it was to fill kept their gaps (lineage/fill_columns.py)
    left = f", not {gaps_left_words(step.gaps_left)}" if step.gaps_left else ""
    return f"filled missing values{where} of {target}{how}{use}{written}{into}{left}" if with_target \
        else f"filled missing values{where}{how}{use}{written}{left}"


def gaps_left_words(gaps: dict[str, int]) -> str:
    """What a fill left unfilled (Step.gaps_left): "the 1 missing value of `color`", "the missing values of `a` (4) and
    `b` (5)". No total: each count is one the kernel measured (the faithfulness check reads them)."""
    if len(gaps) == 1:
        ((column, missing),) = gaps.items()
        return f"the {counted(missing, 'missing value')} of {code(column)}"
    listed = list(gaps.items())
    cut = len(listed) > MAX_LISTED + 1  # one extra column is shown rather than cut (words.names)
    shown = [f"{code(column)} ({missing:,})" for column, missing in (listed[:MAX_LISTED] if cut else listed)]
    if cut:
        shown.append("others")
    return "the missing values of " + ", ".join(shown[:-1]) + " and " + shown[-1]


def _aggregate(step: Step, say: Say) -> str:
    """"aggregated `Survived` of `passengers` by `Pclass` (mean)": the columns grouped by are `group_keys`, the
    others of `columns` are those aggregated."""
    aggregated = [c for c in step.columns if c not in step.group_keys]
    what = names(aggregated) if aggregated else ""
    of = f"{what} of {say.target}" if what else say.target
    by = f" by {names(step.group_keys)}" if step.group_keys else ""
    how = f" ({step.statistic})" if step.statistic else ""
    if say.with_target:
        return f"aggregated {of}{by}{how}{_detail(step)}{say.into}"
    return f"aggregated{' ' + what if what else ''}{by}{how}{_detail(step)}"


def _type_cast(step: Step, say: Say) -> str:
    target, into, facts, with_target = say.target, say.into, say.facts, say.with_target
    changed, written = changed_columns(step)
    cols = names(changed) if changed else "the type"
    to = f" to {step.detail}" if step.detail else cast_from_facts(step, facts)[0]
    return f"converted {cols} of {target}{to}{written}{into}" if with_target else f"converted {cols}{to}{written}"


def _encode_categorical(step: Step, say: Say) -> str:
    target, into, facts, with_target = say.target, say.into, say.facts, say.with_target
    hint = f"{step.method or ''} {step.detail or ''}".lower().replace("-", "").replace("_", "")
    one_hot = any(h in hint for h in ONE_HOT_HINTS)
    verb = "one-hot encoded" if one_hot else "encoded"
    extra = f" ({step.detail})" if step.detail and not one_hot else ""
    added = [c for c in (facts.added_columns if facts else []) if not (step.derived_from and c in step.columns)]
    into_cols = f" into {counted(len(added), 'column')} ({names(added)})" if added else ""
    changed, written = changed_columns(step)  # df["week_day"] = pd.Categorical(df["DAY_OF_WEEK"])
    if not changed:
        return f"{verb} {target}{extra}{into_cols}{into}" if with_target else f"{verb} the categories{extra}{into_cols}"
    of = f" of {target}" if with_target else ""
    return f"{verb} {names(changed)}{of}{written}{extra}{into_cols}{into}"


def _scale_normalize(step: Step, say: Say) -> str:
    target, into, with_target = say.target, say.into, say.with_target
    changed, written = changed_columns(step)
    cols = f" {names(changed)} of" if changed else ""
    return f"scaled{cols} {target}{written}{_detail(step)}{into}" if with_target \
        else f"scaled {names(changed) if changed else 'the values'}{written}{_detail(step)}"


def _within_groups(step: Step) -> str:
    """A per-row step of groups (a grouped fill, running total, lag or window): each group's values come from its own
    rows. Its keys are said here, not among the columns filled or computed from."""
    return f" within each group of {names(step.group_keys)}" if step.group_keys else ""


def _derive_feature(step: Step, say: Say) -> str:
    target, into, facts, with_target, using = say.target, say.into, say.facts, say.with_target, say.using
    made = _derived_targets(step, facts, say.extra_facts)
    sources = [c for c in step.columns if c not in made] + [c for c in using if c not in step.columns]
    sources = [c for c in union_names(sources, list(step.derived_from)) if c not in step.group_keys]
    within = _within_groups(step)
    if made:
        what = names(made) + (f" from {names(sources)}" if sources else "")
    elif step.derived_from:  # df[name_in_a_variable] = ...: the new column is unknown, its sources are not
        what = f"a new feature from {names(sources)}"
    else:  # r = df.v.rolling(3).mean(): the columns are what it was computed from, the result is `into`
        columns = [c for c in step.columns if c not in step.group_keys]
        what = f"a new feature from {names(columns)}" if columns else "a new feature"
    return f"derived {what} in {target}{within}{into}" if with_target else f"derived {what}{within}"


def _join(step: Step, say: Say) -> str:
    into, with_target = say.into, say.with_target
    left = code(step.inputs[0]) if step.inputs else "the data"
    right = names(step.inputs[1:]) if len(step.inputs) > 1 else "another table"
    if not with_target and len(step.inputs) == 1 and step.inputs[0] != step.output:
        # `pd.read_csv(...).merge(profitable, on=...)`: the group's table is the left side, its one input the right
        # ("Loaded ... into `customer_features` and joined another table" did not say which)
        right = code(step.inputs[0])
    key = step.detail or (", ".join(step.columns) if step.columns else "")
    on = f" on {_join_key(key)}" if key else ""
    if " = " in key and len(step.inputs) == 2:  # each side its own key (lineage/classify/call_details.py `_join_key`)
        left_key, right_key = key.split(" = ", 1)
        on = f", matching {_join_key(left_key, step.inputs[0])} to {_join_key(right_key, step.inputs[1])}"
    how = step.params.get("how") if step.op == "join" else None
    kind = f" ({how} join)" if isinstance(how, str) else ""  # which rows are kept: an auditor's first question
    return f"joined {left} with {right}{on}{kind}{into}" if with_target else f"joined {right}{on}{kind}"


def _join_key(key: str, table: str = "") -> str:
    """"the index" / "`movie_id`", with the table it belongs to when given ("the index of `movies`")."""
    of = f" of {code(table)}" if table else ""
    return f"the index{of}" if key == "index" else f"{code(key)}{of}"


def _concat(step: Step, say: Say) -> str:
    target, into, with_target = say.target, say.into, say.with_target
    if step.method in TABLE_CONSTRUCTORS:  # pd.DataFrame({"ID": df_test.index, "Quality": preds}): no concatenation
        built = f" {code(step.output)}" if step.output and with_target else " a table"
        return f"built{built} from {target}"
    others = [i for i in step.inputs if i != step.output]
    return f"concatenated {target}{into}" if with_target \
        else (f"appended {names(others)}" if others else "concatenated")


def _sort(step: Step, say: Say) -> str:
    target, into, with_target = say.target, say.into, say.with_target
    return f"sorted {target}{_cols(step, 'by')}{into}" if with_target \
        else (f"sorted by {names(step.columns)}" if step.columns else "sorted the rows")


def _split(step: Step, say: Say) -> str:
    target, extra_facts = say.target, say.extra_facts
    outputs = split_outputs(step)
    if len(outputs) > 1 and len(measured_split_outputs(step, extra_facts)) == len(outputs):
        return f"split {target} into training and test sets"  # the effects name each part
    if step.outputs:
        return f"split {target} into training and test sets {names(outputs, count_total=False)}"
    giving = f", giving {code(step.output)}" if step.output and step.output not in step.inputs else ""
    return f"split {target} into training and test sets{_detail(step)}{giving}"


def _datetime_parse(step: Step, say: Say) -> str:
    target, into, with_target = say.target, say.into, say.with_target
    changed, written = changed_columns(step)
    if not changed:
        return f"parsed dates in {target}{into}" if with_target else "parsed dates"
    of = f" of {target}" if with_target else ""
    return f"parsed {names(changed)}{of} as dates{written}{into}"


def _fit_model(step: Step, say: Say) -> str:
    model = f"a {code(step.detail)} model" if step.detail else "a model"
    as_name = f" as {code(step.output)}" if step.output else ""
    on = f" on {names(step.inputs)}" if step.inputs else ""
    if say.rows_of:  # sm.OLS(y.iloc[:14], X.iloc[:14]).fit(): a subset, not the whole of `y` and `X`
        on = f" on rows picked from {names(say.rows_of)}"
    return f"fitted {model}{as_name}{on}"


def _predict(step: Step, say: Say) -> str:
    model, data = predict_model_and_data(step)
    if model is None and step.method == "threshold":
        scores = step.thresholded
        return f"predicted classes by a threshold{' on ' + names(scores) if scores else ''}{_into(step)}"
    kind = f" ({code(step.detail)})" if step.detail and model else ""
    with_model = f" with {code(model)}{kind}" if model else (f" with a {code(step.detail)}" if step.detail else "")
    on = f" on {names(data)}" if data else ""
    if not (with_model or on):
        return f"made predictions{_into(step)}"
    return f"predicted{with_model}{on}{_into(step)}"


# a fitted model's methods that score it on the data they are given (`model.score(X_test, y_test)`)
SCORING_METHODS = frozenset(name for name, op in SKLEARN_METHODS.items() if op == "evaluate")


def evaluation_target(step: Step, prediction: Optional[Step] = None) -> str:
    """What an evaluation compared. With the prediction made inside its call (render.groups.predicted_inside) its
    inputs name the data predicted on, not predictions: "the predictions of `model` on `X_test` against `y_test`",
    where "`y_test` and `X_test`" read as if the test features were scored."""
    data = [i for i in step.inputs if i != step.model]
    if prediction is None and step.model and data and (step.model not in step.inputs or step.method in SCORING_METHODS):
        # cross_val_score(knn, X, y) fits and scores the model itself: "evaluated `X` and `y`" read as if the data
        # were what was scored; `rs.score(X_test, y_test)` read "evaluated `rs`, `X_test` and `y_test`", the model
        # one more thing evaluated beside its data. Another method's arguments need not be data (`res2.f_test(R)`)
        return f"{code(step.model)} on {names(data)}"
    if prediction is None:
        return target_of(step)
    model, data = predict_model_and_data(prediction)
    truth = [i for i in step.inputs if i not in data and i != model]
    return "the predictions" + (f" of {code(model)}" if model else "") + (f" on {names(data)}" if data else "") \
        + (f" against {names(truth)}" if truth else "")


def _evaluate(step: Step, say: Say) -> str:
    if step.majority_baseline:  # no model's evaluation: the score any model must beat
        return (f"computed the majority-class baseline of {say.target} (the accuracy of always predicting its most "
                f"frequent class){_into(step)}")
    # a fitted model's own method (`res2.f_test(R)`, `model.score(X, y)`) names what was computed; the detail is the
    # model's class ("evaluated `res2` with `OLS`" named no test)
    how = step.method if step.model and step.method else step.detail
    metric = f" with {code(how)}" if how else ""
    if not step.inputs and not step.detail and short_code(step):
        # print(TP / (TP + FN)): a figure computed from a model's results (lineage/classify/results.py) the classifier
        # names no input or function of; "evaluated the data" said nothing true, the figure's expression says what
        shown = one_line(step.shown_expression) if step.shown_expression else short_code(step)
        return f"computed {code(shown or '')} from the model's results"
    return f"evaluated {say.target}{metric}{_into(step)}"


# `other` steps whose call is known say what they did, in the template forms above: the statement's code would read as
# if it all were this one step (`t = df.set_index("d").groupby("k").resample("M").sum()` is an index set and an
# aggregate, each its own sentence)
OTHER_METHOD_TEMPLATES: dict[str, tuple[str, ...]] = {
    "set_index": ("set the index of {target}{to_cols}", "set the index{to_cols}"),
    "reset_index": ("reset the index of {target}", "reset the index"),
}


def _other(step: Step, say: Say) -> str:
    if step.static_op is not None:
        return _did_nothing(step, say)
    if step.method in OTHER_METHOD_TEMPLATES:
        long_form, short_form = OTHER_METHOD_TEMPLATES[step.method]
        to_cols = f" to {names(step.columns)}" if step.columns else ""
        if say.with_target:
            return long_form.format(target=say.target, to_cols=to_cols) + say.into
        return short_form.format(to_cols=to_cols)
    # "other": the code itself says more than any verb we could guess
    snippet = short_code(step)
    if snippet:
        return f"ran {code(snippet)}"
    what = f"{code(step.detail)} on " if step.detail else "an operation on "
    return f"ran {what}{say.target}{say.into}" if say.with_target else "applied one more operation"


# What a statement the kernel saw do nothing did instead (lineage/runtime_decisions.py), by the op it was written as
NOTHING_DONE_PHRASES: dict[str, str] = {**{op: "kept every row" for op in kb_runtime.ROW_REMOVING_OPS},
                                        **{op: "filled no missing value" for op in kb_runtime.FILLING_OPS}}


# what an in-place call pandas warned never updates its table did (Step.written_to_a_copy)
COPY_WRITTEN = "its in-place call changed a copy; pandas warned ChainedAssignmentError"


def nothing_done(step: Step) -> str:
    """"kept every row" / "filled no missing value": what a step decided `other` by the kernel did (`static_op`);
    "changed a copy, not the table" for an in-place call pandas warned never updates it (`written_to_a_copy`)."""
    if step.written_to_a_copy:
        return f"changed nothing ({COPY_WRITTEN})"
    return NOTHING_DONE_PHRASES[step.static_op or ""]


def _did_nothing(step: Step, say: Say) -> str:
    """A statement written to remove rows or fill gaps that the kernel saw remove or fill none: not that step."""
    snippet = short_code(step)
    if step.written_to_a_copy:  # "changed nothing in `cm_df` with `cm_df.Pred.replace(...)` (its in-place call ...)"
        return f"changed nothing in {say.target}{f' with {code(snippet)}' if snippet else ''} ({COPY_WRITTEN})"
    what = f" with {code(snippet)}" if snippet else f" of {say.target}"
    # `#seq` as citations name an execution (render/answers.py)
    again = f" (a re-run: it started from the result of execution #{step.rerun_of} of this cell)" \
        if step.rerun_of is not None else ""
    return f"{nothing_done(step)}{what}{again}"


PHRASES: dict[str, Callable[[Step, Say], str]] = {
    **{op: _templated for op in TEMPLATES},
    "rename": _rename,
    "load": _load,
    "impute_missing": _impute_missing,
    "aggregate": _aggregate,
    "type_cast": _type_cast,
    "encode_categorical": _encode_categorical,
    "scale_normalize": _scale_normalize,
    "derive_feature": _derive_feature,
    "join": _join,
    "concat": _concat,
    "sort": _sort,
    "split": _split,
    "datetime_parse": _datetime_parse,
    "fit_model": _fit_model,
    "predict": _predict,
    "evaluate": _evaluate,
    "other": _other,
}


def step_phrase(step: Step, with_target: bool = True, facts: Optional[RuntimeFacts] = None,
                using: Sequence[str] = (), file_facts: str = "", extra_facts: Sequence[RuntimeFacts] = (),
                prediction: Optional[Step] = None, rows_of: Sequence[str] = ()) -> str:
    """What one step did (see the module docstring and `Say`); `prediction`: the one an evaluation scores, made
    inside its call (`evaluation_target`)."""
    say = Say(target=evaluation_target(step, prediction), with_target=with_target,
              facts=facts if facts is not None else step.runtime, using=using, file_facts=file_facts,
              extra_facts=extra_facts, into=_into(step) if with_target else "",
              use=f" using {names(using)}" if using else "", rows_of=rows_of)
    return PHRASES.get(step.op, _other)(step, say)
