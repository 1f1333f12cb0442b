"""Rules of the ninth pass on the tuning notebooks' errors (issue 10), each from a line of what-is-a-step.md or
CONVENTIONS, on small hand-written cells (controls keep what the rule must not change):

- rows picked by a condition and their column(s) picked in the same `.loc[mask, cols]` are one indexing, one step:
  the row filter (what-is-a-step.md, Granularity: "one step per transforming call"); a column picked by a chained
  subscript of its own stays a selection (CONVENTIONS 18: `df.query(...)["v"]`).
- polars `unnest` lays a struct column's fields out as columns: after `value_counts()` it is polars' spelling of
  pandas' `value_counts().reset_index()`, an `other` (CONVENTIONS 14).
- a shown `a.combine_first(b)` builds a new table from two (CONVENTIONS 6: "join (including `combine_first`)"), so it
  is a step, with combine_first's op (it fills a's gaps from b: impute_missing).
- a model fitted in place (`regr.fit(X, y)` as a statement) holds a fitted model, as `res = mod.fit()` does: its
  parameters applied to data by hand are its prediction and data minus them a residual, an evaluation
  (CONVENTIONS 26-27: "errors ... computed by hand from data, residuals").
- a per-group result reindexed by a column of the keys (`(s.value_counts() == 1).reindex(s)`) puts each group's value
  on every row of its group, as `groupby().transform` does: derive_feature (CONVENTIONS 22), after the aggregate.
- values divided by their own Euclidean norm (`x / np.linalg.norm(x)`) are rescaled to unit length: scale_normalize
  (CONVENTIONS 23, as the shares `x / x.sum()` already were).
- the square root of one stored variable (`np.sqrt(y)`, `np.sqrt(df.x)`) puts it on another scale, as np.log does
  (what-is-a-step.md: "np.log ... applied to a feature or a target: scale_normalize"); the root of arithmetic (a
  distance) still derives, the root of a metric is still the metric.
- print shows the values put into a message (`f"{v:.1%}"`, `"%.3f" % v`, `"{}".format(v)`, `templ.format(k, v)`), so
  a metric computed by hand there is printed (CONVENTIONS 7: evaluate counts wherever it appears, printed too).
- a polars expression `.reshape(...)` lays a column's values out in another shape: reshape (CONVENTIONS 12).
- one column divided by its row's total (`counts.iloc[:, 0] / counts.sum(axis=1)`) is a proportion, a new variable
  (what-is-a-step.md: arithmetic that creates a column derives); the whole table over its row totals stays a rescale.
- a NumPy stack of a comprehension: over the columns of one table (`np.hstack([t.iloc[:, i] for i in range(5)])`) it
  lays the table out long, a reshape (CONVENTIONS 12, as melt); of values written from numbers only
  (`np.hstack([[i + 1] * 50 for i in range(5)])`) it is data built in code, a load (CONVENTIONS 28).
- the eighth pass's exemption of a drop inside a call's argument holds only when every dropped column is the target
  handed beside it; a drop of more (`train_test_split(df.drop(["Id", "y"], axis=1), df["y"])`) also removes a feature
  column, a drop_columns step (CONVENTIONS 18).
- values written in the code stacked after one variable (`np.hstack([y, [0] * 50])`) add rows: a concat (CONVENTIONS
  13), not the design matrix of one variable that `(x, x ** 2)` or a column of ones makes.
- costs computed cell by cell into a two-axis accumulator that the cell otherwise only draws (`J[i, j] = cost(X, y,
  [a, b])`, then `plt.contour(t0, t1, J)`) are a grid built to draw (CONVENTIONS 8), no evaluate; a curve along one
  axis (a validation curve) and a surface also used as data keep their evaluations (CONVENTIONS 7).
- values made in the code and attached to existing data as a column (`df["c"] = pd.Categorical(["a", "b"])`,
  `pd.Series([...])`, `np.array([...])`, a random draw) derive, as a written list put there already did (CONVENTIONS
  19: attaching is derive_feature; 28: noise put into real data derives); elsewhere they stay a load.
"""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.steps import classify_steps

from .after_setup import FRAME, FRAME_AND_NUMPY, ops_after

POLARS = "import polars as pl\ndf = pl.read_csv('people.csv')\n"


@pytest.mark.parametrize("cell, ops", [
    # rows without a missing value, and their one column, in one .loc
    ("x_known = df.loc[df.age.notna(), 'age']", ["drop_missing"]),
    ("x_known = df.loc[~df['age'].isna(), ['age']].values", ["drop_missing"]),
    # rows kept by a condition, two columns of them
    ("adults = df.loc[df.age > 17, ['name', 'age']]", ["filter_rows"]),
    # a named mask from an earlier line
    ("keep = df.age.notna()\nx_known = df.loc[keep, 'age']", ["drop_missing"]),
])
def test_rows_and_columns_of_one_loc_are_one_step(cell: str, ops: list[str]) -> None:
    assert sorted(ops_after(FRAME_AND_NUMPY, cell)) == sorted(ops)


@pytest.mark.parametrize("cell, ops", [
    # controls: a column picked by a subscript of its own after the filter stays a selection (CONVENTIONS 18)
    ("ages = df[df.age > 17]['age']", ["filter_rows", "select_columns"]),
    ("ages = df.query('age > 17')['age']", ["filter_rows", "select_columns"]),
    # every row, some columns: a selection
    ("X = df.loc[:, ['name', 'age']]", ["select_columns"]),
    ("y = df.loc[:, 'age']", ["select_columns"]),
    # rows by a condition, every column
    ("adults = df.loc[df.age > 17]", ["filter_rows"]),
])
def test_a_column_picked_apart_from_the_rows_is_still_selected(cell: str, ops: list[str]) -> None:
    assert sorted(ops_after(FRAME_AND_NUMPY, cell)) == sorted(ops)


@pytest.mark.parametrize("cell, ops", [
    ("counts = df.select(pl.col('city').value_counts(sort=True)).unnest('city')", ["aggregate", "other"]),
    ("top = df.filter(pl.col('age') > 17).select(pl.col('city').value_counts()).unnest('city').sort('city')",
     ["filter_rows", "aggregate", "other", "sort"]),
    ("flat = df.unnest('address')", ["other"]),
])
def test_polars_unnest_lays_out_a_struct_as_columns(cell: str, ops: list[str]) -> None:
    assert sorted(ops_after(POLARS, cell)) == sorted(ops)


def test_polars_value_counts_without_unnest_is_one_aggregate() -> None:
    assert ops_after(POLARS, "counts = df.select(pl.col('city').value_counts())") == ["aggregate"]


TWO_FRAMES = FRAME + "old = pd.read_csv('old.csv')\n"


@pytest.mark.parametrize("cell, ops", [
    # shown: a new table made of both (CONVENTIONS 6 names combine_first)
    ("df.combine_first(old)", ["impute_missing"]),
    ("print(df.combine_first(old))", ["impute_missing"]),
    # assigned, as before
    ("full = df.combine_first(old)", ["impute_missing"]),
    # controls: not shown (not the last statement), and a shown fill of one table, which only looks at data
    ("df.combine_first(old)\nn = 1", []),
    ("df.fillna(0)", []),
])
def test_a_shown_combine_first_is_a_step(cell: str, ops: list[str]) -> None:
    assert ops_after(TWO_FRAMES, cell) == ops


SKLEARN_FIT = FRAME_AND_NUMPY + (
    "from sklearn.linear_model import LinearRegression\n"
    "X = df[['age']].values\ny = df.income\nregr = LinearRegression()\n"
)


@pytest.mark.parametrize("cell, ops", [
    # the residual sum of squares of a model fitted in place, its parameters applied by hand (CONVENTIONS 27)
    ("regr.fit(X, y)\nrss = np.sum((regr.intercept_ + regr.coef_ * X - y) ** 2) / 1000", ["fit_model", "evaluate"]),
    ("regr.fit(X, y)\nresid = y - (regr.intercept_ + regr.coef_ * X)", ["fit_model", "evaluate"]),
    # controls: reading the parameters is no step (CONVENTIONS 27), nor is a constructor (15)
    ("regr.fit(X, y)\nslope = regr.coef_", ["fit_model"]),
])
def test_a_model_fitted_in_place_is_fitted(cell: str, ops: list[str]) -> None:
    assert ops_after(SKLEARN_FIT, cell) == ops


def test_parameters_of_a_model_never_fitted_are_not_a_prediction() -> None:
    # regr is only constructed: `y - (...)` is arithmetic on data, as before
    assert ops_after(SKLEARN_FIT, "resid = y - (regr.intercept_ + regr.coef_ * X)") == ["derive_feature"]


