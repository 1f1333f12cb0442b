"""Twenty-third pass (acc45): a saved notebook's outputs decide what static analysis cannot.

`trackit analyze` has no kernel, but a notebook saved with its outputs keeps the last run's answer: the value each
cell showed (lineage/saved_results.py). That value decides, as the live kernel's does (lineage/runtime_decisions.py),
whether a shown last expression was an answer (inspection: what-is-a-step.md "A scalar or a small answer to a
question ... is not"; CONVENTIONS 9 "neither is a chain that ends in one"), a plot (CONVENTIONS 8) or a new table
(the analysis' result, a step). The same code with other saved outputs gives other ops, and the JSON says the
runtime decided, from a saved output. Each group has negative controls: what the saved output cannot decide.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from trackit_sidecar.lineage.graph import attach_runtime
from trackit_sidecar.lineage.runtime_decisions import decide_with_runtime
from trackit_sidecar.lineage.static_notebook import analyze_notebook, notebook_steps
from trackit_sidecar.lineage.steps import classify_steps
from trackit_sidecar.protocol import RuntimeFacts

SETUP = ("import pandas as pd\nfrom sklearn.preprocessing import scale\nfrom sklearn.metrics import mean_squared_error\n"
         "people = pd.read_csv('people.csv')\ntickets = pd.read_csv('tickets.csv')")

SCALAR = {"text/plain": "0.742"}
TUPLE = {"text/plain": "(np.float64(0.74), np.float64(0.19))"}
LIST = {"text/plain": "[314, 577]"}
AXES = {"text/plain": "<AxesSubplot:xlabel='sex'>"}
SERIES = {"text/plain": "sex\nfemale    0.742\nmale      0.189\nName: survived, dtype: float64"}
FRAME = {"text/plain": "   id  fare\n0   1  7.25\n\n[891 rows x 2 columns]",
         "text/html": '<table border="1" class="dataframe"><tbody><tr><td>1</td></tr></tbody></table>'
                      "<p>891 rows × 2 columns</p>"}
MODEL = {"text/plain": "RidgeCV(alphas=array([1.e-03, 1.e+00]))"}


def saved_notebook(tmp_path, source: str, data, count=2, result_count=None):
    """A notebook of the set-up cell and `source`, saved as Jupyter saves it: `data` is the second cell's result
    (None: it showed nothing), `count` its execution count, `result_count` its result's (default: the same)."""
    nb = nbformat.v4.new_notebook()
    setup = nbformat.v4.new_code_cell(SETUP, execution_count=1)
    cell = nbformat.v4.new_code_cell(source, execution_count=count)
    if data is not None:
        cell.outputs = [nbformat.v4.new_output("execute_result", data=data,
                                               execution_count=count if result_count is None else result_count)]
    nb.cells = [setup, cell]
    path = tmp_path / "saved.ipynb"
    nbformat.write(nb, str(path))
    return path


def analysed(tmp_path, source: str, data, **counts) -> list:
    steps = analyze_notebook(saved_notebook(tmp_path, source, data, **counts)).executions[1].steps
    # the corpus score reads notebook_steps: it decides the same way
    assert [s.op for s in notebook_steps(tmp_path / "saved.ipynb")[1][1]] == [s.op for s in steps]
    return steps


def decided(tmp_path, source: str, data, **counts) -> list[tuple]:
    return [(s.op, s.decided_by, s.runtime_source) for s in analysed(tmp_path, source, data, **counts)]


def statically(tmp_path, source: str, data, **counts) -> list[tuple]:
    """(op, decided_by) only: the negative controls hold on a branch without saved results too."""
    return [(s.op, s.decided_by) for s in analysed(tmp_path, source, data, **counts)]


TABLE_BY_RUNTIME = ("runtime", "saved_output")


