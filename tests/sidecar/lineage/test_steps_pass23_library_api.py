"""Twenty-third pass (acc44): the libraries' whole public API in the op tables, decided by the definition.

The tables were grown one notebook at a time, so a method no labelled notebook used gave no step at all.
`bench/kb_coverage.py` lists every public name of pandas, NumPy, polars, scikit-learn and scipy.stats that no table
decides; each was given the op the definition names (or declared deliberately not a step). These rows check a sample
of the new entries, assigned, in place and shown as a new table, and the controls: the same names shown as an answer,
used as a mask, drawn, reduced to a number, or on something that is not a frame.
"""

from __future__ import annotations

from functools import partial

import pytest

from .after_setup import ops_after

SETUP = (
    "import pandas as pd\nimport numpy as np\nimport polars as pl\nimport scipy.stats as ss\n"
    "import matplotlib.pyplot as plt\n"
    "from sklearn.preprocessing import maxabs_scale, quantile_transform\n"
    "from sklearn.metrics.pairwise import euclidean_distances\n"
    "df = pd.read_csv('people.csv')\ncorrections = pd.read_csv('corrections.csv')\n"
    "records = pd.read_json('r.json').to_dict('records')\n"
    "X = np.loadtxt('x.txt')\ny = np.loadtxt('y.txt')\npf = pl.read_csv('a.csv')\n"
)


ops_of = partial(ops_after, SETUP)


