"""What `trackit diff`, `show` and `experiments` claim about experiments of notebooks run in a real kernel (`trackit
run`: real ipykernel, real DuckDB file) is true: each test is a claim found false or unclear on a real notebook of the
blind corpus by rev12's or rev13's review (/work/briefs/reports/rev13-final.md). The notebooks are run the way
`test_claims_on_real_runs.py` runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_claims_on_real_runs import DATA, run_notebook, trackit

# sklearn-videos 06: the last cell re-selects the features, re-splits with the same random_state and refits the model
RESPLIT_CELLS = [
    "import numpy as np\nimport pandas as pd\nfrom sklearn.linear_model import LinearRegression\n"
    "from sklearn.model_selection import train_test_split\nfrom sklearn import metrics",
    "df = pd.read_csv('data.csv')\nX = df[['x1', 'x2']]\ny = df.y",
    "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)",  # cell 3
    "linreg = LinearRegression()\nlinreg.fit(X_train, y_train)",
    "y_pred = linreg.predict(X_test)",
    "print(np.sqrt(metrics.mean_squared_error(y_test, y_pred)))",  # cell 6: E0001
    "X = df[['x1']]\nX_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)\n"  # cell 7: E0002
    "linreg.fit(X_train, y_train)\ny_pred = linreg.predict(X_test)\n"
    "print(np.sqrt(metrics.mean_squared_error(y_test, y_pred)))",
]


def _recorded(tmp_path_factory, name: str, cells: list[str]) -> tuple[Path, Path]:
    """One real `trackit run` of the cells, shared by a module's tests: (notebook, database)."""
    folder = tmp_path_factory.mktemp(name)
    db = folder / "t.duckdb"
    return run_notebook(folder, cells, db), db


@pytest.fixture(scope="module")
def resplit_run(tmp_path_factory) -> tuple[Path, Path]:
    return _recorded(tmp_path_factory, "resplit", RESPLIT_CELLS)


def _diff(run: tuple[Path, Path], a: str, b: str) -> str:
    notebook, db = run
    shown = trackit("diff", a, b, "--db", str(db), cwd=notebook.parent)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout


def test_a_split_written_again_with_the_same_seed_is_no_change_of_seed(resplit_run):
    """sklearn-videos 06, `trackit diff E0004 E0005`: "seeds: random_state in train_test_split: (none) → 1", which
    reads as E0004's split unseeded; both splits used random_state=1 (E0005's run set it once more, in cell 49)."""
    said = _diff(resplit_run, "E0001", "E0002")
    assert "seeds: the same" in said, said
    assert "(none)" not in said.split("seeds:")[1], said


def test_a_split_written_again_replaces_the_earlier_one_in_the_experiments_decisions(resplit_run):
    """sklearn-videos 06, `trackit diff E0004 E0005` and `show E0005`: "split.function: train_test_split → (removed)",
    "split.random_state: 1 → (removed)", as if E0005 had no seeded train_test_split; it re-split the same way in its
    last cell, and only the features changed."""
    said = _diff(resplit_run, "E0001", "E0002")
    assert "(removed)" not in said, said
    assert "split#2" not in said, said
    assert "features: [x1, x2] \u2192 [x1]" in said, said
    notebook, db = resplit_run
    listed = json.loads(trackit("experiments", str(notebook), "--db", str(db), "--json",
                                cwd=notebook.parent).stdout)["experiments"]
    assert [e["id"] for e in listed] == ["E0001", "E0002"], listed


def test_columns_a_step_left_out_say_whose_columns_and_which_side(tmp_path):
    """rev11's usage script (features dropped in the split call), `trackit diff E0001 E0002`: "columns removed [y] →
    [x2, y]", true but cryptic: the columns of `df` that each experiment's split did not keep."""
    db = tmp_path / "t.duckdb"
    split = "X_train, X_test, y_train, y_test = train_test_split(df[{}], df.y, test_size=0.25, random_state=42)"
    cells = [RESPLIT_CELLS[0] + "\nfrom sklearn.linear_model import LogisticRegression", "df = pd.read_csv('data.csv')",
             split.format("['x1', 'x2']"), "model = LogisticRegression().fit(X_train, y_train)",
             "print(metrics.accuracy_score(y_test, model.predict(X_test)))"]
    run_notebook(tmp_path, cells, db)
    cells[2] = split.format("['x1']")
    run_notebook(tmp_path, cells, db)
    said = _diff((tmp_path / "nb.ipynb", db), "E0001", "E0002")
    divergent = next(line for line in said.splitlines() if line.strip().startswith("Split `df`"))
    assert "columns removed" not in divergent, divergent
    assert "columns of `df` left out: [y] in E0001, [x2, y] in E0002" in divergent, divergent


