"""build.py: experiments of a notebook from its records (the issue's scenario, without a kernel)."""

from __future__ import annotations

from trackit_sidecar import protocol as p
from trackit_sidecar.experiments import build as b
from trackit_sidecar.experiments.revisions import FileSeen, assign

CSV_V1 = p.InputFile(path="/data/titanic/passengers.csv", size=100, sha256="a" * 64)
CSV_V2 = p.InputFile(path="/data/titanic/passengers.csv", size=100, sha256="b" * 64)


def _run_all(notebook, cells, order=None, printed="accuracy: 0.789\n", csv=CSV_V1):
    for cell_id in order or cells:
        notebook.run(cell_id, cells[cell_id], stdout=printed if cell_id == "c7" else None,
                     files=[csv] if cell_id == "c1" else None)


def _records(notebook, **extra):
    doc = notebook.doc()
    found = b.detected(doc, [])
    files = [FileSeen(f.path, f.sha256, f.size) for e in doc.executions for f in e.input_files]
    return b.Records(doc=doc, assigned=[b.Assigned(i + 1, d.seq) for i, d in enumerate(found)],
                     revisions=assign([], files), **extra)


def test_three_experiments_with_parents_changes_and_one_revision(notebook, titanic):
    _run_all(notebook, titanic)
    edited = dict(titanic, c4='df["Age"] = df["Age"].fillna(df["Age"].mean())')
    _run_all(notebook, edited, ["c3", "c4", "c5", "c6", "c7"], printed="accuracy: 0.776\n")
    notebook.restart()
    edited["c6"] = "model = LogisticRegression(max_iter=1000, C=0.5)\nmodel.fit(X_train, y_train)"
    _run_all(notebook, edited, printed="accuracy: 0.780\n")
    built = b.build(_records(notebook))
    assert [(e.id, e.parent, e.session) for e in built] == [("E0001", None, 1), ("E0002", "E0001", 1),
                                                          ("E0003", "E0002", 2)]
    assert [e.primary_metric.value for e in built] == [0.789, 0.776, 0.780]
    assert [e.changed for e in built] == [[], ["preprocessing.impute_missing[Age]"], ["model.params.C"]]
    assert {d for e in built for d in e.datasets} == {"titanic/passengers.csv@D0001"}
    assert not any(e.data_changed for e in built)
    assert [s.cell_id for s in built[1].slice] == ["c1", "c3", "c4", "c5", "c6", "c7"]
    assert built[1].slice[1].seq == 8  # the re-run, not the first pass


def test_a_changed_csv_is_a_new_revision_and_the_experiment_says_so(notebook, titanic):
    _run_all(notebook, titanic)
    notebook.restart()
    _run_all(notebook, titanic, csv=CSV_V2)
    first, second = b.build(_records(notebook))
    assert second.parent == first.id and second.changed == []
    assert second.datasets == ["titanic/passengers.csv@D0002"] and second.data_changed
    assert second.data[0].previous_revision_id == "D0001"


def test_kernel_answers_give_precise_metrics_and_the_model_fingerprint(notebook, titanic):
    facts = [p.RuntimeFacts(variable="X_train", kind="DataFrame", rows_after=660, cols_after=2, fingerprint="xxh3:1")]
    for cell_id, source in titanic.items():
        notebook.run(cell_id, source, stdout="accuracy: 0.789\n" if cell_id == "c7" else None,
                     facts=facts if cell_id == "c5" else None)
    answer = {"values": {"accuracy": {"kind": "number", "value": 0.7892376}},
              "models": {"model": {"kind": "model", "class": "sklearn.linear_model._logistic.LogisticRegression",
                                   "params": {"C": 1.0, "max_iter": 1000}, "state_sha256": "f" * 64}}}
    stamp = p.RunStamp(stamped_at="2026-01-01T00:00:00+00:00", env={"PYTHONHASHSEED": "0"},
                       git=p.GitState(commit="abc", dirty_worktree=True))
    (experiment,) = b.build(_records(notebook, kernel_answers={7: answer}, stamps={1: stamp},
                                     names={1: ("baseline", "first try")}))
    assert (experiment.primary_metric.value, experiment.primary_metric.source) == (0.7892376, "kernel")
    assert experiment.model.class_name == "LogisticRegression" and experiment.model.state_sha256 == "f" * 64
    assert experiment.model.source == "kernel" and experiment.model.params["C"] == 1.0
    assert [(f.role, f.variable, f.rows, f.seq) for f in experiment.frames] == [("split", "X_train", 660, 5),
                                                                             ("fit", "X_train", 660, 5)]
    assert experiment.dirty_worktree is True and (experiment.name, experiment.notes) == ("baseline", "first try")
    assert [(s.kind, s.value) for s in experiment.seeds] == [("random_state", 42), ("PYTHONHASHSEED", "0")]
    assert [(s.kind, s.value) for s in experiment.stamp.seeds] == [("random_state", 42), ("PYTHONHASHSEED", "0")]
    assert b.summary(experiment).model_dump().keys() == p.ExperimentSummary.model_fields.keys()


def test_without_a_kernel_the_model_is_described_statically_and_a_reparent_is_kept(notebook, titanic):
    _run_all(notebook, titanic)
    _run_all(notebook, titanic, ["c7"])
    records = _records(notebook, overrides={2: None})
    first, second = b.build(records)
    assert first.model.source == "static" and first.model.params == {"max_iter": 1000}
    assert second.parent is None and second.parent_set_by_user


def test_a_bare_score_and_a_bare_printed_metric_are_experiments_with_their_metric(notebook, titanic):
    for cell_id in ("c1", "c3", "c4", "c5", "c6"):
        notebook.run(cell_id, titanic[cell_id], files=[CSV_V1] if cell_id == "c1" else None)
    notebook.run("c8", "model.score(X_test, y_test)", result="0.7988826815642458")
    notebook.run("c9", "print(accuracy_score(y_test, model.predict(X_test)))", stdout="0.7988826815642458\n")
    built = b.build(_records(notebook))
    assert [(e.primary_metric.name, e.primary_metric.value, e.primary_metric.source) for e in built] == [
        ("accuracy", 0.7988826815642458, "execute_result"), ("accuracy", 0.7988826815642458, "output line 1")]
    assert built[0].model.class_name == "LogisticRegression"  # the class the score was named from


def test_a_model_last_fitted_inside_a_loop_is_said_to_be_the_last_passs_fit(notebook, titanic):
    # ztm-ml heart-disease cell 33: one `knn` refitted for n_neighbors 1..20; gulutu-ml banana: a new SVC per C
    refit = "for C in [0.1, 1, 10]:\n    model.set_params(C=C)\n    model.fit(X_train, y_train)"
    rebuilt = "for C in [0.1, 1, 10]:\n    model = LogisticRegression(C=C).fit(X_train, y_train)"
    once_more = refit + "\nmodel.set_params(C=1)\nmodel.fit(X_train, y_train)"
    in_function = "def tune(model):\n    for C in [0.1, 1]:\n        model.fit(X_train, y_train)\nmodel.fit(X_train, y_train)"
    _run_all(notebook, titanic)
    for fit in (refit, rebuilt, once_more, in_function):
        _run_all(notebook, dict(titanic, c6=titanic["c6"] + "\n" + fit), ["c6", "c7"])
    looped = [e.model.last_pass_of_loop for e in b.build(_records(notebook))]
    assert looped == [False, True, True, False, False], looped
