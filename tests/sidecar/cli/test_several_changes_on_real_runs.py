"""Two decisions edited between two runs: `diff` and `ask "why did accuracy drop?"` name the first divergent step's
cause and the other decision too, and say the records cannot split the move between them (the bundled example with its
`Age` fill and the model's C edited: `ask` named the fill alone, as if it explained the whole drop). Run in a real
kernel (`trackit run`: real ipykernel, real DuckDB file)."""

from __future__ import annotations

import json

import pytest

from .test_claims_on_real_runs import IMPORTS, run_notebook, trackit

CELLS = [
    IMPORTS,
    "df = pd.read_csv('data.csv')\ndf = df[df['x1'] > {threshold}]",
    "X_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df['y'], random_state=0)",
    "model = LogisticRegression(C={c})\nmodel.fit(X_train, y_train)\n"
    "print('accuracy:', metrics.accuracy_score(y_test, model.predict(X_test)))",
    "print('cv_accuracy:', cross_val_score(LogisticRegression(C={c}), X_train, y_train, cv=3).mean())",
]
ALSO = "model.params.C: 1 → 0.05; with more than one decision changed, the records do not say how much"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("several")
    db = folder / "t.duckdb"
    for threshold, c in ((-0.9, 1.0), (-0.5, 0.05), (-0.5, 0.01)):
        notebook = run_notebook(folder, [cell.format(threshold=threshold, c=c) for cell in CELLS], db)
    return notebook, db


def test_the_diff_names_the_other_decision_that_changed(runs):
    notebook, db = runs
    said = trackit("diff", "E0001", "E0003", "--db", str(db), cwd=notebook.parent).stdout
    head = said.split("features changed")[0]
    assert "cause: a decision changed in cell 2: preprocessing.filter_rows" in head, said
    assert f"also changed: {ALSO}" in head, said


def test_ask_names_the_other_decision_that_changed(runs):
    notebook, db = runs
    said = trackit("ask", str(notebook), "why did accuracy change between E1 and E3?", "--db", str(db),
                   cwd=notebook.parent).stdout
    assert f"- Also changed: {ALSO}" in said, said


def test_one_decision_changed_is_said_alone(runs):
    notebook, db = runs
    said = trackit("diff", "E0003", "E0005", "--db", str(db), cwd=notebook.parent).stdout
    assert "cause: a decision changed in cell 4: model.params.C: 0.05 → 0.01" in said, said
    assert "also changed" not in said, said


def test_no_metric_both_sides_measured_is_no_move_to_split(runs):
    """sklearn-videos 09, `diff E0012 E0013` (a holdout roc_auc, then a cross-validated one): "also changed: ...; the
    records do not say how much of the difference each made" of two experiments that share no metric."""
    notebook, db = runs
    said = trackit("diff", "E0001", "E0004", "--db", str(db), cwd=notebook.parent).stdout  # accuracy, cv_accuracy
    assert "only in E0001" in said and "only in E0004" in said, said
    assert "also changed" not in said, said


def test_a_hypothesis_is_not_decided_by_a_move_of_several_changes(runs):
    """The bundled example, its Age fill and the model's C both edited (E0002): `hypothesis link H1 E0002` for "mean
    imputation beats the grouped median" said "refutes, medium confidence" and Refuted, though the move was the two
    changes', not the fill's. An experiment with one decision changed from its parent still decides."""
    notebook, db = runs
    added = trackit("hypothesis", "add", "a higher threshold helps", "--metric", "accuracy", "--db", str(db),
                    cwd=notebook.parent)
    assert added.returncode == 0, added.stderr
    linked = trackit("hypothesis", "link", "H1", "E0003", "E0005", "--json", "--db", str(db), cwd=notebook.parent)
    evidence = {e["experiment_id"]: e for e in json.loads(linked.stdout)["evidence"]}
    assert evidence["E0003"]["baseline_id"] == "E0001" and "several_changes" in evidence["E0003"]["reasons"], evidence
    assert evidence["E0003"]["confidence"] == "low" and not evidence["E0003"]["decides"], evidence
    assert "several_changes" not in evidence["E0005"]["reasons"], evidence  # C alone changed from E0003
    shown = trackit("hypothesis", "show", "H1", "--db", str(db), cwd=notebook.parent).stdout
    assert "more than one decision differs from the baseline" in shown, shown


def test_another_model_is_one_decision(tmp_path):
    """A KNN swapped for a logistic regression differs in `model.class`, `model.params.n_neighbors` and
    `model.params.C`: one decision (the model), not several that would make the evidence less sure."""
    db = tmp_path / "t.duckdb"
    for model in ("KNeighborsClassifier(n_neighbors=5)", "LogisticRegression(C=0.5)"):
        notebook = run_notebook(tmp_path, [
            IMPORTS + "\nfrom sklearn.neighbors import KNeighborsClassifier", CELLS[1].format(threshold=-0.9),
            CELLS[2], f"model = {model}\nmodel.fit(X_train, y_train)\n"
            "print('accuracy:', metrics.accuracy_score(y_test, model.predict(X_test)))"], db)
    trackit("hypothesis", "add", "a linear model is enough", "--metric", "accuracy", "--db", str(db), cwd=tmp_path)
    linked = json.loads(trackit("hypothesis", "link", "H1", "E0002", "--json", "--db", str(db), cwd=tmp_path).stdout)
    assert linked["evidence"][0]["baseline_id"] == "E0001", linked
    assert "several_changes" not in linked["evidence"][0]["reasons"], linked
