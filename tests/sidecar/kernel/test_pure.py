"""Pure parts: probe helpers run in-process, output conversion, expression parsing, input files."""

from __future__ import annotations

import hashlib
import os
import threading

import numpy as np
import pandas as pd
import polars as pl
import pytest

from trackit_sidecar.kernel import cell_outputs, files, probe_expressions, silent_requests
from trackit_sidecar.kernel.probe import cell_source, fingerprints, measurements, nulls, objects, records


def _entry(obj):
    return measurements.Entry(obj, objects.kind_of(obj))


def _fp(obj):
    entry = _entry(obj)
    return fingerprints.fingerprint(obj, entry.kind, entry)


def test_row_ranges_sample_only_big_objects():
    assert fingerprints.row_ranges(1000, 10) == ([(0, 1000)], False)
    ranges, sampled = fingerprints.row_ranges(5_000_000, 10)
    assert sampled and ranges[0][0] == 0 and ranges[-1][1] == 5_000_000
    assert all(a < b for a, b in ranges) and all(r1[1] <= r2[0] for r1, r2 in zip(ranges, ranges[1:]))
    assert sum(b - a for a, b in ranges) == fingerprints.SAMPLE_BLOCKS * fingerprints.SAMPLE_BLOCK_ROWS


def test_a_sample_holds_the_same_rows_whatever_the_column_count():
    # a frame that gains a column hashes its other columns over the same rows (their digests are reused); before,
    # the rows depended on the column count (43 -> 44 columns of 66,130 rows: 190 -> 186 rows a block)
    sampled = [fingerprints.row_ranges(66_130, cols) for cols in (16, 43, 44, 500)]
    assert all(is_sample for _, is_sample in sampled)
    assert all(ranges == sampled[0][0] for ranges, _ in sampled)
    # whether to sample still depends on the size; a frame with no more rows than a sample is hashed whole
    assert fingerprints.row_ranges(66_130, 15) == ([(0, 66_130)], False)
    assert fingerprints.row_ranges(8_000, 1_000) == ([(0, 8_000)], False)


def test_fingerprint_is_value_sensitive_and_stable():
    frame = pd.DataFrame({"n": np.arange(100, dtype="float64"), "s": [f"v{i}" for i in range(100)],
                          "c": pd.Categorical(["a", "b"] * 50), "i": pd.array(range(100), dtype="Int64")})
    same = frame.copy()
    assert _fp(frame) == _fp(same)
    changed = frame.copy()
    changed.loc[50, "s"] = "other"
    assert _fp(changed) != _fp(frame)
    # slices of an Arrow-backed string column share the parent's buffers: they must still differ
    strings = pd.DataFrame({"s": [f"v{i}" for i in range(100)]})
    first, second = (strings.iloc[a:a + 10].reset_index(drop=True) for a in (10, 20))
    assert first["s"].array._pa_array.chunks[0].offset == 10  # really a zero-copy slice
    assert _fp(first) != _fp(second)
    assert _fp(first) == _fp(pd.DataFrame({"s": [f"v{i}" for i in range(10, 20)]}))
    assert _fp(frame["n"])[0].startswith(("xxh3_128/cols:", "blake2b/cols:"))
    assert _fp(np.arange(12).reshape(3, 4)) != _fp(np.arange(12).reshape(4, 3))
    objects = np.array(["a", None, 3], dtype=object)
    assert _fp(objects) == _fp(objects.copy())
    polars_frame = pl.DataFrame({"a": [1, 2, None], "b": ["x", "y", "z"]})
    assert _fp(polars_frame) == _fp(polars_frame.clone()) != _fp(polars_frame.reverse())


def test_big_frames_are_sampled():
    big = pd.DataFrame({"a": np.arange(400_000), "b": np.ones(400_000), "c": np.zeros(400_000)})
    fingerprint, sampled = _fp(big)
    assert sampled
    tail_changed = big.copy()
    tail_changed.iloc[-1, 0] = -1  # the last block is always in the sample
    assert _fp(tail_changed)[0] != fingerprint


def test_null_counts_per_kind():
    frame = pd.DataFrame({"f": [1.0, None, 3.0], "s": ["a", None, "c"], "i": pd.array([1, None, 3], dtype="Int64"),
                          "t": pd.to_datetime(["2024-01-01", None, "2024-01-03"]), "o": pd.Series([None, "x", 1], dtype=object)})
    assert nulls.count_nulls(frame, "DataFrame") == int(frame.isna().sum().sum()) == 5
    assert nulls.count_nulls(np.array([1.0, np.nan]), "ndarray") == 1
    for categories in (pd.Categorical(["p", None, "q", None]), pd.Categorical(["p", "q"]), pd.Categorical([])):
        categorical = pd.DataFrame({"c": categories})
        assert nulls.count_nulls(categorical, "DataFrame") == int(categorical.isna().sum().sum())
    assert nulls.count_nulls(pl.DataFrame({"a": [1, None], "b": [None, None]}), "polars.DataFrame") == 3


