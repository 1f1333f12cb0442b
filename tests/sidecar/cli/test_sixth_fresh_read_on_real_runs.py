"""What a user reads about how two runs compare and what an experiment used is true: statements rev24 left misleading
on real runs of the blind corpus' tuning part (sklearn-videos 07 cross-validation: a linear regression on Advertising
scored by the RMSE of 10 folds, the features edited between runs; gulutu-ml banana: a test file loaded and never
scored), run here small in a real kernel (`trackit run`, the notebook edited between runs)."""

from __future__ import annotations

import json

import pytest

from .test_claims_on_real_runs import IMPORTS, experiments, run_notebook, trackit

ARROW = "\u2192"


def cross_validated_cells(folds: int, printed_features: str) -> list[str]:
    """Cell 3 keeps the folds' RMSEs (their spread is recorded); cell 4 prints only their mean (07's cell 40: none is)."""
    return [
        IMPORTS + "\nimport numpy as np\nfrom sklearn.linear_model import LinearRegression",
        "df = pd.read_csv('data.csv')\nlm = LinearRegression()",
        f"scores = cross_val_score(lm, df[['x1']], df.x2, cv={folds}, scoring='neg_mean_squared_error')\n"
        "rmse_scores = np.sqrt(-scores)\nprint(rmse_scores.mean())",
        f"print(np.sqrt(-cross_val_score(lm, df[{printed_features}], df.x2, cv=10, "
        "scoring='neg_mean_squared_error')).mean())",
    ]


@pytest.fixture(scope="module")
def cross_validated(tmp_path_factory):
    """Run 2 scores cell 3 on 8 folds instead of 10 (its mean RMSE moves far less than its folds spread) and cell 4
    on other features."""
    folder = tmp_path_factory.mktemp("cross_validated")
    db = folder / "t.duckdb"
    run_notebook(folder, cross_validated_cells(10, "['x1', 'y']"), db)
    return run_notebook(folder, cross_validated_cells(8, "['y']"), db), db


def test_a_move_within_the_folds_spread_names_no_better_run(cross_validated):
    """07 cross-validation, `diff "run 2" "run 3"`: "cv_rmse: 1.68 -> 1.691 (+0.012), run 2 better (lower is better)"
    while the folds' RMSEs spread ±0.45. A move within the recorded spread names no better side; a move no spread was
    recorded for says its verdict rests on one evaluation a side."""
    notebook, db = cross_validated
    document = json.loads(trackit("diff", "run 1", "run 2", "--notebook", str(notebook), "--db", str(db), "--json",
                                  cwd=notebook.parent).stdout)
    folds = next(m for m in document["metrics"] if m["cell_index"] == 2 and m["delta"])
    assert folds["noise_source"] == "std" and folds["exceeds_noise"] is False, folds
    printed = next(m for m in document["metrics"] if m["cell_index"] == 3)
    assert printed["delta"] and printed["noise"] is None, printed
    lines = document["text"].splitlines()
    within = next(line for line in lines if line.strip().startswith(f"{folds['name']}:") and "±" in line)
    assert "run 1 better" not in within and "run 2 better" not in within and ", within the spread (±" in within, within
    assert within.endswith("cross-validation folds): neither is better"), within
    alone = next(line for line in lines if line.strip().startswith(f"{printed['name']}:"))
    assert alone.endswith("better (lower is better); no spread recorded: one evaluation each"), alone
    said = trackit("ask", str(notebook), "what changed?", "--db", str(db), cwd=notebook.parent).stdout
    assert "neither is better" in said and "no spread recorded: one evaluation each" in said, said


