"""pandas operations (module functions, DataFrame/Series methods, accessors)."""

from __future__ import annotations

FUNCTIONS: dict[str, str | None] = {
    **{name: "load" for name in (
        "read_csv", "read_table", "read_fwf", "read_parquet", "read_json", "read_excel", "read_sql",
        "read_sql_query", "read_sql_table", "read_feather", "read_pickle", "read_html", "read_xml",
        "read_hdf", "read_orc", "read_stata", "read_sas", "read_spss", "read_clipboard",
    )},
    "merge": "join",
    "merge_asof": "join",
    "merge_ordered": "join",
    "concat": "concat",
    "get_dummies": "encode_categorical",
    "Categorical": "type_cast",  # contested: see CONTESTED_FUNCTIONS
    "factorize": "encode_categorical",
    "to_datetime": "datetime_parse",
    "to_timedelta": "datetime_parse",
    "PeriodIndex": "datetime_parse",
    "DatetimeIndex": "datetime_parse",
    "period_range": None,
    "to_numeric": "type_cast",
    "melt": "reshape",
    "wide_to_long": "reshape",
    "pivot": "reshape",
    "pivot_table": "reshape",  # what-is-a-step.md: reshape, even with an aggfunc
    "crosstab": "reshape",
    "cut": "derive_feature",
    # --- The rest of the top-level API (bench/kb_coverage.py), by the definition.
    # columns laid out as rows (CONVENTIONS 12: "A reshape that changes the data layout ... is reshape"), as
    # `wide_to_long`; `json_normalize` makes a frame of records as pd.DataFrame does (kb/sources.py CONSTRUCTORS)
    "lreshape": "reshape",
    # an expression computed over columns, as `df.eval` (derive_feature)
    "eval": "derive_feature",
    # one-hot columns folded back into one categorical column: a coding of categories (CONVENTIONS 20)
    "from_dummies": "encode_categorical",
    "read_iceberg": "load",
    # ranges of dates, times or intervals written in the code: index values, as period_range
    **{name: None for name in ("date_range", "bdate_range", "timedelta_range", "interval_range")},
    "qcut": "derive_feature",
    # pandas < 3's module form of Series.value_counts (`pd.value_counts(df.city)`; its docs: "Compute a histogram of the
    # counts of non-null values", deprecated in 2.1 for `pd.Series(values).value_counts()`): the method's op, a count
    # per value kept as a table (aggregate), shown an answer as the method's is (kb.INSPECTION_METHODS)
    "value_counts": "aggregate",
    "DataFrame": None,
    "Series": None,
}
# Table makers whose data may be a dict of pieces keyed by label (`pd.concat({"a": s1, "b": s2}, axis=1)`,
# `pd.DataFrame({"a": s1, "b": s2})`). Built by a dict comprehension (`pd.concat({f"y_lag_{i}": ts.shift(i) for i in
# range(1, 5)}, axis=1)`, the make_lags / make_multistep_target helpers of Kaggle's time-series course, copied into
# many notebooks; `pd.concat({f: pd.read_csv(f) for f in files})`), the comprehension's values are the pieces and its
# keys only label them: the same table as the list comprehension of those values (what-is-a-step.md, Granularity:
# "one step per transforming call"; CONVENTIONS 22: shift, rolling are derive_feature).
KEYED_PIECES_FUNCTIONS: frozenset[str] = frozenset({"concat", "DataFrame"})
# Functions that lay a table out by the values of the series they are given (`pd.crosstab(df.cls,
# df.survived.astype(bool))`, `pd.get_dummies(df.cat.fillna(0).astype(int))`, one column per value): a cast of one of
# them changes the categories the table is laid out by (False/True, not 0/1; 1, not 1.0), so it is a step of its own
# (CONVENTIONS 21: astype is type_cast; Granularity: one statement can hold several steps), where a cast that only
# feeds another call's own operation (`le.fit_transform(s.astype(str))`) is not.
CATEGORY_TABLE_FUNCTIONS: frozenset[str] = frozenset({"crosstab", "get_dummies"})

