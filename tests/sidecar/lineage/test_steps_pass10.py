"""Rules of the tenth pass on the tuning notebooks' errors (issue 10), each from a line of what-is-a-step.md or
CONVENTIONS, on small hand-written cells (controls keep what the rule must not change):

- the knowledge the rescale rules use is data (kb.numpy.TOTAL_FUNCTIONS, UNIT_LENGTH_NORMS), matched after the
  module's alias is resolved: `x / xp.linalg.norm(x)` after `import numpy as xp` rescales as `np.linalg.norm` does;
  so are the constructors of values written in code (kb.sources.CODE_VALUE_CONSTRUCTORS).
- a prediction brought back from the target's log scale (`np.expm1(model.predict(X))`) is predict + scale_normalize
  (CONVENTIONS 23); a metric on another scale stays the metric.
- a function the cell calls only in comments (`#df = create_age_features(df)`) is never called: its body is no step
  (CONVENTIONS 1).
- one grouping's statistics written out as a table (`pd.DataFrame({"n": grp.size(), "t": grp["v"].sum()})`) is one
  aggregate, as `grp.agg(n=..., t=...)` is (CONVENTIONS 24), not an aggregate per column and a concat.
- a library's function piped the data (`a.pipe(pd.merge, b, on="k")`) is an ordinary call of it (CONVENTIONS 3).
- a function applied to values that returns them parsed as dates parses dates (CONVENTIONS 21).
- `pd.Categorical(df.c)` is a type_cast (CONVENTIONS 21); with its categories or order declared, an encoding (20).
- values put through a mask inside a function or class the notebook names for imputing fill gaps (the notebook's
  word, as CONVENTIONS 29 takes it for outliers).
- pandas_datareader reads tables (load); a window assigned alone is no step, a reduction over it derives (22).
- a notebook function that draws and returns only its axes draws: what it is handed is no step (CONVENTIONS 7, 8).
- a cell ending in a dangling backslash continuation is read as it ran.
- `best_score_` and the other fitted-only attributes read from an unknown object evaluate (CONVENTIONS 27).
- groups reduced by a function to their distinct values (`g.v.apply(lambda x: x.str[:2].unique())`) aggregate, the
  text work inside only computing it (CONVENTIONS 22).
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME, FRAME_AND_NUMPY, ops_after

NUMPY_AS_XP = "import pandas as pd\nimport numpy as xp\ndf = pd.read_csv('people.csv')\n"


@pytest.mark.parametrize("cell, ops", [
    # numpy under another alias: its norm and its sum are still numpy's (CONVENTIONS 23)
    ("df['age'] = df['age'] / xp.linalg.norm(df['age'])", ["scale_normalize"]),
    ("unit = df / xp.linalg.norm(df)", ["scale_normalize"]),
    ("share = df.div(xp.sum(df))", ["scale_normalize"]),
    # controls: another variable's norm is a ratio of two data (derive); a norm alone is a number (CONVENTIONS 9)
    ("df['r'] = df['age'] / xp.linalg.norm(df['income'])", ["derive_feature"]),
    ("n = xp.linalg.norm(df['age'])", []),
])
def test_numpy_under_another_alias_rescales(cell: str, ops: list[str]) -> None:
    assert ops_after(NUMPY_AS_XP, cell) == ops


@pytest.mark.parametrize("setup, cell", [
    # a name that is not numpy, even called like it, is no norm: its quotient is a ratio of two values
    (FRAME + "import mylib as np\n", "unit = df / np.linalg.norm(df)"),
])
def test_a_norm_of_another_module_does_not_rescale(setup: str, cell: str) -> None:
    assert "scale_normalize" not in ops_after(setup, cell)


@pytest.mark.parametrize("setup, cell", [
    # values written in the code attached as a column derive (CONVENTIONS 19), whatever the constructor's import
    (FRAME + "from pandas import Categorical\n", "df['grade'] = Categorical(['a', 'b', 'a'])"),
    (NUMPY_AS_XP, "df['flag'] = xp.array([1, 0, 1])"),
])
def test_values_written_in_code_attached_as_a_column_derive(setup: str, cell: str) -> None:
    assert ops_after(setup, cell) == ["derive_feature"]


MODELLED = FRAME_AND_NUMPY + "from sklearn.linear_model import Ridge\nfrom sklearn.metrics import mean_squared_error\n" \
    "X = df[['a']]\ny = np.log1p(df.y)\nm = Ridge()\nm.fit(X, y)\n"


@pytest.mark.parametrize("cell, ops", [
    # a prediction brought back from the target's log scale: predicted, then rescaled (CONVENTIONS 23, 7)
    ("pred = np.expm1(m.predict(X))", ["predict", "scale_normalize"]),
    ("sub = pd.DataFrame({'y': np.expm1(m.predict(X))})", ["predict", "scale_normalize"]),
    # controls: arithmetic on a prediction is part of it; a metric on another scale is still the metric
    ("pred = np.round(m.predict(X))", ["predict"]),
    ("rmse = np.sqrt(mean_squared_error(y, m.predict(X)))", ["predict", "evaluate"]),
    ("plt.plot(np.expm1(m.predict(X)))", []),
])
def test_a_prediction_brought_back_from_the_log_scale_is_rescaled(cell: str, ops: list[str]) -> None:
    assert ops_after(MODELLED, cell) == ops


HELPER = "def add_age2(df):\n    df['age2'] = df.age * 2\n    return df\n\n"


@pytest.mark.parametrize("cell, ops", [
    # a function the cell calls only in a comment is switched off, never called: its body is no step (CONVENTIONS 1)
    (HELPER + "#df = add_age2(df)\n", []),
    (HELPER + "def prepare(df):\n    df = df.dropna()\n    # df = add_age2(df)\n    return df\n\ndf = prepare(df)\n",
     ["drop_missing"]),
    # controls: called in code (too), or not called in this cell at all (a later cell may call it)
    (HELPER + "df = add_age2(df)\n", ["derive_feature"]),
    (HELPER + "# df = add_age2(df)\ndf = add_age2(df)\n", ["derive_feature"]),
    (HELPER + "# a helper for the next cells\n", ["derive_feature"]),
    (HELPER + "df = df.pipe(add_age2)  # add_age2(df) in a chain\n", ["derive_feature"]),
])
def test_a_function_called_only_in_comments_is_not_a_step(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # one grouping's statistics written out as a table: one aggregate, as grp.agg(n=..., total=...) is (what-is-a-step.md;
    # CONVENTIONS 24: one step per distinct op of a call), not an aggregate per column and a concat of them
    ("grp = df.groupby('city')\nt = pd.DataFrame({'n': grp.size(), 'total': grp['income'].sum()})", ["aggregate"]),
    ("grp = df.groupby('city')\nt = pd.DataFrame({'n': grp['age'].apply(lambda x: (x > 17).sum()),\n"
     "                  'names': grp['name'].apply(','.join), 'first': grp['age'].first()})", ["aggregate"]),
    ("grp = df.fillna('none').groupby(['city', 'zip'])\n"
     "t = pd.DataFrame({'n': grp.size(), 'total': grp['income'].sum()}).reset_index()",
     ["impute_missing", "aggregate", "other"]),
    # controls: statistics of two groupings side by side, and columns that are not statistics, are put together
    ("g1 = df.groupby('city')\ng2 = df.groupby('zip')\nt = pd.DataFrame({'a': g1['age'].sum(), 'b': g2['age'].sum()})",
     ["aggregate", "aggregate", "concat"]),
    ("t = pd.DataFrame({'a': df['age'], 'b': df['income']})", ["concat"]),
])
def test_a_table_of_one_groupings_statistics_is_one_aggregate(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


OTHER = FRAME_AND_NUMPY + "sectors = pd.read_csv('sectors.csv')\n"


@pytest.mark.parametrize("cell, ops", [
    # a library's function piped the data is an ordinary call of it, with its op (CONVENTIONS 3), after the chain's
    # steps that piped the data in
    ("m = df.pipe(pd.merge, sectors, on='city', how='left')", ["join"]),
    ("m = df[['city', 'age']].pipe(pd.merge, sectors, how='left')", ["select_columns", "join"]),
    ("m = df.pipe(pd.merge, sectors, on='city').assign(r=lambda x: x.a / x.b).pipe(pd.merge, sectors, on='zip')",
     ["join", "derive_feature", "join"]),
    ("d = df.pipe(pd.get_dummies)", ["encode_categorical"]),
    # controls: a builtin piped is an answer; a notebook function piped is its body's steps (CONVENTIONS 1)
    ("n = df.pipe(len)", []),
    ("def clean(d):\n    return d.dropna()\nm = df.pipe(clean)", ["drop_missing"]),
])
def test_a_library_function_piped_the_data_is_its_call(cell: str, ops: list[str]) -> None:
    assert ops_after(OTHER, cell) == ops


CONVERTER = "def converter(col):\n    timepart = col.astype(str).str.replace('.0', '').str.pad(4, fillchar='0')\n" \
    "    return pd.to_datetime(df['day'] + ' ' + timepart.str.slice(0, 2) + ':' + timepart.str.slice(2, 4))\n"


@pytest.mark.parametrize("cell, ops", [
    # a function applied to values that returns them parsed as dates parses dates (CONVENTIONS 21), whatever text work
    # prepares the parse
    (CONVERTER + "df[['dep', 'arr']] = df[['dep', 'arr']].apply(converter)", ["datetime_parse"]),
    ("df[['dep', 'arr']] = df[['dep', 'arr']].apply(lambda c: pd.to_datetime(c, errors='coerce'))", ["datetime_parse"]),
    # controls: a function that only cleans text cleans text; one that takes a part of a date derives
    ("df['name'] = df['name'].apply(lambda s: s.strip().lower())", ["text_clean"]),
    ("df['year'] = df['day'].apply(lambda d: pd.to_datetime(d).year)", ["derive_feature"]),
])
def test_a_function_that_returns_parsed_dates_parses_dates(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # a column made categorical is a type_cast (CONVENTIONS 21 names pd.Categorical), in a chain's assign too
    ("df['city'] = pd.Categorical(df['city'])", ["type_cast"]),
    ("df = df.assign(city=lambda x: pd.Categorical(x['city']), d=lambda x: pd.to_datetime(x['d']))",
     ["type_cast", "datetime_parse"]),
    # controls: categories or their order declared code the values by that order (CONVENTIONS 20: ordinal encoders);
    # an indicator of a category value encodes it (CONVENTIONS 20)
    ("df['size'] = pd.Categorical(df['size'], categories=['S', 'M', 'L'], ordered=True)", ["encode_categorical"]),
    ("is_f = pd.Categorical(df.sex == 'female')", ["encode_categorical"]),
])
def test_a_column_made_categorical_is_a_type_cast(cell: str, ops: list[str]) -> None:
    assert sorted(ops_after(FRAME, cell)) == sorted(ops)


IMPUTER_CLASS = "from sklearn.base import BaseEstimator, TransformerMixin\n" \
    "class {name}(BaseEstimator, TransformerMixin):\n    def fit(self, X, y=None):\n        return self\n" \
    "    def transform(self, X, y=None):\n        X = X.copy()\n        none = np.isclose(X['rooms'], 0)\n" \
    "        X.loc[none, ['kind', 'quality']] = 'NA'\n        X.loc[none, 'built'] = X.loc[none, 'year']\n" \
    "        return X\n"


@pytest.mark.parametrize("cell, ops", [
    # values put into rows picked by a mask, in what the notebook itself calls an imputer, fill its gaps
    # (what-is-a-step.md: "assigning a value where a column is null"; as CONVENTIONS 29 takes the notebook's word for
    # outliers)
    (IMPUTER_CLASS.format(name="CustomImputer"), ["impute_missing", "impute_missing"]),
    ("def impute_garage(X):\n    X.loc[X['rooms'] == 0, 'kind'] = 'NA'\n    return X\n", ["impute_missing"]),
    # controls: the same code in a transformer named otherwise makes columns; a column computed in an imputer derives
    (IMPUTER_CLASS.format(name="GarageFeatures"), ["derive_feature", "derive_feature"]),
    ("def fill_missing(X):\n    X['ratio'] = X['a'] / X['b']\n    return X\n", ["derive_feature"]),
])
def test_values_put_through_a_mask_in_an_imputer_fill_gaps(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # a table read from a web service is read data (what-is-a-step.md: "reading a file, table, URL or database")
    ("import pandas_datareader.data as web\ngs = web.DataReader('GS', data_source='yahoo', start='2006-01-01')",
     ["load"]),
    ("import pandas_datareader.data as web\ngs = web.DataReader('GS', 'yahoo')\nw = gs.resample('W').mean()",
     ["load", "aggregate"]),
    ("import pandas_datareader as pdr\ngdp = pdr.get_data_fred('GDP')", ["load"]),
])
def test_a_table_read_from_a_web_service_is_a_load(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # a window with nothing applied is no step yet, as a bare groupby (what-is-a-step.md); a reduction over it later
    # derives, as in one chain (CONVENTIONS 22: rolling is derive_feature)
    ("roll = df.age.rolling(30, center=True)", []),
    ("roll = df.age.rolling(30)\nm = roll.agg(['mean', 'std'])", ["derive_feature"]),
    ("roll = df.age.ewm(alpha=0.1)\nm = roll.mean()", ["derive_feature"]),
    # controls: in one chain it derives once; groups made earlier still aggregate, also under a window's old name
    ("m = df.age.rolling(30).mean()", ["derive_feature"]),
    ("r = df.age.rolling(3)\nr = df.groupby('city')\nm = r.sum()", ["aggregate"]),
])
def test_a_reduction_over_a_window_made_earlier_derives(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


FITTED_OLS = FRAME + "import matplotlib.pyplot as plt\nimport statsmodels.api as sm\nres = sm.OLS(df.income, df.age).fit()\n"
TSPLOT = "def tsplot(y, lags=None):\n    fig = plt.figure(figsize=(10, 8))\n" \
    "    ts_ax = plt.subplot2grid((2, 2), (0, 0), colspan=2)\n    acf_ax = plt.subplot2grid((2, 2), (1, 0))\n" \
    "    y.plot(ax=ts_ax)\n    plt.tight_layout()\n    return ts_ax, acf_ax\n"


@pytest.mark.parametrize("cell, ops", [
    # a notebook function that draws and returns only the axes it drew on draws: what it is handed is plotted, no
    # step (CONVENTIONS 7 and 8: a metric or residual inside a plot call is not one)
    (TSPLOT + "tsplot(res.resid, lags=24);", []),
    (TSPLOT + "axes = tsplot(res.resid[2:])", []),
    # controls: a function that draws but returns data keeps its steps; residuals kept under a name evaluate
    ("def plot_and_fit(y):\n    ax = plt.subplot(1, 1, 1)\n    y.plot(ax=ax)\n    return y.diff()\n"
     "d = plot_and_fit(res.resid)", ["derive_feature", "evaluate"]),
    ("r = res.resid", ["evaluate"]),
])
def test_a_function_that_returns_only_its_axes_draws(cell: str, ops: list[str]) -> None:
    assert ops_after(FITTED_OLS, cell) == ops


def test_a_cell_ending_in_a_dangling_continuation_parses_as_it_ran() -> None:
    # df.groupby(...).size().unstack()\ as a cell's last line ran on the Pythons of its day: its steps are read
    cell = "t = df.groupby(['city', 'zip']).size().unstack().fillna(0)\\"
    assert ops_after(FRAME, cell) == ["aggregate", "reshape", "impute_missing"]
    assert ops_after(FRAME, cell + "\n\n") == ["aggregate", "reshape", "impute_missing"]


def test_a_dangling_continuation_is_dropped_without_moving_lines() -> None:
    from trackit_sidecar.lineage.magics import strip_magics
    assert strip_magics("a = 1\nb = (a +\n     2)\\\n") == "a = 1\nb = (a +\n     2)\n"
    assert strip_magics("a = 1\nb = 'x\\\\'") == "a = 1\nb = 'x\\\\'"  # a string's escaped backslash stays


@pytest.mark.parametrize("cell, ops", [
    # an attribute only a fitted estimator has, read from an object handed in, evaluates (CONVENTIONS 27: reading
    # best_score_ / oob_score_), printed inside a message too (CONVENTIONS 7)
    ("def print_search_info(search):\n    print('best:', f'{search.best_score_:.3f}')\n", ["evaluate"]),
    ("def report(forest):\n    return forest.oob_score_\n", ["evaluate"]),
    # controls: a column of data read by attribute is no step; a fitted model's parameters are none (CONVENTIONS 27)
    ("def report(forest):\n    print(forest.coef_)\n", []),
    ("print(df.best_score_)", []),
])
def test_an_attribute_only_a_fitted_estimator_has_evaluates(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # each group reduced by a function to its distinct values (or a number) is one result per group: an aggregate,
    # shown too (CONVENTIONS 6, 22); the text work inside the function only computes it
    ("df.groupby('city')['zip'].apply(lambda x: x.str[:2].unique())", ["aggregate"]),
    ("g = df.groupby('city')\nfirst_digits = g['zip'].apply(lambda x: x.str[:1].nunique())", ["aggregate"]),
    # control: a function that cleans each value keeps a value per row (CONVENTIONS 22), a text_clean
    ("df['zip2'] = df.groupby('city')['zip'].apply(lambda x: x.str.strip())", ["text_clean"]),
])
def test_groups_reduced_by_a_function_aggregate(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops
