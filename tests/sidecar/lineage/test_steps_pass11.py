"""Rules of the eleventh pass on batch 5's tuning notebooks' errors (issue 10), each from a line of what-is-a-step.md
or CONVENTIONS, on small hand-written cells (controls keep what the rule must not change):

- a preprocessor class of a package outside the knowledge base names what its transform does (`DiscretizeByDecisionTree`,
  `MeanEncoding`, `WOEEncoder`, `...Imputer`, `...Scaler`): its `.fit` alone is no step and its `.transform` takes
  that op (CONVENTIONS 25), where it used to read as an unknown model's fit; an auto-encoder stays a model.
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME, ops_after

SPLIT = FRAME + "X_train, y_train = df.drop(columns='y'), df['y']\n"


@pytest.mark.parametrize("cls, op", [
    ("dc.DiscretizeByDecisionTree(col='Fare', max_depth=2)", "derive_feature"),
    ("encoding.MeanEncoding(cols=['Sex'])", "encode_categorical"),
    ("ce.WOEEncoder(cols=['Sex'])", "encode_categorical"),
    ("mylib.GroupMedianImputer(cols=['age'])", "impute_missing"),
    ("mylib.RobustishScaler()", "scale_normalize"),
])
def test_outside_preprocessor_fits_without_a_step_and_transforms_with_its_op(cls: str, op: str) -> None:
    setup = SPLIT + "import mylib\nimport encoding\nimport category_encoders as ce\nimport discretization as dc\n"
    assert ops_after(setup, f"enc = {cls}.fit(X_train, y_train)") == []
    assert ops_after(setup + f"enc = {cls}.fit(X_train, y_train)\n", "out = enc.transform(df)") == [op]


def test_outside_model_still_fits() -> None:
    # controls: an unknown library's model and an auto-encoder are fitted models (CONVENTIONS 25)
    setup = SPLIT + "import mylib\n"
    assert ops_after(setup, "m = mylib.AutoEncoder(k=3).fit(X_train, y_train)") == ["fit_model"]
    assert ops_after(setup, "m = mylib.BoostedTrees().fit(X_train, y_train)") == ["fit_model"]
