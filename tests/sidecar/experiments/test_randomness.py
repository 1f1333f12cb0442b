"""experiments/randomness.py: what an experiment ran that draws random numbers no seed fixes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from trackit_sidecar.experiments.randomness import model_classes, slice_draws, unseeded_draws
from trackit_sidecar.protocol import ModelFingerprint

IMPORTS = ("import numpy as np\nfrom sklearn.linear_model import LinearRegression, LogisticRegression\n"
           "from sklearn.model_selection import train_test_split\nfrom sklearn.ensemble import RandomForestClassifier")
SPLIT = "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)"
LINEAR = ModelFingerprint(class_name="LinearRegression")


def draws(*cells: str, model=LINEAR):
    executions = [SimpleNamespace(seq=i, language="python", source=source) for i, source in enumerate((IMPORTS, *cells))]
    return unseeded_draws(slice_draws(executions), model)


def test_a_deterministic_model_on_a_seeded_split_draws_nothing():
    assert draws(SPLIT, "m = LinearRegression().fit(X_train, y_train)") == []
    assert draws(SPLIT, "m = LogisticRegression().fit(X_train, y_train)",
                 model=ModelFingerprint(class_name="LogisticRegression")) == []  # lbfgs, the default, draws nothing


@pytest.mark.parametrize("cell, named", [
    ("X_train, X_test, y_train, y_test = train_test_split(X, y)", "train_test_split"),
    ("m = LogisticRegression(solver='saga')", "LogisticRegression"),
    ("rf = RandomForestClassifier()", "RandomForestClassifier"),
    ("df = df.sample(frac=1)", "df.sample"),
    ("def noise():\n    return np.random.rand(3)", "np.random.rand"),  # a helper's body draws when it is called
])
def test_a_draw_without_a_seed_is_named(cell, named):
    assert draws(SPLIT, cell) == [named]


def test_a_global_seed_fixes_the_draws_after_it():
    assert draws("np.random.seed(0)\nrf = RandomForestClassifier()",
                 model=ModelFingerprint(class_name="RandomForestClassifier", source="kernel",
                                        params={"random_state": None})) == []


def test_a_model_class_the_knowledge_base_does_not_know_leaves_it_unknown():
    assert draws(SPLIT, model=ModelFingerprint(class_name="Sequential")) is None
    assert draws(SPLIT, model=None) is None
    pipeline = ModelFingerprint(class_name="Pipeline", source="kernel",
                                params={"steps": [["scale", "StandardScaler()"], ["reduce", "PCA()"]]})
    assert model_classes(pipeline) == ["Pipeline", "StandardScaler", "PCA"]
    assert draws(SPLIT, model=pipeline) is None


def test_the_fitted_models_parameters_name_a_setting_the_code_hid():
    """`LogisticRegression(**params)` or a grid over solvers: only the kernel's get_params says liblinear ran."""
    search = ModelFingerprint(class_name="GridSearchCV", source="kernel", params={
        "estimator": "LogisticRegression()", "param_grid": {"solver": ["lbfgs", "liblinear"]}})
    assert draws(SPLIT, model=search) == ["GridSearchCV(solver='liblinear')"]
    forest = ModelFingerprint(class_name="RandomForestClassifier", source="kernel", params={"random_state": None})
    assert draws(SPLIT, "rf = RandomForestClassifier(**params)", model=forest) == ["RandomForestClassifier"]
    assert draws(SPLIT, model=forest.model_copy(update={"params": {"random_state": 3}})) == []
