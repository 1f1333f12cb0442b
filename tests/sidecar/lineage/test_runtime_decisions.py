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
    return [(s.op, s.decided_by) for s in decide_with_runtime(steps, facts, PANDAS + source)]


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


def rows(variable: str, before: int, after: int, kind: str = "DataFrame", source=None) -> RuntimeFacts:
    """A variable's facts as measured.settle leaves them: `source` is the variable a new name was made from."""
    return RuntimeFacts(variable=variable, kind=kind, rows_before=before, rows_after=after, before_variable=source)


def decided(source: str, facts: list[RuntimeFacts], reruns=None) -> list[tuple]:
    cell = PANDAS + "import numpy as np\n" + source
    steps = classify_steps(cell)
    attach_runtime(steps, facts)
    return [(s.op, s.decided_by, s.static_op, s.rerun_of) for s in decide_with_runtime(steps, facts, cell,
                                                                                       reruns=reruns or {})]


def test_a_filter_into_a_new_variable_that_kept_every_row_is_not_filtered() -> None:
    assert decide("adults = df[df.age >= 0]", [rows("adults", 891, 891, source="df")]) == [("other", "runtime")]
    assert decided("adults = df[df.age >= 0]", [rows("adults", 891, 891, source="df")]) == [
        ("other", "runtime", "filter_rows", None)]  # the JSON keeps what static analysis said
    assert decide("adults = df[df.age >= 18]", [rows("adults", 891, 714, source="df")]) == [("filter_rows", "static")]


@pytest.mark.parametrize("source, op", [
    ("df = df[df.age > 0]", "filter_rows"), ("df = df.query('age > 0')", "filter_rows"),
    ("df = df.loc[mask]", "filter_rows"), ("df = df.drop(df[df.age < 0].index)", "filter_rows"),
    ("df.drop(df[df.age < 0].index, inplace=True)", "filter_rows"),
    ("df = df.dropna()", "drop_missing"), ("df.dropna(subset=['age'], inplace=True)", "drop_missing"),
    ("df = df.drop_duplicates()", "drop_duplicates"), ("df.drop_duplicates(inplace=True)", "drop_duplicates"),
    ("df = df[df.fare < df.fare.quantile(0.99)]", "outlier_remove"),
    ("df = (\n    df.filter(pl.col('age') > 0)\n)", "filter_rows"),
])
def test_a_statement_that_removes_rows_of_its_own_variable_and_removed_none_is_not_that_step(source, op) -> None:
    # the kernel's "before" is the variable's value before this run; on a re-run, the earlier run's result
    assert decided(source, []) == [(op, "static", None, None)]
    assert decided(source, [rows("df", 714, 714)]) == [("other", "runtime", op, None)]
    assert decided(source, [rows("df", 714, 714)], reruns={"df": 4}) == [("other", "runtime", op, 4)]
    assert decided(source, [rows("df", 891, 714)], reruns={"df": 4}) == [(op, "static", None, None)]


def test_only_rows_of_what_the_statement_filters_count() -> None:
    # islp-labs ch13 cell 22 (rt10): `[:2]` picks two results of a tuple; `reject` was measured against the
    # p-values it was computed from, which have as many rows by chance: no filter is decided by that
    tuple_slice = 'reject, bonf = mult_test(fund_mini_pvals, method="bonferroni")[:2]'
    assert decided(tuple_slice, [rows("reject", 5, 5, "ndarray", source="fund_mini_pvals")]) == [
        ("filter_rows", "static", None, None)]
    # one name, but the slice is of a function's result, not of the measured source
    assert decided("top = rank(scores)[:5]", [rows("top", 5, 5, "ndarray", source="scores")]) == [
        ("filter_rows", "static", None, None)]
    # a value that is not a table or an array (a list sliced to its own length)
    assert decided("head = names[:10]", [rows("head", 10, 10, "list", source="names")]) == [
        ("filter_rows", "static", None, None)]


