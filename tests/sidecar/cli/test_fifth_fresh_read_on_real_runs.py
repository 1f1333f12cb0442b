"""What a user reads about which data an experiment used and what a run changed is true: statements rev24 found false
or misleading on real runs of two notebooks of the blind corpus' tuning part (gulutu-ml banana: SVC, logistic
regression, KNN and random forest scored in loops on train.csv, a row filter added in run 3; sklearn-videos 07
cross-validation: a KNN and a logistic regression on iris, a linear regression on Advertising, n_neighbors and the
features edited between runs), run here small in a real kernel (`trackit run`, the notebook edited between runs)."""

from __future__ import annotations

import json

import pytest

from trackit_sidecar.experiments.kb import KERNEL_LAST_LOOP_PASS

from .test_claims_on_real_runs import IMPORTS, experiments, run_notebook, trackit

ARROW = "\u2192"
OTHER = "a,b\n" + "".join(f"{(i * 29 % 83) / 41 - 1:.3f},{i % 7}\n" for i in range(240))


def test_an_experiment_used_the_files_its_result_came_from_not_every_file_its_cells_read(tmp_path):
    """banana: cell 5 reads train.csv and test.csv (the Kaggle submission's rows); every model is trained and scored
    on train.csv. The experiments' data listed both files and `ask "which experiments used test.csv?"` listed all 12.
    A file read in the same cell whose value reaches the model (joined in) is still the experiment's."""
    db = tmp_path / "t.duckdb"
    (tmp_path / "other.csv").write_text(OTHER)
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\nsubmission_rows = pd.read_csv('other.csv')",
        "X_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, random_state=0)",
        "lr = LogisticRegression().fit(X_train, y_train)\nprint(metrics.accuracy_score(y_test, lr.predict(X_test)))",
        "both = pd.read_csv('data.csv')\nextra = pd.read_csv('other.csv')\nboth = both.join(extra[['a']])",
        "B_train, B_test, b_train, b_test = train_test_split(both[['x1', 'a']], both.y, random_state=0)",
        "lr2 = LogisticRegression().fit(B_train, b_train)\nprint(metrics.accuracy_score(b_test, lr2.predict(B_test)))",
    ], db)
    by_cell = {e["cell_index"]: e for e in experiments(notebook, db)}
    alone, joined = by_cell[3], by_cell[6]
    names = {cell: sorted(d.split("@")[0].rsplit("/", 1)[-1] for d in e["datasets"]) for cell, e in by_cell.items()}
    assert names[3] == ["data.csv"], names
    assert names[6] == ["data.csv", "other.csv"], names
    shown = json.loads(trackit("show", alone["id"], "--db", str(db), "--json", cwd=tmp_path).stdout)
    assert {f["variable"] for f in shown["frames"] if f["role"] == "load"} == {"df"}, shown["frames"]
    said = trackit("ask", str(notebook), "which experiments used other.csv?", "--db", str(db), cwd=tmp_path).stdout
    listed = [line for line in said.splitlines() if line.startswith("- [E")]
    assert len(listed) == 1 and listed[0].startswith(f"- [{joined['id']}]"), said


def three_runs_cells(filter_rows: str, neighbors: int) -> list[str]:
    """A logistic regression scored by accuracy and a KNN scored by f1 (the last experiment: the notebook's primary
    metric is f1) on one split of `df`."""
    return [
        IMPORTS + "\nfrom sklearn.neighbors import KNeighborsClassifier",
        "df = pd.read_csv('data.csv')" + filter_rows,
        "X_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, random_state=0)",
        "lr = LogisticRegression().fit(X_train, y_train)\nprint(metrics.accuracy_score(y_test, lr.predict(X_test)))",
        f"knn = KNeighborsClassifier({neighbors}).fit(X_train, y_train)\n"
        "print(metrics.f1_score(y_test, knn.predict(X_test)))",
    ]


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory):
    """Run 2 filters rows (both models move), run 3 edits the KNN's n_neighbors (the logistic regression does not)."""
    folder = tmp_path_factory.mktemp("three_runs")
    db = folder / "t.duckdb"
    run_notebook(folder, three_runs_cells("", 5), db)
    run_notebook(folder, three_runs_cells("\ndf = df[df.x1 > -0.5]", 5), db)
    notebook = run_notebook(folder, three_runs_cells("\ndf = df[df.x1 > -0.5]", 9), db)
    by_cell: dict[int, list[dict]] = {}
    for experiment in experiments(notebook, db):
        by_cell.setdefault(experiment["cell_index"], []).append(experiment)
    return notebook, db, by_cell


