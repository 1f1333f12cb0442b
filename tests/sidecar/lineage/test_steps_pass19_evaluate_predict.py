"""The nineteenth pass (acc28, issue 10): `evaluate` and `predict` idioms of fresh ML teaching material from OUTSIDE the
blind corpus (a university applied-ML course's lectures, a ML book's third edition, an econometrics course, a
geostatistics course; sources listed in tests/corpus/blind/README.md, "Nineteenth pass (acc28 ...)"), read against
what-is-a-step.md and tests/corpus/blind/CONVENTIONS.md. Each row is a cell written the way those sources write it and
the ops the definition gives it, after set-up lines that load what it reads (the set-up's own steps are not counted).
Every group has negative controls: the same shape where the definition gives it another op, or no step.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


SK = ("import numpy as np\nimport pandas as pd\nfrom sklearn.model_selection import cross_validate\n"
      "from sklearn.tree import DecisionTreeClassifier\nfrom sklearn.metrics import accuracy_score\n"
      "X_train = pd.read_csv('x_train.csv')\ny_train = X_train.pop('target')\n"
      "X_valid = pd.read_csv('x_valid.csv')\ny_valid = X_valid.pop('target')\n")
NP = ("import numpy as np\nX_train = np.load('x_train.npy')\ny_train = np.load('y_train.npy')\n"
      "X_valid = np.load('x_valid.npy')\ny_valid = np.load('y_valid.npy')\n")


# CONVENTIONS 12: wrapping ONE existing object in a DataFrame, assigned to a new name, is `other`; what-is-a-step.md
# ("Sources are steps"): data created in code from literals is a `load`. A dict of empty lists the cell then fills with
# results (`results_dict["mean_cv_error"].append(1 - np.mean(scores["test_score"]))`, the UBC applied-ML course's
# tuning loops; `performance["Accuracy"].append(accuracy_score(y_test, y_pred))`) holds those results, not values
# written in the code: its table is a conversion, as the tuning corpus labels `scores_df = pd.DataFrame(scores)` and as
# a list of collected rows already read. The metrics appended stay evaluations (CONVENTIONS 7). Controls: a dict of
# values written in the code is still a load; a list of rows still converts.
RESULTS_DICT_TABLED = [
    (SK, "results_dict = {'depth': [], 'mean_cv_error': []}\n"
         "for depth in [1, 2, 4]:\n"
         "    scores = cross_validate(DecisionTreeClassifier(max_depth=depth), X_train, y_train)\n"
         "    results_dict['depth'].append(depth)\n"
         "    results_dict['mean_cv_error'].append(1 - np.mean(scores['test_score']))\n"
         "results_df = pd.DataFrame(results_dict)", ["evaluate", "evaluate", "other"]),
    (SK, "performance = {'Model': [], 'Accuracy': []}\n"
         "for name, depth in [('stump', 1), ('deep', 8)]:\n"
         "    clf = DecisionTreeClassifier(max_depth=depth).fit(X_train, y_train)\n"
         "    y_pred = clf.predict(X_valid)\n"
         "    performance['Model'].append(name)\n"
         "    performance['Accuracy'].append(accuracy_score(y_valid, y_pred))\n"
         "perf_df = pd.DataFrame(performance)", ["fit_model", "predict", "evaluate", "other"]),
    # controls
    (SK, "table = {'a': [1, 2, 3], 'b': [4, 5, 6]}\ndf = pd.DataFrame(table)", ["load"]),
    # values that are no model's results collected so (a course's homework: pages read, their word counts) leave the
    # table the root it was (the sweep's one wrong change of a first version that took any computed value)
    (SK, "wiki_dict = {'query': [], 'text': [], 'n_words': []}\n"
         "for q in ['bread food', 'ice hockey']:\n"
         "    text = fetch_page(q)\n"
         "    wiki_dict['text'].append(text)\n"
         "    wiki_dict['n_words'].append(len(text.split()))\n"
         "    wiki_dict['query'].append(q)\n"
         "wiki_df = pd.DataFrame(wiki_dict)", ["load"]),
    (SK, "rows = []\n"
         "for depth in [1, 2]:\n"
         "    s = cross_validate(DecisionTreeClassifier(max_depth=depth), X_train, y_train)\n"
         "    rows.append({'depth': depth, 'score': s['test_score'].mean()})\n"
         "rows_df = pd.DataFrame(rows)", ["evaluate", "other"]),
]


@pytest.mark.parametrize("setup,cell,expected", RESULTS_DICT_TABLED)
def test_a_dict_filled_with_results_is_converted_not_loaded(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 4a: hand-written models are black boxes whose use is labelled predict / evaluate; 26: thresholding
# probabilities (and taking the class of highest probability, as the tuning labels read `np.argmax(proba, axis=1)`)
# is predict; 27: accuracy computed by hand is evaluate. After a loop that fits parameters by gradient descent
# (`Theta = Theta - eta * gradients`, the ML book's softmax-regression exercise), `X_valid @ Theta` predicts with
# them, as `X_new @ theta_best` after the normal equation already did; a softmax (an algorithm piece, a black box)
# of those scores keeps the predictions, so their argmax predicts and its share equal to the target is an accuracy.
# Controls: a loop fitting the same name again is still one fit (its `X @ theta - y` is the fit's arithmetic, not a
# prediction of the earlier fit); a function's parameter fitted in its body does not make the notebook's `theta`
# fitted; parameters set by hand (`np.zeros`) predict nothing.
HAND_FITTED_PARAMETERS = [
    (NP, "Theta = np.random.randn(3, 3)\n"
         "for epoch in range(100):\n"
         "    error = X_train @ Theta - y_train\n"
         "    gradients = 1 / 10 * X_train.T @ error\n"
         "    Theta = Theta - 0.5 * gradients\n"
         "logits = X_valid @ Theta\n"
         "y_predict = logits.argmax(axis=1)\n"
         "accuracy = (y_predict == y_valid).mean()", ["fit_model", "predict", "predict", "evaluate"]),
    (NP, "def softmax(logits):\n"
         "    exps = np.exp(logits)\n"
         "    return exps / exps.sum(axis=1, keepdims=True)\n"
         "Theta = np.random.randn(3, 3)\n"
         "for epoch in range(100):\n"
         "    Y_proba = softmax(X_train @ Theta)\n"
         "    gradients = 1 / 10 * X_train.T @ (Y_proba - y_train)\n"
         "    Theta = Theta - 0.5 * gradients\n"
         "logits = X_valid @ Theta\n"
         "Y_proba = softmax(logits)\n"
         "y_predict = Y_proba.argmax(axis=1)\n"
         "accuracy_score = (y_predict == y_valid).mean()", ["fit_model", "predict", "predict", "evaluate"]),
    # controls
    (NP, "theta = np.zeros(3)\n"
         "for epoch in range(100):\n"
         "    theta = theta - 0.1 * X_train.T @ (X_train @ theta - y_train)\n"
         "for epoch in range(100):\n"
         "    theta = theta - 0.01 * X_train.T @ (X_train @ theta - y_train)", ["fit_model", "fit_model"]),
    (NP, "def bgd_path(theta, X, y, eta=0.05):\n"
         "    for iteration in range(200):\n"
         "        gradients = 2 / len(X) * X.T @ (X @ theta - y)\n"
         "        theta = theta - eta * gradients\n"
         "    return theta\n"
         "theta = np.zeros(3)\n"
         "z = X_valid @ theta", ["fit_model", "derive_feature"]),
    (NP, "w = np.zeros(3)\nscores = X_valid @ w", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", HAND_FITTED_PARAMETERS)
def test_parameters_fitted_by_hand_predict_after_the_loop(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 4b: helpers imported from outside the notebook are black boxes, their call labelled; 27: "CV results" are
# evaluate. `results["Decision tree"] = mean_std_cross_val_scores(pipe, X_train, y_train, ...)`, the UBC applied-ML
# course's helper (`from utils import *`), copied into its students' projects, runs cross-validation: evaluate, as a
# helper named for metrics already does (kb.models.ALGORITHM_NAME_OPS). Controls: defined in the notebook, its body is
# labelled and its calls are not (CONVENTIONS 1); a helper named for showing scores is no evaluation.
CROSS_VALIDATION_HELPERS = [
    ("from utils import *\n" + SK, "results = {}\n"
     "results['Decision tree'] = mean_std_cross_val_scores(DecisionTreeClassifier(), X_train, y_train, "
     "return_train_score=True)", ["evaluate"]),
    ("from utils import mean_std_cross_val_scores\n" + SK,
     "cv_results = mean_std_cross_val_scores(DecisionTreeClassifier(), X_train, y_train)", ["evaluate"]),
    # controls
    (SK, "def mean_std_cross_val_scores(model, X_train, y_train, **kwargs):\n"
         "    scores = cross_validate(model, X_train, y_train, **kwargs)\n"
         "    return pd.DataFrame(scores).mean()\n"
         "results = {}\n"
         "results['Decision tree'] = mean_std_cross_val_scores(DecisionTreeClassifier(), X_train, y_train)",
     ["evaluate"]),
    ("from utils import *\n" + SK, "scores = cross_validate(DecisionTreeClassifier(), X_train, y_train)\n"
     "display_scores(scores)", ["evaluate"]),
    # named for the figure it draws last (CONVENTIONS 8): its body's predictions stay (the geostatistics course's
    # `cross_validation_plot`, which the sweep found emptied by a first version)
    ("import matplotlib.pyplot as plt\n" + SK, "model = DecisionTreeClassifier().fit(X_train, y_train)\n"
     "def cross_validation_plot(model, X_train, X_test):\n"
     "    pred_train = model.predict(X_train); pred_test = model.predict(X_test)\n"
     "    plt.scatter(pred_train[:100], pred_test[:100])\n"
     "cross_validation_plot(model, X_train, X_valid)", ["fit_model", "predict", "predict"]),
]


@pytest.mark.parametrize("setup,cell,expected", CROSS_VALIDATION_HELPERS)
def test_an_imported_cross_validation_helper_evaluates(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 7: an evaluation counts where it is computed, printed or not; 27: arithmetic on literal numbers is no
# step. A metric kept earlier and shown again in percent (`print(100 * acc)`, `"{:.2f}%".format(acc * 100)`, the
# course book acc26 left) or collected with its sign undone (`mse.append(-score)` after a `neg_mean_squared_error`
# score, a tuning notebook's line) is the same evaluation shown again, as `print("Acc: %0.3f" % acc)` already is.
# Controls: kept under a name of its own (`mse_scores = -scores`, labelled evaluate in the tuning corpus) it stays an
# evaluation; a new metric computed from it (`np.sqrt(-scores)`, `1 - acc`) evaluates; reading an evaluation
# (`res.rsquared * 100`) evaluates; a results table's column so computed stays an evaluate.
METRICS_SHOWN_AGAIN = [
    (SK, "acc = accuracy_score(y_valid, y_valid)\nprint(100 * acc)", ["evaluate"]),
    (SK, "acc = accuracy_score(y_valid, y_valid)\nprint('Accuracy: {:.2f}%'.format(acc * 100))", ["evaluate"]),
    (SK, "acc = accuracy_score(y_valid, y_valid)\nprint(f'Accuracy: {acc * 100:.1f}%')", ["evaluate"]),
    (SK, "from sklearn.model_selection import cross_val_score\nmse = []\n"
         "for d in [1, 2, 3]:\n"
         "    score = cross_val_score(DecisionTreeClassifier(max_depth=d), X_train, y_train, "
         "scoring='neg_mean_squared_error').mean()\n"
         "    mse.append(-score)", ["evaluate"]),
    # controls
    (SK, "from sklearn.model_selection import cross_val_score\n"
         "scores = cross_val_score(DecisionTreeClassifier(), X_train, y_train, scoring='neg_mean_squared_error')\n"
         "mse_scores = -scores", ["evaluate", "evaluate"]),
    (SK, "from sklearn.model_selection import cross_val_score\n"
         "scores = cross_val_score(DecisionTreeClassifier(), X_train, y_train, scoring='neg_mean_squared_error')\n"
         "rmse = np.sqrt(-scores)", ["evaluate", "evaluate"]),
    (SK, "acc = accuracy_score(y_valid, y_valid)\nprint('Error: %0.3f' % (1 - acc))", ["evaluate", "evaluate"]),
    # a one-sided p-value from a two-sided one is a new test result, not the same one in another unit (the
    # econometrics course's `print(f'p_auto/2: {p_auto / 2}')`, kept as the sweep found it)
    ("from scipy import stats\nimport numpy as np\nx = np.load('x.npy')\n",
     "t_auto, p_auto = stats.ttest_1samp(x, 0)\nprint(f'p_auto/2: {p_auto / 2}')", ["evaluate", "evaluate"]),
    ("import statsmodels.formula.api as smf\nimport pandas as pd\ndf = pd.read_csv('d.csv')\n",
     "res = smf.ols('y ~ x', data=df).fit()\nprint(res.rsquared * 100)", ["fit_model", "evaluate"]),
    ("from sklearn.model_selection import GridSearchCV\nfrom sklearn.linear_model import Ridge\n" + SK,
     "grid = GridSearchCV(Ridge(), {'alpha': [1, 2]}, scoring='neg_mean_squared_error').fit(X_train, y_train)\n"
     "cv = pd.DataFrame(grid.cv_results_)\ncv['mse'] = -cv['mean_test_score']",
     ["fit_model", "evaluate", "evaluate"]),
]


@pytest.mark.parametrize("setup,cell,expected", METRICS_SHOWN_AGAIN)
def test_a_metric_shown_again_is_no_new_evaluation(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 26: a fitted model's parameters applied to data by hand are its prediction (`res.intercept + res.slope *
# sat` is labelled predict in the tuning corpus); 27: data minus a prediction is a residual, evaluate. The same fit
# unpacked into names (`slope, intercept, r_value, p_value, std_err = stats.linregress(x, y)`, `m, b = np.polyfit(x,
# y, 1)`, the geostatistics course and code written everywhere) predicts the same way. Controls: numbers written in
# the code under those names are no fitted parameters; the fit alone is one fit_model.
UNPACKED_FIT_PARAMETERS = [
    ("import numpy as np\nimport pandas as pd\nfrom scipy import stats\ndf = pd.read_csv('d.csv')\n"
     "x = df['por'].values\ny = df['prod'].values\n",
     "slope, intercept, r_value, p_value, std_err = stats.linregress(x, y)\n"
     "y_hat = slope * x + intercept\nresidual = y - y_hat", ["fit_model", "predict", "evaluate"]),
    ("import numpy as np\nimport pandas as pd\ndf = pd.read_csv('d.csv')\nx = df['a'].values\ny = df['t'].values\n",
     "m, b = np.polyfit(x, y, 1)\ny_pred = m * x + b", ["fit_model", "predict"]),
    # controls
    ("import numpy as np\nimport pandas as pd\ndf = pd.read_csv('d.csv')\nx = df['a'].values\n",
     "slope, intercept = 2.0, 1.0\nguess = slope * x + intercept", ["derive_feature"]),
    ("import numpy as np\nimport pandas as pd\nfrom scipy import stats\ndf = pd.read_csv('d.csv')\n"
     "x = df['por'].values\ny = df['prod'].values\n",
     "slope, intercept, r_value, p_value, std_err = stats.linregress(x, y)", ["fit_model"]),
]


@pytest.mark.parametrize("setup,cell,expected", UNPACKED_FIT_PARAMETERS)
def test_unpacked_fit_parameters_applied_to_data_predict(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)
