"""The tree's words come from the one renderer: labels, descriptions, step lines (sent with the lineage document)."""

from __future__ import annotations

import typing

from trackit_sidecar import protocol as p
from trackit_sidecar.lineage.steps import classify_steps
from trackit_sidecar.render.hover import build_annotation
from trackit_sidecar.render.sentences import describe_execution
from trackit_sidecar.render.tree import (
    RUNTIME_STATUS_NOTES, execution_description, execution_label, format_duration, kernel_label, label_document,
    runtime_note,
)


def record(seq: int, cell_index: int, count, status="ok", duration=12.0, steps=(), runtime=(), error=None,
           session=1, reads=(), writes=()) -> p.ExecutionRecord:
    return p.ExecutionRecord(
        seq=seq, session=session, cell_id=f"c{cell_index}", cell_index=cell_index, execution_count=count,
        status=status, started_at="2026-11-29T14:03:01Z", ended_at="2026-11-29T14:03:02Z", duration_ms=duration,
        source="x", source_sha256=f"sha{seq}", steps=list(steps), runtime=list(runtime), error=error,
        reads=list(reads), writes=list(writes))


def test_durations_as_the_tree_showed_them() -> None:  # moved from the editor's lineageModel test
    assert format_duration(12.4) == "12 ms"
    assert format_duration(1500) == "1.5 s"
    assert format_duration(125_000) == "2 min 5 s"


def test_execution_labels_and_descriptions() -> None:
    assert execution_label(record(1, 4, 3)) == "[3] Cell 5"
    assert execution_label(record(1, 5, None)) == "[ ] Cell 6"
    assert execution_description(record(1, 0, 1, duration=850)) == "ok \u00b7 850 ms"
    assert execution_description(record(1, 0, 1, status="cancelled", duration=3000)) == "cancelled \u00b7 3.0 s"
    assert execution_description(record(1, 0, 1, status="error", error=p.ErrorInfo(name="KeyError"))) == \
        "error: KeyError"


def test_step_method_names_the_call_the_editor_used_to_parse_from_code() -> None:
    # lineageModel.ts regex-parsed `code` for the call's name; the classifier now records it
    assert [s.method for s in classify_steps("from sklearn.model_selection import train_test_split\n"
                                             "X_tr, X_te = train_test_split(X, y)")] == ["train_test_split"] * 2
    assert [s.method for s in classify_steps("df2 = df.rename(columns={'a': 'b'})")] == ["rename"]
    assert [(s.op, s.method) for s in classify_steps("df = df[df.age > 3]")] == [("filter_rows", None)]


def test_label_document_fills_what_the_tree_and_hover_show_alike() -> None:
    load = p.Step(op="load", output="df", detail="train.csv", code="df = pd.read_csv('train.csv')",
                  runtime=p.RuntimeFacts(variable="df", kind="DataFrame", rows_after=891, cols_after=12))
    clean = p.Step(op="drop_missing", inputs=["df"], output="df_clean", code="df_clean = df.dropna()",
                   runtime=p.RuntimeFacts(variable="df_clean", kind="DataFrame", rows_before=891, rows_after=714))
    doc = p.LineageDocument(notebook="/nb.ipynb", notebook_uri="file:///nb.ipynb", executions=[
        record(1, 2, 1, steps=[load], writes=["df"]),
        record(2, 3, 2, steps=[clean], reads=["df"], writes=["df_clean"])])
    label_document(doc)
    first, second = doc.executions
    # the row itself says what the run did (plain text: no Markdown in a tree row)
    assert (first.label, first.description) == ("[1] Cell 3", "Loaded train.csv into df: 891 rows \u00d7 12 columns \u00b7 12 ms")
    assert first.step_lines == ["Loaded `train.csv` into `df`: 891 rows \u00d7 12 columns"]
    assert second.step_lines == ["Dropped rows with missing values from `df` into `df_clean`: 891 \u2192 714 rows "
                                 "(\u2212177)"]
    assert second.steps[0].label == second.step_lines[0]
    hover = build_annotation(doc, "c3").markdown
    assert "- " + second.step_lines[0] in hover
    # and the lineage JSON carries them (fields only added)
    dumped = doc.model_dump(mode="json")["executions"][1]
    assert dumped["label"] == "[2] Cell 4" and dumped["steps"][0]["label"] == second.step_lines[0]


