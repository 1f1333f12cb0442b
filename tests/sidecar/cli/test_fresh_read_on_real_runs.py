"""What a user reads of real runs is true: each test is an output found false or misleading when rev19 ran notebooks of
the blind corpus twice in a real kernel (`trackit run`, an edit between) and read every command's output, the way
`test_claims_on_real_runs.py` runs them."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from .test_claims_on_real_runs import IMPORTS, run_notebook, trackit


def test_a_failed_cell_whose_message_starts_with_a_newline_says_its_error(tmp_path):
    """gulutu-ml chili, cell 69: a GridSearchCV whose 20 fits all failed raises "ValueError: \\nAll the 20 fits
    failed. ..."; `trackit run` and the `trackit lineage` tree printed "ValueError: " and nothing else (the message's
    first line, empty), the hover the same through its own code."""
    db = tmp_path / "t.duckdb"
    notebook = tmp_path / "nb.ipynb"
    written = nbformat.v4.new_notebook()
    written.cells = [nbformat.v4.new_code_cell(IMPORTS, id="c0"), nbformat.v4.new_code_cell(
        "raise ValueError('\\nAll the 20 fits failed.\\nIt is very likely ...')", id="c1")]
    nbformat.write(written, str(notebook))
    ran = trackit("run", str(notebook), "--db", str(db), cwd=tmp_path)
    assert ran.returncode == 1 and "ValueError: All the 20 fits failed." in ran.stdout, ran.stdout
    tree = trackit("lineage", str(notebook), "--db", str(db), cwd=tmp_path).stdout
    assert "ValueError: All the 20 fits failed." in tree, tree
    executions = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json", cwd=tmp_path).stdout)
    from trackit_sidecar import protocol as p
    from trackit_sidecar.render.hover import build_annotation

    doc = p.LineageDocument.model_validate(executions)
    hover = build_annotation(doc, doc.executions[-1].cell_id).markdown
    assert "`ValueError`: All the 20 fits failed." in hover, hover


def test_an_accuracy_names_the_model_whose_predictions_it_scored(tmp_path):
    """gulutu-ml chili, cells 77-85: a classifier's search and a regressor's fitted in one cell, both predicting in the
    next (`cv_preds_binary = clf_search_c.predict(X_test)`, then `reg_search_c.predict(...)`), and
    `accuracy_score(y_test_binary, cv_preds_binary)` later: `show` gave the accuracy's model as the regressor's search
    (the slice's last predict), its params, best_params and best_score, and the kernel's fingerprint of it."""
    db = tmp_path / "t.duckdb"
    run_notebook(tmp_path, [
        IMPORTS + "\nfrom sklearn.linear_model import LinearRegression",
        "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
        "random_state=0)",
        "clf = LogisticRegression(C=0.5).fit(X_train, y_train)\nreg = LinearRegression().fit(X_train, y_train)",
        "preds_class = clf.predict(X_test)\npreds_value = reg.predict(X_test)",
        "print(metrics.accuracy_score(y_test, preds_class))",
    ], db)
    shown = trackit("show", "E0001", "--db", str(db), cwd=tmp_path).stdout
    model = next(line for line in shown.splitlines() if line.startswith("model:"))
    assert model.startswith("model: LogisticRegression (sklearn), fitted state sha256 "), shown
    assert "C=0.5" in shown, shown


@pytest.fixture(scope="module")
def test_size_changed(tmp_path_factory) -> tuple[Path, Path]:
    """Two runs of split, fit, confusion matrix, accuracy (which reads the matrix cell's `tp`), test_size 0.2 -> 0.5
    between them: gulutu-ml chili's two-step model cells, small."""
    folder = tmp_path_factory.mktemp("test_size")
    db = folder / "t.duckdb"
    split = "X_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, test_size={}, random_state=0)"
    cells = [IMPORTS, "df = pd.read_csv('data.csv')\n" + split.format(0.2),
             "model = LogisticRegression().fit(X_train, y_train)\npredicted = model.predict(X_test)",
             "cm = metrics.confusion_matrix(y_test, predicted)\ntn, fp, fn, tp = cm.ravel()\nprint(cm)",
             "accuracy = metrics.accuracy_score(y_test, predicted)\nprint(f'true positives: {tp}')\n"
             "print(f'accuracy: {accuracy:.3f}')"]
    run_notebook(folder, cells, db)
    cells[1] = "df = pd.read_csv('data.csv')\n" + split.format(0.5)
    return run_notebook(folder, cells, db), db


def test_ask_what_changed_and_why_a_metric_moved_between_two_runs(test_size_changed):
    """gulutu-ml chili run twice, the two-step model's test_size 0.2 -> 0.3 between: `ask "what changed?"` answered "I
    could not tell what you are asking", and `ask "why did accuracy drop?"` "No experiment changed that metric
    compared with its parent" of an accuracy that fell 0.89 -> 0.857: the accuracy cell's parent is the
    confusion-matrix cell above it in the same run, which measured no accuracy."""
    notebook, db = test_size_changed
    listed = {e["id"]: e for e in json.loads(trackit("experiments", str(notebook), "--db", str(db), "--json",
                                                    cwd=notebook.parent).stdout)["experiments"]}
    first, second = [i for i, e in listed.items() if e["cell_index"] == 4]
    said = trackit("ask", str(notebook), "why did accuracy change?", "--db", str(db), cwd=notebook.parent).stdout
    assert said.startswith(f"[{first}] \u2192 [{second}]:"), said
    assert "split.test_size: 0.2 \u2192 0.5" in said, said
    # "what changed?" asks what the last run changed (rev22): its edit, and the accuracy of the same cell's experiments
    said = trackit("ask", str(notebook), "what changed?", "--db", str(db), cwd=notebook.parent).stdout
    assert said.startswith("[run 1] \u2192 [run 2]:") and "- Edited between the runs: [cell 2]." in said, said
    assert f"({first} \u2192 {second})" in said and "split.test_size: 0.2 \u2192 0.5" in said, said


def test_a_split_that_diverged_says_which_parts_have_which_rows(test_size_changed):
    """gulutu-ml chili, `diff E0004 E0011`: "Split `X` and `y` into ... `X_train`, `X_test`, `y_train` and `y_test`:
    rows 800 → 700; values differ (fingerprint); rows 200 → 300", which parts had 800 rows and which 200 unsaid."""
    notebook, db = test_size_changed
    said = json.loads(trackit("diff", "run 1", "run 2", "--notebook", str(notebook), "--db", str(db), "--json",
                              cwd=notebook.parent).stdout)["divergence"]["label"]
    assert "`X_train` and `y_train`: rows 192 \u2192 120" in said, said
    assert "`X_test` and `y_test`: rows 48 \u2192 120" in said, said


def test_naming_the_index_is_no_renaming_of_columns():
    """gulutu-ml chili, cells 93-97: `submission_ridge.index.name = "index"` read "renamed columns"."""
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.render.sentences import describe_steps

    said = describe_steps(analyze_source("import pandas as pd\nsubmission.index.name = 'index'").steps)
    assert said == ["Named the index of `submission`"], said


def test_the_summarys_in_short_counts_the_models_it_does_not_name(tmp_path):
    """gulutu-ml chili: four models fitted, "In short" named three (its limit) and said nothing of the fourth."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS + "\nfrom sklearn.tree import DecisionTreeClassifier\nfrom sklearn.neighbors import KNeighborsClassifier"
        "\nfrom sklearn.svm import SVC",
        "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
        "random_state=0)",
        "logistic = LogisticRegression().fit(X_train, y_train)\ntree = DecisionTreeClassifier(random_state=0).fit("
        "X_train, y_train)",
        "knn = KNeighborsClassifier().fit(X_train, y_train)\nsvc = SVC().fit(X_train, y_train)",
    ], db)
    summary = trackit("summarize", str(notebook), "--db", str(db), cwd=tmp_path).stdout
    in_short = next(line for line in summary.splitlines() if line.startswith("In short"))
    assert "fits one more model [cell 4]" in in_short, in_short


def test_a_threshold_edited_in_a_chain_changes_that_filter_only(tmp_path):
    """bfn-ofsted, its inspection-date threshold edited (2016-04-01 -> 2017-04-01) in one chain of three filters:
    `diff "run 1" "run 2"` listed the filters on `Provision type` and `Sector` as changed too, since every step of a
    chain carries the whole chain as its `expr`; only the date filter's decision changed."""
    db = tmp_path / "t.duckdb"
    chain = "kept = df.loc[lambda d: d.x1 > {}].loc[lambda d: d.x2 < 0.9]"
    cells = [IMPORTS, "df = pd.read_csv('data.csv')", chain.format(-0.5)]
    run_notebook(tmp_path, cells, db)
    cells[2] = chain.format(0)
    notebook = run_notebook(tmp_path, cells, db)
    said = trackit("diff", "run 1", "run 2", "--notebook", str(notebook), "--db", str(db), cwd=tmp_path).stdout
    features = said.split("features changed")[1].split("code changed")[0]
    assert "filter_rows[x1]" in features and "filter_rows[x2]" not in features, said


def test_a_divergent_steps_counts_are_written_as_the_tree_writes_them():
    """bfn-ofsted, `diff "run 1" "run 2"`: "rows 2083 → 2038" where the tree and the summary say "2,083 → 2,038"."""
    from trackit_sidecar.protocol import FactChange
    from trackit_sidecar.render.divergence import fact_change

    assert fact_change(FactChange(fact="rows", a=2083, b=2038)) == "rows 2,083 \u2192 2,038"
    assert fact_change(FactChange(fact="nulls", a=554, b=536)) == "missing values 554 \u2192 536"


def test_a_steps_own_line_does_not_take_its_cells_measured_effect(tmp_path):
    """bfn-ofsted cell 31 (read, select, join, assign in one chain), `ask "what produced ..."` and the tree's step
    labels: "Derived `owned_by_cambian` and `owned_by_keys` in `private_ownerships` into `inspections`: 1,585 → 3,488
    rows (+1,903); ...", the cell's measured effect pinned on its last step, measured against the joined table. The
    kernel measures cells: the steps said with others carry the effect once, as the cell's."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS, "owners = pd.DataFrame({'x1': [0.0, 0.1], 'owner': ['a', 'b']})",
        "df = (pd.read_csv('data.csv')[['x1', 'x2', 'y']].merge(owners, how='left')\n"
        "      .assign(owned=lambda d: d.owner.notna()))",
    ], db)
    executions = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json", cwd=tmp_path).stdout)
    cell = next(e for e in executions["executions"] if e["cell_index"] == 2)
    labels = [s["label"] for s in cell["steps"]]
    assert len(labels) > 1 and not any("2 \u2192 240 rows" in label for label in labels), labels
    assert "together: 240 rows \u00d7 5 columns" in labels[-1], labels
    asked = trackit("ask", str(notebook), "what produced df?", "--db", str(db), cwd=tmp_path).stdout
    assert "2 \u2192 240 rows" not in asked, asked


@pytest.fixture(scope="module")
def snowiness_cell(tmp_path_factory) -> tuple[Path, Path]:
    """jvns-cookbook ch06 (snowiest month), cell 22 small: a resampled mean of a cast built from another variable, a
    statement on another variable between, then the Series named."""
    folder = tmp_path_factory.mktemp("snowiness")
    db = folder / "t.duckdb"
    return run_notebook(folder, [
        IMPORTS + "\nimport numpy as np",
        "weather = pd.DataFrame({'Weather': ['Snow', 'Clear', 'Snow Showers', 'Rain'] * 30, 'Temp': range(120)},\n"
        "                       index=pd.date_range('2012-01-01', periods=120, freq='D'))",
        "temperature = weather['Temp'].resample('ME').apply(np.median)\n"
        "is_snowing = weather['Weather'].str.contains('Snow')\n"
        "snowiness = is_snowing.astype(float).resample('ME').apply(np.mean)\n"
        "temperature.name = 'Temperature'\n"
        "snowiness.name = 'Snowiness'",
        "is_snowing=is_snowing.astype(float)",
    ], db), db


def _cell_lines(notebook: Path, db: Path, index: int) -> tuple[list[str], list[str], str]:
    """(the tree's step labels, the summary's bullets of cell `index`, `ask "what produced snowiness?"`)."""
    executions = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json", cwd=notebook.parent).stdout)
    cell = next(e for e in executions["executions"] if e["cell_index"] == index)
    summary = trackit("summarize", str(notebook), "--db", str(db), cwd=notebook.parent).stdout
    bullets = [line for line in summary.splitlines() if line.startswith("- ") and f"[cell {index + 1}]" in line]
    asked = trackit("ask", str(notebook), "what produced snowiness?", "--db", str(db), cwd=notebook.parent).stdout
    return [s["label"] for s in cell["steps"]], bullets, asked


def test_a_later_statement_on_a_variable_does_not_take_the_effect_of_the_one_that_built_it(snowiness_cell):
    """jvns-cookbook ch06 cell 22, three runs read: the tree, the summary and `ask "what produced ..."` said "Renamed
    columns of `snowiness`: 8,784 → 12 rows (−8,772); `snowiness` bool → float64": the kernel measures `snowiness`
    once, after the cell, against `is_snowing`; the monthly mean made those 12 rows and that float, not the naming."""
    labels, bullets, asked = _cell_lines(*snowiness_cell, 2)
    for said in [*labels, *bullets, *asked.splitlines()]:
        if "120 \u2192 4 rows" in said:
            assert " together: " in said, said
    assert any("120 \u2192 4 rows" in label for label in labels), labels


def test_naming_a_series_is_not_renaming_columns(snowiness_cell):
    """jvns-cookbook ch06: `temperature.name = "Temperature"` read "Renamed columns of `temperature`"; a Series has no
    columns, the statement names it."""
    labels, bullets, _ = _cell_lines(*snowiness_cell, 2)
    assert not any("Renamed columns" in said for said in [*labels, *bullets]), (labels, bullets)
    assert any("`Temperature`" in label or "\u201cTemperature\u201d" in label for label in labels), labels


def test_a_step_whose_input_is_not_known_does_not_name_its_result_as_its_input(snowiness_cell):
    """jvns-cookbook ch06: `snowiness = is_snowing.astype(float).resample('ME').apply(np.mean)` read "Converted the type
    of `snowiness` into `snowiness` and aggregated" and (ask) "Aggregated `snowiness` into `snowiness`": the step's
    input was not read from the code, and its result was named as what it converted."""
    labels, bullets, asked = _cell_lines(*snowiness_cell, 2)
    for said in [*labels, *bullets, *asked.splitlines()]:
        assert "`snowiness` into `snowiness`" not in said, said
    # cell 9's `is_snowing=is_snowing.astype(float)`, its input not read either, did work on `is_snowing`
    labels, _, _ = _cell_lines(*snowiness_cell, 3)
    assert labels and labels[0].startswith("Converted the type of `is_snowing`"), labels


def test_a_models_cross_validation_is_the_child_of_its_accuracy_not_of_a_baseline_between(tmp_path):
    """sklearn-videos 09 (classification metrics): accuracy of `logreg`, then null accuracy from `y_test` alone, then
    `cross_val_score(logreg, X, y, scoring='roc_auc')`; the cross-validation's parent was the baseline (equally far by
    cells, more recent), so `experiments` and `show` said its model changed "(unset) → LogisticRegression"."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\nX = df[['x1', 'x2']]\ny = df.y\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)",
        "logreg = LogisticRegression(solver='liblinear')\nlogreg.fit(X_train, y_train)",
        "y_pred_class = logreg.predict(X_test)",
        "print(metrics.accuracy_score(y_test, y_pred_class))",
        "max(y_test.mean(), 1 - y_test.mean())",
        "cross_val_score(logreg, X, y, cv=5, scoring='roc_auc').mean()",
    ], db)
    listed = json.loads(trackit("experiments", str(notebook), "--db", str(db), "--json", cwd=tmp_path).stdout)
    rows = listed["experiments"] if isinstance(listed, dict) else listed
    by_cell = {row["cell_index"]: row for row in rows}
    accuracy, cross_validation = by_cell[4], by_cell[6]
    assert cross_validation["parent"] == accuracy["id"], rows
    shown = trackit("show", cross_validation["id"], "--db", str(db), cwd=tmp_path).stdout
    assert "model: (unset)" not in shown, shown


