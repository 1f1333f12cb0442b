"""What each execution really did (lineage.measured + graph): a failed run carries only what it applied,
and every step is measured against its own inputs in its own run. Small hand-made records; the same rules
on a real kernel are in tests/usage and tests/sidecar/kernel/test_probe_truth.py."""

from __future__ import annotations

import hashlib
import json

from trackit_sidecar.lineage import records
from trackit_sidecar.render.sentences import describe_execution, outcome_note
from trackit_sidecar.protocol import ErrorInfo, ExecutionRecord, LineageDocument, RuntimeFacts, Step


def fact(variable: str, **values) -> RuntimeFacts:
    return RuntimeFacts(variable=variable, kind="DataFrame", **values)


def run(seq: int, source: str, reads: list[str], writes: list[str], steps: list[Step], runtime=(),
        status="ok", count: int | None = -1, session=1) -> ExecutionRecord:
    return ExecutionRecord(
        seq=seq, session=session, cell_id=f"c{seq}", cell_index=seq, status=status,
        execution_count=seq if count == -1 else count, started_at="2026-11-29T19:00:00+00:00",
        ended_at="2026-11-29T19:00:01+00:00", duration_ms=5.0, source=source,
        source_sha256=hashlib.sha256(source.encode()).hexdigest(), reads=reads, writes=writes, steps=steps,
        runtime=list(runtime), error=ErrorInfo(name="KeyError", message="'x'") if status == "error" else None)


def complete(*executions: ExecutionRecord) -> list[ExecutionRecord]:
    return records.complete(LineageDocument(notebook="/nb.ipynb", notebook_uri="file:///nb.ipynb",
                                            executions=list(executions))).executions


def query(seq, condition, runtime, **kw):
    code = f"data2010 = final.query('{condition}')"
    return run(seq, code, ["final"], ["data2010"],
               [Step(op="filter_rows", inputs=["final"], output="data2010", code=code, line=1)], runtime, **kw)


def load_final():
    return run(1, "final = pd.read_csv('f.csv')", ["pd"], ["final"],
               [Step(op="load", output="final", detail="f.csv")], [fact("final", rows_after=2476, cols_after=6)])


# ------------------------------------------------------------------ item 2: before/after against the step's inputs
def test_an_edited_rerun_from_an_old_probe_starts_from_its_input_not_the_names_previous_value():
    # what issue 8 saw: "query: 52 → 208 rows (+156)"; the old probe's "before" was the previous data2010
    first = query(2, "year == 2010", [fact("final", rows_before=2476, rows_after=2476, cols_before=6, cols_after=6),
                                      fact("data2010", rows_before=2476, rows_after=52, cols_before=6, cols_after=6)])
    again = query(3, "year >= 2010", [fact("final", rows_before=2476, rows_after=2476, cols_before=6, cols_after=6),
                                      fact("data2010", rows_before=52, rows_after=208, cols_before=6, cols_after=6)])
    _, first, again = complete(load_final(), first, again)
    assert (first.steps[0].runtime.rows_before, first.steps[0].runtime.rows_after) == (2476, 52)
    step = again.steps[0].runtime
    assert (step.rows_before, step.rows_after, step.before_variable) == (2476, 208, "final")
    assert describe_execution(again) == ["Filtered rows of `final` into `data2010`: 2,476 \u2192 208 rows (\u22122,268)"]
    assert again.runtime[1].rows_before == 52, "the kernel's raw observation is kept as it was"


def test_a_rebound_name_whose_input_was_not_measured_keeps_only_its_new_shape():
    first = query(2, "year == 2010", [fact("data2010", rows_before=2476, rows_after=52, cols_after=6)])
    again = query(3, "year >= 2010", [fact("data2010", rows_before=52, rows_after=208, cols_before=6, cols_after=6,
                                           added_columns=["z"])])
    _, _, again = complete(load_final(), first, again)
    step = again.steps[0].runtime
    assert (step.rows_before, step.cols_before, step.added_columns, step.rows_after) == (None, None, [], 208)


def test_facts_measured_against_the_input_by_the_probe_are_kept_whole():
    measured = fact("data2010", rows_before=2476, rows_after=208, cols_before=6, cols_after=5, removed_columns=["v"],
                    before_variable="final", changed=True)
    _, _, again = complete(load_final(), query(2, "year == 2010", []), query(3, "year >= 2010", [measured]))
    assert again.steps[0].runtime == measured


def test_a_cell_that_reads_its_own_name_starts_from_the_previous_run():
    code = "df = df[df.x > df.x.min()]"

    def rerun(seq, before, after):
        return run(seq, code, ["df"], ["df"], [Step(op="filter_rows", inputs=["df"], output="df", code=code)],
                   [fact("df", rows_before=before, rows_after=after)])

    done = complete(run(1, "df = pd.read_csv('x.csv')", ["pd"], ["df"], [Step(op="load", output="df")],
                        [fact("df", rows_after=15)]), rerun(2, 15, 14), rerun(3, 14, 13))
    assert [(s.steps[0].runtime.rows_before, s.steps[0].runtime.rows_after) for s in done[1:]] == [(15, 14), (14, 13)]


