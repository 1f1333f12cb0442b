"""A decision inside a composite model (a pipeline's step, a feature union's member) is named where it is, in the
experiments table, the diff's features and its cause: `PCA(1)` → `PCA(2)` in a FeatureUnion cross-validated in a
Pipeline read "model.steps: [{'name': 'union', ... 'steps': [\"[('pca', PCA(1)), ('k..." → the same cut at the same
place, the union's members one string, and the cause "the code of cell 2 changed (no recorded decision names it)".
Run in a real kernel (`trackit run`: real ipykernel, real DuckDB file), edited between the runs."""

from __future__ import annotations

import json

import pytest

from .test_claims_on_real_runs import experiments, run_notebook, trackit

IMPORTS = ("import pandas as pd\nfrom sklearn.pipeline import Pipeline, FeatureUnion\n"
           "from sklearn.decomposition import PCA\nfrom sklearn.feature_selection import SelectKBest\n"
           "from sklearn.linear_model import LogisticRegression\nfrom sklearn.model_selection import cross_val_score")
LOAD = "df = pd.read_csv('data.csv')\nX = df[['x1', 'x2']]\ny = df['y']"
SCORE = ("pipe = Pipeline([('union', FeatureUnion({members})), ('clf', LogisticRegression())])\n"
         "scores = cross_val_score(pipe, X, y, cv=3)")


def _members(n_components: int, keyword: bool = False) -> str:
    members = f"[('pca', PCA({n_components})), ('kbest', SelectKBest(k=1))]"
    return f"transformer_list={members}" if keyword else members


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("members")
    db = folder / "t.duckdb"
    for members in (_members(1), _members(2), _members(2, keyword=True)):
        notebook = run_notebook(folder, [IMPORTS, LOAD, SCORE.format(members=members)], db)
    return notebook, db


def test_a_member_of_a_feature_union_changed_is_named_with_its_parameter(three_runs):
    notebook, db = three_runs
    shown = trackit("diff", "E0001", "E0002", "--db", str(db), cwd=notebook.parent)
    assert shown.returncode == 0, shown.stderr
    cause = shown.stdout.split("cause: ")[1].split("\n")[0]
    assert cause == "a decision changed in cell 3: model.steps[union].steps[pca].params.n_components: 1 → 2", shown.stdout
    features = shown.stdout.split("features changed")[1].split("code changed")[0]
    assert "n_components: 1 → 2" in features and "kbest" not in features and "..." not in features, shown.stdout
    assert experiments(notebook, db)[1]["changed"] == ["model.steps[union].steps[pca]"]


def test_a_feature_unions_members_given_by_keyword_are_the_same_decision(three_runs):
    """`FeatureUnion(transformer_list=[...])` is `FeatureUnion([...])`: the same members, nothing changed."""
    notebook, db = three_runs
    rows = experiments(notebook, db)
    assert rows[2]["parent"] == "E0002" and rows[2]["changed"] == [], rows


SEARCH = ("from sklearn.model_selection import GridSearchCV\n"
          "search = GridSearchCV(LogisticRegression(), {{'C': {grid}}}, cv=3).fit(X, y)\n"
          "print('best_score:', search.best_score_)")


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search")
    db = folder / "t.duckdb"
    for grid in ("[0.001, 0.002]", "[1.0, 2.0]"):
        notebook = run_notebook(folder, [IMPORTS, LOAD, SEARCH.format(grid=grid)], db)
    return notebook, db


def test_what_a_search_found_is_no_decision(searched):
    """gulutu-ml chili, its ridge grid edited: "cause: a decision changed in cell 69: ...param_grid...; model.best_params
    .regressor__alpha: 0.01 → 0.1", what the search found named as a decision; a hypothesis linked to it counted it as a
    second change. The diff's features still list it."""
    notebook, db = searched
    said = trackit("diff", "E0001", "E0002", "--db", str(db), cwd=notebook.parent).stdout
    cause = said.split("cause: ")[1].split("\n")[0]
    assert cause.startswith("a decision changed in cell 3: model.params.param_grid.C:") and "best_params" not in cause, said
    assert "best_params" in said.split("features changed")[1], said
    trackit("hypothesis", "add", "a larger C helps", "--metric", "best_score", "--db", str(db), cwd=notebook.parent)
    linked = trackit("hypothesis", "link", "H1", "E0002", "--json", "--db", str(db), cwd=notebook.parent)
    assert "several_changes" not in json.loads(linked.stdout)["evidence"][0]["reasons"], linked.stdout


TWO_MODELS = [
    IMPORTS + "\nfrom sklearn.model_selection import GridSearchCV",
    LOAD,
    "grid = {{'C': {grid}}}\nsearch = GridSearchCV(LogisticRegression(), grid, cv=3).fit(X, y)\n"
    "print('best_score:', search.best_score_)",
    "lr = LogisticRegression(C=1.0).fit(X, y)\nprint('accuracy:', lr.score(X, y))",
]


def test_a_run_diff_compares_every_scored_models_fit(tmp_path):
    """gulutu-ml chili, its ridge grid edited, `diff "run 1" "run 2"`: "No step diverged: the 32 steps both ran agree"
    beside a moved ridge_best_mae_log. A run's side held only its last experiment's model, so the ridge search's fit
    (nothing measured, its statement unchanged: the grid is a variable) was compared with nothing."""
    db = tmp_path / "t.duckdb"
    for grid in ("[0.001, 0.002]", "[1.0, 2.0]"):
        notebook = run_notebook(tmp_path, [cell.format(grid=grid) for cell in TWO_MODELS], db)
    said = trackit("diff", "run 1", "run 2", "--notebook", str(notebook), "--db", str(db), cwd=tmp_path).stdout
    divergent = said.split("first divergent step")[1].split("\n")
    assert "as `search`" in divergent[1] and "the fitted model differs" in divergent[1], said
    assert divergent[2].strip().startswith("cause: a decision changed in cell 3: model.params.param_grid.C:"), said
