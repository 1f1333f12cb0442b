"""What a prediction decided when it was made (experiments/prediction.py), from the predict step's statement."""

from __future__ import annotations

import ast

import pytest

from trackit_sidecar.experiments.astutil import Scope
from trackit_sidecar.experiments.prediction import decisions
from trackit_sidecar.protocol import Step


@pytest.mark.parametrize("code, step, decided", [
    ("pred = model.predict_proba(X_test)[:, 1] > 0.3",
     Step(op="predict", method="predict_proba", inputs=["model", "X_test"]), {"threshold": 0.3, "comparison": ">"}),
    ("pred = (proba >= 0.4).astype(int)",
     Step(op="predict", method="threshold", inputs=["proba"], thresholded=["proba"]),
     {"threshold": 0.4, "comparison": ">="}),
    ("pred = np.where(0.6 < proba, 1, 0)",  # the number on the left: said with the scores on the left
     Step(op="predict", method="threshold", inputs=["proba"], thresholded=["proba"]),
     {"threshold": 0.6, "comparison": ">"}),
    ("pred = binarize(proba, threshold=0.25)",
     Step(op="predict", method="binarize", inputs=["proba"]), {"params": {"threshold": 0.25}, "threshold": 0.25}),
    ("pred = booster.predict(X, num_iteration=100)",
     Step(op="predict", method="predict", inputs=["booster", "X"]), {"params": {"num_iteration": 100}}),
    # a comparison that selects the rows predicted on is no threshold of the scores
    ("pred = model.predict(X[X.age > 30])", Step(op="predict", method="predict", inputs=["model", "X"]), {}),
    ("pred = model.predict(X_test)", Step(op="predict", method="predict", inputs=["model", "X_test"]), {}),
])
def test_a_prediction_keeps_what_it_decided(code, step, decided):
    assert decisions(step, ast.parse(code).body[0], Scope()) == decided
