"""pyjanitor's DataFrame methods (https://pyjanitor-devs.github.io/pyjanitor/api/functions/).

`import janitor` registers these methods on every pandas DataFrame (through pandas_flavor), so a notebook calls them
on its frames as pandas' own methods (`df.pivot_wider(index="name", names_from="variable")`), and notebooks that
document pyjanitor call them without the import in sight (its documentation build imports it). The classifier reads
this table after the frame libraries' own (classify/library_methods.py), so a name pandas or polars also has keeps
their op. Ops by the definition (what-is-a-step.md, CONVENTIONS): a categorical dtype is a cast (21), a text column
split into new columns is text work (text_clean), flattened column levels are a rename, rows kept by a condition a
filter; None is known, deliberately no step (`then`, `also`: a function applied to the frame whose body is the step).
Left out, as names other libraries' objects share that the classifier cannot always tell from a pandas frame:
`coalesce` (Spark's `df.coalesce(1)` repartitions) and `shuffle` (tf.data's `ds.shuffle(1000)` is no step,
test_steps_pass24_deep_learning_data).
"""

from __future__ import annotations

METHODS: dict[str, str | None] = {
    # reshape (what-is-a-step.md: melt / pivot are reshape)
    "pivot_wider": "reshape",
    "pivot_longer": "reshape",
    "pivot_longer_spec": "reshape",
    # columns and their names
    "clean_names": "rename",
    "rename_column": "rename",
    "rename_columns": "rename",
    "collapse_levels": "rename",
    "row_to_names": "rename",
    "remove_columns": "drop_columns",
    "drop_duplicate_columns": "drop_columns",
    "select_columns": "select_columns",
    # rows
    "filter_on": "filter_rows",
    "filter_string": "filter_rows",
    "filter_column_isin": "filter_rows",
    "filter_date": "filter_rows",
    "select_rows": "filter_rows",
    "get_dupes": "filter_rows",
    "take_first": "filter_rows",
    "dropnotnull": "drop_missing",
    "remove_empty": "drop_missing",
    "sort_naturally": "sort",
    "sort_column_value_order": "sort",
    # values
    "fill_empty": "impute_missing",
    "fill_direction": "impute_missing",
    "impute": "impute_missing",
    "encode_categorical": "type_cast",  # columns made pandas categoricals: astype("category") (CONVENTIONS 21)
    "change_type": "type_cast",
    "currency_column_to_numeric": "type_cast",
    "to_datetime": "datetime_parse",
    "convert_excel_date": "datetime_parse",
    "convert_matlab_date": "datetime_parse",
    "convert_unix_date": "datetime_parse",
    "label_encode": "encode_categorical",
    "factorize_columns": "encode_categorical",
    "expand_column": "encode_categorical",  # one indicator column per value, as get_dummies
    "deconcatenate_column": "text_clean",  # a text column split into new columns, as str.split(expand=True)
    "process_text": "text_clean",
    "min_max_scale": "scale_normalize",
    "add_column": "derive_feature",
    "add_columns": "derive_feature",
    "transform_column": "derive_feature",
    "transform_columns": "derive_feature",
    "concatenate_columns": "derive_feature",
    "case_when": "derive_feature",
    "mutate": "derive_feature",
    "update_where": "derive_feature",
    "groupby_agg": "derive_feature",  # one group value per row (CONVENTIONS 22: transform)
    "count_cumulative_unique": "derive_feature",
    "jitter": "derive_feature",
    "bin_numeric": "derive_feature",
    "round_to_fraction": "derive_feature",
    "summarise": "aggregate",
    "summarize": "aggregate",
    "conditional_join": "join",
    # a function applied to the frame: its body is the step where written
    "then": None,
    "also": None,
}
