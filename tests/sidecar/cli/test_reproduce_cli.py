"""`trackit gather`, `trackit replay [--verify]` and `trackit env` as a user meets them: real processes, a real
kernel (`trackit run` records the bundled example), a real DuckDB file, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "titanic"


def trackit(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trackit_sidecar", *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("titanic")
    for name in ("preprocess.ipynb", "passengers.csv", "tickets.csv"):
        shutil.copy(EXAMPLE / name, folder / name)
    db = folder / "trackit.duckdb"
    run = trackit("run", str(folder / "preprocess.ipynb"), "--db", str(db))
    assert run.returncode == 0, run.stderr
    return folder, db


def test_gather_replay_verify_and_env(recorded, tmp_path):
    folder, db = recorded
    out = tmp_path / "model.ipynb"
    gathered = trackit("gather", str(folder / "preprocess.ipynb"), "model", "--db", str(db), "-o", str(out))
    assert gathered.returncode == 0, gathered.stderr
    assert "gathered `model` after run #12: 11 of 12 cells" in gathered.stdout
    notebook = nbformat.read(str(out), as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all("trackit" in c.metadata and "origin" in c.metadata.trackit for c in code)
    joined = "\n".join(c.source for c in code)
    assert "print(" not in joined and "isna().sum()" not in joined and "df.head()" not in joined

    verified = trackit("replay", str(out), "--verify", "--db", str(db))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "reproduced ✓ (16 of 16 steps match)" in verified.stdout

    script = trackit("gather", str(folder / "preprocess.ipynb"), "accuracy", "--db", str(db), "--no-env")
    assert script.returncode == 0
    compile(script.stdout, "gathered.py", "exec")
    assert "accuracy = accuracy_score(y_test, predictions)" in script.stdout

    env = trackit("env", str(out))
    assert env.returncode == 0, env.stderr
    pins = [line for line in env.stdout.splitlines() if "==" in line]
    assert [p.split("==")[0] for p in pins] == ["pandas", "scikit-learn"]
    conda = trackit("env", str(folder / "preprocess.ipynb"), "--format", "conda", "--db", str(db))
    assert conda.returncode == 0 and "      - pandas==" in conda.stdout and "  - python=" in conda.stdout


def test_an_experiment_is_gathered_whole_replayed_and_pinned_from_its_stamp(recorded, tmp_path):
    folder, db = recorded
    listing = trackit("experiments", str(folder / "preprocess.ipynb"), "--db", str(db), "--json")
    assert listing.returncode == 0, listing.stderr
    experiment = json.loads(listing.stdout)["experiments"][0]["id"]
    out = tmp_path / "experiment.ipynb"
    gathered = trackit("gather", str(folder / "preprocess.ipynb"), experiment, "--db", str(db), "-o", str(out))
    assert gathered.returncode == 0, gathered.stderr
    assert f"gathered experiment {experiment}" in gathered.stdout
    notebook = json.loads(out.read_text())
    meta = notebook["metadata"]["trackit"]["gathered"]
    assert meta["environment"]["source"].startswith("recorded with the run")  # the run's stamp, not a listing now
    last = [c for c in notebook["cells"] if c["cell_type"] == "code"][-1]
    assert last["metadata"]["trackit"]["outputs"] is True and 'print(f"accuracy: {accuracy:.3f}")' in last["source"]

    verified = trackit("replay", str(out), "--verify", "--db", str(db), "--json")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    result = json.loads(verified.stdout[verified.stdout.index("{"):])
    assert result["reproduced"] and result["matched"] == result["steps"] >= 17  # the printed metrics included

    env = trackit("env", experiment, "--db", str(db), "--format", "requirements")
    assert env.returncode == 0, env.stderr
    assert [line.split("==")[0] for line in env.stdout.splitlines() if "==" in line] == ["pandas", "scikit-learn"]
    assert "recorded with its run" in env.stdout


def test_changed_input_is_exit_1_with_the_first_divergence(recorded, tmp_path):
    folder, db = recorded
    out = tmp_path / "df.ipynb"
    assert trackit("gather", str(folder / "preprocess.ipynb"), "df", "--db", str(db), "-o", str(out),
                   "--no-env").returncode == 0
    tickets = folder / "tickets.csv"
    original = tickets.read_text()
    try:
        lines = original.splitlines()
        tickets.write_text("\n".join(lines[:-3]) + "\n")  # three fares fewer: the merge leaves more missing
        verified = trackit("replay", str(out), "--verify", "--db", str(db), "--json")
    finally:
        tickets.write_text(original)
    assert verified.returncode == 1, verified.stdout + verified.stderr
    result = json.loads(verified.stdout[verified.stdout.index("{"):])
    assert result["reproduced"] is False
    assert result["divergence"]["variable"] == "tickets"
    assert [c["kind"] for c in result["divergence"]["causes"]] == ["input_changed"]
    assert "input `tickets.csv` has changed since" in result["message"]


def test_bad_inputs_are_one_line_and_exit_2(recorded, tmp_path):
    folder, db = recorded
    cases = [
        (["gather", str(folder / "preprocess.ipynb"), "no_such_name", "--db", str(db)], "wrote `no_such_name`"),
        (["gather", str(folder / "preprocess.ipynb"), "E0099", "--db", str(db)], "E0099"),
        (["gather", str(folder / "preprocess.ipynb"), "df", "--db", str(db), "-o", str(tmp_path / "x.txt")], ".ipynb"),
        (["replay", str(folder / "preprocess.ipynb"), "--verify", "--db", str(db)], "not a gathered notebook"),
        (["replay", str(tmp_path / "missing.ipynb")], "no such file"),
    ]
    for args, reason in cases:
        result = trackit(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert reason in result.stderr and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
