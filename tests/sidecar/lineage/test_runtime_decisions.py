"""Runtime facts decide what static analysis cannot (issue 10 item 3); the rest stays as static said."""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.graph import attach_runtime
from trackit_sidecar.lineage.runtime_decisions import decide_with_runtime, displayed_verdict
from trackit_sidecar.lineage.steps import classify_steps
from trackit_sidecar.protocol import RuntimeFacts

PANDAS = "import pandas as pd\n"


def shown(kind: str, scalar: bool = False, rows=None, cols=None) -> RuntimeFacts:
    return RuntimeFacts(displayed=True, kind=kind, scalar=scalar, rows_after=rows, cols_after=cols)


def decide(source: str, facts: list[RuntimeFacts]) -> list[tuple[str, str]]:
    steps = classify_steps(PANDAS + source)
    attach_runtime(steps, facts)
    return [(s.op, s.decided_by) for s in decide_with_runtime(steps, facts)]


@pytest.mark.parametrize("source, facts, static, with_kernel", [
    # static analysis keeps a shown new table; only the kernel sees that this one was a scalar or a group
    ('pd.merge(a, b, on="id").pipe(total)', [shown("scalar", True)], [("join", "static")], []),
    ('shares(pd.concat([a, b]))', [shown("float", True)], [("concat", "static")], []),
    ("by_key(df.groupby('k'))", [shown("DataFrameGroupBy")], [("aggregate", "static")], []),
    ("summarize(pd.concat([a, b]))", [shown("list", rows=3)], [("concat", "static")], []),
    # a new table shown: the analysis' result, a step
    ("df.groupby('k').agg({'v': 'sum'})", [shown("DataFrame", rows=3, cols=1)], [("aggregate", "static")],
     [("aggregate", "runtime")]),
    ("pd.merge(a, b, on='id')", [shown("DataFrame", rows=9, cols=4)], [("join", "static")], [("join", "runtime")]),
])
def test_the_displayed_result_decides_a_bare_last_expression(source, facts, static, with_kernel) -> None:
    assert decide(source, []) == static  # without a kernel: static, and said so
    assert decide(source, facts) == with_kernel


def test_only_the_displayed_statement_is_decided_by_it() -> None:
    source = 'df = df.dropna()\nsummarize(pd.concat([a, b]))'
    assert decide(source, [shown("scalar", True)]) == [("drop_missing", "static")]
    # assigned statements and in-place calls are not the displayed value
    assert decide("both = summarize(pd.concat([a, b]))", [shown("scalar", True)]) == [("concat", "static")]
    assert decide("df.dropna(inplace=True)", [shown("scalar", True)]) == [("drop_missing", "static")]


@pytest.mark.parametrize("source", [
    'df[df.x == "a"].y.sum()', "df[df.age > 30].shape[0]", "df.groupby('k')", "df.col.unique()",
    'total = df[df.x == "a"].y.sum()', "n = len(df.dropna())",
])
def test_what_static_analysis_knows_is_an_answer_is_no_step_with_or_without_a_kernel(source: str) -> None:
    # what-is-a-step.md: a number or a small answer is inspection; the code says so, no kernel needed
    assert decide(source, []) == [] and decide(source, [shown("scalar", True)]) == []


def test_values_that_say_nothing_leave_the_static_answer() -> None:
    assert decide("model.predict(X)", [shown("Figure")]) == [("predict", "static")]


def test_a_filter_into_a_new_variable_that_kept_every_row_is_not_filtered() -> None:
    kept = RuntimeFacts(variable="adults", kind="DataFrame", rows_before=891, rows_after=891)
    assert decide("adults = df[df.age >= 0]", [kept]) == [("other", "runtime")]
    removed = RuntimeFacts(variable="adults", kind="DataFrame", rows_before=891, rows_after=714)
    assert decide("adults = df[df.age >= 18]", [removed]) == [("filter_rows", "static")]
    # rebinding its own input: a re-run's "before" is the filtered value already, so the kernel cannot tell
    same = RuntimeFacts(variable="df", kind="DataFrame", rows_before=714, rows_after=714)
    assert decide("df = df[df.age >= 18]", [same]) == [("filter_rows", "static")]


def test_verdicts_come_from_the_kb_tables() -> None:
    assert displayed_verdict(None) is None
    assert displayed_verdict(shown("tuple", rows=2)) == "inspection"
    assert displayed_verdict(shown("SeriesGroupBy")) == "inspection"
    assert displayed_verdict(shown("Series", rows=4)) == "table"
    assert displayed_verdict(shown("ndarray", scalar=True)) == "inspection"  # a 0-d array is one value


def test_a_metric_or_a_model_step_stays_whatever_the_cell_shows() -> None:
    assert decide("nb.score(Xte, y_test)", [shown("scalar", True)]) == [("evaluate", "static")]
    assert decide("from sklearn.metrics import r2_score\nr2_score(y_test, model.predict(X_test))",
                  [shown("scalar", True)]) == [("predict", "static"), ("evaluate", "static")]
    assert decide('X_train, X_test = train_test_split(X)\nlen(X_train)', [shown("scalar", True)]) == [
        ("split", "static"), ("split", "static")]


def test_a_run_that_failed_showed_nothing_so_its_shown_table_was_never_made() -> None:
    source = "df = df.dropna()\nlong_df.pivot(index='year', values='count', on='kind')"
    steps = classify_steps(PANDAS + source)
    assert [s.op for s in steps] == ["drop_missing", "reshape"]  # static: a shown pivot is a step
    kept = decide_with_runtime(steps, [], stopped=True)
    # the statements before the last one may have run; the shown value never existed
    assert [(s.op, s.decided_by) for s in kept] == [("drop_missing", "static")]
    assert [s.op for s in decide_with_runtime(classify_steps(PANDAS + source), [], stopped=False)] \
        == ["drop_missing", "reshape"]
