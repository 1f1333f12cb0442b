"""A model fitted and used in one expression (sel12): `p = LinearRegression().fit(X, y).predict(X)` said "Fitted a
`LinearRegression` model as `p`", `p` holding predictions. The fit's step names no output and says what was read from
the model (Step.chained_into); its wording says the model is not kept. The ops stay what they were. Small cells
written for the test, each against the classifier and the renderer, with controls (a named model, a transformer's
fit chained into its transform, a search's best estimator) that keep their output."""

from __future__ import annotations

from typing import Optional

import pytest

from trackit_sidecar.lineage.steps import classify_steps
from trackit_sidecar.protocol import Step
from trackit_sidecar.render.sentences import describe_steps

SETUP = ("import numpy as np\nimport pandas as pd\nimport statsmodels.formula.api as smf\nimport xgboost as xgb\n"
         "from sklearn.cluster import KMeans\nfrom sklearn.linear_model import LinearRegression, LogisticRegression\n"
         "from sklearn.metrics import accuracy_score\nfrom sklearn.model_selection import GridSearchCV\n"
         "from sklearn.pipeline import make_pipeline\nfrom sklearn.preprocessing import StandardScaler\n"
         "df = pd.read_csv('d.csv')\nX = df[['a']]\ny = df.b\n")


def steps_of(cell: str) -> list[Step]:
    """The steps of `cell` after SETUP (its load and picks left out)."""
    return classify_steps(SETUP + cell)[len(classify_steps(SETUP)):]


def fit_of(cell: str) -> Step:
    fits = [step for step in steps_of(cell) if step.op == "fit_model"]
    assert len(fits) == 1, fits
    return fits[0]


# cell, ops (unchanged by the fix), what the same statement read from the model, the result step's output
CHAINED = [
    ("p = LinearRegression().fit(X, y).predict(X)", ["fit_model", "predict"], "predict", "p"),
    ("s = LinearRegression().fit(X, y).score(X, y)", ["fit_model", "evaluate"], "score", "s"),
    ("pr = LogisticRegression().fit(X, y).predict_proba(X)", ["fit_model", "predict"], "predict_proba", "pr"),
    ("pp = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y).predict(X)", ["fit_model", "predict"],
     "predict", "pp"),
    ("lab = KMeans(3).fit(X).labels_", ["fit_model", "predict"], "labels_", "lab"),
    # the distances to the centres are new features, as pairwise distances are (sel13: they had no step of their own)
    ("km = KMeans(3).fit(X).transform(X)", ["fit_model", "derive_feature"], "transform", "km"),
    ("r2 = smf.ols('b ~ a', data=df).fit().rsquared", ["fit_model", "evaluate"], "rsquared", "r2"),
    ("bp = GridSearchCV(LinearRegression(), {}).fit(X, y).best_params_", ["fit_model"], "best_params_", None),
    ("p = xgb.train({}, xgb.DMatrix(X, y)).predict(xgb.DMatrix(X))", ["fit_model", "predict"], "predict", "p"),
    # into a dict item, a list, a column, a dict written in the code, in a loop
    ("res = {}\nres['lr'] = LinearRegression().fit(X, y).score(X, y)", ["fit_model", "evaluate"], "score", "res"),
    ("d = {'lr': LinearRegression().fit(X, y).predict(X)}", ["fit_model", "predict"], "predict", "d"),
    ("preds = []\npreds.append(LinearRegression().fit(X, y).predict(X))", ["fit_model", "predict"], "predict", None),
    ("df['p'] = LinearRegression().fit(X, y).predict(X)", ["fit_model", "predict"], "predict", "df"),
    ("out = {}\nfor k in [1, 2]:\n    out[k] = LinearRegression().fit(X, y).predict(X)", ["fit_model", "predict"],
     "predict", "out"),
    ("scores = []\nfor c in [1, 2]:\n    scores.append(LogisticRegression(C=c).fit(X, y).score(X, y))",
     ["fit_model", "evaluate"], "score", None),
]


