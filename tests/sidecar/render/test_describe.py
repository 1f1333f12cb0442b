"""Step phrases for the lineage tree and hovers: grouping of steps that share measured facts, noise, wording."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.render.effects import effect_phrases, runtime_delta
from trackit_sidecar.render.files import match_input_file
from trackit_sidecar.render.groups import group_steps
from trackit_sidecar.render.sentences import describe_step, describe_steps
from trackit_sidecar.render.words import names
from trackit_sidecar.lineage.graph import attach_runtime
from trackit_sidecar.protocol import InputFile, RuntimeFacts, Step


def facts(variable="df", **values) -> RuntimeFacts:
    return RuntimeFacts(variable=variable, kind="DataFrame", **values)


def test_steps_writing_one_variable_in_one_cell_share_one_line_and_one_effect():
    # classified from real code, facts attached the way the store does it: to the last writer of `df`
    steps = analyze_source('df = passengers.drop_duplicates()\ndf["Age"] = pd.to_numeric(df["Age"], errors="coerce")').steps
    assert [s.op for s in steps] == ["drop_duplicates", "type_cast"]
    attach_runtime(steps, [facts(rows_before=900, rows_after=891, cols_before=10, cols_after=10,
                                 dtype_changes={"Age": ["str", "float64"]}, nulls_before=141, nulls_after=151)])
    assert steps[0].runtime is None and steps[1].runtime is not None  # the misattribution we must not print

    assert describe_steps(steps) == [
        "Dropped duplicate rows from `passengers` into `df` and converted `Age` from str to float64: "
        "900 \u2192 891 rows (\u22129); missing values 141 \u2192 151"
    ]


def test_join_then_fill_in_one_cell_does_not_credit_the_fill_with_the_new_column():
    steps = analyze_source('df = df.merge(tickets[["Ticket", "Fare"]], on="Ticket", how="left")\n'
                           'df["Fare"] = df["Fare"].fillna(df["Fare"].median())\ndf.head()').steps
    attach_runtime(steps, [facts(rows_before=889, rows_after=889, cols_before=12, cols_after=13, added_columns=["Fare"])])
    lines = describe_steps(steps)
    assert lines == ["Joined `df` with `tickets` on `Ticket` (left join) and filled missing values in `Fare` with the median: "
                     "889 rows (unchanged); 12 \u2192 13 columns (+1); added `Fare`"]


def test_groups_are_consecutive_same_output_steps_or_evaluations_of_the_same_inputs():
    steps = [
        Step(op="filter_rows", inputs=["df"], output="df", columns=["a"]),
        Step(op="drop_duplicates", inputs=["df"], output="df"),
        Step(op="select_columns", inputs=["df"], output="X", columns=["a"]),
        Step(op="sort", inputs=["df"], output="df", columns=["a"]),
        Step(op="evaluate", inputs=["y", "p"], output="acc", detail="accuracy_score"),
        Step(op="evaluate", inputs=["y", "p"], detail="f1_score"),
        Step(op="evaluate", inputs=["y", "q"], detail="f1_score"),
    ]
    groups = group_steps(steps)
    assert [[s.op for s in g.steps] for g in groups] == [
        ["filter_rows", "drop_duplicates"], ["select_columns"], ["sort"], ["evaluate", "evaluate"], ["evaluate"]]
    assert [g.kind for g in groups] == ["output", "single", "single", "evaluate", "single"]
    assert describe_steps(steps)[3] == "Evaluated `y` and `p` with `accuracy_score` (into `acc`) and `f1_score`"


def test_other_steps_are_shown_only_inside_a_group_or_when_nothing_else_ran():
    head = Step(op="other", inputs=["df"], code="df.head()", line=3)
    fill = Step(op="impute_missing", inputs=["df"], output="df", columns=["Fare"], code="df = df.fillna(0)", line=1)
    assert describe_steps([fill, head]) == ["Filled missing values in `Fare` of `df`"]
    assert describe_steps([head]) == ["Ran `df.head()`"]
    custom = Step(op="other", inputs=["df"], output="df", code="df = my_cleaning(df)", line=2)
    assert describe_steps([fill, custom]) == ["Filled missing values in `Fare` of `df` and ran `df = my_cleaning(df)`"]


def test_an_other_step_that_measurably_changed_data_is_kept():
    fill = Step(op="impute_missing", inputs=["df"], output="df", columns=["Fare"])
    mutate = Step(op="other", inputs=["raw"], code="clean_in_place(raw)",
                  runtime=facts("raw", rows_before=10, rows_after=8))
    assert describe_steps([fill, mutate])[1] == "Ran `clean_in_place(raw)`: 10 \u2192 8 rows (\u22122)"


def test_one_statement_classified_twice_reads_as_one_clause():
    # what the classifier recorded for this line in the demo: a derive_feature for the groupby and an impute
    code = 'df["Age"] = df["Age"].fillna(df.groupby(["Sex", "Pclass"])["Age"].transform("median"))'
    steps = [Step(op="derive_feature", inputs=["df"], output="df", columns=["Sex", "Pclass", "Age"], code=code, line=1),
             Step(op="impute_missing", inputs=["df"], output="df", columns=["Age"], code=code, line=1,
                  runtime=facts(rows_before=889, rows_after=889, nulls_before=149, nulls_after=0))]
    assert describe_steps(steps) == [
        "Filled missing values in `Age` of `df` using `Sex` and `Pclass`: 889 rows (unchanged); missing values 149 \u2192 0"]


def test_derived_column_is_named_as_the_target_and_its_sources():
    code = 'df["FamilySize"] = df["SibSp"] + df["Parch"] + 1'
    steps = [Step(op="derive_feature", inputs=["df"], output="df", columns=["FamilySize"], code=code,
                  derived_from=["SibSp", "Parch"])]
    assert describe_steps(steps) == ["Derived `FamilySize` from `SibSp` and `Parch` in `df`"]


def test_unchanged_facts_of_a_merely_read_variable_are_not_an_effect():
    step = Step(op="evaluate", inputs=["y_test", "predictions"], detail="classification_report",
                runtime=RuntimeFacts(variable="y_test", kind="Series", rows_before=223, rows_after=223))
    assert describe_steps([step]) == ["Evaluated `y_test` and `predictions` with `classification_report`"]
    assert describe_step(step) == "Evaluated `y_test` and `predictions` with `classification_report`"


def test_predict_names_the_model_from_its_field_or_the_first_input_of_an_older_analysis():
    step = Step(op="predict", inputs=["model", "X_test"], output="predictions", model="model",
                code="predictions = model.predict(X_test)",
                runtime=RuntimeFacts(variable="predictions", kind="ndarray", rows_after=223))
    assert describe_step(step) == "Predicted with `model` on `X_test` into `predictions`: 223 rows"
    listed = Step(op="predict", inputs=["model", "X_test"], output="preds")
    assert describe_step(listed) == "Predicted with `model` on `X_test` into `preds`"


def test_split_states_train_and_test_sizes_from_the_execution_facts():
    split = Step(op="split", inputs=["X", "y"], output="X_train", detail="outputs: X_train, X_test, y_train, y_test",
                 outputs=["X_train", "X_test", "y_train", "y_test"], runtime=facts("X_train", rows_before=889, rows_after=666))
    others = [facts("X_test", rows_before=889, rows_after=223),
              RuntimeFacts(variable="y_train", kind="Series", rows_before=889, rows_after=666),
              RuntimeFacts(variable="y_test", kind="Series", rows_before=889, rows_after=223)]
    assert describe_steps([split], facts=others) == [
        "Split `X` and `y` into training and test sets: 889 rows \u2192 666 in `X_train` and `y_train`, "
        "223 in `X_test` and `y_test`"]
    # without the other outputs' facts the parts are still named, and the one size known is said of its part
    assert describe_steps([split]) == [
        "Split `X` and `y` into training and test sets `X_train`, `X_test`, `y_train` and `y_test`: "
        "889 rows \u2192 666 in `X_train`"]


def test_a_load_states_the_matched_file_and_the_shape_of_what_it_made():
    load = Step(op="load", output="passengers", detail="data/passengers.csv",
                runtime=facts("passengers", rows_after=900, cols_after=10, nulls_after=141))
    files = [InputFile(path="/home/ana/proj/data/passengers.csv", size=50144, sha256="5efb7e27dc43" + "0" * 52)]
    assert describe_steps([load], files=files) == [
        "Loaded `data/passengers.csv` (49.0 KB, sha256 5efb7e27) into `passengers`: 900 rows \u00d7 10 columns; "
        "141 missing values"]


def test_input_files_match_by_trailing_path_then_by_unique_basename():
    a = InputFile(path="/p/data/train.csv")
    b = InputFile(path="/p/other/train.csv")
    c = InputFile(path="/p/tickets.csv")
    assert match_input_file("data/train.csv", [a, b, c]) is a
    assert match_input_file("./other/train.csv", [a, b, c]) is b
    assert match_input_file("/p/tickets.csv", [a, b, c]) is c
    assert match_input_file("../x/tickets.csv", [a, b, c]) is c  # unique basename
    assert match_input_file("train.csv", [a, b]) is None  # ambiguous: say nothing rather than guess
    assert match_input_file("train.csv", [a]) is a
    assert match_input_file(None, [a]) is None and match_input_file("x.csv", []) is None


def test_long_lists_are_cut_with_their_total():
    assert names(["a"]) == "`a`"
    assert names(["a", "b", "c"]) == "`a`, `b` and `c`"
    assert names([f"c{i}" for i in range(9)], limit=8).endswith("`c7` and `c8`")  # one more is shown, not cut
    cut = names([f"c{i}" for i in range(30)], limit=3)
    assert cut == "`c0`, `c1`, `c2` and others (30 in total)"
    assert names([f"c{i}" for i in range(30)], limit=3, count_total=False) == "`c0`, `c1`, `c2` and others"


def test_single_step_lines_keep_the_measured_effect():
    step = Step(op="filter_rows", inputs=["df"], output="df", columns=["a"],
                runtime=facts(rows_before=4, rows_after=3, cols_before=2, cols_after=2))
    assert describe_step(step) == "Filtered rows of `df` on `a`: 4 \u2192 3 rows (\u22121)"
    cast = Step(op="type_cast", inputs=["df"], output="df", columns=["Age"], detail="int",
                runtime=facts(dtype_changes={"Age": ["float64", "int64"]}))
    assert describe_step(cast) == "Converted `Age` of `df` to int: `Age` float64 \u2192 int64"
    assert runtime_delta(facts(rows_before=891, rows_after=714, added_columns=["Fare"])) == \
        "891 \u2192 714 rows (\u2212177); added `Fare`"
    assert runtime_delta(None) == ""


def test_every_op_reads_as_a_sentence_with_or_without_details():
    from trackit_sidecar.protocol import STEP_OPS

    rich = dict(inputs=["df", "other"], output="out", columns=["a", "b"], detail="d", code="out = f(df, other)",
                runtime=facts("out", rows_before=5, rows_after=4, cols_before=3, cols_after=3))
    for op in STEP_OPS:
        for step in (Step(op=op), Step(op=op, **rich)):
            text = describe_step(step)
            assert text[:1].isupper(), (op, text)
            assert "None" not in text and "  " not in text and "``" not in text, (op, text)
        short = describe_steps([Step(op=op, **rich), Step(op="sort", inputs=["out"], output="out")])
        assert len(short) == 1 and short[0].count("4 rows") <= 1, (op, short)


def test_a_chain_of_specific_ops_in_one_statement_names_each_of_them():
    code = "df = df.dropna(subset=['a']).rename(columns={'a': 'b'}).sort_values('b')"
    steps = [Step(op="drop_missing", inputs=["df"], output="df", columns=["a"], code=code, line=1),
             Step(op="rename", inputs=["df"], output="df", columns=["a"], code=code, line=1),
             Step(op="sort", inputs=["df"], output="df", columns=["b"], code=code, line=1,
                  runtime=facts(rows_before=10, rows_after=7))]
    assert describe_steps(steps) == [
        "Dropped rows with missing values in `a` from `df`, renamed `a` and sorted by `b`: 10 \u2192 7 rows (\u22123)"]


# ------------------------------------------------------------------ re-runs
def test_a_reloaded_file_states_the_new_objects_shape_not_a_change_from_the_old_binding():
    # the kernel's "before" of a re-run load is the value the name held, which the load discarded
    load = Step(op="load", output="df", detail="data.csv",
                runtime=facts(rows_before=889, rows_after=900, cols_before=13, cols_after=10, nulls_before=0,
                              nulls_after=141, added_columns=["Sex"], dtype_changes={"Age": ["float64", "str"]}))
    assert describe_steps([load]) == ["Loaded `data.csv` into `df`: 900 rows \u00d7 10 columns; 141 missing values"]


def test_a_fill_that_found_nothing_missing_says_so():
    # the bundled example's cell 20: the join left no fare missing, so `fillna` filled nothing; the line read
    # "Filled missing values in `Fare` of `df`: 889 rows (unchanged)", as if some had been filled
    fill = analyze_source('df["Fare"] = df["Fare"].fillna(df["Fare"].median())').steps
    attach_runtime(fill, [facts(rows_before=889, rows_after=889, cols_before=13, cols_after=13, nulls_before=0,
                                nulls_after=0, changed=False)])
    assert describe_steps(fill) == ["Filled missing values in `Fare` of `df` with the median: 889 rows (unchanged); "
                                    "no missing values to fill"]
    attach_runtime(fill, [facts(rows_before=889, rows_after=889, nulls_before=5, nulls_after=5)])
    assert describe_steps(fill) == ["Filled missing values in `Fare` of `df` with the median: 889 rows (unchanged); "
                                    "missing values 5 (unchanged)"]
    attach_runtime(fill, [facts(rows_before=889, rows_after=889, nulls_before=5, nulls_after=0)])
    assert describe_steps(fill) == ["Filled missing values in `Fare` of `df` with the median: 889 rows (unchanged); "
                                    "missing values 5 \u2192 0"]
    # a new name measured against its input says it too; one whose "before" is not its input's (a `%%capture`
    # cell, where the kernel saw `df2` before and after alike) claims nothing about what there was to fill
    copy = analyze_source("df2 = df.fillna(0)").steps
    attach_runtime(copy, [facts("df2", rows_before=3, rows_after=3, nulls_before=0, nulls_after=0, before_variable="df")])
    assert describe_steps(copy) == ["Filled missing values of `df` into `df2`: 3 rows (unchanged); no missing values to fill"]
    attach_runtime(copy, [facts("df2", rows_before=3, rows_after=3, nulls_before=0, nulls_after=0, changed=False)])
    assert describe_steps(copy) == ["Filled missing values of `df` into `df2`: 3 rows (unchanged)"]


def test_one_row_or_one_column_is_singular():
    # pandas_06_data_cleaning: "Encoded `DAY_OF_WEEK` ... into 1 columns (`week_day`)"; a one-column frame
    # read "10 rows × 1 columns"
    assert runtime_delta(facts(rows_after=10, cols_after=1)) == "10 rows \u00d7 1 column"
    assert runtime_delta(facts(rows_before=1, rows_after=1)) == "1 row (unchanged)"
    assert runtime_delta(facts(rows_after=1, cols_before=None)) == "1 row"
    encode = Step(op="encode_categorical", inputs=["df"], output="df", columns=["day"], method="Categorical",
                  detail="Categorical", runtime=facts(rows_before=5, rows_after=5, cols_before=2, cols_after=3,
                                                      added_columns=["week_day"]))
    assert describe_step(encode) == ("Encoded `day` of `df` (Categorical) into 1 column (`week_day`): "
                                     "5 rows (unchanged); 2 \u2192 3 columns (+1)")


def test_data_made_in_the_notebook_is_created_not_loaded():
    # pdsh 03.07 and pandas_06: "Loaded `DataFrame` into `countries`" for `countries = pd.DataFrame({...})`
    made = analyze_source("countries = pd.DataFrame({'a': [1, 2], 'b': [3, 4]})").steps
    attach_runtime(made, [facts("countries", rows_after=2, cols_after=2)])
    assert describe_steps(made) == ["Created `countries` with `DataFrame`: 2 rows \u00d7 2 columns"]
    read = analyze_source("df = pd.read_csv('passengers.csv')").steps
    assert describe_steps(read) == ["Loaded `passengers.csv` into `df`"]


def test_statements_that_read_the_same_are_said_once_and_counted():
    # pdsh 03.07: "Derived `state` from `state/region` in `merged` and derived `state` from `state/region`"
    steps = analyze_source('merged.loc[merged["state/region"] == "PR", "state"] = "Puerto Rico"\n'
                           'merged.loc[merged["state/region"] == "USA", "state"] = "United States"').steps
    assert len(steps) == 2
    attach_runtime(steps, [facts("merged", rows_before=2544, rows_after=2544, nulls_before=116, nulls_after=20)])
    assert describe_steps(steps) == ["Derived `state` from `state/region` in `merged` (2 statements): "
                                     "2,544 rows (unchanged); missing values 116 \u2192 20"]


def test_one_missing_value_is_said_in_the_singular():
    # a loaded 2 x 2 csv with one empty field read "2 rows × 2 columns; 1 missing values"
    load = Step(op="load", output="df", detail="x.csv", runtime=facts(rows_after=2, cols_after=2, nulls_after=1))
    assert describe_steps([load]) == ["Loaded `x.csv` into `df`: 2 rows \u00d7 2 columns; 1 missing value"]


def test_a_figure_computed_by_hand_is_said_by_its_expression_not_the_call_that_prints_it():
    # the classifier reads the figure off the display call (lineage/classify/wording_facts.py, test_wording_facts.py)
    step = Step(op="evaluate", output=None, code="print(TP / (TP + FN))", shown_expression="TP / (TP + FN)")
    assert describe_steps([step]) == ["Computed `TP / (TP + FN)` from the model's results"]
    both = Step(op="evaluate", output=None, code="print(TP, FN)")  # not one figure: the statement as written
    assert describe_steps([both]) == ["Computed `print(TP, FN)` from the model's results"]


def test_split_parts_measured_without_the_size_they_came_from_say_each_parts_rows():
    # rev12: a hover's split label read "... 180 in `y_train` rows" when no output's facts had a size before
    split = Step(op="split", inputs=["X", "y"], output="X_train", detail="outputs: X_train, X_test, y_train, y_test",
                 outputs=["X_train", "X_test", "y_train", "y_test"],
                 runtime=RuntimeFacts(variable="X_train", kind="DataFrame", rows_after=180))
    others = [RuntimeFacts(variable="y_train", kind="Series", rows_after=180),
              RuntimeFacts(variable="X_test", kind="DataFrame", rows_after=1)]
    assert describe_steps([split], facts=others) == [
        "Split `X` and `y` into training and test sets `X_train`, `X_test`, `y_train` and `y_test`: 180 rows in "
        "`X_train` and `y_train`, 1 row in `X_test`"]


def test_a_join_chained_on_a_load_names_the_table_it_joined():
    # rev13, causal-handbook 17: `customer_features = pd.read_csv(...).merge(profitable, on="customer_id")` read
    # "Loaded ... into `customer_features` and joined another table on `customer_id`": which table was not said
    from trackit_sidecar.lineage.analysis import analyze_source

    steps = analyze_source("import pandas as pd\ncustomer_features = pd.read_csv('data/customer_features.csv')"
                           ".merge(profitable, on='customer_id')").steps
    assert describe_steps(steps) == ["Loaded `data/customer_features.csv` into `customer_features` and joined "
                                     "`profitable` on `customer_id`"]


def test_a_column_made_by_an_assign_keyword_is_what_was_derived_not_where_from():
    # rev13, causal-handbook 17 and bfn-eeoc 01: `regions.assign(lower_bound=...)` read "derived a new feature from
    # `lower_bound`", `.assign(industry_code=lambda x: x["Series ID"].str[3:11])` "Derived a new feature from
    # `industry_code` in ..."; the column is the one made
    from trackit_sidecar.lineage.analysis import analyze_source

    steps = analyze_source("regions = train.groupby('region')['net_value'].agg(['mean', 'count', 'std'])\n"
                           "regions = regions.assign(lower_bound=regions['mean'] - 1.96 * regions['std'])").steps
    # and what it was computed from (lead, session 33: the expression's columns, `derived_from`)
    assert describe_steps(steps) == ["Aggregated `net_value` of `train` by `region` into `regions` and derived "
                                     "`lower_bound` from `mean` and `std`"], describe_steps(steps)
    chained = analyze_source("import pandas as pd\nm = pd.concat([a, b]).assign(code=lambda x: x['Series ID'].str[3:11])"
                             ).steps
    derived = next(s for s in chained if s.op == "derive_feature")
    assert describe_steps([derived]) == ["Derived `code` from `Series ID` in `a` and `b` into `m`"], \
        describe_steps([derived])
    rolled = analyze_source("r = df.v.rolling(3).mean()").steps  # a column it was computed from stays a source
    assert "from `v`" in describe_steps(rolled)[0], describe_steps(rolled)
    # a long statement's stored code is cut short ("…"): the keyword is still read
    cut = derived.model_copy(update={"code": "m = pd.concat([a, b])\\\n    .assign(code=lambda x: x['Series ID'].str[3:11]"
                                            ")\\\n    .set_index(['code', 'metric'])['Sep 2016'].unstack()\\\n    .as…"})
    assert describe_steps([cut]) == ["Derived `code` from `Series ID` in `a` and `b` into `m`"]


def test_a_concatenation_of_several_tables_is_no_change_of_the_first():
    # rev13, bfn-eeoc 01: pd.concat([total, earnings, women]) reshaped, measured against `total` (907 rows), read
    # "907 → 908 rows (+1)": as if one row were added to it; 2,200 rows were concatenated
    facts = RuntimeFacts(variable="m", kind="DataFrame", rows_before=907, rows_after=908, cols_before=14,
                         cols_after=9, before_variable="total")
    step = Step(op="concat", inputs=["total", "earnings", "women"], output="m", method="concat", runtime=facts)
    (line,) = describe_steps([step])
    assert line == "Concatenated `total`, `earnings` and `women` into `m`: 908 rows (907 in `total`); 9 columns (14 in " \
                   "`total`)", line


def test_a_models_own_score_names_the_model_apart_from_the_data_it_scored():
    # rev14, ztm-ml heart-disease cells 33/39/42/45: `rs_log_reg.score(X_test, y_test)` read "Evaluated `rs_log_reg`,
    # `X_test` and `y_test` with `score`": the model listed as one more thing evaluated, beside the data
    steps = analyze_source("import pandas as pd\nrs_log_reg.score(X_test, y_test)\n"
                           "train_scores.append(knn.score(X_train, y_train))").steps
    assert describe_steps(steps) == ["Evaluated `rs_log_reg` on `X_test` and `y_test` with `score`",
                                     "Evaluated `knn` on `X_train` and `y_train` with `score`"], describe_steps(steps)


def test_an_assign_keyword_cut_from_a_long_statements_code_is_named_from_the_executions_facts():
    # rev13, bfn-eeoc 01 cell 8: the hovers of a 400-character chained statement read "Derived a new feature from
    # `naics_supersector` in ...": its stored code is cut at 300 characters, past the first `.assign(...)`, so the
    # keyword was not in the text; the run measured the column added to the variable the statement assigns
    from trackit_sidecar.protocol import ExecutionRecord
    from trackit_sidecar.render.tree import label_executions

    source = ("import pandas as pd\nm = pd.concat([a, b])\\\n    .assign(code=lambda x: x['Series ID'].str[3:11])\\\n"
              "    .set_index(['code', 'metric'])['Sep 2016'].unstack()\\\n    .reset_index()\\\n"
              "    .assign(supersector=lambda x: x['code'].str[0:2])\nm['source'] = 'ces'")
    steps = analyze_source(source).steps
    supersector = next(s for s in steps if s.op == "derive_feature" and s.columns == ["supersector"])
    supersector.code = supersector.code[:120] + "\u2026"  # as stored: cut before the keyword
    measured = facts("m", added_columns=["code", "supersector", "source"], rows_after=908, cols_after=9)
    execution = ExecutionRecord(seq=5, session=1, cell_id="c8", cell_index=7, source=source, status="ok",
                                started_at="", ended_at="", duration_ms=1.0, source_sha256="", steps=steps,
                                runtime=[measured])
    label_executions([execution], {})
    assert supersector.label == "Derived `supersector` from `code` in `a` and `b` into `m`", supersector.label
    constant = next(s for s in steps if s.columns == ["source"])
    assert constant.label == "Derived `source` in `m`", constant.label


def test_a_conversion_that_made_values_missing_says_how_many_by_column():
    # pd.to_numeric(..., errors="coerce") turns what it cannot read into NaN without an error (the bundled example: 12
    # ages); a frame's total alone ("missing values 139 -> 151") does not say the conversion lost values
    coerced = facts(rows_before=891, rows_after=891, cols_before=10, cols_after=10,
                    dtype_changes={"Age": ["str", "float64"]}, nulls_before=139, nulls_after=151,
                    column_nulls_before={"Age": 137, "Embarked": 2}, column_nulls_after={"Age": 149, "Embarked": 2})
    assert effect_phrases(coerced, "type_cast", ["Age"]) == [
        "891 rows (unchanged)", "missing values 139 \u2192 151 (12 values of `Age` did not convert)"]
    steps = analyze_source('df["Age"] = pd.to_numeric(df["Age"], errors="coerce")').steps
    attach_runtime(steps, [coerced])
    assert describe_step(steps[0]).endswith("missing values 139 \u2192 151 (12 values of `Age` did not convert)")
    # the same facts on a step that converts nothing claim no failed conversion
    assert "convert" not in runtime_delta(coerced)
    assert "convert" not in "; ".join(effect_phrases(coerced, "derive_feature"))


def test_only_converted_columns_that_gained_gaps_count_as_not_converted():
    parsed = facts(dtype_changes={"when": ["str", "datetime64[us]"], "n": ["int64", "float64"]},
                   nulls_before=1, nulls_after=9, column_nulls_before={"x": 1},
                   column_nulls_after={"when": 2, "n": 1, "x": 4})
    assert effect_phrases(parsed, "datetime_parse")[-1] == \
        "missing values 1 \u2192 9 (2 values of `when` and 1 of `n` did not convert)"
    # `x` gained gaps but kept its type: not counted; one column is said in the singular
    one = facts(dtype_changes={"when": ["str", "datetime64[us]"]}, nulls_before=0, nulls_after=4,
                column_nulls_before={}, column_nulls_after={"when": 1, "x": 3})
    assert effect_phrases(one, "datetime_parse")[-1] == "missing values 0 \u2192 4 (1 value of `when` did not convert)"
    # no count by column (too many columns with gaps): the total is said, no column is blamed
    total_only = facts(dtype_changes={"when": ["str", "datetime64[us]"]}, nulls_before=0, nulls_after=4)
    assert effect_phrases(total_only, "datetime_parse", ["when"]) == ["missing values 0 \u2192 4"]
