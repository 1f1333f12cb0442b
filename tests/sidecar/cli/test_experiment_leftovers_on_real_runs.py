"""What `trackit experiments`, `show` and `diff` say of experiments a user meets in tutorials and everyday notebooks
(brief exp25: toy metric calls, a confusion matrix alone, packaged data sets, a prediction threshold, another venv;
exp26: a confusion matrix listed with the experiment it looks at again, packaged data sets named in the table with
their loader's options, one table of packaged data sets for the lineage and the experiments, and in the wording),
each on notebooks run in a real kernel through `trackit run` into a real DuckDB file, as
`test_claims_on_real_runs.py` runs them."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat

from ..recorded_notebook import record_notebook, trackit

IMPORTS = ("from sklearn.linear_model import LogisticRegression\nfrom sklearn.model_selection import train_test_split\n"
           "from sklearn.metrics import accuracy_score, confusion_matrix\n"
           "from sklearn.datasets import load_breast_cancer, load_iris")
SPLIT = ("X, y = load_breast_cancer(return_X_y=True)\n"
         "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)")
FIT = "model = LogisticRegression(max_iter=5000).fit(X_train, y_train)"


def _listed(notebook: Path, db: Path) -> list[dict]:
    listing = trackit("experiments", str(notebook), "--db", str(db), "--json", cwd=notebook.parent)
    assert listing.returncode == 0, listing.stderr
    return json.loads(listing.stdout)["experiments"]


def _said(db: Path, folder: Path, *args: str) -> str:
    done = trackit(*args, "--db", str(db), cwd=folder)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


# ---------------------------------------------------------------- another venv
def _second_venv(folder: Path) -> Path:
    """A venv of its own (another interpreter path) that sees this one's packages through a .pth file, with a
    kernelspec that starts it: what a user who switched venvs between two runs has."""
    venv = folder / "other-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "these-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    spec = folder / "kernels" / "kernels" / "other-venv"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "other venv", "language": "python"}))
    return python


def test_a_run_in_another_venv_says_the_interpreter_changed(tmp_path, monkeypatch):
    """The environment diff listed package versions only: two runs of one notebook, the second in another venv with
    the same packages, read "environment: the same", and the interpreter path changed."""
    db = tmp_path / "t.duckdb"
    cells = [IMPORTS, SPLIT, FIT, "print(accuracy_score(y_test, model.predict(X_test)))"]
    notebook = record_notebook(tmp_path, cells, db)[0]
    other = _second_venv(tmp_path)
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "kernels"))
    done = trackit("run", str(notebook), "--db", str(db), "--kernel", "other-venv", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    said = _said(db, tmp_path, "diff", "E0001", "E0002")
    environment = said.split("\nenvironment:", 1)[1].split("\ngit:", 1)[0]
    assert f"executable: {sys.executable} \u2192 {other}" in environment, said


# ---------------------------------------------------------------- toy metric calls
def test_a_metric_called_on_literal_values_is_no_experiment(tmp_path):
    """A tutorial shows how a metric works on literal lists: `accuracy_score([0, 1, 1], [0, 1, 0])` was experiment
    E0001 (accuracy 0.6667) and the parent of the notebook's real evaluation, which read "changed: data, split, model,
    training" from it."""
    db = tmp_path / "t.duckdb"
    notebook = record_notebook(tmp_path, [
        IMPORTS + "\nimport numpy as np",
        "accuracy_score([0, 1, 1], [0, 1, 0])",
        "print(accuracy_score(y_true=np.array([1, 1, 0]), y_pred=np.array([1, 0, 0])))",
        SPLIT, FIT,
        "accuracy_score(y_test, model.predict(X_test))",
    ], db)[0]
    listed = _listed(notebook, db)
    assert [(e["cell_index"], e["parent"]) for e in listed] == [(5, None)], listed


# ---------------------------------------------------------------- packaged data sets
# seaborn is not installed here and its load_dataset downloads the data: a module of the notebook's folder stands for
# it at that boundary, reading the table from a local file as the real one reads its cached copy
SEABORN = "import pandas as pd\n\n\ndef load_dataset(name):\n    return pd.read_csv(f'{name}.csv')\n"
TIPS = "total_bill,size,big_tip\n" + "".join(f"{10 + i % 37},{1 + i % 5},{int((i * 7) % 11 > 5)}\n" for i in range(120))


