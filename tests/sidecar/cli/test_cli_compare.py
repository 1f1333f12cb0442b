"""`trackit diff | hypothesis | hypotheses` as a user meets them, bad input included (records sent as the editor
sends them: no kernel, so no runtime facts and the diff compares code)."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from trackit_sidecar import protocol as p

from ..model_notebook import record_model_runs


def trackit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trackit_sidecar", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def db(tmp_path) -> str:
    """Three results: E0001 (C=1.0, 0.75), E0002 (C=0.1, 0.50), E0003 (C=10, 0.80)."""
    path = str(tmp_path / "t.duckdb")
    record_model_runs(path, tmp_path / "nb.ipynb", [("1.0", "accuracy: 0.750\n"), ("0.1", "accuracy: 0.500\n"), ("10", "accuracy: 0.800\n")], list_experiments=True)
    return path


def test_diff_prints_metrics_then_the_first_divergent_step(db):
    shown = trackit("diff", "E0001", "e2", "--db", db)
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    assert text.splitlines()[0].startswith("E0001 (#3 run 1) → E0002 (#5 run 1)")
    assert "accuracy: 0.75 → 0.5 (\u22120.25), E0001 better (higher is better)" in text
    # cell 1 builds `df` from a dict literal: a `load` (what-is-a-step.md, "Sources are steps"), the same on both sides
    assert "first divergent step (compared on code: no runtime facts on both sides), after 1 that agree:" in text
    assert "cause: a decision changed in cell 2: model.params.C: 1 → 0.1" in text
    assert "-model = LogisticRegression(C=1.0).fit(df[['x']], df.y)" in text
    document = json.loads(trackit("diff", "E0001", "E0002", "--json", "--db", db).stdout)
    diff = p.ExperimentDiff.model_validate(document)
    assert diff.format == "trackit.diff/1" and diff.divergence.kind == "decision"
    assert diff.divergence.b.cell_id == "c1" and diff.divergence.cause.kind == "feature"
    assert [c.cell_id for c in diff.code_changes] == ["c1"]


def test_diff_bad_input_is_one_line_and_exit_2(db):
    for args, message in [(("E0001", "E0042"), "no experiment E0042"), (("E0001", "yesterday"), "not an experiment id"),
                          (("run 1", "run 2"), "'run 1' is a run: say which notebook")]:  # quoted whole
        done = trackit("diff", *args, "--db", db)
        assert done.returncode == 2 and message in done.stderr and len(done.stderr.splitlines()) == 1, done.stderr


def test_hypothesis_lifecycle_with_a_manual_override_kept_on_record(db):
    added = trackit("hypothesis", "add", "a larger C helps", "--metric", "Accuracy", "--direction", "max", "--db", db)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("H0001  Proposed")
    linked = trackit("hypothesis", "link", "H1", "E0002", "E0003", "--db", db).stdout
    assert "E0002 vs E0001 (parent): accuracy 0.75 → 0.5 (0.25 worse, -33.3%): refutes" in linked
    assert "E0003 vs E0002 (parent)" in linked or "E0003 vs E0001 (parent)" in linked
    listing = json.loads(trackit("hypotheses", "--json", "--db", db).stdout)
    hypothesis = p.HypothesisList.model_validate(listing).hypotheses[0]
    assert hypothesis.computed_status == hypothesis.status and not hypothesis.status_set_by_user
    overridden = trackit("hypothesis", "status", "H0001", "supported", "--note", "E0003 is the real test", "--db", db)
    assert f"Supported (set by hand; the evidence says {hypothesis.status.capitalize()})" in overridden.stdout
    table = trackit("hypotheses", "--db", db).stdout
    assert "Supported*" in table and "* status set by hand" in table
    cleared = trackit("hypothesis", "status", "H1", "--clear", "--db", db).stdout
    assert "set by hand" not in cleared
    # the override and its clearing both stay on record
    rows = duckdb.connect(db, read_only=True).execute("SELECT status, note FROM hypothesis_status ORDER BY set_at").fetchall()
    assert rows == [("supported", "E0003 is the real test"), (None, None)]
    strict = trackit("hypothesis", "set", "H1", "--min-evidence", "5", "--db", db).stdout
    assert strict.startswith("H0001  Testing") and "5 deciding pieces" in strict


def test_hypothesis_bad_input(db):
    cases = [
        (("hypothesis", "link", "H7", "E0001"), "no hypothesis H0007"),
        (("hypothesis", "add", "x", "--metric", "accuracy", "--baseline", "yesterday"), "baseline must be"),
        (("hypothesis", "add", "x", "--metric", "accuracy", "--baseline", "E0042"), "no experiment E0042"),
    ]
    trackit("hypothesis", "add", "first", "--metric", "accuracy", "--db", db)
    cases += [(("hypothesis", "link", "H1", "E0042"), "no experiment E0042"),
              (("hypothesis", "status", "H1"), "give a status"),
              (("hypothesis", "show", "X1"), "not a hypothesis id"),
              # a negative threshold made every difference decide: a 0.7 % drop "refutes" at --min-effect -5
              (("hypothesis", "set", "H1", "--min-effect", "-5"), "must be 0 or more"),
              (("hypothesis", "set", "H1", "--min-abs-effect", "-0.1"), "must be 0 or more"),
              (("hypothesis", "set", "H1", "--min-evidence", "0"), "must be 1 or more"),
              (("hypothesis", "add", "x", "--metric", "accuracy", "--min-effect", "-1"), "must be 0 or more")]
    for args, message in cases:
        done = trackit(*args, "--db", db)
        assert done.returncode == 2 and message in done.stderr, (args, done.stderr)
