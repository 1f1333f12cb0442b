"""The same operation written another way gets the same op (issue 10 item 3), on small hand-written cells:
a missing-value indicator derives (CONVENTIONS 20: an indicator from a condition that is not a category value),
a category value recoded through a mask encodes whatever it is recoded to (CONVENTIONS 20), a code cleared to
missing by a function is what `replace(code, np.nan)` is (CONVENTIONS 29), and an array made to collect statistics
in a loop is an accumulator (CONVENTIONS 15)."""

from __future__ import annotations

from functools import partial

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

SETUP = FRAME_AND_NUMPY


ops_after_setup = partial(ops_after, SETUP)


@pytest.mark.parametrize("cell", [
    "df['age_missing'] = pd.isnull(df.age).astype(int)",
    "df['has_deck'] = df.deck.notnull().astype(int)",
])
def test_a_missing_value_indicator_derives(cell: str) -> None:
    assert ops_after_setup(cell) == ["derive_feature"]


def test_a_category_recoded_to_a_number_through_a_mask_encodes() -> None:
    assert ops_after_setup("df.loc[df['sex'] == 'male', 'sex'] = 0") == ["encode_categorical"]
    assert ops_after_setup("df.loc[df['sex'] == 'male', 'is_male'] = 1") == ["derive_feature"]  # another column


@pytest.mark.parametrize("cell, op", [
    ("df.fare = df.fare.map(lambda x: np.nan if x == 0 else x)", "outlier_remove"),
    ("df.fare = df.fare.replace(0, np.nan)", "outlier_remove"),
    ("df.zip = df.zip.apply(lambda z: None if z == '00000' else z)", "text_clean"),
    ("df.zip = df.zip.replace('00000', None)", "text_clean"),
])
def test_a_code_cleared_to_missing_by_a_function_is_what_replace_makes_of_it(cell: str, op: str) -> None:
    assert ops_after_setup(cell) == [op]


def test_an_array_collecting_statistics_in_a_loop_is_an_accumulator() -> None:
    cell = ("medians = np.zeros((2, 3))\nfor i in range(2):\n    for j in range(3):\n"
            "        medians[i, j] = df[(df.sex == i) & (df.cls == j + 1)]['age'].dropna().median()")
    assert ops_after_setup(cell) == []
    # values made in the loop itself are data built in code, as before
    assert ops_after_setup("arr = np.zeros((8, 4))\nfor i in range(8):\n    arr[i] = i\narr")[:1] == ["load"]


def test_a_prediction_written_into_assign_is_a_prediction_as_in_a_column_assignment() -> None:
    fitted = "import statsmodels.formula.api as smf\nm = smf.ols('y ~ x', data=df).fit()\n"
    assert ops_after_setup(fitted + "scored = df.assign(pred=m.predict(df))") == ["fit_model", "predict"]
    assert ops_after_setup(fitted + "df['pred'] = m.predict(df)") == ["fit_model", "predict"]
    assert ops_after_setup(fitted + "both = df.assign(pred=m.predict(df), x2=df.x * 2)") == \
        ["fit_model", "predict", "derive_feature"]


@pytest.mark.parametrize("cell", [
    "df['city'] = df['city'].apply(str.lower)",
    "df['city'] = df['city'].map(str.strip)",
    "df['city'] = [c.strip().lower() for c in df['city']]",
])
def test_text_cleaning_applied_by_reference_or_comprehension_is_text_clean(cell: str) -> None:
    assert ops_after_setup(cell) == ["text_clean"]


def test_cleaning_column_names_in_a_comprehension_is_a_rename_not_text_work() -> None:
    assert ops_after_setup("df.columns = [c.strip().lower() for c in df.columns]") == ["rename"]
    assert ops_after_setup("names = [c.strip().lower() for c in df.columns]") == []


def test_a_column_of_ones_added_with_np_c_is_one_derive_feature_as_with_column_stack() -> None:
    # CONVENTIONS 13: "Adding a column of ones ... is derive_feature"
    setup = "X = np.loadtxt('x.txt')\n"
    assert ops_after_setup(setup + "Xb = np.c_[np.ones((len(X), 1)), X]") == ["load", "derive_feature"]
    assert ops_after_setup(setup + "Xb = np.column_stack((np.ones(len(X)), X))") == ["load", "derive_feature"]
    assert ops_after_setup(setup + "Y = np.loadtxt('y.txt')\nXY = np.c_[X, Y]") == ["load", "load", "concat"]


@pytest.mark.parametrize("loop", [
    "theta = np.zeros(2)\nfor i in range(100):\n    grad = X.T @ (X @ theta - y) / len(y)\n    theta = theta - 0.1 * grad",
    "w = np.zeros(2)\nfor i in range(100):\n    w -= 0.1 * X.T @ (X @ w - y)",
])
def test_a_loop_updating_parameters_from_themselves_is_a_hand_written_fit(loop: str) -> None:
    # CONVENTIONS 4a: gradient descent is fit_model; the arithmetic of the update is part of it
    setup = "X = np.loadtxt('x.txt')\ny = np.loadtxt('y.txt')\n"
    assert ops_after_setup(setup + loop) == ["load", "load", "fit_model"]


def test_a_loop_deriving_features_stays_derive_feature() -> None:
    assert ops_after_setup("for c in ['a', 'b']:\n    df[c + '_sq'] = df[c] ** 2") == ["derive_feature"]