def test_data_from_a_packaged_data_set_says_which(tmp_path):
    """`show` said "(no input file recorded)" of data `load_iris()` or `sns.load_dataset(...)` gave, as if the data's
    origin were lost; it is a library's data set, and the loader says which."""
    db = tmp_path / "t.duckdb"
    iris = record_notebook(tmp_path, [
        IMPORTS,
        "iris = load_iris(as_frame=True)\nX_train, X_test, y_train, y_test = train_test_split("
        "iris.frame.drop(columns='target'), iris.frame.target, random_state=0)",
        "model = LogisticRegression(max_iter=500).fit(X_train, y_train)",
        "print(accuracy_score(y_test, model.predict(X_test)))",
    ], db, "iris.ipynb")[0]
    (tmp_path / "seaborn.py").write_text(SEABORN)
    (tmp_path / "tips.csv").write_text(TIPS)
    record_notebook(tmp_path, [
        IMPORTS + "\nimport seaborn as sns",
        "tips = sns.load_dataset('tips')\nX_train, X_test, y_train, y_test = train_test_split("
        "tips[['total_bill', 'size']], tips.big_tip, random_state=0)",
        "model = LogisticRegression().fit(X_train, y_train)",
        "print(accuracy_score(y_test, model.predict(X_test)))",
    ], db, "tips.ipynb")
    assert [e["id"] for e in _listed(iris, db)] == ["E0001"]
    shown = _said(db, tmp_path, "show", "E0001")
    assert "  iris: sklearn.datasets.load_iris(as_frame=True), a data set packaged with scikit-learn (no input file)" \
        in shown, shown
    assert "(no input file recorded)" not in shown, shown
    shown = _said(db, tmp_path, "show", "E0002")
    assert "  tips: seaborn.load_dataset('tips'), an example data set of seaborn (no input file)" in shown, shown


# ---------------------------------------------------------------- predict-time decisions
def test_a_threshold_changed_between_two_runs_is_a_decision_changed(tmp_path):
    """`predict_proba(X)[:, 1] > 0.5`, then `> 0.3` in the next run: `diff` said "features changed: none", both runs
    had one config hash, and the accuracy change was called "within the spread" of two repeats of one configuration."""
    db = tmp_path / "t.duckdb"
    cells = [IMPORTS, SPLIT, FIT,
             "pred = model.predict_proba(X_test)[:, 1] > 0.5\nprint(accuracy_score(y_test, pred))"]
    notebook = record_notebook(tmp_path, cells, db)[0]
    cells[3] = cells[3].replace("0.5", "0.3")
    record_notebook(tmp_path, cells, db)
    first, second = _listed(notebook, db)
    assert first["config_sha256"] != second["config_sha256"], (first, second)
    said = _said(db, tmp_path, "diff", "E0001", "E0002")
    assert "cause: a decision changed in cell 4: prediction.pred.threshold: 0.5 \u2192 0.3" in said, said
    assert "features changed: none" not in said and "within the spread" not in said, said


# ---------------------------------------------------------------- a confusion matrix alone
def test_a_confusion_matrix_alone_says_the_matrix_is_its_result(tmp_path):
    """A cell that only shows `confusion_matrix(y_test, pred)` is an experiment (the model's predictions evaluated on
    the test data) whose result is the matrix: `show` said "metrics: (none recorded)", as if a result were lost."""
    db = tmp_path / "t.duckdb"
    notebook = record_notebook(tmp_path, [IMPORTS, SPLIT, FIT + "\npred = model.predict(X_test)",
                                          "confusion_matrix(y_test, pred)"], db)[0]
    assert [e["cell_index"] for e in _listed(notebook, db)] == [3]
    shown = _said(db, tmp_path, "show", "E0001")
    metrics = shown.split("\nmetrics:\n", 1)[1].split("\nchanges:", 1)[0]
    assert metrics == "  (no score: its result is the table confusion_matrix gave, in cell 4's output)", shown


def test_a_confusion_matrix_of_scored_predictions_is_no_second_experiment(tmp_path):
    """`confusion_matrix(y_test, pred)` after `accuracy_score(y_test, pred)` looks at the same result again: it was a
    second experiment with no metric, whose only "change" from the first was `evaluation.functions: [accuracy_score]
    → [confusion_matrix]`. Predictions made again after it (another model) and shown as a matrix alone are new."""
    db = tmp_path / "t.duckdb"
    notebook = record_notebook(tmp_path, [
        IMPORTS, SPLIT, FIT + "\npred = model.predict(X_test)",
        "accuracy_score(y_test, pred)",
        "confusion_matrix(y_test, pred)",
        "pred = LogisticRegression(C=0.01, max_iter=5000).fit(X_train, y_train).predict(X_test)",
        "confusion_matrix(y_test, pred)",
    ], db)[0]
    assert [e["cell_index"] for e in _listed(notebook, db)] == [3, 6]


