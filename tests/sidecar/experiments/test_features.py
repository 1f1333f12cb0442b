"""features.py: the decisions of a slice as a tree; feature_diff.py: its hash, and the diff of two trees."""

from __future__ import annotations

from trackit_sidecar.experiments import experiment_model as model_reader
from trackit_sidecar.experiments import feature_diff as fd
from trackit_sidecar.experiments import features as f
from trackit_sidecar.experiments.slice import Slicer


def _tree(notebook, best_params=None):
    doc = notebook.doc()
    return f.build(Slicer(doc.executions).slice(doc.executions[-1].seq), best_params)


def _run_all(notebook, cells, order=None):
    for cell_id in order or cells:
        notebook.run(cell_id, cells[cell_id])


def test_titanic_tree(notebook, titanic):
    _run_all(notebook, titanic)
    tree = _tree(notebook)
    assert tree["data"]["sources"]["passengers"] == {"source": "passengers.csv", "reader": "read_csv"}
    assert tree["preprocessing"]["impute_missing[Age]"]["strategy"] == "median by Sex, Pclass"
    assert tree["split"] == {"function": "train_test_split", "test_size": 0.25, "random_state": 42,
                             "stratify": "y", "outputs": ["X_train", "X_test", "y_train", "y_test"]}
    assert tree["model"] == {"class": "LogisticRegression", "library": "sklearn", "params": {"max_iter": 1000}}
    assert tree["training"]["features"] == ["Pclass", "Age"] and tree["training"]["target"] == "Survived"
    assert "print" not in str(tree["preprocessing"])  # the inspection cell is not in the slice


def test_only_the_changed_decisions_differ(notebook, titanic):
    _run_all(notebook, titanic)
    before = _tree(notebook)
    edited = dict(titanic, c4='df["Age"] = df["Age"].fillna(df["Age"].mean())',
                  c6="model = LogisticRegression(max_iter=1000, C=0.5)\nmodel.fit(X_train, y_train)")
    _run_all(notebook, edited, ["c3", "c4", "c5", "c6", "c7"])
    after = _tree(notebook)
    changes = fd.diff(before, after)
    assert fd.changed_paths(changes) == ["preprocessing.impute_missing[Age]", "model.params.C"]
    strategy = next(c for c in changes if c.path == "preprocessing.impute_missing[Age].strategy")
    assert (strategy.before, strategy.after) == ("median by Sex, Pclass", "mean")
    assert fd.config_hash(before) != fd.config_hash(after)


def test_hash_ignores_formatting_comments_and_restarts(notebook, titanic):
    _run_all(notebook, titanic)
    first = fd.config_hash(_tree(notebook))
    notebook.restart()
    reformatted = dict(titanic, c6="# baseline\nmodel = LogisticRegression( max_iter = 1000 )\nmodel.fit(X_train,y_train)")
    _run_all(notebook, reformatted)
    assert fd.config_hash(_tree(notebook)) == first


def test_pipeline_search_and_constants_across_cells(notebook):
    notebook.run("c1", "from sklearn.pipeline import Pipeline\nfrom sklearn.preprocessing import StandardScaler\n"
                       "from sklearn.linear_model import LogisticRegression\n"
                       "from sklearn.model_selection import GridSearchCV\nC_VALUE = 2.0")
    notebook.run("c2", "pipe = Pipeline([('scale', StandardScaler()), ('clf', LogisticRegression(C=C_VALUE))])")
    notebook.run("c3", "grid = GridSearchCV(pipe, {'clf__C': [0.1, 1, 10]}, cv=5)\ngrid.fit(X_train, y_train)\n"
                       "print(grid.best_score_)")
    tree = _tree(notebook, best_params={"clf__C": 1})
    model = tree["model"]
    assert model["class"] == "GridSearchCV" and model["params"] == {"cv": 5, "param_grid": {"clf__C": [0.1, 1, 10]}}
    assert model["estimator"]["steps"] == [
        {"name": "scale", "class": "StandardScaler", "library": "sklearn", "params": {}},
        {"name": "clf", "class": "LogisticRegression", "library": "sklearn", "params": {"C": 2.0}}]
    assert model["best_params"] == {"clf__C": 1}
    assert "preprocessing" not in tree  # the pipeline's scaler is not a separate step
    assert fd.config_hash(tree) == fd.config_hash(_tree(notebook, best_params={"clf__C": 10}))  # an outcome


