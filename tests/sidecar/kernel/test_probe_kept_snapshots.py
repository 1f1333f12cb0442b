"""A named frame that still reads its kept snapshot's memory is not measured again, and its facts are those a new
measurement would give: only memory no code of the user can write is kept (Arrow strings, kept_memory.keep_key), every way of
writing a frame in place shows up as a change, and a list held in a cell (which changes without any write) is never
trusted."""

from __future__ import annotations

import pytest

from trackit_sidecar.kernel.probe import fingerprints, kept_memory, measurements, objects

from .in_process_probe import new_probe, run_cell

pd = pytest.importorskip("pandas")

SETUP = (
    "import pandas as pd\nimport numpy as np\n"
    "df = pd.DataFrame({'f': [1.0, None, 3.0, 4.0], 'i': [1, 2, 3, 4], 's': pd.array(['a', None, 'c', 'd'], "
    "dtype='str'), 'o': pd.Series(['a', None, 'c', 'd'], dtype=object), 'c': pd.Categorical(list('abab')), "
    "'n': pd.array([1, None, 3, 4], dtype='Int64'), 't': pd.to_datetime(['2020-01-01', None, '2020-01-03', "
    "'2020-01-04'])})\n"
    "lists = pd.DataFrame({'l': [[1], [2], None]})\n"
    "names = pd.DataFrame({'s': pd.array(['a', None, 'c'], dtype='str'), "
    "'t': pd.array(['x', 'y', None], dtype='str')})\n"
    "ser = pd.Series([1.0, None, 3.0], index=['x', 'y', 'z'])"
)
CELLS = [
    SETUP,
    "df.shape\nnames.shape",  # named, only read: names' kept measurement (df's numpy blocks are not kept)
    "df['f'].mean()\nser.sum()\nnames['s'].unique()",
    "df.loc[1, 'f'] = 2.0",  # in place, numeric
    "df.shape",
    "df.loc[0, 'o'] = None",  # in place, object
    "df.loc[0, 's'] = 'z'",  # in place, Arrow strings
    "df.at[3, 'i'] = 40",
    "df['n'] = df['n'].fillna(0)",  # a column replaced, the same shape
    "df.fillna({'t': pd.Timestamp('2000-01-01')}, inplace=True)",
    "df.update(pd.DataFrame({'i': [7, 7, 7, 7]}))",
    "df.index = [10, 11, 12, 13]",
    "alias = df\nalias.loc[10, 'f'] = -1.0",  # written through another name
    "df.shape",
    "ser.loc['x'] = 5.0",
    "ser.shape",
    "lists.shape",
    "lists.loc[0, 'l'].append(9)",  # a list in a cell changes; no frame write at all
    "lists.shape",
    "names.loc[1, 's'] = 'b'",  # in place, a kept frame of Arrow strings
    "names.shape",
]


def run(monkeypatch, *, keep: bool, lazy: bool = True) -> tuple[list[list[dict]], int]:
    if not keep:
        monkeypatch.setattr(kept_memory, "KEEP_BYTES", 0)
    if not lazy:
        monkeypatch.setattr(objects, "lazy_safe", lambda kind: False)
    p = new_probe()
    facts = []
    for count, source in enumerate(CELLS, 1):
        run_cell(p, count, source)
        facts.append(p.facts_for(count))
    monkeypatch.undo()
    assert p.errors == []
    return facts, p.reused


def test_kept_snapshots_give_the_facts_a_new_measurement_gives(monkeypatch):
    kept, reused = run(monkeypatch, keep=True)
    measured, none_reused = run(monkeypatch, keep=False)
    at_once, _ = run(monkeypatch, keep=False, lazy=False)
    assert kept == measured == at_once
    assert none_reused == 0
    assert reused >= 3  # names read in cells 2, 3, 21


def test_every_write_in_place_is_a_change_and_a_read_is_not(monkeypatch):
    facts, _ = run(monkeypatch, keep=True)
    changed = {(count, f["variable"]): f.get("changed") for count, cell in enumerate(facts, 1) for f in cell
               if f.get("variable")}
    for count in (2, 3, 5, 14):
        assert changed[(count, "df")] is False
    for count in (4, 6, 7, 8, 9, 10, 11, 12):
        assert changed[(count, "df")] is True, CELLS[count - 1]
    assert changed[(13, "alias")] is True  # the new name is measured against df, which is written
    assert changed[(15, "ser")] is True and changed[(16, "ser")] is False
    assert changed[(18, "lists")] is True  # measured again: a frame holding lists is never kept
    assert changed[(20, "names")] is True and changed[(21, "names")] is False