# reset_index / set_index / head / tail / describe / info are recorded as "other": they
# change the shape or show the data but transform no values. Unknown methods are omitted.
# As a bare expression statement the inspections (kb.INSPECTION_METHODS) give no step at all.
# Element-wise arithmetic written as a method (`df.div(100)`, `s.sub(s.shift())`); never with a text first argument,
# which is a regex pattern's `sub(repl, text)`.
ARITHMETIC_METHODS: frozenset[str] = frozenset({"sub", "subtract", "mul", "multiply", "div", "divide", "truediv",
                                                "floordiv", "mod", "pow",
                                                # the same operators with the operands swapped (`s.rsub(100)` is 100 - s)
                                                "rsub", "rmul", "rdiv", "rtruediv", "rfloordiv", "rmod", "rpow",
                                                "radd"})

METHODS: dict[str, str | None] = {
    "dropna": "drop_missing",
    "fillna": "impute_missing",
    "ffill": "impute_missing",
    "bfill": "impute_missing",
    "interpolate": "impute_missing",
    "drop_duplicates": "drop_duplicates",
    "unique": None,  # an answer (kb.display.ANSWER_METHODS), also when assigned
    "rename": "rename",
    "rename_axis": "rename",
    "add_prefix": "rename",
    "add_suffix": "rename",
    "set_axis": "rename",
    "astype": "type_cast",
    "convert_dtypes": "type_cast",
    "infer_objects": "type_cast",
    "merge": "join",
    "append": "concat",  # DataFrame.append (pandas < 2): another frame's rows added, as pd.concat does
    "_append": "concat",  # its name since pandas 2 (no list has it)
    "join": "join",
    "groupby": "aggregate",
    "resample": "aggregate",
    "pivot_table": "reshape",
    "value_counts": "aggregate",
    "agg": "aggregate",
    "aggregate": "aggregate",
    "melt": "reshape",
    "pivot": "reshape",
    "stack": "reshape",
    "unstack": "reshape",
    "explode": "reshape",
    "transpose": "reshape",
    "sort_values": "sort",
    "sort_index": "sort",
    "nlargest": "filter_rows",
    "nsmallest": "filter_rows",
    # rows before / after an index label, or within a time of day (df.truncate(before=...), between_time("9:00",
    # "17:00")): rows kept by position in the index, as iloc[:n] (CONVENTIONS 30)
    "truncate": "filter_rows",
    "between_time": "filter_rows",
    "at_time": "filter_rows",
    "corr": "aggregate",  # a correlation matrix assigned to a name; shown, it is inspection
    "cov": "aggregate",
    "sample": "sample",
    "query": "filter_rows",
    "select_dtypes": "select_columns",
    "filter": "filter_rows",  # contested: see CONTESTED_METHODS
    "drop": "filter_rows",  # contested: see CONTESTED_METHODS
    "clip": "outlier_remove",
    "replace": "text_clean",  # contested: see CONTESTED_METHODS
    "map": None,  # contested: see CONTESTED_METHODS
    "apply": "derive_feature",
    "applymap": "derive_feature",
    "assign": "derive_feature",
    "eval": "derive_feature",
    "shift": "derive_feature",
    "diff": "derive_feature",
    "pct_change": "derive_feature",
    "cumsum": "derive_feature",
    "cumprod": "derive_feature",
    "rank": "derive_feature",
    "rolling": "derive_feature",
    "expanding": "derive_feature",
    "ewm": "derive_feature",
    # element-wise arithmetic written as a method (`df.div(100)`, `s.sub(s.shift())`, `df.mul(w)`) is the operator
    # it names: CONVENTIONS 19, "`a * b` is derive_feature" (div by the data's own total: CONTESTED_METHODS); not
    # `add`, which a bare statement uses to put an item into a set or a layer into a plot (kb.MUTATING_METHODS)
    **{name: "derive_feature" for name in ARITHMETIC_METHODS},
    "head": "filter_rows",  # inside an assigned chain: the first n rows are kept; shown, it is inspection
    "tail": "filter_rows",
    "describe": None,  # an answer, also when assigned
    "info": None,
    "reset_index": "other",
    "to_timestamp": "datetime_parse",
    "to_period": "datetime_parse",
    "tz_localize": "datetime_parse",
    "tz_convert": "datetime_parse",
    "reindex": None,  # contested: see CONTESTED_METHODS
    "combine_first": "impute_missing",  # fills one table's gaps from another
    "factorize": "encode_categorical",
    "set_index": "other",
    "to_csv": "other",
    "to_parquet": "other",
    "to_excel": "other",
    "to_json": "other",
    "to_sql": "other",
    "copy": None,
    "to_numpy": None,
    "to_frame": None,
    "to_pandas": None,
    # --- The rest of the DataFrame / Series API (bench/kb_coverage.py lists what no table decides), by the definition.
    # Running extremes, as cumsum (CONVENTIONS 22: "cumsum ... derive_feature")
    "cummax": "derive_feature",
    "cummin": "derive_feature",
    # the absolute value, a value per row: "arithmetic that creates a column" (what-is-a-step.md: derive_feature)
    "abs": "derive_feature",
    # conditions evaluated in order to a value per row, as np.select (CONVENTIONS 22: np.where derives)
    "case_when": "derive_feature",
    # two tables combined value by value with a function (`a.combine(b, max)`): computed values, a derive
    "combine": "derive_feature",
    # the index changed, no value computed: as set_index / reset_index (CONVENTIONS 14: `other`); `asfreq` puts the
    # rows on a regular calendar (`resample` with a reduction is the aggregate)
    "droplevel": "other",
    "swaplevel": "other",
    "reorder_levels": "other",
    "asfreq": "other",
    # rows by a label of one index level: rows kept (CONVENTIONS 30: iloc[:n] inside an assigned chain is filter_rows)
    "xs": "filter_rows",
}


