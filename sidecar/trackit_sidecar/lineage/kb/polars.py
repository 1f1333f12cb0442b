"""polars operations (module functions, DataFrame/LazyFrame methods, expression methods)."""

from __future__ import annotations

FUNCTIONS: dict[str, str | None] = {
    **{name: "load" for name in (
        "read_csv", "scan_csv", "read_parquet", "scan_parquet", "read_json", "read_ndjson", "scan_ndjson",
        "read_excel", "read_database", "read_database_uri", "read_ipc", "scan_ipc", "read_avro", "read_delta",
        "scan_delta",
        # the rest of the readers (bench/kb_coverage.py)
        "read_clipboard", "read_ipc_stream", "read_lines", "read_ods", "scan_lines", "scan_iceberg", "scan_lance",
        "scan_pyarrow_dataset", "scan_arrow_c_stream", "scan_external_reader",
    )},
    "concat": "concat",
    # pl.coalesce(["a", "b"]): each row's first value that is not null, a's gaps filled from b, as pandas'
    # combine_first / fillna(other column) (what-is-a-step.md: fillna is impute_missing)
    "coalesce": "impute_missing",
    # pl.from_epoch(pl.col("t"), time_unit="s"): seconds since the epoch read as datetimes (CONVENTIONS 21: to_datetime)
    "from_epoch": "datetime_parse",
    "DataFrame": None,
    "LazyFrame": None,
    "from_pandas": None,
    "col": None,
    "lit": None,
}

METHODS: dict[str, str | None] = {
    "with_columns": "derive_feature",  # refined per expression by steps.py (cast -> type_cast, ...)
    "with_column": "derive_feature",
    "filter": "filter_rows",
    "select": "select_columns",
    "group_by": "aggregate",
    "groupby": "aggregate",
    "group_by_dynamic": "aggregate",
    "agg": "aggregate",
    "sort": "sort",
    "unique": "drop_duplicates",
    "drop_nulls": "drop_missing",
    "drop_nans": "drop_missing",
    "fill_null": "impute_missing",
    "fill_nan": "impute_missing",
    "interpolate": "impute_missing",
    "join": "join",
    "join_asof": "join",
    "rename": "rename",
    "drop": "drop_columns",
    "pivot": "reshape",
    "melt": "reshape",
    "unpivot": "reshape",
    "explode": "reshape",
    "transpose": "reshape",
    "cast": "type_cast",
    "sample": "sample",
    "to_dummies": "encode_categorical",
    "hstack": "concat",
    "vstack": "concat",
    "extend": "concat",
    "head": "filter_rows",  # in an assigned chain the first rows are kept (CONVENTIONS 30); shown, inspection
    "slice": "filter_rows",  # df.slice(2, 2): rows by position, as head / tail / iloc[2:4] (CONVENTIONS 30)
    # df.get_column("b"), df.to_series(1): one column taken out of the frame as a Series (CONVENTIONS 18: a single
    # column that ends the assigned expression is select_columns); on a frame read as the pick df["b"] is
    # (COLUMN_PICKS below)
    "get_column": "select_columns",
    "to_series": "select_columns",
    "tail": "filter_rows",
    # the k rows with the largest / smallest values, as pandas' nlargest / nsmallest (CONVENTIONS 30: filter_rows)
    "top_k": "filter_rows",
    "bottom_k": "filter_rows",
    "set_sorted": "other",  # like set_index: a flag on the frame, no values change
    # a row number put into a column, as pandas' reset_index() puts the index there (CONVENTIONS 14: other)
    "with_row_index": "other",
    "with_row_count": "other",
    # a struct column's fields made columns of the frame: `select(pl.col("k").value_counts()).unnest("k")` is polars'
    # `value_counts().reset_index()`, the counts and their keys laid out as a table (CONVENTIONS 14: other)
    "unnest": "other",
    # the rows split into one frame per key value: each part a subset of the rows
    "partition_by": "filter_rows",
    "describe": "other",
    # exports: a file written, no data changed (CONVENTIONS 15: "Not steps: exports (to_csv, ...)"); a lazy frame's
    # sink_* runs the query into the file
    **{name: None for name in ("write_csv", "write_parquet", "write_ipc", "write_json", "write_ndjson",
                               "write_excel", "write_database", "write_delta", "write_avro",
                               "sink_parquet", "sink_csv", "sink_ipc", "sink_ndjson")},
    "collect": None,
    "lazy": None,
    "clone": None,
    "to_pandas": None,
    "to_numpy": None,
    # --- the rest of DataFrame / LazyFrame's API (bench/kb_coverage.py), by the definition
    "reverse": "sort",  # rows in reverse order (CONVENTIONS 30: `[::-1]` is sort)
    # rows by position or the rows a condition does not hold for (`remove` is filter's complement): CONVENTIONS 30
    **{name: "filter_rows" for name in ("limit", "gather", "gather_every", "remove")},
    # rows matched by conditions on two frames: two tables made one (`update` is in kb.not_steps.PANDAS_METHODS: the
    # name falls through from a pandas frame, whose update from another frame is no step)
    "join_where": "join",
    "merge_sorted": "concat",  # two sorted frames' rows, in one
    # a value per row computed across columns or written as a column: derive_feature (what-is-a-step.md)
    **{name: "derive_feature" for name in ("sum_horizontal", "mean_horizontal", "max_horizontal", "min_horizontal",
                                           "fold", "map_rows", "insert_column", "replace_column", "hash_rows",
                                           "with_columns_seq", "map_columns")},
    "select_seq": "select_columns",
    "drop_in_place": "drop_columns",
    # rows put on a regular calendar, as pandas' asfreq (the index changed, CONVENTIONS 14: other)
    "upsample": "other",
    # rolling windows over a time column grouped, as group_by_dynamic (aggregate)
    "rolling": "aggregate",
}