def test_a_step_that_removed_columns_instead_of_rows_did_change_its_variable() -> None:
    # Pandas-Cookbook ch09: `trump = trump.dropna(axis=1, how='all')` keeps every row and drops empty columns
    facts = [RuntimeFacts(variable="trump", kind="DataFrame", rows_before=8, rows_after=8, cols_before=9,
                          cols_after=5)]
    assert decided("trump = trump.dropna(axis=1, how='all')", facts) == [("drop_missing", "static", None, None)]


def test_capping_outliers_keeps_every_row_by_nature() -> None:
    assert decided("df = df.clip(0, 5)", [rows("df", 891, 891)]) == [("outlier_remove", "static", None, None)]
    assert decided("df['fare'] = df['fare'].clip(upper=500)", [rows("df", 891, 891)]) == [
        ("outlier_remove", "static", None, None)]
    assert decided("data[data < 0] = 0", [rows("data", 1000, 1000, "ndarray")]) == [
        ("outlier_remove", "static", None, None)]


def test_the_cells_other_writes_to_the_variable_must_keep_its_row_count() -> None:
    # a derived column does not change rows: the dropna removed none
    assert decided("df = df.dropna()\ndf['ratio'] = df.a / df.b", [rows("df", 500, 500)]) == [
        ("other", "runtime", "drop_missing", None), ("derive_feature", "static", None, None)]
    # Pandas-Cookbook ch08: a new index after the dropna keeps the rows
    assert decided("actor_table = actor_table.dropna().reset_index(drop=True)", [rows("actor_table", 20, 20)]) == [
        ("other", "runtime", "drop_missing", None)]
    # a concat could have added back what the filter removed: the kernel's count says nothing of the filter
    assert decided("df = df[df.age > 0]\ndf = pd.concat([df, extra])", [rows("df", 500, 500)]) == [
        ("filter_rows", "static", None, None), ("concat", "static", None, None)]


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
    kept = decide_with_runtime(steps, [], PANDAS + source, stopped=True)
    # the statements before the last one may have run; the shown value never existed
    assert [(s.op, s.decided_by) for s in kept] == [("drop_missing", "static")]
    assert [s.op for s in decide_with_runtime(classify_steps(PANDAS + source), [], PANDAS + source, stopped=False)] \
        == ["drop_missing", "reshape"]


def test_an_evaluation_that_raised_is_still_an_evaluation_so_the_failed_experiment_is_kept() -> None:
    # rev12: `print(metrics.r2_score(y_test, model.predict(X_tset)))` with a typo was no experiment at all, although
    # experiments.detect keeps a failed one (marked failed)
    source = "from sklearn import metrics\nprint(metrics.r2_score(y_test, model.predict(X_tset)))"
    kept = decide_with_runtime(classify_steps(PANDAS + source), [], PANDAS + source, stopped=True)
    assert [s.op for s in kept] == ["evaluate"]  # the prediction inside it never happened


def _run(seq: int, cell: str, source: str, steps: list, runtime: list, session: int = 1):
    import hashlib

    from trackit_sidecar.protocol import ExecutionRecord

    writes = sorted({s.output for s in steps if s.output})
    return ExecutionRecord(
        seq=seq, session=session, cell_id=cell, cell_index=int(cell[1:]), status="ok", execution_count=seq,
        started_at="2026-12-03T22:00:00+00:00", ended_at="2026-12-03T22:00:01+00:00", duration_ms=5.0,
        source=source, source_sha256=hashlib.sha256(source.encode()).hexdigest(), reads=writes, writes=writes,
        steps=steps, runtime=runtime)


def _filter_run(seq: int, before: int, after: int, cell: str = "c2", session: int = 1,
                source: str = "df = df[df.age > 2]"):
    code = PANDAS + source  # the recorded source is what the steps' lines count in
    return _run(seq, cell, code, classify_steps(code), [rows("df", before, after)], session)


