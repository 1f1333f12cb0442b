"""A frame a cell changes only by whole-column stores (`df["a"] = ...`) keeps, for the columns it did not store to, the
digests and missing-value counts measured before the cell (NamespaceTracking._known_columns, read_only.cell_mentions):
the facts are those of a probe that reads every column again, and fewer columns are read. A frame written any other way
(an alias, a container, a notebook function, exec/globals(), a handle on its memory) has every column read again."""

from __future__ import annotations

import pytest

from .in_process_probe import new_probe, run_cell
from trackit_sidecar.kernel.probe import fingerprints, nulls, tracking
from trackit_sidecar.kernel.probe.read_only import cell_mentions

# (code, the names it changes only by column stores, with their labels)
COLUMN_STORES = [
    ("df['a'] = 1", {"df": {"a"}}),
    ("df['a'] = df['b'] * 2\ndf['c'] = df['a'].round()", {"df": {"a", "c"}}),
    ("df['a'] = other['x']\nother.head()", {"df": {"a"}}),
    ("if len(df):\n    df['a'] = 0", {"df": {"a"}}),
    ("df['a'] = df2['b'] = 0", {"df": {"a"}, "df2": {"b"}}),
    ("df.head()", {}),  # only read: not a column store
    ("df[col] = 1", {}),  # which column: not known from the code
    ("df['a'], df['b'] = 1, 2", {}),  # unpacked
    ("df['a'] += 1", {}),
    ("df.loc[:, 'a'] = 1", {}),
    ("df['a']['x'] = 1", {}),
    ("df[['a', 'b']] = 0", {}),
    ("df[0] = 1", {}),  # a label that is no string
    ("del df['a']", {}),
    ("df.insert(0, 'a', 1)", {}),
    ("df['a'] = 1\ndf.fillna(0, inplace=True)", {}),
    ("df['a'] = 1\nalias = df", {}),  # bound to another name
    ("df = df.copy()\ndf['a'] = 1", {}),  # rebound in the cell
    ("df['a'] = 1  # df", {}),  # a mention in a comment or string
    ("df['a'] = 1\ndf.columns = ['x', 'y']", {}),
    ("df['a'] = 1\nprocess(df)", {}),  # given to a function
]


@pytest.mark.parametrize("code,stores", COLUMN_STORES)
def test_which_names_a_cell_changes_only_by_column_stores(code, stores):
    mentions = cell_mentions(code)
    assert {name: set(labels) for name, labels in mentions[2].items()} == stores
    assert set(stores) <= mentions[1]  # still names the frame may change through (read_only's rule)


SETUP = ("import numpy as np\nimport pandas as pd\nn = 20_000\n"
         "df = pd.DataFrame({'a': np.arange(n, dtype=float), 'i': np.arange(n), 'f': np.where(np.arange(n) % 7 == 0, "
         "np.nan, 1.0), 's': pd.array(['x'] * n, dtype='str'), 't': pd.date_range('2024-01-01', periods=n, freq='min')})")


def _run(cells: list[str], known_on: bool, monkeypatch, in_burst: bool = True) -> \
        tuple[list[list[dict]], list[int], list[int], int]:
    """Each cell's facts, how many column digests and null counts of numbers its measurements computed, and how many
    columns were known from before a cell; `in_burst`: the cells as in a Run All."""
    if not known_on:
        monkeypatch.setattr(tracking.NamespaceTracking, "_known_columns", lambda *args: None)
    digested, counted = [], []
    real_digest, real_block = fingerprints._column_digest, nulls._block_nulls
    monkeypatch.setattr(fingerprints, "_column_digest", lambda *args: digested.append(1) or real_digest(*args))
    monkeypatch.setattr(nulls, "_block_nulls", lambda values: (  # integers have no missing value to read
        values.dtype.kind in "iub" or counted.append(len(values)), real_block(values))[1])
    p = new_probe()
    p.shell.user_ns["__name__"] = "__main__"  # as in a kernel: what a class a cell defines has as __module__
    p._in_burst = in_burst  # cells back to back (a Run All): the next cell came before the last push
    facts, digests, counts = [], [], []
    for count, source in enumerate(cells, 1):
        digested.clear()
        counted.clear()
        run_cell(p, count, source)
        facts.append(p.facts_for(count))
        digests.append(len(digested))
        counts.append(sum(counted))
    monkeypatch.undo()
    assert p.errors == []
    return facts, digests, counts, p.columns_known


def test_columns_a_cell_did_not_store_to_keep_their_digests_and_counts_with_the_same_facts(monkeypatch):
    cells = [SETUP, "df['b'] = df['a'] * 2", "df['a'] = df['a'].round(-2)\ndf['f'] = df['f'].fillna(0.0)",
             "df['a'] = df['a'] + 1", "df.loc[0, 'i'] = -1"]
    facts, digests, counts, known = _run(cells, True, monkeypatch)
    measured, digests_without, counts_without, none_known = _run(cells, False, monkeypatch)
    assert facts == measured and none_known == 0
    # the first cell reads a, i, f, t and s; then s is not read again (an Arrow string column: StringColumnDigests) and b
    # is added. A cell reads only the columns it stored to, but the last, which writes df in place otherwise
    assert digests_without == [5, 5, 5, 5, 5]
    assert digests == [5, 1, 2, 1, 5]
    assert known == 5 + 4 + 5  # the labels of the columns not stored to, strings included
    # columns counted (the rows of numpy blocks that can hold missing values: the floats a and f, the dates t, then b):
    # when a block's columns were all counted before and none was stored to, not again
    assert counts_without == [3, 4, 4, 4, 4]
    assert counts == [3, 1, 2, 1, 4]
    changed = [{fact["variable"]: fact for fact in cell}["df"] for cell in facts[1:]]
    assert [fact["changed"] for fact in changed] == [True] * 4
    assert changed[1]["column_nulls_before"] == {"f": 2858} and changed[1]["column_nulls_after"] == {}


def test_cells_run_one_by_one_read_their_code_for_column_stores_of_frames_worth_it(monkeypatch):
    # parsing in the hooks of a cell run on its own costs about what measuring READ_CODE_MIN_VALUES values does
    cells = [SETUP, "df['b'] = df['a'] * 2", "small = df.head(100)", "small['c'] = small['a'] * 3"]
    facts, digests, _counts, known = _run(cells, True, monkeypatch, in_burst=False)
    measured, digests_without, _, _ = _run(cells, False, monkeypatch, in_burst=False)
    assert facts == measured
    assert digests[1] == 1 and digests_without[1] == 5  # 20,000 x 5 values: a, i, f, s, t known
    assert digests[3] == digests_without[3] == 6  # 100 x 6 values: every column read
    assert known == 5


def test_a_frame_whose_counted_columns_were_not_stored_to_is_not_counted_again(monkeypatch):
    cells = [SETUP, "df['f'] = df['f'].fillna(0.0)\ndf['k'] = 1.5", "df['k'] = 2.5"]
    facts, _digests, counts, _known = _run(cells, True, monkeypatch)
    measured, _, counts_without, _ = _run(cells, False, monkeypatch)
    assert facts == measured
    # cell 3 stores k, a float column in a block of its own (a column store replaces its block): the float block of a
    # and f is not counted again
    assert counts_without[2] > counts[2]


# (cells after SETUP, the last cell's code): df's column 'a' written in the last cell other than by a store to it,
# which also stores column 'b'
WRITES_ELSEWHERE = [
    ("alias = df", "df['b'] = 1.0\nalias.loc[0, 'a'] = -1.0"),  # the same object under another name
    ("frames = {'k': df}", "df['b'] = 1.0\nframes['k'].loc[0, 'a'] = -1.0"),  # in a container
    ("def scale():\n    df.loc[0, 'a'] = -1.0", "df['b'] = 1.0\nscale()"),  # a function of the notebook's
    ("def scaler(frame):\n    def scale():\n        frame.loc[0, 'a'] = -1.0\n    return scale\nscale = scaler(df)",
     "df['b'] = 1.0\nscale()"),  # a closure over the frame
    ("class Cleaner:\n    def run(self):\n        df.loc[0, 'a'] = -1.0\ncleaner = Cleaner()", "df['b'] = 1.0\ncleaner.run()"),
    ("", "df['b'] = 1.0\nglobals()['df'].loc[0, 'a'] = -1.0"),
    ("", "df['b'] = 1.0\nexec(\"df.loc[0, 'a'] = -1.0\")"),
    ("code = 'df.loc[0, ' + repr('a') + '] = -1.0'", "df['b'] = 1.0\nexec(code)"),  # code made in another cell
    ("column = df['a'].array", "df['b'] = 1.0\ncolumn[0] = -1.0"),  # a handle on df's memory
    ("alias = df", "df['b'] = 1.0\nalias['a'] = -1.0"),  # a column store through another name
]


@pytest.mark.parametrize("setup,cell", WRITES_ELSEWHERE)
def test_a_frame_written_through_anything_else_has_every_column_read_again(monkeypatch, setup, cell):
    cells = [SETUP, setup, cell] if setup else [SETUP, cell]
    facts, digests, _counts, known = _run(cells, True, monkeypatch)
    measured, digests_without, _, _ = _run(cells, False, monkeypatch)
    assert facts == measured
    last = {fact["variable"]: fact for fact in facts[-1]}["df"]
    assert last["changed"] and last["added_columns"] == ["b"]
    assert known == 0 and digests[-1] == digests_without[-1] >= 5  # a, i, f, t and b (of alias too, if named)


def test_a_column_store_that_changes_the_row_sample_reuses_nothing(monkeypatch):
    # 199,990 rows x 5 columns hash whole; a sixth column makes them a sample (fingerprints.row_ranges): other rows
    cells = [SETUP.replace("n = 20_000", "n = 199_990"), "df['b'] = 0.5"]
    facts, digests, _counts, _known = _run(cells, True, monkeypatch)
    measured, digests_without, _, _ = _run(cells, False, monkeypatch)
    assert facts == measured and facts[1][0]["sampled"] and not facts[0][0]["sampled"]
    assert digests[-1] == digests_without[-1] == 6  # every column, s too (other rows)
