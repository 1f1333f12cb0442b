"""What runtime facts decide about a statement (lineage/runtime_decisions.py).

`kind` is the probe's: DataFrame | Series | ndarray | polars.DataFrame | scalar | the value's type name.
"""

# An answer to a question (what-is-a-step.md, "Inspection is not a step"): `df[mask].shape[0]`, `df.x.sum()`,
# `df.shape`, `df.columns`, a list of values. The statement that shows one is inspection.
ANSWER_KINDS = frozenset({"scalar", "tuple", "list", "dict", "set", "frozenset", "Index", "RangeIndex",
                          "MultiIndex", "CategoricalIndex", "DatetimeIndex", "Timestamp", "Timedelta", "NoneType"})

# A plot shown as the cell's result (its artist's type, as the probe names it; a saved output prints it as
# `<AxesSubplot:...>`, `<Axes: ...>`, `Text(0.5, 1.0, 'Title')`): the statement drew (what-is-a-step.md, "Plotting").
PLOT_KINDS = frozenset({"Axes", "AxesSubplot", "Figure", "FacetGrid", "PairGrid", "JointGrid", "Text", "Legend",
                        "Line2D", "PathCollection", "BarContainer", "AxesImage", "Colorbar", "QuadMesh"})

# A group or window with nothing applied to it yet (a bare `df.groupby("k")`): not a step.
UNAPPLIED_KIND_SUFFIXES = ("GroupBy", "Resampler", "Rolling", "Expanding", "ExponentialMovingWindow", "Window")

# A new table: shown as the cell's result it is the analysis' result, a step with its op. Also the kinds whose
# measured rows are rows of data (a filter's "kept every row" is read only on these).
TABLE_KINDS = frozenset({"DataFrame", "Series", "ndarray", "polars.DataFrame"})

# Ops whose shown result is an answer by nature or whose effect does not depend on what is shown: a metric
# (`model.score(X, y)`, `r2_score(y, p)`) is a scalar and still an evaluation; a load, a fit, a prediction and a
# split are steps whatever the cell displays. A shown answer never turns these into inspection.
ANSWER_KEEPS_OPS = frozenset({"load", "fit_model", "predict", "evaluate", "split"})

# Ops a shown statement still was when it raised: an evaluation that failed (`print(r2_score(y, model.predict(X_tset)))`
# with a typo) is a failed experiment, which experiments.detect keeps and marks failed (hiding it would make the history
# look cleaner than it was); a shown table that raised was never made (nothing was shown).
FAILED_STILL_COUNTS_OPS = frozenset({"evaluate"})

# Ops that exist to remove rows: when the kernel measured as many rows after as before, nothing was removed and
# the statement is no such step (what-is-a-step.md: "a variable that did not change is not filtered").
ROW_REMOVING_OPS = frozenset({"filter_rows", "drop_missing", "drop_duplicates", "outlier_remove"})

# Ops that exist to fill missing values: when the kernel counted as many missing values after as before, nothing was
# filled and the statement is no such step, as a filter that removed no row is none. Under pandas >= 3 (copy-on-write) a
# chained `df["a"].fillna(0, inplace=True)` fills a temporary copy and leaves `df` as it was; a fill re-run, or one of a
# table with no gaps, fills nothing either.
FILLING_OPS = frozenset({"impute_missing"})

# Ops that convert values to another type. More missing values after it in a column whose type it changed are values
# it could not convert, made missing without an error (`pd.to_numeric(..., errors="coerce")`, an unparsable date): the
# tree says how many, and the summary lists them under Problems (render/effects.gaps_made_converting).
CONVERTING_OPS = frozenset({"type_cast", "datetime_parse"})

# Joins that give one row for each row of the left table and each row of the right table its key matches, when their
# `how` is one of ROW_MATCHING_HOWS (None: the call's default, inner or left for these). More rows than the left table
# had then means some keys match several rows of the right table and rows of the left were repeated: silent, unless
# the call asked pandas / polars to check the keys (`validate=`). The summary lists it under Problems.
ROW_MATCHING_JOINS = frozenset({"merge", "join"})
ROW_MATCHING_HOWS = frozenset({None, "inner", "left"})

# The `how` of a join whose call does not say, by (library, method); the library is read from the kind the kernel
# measured ("polars.DataFrame"). A left join keeps a row of the left table that matched nothing, with its new columns
# missing; an inner join drops it. Either is silent: the summary lists the first when the right table had no gaps (so
# the gaps are exactly the rows that matched nothing), the second when the call left `how` to this default.
DEFAULT_JOIN_HOW = {("pandas", "merge"): "inner", ("pandas", "join"): "left", ("polars", "join"): "inner"}

# Ops that cannot change the missing values of a column they keep: they drop or pick columns. A fill measured by column
# (lineage/fill_columns.py) is read beside them whatever columns it fills (chili: a column of gaps dropped, the others
# filled in a loop).
GAP_KEEPING_OPS = frozenset({"drop_columns", "select_columns"})

# Ops that never change a table's row count. A cell that writes a variable with a row-removing step and only
# these besides (`df = df.dropna()` then `df["x"] = ...`) removed no row in that step when the variable's rows
# did not change; any other op (a join, a concat, an aggregate) could have added back what the filter removed.
ROW_COUNT_KEEPING_OPS = frozenset({"select_columns", "drop_columns", "impute_missing", "rename", "type_cast",
                                   "encode_categorical", "scale_normalize", "derive_feature", "sort",
                                   "datetime_parse", "text_clean"})
# `other` calls that keep the row count (`df.dropna().reset_index(drop=True)`, `df[m].copy()`): they too may write
# the variable besides a row-removing step.
ROW_COUNT_KEEPING_METHODS = frozenset({"copy", "reset_index", "sort_index", "rename_axis", "infer_objects"})

# Warnings a kernel prints on stderr when an in-place call changed a temporary copy and never the table it was
# written on: pandas >= 3 (Copy-on-Write) raises ChainedAssignmentError for `df.col.replace(..., inplace=True)` and
# `df["a"].fillna(0, inplace=True)` ("Such inplace method never works to update the original DataFrame"). pandas 2's
# FutureWarning about the same code still updated the table, so it is not here.
COPY_WRITE_WARNINGS = ("ChainedAssignmentError",)
