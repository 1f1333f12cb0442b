"""metrics.py, metric_names.py, printed_metrics.py: names, directions, and values from outputs and from the kernel."""

from __future__ import annotations

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.experiments import metric_names as names
from trackit_sidecar.experiments import metrics as m
from trackit_sidecar.experiments import printed_metrics

REPORT = """accuracy: 0.789
[[120  17]
 [ 30  56]]
              precision    recall  f1-score   support

           0       0.80      0.88      0.84       137
           1       0.77      0.65      0.70        86

    accuracy                           0.79       223
   macro avg       0.78      0.76      0.77       223
weighted avg       0.79      0.79      0.79       223

"""


@pytest.mark.parametrize("raw, name, direction", [
    ("Test Acc", "test_accuracy", "higher"), ("R^2", "r2", "higher"), ("RMSE", "rmse", "lower"),
    ("mean_squared_error", "mse", "lower"), ("neg_mean_squared_error", "neg_mse", "higher"),
    ("val_loss", "val_loss", "lower"), ("f1-score.macro avg", "f1.macro_avg", "higher"),
    ("rows", "rows", "unknown"), ("n_estimators", "n_estimators", "unknown"),
])
def test_names_are_normalised_and_directions_come_from_the_table(raw, name, direction):
    assert names.normalize_name(raw) == name
    assert names.direction(name) == direction
    assert names.is_metric_name(raw) == (direction != "unknown")


def test_printed_lines_and_the_classification_report(notebook):
    record = notebook.run("c1", "x = 1", stdout=REPORT + "RMSE = 12.3, R^2 0.81 | Test acc 78.9%\nrows: 891\n")
    found = {x.name: x for x in m.merge(printed_metrics.metrics_from_outputs(record))}
    assert found["accuracy"].value == 0.789 and found["accuracy"].source == "output line 1"  # not the report's 0.79
    assert found["f1.macro_avg"].value == 0.77 and found["f1.macro_avg"].source.startswith("classification_report")
    assert found["precision.1"].value == 0.77 and found["recall.weighted_avg"].value == 0.79
    assert (found["rmse"].value, found["rmse"].direction) == (12.3, "lower")
    assert found["r2"].value == 0.81
    assert (found["test_accuracy"].value, found["test_accuracy"].unit) == (78.9, "%")
    assert "rows" not in found and "support.0" not in found


def test_a_number_in_a_printed_label_is_no_value(notebook):
    """ml-basics k-nearest-neighbour: `print(f"Test accuracy with k = 1: {test_acc1}")` printed "Test accuracy with k =
    1: 97.78", read as a metric `test_accuracy_with_k` of 1."""
    record = notebook.run("c1", "x = 1", stdout="Test accuracy with k = 1: 97.78\nacc = 0.5: f1 = 0.25\nepoch 3: accuracy 0.9\n")
    found = [(x.name, x.value) for x in printed_metrics.metrics_from_outputs(record)]
    assert ("test_accuracy_with_k", 1.0) not in found and ("accuracy", 0.9) in found, found


def test_stderr_is_not_read(notebook):
    record = notebook.run("c1", "x = 1")
    record.outputs = [p.OutputInfo(output_type="stream", mime="application/vnd.code.notebook.stderr", size=1,
                                   sha256="", text="accuracy: 0.1\n")]
    assert printed_metrics.metrics_from_outputs(record) == []


def test_execute_result_of_an_evaluation(notebook):
    notebook.run("c1", "from sklearn.metrics import accuracy_score")
    shown = notebook.run("c2", "accuracy_score(y_test, pred)", result="0.7892376681614349")
    assert [(x.name, x.value, x.source) for x in printed_metrics.metrics_from_outputs(shown)] == [
        ("accuracy", 0.7892376681614349, "execute_result")]
    score = notebook.run("c3", "model.score(X_test, y_test)", result="np.float64(0.81)")
    assert [(x.name, x.value) for x in printed_metrics.metrics_from_outputs(score)] == [("score", 0.81)]
    not_metric = notebook.run("c4", "len(df)", result="891")
    assert printed_metrics.metrics_from_outputs(not_metric) == []