def test_diff_prints_the_change_that_explains_a_divergence_once(tmp_path):
    """rev14, heart-disease `trackit diff E0003 E0005`: cell 85's diff was printed under "cause:" and again under
    "code changed:", read as a second change (the Experiments panel draws it once since rev14: compareModel.ts)."""
    db = tmp_path / "t.duckdb"
    cells = [RESPLIT_CELLS[0] + "\nfrom sklearn.linear_model import LogisticRegression",
             "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], "
             "df.y, test_size=0.25, random_state=42)",
             "model = LogisticRegression().fit(X_train, y_train)",
             "print(metrics.accuracy_score(y_test, model.predict(X_test)))"]
    run_notebook(tmp_path, cells, db)
    cells[1] = cells[1].replace("test_size=0.25", "test_size=0.4")
    run_notebook(tmp_path, cells, db)
    said = _diff((tmp_path / "nb.ipynb", db), "E0001", "E0002")
    changed_line = "+X_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, test_size=0.4, " \
        "random_state=42)"
    assert said.count(changed_line) == 1, said
    cause, code = said.split("cause:")[1], said.split("code changed:")[1]
    assert changed_line in cause.split("code changed:")[0], said
    assert "cell 2 (c1): shown above, the change that explains it" in code, said


def test_experiment_ids_follow_the_order_the_experiments_ran(tmp_path):
    """statsmodels ols, a fresh `trackit run` then `experiments`: E0006 (cell 39) was numbered before E0007-E0010
    (cells 29-35, `print(res2.f_test(R))`): those were passed over while the run was recorded (no metric-like word
    in their code or output) and numbered when the experiments were first listed, after every later one. An id is
    kept once given, so it must be given in the order the experiments ran."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        RESPLIT_CELLS[0] + "\nfrom sklearn.linear_model import LogisticRegression\n"
        "from sklearn.metrics import matthews_corrcoef",
        "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
        "random_state=0)\nmodel = LogisticRegression().fit(X_train, y_train)",
        "print(matthews_corrcoef(y_test, model.predict(X_test)))",  # cell 3: no metric-like word
        "print(metrics.accuracy_score(y_test, model.predict(X_test)))",  # cell 4
    ], db)
    listing = trackit("experiments", str(notebook), "--db", str(db), "--json", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    listed = [(e["id"], e["cell_index"] + 1) for e in json.loads(listing.stdout)["experiments"]]
    assert listed == [("E0001", 3), ("E0002", 4)], listed


def test_a_failed_experiment_that_ends_its_run_is_numbered_in_its_run(tmp_path):
    """sklearn-videos 07, run twice (`trackit run` stops at cell 31, a cross-validation whose 10 fits all failed): its
    failed experiment was E0009, numbered after the second run's E0005-E0008 when the experiments were first listed,
    though it ran before them; a failed execution was not numbered while the run was recorded."""
    import nbformat

    db = tmp_path / "t.duckdb"
    (tmp_path / "data.csv").write_text(DATA)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source, id=f"c{index}") for index, source in enumerate([
        RESPLIT_CELLS[0] + "\nfrom sklearn.linear_model import LogisticRegression",
        "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
        "random_state=0)\nmodel = LogisticRegression().fit(X_train, y_train)",
        "print(metrics.accuracy_score(y_test, model.predict(X_test)))",
        "print(metrics.accuracy_score(y_test, model.predict(X_test[['x1']])))",  # fails: one feature of two
    ])]
    path = tmp_path / "nb.ipynb"
    nbformat.write(notebook, str(path))
    for _ in range(2):
        done = trackit("run", str(path), "--db", str(db), cwd=tmp_path)
        assert done.returncode == 1, done.stdout + done.stderr
    listing = json.loads(trackit("experiments", str(path), "--db", str(db), "--json", cwd=tmp_path).stdout)
    listed = [(e["id"], e["session"], e["status"]) for e in listing["experiments"]]
    assert listed == [("E0001", 1, "ok"), ("E0002", 1, "failed"), ("E0003", 2, "ok"), ("E0004", 2, "failed")], listed


# gulutu-ml banana, cell 51: an SVC fitted over 5 C x 10 seeds, the accuracy of each fit kept in `acc`
LOOP_CELLS = [
    RESPLIT_CELLS[0] + "\nfrom sklearn.svm import SVC\nfrom sklearn.metrics import accuracy_score",
    "df = pd.read_csv('data.csv')\nX = df[['x1', 'x2']]\ny = df.y",
    "results = []\nfor C in [0.1, 1, 10]:\n    accuracies = []\n    for seed in range(3):\n"
    "        X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, random_state=seed)\n"
    "        model = SVC(C=C).fit(X_train, y_train)\n        acc = accuracy_score(y_val, model.predict(X_val))\n"
    "        accuracies.append(acc)\n    results.append((C, np.mean(accuracies)))\nprint(results)",
]


@pytest.fixture(scope="module")
def loop_run(tmp_path_factory) -> tuple[Path, Path]:
    return _recorded(tmp_path_factory, "loop", LOOP_CELLS)


def test_a_metric_kept_by_a_loop_says_it_is_the_last_passs(loop_run):
    """gulutu-ml banana: the experiments table said "accuracy 0.9732" for the cell that fits an SVC over 5 C x 10
    seeds: the accuracy of the last fit only (C=100, seed 9), while the notebook's conclusion is C=10 on average."""
    notebook, db = loop_run
    table = trackit("experiments", str(notebook), "--db", str(db), cwd=notebook.parent).stdout
    row = table.splitlines()[1]
    assert "accuracy" in row and "(last pass of a loop)" in row, table
    shown = trackit("show", "E0001", "--db", str(db), cwd=notebook.parent).stdout
    line = next(line for line in shown.splitlines() if line.strip().startswith("accuracy "))
    assert "the value its loop's last pass left" in line, shown


def test_a_model_fitted_in_a_loop_says_it_is_the_last_passs(loop_run):
    """gulutu-ml banana: `show` said "model: SVC ..., params: C=100" as the experiment's model, the last of 50 fits."""
    notebook, db = loop_run
    shown = trackit("show", "E0001", "--db", str(db), cwd=notebook.parent).stdout
    line = next(line for line in shown.splitlines() if line.startswith("model:"))
    assert "the fit the last pass of a loop left" in line, shown


def test_a_model_refitted_in_a_loop_and_not_after_it_says_it_is_the_last_passs(tmp_path):
    """ztm-ml heart-disease, cell 33: one `knn` refitted for n_neighbors 1..20 in a loop; its fingerprint is the
    last pass's (n_neighbors=20). Refitted once more after the loop, it is that fit, said plainly."""
    db = tmp_path / "t.duckdb"
    cells = [RESPLIT_CELLS[0] + "\nfrom sklearn.neighbors import KNeighborsClassifier",
             "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y,"
             " random_state=0)",
             "knn = KNeighborsClassifier()\ntest_scores = []\nfor i in range(1, 6):\n    knn.set_params(n_neighbors=i)\n"
             "    knn.fit(X_train, y_train)\n    test_scores.append(knn.score(X_test, y_test))\nprint(test_scores)",
             "knn.set_params(n_neighbors=3)\nknn.fit(X_train, y_train)\nprint(knn.score(X_test, y_test))"]
    run_notebook(tmp_path, cells, db)
    models = [trackit("show", e, "--db", str(db), cwd=tmp_path).stdout for e in ("E0001", "E0002")]
    lines = [next(line for line in shown.splitlines() if line.startswith("model:")) for shown in models]
    assert "last pass of a loop" in lines[0] and "last pass of a loop" not in lines[1], models


def test_a_cross_validated_negated_error_is_higher_is_better_and_its_root_is_an_rmse(tmp_path):
    """sklearn-videos 07, `trackit diff E0011 E0014`: "cv_neg_mse: -3.06 → 1.68 (+4.74), E0011 better (lower is
    better)": E0014 printed `np.sqrt(-cross_val_score(..., scoring='neg_mean_squared_error')).mean()`, an RMSE (1.68,
    better than E0011's 1.69), and a negated MSE is higher-is-better."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        RESPLIT_CELLS[0] + "\nfrom sklearn.model_selection import cross_val_score",
        "df = pd.read_csv('data.csv')\nX = df[['x1', 'x2']]\ny = df.x1 * 3 + df.x2",
        "lm = LinearRegression()\nscores = cross_val_score(lm, X, y, cv=5, scoring='neg_mean_squared_error')\n"
        "print(scores)",
        "X = df[['x1']]\nprint(np.sqrt(-cross_val_score(lm, X, y, cv=5, scoring='neg_mean_squared_error')).mean())",
    ], db)
    listing = trackit("experiments", str(notebook), "--db", str(db), "--json", cwd=tmp_path)
    named = [((e["primary_metric"] or {}).get("name"), (e["primary_metric"] or {}).get("direction"))
             for e in json.loads(listing.stdout)["experiments"]]
    assert named == [("cv_neg_mse", "higher"), ("cv_rmse", "lower")], named


# ---------------------------------------------------------------- seen by rev13's review, not fixed: the classifier's
# steps (lineage/classify/, three classifier helpers at work there) decide these; worded by the one renderer
def _said(source: str) -> list[str]:
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.render.sentences import describe_steps

    return describe_steps(analyze_source("import pandas as pd\n" + source).steps)


def test_a_function_definition_encodes_nothing_when_it_runs():
    """causal-handbook 17's `def encode(df): return df.replace(...)` read 'Encoded `df` (replace)' although nothing
    was encoded when the cell ran; the step stays where it is written (what-is-a-step.md), worded as defined."""
    said = _said("def encode(df):\n    return df.replace({'region': regions_to_net})")
    # (`df`, a parameter, is of unknown kind: pandas' `replace` on it is a guess, said so: lineage/kb/guesses.py)
    assert said == ["Defines `encode`, which encodes `df` (replace) (inferred from the method's name alone, on a value "
                    "of unknown kind) when called"], said


def test_the_tree_hover_and_summary_say_a_function_body_is_defined_not_done(tmp_path):
    """ztm-ml heart-disease cell 30 (`def fit_and_score`) read 'Fitted a model as `model` on `X_train` ...' in the
    tree, while cell 31, which called it, had no step: the tree's step labels, the hover's lines (`step_lines`, what
    render/hover.py shows) and the summary's bullets of a real run say the cell defines the function."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        RESPLIT_CELLS[0] + "\nfrom sklearn.linear_model import LogisticRegression",
        "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
        "random_state=0)",
        "def fit_and_score(model, X_train, X_test, y_train, y_test):\n    model.fit(X_train, y_train)\n"
        "    return model.score(X_test, y_test)",
        "print(fit_and_score(LogisticRegression(), X_train, X_test, y_train, y_test))",
    ], db)
    executions = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json",
                                    cwd=tmp_path).stdout)["executions"]
    defining = next(e for e in executions if e["cell_index"] == 2)
    fit = "Defines `fit_and_score`, which fits a model as `model` on `X_train` and `y_train` when called"
    assert [s.get("label") for s in defining["steps"]][0] == fit, defining["steps"]
    # the body's fit and score in one line (rev19)
    fit = ("Defines `fit_and_score`, which fits a model as `model` on `X_train` and `y_train` and evaluates `model` "
           "on `X_test` and `y_test` with `score` when called")
    assert defining["step_lines"] == [fit], defining["step_lines"]
    assert not any(line.startswith(("Fitted", "Evaluated")) for line in defining["step_lines"]), defining["step_lines"]
    summary = trackit("summarize", str(notebook), "--db", str(db), cwd=tmp_path)
    assert summary.returncode == 0, summary.stderr
    assert f"{fit} [cell 3]" in summary.stdout, summary.stdout
    in_short = next(line for line in summary.stdout.splitlines() if line.startswith("In short"))
    assert "defines `fit_and_score` [cell 3]" in in_short and "fits" not in in_short, in_short


def test_a_cross_validation_names_the_model_it_scored():
    """sklearn-videos 07 read 'Evaluated `X` and `y` with `cross_val_score` into `scores`': the model cross-validated
    (`knn`) unnamed, the data as what was scored (rev13; kb.sklearn.ESTIMATOR_FIRST_FUNCTIONS)."""
    said = _said("from sklearn.model_selection import cross_val_score\nfrom sklearn.neighbors import "
                 "KNeighborsClassifier\nknn = KNeighborsClassifier(n_neighbors=5)\n"
                 "scores = cross_val_score(knn, X, y, cv=10, scoring='accuracy')")
    assert any("Evaluated `knn` on `X` and `y` with `cross_val_score`" in line for line in said), said


def test_a_prediction_inside_an_assign_names_its_model():
    """causal-handbook 17 read 'Predicted on `test` into `model_policy`', the model unnamed (the classifier gives the
    step no `model`; the renderer reads it off the statement)."""
    said = _said("from sklearn import ensemble\nreg = ensemble.GradientBoostingRegressor()\nreg.fit(X, y)\n"
                 "model_policy = test.assign(prediction=reg.predict(test[features]))")
    # ... and the column it fills (sel13: "into `model_policy`" named no column)
    assert "Predicted with `reg` on `test` into column `prediction` of `model_policy`" in said, said


