"""A model's parameters handed over as `**params` (a dict written in the notebook) are its decisions like any
written out: causal-handbook 17, `GradientBoostingRegressor(**model_params)` with `max_depth` 4 -> 3, read "features
changed: none" and "cause: the code of cell 23 changed (no recorded decision names it)", and the two experiments,
taken for the same decisions, for repeats of each other ("within the spread ... from 4 repeated evaluations"). Run in
a real kernel (`trackit run`: real ipykernel, real DuckDB file), edited between the runs."""

from __future__ import annotations

from .test_claims_on_real_runs import IMPORTS, experiments, run_notebook, trackit

CELLS = [
    IMPORTS,
    "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df['y'], "
    "random_state=0)",
    "model_params = {{'C': {c}, 'max_iter': 200}}\nmodel = LogisticRegression(**model_params).fit(X_train, y_train)\n"
    "print('accuracy:', metrics.accuracy_score(y_test, model.predict(X_test)))",
]


def test_parameters_spread_from_a_dict_are_decisions(tmp_path):
    db = tmp_path / "t.duckdb"
    for c in (1.0, 0.01):
        notebook = run_notebook(tmp_path, [cell.format(c=c) for cell in CELLS], db)
    said = trackit("diff", "E0001", "E0002", "--db", str(db), cwd=tmp_path).stdout
    assert "cause: a decision changed in cell 3: model.params.C: 1 → 0.01" in said, said
    assert "repeated evaluations" not in said, said
    assert experiments(notebook, db)[1]["changed"] == ["model.params.C"]


def test_two_repeats_of_the_same_decisions_are_two_evaluations(tmp_path):
    """The same cells run twice, the split unseeded (the global seed, set in a cell of its own, differs): the diff said
    "within the spread (..., from 4 repeated evaluations)" of two experiments, each side's pool counted again as the
    other's."""
    db = tmp_path / "t.duckdb"
    for seed in (1, 2):
        notebook = run_notebook(tmp_path, [
            IMPORTS, f"import numpy as np\nnp.random.seed({seed})",
            "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], "
            "df['y'])", CELLS[2].format(c=1.0)], db)
    said = trackit("diff", "E0001", "E0002", "--db", str(db), cwd=tmp_path).stdout
    accuracy = next(line for line in said.splitlines() if line.strip().startswith("accuracy:"))
    assert "within the spread" in accuracy and "from 2 repeated evaluations" in accuracy, said
