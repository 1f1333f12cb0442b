"""Seventeenth pass, second round (issue 10, acc24): causes left on the tuning notebooks, each from a clause of
what-is-a-step.md or CONVENTIONS, on small hand-written cells with positive and negative controls:

- element-wise arithmetic written as a pandas method (`df = df.div(100)`, `r.sub(rf)`, `df.mul(w)`) is the operator
  it names (CONVENTIONS 19: "`a * b` is derive_feature"), also at the end of a chain after a cast; a division by the
  data's own total stays scale_normalize, a bare `add` (an item into a set, a layer into a plot) is no step, and a
  shown result is inspection (CONVENTIONS 6);
- evaluation results put in order and kept (`mi_scores = mi_scores.sort_values(ascending=False)`, the Kaggle course's
  make_mi_scores) are sorted (CONVENTIONS 30: "An assigned `sort_values` ... is `sort`"); rows read out of the results
  (`mi_scores[mi_scores > 0.1]`), a model's parameters sorted (27: tables built only from them are no steps) and the
  results sorted only to be shown (6) stay no step;
- a frame's column written by attribute, its own values read in the value (`df.churn = (df.churn == "yes")
  .astype(int)`), is that column assigned: the op of its calculation (CONVENTIONS 19, 20); naming by attribute
  (`df.columns = ...`) stays a rename (30), and an attribute that is no column read (`df.x = df.a * 2`, which pandas
  does not make a column) no step;
- an indicator of equality with a name bound to one string written in the code (`positive_label = ">50K"`,
  `(df.income.str.strip() == positive_label).astype(int)`) tests a category value as `== ">50K"` does: encode
  (CONVENTIONS 20); a name bound to a number stays a numeric condition (derive_feature).
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after


@pytest.mark.parametrize("cell, ops", [
    # fin-cookbook factor-models 63: percentages made fractions, rebinding the name
    ("df = df.div(100)", ["derive_feature"]),
    # fin-cookbook factor-models 35: cast, then divided, in one chain (one step per transforming call)
    ("df = df.apply(pd.to_numeric, errors='coerce').div(100)", ["type_cast", "derive_feature"]),
    ("excess = df.a.sub(df.b)", ["derive_feature"]),
    ("weighted = df[['a', 'b']].mul(2)", ["select_columns", "derive_feature"]),
])
def test_arithmetic_written_as_a_method_derives(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # negative controls: shares of the data's own total scale it; a bare add puts an item in; shown is inspection
    ("shares = df.div(df.sum(axis=1), axis=0)", ["scale_normalize"]),
    ("seen = set(df.a)\nseen.add(2)", []),
    ("df.div(100)", []),
    ("df.div(100).head()", []),
])
def test_own_totals_bare_adds_and_shown_arithmetic_are_not_derived(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


MI = FRAME_AND_NUMPY + "from sklearn.feature_selection import mutual_info_regression\nX = df[['a', 'b']]\n"
MAKE_MI_SCORES = """def make_mi_scores(X, y):
    X = X.copy()
    for colname in X.select_dtypes(["object", "category"]):
        X[colname], _ = X[colname].factorize()
    discrete_features = [pd.api.types.is_integer_dtype(t) for t in X.dtypes]
    mi_scores = mutual_info_regression(X, y, discrete_features=discrete_features, random_state=0)
    mi_scores = pd.Series(mi_scores, name="MI Scores", index=X.columns)
    mi_scores = mi_scores.sort_values(ascending=False)
    return mi_scores
"""


@pytest.mark.parametrize("cell, ops", [
    # ds-julienjta broadband-churn 46, flight-price 50: the Kaggle course's helper
    (MAKE_MI_SCORES, ["encode_categorical", "evaluate", "sort"]),
    ("mi_scores = mutual_info_regression(X, df.y)\nmi_scores = pd.Series(mi_scores, index=X.columns)\n"
     "mi_scores = mi_scores.sort_values(ascending=False)", ["evaluate", "sort"]),
])
def test_evaluation_results_sorted_and_kept_are_sorted(cell: str, ops: list[str]) -> None:
    assert ops_after(MI, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", [
    # negative controls: rows read out of the results, the results sorted only to be shown, parameters sorted
    (MI, "mi_scores = pd.Series(mutual_info_regression(X, df.y), index=X.columns)\ntop = mi_scores[mi_scores > 0.1]",
     ["evaluate"]),
    (MI, "mi_scores = pd.Series(mutual_info_regression(X, df.y), index=X.columns)\n"
         "mi_scores.sort_values(ascending=False)", ["evaluate"]),
    (FRAME_AND_NUMPY, "import statsmodels.formula.api as smf\nres = smf.ols('y ~ a', df).fit()\n"
                      "coef = res.params.sort_values()", ["fit_model"]),
])
def test_results_read_shown_or_parameters_sorted_are_no_sort(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # mlbookcamp churn-metrics 3: a category's indicator written back by attribute
    ("df.churn = (df.churn == 'yes').astype(int)", ["encode_categorical"]),
    ("df.price = df.price * 2", ["derive_feature"]),
    ("df.churn = (df['churn'] == 'yes').astype(int)", ["encode_categorical"]),
])
def test_a_column_written_by_attribute_takes_its_calculations_op(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # negative controls: naming by attribute, an attribute that is no column read, a fill that was already seen
    ("df.columns = df.columns.str.lower()", ["rename"]),
    ("df.x = df.a * 2", []),
    ("df.age = df.age.fillna(0)", ["impute_missing"]),
])
def test_naming_and_other_attributes_stay_as_they_are(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # donors-fcl crispdm 14: the positive class named once, its indicator made the target
    ("positive_label = '>50K'\ndf['target'] = (df['income'].str.strip() == positive_label).astype(int)",
     ["encode_categorical"]),
    ("positive_label = 'yes'\ndf['churn'] = (df.churn != positive_label).astype(int)", ["encode_categorical"]),
])
def test_an_indicator_of_a_named_category_value_encodes(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # negative controls: a name bound to a number is a numeric condition; the mask alone is no step
    ("limit = 50\ndf['high'] = (df['income'] == limit).astype(int)", ["derive_feature"]),
    ("positive_label = '>50K'\nis_rich = df['income'] == positive_label", []),
])
def test_a_named_number_derives_and_a_named_mask_is_no_step(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops
