"""What a user reads about experiments and runs is true: each test is a statement rev21 (and rev20) found false or
misleading on real runs of the blind corpus' tuning part (islr chapter 4: logistic regression, LDA, QDA and KNN scored
cell after cell; bfn-eeoc 01: a cleaning pipeline whose runs stopped at errors), left to rev22, and run here small in a
real kernel (`trackit run`, the notebook edited between runs) or, where no kernel fact is involved, on the records."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from .test_claims_on_real_runs import DATA, IMPORTS, experiments, run_notebook, trackit

ARROW = "\u2192"


def two_models(features: str) -> list[str]:
    """islr chapter 4 small: a majority-class baseline of the test target (two idioms), a logistic regression on
    `features` with its accuracy, its ROC curve, then a KNN on both features with its accuracy (the last experiment)."""
    return [
        IMPORTS + "\nfrom sklearn.neighbors import KNeighborsClassifier",
        "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
        "random_state=0)",
        "null_accuracy = max(y_test.mean(), 1 - y_test.mean())\nprint(null_accuracy)",
        "y_test.value_counts(normalize=True).max()",
        f"lr = LogisticRegression().fit(X_train[{features}], y_train)\n"
        f"print(metrics.accuracy_score(y_test, lr.predict(X_test[{features}])))",
        f"y_prob = lr.predict_proba(X_test[{features}])[:, 1]\nfpr, tpr, thr = metrics.roc_curve(y_test, y_prob)",
        "knn = KNeighborsClassifier(5).fit(X_train, y_train)\nprint(metrics.accuracy_score(y_test, knn.predict(X_test)))",
    ]


@pytest.fixture(scope="module")
def features_added(tmp_path_factory) -> tuple[Path, Path]:
    """Run twice; the second run adds `x2` to the logistic regression's features (cells 5 and 6 edited): its accuracy
    moves, the KNN's (the last cell's) does not."""
    folder = tmp_path_factory.mktemp("features_added")
    db = folder / "t.duckdb"
    run_notebook(folder, two_models("['x1']"), db)
    return run_notebook(folder, two_models("['x1', 'x2']"), db), db


def by_cell(notebook: Path, db: Path) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for experiment in experiments(notebook, db):
        found.setdefault(experiment["cell_index"], []).append(experiment)
    return found


def accuracy(experiment: dict) -> float:
    primary = experiment["primary_metric"]
    assert primary["name"] == "accuracy", experiment
    return primary["value"]


def test_what_changed_answers_what_the_last_run_changed(features_added):
    """islr chapter 4 after run 4 (cells 28 and 32 edited): `ask "what changed?"` compared the latest experiment with
    its previous run's ("E0022 -> E0033: accuracy 0.93 -> 0.93, equal; No step diverged"), the Caravan logistic
    regression the edits did not touch. The question asks what the last run changed: its edits against the run before,
    and the experiments' metrics that moved with them."""
    notebook, db = features_added
    first, second = by_cell(notebook, db)[4]
    said = trackit("ask", str(notebook), "what changed?", "--db", str(db), cwd=notebook.parent).stdout
    assert said.startswith(f"[run 1] {ARROW} [run 2]:"), said
    assert "- Edited between the runs: [cell 5], [cell 6]." in said, said
    moved = next(line for line in said.splitlines() if f"({first['id']} {ARROW} {second['id']})" in line)
    assert moved.startswith("- accuracy of `LogisticRegression` in cell 5") and "No step diverged" not in said, said
    # an experiment the edits did not move is counted, not offered as the answer
    knn_first, knn_second = by_cell(notebook, db)[6]
    assert f"{knn_first['id']} {ARROW} {knn_second['id']}" in said, said