def test_a_positional_constructor_argument_is_named_in_a_diff(tmp_path):
    """07 cross-validation, n_neighbors edited between runs: `diff` read "model.params.args: [5] → [9]" for
    `KNeighborsClassifier(5)` then `KNeighborsClassifier(9)`. The parameter is named, in the cause and the features."""
    db = tmp_path / "t.duckdb"

    def cells(neighbors: int) -> list[str]:
        return [IMPORTS + "\nfrom sklearn.neighbors import KNeighborsClassifier",
                "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], "
                "df.y, random_state=0)",
                f"knn = KNeighborsClassifier({neighbors}).fit(X_train, y_train)\n"
                "print(metrics.accuracy_score(y_test, knn.predict(X_test)))"]
    run_notebook(tmp_path, cells(5), db)
    notebook = run_notebook(tmp_path, cells(9), db)
    first, second = experiments(notebook, db)
    text = trackit("diff", first["id"], second["id"], "--db", str(db), cwd=tmp_path).stdout
    assert f"cause: a decision changed in cell 3: model.params.n_neighbors: 5 {ARROW} 9" in text, text
    assert "args" not in text, text
    assert second["changed"] == ["model.params.n_neighbors"], second


def test_an_experiment_used_a_column_only_where_the_column_reached_its_result(tmp_path):
    """banana: `ask "which experiments used the column ..."` listed every experiment whose slice had a step naming
    the column, though the step (a filter of the test frame, in the training data's loading cell) wrote a value that
    never reached a result. An experiment used a column where a step of it reached the result, or trained on it."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\nchecked = df[df.x2 > 0]",
        "X_train, X_test, y_train, y_test = train_test_split(df[['x1']], df.y, random_state=0)\n"
        "lr = LogisticRegression().fit(X_train, y_train)\nprint(metrics.accuracy_score(y_test, lr.predict(X_test)))",
        "kept = df[df.x2 > 0]\nX_train, X_test, y_train, y_test = train_test_split(kept[['x1']], kept.y, "
        "random_state=0)\nlr = LogisticRegression().fit(X_train, y_train)\n"
        "print(metrics.accuracy_score(y_test, lr.predict(X_test)))",
    ], db)
    first, filtered = experiments(notebook, db)
    said = trackit("ask", str(notebook), "which experiments used the column x2?", "--db", str(db),
                   cwd=tmp_path).stdout
    listed = [line.split()[1].strip("[]:") for line in said.splitlines() if line.startswith("- [E")]
    assert listed == [filtered["id"]], said
    # through its own filter (cell 4), not the unused one of cell 2
    tree = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json", cwd=tmp_path).stdout)
    loading = next(e["seq"] for e in tree["executions"] if e["cell_index"] == 1)
    assert f"[#{filtered['seq']} filter_rows]" in said and f"[#{loading} filter_rows]" not in said, said


def test_a_load_whose_value_reached_no_result_is_not_among_the_experiments_data_sources(tmp_path):
    """banana: `df_test = pd.read_csv("test.csv")`, read in the training data's cell for the submission alone, was
    in every model's feature tree (`data.sources.df_test`), though rev24 had taken test.csv out of their data. A load
    whose value reaches the result stays (`extra`, joined in)."""
    db = tmp_path / "t.duckdb"
    (tmp_path / "other.csv").write_text("a\n" + "".join(f"{i % 7}\n" for i in range(240)))
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\nsubmission_rows = pd.read_csv('other.csv')",
        "X_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, random_state=0)\n"
        "lr = LogisticRegression().fit(X_train, y_train)\nprint(metrics.accuracy_score(y_test, lr.predict(X_test)))",
        "both = pd.read_csv('data.csv')\nextra = pd.read_csv('other.csv')\nboth = both.join(extra)",
        "B_train, B_test, b_train, b_test = train_test_split(both[['x1', 'a']], both.y, random_state=0)\n"
        "lr2 = LogisticRegression().fit(B_train, b_train)\nprint(metrics.accuracy_score(b_test, lr2.predict(B_test)))",
    ], db)
    alone, joined = experiments(notebook, db)
    sources = {}
    for experiment in (alone, joined):
        shown = json.loads(trackit("show", experiment["id"], "--db", str(db), "--json", cwd=tmp_path).stdout)
        sources[experiment["id"]] = sorted(shown["features"]["data"]["sources"])
    assert sources == {alone["id"]: ["df"], joined["id"]: ["both", "extra"]}, sources