def test_filters_imputers_and_cross_validation(notebook):
    notebook.run("c1", "import pandas as pd\nfrom sklearn.impute import SimpleImputer\n"
                       "from sklearn.model_selection import cross_val_score, KFold\n"
                       "from sklearn.ensemble import RandomForestClassifier\ndf = pd.read_csv('d.csv', sep=';')")
    notebook.run("c2", "df = df[df['Fare'] < 500]\nimp = SimpleImputer(strategy='median')\nX = imp.fit_transform(df)")
    notebook.run("c3", "scores = cross_val_score(RandomForestClassifier(n_estimators=50), X, df['y'], "
                       "cv=KFold(5, shuffle=True, random_state=1), scoring='f1')")
    tree = _tree(notebook)
    assert tree["data"]["sources"]["df"]["options"] == {"sep": ";"}
    # the classifier's structured conditions (Step.conditions); the statement itself stays in `expr`
    assert tree["preprocessing"]["filter_rows[Fare]"]["conditions"] == [
        {"column": "Fare", "comparison": "<", "value": 500}]
    assert tree["preprocessing"]["filter_rows[Fare]"]["expr"] == "df[df['Fare'] < 500]"
    assert tree["preprocessing"]["impute_missing(X)"]["strategy"] == {"imputer": "SimpleImputer", "strategy": "median"}
    assert tree["evaluation"]["scoring"] == "f1"
    assert tree["evaluation"]["cv"]["params"] == {"shuffle": True, "random_state": 1, "args": [5]}
    assert tree["model"]["class"] == "RandomForestClassifier" and tree["model"]["params"] == {"n_estimators": 50}


def test_a_cross_validation_on_other_columns_is_a_features_change(notebook):
    """cross_val_score fits the model itself: the columns it was handed are the training features, and a later
    cross-validation in the slice (another cell, fewer columns) is the one its result comes from. `diff` read
    'features changed: none' between a CV on [x1, x2] and one on X[['x1']] (seen in session 14)."""
    notebook.run("c1", "import numpy as np\nimport pandas as pd\nfrom sklearn.linear_model import LinearRegression\n"
                       "from sklearn.model_selection import cross_val_score\ndf = pd.read_csv('data.csv')\n"
                       "X = df[['x1', 'x2']]\ny = df.y")
    notebook.run("c2", "lm = LinearRegression()\n"
                       "scores = cross_val_score(lm, X, y, cv=10, scoring='neg_mean_squared_error')")
    both = _tree(notebook)
    notebook.run("c3", "print(np.sqrt(-cross_val_score(lm, X[['x1']], y, cv=10, "
                       "scoring='neg_mean_squared_error')).mean())")
    one = _tree(notebook)
    assert both["training"] == {"features": ["x1", "x2"], "target": "y"}
    assert one["training"] == {"features": ["x1"], "target": "y"}
    assert [c.path for c in fd.diff(both, one)] == ["training.features"]


def test_structured_step_fields_name_the_evaluated_model_the_split_and_an_unreadable_constructor(notebook):
    notebook.run("c1", "from sklearn.linear_model import LogisticRegression\n"
                       "from sklearn.model_selection import train_test_split\n"
                       "train, test = train_test_split(df, test_size=0.3)")
    notebook.run("c2", "a = LogisticRegression(C=1.0).fit(X, y)\nb = LogisticRegression(C=2.0).fit(X, y)")
    notebook.run("c3", "accuracy = a.score(X_test, y_test)")  # not the last model fitted
    doc = notebook.doc()
    executions = Slicer(doc.executions).slice(doc.executions[-1].seq)
    assert model_reader.model_variable(executions[-1], executions) == "a"  # the score step's Step.model
    tree = f.build(executions, model_variable="a")
    assert tree["model"]["params"] == {"C": 1.0}
    assert tree["split"]["outputs"] == ["train", "test"]  # Step.outputs
    notebook.run("c4", "from sklearn.ensemble import RandomForestClassifier\nm = make_model()\nm.fit(X, y)")
    step = next(s for s in notebook.doc().executions[-1].steps if s.op == "fit_model")
    step = step.model_copy(update={"estimator": "RandomForestClassifier", "params": {"n_estimators": 10}})
    builder = f._Builder()
    builder.step(step, None)  # no constructor in reach: the classifier's estimator and params say it
    assert builder.models["m"] == {"class": "RandomForestClassifier", "params": {"n_estimators": 10}}


