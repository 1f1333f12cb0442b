"""Problems a join does not show: rows of the left table that matched nothing, kept with their new columns missing
(a left join) or dropped (a merge that is an inner join because the call did not say `how=`).

Run for real: a notebook through `trackit run` (a real ipykernel, the probe's facts, a real DuckDB file), then
`trackit summarize`. Each silent change is listed once under Problems, with the count the kernel measured; each
look-alike that is not one is not listed.
"""

from __future__ import annotations

import pytest

from ..recorded_notebook import problems_section, record_notebook, trackit

CELLS = [
    # 1
    "import pandas as pd\nimport polars as pl\n"
    "people = pd.DataFrame({'id': [1, 2, 3, 4, 5], 'age': [31, 40, 22, 35, 50]})\n"
    "cities = pd.DataFrame({'id': [1, 2, 3], 'city': list('xyz'), 'zone': [1, 2, 3]})\n"
    "gappy = pd.DataFrame({'id': [1, 2, 3, 4, 5], 'city': ['x', None, 'z', 'w', 'v']})\n"
    "zoned = pd.DataFrame({'id': [1, 2, 3, 4, 5], 'zone': [9, None, 9, 9, 9]})",
    # 2: ids 4 and 5 are not in `cities`: their city and zone are missing
    "located = people.merge(cities, on='id', how='left')",
    # 3: a merge is inner unless it says: ids 4 and 5 are gone
    "kept = people.merge(cities, on='id')",
    # 4: inner, and said so: meant
    "inner = people.merge(cities, on='id', how='inner')",
    # 5: every id matched; the one gap came from `gappy` itself
    "with_gaps = people.merge(gappy, on='id', how='left')",
    # 6: DataFrame.join is a left join by default
    "joined = people.set_index('id').join(cities.set_index('id'))",
    # 7: polars, left, then inner by default
    "pp = pl.from_pandas(people)\npc = pl.from_pandas(cities)\nplj = pp.join(pc, on='id', how='left')\n"
    "pli = pp.join(pc, on='id')",
    # 8: every id matched
    "everyone = people.merge(people[['id']].assign(seen=True), on='id', how='left')",
    # 9: `zone` on both sides: zone_x carries the left's own gap, so the counts of the new columns differ
    "suffixed = zoned.merge(cities, on='id', how='left')",
]


@pytest.fixture(scope="module")
def problems(tmp_path_factory):
    folder = tmp_path_factory.mktemp("joins")
    notebook, ran = record_notebook(folder, CELLS, folder / "t.duckdb", "joins.ipynb")
    assert "error" not in ran
    return problems_section(notebook, folder / "t.duckdb")


def test_a_left_join_whose_rows_matched_nothing_names_how_many_and_the_columns_left_missing(problems):
    assert ("`located = people.merge(cities, on='id', how='left')` found no row of `cities` for 2 of the 5 rows of "
            "`people`: their `city` and `zone` are missing [cell 2]") in problems
    assert ("found no row of `cities` for 2 of the 5 rows of `people`: their `city` and `zone` are missing "
            "[cell 6]") in problems  # DataFrame.join: left by default
    assert ("`plj = pp.join(pc, on='id', how='left')` found no row of `pc` for 2 of the 5 rows of `pp`: their `city` "
            "and `zone` are missing [cell 7]") in problems


def test_a_merge_that_is_inner_by_default_and_dropped_rows_is_a_problem(problems):
    assert ("`kept = people.merge(cities, on='id')` gave 3 rows from the 5 of `people`: rows of `people` that matched "
            "no row of `cities` were dropped, since `merge` is an inner join unless `how=` says otherwise "
            "[cell 3]") in problems
    assert ("`pli = pp.join(pc, on='id')` gave 3 rows from the 5 of `pp`: rows of `pp` that matched no row of `pc` "
            "were dropped, since `join` is an inner join unless `how=` says otherwise [cell 7]") in problems


def test_joins_that_were_meant_or_matched_everything_are_not_problems(problems):
    for meant in ("[cell 4]", "[cell 5]", "[cell 8]"):  # inner said; gaps of the right table; all matched
        assert meant not in problems


def test_no_count_is_told_when_a_new_column_carries_the_left_tables_own_gaps(problems):
    assert "[cell 9]" not in problems