def test_kernels_and_runtime_notes_are_worded_here_and_said_once_per_session() -> None:
    # moved from the editor's lineageModel test (kernel-identity): the words and where each is said
    doc = p.LineageDocument(notebook="/nb.ipynb", notebook_uri="file:///nb.ipynb", sessions=[
        p.SessionInfo(id=1, started_at="2026-11-29T09:00:00Z", kernel_name="python3",
                      kernel_display_name="Python 3 (ipykernel)", runtime_status="kernel_not_identified"),
        p.SessionInfo(id=2, started_at="2026-11-29T14:00:00Z", kernel_name="analysis-env",
                      kernel_display_name="Python (analysis-env)", runtime_status=None),
        p.SessionInfo(id=3, started_at="2026-11-29T15:00:00Z", kernel_name="python3"),
    ], executions=[
        record(1, 0, 1, session=1).model_copy(update={"runtime_status": "kernel_not_identified"}),
        record(2, 0, 1, session=2).model_copy(update={"runtime_status": "captured", "runtime_evidence": "announced"}),
        record(3, 1, 2, session=2).model_copy(update={"runtime_status": "kernel_unreachable"}),
        record(4, 0, 1, session=3),
    ])
    label_document(doc)
    first, second, third = doc.sessions
    assert [s.kernel_label for s in doc.sessions] == [
        "Python 3 (ipykernel) [python3]", "Python (analysis-env) [analysis-env]", "python3"]
    # true of the whole session: said once, on the session, and not again on its run
    assert first.runtime_note == "runtime facts unavailable (kernel not identified)"
    assert doc.executions[0].runtime_note is None
    assert second.runtime_note is None and third.runtime_note is None
    assert doc.executions[1].runtime_note is None, "captured: nothing to say"
    assert doc.executions[2].runtime_note == "runtime facts unavailable (kernel did not answer)"
    assert doc.executions[3].runtime_note is None, "recorded before statuses were kept: nothing to say"
    assert runtime_note("not_python") == "runtime facts unavailable (not a Python kernel)"
    assert runtime_note("off") == "runtime facts off" and runtime_note("captured") is None
    assert kernel_label(p.SessionInfo(id=9, started_at="x", kernel_display_name="R")) == "R"
    assert kernel_label(p.SessionInfo(id=9, started_at="x")) is None
    assert set(RUNTIME_STATUS_NOTES) <= set(typing.get_args(p.RuntimeStatus))


def test_a_row_leads_with_the_main_effect_and_counts_the_rest() -> None:
    # issue 13: step facts lived only in tooltips; the row now shows the step that changed the data
    rename = p.Step(op="rename", inputs=["raw"], output="named", columns=["a"], code="named = raw.rename(columns={'a': 'b'})")
    dropna = p.Step(op="drop_missing", inputs=["df"], output="df", line=2, code="df = df.dropna()",
                    runtime=p.RuntimeFacts(variable="df", rows_before=891, rows_after=889))
    run = record(1, 0, 4, steps=[rename, dropna], reads=["raw", "df"], writes=["named", "df"], duration=30)
    lines = describe_execution(run)
    assert len(lines) == 2 and lines[1].startswith("Dropped rows with missing values")
    assert execution_description(run, lines) == \
        "Dropped rows with missing values from df: 891 \u2192 889 rows (\u22122) \u00b7 30 ms \u00b7 1 more step"
    alone = record(1, 0, 4, steps=[rename], reads=["raw"], writes=["named"], duration=30)
    assert execution_description(alone, describe_execution(alone)) == f"{describe_execution(alone)[0].replace('`', '')} \u00b7 30 ms"
    assert execution_description(record(1, 0, 1), []) == "ok \u00b7 12 ms"
    failed = record(1, 0, 1, status="error", steps=[dropna], error=p.ErrorInfo(name="KeyError"))
    assert execution_description(failed, lines) == "error: KeyError"  # a failed run leads with its error