def test_only_small_frames_no_user_code_can_write_are_kept(monkeypatch):
    np = pytest.importorskip("numpy")
    pa = pytest.importorskip("pyarrow")
    strings = pd.DataFrame({"s": pd.array(["x", None], dtype="str"), "t": pd.array(["y", "z"], dtype="str")})
    assert kept_memory.keep_key(strings.copy(deep=False), "DataFrame") is not None
    assert kept_memory.keep_key(strings.set_index("t").copy(deep=False), "DataFrame") is not None  # an Arrow string index
    # numpy blocks: a column's .array and the array a frame was built over write them unseen by copy-on-write
    assert kept_memory.keep_key(pd.DataFrame({"a": [1.0, 2.0]}), "DataFrame") is None
    assert kept_memory.keep_key(pd.DataFrame({"o": pd.Series(["x", None], dtype=object)}), "DataFrame") is None
    assert kept_memory.keep_key(strings.assign(i=[1, 2]), "DataFrame") is None  # one numpy column is enough
    assert kept_memory.keep_key(strings.set_index(pd.Index([1.5, 2.5])), "DataFrame") is None  # a numpy index
    # an Arrow array of numbers can be a zero-copy view of a numpy array the user holds
    over = pd.DataFrame({"x": pd.arrays.ArrowExtensionArray(pa.array(np.array([1.0, 2.0])))})
    assert kept_memory.keep_key(over, "DataFrame") is None
    assert kept_memory.keep_key(pd.DataFrame({"l": [[1], None]}), "DataFrame") is None  # lists can change unseen
    assert kept_memory.keep_key(strings.set_index(["s", "t"]), "DataFrame") is None  # MultiIndex: not known here
    long_strings = pd.DataFrame({"s": pd.array(["x"] * 3_000_000, dtype="str")})  # a RangeIndex of 3M rows
    assert kept_memory.keep_key(long_strings.copy(deep=False), "DataFrame") is not None  # the RangeIndex holds no data
    monkeypatch.setattr(kept_memory, "KEEP_BYTES", sum(kept_memory.held_buffers(long_strings).values()) - 1)
    assert kept_memory.keep_key(long_strings, "DataFrame") is None  # what a kept snapshot may hold alive
    assert kept_memory.data_key(strings, "DataFrame") == kept_memory.data_key(strings.copy(deep=False), "DataFrame")
    assert kept_memory.data_key(strings, "DataFrame") == kept_memory.data_key(strings.copy(), "DataFrame")  # Arrow: shared
    assert kept_memory.data_key(strings, "DataFrame") != kept_memory.data_key(strings.assign(s=pd.array(["x", None], dtype="str")),
                                                                  "DataFrame")


REUSE_CELLS = [
    "import numpy as np\nimport pandas as pd\nrng = np.random.default_rng(3)\nn = 300_000\n"  # 1.2M cells: sampled
    "df = pd.DataFrame({'a': rng.random(n), 'i': rng.integers(0, 9, n), "
    "'s': pd.array(rng.choice(['x', 'yy', None], n), dtype='str'), 'o': pd.Series(rng.choice(['p', None], n), "
    "dtype=object)})",
    "df['a'] = df['a'].round(1)",  # one column anew
    "renamed = df.rename(columns={'i': 'j'})",  # a new name made of df's columns
    "wider = renamed.assign(k=1)",  # another shape, the same row sample: only the new column is read
]


def run_reuse(monkeypatch, *, keep: bool, cells=REUSE_CELLS, after_each=None) -> tuple[list[list[dict]], list[int]]:
    """Each cell's facts and how many columns its measurements read; `after_each(user_ns)` after each cell's facts."""
    if not keep:
        monkeypatch.setattr(kept_memory, "KEEP_BYTES", 0)
    read = []
    real = fingerprints._hash_pandas_values
    monkeypatch.setattr(fingerprints, "_hash_pandas_values", lambda hasher, values, ranges: read.append(1)
                        or real(hasher, values, ranges))
    p = new_probe()
    facts, columns_read = [], []
    for count, source in enumerate(cells, 1):
        read.clear()
        run_cell(p, count, source)
        facts.append(p.facts_for(count))
        columns_read.append(len(read))
        if after_each is not None:
            after_each(p.shell.user_ns)
    monkeypatch.undo()
    assert p.errors == []
    return facts, columns_read


def test_only_arrow_string_columns_are_not_read_again_and_reading_the_rest_hashes_the_same(monkeypatch):
    kept, read = run_reuse(monkeypatch, keep=True)
    measured, read_without = run_reuse(monkeypatch, keep=False)
    assert kept == measured
    assert all(f["sampled"] for f in kept[0] if f.get("variable") == "df")
    # every measurement reads every column, except a sampled Arrow string column it already read with the same row
    # sample (immutable: StringColumnDigests) and an object column of strings that still holds the same objects
    # (ObjectStringColumns; kern9 read it again: [4, 3, 6, 7]). Until kern9 the numpy columns a kept snapshot still
    # read were not read again either ([4, 1, 0, 1]): user code can write that memory unseen
    # (test_probe_deferral_holes), so a digest kept by memory could stand for data since written. A named frame the
    # cell's code only reads (cells 3 and 4: `df.rename(...)`, `renamed.assign(...)`) is not measured again (kern18,
    # read_only; before: [4, 2, 4, 5]): only the new frame's columns are read. Cell 2 only stores column 'a' of df:
    # its numeric column 'i' keeps its digest from before the cell (kern21, _known_columns; before: [4, 2, 2, 3]).
    assert read == read_without == [4, 1, 2, 3]