# A column of identifiers (matched against its label in snake_case: `Product_ID`, `user_id`, `UserId`): a table of
# one value per identifier mapped back onto it is a group statistic per row, not a recoding of categories.
IDENTIFIER_COLUMN_NAME = r"(^|_)(id|ids|uid|uuid)$"

# What a function applied to each group (`groupby(k).apply(f)`, `transform(f)`) does, as rules.function_effect names
# it -> the op of that call; a value per row otherwise derives (CONVENTIONS 22). A function that returns rows of its
# group picked by a condition keeps those rows: a row filter, an outlier removal when the bound is statistical (29).
GROUP_FUNCTION_OPS: dict[str, str] = {"fills": "impute_missing", "cleans_text": "text_clean",
                                      "picks_rows": "filter_rows", "removes_outliers": "outlier_remove"}

# Methods whose op depends on how they are called: method -> (rule, {outcome: op}). The rule, a method of that
# name in lineage/classify/rules.py, reads the call and names an outcome; an outcome not listed here keeps the
# op from METHODS (None: not a step).
CONTESTED_METHODS: dict[str, tuple[str, dict[str, str | None]]] = {
    # frame.append(other) adds rows (pandas < 2: concat); names.append("a") on a list is no step
    "append": ("appended_receiver", {"not_a_frame": None}),
    # map({"a": 0}), map(codes) with codes a dict literal, map(lambda x: 1 if x == "Yes" else 0) recode categories
    # ... and a function takes the op of what it does to each value (fills, cleans text, casts), else it derives
    # ... and a function takes the op of what it does to each value (fills gaps, cleans text, casts, rescales:
    # `apply(np.log)`, `apply(lambda x: (x - x.mean()) / x.std())`), else it derives
    # ... or clears a code to missing as replace(code, np.nan) does (`map(lambda x: np.nan if x == 0 else x)`)
    # ... or returns the values parsed as dates (`def converter(col): ...; return pd.to_datetime(...)`): datetime_parse
    # (CONVENTIONS 21), whatever text work prepares the parse
    # ... an encoder's codes (`map(le.transform)`, `apply(lambda x: x.cat.codes)`, "encodes"): encode_categorical
    "map": ("mapping_argument", {"dict": "encode_categorical", "label_recode": "encode_categorical",
                                 "encodes": "encode_categorical",
                                 # a table of one value per category of the same column (`map(freq)` after `freq =
                                 # df["city"].value_counts()`): frequency / target encoding (CONVENTIONS 20)
                                 "category_table": "encode_categorical",
                                 "function": "derive_feature", "fills": "impute_missing", "cleans_text": "text_clean",
                                 "casts": "type_cast", "scales": "scale_normalize", "anomaly": "outlier_remove",
                                 "placeholder_text": "text_clean", "parses_dates": "datetime_parse",
                                 # a hand-written model applied to each value (CONVENTIONS 4a): its predictions
                                 "predicts": "predict"}),
    # ... a reduction (`df.apply(np.mean)`, `apply(lambda c: c.isnull().sum())`) is a statistic per column: no step
    # ... a lookup in a dict of codes (`apply(lambda x: codes.get(x, 0))`) recodes as map(codes) does
    "apply": ("mapping_argument", {"reduces": None, "dict": "encode_categorical", "label_recode": "encode_categorical",
                                   "encodes": "encode_categorical",
                                   "fills": "impute_missing",
                                   "cleans_text": "text_clean", "casts": "type_cast", "scales": "scale_normalize",
                                   "anomaly": "outlier_remove", "placeholder_text": "text_clean",
                                   "parses_dates": "datetime_parse", "predicts": "predict", "samples": "sample"}),
    "applymap": ("mapping_argument", {"fills": "impute_missing", "cleans_text": "text_clean", "casts": "type_cast",
                                      "scales": "scale_normalize", "parses_dates": "datetime_parse"}),
    "transform": ("mapping_argument", {"fills": "impute_missing", "cleans_text": "text_clean", "casts": "type_cast",
                                       "scales": "scale_normalize", "parses_dates": "datetime_parse"}),
    # drop("a", axis=1) / drop(columns=...) drops columns; drop(index) drops rows
    "drop": ("drop_axis", {"columns": "drop_columns", "rows": "filter_rows"}),
    # filter(items=/like=/regex=) picks columns by label; filter(mask) is a row filter (what kind: the mask says)
    "filter": ("filter_arguments", {"labels": "select_columns"}),
    # astype("category") makes the type categorical, a type_cast as pd.Categorical(s) is (CONVENTIONS 21: "astype ...
    # are type_cast"); with its categories declared (pd.CategoricalDtype([...], ordered=True)) it codes them in that
    # order (encode); (df.x == 1).astype(int) is part of computing a feature, not a cast of data
    "astype": ("cast_target", {"category": "type_cast", "declared": "encode_categorical", "computed_value": None,
                               "datetime": "datetime_parse"}),
    # replace({0: "No", 1: "Yes"}) recodes categories; replace("?", np.nan) / replace(" ", "") cleans text;
    # replace([np.inf, -np.inf], np.nan) swaps numbers
    # replace(np.nan, "S") / replace({np.nan: 0}) fills the gaps
    "replace": ("replacement_values", {"fills": "impute_missing", "recode": "encode_categorical", "numbers": "outlier_remove",
                                       "missing_marker": "other",
                                       "anomaly": "outlier_remove", "placeholder_text": "text_clean"}),
    # s.where(s.notna(), v) / s.mask(s.isna(), v): a value put only into the gaps (what-is-a-step.md: impute_missing)
    # ... s.mask(s > s.quantile(0.99)), s.where(s < upper, upper): values past a statistical bound replaced (outliers)
    # ... any other condition with inplace=True (`s.where(df.area != 0, "NA", inplace=True)`) changes the column as
    # `df[c] = df[c].where(...)` does: derive_feature (CONVENTIONS 19, 22: np.where derives)
    # ... s.where(s.isin(top), "Other") / s.mask(~s.isin(top), "Other"): categories lumped into a catch-all one, as
    # replace(rare, "Other") does (CONVENTIONS 20)
    **{name: ("missing_condition", {"fills": "impute_missing", "outlier_bound": "outlier_remove",
                                    "in_place": "derive_feature", "lumped": "encode_categorical"})
       for name in ("where", "mask")},
    # reset_index(drop=True) only renumbers rows (CONVENTIONS 14); reset_index() moves the index into a column
    "reset_index": ("dropped_index", {"dropped": None}),
    # reindex(columns=[...]) picks and orders columns; reindex(["Mon", "Tue", ...]) puts the rows in an order written
    # in the code, a sort (CONVENTIONS 30: "An assigned `sort_values` ... is `sort`"); a per-group result reindexed by
    # a column of keys (`(s.value_counts() == 1).reindex(s)`, `g.mean().reindex(df.k)`) puts each group's value on
    # every row of that group, as groupby().transform does (CONVENTIONS 22: derive_feature); other row labels are no step
    "reindex": ("reindex_labels", {"columns": "select_columns", "written_order": "sort",
                                   "rows_of_keys": "derive_feature"}),
    # df.agg(["min", "max"]) / s.agg("mean") without groups: statistics of the whole column or frame, an answer as
    # describe() is (CONVENTIONS 9-10); after a groupby / resample the reduction is the aggregate (library_methods.py, grouped)
    **{name: ("reduction_names", {"statistics": None}) for name in ("agg", "aggregate")},
    # df.pop("year") takes a column out of the frame (in place)
    "pop": ("popped_label", {"column": "drop_columns"}),
    # s.corr(other) is one number; df.corr() is a matrix
    "corr": ("correlation_pair", {"pair": None}),
    # df.div(df.sum(axis=1), axis=0): values as shares of their own total
    **{name: ("divisor", {"own_total": "scale_normalize"}) for name in ("div", "divide", "truediv")},
}

