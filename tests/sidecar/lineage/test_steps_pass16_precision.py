"""The sixteenth pass, precision (issue 10): statements read as steps that the definition does not count, and steps
given the wrong op, found in the tuning notebooks (mostly batch 7). Each row is a cell written the way such notebooks
write it and the ops the definition gives it (what-is-a-step.md, tests/corpus/blind/CONVENTIONS.md), after set-up
lines that load what it reads (the set-up's own steps are not counted). Every group has negative controls: the same
shape where it IS a step (a table later fed to a model, saved, or used by a later step) keeps its ops.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport numpy as np\nimport matplotlib.pyplot as plt\ndf = pd.read_csv('measurements.csv')\n"


# CONVENTIONS 4a: "Treat these as black boxes: label the call, not the body. (a) Hand-written models and algorithms".
# A function the cell hands to a fitting routine (scipy's curve_fit / minimize, lmfit's Model) is the model: the fit
# is the step, the formula it computes is not data prepared; nor are the cell's functions only it calls. Controls: a
# helper called on the data keeps its body's steps (CONVENTIONS 1), and so does a piece the cell also calls itself.
MODEL_FUNCTIONS = [
    (PD, "from scipy.optimize import curve_fit\n"
         "def decay(t, a, k, c):\n    r = np.exp(-k * t)\n    return a * r + np.log(c + 1)\n"
         "popt, pcov = curve_fit(decay, df['t'], df['y'])", ["fit_model"]),
    (PD, "import lmfit as lm\n"
         "def brillouin(x, J):\n    J1 = (2 * J + 1) / (2 * J)\n    J2 = 1 / (2 * J)\n"
         "    coth1 = 1 / np.tanh(J1 * x)\n    coth2 = 1 / np.tanh(J2 * x)\n    return J1 * coth1 - J2 * coth2\n"
         "def magnetisation(H, T, n, J):\n    B = np.sqrt(H) * 4 * np.pi\n    return n * J * brillouin(B / T, J)\n"
         "gmodel = lm.Model(func=magnetisation, independent_vars=['H', 'T'])\n"
         "result = gmodel.fit(df['M'], H=df['H'], T=df['T'], n=1.0, J=3.5)", ["fit_model"]),
    (PD, "import scipy.optimize as opt\n"
         "def squared_gap(w, X, y):\n    r = np.log(X @ w) - y\n    return (r ** 2).sum()\n"
         "res = opt.minimize(squared_gap, [0.5, 0.5], args=(df[['a', 'b']].values, df['y'].values))",
     ["fit_model"]),
    # controls
    (PD, "def add_log(d):\n    d['log_y'] = np.log(d['y'])\n    return d\ndf = add_log(df)", ["scale_normalize"]),
    (PD, "from scipy.optimize import curve_fit\n"
         "def shift(x):\n    return np.log(x)\n"
         "def line(x, a, b):\n    return a * shift(x) + b\n"
         "popt, pcov = curve_fit(line, df['t'], df['y'])\n"
         "df['log_t'] = shift(df['t'])", ["scale_normalize", "fit_model"]),
    (PD, "from scipy.optimize import curve_fit\n"
         "def add_log(d):\n    d['log_y'] = np.log(d['y'])\n    return d\n"
         "df = add_log(df)\npopt, pcov = curve_fit(lambda x, a: a * x, df['t'], df['log_y'])",
     ["scale_normalize", "fit_model"]),
]

FIG = PD + "import seaborn as sns\nfig, ax = plt.subplots()\n" \
    "summary = df.groupby('edu')['y'].mean().reset_index(name='rate')\ndummies = pd.get_dummies(df['cat'])\n"

# CONVENTIONS 8: "data made only to draw a figure by filtering, selecting, sampling, value-counting, melting,
# concatenating such subsets" is plot plumbing; what-is-a-step.md: "Plotting, even when the plot call computes something
# internally". A table the cell makes and then only writes columns into and draws (a cumulative share for a curve, a
# flag for the bars' colour), distinct rows only drawn, and totals appended to a list only drawn are computed for the
# figure. Controls: the same table fitted, merged or saved is data; a table made by an aggregation keeps its
# columns (an aggregate only drawn still counts); columns written into data made before the cell stay; a table shown
# with display() is shown, not drawn.
FIGURE_TABLES = [
    (FIG, "tmp = df[['amount', 'y']].sort_values('amount', ascending=False).reset_index(drop=True)\n"
          "tmp['cum_tx'] = np.arange(1, len(tmp) + 1) / len(tmp)\n"
          "tmp['cum_y'] = tmp['y'].cumsum() / tmp['y'].sum()\n"
          "plt.plot(tmp['cum_tx'], tmp['cum_y'])\nplt.show()", []),
    (FIG, "plot_df = summary.copy()\nplot_df['above'] = plot_df['rate'] > 0.25\n"
          "sns.barplot(data=plot_df, x='rate', y='edu', hue='above', ax=ax)\n"
          "for i, rate in enumerate(plot_df['rate']):\n    ax.text(rate + 0.005, i, f'{rate:.1%}')\nplt.show()", []),
    (FIG, "users = df[['id', 'edu', 'spend']].drop_duplicates()\n"
          "users.groupby('edu')['spend'].mean().plot(kind='bar', ax=ax)", []),
    (FIG, "both = pd.concat([df[['n', 'v']], dummies], axis=1)\ntotals = []\n"
          "for c in list(dummies):\n    totals.append(np.dot(both[c], both['n']))\n"
          "ax.bar(list(dummies), totals)", []),
    # controls
    (FIG, "from sklearn.linear_model import LinearRegression\n"
          "tmp = df[['amount', 'y']].sort_values('amount', ascending=False)\n"
          "tmp['cum_y'] = tmp['y'].cumsum() / tmp['y'].sum()\nplt.plot(tmp['amount'], tmp['cum_y'])\n"
          "m = LinearRegression().fit(tmp[['amount']], tmp['cum_y'])",
     ["select_columns", "sort", "derive_feature", "fit_model"]),
    (FIG, "g = df.groupby('k')['v'].mean().reset_index()\ng['pct'] = g['v'] * 100\nplt.bar(g['k'], g['pct'])",
     ["aggregate", "other", "derive_feature"]),
    (FIG, "df['ratio'] = df['a'] / df['b']\nplt.hist(df['ratio'])", ["derive_feature"]),
    (FIG, "from sklearn.metrics import accuracy_score\ncurve = summary.copy()\n"
          "curve['acc'] = [accuracy_score(df['y'], df['p'] > t) for t in curve['rate']]\n"
          "plt.plot(curve['rate'], curve['acc'])", ["evaluate"]),
    (FIG, "from IPython.display import display\n"
          "t = df['k'].value_counts().rename_axis('c').reset_index(name='n')\nt['p'] = t['n'] / t['n'].sum()\n"
          "display(t)", ["aggregate", "rename", "other", "scale_normalize"]),
    (FIG, "users = df[['id', 'edu']].drop_duplicates()\nm = df.merge(users, on='id')",
     ["select_columns", "drop_duplicates", "join"]),
    (FIG, "both = pd.concat([df[['n', 'v']], dummies], axis=1)\ntotals = []\n"
          "for c in list(dummies):\n    totals.append(np.dot(both[c], both['n']))\n"
          "ax.bar(list(dummies), totals)\nboth.to_csv('products.csv')", ["concat"]),
]

LOADED = PD + "import pickle\nX_train = df[['a', 'b']]\nbest = pickle.load(open('model.pkl', 'rb'))\n" \
    "y_pred = best.predict(X_train)\n"

# CONVENTIONS 27: "reading .params, coef_, intercept_, feature_importances_ ..., and tables/Series built only from them"
# are no steps; 15: "model loading" is no step. A model loaded from a file (or taken from where no fit is seen) that
# then predicts is a fitted model, not data: its importances tabled, sorted and cut are its parameters. Controls: data
# loaded the same way stays data, and the model still predicts.
PREDICTING_OBJECTS = [
    (LOADED, "imp = pd.Series(best.feature_importances_, index=X_train.columns)\n"
             "top10 = imp.sort_values(ascending=False).head(10)\nprint(top10)", []),
    (LOADED, "imp = pd.DataFrame({'feature': X_train.columns, 'importance': best.feature_importances_})\n"
             "imp = imp.sort_values('importance', ascending=False)", []),
    # controls
    (LOADED, "y_test_pred = best.predict(df[['a', 'b']].tail(100))", ["predict"]),
    (LOADED, "saved = pickle.load(open('frame.pkl', 'rb'))\nsaved = saved.sort_values('a')", ["sort"]),
    (LOADED, "imp = pd.Series(df['a'].values, index=X_train.index)\ntop = imp.sort_values().head(10)",
     ["other", "sort", "filter_rows"]),
]

# CONVENTIONS 9: "A statistic used as a parameter of another step is part of that step"; what-is-a-step.md, Inspection:
# "`len(...)`, `df[mask].shape[0]`" are answers. The rows counted to divide by are no filter of their own. Controls:
# the rows divided stay filtered, a random draw scaled by a number stays data made, a count alone is no step.
COUNTS_AS_PARAMETERS = [
    (PD, "freq = pd.DataFrame(df.loc[df.churn == 'Y'].contract.value_counts() / len(df.loc[df.churn == 'Y']))",
     ["filter_rows", "aggregate"]),
    (PD, "rate = df[df.y == 1].a.value_counts() / df[df.y == 1].shape[0]", ["filter_rows", "aggregate"]),
    (PD, "ratio = df[df.y == 1]['v'] / df[df.y == 0]['v'].mean()", ["filter_rows"]),
    # controls
    (PD, "df['share'] = df['v'] / len(df[df.v > 0])", ["derive_feature"]),
    (PD, "x = np.linspace(0, 20, 50)\ny = 2 * x + 0.5 * np.random.normal(size=50)", ["load", "load"]),
    (PD, "pos = df[df.y == 1]\nz = pos['v'] / pos['v'].max()", ["filter_rows", "scale_normalize"]),
    (PD, "n_pos = len(df[df.y == 1])", []),
]

CLF = PD + "from sklearn.linear_model import LogisticRegression\n" \
    "from sklearn.metrics import confusion_matrix, ConfusionMatrixDisplay, RocCurveDisplay\n" \
    "m = LogisticRegression().fit(df[['a', 'b']], df['y'])\n"

# CONVENTIONS 8: "Plotting is not a step. This covers anything computed inside a plot call"; 7: evaluate counts
# wherever it appears, "The one exception is inside a plot call". scikit-learn's *Display objects draw a metric: made
# from a confusion matrix already computed, or from the model (from_estimator), they are the figure. Controls: the
# confusion matrix itself, and the prediction it is computed from, still count.
METRIC_DISPLAYS = [
    (CLF, "cm = confusion_matrix(df['y'], df['p'])\n"
          "cmd_obj = ConfusionMatrixDisplay(cm, display_labels=['stay', 'churn'])\n"
          "fig, ax = plt.subplots(figsize=(10, 10))\ncmd_obj.plot(ax=ax)\nplt.show()", ["evaluate"]),
    (CLF, "disp = RocCurveDisplay.from_estimator(m, df[['a', 'b']], df['y'])", []),
    # controls
    (CLF, "y_pred = m.predict(df[['a', 'b']])\ncm = confusion_matrix(df['y'], y_pred)\n"
          "ConfusionMatrixDisplay(cm).plot()", ["predict", "evaluate"]),
]

PL = "import polars as pl\n"

# CONVENTIONS 15: "Not steps: exports (to_csv, to_sql, joblib.dump)". polars writes files with write_* and, from a lazy
# query, sink_*: the file written is no step (the read before it is a load). Controls: the read, and a filter of the
# lazy query, stay.
POLARS_EXPORTS = [
    (PL, "data = pl.scan_csv('accidents.csv').sink_parquet('accidents.parquet')\n"
         "data = pl.scan_parquet('accidents.parquet').collect()", ["load", "load"]),
    (PL, "df = pl.read_csv('a.csv')\ndf.write_parquet('a.parquet')\ndf.write_csv('b.csv')", ["load"]),
    # controls
    (PL, "q = pl.scan_csv('a.csv').filter(pl.col('x') > 0).collect()", ["load", "filter_rows"]),
]

XY = PD + "x = df['a'].values\ny = df['b'].values\n"

# CONVENTIONS 9: "A single number (sum, mean, std, quantile, count, ratio, VaR) is not a step, even when assigned"; 22:
# "an assigned corr()" is aggregate. One coefficient picked out of a pairwise matrix by two positions is a number.
# Controls: the matrix itself, and one row of it, stay an aggregate.
ONE_COEFFICIENT = [
    (XY, "def corr_func(x, y, **kwargs):\n    r = np.corrcoef(x, y)[0][1]\n    ax = plt.gca()\n"
         "    ax.annotate('r = {:.2f}'.format(r), xy=(.2, .8), xycoords=ax.transAxes)", []),
    (XY, "r = np.corrcoef(x, y)[0, 1]", []),
    (XY, "c = np.cov(x, y)[0][1]", []),
    # controls
    (XY, "cm = np.corrcoef(x, y)", ["aggregate"]),
    (XY, "c = np.cov(df[['a', 'b']].values.T)", ["aggregate"]),
    (XY, "first = np.corrcoef(x, y)[0]", ["aggregate"]),
]

# what-is-a-step.md: "A *step* is one data-transforming statement"; "arithmetic that creates a column: derive_feature".
# A formula that combines several transformed terms (logs, roots, angles) is one calculation: the NumPy functions
# inside it are its parts, not steps of their own; assigned it is one derive_feature, returned from a function of
# numbers it is no step, as plain arithmetic returned is none. Controls: one transform of a variable keeps its op
# (CONVENTIONS 23: np.log applied to a feature is scale_normalize), and so does one function inside arithmetic.
FORMULAS = [
    (PD, "def demag_factor(a, b, c):\n    return (1/np.pi)*(((b**2 - c**2)*np.log((np.sqrt(a**2 + b**2 + c**2) - a)/"
         "(np.sqrt(a**2 + b**2 + c**2) + a)))/(2*b*c) + 2*np.arctan((a*b)/(c*np.sqrt(a**2 + b**2 + c**2))))", []),
    (PD, "df['bmi_log'] = np.log(df['w']) - 2 * np.log(df['h'])", ["derive_feature"]),
    (PD, "a = np.sin(df.dlat / 2) ** 2 + np.cos(df.lat1) * np.cos(df.lat2) * np.sin(df.dlon / 2) ** 2",
     ["derive_feature"]),
    # controls
    (PD, "df['log_a'] = np.log(df['a'])", ["scale_normalize"]),
    (PD, "df['l'] = np.log(df['a']) * 2", ["scale_normalize"]),
    (PD, "X = df[['a', 'b', 'c']].values\ny = 0.5 + np.dot(X, [1.5, -2., 1.])", ["select_columns", "derive_feature"]),
]

# what-is-a-step.md, Inspection: "a loop that prints groups" is no step. Narrowed on its way to print (`sub =
# sub[cols]` in the loop) the group is still only printed. Controls: groups kept in a list for later, or narrowed and
# fitted, are data.
LOOPS_THAT_PRINT = [
    (PD, "for num in ['11', '12', '13']:\n    sub = df.query('act == \"{}\"'.format(num))\n"
         "    sub = sub[['pos', 'd']]\n    print(num)\n    print(sub.head(2))\n"
         "    print('Ratio:', sub['d'].iloc[1] / sub['d'].iloc[0])", []),
    # controls
    (PD, "parts = []\nfor num in ['11', '12', '13']:\n    sub = df.query('act == \"{}\"'.format(num))\n"
         "    sub = sub[['pos', 'd']]\n    print(sub.head(2))\n    parts.append(sub)",
     ["filter_rows", "select_columns"]),
    (PD, "for k in ['a', 'b']:\n    sub = df[df.k == k]\n    print(sub.head())", []),
]

PIPE = PD + "from sklearn.pipeline import Pipeline\nfrom sklearn.compose import ColumnTransformer\n" \
    "from sklearn.preprocessing import OneHotEncoder, StandardScaler\nfrom sklearn.linear_model import LogisticRegression\n" \
    "def build_preprocessor(num, cat):\n" \
    "    return ColumnTransformer([('num', StandardScaler(), num), ('cat', OneHotEncoder(), cat)])\n" \
    "preprocessor = build_preprocessor(['a'], ['c'])\n"

# CONVENTIONS 15: constructors of models, pipelines and searches are no steps; 18: column selection is of data. A part
# of a pipeline or column transformer picked by name (`named_transformers_["cat"]`, `named_steps["model"]`) is an
# estimator, not columns. Controls: columns of data picked by the same name are selected.
PIPELINE_PARTS = [
    (PIPE, "cat_encoder = preprocessor.named_transformers_['cat']\n"
           "cat_names = cat_encoder.get_feature_names_out(['c'])", []),
    (PIPE, "pipe = Pipeline([('pre', preprocessor), ('model', LogisticRegression())])\n"
           "model_step = pipe.named_steps['model']", []),
    # controls
    (PIPE, "cat = df['cat']", ["select_columns"]),
    (PIPE, "steps = df[['steps', 'model']]", ["select_columns"]),
]

FITTED = PD + "from sklearn.naive_bayes import MultinomialNB\nfrom sklearn.linear_model import LogisticRegression\n" \
    "from sklearn.cluster import KMeans\nnb = MultinomialNB()\nnb.fit(df[['a', 'b']], df['y'])\n" \
    "lr = LogisticRegression().fit(df[['a', 'b']], df['y'])\nkm = KMeans(3).fit(df[['a', 'b']])\n"

# CONVENTIONS 27: "reading .params, coef_, intercept_, feature_importances_, scalings_ or scaler means, and tables/
# Series built only from them" are NOT steps. Part of the parameters picked by position (`coef_[0, :]`) is still a
# parameter read, not rows of data; so are what other estimators learn (naive Bayes counts, cluster centres,
# components). Controls: rows of data picked the same way, and a prediction, stay.
PARAMETER_READS = [
    (FITTED, "one_star_token_count = nb.feature_count_[0, :]\nfive_star_token_count = nb.feature_count_[1, :]", []),
    (FITTED, "w = lr.coef_[0, :]", []),
    (FITTED, "centres = km.cluster_centers_[:, 0]", []),
    # controls
    (FITTED, "X = df[['a', 'b']].values\nfirst = X[0, :]", ["select_columns", "filter_rows"]),
    (FITTED, "labels = km.predict(df[['a', 'b']])", ["predict"]),
]

# CONVENTIONS 8: data made only to draw a figure is plot plumbing; 11-12: a plain alias or conversion assigned to a new
# name is `other`. A name made only to hand a figure its data (`plot_df = amro_df`, then only sns.relplot(data=
# plot_df)) is plumbing. Controls: an alias columns are written into, or one fitted on, is kept data.
ALIASES_ONLY_DRAWN = [
    (FIG, "x_label = 'B (G)'\nplot_df = df\n"
          "sns.relplot(x=x_label, y='m', hue='T', kind='line', data=plot_df)\nplt.show()", []),
    (FIG, "X_plot = df[['a', 'b']].values\nplt.scatter(X_plot[:, 0], X_plot[:, 1])", []),
    # controls
    (FIG, "b_df = df\nb_df['B'] = b_df['H'] + 4 * np.pi * b_df['M']\nsns.scatterplot(x='B', y='r', data=b_df)",
     ["other", "derive_feature"]),
    (FIG, "from sklearn.linear_model import LinearRegression\nplot_df = df\n"
          "sns.scatterplot(x='a', y='y', data=plot_df)\nm = LinearRegression().fit(plot_df[['a']], plot_df['y'])",
     ["other", "fit_model"]),
]

LISTS = PD + "rates = df.groupby('occupation')['y'].mean().reset_index(name='positive_rate')\nbaseline = 0.24\n"

# what-is-a-step.md, Inspection: "These produce an answer to a question, not data that the analysis goes on with";
# CONVENTIONS 15: lists of names, "also when computed", are no step. Values of rows and a column picked out of a table
# and made a Python list (`.tolist()`) are labels to loop over or name. Controls: values changed on the way (cleaned
# text) and a prediction made a list stay steps; a whole column made a list stays the column picked.
LISTS_OF_LABELS = [
    (LISTS, "top3 = rates.head(3)['occupation'].tolist()\ntop3", []),
    (LISTS, "above = rates[rates['positive_rate'] > baseline][\n    'occupation'\n].tolist()\n"
            "for cat in above:\n    print(cat)", []),
    (LISTS, "order = rates.sort_values('positive_rate')['occupation'].tolist()", []),
    # controls
    (LISTS, "texts = df['review'].str.lower().tolist()", ["text_clean"]),
    (LISTS, "from sklearn.linear_model import LogisticRegression\n"
            "m = LogisticRegression().fit(df[['a']], df['y'])\npreds = m.predict(df[['a']]).tolist()",
     ["fit_model", "predict"]),
    (LISTS, "y = df['target'].tolist()", ["select_columns"]),
]

OTHER = PD + "other = pd.read_csv('other.csv')\n"

# CONVENTIONS 14: "`reset_index(drop=True)`, which only renumbers rows, is not a step". Numbering a table's rows again
# by assigning its index positions 0..n-1 is the same. Controls: an index taken from another table's size, or
# numbered from 1, names rows (rename, CONVENTIONS 30).
ROWS_RENUMBERED = [
    (OTHER, "df.index = range(len(df.index))\ndf.drop('No', axis=1, inplace=True)", ["drop_columns"]),
    (OTHER, "df.index = np.arange(df.shape[0])", []),
    # controls
    (OTHER, "df.index = range(len(other))", ["rename"]),
    (OTHER, "df.index = range(1, len(df) + 1)", ["rename"]),
]

MODELS = PD + "from sklearn.linear_model import LinearRegression, Ridge\n" \
    "models = {'linear': {'model': LinearRegression(), 'grid': {}}, 'ridge': {'model': Ridge(), 'grid': {'alpha': [1]}}}\n"

# CONVENTIONS 18: column selection picks columns of a table. An entry of a dict the notebook wrote, looked up by key
# (`models["ridge"]["model"]`), is that entry, not a column selected. Controls: a table's column picked by the same
# key, and a model taken from the dict and fitted, stay.
DICT_ENTRIES = [
    (MODELS, "model = models['ridge']['model']", []),
    (MODELS, "grid = models['ridge']['grid']\nspec = models['linear']", []),
    # controls
    (MODELS, "m = df['model']", ["select_columns"]),
    (MODELS, "model = models['ridge']['model']\nmodel.fit(df[['a']], df['y'])", ["fit_model"]),
]

SCORED = PD + "from sklearn.metrics import r2_score, mean_squared_error\n" \
    "r2_a = r2_score(df['y'], df['p1'])\nr2_b = r2_score(df['y'], df['p2'])\n" \
    "mse_a = mean_squared_error(df['y'], df['p1'])\nmse_b = mean_squared_error(df['y'], df['p2'])\n"

# CONVENTIONS 27: "assigned summary_frame() / results tables" are evaluate. Results written into an empty table column
# by column (the models' names, then their scores) make one results table: one evaluate, not one derived column per
# list. Control: an empty table filled with data columns keeps a step per column.
RESULTS_TABLES = [
    (SCORED, "res_df = pd.DataFrame()\nres_df['Model'] = ['Basic reg', 'Flexible reg']\n"
             "res_df['R2'] = [r2_a, r2_b]\nres_df['MSE'] = [mse_a, mse_b]\nres_df.head()", ["evaluate"]),
    (SCORED, "res2 = pd.DataFrame()\nres2['Model'] = ['a', 'b']\nres2['$MSE_{test}$'] = [mse_a, mse_b]\n"
             "res2['$R^2_{test}$'] = [r2_a, r2_b]", ["evaluate"]),
    # controls
    (SCORED, "out = pd.DataFrame()\nout['a2'] = df['a'] * 2\nout['b2'] = df['b'] * 2", ["derive_feature", "derive_feature"]),
]


def _cases(*tables: tuple) -> list:
    return [pytest.param(setup, cell, expected, id=f"{name}:{i}:{cell.splitlines()[-1][:50]}")
            for name, table in tables for i, (setup, cell, expected) in enumerate(table)]


@pytest.mark.parametrize("setup, cell, expected", _cases(
    ("model_functions", MODEL_FUNCTIONS),
    ("figure_tables", FIGURE_TABLES),
    ("predicting_objects", PREDICTING_OBJECTS),
    ("counts_as_parameters", COUNTS_AS_PARAMETERS),
    ("metric_displays", METRIC_DISPLAYS),
    ("polars_exports", POLARS_EXPORTS),
    ("one_coefficient", ONE_COEFFICIENT),
    ("formulas", FORMULAS),
    ("loops_that_print", LOOPS_THAT_PRINT),
    ("pipeline_parts", PIPELINE_PARTS),
    ("parameter_reads", PARAMETER_READS),
    ("aliases_only_drawn", ALIASES_ONLY_DRAWN),
    ("lists_of_labels", LISTS_OF_LABELS),
    ("rows_renumbered", ROWS_RENUMBERED),
    ("dict_entries", DICT_ENTRIES),
    ("results_tables", RESULTS_TABLES),
))
def test_spurious_steps_and_wrong_ops_take_the_definitions_ops(setup: str, cell: str, expected: list[str]) -> None:
    # multisets: the order of steps within a statement is not part of the definition
    assert sorted(ops_after(setup, cell)) == sorted(expected)
