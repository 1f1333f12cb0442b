"""Rules of the eighth pass on the tuning notebooks' errors (issue 10), each from a line of what-is-a-step.md or
CONVENTIONS, on small hand-written cells (controls keep what the rule must not change):

- columns dropped inside another call's argument are a `drop_columns` step (CONVENTIONS 18: "`drop(columns=…)`,
  `del` and `pop` are `drop_columns`"; only *selections* inside an argument are none), except when the columns
  dropped are the target the same call is handed beside them (`fit(df.drop("y", axis=1), df["y"])`): that drop only
  separates features from target, the same pick as `fit(df[features], df["y"])`. `pop` changes its receiver, so it
  is a step wherever it is written.
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME, FRAME_AND_NUMPY, ops_after

STATSMODELS = FRAME_AND_NUMPY + "import statsmodels.api as sm\nfrom sklearn.model_selection import train_test_split\n"


@pytest.mark.parametrize("cell, ops", [
    # a dummy column dropped to leave a reference category, inside the fit
    ("res = sm.OLS(df.wage, dummies.drop(dummies.columns[0], axis=1)).fit()", ["drop_columns", "fit_model"]),
    # columns dropped from the table joined in
    ("people = people.join(df.drop(['age', 'city'], axis=1))", ["drop_columns", "join"]),
    # a constant added around a table with one column dropped
    ("Xc = sm.add_constant(df.drop('id', axis=1))", ["drop_columns", "derive_feature"]),
    # pop takes the column out of df while handing it over
    ("idx = pd.PeriodIndex(year=df.pop('year'), quarter=df.pop('quarter'), freq='Q')",
     ["drop_columns", "drop_columns", "datetime_parse"]),
])
def test_columns_dropped_inside_an_argument_are_a_step(cell: str, ops: list[str]) -> None:
    setup = STATSMODELS + "people = pd.read_csv('p.csv')\ndummies = pd.get_dummies(df.city)\n"
    assert sorted(ops_after(setup, cell)) == sorted(ops)


@pytest.mark.parametrize("cell, ops", [
    # the target dropped and handed beside: features separated from target, no step of its own
    ("X_tr, X_te, y_tr, y_te = train_test_split(df.drop('y', axis=1), df['y'], test_size=0.2)", ["split"] * 4),
    ("res = sm.OLS(df['y'], df.drop(columns=['y'])).fit()", ["fit_model"]),
    # a selection inside an argument stays none (CONVENTIONS 18)
    ("res = sm.OLS(df['y'], df[['a', 'b']]).fit()", ["fit_model"]),
    # an assigned drop is a step as before
    ("X = df.drop('y', axis=1)", ["drop_columns"]),
])
def test_a_target_dropped_and_handed_beside_is_no_step(cell: str, ops: list[str]) -> None:
    assert sorted(ops_after(STATSMODELS, cell)) == sorted(ops)


HELPERS = FRAME + "from utils.regression import calculate_vif, create_dummy_vars, one_hot, summarize_columns\n"


@pytest.mark.parametrize("cell, ops", [
    # an imported helper is a black box whose call is the op its name says (CONVENTIONS 4b): VIF is an evaluation
    # (CONVENTIONS 27), dummy / one-hot columns an encoding (CONVENTIONS 20)
    ("vifs = calculate_vif(df[['a', 'b']])", ["evaluate"]),
    ("for c in ['city', 'job']:\n    df = create_dummy_vars(df, c)\n", ["encode_categorical"]),
    ("X = one_hot(df, ['city'])", ["encode_categorical"]),
    # control: a helper whose name says nothing stays no step of its own
    ("s = summarize_columns(df)", []),
])
def test_an_imported_helper_named_for_vif_or_dummies(cell: str, ops: list[str]) -> None:
    assert ops_after(HELPERS, cell) == ops


def test_a_notebook_function_named_for_dummies_keeps_its_body() -> None:
    # its body does the encoding where it is written (CONVENTIONS 1): the call is no second step
    cell = ("def add_dummies(d, c):\n    return pd.concat([d, pd.get_dummies(d[c])], axis=1)\n"
            "df2 = add_dummies(df, 'city')\n")
    assert "encode_categorical" in ops_after(FRAME, cell)
    assert ops_after(FRAME, cell).count("encode_categorical") == 1


@pytest.mark.parametrize("cell, ops", [
    # a table of statistics per group, shown or printed, is a group-by aggregation shown (CONVENTIONS 22 lists
    # groupby().describe as aggregate; CONVENTIONS 6 and what-is-a-step.md "Results shown but not assigned")
    ('df.groupby("k")["v"].describe()', ["aggregate"]),
    ('print(df.groupby("k")["v"].describe())', ["aggregate"]),
    ('grouped = df.groupby("k")\ngrouped.describe()', ["aggregate"]),
    ('stats = df.groupby("k").v.describe()', ["aggregate"]),
    # controls: describe of a table or a column stays inspection, shown or printed (CONVENTIONS 6, 10)
    ("df.describe()", []),
    ("print(df.v.describe())", []),
    ('df.groupby("k").v.value_counts()', []),
])
def test_a_description_per_group_is_an_aggregate(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


MODEL = FRAME_AND_NUMPY + ("from sklearn.linear_model import LogisticRegression\n"
                           "from sklearn.metrics import accuracy_score, f1_score\n"
                           "m = LogisticRegression().fit(df[['a']], df.y)\npred = m.predict(df[['a']])\n")


@pytest.mark.parametrize("cell, ops", [
    # metrics shown side by side in a tuple: one step per expression (CONVENTIONS 17, 7)
    ("np.mean(pred == df.y), np.mean(pred != df.y)", ["evaluate", "evaluate"]),
    ("accuracy_score(df.y, pred), f1_score(df.y, pred)", ["evaluate", "evaluate"]),
    # controls: one metric computed in two calls is one (np.sqrt of a metric), and a tuple that is not all metrics is
    # classified as a whole as before
    ("np.sqrt(np.mean((pred - df.y) ** 2))", ["evaluate"]),
    ("df.shape, accuracy_score(df.y, pred)", ["evaluate"]),
])
def test_metrics_shown_in_a_tuple_are_one_step_each(cell: str, ops: list[str]) -> None:
    assert ops_after(MODEL, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # how far two predictions are apart is a value derived from them, not a third prediction
    ("lo = m.predict(df[['a']] * 0.9)\nhi = m.predict(df[['a']] * 1.1)\ndiff = hi - lo", ["predict", "predict",
                                                                                      "derive_feature"]),
    # controls: a blend of predictions predicts; data minus a prediction is a residual (CONVENTIONS 27)
    ("other = m.predict(df[['a']] * 2)\nblend = 0.5 * pred + 0.5 * other", ["predict", "predict"]),
    ("resid = df.y - pred", ["evaluate"]),
])
def test_the_difference_of_two_predictions_is_derived(cell: str, ops: list[str]) -> None:
    assert ops_after(MODEL, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # values held at a bound written as a number are clipped (CONVENTIONS 29: clipping is outlier_remove)
    ("pred = np.maximum(pred, 0)", ["outlier_remove"]),
    ("df['a'] = np.minimum(df['a'], 100)", ["outlier_remove"]),
    ("capped = np.maximum(-1.5, df.b)", ["outlier_remove"]),
    # controls: the larger of two data, and of two numbers, are no clipping
    ("m = np.maximum(df.a, df.b)", []),
    ("top = np.maximum(3, 4)", []),
])
def test_a_bound_written_as_a_number_clips(cell: str, ops: list[str]) -> None:
    assert ops_after(MODEL, cell) == ops


POLARS = "import polars as pl\nimport pandas as pd\npdf = pl.read_csv('x.csv')\ndf = pd.read_csv('y.csv')\n"


@pytest.mark.parametrize("cell, ops", [
    # one column of a polars frame taken out as a Series (CONVENTIONS 18), rows by position (CONVENTIONS 30)
    ("s = pdf.get_column('b')", ["select_columns"]),
    ("s = pdf.to_series(1)", ["select_columns"]),
    ("part = pdf.slice(2, 2)", ["filter_rows"]),
    # controls: after a pick, to_series is the same column in another container; a pandas index's to_series
    # and a shown slice (inspection, CONVENTIONS 6) are no step
    ("s = pdf.select('q').to_series()", ["select_columns"]),
    ("i = df.index.to_series()", []),
    ("pdf.slice(0, 4)", []),
])
def test_polars_column_and_row_picks(cell: str, ops: list[str]) -> None:
    assert ops_after(POLARS, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # the data of a constructor is its first positional argument; the index after it is no second piece of data
    # (what-is-a-step.md "Sources are steps": a Series built from a list is a load)
    ("data = [1.5, 2.5, 3.5]\nindex = pd.date_range(start='2001', end='2004', freq='YE')\ns = pd.Series(data, index)",
     ["load"]),
    ("s = pl.Series('a', [1, 2, 3])", ["load"]),
    # controls: the index as a keyword was already so; two existing arrays in one table are a concat (CONVENTIONS 13)
    ("data = [1.5, 2.5, 3.5]\nindex = pd.date_range(start='2001', end='2004', freq='YE')\n"
     "s = pd.Series(data, index=index)", ["load"]),
    ("x = np.array([df.a, df.b])", ["concat"]),
])
def test_a_constructors_data_is_its_first_argument(cell: str, ops: list[str]) -> None:
    assert ops_after(POLARS + "import numpy as np\n", cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # a mask kept under a name the cell then casts to numbers is an indicator (CONVENTIONS 20), not only a mask
    ("snowing = df['weather'].str.contains('Snow')\nshare = snowing.astype(float).mean()", ["derive_feature"]),
    ("big = df.a > 5\nn = big.astype(int)", ["derive_feature", "type_cast"]),
    ("up = df.d == 'Up'\nz = up.astype(int)", ["encode_categorical", "type_cast"]),
    # controls: a mask used to pick rows stays no step (CONVENTIONS 15), also when another name is cast
    ("snowing = df.weather == 'Snow'\nsnowy = df[snowing]", ["filter_rows"]),
    ("big = df.a > 5\nrows = df[big]\nn = df.b.astype(int)", ["filter_rows", "type_cast"]),
])
def test_a_mask_cast_to_numbers_is_an_indicator(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # values read by key out of two dicts the notebook filled are existing results put side by side: a concat
    # (CONVENTIONS 13), not data written in the code
    ("rf, lr = {}, {}\n"
     "t = pd.DataFrame({'rf': [rf['acc'], rf['f1']], 'lr': [lr['acc'], lr['f1']]})", ["concat"]),
    ("a = {}\nb = {}\nt = pd.DataFrame({'a_x': a['x'], 'b_x': b['x']})", ["concat"]),
    # control: values of one dict written in the code stay a load (what-is-a-step.md, Sources are steps)
    ("d = {'a': [1, 2], 'b': [3, 4]}\nt = pd.DataFrame({'x': d['a'], 'y': d['b']})", ["load"]),
])
def test_values_read_out_of_two_filled_dicts_are_put_side_by_side(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", [
    # a lambda piped the data is written here: each transforming call of its body is a step on the data piped in
    (FRAME, "t = df.pipe(lambda d: d.dropna().groupby('k').sum())", ["drop_missing", "aggregate"]),
    (FRAME, "t = df.pipe(lambda d: d[d.a > 1])", ["filter_rows"]),
    (POLARS, "t = pdf.join(pdf.pipe(lambda d: d.explode('v').group_by('id').agg(pl.col('v'))), on='id')",
     ["reshape", "aggregate", "join"]),
    # controls: a count through pipe is an answer (CONVENTIONS 9); a named function piped is an ordinary call
    (FRAME, "n = df.pipe(lambda d: len(d))", []),
    (FRAME, "t = df.pipe(len)", []),
])
def test_a_lambda_piped_the_data_is_classified_on_it(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


def test_a_lambda_piped_the_data_reads_the_data_piped_in() -> None:
    from trackit_sidecar.lineage.steps import classify_steps
    steps = classify_steps(FRAME + "t = df.pipe(lambda d: d.dropna())")
    assert [(s.op, s.inputs, s.output) for s in steps[1:]] == [("drop_missing", ["df"], "t")]


@pytest.mark.parametrize("cell, ops", [
    # a mask made by a method and kept under a name picks rows as one made by a comparison (CONVENTIONS 15)
    ("snowing = df['weather'].str.contains('Snow')\nsnowy = df[snowing]", ["filter_rows"]),
    ("kept = df.city.isin(['Oslo', 'Rome'])\nsub = df[kept]", ["filter_rows"]),
    ("present = df.a.notna()\nsub = df[present]", ["drop_missing"]),
    # categories lumped through a mask made of masks that compare with strings (CONVENTIONS 20)
    ("w = df['t'].isin(('WD', 'CWD'))\nc = df['t'].isin(('Con', 'ConLw'))\nrest = ~(w | c)\n"
     "df.loc[rest, 't'] = 'Other'", ["encode_categorical"]),
    ("w = df['t'].isin(('WD', 'CWD'))\ndf.loc[w, 't'] = 'Warranty'", ["encode_categorical"]),
    # controls: a numeric mask's rows set to a constant elsewhere make a column; the mask alone is no step
    ("big = df.a > 5\ndf.loc[big, 'flag'] = 1", ["derive_feature"]),
    ("kept = df.city.isin(['Oslo', 'Rome'])", []),
])
def test_a_mask_made_by_a_method_is_a_mask(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # a column of ones beside the data in a table built from a dict: a design matrix (CONVENTIONS 13), as
    # np.column_stack((np.ones(n), x)) is
    ("X = pd.DataFrame({'intercept': np.ones(df.shape[0]), 'lstat': df['lstat']})", ["derive_feature"]),
    ("X = np.column_stack((np.ones(len(df)), df.a))", ["derive_feature"]),
    # controls: one column wrapped alone is no step; zeros written alone are data made in code
    ("X = pd.DataFrame({'lstat': df['lstat']})", []),
    ("Z = pd.DataFrame({'z': np.zeros(5)})", ["load"]),
])
def test_a_column_of_ones_beside_the_data_is_a_design_matrix(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # a loop over dicts the notebook fills (directly or zipped with other sequences): a value put under a key is
    # kept in the dict, not a column made (CONVENTIONS 19 is about columns of data)
    ("a, b = {}, {}\nfor s, k in zip((a, b), ('rf', 'lr')):\n    s['name'] = k\n", []),
    ("a, b = {}, {}\nfor s in (a, b):\n    s['size'] = len(df)\n", []),
    # a metric kept in such a dict is still an evaluation (CONVENTIONS 7)
    ("from sklearn.metrics import accuracy_score\na, b = {}, {}\nfor s, p in zip((a, b), (df.p1, df.p2)):\n"
     "    s['acc'] = accuracy_score(df.y, p)\n", ["evaluate"]),
    # control: a zip of column names and factors still writes columns of the frame
    ("for c, k in zip(['a', 'b'], [1, 2]):\n    df[c] = df[c] * k\n", ["derive_feature"]),
])
def test_values_put_into_dicts_looped_over_are_no_columns(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # predicted probabilities thresholded by sklearn's binarize are predicted classes (CONVENTIONS 26), as
    # proba > 0.3 is
    ("proba = m.predict_proba(df[['a']])[:, 1]\ncls = binarize([proba], threshold=0.3)[0]", ["predict", "predict"]),
    # control: data binarized is a 0/1 feature of a numeric condition (CONVENTIONS 20)
    ("b = binarize(df[['a']], threshold=0.3)", ["derive_feature"]),
])
def test_probabilities_thresholded_by_binarize_are_predictions(cell: str, ops: list[str]) -> None:
    assert ops_after(MODEL + "from sklearn.preprocessing import binarize\n", cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # a constant put into a column the notebook looked at for missing values, through a mask on another column,
    # is put where the column is null (what-is-a-step.md: "assigning a value where a column is null")
    ("df.loc[df['state'].isnull(), 'region'].unique()\ndf.loc[df['region'] == 'PR', 'state'] = 'Puerto Rico'",
     ["impute_missing"]),
    # controls: never looked at for gaps, it makes values of a column; a category recoded through its own column
    # stays an encoding (CONVENTIONS 20)
    ("df.loc[df['region'] == 'PR', 'state'] = 'Puerto Rico'", ["derive_feature"]),
    ("print(df.sex.isnull().sum())\ndf.loc[df.sex == 'male', 'sex'] = 0", ["encode_categorical"]),
])
def test_a_value_put_where_a_column_was_seen_missing_fills_it(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


def test_columns_seen_missing_are_remembered_for_later_cells() -> None:
    from trackit_sidecar.lineage.steps import classify_cell
    _, env = classify_cell(FRAME + "df[df['state'].isnull()].head()\n")
    steps, _ = classify_cell("df.loc[df['region'] == 'USA', 'state'] = 'United States'\n", env)
    assert [s.op for s in steps] == ["impute_missing"]
    steps, _ = classify_cell("df.loc[df['region'] == 'USA', 'other'] = 'United States'\n", env)
    assert [s.op for s in steps] == ["derive_feature"]  # another column than the one seen missing


@pytest.mark.parametrize("cell, ops", [
    # a correlation matrix assigned is an aggregate (what-is-a-step.md), also when then only drawn (CONVENTIONS 8),
    # as df.corr() is
    ("import seaborn as sns\ncm = np.corrcoef(df[['a', 'b']].values.T)\nsns.heatmap(cm)", ["aggregate"]),
    ("c = np.cov(df.a, df.b)", ["aggregate"]),
    # controls: one coefficient is a number (CONVENTIONS 9); shown or printed it is looked at (CONVENTIONS 6)
    ("r = np.corrcoef(df.a, df.b)[0, 1]", []),
    ("print(np.corrcoef(df.a, df.b))", []),
    ("np.corrcoef(df.a, df.b)", []),
])
def test_a_correlation_matrix_by_numpy_is_an_aggregate(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # a survival table laid out one row per period by lifelines is a reshape (CONVENTIONS 12: a layout changed)
    ("from lifelines.utils import to_episodic_format\nlong = to_episodic_format(df, duration_col='w', event_col='e')",
     ["reshape"]),
    # control: another function of that library keeps its own rule (a statistical test evaluates, CONVENTIONS 27)
    ("from lifelines.statistics import logrank_test\nr = logrank_test(df.a, df.b)", ["evaluate"]),
])
def test_a_survival_table_laid_out_per_period_is_a_reshape(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # columns picked and converted to an array are picked, as df[cols].values is (CONVENTIONS 12, 18)
    ("a, b = np.asarray(df[['a', 'b']]).T", ["select_columns"]),
    ("X = np.asarray(df[['a', 'b']])", ["select_columns"]),
    ("X = np.array(df[['a', 'b']])", ["select_columns"]),
    ("X = df[['a', 'b']].values", ["select_columns"]),
    # controls: a whole frame converted is `other` (CONVENTIONS 12); columns picked for a consumer are none (18)
    ("X = np.asarray(df)", ["other"]),
    ("from sklearn.preprocessing import scale\nZ = scale(np.asarray(df[['a']]))", ["scale_normalize"]),
])
def test_columns_picked_and_converted_are_picked(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops
