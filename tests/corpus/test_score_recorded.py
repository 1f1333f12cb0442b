"""tests/corpus/score_recorded.py scores what a real `trackit run` recorded, not the static analysis: a tiny committed
notebook (recorded_fixture/tiny.ipynb, its labels beside it) is run in a real ipykernel into a real DuckDB file, and
the recorded score, the per-cell ops scored and the runtime moves are checked against what the run can only give.

With the kernel: cell 3 shows a number (a shown small answer is inspection: its concat is dropped), cell 4 keeps every
row (`other`, decided_by runtime), cell 5 fails before it shows its table and cell 6 never runs; those two are scored
by their static ops (score_recorded's rule for a cell with no runtime fact).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import score_recorded  # noqa: E402

FIXTURE = HERE / "recorded_fixture"
ENTRY = {"id": "tiny", "split": "tuning", "batch": 0}

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def compared() -> score_recorded.Compared:
    labels = json.loads((FIXTURE / "tiny.labels.json").read_text())
    recording = score_recorded.record(FIXTURE, "tiny.ipynb", kernel="python3", timeout=60)
    return score_recorded.compare(ENTRY, labels, FIXTURE / "tiny.ipynb", recording)


def test_the_run_stopped_where_the_notebook_fails(compared):
    assert compared.recording.ran.startswith("stopped at cell 5: NameError")
    assert compared.cells_ran_ok == 4 and compared.cells_scored_statically == 2


def test_the_recorded_ops_are_scored_where_the_cell_ran_and_the_static_ones_where_it_did_not(compared):
    static, _ = score_recorded.score.predicted_ops(FIXTURE / "tiny.ipynb")
    scored, _ = score_recorded.recorded_ops(static, compared.recording)
    assert static == {1: ["load"], 2: [], 3: ["concat"], 4: ["filter_rows"], 5: ["concat"], 6: ["derive_feature"]}
    # 3 and 4 as recorded; 5 failed (its recorded run dropped the concat it never showed) and 6 never ran: static
    assert scored == {1: ["load"], 2: [], 3: [], 4: ["other"], 5: ["concat"], 6: ["derive_feature"]}


def test_static_and_recorded_scores_differ_by_what_the_kernel_decided(compared):
    s, r = compared.static.total, compared.recorded.total
    assert (s.tp, s.fp, s.fn) == (4, 1, 0)  # concat in cell 3 is spurious
    assert (r.tp, r.fp, r.fn) == (3, 1, 1)  # cell 3 right now; cell 4's filter_rows became `other`
    assert compared.runtime_steps == 1


def test_moves_count_both_directions(compared):
    m = compared.moves
    assert (m.hits_gained, m.spurious_dropped, m.hits_lost, m.spurious_added) == (0, 1, 1, 1)
    assert (m.to_right, m.to_wrong) == (1, 2)
    assert (m.cells_changed, m.cells_changed_by_runtime, m.broken_cells) == (2, 1, [4])
