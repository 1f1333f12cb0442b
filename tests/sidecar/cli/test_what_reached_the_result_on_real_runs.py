"""`trackit diff` and an experiment's features speak of what reached the result, not of every frame its cells touched:
a notebook that loads the training data and a test frame in one cell, prepares the test frame for a submission alone,
and trains and scores on the training data (gulutu-ml banana, pydata-book ch12), run twice in a real kernel (`trackit
run`: real ipykernel, real DuckDB file) with the test frame's filter and the model's C edited between the runs; a
cross-validation on `X` and `y`, made in the cell that also splits them, reads no part of that split."""

from __future__ import annotations

import json

import pytest

from .test_claims_on_real_runs import IMPORTS, experiments, run_notebook, trackit

LOAD = ("df = pd.read_csv('data.csv')\ntest = pd.read_csv('data.csv').drop(columns='y')\n"
        "test = test[test['x1'] > {threshold}]")
CELLS = [
    IMPORTS,
    LOAD,
    "X_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df['y'], random_state=0)",
    "model = LogisticRegression(C={c})\nmodel.fit(X_train, y_train)\n"
    "print('accuracy:', metrics.accuracy_score(y_test, model.predict(X_test)))",
    "submission = pd.DataFrame({{'pred': model.predict(test[['x1', 'x2']])}})",
    "X = df[['x1', 'x2']]\ny = df['y']\nX_a, X_b, y_a, y_b = train_test_split(X, y, random_state=1)",
    "scores = cross_val_score(LogisticRegression(), X, y, cv=3)\nscores",
]


def _cells(threshold: float, c: float) -> list[str]:
    return [cell.format(threshold=threshold, c=c) for cell in CELLS]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reached")
    db = folder / "t.duckdb"
    run_notebook(folder, _cells(0, 1.0), db)
    notebook = run_notebook(folder, _cells(0.5, 0.01), db)
    return notebook, db


def _diff(two_runs, *refs: str) -> str:
    notebook, db = two_runs
    shown = trackit("diff", *refs, "--db", str(db), cwd=notebook.parent)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout


@pytest.mark.parametrize("refs", [("E0001", "E0003"), ("run 1", "run 2", "--notebook", "nb.ipynb")])
def test_the_first_divergent_step_is_one_whose_value_reached_a_result(two_runs, refs):
    """The filter of `test` (its rows changed: 0 → 0.5) was named "first divergent step" although no result read
    `test`: the accuracy is scored on the split of `df`; the model's C is where the runs' results diverge."""
    said = _diff(two_runs, *refs)
    divergent = said.split("first divergent step")[1].split("\n")[1]
    assert "`test`" not in divergent, said
    assert "`model`" in divergent and "cell 4" in divergent, said
    assert "model.params.C: 1 → 0.01" in said.split("features changed")[0], said


def test_an_experiments_features_hold_no_preparation_of_a_frame_it_never_read(two_runs):
    """`experiments` listed "changed from parent: preprocessing.filter_rows[x1], model.params.C" for E0003, and its
    features held the filter of `test`, a frame only the submission read."""
    notebook, db = two_runs
    rows = {r["id"]: r for r in experiments(notebook, db)}
    assert rows["E0003"]["changed"] == ["model.params.C"], rows
    assert rows["E0004"]["changed"] == [], rows
    shown = json.loads(trackit("show", "E0003", "--json", "--db", str(db), cwd=notebook.parent).stdout)
    assert "test" not in json.dumps(shown["features"].get("preprocessing", {})), shown["features"]
    assert list(shown["features"]["data"]["sources"]) == ["df"], shown["features"]


def test_a_cross_validation_holds_no_split_it_did_not_read(two_runs):
    """`show` of the cross-validation listed the split's `X_a`, `X_b`, ... among the frames it was made from, and its
    features held that split, though it cross-validated `X` and `y` whole."""
    notebook, db = two_runs
    shown = json.loads(trackit("show", "E0002", "--json", "--db", str(db), cwd=notebook.parent).stdout)
    assert "split" not in shown["features"], shown["features"]
    assert not [f for f in shown["frames"] if f["role"] == "split"], shown["frames"]
    assert {f["variable"] for f in shown["frames"] if f["role"] == "metric"} == {"X", "y"}, shown["frames"]
