"""One finding, said twice from one home: the summary's line cites its cells, a cell's hover names the others."""

from __future__ import annotations

from trackit_sidecar import protocol as p
from trackit_sidecar.summarize.finding import Finding, findings_on


def run(seq: int, cell_index: int) -> p.ExecutionRecord:
    return p.ExecutionRecord.model_construct(seq=seq, cell_index=cell_index, cell_id=f"c{cell_index}")


FILL, SPLIT, EDITED = run(6, 11), run(11, 21), run(3, 1)
LEAK = Finding("leakage", "`fillna(median)` learned from the test rows", (FILL, SPLIT))
STALE = Finding("stale", "The final values of `df` come from code edited since it ran", (FILL, SPLIT),
                "re-run {cells} and the cells after it", (EDITED,))


def test_the_summary_cites_the_cells_and_the_hover_names_the_other_ones():
    assert LEAK.line() == "`fillna(median)` learned from the test rows [cells 12, 22]."
    assert LEAK.on_cell(FILL) == "`fillna(median)` learned from the test rows (with cell 22)."
    assert STALE.line() == ("The final values of `df` come from code edited since it ran [cells 12, 22]; re-run "
                            "[cell 2] and the cells after it.")
    assert STALE.on_cell(SPLIT) == ("The final values of `df` come from code edited since it ran (with cell 12); "
                                    "re-run cell 2 and the cells after it.")
    three = Finding("out of order", "Ran out of order", (run(1, 0), run(2, 2), FILL))
    assert three.on_cell(FILL) == "Ran out of order (with cells 1 and 3)."


def test_a_cell_gets_the_findings_that_cite_its_latest_run_but_the_kinds_its_hover_says_already():
    failed = Finding("failed", "Cell 12 failed", (FILL,))
    assert findings_on([LEAK, failed], FILL, frozenset({"failed"})) == [LEAK.on_cell(FILL)]
    assert findings_on([LEAK], run(20, 11)) == [], "about an earlier run of the cell, re-run since"
    repeated = Finding("join dropped", "A merge dropped rows", (FILL,), repeats=(run(20, 11),))
    assert findings_on([repeated], run(20, 11)) == ["A merge dropped rows."]