def test_a_run_level_diff_compares_each_metric_model_by_model(features_added):
    """islr chapter 4, `diff "run 3" "run 4"`: "accuracy: 0.93 -> 0.93 equal", one accuracy per run (the last cell's
    Caravan logistic regression), while the LDA's went 0.56 -> 0.591. Each metric is compared with the same cell's
    experiment on the same model in the other run, never one model's with another's."""
    notebook, db = features_added
    cells = by_cell(notebook, db)
    document = json.loads(trackit("diff", "run 1", "run 2", "--notebook", str(notebook), "--db", str(db), "--json",
                                  cwd=notebook.parent).stdout)
    by_id = {e["id"]: e for e in experiments(notebook, db)}
    accuracies = [m for m in document["metrics"] if m["name"] == "accuracy"]
    assert accuracies and all(m["a_experiment"] and m["b_experiment"] for m in accuracies), accuracies
    for m in accuracies:
        a, b = by_id[m["a_experiment"]], by_id[m["b_experiment"]]
        assert a["cell_index"] == b["cell_index"] == m["cell_index"], m
        assert (m["a"], m["b"]) == (accuracy(a), accuracy(b)), m
    logistic = next(m for m in accuracies if m["cell_index"] == 4)
    assert (logistic["a"], logistic["b"]) == (accuracy(cells[4][0]), accuracy(cells[4][1])), logistic
    assert logistic["model"] == "LogisticRegression", logistic
    text = document["text"]
    assert f"  `LogisticRegression` in cell 5 ({cells[4][0]['id']} {ARROW} {cells[4][1]['id']}):" in text, text
    assert not any(line.startswith("  accuracy:") for line in text.splitlines()), text


def test_a_majority_class_baseline_is_no_experiment(features_added):
    """rev20: `null_accuracy = max(y_test.mean(), 1 - y_test.mean())` was an experiment whose primary metric was
    null_accuracy (and `y_test.value_counts(normalize=True).max()` one scored "score"): computed from the test target
    alone, it is the baseline a model must beat, not a model's evaluation."""
    notebook, db = features_added
    cells = by_cell(notebook, db)
    assert 2 not in cells and 3 not in cells and 4 in cells, sorted(cells)
    tree = trackit("lineage", str(notebook), "--db", str(db), "--json", cwd=notebook.parent).stdout
    labels = {e["cell_index"]: [s["label"] for s in e["steps"]] for e in json.loads(tree)["executions"]}
    assert labels[2][0].startswith("Computed the majority-class baseline of `y_test`"), labels[2]


def test_a_tuple_assignment_names_every_output(features_added):
    """rev20: `fpr, tpr, thr = roc_curve(...)` read "Evaluated `y_test` and `y_prob` with `roc_curve` into `fpr`":
    the statement binds three names."""
    notebook, db = features_added
    tree = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json", cwd=notebook.parent).stdout)
    curve = next(s["label"] for e in tree["executions"] if e["cell_index"] == 5 for s in e["steps"]
                 if s["op"] == "evaluate")
    assert "with `roc_curve` into `fpr`, `tpr` and `thr`" in curve, curve


