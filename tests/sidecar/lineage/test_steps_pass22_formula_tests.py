"""The twenty-second pass (issue 10, acc43): batch 9's research analyses with statsmodels formulas and tests. Each
row is a cell written the way such analyses write it and the ops the definition gives it (what-is-a-step.md,
tests/corpus/blind/CONVENTIONS.md), after set-up lines whose own steps are not counted. Every group has controls."""

from __future__ import annotations

import pytest

from .after_setup import ops_after


SETUP = ("import pandas as pd\nimport numpy as np\nimport statsmodels.api as sm\nimport statsmodels.formula.api as smf\n"
         "from statsmodels.formula.api import ols\nfrom statsmodels.stats.anova import anova_lm\n"
         "from statsmodels.stats.multitest import multipletests\nimport statsmodels.tsa.stattools as smt\n"
         "df = pd.read_csv('study.csv')\n")


# CONVENTIONS 18: "a selection inside another call's argument (`fit(df[cols], y)` ...)" is not a step, and rows picked
# for a model's own method already are none (`search.fit(X[y == 1], y[y == 1])`); CONVENTIONS 25: "A pipeline's inner
# imputer and scaler are not separate steps of the cell that fits it". So the rows a condition picks for a formula
# model's constructor in the fitting expression (`ols(f, df[df.g.isin(["a", "b"])]).fit()`, written so in
# repro-hackathon study-01 / study-34 and beyond the corpus, e.g. `ols(formula, data=df[df['urban']==1]).fit()`) are
# the sample it is fitted on: fit_model only. Positions held out (`sm.OLS(y.iloc[:14], ...)`) stay a filter
# (what-is-a-step.md: "Filtering by position to hold data out ... is `filter_rows`").
FORMULA_SAMPLES = [
    ("lm = ols('v ~ C(Target)', df[df['Target'].isin(['siLuc', 'miR19b'])]).fit()", ["fit_model"]),
    ("m = smf.ols('v ~ C(Day)', data=df[df['Treatment'] == 'NRAS']).fit()", ["fit_model"]),
    ("urban = smf.ols('y ~ x', data=df[df['urban'] == 1]).fit()\nrural = smf.ols('y ~ x', data=df[df['urban'] == 0]).fit()",
     ["fit_model", "fit_model"]),
    # controls: a subset assigned first is a filter of its own; a positional hold-out stays a filter
    ("sub = df[df['Target'].isin(['a', 'b'])]\nlm = ols('v ~ C(Target)', sub).fit()", ["filter_rows", "fit_model"]),
    ("r = sm.OLS(df.y.iloc[:14], df[['x']].iloc[:14]).fit()", ["filter_rows", "filter_rows", "fit_model"]),
    ("lm = ols('v ~ C(Target)', df).fit()", ["fit_model"]),
]


@pytest.mark.parametrize("cell, expected", FORMULA_SAMPLES)
def test_rows_picked_for_a_formula_model_are_its_sample(cell: str, expected: list) -> None:
    assert ops_after(SETUP, cell) == expected


# CONVENTIONS 27: "statistical and assumption tests" are `evaluate`. A multiple-test correction is handed p-values read
# from a results table (`anova_table["PR(>F)"]`, whose Residual row has none); dropping the rows without one is part of
# the evaluation, not data prepared (study-01 / study-34; beyond the corpus `pvals = anova["PR(>F)"].dropna()` is the
# usual way to read them). Data differenced and cleaned inside a test's argument keeps its steps (effective-pandas
# ch. 7: `smt.adfuller(y.diff().dropna())` is derive_feature + drop_missing + evaluate).
P_VALUE_CORRECTIONS = [
    ("lm = ols('v ~ C(g)', df).fit()\nanova_table = anova_lm(lm)\n"
     "print(multipletests(anova_table['PR(>F)'].dropna(), alpha=0.025, method='bonferroni'))",
     ["fit_model", "evaluate", "evaluate"]),
    ("lm = ols('v ~ C(g)', df).fit()\nt = anova_lm(lm)\nrej, p_adj, _, _ = multipletests(t['PR(>F)'].dropna(), method='fdr_bh')",
     ["fit_model", "evaluate", "evaluate"]),
    # controls: a test of data cleaned in its argument, and a dropna assigned on its own
    ("res = smt.adfuller(df['y'].diff().dropna())", ["derive_feature", "drop_missing", "evaluate"]),
    ("clean = df.dropna()", ["drop_missing"]),
]


@pytest.mark.parametrize("cell, expected", P_VALUE_CORRECTIONS)
def test_p_values_cleaned_inside_a_correction_are_part_of_it(cell: str, expected: list) -> None:
    assert ops_after(SETUP, cell) == expected