@pytest.mark.parametrize("cell, ops", [
    # pandas frame / series methods (CONVENTIONS 22: running totals derive; arithmetic creates values)
    ("low = df.price.cummin()", ["derive_feature"]),
    ("dist = (df.x - df.x.mean()).abs()", ["derive_feature"]),
    # the index restructured, no value computed (CONVENTIONS 14: as set_index, `other`)
    ("flat = df.droplevel(0, axis=1)", ["other"]),
    ("wide = df.swaplevel(0, 1, axis=1)", ["other"]),
    ("daily = df.asfreq('D')", ["other"]),
    # rows by a level's label, or one group's rows (CONVENTIONS 30: filter_rows)
    ("year_rows = df.xs('2020', level='year')", ["filter_rows"]),
    ("group_x = df.groupby('k').get_group('x')", ["filter_rows"]),
    # a frame of records, as pd.DataFrame: written in the code it is data made in code (load); of records held already
    # it is a container conversion (CONVENTIONS 12: `other` as a whole assigned right-hand side)
    ("flat = pd.json_normalize([{'a': 1, 'b': {'c': 2}}])", ["load"]),
    ("flat = pd.json_normalize(records)", ["other"]),
    # date parts assigned to a name (CONVENTIONS 21: "Extracting date parts is derive_feature")
    ("years = df.date.dt.year", ["derive_feature"]),
    ("month = df['date'].dt.month", ["derive_feature"]),
    ("dow = df.date.dt.dayofweek", ["derive_feature"]),
    ("durations = (df.end - df.start).dt.days", ["derive_feature"]),
    # text padded, cut or joined (what-is-a-step.md: str.split, str.strip ...: text_clean)
    ("df['code'] = df.code.str.rjust(5, '0')", ["text_clean"]),
    ("df['first'] = df.name.str.partition(' ')[0]", ["text_clean"]),
    ("df['tags'] = df.tags.str.join(',')", ["text_clean"]),
    # NumPy ufuncs and array functions of data (arithmetic creating values: derive_feature; layouts: reshape;
    # reversed: sort, CONVENTIONS 30 `[::-1]`; counts per value: aggregate, CONVENTIONS 10)
    ("X_sq = np.square(X)", ["derive_feature"]),
    ("X_lag = np.roll(X, 1, axis=0)", ["derive_feature"]),
    ("X_pad = np.pad(X, ((0, 0), (1, 1)))", ["reshape"]),
    ("X_rev = np.flip(X, axis=0)", ["sort"]),
    ("counts = np.bincount(y)", ["aggregate"]),
    # scipy.stats: ranks derive, trimmed tails are outliers (CONVENTIONS 29), resampling tests evaluate (27)
    ("ranks = ss.rankdata(df.score)", ["derive_feature"]),
    ("trimmed = ss.trimboth(df.price, 0.05)", ["outlier_remove"]),
    ("ci = ss.bootstrap((df.x,), np.mean)", ["evaluate"]),
    # polars frames
    ("p2 = pf.reverse()", ["sort"]),
    ("p2 = pf.limit(10)", ["filter_rows"]),
    ("row_total = pf.sum_horizontal()", ["derive_feature"]),
    # scikit-learn's function forms of the scalers (CONVENTIONS 23) and distance matrices
    ("X_ma = maxabs_scale(X)", ["scale_normalize"]),
    ("X_q = quantile_transform(X)", ["scale_normalize"]),
    ("D = euclidean_distances(X)", ["derive_feature"]),
    # statsmodels' documented tests and filters (CONVENTIONS 27: tests evaluate; a trend / cycle split derives, as
    # seasonal_decompose)
    ("from statsmodels.stats.multitest import fdrcorrection\nrej, p_adj = fdrcorrection(df.p)", ["evaluate"]),
    ("import statsmodels.api as sm\ncycle, trend = sm.tsa.filters.hpfilter(df.gdp, 1600)", ["derive_feature"]),
    ("from statsmodels.stats.proportion import proportion_confint\nlo, hi = proportion_confint(df.k.sum(), len(df))",
     ["evaluate"]),
    # a cross-decomposition projects X onto components, as PCA (CONVENTIONS 25)
    ("from sklearn.cross_decomposition import CCA\ncca = CCA(n_components=2)\nXc = cca.fit_transform(X, y)",
     ["derive_feature"]),
])
def test_library_api_names_take_the_definitions_op(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # the same names shown: a date part, a running maximum, one group's rows are looked at, not a new table (def:
    # "Results shown but not assigned"; CONVENTIONS 6)
    ("df.date.dt.year", []),
    ("df.sales.cummax()", []),
    ("print(np.square(X))", []),
    ("print('counts:', np.bincount(y))", []),
    ("from scipy.stats import norm\n(mu, sigma) = norm.fit(df.price)", []),
    ("df.groupby('k').get_group('x')", []),
    # drawn (CONVENTIONS 8)
    ("plt.plot(np.square(X))", []),
    # a mask or a filter built from a date part: the mask is no step, the filter is the step (CONVENTIONS 15)
    ("mask = df.date.dt.year == 2020", []),
    ("recent = df[df.date.dt.year >= 2020]", ["filter_rows"]),
    ("by_year = df.groupby(df.date.dt.year).sales.sum()", ["aggregate"]),
    # reduced to one number (CONVENTIONS 9)
    ("m = (df.y - df.p).abs().mean()", []),
    ("total = np.square(X).sum()", []),
    # a predicate over text builds a mask (no step)
    ("upper = df.name.str.isupper()", []),
    # a dict's update; tf.data's take; trigonometry (formulas: test_steps_pass16_precision "formulas")
    ("params = dict(zip(df.a, df.b))\nparams.update({'x': 1})", []),
    ("for batch in df.take([0]):\n    print(batch)", []),
    ("X_cos = np.cos(X)", []),
    # deliberately not steps: comparisons, iteration, positions, rounding for display, class weights (parameters)
    ("df.compare(corrections)", []),
    ("rows = list(df.iterrows())", []),
    ("idx = np.argsort(X[:, 0])", []),
    ("df2 = df.round(2)", []),
    ("from sklearn.utils.class_weight import compute_class_weight\n"
     "w = compute_class_weight('balanced', classes=np.unique(y), y=y)", []),
    # a column assignment keeps the op it had (CONVENTIONS 19)
    ("df['hour'] = df.ts.dt.hour", ["derive_feature"]),
    ("df['peak'] = df.sales.cummax()", ["derive_feature"]),
])
def test_controls_of_the_new_entries(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # a design matrix from one variable and its functions is one derive_feature (CONVENTIONS 13: "building a design
    # matrix from a variable and its powers"): a function of the variable inside it is part of it (base20 counted
    # np.exp(x) beside it as a second step)
    ("x = np.linspace(0, 20, 50)\nX1 = np.column_stack((x, np.exp(x), (x - 5) ** 2, np.ones(50)))",
     ["load", "derive_feature"]),
    ("X2 = np.c_[X, np.exp(X)]", ["derive_feature"]),
    # controls: a column rescaled inside the stack stays its own step (CONVENTIONS 23); two columns side by side concat
    ("X3 = np.column_stack((df.a, np.log(df.b)))", ["scale_normalize", "derive_feature"]),
    ("X4 = np.c_[df.a, df.b]", ["concat"]),
])
def test_functions_of_the_variable_in_its_design_matrix(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops
