"""What a user reads of real runs is true: each test is an output found false or misleading when rev21 ran two notebooks
of the blind corpus' tuning part (islr chapter 4: logistic regression, LDA, QDA, KNN with classification reports;
bfn-eeoc 01: a data-cleaning pipeline of concatenations, melts and merges) four and five times in a real kernel
(`trackit run`, edits, failures and their fixes between) and read every command's output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_claims_on_real_runs import IMPORTS, experiments, run_notebook, trackit


@pytest.fixture(scope="module")
def knn_in_a_function(tmp_path_factory) -> tuple[Path, Path]:
    """islr chapter 4, cells 50-51 small: a model fitted into `clf` at the top level, then a cell that only defines
    `KNN` (whose body fits a KNeighborsClassifier into its own local `clf`, predicts into a local `pred` and scores),
    then a loop calling it and printing a confusion matrix."""
    folder = tmp_path_factory.mktemp("knn_in_a_function")
    db = folder / "t.duckdb"
    return run_notebook(folder, [
        IMPORTS + "\nfrom sklearn.neighbors import KNeighborsClassifier",
        "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
        "random_state=0)\nclf = LogisticRegression(solver='newton-cg').fit(X_train, y_train)\n"
        "pred = clf.predict(df[['x1', 'x2']])",
        "def KNN(n_neighbors=1):\n    clf = KNeighborsClassifier(n_neighbors)\n    clf.fit(X_train, y_train)\n"
        "    pred = clf.predict(X_test)\n    score = clf.score(X_test, y_test)\n    return pred, score",
        "for i in [1, 3]:\n    pred, score = KNN(i)\n    cm = metrics.confusion_matrix(y_test, pred)\n    print(cm)",
    ], db), db


def test_a_cell_that_only_defines_a_function_that_scores_a_model_is_no_experiment(knn_in_a_function):
    """islr chapter 4, cell 51 (defines `KNN` and `plot_confusion_matrix`, calls neither) was experiment E0008, whose
    model was "LogisticRegression (sklearn) ... solver=newton-cg": the kernel's answer about the notebook's `clf`
    (cell 21's), asked because the function's body fits its own local `clf`."""
    notebook, db = knn_in_a_function
    cells = [e["cell_index"] for e in experiments(notebook, db)]
    assert 2 not in cells and 3 in cells, cells


def test_a_model_fitted_in_a_functions_body_is_not_the_notebook_variable_of_the_same_name(knn_in_a_function):
    """islr chapter 4, cell 52 (`for i in [1,3,5]: pred, score, classes = KNN(i)`, a confusion matrix each pass):
    `show` said "model: LogisticRegression (sklearn), fitted state sha256 0b7bd36d8505 ... solver=newton-cg", the
    notebook's `clf` from cell 21; the summary said "`clf` (fitted `KNeighborsClassifier`): last set in [cell 21]"."""
    notebook, db = knn_in_a_function
    loop = next(e for e in experiments(notebook, db) if e["cell_index"] == 3)
    shown = trackit("show", loop["id"], "--db", str(db), cwd=notebook.parent).stdout
    model = next(line for line in shown.splitlines() if line.startswith("model:"))
    assert "LogisticRegression" not in model and "newton-cg" not in shown, shown
    # its class and arguments as the body wrote them: `n_neighbors` is the caller's, not a default (a positional
    # argument named by its parameter, rev25)
    assert model.startswith("model: KNeighborsClassifier (sklearn)") and "params: n_neighbors=n_neighbors" in shown, \
        shown
    summary = trackit("summarize", str(notebook), "--db", str(db), cwd=notebook.parent).stdout
    assert "`clf` (fitted `LogisticRegression`)" in summary, summary


def test_a_functions_body_does_not_take_the_measured_effect_of_a_notebook_variable(knn_in_a_function):
    """islr chapter 4, cell 51: "Defines `KNN`, which fits ... predicts with `clf` on `X_test` into `pred` ... when
    called: 252 rows": the kernel's measure of the notebook's `pred` (KNN-3's predictions, cell 49), given to the
    body's local `pred`; defining the function measured nothing."""
    notebook, db = knn_in_a_function
    executions = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json", cwd=notebook.parent).stdout)
    defining = next(e for e in executions["executions"] if e["cell_index"] == 2)
    labels = [s["label"] for s in defining["steps"]]
    assert labels and all("rows" not in label for label in labels), labels


def test_a_threshold_on_scores_is_no_prediction_by_the_true_labels():
    """islr chapter 4, cell 28: `df_ = pd.DataFrame({'True default status': y, 'Predicted default status':
    y_prob[:,1] > decision_prob})` read "predicted with `y` on `y_prob` into `df_`", the true labels as the model."""
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.render.sentences import describe_steps

    said = describe_steps(analyze_source(
        "import pandas as pd\ndecision_prob = 0.2\ny_prob = lda.fit(X, y).predict_proba(X)\n"
        "df_ = pd.DataFrame({'True default status': y, 'Predicted default status': y_prob[:,1] > decision_prob})").steps)
    built = next(line for line in said if line.startswith("Built `df_`"))
    assert "with `y`" not in built and "by a threshold on `y_prob`" in built, said


def test_a_join_chained_after_a_join_names_the_table_it_brings_in():
    """bfn-eeoc 01, cell 31: `pd.merge(sectors, sector_metrics_wide[...], on=...).pipe(pd.merge,
    sector_metrics_tidy_unique.groupby(...)["source"].unique().apply(",".join).reset_index(), ...)` read "joined
    `sector_metrics_wide` and `sector_metrics_tidy_unique`": the second merge's left side is the first merge's result;
    it brings in the sources per sector of `sector_metrics_tidy_unique` only."""
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.render.sentences import describe_steps

    said = describe_steps(analyze_source(
        "import pandas as pd\nsector_metrics = pd.merge(sectors, wide[['rollup', 'earnings']], how='left', "
        "on=['rollup']).pipe(pd.merge, tidy.groupby('rollup')['source'].unique().apply(','.join).reset_index(), "
        "on='rollup', how='left')").steps)
    assert len(said) == 1 and said[0].startswith("Joined `sectors` with `wide`"), said
    assert "joined `wide` and `tidy`" not in said[0] and "joined `tidy` on `rollup`" in said[0], said


def test_a_decision_edited_in_a_chain_is_the_cause_when_the_divergence_lands_on_another_step_of_it(tmp_path):
    """bfn-eeoc 01, cell 26 (concat of tables each `.assign(priority=n)`, melt, sort, `.pipe(lambda x:
    x[x["variable"].isin([...])])`, dropna), one variable dropped from the kept list: `diff "run 2" "run 3"` put the
    divergence on the chain's first step (the kernel measures the cell's variable once) and said "cause: the code of
    cell 26 changed (no recorded decision names it)", while its own feature list showed the filter's kept values
    changed."""
    db = tmp_path / "t.duckdb"
    chain = ("tidy = (df.assign(priority=1).melt(id_vars=['priority']).sort_values('priority')\n"
             "        .pipe(lambda x: x[x['variable'].isin({})]).dropna(subset=['value']))")
    cells = [IMPORTS, "df = pd.read_csv('data.csv')", chain.format("['x1', 'x2', 'y']")]
    run_notebook(tmp_path, cells, db)
    cells[2] = chain.format("['x1', 'y']")
    notebook = run_notebook(tmp_path, cells, db)
    said = trackit("diff", "run 1", "run 2", "--notebook", str(notebook), "--db", str(db), cwd=tmp_path).stdout
    cause = next(line.strip() for line in said.splitlines() if line.strip().startswith("cause:"))
    assert cause.startswith("cause: a decision changed in cell 3: preprocessing.filter_rows[variable]"), said


def test_an_edited_feature_list_is_one_changed_selection(tmp_path):
    """islr chapter 4, cell 32 (`X_train = df[:'2004'][['Lag1','Lag2']]`, the same for `X_test`) given `Lag3` too:
    `show` and `diff` said "select_columns[Lag1,Lag2,Lag3]: (unset) → ..." and "select_columns[Lag1,Lag2]: ... →
    (removed)", one selection added and another removed (rev20 saw the same on sklearn-videos 09)."""
    db = tmp_path / "t.duckdb"
    cells = [IMPORTS, "df = pd.read_csv('data.csv')",
             "X = df[{}]\nX_train, X_test, y_train, y_test = train_test_split(X, df.y, random_state=0)",
             "model = LogisticRegression().fit(X_train, y_train)\n"
             "print(metrics.accuracy_score(y_test, model.predict(X_test)))"]
    run_notebook(tmp_path, [*cells[:2], cells[2].format("['x1']"), cells[3]], db)
    notebook = run_notebook(tmp_path, [*cells[:2], cells[2].format("['x1', 'x2']"), cells[3]], db)
    first, second = [e["id"] for e in experiments(notebook, db)]
    shown = trackit("show", second, "--db", str(db), cwd=tmp_path).stdout
    changed = shown.split("changed from")[1].split("\ndata:")[0]
    assert "select_columns(X).columns: [x1] \u2192 [x1, x2]" in changed, shown
    assert "(removed)" not in changed and "(unset)" not in changed, shown


def test_a_report_on_the_rows_the_model_was_fitted_on_is_a_training_score(tmp_path):
    """islr chapter 4, cells 25-26: `y_pred = lda.fit(X, y).predict(X)` then `print(classification_report(y,
    y_pred))` was experiment E0001 with "accuracy 0.97", and `ask "which model is best?"` named it against the test
    accuracies (0.56-0.6) of the models fitted on one split and scored on the other."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\nX = df[['x1', 'x2']]\ny = df.y\n"
        "model = LogisticRegression()\ny_pred = model.fit(X, y).predict(X)",
        "print(metrics.classification_report(y, y_pred))",
        "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\n"
        "pred = LogisticRegression(C=0.01).fit(X_train, y_train).predict(X_test)",
        "print(metrics.classification_report(y_test, pred))",
    ], db)
    primary = {e["cell_index"]: (e["primary_metric"] or {}).get("name") for e in experiments(notebook, db)}
    assert primary == {2: "train_accuracy", 4: "accuracy"}, primary
    best = trackit("ask", str(notebook), "which model is best?", "--db", str(db), cwd=tmp_path).stdout
    tested = next(e["id"] for e in experiments(notebook, db) if e["cell_index"] == 4)
    assert f"is [{tested}]" in best, best


def test_an_in_place_call_that_pandas_says_changed_a_copy_changed_nothing(tmp_path):
    """islr chapter 4, cell 56: `cm_df.Pred.replace(to_replace={True:'Yes', False:'No'}, inplace=True)` read "Encoded
    `Pred` of `cm_df` (replace)" in the tree, the summary and the experiment's features; under pandas 3 the call
    replaced values in a copy (the kernel printed ChainedAssignmentError for that line) and `Pred` kept its
    booleans, which is why the cell's next statement failed."""
    pytest.importorskip("pandas", minversion="3")
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\ndf['label'] = df.y > 0\ndf.label.replace(to_replace={True: 'Yes', False: 'No'}, "
        "inplace=True)\nprint(df.label.unique())",
    ], db)
    executions = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json", cwd=tmp_path).stdout)
    labels = [s["label"] for s in executions["executions"][-1]["steps"]]
    assert not any(label.startswith("Encoded") for label in labels), labels
    assert any("ChainedAssignmentError" in label for label in labels), labels
    summary = trackit("summarize", str(notebook), "--db", str(db), cwd=tmp_path).stdout
    assert "Encoded `label`" not in summary and "encoded `label`" not in summary, summary


def test_a_parameter_written_on_one_side_only_at_the_value_both_models_had_is_no_change(tmp_path):
    """islr chapter 4: `LinearDiscriminantAnalysis(solver='svd')` (cell 25), then `LinearDiscriminantAnalysis()`
    (cell 32): `show E0002` said "model.params.solver: svd → (removed)" and listed `solver=svd` as its model's params
    a few lines below; `experiments` counted a model change."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
        "random_state=0)",
        "first = LogisticRegression(solver='lbfgs').fit(X_train, y_train)\n"
        "print(metrics.accuracy_score(y_test, first.predict(X_test)))",
        "second = LogisticRegression(C=0.5).fit(X_train, y_train)\n"
        "print(metrics.accuracy_score(y_test, second.predict(X_test)))",
    ], db)
    listed = experiments(notebook, db)
    shown = trackit("show", listed[-1]["id"], "--db", str(db), cwd=tmp_path).stdout
    changed = shown.split("changed from")[1].split("\ndata:")[0]
    assert "model.params.C" in changed and "solver" not in changed, shown
