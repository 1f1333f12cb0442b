"""In a real ipykernel (the sidecar's RuntimeCapture): a frame a cell changes only by whole-column stores has only the
stored columns read again, and its facts carry the fingerprint and missing values a fresh measurement gives; a frame
also written through another name has every column read again (tracking._known_columns)."""

from __future__ import annotations

import json

from trackit_sidecar.kernel import probe, silent_requests
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import facts_by_variable

# the column digests the probe computes are counted; run silently, as no cell (its private names would make the probe
# take every later cell for one that may write any frame: read_only.hands_out_memory)
COUNTING = f"""
import sys as _sys
_f = _sys.modules[{probe.MODULE_NAME + ".fingerprints"!r}]
_digested = []
_real_digest = _f._column_digest
_f._column_digest = lambda *args: (_digested.append(1), _real_digest(*args))[1]
"""
SETUP = """import numpy as np
import pandas as pd
rng = np.random.default_rng(3)
events = pd.DataFrame({"a": rng.random(50_000), "i": rng.integers(0, 9, 50_000),
                       "f": np.where(rng.random(50_000) < 0.1, np.nan, 1.0)})
"""
# what a fresh measurement of `events` gives, read in the kernel after a cell
FRESH = (f"__import__('json').dumps([__import__('sys').modules[{probe.MODULE_NAME + '.fingerprints'!r}].fingerprint(events, "
         f"'DataFrame', __import__('sys').modules[{probe.MODULE_NAME + '.measurements'!r}].Entry(events, 'DataFrame'))[0], "
         f"int(events.isna().sum().sum())])")


def _digested(live_kernel) -> int:
    count = int(silent_requests.silent_expression(live_kernel.client, "len(_digested)", 10))
    silent_requests.silent_expression(live_kernel.client, "_digested.clear()", 10)  # a silent request: no cell
    return count


def _fresh(live_kernel) -> list:
    return json.loads(silent_requests.silent_expression(live_kernel.client, FRESH, 10))


def _queued(live_kernel, cells: list[str]) -> list[int]:
    """The cells sent at once, each waiting in the kernel's queue for the one before (a Run All); their counts."""
    sent = [live_kernel.client.execute(code) for code in cells]
    counts: dict = {}
    while len(counts) < len(sent):
        reply = live_kernel.client.get_shell_msg(timeout=60)
        if reply["msg_type"] == "execute_reply" and reply["parent_header"].get("msg_id") in sent:
            assert reply["content"]["status"] == "ok", reply["content"]
            counts[reply["parent_header"]["msg_id"]] = reply["content"]["execution_count"]
    return [counts[msg_id] for msg_id in sent]


def _events(capture, count: int):
    return {fact.variable: fact for fact in capture.fetch(count) if fact.variable}["events"]


def test_in_a_run_all_only_the_stored_columns_are_read_again_and_the_facts_are_a_fresh_measurements(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.client.execute_interactive(COUNTING, silent=True, store_history=False, timeout=30)
        made = facts_by_variable(capture, live_kernel.run(SETUP))["events"]
        assert made.nulls_after > 0 and _digested(live_kernel) == 3  # a, i, f

        # the second cell of the Run All (the first comes before any push: a burst is seen from the second on)
        counts = _queued(live_kernel, ["total = 0", 'events["b"] = events["a"] * 2\nevents["f"] = events["f"].fillna(0.0)',
                                       "total = 1"])
        stored = _events(capture, counts[1])
        # Before kern21 every column was read again here (4); now b and f, which the cell stored to
        digested = _digested(live_kernel)
        fresh = _fresh(live_kernel)
        _digested(live_kernel)  # the fresh measurement's own
        assert digested == 2 and capture.stats()["columns_known"] == 2  # a and i
        assert stored.changed is True and [stored.fingerprint, stored.nulls_after] == fresh
        assert stored.nulls_before == made.nulls_after and stored.nulls_after == 0

        counts = _queued(live_kernel, ["alias = events", 'events["c"] = 1.0\nalias.loc[0, "i"] = -1', "total = 2"])
        _digested(live_kernel)
        written = _events(capture, counts[1])
        fresh = _fresh(live_kernel)
        assert capture.stats()["columns_known"] == 2  # none known: events was also written through alias
        assert written.changed is True and [written.fingerprint, written.nulls_after] == fresh
        assert written.fingerprint != stored.fingerprint


def test_a_cell_run_on_its_own_reads_only_the_stored_columns_of_a_big_frame_again(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.client.execute_interactive(COUNTING, silent=True, store_history=False, timeout=30)
        facts_by_variable(capture, live_kernel.run(SETUP))
        stored = facts_by_variable(capture, live_kernel.run('events["b"] = events["a"] * 2'))["events"]
        assert _digested(live_kernel) == 3 + 1 and capture.stats()["columns_known"] == 3  # b read; a, i, f known
        assert [stored.fingerprint, stored.nulls_after] == _fresh(live_kernel)