def test_an_experiment_that_left_a_column_out_did_not_use_it(tmp_path):
    """islr chapter 4, `ask "which experiments used the Lag3 column?"`: 18 experiments, among them the LDA, QDA and KNN
    of runs 2 and 3 trained on [Lag1, Lag2], because the kernel measured their column pick removing `Lag3`; each line
    cited "[#18 select_columns]" once per experiment listed before it."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')",
        "X_one = df[['x1']]\none = LogisticRegression().fit(X_one, df.y)\nprint(metrics.accuracy_score(df.y, "
        "one.predict(X_one)))",
        "X_two = df[['x1', 'x2']]\ntwo = LogisticRegression().fit(X_two, df.y)\nprint(metrics.accuracy_score(df.y, "
        "two.predict(X_two)))",
    ], db)
    cells = by_cell(notebook, db)
    said = trackit("ask", str(notebook), "which experiments used the x2 column?", "--db", str(db), cwd=tmp_path).stdout
    listed = [line for line in said.splitlines() if line.startswith("- [E")]
    assert len(listed) == 1 and listed[0].startswith(f"- [{cells[3][0]['id']}]"), said
    assert all(len(set(line.split("through ")[-1].split("] ["))) == len(line.split("through ")[-1].split("] ["))
               for line in listed), said


def run_allowing_failure(folder: Path, cells: list[str], db: Path) -> Path:
    """`trackit run` as a user runs a notebook that may stop at an error (run_notebook insists on success)."""
    (folder / "data.csv").write_text(DATA)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source, id=f"c{index}") for index, source in enumerate(cells)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "nb.ipynb"
    nbformat.write(notebook, str(path))
    trackit("run", str(path), "--db", str(db), cwd=folder)
    return path


def test_a_run_that_stopped_at_an_error_did_not_leave_the_later_cells_out(tmp_path):
    """bfn-eeoc 01, `diff "run 1" "run 2"`: "cause: cell 30 ran only in run 2" (run 1 had stopped at cell 29's
    SyntaxError), and run 2 -> 3 listed "graphics_info ... -> (removed)" and "ran only in run 2" for the cells after run
    3's KeyError: nothing was removed, the failed run never reached them."""
    db = tmp_path / "t.duckdb"
    cells = [IMPORTS, "df = pd.read_csv('data.csv')\nkept = df[df.x1 > 0]", "print(len(keep))",
             "small = kept.dropna()", "other = pd.read_csv('data.csv')\nother = other.drop_duplicates()"]
    run_allowing_failure(tmp_path, cells, db)
    cells[2] = "print(len(kept))"
    notebook = run_allowing_failure(tmp_path, cells, db)
    done = trackit("diff", "run 1", "run 2", "--notebook", str(notebook), "--db", str(db), "--json", cwd=tmp_path)
    document = json.loads(done.stdout)
    assert document["a"]["stopped_at_cell_index"] == 2 and document["b"]["stopped_at_cell_index"] is None, document["a"]
    assert document["divergence"]["cause"]["label"] == "run 1 stopped at the error in cell 3 before reaching cell 4", \
        document["divergence"]["cause"]
    text = document["text"]
    assert "ran only in run 2" not in text and "not reached in run 1 (it stopped at the error in cell 3)" in text, text
    unreached = {c["path"] for c in document["features_not_reached"]}
    assert unreached and not unreached & {c["path"] for c in document["feature_changes"]}, document
    assert any("other" in path for path in unreached), unreached
    asked = trackit("ask", str(notebook), "what changed?", "--db", str(db), cwd=tmp_path).stdout
    assert "- Not reached in run 1 (it stopped at the error in cell 3): [cell 4], [cell 5]." in asked, asked


def test_ask_and_a_diffs_cause_read_the_columns_a_statement_quotes_from_step_fields():
    """Issue 10 item 5: the wording reads structured Step fields, not code. `ask "which experiments used the age
    column?"` and a diff's cause (did the split name the feature that changed?) searched `step.code` for `"age"`: the
    stored code is cut at 300 characters and may quote a name in a comment. The classifier sets Step.quoted; steps of
    an older analysis get it from their stored code when read back."""
    from trackit_sidecar.compare.ask.answer import _mentions
    from trackit_sidecar.compare.cause import _names_columns_changed
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.lineage.classify.wording_facts import add_to_stored_steps
    from trackit_sidecar.protocol import ExecutionRecord, FeatureChange, Step

    split = next(s for s in analyze_source(
        "X_train, X_test, y_train, y_test = train_test_split(df[['age', 'income']], df.y)").steps if s.op == "split")
    assert {"age", "income"} <= set(split.quoted), split
    execution = ExecutionRecord.model_construct(seq=1, steps=[split])
    assert _mentions(split, execution, "age")
    commented = Step(op="split", inputs=["df"], outputs=["a", "b"], code="a, b = train_test_split(df)  # 'age' later")
    assert not _mentions(commented, execution, "age")
    change = FeatureChange(path="training.features", change="changed", before=["age", "income"], after=["income"])
    assert _names_columns_changed(split, change) and not _names_columns_changed(commented, change)
    stored = [Step(op="split", inputs=["df"], code="X_train, X_test = train_test_split(df[['age', 'income']])"),
              Step(op="evaluate", inputs=["y_test"], code="null_accuracy = max(y_test.mean(), 1 - y_test.mean())")]
    add_to_stored_steps(stored, 0, "")
    assert stored[0].quoted == ["age", "income"] and stored[1].majority_baseline, stored