def test_what_a_run_changed_names_every_model_whatever_its_metric_is_called(three_runs):
    """banana, `ask "what changed?"` after run 3's filter: the accuracies of SVC, KNN and random forest moved and were
    listed; the logistic regression's avg_accuracy moved too and was not said. 07 cross-validation: the KNN whose
    n_neighbors the run edited (scored by cv_accuracy) was named nowhere, the answer being about cv_rmse alone. Each
    model both runs scored is said, by its own metric: moved, or among those that did not move."""
    notebook, db, by_cell = three_runs
    said = trackit("ask", str(notebook), "what changed?", "--db", str(db), cwd=notebook.parent).stdout
    assert said.startswith(f"[run 2] {ARROW} [run 3]:"), said
    lr, knn = by_cell[3], by_cell[4]
    assert lr[0]["primary_metric"]["name"] == "accuracy" and knn[0]["primary_metric"]["name"] == "f1", (lr, knn)
    assert lr[1]["primary_metric"]["value"] == lr[2]["primary_metric"]["value"], lr  # the KNN edit left it
    assert f"{lr[1]['id']} {ARROW} {lr[2]['id']}" in said, said
    assert f"{knn[1]['id']} {ARROW} {knn[2]['id']}" in said, said


def test_what_changed_between_two_named_runs_compares_those_runs(three_runs):
    """07 cross-validation, `ask "what changed between run 1 and run 2?"`: the answer compared run 2 with run 3 (the
    last two runs), under the question that named runs 1 and 2."""
    notebook, db, by_cell = three_runs
    said = trackit("ask", str(notebook), "what changed between run 1 and run 2?", "--db", str(db),
                   cwd=notebook.parent).stdout
    assert said.startswith(f"[run 1] {ARROW} [run 2]:"), said
    assert "- Edited between the runs: [cell 2]." in said, said
    moved = [cell for cell in (3, 4) if by_cell[cell][0]["primary_metric"]["value"]
             != by_cell[cell][1]["primary_metric"]["value"]]
    assert moved, by_cell  # the filter moved the models' scores, each said by its own metric
    for cell in moved:
        first, second = by_cell[cell][0], by_cell[cell][1]
        assert f"{first['primary_metric']['name']} of " in said and f"({first['id']} {ARROW} {second['id']})" in said, \
            said
    missing = trackit("ask", str(notebook), "what changed between run 1 and run 7?", "--db", str(db),
                      cwd=notebook.parent).stdout
    assert missing.strip() == "No run 7 of this notebook is recorded.", missing


def test_a_row_filter_added_to_a_loading_cell_is_where_the_data_diverged(three_runs):
    """banana, `diff "run 2" "run 3"` after run 3 added `df_train = df_train[df_train["Weight"] > -3]` under the load:
    "First step whose data diverged: Loaded `train.csv` into `df_train`: rows 2,800 -> 2,419", a file that did not
    change, loaded whole. The kernel measures `df_train` after the cell; the step the later run added made it differ."""
    notebook, db, _ = three_runs
    document = json.loads(trackit("diff", "run 1", "run 2", "--notebook", str(notebook), "--db", str(db), "--json",
                                  cwd=notebook.parent).stdout)
    divergence = document["divergence"]
    assert divergence["b"]["cell_index"] == 1 and divergence["b"]["op"] == "filter_rows", divergence
    assert "Loaded `data.csv`" not in document["text"] and "Filtered rows of `df`" in document["text"], document["text"]


