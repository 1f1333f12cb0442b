"""What the wording needs of a statement, set on its steps by the classifier (lineage/classify/wording_facts.py), read
from the AST: until session 19 render/ read these facts off `Step.code` with regexes, which a string, a comment, a
non-ASCII name or the code's 300-character cut misled. Each regex-misled case is worded here too (render/ now reads
the fields only)."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.lineage.steps import classify_cell, classify_steps
from trackit_sidecar.protocol import Step
from trackit_sidecar.render.phrases import step_phrase
from trackit_sidecar.render.sentences import describe_step

FRAMES = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('d.csv')\nsp = pd.read_csv('sp.csv')\n"


def steps_of(cell: str, op: str) -> list[Step]:
    return [s for s in analyze_source(FRAMES + cell).steps if s.op == op]


def one(cell: str, op: str) -> Step:
    found = steps_of(cell, op)
    assert len(found) == 1, analyze_source(FRAMES + cell).steps
    return found[0]


def test_a_step_of_no_input_whose_value_names_its_output_worked_on_that_output() -> None:
    # jvns-cookbook ch06: the cast of `is_snowing` reads no input the classifier knows, yet works on `is_snowing`
    _, context = classify_cell(FRAMES + "is_snowing = df['Weather'].str.contains('Snow')")
    cast, = classify_steps("is_snowing=is_snowing.astype(float)", context)
    assert (cast.op, cast.inputs, cast.reads_output) == ("type_cast", [], True)
    assert describe_step(cast).startswith("Converted the type of `is_snowing`")
    other, _ = classify_steps("snowiness = is_snowing.astype(float).resample('ME').apply(np.mean)", context)
    assert (other.inputs, other.reads_output) == ([], False)


def test_a_file_named_like_the_variable_is_not_the_variable_read() -> None:
    # out_of_order_wine: the regex found `wine` in "data/wine.csv" and said "dropped rows ... from `wine`", a
    # variable the statement only makes; the same chain on "data/red.csv" was worded otherwise
    wine, red = one('wine = pd.read_csv("data/wine.csv").dropna()', "drop_missing"), \
        one('wine = pd.read_csv("data/red.csv").dropna()', "drop_missing")
    assert (wine.inputs, wine.reads_output) == ([], False)
    assert step_phrase(wine) == step_phrase(red) == "dropped rows with missing values from the data into `wine`"


def test_the_columns_an_assign_makes_are_its_keywords_however_they_are_written() -> None:
    step = one("regions = df.assign(lower_bound=df['mean'] - 1.96 * df['std'])", "derive_feature")
    assert step.assigned_columns == ["lower_bound"]
    # with the columns its expression reads by label (derived_from, lead session 33)
    assert describe_step(step) == "Derived `lower_bound` from `mean` and `std` in `df` into `regions`"
    # a non-ASCII name (effective-pandas ch7 `Δy`), a comment between keywords (hoda-pandas), a keyword past the
    # stored code's 300-character cut (bfn-eeoc): each read "derived a new feature from" the column it made
    delta = one("data = df.assign(\u0394y=df.y.diff())", "derive_feature")
    assert delta.assigned_columns == ["\u0394y"]
    assert describe_step(delta) == "Derived `\u0394y` in `df` into `data`"
    commented = one("sp2 = sp.assign(\n    ratio=sp.a / sp.b,  # a share, not a count\n    total=sp.a + sp.b)",
                    "derive_feature")
    assert commented.assigned_columns == ["ratio", "total"]
    assert describe_step(commented) == "Derived `ratio` and `total` in `sp` into `sp2`"
    made = [f"c{i}" for i in range(40)]
    long = one("wide = df.assign(" + ", ".join(f"{c}=df.a * {i}" for i, c in enumerate(made)) + ")", "derive_feature")
    assert (long.code or "").endswith("\u2026") and long.assigned_columns == made
    assert " from " not in describe_step(long)


def test_a_prediction_inside_an_assign_names_the_model_whose_method_made_it() -> None:
    step = one("out = df.assign(prediction=reg.predict(df[features]))", "predict")
    assert (step.model, step.inputs) == ("reg", ["df"])
    # the column it fills is said (sel13: "into `out`" named no column)
    assert step.assigned_columns == ["prediction"]
    assert describe_step(step) == "Predicted with `reg` on `df` into column `prediction` of `out`"


def test_a_rename_of_no_column_names_an_axis_or_the_data_itself() -> None:
    assert one('df.index.name = "k"', "rename").names_axis == "index"
    assert one('df.columns.names = ["a"]', "rename").names_axis == "columns"
    assert one('df2 = df.rename_axis("k")', "rename").names_axis == "index"
    by_axis = one('df2 = df.rename_axis("k", axis=1)', "rename")  # the regex said "the index" of any rename_axis
    assert (by_axis.names_axis, by_axis.named_as) == ("columns", None)
    assert describe_step(by_axis) == "Named the columns' axis of `df` into `df2`"
    series = one('s = df.a\ns.name = "Snowiness"', "rename")
    assert (series.names_axis, series.named_as) == (None, "Snowiness")
    assert describe_step(series) == "Named `s` `Snowiness`"


def test_a_name_written_in_a_comment_or_held_in_a_variable_is_not_given() -> None:
    # the regex read `.name = "x"` inside the comment: "named `df` `x`"
    commented = one('df2 = df.rename(  # keep the series\' .name = "x"\n    str.lower, axis=1)', "rename")
    assert (commented.names_axis, commented.named_as) == (None, None)
    assert describe_step(commented) == "Renamed columns of `df` into `df2`"
    held = one('s = df.a\nlabel = "x"  # s.name = "y"\ns.name = label', "rename")
    assert (held.names_axis, held.named_as) == (None, None)


def test_a_figure_printed_from_a_models_results_is_its_expression() -> None:
    cell = ("from sklearn.metrics import confusion_matrix\ncm = confusion_matrix(y_test, pred)\n"
            "TP = cm[1, 1]\nFN = cm[1, 0]\nprint(TP / (TP + FN))")
    computed, = [s for s in steps_of(cell, "evaluate") if not s.inputs]
    assert computed.shown_expression == "TP / (TP + FN)"
    assert describe_step(computed) == "Computed `TP / (TP + FN)` from the model's results"


def test_an_in_place_fill_of_a_picked_column_is_marked() -> None:
    assert one('df["a"].fillna(0, inplace=True)', "impute_missing").in_place_on_pick is True
    assert one("df.fillna(0, inplace=True)", "impute_missing").in_place_on_pick is False
    assert one('df["a"] = df["a"].fillna(0)', "impute_missing").in_place_on_pick is False


def test_the_wording_reads_the_fields_not_the_code() -> None:
    # a step whose code says `.name = "x"` but whose fields say nothing of it: worded as the fields say
    plain = Step(op="rename", inputs=["s"], output="s", code='s.name = "x"')
    assert describe_step(plain) == "Renamed columns of `s`"
    named = plain.model_copy(update={"named_as": "x"})
    assert describe_step(named) == "Named `s` `x`"
    assert describe_step(Step(op="rename", inputs=["df"], output="df", names_axis="columns")) \
        == "Named the columns' axis of `df`"


def test_a_threshold_prediction_names_the_scores_it_compares_not_the_other_data() -> None:
    # islr chapter 4: a table of the true labels beside the thresholded scores read "predicted with `y` on `y_prob`"
    made = steps_of("decision_prob = 0.2\ny_prob = lda.fit(X, y).predict_proba(X)\n"
                    "df_ = pd.DataFrame({'true': y, 'pred': y_prob[:, 1] > decision_prob})", "predict")
    threshold = [s for s in made if s.method == "threshold"]
    assert [(s.output, s.thresholded) for s in threshold] == [("df_", ["y_prob"])]
    assert all(not s.thresholded for s in made if s.method != "threshold")
    assert step_phrase(threshold[0]).startswith("predicted classes by a threshold on `y_prob`")