# Methods that take one column out of a frame as a Series: the same pick as the subscript `df["b"]`, a select_columns
# only where it ends the assigned expression, none inside a filter's condition or another call's argument
# (CONVENTIONS 18; classify/library_methods.py)
COLUMN_PICKS = frozenset({"get_column", "to_series"})

# Expression methods inside with_columns(...) / select(...): they decide the op of that expression.
# Methods whose op depends on how they are called (see pandas.CONTESTED_METHODS).
CONTESTED_METHODS: dict[str, tuple[str, dict[str, str | None]]] = {
    # df.cast({"k": pl.Categorical}): the type made categorical (CONVENTIONS 21); pl.Enum([...]) declares the order
    "cast": ("cast_target", {"category": "type_cast", "declared": "encode_categorical", "computed_value": None}),
}

EXPRESSION_METHODS: dict[str, str] = {
    "cast": "type_cast",
    "fill_null": "impute_missing",
    "fill_nan": "impute_missing",
    "interpolate": "impute_missing",
    "forward_fill": "impute_missing",
    "backward_fill": "impute_missing",
    "clip": "outlier_remove",
    "to_physical": "encode_categorical",
    "replace_strict": "encode_categorical",
    "to_dummies": "encode_categorical",
    "value_counts": "aggregate",
    "over": "derive_feature",  # a value per group, kept on every row (a window)
    "rank": "derive_feature",
    # pl.col("a", "b").reshape((1, 5)): a column's values laid out in another shape (an array column); a layout
    # change is reshape (CONVENTIONS 12)
    "reshape": "reshape",
    # a column's logarithm or square root, as np.log / np.sqrt of a column (what-is-a-step.md: "np.log ... applied to a
    # feature or a target: scale_normalize"; CONVENTIONS 23)
    **{name: "scale_normalize" for name in ("log", "log1p", "log10", "sqrt")},
    # the column's values in a random order (as pandas' sample(frac=1)): sample (CONVENTIONS 30)
    "shuffle": "sample",
    "cum_sum": "derive_feature",
    "shift": "derive_feature",
    "rolling_mean": "derive_feature",
    # --- the rest of Expr's API (bench/kb_coverage.py): a value per row computed from the column (what-is-a-step.md:
    # derive_feature; CONVENTIONS 22: cumsum, shift, rolling derive), as in a with_columns the default already is
    **{name: "derive_feature" for name in (
        "abs", "round", "round_sig_figs", "floor", "ceil", "exp", "pow", "sign", "neg", "cbrt", "sin", "cos", "tan",
        "cot", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "degrees",
        "radians", "erf", "erfc", "add", "sub", "mul", "truediv", "floordiv", "truncdiv", "mod", "dot", "diff",
        "pct_change", "cum_max", "cum_min", "cum_prod", "cum_count", "cumulative_eval", "ewm_mean", "ewm_mean_by",
        "ewm_std", "ewm_sum", "ewm_sum_by", "ewm_var", "rolling", "rolling_map", "rolling_max", "rolling_max_by",
        "rolling_mean_by", "rolling_median", "rolling_median_by", "rolling_min", "rolling_min_by", "rolling_quantile",
        "rolling_quantile_by", "rolling_rank", "rolling_rank_by", "rolling_skew", "rolling_std", "rolling_std_by",
        "rolling_sum", "rolling_sum_by", "rolling_var", "rolling_var_by", "rolling_kurtosis", "rle_id", "hash",
        "map_elements", "map_batches", "map", "repeat_by", "extend_constant", "bin",
        # pd.cut / qcut: derive_feature (what-is-a-step.md)
        "cut", "qcut", "bin_intervals", "bin_quantiles", "bin_ranks",
    )},
    "interpolate_by": "impute_missing",
}

