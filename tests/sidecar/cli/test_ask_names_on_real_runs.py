"""`ask` about a column the records do not know says so, and does not answer another question: sklearn-videos 07,
"which experiments used the column TV?" (the cells that read `TV` came after an error and never ran) listed all 10
experiments under "10 experiment(s):", which reads as ten experiments that used it. Run in a real kernel (`trackit
run`: real ipykernel, real DuckDB file)."""

from __future__ import annotations

import pytest

from .test_claims_on_real_runs import IMPORTS, run_notebook, trackit


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ask-names")
    db = folder / "t.duckdb"
    notebook = run_notebook(folder, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\nX = df[['x1', 'x2']]\ny = df['y']",
        "print('cv_accuracy:', cross_val_score(LogisticRegression(), X, y, cv=3).mean())",
    ], db)
    return notebook, db


def _ask(recorded, question: str) -> str:
    notebook, db = recorded
    said = trackit("ask", str(notebook), question, "--db", str(db), cwd=notebook.parent)
    assert said.returncode == 0, said.stderr
    return said.stdout


@pytest.mark.parametrize("question", ["which experiments used the column TV?", "which steps touch the column TV?"])
def test_a_column_no_step_names_is_said_to_be_unknown(recorded, question):
    said = _ask(recorded, question)
    assert said.startswith("No recorded step of this notebook names a column `TV`"), said
    assert "E0001" not in said, said


def test_a_known_column_is_still_answered(recorded):
    said = _ask(recorded, "which experiments used the column x1?")
    assert "used the column `x1`" in said and "E0001" in said, said
