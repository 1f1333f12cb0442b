"""polars operations (module functions, DataFrame/LazyFrame methods, expression methods)."""

from __future__ import annotations

FUNCTIONS: dict[str, str | None] = {
    **{name: "load" for name in (
        "read_csv", "scan_csv", "read_parquet", "scan_parquet", "read_json", "read_ndjson", "scan_ndjson",
        "read_excel", "read_database", "read_database_uri", "read_ipc", "scan_ipc", "read_avro", "read_delta",
        "scan_delta",
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