@pytest.mark.parametrize("source, answer, table, ops", [
    # a group's statistic picked by label: one number when the key is a value, a Series when it is a level
    ('people.groupby(["sex", "pclass"]).survived.mean()["female"]', SCALAR, SERIES, ["aggregate"]),
    # a join piped into a notebook function: its return value is an answer or a table, the code does not say
    ('pd.merge(people, tickets, on="id").pipe(share_paid)', SCALAR, FRAME, ["join"]),
    ("summarize(pd.concat([people, tickets]))", TUPLE, FRAME, ["concat"]),
    ('people.groupby("sex").size().tolist()', LIST, None, ["aggregate"]),
    ('plot_rates(people.groupby("sex").survived.mean())', AXES, SERIES, ["aggregate"]),
])
def test_the_saved_result_decides_a_shown_last_expression(tmp_path, source, answer, table, ops) -> None:
    assert decided(tmp_path, source, None) == [(op, "static", None) for op in ops]  # nothing saved: static's
    assert decided(tmp_path, source, answer) == []  # an answer or a plot shown: inspection
    if table is not None:
        assert decided(tmp_path, source, table) == [(op, *TABLE_BY_RUNTIME) for op in ops]  # a table: a step


def test_a_result_is_read_only_when_the_saved_counts_say_it_is_this_runs(tmp_path) -> None:
    source = 'people.groupby(["sex", "pclass"]).survived.mean()["female"]'
    static = [("aggregate", "static")]
    assert statically(tmp_path, source, SCALAR, count=None) == static  # no count: not known to be this source's
    assert statically(tmp_path, source, SCALAR, count=3, result_count=2) == static  # another run's result
    assert decided(tmp_path, source, SCALAR, count=3) == []


@pytest.mark.parametrize("source, data, ops", [
    # an assigned or in-place step is not the shown value
    ("both = pd.concat([people, tickets])\nboth.shape", {"text/plain": "(1782, 14)"}, ["concat"]),
    ('people.dropna(subset=["age"], inplace=True)\npeople.age.mean()', SCALAR, ["drop_missing"]),
    # a metric is an answer by nature, and what it is computed from feeds it (CONVENTIONS 7)
    ("mean_squared_error(y_test, ridge.predict(scale(X_test)))", {"text/plain": "97384.92959172592"},
     ["scale_normalize", "predict", "evaluate"]),
    # a fitted model shown says neither answer nor table
    ("ridgecv.fit(scale(X_train), y_train)", MODEL, ["scale_normalize", "fit_model"]),
])
def test_what_the_saved_result_does_not_decide(tmp_path, source, data, ops) -> None:
    assert statically(tmp_path, source, data) == [(op, "static") for op in ops]


def test_the_json_says_a_saved_output_decided(tmp_path) -> None:
    doc = analyze_notebook(saved_notebook(tmp_path, 'pd.merge(people, tickets, on="id").pipe(share_paid)', FRAME))
    data = json.loads(doc.model_dump_json())
    step = data["executions"][1]["steps"][0]
    assert (step["op"], step["decided_by"], step["runtime_source"]) == ("join", "runtime", "saved_output")
    shown = data["executions"][1]["runtime"]
    assert shown == [{**shown[0], "displayed": True, "kind": "DataFrame", "rows_after": 891, "cols_after": 2,
                      "source": "saved_output"}]
    assert "runtime_source" not in data["executions"][0]["steps"][0]  # the load was decided statically
    assert "source" not in json.loads(RuntimeFacts(variable="df").model_dump_json())  # a kernel's fact: left out


# ---------------------------------------------------------------- the same decisions with a live kernel's facts
def kernel_decided(source: str, fact: RuntimeFacts) -> list[tuple]:
    steps = classify_steps(SETUP + "\n" + source)[len(classify_steps(SETUP)):]
    attach_runtime(steps, [fact])
    return [(s.op, s.decided_by, s.runtime_source) for s in decide_with_runtime(steps, [fact], SETUP + "\n" + source)]


def test_a_kernel_decides_the_same_and_says_it_was_the_kernel() -> None:
    source = 'pd.merge(people, tickets, on="id").pipe(share_paid)'
    assert kernel_decided(source, RuntimeFacts(displayed=True, kind="DataFrame")) == [("join", "runtime", "kernel")]
    assert kernel_decided(source, RuntimeFacts(displayed=True, kind="scalar", scalar=True)) == []
    # a plot shown is no step (CONVENTIONS 8): the kernel names the artist's type
    assert kernel_decided('plot_rates(people.groupby("sex").survived.mean())',
                          RuntimeFacts(displayed=True, kind="AxesSubplot")) == []
    # a metric's steps stay whatever it shows
    assert [op for op, _, _ in kernel_decided("mean_squared_error(y_test, ridge.predict(scale(X_test)))",
                                              RuntimeFacts(displayed=True, kind="scalar", scalar=True))] == [
        "scale_normalize", "predict", "evaluate"]
