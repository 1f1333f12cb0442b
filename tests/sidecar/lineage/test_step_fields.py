"""Structured Step fields (README, lineage JSON): what experiments, compare and the wording read."""

from __future__ import annotations

from trackit_sidecar.lineage.steps import classify_cell, classify_steps

SK = ("from sklearn.model_selection import train_test_split\nfrom sklearn.ensemble import RandomForestClassifier\n"
      "from sklearn.metrics import accuracy_score\nimport pandas as pd\n")


def one(source: str, op: str, aliases: dict | None = None):
    found = [s for s in classify_steps(SK + source, aliases) if s.op == op]
    assert len(found) == 1, classify_steps(SK + source, aliases)
    return found[0]


def test_split_outputs_in_order() -> None:
    # what-is-a-step.md: a split is one step per output; each names all the outputs of the statement
    steps = [s for s in classify_steps(SK + "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)")]
    assert [s.output for s in steps] == ["X_train", "X_test", "y_train", "y_test"]
    assert all(s.outputs == ["X_train", "X_test", "y_train", "y_test"] for s in steps)
    assert {(s.op, s.method) for s in steps} == {("split", "train_test_split")}


def test_derived_from_columns_of_a_new_column() -> None:
    step = one('df["FamilySize"] = df["SibSp"] + df["Parch"] + 1', "derive_feature")
    assert (step.columns, step.derived_from) == (["FamilySize"], ["SibSp", "Parch"])


def test_group_keys_and_statistic_of_a_group_fill() -> None:
    step = one('df["Age"] = df["Age"].fillna(df.groupby(["Sex", "Pclass"])["Age"].transform("median"))',
               "impute_missing")
    assert (step.statistic, step.group_keys, step.method) == ("median", ["Sex", "Pclass"], "fillna")


def test_fit_names_estimator_class_and_literal_params_also_across_cells() -> None:
    _, env = classify_cell(SK + 'model = RandomForestClassifier(n_estimators=200, max_depth=None, random_state=rng)')
    steps = classify_steps("model.fit(X_train, y_train)\npred = model.predict(X_test)\n"
                           "acc = accuracy_score(y_test, pred)", env)
    fit, predict, evaluate = steps
    assert (fit.op, fit.estimator, fit.output) == ("fit_model", "RandomForestClassifier", "model")
    assert fit.params == {"n_estimators": 200, "max_depth": None}  # random_state=rng is no literal: left out
    assert (predict.model, predict.estimator, predict.inputs) == ("model", "RandomForestClassifier",
                                                                 ["model", "X_test"])
    assert (evaluate.method, evaluate.model) == ("accuracy_score", None)


def test_rebinding_the_name_forgets_the_params() -> None:
    _, env = classify_cell(SK + "model = RandomForestClassifier(n_estimators=5)\nmodel = load()")
    assert not any(key.endswith(":model") for key in env)


def test_filter_thresholds_by_subscript_query_and_isin() -> None:
    step = one('adults = df[(df["age"] >= 18) & ~df.city.isin(["Oslo", "Bergen"])]', "filter_rows")
    assert [c.model_dump(exclude_none=True) for c in step.conditions] == [
        {"column": "age", "comparison": ">=", "value": 18},
        {"column": "city", "comparison": "not in", "value": ["Oslo", "Bergen"]}]
    step = one('recent = df.query("year > 2015 and price < @cap")', "filter_rows")
    assert [c.model_dump(exclude_none=True) for c in step.conditions] == [
        {"column": "year", "comparison": ">", "value": 2015}, {"column": "price", "comparison": "<", "bound": "@cap"}]
    step = one('kept = df[df.price < upper]', "outlier_remove")
    assert [c.model_dump(exclude_none=True) for c in step.conditions] == [
        {"column": "price", "comparison": "<", "bound": "upper"}]


def test_query_strings_join_with_and_or_as_pandas_reads_them() -> None:
    # pandas.eval rewrites `&` / `|` to `and` / `or` before parsing: they bind looser than comparisons there, so
    # `year == 2010 & ages == 'total'` is two conditions, not Python's `year == (2010 & ages) == 'total'`
    step = one("""data2010 = final.query("year == 2010 & ages == 'total'")""", "filter_rows")
    assert [c.model_dump(exclude_none=True) for c in step.conditions] == [
        {"column": "year", "comparison": "==", "value": 2010}, {"column": "ages", "comparison": "==", "value": "total"}]
    step = one("""kept = df.query('a > @lim | b != "x & y"')""", "filter_rows")
    assert [c.model_dump(exclude_none=True) for c in step.conditions] == [
        {"column": "a", "comparison": ">", "bound": "@lim"}, {"column": "b", "comparison": "!=", "value": "x & y"}]


def test_method_names_the_call() -> None:
    assert [s.method for s in classify_steps('import pandas as pd\ndf = pd.read_csv("a.csv").dropna()')] == [
        "read_csv", "dropna"]