# A date formatted as text with its year and a finer field (`dt.strftime("%Y-%m")`, `"%d/%m/%Y"`): the whole date in
# another type, a type_cast (CONVENTIONS 21); one field alone (`"%A"`, `"%H"`, `"%b"`) takes a part out (derive_feature).
DATE_FORMATTING_METHODS: frozenset[str] = frozenset({"strftime", "to_string"})
# Date parts read off datetimes parsed in the same expression (`pd.to_datetime(s).dt.date`, polars
# `.str.strptime(pl.Datetime).dt.date()`): text parsed to dates, one datetime_parse, no date part besides it
DATE_PARTS_OF_PARSED: frozenset[str] = frozenset({"date"})
WHOLE_DATE_FORMAT = r"%[Yy].*%[mbBdj]|%[mbBdj].*%[Yy]"

# The index's values converted in place (`y.index = y.index.strftime("%Y-%m")`, `df.index = df.index.format()`): the
# labels are the same values in another type, a type_cast (CONVENTIONS 21), not new names (CONVENTIONS 30 names
# `.columns` / index names rename; a list of labels written in the code still renames).
INDEX_VALUE_CONVERSIONS: dict[str, str] = {"strftime": "type_cast", "format": "type_cast", "astype": "type_cast",
                                           "to_timestamp": "datetime_parse", "to_period": "datetime_parse",
                                           "tz_localize": "datetime_parse", "tz_convert": "datetime_parse"}

