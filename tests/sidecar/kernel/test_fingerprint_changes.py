"""The fingerprint of a sampled frame whose column digests are reused across cells: it changes whenever the data
changes and stays when nothing did, in a real ipykernel through the sidecar's RuntimeCapture, with snapshots kept and
not: either way only immutable Arrow string columns are reused (a frame with numpy columns is never kept, see
kept_memory.keep_key). Each cell's fingerprint is also checked against a deep copy measured from scratch (no digest
reused)."""

from __future__ import annotations

import pytest

from trackit_sidecar.kernel import probe, silent_requests
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import facts_by_variable

# the columns every fingerprint reads, counted in the kernel
SETUP = f"""
import sys as _sys
import numpy as np
import pandas as pd
_p = _sys.modules[{probe.MODULE_NAME + ".fingerprints"!r}]
_read = []
_real_read = _p._hash_pandas_values
_p._hash_pandas_values = lambda hasher, values, ranges: (_read.append(1), _real_read(hasher, values, ranges))[1]
"""
# 40,000 rows x 30 columns (1.2M cells): sampled; 8.6 MB of numpy blocks, within what a kept snapshot may hold
FRAME = """rng = np.random.default_rng(11)
df = pd.DataFrame({f"x{k}": rng.random(40_000) for k in range(27)})
df["i"] = rng.integers(0, 9, 40_000)
df["s"] = pd.array(rng.choice(["p", "qq", None], 40_000), dtype="str")
df["t"] = pd.array(rng.choice(["u", "v"], 40_000), dtype="str")"""
# (cell, does df's data change?); the fresh copy is measured by the probe like any new frame
CELLS = [
    ('m = df["x0"].mean()', False),
    ('df["new"] = df["x1"] * 3', True),
    ('df.loc[0, "x2"] = -1.0', True),
    ('df["x3"] = df["x3"] * 2', True),
    ('v = df["x4"].values\nv.flags.writeable = True\nv[0] = -7.0', True),
    ('df["i"].sum()', False),
    ("df = pd.concat([df, df.iloc[:1]], ignore_index=True)", True),
    ("df = df.iloc[::-1].reset_index(drop=True)", True),
    ('df["i"] = df["i"].astype("float64")', True),
    ('df["s"] = df["s"].str.upper()', True),
    ("df.shape", False),
]


def _read(live_kernel) -> int:
    return int(silent_requests.silent_expression(live_kernel.client, "len(_read)", 10))


@pytest.mark.parametrize("keep", [True, False], ids=["kept", "not-kept"])
def test_the_fingerprint_changes_with_the_data_and_only_then(live_kernel, keep):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(SETUP + ("" if keep else f"_sys.modules[{probe.MODULE_NAME + '.kept_memory'!r}].KEEP_BYTES = 0\n"))
        made = facts_by_variable(capture, live_kernel.run(FRAME))["df"]
        assert made.sampled and made.fingerprint.split(":")[0].endswith("/cols")
        last = made.fingerprint
        for cell, changes in CELLS:
            read_before = _read(live_kernel)
            df = facts_by_variable(capture, live_kernel.run(cell))["df"]
            read = _read(live_kernel) - read_before
            assert (df.fingerprint != last) is changes, cell
            assert bool(df.changed) is changes or df.rows_before != df.rows_after, cell
            if cell.startswith('df["new"]'):
                # one column added: the numpy columns are read again, not the strings. Until kern9, with kept
                # snapshots only the new one was read (a digest kept by the memory a column reads: user code can write
                # that memory unseen). Before the row sample depended on the row count only, all 31 were read.
                assert read == 29, read
            fresh = facts_by_variable(capture, live_kernel.run("fresh = df.copy(deep=True)"))["fresh"]
            assert fresh.fingerprint == df.fingerprint, cell
            live_kernel.run("del fresh")
            last = df.fingerprint
