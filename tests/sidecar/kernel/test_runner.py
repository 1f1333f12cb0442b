"""run_notebook against a real ipykernel."""

from __future__ import annotations

import base64
import json
import re
import shutil
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from trackit_sidecar import protocol
from trackit_sidecar.kernel import cell_outputs
from trackit_sidecar.kernel.kernelspecs import KernelSpecNotFound, NotPythonKernel
from trackit_sidecar.kernel.runner import KernelDiedError, run_notebook
from trackit_sidecar.notebook_file import NotebookError, cell_id_for

from .conftest import FIXTURES, REPO

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


def _write_notebook(path: Path, sources: list[str]) -> Path:
    notebook = new_notebook(cells=[new_code_cell(s) for s in sources])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, str(path))
    return path


def test_three_cells_record_three_events_with_outputs(tmp_path):
    notebook = shutil.copy(FIXTURES / "three_cells.ipynb", tmp_path / "three.ipynb")
    seen: list[tuple[protocol.CellExecution, object]] = []
    before = time.time() * 1000
    result = run_notebook(notebook, on_execution=lambda event, runtime: seen.append((event, runtime)))
    after = time.time() * 1000

    assert result.ok and result.failed_cell_index is None
    assert [e for e, _ in seen] == result.events
    events = result.events
    assert [e.cell_id for e in events] == ["stream-cell", "result-cell", "image-cell"]
    assert [e.cell_index for e in events] == [1, 2, 3]  # the markdown cell counts
    assert [e.execution_order for e in events] == [1, 2, 3]
    resolved = Path(notebook).resolve()
    for event in events:
        uuid.UUID(event.event_id)
        assert event.notebook_uri == resolved.as_uri()
        assert event.notebook_path == str(resolved)
        assert event.kernel_id == result.kernel_id and event.kernel_name == "python3"
        assert event.kernel_display_name == result.kernel_display_name and event.kernel_display_name
        assert event.status == "ok" and event.error_name is None
        assert before <= event.started_at <= event.ended_at <= after
        assert event.language == "python"
    assert len({e.event_id for e in events}) == 3
    # the facts came from the kernel this run started
    assert {(r.status, r.evidence) for _, r in seen} == {("captured", "started")}
    assert events[1].source == "answer = 21 * 2\nanswer"

    stdout, stderr = events[0].outputs
    assert (stdout.output_type, stdout.mime, stdout.text) == ("stream", cell_outputs.STDOUT_MIME, "hello\nworld\n")
    assert (stderr.mime, stderr.text) == (cell_outputs.STDERR_MIME, "careful\n")
    result_output = [o for o in events[1].outputs if o.mime == "text/plain"]
    assert [(o.output_type, o.text) for o in result_output] == [("execute_result", "42")]
    images = [o for o in events[2].outputs if o.mime == "image/png"]
    assert len(images) == 1 and images[0].output_type == "display_data"
    assert images[0].text is None
    assert base64.b64decode(images[0].base64) == base64.b64decode(PNG)
    assert images[0].size == len(base64.b64decode(PNG))


def test_failing_cell_stops_the_run(tmp_path):
    notebook = shutil.copy(FIXTURES / "failing.ipynb", tmp_path / "failing.ipynb")
    result = run_notebook(notebook, runtime_capture=False)
    assert not result.ok and result.status == "error"
    assert [e.cell_id for e in result.events] == ["ok-cell", "bad-cell"]  # never-cell not run
    failed = result.events[-1]
    assert (failed.status, failed.error_name, failed.error_message) == ("error", "ValueError", "bad value 42")
    assert (result.failed_cell_index, result.failed_cell_id) == (2, "bad-cell")
    error_outputs = [o for o in failed.outputs if o.output_type == "error"]
    assert json.loads(error_outputs[0].text)["name"] == "ValueError"


def test_runs_with_the_notebook_folder_as_cwd_and_fresh_kernel_ids(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "data.txt").write_text("payload")
    notebook = _write_notebook(folder / "nb.ipynb", ["import os\nprint(os.getcwd())", "print(open('data.txt').read())"])
    first = run_notebook(notebook, runtime_capture=False)
    second = run_notebook(notebook, runtime_capture=False)
    assert first.events[0].outputs[0].text.strip() == str(folder.resolve())
    assert first.events[1].outputs[0].text == "payload\n"
    assert first.kernel_id != second.kernel_id
    # the stable fallback id for cells without an nbformat id is derived from the position
    assert cell_id_for({"cell_type": "code"}, 4) == "cell-4"


def test_timeout_interrupts_and_records_cancelled(tmp_path):
    notebook = _write_notebook(tmp_path / "slow.ipynb", ["import time\ntime.sleep(60)", "print('after')"])
    result = run_notebook(notebook, timeout=2, runtime_capture=False)
    assert [e.status for e in result.events] == ["cancelled"]
    assert result.status == "cancelled" and result.failed_cell_index == 0
    assert result.events[0].error_name == "TimeoutError"


