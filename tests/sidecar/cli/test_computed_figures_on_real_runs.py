"""Figures a notebook computes from a model's results by hand (sklearn-videos 09, from a confusion matrix's four
counts): rev28 left `print(TP / float(TP + FN))` making an experiment with no metric ("-" in the table) and adding
`score` to its `evaluation.functions`, and the `recall_score` printed below it lost. A figure the user named (the
variable it is assigned to, the label it is printed with) is a metric of that name; an unnamed one measures nothing
the records can name, so it is no metric and makes no experiment. Run in a real kernel (`trackit run`)."""

from __future__ import annotations

import pytest

from .test_claims_on_real_runs import IMPORTS, experiments, run_notebook, trackit

CELLS = [
    IMPORTS,
    "df = pd.read_csv('data.csv')\n"
    "X_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df['y'], random_state=0)",
    "logreg = LogisticRegression(solver='liblinear').fit(X_train, y_train)\ny_pred_class = logreg.predict(X_test)",
    "print(metrics.accuracy_score(y_test, y_pred_class))",
    "confusion = metrics.confusion_matrix(y_test, y_pred_class)\n"
    "TP = confusion[1, 1]\nTN = confusion[0, 0]\nFP = confusion[0, 1]\nFN = confusion[1, 0]",
    "print(TP / float(TP + FN))\nprint(metrics.recall_score(y_test, y_pred_class))",
    "print(TN / float(TN + FP))",
    "specificity = TN / float(TN + FP)\nprint(specificity)",
    "print('Sensitivity:', TP / float(TP + FN))",
    # ml-basics k-nearest-neighbour: a figure assigned to a name no metric table knows, printed with a number in its
    # label (the label's "1" was read as a metric `test_accuracy_with_k` of 1)
    "test_acc1 = (y_pred_class == y_test).mean() * 100\nprint(f'Test accuracy with k = 1: {test_acc1}')",
]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("figures")
    db = folder / "t.duckdb"
    notebook = run_notebook(folder, CELLS, db)
    return {e["cell_index"]: e for e in experiments(notebook, db)}, db, folder


def test_an_unnamed_figure_makes_no_experiment_and_hides_no_metric(recorded):
    found, db, folder = recorded
    assert 6 not in found, found[6]  # print(TN / float(TN + FP)) alone
    assert (found[5]["primary_metric"] or {}).get("name") == "recall", found[5]  # below print(TP / float(TP + FN))
    shown = trackit("show", found[5]["id"], "--db", str(db), cwd=folder).stdout
    # its parent is the accuracy experiment: the confusion matrix cell of the same predictions is no experiment (exp25)
    assert "evaluation.functions: [accuracy_score] \u2192 [confusion_matrix, recall_score]" in shown, shown


def test_a_named_figure_is_a_metric_of_its_name(recorded):
    found, db, folder = recorded
    assert (found[7]["primary_metric"] or {}).get("name") == "specificity", found[7]
    assert (found[8]["primary_metric"] or {}).get("name") == "sensitivity", found[8]
    shown = trackit("show", found[8]["id"], "--db", str(db), cwd=folder).stdout
    assert "evaluation.functions: [confusion_matrix, specificity] \u2192 [confusion_matrix, sensitivity]" in shown, shown


def test_a_figure_assigned_to_any_name_is_a_metric_of_that_name(recorded):
    found, db, folder = recorded
    names = [m["name"] for m in trackit_json(db, folder, found[9]["id"])["metrics"]]
    assert names == ["test_acc1"], names


def trackit_json(db, folder, experiment: str) -> dict:
    import json

    return json.loads(trackit("show", experiment, "--json", "--db", str(db), cwd=folder).stdout)


def test_ask_best_by_a_metric_of_unknown_direction_says_so(recorded):
    """ml-basics k-nearest-neighbour, `ask "which model is best?"` by its `test_acc1`: "No experiment recorded that
    metric.", of the metric every experiment recorded; which way it is better is what is not known."""
    found, db, folder = recorded
    notebook = folder / "nb.ipynb"
    said = trackit("ask", str(notebook), "which experiment has the best test_acc1?", "--db", str(db), cwd=folder).stdout
    assert said.startswith("Which way `test_acc1` is better is not known"), said
    assert f"- [{found[9]['id']}]: test_acc1 " in said, said
