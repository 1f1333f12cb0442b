"""What `trackit` words about notebooks it ran in a real kernel (`trackit run`: real ipykernel, real DuckDB file) says
what the code did: each test is a sentence an auditor would read that was misleading on a real notebook of the blind
corpus (rev11's review, item 8: /work/briefs/old12/rev11-final.md; rev12's review: /work/briefs/reports/rev12-final.md).
The notebooks are run the way `test_claims_on_real_runs.py` runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_claims_on_real_runs import IMPORTS, experiments, run_notebook, trackit

MODEL_CELLS = [
    IMPORTS,
    "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
    "random_state=0)",
    "model = LogisticRegression().fit(X_train, y_train)\ny_pred = model.predict(X_test)",
    "print(metrics.accuracy_score(y_test, model.predict(X_test)))",  # cell 4
    "confusion = metrics.confusion_matrix(y_test, model.predict(X_test))",  # cell 5
    "cm = metrics.confusion_matrix(y_test, y_pred)\nTP = cm[1, 1]\nFN = cm[1, 0]",  # cell 6
    "print(TP / (TP + FN))",  # cell 7
    "movies = pd.DataFrame({'title': ['a', 'b', 'c']})\nratings = pd.DataFrame({'movie_id': [0, 1, 1, 5], "
    "'rating': [3, 4, 5, 1]})",
    "movie_ratings = pd.merge(movies, ratings, left_index=True, right_on='movie_id', how='left')",  # cell 9
    "titled = movies.set_index('title')",  # cell 10
]


@pytest.fixture(scope="module")
def model_run(tmp_path_factory) -> tuple[Path, Path, str, dict]:
    """(notebook, db, the printed tree, the lineage JSON) of one run of MODEL_CELLS."""
    folder = tmp_path_factory.mktemp("model")
    db = folder / "t.duckdb"
    notebook = run_notebook(folder, MODEL_CELLS, db)
    tree = trackit("lineage", str(notebook), "--db", str(db), cwd=folder)
    assert tree.returncode == 0, tree.stderr
    document = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json", cwd=folder).stdout)
    return notebook, db, tree.stdout, document


def _lines_of_cell(tree: str, cell: int) -> list[str]:
    """The tree's lines for cell `cell` (1-based): its execution line and the step lines under it."""
    lines = tree.splitlines()
    start = next(i for i, line in enumerate(lines) if f" cell {cell} " in line and "#" in line)
    end = next((i for i in range(start + 1, len(lines)) if "─ #" in lines[i]), len(lines))
    return lines[start:end]


def _step_labels(document: dict, cell: int) -> list[str]:
    """The labels the editor's hovers show for the steps of cell `cell` (1-based)."""
    return [s["label"] for e in document["executions"] if e["cell_index"] == cell - 1 for s in e["steps"]]


def test_an_evaluation_of_predictions_made_in_its_call_says_what_it_compared(model_run):
    """`accuracy_score(y_test, model.predict(X_test))` read "Evaluated `y_test` and `X_test` with `accuracy_score`",
    as if the test features were scored: it compares `y_test` with the model's predictions on `X_test`. The
    prediction's own line said it went "into `confusion`"."""
    _, _, tree, document = model_run
    said = "Evaluated the predictions of `model` on `X_test` against `y_test` with `accuracy_score`"
    assert said in "\n".join(_lines_of_cell(tree, 4)), tree
    assert "with `confusion_matrix` into `confusion`" in "\n".join(_lines_of_cell(tree, 5)), tree
    assert "Predicted with `model` (`LogisticRegression`) on `X_test` into `confusion`" not in tree, tree
    assert set(_step_labels(document, 4)) == {said}, _step_labels(document, 4)


def test_an_evaluations_result_is_no_table_with_rows_dropped(model_run):
    """sklearn-videos 09, `confusion = metrics.confusion_matrix(y_test, y_pred_class)`: "192 → 2 rows (−190)", as if
    the evaluation had dropped 190 rows of `y_test`."""
    _, _, tree, _ = model_run
    line = next(line for line in _lines_of_cell(tree, 6) if "confusion_matrix" in line)
    assert line.endswith("with `confusion_matrix` into `cm`: 2 rows \u00d7 2 columns"), line


def test_a_figure_computed_from_the_models_results_says_its_code(model_run):
    """sklearn-videos 09, `print(TP / (TP + FN))`: "Evaluated the data"."""
    _, _, tree, _ = model_run
    assert "Computed `TP / (TP + FN)` from the model's results" in "\n".join(_lines_of_cell(tree, 7)), tree
    assert "Evaluated the data" not in tree, tree


