"""A fill the kernel saw fill nothing is no fill (lineage/runtime_decisions.py, kb/runtime.py FILLING_OPS): as many
missing values after as before, counted on every row, with the same shape. Pure: steps and facts in, steps out."""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.graph import attach_runtime
from trackit_sidecar.lineage.runtime_decisions import decide_with_runtime
from trackit_sidecar.lineage.steps import classify_steps
from trackit_sidecar.protocol import RuntimeFacts

CELL_HEAD = "import pandas as pd\nimport numpy as np\n"


def gaps(variable: str, before: int, after: int, source=None, sampled=False, rows=5, cols=2) -> RuntimeFacts:
    """A variable's facts as measured.settle leaves them: `source` is the variable a new name was made from."""
    return RuntimeFacts(variable=variable, kind="DataFrame", rows_before=rows, rows_after=rows, cols_before=cols,
                        cols_after=cols, nulls_before=before, nulls_after=after, before_variable=source,
                        sampled=sampled)


def decided(source: str, facts: list[RuntimeFacts], reruns=None) -> list[tuple]:
    cell = CELL_HEAD + source
    steps = classify_steps(cell)
    attach_runtime(steps, facts)
    return [(s.op, s.decided_by, s.static_op, s.rerun_of)
            for s in decide_with_runtime(steps, facts, cell, reruns=reruns or {})]


FILLED_NOTHING = ("other", "runtime", "impute_missing", None)
FILLED = ("impute_missing", "static", None, None)


@pytest.mark.parametrize("source, facts", [
    # pandas >= 3: a chained in-place fill fills a temporary copy; `df` keeps its 2 gaps
    ("df['a'].fillna(0, inplace=True)", [gaps("df", 2, 2)]),
    ("df.fillna(0, inplace=True)", [gaps("df", 0, 0)]),  # nothing to fill
    ("df = df.fillna(df.mean())", [gaps("df", 0, 0)]),
    ("clean = df.fillna(-1)", [gaps("clean", 0, 0, source="df")]),  # a new name, measured against its source
    ("df['b'] = df['b'].fillna(5)", [gaps("df", 0, 0)]),  # the very column it filled
    ("df['a'].fillna(0, inplace=True)\ndf['b'].fillna(0, inplace=True)", [gaps("df", 3, 3)]),
])
def test_a_fill_that_left_the_missing_values_as_they_were_filled_nothing(source, facts) -> None:
    assert decided(source, []) == [FILLED] * source.count("fillna")  # without a kernel: static says fill
    assert decided(source, facts) == [FILLED_NOTHING] * source.count("fillna")


@pytest.mark.parametrize("source, facts, why", [
    ("df['a'].fillna(0, inplace=True)", [gaps("df", 2, 0)], "it filled two"),
    ("df.fillna(0, inplace=True)", [gaps("df", 40, 40, sampled=True)], "counted on a sample: says nothing"),
    ("df['b'] = df['c'].fillna(5)", [gaps("df", 1, 1)], "another column's fill: b's and c's counts can balance"),
    ("df = df.fillna(0)\ndf['z'] = np.nan", [gaps("df", 5, 5, cols=3)], "a statement besides the fill binds df"),
    ("df.fillna(0, inplace=True)", [RuntimeFacts(variable="df", kind="DataFrame", rows_before=5, rows_after=5,
                                                 cols_before=2, cols_after=2)], "no counts"),
])
def test_a_fill_is_left_as_static_said_when_the_counts_do_not_show_it_filled_nothing(source, facts, why) -> None:
    assert FILLED in decided(source, facts), why
    assert not any(op == "other" for op, *_ in decided(source, facts)), why


def test_a_rerun_of_a_fill_says_which_run_it_started_from() -> None:
    assert decided("df.fillna(0, inplace=True)", [gaps("df", 0, 0)], reruns={"df": 7}) == [
        ("other", "runtime", "impute_missing", 7)]


def test_the_wording_says_what_the_fill_did_not_do() -> None:
    from trackit_sidecar.render.nothing_done import NOTHING_DONE_PHRASES, nothing_done
    from trackit_sidecar.lineage.kb import runtime as kb_runtime

    cell = CELL_HEAD + "df['a'].fillna(0, inplace=True)"
    steps = classify_steps(cell)
    facts = [gaps("df", 2, 2)]
    attach_runtime(steps, facts)
    (step,) = decide_with_runtime(steps, facts, cell)
    assert nothing_done(step) == "filled no missing value"
    # every op the runtime can decide to `other` has its wording (one home: render/nothing_done.py)
    assert set(NOTHING_DONE_PHRASES) == set(kb_runtime.ROW_REMOVING_OPS) | set(kb_runtime.FILLING_OPS)