def test_a_chain_in_one_cell_starts_from_the_first_steps_input():
    code1, code2 = "df = raw.dropna()", "df = df[df.x > 0]"
    steps = [Step(op="drop_missing", inputs=["raw"], output="df", code=code1, line=1),
             Step(op="filter_rows", inputs=["df"], output="df", code=code2, line=2)]
    first = run(2, f"{code1}\n{code2}", ["raw"], ["df"], [s.model_copy() for s in steps],
                [fact("raw", rows_before=10, rows_after=10), fact("df", rows_before=10, rows_after=6)])
    again = run(3, f"{code1}\n{code2}", ["raw"], ["df"], [s.model_copy() for s in steps],
                [fact("raw", rows_before=10, rows_after=10), fact("df", rows_before=6, rows_after=6)])
    _, _, again = complete(run(1, "raw = load()", [], ["raw"], [], [fact("raw", rows_after=10)]), first, again)
    assert (again.steps[1].runtime.rows_before, again.steps[1].runtime.rows_after) == (10, 6)


# ------------------------------------------------------------------ item 3: failed and cancelled runs
def test_a_failed_run_that_changed_nothing_shows_no_figures_and_is_no_writer():
    failed = query(3, "yeer >= 2010", [fact("final", rows_before=2476, rows_after=2476, changed=False),
                                       fact("data2010", rows_before=52, rows_after=52, changed=False)], status="error")
    reader = run(4, "n = len(data2010)", ["data2010"], ["n"], [])
    _, ok, failed, reader = complete(load_final(), query(2, "year == 2010", [fact("data2010", rows_after=52)]),
                                     failed, reader)
    assert failed.applied_writes == [] and failed.steps[0].runtime is None
    assert describe_execution(failed) == []
    assert outcome_note(failed) == "no data changed before the error"
    assert reader.parents == [2] and reader.read_from == {"data2010": 2}


def test_facts_from_an_older_probe_show_an_unchanged_variable_as_not_applied():
    failed = query(3, "yeer >= 2010", [fact("data2010", rows_before=52, rows_after=52, cols_before=6, cols_after=6,
                                            nulls_before=0, nulls_after=0)], status="error")
    _, _, failed = complete(load_final(), query(2, "year == 2010", []), failed)
    assert failed.applied_writes == []


def test_a_failed_run_that_changed_its_variable_is_partially_applied():
    code = "df = df.dropna()\nvalue = df['missing_column']"
    failed = run(2, code, ["df"], ["df", "value"],
                 [Step(op="drop_missing", inputs=["df"], output="df", code="df = df.dropna()", line=1),
                  Step(op="select_columns", inputs=["df"], output="value", code="value = df['missing_column']", line=2)],
                 [fact("df", rows_before=10, rows_after=5, changed=True)], status="error")
    reader = run(3, "total = df.a.sum()", ["df"], ["total"], [])
    load = run(1, "df = pd.read_csv('ab.csv')", ["pd"], ["df"], [Step(op="load", output="df")], [fact("df", rows_after=10)])
    _, failed, reader = complete(load, failed, reader)
    assert failed.applied_writes == ["df"]
    assert outcome_note(failed) == "partially applied: `df` changed before the error"
    assert describe_execution(failed) == ["Dropped rows with missing values from `df`: 10 \u2192 5 rows (\u22125)"]
    # `value` is not a measured kind here: unknown, so it still counts as written (a possible dependency)
    assert reader.parents == [2]


def test_a_cancelled_run_that_never_started_read_and_wrote_nothing():
    never = run(3, "df = df[df.a > 1]", ["df"], ["df"], [Step(op="filter_rows", inputs=["df"], output="df")],
                status="cancelled", count=None)
    after = run(4, "n = len(df)", ["df"], ["n"], [])
    load = run(1, "df = load()", [], ["df"], [], [fact("df", rows_after=5)])
    _, never, after = complete(load, never, after)
    assert never.applied_writes == [] and never.parents == [] and never.read_from == {}
    assert outcome_note(never) == "cancelled before it ran"
    assert after.parents == [1]


def test_a_failed_run_with_no_facts_is_not_known_and_still_counts_as_a_writer():
    failed = run(2, "df = df.dropna()\nboom()", ["df"], ["df"], [Step(op="drop_missing", inputs=["df"], output="df")],
                 status="error")
    reader = run(3, "n = len(df)", ["df"], ["n"], [])
    _, failed, reader = complete(run(1, "df = load()", [], ["df"], []), failed, reader)
    assert failed.applied_writes is None and outcome_note(failed) is None
    assert describe_execution(failed) == ["Dropped rows with missing values from `df`"]
    assert reader.parents == [2]


