"""Four chained / functional forms whose steps said nothing or the wrong thing (sel13, reproducer /tmp/l33/items.ipynb):

- `m = Pipeline([...]).fit(X, y).named_steps['m']` gave no step at all (`.named_steps.m` gave the fit);
- `km = KMeans(3).fit(X).transform(X)`: the distances to the centres (new features, as pairwise distances are:
  kb.sklearn.FUNCTIONS) had no step, only the fit "not kept";
- `df['y_hat'] = np.polyval(fit, df.x)` read "Predicted on `df`", naming neither the model `fit` nor the column;
  `np.poly1d(fit)(x)` was a derive_feature;
- `R2 = SSR / SST` read "from the model's results", though `SST` is of `y` alone (the roles rest on names).

Each form also in a loop, a dict item and a list, with other estimators; controls keep their steps. Small cells written
for the test, against the classifier (`classify_steps`, which sets no loops) and the renderer (`describe_steps`)."""

from __future__ import annotations

from typing import Optional

import pytest

from trackit_sidecar.lineage.steps import classify_steps
from trackit_sidecar.protocol import Step
from trackit_sidecar.render.sentences import describe_steps

SETUP = ("import numpy as np\nimport pandas as pd\n"
         "from numpy.polynomial.chebyshev import chebfit, chebval\n"
         "from sklearn.cluster import KMeans, MiniBatchKMeans\n"
         "from sklearn.decomposition import PCA, TruncatedSVD\n"
         "from sklearn.discriminant_analysis import LinearDiscriminantAnalysis\n"
         "from sklearn.linear_model import LinearRegression, LogisticRegression\n"
         "from sklearn.pipeline import Pipeline, make_pipeline\nfrom sklearn.preprocessing import StandardScaler\n"
         "df = pd.read_csv('d.csv')\nX = df[['a', 'b']]\ny = df.y\nfit = np.polyfit(df.x, df.y, 2)\n")


def steps_of(cell: str) -> list[Step]:
    """The steps of `cell` after SETUP (its load, picks and polynomial fit left out)."""
    return classify_steps(SETUP + cell)[len(classify_steps(SETUP)):]


def said(cell: str) -> list[str]:
    return describe_steps(steps_of(cell))


# --- a pipeline fitted and one of its parts kept: the fit is the statement's step, kept as the part's name
PIPELINE_PARTS = [
    ("m = Pipeline([('s', StandardScaler()), ('m', LogisticRegression())]).fit(X, y).named_steps['m']", "m"),
    ("m = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y).named_steps['logisticregression']", "m"),
    ("ms = {}\nfor c in [1, 2]:\n    ms[c] = Pipeline([('s', StandardScaler()), ('m', LogisticRegression(C=c))])"
     ".fit(X, y).named_steps['m']", "ms"),
]


@pytest.mark.parametrize("cell,output", PIPELINE_PARTS)
def test_a_pipeline_fitted_and_its_part_kept_is_a_fit(cell: str, output: str) -> None:
    steps = steps_of(cell)
    assert [(s.op, s.output, s.detail, s.inputs) for s in steps] == [
        ("fit_model", output, "LogisticRegression", ["X", "y"])], steps


def test_a_pipeline_part_kept_reads_as_the_attribute_form_does() -> None:
    subscript = said("m = Pipeline([('s', StandardScaler()), ('m', LogisticRegression())]).fit(X, y).named_steps['m']")
    attribute = said("m = Pipeline([('s', StandardScaler()), ('m', LogisticRegression())]).fit(X, y).named_steps.m")
    assert subscript == attribute == ["Fitted a `LogisticRegression` model as `m` on `X` and `y`"]


def test_a_part_of_a_pipeline_kept_in_a_variable_is_still_no_step() -> None:
    # control: naming a part of an unfitted pipeline is no step (CONVENTIONS 15)
    assert steps_of("pipe = make_pipeline(StandardScaler(), LogisticRegression())\n"
                    "sc = pipe.named_steps['standardscaler']") == []


# --- a model's own transform makes new features (kb.sklearn.MODEL_TRANSFORMS), chained onto its fit or not
MODEL_TRANSFORMS = [
    # cell, ops, the transform's output
    ("km = KMeans(3).fit(X).transform(X)", ["fit_model", "derive_feature"], "km"),
    ("km = MiniBatchKMeans(3).fit(X).transform(X)", ["fit_model", "derive_feature"], "km"),
    ("z = LinearDiscriminantAnalysis().fit(X, y).transform(X)", ["fit_model", "derive_feature"], "z"),
    ("k = KMeans(3)\nk.fit(X)\nd = k.transform(X)", ["fit_model", "derive_feature"], "d"),
    # into a dict item and a list, in a loop
    ("res = {}\nfor n in [2, 3]:\n    res[n] = KMeans(n).fit(X).transform(X)", ["fit_model", "derive_feature"], "res"),
    ("res = []\nfor n in [2, 3]:\n    res.append(KMeans(n).fit(X).transform(X))", ["fit_model", "derive_feature"], None),
    # a transformer fitted there and put into a container: what its transform made is kept (was no step / no output)
    ("res = {}\nfor n in [1, 2]:\n    res[n] = PCA(n).fit(X).transform(X)", ["derive_feature"], "res"),
    ("res = []\nfor n in [1, 2]:\n    res.append(TruncatedSVD(n).fit(X).transform(X))", ["derive_feature"], None),
    ("res = []\nfor n in [1, 2]:\n    res.append(StandardScaler().fit(X).transform(X))", ["scale_normalize"], None),
]


