"""What a user reads of real runs is true: each test is an output found false or misleading when rev19 ran notebooks of
the blind corpus twice in a real kernel (`trackit run`, an edit between) and read every command's output, the way
`test_claims_on_real_runs.py` runs them."""

from __future__ import annotations

import json

import nbformat

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
