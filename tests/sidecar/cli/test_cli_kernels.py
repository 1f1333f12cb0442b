"""`trackit run` starts the notebook's own kernelspec and names it; a non-Python kernel is one line, exit 2.

Real processes, a real kernel, a real DuckDB file. IRkernel is not installed here: the `ir` notebook is
refused from its metadata alone, and a second test installs a fake `ir` kernelspec (never started).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

REFUSED = "trackit: kernel 'ir' runs R; TrackIT records Python notebooks\n"


def trackit(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trackit_sidecar", *args], capture_output=True, text=True,
                          timeout=180, env={**os.environ, **(env or {})})


def notebook(path: Path, sources: list[str], kernelspec: dict, language: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = kernelspec
    nb.metadata["language_info"] = {"name": language}
    nbformat.write(nb, str(path))
    return path


def r_notebook(path: Path) -> Path:
    return notebook(path, ["library(dplyr)", "df <- read.csv('data.csv')\nnrow(df)"],
                    {"name": "ir", "display_name": "R", "language": "R"}, "R")


def test_an_r_notebook_is_refused_in_one_line_and_nothing_is_recorded(tmp_path):
    db = tmp_path / "t.duckdb"
    run = trackit("run", str(r_notebook(tmp_path / "analysis.ipynb")), "--db", str(db))
    assert (run.returncode, run.stderr, run.stdout) == (2, REFUSED, "")
    assert not db.exists(), "nothing was run, so nothing is recorded"


def test_an_installed_r_kernelspec_is_refused_before_it_starts(tmp_path):
    spec = tmp_path / "jupyter" / "kernels" / "ir"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": ["/nonexistent/R", "--slave", "-f", "{connection_file}"], "display_name": "R", "language": "R"}))
    env = {"JUPYTER_PATH": str(tmp_path / "jupyter")}
    nb = r_notebook(tmp_path / "analysis.ipynb")
    run = trackit("run", str(nb), "--db", str(tmp_path / "t.duckdb"), env=env)
    assert (run.returncode, run.stderr) == (2, REFUSED)
    explicit = trackit("run", str(nb), "--db", str(tmp_path / "t.duckdb"), "--kernel", "ir", env=env)
    assert (explicit.returncode, explicit.stderr) == (2, REFUSED)


def test_a_missing_python_kernelspec_runs_in_python3_says_so_and_is_named_truthfully(tmp_path):
    nb = notebook(tmp_path / "flow.ipynb", ["import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, 3]})",
                                            "df = df[df.a > 1]"],
                  {"name": "conda-env-gone-py", "display_name": "Python [conda env:gone]", "language": "python"},
                  "python")
    db = str(tmp_path / "t.duckdb")
    run = trackit("run", str(nb), "--db", db)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].endswith("flow.ipynb in kernel python3 (Python 3 (ipykernel))"), lines[0]
    assert lines[1] == ("note: the notebook's kernel 'conda-env-gone-py' is not installed here; "
                        "running it in 'python3' (Python 3 (ipykernel))")
    doc = json.loads(trackit("lineage", str(nb), "--db", db, "--json").stdout)
    (session,) = doc["sessions"]
    assert (session["kernel_name"], session["kernel_display_name"]) == ("python3", "Python 3 (ipykernel)")
    assert session["runtime_status"] == "captured"
    assert [(e["runtime_status"], e["runtime_evidence"]) for e in doc["executions"]] == [("captured", "started")] * 2
    tree = trackit("lineage", str(nb), "--db", db).stdout
    assert "· Python 3 (ipykernel) [python3] · 2 executions" in tree, tree
    assert "runtime facts" not in tree


def test_without_runtime_capture_the_tree_says_so_once(tmp_path):
    nb = notebook(tmp_path / "flow.ipynb", ["x = 1", "y = x + 1"],
                  {"name": "python3", "display_name": "Python 3", "language": "python"}, "python")
    db = str(tmp_path / "t.duckdb")
    assert trackit("run", str(nb), "--db", db, "--no-runtime").returncode == 0
    doc = json.loads(trackit("lineage", str(nb), "--db", db, "--json").stdout)
    assert [e["runtime_status"] for e in doc["executions"]] == ["off", "off"]
    tree = trackit("lineage", str(nb), "--db", db).stdout
    assert tree.count("runtime facts off") == 1, tree