def test_what_changed_in_a_notebook_without_experiments_compares_its_last_two_runs(tmp_path):
    """jvns-cookbook ch06, run again with `str.contains('Snow')` edited to 'Rain': `ask "what changed?"` answered "No
    experiments are recorded for this notebook yet" (no model, so no experiment), while `trackit diff "run 2" "run 3"`
    found the edited filter and its cell."""
    db = tmp_path / "t.duckdb"
    cells = [IMPORTS, "df = pd.read_csv('data.csv')", "kept = df[df.x1 > {}]\nmeans = kept.groupby('y').x2.mean()"]
    run_notebook(tmp_path, [*cells[:2], cells[2].format(0.2)], db)
    notebook = run_notebook(tmp_path, [*cells[:2], cells[2].format(0.5)], db)
    asked = trackit("ask", str(notebook), "what changed?", "--db", str(db), cwd=tmp_path).stdout
    assert asked.startswith("[run 1] \u2192 [run 2]:"), asked
    cause = next(line for line in asked.splitlines() if line.startswith("- Cause:"))
    assert "0.2" in cause and "0.5" in cause and "[cell 3]" in cause, asked


def test_the_summary_does_not_quote_an_objects_repr_as_what_an_evaluation_printed(tmp_path):
    """sklearn-videos 09 cell 66 (`roc_curve`, then the curve plotted): the summary said "The evaluation printed
    “<Figure size 640x480 with 1 Axes>”", the figure's text form. The kernel here has no matplotlib: an object shown
    the same way (its default repr) stands for the figure."""
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']], df.y, "
        "random_state=0)\nlogreg = LogisticRegression().fit(X_train, y_train)\nprobs = logreg.predict_proba(X_test)[:, 1]",
        "fpr, tpr, thresholds = metrics.roc_curve(y_test, probs)\nobject()",
        "metrics.roc_auc_score(y_test, probs)",
    ], db)
    summary = trackit("summarize", str(notebook), "--db", str(db), cwd=tmp_path).stdout
    printed = [line for line in summary.splitlines() if "The evaluation printed" in line]
    assert printed and not any("\u201c<object" in line for line in printed), summary
