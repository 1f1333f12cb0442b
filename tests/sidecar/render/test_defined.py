"""A step written in a function's body is worded as what the function does when called, not as done by the cell that
defines it (render/defined.py; `Step.in_function`, set by lineage/classify where the walker enters a def body)."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.protocol import Step, StepCondition, StepRef
from trackit_sidecar.render.divergence import step_label
from trackit_sidecar.render.defined import PRESENT_TENSE, present_tense
from trackit_sidecar.render.groups import group_steps
from trackit_sidecar.render.phrases import OTHER_METHOD_TEMPLATES, PHRASES, step_phrase
from trackit_sidecar.render.sentences import describe_step, describe_steps


# `df` of unknown kind (a parameter, a name no cell of the source binds): pandas' `replace` is a guess (kb/guesses.py)
UNKNOWN_KIND = " (inferred from the method's name alone, on a value of unknown kind)"


def _said(source: str) -> list[str]:
    return describe_steps(analyze_source("import pandas as pd\n" + source).steps)


def test_a_cell_that_only_defines_a_function_says_what_the_function_does_when_called():
    # causal-handbook 17: "Encoded `df` (replace)", although the cell encoded nothing
    assert _said("def encode(df):\n    return df.replace({'region': regions_to_net})") == [
        f"Defines `encode`, which encodes `df` (replace){UNKNOWN_KIND} when called"]


def test_a_body_and_the_cell_beside_it_are_said_apart():
    # ztm-ml heart-disease cell 30 (`def fit_and_score`): "Fitted a model as `model` ..." as if the cell fitted one
    said = _said("from sklearn.linear_model import LogisticRegression\n"
                 "def fit_and_score(models, X_train, X_test, y_train, y_test):\n    scores = {}\n"
                 "    for name, model in models.items():\n        model.fit(X_train, y_train)\n"
                 "        scores[name] = model.score(X_test, y_test)\n    return scores\n"
                 "df = df.dropna()")
    # the body's two steps in one sentence (rev19: two sentences, each "Defines `fit_and_score`", read as two defs),
    # both in the body's loop (Step.loops), said once after the two
    assert said == ["Defines `fit_and_score`, which fits a model as `model` on `X_train` and `y_train` and evaluates "
                    "`model` on `X_test` and `y_test` with `score` into `scores` (for each `(name, model)` in "
                    "`models.items()`) when called",
                    "Dropped rows with missing values from `df`"], said


def test_steps_of_a_body_and_of_the_cell_writing_one_name_are_two_groups():
    steps = analyze_source("def clean(df):\n    df = df.dropna()\n    return df\ndf = df.drop_duplicates()").steps
    assert [(s.op, s.output, s.in_function) for s in steps] == [("drop_missing", "df", "clean"),
                                                                 ("drop_duplicates", "df", None)]
    assert [len(g.steps) for g in group_steps(steps)] == [1, 1]


def test_a_nested_functions_steps_name_the_innermost_function():
    steps = analyze_source("def outer(d):\n    def inner(x):\n        return x.dropna()\n    return inner(d)").steps
    assert [(s.op, s.in_function) for s in steps] == [("drop_missing", "inner")]


def test_the_cells_own_steps_are_said_as_done():
    assert _said("df = df.replace({'region': regions_to_net})") == [f"Encoded `df` (replace){UNKNOWN_KIND}"]
    assert analyze_source("df = df.dropna()").steps[0].in_function is None


def test_the_first_divergent_step_of_a_diff_is_said_as_defined_too():
    step = analyze_source("def encode(df):\n    return df.replace({'region': r})").steps[0]
    ref = StepRef(seq=3, cell_id="c2", cell_index=2, execution_count=3, step=step)
    assert step_label(ref) == f"Defines `encode`, which encodes `df` (replace){UNKNOWN_KIND} when called (cell 3 [3], #3)"


def _every_phrase() -> list[str]:
    """What render/phrases.py says of each op, long and short forms, with fields that choose other wordings."""
    said = []
    variants = [dict(inputs=["df"], output="x", columns=["a"]), dict(inputs=[], output=None, columns=[]),
                dict(inputs=["df"], output="df", columns=["a"], detail="get_dummies", method="get_dummies"),
                dict(inputs=["df", "b"], output="t", method="DataFrame"), dict(inputs=["m", "X"], model="m"),
                dict(inputs=["df"], static_op="filter_rows", code="df = df[df.a > 0]"),
                dict(inputs=[], code="print(TP / (TP + FN))"),
                dict(inputs=["df"], output="df", columns=["a"], derived_from=["a"])]  # df["a"] = df["a"] * 2
    for op in PHRASES:
        for fields in variants:
            step = Step(op=op, conditions=[StepCondition(comparison=">", column="a", value=0)], **fields)
            said += [step_phrase(step, with_target=True), step_phrase(step, with_target=False)]
    for method in OTHER_METHOD_TEMPLATES:
        step = Step(op="other", inputs=["df"], method=method, columns=["k"])
        said += [step_phrase(step, with_target=True), step_phrase(step, with_target=False)]
    return said


def test_every_phrases_verb_has_its_present_tense():
    phrases = set(_every_phrase())
    assert len({phrase.split()[0] for phrase in phrases}) > 20  # the variants reach most of the table's verbs
    present = set(PRESENT_TENSE.values())
    untold = sorted(p for p in phrases if not any(f"{present_tense(p)} ".startswith(verb + " ") for verb in present))
    assert not untold, untold


def test_a_step_of_a_body_is_described_alone_as_defined():
    step = analyze_source("def fit(X, y):\n    return LinearRegression().fit(X, y)").steps[0]
    assert describe_step(step).startswith("Defines `fit`, which fits a "), describe_step(step)


def test_every_clause_of_a_bodys_sentence_says_what_the_function_does():
    # bfn-ofsted's calculate_totals (rev19): one chain of five steps, and a body of two statements, each one sentence;
    # every clause in the present tense, not only the first ("aggregates ..., reshaped the table, ...")
    said = _said("def calculate_totals(grouped_df):\n    return grouped_df['e'].value_counts().unstack().fillna(0)"
                 ".astype(int)[['Bad', 'Good']]\n"
                 "def clean(d):\n    d = d[d.x1 > 0]\n    return d.dropna()")
    assert said == ["Defines `calculate_totals`, which aggregates `grouped_df` by `e`, reshapes the table, fills missing "
                    "values in `e`, converts `e` and selects `Bad` and `Good` when called",
                    "Defines `clean`, which filters rows of `d` on `x1` and drops rows with missing values from `d` "
                    "when called"], said


def test_a_module_the_statement_used_is_not_an_argument_of_the_call():
    # statsmodels quantile regression cell 9: "calls it on `quantiles`, `models` and `pd` into `models`" (rev31)
    from trackit_sidecar.render.defined import calls
    said = calls("fit_model", {"models": ["fit_model", "quantiles", "pd"]})
    assert said == "calls it on `quantiles` into `models`", said


def _described_cell(tmp_path, source: str) -> list[str]:
    """The tree's lines for one cell of a notebook, as `trackit analyze` builds its record (derivations included)."""
    import nbformat

    from trackit_sidecar.lineage.static_notebook import analyze_notebook
    from trackit_sidecar.render.sentences import describe_execution
    path = tmp_path / "defines.ipynb"
    cells = ["import numpy as np\nimport pandas as pd\ndf = pd.read_csv('d.csv')", source]
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), path)
    return describe_execution(analyze_notebook(path).executions[-1])