@pytest.mark.parametrize("cell, ops", [
    # a per-group result put back on every row of its group by the column of keys (CONVENTIONS 22, as transform)
    ("groups = df['ticket']\nalone = (groups.value_counts() == 1).reindex(groups)",
     ["select_columns", "aggregate", "derive_feature"]),
    ("means = df.groupby('city').age.mean().reindex(df.city)", ["aggregate", "derive_feature"]),
    ("means = df.groupby('city').age.mean().reindex(df['city'])", ["aggregate", "derive_feature"]),
    # controls: an order written in the code sorts (CONVENTIONS 30); the frame's own index, or no aggregate, no step
    ("means = df.groupby('city').age.mean().reindex(['Oslo', 'Bergen'])", ["aggregate", "sort"]),
    ("means = df.groupby('city').age.mean().reindex(df.index)", ["aggregate"]),
    ("other = df.reindex(df.city)", []),
])
def test_a_group_result_reindexed_by_the_keys_derives(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # values divided by their own Euclidean norm: rescaled to unit length (CONVENTIONS 23, as x / x.sum() is)
    ("df['age'] = df['age'] / np.linalg.norm(df['age'])", ["scale_normalize"]),
    ("unit = df / np.linalg.norm(df)", ["scale_normalize"]),
    ("m = df.values\nfor i, c in enumerate(df):\n    m[:, i] = df[c] / np.linalg.norm(df[c])\n",
     ["other", "scale_normalize"]),
    # controls: divided by another variable's norm, a ratio of two data (derive); a norm alone is a number (9)
    ("df['r'] = df['age'] / np.linalg.norm(df['income'])", ["derive_feature"]),
    ("n = np.linalg.norm(df['age'])", []),
])
def test_values_divided_by_their_norm_are_rescaled(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


METRICS = FRAME_AND_NUMPY + "from sklearn.metrics import mean_squared_error\ny = df['income'].values\n"


@pytest.mark.parametrize("cell, ops", [
    # one variable put on a square-root scale, as np.log puts it on a log scale
    ("y_sqrt = np.sqrt(y)", ["scale_normalize"]),
    ("df['root_age'] = np.sqrt(df['age'])", ["scale_normalize"]),
    ("df['root_age'] = np.sqrt(df.age)", ["scale_normalize"]),
    # controls: the root of arithmetic computes a new value (a distance); the root of a metric is the metric
    ("df['dist'] = np.sqrt(df.x ** 2 + df.y ** 2)", ["derive_feature"]),
    ("mse = mean_squared_error(y, y * 0.9)\nrmse = np.sqrt(mse)", ["evaluate", "evaluate"]),
])
def test_the_square_root_of_one_variable_rescales_it(cell: str, ops: list[str]) -> None:
    assert ops_after(METRICS, cell) == ops


CONFUSION = FRAME_AND_NUMPY + (
    "from sklearn.metrics import confusion_matrix\n"
    "pred = df['p'] > 0.5\nC = confusion_matrix(df['y'], pred)\nhits = C[1, 1]\ncalled = C[:, 1].sum()\n"
)


@pytest.mark.parametrize("cell", [
    # accuracy computed by hand from a confusion table and printed inside a message (CONVENTIONS 7, 27)
    "print(f'precision {hits / called:.1%}')",
    "print('precision %.3f' % (hits / called))",
    "print('precision {}'.format(hits / called))",
    "templ = 'K={0}: precision {1:.1%}'\nprint(templ.format(3, hits / called))",
])
def test_a_metric_computed_in_a_printed_message_is_printed(cell: str) -> None:
    assert ops_after(CONFUSION, cell) == ["evaluate"]


@pytest.mark.parametrize("cell", [
    # controls: sizes and one column's mean put into a message are answers (what-is-a-step.md, Inspection)
    "print(f'{len(df)} rows, mean age {df.age.mean():.1f}')",
    "print('{} rows'.format(df.shape[0]))",
    "print('hits: %d' % hits)",
])
def test_answers_put_into_a_message_stay_answers(cell: str) -> None:
    assert ops_after(CONFUSION, cell) == []


@pytest.mark.parametrize("cell, ops", [
    # a polars expression's values laid out in another shape: a layout change (CONVENTIONS 12), a shown table (6)
    ("df.select(pl.col('age', 'income').reshape((1, 4)))", ["reshape"]),
    ("wide = df.select(pl.col('age').reshape((2, 2)))", ["reshape"]),
    # control: a plain select shown is looking at data
    ("df.select(pl.col('age', 'income'))", []),
])
def test_a_polars_expression_reshaped_is_a_reshape(cell: str, ops: list[str]) -> None:
    assert ops_after(POLARS, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # one column's proportion of its row's total: a new variable (arithmetic that creates a column derives)
    ("share = df.iloc[:, 0] / df.sum(axis=1)", ["derive_feature"]),
    ("df['pct'] = df['female'] / df[['male', 'female']].sum(axis=1)", ["derive_feature"]),
    # controls: the whole table over its row totals, and a column over its own total, are rescaled (CONVENTIONS 23)
    ("shares = df / df.sum(axis=1)", ["scale_normalize"]),
    ("df['s'] = df['a'] / df['a'].sum()", ["scale_normalize"]),
])
def test_a_column_over_its_row_total_is_a_proportion(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # the columns of one table stacked end to end: the table laid out long (CONVENTIONS 12, as melt)
    ("returns = np.hstack([df.iloc[:, i] for i in range(3)])", ["reshape"]),
    ("returns = np.concatenate([df[c] for c in ['a', 'b']])", ["reshape"]),
    # values written from numbers only: data built in code (CONVENTIONS 28)
    ("groups = np.hstack([[i + 1] * 50 for i in range(5)])", ["load"]),
    # control: two existing tables side by side stay a concat (CONVENTIONS 13)
    ("both = np.hstack([df, df])", ["concat"]),
])
def test_a_stack_built_by_a_comprehension(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


SPLIT = FRAME_AND_NUMPY + "from sklearn.model_selection import train_test_split\n"


@pytest.mark.parametrize("cell, ops", [
    # an id column dropped beside the target handed over: a column leaves the features (CONVENTIONS 18)
    ("X_tr, X_te, y_tr, y_te = train_test_split(df.drop(['id', 'y'], axis=1), df['y'], test_size=0.3)",
     ["drop_columns"] + ["split"] * 4),
    # control (eighth pass): only the target dropped and handed beside is no step of its own
    ("X_tr, X_te, y_tr, y_te = train_test_split(df.drop(['y'], axis=1), df['y'], test_size=0.3)", ["split"] * 4),
])
def test_a_drop_of_more_than_the_handed_target_is_a_step(cell: str, ops: list[str]) -> None:
    assert ops_after(SPLIT, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # values written in the code put after the data: rows added, a concat (CONVENTIONS 13)
    ("y2 = np.hstack([y, [0] * 50])", ["concat"]),
    ("y2 = np.concatenate([y, [1, 0, 1]])", ["concat"]),
    # controls: one variable with its powers or a column of ones is a design matrix (CONVENTIONS 13: derive)
    ("X = np.column_stack((y, y ** 2))", ["derive_feature"]),
    ("X = np.c_[np.ones(len(y)), y]", ["derive_feature"]),
])
def test_written_values_stacked_after_one_variable_are_a_concat(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY + "y = df.income.values\n", cell) == ops


