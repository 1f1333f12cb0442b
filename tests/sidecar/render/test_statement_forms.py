"""Steps the op alone words wrongly, said as what the statement is (the op stays the classifier's; rev31):
- statsmodels ols cells 5/13: `e = np.random.normal(size=nsample)` read "Created `e` with `normal`", and
  `y = y_true + sig * np.random.normal(size=nsample)` the same: random data, and data made with random noise;
- statsmodels ols cell 41: `norm_xtx = np.dot(norm_x.T, norm_x)` read "Derived a new feature in `norm_x` into
  `norm_xtx`: 16 → 7 rows (−9)", a matrix product worded as rows removed;
- ds-python case1 cell 51: `df_both = df.sum(axis=1)` read "Aggregated `df` into `df_both`", an aggregate over rows
  where it is one total per row.
The figures are the kernel's of those real runs."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.protocol import RuntimeFacts
from trackit_sidecar.render.sentences import describe_step, describe_steps


def _said(source: str, facts: RuntimeFacts = None) -> str:
    steps = analyze_source(source).steps
    step = steps[-1]
    if facts is not None:
        step = step.model_copy(update={"runtime": facts})
    return describe_step(step)


def test_a_random_draw_is_said_as_random_data_of_its_shape():
    said = _said("e = np.random.normal(size=nsample)", RuntimeFacts(variable="e", kind="ndarray", rows_after=100))
    assert said == "Created `e` as random data (`normal`): 100 rows", said


def test_a_series_simulated_from_a_process_is_said_as_random_data():
    # tsfp ch05 cell 10 read "Loaded `ArmaProcess` into `AR2_process`", the function form "Loaded `[1, -0.33]` into
    # `sim`": the class, or the first argument, taken for a file the data came from
    process = ("from statsmodels.tsa.arima_process import ArmaProcess\nar2 = np.array([1, -0.33, -0.5])\n"
               "ma2 = np.array([1, 0, 0])\nAR2_process = ArmaProcess(ar2, ma2).generate_sample(nsample=1000)")
    assert _said(process) == "Created `AR2_process` as random data (`generate_sample`)"
    function = "from statsmodels.tsa.arima_process import arma_generate_sample\nsim = arma_generate_sample([1, -0.33], [1], 100)"
    assert _said(function) == "Created `sim` as random data (`arma_generate_sample`)"


def test_data_made_with_random_noise_names_what_it_was_made_from():
    said = _said("y = y_true + sig * np.random.normal(size=nsample)",
                 RuntimeFacts(variable="y", kind="ndarray", rows_before=50, rows_after=50, before_variable="y_true"))
    assert said == "Made `y` from `y_true` and random values (`normal`): 50 rows", said


def test_a_made_up_table_is_still_created_with_its_constructor():
    assert _said("df = pd.DataFrame({'a': [1, 2]})").startswith("Created `df` with `DataFrame`")


def test_a_matrix_product_is_a_new_array_not_rows_removed():
    facts = RuntimeFacts(variable="norm_xtx", kind="ndarray", rows_before=16, rows_after=7, cols_before=7,
                         cols_after=7, before_variable="norm_x")
    said = _said("norm_xtx = np.dot(norm_x.T, norm_x)", facts)
    assert said == "Computed the matrix product `np.dot(norm_x.T, norm_x)` into `norm_xtx`: 7 rows × 7 columns", said
    said = _said("pred = X @ w", RuntimeFacts(variable="pred", kind="ndarray", rows_before=50, rows_after=50,
                                              cols_before=4, before_variable="X"))
    assert said.startswith("Computed the matrix product `X @ w` into `pred`"), said
    assert "unchanged" not in said


def test_a_sum_along_each_row_is_a_per_row_figure_not_an_aggregate():
    said = _said("df_both = df.sum(axis=1)", RuntimeFacts(variable="df_both", kind="Series", rows_after=166176))
    assert said == "Computed the per-row `sum` of `df` into `df_both`: 166,176 rows", said
    assert "per-row" in _said("m = df.mean(axis='columns')")
    assert describe_steps(analyze_source("g = df.groupby('a').sum()").steps)[0].startswith("Aggregated")


def test_a_grouping_of_the_columns_is_still_an_aggregate():
    # pydata-book ch08 cell 14 read "Computed the per-row `groupby` of `frame`"
    said = describe_steps(analyze_source("frame.groupby(level='color', axis=1).sum()").steps)[0]
    assert said.startswith("Aggregated `frame`"), said


def test_a_column_recomputed_from_its_own_values_is_not_a_new_feature():
    """`df['Age'] = df['Age'] * 2` and `df['target'] = (df['target'] == 2).astype(int)` (a target recoded in place) read
    "Derived a new feature from `Age` in `df`": no column was added, the column's values were replaced."""
    kept = RuntimeFacts(variable="df", kind="DataFrame", rows_before=150, rows_after=150, cols_before=5, cols_after=5)
    assert _said("df['Age'] = df['Age'] * 2", kept).startswith("Recomputed `Age` of `df` from its own values"), \
        _said("df['Age'] = df['Age'] * 2", kept)
    assert _said("df['target'] = (df['target'] == 2).astype(int)", kept).startswith(
        "Recomputed `target` of `df` from its own values")
    # causal-handbook 16: `drinking["agecell"] -= 21` read "Derived a new feature from `agecell` in `drinking`"
    assert _said('drinking["agecell"] -= 21').startswith("Recomputed `agecell` of `drinking` from its own values")
    # a column made from another, or from itself and another, is still derived from them
    assert _said("df['c'] = df['a'] + 1").startswith("Derived `c` from `a` in `df`")
    assert _said("df['b'] = df['a'] + df['b']").startswith("Derived `b` from `a` in `df`")
    # the index's field, and another table's column of the same name, are not the column's own values (corpus sweep)
    assert not _said("berri['weekday'] = berri.index.weekday").startswith("Recomputed")
    assert not _said("poly['SK_ID_CURR'] = app['SK_ID_CURR']").startswith("Recomputed")
    assert not _said("c6['Subject'] = c6['Subject'] + c5['Subject'].max()").startswith("Recomputed")


def test_columns_recomputed_in_a_loop_over_their_names_are_said_recomputed() -> None:
    """`for col in ['a', 'b']: df[col] = df[col] * 10` read "Derived a new feature from `a` and `b` in `df`" (the lead's
    own 6-cell iris notebook, session 26): the key is a name, and the value reads the same table under it."""
    loop = "for col in ['a', 'b']:\n    df[col] = df[col] * 10\n"
    assert _said(loop).startswith("Recomputed `a` and `b` of `df` from their own values"), _said(loop)
    # another table's column under the key, or the same table's beside another's, is no column's own values
    assert not _said("for col in ['a', 'b']:\n    df[col] = other[col] * 10\n").startswith("Recomputed")
    assert not _said("for col in ['a', 'b']:\n    df[col] = df[col] * other[col]\n").startswith("Recomputed")