def test_a_function_called_only_inside_another_body_is_not_said_to_be_called(tmp_path):
    # me-kaggle house-prices cell 3: `create_location_features` is called in `preprocess_data`'s body, which reads a
    # global it assigns; the cell read "Defines `create_location_features`, ..., and calls it on `categorical_columns`
    # and `dummy_columns` into `preprocess_data`, calls it on ... into `categorical_columns` and ..." (a def derives
    # from everything its body reads: no call)
    said = _described_cell(tmp_path, "def add_feat(df, ref):\n    df['p'] = df['a'].map(ref.groupby('a')['y'].median())\n"
                                     "    return df\n\ndef prep(df):\n    df = add_feat(df, df)\n    global cats\n"
                                     "    cats = df.select_dtypes(include=['object']).columns\n"
                                     "    return pd.get_dummies(df, columns=cats)\n\nX = prep(df)")
    assert said == ["Defines `add_feat`, which encodes `a` of `df` into `p` (map) when called",
                    "Defines `prep`, which one-hot encodes `df` when called, and calls it on `df` into `X`"], said


def test_a_function_the_cells_own_statement_calls_is_still_said_to_be_called(tmp_path):
    said = _described_cell(tmp_path, "def clean(d):\n    return d.dropna()\n\nclean_df = clean(df)")
    assert said[-1].endswith("when called, and calls it on `df` into `clean_df`"), said


def test_a_function_the_cell_hands_on_is_said_to_be_called(tmp_path):
    # handed to pipe, or called in a lambda given to apply, the function runs when the cell runs (a first version of
    # call_derivations counted only direct calls and dropped "calls it on `df`" here)
    piped = _described_cell(tmp_path, "def fix(d):\n    return d.dropna()\n\ndf = df.pipe(fix)")
    assert piped[-1].endswith("when called, and calls it on `df`"), piped
    in_lambda = _described_cell(tmp_path, "def fix(d):\n    return d.dropna()\n\n"
                                          "df = df.groupby('g').apply(lambda x: fix(x))")
    assert any(line.endswith("when called, and calls it on `df`") for line in in_lambda), in_lambda
