"""What one step did, in words: one template (TEMPLATES) or one function per op (PHRASES), reading the step's fields.

Lower-case, without effects or citation. `Say.with_target` False gives the short form used after the first
clause of a group ("... and filled missing values in `Fare`"): the group's variable is named once.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

from ..lineage.kb import CAPPING_METHODS, VALUE_REPLACING_METHODS
from ..protocol import RuntimeFacts, Step
from .files import made_in_code
from .groups import TABLE_CONSTRUCTORS
from .inferred import inferred_note
from .model_phrases import MODEL_PHRASES, evaluation_target
from .nothing_done import did_nothing
from .phrase_parts import Say, cast_from_facts, changed_columns, detail_clause, into_clause
from .sort_order import is_descending
from .words import MAX_LISTED, code, counted, names, short_code, union_names


ONE_HOT_HINTS = ("dummies", "onehot")  # get_dummies, str.get_dummies, polars to_dummies, OneHotEncoder


def _cols(step: Step, word: str) -> str:
    return f" {word} {names(step.columns)}" if step.columns else ""


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


def _load(step: Step, say: Say) -> str:
    if step.random_draw and step.output:
        # "Created `y` with `normal`" read as data made of something named `normal`
        if step.random_draw == "whole":
            return f"created {code(step.output)} as random data ({code(step.method or '')})"
        made_from = say.facts.before_variable if say.facts is not None else None
        start = f" from {code(made_from)} and" if made_from and made_from != step.output else " with"
        return f"made {code(step.output)}{start} random values ({code(step.method or '')})"
    if step.packaged_data_set and step.packaged_by:
        # "Created `iris` with `load_iris`" read as data made in the notebook; said as a file's load is
        where = f" into {code(step.output)}" if step.output else ""
        whose = step.packaged_by + ("'" if step.packaged_by.endswith("s") else "'s")  # statsmodels' fair data set
        return f"loaded {whose} {step.packaged_data_set} data set{where}"
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
    fields = {"target": say.target, "use": say.use, "detail": detail_clause(step),
              "on_cols": f" on {columns}" if columns else "", "in_cols": f" in {columns}" if columns else "",
              "by_cols": f" by {columns}" if columns else "",
              "cols": columns or (no_columns[0] if no_columns else "")}
    return form.format(**fields) + written + say.into if say.with_target else form.format(**fields) + written


def _outlier_remove(step: Step, say: Say) -> str:
    """Outliers dropped with their rows ("removed outliers by `fare` from `df`"), or held at a bound / replaced in
    place, every row kept (kb.CAPPING_METHODS, kb.VALUE_REPLACING_METHODS)."""
    if step.method in CAPPING_METHODS:
        verb = "capped outlying values"
    elif step.method in VALUE_REPLACING_METHODS:
        verb = "replaced outlying values"
    else:
        return _templated(step, say)
    changed, written = changed_columns(step)
    where = f" in {names(changed)}" if changed else ""
    if not say.with_target:
        return f"{verb}{where}{written}"
    return f"{verb}{where} of {say.target}{written}{say.into}"


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
    how = detail_clause(step)
    if step.statistic and step.group_keys:  # a groupby().transform fill value
        how = f" with the {step.statistic} per {names(step.group_keys)}"
    elif step.group_keys:  # groupby("k").v.ffill(): each group's gaps from its own rows
        how = _within_groups(step)
    elif step.statistic:  # fillna(df["Age"].median())
        how = f" with the {step.statistic}"
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
    if step.row_wise and not step.group_keys:  # `df.sum(axis=1)`: one figure per row, no row is merged
        figure = f"per-row {code(step.method or '')}"
        return f"computed the {figure} of {say.target}{say.into}" if say.with_target else f"computed the {figure}"
    if say.with_target:
        return f"aggregated {of}{by}{how}{detail_clause(step)}{say.into}"
    return f"aggregated{' ' + what if what else ''}{by}{how}{detail_clause(step)}"


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
    return f"scaled{cols} {target}{written}{detail_clause(step)}{into}" if with_target \
        else f"scaled {names(changed) if changed else 'the values'}{written}{detail_clause(step)}"


def _within_groups(step: Step) -> str:
    """A per-row step of groups (a grouped fill, running total, lag or window): each group's values come from its own
    rows. Its keys are said here, not among the columns filled or computed from."""
    return f" within each group of {names(step.group_keys)}" if step.group_keys else ""


def _derive_feature(step: Step, say: Say) -> str:
    target, into, facts, with_target, using = say.target, say.into, say.facts, say.with_target, say.using
    if step.matrix_product is not None:  # a new array, not new columns of `target`
        return f"computed the matrix product {code(step.matrix_product)}{into}"
    if say.model_just_fitted:
        # km = KMeans(3).fit(X).transform(X): the model just said to be fitted, and not kept, made the features
        on = f" from {names(step.inputs)}" if step.inputs else ""
        return f"derived new features{on} with it{into_clause(step)}"
    made = _derived_targets(step, facts, say.extra_facts)
    sources = [c for c in step.columns if c not in made] + [c for c in using if c not in step.columns]
    sources = [c for c in union_names(sources, list(step.derived_from)) if c not in step.group_keys]
    within = _within_groups(step)
    if made and set(sources) == set(made):  # df["Age"] = df["Age"] * 2: replaced by values of its own, nothing new
        own = "its" if len(made) == 1 else "their"
        return f"recomputed {names(made)} of {target} from {own} own values{within}{into}" if with_target \
            else f"recomputed {names(made)} from {own} own values{within}"
    if made and not sources and len(step.inputs) > 1 and step.inputs[0] == step.output:
        # test["pred"] = pred: the column holds another variable's values ("derived `pred` in `test` and `pred`" read
        # as if both were changed)
        held = f"{names(made)} in {code(step.output)}" if with_target else names(made)
        return f"derived {held} from {names(step.inputs[1:])}{within}"
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
    order = " in descending order" if is_descending(step) else ""
    return f"sorted {target}{_cols(step, 'by')}{order}{into}" if with_target \
        else (f"sorted by {names(step.columns)}{order}" if step.columns else f"sorted the rows{order}")


# datetime_parse calls that change the time zone of values already dates: "parsed dates in `df`" said of
# `df.tz_convert("Europe/Brussels")` (ds-python case1 bike count, cell 41) read as if `df` had held text
TIME_ZONE_TEMPLATES: dict[str, tuple[str, str]] = {
    "tz_convert": ("converted the time zone of {target}", "converted the time zone"),
    "convert_time_zone": ("converted the time zone of {target}", "converted the time zone"),
    "tz_localize": ("set the time zone of {target}", "set the time zone"),
    "replace_time_zone": ("set the time zone of {target}", "set the time zone"),
}


def _datetime_parse(step: Step, say: Say) -> str:
    target, into, with_target = say.target, say.into, say.with_target
    if step.method in TIME_ZONE_TEMPLATES:
        long_form, short_form = TIME_ZONE_TEMPLATES[step.method]
        changed, written = changed_columns(step)
        of_cols = f" of {names(changed)}" if changed else ""
        if not with_target:
            return short_form + of_cols + written
        return long_form.format(target=f"{names(changed)} of {target}" if changed else target) + written + into
    changed, written = changed_columns(step)
    if not changed:
        return f"parsed dates in {target}{into}" if with_target else "parsed dates"
    of = f" of {target}" if with_target else ""
    return f"parsed {names(changed)}{of} as dates{written}{into}"


# `other` steps whose call is known say what they did, in the template forms above: the statement's code would read as
# if it all were this one step (`t = df.set_index("d").groupby("k").resample("M").sum()` is an index set and an
# aggregate, each its own sentence)
OTHER_METHOD_TEMPLATES: dict[str, tuple[str, ...]] = {
    "set_index": ("set the index of {target}{to_cols}", "set the index{to_cols}"),
    "reset_index": ("reset the index of {target}", "reset the index"),
}


def _other(step: Step, say: Say) -> str:
    if step.static_op is not None:
        return did_nothing(step, say)
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


PHRASES: dict[str, Callable[[Step, Say], str]] = {
    **{op: _templated for op in TEMPLATES},
    "rename": _rename,
    "outlier_remove": _outlier_remove,
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
    "split": MODEL_PHRASES["split"],
    "datetime_parse": _datetime_parse,
    "fit_model": MODEL_PHRASES["fit_model"],
    "predict": MODEL_PHRASES["predict"],
    "evaluate": MODEL_PHRASES["evaluate"],
    "other": _other,
}


def step_phrase(step: Step, with_target: bool = True, facts: Optional[RuntimeFacts] = None,
                using: Sequence[str] = (), file_facts: str = "", extra_facts: Sequence[RuntimeFacts] = (),
                prediction: Optional[Step] = None, rows_of: Sequence[str] = (), model_just_fitted: bool = False) -> str:
    """What one step did (see the module docstring and `Say`); `prediction`: the one an evaluation scores, made
    inside its call (`evaluation_target`); `model_just_fitted`: as `Say`'s."""
    say = Say(target=evaluation_target(step, prediction), with_target=with_target,
              facts=facts if facts is not None else step.runtime, using=using, file_facts=file_facts,
              extra_facts=extra_facts, into=into_clause(step) if with_target else "",
              use=f" using {names(using)}" if using else "", rows_of=rows_of, model_just_fitted=model_just_fitted)
    return PHRASES.get(step.op, _other)(step, say) + inferred_note(step)