GRID = FRAME_AND_NUMPY + (
    "import matplotlib.pyplot as plt\n"
    "from sklearn.metrics import mean_squared_error\n"
    "def cost(X, y, theta):\n    return np.sum((X.dot(theta) - y) ** 2)\n"
    "X = df[['a', 'b']].values\ny = df.y.values\nt0 = np.linspace(-10, 10, 50)\nt1 = np.linspace(-1, 4, 50)\n"
)
SURFACE = ("J = np.zeros((t0.size, t1.size))\n"
           "for i, a in enumerate(t0):\n    for j, b in enumerate(t1):\n        J[i, j] = {metric}\n")


@pytest.mark.parametrize("metric", ["cost(X, y, [a, b])", "mean_squared_error(y, X.dot([a, b]))"])
def test_a_cost_surface_only_drawn_is_plot_plumbing(metric: str) -> None:
    # the cost over a grid of parameters, only drawn (turned on its side first): building a grid to draw (CONVENTIONS 8)
    cell = SURFACE.format(metric=metric) + "J = J.T\nplt.contour(t0, t1, J)\n"
    assert ops_after(GRID, cell) == []


@pytest.mark.parametrize("cell", [
    # controls: the surface also used as data (its minimum found), and a curve of scores along one axis, evaluate
    SURFACE.format(metric="cost(X, y, [a, b])") + "best = np.unravel_index(J.argmin(), J.shape)\nplt.contour(t0, t1, J)\n",
    "s = np.zeros(t0.size)\nfor i, a in enumerate(t0):\n    s[i] = mean_squared_error(y, X.dot([a, 1]))\n"
    "plt.plot(t0, s)\n",
])
def test_costs_kept_or_along_one_axis_still_evaluate(cell: str) -> None:
    # (read by output: the grids t0 / t1, walked by enumerate here, are no loads of the whole source, acc65)
    assert [step.op for step in classify_steps(GRID + cell) if step.output in ("J", "s")] == ["evaluate"]


@pytest.mark.parametrize("cell", [
    # values made in the code attached to existing data as a column: attaching derives (CONVENTIONS 19), as a
    # written list does; random values put into real data derive (CONVENTIONS 28)
    "df['grade'] = pd.Categorical(['a', 'b', 'a'], categories=['a', 'b'])",
    "df['grade'] = pd.Series(['a', 'b', 'a'])",
    "df['grade'] = np.array([1, 2, 3])",
    "df['noise'] = np.random.standard_normal(len(df))",
    "df['grade'] = ['a', 'b', 'a']",
])
def test_values_made_in_code_attached_as_a_column_derive(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ["derive_feature"]


@pytest.mark.parametrize("cell, ops", [
    # controls: a column of the data made categorical is its op (kb), a new frame of written values is a load
    ("df['city'] = pd.Categorical(df['city'])", ["type_cast"]),  # CONVENTIONS 21 (tenth pass)
    ("grades = pd.Series(['a', 'b', 'a'])", ["load"]),
    ("noise = np.random.standard_normal(100)", ["load"]),
])
def test_values_made_in_code_elsewhere_keep_their_op(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops
