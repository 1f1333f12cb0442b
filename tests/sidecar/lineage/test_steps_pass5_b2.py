"""Rules found on batch 2's tuning notebooks in the fifth pass (issue 10), each from a line of what-is-a-step.md or
CONVENTIONS, on small hand-written cells:

- ISLP's packaged data sets are loads (what-is-a-step.md: "a packaged or downloaded data set"), and its design-matrix
  transformer `ModelSpec` follows scikit-learn's fit / transform protocol: `.fit` alone is no step and its transform
  builds a design matrix, `derive_feature` (CONVENTIONS 25, 13);
- one model's result completed with values computed from itself (`pd.concat([coef, pd.Series([-coef.sum()])])`) is a
  table built only from a model's results, no step (CONVENTIONS 27), also after a call that only reorders it; several
  evaluations put together stay a concat (CONVENTIONS 13);
- the size of a result (`np.arange(coef.shape[0])`) is an answer about it, not arithmetic on the result.
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

ISLP = FRAME_AND_NUMPY + (
    "import statsmodels.api as sm\n"
    "from ISLP import load_data\n"
    "from ISLP.models import ModelSpec as MS, summarize\n"
)


def test_an_islp_data_set_is_a_load() -> None:
    assert ops_after(ISLP, "Boston = load_data('Boston')") == ["load"]


def test_fitting_an_islp_model_spec_is_no_model_fit() -> None:
    assert ops_after(ISLP, "design = MS(['lstat'])\ndesign = design.fit(df)") == []


@pytest.mark.parametrize("cell", [
    "design = MS(['lstat']).fit(df)\nX = design.transform(df)",
    "X = MS(['lstat', 'age']).fit_transform(df)",
])
def test_an_islp_design_matrix_derives_features(cell: str) -> None:
    assert ops_after(ISLP, cell) == ["derive_feature"]


RESULTS = ISLP + (
    "X = MS(['mnth', 'hr']).fit_transform(df)\n"
    "M = sm.OLS(df['bikers'], X).fit()\n"
    "S = summarize(M)\n"
    "coef = S[S.index.str.contains('mnth')]['coef']\n"
)


def test_a_models_coefficients_completed_from_themselves_are_no_concat() -> None:
    assert ops_after(RESULTS, "coef = pd.concat([coef, pd.Series([-coef.sum()], index=['mnth[Dec]'])])") == []


def test_a_result_reordered_and_then_completed_is_still_the_result() -> None:
    cell = "coef = coef.reindex(['mnth[%d]' % m for m in range(11)])\n" \
           "coef = pd.concat([coef, pd.Series([-coef.sum()], index=['mnth[Dec]'])])"
    assert ops_after(RESULTS, cell) == []


def test_several_evaluations_put_together_stay_a_concat() -> None:
    setup = ISLP + "from sklearn.model_selection import cross_val_score\nfrom sklearn.linear_model import " \
                   "LinearRegression, Ridge\n"
    cell = "a = cross_val_score(LinearRegression(), df[['x']], df.y)\nb = cross_val_score(Ridge(), df[['x']], df.y)\n" \
           "both = pd.concat([pd.Series(a), pd.Series(b)])"
    assert ops_after(setup, cell) == ["evaluate", "evaluate", "concat"]


def test_positions_over_a_results_size_are_no_evaluation() -> None:
    cell = "x_month = np.arange(coef.shape[0])\nax.plot(x_month, coef)"
    assert "evaluate" not in ops_after(RESULTS + "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n", cell)
