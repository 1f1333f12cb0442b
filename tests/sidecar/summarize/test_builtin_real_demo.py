"""The built-in summary of the bundled example after a real run: a real kernel, real DuckDB, the real classifier.

One run (about five seconds) shared by the module's tests. It guards the whole path the demo takes,
including step classification that other parts keep improving.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trackit_sidecar.protocol import LineageDocument
from trackit_sidecar.summarize import check_faithfulness

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "titanic"
IMPORTS = {"pd", "LogisticRegression", "accuracy_score", "classification_report", "confusion_matrix",
           "train_test_split"}


def trackit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trackit_sidecar", *args], capture_output=True, text=True,
                          timeout=240)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("titanic")
    for name in ("preprocess.ipynb", "passengers.csv", "tickets.csv"):
        shutil.copy(EXAMPLE / name, folder / name)
    notebook, db = folder / "preprocess.ipynb", folder / "demo.duckdb"
    run = trackit("run", str(notebook), "--db", str(db))
    assert run.returncode == 0, run.stdout + run.stderr
    lineage = trackit("lineage", str(notebook), "--db", str(db), "--json")
    assert lineage.returncode == 0, lineage.stderr
    out = folder / "summary.md"
    summary = trackit("summarize", str(notebook), "--db", str(db), "--out", str(out))
    assert summary.returncode == 0, summary.stderr
    return LineageDocument.model_validate(json.loads(lineage.stdout)), out.read_text(), str(folder)


def test_real_demo_summary_is_faithful_and_cited(recorded):
    doc, markdown, _ = recorded
    assert check_faithfulness(markdown, doc) == []
    bullets = [line for line in markdown.splitlines() if line.startswith("- ")]
    assert len(bullets) > 15
    for line in bullets:
        assert re.search(r"\[cells? \d+(, \d+)*\]", line), f"uncited: {line}"


def test_real_demo_summary_reads_well(recorded):
    doc, markdown, folder = recorded
    assert folder not in markdown, "absolute paths: show the path as the code wrote it"
    assert "Ran an operation" not in markdown and "among others" not in markdown
    loads = [line for line in markdown.splitlines() if line.startswith("- Loaded")]
    assert len(loads) == 2 and all("sha256" in line for line in loads)
    # the duplicates dropped in cell 6 are never credited to the type conversion alone
    delta = [line for line in markdown.splitlines() if "900 \u2192 891 rows" in line]
    assert len(delta) == 1 and "Dropped duplicate rows" in delta[0]
    # pd.to_numeric(..., errors="coerce") in cell 8 made 12 unreadable ages missing without an error
    problems = markdown.split("## Problems", 1)[1].split("\n## ", 1)[0]
    assert "could not convert 12 values of `Age`; they are now missing [cell 8]" in problems
    deps = markdown.split("## What the final variables depend on", 1)[1]
    listed = set(re.findall(r"^- `([^`]+)`", deps, re.M))
    assert "model" in listed and not IMPORTS & listed