# A library function passed by reference to apply / map / transform (`df.apply(pd.to_numeric, errors="coerce")`,
# `df[cols].apply(pd.to_datetime)`, `s.apply(np.log)`): its op, as the effect those rules name, so the call takes the
# op the function has when called directly.
FUNCTION_OP_EFFECTS: dict[str, str] = {"scale_normalize": "scales", "type_cast": "casts",
                                       "datetime_parse": "parses_dates",
                                       # df[cols].apply(np.random.permutation): each column shuffled, a permutation
                                       # (CONVENTIONS 30: "permutation and bootstrap resampling are `sample`")
                                       "sample": "samples"}

# Module functions whose op depends on how they are called: name -> (rule, {outcome: op}), as CONTESTED_METHODS.
CONTESTED_FUNCTIONS: dict[str, tuple[str, dict[str, str | None]]] = {
    # pd.Categorical(df.c): the column's type made categorical, a type_cast (CONVENTIONS 21 names pd.Categorical);
    # with its categories or their order declared (`categories=[...]`, `ordered=True`) it codes the values by that
    # order, an ordinal encoding (CONVENTIONS 20: ordinal encoders)
    "Categorical": ("declared_categories", {"declared": "encode_categorical"}),
}

# Tables of counts per value: one entry of one picked by a label or position (`s.value_counts()[0]`) is one count,
# a single number (CONVENTIONS 9), not the table (an aggregate when assigned, CONVENTIONS 10).
COUNT_TABLES: frozenset[str] = frozenset({"value_counts"})
COUNT_TABLE_CONVERSIONS: frozenset[str] = frozenset({"values", "to_numpy", "tolist", "to_list"})
# Methods that lay counts of pairs of values out as a two-way table (`df.groupby("k")["v"].value_counts().unstack()`,
# `df[["k", "v"]].value_counts().unstack()`): the cross-tabulation `pd.crosstab(df.k, df.v)` builds, a new table
# shown (what-is-a-step.md: "`crosstab`, `unstack` ...: `reshape`"; CONVENTIONS 6: a shown reshape counts, with every
# transforming call of its chain), where the counts shown alone stay inspection.
COUNT_TABLE_LAYOUTS: frozenset[str] = frozenset({"unstack"})
# A frame's values taken out as an array (`train.values`, `train.to_numpy()`), as image models are handed them.
ARRAY_CONVERSIONS: frozenset[str] = frozenset({"values", "to_numpy"})

