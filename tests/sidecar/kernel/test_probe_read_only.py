"""A pandas object a cell names only to read it is not measured again (read_only), and a cell that may write it in any
way the probe knows of, directly or through something else, still has it measured: its facts are those of a probe that
measures every named object (read_only switched off), cell by cell."""

from __future__ import annotations

import pytest

from .in_process_probe import new_probe, run_cell
from trackit_sidecar.kernel.probe import notebook_code, read_only, tracking
from trackit_sidecar.kernel.probe.read_only import read_only_mentions

# (code, name, whether the code only reads what the name holds)
MENTIONS = [
    ('df["TX_SEX"]', "df", True),
    ('df["DT_HOUR"].unique()', "df", True),
    ('(df["DT_HOUR"] == 99).sum()', "df", True),
    ('cols = [c for c in df.columns if c.endswith("_FR")]\ncols', "df", True),
    ("df.drop_duplicates(subset=keys)", "df", True),
    ("print(df.shape)\nlen(df)", "df", True),
    ("df", "df", True),
    ('df.sort_values("a", inplace=False)', "df", True),
    ("merged = left.merge(right)", "left", True),
    ('df.loc[df["a"] > 0, "a"] = 1', "df", False),
    ('df["a"] = 1', "df", False),
    ('del df["a"]', "df", False),
    ('df["a"] += 1', "df", False),
    ("df.columns = ['a']", "df", False),
    ("df.fillna(0, inplace=True)", "df", False),
    ("df.fillna(0, **options)", "df", False),
    ("df.update(other)", "df", False),
    ("alias = df", "df", False),
    ("clean(df)", "df", False),
    ("frames = [df]", "df", False),
    ("setter = df.loc", "df", False),
    ("df == 0", "df", False),
    ("df.head()  # df", "df", False),  # mentioned where no Name is: a comment, a string, a magic
    ("display('df')", "df", False),
    ('df.query("a > 0")\nprint("df")', "df", False),
    ("df[col] = 1\ncol", "col", True),  # a key is looked up, not changed (kern21)
    ("other.loc[rows, col]", "rows", True),
]


@pytest.mark.parametrize("code,name,only_read", MENTIONS)
def test_a_name_counts_as_only_read_when_every_mention_reads(code, name, only_read):
    mentions = read_only_mentions(code)
    assert mentions is not None
    assert (name in mentions[0]) is only_read


# A name the code may change an object through, bound again after that or in a loop that repeats it: its value after
# the cell (what tracking._only_read judges) need not be the object changed through (kern21: read_only._bound_again)
BOUND_AGAIN = [
    "frames[0].loc[0, 'a'] = -1\nframes = None",
    "holder.loc[0, 'a'] = -1\nimport numpy as holder",
    "holder.loc[0, 'a'] = -1\ndef holder():\n    pass",
    "for i in range(2):\n    x.loc[0, 'a'] = -1\n    x = other",
    "while more:\n    x = next_frame()\n    x.loc[0, 'a'] = -1",
    "x.loc[0, 'a'] = -1\n[(x := y) for y in z]",  # `:=` in a comprehension binds the cell's x
    "try:\n    x.loc[0, 'a'] = -1\nexcept ValueError as x:\n    pass",
]
# ... and bindings that do not make a value after the cell stand for another one changed through
NOT_BOUND_AGAIN = [
    "mapping = {'a': 'b'}\ndf['x'] = df['x'].replace(mapping)",  # bound before its one mention
    "[f.drop(columns='a', inplace=True) for f in frames]",  # the comprehension's own f
    "x.loc[0, 'a'] = -1\ndef f():\n    x = 0",  # the function's own x
    "total += 1",
]


@pytest.mark.parametrize("code", BOUND_AGAIN)
def test_a_name_changed_through_and_bound_again_makes_the_cell_read_nothing_only(code):
    assert read_only_mentions(code) is None


@pytest.mark.parametrize("code", NOT_BOUND_AGAIN)
def test_a_name_bound_before_its_change_or_in_another_scope_leaves_the_cell_understood(code):
    assert read_only_mentions(code) is not None


