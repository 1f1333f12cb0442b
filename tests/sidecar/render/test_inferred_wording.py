"""An inferred step (Step.inferred_from, lineage/kb/guesses.py) is worded as one wherever a step is said: the one
wording is render/inferred.py's, appended by step_phrase, so the tree's labels, `trackit lineage` / `analyze` and the
built-in summary never state a guess as fact; an asserted step says nothing of the kind."""

from __future__ import annotations

from trackit_sidecar.lineage.steps import classify_steps
from trackit_sidecar.protocol import Step
from trackit_sidecar.render.sentences import describe_step, describe_steps
from trackit_sidecar.summarize import builtin_summary

from ..summarize.sample_docs import titanic_document


def test_a_step_judged_by_a_name_says_which_name() -> None:
    lines = describe_steps(classify_steps("from utils import load_data\ndf = load_data()\ndf = df.dropna()"))
    assert lines == ["Created `df` with `load_data` (inferred from the name `load_data`) and dropped rows with "
                     "missing values"]


def test_an_asserted_step_says_nothing_of_a_guess() -> None:
    lines = describe_steps(classify_steps("import pandas as pd\ndf = pd.read_csv('a.csv')\ndf = df.dropna()"))
    assert len(lines) == 1 and "inferred" not in lines[0]


def test_a_guess_with_no_name_on_the_step_says_what_it_rests_on() -> None:
    step = Step(op="evaluate", inputs=["y_test", "proba"], inferred_from="helper_arguments")
    assert describe_step(step).endswith("(inferred from what the function it calls is handed)")


def test_a_metric_decided_from_a_parameter_named_for_predictions_says_so_not_the_output_name() -> None:
    """`e = ...` in `def compare(a, y_pred)`: the guess rests on `y_pred`'s name, not on `e`'s, so the wording names
    no output as the name it was read from."""
    [step] = classify_steps("import numpy as np\ndef compare(a, y_pred):\n"
                            "    e = np.sqrt(np.mean((a - y_pred) ** 2))\n    return e\n")
    assert step.op == "evaluate" and step.output == "e"
    said = describe_step(step)
    assert "(inferred from a name earlier in its lineage)" in said and "the name `e`" not in said


def test_a_prediction_from_parameters_a_guessed_fit_made_says_it_rests_on_a_name() -> None:
    """`w_0, w = train_linear_regression(X, y)` is a fit by the function's name; the prediction made with `w` rests on
    that guess, and its wording says so without naming `y_pred` (the output) as what it was read from."""
    steps = classify_steps("import numpy as np\ndef train_linear_regression(X, y):\n    return 0, 1\n"
                           "w_0, w = train_linear_regression(X_train, y_train)\ny_pred = w_0 + X_val.dot(w)\n")
    assert [(s.op, s.inferred_from) for s in steps] == [("fit_model", "function_name"), ("predict", "input_name")]
    said = describe_step(steps[-1])
    assert said.endswith("(inferred from a name earlier in its lineage)"), said


def test_a_body_step_relabelled_by_its_function_name_names_the_function() -> None:
    [line] = describe_steps(classify_steps("def remove_outliers(df):\n    return df[df.x < 100]\n"))
    assert "(inferred from the name `remove_outliers`)" in line


def test_grouped_evaluations_say_the_guess_on_the_guessed_one_only() -> None:
    steps = [Step(op="evaluate", inputs=["y_test", "p"], method="accuracy_score"),
             Step(op="evaluate", inputs=["y_test", "p"], method="score_model", inferred_from="helper_name")]
    [line] = describe_steps(steps)
    assert line.count("inferred from") == 1 and line.endswith("(inferred from the name `score_model`)")


def test_the_built_in_summary_says_an_inferred_step_is_inferred() -> None:
    doc = titanic_document()
    latest = max(r.session for r in doc.executions)
    fit = next(s for r in doc.executions if r.session == latest for s in r.steps if s.op == "fit_model")
    fit.method, fit.inferred_from = "train_model", "helper_name"
    fitted = [line for line in builtin_summary(doc).splitlines() if "Fitted" in line]
    assert fitted and all("(inferred from the name `train_model`)" in line for line in fitted)