def test_a_confusion_matrix_of_scored_predictions_is_listed_with_the_experiment_it_looks_at(tmp_path):
    """The matrix of what E0001 scored is no experiment of its own (exp25), but `show E0001` did not say it was
    looked at: the user's matrix was in no experiment at all."""
    db = tmp_path / "t.duckdb"
    notebook = record_notebook(tmp_path, [
        IMPORTS, SPLIT, FIT + "\npred = model.predict(X_test)",
        "accuracy_score(y_test, pred)",
        "confusion_matrix(y_test, pred)",
    ], db)[0]
    listed = _listed(notebook, db)
    assert [(e["id"], e["cell_index"]) for e in listed] == [("E0001", 3)], listed
    assert [(look["cell_index"], look["functions"]) for look in listed[0]["also_looked_at"]] == \
        [(4, ["confusion_matrix"])], listed
    shown = _said(db, tmp_path, "show", "E0001")
    assert "\nalso looked at: confusion_matrix in cell 5\n" in shown, shown


def test_packaged_data_is_named_in_the_table_with_its_loader_options_in_show(tmp_path):
    """The `experiments` table's data column said "-" of data `load_iris` gave (only files have revisions), and
    `show` named the loader without its options (`return_X_y=True`: arrays, not the table `as_frame=True` gives)."""
    db = tmp_path / "t.duckdb"
    notebook = record_notebook(tmp_path, [
        IMPORTS,
        "X, y = load_iris(return_X_y=True, as_frame=True)\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)",
        "model = LogisticRegression(max_iter=500).fit(X_train, y_train)",
        "print(accuracy_score(y_test, model.predict(X_test)))",
    ], db)[0]
    assert [e["packaged_data_sets"] for e in _listed(notebook, db)] == [["iris (scikit-learn)"]]
    table = _said(db, tmp_path, "experiments", str(notebook)).splitlines()
    header, row = table[0], table[1]
    assert row[header.index("data"):].split()[:2] == ["iris", "(scikit-learn)"], table
    shown = _said(db, tmp_path, "show", "E0001")
    assert "  X: sklearn.datasets.load_iris(return_X_y=True, as_frame=True), a data set packaged with scikit-learn " \
           "(no input file)" in shown, shown


# statsmodels is not installed here: a package of the notebook's folder stands for it, with the layout of the real one
# (`statsmodels.api.datasets.fair.load_pandas().data`), reading the table from a local file
STATSMODELS = {
    "statsmodels/__init__.py": "",
    "statsmodels/api.py": "from . import datasets\n",
    "statsmodels/datasets/__init__.py": "from . import fair\n",
    "statsmodels/datasets/fair.py": ("import types\nimport pandas as pd\n\n\ndef load_pandas():\n"
                                     "    return types.SimpleNamespace(data=pd.read_csv('fair.csv'))\n"),
    "fair.csv": "rate_marriage,age,affairs\n" + "".join(f"{1 + i % 5},{20 + i % 30},{int(i % 7 > 3)}\n"
                                                         for i in range(150)),
}


def test_a_packaged_data_set_the_lineage_loads_is_one_the_experiments_name(tmp_path):
    """The lineage and the experiments each kept a list of packaged data sets: `sm.datasets.fair.load_pandas()` was
    a load of a packaged data set to the lineage, and "(no input file recorded)" to `show` (its list knew
    `statsmodels.datasets.` only). One table now: both say it."""
    db = tmp_path / "t.duckdb"
    for name, text in STATSMODELS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    notebook = record_notebook(tmp_path, [
        IMPORTS + "\nimport statsmodels.api as sm",
        "fair = sm.datasets.fair.load_pandas().data\nX_train, X_test, y_train, y_test = train_test_split("
        "fair[['rate_marriage', 'age']], fair.affairs, random_state=0)",
        "model = LogisticRegression().fit(X_train, y_train)",
        "print(accuracy_score(y_test, model.predict(X_test)))",
    ], db)[0]
    shown = _said(db, tmp_path, "show", "E0001")
    assert "  fair: statsmodels.api.datasets.fair.load_pandas(), a data set packaged with statsmodels (no input file)" \
        in shown, shown
    lineage = json.loads(_said(db, tmp_path, "lineage", str(notebook), "--json"))
    loads = [(s["method"], s.get("packaged_by")) for e in lineage["executions"] for s in e["steps"] if s["op"] == "load"]
    assert loads == [("load_pandas", "statsmodels")], loads


def test_the_summary_says_which_packaged_data_set_was_loaded(tmp_path):
    """The summary and the tree said "Created `iris` with `load_iris`", as of data made in the notebook; a file's load
    says what was loaded and into what, and so does a packaged data set's now."""
    db = tmp_path / "t.duckdb"
    notebook = record_notebook(tmp_path, [IMPORTS, "iris = load_iris(as_frame=True)\niris.frame.shape"], db)[0]
    said = _said(db, tmp_path, "summarize", str(notebook))
    assert "Loaded scikit-learn's iris data set into `iris`" in said, said
    assert "with `load_iris`" not in said, said