# After groupby / resample / rolling these reduce the group: absorbed into that one step.
# Reductions that give one total per column of a table (`df[["a", "b"]].sum()`): made into a table (`.to_frame()`),
# they aggregate its rows (CONVENTIONS 22), where one column's total is a number (CONVENTIONS 9).
TABLE_TOTALS: frozenset[str] = frozenset({"sum", "mean", "median", "count", "min", "max", "std", "var", "any", "all"})
GROUP_REDUCERS: frozenset[str] = frozenset({
    "agg", "aggregate", "mean", "sum", "count", "size", "median", "min", "max", "std", "var",
    "nunique", "first", "last", "apply", "transform", "prod", "quantile", "describe", "value_counts",
    "ohlc", "cumsum", "cumcount", "idxmax", "idxmin", "len", "n_unique",
    "any", "all", "sem", "skew",  # groupby("k").flag.any(): one value per group, as sum() is
    # groupby("k")["source"].unique(): each group's distinct values, one entry per group as nunique() and
    # agg("unique") are (CONVENTIONS 22); a column's own `unique()` stays an answer (CONVENTIONS 10)
    "unique",
})

# Inspections that, after groupby, build a new table of statistics per group: an aggregate, shown or printed as well
# as assigned (CONVENTIONS 22: "`groupby().agg/sum/mean/size/describe`" is aggregate; CONVENTIONS 6: a shown
# aggregate counts), where `df.describe()` / `df.x.nunique()` of a table stay inspection; the distinct values counted
# per group (`print(df.groupby("k")["v"].nunique())`) are a count per group, as `.count()` is.
GROUP_TABLE_INSPECTIONS: frozenset[str] = frozenset({"describe", "nunique", "n_unique"})

# After groupby these give one value per row of its group, not one per group (a running total, the previous row, a
# rank, a window): the grouped step derives a feature (CONVENTIONS 22), it does not aggregate.
GROUP_ROW_METHODS: frozenset[str] = frozenset({
    "cumsum", "cumprod", "cummax", "cummin", "cumcount", "shift", "diff", "pct_change", "rank",
    "ngroup",  # the number of each row's group, on every row
    "rolling", "expanding", "ewm",
})

# After groupby these also keep one row per row (or pick rows), and say themselves what they do: the grouped step is
# that op, once (`df.groupby("k").v.ffill()` fills each group's gaps from its own rows; `groupby("k").head(1)` keeps
# each group's first rows). Not an aggregate, and no second step beside it.
GROUP_ROW_OPS: dict[str, str] = {
    "ffill": "impute_missing", "bfill": "impute_missing", "fillna": "impute_missing",
    "head": "filter_rows", "tail": "filter_rows", "nth": "filter_rows",
    # groupby("k").filter(lambda g: len(g) > 2): the rows of the groups that pass, kept as they are (no group is
    # reduced: "A bare `groupby(...)` with no aggregation is not a step")
    "filter": "filter_rows",
    # groupby("label").sample(n=100): some rows drawn from each group, a stratified sample (CONVENTIONS 30: `sample`)
    "sample": "sample",
    # groupby("k").get_group("a"): the rows of one group, kept as they are (a filter, as df[df.k == "a"])
    "get_group": "filter_rows",
    "take": "filter_rows",  # groupby("k").take([0]): each group's rows at those positions
}

# Of those, the ones that compute one named statistic per group (an aggregate step's `statistic`).
GROUP_STATISTICS: frozenset[str] = frozenset({
    "mean", "sum", "count", "size", "median", "min", "max", "std", "var", "nunique", "first", "last", "prod",
    "quantile", "len", "n_unique", "any", "all", "sem", "skew",
})

