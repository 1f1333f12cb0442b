"""`trackit experiments | show | mark | name | reparent | export` as a user meets them, bad input included."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ..model_notebook import record_model_runs


def trackit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trackit_sidecar", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def db(tmp_path) -> str:
    """Two runs of a small notebook recorded as the editor would send them (no kernel needed)."""
    path = str(tmp_path / "t.duckdb")
    record_model_runs(path, tmp_path / "nb.ipynb", [("1.0", "accuracy: 0.750\n"), ("0.1", "accuracy: 0.500\n")])
    return path


def test_table_show_mark_name_reparent(db, tmp_path):
    notebook = str(tmp_path / "nb.ipynb")
    table = trackit("experiments", notebook, "--db", db)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "time", "(UTC)"] and "E0002" in lines[2] and "model.params.C" in lines[2]
    assert "accuracy 0.5" in lines[2] and "(root)" in lines[1]
    shown = trackit("show", "e2", "--db", db).stdout  # ids are forgiving: e2, E2, E0002
    # the notebook may come first, as `trackit experiments NOTEBOOK` takes it: then it is checked
    assert trackit("show", notebook, "e2", "--db", db).stdout == shown
    other = tmp_path / "other.ipynb"
    other.write_text("{}")
    wrong = trackit("show", str(other), "E0002", "--db", db)
    assert wrong.returncode == 2 and wrong.stderr.strip() == f"trackit: E0002 is not an experiment of {other} (it has " \
        "no experiment)", wrong.stderr
    assert "model.params.C: (unset) \u2192 0.1" not in shown and "model.params.C: 1 \u2192 0.1" in shown, shown
    # LogisticRegression's default solver on rows no split drew: no seed is needed (rev16), and none is asked for
    assert "seeds: none needed (nothing it ran draws random numbers)" in shown, shown
    assert trackit("mark", notebook, "--seq", "1", "--name", "the data", "--db", db).stdout.startswith("E0003: execution #1")
    assert trackit("name", "E0002", "small C", "--notes", "worse than E0001", "--db", db).returncode == 0
    assert trackit("reparent", "E0002", "none", "--db", db).stdout.strip() == "E0002: parent (none: a root)"
    listing = json.loads(trackit("experiments", notebook, "--db", db, "--json").stdout)["experiments"]
    # the marked execution ran first and E0001's slice extends it: it becomes E0001's parent, and is listed first
    # (the listing is in the order the executions ran; ids never change)
    assert [(e["id"], e["name"], e["parent"], e["origin"]) for e in listing] == [
        ("E0003", "the data", None, "manual"), ("E0001", None, "E0003", "auto"), ("E0002", "small C", None, "auto")]
    assert "* parent set by hand" in trackit("experiments", notebook, "--db", db).stdout


@pytest.mark.parametrize("args, message", [
    (["show", "E0099"], "no experiment E0099"),
    (["show", "banana"], "not an experiment id"),
    (["reparent", "E0001", "E0001"], "cycle"),
    (["reparent", "E0001", "E0077"], "not an experiment of the same notebook"),
    (["name", "E0001"], "give a name, --notes, or both"),
])
def test_bad_input_is_one_line_and_exit_2(db, args, message):
    result = trackit(*args, "--db", db)
    assert result.returncode == 2 and message in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_mark_an_unknown_cell_and_a_notebook_without_experiments(db, tmp_path):
    result = trackit("mark", str(tmp_path / "nb.ipynb"), "--cell", "nope", "--db", db)
    assert result.returncode == 2 and "no execution of cell nope" in result.stderr
    empty = trackit("experiments", str(tmp_path / "other.ipynb"), "--db", db)
    assert empty.returncode == 0 and "no experiments recorded" in empty.stdout


def test_mark_takes_the_cell_number_the_tree_shows(tmp_path):
    # the tree says "cell 1"; `trackit mark NB --cell 1` answered "no execution of cell 1 recorded"
    path = str(tmp_path / "m.duckdb")
    record_model_runs(path, tmp_path / "nb.ipynb", [("1.0", "accuracy: 0.750\n")])
    marked = trackit("mark", str(tmp_path / "nb.ipynb"), "--cell", "1", "--db", path)
    assert marked.returncode == 0, marked.stderr
    assert "execution #1 (cell 1)" in marked.stdout
