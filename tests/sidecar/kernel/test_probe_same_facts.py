"""Faster measurement, the same facts: the probe's null counts are those of the probe before the speed work (main
cb0d647), and so are the exact bytes its fingerprints hash where the rows hashed are the same (everything hashed
whole), for every column layout it reads. Fingerprints changed on purpose once since (tag "/cols", probe version 8):
a DataFrame's is made of one digest per column, and a sample's rows depend on the row count only; NOW pins them.

BEFORE's values were produced by that probe from the frames built here. The byte stream is checked through a
recording hasher (sha256 of everything hashed, in order), so equality does not depend on xxhash being installed
and any streaming hash of the stream (xxh3_128, blake2b) gives the fingerprints users already have on record.
"""

from __future__ import annotations

import hashlib
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from trackit_sidecar.kernel.probe import fingerprints, measurements, nulls, objects


def _strings(rng, n, missing=0.0):
    values = rng.choice(["alpha", "beta", "gamma", "", "delta epsilon"], n).astype(object)
    if missing:
        values[rng.random(n) < missing] = None
    return values


def layouts() -> dict[str, object]:
    """Every column layout the probe hashes: numpy numbers and datetimes, Arrow strings (with nulls, sliced,
    several chunks, large_string), object columns, categoricals, nullable ints, Arrow numbers and booleans,
    a MultiIndex, Series and ndarrays; small (hashed whole) and big (row-block sampled)."""
    rng = np.random.default_rng(11)
    made: dict[str, object] = {}
    for label, n in (("small", 1_000), ("big", 120_000)):
        frame = pd.DataFrame({
            "f": rng.random(n),
            "f_nan": np.where(rng.random(n) < 0.1, np.nan, rng.random(n)),
            "i": rng.integers(0, 1000, n),
            "b": rng.random(n) < 0.5,
            "t": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 10**6, n), unit="s"),
            "s": pd.array(_strings(rng, n, 0.05), dtype="str"),
            "o": pd.Series(_strings(rng, n, 0.05), dtype=object),
            "o_mixed": pd.Series([None if k % 7 == 0 else (k if k % 3 else f"x{k}") for k in range(n)], dtype=object),
            "c": pd.Categorical(rng.choice(["p", "q", "r"], n)),
            "ni": pd.array(np.where(rng.random(n) < 0.1, None, rng.integers(0, 9, n)), dtype="Int64"),
            "af": pd.array(pa.array(np.where(rng.random(n) < 0.1, None, rng.random(n)), type=pa.float64()),
                           dtype=pd.ArrowDtype(pa.float64())),
            "ab": pd.array(pa.array([None if k % 11 == 0 else bool(k % 2) for k in range(n)], type=pa.bool_()),
                           dtype=pd.ArrowDtype(pa.bool_())),
            "als": pd.array(pa.array(list(_strings(rng, n, 0.02)), type=pa.large_string()),
                            dtype=pd.ArrowDtype(pa.large_string())),
        })
        made[f"{label}_frame"] = frame
        made[f"{label}_sliced"] = frame.iloc[n // 5:]  # Arrow slices with offsets, numpy views
        made[f"{label}_filtered"] = frame[frame["f"] < 0.7]
        chunked = pa.chunked_array([pa.array(list(_strings(rng, n // 4, 0.1))) for _ in range(4)])
        made[f"{label}_chunks"] = pd.DataFrame({"s": pd.array(chunked, dtype=pd.ArrowDtype(pa.string())),
                                                **{f"k{k}": np.arange(len(chunked)) * k for k in range(9)}})
        made[f"{label}_multiindex"] = frame[["f", "i", "s", "o", "c", "t", "b", "ni", "af"]].set_index(
            pd.MultiIndex.from_arrays([np.arange(n) % 5, np.arange(n)]))
        made[f"{label}_series_str"] = frame["s"]
        made[f"{label}_series_obj"] = frame["o"]
        made[f"{label}_series_long"] = pd.Series(np.tile(frame["f_nan"].to_numpy(), 10))
        made[f"{label}_ndarray_2d"] = rng.random((n, 12))
        made[f"{label}_ndarray_obj"] = _strings(rng, n, 0.1)
        made[f"{label}_ndarray_time"] = frame["t"].to_numpy()[::2]  # not contiguous
    # added by kern3 (expected values from main febf935's probe): a wide frame, whose sample has short row ranges,
    # with Arrow strings and categoricals that have missing values; a sampled array that is not C-contiguous
    n = 120_000
    made["big_wide"] = pd.DataFrame({
        **{f"f{k}": rng.random(n) for k in range(30)},
        **{f"s{k}": pd.array(_strings(rng, n, 0.05), dtype="str") for k in range(5)},
        **{f"c{k}": pd.Categorical(np.where(rng.random(n) < 0.05, None, rng.choice(["p", "q", "r"], n)))
           for k in range(5)},
    })
    made["big_ndarray_fortran"] = np.asfortranarray(rng.random((n, 12)))
    # added by rev6 (expected value from main febf935's probe): an ndarray subclass whose reshape keeps two
    # dimensions (a sparse matrix's .todense() gives one)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)  # np.matrix is still made by scipy.sparse
        made["big_matrix"] = np.matrix(rng.random((n, 12)))
    return made


class _Recording:
    def __init__(self):
        self.stream = hashlib.sha256()

    def update(self, data):
        self.stream.update(data)

    def hexdigest(self):
        return self.stream.hexdigest()

    def digest(self):
        return self.stream.digest()


def measured(monkeypatch) -> dict[str, tuple]:
    monkeypatch.setattr(fingerprints, "_hasher_factory", (_Recording, "recorded"))
    result = {}
    for name, obj in layouts().items():
        kind = objects.kind_of(obj)
        entry = measurements.Entry(obj, kind)
        fingerprint, sampled = fingerprints.fingerprint(obj, kind, entry)
        result[name] = (nulls.count_nulls(obj, kind), fingerprint, sampled)
    return result


# name -> (null count, "recorded:" sha256 of the hashed byte stream, sampled), from the probe at main cb0d647
BEFORE = {
    'big_chunks': (12093, 'recorded:8983c2413851141f5151e106a66d4eb3606454f662e770f79cbbc272b57001bf', True),
   'big_filtered': (54794, 'recorded:a8fe09f657fa281301a149d358ea550583112b793f00d84de5cd0816cd4737ae', True),
   'big_frame': (78740, 'recorded:fa16b48028aa8e1f6d116536fcc0e82a82857520225c880c1789d429def38359', True),
   'big_multiindex': (36153, 'recorded:cb83e252e955ce9942309b2924f5fd8a61666119f433bbb29930f972d3e34921', True),
   'big_ndarray_2d': (0, 'recorded:8a8888665698854621ca608558f961bdfb390bfa16c032a96f83b7998c36827a', True),
   'big_ndarray_obj': (11982, 'recorded:004264945279d85272334ec5ad9a105f0f2a3c5c8269dce2092ead348d203f01', False),
   'big_ndarray_time': (0, 'recorded:3464d4b85b11ed9bd90928d789be921702d06c8307862219c4685464f22673e4', False),
   'big_series_long': (120460, 'recorded:eedcf58b345e3f7692638b2646324a6d32426131f52390000466508a9d2c9659', True),
   'big_series_obj': (6061, 'recorded:1e7e0ac226af7bf8c96373d8ebd5dbf3f8dd9093cce973adbbeb508f977a379b', False),
   'big_series_str': (6040, 'recorded:9bdf0975b8bb8d6010757689ab72abf3f2c6a05a8014f7c3e3a3e8f5cc97ddbd', False),
   'big_sliced': (63113, 'recorded:82cde837245a57da8b92b7d9bd33412cc2c84d1cf0995f66460a2b927a258cdc', True),
   'small_chunks': (87, 'recorded:8716655976fab7b01be3aea9829fd2beaa48b3f5487fdb49b0784d46471d544a', False),
   'small_filtered': (491, 'recorded:1456fd9b6f514552083ee30d1f48f7804cf0e00c107aeeb6570d5230a1bbdb04', False),
   'small_frame': (662, 'recorded:2d982b86bfe5eecd89c31a6eb697a6ca780ebc49c6d4ad113e8b653bdf4ed21f', False),
   'small_multiindex': (310, 'recorded:790d3643a845c8ba909edea9fa9905de9f46db5c5c1f13dc5a4205ad76680fb0', False),
   'small_ndarray_2d': (0, 'recorded:e12dd8add42057337718264bc5381d3b1ef2baee5312fd8d7c13824a7df6afc4', False),
   'small_ndarray_obj': (95, 'recorded:05503df033185766d28b1a4ffb0d84005fed92cc2dd4aeee822e6a5f87110208', False),
   'small_ndarray_time': (0, 'recorded:0e843c46a0e3cb90f335577efd2b0794a66235f47993e44eb6d9aaabf63fb432', False),
   'small_series_long': (980, 'recorded:9d558a18bc8a5d19b5ac8f0939cca68287d52a31a895de97a066748bec31d63a', False),
   'small_series_obj': (54, 'recorded:575c18c2b0f279a158ef444df49f7081d9c404082179b0f54a393f40d538e96b', False),
   'small_series_str': (54, 'recorded:d1d7f94ac02f8f8eaf2aaf4835632ce758712b2e29340ca31ba700ab40dbcb20', False),
   'small_sliced': (518, 'recorded:f5098c34b4817a680d5354fb6dd393285b8adfe6cab909f4868b14bbc472bb52', False),
   # from the probe at main febf935
   'big_wide': (59999, 'recorded:e4ba7e36f018099d8662abf7467aeeefab818d2673d858fb4df5ce72fdc696cc', True),
   'big_ndarray_fortran': (0, 'recorded:ab748d93880aa493ed8cfc9c0f9fac91778d0839363028bce90c940810700810', True),
   'big_matrix': (0, 'recorded:10ff8c2efb437017370cd00c6467faa00819f8caf81aa0190eb71c800d72bb68', True),
}


# name -> (null count, "recorded/cols:" fingerprint under the recording hasher, sampled), from kern8's probe (per-column
# digests, rows by the row count); null counts and sampled as the probe at main cb0d647 gave (BEFORE)
NOW = {
    'big_chunks': (12093, 'recorded/cols:208cd7ab05af78526f5d88fd5ced796512c1834a4a881112890d02e2308aa72f', True),
    'big_filtered': (54794, 'recorded/cols:1779dab8388f8a117ea80f5e067f6a4aa09501b83e1100e232e2afde1ceb7b3b', True),
    'big_frame': (78740, 'recorded/cols:5a2dec27455283cb05b075a3a3713c528a0e740ba3e3f6932650d794971d6b21', True),
    'big_matrix': (0, 'recorded/cols:02fcacbe67281c7449b16a7f1bd2a7d05d06f7f8a0e4bc923543772ab9be88fa', True),
    'big_multiindex': (36153, 'recorded/cols:3b9c17a7f5b39353e5cf319d16aea4a4bc227bb7fa5f4dcbf6055b5e572a23f3', True),
    'big_ndarray_2d': (0, 'recorded/cols:d9e45ab210016c00ca72b8cabdf771f8e65dbc2fd27ba2d20ae2dd4af5200d0a', True),
    'big_ndarray_fortran': (0, 'recorded/cols:484505d96848f13becd6ae8202f3b6b20527a00de90ff8445f75877fb6d3e36b', True),
    'big_ndarray_obj': (11982, 'recorded/cols:004264945279d85272334ec5ad9a105f0f2a3c5c8269dce2092ead348d203f01', False),
    'big_ndarray_time': (0, 'recorded/cols:3464d4b85b11ed9bd90928d789be921702d06c8307862219c4685464f22673e4', False),
    'big_series_long': (120460, 'recorded/cols:e799851fc882b589a6a2afa03367e5b773aacab90357578dfe3ae4b9997ca7c3', True),
    'big_series_obj': (6061, 'recorded/cols:1e7e0ac226af7bf8c96373d8ebd5dbf3f8dd9093cce973adbbeb508f977a379b', False),
    'big_series_str': (6040, 'recorded/cols:9bdf0975b8bb8d6010757689ab72abf3f2c6a05a8014f7c3e3a3e8f5cc97ddbd', False),
    'big_sliced': (63113, 'recorded/cols:de50de13117bf7738c10cf0f7da08c2c342a2bfe5ebc076e0241f127002d9b4b', True),
    'big_wide': (59999, 'recorded/cols:73be24cf77236b358c656b55e5a87c09f229bbf8b0c84d89a14b892ace62c785', True),
    'small_chunks': (87, 'recorded/cols:4ced1185bd1efb1ee38322ba782b27807ad5f6b940b96beea6282a84647ec2b3', False),
    'small_filtered': (491, 'recorded/cols:4d22aa20b4ecaf348f66f57947d2ccc33c9d17c6c1095a2879bfd0e4186f4223', False),
    'small_frame': (662, 'recorded/cols:b881c817c79d4e3e0dd441f234c3ef3fdcc40d248390ef5d4506b539d2a12f06', False),
    'small_multiindex': (310, 'recorded/cols:7247f865e5ad698ab7403e06dace6b61c5d5da286b1b1c1f7ce2eebda281c040', False),
    'small_ndarray_2d': (0, 'recorded/cols:e12dd8add42057337718264bc5381d3b1ef2baee5312fd8d7c13824a7df6afc4', False),
    'small_ndarray_obj': (95, 'recorded/cols:05503df033185766d28b1a4ffb0d84005fed92cc2dd4aeee822e6a5f87110208', False),
    'small_ndarray_time': (0, 'recorded/cols:0e843c46a0e3cb90f335577efd2b0794a66235f47993e44eb6d9aaabf63fb432', False),
    'small_series_long': (980, 'recorded/cols:9d558a18bc8a5d19b5ac8f0939cca68287d52a31a895de97a066748bec31d63a', False),
    'small_series_obj': (54, 'recorded/cols:575c18c2b0f279a158ef444df49f7081d9c404082179b0f54a393f40d538e96b', False),
    'small_series_str': (54, 'recorded/cols:d1d7f94ac02f8f8eaf2aaf4835632ce758712b2e29340ca31ba700ab40dbcb20', False),
    'small_sliced': (518, 'recorded/cols:87f2a1631cf12363ba5582f0ad96ca9ee50d3eb2fa0d8239ae07d375014a381e', False),
}

def test_null_counts_and_fingerprints_are_those_pinned(monkeypatch):
    assert measured(monkeypatch) == NOW


def test_null_counts_and_sampling_are_those_of_the_probe_before(monkeypatch):
    now = measured(monkeypatch)
    assert {name: (nulls, sampled) for name, (nulls, _, sampled) in now.items()} == \
        {name: (nulls, sampled) for name, (nulls, _, sampled) in BEFORE.items()}


def test_what_is_hashed_whole_is_the_bytes_the_probe_before_hashed(monkeypatch):
    """A layout hashed whole feeds the bytes it fed before: a Series or array the same stream, a DataFrame the same
    header and index and each column's same bytes, now hashed per column (its digest goes into the frame's hash)."""
    streams = []

    class Stream(_Recording):
        def __init__(self):
            super().__init__()
            self.fed = []
            streams.append(self)

        def update(self, data):
            super().update(data)
            self.fed.append(bytes(data))

    monkeypatch.setattr(fingerprints, "_hasher_factory", (Stream, "recorded"))
    whole = [name for name, (_, _, sampled) in BEFORE.items() if not sampled]
    assert len(whole) > 10 and any(name.endswith(("frame", "sliced", "chunks")) for name in whole)
    for name in whole:
        obj = layouts()[name]
        kind = objects.kind_of(obj)
        streams.clear()
        fingerprints.fingerprint(obj, kind, measurements.Entry(obj, kind))
        frame, columns = streams[0], streams[1:]
        digests = [column.digest() for column in columns]
        assert frame.fed[len(frame.fed) - len(digests):] == digests or not digests
        stream = b"".join(frame.fed[:len(frame.fed) - len(digests)]) + b"".join(b"".join(c.fed) for c in columns)
        assert "recorded:" + hashlib.sha256(stream).hexdigest() == BEFORE[name][1], name


def test_the_layouts_cover_sampling_and_every_column_reader(monkeypatch):
    # guards the test above: it would prove little if nothing were sampled or no column had nulls
    facts = measured(monkeypatch)
    assert facts["big_frame"][2] and not facts["small_frame"][2]
    assert all(facts[name][2] for name in ("big_sliced", "big_filtered", "big_chunks", "big_multiindex",
                                           "big_series_long", "big_ndarray_2d"))
    assert all(nulls > 0 for name, (nulls, _, _) in facts.items() if "frame" in name or "chunks" in name)
    frame = layouts()["big_sliced"]
    assert frame["s"].array._pa_array.chunks[0].offset > 0
    # both ways of hashing a numpy sample (C-contiguous rows as they lie, a strided array gathered) are covered
    assert facts["big_wide"][2] and facts["big_ndarray_fortran"][2] and facts["big_ndarray_2d"][2]
    assert not layouts()["big_ndarray_fortran"].flags.c_contiguous and facts["big_wide"][0] > 0