ACCESSORS: dict[str, dict[str, str | None]] = {
    "str": {
        **{name: "text_clean" for name in (
            "lower", "upper", "strip", "lstrip", "rstrip", "replace", "title", "capitalize", "casefold",
            "normalize", "translate", "pad", "zfill", "removeprefix", "removesuffix", "swapcase",
        )},
        # what-is-a-step.md: "`str.split`, ... regex extraction: text_clean"
        **{name: "text_clean" for name in ("split", "rsplit", "extract", "extractall", "slice", "get", "findall",
                                           "slice_replace", "wrap")},
        **{name: "derive_feature" for name in ("len", "cat", "count")},
        # where a substring sits, a number per row, as str.len / str.count
        **{name: "derive_feature" for name in ("find", "rfind", "index", "rindex")},
        # padding, joining list items, cutting at a separator, repeating, bytes to text and back: the text changed
        # (what-is-a-step.md: "`str.split`, `str.strip` ...: text_clean")
        **{name: "text_clean" for name in ("center", "ljust", "rjust", "join", "partition", "rpartition", "repeat",
                                           "decode", "encode")},
        "get_dummies": "encode_categorical",
        # predicates: they build masks, the filter is the step
        **{name: None for name in ("contains", "startswith", "endswith", "match", "fullmatch", "isnumeric",
                                   "isdigit", "isalpha", "isalnum", "isascii", "isdecimal", "islower", "isupper",
                                   "isspace", "istitle")},
    },
    "dt": {
        "tz_localize": "datetime_parse",
        "tz_convert": "datetime_parse",
        "normalize": "datetime_parse",
        "floor": "datetime_parse",
        "ceil": "datetime_parse",
        "round": "datetime_parse",
        "to_period": "datetime_parse",
        # .dt.date: the date part of datetimes, as .dt.hour is their hour (CONVENTIONS 21: "Extracting date parts is
        # derive_feature"); of datetimes parsed in the same expression it is part of the parse (DATE_PARTS_OF_PARSED)
        "date": "derive_feature",
        "strftime": "derive_feature",
        "day_name": "derive_feature",
        "month_name": "derive_feature",
        "isocalendar": "derive_feature",
        # date and time parts (CONVENTIONS 21: "Extracting date parts is derive_feature")
        **{name: "derive_feature" for name in (
            "year", "month", "day", "hour", "minute", "second", "microsecond", "nanosecond", "quarter", "weekday",
            "dayofweek", "day_of_week", "dayofyear", "day_of_year", "days_in_month", "daysinmonth", "week",
            "weekofyear", "time", "timetz", "is_leap_year", "is_month_end", "is_month_start", "is_quarter_end",
            "is_quarter_start", "is_year_end", "is_year_start", "days", "seconds", "total_seconds", "components",
        )},
        # the resolution of the stored times changed, no date changed: a cast (CONVENTIONS 21)
        "as_unit": "type_cast",
    },
    "cat": {
        "codes": "encode_categorical",  # an attribute, not a call: steps.py looks here for both
        "set_categories": "encode_categorical",
        "remove_categories": "encode_categorical",
        "rename_categories": "encode_categorical",
        "reorder_categories": "encode_categorical",
        "as_ordered": "encode_categorical",
        "as_unordered": "encode_categorical",
        # the type's list of categories changed, no value recoded: a type_cast (CONVENTIONS 21)
        "remove_unused_categories": "type_cast",
        "add_categories": "type_cast",
    },
}


# Attributes of a frame that are not one of its columns (`df.age` is the column age; `df.T` is not a column T).
FRAME_ATTRIBUTES: frozenset[str] = frozenset({
    "index", "columns", "shape", "dtypes", "loc", "iloc", "at", "iat", "T", "values", "axes", "attrs", "style",
    "array", "flags", "str", "dt", "cat", "plot", "sparse", "list", "arr", "struct",
})

# Accessor namespaces of a column (`df.x.str.lower()`), shared by pandas and polars.
ACCESSOR_NAMES: frozenset[str] = frozenset({"str", "dt", "cat", "list", "arr"})

# Methods of a frame's column labels (`df.columns.drop("y")`, `.difference([...])`) that give column labels again:
# a frame indexed by them picks columns (`X = df[df.columns.drop("y")]`: select_columns).
COLUMN_LABEL_METHODS: frozenset[str] = frozenset({
    "drop", "difference", "union", "intersection", "symmetric_difference", "tolist", "to_list", "insert", "delete",
    "append", "sort_values", "unique",
})