def test_diff_reports_added_removed_and_type_changes():
    changes = fd.diff({"a": {"x": 1, "y": 2}, "gone": 1}, {"a": {"x": 1.0, "z": 3}})
    assert [(c.path, c.change) for c in changes] == [
        ("a.x", "changed"), ("a.z", "added"), ("a.y", "removed"), ("gone", "removed")]


def test_a_positional_constructor_argument_is_named_by_its_parameter(notebook, titanic):
    """rev24, sklearn-videos 07: `KNeighborsClassifier(5)` then `(9)` read "model.params.args: [5] → [9]". A
    scikit-learn class's positional arguments are named from its signature (held as data), so the same value by
    keyword or by position is one decision; a class whose parameters are not known keeps them as `args`."""
    from trackit_sidecar.render.diff_values import feature_change_line

    def model_tree(construct):
        _run_all(notebook, dict(titanic, c1=titanic["c1"] + "\nfrom sklearn.neighbors import KNeighborsClassifier\n"
                                "from mylib import Forest", c6=f"model = {construct}\nmodel.fit(X_train, y_train)"))
        return _tree(notebook)

    by_position, by_keyword = model_tree("KNeighborsClassifier(5)"), model_tree("KNeighborsClassifier(n_neighbors=5)")
    assert by_position["model"]["params"] == {"n_neighbors": 5}, by_position["model"]
    assert fd.config_hash(by_position) == fd.config_hash(by_keyword)
    [moved] = fd.diff(by_position, model_tree("KNeighborsClassifier(9, weights='distance')"))[:1]
    assert (moved.path, moved.before, moved.after) == ("model.params.n_neighbors", 5, 9), moved
    own = model_tree("Forest(5)")
    assert own["model"]["params"] == {"args": [5]}, own["model"]
    [changed] = fd.diff(own, model_tree("Forest(9)"))
    assert feature_change_line(changed.path, changed.change, changed.before, changed.after) == \
        "model.params.args[0] (1st positional argument): 5 → 9"


def test_a_load_in_a_functions_body_stays_among_the_data_sources(notebook):
    """rev26: a load written in a function's body writes the function's locals (`d`), not the names later cells read
    (`train`), so whether its value reached the result cannot be told (data_used.files keeps its file). Since the
    sources were filtered by data_used.reached_result (rev25), such a load, the only training data, left data.sources
    empty, and the experiment's config hash moved."""
    from trackit_sidecar.experiments.data_used import DataUsed

    notebook.run("c1", "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
                       "def load():\n    d = pd.read_csv('train.csv')\n    return d.dropna()\ntrain = load()")
    notebook.run("c2", "model = LogisticRegression()\nmodel.fit(train[['a', 'b']], train['y'])\n"
                       "print(model.score(train[['a', 'b']], train['y']))")
    doc = notebook.doc()
    executions = Slicer(doc.executions).slice(doc.executions[-1].seq)
    tree = f.build(executions, used=DataUsed(executions, executions[-1].seq))
    assert tree.get("data", {}).get("sources") == {"d": {"source": "train.csv", "reader": "read_csv"}}, tree


def test_a_model_fitted_and_used_in_one_statement_is_no_variable_of_the_experiment(notebook):
    """`pred = LogisticRegression(C=2.0).fit(X_train, y_train).predict(X_test)` fits a model kept nowhere (sel12): the
    experiment's model variable was `pred`, the predictions (so `pred` was also left out of the data its metric read,
    and the kernel was asked to fingerprint it as a model). Its class and parameters still come from the statement."""
    notebook.run("c1", "from sklearn.linear_model import LogisticRegression\n"
                       "from sklearn.metrics import accuracy_score")
    notebook.run("c2", "pred = LogisticRegression(C=2.0).fit(X_train, y_train).predict(X_test)")
    notebook.run("c3", "accuracy = accuracy_score(y_test, pred)")
    doc = notebook.doc()
    executions = Slicer(doc.executions).slice(doc.executions[-1].seq)
    assert model_reader.model_variable(executions[-1], executions) is None
    assert model_reader.model_questions(executions[1], executions) == []
    tree = f.build(executions, model_variable=None)
    assert (tree["model"]["class"], tree["model"]["params"]) == ("LogisticRegression", {"C": 2.0})