# Namespaces of a polars expression only (`pl.col("a").name.suffix("_x")`): on a pandas frame `df.name` is a column.
EXPRESSION_NAMESPACES: frozenset[str] = frozenset({"name"})

ACCESSORS: dict[str, dict[str, str | None]] = {
    "str": {
        **{name: "text_clean" for name in (
            "to_lowercase", "to_uppercase", "to_titlecase", "strip_chars", "strip_chars_start",
            "strip_chars_end", "strip", "replace", "replace_all", "strip_prefix", "strip_suffix", "pad_start",
            "pad_end", "zfill", "normalize",
        )},
        **{name: "datetime_parse" for name in ("to_datetime", "strptime", "to_date", "to_time")},
        **{name: "text_clean" for name in ("split", "extract", "extract_all", "slice", "head", "tail")},
        **{name: "derive_feature" for name in ("len_chars", "len_bytes", "count_matches", "json_decode")},
        "to_integer": "type_cast",
        # position of a pattern, a number per row, as len_chars / count_matches
        "find": "derive_feature",
        # text cut, joined, decoded, reversed or extracted (what-is-a-step.md: str.split, regex extraction: text_clean)
        **{name: "text_clean" for name in ("split_exact", "splitn", "extract_groups", "extract_many", "find_many",
                                           "replace_many", "reverse", "join", "decode", "encode", "json_path_match")},
        "contains_any": None,  # a predicate: the filter it builds is the step
        "to_decimal": "type_cast",
        **{name: None for name in ("contains", "starts_with", "ends_with")},
    },
    "dt": {
        "replace_time_zone": "datetime_parse",
        "convert_time_zone": "datetime_parse",
        "truncate": "datetime_parse",
        "round": "datetime_parse",
        "cast_time_unit": "datetime_parse",
        "strftime": "derive_feature",
        "date": "derive_feature",  # pl.col("ts").dt.date(): the date part (kb.pandas ACCESSORS["dt"]["date"])
        "to_string": "derive_feature",
        # date and time parts, and dates moved by an offset (CONVENTIONS 21: "Extracting date parts is derive_feature")
        **{name: "derive_feature" for name in (
            "year", "iso_year", "quarter", "month", "week", "weekday", "day", "ordinal_day", "hour", "minute", "second",
            "millisecond", "microsecond", "nanosecond", "century", "millennium", "days_in_month", "is_leap_year",
            "is_business_day", "time", "epoch", "timestamp", "total_days", "total_hours", "total_minutes",
            "total_seconds", "total_milliseconds", "total_microseconds", "total_nanoseconds", "offset_by",
            "add_business_days", "base_utc_offset", "dst_offset",
        )},
        # dates rounded to their month's first or last day, or put together from a date and a time, as truncate
        **{name: "datetime_parse" for name in ("month_start", "month_end", "combine", "replace")},
    },
    "cat": {"get_categories": None},
}

# Expression methods (and pl.* functions) that reduce a column to one value: a select made only of them is an answer
# (CONVENTIONS 9), where with_columns broadcasts the value onto every row (derive_feature).
REDUCTIONS: frozenset[str] = frozenset({
    "mean", "sum", "min", "max", "std", "var", "median", "count", "len", "n_unique", "null_count", "quantile",
    "first", "last", "product", "skew", "kurtosis", "arg_max", "arg_min", "corr", "cov", "approx_n_unique", "any",
    "all",
})
