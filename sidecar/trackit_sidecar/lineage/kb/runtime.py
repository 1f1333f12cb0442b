"""What a cell's displayed result says about the statement that produced it (lineage/runtime_decisions.py).

`kind` is the probe's: DataFrame | Series | ndarray | polars.DataFrame | scalar | the value's type name.
"""

# An answer to a question (what-is-a-step.md, "Inspection is not a step"): `df[mask].shape[0]`, `df.x.sum()`,
# `df.shape`, `df.columns`, a list of values. The statement that shows one is inspection.
ANSWER_KINDS = frozenset({"scalar", "tuple", "list", "dict", "set", "frozenset", "Index", "RangeIndex",
                          "MultiIndex", "CategoricalIndex", "DatetimeIndex", "Timestamp", "Timedelta", "NoneType"})

# A group or window with nothing applied to it yet (a bare `df.groupby("k")`): not a step.
UNAPPLIED_KIND_SUFFIXES = ("GroupBy", "Resampler", "Rolling", "Expanding", "ExponentialMovingWindow", "Window")

# A new table: shown as the cell's result it is the analysis' result, a step with its op.
TABLE_KINDS = frozenset({"DataFrame", "Series", "ndarray", "polars.DataFrame"})

# Ops whose shown result is an answer by nature or whose effect does not depend on what is shown: a metric
# (`model.score(X, y)`, `r2_score(y, p)`) is a scalar and still an evaluation; a load, a fit, a prediction and a
# split are steps whatever the cell displays. A shown answer never turns these into inspection.
ANSWER_KEEPS_OPS = frozenset({"load", "fit_model", "predict", "evaluate", "split"})

# Ops that keep or drop rows: when the measured rows did not change, nothing was filtered.
ROW_FILTER_OPS = frozenset({"filter_rows"})