def _load(seq: int, count: int, session: int = 1):
    source = PANDAS + "df = pd.read_csv('people.csv')"
    return _run(seq, "c1", source, classify_steps(source), [RuntimeFacts(variable="df", kind="DataFrame",
                                                                          rows_after=count)], session)


def test_a_rerun_of_the_same_filter_cell_kept_every_row_and_says_where_its_rows_came_from() -> None:
    from trackit_sidecar.lineage import records
    from trackit_sidecar.protocol import LineageDocument
    from trackit_sidecar.render.sentences import describe_execution

    executions = [_load(1, 5), _filter_run(2, 5, 4), _filter_run(3, 4, 4),
                  # the same cell edited is no re-run of the same code; a new session starts from its own load
                  _filter_run(4, 4, 4, source="df = df[df.age > 1]"),
                  _load(5, 5, session=2), _filter_run(6, 5, 5, session=2)]
    doc = records.complete(LineageDocument(notebook="/nb.ipynb", notebook_uri="file:///nb.ipynb",
                                           executions=executions))
    ops = [[(s.op, s.decided_by, s.static_op, s.rerun_of) for s in e.steps] for e in doc.executions[1:]]
    assert ops == [[("filter_rows", "static", None, None)],
                   [("other", "runtime", "filter_rows", 2)],
                   [("other", "runtime", "filter_rows", None)],
                   [("load", "static", None, None)],
                   [("other", "runtime", "filter_rows", None)]]
    assert describe_execution(doc.executions[1]) == ["Filtered rows of `df` on `age`: 5 \u2192 4 rows (\u22121)"]
    assert describe_execution(doc.executions[2]) == [
        "Kept every row with `df = df[df.age > 2]` (a re-run: it started from the result of execution #2 of this "
        "cell): 4 rows (unchanged)"]
    assert describe_execution(doc.executions[3]) == ["Kept every row with `df = df[df.age > 1]`: 4 rows (unchanged)"]


def test_a_filter_that_kept_every_row_is_still_shown_next_to_other_steps() -> None:
    from trackit_sidecar.render.sentences import describe_steps

    source = "df = df.dropna()\nmodel.fit(X, y)"
    steps = classify_steps(PANDAS + source)
    attach_runtime(steps, [rows("df", 500, 500)])
    lines = describe_steps(decide_with_runtime(steps, [rows("df", 500, 500)], PANDAS + source))
    assert lines[0] == "Kept every row with `df = df.dropna()`: 500 rows (unchanged)" and len(lines) == 2


def _cell_ops(source: str, runtime: list[RuntimeFacts]) -> list[tuple]:
    """One recorded run of `source` made whole by records.complete: its steps' (op, decided_by, output)."""
    from trackit_sidecar.lineage import records
    from trackit_sidecar.protocol import LineageDocument

    source = PANDAS + source
    run = _run(2, "c2", source, classify_steps(source), runtime)
    doc = records.complete(LineageDocument(notebook="/nb.ipynb", notebook_uri="file:///nb.ipynb",
                                           executions=[_load(1, 12), run]))
    return [(s.op, s.decided_by, s.output) for s in doc.executions[1].steps]


@pytest.mark.parametrize("source, runtime", [
    # dropna removed 2 rows; a later statement with no step (a user function that concatenates, a reindex) put
    # rows back: the variable's facts are the cell's, not dropna's
    ("e = e.dropna()\ne = pad(e)", [rows("e", 10, 10)]),
    ("f = f.dropna()\nf = f.reindex(range(6))", [rows("f", 6, 6)]),
])
def test_a_statement_without_a_step_that_rebinds_the_variable_leaves_the_filter_static(source, runtime) -> None:
    assert [op for op, _, output in _cell_ops(source, runtime) if output in "ef"] == ["drop_missing"]
    assert all(by == "static" for _, by, _ in _cell_ops(source, runtime))


