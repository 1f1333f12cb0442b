"""A model's class is said with the article it is read with (rev31): the sweep's summaries said "a `OLS` model" 16
times, "a `ExponentialSmoothing` model" 8, "a `SVC` model" 3."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.render.sentences import describe_steps
from trackit_sidecar.render.words import article


def test_the_article_follows_how_the_name_is_read():
    for name, said in [("OLS", "an"), ("SVC", "an"), ("MLPClassifier", "an"), ("XGBRegressor", "an"),
                       ("ExponentialSmoothing", "an"), ("AutoReg", "an"), ("GLM", "a"), ("KMeans", "a"),
                       ("LinearRegression", "a"), ("Holt", "a"), ("smf.ols", "a"), ("KDEUnivariate", "a")]:
        assert article(name) == said, name


def test_a_fit_says_an_ols_model():
    said = describe_steps(analyze_source("import statsmodels.api as sm\nres = sm.OLS(y, X).fit()").steps)[0]
    assert said.startswith("Fitted an `OLS` model"), said


def test_a_fit_whose_detail_is_no_class_name_names_its_call():
    # pydata-book ch12 cell 12 read "Fitted a `outputs: coef, resid, _, _` model as `coef`"
    said = describe_steps(analyze_source("coef, resid, _, _ = np.linalg.lstsq(X, y, rcond=None)").steps)[0]
    assert said.startswith("Fitted a model with `lstsq` as `coef`"), said
