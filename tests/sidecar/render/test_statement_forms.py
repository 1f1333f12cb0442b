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
