"""What a user reads about a real run of a cleaning-and-modelling notebook is true and said once: statements rev27
found false or awkward on pydata-book ch12's Titanic part (tuning: the median of `Age` filled into `train` and `test`,
`IsFemale` encoded, `X_train` and `X_test` made in one cell, a logistic regression cross-validated on `X_train`) and
on the bundled example (a fill that found no gap), run here small in a real kernel (`trackit run`, edited between
runs)."""

from __future__ import annotations

import json

import pytest

from .test_claims_on_real_runs import IMPORTS, experiments, run_notebook, trackit


def lineage_lines(notebook, db) -> list[str]:
    return [line.strip(" │├└─") for line in trackit("lineage", str(notebook), "--db", str(db),
                                                     cwd=notebook.parent).stdout.splitlines()]


def test_a_fill_that_found_no_gap_names_its_column_and_says_so_once(tmp_path):
    """Bundled example, cell 20: "Filled no missing value with `df["Fare"] = df["Fare"].fillna(df["Fare"].median())`:
    889 rows (unchanged); no missing values to fill" quoted the statement instead of naming the column, and said there
    was nothing to fill twice. A fill that left gaps it was to fill names its column too, and says how many were left."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')",
        "df['x1'] = df['x1'].fillna(df['x1'].median())",
        "gaps = df.copy()\ngaps.loc[:2, 'x2'] = None",
        "gaps['x2'].fillna(0, inplace=True)",  # pandas 3: the chained in-place fill fills a copy
    ], db)
    lines = lineage_lines(notebook, db)
    assert "Found no missing value to fill in `x1` of `df`: 240 rows (unchanged)" in lines, lines
    assert not [line for line in lines if "no missing values to fill" in line or "fillna(df" in line], lines
    import pandas as pd
    if int(pd.__version__.split(".")[0]) >= 3:
        assert "Filled no missing value in `x2` of `gaps`: 240 rows (unchanged); missing values 3 (unchanged)" in lines


def test_a_fill_in_a_table_that_keeps_other_gaps_says_how_many_its_columns_had(tmp_path):
    """ch12: "Filled missing values in `Age` of `train`: 891 rows (unchanged); missing values 866 → 689" read as if
    `Age` had had 866: the count is the table's (`Cabin` keeps 687). The columns the fill emptied are counted too."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\ndf.loc[:2, 'x2'] = None\ndf.loc[:1, 'x1'] = None",
        "df['x2'] = df['x2'].fillna(df['x2'].median())",
        "df = df.fillna(0)",  # no gap left: the total says it all
    ], db)
    lines = lineage_lines(notebook, db)
    assert ("Filled missing values in `x2` of `df` with the median: 240 rows (unchanged); missing values 5 \u2192 2 "
            "(`x2` 3 \u2192 0)") in lines, lines
    assert "Filled missing values of `df`: 240 rows (unchanged); missing values 2 \u2192 0" in lines, lines


@pytest.fixture(scope="module")
def titanic_like(tmp_path_factory):
    """ch12's shape: two files loaded in one cell, both filled and encoded, `X_train` and `X_test` made in one cell,
    the model cross-validated on `X_train` alone. Run 2 edits only the test frame's fill: the score cannot move."""
    folder = tmp_path_factory.mktemp("titanic_like")
    (folder / "other.csv").write_text("x1,x2\n" + "".join(f"{i % 7 / 7:.3f},\n" for i in range(60)))
    db = folder / "t.duckdb"

    def cells(test_fill: str) -> list[str]:
        return [IMPORTS,
                "train = pd.read_csv('data.csv')\ntest = pd.read_csv('other.csv')",
                f"fill = train['x2'].median()\ntrain['x2'] = train['x2'].fillna(fill)\n"
                f"test['x2'] = test['x2'].fillna({test_fill})",
                "train['big'] = (train['x1'] > 0).astype(int)\ntest['big'] = (test['x1'] > 0).astype(int)",
                "predictors = ['x1', 'x2', 'big']\nX_train = train[predictors].to_numpy()\n"
                "X_test = test[predictors].to_numpy()\ny_train = train['y'].to_numpy()",
                "scores = cross_val_score(LogisticRegression(), X_train, y_train, cv=4)\nscores"]
    run_notebook(folder, cells("fill"), db)
    return run_notebook(folder, cells("0"), db), db


def test_a_file_read_only_into_frames_the_result_never_read_is_not_its_data(titanic_like):
    """ch12: `experiments` listed "train.csv@D0001, test.csv@D0001" as the data of a cross-validation that read
    `X_train` alone: `X_test` was made from `test` in the same cell, and a later cell reading `test` carried test.csv
    into every experiment. A file is the data of a result its load's value reached, walked back from the result."""
    notebook, db = titanic_like
    for experiment in experiments(notebook, db):
        assert [d.split("@")[0].rsplit("/", 1)[-1] for d in experiment["datasets"]] == ["data.csv"], experiment
        shown = json.loads(trackit("show", experiment["id"], "--db", str(db), "--json", cwd=notebook.parent).stdout)
        assert sorted(shown["features"]["data"]["sources"]) == ["train"], shown["features"]["data"]


def test_a_metric_that_did_not_move_is_not_called_other_when_none_moved(titanic_like):
    """ch12, run 1 → run 2 with only C edited: `diff` said "1 other metric equal" and `ask "what changed?"` "cv_score
    did not move in the 1 other experiment both runs made", though no metric was said before either."""
    notebook, db = titanic_like
    text = trackit("diff", "run 1", "run 2", "--notebook", str(notebook), "--db", str(db),
                   cwd=notebook.parent).stdout
    metrics = text.split("metrics:\n", 1)[1].splitlines()[0].strip()
    assert metrics.startswith("cv_score equal: ") and metrics.endswith(" in both"), text
    said = trackit("ask", str(notebook), "what changed?", "--db", str(db), cwd=notebook.parent).stdout
    assert "did not move in the experiment both runs made (E0001 \u2192 E0002)" in said, said
    assert " other " not in said, said


def test_the_best_of_experiments_that_scored_the_same_is_said_to_be_a_tie(titanic_like):
    """ch12, C=10 then C=1, both cross-validated to the same 0.7845: `ask "what is the best experiment?"` named E0002
    alone as the best. The experiments it is tied with are named."""
    notebook, db = titanic_like
    first, second = experiments(notebook, db)
    assert first["primary_metric"]["value"] == second["primary_metric"]["value"], (first, second)
    said = trackit("ask", str(notebook), "what is the best experiment?", "--db", str(db), cwd=notebook.parent).stdout
    best = next(line for line in said.splitlines() if line.startswith("The best"))
    other = first["id"] if f"[{second['id']}]" in best.split(":")[0] else second["id"]
    assert best.endswith(f"; {other} scored exactly the same: a tie."), said
