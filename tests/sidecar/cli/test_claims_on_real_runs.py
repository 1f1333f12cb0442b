"""What `trackit` says about notebooks it ran in a real kernel (`trackit run`: real ipykernel, real DuckDB file) is
true: each test is a claim an auditor would read (a metric, what changed, a cause, a file) and was found false on a
real notebook of the blind corpus (rev11's review: /work/briefs/reports/rev11-final.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..recorded_notebook import record_notebook, trackit

DATA = "x1,x2,y\n" + "".join(
    f"{(i * 37 % 101) / 50 - 1:.3f},{(i * 53 % 97) / 48 - 1:.3f},{int(((i * 37 % 101) / 50 - 1) + 0.4 * ((i * 53 % 97) / 48 - 1) + ((i * 71 % 89) / 89 - 0.5) > 0)}\n"
    for i in range(240))
IMPORTS = ("import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
           "from sklearn.model_selection import train_test_split, cross_val_score\n"
           "from sklearn import metrics")
# One notebook of three cells, run once per model of THREE_MODELS: the model cell changes between the runs, as a user
# editing it would (E0001, E0002 with C=0.3, E0003 a KNN).
MODEL_CELLS = [
    IMPORTS + "\nimport numpy as np\nfrom sklearn.neighbors import KNeighborsClassifier\n"
    "from sklearn.pipeline import make_pipeline\nfrom sklearn.preprocessing import StandardScaler",
    "df = pd.read_csv('data.csv')\n"
    "X_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df['y'], random_state=0)",
    "model = {model}\nmodel.fit(X_train, y_train)\n"
    "print('accuracy:', metrics.accuracy_score(y_test, model.predict(X_test)))",
]
THREE_MODELS = ("LogisticRegression(solver='liblinear')", "LogisticRegression(solver='liblinear', C=0.3)",
                "KNeighborsClassifier(n_neighbors=7)")


def run_notebook(folder: Path, cells: list[str], db: Path, name: str = "nb.ipynb") -> Path:
    """Write the notebook and its data, and run it top to bottom in a fresh kernel, as a user would."""
    (folder / "data.csv").write_text(DATA)
    return record_notebook(folder, cells, db, name)[0]


def experiments(notebook: Path, db: Path) -> list[dict]:
    listing = trackit("experiments", str(notebook), "--db", str(db), "--json", cwd=notebook.parent)
    assert listing.returncode == 0, listing.stderr
    return json.loads(listing.stdout)["experiments"]


def test_a_roc_curve_is_no_score_of_the_model(tmp_path):
    """sklearn-videos 09: `fpr, tpr, thresholds = metrics.roc_curve(...)` became an experiment whose primary metric
    was "score 0.3154 ±0.26 (n=74)", higher is better: the mean of the false positive rates."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
        "random_state=0)",
        "logreg = LogisticRegression().fit(X_train, y_train)\ny_prob = logreg.predict_proba(X_test)[:, 1]",
        "print(metrics.accuracy_score(y_test, logreg.predict(X_test)))",
        "fpr, tpr, thresholds = metrics.roc_curve(y_test, y_prob)",
        "print(metrics.roc_auc_score(y_test, y_prob))",
    ], db)
    found = {e["cell_index"]: (e["primary_metric"] or {}).get("name") for e in experiments(notebook, db)}
    assert found.get(3) == "accuracy" and found.get(5) == "roc_auc", found
    assert found.get(4) is None, found  # the curve's cell measured no metric


def test_the_features_a_split_is_given_are_a_decision_and_other_features_are_no_repeat(tmp_path):
    """A user drops a feature in the split cell (`df[['x1', 'x2']]` -> `df[['x1']]`) and runs again: the experiment
    said "(no decision changed)", both had one config hash, so the drop in accuracy was called "within the noise"
    of "repeated evaluations" that were evaluations of other features."""
    db = tmp_path / "t.duckdb"
    split = "X_train, X_test, y_train, y_test = train_test_split(df[{}], df.y, test_size=0.25, random_state=42)"
    cells = [IMPORTS, "df = pd.read_csv('data.csv')", split.format("['x1', 'x2']"),
             "model = LogisticRegression().fit(X_train, y_train)",
             "acc = metrics.accuracy_score(y_test, model.predict(X_test))\nprint(f'accuracy: {acc:.4f}')"]
    notebook = run_notebook(tmp_path, cells, db)
    cells[2] = split.format("['x1']")
    run_notebook(tmp_path, cells, db)
    run_notebook(tmp_path, cells, db)  # the same decisions again: a true repeat of the second run
    listed = experiments(notebook, db)
    assert len(listed) == 3, listed
    assert listed[0]["config_sha256"] != listed[1]["config_sha256"] == listed[2]["config_sha256"]
    shown = trackit("show", "E0002", "--db", str(db), cwd=tmp_path).stdout
    assert "training.features: [x1, x2] \u2192 [x1]" in shown, shown
    diff = json.loads(trackit("diff", "E0001", "E0002", "--db", str(db), "--json", cwd=tmp_path).stdout)
    accuracy = next(m for m in diff["metrics"] if m["name"] == "accuracy")
    # the noise is measured on the true repeats only: E0001 alone, E0002 and E0003 (before: all three, twice)
    assert (accuracy["noise_source"], accuracy["repeats"]) == ("repeats", 3), accuracy


