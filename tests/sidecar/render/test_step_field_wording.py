"""Sentences that were false because a step's structured fields were (qa6's wrong claims in the classifier): each
case checks the fields the classifier gives a small cell and the sentence the one renderer makes of them."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.lineage.graph import attach_runtime
from trackit_sidecar.protocol import RuntimeFacts
from trackit_sidecar.render.sentences import describe_step, describe_steps


def facts(variable: str, **values) -> RuntimeFacts:
    return RuntimeFacts(variable=variable, kind="DataFrame", **values)


def test_a_drop_chained_onto_a_merge_names_only_the_column_it_drops():
    # pdsh 03.07 cell 28: "Dropped `employee` and `name` from `df1` and `df3`": the merge's keys were inherited
    shown = analyze_source('pd.merge(df1, df3, left_on="employee", right_on="name").drop("name", axis=1)').steps
    assert [(s.op, s.columns) for s in shown] == [("join", ["employee", "name"]), ("drop_columns", ["name"])]
    # shown, not kept: one sentence, the drop said on the join's result
    assert describe_steps(shown) == ["Joined `df1` with `df3`, matching `employee` of `df1` to `name` of `df3` and "
                                     "dropped `name`"]
    kept = analyze_source('df4 = pd.merge(df1, df3, left_on="employee", right_on="name").drop("name", axis=1)').steps
    attach_runtime(kept, [facts("df4", rows_after=8, cols_after=4)])
    assert [(s.op, s.columns) for s in kept] == [("join", ["employee", "name"]), ("drop_columns", ["name"])]
    assert describe_steps(kept) == ["Joined `df1` with `df3`, matching `employee` of `df1` to `name` of `df3` into "
                                    "`df4` and dropped `name`: "
                                    "8 rows \u00d7 4 columns"]


def test_a_step_chained_onto_a_table_built_by_a_function_does_not_take_the_calls_key_columns():
    sort = analyze_source('x = pd.merge(a, b, on="k").sort_values("when")').steps[-1]
    assert (sort.op, sort.columns) == ("sort", ["when"])
    drop = analyze_source('x = pd.get_dummies(df, columns=["colour"]).drop("colour_red", axis=1)').steps[-1]
    assert (drop.op, drop.columns) == ("drop_columns", ["colour_red"])
    assert describe_step(drop) == "Dropped `colour_red` from `df` into `x`"


def test_an_aggregate_says_what_it_grouped_by_apart_from_what_it_aggregated():
    # pandas-videos: "Aggregated `passengers` by `Pclass` and `Survived`": the aggregated column read as a group key
    step, = analyze_source('passengers.groupby("Pclass").Survived.mean()').steps
    assert (step.op, step.columns, step.group_keys, step.statistic) == (
        "aggregate", ["Pclass", "Survived"], ["Pclass"], "mean")
    assert describe_step(step) == "Aggregated `Survived` of `passengers` by `Pclass` (mean)"
    step, = analyze_source('by_class = df.groupby(["Sex", "Pclass"])["Age"].agg("median")').steps
    assert (step.group_keys, step.statistic) == (["Sex", "Pclass"], "median")
    assert describe_step(step) == "Aggregated `Age` of `df` by `Sex` and `Pclass` (median) into `by_class`"


def test_an_aggregate_whose_keys_are_not_column_names_says_no_key():
    # grouped in an earlier statement, or by a computed key: `v` / `seconds` are aggregated, not grouped by
    steps = analyze_source('g = df.groupby("k")\nmeans = g["v"].mean()').steps
    assert describe_step(steps[-1]) == "Aggregated `v` of `g` (mean) into `means`"
    step, = analyze_source("daily = df.groupby(df.end.dt.date).seconds.sum()").steps
    assert (step.group_keys, step.statistic) == ([], "sum")
    assert describe_step(step) == "Aggregated `seconds` of `df` (sum) into `daily`"
    step, = analyze_source('sizes = df.groupby(["a", "b"]).size()').steps
    assert describe_step(step) == "Aggregated `df` by `a` and `b` (size) into `sizes`"


def test_a_column_encoded_into_a_new_one_is_not_said_to_be_encoded_itself():
    # pandas-06: "Encoded `DAY_OF_WEEK` and `week_day`": the new column was listed as an encoded input
    steps = analyze_source('casualties["week_day"] = pd.Categorical(casualties["DAY_OF_WEEK"], '
                           'categories=["Mon", "Tue"], ordered=True)').steps
    attach_runtime(steps, [facts("casualties", rows_before=4, rows_after=4, cols_before=3, cols_after=4,
                                 added_columns=["week_day"])])
    step, = steps
    assert (step.op, step.columns, step.derived_from) == ("encode_categorical", ["week_day"], ["DAY_OF_WEEK"])
    assert describe_steps(steps) == ["Encoded `DAY_OF_WEEK` of `casualties` into `week_day` (Categorical): "
                                     "4 rows (unchanged); 3 \u2192 4 columns (+1)"]
    # encoded in place: the column is the one encoded, nothing is derived
    step, = analyze_source('df["Sex"] = df["Sex"].map({"male": 0, "female": 1})').steps
    assert (step.columns, step.derived_from) == (["Sex"], [])
    assert describe_step(step) == "Encoded `Sex` of `df` (map)"



def test_values_changed_into_another_column_name_the_column_changed_and_where_they_went():
    # the same as the encoding above, for every op that changes a column's values
    cases = {
        'df["x2"] = df["x"].fillna(0)': ("impute_missing", "Filled missing values in `x` of `df` into `x2`"),
        'df["b"] = df["a"].astype(int)': ("type_cast", "Converted `a` of `df` into `b`"),
        'df["clean"] = df["name"].str.lower()': ("text_clean", "Cleaned text in `name` of `df` into `clean`"),
        'df["when"] = pd.to_datetime(df["d"])': ("datetime_parse", "Parsed `d` of `df` as dates into `when`"),
        'df["is_female"] = (df.sex == "female").astype(int)': ("encode_categorical",
                                                             "Encoded `sex` of `df` into `is_female`"),
    }
    for source, (op, sentence) in cases.items():
        step, = analyze_source(source).steps
        assert (step.op, len(step.columns), step.derived_from != []) == (op, 1, True), source
        assert describe_step(step) == sentence
    # a fill from another column changes `x` itself: `y` is where the values came from, not a column filled
    step, = analyze_source('df["x"] = df["x"].fillna(df["y"])').steps
    assert (step.columns, step.derived_from) == (["x"], [])
    assert describe_step(step) == "Filled missing values in `x` of `df`"


def test_a_table_made_around_drawn_values_is_created_with_its_constructor():
    # qa6: `df = pd.DataFrame({'a': np.random.rand(5)})` read "Created `df` with `rand`"
    step, = analyze_source("df = pd.DataFrame({'a': np.random.rand(5), 'b': np.random.randn(5)})").steps
    assert (step.op, step.method, step.detail, step.inputs) == ("load", "DataFrame", "DataFrame", [])
    assert describe_step(step) == "Created `df` with `DataFrame`"
    # the draw alone is random data (rev31: "with `rand`" read as made of something named `rand`)
    step, = analyze_source("x = np.random.rand(5)").steps
    assert describe_step(step) == "Created `x` as random data (`rand`)"


def test_a_join_states_its_result_beside_the_input_it_was_measured_against_not_as_rows_added():
    # pandas-videos: "Joined `movies` with `ratings` into `movie_ratings`: 1,682 -> 100,000 rows (+98,318)"
    steps = analyze_source("movie_ratings = pd.merge(movies, ratings)").steps
    attach_runtime(steps, [facts("movie_ratings", rows_before=1682, rows_after=100000, cols_before=6, cols_after=9,
                                 nulls_before=0, nulls_after=12, before_variable="movies")])
    assert describe_steps(steps) == ["Joined `movies` with `ratings` into `movie_ratings`: 100,000 rows "
                                     "(1,682 in `movies`); 9 columns (6 in `movies`); 12 missing values (0 in `movies`)"]
    # a table joined onto itself in place is a change of that table
    steps = analyze_source('df = df.merge(regions, on="state")').steps
    attach_runtime(steps, [facts("df", rows_before=50, rows_after=50, cols_before=3, cols_after=4)])
    assert describe_steps(steps) == ["Joined `df` with `regions` on `state`: 50 rows (unchanged); "
                                     "3 \u2192 4 columns (+1)"]


def test_a_value_computed_into_a_new_name_is_said_derived_from_its_columns_not_the_columns_derived():
    # rev7: "Derived `k` and `v` in `df` into `r`" read as if `k` and `v` were what was made
    window, = analyze_source('r = df.groupby("k").v.rolling(3).mean()').steps
    assert describe_step(window) == "Derived a new feature from `v` in `df` within each group of `k` into `r`"
    shifted, = analyze_source('r2 = df.v.shift(1)').steps
    assert describe_step(shifted) == "Derived a new feature from `v` in `df` into `r2`"
    written, = analyze_source('df["r3"] = df.v.shift(1)').steps  # a column written: named as what was made
    assert describe_step(written) == "Derived `r3` from `v` in `df`"


def test_a_resample_within_groups_is_one_aggregate_in_one_sentence():
    # the lead's cells: "Aggregated `df` by `k` into `t` and aggregated (sum)" (two aggregates for one reduction);
    # the chain has one transforming call, its `.sum()` (what-is-a-step.md, Granularity; a bare groupby is no step)
    for cell in ("t = df.groupby('k').resample('M').sum()", "t = df.set_index('d').groupby('k').resample('M').sum()"):
        steps = analyze_source(cell).steps
        aggregates = [s for s in steps if s.op == "aggregate"]
        assert [(s.group_keys, s.statistic, s.method) for s in aggregates] == [(["k"], "sum", "resample")]
        assert describe_steps(steps) == ["Aggregated `df` by `k` (sum) into `t`"]
    # a column picked between them is what is aggregated
    step, = analyze_source("t = df.groupby('k').resample('M')['v'].mean()").steps
    assert describe_step(step) == "Aggregated `v` of `df` by `k` (mean) into `t`"
    # controls: a resample alone, a groupby alone
    step, = analyze_source("t = df.resample('M').sum()").steps
    assert (step.method, step.group_keys, describe_step(step)) == ("resample", [], "Aggregated `df` (sum) into `t`")
    step, = analyze_source("t = df.groupby('k').sum()").steps
    assert describe_step(step) == "Aggregated `df` by `k` (sum) into `t`"


def test_an_index_set_in_a_chain_is_said_as_itself_not_as_the_whole_statement():
    # the lead's cell: the set_index step (CONVENTIONS 14: `other`) was labelled "Ran `t = df.set_index('d')...`", which
    # reads as if the whole statement were that one step; each step is one sentence about what it did
    steps = analyze_source("t = df.set_index('d').groupby('k').resample('M').sum()").steps
    assert [describe_step(s) for s in steps] == ["Set the index of `df` to `d` into `t`",
                                                 "Aggregated `df` by `k` (sum) into `t`"]
    index, = analyze_source("df = df.set_index(['a', 'b'])").steps
    assert describe_step(index) == "Set the index of `df` to `a` and `b`"
    reset = analyze_source("t = df.reset_index().groupby('k').sum()").steps[0]
    assert describe_step(reset) == "Reset the index of `df` into `t`"
    # control: another `other` step still shows its code
    copy, = analyze_source("x2 = x.copy()").steps
    assert describe_step(copy) == "Ran `x2 = x.copy()`"


def test_a_column_written_whole_from_another_variable_is_said_as_made_from_it():
    # tsfp ch05 cell 17 (`test['pred_mean'] = pred_mean`, three such): "Derived a new feature from `pred_mean` in `test`
    # and `pred_mean`, derived a new feature from `pred_last_value` ...": the written column read as the source
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.render.sentences import describe_steps
    steps = analyze_source("import numpy as np\nimport pandas as pd\ntest = pd.read_csv('t.csv')\npm = np.zeros(3)\n"
                           "lv = np.ones(3)\ntest['pred_mean'] = pm\ntest.loc[:, 'pred_last'] = lv\n"
                           "test['z'] = test['a'] * pm").steps
    assert [s.assigned_columns for s in steps[-3:]] == [["pred_mean"], ["pred_last"], ["z"]]
    # a column computed from one of its own is worded as before
    assert describe_steps(steps)[-1] == ("Derived `pred_mean` in `test` from `pm`, derived `pred_last` from `lv` and "
                                         "derived `z` from `a`"), describe_steps(steps)


def test_a_column_named_anew_by_an_expression_names_what_it_was_computed_from():
    # polars-cookbook ch03 cell 66 (`df.with_columns(sepal_width_zscore=(pl.col('sepal_width') - ...) / ...)`) read
    # "Scaled `sepal_width_zscore` of `df` into `df_zscore`", as if that column had been there and was scaled
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.render.sentences import describe_steps
    source = ("import polars as pl\nimport pandas as pd\ndf = pl.read_csv('a.csv')\np = pd.read_csv('b.csv')\n"
              "z = df.with_columns(wz=(pl.col('w') - pl.col('w').mean()) / pl.col('w').std())\n"
              "z2 = df.with_columns(((pl.col('w') - pl.col('w').mean()) / pl.col('w').std()).alias('wz'))\n"
              "z3 = df.with_columns((pl.col('a') * pl.col('b')).alias('ab'))\n"
              "q = p.assign(ab=lambda d: d.a * d['b'])")
    said = describe_steps(analyze_source(source).steps)
    assert said[-4:] == ["Scaled `w` of `df` into `wz` of `z`", "Scaled `w` of `df` into `wz` of `z2`",
                         "Derived `ab` from `a` and `b` in `df` into `z3`", "Derived `ab` from `a` and `b` in `p` into `q`"], said