def test_kernel_that_dies_raises_with_the_partial_result(tmp_path):
    notebook = _write_notebook(tmp_path / "die.ipynb", [
        "x = 1", "import os, sys\nos.write(2, b'dying on purpose\\n')\nos._exit(3)", "print('never')"])
    with pytest.raises(KernelDiedError) as caught:
        run_notebook(notebook, runtime_capture=False, timeout=60)
    result = caught.value.result
    assert [e.status for e in result.events] == ["ok", "error"]
    assert result.events[1].error_name == "KernelDied"
    assert "dying on purpose" in str(caught.value)  # the kernel's own last words


@pytest.mark.parametrize(
    "content, fragment",
    [("{not json", "not a notebook (invalid JSON"), ('{"cells": 5, "nbformat": 4}', "not a Jupyter notebook"),
     (None, "no such file")],
)
def test_malformed_notebook_raises_notebook_error(tmp_path, content, fragment):
    path = tmp_path / "bad.ipynb"
    if content is not None:
        path.write_text(content)
    with pytest.raises(NotebookError) as caught:
        run_notebook(path)
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert fragment in message and "\n" not in message


def test_kernel_spec_problems_have_clear_types(tmp_path, monkeypatch):
    notebook = _write_notebook(tmp_path / "nb.ipynb", ["1"])
    with pytest.raises(KernelSpecNotFound, match="no kernel spec named 'no-such-kernel'"):
        run_notebook(notebook, kernel_name="no-such-kernel")
    # a non-Python kernel spec (never started: refused before launch)
    spec_dir = tmp_path / "jupyter" / "kernels" / "ir"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps(
        {"argv": ["R", "--slave", "-f", "{connection_file}"], "display_name": "R", "language": "R"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    with pytest.raises(NotPythonKernel, match="^kernel 'ir' runs R; TrackIT records Python notebooks$"):
        run_notebook(notebook, kernel_name="ir")


def test_the_notebooks_own_kernelspec_runs_it_and_names_the_session(tmp_path, monkeypatch):
    # a second Python kernelspec, installed under its own name and display name
    spec_dir = tmp_path / "jupyter" / "kernels" / "analysis-env"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps(
        {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
         "display_name": "Python (analysis-env)", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    notebook = _write_notebook(tmp_path / "nb.ipynb", ["import sys\nprint(sys.executable)"])
    nb = nbformat.read(str(notebook), as_version=4)
    nb.metadata["kernelspec"] = {"name": "analysis-env", "display_name": "whatever the file says", "language": "python"}
    nbformat.write(nb, str(notebook))
    result = run_notebook(notebook, runtime_capture=False)
    assert (result.kernel_name, result.kernel_display_name, result.kernel_note) == (
        "analysis-env", "Python (analysis-env)", None)
    assert (result.events[0].kernel_name, result.events[0].kernel_display_name) == ("analysis-env", "Python (analysis-env)")


def test_bundled_example_runs_top_to_bottom():
    notebook = REPO / "examples" / "titanic" / "preprocess.ipynb"
    facts_by_source = {}
    result = run_notebook(notebook, timeout=120,
                          on_execution=lambda e, runtime: facts_by_source.__setitem__(e.source, runtime.facts))
    assert result.ok, (result.failed_cell_index, result.error_name, result.error_message)
    assert len(result.events) == result.code_cells == 13
    last_text = "".join(o.text or "" for o in result.events[-1].outputs)
    accuracy = float(re.search(r"accuracy: ([0-9.]+)", last_text).group(1))
    assert 0.6 < accuracy <= 1.0
    encode_cell = next(source for source in facts_by_source if "get_dummies" in source)
    encode = {f.variable: f for f in facts_by_source[encode_cell]}["df"]
    assert set(encode.added_columns) == {"Sex_male", "Embarked_Q", "Embarked_S"}
    assert set(encode.removed_columns) == {"Sex", "Embarked"}
    dedup = {f.variable: f for f in facts_by_source["df = passengers.drop_duplicates()\nlen(df)"]}["df"]
    assert (dedup.rows_before, dedup.rows_after) == (900, 891)  # compared with `passengers`


def test_a_cell_run_one_by_one_is_recorded_as_it_ended_like_a_run_of_the_whole_notebook(tmp_path):
    # KernelSession (trackit replay) builds its records with run_notebook's cell_event: a `%%capture` body that raised
    # is the error it was there too (it read ok, so a replay went on past it)
    from trackit_sidecar.kernel.session import KernelSession

    with KernelSession(tmp_path / "one.ipynb", runtime_capture=False) as session:
        kept, _ = session.run("%%capture\nx = 1\n1/0\ny = 2", "c1", 0)
        plain, _ = session.run("z = x + 1", "c2", 1)
    assert (kept.status, kept.error_name) == ("error", "ZeroDivisionError")
    assert "the kernel replied ok" in kept.error_message
    assert (plain.status, plain.error_name) == ("ok", None)
