"""The nineteenth pass (acc29, issue 10): data-preparation idioms of fresh analysis material from OUTSIDE the blind
corpus (newsroom analyses of BuzzFeed News, The Markup and the Los Angeles Times, a Bay Area agency's and a journalism
school's notebooks, personal EDA portfolios; sources listed in tests/corpus/blind/README.md, "Nineteenth pass (acc29
...)"), read against what-is-a-step.md and tests/corpus/blind/CONVENTIONS.md. Each row is a cell written the way those
sources write it and the ops the definition gives it, after set-up lines that load what it reads (the set-up's own
steps are not counted). Every group has negative controls: the same shape where the definition gives it another op,
or no step.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport numpy as np\ncounts = pd.read_csv('filing-counts.csv')\n"
HELPERS = PD + (
    "def parse_mcd_file(path):\n"
    "    raw = pd.read_csv(path, delimiter='\\t')\n"
    "    return raw.loc[lambda x: x['Notes'].isnull()]\n"
    "def get_totals_and_rates(subset):\n"
    "    return subset.groupby(['state', 'year'])['count'].sum().to_frame('total').reset_index()\n"
    "def lags_vars(df, cols):\n"
    "    return df[cols].shift(1)\n"
    "def make_scorer_value(x):\n"
    "    return 3\n"
)


# what-is-a-step.md, Granularity: "Method chains give one step per transforming call"; CONVENTIONS 1: the call of a
# helper the notebook defines is no step (its body is, where it is written). What the cell chains onto the data the
# helper returned is written in the cell, so each transforming call there is a step, as it is on any frame: BuzzFeed
# News' newsrooms chain `parse_mcd_file(path).rename(...).loc[...]` (fentanyl deaths), `get_totals_and_rates(...).loc[..]
# .set_index(...)[c].unstack().dropna().assign(...)` (guardianship filings), `process_fwf(path).assign(...)` inside a
# concat (federal employees); Kaggle kernels `lags_vars(total, cols).fillna(0)`, `concat_df(train, test).drop([...],
# axis=1)`, `split_cabins(df).drop("CabinNum", axis=1)`. They read only the first row filter, or nothing. Controls: the
# helper's call alone, assigned or chained into a number, is no step; a helper bound to an op (a hand-written model)
# keeps its own reading; a chain shown with only inspection stays inspection.
CHAINED_ON_A_HELPERS_RESULT = [
    (HELPERS, "hisp = (parse_mcd_file('race.txt')\n"
              "        .rename(columns={'Hispanic Origin': 'Race'})\n"
              "        .loc[lambda x: x['Race'] == 'Hispanic or Latino'])", ["rename", "filter_rows"]),
    (HELPERS, "change = (get_totals_and_rates(counts)\n"
              "          .loc[lambda df: df['year'].isin([2018, 2019])]\n"
              "          .set_index(['state', 'year'])['total']\n"
              "          .unstack()\n"
              "          .dropna()\n"
              "          .assign(change=lambda df: df[2019] - df[2018]))",
     ["filter_rows", "other", "reshape", "drop_missing", "derive_feature"]),
    (HELPERS, "lagged = lags_vars(counts, ['count']).fillna(0)", ["impute_missing"]),
    (HELPERS, "state = parse_mcd_file('state.txt').drop(columns=['Notes'])", ["drop_columns"]),
    (HELPERS, "both = pd.concat([parse_mcd_file('a.txt').assign(drug='all'),\n"
              "                  parse_mcd_file('b.txt').assign(drug='coc')])",
     ["derive_feature", "derive_feature", "concat"]),
    # controls
    (HELPERS, "totals = get_totals_and_rates(counts)", []),
    (HELPERS, "n = get_totals_and_rates(counts)['total'].sum()", []),
    (HELPERS, "get_totals_and_rates(counts).head()", []),
    (HELPERS, "get_totals_and_rates(counts).to_csv('totals.csv')", []),
    (HELPERS, "v = make_scorer_value(counts).round(2)", []),
    (PD + "def gradientDescent(X, y, theta):\n    return theta\n",
     "theta = gradientDescent(counts, counts.y, 0).round(2)", ["fit_model"]),
]


@pytest.mark.parametrize("setup,cell,expected", CHAINED_ON_A_HELPERS_RESULT)
def test_calls_chained_on_a_helpers_result_are_steps(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 22: "`groupby().agg/sum/mean/size/describe`" are `aggregate`; CONVENTIONS 6: a group-by aggregation shown
# counts. Each group's distinct values (`groupby("naics_sector_rollup")["source"].unique()`, BuzzFeed News' EEOC
# analysis, then joined into one text per group; Kaggle kernels' `groupby("GroupID")["HomePlanet"].unique()`) are one
# entry per group, as `nunique()` and `agg("unique")` already were, where they read no step at all. Controls: a
# column's own `unique()` stays an answer, assigned or not (CONVENTIONS 10), and so does a bare groupby.
GROUPS_DISTINCT_VALUES = [
    (PD, "sources = counts.groupby('state')['source'].unique()", ["aggregate"]),
    (PD, "sources = counts.groupby('state')['source'].unique().apply(','.join).reset_index()",
     ["aggregate", "derive_feature", "other"]),
    (PD, "metrics = pd.merge(counts, counts.groupby('state')['source'].unique().apply(','.join).reset_index(),\n"
         "                   on='state', how='left')", ["aggregate", "derive_feature", "other", "join"]),
    (PD, "counts.groupby('state')['source'].unique()", ["aggregate"]),
    # controls
    (PD, "states = counts['state'].unique()", []),
    (PD, "counts['state'].unique()", []),
    (PD, "grp = counts.groupby('state')", []),
    (PD, "n = counts.groupby('state')['source'].nunique()", ["aggregate"]),
]


@pytest.mark.parametrize("setup,cell,expected", GROUPS_DISTINCT_VALUES)
def test_each_groups_distinct_values_aggregate(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)