def test_kernel_values_beat_outputs_and_stale_ones_fall_back(notebook):
    notebook.run("c1", "from sklearn.metrics import accuracy_score, classification_report\n"
                       "from sklearn.model_selection import cross_val_score")
    record = notebook.run(
        "c2", "acc = accuracy_score(y_test, pred)\nprint(f'accuracy: {acc:.3f}')\n"
              "scores = cross_val_score(model, X, y, cv=5, scoring='f1')\n"
              "report = classification_report(y_test, pred, output_dict=True)",
        stdout="accuracy: 0.789\n")
    assert m.metric_variables(record) == ["acc", "scores", "report"]
    values = {"acc": {"kind": "number", "value": 0.7892376},
              "scores": {"kind": "array", "mean": 0.75, "std": 0.02, "n": 5},
              "report": {"kind": "mapping", "items": {"0.precision": 0.8, "0.support": 137.0, "accuracy": 0.7892376}}}
    found = {x.name: x for x in m.execution_metrics(record, values)}
    assert (found["accuracy"].value, found["accuracy"].source, found["accuracy"].raw_name) == (0.7892376, "kernel", "acc")
    assert (found["cv_f1"].value, found["cv_f1"].std, found["cv_f1"].n) == (0.75, 0.02, 5)
    assert found["precision.0"].value == 0.8 and "support.0" not in found
    stale = {x.name: x for x in m.execution_metrics(record, {"acc": {"kind": "stale"}})}
    assert (stale["accuracy"].value, stale["accuracy"].source) == (0.789, "output line 1")
    assert m.primary_metric(list(found.values()), record).name == "accuracy"


def test_a_metric_printed_bare_is_named_from_its_function(notebook):
    notebook.run("c1", "from sklearn.metrics import accuracy_score, f1_score")
    one = notebook.run("c2", "print(accuracy_score(y_test, pred))", stdout="0.8156424581005587\n")
    assert [(x.name, x.value, x.source, x.raw_name) for x in printed_metrics.metrics_from_outputs(one)] == [
        ("accuracy", 0.8156424581005587, "output line 1", "accuracy_score")]
    assert m.primary_metric(printed_metrics.metrics_from_outputs(one), one).name == "accuracy"
    two = notebook.run("c3", "print(accuracy_score(y_test, pred))\nprint(round(f1_score(y_test, pred), 3))\n"
                             "print(acc)", stdout="0.81\n0.776\n0.8\n")
    # each bare line is the print in the same position; a variable named as a metric names it
    assert [(x.name, x.value, x.source) for x in printed_metrics.metrics_from_outputs(two)] == [
        ("accuracy", 0.81, "output line 1"), ("f1", 0.776, "output line 2"), ("accuracy", 0.8, "output line 3")]


def test_a_figure_worked_out_by_hand_above_a_metric_does_not_hide_it(notebook):
    """sklearn-videos 06: `print((10 + 0 + 20 + 10)/4.)` ("calculate MAE by hand") above `print(metrics.
    mean_absolute_error(true, pred))`: the MAE was lost, the cell's bare numbers taken for ones that cannot be told
    apart. Arithmetic on number literals prints one number, which is no metric."""
    notebook.run("c1", "from sklearn import metrics\nimport numpy as np")
    mae = notebook.run("c2", "print((10 + 0 + 20 + 10)/4.)\nprint(metrics.mean_absolute_error(true, pred))",
                       stdout="10.0\n10.0\n")
    assert [(x.name, x.value, x.source) for x in printed_metrics.metrics_from_outputs(mae)] == [
        ("mae", 10.0, "output line 2")]
    rmse = notebook.run("c3", "print(np.sqrt((10**2 + 0**2 + 20**2 + 10**2)/4.))\n"
                              "print(np.sqrt(metrics.mean_squared_error(true, pred)))", stdout="12.25\n12.25\n")
    assert [(x.name, x.source) for x in printed_metrics.metrics_from_outputs(rmse)] == [("rmse", "output line 2")]


