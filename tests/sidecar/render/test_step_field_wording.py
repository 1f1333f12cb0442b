"""Sentences that were false because a step's structured fields were (qa6's wrong claims in the classifier): each
case checks the fields the classifier gives a small cell and the sentence the one renderer makes of them."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.lineage.graph import attach_runtime
from trackit_sidecar.protocol import RuntimeFacts
from trackit_sidecar.render.sentences import describe_step, describe_steps


def facts(variable: str, **values) -> RuntimeFacts:
    return RuntimeFacts(variable=variable, kind="DataFrame", **values)


def test_a_drop_chained_onto_a_merge_names_only_the_column_it_drops():
    # pdsh 03.07 cell 28: "Dropped `employee` and `name` from `df1` and `df3`": the merge's keys were inherited
    shown = analyze_source('pd.merge(df1, df3, left_on="employee", right_on="name").drop("name", axis=1)').steps
    assert [(s.op, s.columns) for s in shown] == [("join", ["employee", "name"]), ("drop_columns", ["name"])]
    # shown, not kept: one sentence, the drop said on the join's result
    assert describe_steps(shown) == ["Joined `df1` with `df3` on `employee = name` and dropped `name`"]
    kept = analyze_source('df4 = pd.merge(df1, df3, left_on="employee", right_on="name").drop("name", axis=1)').steps
    attach_runtime(kept, [facts("df4", rows_after=8, cols_after=4)])
    assert [(s.op, s.columns) for s in kept] == [("join", ["employee", "name"]), ("drop_columns", ["name"])]
    assert describe_steps(kept) == ["Joined `df1` with `df3` on `employee = name` into `df4` and dropped `name`: "
                                    "8 rows \u00d7 4 columns"]


def test_a_step_chained_onto_a_table_built_by_a_function_does_not_take_the_calls_key_columns():
    sort = analyze_source('x = pd.merge(a, b, on="k").sort_values("when")').steps[-1]
    assert (sort.op, sort.columns) == ("sort", ["when"])
    drop = analyze_source('x = pd.get_dummies(df, columns=["colour"]).drop("colour_red", axis=1)').steps[-1]
    assert (drop.op, drop.columns) == ("drop_columns", ["colour_red"])
    assert describe_step(drop) == "Dropped `colour_red` from `df` into `x`"