def test_a_table_deduplicated_inside_a_joins_call_is_not_the_joins_result():
    """bfn-eeoc 01 read 'Dropped duplicate rows by `naics_sector_name` from `sector_metrics` into `graphics_info_bls`
    and joined ...', as if `graphics_info_bls` were the de-duplicated `sector_metrics`: the result is the join's."""
    said = _said("g = pd.merge(info, metrics.drop_duplicates(subset=['name']), left_on='industry', "
                 "right_on='name', how='left')")
    assert said == ["Dropped duplicate rows by `name` from `metrics` and joined `info` with `metrics`, matching "
                    "`industry` of `info` to `name` of `metrics` (left join) into `g`"], said


def test_a_report_on_the_test_set_is_not_summed_up_by_the_searchs_cross_validated_score(tmp_path):
    """ztm-ml heart-disease, cells 50-52: `print(classification_report(y_test, y_preds))` of a GridSearchCV's
    predictions was listed as "best_score 0.8346", the search's cross-validated score on the training data, while
    the cell measured the test set (accuracy 0.89 in its report)."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        RESPLIT_CELLS[0] + "\nfrom sklearn.linear_model import LogisticRegression\n"
        "from sklearn.model_selection import GridSearchCV\nfrom sklearn.metrics import classification_report",
        "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
        "test_size=0.3, random_state=0)",
        "gs = GridSearchCV(LogisticRegression(), param_grid={'C': [0.1, 1, 10]}, cv=3)\ngs.fit(X_train, y_train)",
        "y_preds = gs.predict(X_test)",
        "print(classification_report(y_test, y_preds))",
    ], db)
    listing = trackit("experiments", str(notebook), "--db", str(db), "--json", cwd=tmp_path)
    primary = {e["cell_index"] + 1: (e["primary_metric"] or {}).get("name")
               for e in json.loads(listing.stdout)["experiments"]}
    assert primary.get(5) == "accuracy", primary


# ---------------------------------------------------------------- seen by rev14's review (ztm-ml heart-disease driven
# as a user would: tests/usage/runner.py): an edited split, the old model scored, its score on the training rows
STALE_MODEL_CELLS = [
    RESPLIT_CELLS[0] + "\nfrom sklearn.linear_model import LogisticRegression",
    "df = pd.read_csv('data.csv')\nX = df[['x1', 'x2']]\ny = df.y",
    "np.random.seed(42)\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)",
    "model = LogisticRegression().fit(X_train, y_train)",
    "model.score(X_test, y_test)",  # E0001
    "np.random.seed(42)\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3)",
    "model.score(X_test, y_test)",  # E0002: the 0.2 split's model on the 0.3 split's test rows
    "model.score(X_train, y_train)",  # E0003: its training rows... of the 0.3 split
]


@pytest.fixture(scope="module")
def stale_model_run(tmp_path_factory) -> tuple[Path, Path]:
    return _recorded(tmp_path_factory, "stale", STALE_MODEL_CELLS)


def test_a_model_scored_on_a_split_made_after_its_fit_says_so(stale_model_run):
    """rev14, heart-disease usage script E0005: a split re-run after the fit, then the old model scored; `show` listed
    'fit X_train: 242' beside 'metric X_test: 91' and said nothing: the model was fitted on the 0.2 split and scored
    on the 0.3 split's test rows, some of which it trained on (ModelFingerprint.fitted_before)."""
    notebook, db = stale_model_run
    shown = [trackit("show", e, "--db", str(db), cwd=notebook.parent).stdout for e in ("E0001", "E0002")]
    said = ("fitted on an earlier split: #6 split the data again into `X_train` and `y_train` after the fit (#4); it "
            "was not refitted, so the rows it is scored on may be rows it was trained on")
    assert said in shown[1], shown[1]
    assert "fitted on an earlier split" not in shown[0], shown[0]


def test_a_score_on_the_training_rows_is_not_named_as_the_test_score(stale_model_run):
    """heart-disease usage script, `diff E0006 E0007`: `gs_log_reg.score(X_train, y_train)` was named 'accuracy' as
    the test-set score was: 'accuracy: 0.8462 → 0.8491, E0007 better; features changed: none', and it was counted
    among the '6 repeated evaluations' of the noise."""
    notebook, db = stale_model_run
    listed = json.loads(trackit("experiments", str(notebook), "--db", str(db), "--json",
                                cwd=notebook.parent).stdout)["experiments"]
    names = {e["cell_index"] + 1: (e["primary_metric"] or {}).get("name") for e in listed}
    assert names[8] == "train_accuracy" and names[7] == "accuracy", names


