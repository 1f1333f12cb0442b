"""The eighteenth pass (acc26, issue 10): idioms of fresh NON-Kaggle material from OUTSIDE the blind corpus (a
university textbook's notebooks, a course book in MyST, a polars/pandas book, a newsroom's analysis, a NumPy lesson;
sources listed in tests/corpus/blind/README.md, "Eighteenth pass (acc26 ...)"), read against what-is-a-step.md and
tests/corpus/blind/CONVENTIONS.md. Each row is a cell written the way those sources write it and the ops the definition
gives it, after set-up lines that load what it reads (the set-up's own steps are not counted). Every group has negative
controls: the same shape where the definition gives it another op, or no step.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('offers.csv')\n"


# CONVENTIONS 29: "A domain threshold is `filter_rows`"; outlier_remove is a STATISTICAL bound (what-is-a-step.md:
# "`query` with a statistical bound (mean ± k·std, quantiles)"). A category value compared with (`df.grade == "Upper"`,
# "...Treatment('Upper Income')...", `isin(["Lower", "Upper"])`) names a group of rows, not a bound, even when the word
# is one a bound's name uses; the newsroom's regression tables are filtered this way. Controls: a bound held in a name
# (`x < upper`) and a bound named inside a query string (`"price < @upper"`) still remove outliers.
COMPARED_LABELS = [
    (PD, "low = df[(df.model == 'income_level_controls') & "
         "(df.index == \"C(income_level, Treatment('Upper Income'))[T.Low]\")]", ["filter_rows"]),
    (PD, "upper_income = df[df.income_level == 'Upper Income']", ["filter_rows"]),
    (PD, "graded = df[df.band.isin(['Lower', 'Upper'])]", ["filter_rows"]),
    (PD, "seattle = df.query(\"grade == 'Upper'\")", ["filter_rows"]),
    # controls
    (PD, "upper = df.price.quantile(0.99)\ntrimmed = df[df.price < upper]", ["outlier_remove"]),
    (PD, "upper = df.price.mean() + 3 * df.price.std()\ntrimmed = df.query('price < @upper')", ["outlier_remove"]),
    (PD, "trimmed = df[df.price < df.price.quantile(0.99)]", ["outlier_remove"]),
]


@pytest.mark.parametrize("setup,cell,expected", COMPARED_LABELS)
def test_a_category_value_compared_with_is_a_filter_not_a_bound(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 29: "A `notnull()`/`~isna()` row filter is drop_missing". Written as a query string (`df.query("not
# aum.isnull()", engine="python")`, the textbook's chained cleaning) it keeps the same rows as df[df.aum.notna()].
# Controls: a query keeping the rows whose value is MISSING, one that also compares a value, and a plain comparison
# are filters of rows.
QUERIED_PRESENT = [
    (PD, "cz = df.query('not aum.isnull()', engine='python')", ["drop_missing"]),
    (PD, "cz = df.query('aum.notnull()')", ["drop_missing"]),
    (PD, "cz = (pd.read_csv('mobility.csv')\n"
         "      .query('not aum.isnull()', engine='python')\n"
         "      .query('cz > 100'))", ["load", "drop_missing", "filter_rows"]),
    (PD, "cz = df.query('aum.notna() and rel_tot.notna()')", ["drop_missing"]),
    # controls
    (PD, "gaps = df.query('aum.isnull()')", ["filter_rows"]),
    (PD, "cz = df.query('not aum.isnull() and gini > 0.3', engine='python')", ["filter_rows"]),
    (PD, "cz = df.query('gini > 0.3')", ["filter_rows"]),
]


@pytest.mark.parametrize("setup,cell,expected", QUERIED_PRESENT)
def test_a_query_keeping_present_values_drops_missing(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 18: "`X = df[cols]` ... are `select_columns`" (and 15: the column-name list itself is no step). The
# labels kept by a comprehension over the frame's own labels (`df[[c for c in df.columns if c != "geoid"]]`, the
# newsroom's way of dropping a key after a merge) pick columns as a written list does. Controls: the comprehension
# alone (a list of names), and the selection only shown.
COMPREHENDED_COLUMNS = [
    (PD, "att_acs = df[[c for c in df.columns if c != 'geoid']]", ["select_columns"]),
    (PD, "table = df[[c for c in df.columns if c not in ['uniform_speed_race', 'uniform_speed_redlining']]]",
     ["select_columns"]),
    (PD, "cols = list(df.columns)\nX = df[[c for c in cols if c.startswith('pct_')]]", ["select_columns"]),
    # controls
    (PD, "keep = [c for c in df.columns if c != 'geoid']", []),
    (PD, "df[[c for c in df.columns if c != 'geoid']].head()", []),
]


@pytest.mark.parametrize("setup,cell,expected", COMPREHENDED_COLUMNS)
def test_columns_kept_by_a_comprehension_over_labels_are_selected(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# what-is-a-step.md: "Plotting, even when the plot call computes something internally" is not a step. Figures put
# together with `+` (altair layers `points + line`, `chart += alt.Chart(...)`, the course book's way; plotnine's
# `ggplot(df, aes(...)) + geom_point()`) are plotting, not arithmetic that derives a column. Controls: arithmetic of
# data columns still derives, and an aggregate assigned and then only drawn still counts (CONVENTIONS 8).
ALT = PD + "import altair as alt\n"
GG = PD + "from plotnine import ggplot, aes, geom_point, geom_line\n"
LAYERED_FIGURES = [
    (ALT, "points = alt.Chart(df).mark_circle().encode(x='sqft', y='price')\n"
          "line = alt.Chart(df).mark_line().encode(x='sqft', y='predicted')\n"
          "lm_plot = points + line\nlm_plot", []),
    (ALT, "small_plot = alt.Chart(df).mark_circle().encode(x='sqft', y='price')\n"
          "small_plot += alt.Chart(df).mark_rule().encode(x='sqft')\nsmall_plot", []),
    (ALT, "base = alt.Chart(df).encode(x='sqft')\nchart = base.mark_line() + base.mark_point()", []),
    (GG, "p = (ggplot(df, aes('sqft', 'price'))\n     + geom_point()\n     + geom_line())\np", []),
    # controls
    (ALT, "df['ppsf'] = df['price'] + df['tax']", ["derive_feature"]),
    (ALT, "by_city = df.groupby('city')['price'].mean().reset_index()\n"
          "bars = alt.Chart(by_city).mark_bar().encode(x='city', y='price')\n"
          "bars + alt.Chart(by_city).mark_rule().encode(y='mean(price)')", ["aggregate", "other"]),
]


@pytest.mark.parametrize("setup,cell,expected", LAYERED_FIGURES)
def test_figures_put_together_are_plotting(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 15 / 10: the unique values of a column are an answer (inspection), and putting them into a list the
# notebook wrote (`states = []`, then `states.extend(df["state"].unique())` per provider, the newsroom's tally) builds
# no table: `extend` there is the Python list's, not polars' DataFrame.extend (a concat). Controls: polars frames
# extended are a concat; files read into a list are loads.
PL = PD + "import polars as pl\n"
EXTENDED_LISTS = [
    (PD, "states = []\nstates.extend(df['state'].unique())", []),
    (PD, "states = []\nfor part in [df, df]:\n    states.extend(part['state'].unique())\nlen(set(states))", []),
    # controls
    (PL, "d1 = pl.read_csv('a.csv')\nd2 = pl.read_csv('b.csv')\nd1.extend(d2)", ["load", "load", "concat"]),
    (PD, "frames = []\nfor p in ['a.csv', 'b.csv']:\n    frames.append(pd.read_csv(p))\nall_rows = pd.concat(frames)",
     ["load", "concat"]),
]


@pytest.mark.parametrize("setup,cell,expected", EXTENDED_LISTS)
def test_values_put_into_a_written_list_are_no_concat(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)
