"""detect.py and slice.py."""

from __future__ import annotations

from trackit_sidecar.experiments.detect import detect
from trackit_sidecar.experiments.slice import Slicer, signature


def test_slice_is_only_what_the_metric_read_within_the_run(notebook, titanic):
    for cell_id, source in titanic.items():
        notebook.run(cell_id, source)
    notebook.run("c8", "plot = df.plot()")  # after the metric, never read by it
    notebook.restart()
    for cell_id, source in titanic.items():
        notebook.run(cell_id, source)
    doc = notebook.doc()
    first = Slicer(doc.executions).slice(7)
    assert [e.cell_id for e in first] == ["c1", "c3", "c4", "c5", "c6", "c7"]  # no print(shape), no plot
    second = Slicer(doc.executions).slice(doc.executions[-1].seq)
    assert {e.session for e in second} == {2}
    assert signature(first) == signature(second)  # same code in both runs


def test_an_edited_cell_rerun_replaces_its_earlier_version_in_the_slice(notebook, titanic):
    for cell_id, source in titanic.items():
        notebook.run(cell_id, source)
    notebook.run("c6", "model = LogisticRegression(C=0.5)\nmodel.fit(X_train, y_train)")
    notebook.run("c7", titanic["c7"])
    doc = notebook.doc()
    cut = Slicer(doc.executions).slice(doc.executions[-1].seq)
    assert [e.seq for e in cut] == [1, 3, 4, 5, 8, 9]


def test_what_is_an_experiment(notebook):
    notebook.run("c1", "from sklearn.metrics import accuracy_score\nfrom sklearn.linear_model import LogisticRegression\n"
                       "from sklearn.model_selection import GridSearchCV")
    notebook.run("c2", "model = LogisticRegression().fit(X, y)")  # fit alone: not yet
    notebook.run("c3", "acc = accuracy_score(y, model.predict(X))")
    notebook.run("c4", "acc = accuracy_score(y, model.predict(Z))", status="error")
    notebook.run("c5", "grid = GridSearchCV(LogisticRegression(), {'C': [1, 2]}).fit(X, y)\nbest = grid.best_score_")
    notebook.run("c6", "model2 = LogisticRegression().fit(X, y)", stdout="train loss: 0.31\n")
    notebook.run("c7", "df = df.dropna()")
    found = detect(notebook.doc().executions, marked=[7])
    assert [(d.seq, d.status, d.origin) for d in found] == [
        (3, "ok", "auto"), (4, "failed", "auto"), (5, "ok", "auto"), (6, "ok", "auto"), (7, "ok", "manual")]
