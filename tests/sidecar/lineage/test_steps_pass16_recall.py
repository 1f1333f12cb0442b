"""The sixteenth pass (issue 10), recall: steps the classifier missed on the tuning notebooks (labelled X, predicted
none), grouped by cause, largest generic cause first. Each row is a cell written the way such notebooks write it and
the ops the definition gives it (what-is-a-step.md, tests/corpus/blind/CONVENTIONS.md), after set-up lines that make
what it reads (the set-up's own steps are not counted). Every group has controls: cells that look alike and keep
their ops.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('churn.csv')\n"
FITTED = PD + "from sklearn.model_selection import train_test_split\nfrom sklearn.linear_model import LogisticRegression\n" \
    "X_train, X_test, y_train, y_test = train_test_split(df[['a', 'b']], df['y'])\n" \
    "m = LogisticRegression().fit(X_train, y_train)\ny_test_prob = m.predict_proba(X_test)[:, 1]\n"
STAR = "from utils import *\n" + FITTED


# CONVENTIONS 4b ("helpers imported from outside the notebook": black boxes, the call is the step) with 27 ("metric
# calls, ... CV results, ... results tables" are evaluate): an imported helper handed a model's predictions beside the
# true values scores them, whatever it is called (`thr_for_precision(y_test, y_prob)`); one handed scores already
# computed tables them (`append_results("Baseline", results)`). Controls: a helper named for drawing or printing, a
# statistic of the scores, a helper handed predictions alone or data alone, and the notebook's own function (its body
# is labelled where written, CONVENTIONS 1).
IMPORTED_SCORERS = [
    (STAR, "res = thr_for_precision(y_test, y_test_prob, target_prec=0.9)\nprint(res)", ["evaluate"]),
    (STAR, "df_sweep = sweep_thresholds(y_test, y_test_prob)\nprint(df_sweep.head())", ["evaluate"]),
    (STAR, "gains = gain_table(y_true=y_test, y_score=y_test_prob)", ["evaluate"]),
    (FITTED + "from metrics_utils import threshold_table\n", "t = threshold_table(y_test, y_test_prob)", ["evaluate"]),
    (FITTED + "from sklearn.metrics import accuracy_score\nfrom evaluate import append_results\n"
              "results = {'accuracy': accuracy_score(y_test, m.predict(X_test))}\n",
     "eval_df = append_results('Baseline', results)\neval_df", ["evaluate"]),
    # controls
    (STAR, "plot_roc(y_test, y_test_prob)", []),
    (STAR + "from sklearn.metrics import accuracy_score\nresults = {'acc': accuracy_score(y_test, m.predict(X_test))}\n",
     "print_scores(results)", []),
    (FITTED + "from statistics import mean\nfrom sklearn.model_selection import cross_val_score\n"
              "scores = cross_val_score(m, X_train, y_train)\n", "avg = mean(scores)", []),
    (STAR, "p = clip_probs(y_test_prob)", []),
    (STAR, "clean = tidy_frame(df)", []),
    (FITTED, "def side_by_side(y, p):\n    return list(zip(y, p))\npairs = side_by_side(y_test, y_test_prob)", []),
]


DB = "import sqlalchemy as sql\nimport load_properties\nimport load_gis\n" \
    "engine = sql.create_engine('postgresql+psycopg2://u:p@localhost:5432/risk')\nconn = engine.connect()\n"
OWN = "from heart_disease.data import Data\nfilename = 'data/heart.csv'\n"

# CONVENTIONS 4b (helpers imported from outside the notebook are black boxes, the call is the step) with the
# definition's "Sources are steps": "reading a file, table, URL or database" is a `load`. An object of the project's
# own class built from a data file (handed by a variable bound to a data file's path, or named for a file) or from a
# database connection reads the data where it is built; its own methods stay its own. Controls: the standard
# library's and the database library's classes only point at the source, a model file is no data (CONVENTIONS 15),
# and an own class built from settings is no step.
OWN_CLASSES_BUILT_FROM_SOURCES = [
    (OWN, "data = Data(filename)\nprint(data)", ["load"]),
    (OWN, "data = Data(filename=filename)", ["load"]),
    (PD + "from survey.io import Responses\n", "path = 'raw/responses_2021.xlsx'\nr = Responses(path)", ["load"]),
    (DB, "properties = load_properties.Properties(sql_engine=engine, sql_conn=conn)", ["load"]),
    (DB, "wf_gis = load_gis.GISData(engine, conn)", ["load"]),
    (OWN + "data = Data(filename)\n",
     "(X_train, y_train), (X_test, y_test) = data.train_test_split(test_size=0.2)",
     ["split", "split", "split", "split"]),
    # controls
    (OWN + "from pathlib import Path\n", "p = Path(filename)", []),
    (PD + "from survey.io import Responses\n", "path = 'models/best_model.h5'\nr = Responses(path)", []),
    (PD + "from keras.callbacks import ModelCheckpoint\n", "cb = ModelCheckpoint('best_model.h5')", []),
    (DB + "from sqlalchemy import MetaData\n", "meta = MetaData(bind=engine)", []),
    (OWN + "from heart_disease.models import Trainer\n", "t = Trainer(n_layers=3, lr=0.01)", []),
]

XY = PD + "x = df['field']\ny = df['resistance']\n"

# what-is-a-step.md: "`model.fit`, ..., statsmodels `.fit()`: fit_model" and CONVENTIONS 26-27 (predictions;
# "residuals" evaluate): numpy.polynomial's series in the Chebyshev, Legendre, Hermite and Laguerre bases are fitted
# and evaluated as np.polyfit / np.polyval are: `chebfit(x, y, deg)` fits the coefficients, `chebval(x, c)` gives the
# fitted series' values, and data minus them is a residual (also np.polyval's made in the expression); arithmetic on
# the fitted values alone stays a prediction. Controls: the coefficients only read are no step, data minus its own
# mean stays a centring.
POLYNOMIAL_SERIES = [
    (XY + "from numpy.polynomial.chebyshev import chebfit, chebval\n", "coeffs = chebfit(x, y, deg=15)",
     ["fit_model"]),
    (XY + "from numpy.polynomial.chebyshev import chebfit, chebval\ncoeffs = chebfit(x, y, deg=15)\n",
     "residuals = 100.0 * (chebval(x, coeffs) - y) / y", ["predict", "evaluate"]),
    (XY, "c = np.polynomial.legendre.legfit(x, y, 4)\nfitted = np.polynomial.legendre.legval(x, c)",
     ["fit_model", "predict"]),
    (XY + "from numpy.polynomial import hermite\n", "h = hermite.hermfit(x, y, 3)", ["fit_model"]),
    # np.polyval's values made in the expression are predictions too (a residual)
    (XY, "p = np.polyfit(x, y, 2)\nr = np.polyval(p, x) - y", ["fit_model", "predict", "evaluate"]),
    (XY + "from numpy.polynomial.chebyshev import chebfit, chebval\ncoeffs = chebfit(x, y, deg=15)\n",
     "smooth = chebval(x, coeffs) * 2", ["predict"]),
    # controls
    (XY + "from numpy.polynomial.chebyshev import chebfit, chebval\ncoeffs = chebfit(x, y, deg=15)\n",
     "print(coeffs[0])", []),
    (XY, "p = np.polyfit(x, y, 2)\nr = y - np.mean(y)", ["fit_model", "scale_normalize"]),
]

PL = "import polars as pl\nratings = pl.read_csv('ratings.csv')\n"

# A cell written for Python 3.12 (PEP 701: an f-string may reuse its quotes inside a field) does not parse on an
# older Python, and a cell that does not parse had no steps at all: the aggregate, filters and sorts before a
# `print(f'...{top10['avg_rating'].mean()}')` were lost (what-is-a-step.md: the steps are the statements). Only the
# line that does not parse is set aside. Controls: a cell with another syntax error still has no steps (CONVENTIONS 5
# reads no data from broken code), and an f-string this Python reads changes nothing.
NEWER_FSTRINGS = [
    (PL, "movie_rating = ratings.group_by('movieId').agg(pl.len().alias('count'),\n"
         "    pl.col('rating').mean().alias('avg_rating')).filter(pl.col('count') >= 5)\n"
         "top10 = movie_rating.sort('count', descending=True).head(10)\n"
         "print(f'Top 10 average: {top10['avg_rating'].mean()}')",
     ["aggregate", "filter_rows", "sort", "filter_rows"]),
    (PL, "for k in [5, 10]:\n    top = ratings.sort('rating', descending=True).head(k)\n"
         "    print(f'top {k}: {top['rating'].mean()}')", ["sort", "filter_rows"]),
    # controls
    (PL, "top10 = ratings.sort('count', descending=True).head(10)\nprint(top10[", []),
    (PL, "top10 = ratings.sort('count', descending=True).head(10)\nprint(f\"Top: {top10['rating'].mean()}\")",
     ["sort", "filter_rows"]),
]

OWN_MODEL = FITTED + "from heart_disease.models import Models\nmodel = Models.KNN.model\nmodel.train(X_train, y_train)\n"

# CONVENTIONS 4a/4b with 27 ("metric calls" evaluate): a method of the project's own model object, or a function the
# notebook does not define, named for metrics (`model.metrics(X_test, y_test)`, `compute_metrics(...)`) computes them,
# as one named for a score or an accuracy already does (kb.models.ALGORITHM_NAME_OPS). Controls: the method given
# no data, and the list of metric names read, are no step.
NAMED_FOR_METRICS = [
    (OWN_MODEL, "cm = model.metrics(X_test, y_test)", ["evaluate"]),
    (OWN_MODEL, "res = model.compute_metrics(X_test, y_test)", ["evaluate"]),
    # controls
    (OWN_MODEL, "names = model.metrics()", []),
    (OWN_MODEL, "print(model.metrics_names)", []),
]

WRAP = STAR + "from sklearn.ensemble import GradientBoostingClassifier\nfeatures = ['a', 'b']\ntrain = df\n"
FILLED = WRAP + "models = {}\nfor k in range(3):\n    models[k] = Model(GradientBoostingClassifier(), train, features, 'y')\n"
FITS = FITTED + "fits = {}\nfits['lr'] = LogisticRegression().fit(X_train, y_train)\n"

# what-is-a-step.md ("`model.fit` ...: fit_model") with CONVENTIONS 4b (imported helpers are black boxes, the call is
# the step) and 7 (predictions and evaluations count wherever they are written): the project's own model class built
# from an estimator and the training data fits it there (`Model(GradientBoostingClassifier(), train, features, "y")`),
# also when the result is put into a dict (`models[k] = ...`, `fits["lr"] = lr.fit(X, y)`); a model taken out of that
# dict (`models[104].make_predictions(X)`) is a fitted model. Controls: the class given no data or no estimator, a
# model's constructor put in a dict (CONVENTIONS 15), and a fitted model's coefficients read (27) are no steps.
FITS_KEPT_IN_DICTS = [
    (WRAP, "m = Model(GradientBoostingClassifier(), train, features, 'y')", ["fit_model"]),
    (WRAP, "models = {}\nfor k in range(3):\n"
           "    models[k] = Model(GradientBoostingClassifier(max_depth=k + 2), train, features, 'y')", ["fit_model"]),
    (FITTED, "fits = {}\nfits['lr'] = LogisticRegression().fit(X_train, y_train)", ["fit_model"]),
    (FILLED, "p = models[1].make_predictions(X_test)", ["predict"]),
    (FITS, "acc = fits['lr'].score(X_test, y_test)", ["evaluate"]),
    # controls
    (WRAP, "m = Model(GradientBoostingClassifier(max_depth=3))", []),
    (WRAP, "m = Model(train, features)", []),
    (FITTED, "grid = {}\ngrid['lr'] = LogisticRegression(C=1.0)", []),
    (FITS, "print(fits['lr'].coef_)", []),
]

PROBS = FITTED + "from sklearn.metrics import accuracy_score\ny_val = df['y']\ny_pred = m.predict_proba(df[['a', 'b']])[:, 1]\n"

# CONVENTIONS 26 ("thresholding probabilities [is] predict") and 7 (counted wherever written, also nested in a metric
# call): a loop over thresholds written in the code (`for t in np.linspace(0, 1, 21)`, a name bound to such a grid, a
# list of numbers) takes one number at a time, so `y_pred >= t` thresholds predictions as `y_pred >= 0.5` does.
# Controls: a comparison with a column taken in a loop over column names is no threshold, and a loop over strings
# binds no number.
THRESHOLDS_IN_LOOPS = [
    (PROBS, "thresholds = np.linspace(0, 1, 21)\naccuracies = []\nfor t in thresholds:\n"
            "    acc = accuracy_score(y_val, y_pred >= t)\n    accuracies.append(acc)", ["predict", "evaluate"]),
    (PROBS, "for t in [0.3, 0.5, 0.7]:\n    print(t, accuracy_score(y_val, y_pred >= t))", ["predict", "evaluate"]),
    (PROBS, "for t in np.arange(0.1, 1.0, 0.1):\n    acc = accuracy_score(y_val, y_pred >= t)", ["predict", "evaluate"]),
    # controls
    (PROBS, "for c in ['a', 'b']:\n    acc = accuracy_score(y_val, y_pred >= df[c])", ["evaluate"]),
    (PROBS, "for t in ['low', 'high']:\n    print(t, accuracy_score(y_val, m.predict(X_test)))", ["predict", "evaluate"]),
]

LOADED = PD + "from heart_disease.models import Models\nX_test = df[['a', 'b']]\n"

# CONVENTIONS 15 ("model loading" is no step) with 26 (predictions): a model object whose fitted parameters are read
# in by its own method (`model.load_model()`, `load_weights(path)`, `load_state_dict(...)`) is a fitted model, so
# calling it on data predicts (`result = model(X_test)`), as one fitted by `model.train(X, y)` does. Controls: the
# loading itself is no step, and an object whose data (not a model) is loaded is not called a model.
LOADED_MODELS = [
    (LOADED, "for model in Models.types():\n    model = model()\n    model.load_model()\n"
             "    result = model(X_test)", ["predict"]),
    (LOADED + "import torch\n", "net = Net()\nnet.load_state_dict(torch.load('weights.pt'))\nout = net(X_test)",
     ["predict"]),
    # controls
    (LOADED, "model = Models.KNN.model\nmodel.load_model()", []),
    (LOADED, "store = Store()\nstore.load_data()\nout = store(X_test)", []),
]

ACQUIRE = PD + "from acquire import Acquire\nclass AcquireKepler(Acquire):\n    def source(self):\n        return 1\n" \
    "acquire = AcquireKepler('kepler.csv')\n"

# CONVENTIONS 4b (helpers from outside the notebook are black boxes, the call is the step) with "Sources are steps":
# a method of the project's own object named for reading data (`acquire.get_data(verbose=True)`,
# `loader.read_data("train")`, kb.sources.IMPORTED_LOADER_NAME) reads it, as a helper function so named does; a
# known library function's name (`read_csv`, `load_dataset`) on a name the classifier does not know is that function
# under an alias it cannot read, left as before.
# Controls: a model's or a setting's loader (`load_config`, CONVENTIONS 15) and a pandas frame's own methods are not.
OWN_OBJECT_LOADERS = [
    (ACQUIRE, "kepler = acquire.get_data(verbose=True)\nkepler.info()", ["load"]),
    (ACQUIRE, "train = acquire.read_data('train')", ["load"]),
    # controls
    (ACQUIRE, "titanic = acquire.load_dataset('titanic')", []),  # seaborn's loader's name: an unknown alias of it
    (ACQUIRE, "cfg = acquire.load_config()", []),
    (PD, "first = df.get('a')", []),
]


def _cases(*tables: tuple) -> list:
    return [pytest.param(setup, cell, expected, id=f"{name}:{i}:{cell.splitlines()[-1][:50]}")
            for name, table in tables for i, (setup, cell, expected) in enumerate(table)]


@pytest.mark.parametrize("setup, cell, expected", _cases(
    ("imported_scorers", IMPORTED_SCORERS),
    ("own_classes_built_from_sources", OWN_CLASSES_BUILT_FROM_SOURCES),
    ("polynomial_series", POLYNOMIAL_SERIES),
    ("newer_fstrings", NEWER_FSTRINGS),
    ("named_for_metrics", NAMED_FOR_METRICS),
    ("fits_kept_in_dicts", FITS_KEPT_IN_DICTS),
    ("thresholds_in_loops", THRESHOLDS_IN_LOOPS),
    ("loaded_models", LOADED_MODELS),
    ("own_object_loaders", OWN_OBJECT_LOADERS),
))
def test_missed_steps_take_the_definitions_ops(setup: str, cell: str, expected: list[str]) -> None:
    # multisets: the order of steps within a statement is not part of the definition
    assert sorted(ops_after(setup, cell)) == sorted(expected)


def test_a_cell_for_a_newer_python_is_analysed_not_refused() -> None:
    # the sidecar's own path (analysis.analyze_source: def-use first, then steps), not only the classifier
    from trackit_sidecar.lineage.analysis import analyze_source

    analysis = analyze_source("top10 = ratings.sort('count').head(10)\nprint(f'mean: {top10['rating'].mean()}')")
    assert analysis.analysis_error is None
    assert [step.op for step in analysis.steps] == ["sort", "filter_rows"]
    assert "top10" in analysis.writes