WHOLE_CELLS = [
    "import numpy as np\nimport pandas as pd\nrng = np.random.default_rng(5)\nn = 50_000\n"  # 200K cells: hashed whole
    "df = pd.DataFrame({'a': rng.random(n), 'i': rng.integers(0, 9, n), "
    "'s': pd.array(rng.choice(['x', 'yy', None], n), dtype='str'), 'o': pd.Series(rng.choice(['p', None], n), "
    "dtype=object)})",
    "df['b'] = df['a'] * 2",  # a column added: the others' rows are hashed as before
    "df.loc[0, 'a'] = -1.0",  # an old column written in place: pandas copies its block first, so it is read anew
    "wider = df.assign(k=1)",  # a new frame of df's columns and one more
]


def test_a_frame_hashed_whole_gives_the_fingerprints_a_fresh_measurement_gives(monkeypatch):
    fresh = []  # each cell's frame measured anew, every column read

    def measure_anew(user_ns):
        frame = user_ns["wider" if "wider" in user_ns else "df"]
        fresh.append(fingerprints.fingerprint(frame, "DataFrame", measurements.Entry(frame, "DataFrame"))[0])

    records, columns_read = run_reuse(monkeypatch, keep=True, cells=WHOLE_CELLS, after_each=measure_anew)
    facts = [{f["variable"]: f for f in cell if f.get("variable")} for cell in records]
    assert not facts[0]["df"]["sampled"]
    # the named frame's numeric columns are read again (2, and 3 once 'b' is added), its Arrow strings and its object
    # column of strings (the same objects: ObjectStringColumns) are not; cell 4 reads wider (4): df, which it only
    # reads, is not measured again (kern18, read_only; before: 7). kern9: [4, 4, 4, 9], the object column read every time.
    # Cell 2 only stores column 'b': 'a' and 'i' keep their digests from before it (kern21, _known_columns; before: 3).
    assert columns_read == [4, 1, 3, 4]
    # the reused bytes give the fingerprints a fresh measurement gives, and the write in place changes df's
    assert [facts[0]["df"]["fingerprint"], facts[1]["df"]["fingerprint"], facts[2]["df"]["fingerprint"],
            facts[3]["wider"]["fingerprint"]] == fresh
    assert facts[1]["df"]["added_columns"] == ["b"]
    assert facts[2]["df"]["changed"] is True and fresh[2] != fresh[1]


SHARED_CELLS = [
    # frames over arrays the user still holds and can write: pandas' copy-on-write does not see such a write
    "import numpy as np\nimport pandas as pd\narr = np.zeros((4, 2))\nframe = pd.DataFrame(arr, copy=False)\n"
    "col = np.arange(4.0)\nser = pd.Series(col, copy=False)\nview = np.arange(8.0)\n"
    "dict_frame = pd.DataFrame({'x': view}, copy=False)\n"
    "owned = pd.DataFrame({'x': [1.0, 2.0]})\nread_only = owned.to_numpy()",  # a read-only view: no write through it
    "frame.shape\nser.shape\ndict_frame.shape\nowned.shape",
    "arr[0, 0] = 5.0\ncol[1] = np.nan\nview[2] = -1.0\nframe.shape\nser.shape\ndict_frame.shape",
    "frame.shape\nser.shape\ndict_frame.shape\nowned.shape",
]


def test_a_frame_over_an_array_the_user_can_write_is_measured_again_when_named(monkeypatch):
    # rev8: after `arr[0, 0] = 5.0`, `frame` (pd.DataFrame(arr, copy=False)) was reported unchanged: its kept
    # snapshot reads the same memory (holds_same_data), but that memory was written without pandas
    kept, _ = run_reuse(monkeypatch, keep=True, cells=SHARED_CELLS)
    measured, _ = run_reuse(monkeypatch, keep=False, cells=SHARED_CELLS)
    assert kept == measured
    changed = {f["variable"]: f.get("changed") for f in kept[2] if f.get("kind") in ("DataFrame", "Series")}
    assert changed == {"frame": True, "ser": True, "dict_frame": True}
    assert {f["variable"]: f["nulls_after"] for f in kept[2] if f.get("variable") == "ser"} == {"ser": 1}
