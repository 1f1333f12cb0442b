from __future__ import annotations

import hashlib

from trackit_sidecar.lineage.defuse import analyze_defuse
from trackit_sidecar.lineage.graph import (
    attach_runtime,
    downstream,
    latest_writer_by_name,
    link_parents,
    upstream,
    variable_origin,
)
from trackit_sidecar.protocol import ExecutionRecord, RuntimeFacts, Step

# A notebook whose cells redefine the same DataFrame; cell ids name their position in the notebook.
CELLS = {
    "c1": 'import pandas as pd\ndf = pd.read_csv("raw.csv")',
    "c2": "df = df.dropna()",
    "c3": "df = df[df.age > 0]",
    "c4": "summary = df.describe()",
}


def record(seq: int, cell_id: str, session: int = 1, status: str = "ok", source: str | None = None) -> ExecutionRecord:
    """An ExecutionRecord as the store would give it, with reads/writes from the real analyser."""
    text = CELLS[cell_id] if source is None else source
    analysis = analyze_defuse(text)
    return ExecutionRecord(
        seq=seq,
        session=session,
        cell_id=cell_id,
        cell_index=int(cell_id[1:]) - 1 if cell_id[1:].isdigit() else 0,
        execution_count=seq,
        status=status,  # type: ignore[arg-type]
        started_at="2026-11-29T10:00:00Z",
        ended_at="2026-11-29T10:00:01Z",
        duration_ms=1.0,
        source=text,
        source_sha256=hashlib.sha256(text.encode()).hexdigest(),
        reads=analysis.reads,
        writes=analysis.writes,
        derivations=analysis.derivations,
    )


def parents_of(executions: list[ExecutionRecord]) -> dict[int, list[int]]:
    return {e.seq: e.parents for e in executions}


def out_of_order_run() -> list[ExecutionRecord]:
    # executed c1, then c3 BEFORE c2, then c2, then c2 again, then c4
    return [record(1, "c1"), record(2, "c3"), record(3, "c2"), record(4, "c2"), record(5, "c4")]


def test_out_of_order_execution_parents_follow_execution_order_not_cell_order():
    runs = out_of_order_run()
    link_parents(runs)
    assert parents_of(runs) == {1: [], 2: [1], 3: [2], 4: [3], 5: [4]}


def test_out_of_order_run_upstream_and_downstream():
    runs = out_of_order_run()
    link_parents(runs)
    assert upstream(runs, 5) == [1, 2, 3, 4]
    assert upstream(runs, 3) == [1, 2]
    assert downstream(runs, 1) == [2, 3, 4, 5]
    assert downstream(runs, 3) == [4, 5]
    assert downstream(runs, 5) == []


def test_variable_origin_follows_execution_order():
    runs = out_of_order_run()
    assert variable_origin(runs, 5, "df") == 4
    assert variable_origin(runs, 2, "df") == 1
    assert variable_origin(runs, 1, "df") is None
    assert variable_origin(runs, 99, "df") is None


def test_latest_writer_by_name():
    assert latest_writer_by_name(out_of_order_run()) == {"pd": 1, "df": 4, "summary": 5}
    assert latest_writer_by_name([]) == {}


def test_input_order_of_the_list_does_not_matter():
    runs = list(reversed(out_of_order_run()))
    link_parents(runs)
    assert parents_of(runs) == {1: [], 2: [1], 3: [2], 4: [3], 5: [4]}


def test_parents_never_cross_a_kernel_restart():
    runs = out_of_order_run() + [record(6, "c4", session=2), record(7, "c1", session=2), record(8, "c4", session=2)]
    link_parents(runs)
    assert runs[5].parents == []  # the restarted kernel had no df yet
    assert runs[7].parents == [7]
    assert latest_writer_by_name(runs) == {"df": 7, "pd": 7, "summary": 8}
    assert latest_writer_by_name(runs, session=1)["df"] == 4


def test_failed_execution_still_counts_as_writer():
    runs = [record(1, "c1"), record(2, "c2", status="error"), record(3, "c4")]
    link_parents(runs)
    assert runs[2].parents == [2]


def test_parents_are_sorted_and_unique_across_several_reads():
    runs = [
        record(1, "a", source="x = 1"),
        record(2, "b", source="y = 2"),
        record(3, "c", source="x = 3"),
        record(4, "d", source="z = x + y + x"),
    ]
    link_parents(runs)
    assert runs[3].parents == [2, 3]


def test_link_parents_overwrites_stale_parents():
    runs = [record(1, "a", source="x = 1"), record(2, "b", source="print(1)")]
    runs[1].parents = [1]
    link_parents(runs)
    assert runs[1].parents == []


def test_mutation_makes_the_mutating_cell_the_new_origin():
    runs = [
        record(1, "a", source="items = []"),
        record(2, "b", source="items.append(3)"),
        record(3, "c", source="n = len(items)"),
    ]
    link_parents(runs)
    assert parents_of(runs) == {1: [], 2: [1], 3: [2]}


def test_unanalysed_cell_has_no_parents_and_breaks_nothing():
    runs = [record(1, "a", source="x = 1"), record(2, "b", source="%%bash\necho $x"), record(3, "c", source="y = x")]
    link_parents(runs)
    assert parents_of(runs) == {1: [], 2: [], 3: [1]}


# ---------------------------------------------------------------- attach_runtime
def test_fact_goes_to_last_step_producing_the_variable():
    steps = [
        Step(op="load", output="df", detail="raw.csv"),
        Step(op="drop_missing", inputs=["df"], output="df"),
        Step(op="aggregate", inputs=["df"], output="summary"),
    ]
    fact = RuntimeFacts(variable="df", rows_before=10, rows_after=8)
    attach_runtime(steps, [fact])
    assert steps[1].runtime == fact
    assert steps[0].runtime is None and steps[2].runtime is None


def test_fact_falls_back_to_in_place_step_that_reads_it():
    steps = [
        Step(op="load", output="raw", inputs=[]),
        Step(op="drop_missing", inputs=["df"], output=None, code="df.dropna(inplace=True)"),
        Step(op="aggregate", inputs=["df"], output="summary"),
    ]
    fact = RuntimeFacts(variable="df", rows_after=5)
    attach_runtime(steps, [fact])
    assert steps[1].runtime == fact
    assert steps[2].runtime is None


def test_inplace_code_counts_even_when_step_names_an_output():
    steps = [Step(op="impute_missing", inputs=["df"], output="filled", code="df.fillna(0, inplace = True)")]
    attach_runtime(steps, [RuntimeFacts(variable="df")])
    assert steps[0].runtime is not None


def test_unmatched_facts_stay_off_steps():
    steps = [Step(op="aggregate", inputs=["df"], output="summary")]
    attach_runtime(steps, [RuntimeFacts(variable="other"), RuntimeFacts(variable=None)])
    assert steps[0].runtime is None