def test_a_cell_outside_the_other_slice_is_not_called_an_edit(tmp_path):
    """sklearn-videos 09, `trackit diff E0001 E0012`: the accuracy cell's prediction cell is not in the slice of a
    later cross-validation cell of the same run; the cause read "the code of cell 14 changed", and it had not."""
    db = tmp_path / "t.duckdb"
    run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\nX = df[['x1', 'x2']]\ny = df.y\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)",
        "logreg = LogisticRegression().fit(X_train, y_train)",
        "y_pred = logreg.predict(X_test)",
        "print(metrics.accuracy_score(y_test, y_pred))",
        "cross_val_score(logreg, X, y, cv=5, scoring='roc_auc').mean()",
    ], db)
    shown = trackit("diff", "E0001", "E0002", "--db", str(db), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "the code of cell" not in shown.stdout, shown.stdout
    assert "cause: cell 4 ran only in E0001" in shown.stdout, shown.stdout


def test_a_path_computed_by_code_is_not_reported_as_a_missing_file(tmp_path):
    """`pd.read_csv(os.path.join('.', 'data.csv'))` read the file, and the tree said
    "input /…/os.path.join('.', 'data.csv'): file not found": the code's text taken for a path."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        "import os\nimport pandas as pd\ndf = pd.read_csv(os.path.join('.', 'data.csv'))",
        "name = 'data'\ndf2 = pd.read_csv(f'{name}.csv')",
        "df3 = pd.read_csv('data.csv')",
    ], db)
    tree = trackit("lineage", str(notebook), "--db", str(db), cwd=tmp_path).stdout
    assert "file not found" not in tree, tree
    assert "Loaded `data.csv` (" in tree and "sha256" in tree, tree  # a literal path is still hashed


def test_a_path_held_in_a_variable_is_the_experiments_data_revision(tmp_path):
    """sklearn-videos 09: `path = 'data/pima-indians-diabetes.data'` then `pd.read_csv(path, ...)`: the tree said
    "Loaded `path` into `pima`", `show` said "(no input file recorded)" and the experiments table "data -"."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "path = 'data.csv'\ndf = pd.read_csv(path)\n"
        "X_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, random_state=0)",
        "model = LogisticRegression().fit(X_train, y_train)\nprint(metrics.accuracy_score(y_test, "
        "model.predict(X_test)))",
    ], db)
    (listed,) = experiments(notebook, db)
    assert listed["datasets"], listed


def test_a_path_bound_in_an_earlier_cell_is_the_experiments_data_revision(tmp_path):
    """The same with the path set in a cell of its own (`DATA = 'data.csv'` at the top of a notebook, read later)."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS + "\nDATA = 'data.csv'",
        "df = pd.read_csv(DATA)\n"
        "X_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, random_state=0)",
        "model = LogisticRegression().fit(X_train, y_train)\nprint(metrics.accuracy_score(y_test, "
        "model.predict(X_test)))",
    ], db)
    (listed,) = experiments(notebook, db)
    assert [d.rsplit("/", 1)[-1] for d in listed["datasets"]] == ["data.csv@D0001"], listed


def test_the_summary_cites_for_what_it_prepared_only_the_cells_that_kept_it(tmp_path):
    """pandas-videos merge: "In short, it ... prepares `movie_ratings` and `movies` [cells 21, 29, 31, 34, 37, 44,
    46, 48, 50]": cells 44-50 only show `pd.merge(A, B, how=...)` and prepare neither."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        "import pandas as pd\nA = pd.DataFrame({'color': ['green', 'red'], 'num': [1, 2]})\n"
        "B = pd.DataFrame({'color': ['green', 'pink'], 'size': ['S', 'L']})",
        "AB = pd.merge(A, B)",
        "pd.merge(A, B, how='outer')",
    ], db)
    summary = trackit("summarize", str(notebook), "--db", str(db), cwd=tmp_path)
    assert summary.returncode == 0, summary.stderr
    in_short = next(line for line in summary.stdout.splitlines() if line.startswith("In short"))
    assert "prepares `AB` [cell 2]" in in_short, in_short
    assert "without keeping the result [cell 3]" in in_short, in_short
