"""A sampled Arrow string column is not read again while its (immutable) array is the same, also for a frame too big
to keep a snapshot of, and its facts stay right: a single-element write makes a new array, which is read and changes
the fingerprint (a real ipykernel, the sidecar's RuntimeCapture)."""

from __future__ import annotations

from trackit_sidecar.kernel import probe, silent_requests
from trackit_sidecar.kernel.probe import arrow_hashing
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import facts_by_variable

# nothing kept (as for a frame over the keep limits), and the string arrays the fingerprints read are counted
SETUP = f"""
import sys as _sys
import numpy as np
import pandas as pd
_sys.modules[{probe.MODULE_NAME + ".kept_memory"!r}].KEEP_BYTES = 0
_p = _sys.modules[{probe.MODULE_NAME + ".fingerprints"!r}]  # where the fingerprint reads Arrow arrays
_read = []
_real_read = _p._hash_chunked_rows
_p._hash_chunked_rows = lambda hasher, chunked, ranges: (_read.append(len(chunked)), _real_read(hasher, chunked, ranges))[1]
"""
# 4 columns x 300,000 rows: sampled; row 0 is always in the sample
FRAME = """rng = np.random.default_rng(5)
events = pd.DataFrame({"a": rng.random(300_000), "i": rng.integers(0, 9, 300_000),
                       "s": pd.array(rng.choice(["x", "yy", None], 300_000), dtype="str"),
                       "t": pd.array(rng.choice(["p", "q"], 300_000), dtype="str")})"""


def _strings_read(live_kernel) -> int:
    return int(silent_requests.silent_expression(live_kernel.client, "len(_read)", 10))


def test_a_string_column_only_read_is_not_read_again_and_a_one_element_write_changes_the_fingerprint(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(SETUP)
        made = facts_by_variable(capture, live_kernel.run(FRAME))["events"]
        assert made.sampled and _strings_read(live_kernel) == 2  # "s" and "t", once each

        only_read = facts_by_variable(capture, live_kernel.run('longest = events["s"].str.len().max()'))["events"]
        # Before this change both string columns were read again here (4).
        assert _strings_read(live_kernel) == 2
        assert (only_read.changed, only_read.fingerprint, only_read.nulls_after) == \
            (False, made.fingerprint, made.nulls_after)

        written = facts_by_variable(capture, live_kernel.run('events.loc[0, "t"] = "changed"'))["events"]
        assert _strings_read(live_kernel) == 3  # the written column's new array: read; "s" is still the same array
        assert written.changed is True and written.fingerprint != made.fingerprint

        # the same values in new arrays (read anew) have the fingerprint the reused bytes gave
        copied = facts_by_variable(capture, live_kernel.run(
            'copied = events.copy()\nfor c in ("s", "t"):\n'
            '    copied[c] = pd.array(events[c].to_numpy(dtype=object), dtype="str")'))["copied"]
        assert _strings_read(live_kernel) == 5
        assert copied.fingerprint == written.fingerprint


def test_the_digest_of_a_string_column_goes_with_its_array():
    pa = __import__("pyarrow")
    array = pa.chunked_array([pa.array(["x", "yy"] * 10)])
    cache = arrow_hashing.StringColumnDigests()
    rows, other_rows = ((0, 2), (10, 12)), ((0, 2), (9, 11))
    cache.add(array, rows, b"digest")
    assert cache.get(array, rows) == b"digest"
    assert cache.get(array, other_rows) is None  # another row sample has another digest
    key = id(array)
    del array  # the id may now be reused by another array: nothing of the old one may be matched
    assert cache._entries == {}
    other = pa.chunked_array([pa.array(["z"])])
    if id(other) == key:
        assert cache.get(other, rows) is None


def test_the_digests_kept_stay_within_their_count(monkeypatch):
    pa = __import__("pyarrow")
    monkeypatch.setattr(arrow_hashing.StringColumnDigests, "MAX_ENTRIES", 4)
    cache = arrow_hashing.StringColumnDigests()
    arrays = [pa.chunked_array([pa.array([str(k)])]) for k in range(6)]
    rows = ((0, 1),)
    for k, array in enumerate(arrays):
        cache.add(array, rows, bytes([k]))
    assert [cache.get(array, rows) for array in arrays] == [None, None] + [bytes([k]) for k in range(2, 6)]
