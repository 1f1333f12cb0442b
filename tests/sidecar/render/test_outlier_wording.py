"""An outlier step that keeps every row says what it did to the values (rev30): `casualties_raw["DT_HOUR"].replace(99,
9)` read "Removed outliers by `DT_HOUR` from `casualties_raw`: 66,130 rows (unchanged)" (ds-python cleaning) and
`np.maximum(preds, 0)` "Removed outliers from `preds`" (gulutu chili), as if rows had gone."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.lineage.graph import attach_runtime
from trackit_sidecar.protocol import RuntimeFacts
from trackit_sidecar.render.sentences import describe_step, describe_steps


def _steps(source: str, variable: str, rows: int):
    steps = [s for s in analyze_source(source).steps if s.op == "outlier_remove"]
    assert steps, analyze_source(source).steps
    attach_runtime(steps, [RuntimeFacts(variable=variable, kind="DataFrame", rows_before=rows, rows_after=rows)])
    return steps


def test_a_replaced_outlying_value_is_not_said_removed():
    steps = _steps('df["hour"] = df["hour"].replace(99, 9)', "df", 66130)
    said = describe_steps(steps)[0]
    assert said.startswith("Replaced outlying values in `hour` of `df`"), said
    assert "emoved" not in said, said


def test_a_clipped_value_is_said_capped():
    assert describe_step(_steps('df["fare"] = df["fare"].clip(upper=200)', "df", 891)[0]) \
        .startswith("Capped outlying values in `fare` of `df`")
    assert describe_step(_steps("preds = np.maximum(preds, 0)", "preds", 800)[0]).startswith(
        "Capped outlying values of `preds`")


def test_outliers_dropped_with_their_rows_are_still_removed():
    steps = analyze_source('df = df[df["fare"] < df["fare"].quantile(0.99)]').steps
    outliers = [s for s in steps if s.op == "outlier_remove"]
    assert outliers, steps
    assert describe_step(outliers[0]).startswith("Removed outliers"), describe_step(outliers[0])


def test_polars_expressions_that_keep_every_row_say_what_they_did_to_the_values():
    # polars-cookbook ch03 cells 65 / 70: outliers replaced by the median with pl.when(...).then(...).otherwise(...)
    # read "Removed outliers by `sepal_width` from `df` into `df_iqr_outlier_replaced`"
    bounds = ("import polars as pl\ndf = pl.read_csv('iris.csv')\nq1 = df['w'].quantile(0.25)\n"
              "q3 = df['w'].quantile(0.75)\nlower = q1 - 1.5 * (q3 - q1)\nupper = q3 + 1.5 * (q3 - q1)\n"
              "is_outlier = (pl.col('w') < lower) | (pl.col('w') > upper)\n")
    replaced = _steps(bounds + "kept = df.with_columns(pl.when(is_outlier).then(pl.col('w').median())"
                               ".otherwise(pl.col('w')).alias('w'))", "kept", 150)
    assert describe_step(replaced[0]).startswith("Replaced outlying values in `w` of `df` into `kept`"), \
        describe_step(replaced[0])
    capped = _steps(bounds + "kept = df.with_columns(pl.col('w').clip(lower, upper))", "kept", 150)
    assert describe_step(capped[0]).startswith("Capped outlying values in `w` of `df` into `kept`"), \
        describe_step(capped[0])
    # rows dropped by the same mask are still removed
    dropped = [s for s in analyze_source(bounds + "kept = df.filter(~is_outlier)").steps if s.op == "outlier_remove"]
    assert describe_step(dropped[0]).startswith("Removed outliers from `df` into `kept`"), describe_step(dropped[0])
