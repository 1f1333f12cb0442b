"""The phase sweep's arithmetic (bench/runtime_capture_phase.py): the full-collection period it spreads its pads over,
checked against this CPython's own collector, the pads' grid, and the phase-averaged summary. No kernel runs here."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import runtime_capture_phase as phase  # noqa: E402


# Run in a fresh interpreter: CPython skips a full collection while the objects waiting for one are under a quarter of
# those that survived the last (the long-lived rule), so inside a test session holding millions of objects the second
# collection comes thousands of allocations late (8,411 in a full CI run). A notebook kernel that has just imported
# pandas, where the bench measures, is in the fresh state.
FULL_COLLECTIONS_WHILE_KEEPING = """
import gc, json, sys
kept, started_at = [], []
def callback(stage, info):
    if stage == "start" and info["generation"] == 2:
        started_at.append(len(kept))
gc.collect()
gc.callbacks.append(callback)
for _ in range(int(sys.argv[1])):
    kept.append([])
gc.callbacks.remove(callback)
print(json.dumps(started_at))
"""


def full_collections_while_keeping(allocations: int) -> list[int]:
    """How many empty lists had been kept when each full collection started, from a fresh count (gc.collect())."""
    out = subprocess.run([sys.executable, "-c", FULL_COLLECTIONS_WHILE_KEEPING, str(allocations)],
                         capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout)


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="the notebook kernel's CPython is 3.11; 3.12+ differ")
def test_the_period_is_the_one_this_cpython_collects_at():
    period = phase.full_collection_period(gc.get_threshold())
    started_at = full_collections_while_keeping(int(2.2 * period))
    assert len(started_at) >= 2, started_at
    # each kept list is one net allocation; the callback's own few objects shift the first collection by a handful
    assert abs(started_at[0] - period) <= 20
    assert abs((started_at[1] - started_at[0]) - period) <= 20


def test_the_period_at_the_default_thresholds():
    assert phase.full_collection_period((700, 10, 10)) == 701 * 133 == 93_233


def test_pads_spread_evenly_over_one_period_and_the_offset_shifts_them():
    assert phase.phase_pads(1000, 4) == [0, 250, 500, 750]
    assert phase.phase_pads(1000, 4, 0.5) == [125, 375, 625, 875]
    assert phase.phase_pads(93_233, 1) == [0]
    with pytest.raises(ValueError):
        phase.phase_pads(1000, 4, 1.0)
    with pytest.raises(ValueError):
        phase.phase_pads(1000, 0)


def test_the_summary_averages_over_pads_with_an_interval_that_holds_the_point():
    # one pad in four gets a 40 ms collection moved into the run; the others add 2 ms
    pairs = [(2.0, 500.0), (42.0, 500.0), (2.0, 500.0), (2.0, 500.0)]
    summary = phase.phase_summary(pairs)
    assert summary["pads"] == 4
    mean_ms, low, high = summary["mean_ms"]
    assert mean_ms == pytest.approx(12.0)
    assert low <= mean_ms <= high and low >= 2.0 and high <= 42.0
    assert summary["median_ms"][0] == pytest.approx(2.0)
    assert summary["mean_share"][0] == pytest.approx(12.0 / 500.0)
    assert summary["median_share"][0] == pytest.approx(2.0 / 500.0)


def test_equal_pads_give_a_point_interval_and_one_pad_is_refused():
    summary = phase.phase_summary([(5.0, 100.0)] * 3)
    assert summary["mean_share"] == pytest.approx((0.05, 0.05, 0.05))
    with pytest.raises(ValueError):
        phase.phase_summary([(5.0, 100.0)])