@pytest.mark.parametrize("source, runtime, name", [
    # the probe measures a new name against its source's state after the cell, which this cell changed
    ("df_clean = df.dropna()\ndf = df_clean.reset_index(drop=True)",
     [rows("df_clean", 10, 10, source="df"), rows("df", 12, 10)], "df_clean"),
    ("sub = big[big.x > 4]\nbig = big.iloc[:5]",
     [rows("sub", 5, 5, source="big"), rows("big", 10, 5)], "sub"),
])
def test_a_new_name_whose_source_the_cell_also_changed_is_not_decided_by_its_rows(source, runtime, name) -> None:
    ops = {output: (op, by) for op, by, output in _cell_ops(source, runtime)}
    assert ops[name][1] == "static" and ops[name][0] in ("drop_missing", "filter_rows")


@pytest.mark.parametrize("source, runtime, op", [
    ("df = df.dropna()", [rows("df", 12, 12)], "drop_missing"),
    ("df.drop_duplicates(inplace=True)", [rows("df", 12, 12)], "drop_duplicates"),
    # a new name from a source the cell leaves alone is still decided
    ("adults = df[df.age >= 0]", [rows("adults", 12, 12, source="df")], "filter_rows"),
])
def test_a_cell_that_only_filters_and_kept_every_row_is_still_decided(source, runtime, op) -> None:
    assert [(o, by) for o, by, _ in _cell_ops(source, runtime)] == [("other", "runtime")]


def test_a_cell_that_does_not_parse_is_not_decided_by_rows() -> None:
    from trackit_sidecar.lineage.cell_bindings import binding_lines

    assert binding_lines("df = df.dropna()\nx = (") is None
    assert binding_lines("df.loc[m, 'a'] = 1\na, (b, *c) = f()\ndel q\nx += 1\n%matplotlib inline") == {
        "df": {1}, "a": {2}, "b": {2}, "c": {2}, "q": {3}, "x": {4}}


def test_a_cell_is_parsed_for_its_bindings_only_when_facts_say_a_table_kept_its_rows(monkeypatch) -> None:
    # completing a run read each cell's bindings whatever its facts: most of a first-touch annotation's 40 runs
    from trackit_sidecar.lineage import runtime_decisions

    parsed: list[str] = []
    real = runtime_decisions.binding_lines
    monkeypatch.setattr(runtime_decisions, "binding_lines", lambda source: parsed.append(source) or real(source))
    assert decided("df = df.dropna()", []) == [("drop_missing", "static", None, None)]
    assert decided("df = df.dropna()", [rows("df", 12, 9)]) == [("drop_missing", "static", None, None)]
    assert parsed == []  # no facts, or rows removed: nothing the bindings could decide
    assert decided("df = df.dropna()", [rows("df", 12, 12)]) == [("other", "runtime", "drop_missing", None)]
    assert len(parsed) == 1


def test_re_runs_of_a_cell_parse_its_text_once(monkeypatch) -> None:
    # a notebook's 5,000 runs repeat a few cells: parsing each run's cell and each step's statement again was most of
    # deciding its runs from their facts (`trackit lineage` with facts)
    import ast

    from trackit_sidecar.lineage import cell_bindings, runtime_decisions

    cell_bindings.binding_lines.cache_clear()
    cell = PANDAS + "import numpy as np\ndf = df.dropna()"
    facts = [rows("df", 12, 12)]
    parsed: list[str] = []
    real = ast.parse
    monkeypatch.setattr(ast, "parse", lambda text, *a, **k: parsed.append(text) or real(text, *a, **k))
    for _ in range(3):
        steps = classify_steps(cell)  # parses the cell itself: counted below as the analysis', not the decision's
        attach_runtime(steps, facts)
        analysed = len(parsed)
        decided_ops = [(s.op, s.decided_by) for s in runtime_decisions.decide_with_runtime(steps, facts, cell)]
        assert decided_ops == [("other", "runtime")]  # decided from its facts: its bindings and statement were read
        if _ == 0:
            assert len(parsed) > analysed
        else:
            assert len(parsed) == analysed  # the second and third runs parse nothing again