# ------------------------------------------------------------------ where a failed run stopped
def _error_output(count: int, line: int, chained: bool = False) -> "OutputInfo":
    from trackit_sidecar.protocol import OutputInfo

    # IPython's traceback as the editor stores it: ANSI colours, the pandas frames of a chained KeyError first
    inner = ("\x1b[31mKeyError\x1b[39m  Traceback (most recent call last)\n\x1b[36mFile \x1b[39m\x1b[32m/x/pandas/base.py:3816"
             "\x1b[39m, in \x1b[36mIndex.get_loc\x1b[39m\n\nThe above exception was the direct cause of the following exception:\n\n")
    stack = (inner if chained else "") + (
        f"\x1b[31mKeyError\x1b[39m  Traceback (most recent call last)\n\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m"
        f"\x1b[32mIn[{count}]\x1b[39m\x1b[32m, line {line}\x1b[39m\n----> {line} value = df['missing_column']\n"
        f"\x1b[36mFile \x1b[39m\x1b[32m/x/pandas/frame.py:4113\x1b[39m, in \x1b[36mDataFrame.__getitem__\x1b[39m\n")
    text = json.dumps({"name": "KeyError", "message": "'missing_column'", "stack": stack})
    return OutputInfo(output_type="error", mime="application/vnd.code.notebook.error", size=len(text), sha256="x", text=text)


def test_an_unmeasured_name_the_failed_statement_would_have_bound_was_not_written():
    from trackit_sidecar.lineage.measured import failing_line, unreached_names, written_names

    code = "df = df.dropna()\nvalue = df['missing_column']\nlabel = 'x'"
    failed = run(2, code, ["df"], ["df", "value", "label"], [], [fact("df", rows_before=10, rows_after=5, changed=True)],
                 status="error")
    failed.outputs = [_error_output(2, 2, chained=True)]
    reader = run(3, "print(value)", ["value"], [], [])
    _, failed, reader = complete(run(1, "df = load()\nvalue = 0", [], ["df", "value"], []), failed, reader)
    assert failing_line(failed) == 2
    assert unreached_names(failed) == {"value", "label"}
    assert written_names(failed) == ["df"]
    assert reader.read_from == {"value": 1}, "value still holds what cell 1 set"


def test_a_block_that_failed_inside_may_have_bound_its_names_and_earlier_statements_did():
    from trackit_sidecar.lineage.measured import unreached_names

    code = "a = 1\nfor i in range(3):\n    b = i\n    boom()\nc = 2"
    failed = run(1, code, [], ["a", "i", "b", "c"], [], status="error")
    failed.outputs = [_error_output(1, 4)]
    assert unreached_names(failed) == {"c"}
    failed.outputs = [_error_output(7, 4)]  # another cell's frame (In[7]) is not where this one stopped
    assert unreached_names(failed) == frozenset()


def test_the_prompt_for_a_provider_marks_a_failed_runs_steps_as_not_taken_effect():
    from trackit_sidecar.summarize.prompt import build_prompt

    failed = query(3, "yeer >= 2010", [fact("data2010", rows_before=52, rows_after=52, changed=False)], status="error")
    doc = LineageDocument(notebook="/nb.ipynb", notebook_uri="file:///nb.ipynb",
                          executions=[load_final(), query(2, "year == 2010", [fact("data2010", rows_after=52)]), failed])
    records.complete(doc)
    for execution in doc.executions:
        execution.outcome = outcome_note(execution)
    prompt = "\n".join(build_prompt(doc))
    part = prompt.split("run #3")[1]
    assert "steps as written (the run stopped; only measured ones took effect)" in part
    assert "outcome: no data changed before the error" in part and "52" not in part.split("error:")[0]


def test_a_failed_run_the_kernel_was_asked_about_and_that_measured_nothing_applied_no_data():
    failed = run(2, "df = df.dropna()\nboom()", ["df"], ["df"], [Step(op="drop_missing", inputs=["df"], output="df")],
                 status="error")
    failed.runtime_status = "captured"  # asked, and the probe kept no facts: no frame or array changed
    _, failed = complete(run(1, "df = load()", [], ["df"], []), failed)
    assert failed.applied_writes == [] and outcome_note(failed) == "no data changed before the error"


def test_a_failed_run_drops_the_table_its_last_expression_would_have_shown() -> None:
    code = "long_df.pivot(index='year', on='kind')"
    pivot = Step(op="reshape", inputs=["long_df"], code=code, line=1, displays_result=True)
    failed, = complete(run(1, code, ["long_df"], [], [pivot.model_copy()], status="error"))
    assert failed.steps == []
    shown, = complete(run(1, code, ["long_df"], [], [pivot.model_copy()]))
    assert [s.op for s in shown.steps] == ["reshape"]


def test_a_fact_measured_against_its_input_is_the_copy_model_copy_would_make():
    # lineage.measured copies thousands of facts per long notebook, without model_copy's cost: the copy must be its
    from trackit_sidecar.model_copies import updated

    fact = RuntimeFacts(variable="df", kind="DataFrame", rows_before=12, rows_after=9, added_columns=["a"],
                        dtype_changes={"age": ["object", "float64"]}, column_nulls_after={"age": 2})
    update = {"rows_before": None, "added_columns": [], "before_variable": "raw"}
    made, expected = updated(fact, update), fact.model_copy(update=update)
    assert made == expected and made is not fact
    assert made.model_fields_set == expected.model_fields_set
    assert made.model_dump_json() == expected.model_dump_json()
    assert fact.rows_before == 12 and fact.added_columns == ["a"]  # the original is left as it was
