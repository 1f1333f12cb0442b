"""How a model's change is said (`experiments`, `show`, `diff`): rev28 left "model.params.C: (unset) → 0.3" for a
parameter the user left to its class's default, "changed from parent: model.class, model.params.solver,
model.params.n_neighbors" for a change of class (the old class's parameters compared with the new one's), and
"Majority (?)" for a model class the notebook defines. Run in a real kernel (`trackit run`: real ipykernel, real
DuckDB file), the notebook edited between the runs."""

from __future__ import annotations

import pytest

from .test_claims_on_real_runs import MODEL_CELLS, THREE_MODELS, experiments, run_notebook, trackit



@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    db = folder / "t.duckdb"
    for model in THREE_MODELS:  # E0001, E0002 (C=0.3), E0003 (a KNN)
        notebook = run_notebook(folder, [cell.format(model=model) for cell in MODEL_CELLS], db)
    return notebook, db


def said(runs, *args: str) -> str:
    notebook, db = runs
    done = trackit(*args, "--db", str(db), cwd=notebook.parent)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_parameter_left_to_its_default_is_said_with_the_default_the_kernel_read(runs):
    shown = said(runs, "show", "E0002")
    assert "model.params.C: 1 (default) \u2192 0.3" in shown, shown
    # and the fitted model's own parameters: a None the kernel read is None (rasbt ch03's Perceptron read
    # "class_weight=(unset)")
    assert "class_weight=None," in shown and "(unset)" not in shown, shown
    diff = said(runs, "diff", "E0001", "E0002")
    assert "cause: a decision changed in cell 3: model.params.C: 1 (default) \u2192 0.3" in diff, diff
    assert "(unset)" not in diff.split("code changed")[0], diff


def test_a_change_of_class_is_said_with_the_new_class_parameters_only(runs):
    notebook, db = runs
    assert experiments(notebook, db)[2]["changed"] == ["model.class", "model.params.n_neighbors"]
    shown = said(runs, "show", "E0003")
    changed = shown.split("changed from E0002:")[1].split("data:")[0]
    assert changed.split() == "model.class: LogisticRegression \u2192 KNeighborsClassifier model.params.n_neighbors: 7 (set on the new class)".split(), changed
    diff = said(runs, "diff", "E0002", "E0003")
    assert ("cause: a decision changed in cell 3: model.class: LogisticRegression \u2192 KNeighborsClassifier; "
            "model.params.n_neighbors: 7 (set on the new class)\n") in diff, diff
    assert "solver" not in diff.split("code changed")[0].split("features changed")[1], diff


def test_a_parameter_the_kernel_did_not_read_is_said_to_be_the_default(tmp_path):
    """A pipeline's member: the kernel reads the pipeline's own parameters, not a default of its member's."""
    db = tmp_path / "t.duckdb"
    for c in ("", "C=0.3"):
        model = f"make_pipeline(StandardScaler(), LogisticRegression({c}))"
        notebook = run_notebook(tmp_path, [cell.format(model=model) for cell in MODEL_CELLS], db)
    shown = trackit("show", "E0002", "--db", str(db), cwd=tmp_path).stdout
    assert "model.steps[LogisticRegression].params.C: default \u2192 0.3" in shown, shown


def test_a_model_class_the_notebook_defines_is_said_so(tmp_path):
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        MODEL_CELLS[0], MODEL_CELLS[1],
        "class Majority:\n    def fit(self, X, y):\n        self.label_ = y.mode()[0]\n        return self\n"
        "    def predict(self, X):\n        return np.full(len(X), self.label_)",
        MODEL_CELLS[2].format(model="Majority()"),
        "class Tuned(LogisticRegression):\n    pass",
        MODEL_CELLS[2].format(model="Tuned(C=0.5)"),
    ], db)
    assert [e["cell_index"] for e in experiments(notebook, db)] == [3, 5]
    for experiment, model in (("E0001", "Majority"), ("E0002", "Tuned")):
        shown = trackit("show", experiment, "--db", str(db), cwd=tmp_path).stdout
        assert f"model: {model} (defined in the notebook)," in shown, shown


def test_one_fitted_model_scored_twice_is_no_tie(tmp_path):
    """rasbt-pml ch03: `accuracy_score(y_test, y_pred)` and `ppn.score(X_test_std, y_test)` of one fitted Perceptron, in
    two cells: `ask "which model is best?"` said "E0001 scored exactly the same: a tie", as if two models had."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        MODEL_CELLS[0], MODEL_CELLS[1],
        "model = LogisticRegression().fit(X_train, y_train)\ny_pred = model.predict(X_test)",
        "print('accuracy:', metrics.accuracy_score(y_test, y_pred))",
        "print('accuracy:', model.score(X_test, y_test))",
    ], db)
    said = trackit("ask", str(notebook), "which model is best?", "--db", str(db), cwd=tmp_path).stdout
    assert "scored the same fitted model (the same state) the same" in said and "a tie" not in said, said
