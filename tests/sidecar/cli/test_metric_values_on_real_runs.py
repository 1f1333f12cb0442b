"""A metric's value is described as scores, not as rows of data, everywhere it is described (the lineage's step
sentences, the lineage graph's nodes, a cell's history): "Evaluated ... with `cross_val_score` into `scores`: 4 rows"
read as a table of four rows. A notebook run in a real kernel (`trackit run`: real ipykernel, real DuckDB file)."""

from __future__ import annotations

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.render.graph import shape
from trackit_sidecar.render.history import written_facts

from .test_claims_on_real_runs import IMPORTS, run_notebook, trackit

CELLS = [
    IMPORTS,
    "df = pd.read_csv('data.csv')",
    "scores = cross_val_score(LogisticRegression(), df[['x1', 'x2']], df['y'], cv=4)\nscores",
    "X_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df['y'], random_state=0)\n"
    "model = LogisticRegression().fit(X_train, y_train)\n"
    "recalls = metrics.recall_score(y_test, model.predict(X_test), average=None)\n"
    "cm = metrics.confusion_matrix(y_test, model.predict(X_test))",
]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("metric-values")
    db = folder / "t.duckdb"
    notebook = run_notebook(folder, CELLS, db)
    return notebook, db


def test_the_step_sentences_say_scores_and_folds(recorded):
    notebook, db = recorded
    lines = trackit("lineage", str(notebook), "--db", str(db), cwd=notebook.parent).stdout.splitlines()
    cross_validated = [line for line in lines if "cross_val_score" in line and "into `scores`" in line]
    assert cross_validated and all(line.endswith(": 4 scores, one per fold") for line in cross_validated), lines
    assert any(line.endswith("into `recalls`: 2 scores") for line in lines), lines
    assert any(line.endswith("into `cm`: 2 rows × 2 columns") for line in lines), lines  # a matrix: a table's shape
    assert not [line for line in lines if "rows" in line and ("`scores`" in line or "`recalls`" in line)], lines


def test_the_graph_and_the_history_say_the_same(recorded):
    notebook, db = recorded
    shown = trackit("lineage", str(notebook), "--db", str(db), "--json", cwd=notebook.parent)
    doc = p.LineageDocument.model_validate_json(shown.stdout)
    cross_validation, scoring = doc.executions[2], doc.executions[3]
    assert shape(cross_validation, "scores") == "4 scores, one per fold"
    assert "`scores`: 4 scores, one per fold" in written_facts(cross_validation)
    assert shape(scoring, "recalls") == "2 scores"
    assert shape(scoring, "cm") == "2 rows × 2 columns"
    assert shape(scoring, "X_train").endswith("rows × 2 columns")  # data stays rows and columns
