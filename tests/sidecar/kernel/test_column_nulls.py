"""A frame's missing values by column (kernel/probe/nulls.null_counts): only the columns that have any, none past
MAX_COLUMNS_WITH_NULLS or with repeated labels; in the facts as column_nulls_before / column_nulls_after, measured
from the same snapshots as the total (not in the cell's time)."""

from __future__ import annotations

import pytest

from trackit_sidecar.kernel.probe import nulls
from trackit_sidecar.protocol import RuntimeFacts

from .in_process_probe import new_probe, run_cell

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")


def test_a_frames_missing_values_by_column_are_pandas_own_counts_of_the_columns_that_have_any():
    frame = pd.DataFrame({"f": [1.0, None, 3.0], "o": ["x", None, None], "i": [1, 2, 3], "all": [np.nan] * 3,
                          "e": pd.array([1, None, 3], dtype="Int64"), "c": pd.Categorical(["u", None, "u"]),
                          "t": pd.to_datetime(["2020-01-01", None, "2020-01-03"]), "g": [4.0, 5.0, None]})
    total, by_column = nulls.null_counts(frame, "DataFrame")
    expected = {str(c): int(n) for c, n in frame.isna().sum().items() if n}
    assert by_column == expected and list(by_column) == list(expected)  # in column order
    assert total == sum(expected.values()) == nulls.count_nulls(frame, "DataFrame")
    assert nulls.null_counts(pd.DataFrame({"a": [1.0, 2.0]}), "DataFrame") == (0, {})  # counted: no gaps
    wide_block = pd.DataFrame(np.where(np.eye(4, 6) == 1, np.nan, 1.0))  # one 2-D float block
    assert nulls.null_counts(wide_block, "DataFrame") == (4, {"0": 1, "1": 1, "2": 1, "3": 1})


def test_missing_values_are_not_given_by_column_past_the_cap_or_with_repeated_labels():
    cap = nulls.MAX_COLUMNS_WITH_NULLS
    at_cap = pd.DataFrame(np.full((2, cap), np.nan))
    assert len(nulls.null_counts(at_cap, "DataFrame")[1]) == cap
    wider = pd.DataFrame(np.full((2, cap + 1), np.nan))  # a cut list would read as "no gaps" in the columns cut
    assert nulls.null_counts(wider, "DataFrame") == (2 * (cap + 1), None)
    wide_without_gaps = pd.DataFrame(np.ones((2, cap + 50)))
    wide_without_gaps[0] = np.nan
    assert nulls.null_counts(wide_without_gaps, "DataFrame") == (2, {"0": 2})  # the cap counts columns with gaps
    repeated = pd.DataFrame([[1.0, None]], columns=["a", "a"])
    assert nulls.null_counts(repeated, "DataFrame") == (1, None)
    assert nulls.null_counts(pd.Series([1.0, None]), "Series") == (1, None)


def test_a_polars_frame_is_counted_by_column_too():
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"a": [1, None, 3], "b": ["x", "y", "z"], "c": [None, None, 1.0]})
    assert nulls.null_counts(frame, "polars.DataFrame") == (3, {"a": 1, "c": 2})


def test_the_facts_give_each_side_by_column_and_the_sidecar_reads_them():
    p = new_probe()
    run_cell(p, 1, "import pandas as pd\nimport numpy as np\n"
                   "df = pd.DataFrame({'a': [1.0, None, None], 'b': ['x', None, 'z'], 'gone': [np.nan] * 3})")
    run_cell(p, 2, "df.drop(columns=['gone'], inplace=True)\ndf['a'] = df['a'].fillna(0)")
    run_cell(p, 3, "s = df['b']")
    assert p.errors == []
    first = next(f for f in p.facts_for(1) if f["variable"] == "df")
    assert first["column_nulls_after"] == {"a": 2, "b": 1, "gone": 3} and "column_nulls_before" not in first
    second = RuntimeFacts.model_validate(next(f for f in p.facts_for(2) if f["variable"] == "df"))
    assert (second.column_nulls_before, second.column_nulls_after) == ({"a": 2, "b": 1, "gone": 3}, {"b": 1})
    series = next(f for f in p.facts_for(3) if f["variable"] == "s")
    assert "column_nulls_after" not in series and series["nulls_after"] == 1


def test_labels_listed_by_the_entry_are_not_listed_again_and_give_the_same_counts(monkeypatch):
    frame = pd.DataFrame({"a": [1.0, None, 3.0], "b": ["x", None, None], "c": [1, 2, 3]})
    # labels whose strings are not those of what tolist lists: float32 (str(np.float32(0.1)) is "0.1"), numbers
    odd = pd.DataFrame(np.array([[1.0, np.nan], [np.nan, np.nan]]), columns=pd.Index([0.1, 0.2], dtype="float32"))
    expected = [nulls.null_counts(frame, "DataFrame", {"a": 1, "c": 0}), nulls.null_counts(odd, "DataFrame")]
    listed = [tuple(frame.columns.tolist()), tuple(odd.columns.tolist())]

    def listed_again(self):
        raise AssertionError("the labels were listed again")

    monkeypatch.setattr(pd.Index, "tolist", listed_again)
    assert [nulls.null_counts(frame, "DataFrame", {"a": 1, "c": 0}, listed[0]),
            nulls.null_counts(odd, "DataFrame", None, listed[1])] == expected
    assert expected[1] == (3, {"0.1": 1, "0.2": 2})