def test_a_join_says_each_sides_key_and_which_rows_it_keeps(model_run):
    """pandas-videos merge, `pd.merge(movies, ratings, left_index=True, right_on='movie_id')`: "on `index`", and no
    word of `how=`."""
    _, _, tree, _ = model_run
    assert ("Joined `movies` with `ratings`, matching the index of `movies` to `movie_id` of `ratings` (left join) "
            "into `movie_ratings`") in "\n".join(_lines_of_cell(tree, 9)), tree


def test_the_overview_covers_every_preprocessing_bullet(model_run):
    """pandas-videos merge: the `set_index` cells were bullets of Preprocessing and in no clause of "In short"."""
    notebook, db, _, _ = model_run
    summary = trackit("summarize", str(notebook), "--db", str(db), cwd=notebook.parent)
    assert summary.returncode == 0, summary.stderr
    in_short = next(line for line in summary.stdout.splitlines() if line.startswith("In short"))
    assert "Set the index of `movies` to `title` into `titled`" in summary.stdout, summary.stdout
    assert "prepares `movie_ratings` and `titled` [cells 9, 10]" in in_short, in_short


def test_a_feature_dropped_in_the_split_is_the_cause_said_once(tmp_path):
    """rev11's usage script, features dropped in the split call: `diff` said "values differ (fingerprint); values
    differ (fingerprint)" and "cause: the code of cell 3 changed (no recorded decision names it)" while its own
    features section showed `training.features: [x1, x2] → [x1]`."""
    db = tmp_path / "t.duckdb"
    split = "X_train, X_test, y_train, y_test = train_test_split(df[{}], df.y, test_size=0.25, random_state=42)"
    cells = [IMPORTS, "df = pd.read_csv('data.csv')", split.format("['x1', 'x2']"),
             "model = LogisticRegression().fit(X_train, y_train)",
             "print(metrics.accuracy_score(y_test, model.predict(X_test)))"]
    run_notebook(tmp_path, cells, db)
    cells[2] = split.format("['x1']")
    run_notebook(tmp_path, cells, db)
    diff = trackit("diff", "E0001", "E0002", "--db", str(db), cwd=tmp_path)
    assert diff.returncode == 0, diff.stderr
    divergent = next(line for line in diff.stdout.splitlines() if line.strip().startswith("Split `df`"))
    assert divergent.count("values differ (fingerprint)") == 1, divergent
    assert "cause: a decision changed in cell 3: training.features: [x1, x2] \u2192 [x1]" in diff.stdout, diff.stdout
    answer = trackit("ask", str(tmp_path / "nb.ipynb"), "why did accuracy change?", "--db", str(db), cwd=tmp_path)
    assert "Cause: a decision changed in cell 3: training.features: [x1, x2] \u2192 [x1]" in answer.stdout, \
        answer.stdout


