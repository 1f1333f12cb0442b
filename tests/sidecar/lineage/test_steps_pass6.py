"""Rules of the sixth pass (issue 10, acc6: the tuning notebooks below 0.75), each from a line of what-is-a-step.md or
CONVENTIONS, on small hand-written cells:

- one parameter's confidence interval picked by its name (`res.conf_int().loc["income"]`) reads that parameter, as
  `res.params["income"]` does: no step (CONVENTIONS 27: "reading `.params` ... and tables/Series built only from
  them" are not steps); the whole table assigned stays an evaluation ("assigned summary_frame() / results tables");
- a notebook function that returns a new table (an aggregation, a join, a concat, a reshape), defined in this or an
  earlier cell: a cell that shows its call shows that new table, so the transforming calls of the shown chain (the
  rows its argument is filtered to) count (CONVENTIONS 6; the call itself is no step and its body is, CONVENTIONS 1);
- one total per column of a table (several columns picked by name, or a table aggregated by groups) made a table
  with `.to_frame()` aggregates its rows (CONVENTIONS 22), where one column's total is a number (CONVENTIONS 9) and
  `isnull().sum()` is inspection (what-is-a-step.md);
- a function handed the groups that builds a table of group values and reshapes it
  (`pipe(lambda g: pd.DataFrame({...}).unstack())`) is an aggregate and a reshape: one step per transforming call
  (what-is-a-step.md, Granularity);
- a column's distinct values made a table (`pd.DataFrame(df["loser"].unique())`) are data the analysis goes on with,
  the rows without repeats: `drop_duplicates`, and a rename chained onto that table counts (what-is-a-step.md,
  Inspection: `unique()` is inspection because it is "an answer to a question, not data that the analysis goes on
  with"); shown or assigned bare, `unique()` stays inspection (CONVENTIONS 10);
- a function applied to each group that returns the rows of the group it keeps (`def far(g): return g[cond]`,
  defined in this or an earlier cell, or a lambda) is that row filter, an outlier removal when the bound is
  statistical or the notebook calls the rows outliers (CONVENTIONS 29, 22: a value per row otherwise derives);
- a value put into a Series at a position or at rows named by label (`x[0] = None`, `s[["VT", "NV"]] = np.nan`) is
  `other`, as values put at positions of a frame already are (CONVENTIONS 29 makes only an anomaly *tested by
  value* an outlier removal); a frame's `df[0] = v` still makes a column;
- data minus a fitted model's parameters applied to data by hand (`df.Sales - (est.params[0] + est.params[1] *
  df.TV)`) is a residual, an evaluation (CONVENTIONS 27: "errors ... computed by hand from data, residuals"), also
  squared and summed as an RSS (CONVENTIONS 7: evaluate counts wherever it appears);
- a method of a statistics object named for a test (`st.test_equal_odds()`) evaluates, as a library function so
  named (`logrank_test`) already did (CONVENTIONS 27: "statistical and assumption tests").
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

FITTED = FRAME_AND_NUMPY + "import statsmodels.formula.api as smf\nres = smf.ols('y ~ income', df).fit()\n"


@pytest.mark.parametrize("cell", [
    "ci = res.conf_int().loc['income'].tolist()",
    "low, high = res.conf_int().loc['income']",
    "ci = res.conf_int()['income']",
])
def test_one_parameters_interval_picked_by_name_is_no_step(cell: str) -> None:
    assert ops_after(FITTED, cell) == []


@pytest.mark.parametrize("cell, ops", [
    ("ci = res.conf_int()", ["evaluate"]),
    ("ci = smf.ols('y ~ income', df).fit().conf_int().loc['income']", ["fit_model"]),
])
def test_the_interval_table_stays_an_evaluation_and_a_fit_in_the_chain_stays(cell: str, ops: list[str]) -> None:
    assert ops_after(FITTED, cell) == ops


BUILDER = FRAME_AND_NUMPY + ("def per_home(d):\n"
                             "    return d.groupby('home').pipe(lambda g: pd.DataFrame({'any_x': g['x'].any()}))\\\n"
                             "        .sum().to_frame('n')\n")
# the table is built from a name the body binds: read as the body's statements are walked
BUILDER_IN_STEPS = FRAME_AND_NUMPY + "def per_home(d):\n    g = d.groupby('home')\n    return g.mean()\n"


@pytest.mark.parametrize("cell, ops", [
    ("per_home(df.loc[lambda x: x.state == 'NY'])", ["filter_rows"]),
    ("per_home(df.loc[lambda x: x.state == 'NY'].loc[lambda x: x.year > 2018])", ["filter_rows", "filter_rows"]),
    ("print(per_home(df[df.year > 2018]))", ["filter_rows"]),
])
def test_a_shown_call_of_a_function_that_builds_a_table_counts_its_chain(cell: str, ops: list[str]) -> None:
    assert ops_after(BUILDER, cell) == ops
    assert ops_after(BUILDER_IN_STEPS, cell) == ops


def test_the_function_is_known_in_a_later_cell() -> None:
    from trackit_sidecar.lineage.classify.cell import classify_cell

    _, aliases = classify_cell(BUILDER)
    steps, _ = classify_cell("per_home(df[df.year > 2018])", aliases)
    assert [step.op for step in steps] == ["filter_rows"]


@pytest.mark.parametrize("setup, cell", [
    # a function that returns a number: its shown call is an answer about the rows, not a table
    (FRAME_AND_NUMPY + "def share(d):\n    return len(d) / 100\n", "share(df[df.year > 2018])"),
    # a function that returns rows: shown filtered rows are looking at data
    (FRAME_AND_NUMPY + "def recent(d):\n    return d[d.year > 2018]\n", "recent(df[df.state == 'NY'])"),
    # an expression that is not shown
    (BUILDER, "per_home(df[df.year > 2018])\nx = 1"),
])
def test_a_shown_call_of_a_function_that_builds_no_table_stays_inspection(setup: str, cell: str) -> None:
    assert ops_after(setup, cell) == []


@pytest.mark.parametrize("cell, ops", [
    # the columns picked to be totalled are part of the aggregation, as projections around a groupby (CONVENTIONS 18)
    ("df[['a', 'b']].sum().to_frame('total')", ["aggregate"]),
    ("t = df[df.year > 2018][['a', 'b']].sum().to_frame('total')", ["filter_rows", "aggregate"]),
    ("df.groupby('k').pipe(lambda g: pd.DataFrame({'x': g['a'].any()})).sum().to_frame('n')",
     ["aggregate", "aggregate"]),
])
def test_totals_per_column_of_a_table_made_a_table_aggregate(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell", [
    "df[['a', 'b']].sum()",                          # shown totals: an answer
    "df.a.sum()",                                    # one column's total: a number
    "df.isnull().sum().to_frame('missing')",         # missing values counted: inspection
    "df[['a']].sum().to_frame('total')",             # one column
])
def test_totals_that_are_an_answer_or_inspection_stay_no_step(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == []


@pytest.mark.parametrize("cell, ops", [
    ("per = df.groupby(['k', 'c']).pipe(lambda g: pd.DataFrame({'i': g['a'].sum()}).unstack())",
     ["aggregate", "reshape"]),
    ("per = df.groupby('k').pipe(lambda g: pd.DataFrame({'i': g['a'].sum()}))", ["aggregate"]),
    ("per = df.groupby('k').pipe(lambda g: g.a.sum())", ["aggregate"]),
])
def test_a_table_of_group_values_reshaped_in_the_group_function_is_aggregate_and_reshape(cell: str,
                                                                                     ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    ("players = pd.DataFrame(df['loser'].unique()).rename(columns={0: 'name'})", ["drop_duplicates", "rename"]),
    ("players = pd.Series(df['loser'].unique())", ["drop_duplicates"]),
])
def test_distinct_values_made_a_table_are_the_rows_without_repeats(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell", ["names = df['loser'].unique()", "df['loser'].unique()",
                                  "pd.DataFrame(df['loser'].unique())"])
def test_distinct_values_alone_or_only_shown_stay_inspection(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == []


FAR_FROM_MEAN = "def far(g):\n    return g[g['p'] > g['p'].mean() + 3 * g['p'].std()]\n"
ABOVE = "def above(g):\n    return g[g['p'] > 3]\n"
TOP = "def top(g):\n    return g.head(2)\n"


@pytest.mark.parametrize("function, op", [(FAR_FROM_MEAN, "outlier_remove"), (ABOVE, "filter_rows"),
                                          (ABOVE.replace("above", "drop_outliers"), "outlier_remove")])
def test_a_group_function_defined_earlier_that_keeps_rows_of_the_group_is_that_filter(function: str, op: str) -> None:
    from trackit_sidecar.lineage.classify.cell import classify_cell

    _, aliases = classify_cell(FRAME_AND_NUMPY + function)
    name = function.split("(")[0].removeprefix("def ")
    steps, _ = classify_cell(f"kept = df.groupby('k').apply({name})", aliases)
    assert [step.op for step in steps] == [op]


@pytest.mark.parametrize("cell, ops", [
    ("kept = df.groupby('k').apply(lambda g: g[g.p > 3])", ["filter_rows"]),
    (TOP + "kept = df.groupby('k').apply(top)", ["derive_feature"]),   # rows taken by position: a value per row
    ("kept = df.apply(lambda r: r[r > 3])", ["derive_feature"]),      # not a group function
])
def test_group_functions_that_keep_rows_by_a_condition_and_controls(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


SERIES = FRAME_AND_NUMPY + "x = pd.Series(range(4), dtype=int)\nstates = pd.Series([1.0, 2.0], index=['VT', 'NV'])\n"


@pytest.mark.parametrize("cell", ["x[0] = None", "x[2] = np.nan", "states[['VT', 'NV']] = np.nan", "states['VT'] = 0"])
def test_a_value_put_into_a_series_at_a_position_or_label_is_other(cell: str) -> None:
    assert ops_after(SERIES, cell) == ["other"]


@pytest.mark.parametrize("cell, ops", [
    ("df[0] = None", ["derive_feature"]),                  # a frame's column labelled 0
    ("df[['a', 'b']] = np.nan", ["derive_feature"]),       # a frame's columns
    ("x[x > 2] = np.nan", ["outlier_remove"]),             # an anomaly tested by value (CONVENTIONS 29)
])
def test_a_frames_column_or_a_value_tested_keeps_its_op(cell: str, ops: list[str]) -> None:
    assert ops_after(SERIES, cell) == ops


OLS = FRAME_AND_NUMPY + "import statsmodels.formula.api as smf\nest = smf.ols('Sales ~ TV', df).fit()\n"


@pytest.mark.parametrize("cell", [
    "((df.Sales - (est.params[0] + est.params[1] * df.TV)) ** 2).sum() / 1000",
    "resid = df.Sales - (est.params[0] + est.params[1] * df.TV)",
])
def test_data_minus_a_models_parameters_applied_by_hand_is_an_evaluation(cell: str) -> None:
    assert ops_after(OLS, cell) == ["evaluate"]


@pytest.mark.parametrize("cell, ops", [
    ("b = est.params[0] + est.params[1]", []),              # parameters alone: reading them (CONVENTIONS 27)
    ("gap = df.Sales - df.TV", ["derive_feature"]),        # data minus data
])
def test_parameters_alone_or_data_alone_are_no_residual(cell: str, ops: list[str]) -> None:
    assert ops_after(OLS, cell) == ops


TABLES = FRAME_AND_NUMPY + "import statsmodels.stats.api as smstats\nst = smstats.StratifiedTable(tables)\n"


@pytest.mark.parametrize("cell", ["print(st.test_equal_odds())", "r = st.test_null_odds()"])
def test_a_method_named_for_a_statistical_test_evaluates(cell: str) -> None:
    assert ops_after(TABLES, cell) == ["evaluate"]


@pytest.mark.parametrize("cell", ["st.summary()", "print(st.oddsratio_pooled)", "contest = st.latest()"])
def test_other_methods_of_a_statistics_object_are_no_test(cell: str) -> None:
    assert ops_after(TABLES, cell) == []