def test_seeds_are_asked_for_only_where_something_draws_random_numbers(tmp_path):
    """rev15's review: `trackit show` said "seeds: (none set: results may vary between runs)" for a LinearRegression
    fitted on rows split by position, which draws no random number: false. A RandomForestClassifier without
    random_state does draw: the warning stays and names it."""
    db = tmp_path / "t.duckdb"
    cells = [RESPLIT_CELLS[0] + "\nfrom sklearn.ensemble import RandomForestClassifier",
             "df = pd.read_csv('data.csv')\nX_train, X_test = df[['x1', 'x2']][:30], df[['x1', 'x2']][30:]\n"
             "y_train, y_test = df.y[:30], df.y[30:]",
             "linreg = LinearRegression().fit(X_train, y_train)\n"
             "print(metrics.mean_squared_error(y_test, linreg.predict(X_test)))",
             "forest = RandomForestClassifier(n_estimators=5).fit(X_train, y_train > 0)\n"
             "print(metrics.accuracy_score(y_test > 0, forest.predict(X_test)))"]
    run_notebook(tmp_path, cells, db)
    shown = [trackit("show", e, "--db", str(db), cwd=tmp_path).stdout for e in ("E0001", "E0002")]
    assert "model: LinearRegression" in shown[0] and "model: RandomForestClassifier" in shown[1], shown
    assert "seeds: none needed (nothing it ran draws random numbers)" in shown[0], shown[0]
    assert "results may vary" not in shown[0], shown[0]
    assert "(none set: results may vary between runs; `RandomForestClassifier` draws random numbers)" in shown[1], \
        shown[1]


def _said_with_calls(source: str) -> list[str]:
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.render.sentences import describe_steps

    analysis = analyze_source("import pandas as pd\n" + source)
    return describe_steps(analysis.steps, derivations=analysis.derivations)


def test_a_function_the_cell_defines_and_calls_is_said_to_be_called():
    """rev15's note: `def clean(d): ...` then `df = clean(df)` in one cell read only "Defines `clean`, which filters
    rows of `d` on `x1` when called", as if the cell changed nothing; it also cleaned `df`."""
    body = "def clean(d):\n    return d[d.x1 > 0]\n"
    assert _said_with_calls(body + "df = clean(df)") == [
        "Defines `clean`, which filters rows of `d` on `x1` when called, and calls it on `df`"]
    assert _said_with_calls(body + "kept = clean(df)") == [
        "Defines `clean`, which filters rows of `d` on `x1` when called, and calls it on `df` into `kept`"]
    assert _said_with_calls(body) == ["Defines `clean`, which filters rows of `d` on `x1` when called"]