def test_experiments_are_listed_in_the_order_they_ran(tmp_path):
    """rev11's usage script: failed E0005 and E0006 were listed after E0003 and E0004 though they ran earlier (an id
    is given when the experiment is first found and never changes). Marking an earlier execution by hand does the
    same: it gets the next id."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
        "random_state=0)",
        "model = LogisticRegression().fit(X_train, y_train)",
        "print(metrics.accuracy_score(y_test, model.predict(X_test)))",
    ], db)
    assert [e["id"] for e in experiments(notebook, db)] == ["E0001"]
    marked = trackit("mark", str(notebook), "--seq", "3", "--db", str(db), cwd=tmp_path)
    assert marked.returncode == 0 and marked.stdout.startswith("E0002"), marked.stdout + marked.stderr
    listed = experiments(notebook, db)
    assert [(e["id"], e["seq"]) for e in listed] == [("E0002", 3), ("E0001", 4)], listed
    table = trackit("experiments", str(notebook), "--db", str(db), cwd=tmp_path).stdout.splitlines()
    assert [row.split()[0] for row in table[1:3]] == ["E0002", "E0001"], table


# ---------------------------------------------------------------- rev12's review of real notebooks
REGRESSION_CELLS = [
    "import numpy as np\nimport pandas as pd\nfrom sklearn.linear_model import LinearRegression, LogisticRegression\n"
    "from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n"
    "from sklearn import metrics",
    "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
    "random_state=1)",
    "linreg = LinearRegression()\nlinreg.fit(X_train, y_train)",
    "scaler = StandardScaler().fit(X_train)\nX_test_scaled = scaler.transform(X_test)\n"
    "clf = LogisticRegression().fit(scaler.transform(X_train), y_train)\ny_class = clf.predict(X_test_scaled)\n"
    "y_pred = linreg.predict(X_test)",  # cell 4
    "print(np.sqrt(metrics.mean_squared_error(y_test, y_pred)))",  # cell 5: E0001
    "submission = pd.DataFrame({'ID': X_test.index, 'prediction': y_pred})",  # cell 6
    # cell 7, E0002: sklearn-videos 06's last cell, the model refitted on fewer features
    "linreg.fit(X_train[['x1']], y_train)\ny_pred = linreg.predict(X_test[['x1']])\n"
    "print(np.sqrt(metrics.mean_squared_error(y_test, y_pred)))",
]


@pytest.fixture(scope="module")
def regression_run(tmp_path_factory) -> tuple[Path, Path, str]:
    """(notebook, db, the printed tree) of one run of REGRESSION_CELLS."""
    folder = tmp_path_factory.mktemp("regression")
    db = folder / "t.duckdb"
    notebook = run_notebook(folder, REGRESSION_CELLS, db)
    tree = trackit("lineage", str(notebook), "--db", str(db), cwd=folder)
    assert tree.returncode == 0, tree.stderr
    return notebook, db, tree.stdout


def test_the_square_root_of_a_mean_squared_error_is_named_rmse(regression_run):
    """sklearn-videos 06, `print(np.sqrt(metrics.mean_squared_error(y_test, y_pred)))` (the notebook's "RMSE"): the
    experiments table said "mse 1.405", the RMSE's value under the MSE's name (the MSE was 1.973)."""
    notebook, db, _ = regression_run
    named = [(e["id"], (e["primary_metric"] or {}).get("name")) for e in experiments(notebook, db)]
    assert named == [("E0001", "rmse"), ("E0002", "rmse")], named


def test_a_prediction_is_no_cast_of_the_data_it_was_made_on(regression_run):
    """gulutu-ml banana, `y_pred = model.predict(X_val_scaled)`: "560 rows (unchanged); `y_pred` float64 → int64",
    the predictions measured against the features they were made on."""
    _, _, tree = regression_run
    line = next(line for line in _lines_of_cell(tree, 4) if "Predicted with `clf`" in line)
    assert line.endswith("Predicted with `clf` (`LogisticRegression`) on `X_test_scaled` into `y_class`: 60 rows"), line


def test_a_table_built_from_columns_is_no_concatenation(regression_run):
    """gulutu-ml banana, `submission = pd.DataFrame({"ID": df_test.index, "Quality": final_preds})`: "Concatenated
    `df_test` and `final_preds` into `submission`: ...; 9 → 2 columns (−7); ...; removed `Size`, `Weight`, ..."."""
    _, _, tree = regression_run
    (line,) = [line for line in _lines_of_cell(tree, 6) if "submission" in line and "#" not in line]
    assert line.endswith("    Built `submission` from `X_test` and `y_pred`: 60 rows \u00d7 2 columns"), line


def test_a_refit_later_in_the_run_is_no_unexplained_difference_of_the_first_fit(regression_run):
    """sklearn-videos 06, `trackit diff E0004 E0005` (two experiments of one run, the second refitting `linreg` on
    fewer features): "first divergent step: Fitted ... (cell 29, #17): the fitted model differs" and "cause: nothing
    recorded differs (same code, inputs, seeds and packages): state from outside the slice, an unseeded random
    generator or ...": both experiments hold that very execution; the refit made their models differ."""
    notebook, db, _ = regression_run
    diff = trackit("diff", "E0001", "E0002", "--db", str(db), cwd=notebook.parent)
    assert diff.returncode == 0, diff.stderr
    assert "nothing recorded differs" not in diff.stdout, diff.stdout
    assert "(cell 3 [3], #3): the fitted model differs" not in diff.stdout, diff.stdout


def test_a_model_fitted_on_rows_picked_in_its_call_says_so():
    """statsmodels ols, `ols_results2 = sm.OLS(y.iloc[:14], X.iloc[:14]).fit()`: "Filtered rows of `y` into
    `ols_results2` (2 statements) and fitted a `OLS` model as `ols_results2`": the fitted model called rows of `y`.
    (statsmodels is not in the test environment: the classifier's steps, worded by the one renderer.)"""
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.render.sentences import describe_steps

    steps = analyze_source("import statsmodels.api as sm\nols_results2 = sm.OLS(y.iloc[:14], X.iloc[:14]).fit()").steps
    assert describe_steps(steps) == ["Fitted an `OLS` model as `ols_results2` on rows picked from `y` and `X`"]


def test_a_models_own_test_is_named_not_its_class():
    """statsmodels ols, `print(res2.f_test(R))`: "Evaluated `res2` with `OLS`", the class of the model, not the test."""
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.render.sentences import describe_steps

    steps = analyze_source("import statsmodels.api as sm\nres2 = sm.OLS(y, X).fit()\nprint(res2.f_test(R))").steps
    assert describe_steps(steps)[-1] == "Evaluated `res2` and `R` with `f_test`", describe_steps(steps)
