"""A cross-validation handed a model whose parameter was edited diverges at that cross-validation, and its cause is
the parameter: sklearn-videos 07 with `KNeighborsClassifier(n_neighbors=20)` edited to 15 read "first divergent step:
none; 14 steps agree on measured data" beside a cross-validated accuracy that moved (`print(cross_val_score(knn, X,
y).mean())` writes nothing the kernel measures, and its own code did not change). Run in a real kernel (`trackit run`:
real ipykernel, real DuckDB file), edited between the runs."""

from __future__ import annotations

import json

import pytest

from .test_claims_on_real_runs import IMPORTS, run_notebook, trackit

CELLS = [
    IMPORTS,
    "df = pd.read_csv('data.csv')\nX = df[['x1', 'x2']]\ny = df['y']",
    "lr = LogisticRegression(C={earlier})",  # cell 3: the model, made a cell before it is cross-validated
    "print('cv_accuracy:', cross_val_score(lr, X, y, cv=3).mean())",  # cell 4
    "knn = LogisticRegression(C={same})\nprint('cv_accuracy:', cross_val_score(knn, X, y, cv=3).mean())",  # cell 5
    "for c in [0.1, 1.0]:\n    m = LogisticRegression(C=c)\n    scores = cross_val_score(m, X, y, cv=3)\n"
    "print('cv_accuracy:', scores.mean())",  # cell 6: a search over C, its model made in the loop
]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cross-validated")
    db = folder / "t.duckdb"
    for earlier, same in ((1.0, 1.0), (0.01, 1.0), (0.01, 0.01)):
        notebook = run_notebook(folder, [cell.format(earlier=earlier, same=same) for cell in CELLS], db)
    return notebook, db


def _divergence(runs, a: str, b: str) -> list[str]:
    notebook, db = runs
    said = trackit("diff", a, b, "--db", str(db), cwd=notebook.parent).stdout
    return said.split("first divergent step")[1].split("\n")[:3]


def test_the_model_made_in_the_cross_validations_cell(runs):
    lines = _divergence(runs, "E0005", "E0008")  # cell 5, runs 2 and 3
    assert "with `cross_val_score` (cell 5" in lines[1], lines
    assert lines[2].strip() == "cause: a decision changed in cell 5: model.params.C: 1 → 0.01", lines


def test_the_model_made_a_cell_before(runs):
    lines = _divergence(runs, "E0001", "E0004")  # cell 4, runs 1 and 2
    assert "with `cross_val_score` (cell 4" in lines[1], lines
    assert "cell 3" in lines[2] and "C: 1 → 0.01" in lines[2], lines


def test_an_unchanged_model_does_not_diverge(runs):
    notebook, db = runs
    said = trackit("diff", "E0002", "E0005", "--db", str(db), cwd=notebook.parent).stdout  # cell 5, runs 1 and 2
    assert "first divergent step: none" in said, said


def test_a_model_made_in_a_loop_is_the_experiments_model(runs):
    """sklearn-videos 07's search over k (`for k in k_range: knn = KNeighborsClassifier(n_neighbors=k)`, then
    `cross_val_score(knn, X, y)`): the experiment had no model nor training data, so `ask "which model is best?"` said
    the experiments "were evaluated on 2 different data sets or targets" and ranked them apart."""
    notebook, db = runs
    shown = json.loads(trackit("show", "E0003", "--json", "--db", str(db), cwd=notebook.parent).stdout)
    assert shown["features"]["model"]["class"] == "LogisticRegression", shown["features"]
    assert shown["features"]["model"]["params"] == {"C": "c"}, shown["features"]
    assert shown["features"]["training"] == {"features": ["x1", "x2"], "target": "y"}, shown["features"]
    said = trackit("ask", str(notebook), "which model is best?", "--db", str(db), cwd=notebook.parent).stdout
    assert "different data sets" not in said, said