def test_bare_numbers_that_cannot_be_told_apart_are_no_metric(notebook):
    notebook.run("c1", "from sklearn.metrics import accuracy_score")
    # another print shares the output: which line is the accuracy is a guess, and a guess is not recorded
    mixed = notebook.run("c2", "print(len(df))\nprint(accuracy_score(y_test, pred))", stdout="891\n0.81\n")
    assert printed_metrics.metrics_from_outputs(mixed) == []
    looped = notebook.run("c3", "for t in tests:\n    print(accuracy_score(t, pred))", stdout="0.8\n0.7\n")
    assert printed_metrics.metrics_from_outputs(looped) == []
    not_metric = notebook.run("c4", "print(len(df))", stdout="891\n")
    assert printed_metrics.metrics_from_outputs(not_metric) == []


@pytest.mark.parametrize("estimator, name", [
    ("LogisticRegression", "accuracy"), ("RandomForestClassifier", "accuracy"), ("SVC", "accuracy"),
    ("Ridge", "r2"), ("GradientBoostingRegressor", "r2"), ("LinearRegression", "r2"),
    ("KMeans", "score"), (None, "score"),
])
def test_a_models_score_is_the_metric_its_class_scores(notebook, estimator, name):
    estimators = {"model": estimator} if estimator else {}
    shown = notebook.run("c1", "model.score(X_test, y_test)", result="np.float64(0.81)")
    printed = notebook.run("c2", "print(model.score(X_test, y_test))", stdout="0.81\n")
    for record in (shown, printed):
        found = printed_metrics.metrics_from_outputs(record, estimators)
        assert [(x.name, x.value) for x in found] == [(name, 0.81)]
        assert found[0].direction == "higher"
        assert m.primary_metric(found, record, estimators).name == name


def test_a_kernel_value_the_cell_last_set_in_a_loop_is_said_to_be_its_last_passs():
    # gulutu-ml banana: `acc` of the last of 50 fits was the experiment's "accuracy 0.9732"
    from trackit_sidecar.experiments.kb import KERNEL_LAST_LOOP_PASS

    looped = ("for C in [1, 10]:\n    for seed in range(3):\n        acc = accuracy_score(y, model.predict(X))\n"
              "    avg_acc = sum(accs) / 3\nprint(avg_acc)")
    after = "for C in [1, 10]:\n    acc = accuracy_score(y, model.predict(X))\nacc = accuracy_score(y, best.predict(X))"
    in_function = "def f():\n    for i in range(3):\n        acc = 1\nacc = accuracy_score(y, model.predict(X))"
    number = {"kind": "number", "value": 0.9}

    def source_of(code: str, variable: str) -> str:
        execution = p.ExecutionRecord(seq=1, session=1, cell_id="c", cell_index=0, source=code, status="ok",
                                      started_at="", ended_at="", duration_ms=0.0, source_sha256="")
        (metric,) = m.metrics_from_kernel(execution, {variable: number})
        return metric.source

    assert source_of(looped, "acc") == source_of(looped, "avg_acc") == KERNEL_LAST_LOOP_PASS
    assert source_of(after, "acc") == "kernel"  # set again after the loop: the cell's own value
    assert source_of(in_function, "acc") == "kernel"
    kernel = m.metrics_from_kernel(p.ExecutionRecord(
        seq=1, session=1, cell_id="c", cell_index=0, source=looped, status="ok", started_at="", ended_at="",
        duration_ms=0.0, source_sha256=""), {"acc": number})
    printed = names._metric("accuracy", 0.8, "output line 1")
    assert m.merge([printed], kernel) == kernel  # still the kernel's full-precision value over a printed line