def test_the_hover_and_summary_say_a_function_defined_and_called_in_one_cell_was_called(tmp_path):
    """The same on a real run: the hover's lines (`step_lines`) and the summary's bullet of the cell."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        RESPLIT_CELLS[0], "df = pd.read_csv('data.csv')",
        "def clean(d):\n    return d[d.x1 > 0]\n\ndf = clean(df)\nprint(df.shape)"], db)
    executions = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json",
                                    cwd=tmp_path).stdout)["executions"]
    said = "Defines `clean`, which filters rows of `d` on `x1` when called, and calls it on `df`"
    assert next(e for e in executions if e["cell_index"] == 2)["step_lines"][0] == said, executions
    summary = trackit("summarize", str(notebook), "--db", str(db), cwd=tmp_path)
    assert f"{said} [cell 3]" in summary.stdout, summary.stdout


def test_a_split_written_again_with_the_same_rows_leaves_the_model_fitted_on_it(tmp_path):
    """The same split (seeded) written again after the fit holds the rows the model was fitted on: nothing to say."""
    db = tmp_path / "t.duckdb"
    split = "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)"
    run_notebook(tmp_path, [STALE_MODEL_CELLS[0], STALE_MODEL_CELLS[1], split,
                            "model = LogisticRegression().fit(X_train, y_train)", split,
                            "model.score(X_test, y_test)"], db)
    shown = trackit("show", "E0001", "--db", str(db), cwd=tmp_path).stdout
    assert "model: LogisticRegression" in shown and "#5" in shown, shown  # the second split is in the slice
    assert "fitted on an earlier split" not in shown, shown


# rev16, the bundled titanic demo run twice, the model cell edited from LogisticRegression to RandomForestClassifier:
# the second run's unchanged predict cell read 'Predicted with `model` (`LogisticRegression`)'. The store kept one
# analysis per source sha256, the first run's, while a step's model class comes from the cells before it. The same for
# `model.fit(...)` in a cell of its own, its constructor in the edited cell (rev16 suspected it; rev17 showed it).
MODEL_EDITED_BETWEEN_RUNS = {
    "predict": ("model = LogisticRegression().fit(X_train, y_train)",
                "model = RandomForestClassifier(n_estimators=5, random_state=0).fit(X_train, y_train)",
                "predictions = model.predict(X_test)", "Predicted with `model` (`{}`)"),
    "fit": ("model = LogisticRegression()", "model = RandomForestClassifier(n_estimators=5, random_state=0)",
            "model.fit(X_train, y_train)", "Fitted a `{}` model"),
}


@pytest.mark.parametrize("kind", sorted(MODEL_EDITED_BETWEEN_RUNS))
def test_an_unchanged_cell_names_the_model_class_of_its_own_run(tmp_path, kind):
    """Each run's unchanged cell names the class its own run made; the first run's still names LogisticRegression."""
    first, edited, unchanged, phrase = MODEL_EDITED_BETWEEN_RUNS[kind]
    db = tmp_path / "t.duckdb"
    cells = [RESPLIT_CELLS[0] + "\nfrom sklearn.linear_model import LogisticRegression\n"
             "from sklearn.ensemble import RandomForestClassifier",
             "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y,"
             " random_state=0)",
             first, unchanged]
    run_notebook(tmp_path, cells, db)
    cells[2] = edited
    notebook = run_notebook(tmp_path, cells, db)
    executions = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json",
                                    cwd=tmp_path).stdout)["executions"]
    runs = sorted((e for e in executions if e["cell_index"] == 3), key=lambda e: e["seq"])
    assert len(runs) == 2 and runs[0]["source_sha256"] == runs[1]["source_sha256"], runs
    assert "`LogisticRegression`" in runs[0]["step_lines"][0], runs[0]["step_lines"]
    assert "`RandomForestClassifier`" in runs[1]["step_lines"][0], runs[1]["step_lines"]
    summary = trackit("summarize", str(notebook), "--db", str(db), cwd=tmp_path).stdout
    assert phrase.format("RandomForestClassifier") in summary and phrase.format("LogisticRegression") not in summary, \
        summary


def test_diff_of_a_changed_test_size_says_when_a_model_was_not_refitted_after_it(tmp_path):
    """rev19: two runs of a notebook that splits, fits, then splits again before scoring; between them the second
    split's test_size went 0.2 -> 0.3. `diff "run 1" "run 2"` named `split.test_size` as the cause and said nothing
    else, read as the effect of test_size on a model trained with it: run 2 scored the model fitted on the first split
    (ModelFingerprint.fitted_before), on test rows some of which it was trained on. Run 1's second split, the same
    seeded 0.2 split again, left its model a model of its data: nothing to say of run 1."""
    db = tmp_path / "t.duckdb"
    split = "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size={}, random_state=42)"
    cells = [STALE_MODEL_CELLS[0], STALE_MODEL_CELLS[1], split.format(0.2),
             "model = LogisticRegression().fit(X_train, y_train)", split.format(0.2), "model.score(X_test, y_test)"]
    run_notebook(tmp_path, cells, db)
    cells[4] = split.format(0.3)
    notebook = run_notebook(tmp_path, cells, db)
    for a, b, stale in (("run 1", "run 2", "run 2"), ("E0001", "E0002", "E0002")):
        said = trackit("diff", a, b, "--notebook", str(notebook), "--db", str(db), cwd=tmp_path)
        assert said.returncode == 0, said.stderr
        cause = next(line for line in said.stdout.splitlines() if line.strip().startswith("cause:"))
        assert "split.test_size: 0.2 \u2192 0.3" in cause, said.stdout
        also = next((line for line in said.stdout.splitlines() if line.strip().startswith("also:")), "")
        assert f"{stale}'s model was fitted on an earlier split: #11 split the data again into `X_train` and " \
               "`y_train` after the fit (#10)" in also, said.stdout
        assert "did not move with the change alone" in also and f"{a}'s model" not in also, also
    asked = trackit("ask", str(notebook), "what changed between E0001 and E0002?", "--db", str(db), cwd=tmp_path)
    assert "- Also: E0002's model was fitted on an earlier split" in asked.stdout, asked.stdout


# rev19: rev16 worded a function defined and called in one cell ("Defines `clean`, which ... when called, and calls it
# on `df`") in the hover's lines and the summary; the tree's step labels, the lineage graph's nodes, `trackit ask` and
# `trackit diff` worded the same step without its call, as if the cell had changed nothing. Two runs, the function's
# threshold edited between them; every place reads the one renderer's words.
DEFINED_AND_CALLED = "def clean(d):\n    d = d[d.x1 > {}]\n    return d.dropna()\n\ndf = clean(df)"
# a step's own label says that step; a line about the whole body (tree line, graph, summary) says both of its steps
DEFINES = "Defines `clean`, which filters rows of `d` on `x1`"
CALLED = "when called, and calls it on `df`"


@pytest.fixture(scope="module")
def defined_and_called_runs(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("defined")
    db = folder / "t.duckdb"
    cells = [RESPLIT_CELLS[0] + "\nfrom sklearn.linear_model import LogisticRegression",
             "df = pd.read_csv('data.csv')", DEFINED_AND_CALLED.format(-0.5),
             "X_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, random_state=0)",
             "model = LogisticRegression().fit(X_train, y_train)\nprint('accuracy:', model.score(X_test, y_test))"]
    run_notebook(folder, cells, db)
    cells[2] = DEFINED_AND_CALLED.format(0)
    return run_notebook(folder, cells, db), db


def _tree_step_labels(notebook: Path, db: Path) -> str:
    executions = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json",
                                    cwd=notebook.parent).stdout)["executions"]
    return "\n".join(s.get("label") or "" for e in executions if e["cell_index"] == 2 for s in e["steps"])


def _graph_node_labels(notebook: Path, db: Path) -> str:
    from trackit_sidecar.protocol import ProvenanceParams
    from trackit_sidecar.services import TrackitService
    from trackit_sidecar.config import Settings
    from trackit_sidecar.store import Store

    store = Store.open(str(db), read_only=True)
    try:
        graph = TrackitService(store, Settings(), sources_from_files=True).provenance(
            ProvenanceParams(notebook_uri=notebook.as_uri(), variable="df"))
    finally:
        store.close()
    return "\n".join(node.label for node in graph.nodes if node.kind in ("step", "code"))


def _ask_origin(notebook: Path, db: Path) -> str:
    return trackit("ask", str(notebook), "what produced df?", "--db", str(db), cwd=notebook.parent).stdout


def _diff_step(notebook: Path, db: Path) -> str:
    said = trackit("diff", "E0001", "E0002", "--db", str(db), "--json", cwd=notebook.parent)
    return json.loads(said.stdout)["divergence"]["label"]


@pytest.mark.parametrize("place", [_tree_step_labels, _graph_node_labels, _ask_origin, _diff_step],
                         ids=lambda place: place.__name__.strip("_"))
def test_every_place_says_a_function_defined_and_called_in_one_cell_was_called(defined_and_called_runs, place):
    notebook, db = defined_and_called_runs
    said = place(notebook, db)
    assert DEFINES in said and CALLED in said, said


def test_a_divergence_in_a_called_functions_body_compares_what_the_call_computed(defined_and_called_runs):
    """`diff E0001 E0002` said "no measured data to compare; its code or parameters differ" of the filter in `clean`'s
    body: it compared the body's `d`, never measured, while the kernel measured the `df` the call computed."""
    notebook, db = defined_and_called_runs
    label = _diff_step(notebook, db)
    assert label.startswith(f"{DEFINES} {CALLED} (cell 3 [3], #8): rows "), label
    assert "no measured data" not in label, label


def test_the_summarys_in_short_says_a_function_defined_and_called_was_called(defined_and_called_runs):
    """The summary's bullets said the call (rev16), its "In short" line only "defines `clean` [cell 3]", as if the cell
    prepared nothing, while it filtered `df`."""
    notebook, db = defined_and_called_runs
    summary = trackit("summarize", str(notebook), "--db", str(db), cwd=notebook.parent).stdout
    assert f"{DEFINES} and drops rows with missing values from `d` {CALLED} [cell 3]" in summary, summary
    in_short = next(line for line in summary.splitlines() if line.startswith("In short"))
    assert "defines `clean` and calls it on `df` [cell 3]" in in_short, in_short