@pytest.mark.parametrize("code", [
    'df["a"].array[0] = 1', "view = df.values", "df.to_numpy()", "df.pipe(clean)", "df._mgr", "df[",
    "exec(code)\ndf.head()", "get_ipython().run_cell(code)",
])
def test_a_cell_that_reads_a_writable_handle_or_does_not_parse_reads_nothing_only(code):
    assert read_only_mentions(code) is None


SETUP = ("import numpy as np\nimport pandas as pd\n"
         "df = pd.DataFrame({'a': np.arange(4000.0), 'i': np.arange(4000), 's': pd.array(['x'] * 4000, dtype='str')})")

# (cells after SETUP, the last cell's code) whose last cell changes df's values through another name or the notebook's
# own code, with df's shape and dtypes the same and df mentioned only to be read
WRITES_ELSEWHERE = [
    ("alias = df", "alias.loc[0, 'a'] = -1.0\ndf.head()"),  # the same object under another name
    ("frames = {'k': df}", "frames['k'].loc[0, 'a'] = -1.0\ndf.head()"),  # in a container
    ("raw = np.arange(4000.0)\ndf = pd.DataFrame({'a': raw}, copy=False)",  # the array a frame was built over
     "raw[0] = -1.0\ndf.head()"),
    ("def scale():\n    df.loc[0, 'a'] = -1.0", "scale()\ndf.head()"),  # a function of the notebook's
    ("class Cleaner:\n    def run(self):\n        df.loc[0, 'a'] = -1.0\ncleaner = Cleaner()",
     "cleaner.run()\ndf.head()"),
    ("", "df['a'].array[0] = -1.0\ndf.head()"),
    # a handle on df's memory kept from an earlier cell, written in a cell that does not name df: the next cell that
    # names df measures it again, though it only reads it
    ("column = df['a'].array", "column[0] = -1.0"),
    ("code = 'df.loc[0, ' + repr('a') + '] = -1.0'", "exec(code)\ndf.head()"),  # code made in another cell
    ("raw = np.arange(4000.0)\ndf = pd.DataFrame({'a': raw}, copy=False)", "raw[0] = -1.0"),
    # changed through a name bound again after (kern21): its value after the cell reaches no frame
    ("frames = [df]", "df.head()\nframes[0].loc[0, 'a'] = -1.0\nframes = None"),
    # kern22: a bound method of df's kept under another name, a special method of its indexer, a library's instance
    # running a callback bound to df (each set-up also writes df, so that it is not only read there)
    ("setter = df.update\ndf.loc[0, 'i'] = 0", "setter(pd.DataFrame({'a': [-1.0]}))\ndf.head()"),
    ("", "df.loc.__setitem__((0, 'a'), -1.0)\ndf.head()"),
    ("import contextlib\nstack = contextlib.ExitStack()\nstack.callback(df.update, pd.DataFrame({'a': [-1.0]}))\n"
     "df.loc[0, 'i'] = 0", "stack.close()\ndf.head()"),
]


def _facts(cells: list[str], read_only_on: bool, monkeypatch) -> tuple[list[dict], int]:
    """The last cell's facts of df, and how many named objects were not measured again because only read."""
    if not read_only_on:
        monkeypatch.setattr(tracking.NamespaceTracking, "_only_read", lambda self: None)
    p = new_probe()
    p.shell.user_ns["__name__"] = "__main__"  # as in a kernel: what a class a cell defines has as __module__
    for count, source in enumerate(cells, 1):
        run_cell(p, count, source)
        facts = p.facts_for(count)
    monkeypatch.undo()
    assert p.errors == []
    return [fact for fact in facts if fact.get("variable") == "df"], p.only_read


@pytest.mark.parametrize("setup,cell", WRITES_ELSEWHERE)
def test_a_frame_written_through_anything_else_is_measured_again(monkeypatch, setup, cell):
    cells = [SETUP, setup, cell] if setup else [SETUP, cell]
    if "df" not in cell:  # df named next
        cells.append("df.head()")
    facts, only_read = _facts(cells, True, monkeypatch)
    measured, _ = _facts(cells, False, monkeypatch)
    assert facts == measured
    assert facts[0]["changed"] is True and only_read == 0


def test_a_frame_only_read_is_not_measured_again_and_has_the_facts_a_measurement_gives(monkeypatch):
    cells = [SETUP, "df['a'].sum()", "df.describe()", "small = df[df['a'] > 10].copy()\nprint(df.shape)",
             "df.head()  # df: mentioned in a comment, so measured again"]
    facts, only_read = _facts(cells, True, monkeypatch)
    measured, _ = _facts(cells, False, monkeypatch)
    assert facts == measured and facts[0]["changed"] is False
    assert only_read == 3


# (code, name, whether the code only reads what the name holds) where `pd` holds the pandas module
PANDAS_CALLS = [
    ("pd.merge(movies, ratings)", "ratings", True),
    ("pd.merge(movies, ratings, left_on='m_id', right_on='movie_id').head()", "movies", True),
    ("both = pd.concat([left, right], axis=1)", "right", True),
    ("pd.concat((left, right))", "left", True),
    ("pd.concat([left, right]).iloc[0] = 1", "left", True),  # the result is a new object
    ("pd.get_dummies(df)", "df", True),
    ("pd.merge(movies, ratings, **options)", "ratings", False),  # `**` could say anything
    ("pd.to_numeric(s)", "s", False),  # its result may be the input's memory
    ("np.concatenate([left, right])", "left", False),  # not the pandas module
    ("pd.concat([left, *others])", "others", False),
    ("pd.merge(movies.loc, ratings)", "movies", False),  # an indexer handed on
]


@pytest.mark.parametrize("code,name,only_read", PANDAS_CALLS)
def test_an_object_given_to_a_pandas_function_that_only_reads_it_counts_as_only_read(code, name, only_read):
    mentions = read_only_mentions(code, frozenset({"pd"}))
    assert mentions is not None
    assert (name in mentions[0]) is only_read
    assert name not in read_only_mentions(code)[0]  # not when `pd` is not known to be pandas


def test_frames_merged_or_concatenated_are_not_measured_again_and_have_the_facts_a_measurement_gives(monkeypatch):
    cells = [SETUP, "other = df.copy()", "merged = pd.merge(df, other, on='i')", "stacked = pd.concat([other, df])",
             "pd.merge(df, other.loc[other['a'] > 10], on='i').head()"]
    facts, only_read = _facts(cells, True, monkeypatch)
    measured, _ = _facts(cells, False, monkeypatch)
    assert facts == measured and facts[0]["changed"] is False
    assert only_read == 7  # df in `other = df.copy()`, then df and other in each of the last three cells


def test_a_frame_given_to_a_pandas_function_under_a_name_that_is_not_pandas_is_measured_again(monkeypatch):
    # a library object (not notebook_defined) holding a notebook function under `merge`, bound to `pd`
    cells = [SETUP, "import types\ndef writer(a, b):\n    a.loc[0, 'a'] -= 1.0\n    return a\n"
                    "fake = types.SimpleNamespace(merge=writer)", "pd = fake", "pd.merge(df, df)"]
    facts, only_read = _facts(cells, True, monkeypatch)
    measured, _ = _facts(cells, False, monkeypatch)
    assert facts == measured and facts[0]["changed"] is True
    assert only_read == 0


def test_a_notebook_class_or_function_is_told_from_a_librarys():
    import collections

    user_ns: dict = {"__name__": "__main__"}
    exec("class Mine:\n    pass\ndef mine():\n    pass\nimport functools\nbound = functools.partial(mine)", user_ns)
    for name in ("Mine", "mine", "bound"):
        assert notebook_code.notebook_defined(user_ns[name], user_ns)
    assert notebook_code.notebook_defined(user_ns["Mine"](), user_ns)
    for obj in (len, collections.OrderedDict(), collections, pytest.mark, 3):
        assert not notebook_code.notebook_defined(obj, user_ns)


@pytest.mark.parametrize("code,hands_out", [
    ("column = df['a'].array", True), ("view = df.values", True), ("frame = pd.DataFrame(raw, copy=False)", True),
    ("df._mgr", True), ("text = 'df.array'", True),
    ("s = pd.array(['x'], dtype='str')", False), ("a = np.array([1, 2])", False), ("df.head()", False),
    ("pd.read_table('data/u.data')", False), ("html = frame._repr_html_()", False),
])
def test_code_that_may_hand_out_a_handle_on_a_frames_memory_is_seen(code, hands_out):
    assert read_only.hands_out_memory(code) is hands_out


def test_a_frame_smaller_than_reading_the_code_costs_is_read_for_only_while_cells_come_back_to_back():
    cells = ["import pandas as pd\nsmall = pd.DataFrame({'a': [1.0, 2.0], 'b': [3, 4]})", "small.head()",
             "pd.merge(small, small, on='b')"]
    only_read, facts = {}, {}
    for in_burst in (False, True):
        p = new_probe()
        p._in_burst = in_burst  # a Run All's cells (set when a next cell comes before the last push: deferral)
        for count, source in enumerate(cells, 1):
            run_cell(p, count, source)
            facts[in_burst, count] = p.facts_for(count)
        assert p.errors == []
        only_read[in_burst] = p.only_read
    assert only_read == {False: 0, True: 2}
    assert all(facts[False, count] == facts[True, count] for count in (1, 2, 3))
    assert 2 * 2 < read_only.READ_CODE_MIN_VALUES


def test_what_a_change_through_another_name_cannot_bring_to_a_frame():
    import collections
    import contextlib
    import os
    import warnings

    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"a": [1.0]})
    cannot = [3, "x", None, len, print, [].append, pd.DataFrame.from_dict, pd, np.random, warnings, [1, "a"],
              {"k": 2.0}]
    # a frame or what holds one, a bound method of one (`setter = df.update`), a module that is no settings library's
    can = [frame, frame.update, frame.loc.__setitem__, np.arange(3), [frame], {"k": frame}, contextlib.ExitStack(),
           os, collections, collections.OrderedDict()]
    assert [read_only.cannot_reach_data(obj) for obj in cannot] == [True] * len(cannot)
    assert [read_only.cannot_reach_data(obj) for obj in can] == [False] * len(can)


@pytest.mark.parametrize("code,called", [
    ("stack.close()", {"stack"}), ("df.groupby('a').sum()", {"df"}), ("x.a[0].run(1)", {"x"}), ("len(df)", set()),
    ("df['a']", set()), ("f(x)", set()), ("pd.merge(a, b)", {"pd"}),
])
def test_the_names_a_method_is_called_through(code, called):
    assert read_only.cell_mentions(code)[3] == called


# (set-up cell, a cell that writes df's values through another name without naming df) (kern22): the next cell that
# only reads df, or stores to one of its columns, has the facts a measurement gives (df changed), not df's measurement
# from before the write
WRITES_IN_AN_EARLIER_CELL = [
    ("alias = df", "alias.loc[0, 'a'] = -1.0"),
    ("frames = [df]", "frames[0].loc[0, 'a'] = -1.0"),
    ("def scale():\n    df.loc[0, 'a'] = -1.0", "scale()"),
    ("import contextlib\nstack = contextlib.ExitStack()\nstack.callback(df.update, pd.DataFrame({'a': [-1.0]}))\n"
     "df.loc[0, 'i'] = 0", "stack.close()"),
]


@pytest.mark.parametrize("last", ["df.head()", "df['b'] = 1.0"])
@pytest.mark.parametrize("setup,write", WRITES_IN_AN_EARLIER_CELL)
def test_a_frame_written_in_an_earlier_cell_through_another_name_is_measured_when_next_named(monkeypatch, setup, write,
                                                                                               last):
    cells = [SETUP, setup, write, last]
    facts, _ = _facts(cells, True, monkeypatch)
    measured, _ = _facts(cells, False, monkeypatch)
    assert facts == measured and facts[0]["changed"] is True


@pytest.mark.parametrize("setup,cell", [
    ("rng = np.random.default_rng(1)", "rng.integers(0, 9, 3)\ndf.head()"),  # a random generator holds no frame
    ("values = np.arange(3.0)", "values.mean()\ndf.head()"),  # an array's methods are judged as a frame's
    ("import re\npattern = re.compile('a')", "pattern.match('a')\ndf.head()"),
])
def test_a_method_of_an_object_that_holds_no_frame_leaves_a_frame_only_read(monkeypatch, setup, cell):
    facts, only_read = _facts([SETUP, setup, cell], True, monkeypatch)
    measured, _ = _facts([SETUP, setup, cell], False, monkeypatch)
    assert facts == measured and facts[0]["changed"] is False and only_read == 1