def test_build_fact_compares_columns_and_types():
    before = _entry(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
    after = _entry(pd.DataFrame({"a": [1.0, 2.0], "c": [True, False]}))
    fact = records.build_fact("df", before, after)
    assert fact["added_columns"] == ["c"] and fact["removed_columns"] == ["b"]
    assert fact["dtype_changes"] == {"a": ["int64", "float64"]}
    assert "rows_before" not in records.build_fact("new", None, after)


def test_assignment_sources():
    source = "df = raw.dropna()\ndf['x'] = other['y']\nX_tr, X_te, *rest = split(X, y)\nn: int = len(df)"
    sources = cell_source.assignment_sources(source)
    assert sources["df"] == ["raw"]  # df['x'] = ... mutates, does not rebind
    assert sources["X_tr"] == sources["X_te"] == sources["rest"] == ["split", "X", "y"]
    assert sources["n"] == ["len", "df"]
    assert cell_source.assignment_sources("%time x = 1") == {}


def test_python_magic_bodies_are_the_bodies_ipython_runs_in_the_namespace():
    # what IPython's transformer makes of `%%time` / `%%capture out` cells
    assert cell_source.python_magic_bodies("get_ipython().run_cell_magic('time', '', 'x = 1\\ndf4 = df.dropna()\\n')") == [
        "x = 1\ndf4 = df.dropna()\n"]
    assert cell_source.python_magic_bodies("get_ipython().run_cell_magic('capture', 'out', '%%time\\ny = 2\\n')") == [
        "%%time\ny = 2\n"]
    # not run as Python in the namespace, not a literal body, not a cell magic at all
    assert cell_source.python_magic_bodies("get_ipython().run_cell_magic('bash', '', 'x=1\\n')") == []
    assert cell_source.python_magic_bodies("get_ipython().run_cell_magic('time', '', code)") == []
    assert cell_source.python_magic_bodies("df4 = df.dropna()") == cell_source.python_magic_bodies("%%time") == []


def test_output_collector_merges_streams_and_honours_clear():
    collector = cell_outputs.OutputCollector()
    for msg in [
        {"msg_type": "execute_input", "content": {"execution_count": 7}},
        {"msg_type": "stream", "content": {"name": "stdout", "text": "a"}},
        {"msg_type": "stream", "content": {"name": "stdout", "text": "b\n"}},
        {"msg_type": "stream", "content": {"name": "stderr", "text": "warn"}},
        {"msg_type": "display_data", "content": {"data": {"application/json": {"k": 1}, "image/png": "AAAA"}}},
    ]:
        collector.feed(msg)
    assert collector.execution_count == 7
    assert [(o.output_type, o.mime) for o in collector.outputs] == [
        ("stream", cell_outputs.STDOUT_MIME), ("stream", cell_outputs.STDERR_MIME),
        ("display_data", "application/json"), ("display_data", "image/png")]
    assert collector.outputs[0].text == "ab\n" and collector.outputs[0].size == 3
    assert collector.outputs[0].sha256 == hashlib.sha256(b"ab\n").hexdigest()
    assert collector.outputs[2].text == '{"k": 1}'
    assert collector.outputs[3].base64 == "AAAA" and collector.outputs[3].size == 3
    collector.feed({"msg_type": "clear_output", "content": {"wait": True}})
    assert len(collector.outputs) == 4  # wait=True clears only when the next output arrives
    collector.feed({"msg_type": "stream", "content": {"name": "stdout", "text": "fresh"}})
    assert [o.text for o in collector.outputs] == ["fresh"]


def test_expression_values_parse_and_errors_surface():
    assert silent_requests.parse_expression_value({"status": "ok", "data": {"text/plain": "'a\\nb'"}}) == "a\nb"
    with pytest.raises(silent_requests.ProbeError, match="NameError: x"):
        silent_requests.parse_expression_value({"status": "error", "ename": "NameError", "evalue": "x"})
    # the install expression is a single expression (evaluable via user_expressions)
    compile(probe_expressions.install_expression(), "<expr>", "eval")


def test_describe_small_missing_and_big_files(tmp_path):
    small = tmp_path / "small.csv"
    small.write_bytes(b"a,b\n1,2\n")
    described = files.describe_input_file("small.csv", base_dir=tmp_path)
    assert described.path == str(small.resolve()) and described.size == 8 and described.error is None
    assert described.sha256 == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert described.mtime == pytest.approx(os.stat(small).st_mtime)

    missing = files.describe_input_file(tmp_path / "nope.csv")
    assert missing.error == "file not found" and missing.sha256 is None
    assert files.describe_input_file(tmp_path).error == "not a regular file"

    big = tmp_path / "big.bin"
    payload = os.urandom(4096)
    big.write_bytes(payload)
    delivered = []
    done = threading.Event()
    later = files.describe_input_file(big, on_hashed=lambda f: (delivered.append(f), done.set()),
                                      background_threshold=1024)
    assert later.sha256 is None and later.size == 4096
    assert files.pending_sha256(big).result(timeout=10) == hashlib.sha256(payload).hexdigest()
    assert done.wait(10) and delivered[0].sha256 == hashlib.sha256(payload).hexdigest()


def test_fingerprint_falls_back_to_blake2b_without_xxhash(monkeypatch):
    frame = pd.DataFrame({"a": [1, 2, 3]})
    with_xxhash = _fp(frame)[0]
    monkeypatch.setattr(fingerprints, "_hasher_factory", (lambda: hashlib.blake2b(digest_size=16), "blake2b"))
    fallback = _fp(frame)[0]
    assert fallback.startswith("blake2b/cols:") and fallback != with_xxhash
    assert fallback == _fp(frame.copy())[0]


def test_object_arrays_measure_the_same_whether_or_not_pandas_was_imported(monkeypatch):
    # a replay that never imports pandas must measure `np.array([1, None, 2, 3])` as the recording did
    values = np.array([1, None, 2.5, float("nan"), "x"], dtype=object)

    def measured():
        entry = measurements.Entry(values, "ndarray")
        return nulls.count_nulls(values, "ndarray"), fingerprints.fingerprint(values, "ndarray", entry)[0]

    with_pandas = measured()
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)
    assert measured() == with_pandas
    assert with_pandas[0] == 2


