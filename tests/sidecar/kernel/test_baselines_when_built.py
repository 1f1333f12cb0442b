"""The object a new or rebound variable is measured against (its baseline) is found when the cell's facts are built,
not in post_run_cell: after a Run All that is once the kernel is idle, when later cells have written, grown and
rebound that object. The facts still describe it as the cell left it, and name it as the cell's code spelled it
(an identifier is NFKC-normalised: `ﬁ` in the code is `fi` in the namespace)."""

from __future__ import annotations

import json

import pytest

from trackit_sidecar.kernel import probe_expressions, silent_requests
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import counting_requests
from .test_facts_when_idle import _idle_after, _queued
from .test_probe_deferred import built_after_each_cell, pushed_after_a_run_all

pytest.importorskip("pandas")

CELLS = [
    "import pandas as pd",
    "src = pd.DataFrame({'a': [1.0, None, 3.0]})",
    "derived = src[src.a > 0]",  # measured against src: 3 rows, 1 null
    "src.loc[3] = [None]\nsrc['a'] = src['a'].fillna(0.0)",  # src in place: 4 rows, no null
    "src = pd.DataFrame({'a': [5.0]})\nagain = src.copy()",  # src rebound; again measured against the new src
    "\ufb01ltered = derived.head(1)",  # the name is `filtered`; its code reads derived
    "derived = src.copy()",  # rebound from another name: measured against src, not derived's old value
    "picked = \ufb01ltered.copy()",  # reads `filtered`, spelled `ﬁltered` in the code
]


def _check(facts: list[dict]) -> None:
    derived = facts[2]["derived"]
    assert (derived["before_variable"], derived["rows_before"], derived["nulls_before"], derived["rows_after"]) == \
        ("src", 3, 1, 2)
    grown = facts[3]["src"]
    assert (grown["rows_before"], grown["nulls_before"], grown["rows_after"], grown["nulls_after"]) == (3, 1, 4, 0)
    assert grown.get("before_variable") is None
    again = facts[4]["again"]
    assert (again["before_variable"], again["rows_before"]) == ("src", 1)
    assert facts[4]["src"].get("before_variable") is None  # rebound from no tracked name: no baseline
    filtered = facts[5]["filtered"]
    assert (filtered["before_variable"], filtered["rows_before"], filtered["rows_after"]) == ("derived", 2, 1)
    rebound = facts[6]["derived"]
    assert (rebound["before_variable"], rebound["rows_before"], rebound["nulls_before"]) == ("src", 1, 0)
    picked = facts[7]["picked"]
    assert (picked["before_variable"], picked["rows_before"]) == ("filtered", 1)


def _by_variable(facts: list[list[dict]]) -> list[dict]:
    return [{f["variable"]: f for f in cell if f.get("variable")} for cell in facts]


def test_baselines_found_after_a_run_all_are_the_objects_as_each_cell_left_them():
    after_all, p = pushed_after_a_run_all(CELLS)
    assert p.pushed_before_next_cell == len(CELLS) - 1  # every cell's facts were built after the last cell ran
    _check(_by_variable(after_all))
    assert after_all == built_after_each_cell(CELLS)


def test_a_live_run_all_measures_each_baseline_as_its_cell_left_it(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(CELLS[0])
        _idle_after(live_kernel, 0.5)  # no push between the queued cells: every cell's facts built after the last
        sent = counting_requests(capture)
        counts = _queued(live_kernel.client, CELLS[1:])
        facts = [{}] + [{f.variable: f.model_dump() for f in capture.fetch(count)} for count in counts]
        stats = json.loads(silent_requests.silent_expression(live_kernel.client, probe_expressions.stats_expression(),
                                                             10))
    assert stats["errors"] == []
    assert sent == []  # pushed, none asked for
    assert stats["pushed_before_next_cell"] >= len(CELLS) - 2
    _check(facts)