def test_the_best_model_says_its_score_is_one_pass_of_a_loop(tmp_path):
    """banana, `ask "which model is best?"`: "E0011: accuracy 0.9773", the KNN's score on one seed's split in the last
    pass of its loop over k (the experiments list says "(last pass of a loop)"; the answer dropped it)."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
        "random_state=0)",
        "for C in [0.1, 1.0]:\n    lr = LogisticRegression(C=C).fit(X_train, y_train)\n"
        "    acc = metrics.accuracy_score(y_test, lr.predict(X_test))",
    ], db)
    (looped,) = experiments(notebook, db)
    assert looped["primary_metric"]["name"] == "accuracy", looped
    shown = json.loads(trackit("show", looped["id"], "--db", str(db), "--json", cwd=tmp_path).stdout)
    last_pass = [m for m in shown["metrics"] if m["source"] == KERNEL_LAST_LOOP_PASS]
    assert [m["name"] for m in last_pass] == ["accuracy"], shown["metrics"]
    said = trackit("ask", str(notebook), "which model is best?", "--db", str(db), cwd=tmp_path).stdout
    assert f"[{looped['id']}]: accuracy " in said and "(last pass of a loop)" in said, said


def test_a_fit_on_columns_picked_in_its_call_records_them_as_its_features(tmp_path):
    """rev22 (islr chapter 4 small): `LogisticRegression().fit(X_train[['x1']], y_train)` refitted on
    `X_train[['x1', 'x2']]` in the next run: "changed from parent: -", its accuracy moved with no decision said."""
    from .test_third_fresh_read_on_real_runs import two_models

    db = tmp_path / "t.duckdb"
    run_notebook(tmp_path, two_models("['x1']"), db)
    notebook = run_notebook(tmp_path, two_models("['x1', 'x2']"), db)
    first, second = [e for e in experiments(notebook, db) if e["cell_index"] == 4]
    assert second["parent"] == first["id"], (first, second)
    assert "training.features" in second["changed"], second
    shown = json.loads(trackit("show", second["id"], "--db", str(db), "--json", cwd=tmp_path).stdout)
    assert shown["features"]["training"]["features"] == ["x1", "x2"], shown["features"]


def test_the_best_model_that_found_no_row_of_a_class_says_what_its_accuracy_is_bounded_by(tmp_path):
    """rev22/rev23 left (islr chapter 4): `ask "which model is best?"` named the Caravan logistic regression's accuracy
    0.94 as a best, while its classification report said recall.yes 0: it predicted `No` for every row it found, and
    0.94 is about the share of `No` rows. The answer says what the recorded recalls show."""
    from .test_fourth_fresh_read_on_real_runs import OTHER as SKEWED  # `z` is 1 in 15 rows of 16

    db = tmp_path / "t.duckdb"
    (tmp_path / "other.csv").write_text(SKEWED)
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "other = pd.read_csv('other.csv')\nA_train, A_test, z_train, z_test = train_test_split(other[['a', 'b']], "
        "other.z, random_state=0)",
        "lr = LogisticRegression().fit(A_train, z_train)\n"
        "print(metrics.classification_report(z_test, lr.predict(A_test)))",
    ], db)
    (scored,) = experiments(notebook, db)
    shown = json.loads(trackit("show", scored["id"], "--db", str(db), "--json", cwd=tmp_path).stdout)
    recalls = {m["name"]: m["value"] for m in shown["metrics"] if m["name"] in ("recall.0", "recall.1")}
    assert recalls == {"recall.0": 0, "recall.1": 1}, shown["metrics"]  # it predicts the majority for every row
    said = trackit("ask", str(notebook), "which model is best?", "--db", str(db), cwd=tmp_path).stdout
    assert f"[{scored['id']}]: accuracy " in said, said
    assert ("its recall of `0` is 0: it found none of those rows, so its accuracy is at most the share of `1` among "
            "the rows it was scored on") in said, said


def test_the_best_model_says_when_the_experiments_it_ranks_were_scored_on_other_test_rows(tmp_path):
    """rev23 left: experiments on one file and target rank together when their splits differ; a run that changed the
    split's random_state scored its model on other test rows (banana: run 3's row filter did too). The best answer
    says how many sets of test rows its ranking spans; one split says nothing."""
    db = tmp_path / "t.duckdb"
    cells = [IMPORTS, "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', "
             "'x2']], df.y, random_state=0)",
             "lr = LogisticRegression().fit(X_train, y_train)\nprint(metrics.accuracy_score(y_test, lr.predict(X_test)))"]
    notebook = run_notebook(tmp_path, cells, db)
    run_notebook(tmp_path, cells, db)
    said = trackit("ask", str(notebook), "which model is best?", "--db", str(db), cwd=tmp_path).stdout
    assert said.startswith("The best `accuracy`") and "sets of test rows" not in said, said
    cells[1] = cells[1].replace("random_state=0", "random_state=1")
    run_notebook(tmp_path, cells, db)
    said = trackit("ask", str(notebook), "which model is best?", "--db", str(db), cwd=tmp_path).stdout
    assert "the 3 experiments ranked were scored on 2 different sets of test rows" in said, said


def test_a_metric_of_a_cell_a_stopped_run_never_reached_is_not_said_to_be_only_in_the_other_run(tmp_path):
    """07 cross-validation, `diff "run 1" "run 2"`: run 1 stopped at cell 31's error (`solver='liblinear'`, every fit
    failed); its metrics read "cv_accuracy: - -> 0.9733, only in run 2" for that cell and "only in run 2" for the
    linear regressions of the cells after it, which run 1 never reached."""
    from .test_third_fresh_read_on_real_runs import run_allowing_failure

    db = tmp_path / "t.duckdb"
    cells = [IMPORTS, "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', "
             "'x2']], df.y, random_state=0)",
             "lr = LogisticRegression().fit(X_train, y_train)\nprint(metrics.accuracy_score(y_test, lr.predict(X_tst)))",
             "lr2 = LogisticRegression(C=0.1).fit(X_train, y_train)\n"
             "print(metrics.accuracy_score(y_test, lr2.predict(X_test)))"]
    run_allowing_failure(tmp_path, cells, db)
    cells[2] = cells[2].replace("X_tst", "X_test")
    notebook = run_allowing_failure(tmp_path, cells, db)
    document = json.loads(trackit("diff", "run 1", "run 2", "--notebook", str(notebook), "--db", str(db), "--json",
                                  cwd=tmp_path).stdout)
    assert document["a"]["stopped_at_cell_index"] == 2, document["a"]
    text = document["text"]
    assert "only in run 2" not in text, text
    assert "not reached in run 1 (it stopped at the error in cell 3)" in text, text
    asked = trackit("ask", str(notebook), "what changed?", "--db", str(db), cwd=tmp_path).stdout
    assert "only in run 2" not in asked and "not reached in run 1 (it stopped at the error in cell 3)" in asked, asked
