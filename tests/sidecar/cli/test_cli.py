"""The `trackit` command as a user meets it: real processes, a real kernel, a real DuckDB file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from trackit_sidecar.rpc_client import StdioRpcClient, serve_command


def trackit(*args: str, cwd: Path | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trackit_sidecar", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


def write_notebook(path: Path, cells: list[tuple[str, str]]) -> Path:
    nb = nbformat.v4.new_notebook()
    for kind, src in cells:
        nb.cells.append(nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src))
    nbformat.write(nb, str(path))
    return path


@pytest.mark.parametrize("content, reason", [
    (b"this is not json", "invalid JSON"),
    (b'{"cells": "nope", "nbformat": 4, "nbformat_minor": 5, "metadata": {}}', "not a"),
    (b'{"cells": [{"cell_type": "code"}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}', "notebook"),
    (b'{"hello": 1}', "not a"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not a notebook"),
    # an nbformat 3 notebook (worksheets, no 'cells') is a notebook: say which format and how to convert it
    (b'{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}',
     "nbformat 3 is not supported (4 expected); convert it with `jupyter nbconvert --to notebook --nbformat 4"),
])
def test_bad_notebook_file_gives_one_line_and_exit_2(tmp_path, content, reason):
    bad = tmp_path / "bad.ipynb"
    bad.write_bytes(content)
    commands = [["run", str(bad), "--db", str(tmp_path / "x.duckdb")]]
    if b"cell_type" not in content:  # `analyze` reads leniently: a cell missing fields is analysed as empty
        commands.append(["analyze", str(bad)])
    for cmd in commands:
        result = trackit(*cmd)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and reason in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_missing_notebook_is_exit_2(tmp_path):
    result = trackit("run", str(tmp_path / "nope.ipynb"), "--db", str(tmp_path / "x.duckdb"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_run_lineage_summarize_history_on_a_real_kernel(tmp_path):
    (tmp_path / "data.csv").write_text("a,b\n1,x\n2,\n3,z\n-1,w\n")
    nb = write_notebook(tmp_path / "flow.ipynb", [
        ("md", "# Flow"),
        ("code", "import pandas as pd\ndf = pd.read_csv('data.csv')"),
        ("code", "df = df[df.a > 0]\nlen(df)"),
        ("code", "df['b'] = df['b'].fillna('missing')\nprint(df.b.tolist())"),
    ])
    db = str(tmp_path / "t.duckdb")
    run = trackit("run", str(nb), "--db", db)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "recorded 3 executions" in run.stdout

    lineage = json.loads(trackit("lineage", str(nb), "--db", db, "--json").stdout)
    execs = lineage["executions"]
    assert [e["cell_index"] for e in execs] == [1, 2, 3]  # markdown cell 0 counts, as in VS Code
    assert [e["execution_count"] for e in execs] == [1, 2, 3]
    assert execs[1]["parents"] == [1] and execs[2]["parents"] == [2]
    assert execs[1]["steps"][0]["op"] == "filter_rows"
    runtime = execs[1]["steps"][0]["runtime"]
    assert (runtime["rows_before"], runtime["rows_after"]) == (4, 3)
    assert execs[0]["input_files"][0]["path"].endswith("data.csv") and execs[0]["input_files"][0]["sha256"]
    assert execs[2]["outputs"][0]["text"] == "['x', 'missing', 'z']\n"

    tree = trackit("lineage", str(nb), "--db", db)
    assert "4 \u2192 3 rows (\u22121)" in tree.stdout, tree.stdout

    summary = trackit("summarize", str(nb), "--db", db, "--out", str(tmp_path / "s.md"))
    assert summary.returncode == 0, summary.stderr
    text = (tmp_path / "s.md").read_text()
    assert "data.csv" in text and "[cell 3]" in text

    history = trackit("history", str(nb), "--db", db)
    assert history.returncode == 0 and "ran 1x" in history.stdout


def test_failing_cell_is_recorded_and_stops_the_run(tmp_path):
    nb = write_notebook(tmp_path / "fail.ipynb", [
        ("code", "x = 1"),
        ("code", "raise ValueError('bad data')"),
        ("code", "y = x + 1"),
    ])
    db = str(tmp_path / "t.duckdb")
    run = trackit("run", str(nb), "--db", db)
    assert run.returncode == 1
    assert "ValueError" in run.stdout and "cell 2 failed" in run.stdout
    execs = json.loads(trackit("lineage", str(nb), "--db", db, "--json").stdout)["executions"]
    assert [e["status"] for e in execs] == ["ok", "error"]
    assert execs[1]["error"] == {"name": "ValueError", "message": "bad data"}


def test_a_capture_body_that_raises_is_recorded_as_stopped_at_its_error(tmp_path):
    # `%%capture` runs its body through run_cell, which shows the body's traceback and returns: the kernel replies ok
    # and goes on. The body did not finish, so what comes after the error must not be recorded as done.
    nb = write_notebook(tmp_path / "capture.ipynb", [
        ("code", "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, 3, 4]})"),
        ("code", "%%capture out\ndf2 = df[df.a > 1]\n1/0\ndf3 = df2.dropna()\ndf['c'] = 1"),
        ("code", "df4 = df.head(2)"),
    ])
    db = str(tmp_path / "t.duckdb")
    run = trackit("run", str(nb), "--db", db)
    # the kernel replied ok and would go on, but the cell failed: the run stops there, as at any failed cell
    assert run.returncode == 1, run.stdout + run.stderr
    assert "stopped: cell 2 failed; 2 executions recorded" in run.stdout, run.stdout
    assert "FAILED" in run.stdout and "the kernel replied ok" in run.stdout, run.stdout
    execs = json.loads(trackit("lineage", str(nb), "--db", db, "--json").stdout)["executions"]
    assert [e["status"] for e in execs] == ["ok", "error"]
    body = execs[1]
    assert body["error"]["name"] == "ZeroDivisionError"
    assert "%%capture" in body["error"]["message"] and "replied ok" in body["error"]["message"]
    assert body["applied_writes"] == ["df2"]
    assert body["outcome"] == "partially applied: `df2` changed before the error"
    assert [s["output"] for s in body["steps"] if s.get("runtime")] == ["df2"]

    tree = trackit("lineage", str(nb), "--db", db).stdout
    assert "ERROR ZeroDivisionError" in tree and "into `df3`" not in tree and "`c`" not in tree, tree

    summary = trackit("summarize", str(nb), "--db", db, "--out", str(tmp_path / "s.md"))
    assert summary.returncode == 0, summary.stderr
    text = (tmp_path / "s.md").read_text()
    assert "ZeroDivisionError" in text and "`df3`" not in text and "without errors" not in text, text


def test_a_capture_body_that_raises_is_recorded_as_its_error_also_through_the_spool(tmp_path):
    # `trackit run` while a sidecar owns the file hands its captures over in the spool, merged by the owner
    nb = write_notebook(tmp_path / "spooled.ipynb", [("code", "x = 1"), ("code", "%%capture\ny = 2\n1/0\nz = 3")])
    db = str(tmp_path / "t.duckdb")
    owner = StdioRpcClient(serve_command(db))
    owner.initialize()
    try:
        run = trackit("run", str(nb), "--db", db)
        assert run.returncode == 1 and "recording to" in run.stdout, run.stdout + run.stderr
    finally:
        owner.close()
    execs = json.loads(trackit("lineage", str(nb), "--db", db, "--json").stdout)["executions"]
    assert [e["status"] for e in execs] == ["ok", "error"]
    assert "the kernel replied ok" in execs[1]["error"]["message"]


def test_a_metric_after_the_error_of_a_capture_body_is_no_value_of_its_experiment(tmp_path):
    # `acc` after the body's 1/0 was never computed: the kernel still holds cell 2's, which is not this run's result
    nb = write_notebook(tmp_path / "metric.ipynb", [
        ("code", "import numpy as np\nfrom sklearn.linear_model import LogisticRegression\n"
                 "from sklearn.metrics import accuracy_score\nX = np.random.RandomState(0).rand(40, 3)\n"
                 "y = (X[:, 0] > 0.5).astype(int)"),
        ("code", "model = LogisticRegression().fit(X, y)\nacc = accuracy_score(y, model.predict(X))\nprint(acc)"),
        ("code", "%%capture out\nmodel2 = LogisticRegression(C=0.1).fit(X, y)\n1/0\n"
                 "acc = accuracy_score(y, model2.predict(X))"),
    ])
    db = str(tmp_path / "t.duckdb")
    run = trackit("run", str(nb), "--db", db)
    assert run.returncode == 1, run.stdout + run.stderr
    found = json.loads(trackit("experiments", str(nb), "--db", db, "--json").stdout)["experiments"]
    assert [(e["cell_index"], e["status"]) for e in found] == [(1, "ok"), (2, "failed")]
    assert found[0]["primary_metric"]["raw_name"] == "acc"
    assert found[1]["primary_metric"] is None, found[1]["primary_metric"]  # as for a cell that failed outright


def test_reading_a_database_held_by_a_sidecar_names_the_holder(tmp_path):
    db = str(tmp_path / "held.duckdb")
    owner = StdioRpcClient(serve_command(db))
    owner.initialize()
    try:
        result = trackit("lineage", str(tmp_path / "any.ipynb"), "--db", db)
        assert result.returncode == 3
        assert f"PID {owner.proc.pid}" in result.stderr, result.stderr
    finally:
        owner.close()


def test_a_later_session_notices_that_an_input_file_changed(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("a\n1\n2\n")
    nb = write_notebook(tmp_path / "inputs.ipynb", [("code", "import pandas as pd\ndf = pd.read_csv('data.csv')")])
    db = str(tmp_path / "t.duckdb")
    assert trackit("run", str(nb), "--db", db).returncode == 0
    data.write_text("a\n1\n2\n3\n")  # someone re-exported the file
    assert trackit("run", str(nb), "--db", db).returncode == 0
    execs = json.loads(trackit("lineage", str(nb), "--db", db, "--json").stdout)["executions"]
    first, second = execs[0]["input_files"][0], execs[1]["input_files"][0]
    assert [e["session"] for e in execs] == [1, 2]
    assert first["changed_since"] is None
    assert second["changed_since"] == first["sha256"] != second["sha256"]
    summary = trackit("summarize", str(nb), "--db", db).stdout
    assert "changed" in summary.lower(), summary


def test_a_cell_past_the_timeout_is_reported_as_interrupted_not_failed(tmp_path):
    # "stopped: cell 1 failed" for a cell the run interrupted at --timeout sent users looking for an error
    nb = write_notebook(tmp_path / "slow.ipynb", [("code", "import time\ntime.sleep(60)"), ("code", "y = 1")])
    db = str(tmp_path / "t.duckdb")
    run = trackit("run", str(nb), "--db", db, "--timeout", "2")
    assert run.returncode == 1
    assert "TimeoutError: cell interrupted after 2s" in run.stdout
    assert "stopped: cell 1 ran past --timeout 2 s and was interrupted;" in run.stdout
    execs = json.loads(trackit("lineage", str(nb), "--db", db, "--json").stdout)["executions"]
    assert [e["status"] for e in execs] == ["cancelled"]


def test_analyze_claims_no_run_for_a_file_it_did_not_run(tmp_path):
    # it printed "ok      0 ms" for every cell of a notebook never run, and the file's time as a session start
    nb = write_notebook(tmp_path / "handed.ipynb", [("code", "import pandas as pd"), ("code", "df = pd.read_csv('a.csv')")])
    raw = json.loads(nb.read_text())
    raw["cells"].append({"cell_type": "code", "id": "boom", "metadata": {}, "execution_count": 3, "source": "1/0",
                         "outputs": [{"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero",
                                      "traceback": []}]})
    nb.write_text(json.dumps(raw))
    tree = trackit("analyze", str(nb)).stdout
    assert "handed.ipynb (static analysis, not run)" in tree and "file saved" in tree and "3 code cells" in tree
    assert " ok " not in tree and " ms " not in tree
    assert "[3] ERROR ZeroDivisionError (saved)" in tree


def test_analyze_says_and_carries_which_steps_are_inferred(tmp_path):
    # a helper of the project's own module judged by its name: the tree says it is inferred, the JSON says from what
    nb = write_notebook(tmp_path / "guessed.ipynb", [("code", "from utils import load_data\ndf = load_data()"),
                                                     ("code", "df = df.dropna()")])
    tree = trackit("analyze", str(nb)).stdout
    assert "`load_data` (inferred from the name `load_data`)" in tree
    steps = [s for e in json.loads(trackit("analyze", str(nb), "--json").stdout)["executions"] for s in e["steps"]]
    assert [(s["op"], s.get("inferred_from")) for s in steps] == [("load", "helper_name"), ("drop_missing", None)]
    assert "inferred from the name `load_data`" in steps[0]["label"] and "inferred" not in steps[1]["label"]


def test_captures_spooled_for_an_owner_that_died_are_merged_not_hidden(tmp_path):
    # `trackit run` while a sidecar owned the file spooled its captures; the sidecar was killed before merging
    # them: the run still said "recorded 3 execution(s) in <db>", while `trackit lineage` and `trackit doctor`
    # showed the database without them until some sidecar started again
    import signal
    import time

    nb = write_notebook(tmp_path / "spooled.ipynb", [("code", "x = 1"), ("code", "import time\ntime.sleep(4)"),
                                                     ("code", "y = x + 1")])
    db = str(tmp_path / "t.duckdb")
    assert trackit("run", str(nb), "--db", db).returncode == 0
    owner = StdioRpcClient(serve_command(db))
    owner.initialize()
    run = subprocess.Popen([sys.executable, "-m", "trackit_sidecar", "run", str(nb), "--db", db],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    spool = tmp_path / "t.duckdb.spool"
    deadline = time.monotonic() + 60
    while not (spool.is_dir() and any(p.suffix == ".jsonl" for p in spool.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.05)
    owner.proc.send_signal(signal.SIGKILL)  # before the owner's spool watcher merged what the run wrote
    owner.proc.wait()
    stdout, _ = run.communicate(timeout=120)
    assert run.returncode == 0, stdout
    assert f"recorded 3 executions in {db}" in stdout
    execs = json.loads(trackit("lineage", str(nb), "--db", db, "--json").stdout)["executions"]
    assert len(execs) == 6 and not any(p.suffix == ".jsonl" for p in spool.iterdir())


def test_doctor_counts_captures_waiting_in_the_spool_and_a_reading_command_merges_them(tmp_path):
    from trackit_sidecar.protocol import CellExecution
    from trackit_sidecar.store.spool import Spool

    nb = write_notebook(tmp_path / "w.ipynb", [("code", "x = 1")])
    db = str(tmp_path / "t.duckdb")
    assert trackit("run", str(nb), "--db", db).returncode == 0
    Spool(db).append([CellExecution(event_id="left-behind", notebook_uri=nb.as_uri(), notebook_path=str(nb),
                                    cell_id="late", cell_index=0, source="z = 3", started_at=1.8e12,
                                    ended_at=1.8e12 + 5, status="ok")])
    doctor = trackit("doctor", "--db", db)
    assert doctor.returncode == 0 and "1 spooled capture file in" in doctor.stdout and "waits to be merged" in doctor.stdout
    execs = json.loads(trackit("lineage", str(nb), "--db", db, "--json").stdout)["executions"]
    assert [e["source"] for e in execs] == ["x = 1", "z = 3"]
    assert "spooled" not in trackit("doctor", "--db", db).stdout


def test_a_reader_that_closes_the_pipe_stops_the_command_quietly(tmp_path):
    # `trackit history NB | head -2` printed a BrokenPipeError traceback
    nb = write_notebook(tmp_path / "p.ipynb", [("code", "x = 1"), ("code", "y = x + 1")])
    db = str(tmp_path / "t.duckdb")
    assert trackit("run", str(nb), "--db", db).returncode == 0
    for command in (["history", str(nb)], ["lineage", str(nb)]):
        proc = subprocess.Popen([sys.executable, "-m", "trackit_sidecar", *command, "--db", db],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        proc.stdout.close()  # the reader is gone before the first line is written
        stderr = proc.stderr.read()
        assert proc.wait(timeout=60) == 141, stderr
        assert stderr == "", stderr


def test_history_takes_the_cell_number_the_tree_shows(tmp_path):
    # the tree says "cell 2"; `trackit history NB --cell 2` answered "no executions recorded for ... cell 2"
    nb = write_notebook(tmp_path / "h.ipynb", [("md", "# title"), ("code", "x = 1"), ("code", "y = x + 1")])
    db = str(tmp_path / "t.duckdb")
    assert trackit("run", str(nb), "--db", db).returncode == 0
    by_number = trackit("history", str(nb), "--db", db, "--cell", "3")
    assert by_number.returncode == 0, by_number.stderr
    assert by_number.stdout.startswith("cell 3  (id ") and "y = x + 1" in by_number.stdout
    assert trackit("history", str(nb), "--db", db, "--cell", "1").returncode == 2  # markdown: nothing ran


def test_a_folder_where_a_file_goes_or_the_reverse_is_one_line(tmp_path):
    # `summarize --out DIR` (IsADirectoryError) and `export --out FILE` (NotADirectoryError) printed tracebacks
    nb = write_notebook(tmp_path / "o.ipynb", [("code", "x = 1")])
    db = str(tmp_path / "t.duckdb")
    assert trackit("run", str(nb), "--db", db).returncode == 0
    assert trackit("mark", str(nb), "--seq", "1", "--db", db).returncode == 0
    a_file = tmp_path / "a_file"
    a_file.write_text("")
    for command, says in ((["summarize", str(nb), "--out", str(tmp_path)], f"Is a directory: {tmp_path}"),
                          (["export", "E0001", "--out", str(a_file)], "Not a directory")):
        done = trackit(*command, "--db", db)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.startswith("trackit: ") and says in done.stderr and done.stderr.count("\n") == 1, done.stderr