@pytest.mark.parametrize("cell,ops,output", MODEL_TRANSFORMS)
def test_a_models_transform_derives_features(cell: str, ops: list[str], output: Optional[str]) -> None:
    steps = steps_of(cell)
    assert [s.op for s in steps] == ops, steps
    assert (steps[-1].output, steps[-1].inputs) == (output, ["X"]), steps[-1]


TRANSFORM_CONTROLS = [
    ("z = PCA(2).fit(X).transform(X)", ["derive_feature"]),  # a transformer's fit is no step
    ("lab = KMeans(3).fit(X).labels_", ["fit_model", "predict"]),
    ("StandardScaler().fit(X).transform(X)\nz = 1", []),  # a transform nobody keeps
    ("p = LinearRegression().fit(X, y).predict(X)", ["fit_model", "predict"]),
]


@pytest.mark.parametrize("cell,ops", TRANSFORM_CONTROLS)
def test_other_chained_forms_keep_their_ops(cell: str, ops: list[str]) -> None:
    assert [s.op for s in steps_of(cell)] == ops


def test_the_features_a_model_not_kept_made_are_said_with_its_fit() -> None:
    assert said("km = KMeans(3).fit(X).transform(X)") == [
        "Fitted a `KMeans` model on `X` (not kept) and derived new features from `X` with it into `km`"]
    assert said("res = {}\nfor n in [2, 3]:\n    res[n] = KMeans(n).fit(X).transform(X)") == [
        "Fitted a `KMeans` model on `X` (not kept) and derived new features from `X` with it into `res`"]


# --- NumPy's fitted series: the coefficients handed are the prediction's model; the column written is said
def test_a_polynomials_values_name_the_coefficients_and_the_column() -> None:
    prediction, = steps_of("df['y_hat'] = np.polyval(fit, df.x)")
    assert (prediction.op, prediction.model, prediction.inputs, prediction.output, prediction.assigned_columns) == (
        "predict", "fit", ["fit", "df"], "df", ["y_hat"])
    assert describe_steps([prediction]) == ["Predicted with `fit` on `df` into column `y_hat`"]


POLYNOMIAL_PREDICTIONS = [
    ("h = np.polyval(fit, df.x)", "fit", "Predicted with `fit` on `df` into `h`"),
    ("df['h'] = np.poly1d(fit)(df.x)", "fit", "Predicted with `fit` on `df` into column `h`"),  # was derive_feature
    ("h = np.poly1d(fit)(df.x)", "fit", "Predicted with `fit` on `df` into `h`"),
    ("c = chebfit(df.x, df.y, 3)\nv = chebval(df.x, c)", "c", "Predicted with `c` on `df` into `v`"),
    ("out = {}\nfor d in [1, 2]:\n    out[d] = np.polyval(np.polyfit(df.x, df.y, d), df.x)", None,
     "Predicted on `df` into `out`"),  # a fit written inside: no variable holds it
]


@pytest.mark.parametrize("cell,model,line", POLYNOMIAL_PREDICTIONS)
def test_numpys_predictions_name_their_coefficients(cell: str, model: Optional[str], line: str) -> None:
    steps = steps_of(cell)
    prediction = steps[-1]
    assert (prediction.op, prediction.model) == ("predict", model), steps
    assert describe_steps([prediction]) == [line]


def test_coefficients_written_in_the_code_are_no_model() -> None:
    prediction, = steps_of("z = np.polyval([1, 2], df.x)")
    assert (prediction.op, prediction.model, prediction.inputs) == ("predict", None, ["df"])


def test_a_model_prediction_written_into_a_column_says_the_column_and_the_table() -> None:
    cell = "lr = LinearRegression().fit(X, y)\ndf['pred'] = lr.predict(X)"
    assert said(cell)[-1] == "Predicted with `lr` (`LinearRegression`) on `X` into column `pred` of `df`"
    # control: a prediction kept in a variable names the variable, no column
    assert said("lr = LinearRegression().fit(X, y)\np = lr.predict(X)")[-1] == \
        "Predicted with `lr` (`LinearRegression`) on `X` into `p`"


# --- a figure computed from measures known by their names: no model's results claimed
def test_a_figure_of_measures_named_so_claims_no_model() -> None:
    lines = said("y_mean = y.mean()\nSST = ((y - y_mean) ** 2).sum()\nSSR = ((df.y_hat - y_mean) ** 2).sum()\n"
                 "R2 = SSR / SST")
    assert lines[-1] == "Computed `R2 = SSR / SST` from results computed earlier (inferred from a name earlier in " \
                        "its lineage)", lines
    assert not any("model" in line for line in lines), lines
