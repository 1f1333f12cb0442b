"""The twentieth pass (acc38, issue 10): `evaluate` steps the classifier missed, from fresh ML teaching material OUTSIDE
the blind corpus (a deep-learning book's notebooks, a statistics / ML course, model-comparison notebooks, time-series
forecasting books; sources listed in tests/corpus/blind/README.md, "Twentieth pass (acc38 ...)"), read against
what-is-a-step.md and tests/corpus/blind/CONVENTIONS.md. Each row is a cell written the way those sources write it and
the ops the definition gives it, after set-up lines that load what it reads (the set-up's own steps are not counted).
Every group has negative controls: the same shape where the definition gives another op, or no step.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


SK = ("import numpy as np\nimport pandas as pd\nfrom sklearn.model_selection import GridSearchCV, StratifiedKFold\n"
      "from sklearn.linear_model import LogisticRegression\nfrom sklearn.pipeline import Pipeline\n"
      "X_train = pd.read_csv('x_train.csv')\ny_train = X_train.pop('target')\n"
      "X_test = pd.read_csv('x_test.csv')\ny_test = X_test.pop('target')\n")
KERAS = ("import numpy as np\nfrom tensorflow import keras\n"
         "x_test = np.load('x_test.npy')\ny_test = np.load('y_test.npy')\n")


# CONVENTIONS 15: "Not steps: ... model loading"; CONVENTIONS 7: evaluate and predict count wherever they appear;
# CONVENTIONS 26. The Keras book's test cells read the best checkpoint back and score it
# (`test_model = keras.models.load_model("convnet_from_scratch.keras")`, `test_loss, test_acc =
# test_model.evaluate(test_dataset)`, `print(f"Test MAE: {model.evaluate(test_dataset)[1]:.2f}")`; 20 cells of
# fchollet/deep-learning-with-python-notebooks): Keras' `load_*` functions were read as packaged data sets, so the
# model read back was a `load` and its evaluation no step. Controls: Keras' packaged data sets stay loads; a model
# read back by joblib already evaluated.
MODEL_READ_BACK = [
    (KERAS, "test_model = keras.models.load_model('convnet_from_scratch.keras')\n"
            "test_loss, test_acc = test_model.evaluate(x_test, y_test)", ["evaluate"]),
    (KERAS, "model = keras.models.load_model('jena_conv.keras')\n"
            "print(f'Test MAE: {model.evaluate(x_test, y_test)[1]:.2f}')", ["evaluate"]),
    (KERAS, "from tensorflow.keras.models import load_model\nmodel = load_model('best.h5')\n"
            "y_prob = model.predict(x_test)", ["predict"]),
    (KERAS, "model = keras.models.load_model('best.keras')\npreds = model(x_test)", ["predict"]),
    (KERAS, "model = keras.models.load_model('best.keras')", []),
    # a model's build copied (`tf.keras.models.clone_model(model_A)`, the book's transfer-learning cell) is no results
    # table of the model it copies (the sweep's one wrong change of a first version, also wrong on main for a fit)
    (KERAS, "model_A = keras.models.load_model('my_model_A.keras')\n"
            "model_A_clone = keras.models.clone_model(model_A)\nmodel_A_clone.set_weights(model_A.get_weights())", []),
    (KERAS, "model = keras.Sequential([keras.layers.Dense(1)])\nmodel.fit(x_test, y_test)\n"
            "model_copy = keras.models.clone_model(model)", ["fit_model"]),
    # controls
    (KERAS, "(x_train, y_train), (x_val, y_val) = keras.datasets.mnist.load_data()", ["load"]),
    (KERAS, "from tensorflow.keras.datasets import imdb\n(a, b), (c, d) = imdb.load_data(num_words=10000)", ["load"]),
    (KERAS, "import joblib\nclf = joblib.load('clf.pkl')\nacc = clf.score(x_test, y_test)", ["evaluate"]),
    (KERAS, "arr = np.load('more.npy')", ["load"]),
]


@pytest.mark.parametrize("setup,cell,expected", MODEL_READ_BACK)
def test_a_model_read_back_is_no_load_and_evaluates(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 27: "statistical and assumption tests ... CV results" are evaluate. scikit-learn's
# `permutation_test_score` ("Evaluate the significance of a cross-validated score with permutations") returns the
# cross-validated score, the permuted scores and a p-value (`score, perm_scores, pvalue =
# permutation_test_score(clf, X, y, ...)`, 10 of 10 find_string hits so written); it read no step. Controls: its
# siblings already evaluated; the splitter alone is no step (CONVENTIONS 15).
PERMUTATION_TEST = [
    (SK, "from sklearn.model_selection import permutation_test_score\n"
         "score, perm_scores, pvalue = permutation_test_score(LogisticRegression(), X_train, y_train, "
         "scoring='accuracy', n_permutations=100)", ["evaluate"]),
    (SK, "from sklearn.model_selection import permutation_test_score\n"
         "print(permutation_test_score(LogisticRegression(), X_train, y_train, cv=StratifiedKFold(5)))", ["evaluate"]),
    # controls
    (SK, "from sklearn.model_selection import cross_val_score\n"
         "scores = cross_val_score(LogisticRegression(), X_train, y_train)", ["evaluate"]),
    (SK, "cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=1)", []),
]


@pytest.mark.parametrize("setup,cell,expected", PERMUTATION_TEST)
def test_a_permutation_test_of_a_score_evaluates(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# what-is-a-step.md: "reading `best_score_` ... : evaluate". A search taken out of a dict of searches or out of a
# pipeline before its best score is read (the statistics course's nested cross-validation: `gridcvs[name].fit(...)`,
# `print('... %.2f%%' % (gridcvs[name].best_score_ * 100))`; `pipeline.named_steps['regressor'].best_score_`,
# `searches[name].best_score_`, `wrapper.estimators_[0].best_score_`: find_string "].best_score_" 10 of 10 hits
# read a search so) read no step: only a name read directly was taken for a fitted search. Controls: a column
# of a table named so is no metric; the search read directly already evaluated.
SCORE_OF_A_SEARCH_TAKEN_OUT = [
    (SK, "gridcvs = {}\nfor name, est in [('lr', LogisticRegression())]:\n"
         "    gridcvs[name] = GridSearchCV(est, {'C': [0.1, 1.0]}, cv=2)\n"
         "for name in sorted(gridcvs):\n    gridcvs[name].fit(X_train, y_train)\n"
         "    print('Best ACC %.2f%%' % (gridcvs[name].best_score_ * 100))", ["fit_model", "evaluate"]),
    (SK, "pipe = Pipeline([('search', GridSearchCV(LogisticRegression(), {'C': [0.1, 1.0]}))])\n"
         "pipe.fit(X_train, y_train)\nbest = pipe.named_steps['search'].best_score_", ["fit_model", "evaluate"]),
    # controls
    (SK, "search = GridSearchCV(LogisticRegression(), {'C': [0.1, 1.0]})\nsearch.fit(X_train, y_train)\n"
         "print(search.best_score_)", ["fit_model", "evaluate"]),
    (SK, "runs = pd.read_csv('runs.csv')\n", ["load"]),
    (SK + "runs = pd.read_csv('runs.csv')\n", "runs['best_score_'].max()", []),
    (SK + "runs = pd.read_csv('runs.csv')\n", "print(runs.best_score_)", []),
]


@pytest.mark.parametrize("setup,cell,expected", SCORE_OF_A_SEARCH_TAKEN_OUT)
def test_the_best_score_of_a_search_taken_out_evaluates(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 27: `rsquared` and statsmodels' `aic` / `bic` read from a fitted model evaluate; the same information
# criteria computed by a method evaluate too: scikit-learn's mixtures (`gmm.bic(X)`, "Bayesian information criterion
# for the current model on the input X", written when choosing the number of components: find_string ".bic(X)" 9
# of 10 hits are mixtures so scored) and pmdarima's `m.aic()`. They read no step. Controls: the mixture's fit and
# its predicted components keep their ops; its parameters read are no step (CONVENTIONS 27).
INFORMATION_CRITERIA_METHODS = [
    (SK, "from sklearn.mixture import GaussianMixture\nbic = []\nfor k in range(1, 6):\n"
         "    gmm = GaussianMixture(n_components=k).fit(X_train)\n    bic.append(gmm.bic(X_train))",
     ["fit_model", "evaluate"]),
    (SK, "from sklearn.mixture import GaussianMixture\ngm = GaussianMixture(3).fit(X_train)\n"
         "aic = gm.aic(X_train)", ["fit_model", "evaluate"]),
    (SK, "import pmdarima as pm\nm = pm.auto_arima(y_train)\nprint(m.aic())", ["fit_model", "evaluate"]),
    # controls
    (SK, "from sklearn.mixture import GaussianMixture\ngm = GaussianMixture(3)\ngm.fit(X_train)\n"
         "labels = gm.predict(X_train)", ["fit_model", "predict"]),
    (SK, "from sklearn.mixture import GaussianMixture\ngm = GaussianMixture(3).fit(X_train)\nmeans = gm.means_",
     ["fit_model"]),
]


@pytest.mark.parametrize("setup,cell,expected", INFORMATION_CRITERIA_METHODS)
def test_an_information_criterion_computed_by_a_method_evaluates(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 27: "CV results, `best_score_`, `oob_score_`, `rsquared`" read from a fitted model are evaluate. Gradient
# boosting keeps its scores on the evaluation sets given to fit / train under other names: `gbm.best_score` (LightGBM's
# and XGBoost's best validation score with early stopping; `print(gbm.best_score)` in the model-comparison notebooks),
# XGBoost's `results = model.evals_result()` and LightGBM's `evals_result_` (every round's scores: find_string
# ".evals_result()" 10 of 10 hits read a fitted booster so). They read no step. Controls: the round it stopped at is
# a setting of the fit, no metric; a table's column named so is no metric.
BOOSTING_EVALUATION_RESULTS = [
    (SK, "import lightgbm as lgb\ngbm = lgb.train({'objective': 'binary'}, lgb.Dataset(X_train, y_train), "
         "valid_sets=[lgb.Dataset(X_test, y_test)])\nprint(gbm.best_score)", ["fit_model", "evaluate"]),
    (SK, "import xgboost as xgb\nclf = xgb.XGBClassifier(n_estimators=50)\n"
         "clf.fit(X_train, y_train, eval_set=[(X_test, y_test)])\nresults = clf.evals_result()",
     ["fit_model", "evaluate"]),
    (SK, "import lightgbm as lgb\nreg = lgb.LGBMRegressor()\nreg.fit(X_train, y_train, eval_set=[(X_test, y_test)])\n"
         "history = reg.evals_result_", ["fit_model", "evaluate"]),
    # controls
    (SK, "import xgboost as xgb\nclf = xgb.XGBClassifier(n_estimators=50)\n"
         "clf.fit(X_train, y_train, eval_set=[(X_test, y_test)])\nprint(clf.best_iteration)", ["fit_model"]),
    (SK + "runs = pd.read_csv('runs.csv')\n", "runs.best_score.max()", []),
]


@pytest.mark.parametrize("setup,cell,expected", BOOSTING_EVALUATION_RESULTS)
def test_the_scores_a_booster_kept_evaluate(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 27: "assigned `summary_frame()` / results tables" evaluate; `.summary()` itself is no step. A fitted
# model's coefficient table taken out of its summary as a DataFrame (`summary_df = results.summary2().tables[1]`, the
# coefficients with standard errors, t statistics and p-values; find_string "= results.summary2().tables[1]": 10 of
# 10 hits) read no step; the tuning labels count the same table read back from the summary's HTML (ds-nolanyee
# black-friday: `pd.read_html(summary.tables[1].as_html(), ...)[0]`, evaluate). Controls: shown, it is like
# `.summary()` (islr chapter-3 `est.summary().tables[1]`, no step); the coefficients' names are no step
# (CONVENTIONS 15); the summary of an object that is no fitted model is no step.
SUMMARY_TABLE_KEPT = [
    (SM := "import pandas as pd\nimport statsmodels.api as sm\ndf = pd.read_csv('d.csv')\n"
          "X = sm.add_constant(df[['a', 'b']])\ny = df['t']\nresults = sm.OLS(y, X).fit()\n",
     "summary_df = results.summary2().tables[1]", ["evaluate"]),
    (SM, "coefs = results.summary().tables[1]\nprint(coefs)", ["evaluate"]),
    # controls
    (SM, "results.summary2().tables[1]", []),
    (SM, "print(results.summary())", []),
    (SM, "x_vars = results.summary2().tables[1].index", []),
    (SM, "from report import Document\ndoc = Document('a.docx')\nfirst = doc.summary().tables[0]", []),
]


@pytest.mark.parametrize("setup,cell,expected", SUMMARY_TABLE_KEPT)
def test_a_summary_table_kept_evaluates(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)