# Attributes of a group-by object that are not one of its columns (`df.groupby("k").groups`); any other attribute
# picks a column to aggregate (`df.groupby("k").v.mean()`, as `df.groupby("k")["v"].mean()`).
GROUPBY_ATTRIBUTES: frozenset[str] = frozenset({"groups", "ngroups", "indices", "keys", "obj", "grouper", "ndim", "dtypes"})

# Attributes (no call) that are an operation on their own.
ATTRIBUTES: dict[str, str] = {"T": "reshape"}

# Methods that test each value against a condition (of MASK_METHODS, those that are a comparison, not a missing-value
# test): cast or mapped to numbers (`df.h.between(9, 17).astype(int)`, `df.t.str.contains("a").astype(int)`) they are an
# indicator of that condition (CONVENTIONS 20), as `(df.h > 9).astype(int)` is.
CONDITION_METHODS: frozenset[str] = frozenset({
    "isin", "is_in", "contains", "startswith", "endswith", "match", "fullmatch", "between", "is_between",
    "eq", "ne", "gt", "ge", "lt", "le",
})
# Statistics a frame computes for each of its columns (`df.nunique()`, `X.var()`): compared with a bound, one mask
# value per column, and `df.loc[:, df.nunique() > 1]` keeps the columns where it holds (constant or low-variance
# columns left out, a column selection).
COLUMN_STATISTICS: frozenset[str] = frozenset({"nunique", "std", "var", "mean", "sum", "count", "min", "max", "median"})
# Statistics of a column or frame a fill takes its value from (`df["Age"].fillna(df["Age"].median())`,
# `df.fillna(df.mean())`, `.fillna(df.Embarked.mode()[0])`): kept as the fill's Step.statistic.
FILL_STATISTICS: frozenset[str] = frozenset({"mean", "median", "mode", "min", "max", "quantile"})
# Methods whose result is the frame with some of its columns (`df.select_dtypes("number")`, and `df.filter` with one of
# COLUMN_FILTER_KEYWORDS): Python's `list()` of that result is the list of those columns' labels.
COLUMN_SUBSET_METHODS: frozenset[str] = frozenset({"select_dtypes"})
COLUMN_FILTER_KEYWORDS: frozenset[str] = frozenset({"like", "regex", "items"})
# Methods that build a boolean mask: `df[df.x.isin(v)]` filters rows.
MASK_METHODS: frozenset[str] = frozenset({
    "isin", "notna", "notnull", "isna", "isnull", "between", "contains", "startswith", "endswith",
    "duplicated", "match", "fullmatch", "is_in", "is_null", "is_not_null", "is_between", "eq", "ne",
    "gt", "ge", "lt", "le", "any", "all", "is_duplicated", "is_unique", "not_",
    # polars' tests of NaN (kept apart from null there): `df.filter(pl.col("x").is_not_nan())` keeps the rows with a
    # value, as `is_not_null()` does (CONVENTIONS 29: a not-missing row filter is drop_missing)
    "is_nan", "is_not_nan",
})

# Decorators that make a notebook's function a method of every pandas frame or series (pandas_flavor's, which pyjanitor
# uses; pandas' own `register_*_accessor` make an accessor class, not a method): `@pf.register_dataframe_method def
# str_trim(df, column_name): ...` is then called `df.str_trim("genre")`. The call is of the notebook's own function,
# whose body is classified where it is written (CONVENTIONS 1), whatever pandas method shares its name (`explode`).
METHOD_REGISTERING_DECORATORS: frozenset[str] = frozenset({"register_dataframe_method", "register_series_method"})

# Methods that give the same values with the rows only renumbered or put back in index order when they decide no op of
# their own (`reset_index(drop=True)`, kb CONTESTED_METHODS "dropped"): a column picked before them is still the one
# column the expression ends in (CONVENTIONS 14, 18)
ROW_RENUMBERING_METHODS: frozenset[str] = frozenset({"reset_index"})

# Values that stand for "nothing yet" (`df["c"] = np.nan`, `pd.NA`): a column set to one and then filled row by row
# is an empty column to fill (classify/placeholder_columns.py), no step of its own.
PLACEHOLDER_VALUES: frozenset[str] = frozenset({"nan", "NaN", "NAN", "NA", "NaT"})
# ... and the containers made empty for the same purpose (`df["pred"] = pd.Series()`)
EMPTY_CONTAINERS: frozenset[str] = frozenset({"Series"})
