"""Nineteenth pass (issue 10, acc30): causes left on the tuning notebooks that are idioms written well beyond the
corpus, each from a clause of what-is-a-step.md or CONVENTIONS, on small hand-written cells with positive and
negative controls:

- the date part of datetimes (`df["date"] = df["datetime"].dt.date`, polars `pl.col("ts").dt.date().alias("day")`,
  written beside `.dt.hour` / `.dt.day` in many notebooks) is derive_feature, as `.dt.hour` is (CONVENTIONS 21:
  "`to_datetime`, `strptime` and tz conversion are `datetime_parse`. Extracting date parts is `derive_feature`");
  it read datetime_parse. Read off datetimes parsed in the same expression (`pd.to_datetime(s).dt.date`,
  `.str.strptime(pl.Datetime).dt.date()`) it stays one datetime_parse: text parsed to dates;
- one column of a frame wrapped alone in a frame or series (`targets = pd.DataFrame(score["score"])`,
  `y = pd.DataFrame(train["SalePrice"])`, `submit = pd.DataFrame(test["Id"])`) is that column as a table, a
  select_columns, as `score["score"].to_frame()` already was (CONVENTIONS 18: "a single column that ends the assigned
  expression (`y = df['target']`)" is select_columns; 12: the wrap is a container conversion around it); it read
  `other`. A whole frame wrapped stays `other` (12), an entry of a dict the notebook did not read from data stays
  as it was, and distinct values made a table stay drop_duplicates;
- values divided by their own maximum taken with Python's builtin (`df["Age"] = df["Age"] / max(df["Age"])`,
  "# Normalize" in many notebooks) are rescaled, as `df["Age"] / df["Age"].max()` already was (CONVENTIONS 23:
  "scalers ... are `scale_normalize`"; kb.numpy TOTAL_METHODS); so is that share of the maximum times a number written
  in the code (`y = y / max(y) * 100`, a percentage of the largest value), where it read derive_feature or no step
  at all. A share of the sum in percent, a maximum with a floor (`max(x, 1)`) and another column's maximum through
  the builtin sum stay as they were.
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

POLARS = "import polars as pl\ndata = pl.read_csv('b.csv')\n"


@pytest.mark.parametrize("setup, cell, ops", [
    # the date part of datetimes the data holds: a feature, as the hour is (CONVENTIONS 21)
    (FRAME_AND_NUMPY, "df['date'] = df['datetime'].dt.date", ["derive_feature"]),
    (FRAME_AND_NUMPY, "df['date'] = df['datetime'].dt.date\ndf['hour'] = df['datetime'].dt.hour",
     ["derive_feature", "derive_feature"]),
    (POLARS, "data = data.with_columns(pl.col('date').dt.date().alias('trade_date'))", ["derive_feature"]),
    (POLARS, "data = data.with_columns(pl.col('ts').dt.date().alias('day'), pl.col('ts').dt.hour().alias('h'))",
     ["derive_feature"]),
])
def test_the_date_part_of_datetimes_is_a_feature(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", [
    # controls: text parsed to dates on the way is one parse (CONVENTIONS 21)
    (FRAME_AND_NUMPY, "df['end'] = pd.to_datetime(df['end']).dt.date", ["datetime_parse"]),
    (POLARS, "data = data.with_columns(pl.col('d').str.strptime(pl.Datetime, format='%Y-%m-%d').dt.date())",
     ["datetime_parse"]),
    (POLARS, "data = data.with_columns(pl.col('d').str.to_datetime().dt.date().alias('day'))", ["datetime_parse"]),
    # a key computed to group by stays part of the aggregation (test_steps_batch2_tuning_rules)
    (FRAME_AND_NUMPY, "daily = df.groupby(df['t'].dt.date)['v'].sum()", ["aggregate"]),
    # conversions of datetimes stay parses
    (FRAME_AND_NUMPY, "df['t'] = df['t'].dt.tz_localize('UTC')", ["datetime_parse"]),
    (FRAME_AND_NUMPY, "df['m'] = df['t'].dt.to_period('M')", ["datetime_parse"]),
])
def test_dates_parsed_on_the_way_stay_one_parse(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # koehrsen's walkthrough, the house-prices kernels: the target or the id column as a table
    ("targets = pd.DataFrame(df['score'])", ["select_columns"]),
    ("y = pd.DataFrame(df['SalePrice'])", ["select_columns"]),
    ("y = pd.Series(df['SalePrice'])", ["select_columns"]),
    ("submit = pd.DataFrame(df['Id'])\nsubmit['SalePrice'] = 0", ["select_columns", "derive_feature"]),
])
def test_one_column_wrapped_alone_is_that_column_selected(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # the same column through the method, as before
    ("y = df['SalePrice'].to_frame()", ["select_columns"]),
    # a whole frame wrapped: a conversion (CONVENTIONS 12)
    ("X2 = pd.DataFrame(df)", ["other"]),
    # a wrap only shown: no step (CONVENTIONS 6)
    ("pd.DataFrame(df['y'])", []),
    # distinct values made a table (test_steps_pass6)
    ("players = pd.DataFrame(df['loser'].unique())", ["drop_duplicates"]),
    # an entry of what a notebook function returned, not a column of data: as before
    ("setup = get_setup('x')\nt = pd.DataFrame(setup['rows'])", ["other"]),
])
def test_other_wraps_are_unchanged(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


GENERATED = FRAME_AND_NUMPY + "from sklearn import datasets as ds\nX, y = ds.make_regression(n_samples=100, n_features=1)\n"


@pytest.mark.parametrize("cell, ops", [
    # ds-cgrant regression-models, the titanic kernels, "# Normalize time" scripts
    ("y = y / max(y) * 100", ["scale_normalize"]),
    ("y = y / max(y)", ["scale_normalize"]),
    ("df['Age'] = df['Age'] / max(df['Age'])", ["scale_normalize"]),
    ("df['Export'] = (df['Export'].to_numpy()) / max(df['Export'].to_numpy())", ["scale_normalize"]),
    ("y = y / y.max() * 100", ["scale_normalize"]),
    ("y2 = y / np.max(y) * 100", ["scale_normalize"]),
    ("df['a'] = df['a'] / df['a'].max() * 100", ["scale_normalize"]),
])
def test_values_divided_by_their_own_maximum_are_rescaled(cell: str, ops: list[str]) -> None:
    assert ops_after(GENERATED, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    ("y = y / y.max()", ["scale_normalize"]),  # as before
    ("df['pct'] = df['n'] / df['n'].sum() * 100", ["derive_feature"]),  # a percentage of the sum: as before
    ("df['p'] = df['n'] / sum(df['n'])", ["derive_feature"]),  # the builtin sum: as before
    ("df['a'] = df['a'] / max(df['a'], 1)", ["derive_feature"]),  # a maximum with a floor: a ratio
    ("z = df['a'] * 100 / df['b']", ["derive_feature"]),  # a ratio of two columns in percent
])
def test_other_divisions_are_unchanged(cell: str, ops: list[str]) -> None:
    assert ops_after(GENERATED, cell) == ops