@pytest.mark.parametrize("cell,ops,read,result_output", CHAINED)
def test_a_fit_chained_into_another_call_names_no_variable(cell: str, ops: list[str], read: str,
                                                           result_output: Optional[str]) -> None:
    steps = steps_of(cell)
    assert [step.op for step in steps] == ops
    fit = fit_of(cell)
    assert (fit.output, fit.outputs, fit.chained_into) == (None, [], read), fit
    assert fit.columns == []  # df['p'] = ...: the column written holds predictions, not the model
    if len(steps) > 1:
        assert steps[-1].output == result_output


def test_a_fit_chained_into_a_tuple_target_gives_the_fit_none_of_its_names() -> None:
    steps = steps_of("a, b = LinearRegression().fit(X, y).predict(X), 1")
    assert [(step.op, step.output) for step in steps] == [("fit_model", None), ("predict", "a")]


# controls: the statement's target is the fitted model (or a fitted part of it), or no model is fitted
KEPT = [
    ("m = LinearRegression().fit(X, y)", "fit_model", "m"),
    ("lr = LinearRegression()\np2 = lr.fit(X, y).predict(X)", "fit_model", "lr"),  # `lr` is fitted, `p2` predicted
    ("m = LinearRegression().fit(X, y).set_params(n_jobs=2)", "fit_model", "m"),  # configuring returns the model
    ("best = GridSearchCV(LinearRegression(), {}).fit(X, y).best_estimator_", "fit_model", "best"),
    ("c = np.polyfit(df.a, df.b, 1).round(2)", "fit_model", "c"),  # a function's fit: its coefficients are kept
    ("booster = xgb.train({}, xgb.DMatrix(X, y))", "fit_model", "booster"),
    ("Xs = StandardScaler().fit(X).transform(X)", "scale_normalize", "Xs"),  # a transformer's fit is no step
]


@pytest.mark.parametrize("cell,op,output", KEPT)
def test_a_fit_whose_model_is_what_the_statement_keeps_is_unchanged(cell: str, op: str, output: str) -> None:
    first = steps_of(cell)[0]
    assert (first.op, first.output) == (op, output), first
    assert "chained_into" not in first.model_dump(), first  # left out when empty (README: absent = empty)


def said(cell: str) -> list[str]:
    return describe_steps(steps_of(cell))


WORDED = [
    ("p = LinearRegression().fit(X, y).predict(X)",
     ["Fitted a `LinearRegression` model on `X` and `y` (not kept) and predicted with it on `X` into `p`"]),
    ("s = LinearRegression().fit(X, y).score(X, y)",
     ["Fitted a `LinearRegression` model on `X` and `y` (not kept) and evaluated it on `X` and `y` with `score` "
      "into `s`"]),
    ("pr = LogisticRegression().fit(X, y).predict_proba(X)",
     ["Fitted a `LogisticRegression` model on `X` and `y` (not kept) and predicted with it on `X` into `pr`"]),
    ("d = {'lr': LinearRegression().fit(X, y).predict(X)}",
     ["Fitted a `LinearRegression` model on `X` and `y` (not kept) and predicted with it on `X` into `d`"]),
    ("out = {}\nfor k in [1, 2]:\n    out[k] = LinearRegression().fit(X, y).predict(X)",
     ["Fitted a `LinearRegression` model on `X` and `y` (not kept) and predicted with it on `X` into `out`"]),
    # a prediction an evaluation of the same statement scores is said with that evaluation
    ("a = accuracy_score(y, LogisticRegression().fit(X, y).predict(X))",
     ["Fitted a `LogisticRegression` model on `X` and `y` (not kept)",
      "Evaluated the predictions on `X` against `y` with `accuracy_score` into `a`"]),
    # controls: the unchained two-line form and a transformer's chained transform read as before
    ("m = LinearRegression().fit(X, y)\nq = m.predict(X)",
     ["Fitted a `LinearRegression` model as `m` on `X` and `y`", "Predicted with `m` (`LinearRegression`) on `X` into `q`"]),
    ("Xs = StandardScaler().fit(X).transform(X)", ["Scaled `X` (StandardScaler) into `Xs`"]),
]


@pytest.mark.parametrize("cell,lines", WORDED)
def test_the_wording_says_the_chained_model_is_not_kept(cell: str, lines: list[str]) -> None:
    assert said(cell) == lines