def test_a_fingerprints_header_is_the_repr_it_was_with_each_numpy_dtypes_repr_made_once():
    import types

    structured = np.dtype([("a", "i4"), ("b", "f8")])
    for dtypes in [(), (np.dtype("int64"),), (np.dtype("int64"), pd.CategoricalDtype(["a"]), pd.StringDtype(),
                                               np.dtype("<M8[us]"), np.dtype("O"), structured)]:
        entry = types.SimpleNamespace(shape=(3, len(dtypes)), columns=tuple(f"c{i}" for i in range(len(dtypes))),
                                      dtypes=dtypes)
        for _ in range(2):  # made, then remembered
            assert fingerprints._header("DataFrame", entry) == repr(("DataFrame", entry.shape, entry.columns, entry.dtypes))
    assert np.dtype("int64") in [kept for kept, _ in fingerprints._DTYPE_REPRS.values()]
    # a structured dtype's field names can be set: its repr is made every time
    entry = types.SimpleNamespace(shape=(1, 1), columns=("c",), dtypes=(structured,))
    structured.names = ("x", "y")
    assert "'x'" in fingerprints._header("DataFrame", entry)


@pytest.mark.filterwarnings("ignore:overflow encountered", "ignore:invalid value encountered")  # the probe's hooks too
def test_a_blocks_null_count_is_its_rows_counted_one_by_one():
    rng = np.random.default_rng(11)
    floats = rng.random((6, 500))
    floats[1, 3] = floats[1, 9] = np.nan
    floats[2, 0], floats[2, 1] = np.inf, -np.inf  # a sum that is NaN with no NaN in the row
    floats[3, :2] = [1e308, 1e308]  # a sum that overflows
    floats[4, :] = np.nan
    blocks = [floats, np.asfortranarray(floats), floats.astype("float32"), floats.astype("complex128"),
              floats[:, ::3], rng.integers(0, 9, (4, 100)), rng.random((3, 50)) < 0.5, np.empty((2, 0)),
              np.array([["a", None], [None, None]], dtype=object)]
    for block in blocks:  # (row, missing values) of each row that has any
        counted = [(i, nulls._array_nulls(block[i], column=True)) for i in range(block.shape[0])]
        assert nulls._block_nulls(block) == [(i, n) for i, n in counted if n]
    assert nulls._block_nulls(floats) == [(1, 2), (4, 500)]
    # one column: its max is NaN if and only if it holds a NaN (infinities and overflowing sums count nothing)
    for column in [*floats, floats[0].astype("float16"), np.array([np.inf, -np.inf, np.nan]), np.array([-np.inf])]:
        assert nulls._array_nulls(column) == int(np.count_nonzero(np.isnan(column)))
    frame = pd.DataFrame(floats.T.copy())  # one 2-D float block
    assert len(frame._mgr.blocks) == 1 and nulls.count_nulls(frame, "DataFrame") == int(frame.isna().sum().sum())
