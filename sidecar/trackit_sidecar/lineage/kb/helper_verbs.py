"""The prep op the name of a function the notebook cannot see says it performs.

A research or course notebook often prepares its data only through its repository's own package
(`from src.features import fill_missing_median`, `import utils as u; u.encode_categoricals(df)`,
`from helpers import *`).
CONVENTIONS 4b treats such a helper as a black box and labels the call, not the body, with "the prep op it performs";
with the body out of sight, the name is what says which op that is. kb.models.IMPORTED_HELPER_NAME_OPS and
ALGORITHM_NAME_OPS already read the model steps, splits, resampling, feature building, missing-row drops, one-hot
encoding and scaling so named; this table reads the other prep verbs of what-is-a-step.md's op list.

Matched (first match wins) against the function's name in snake_case (camelCase split), only for a call handed data
whose result the analysis goes on with (classify/function_calls.py); a notebook's own function of the same name is
classified in its body instead (CONVENTIONS 1), and a loader's name is kb.sources.IMPORTED_LOADER_NAME's.
"""

from __future__ import annotations

# Libraries published on their own, not a module of the notebook's project: their functions are read from their own
# tables, or not at all, never by this table's verbs (`preprocess_input(X)` of keras.applications scales pixels,
# `nltk.clean_html`, `ta.add_all_ta_features`): a name in a library's API is that library's choice, not a verb the
# project chose for its helper. Matched against the top-level package of the module the function comes from.
LIBRARY_PACKAGES: frozenset[str] = frozenset({
    "tensorflow", "keras", "tf_keras", "torch", "torchvision", "torchaudio", "torchtext", "transformers", "datasets",
    "tensorflow_datasets", "tensorflow_hub", "jax", "flax", "fastai", "lightning", "pytorch_lightning",
    "nltk", "spacy", "gensim", "textblob", "sentence_transformers", "tokenizers", "emoji", "contractions",
    "cv2", "PIL", "skimage", "imageio", "albumentations",
    "xgboost", "lightgbm", "catboost", "imblearn", "category_encoders", "feature_engine", "mlxtend", "optuna",
    "hyperopt", "shap", "lime", "eli5", "yellowbrick", "pycaret", "h2o", "autogluon", "sktime", "darts", "prophet",
    "pmdarima", "tsfresh", "featuretools", "umap", "hdbscan", "kmodes", "pyod", "lifelines", "pymc", "arviz",
    "missingno", "plotly", "bokeh", "altair", "folium", "geopandas", "shapely", "networkx", "dask", "pyspark",
    "ray", "janitor", "pandas_profiling", "ydata_profiling", "sweetviz", "dtale", "great_expectations",
    "requests", "bs4", "selenium", "sqlalchemy", "pymongo", "boto3", "openai", "langchain", "ta", "talib",
    "yfinance", "pandas_datareader", "quandl", "wbdata", "pyarrow", "duckdb", "xarray", "h5py", "tables",
})

# Words before the verb that say nothing of the op (`do_cleansing(df)`, `basic_clean(df)`, `apply_encoding(df)`):
# dropped before the table is matched.
HELPER_VERB_PREFIX = r"^(do|run|apply|perform|basic|simple|quick|full|initial|final|custom|my)_"

IMPORTED_HELPER_VERB_OPS: tuple[tuple[str, str], ...] = (
    # the column names cleaned (`clean_column_names(df)`, `standardize_columns(df)`): a rename (CONVENTIONS 30), before
    # the `clean` verbs below take it for cleaning the data
    (r"^(clean|standardi[sz]e|normali[sz]e|fix|format|snake_case|lower(case)?)_(col|cols|column|columns|header|headers)"
     r"(_names?)?$|^rename(_\w+)?$", "rename"),
    # text cleaned (`clean_text(s)`, `preprocess_reviews(df)`, `remove_stopwords(df)`, `normalize_text(df)`):
    # text_clean (what-is-a-step.md: "str.split, str.strip, str.lower, replace on text, regex extraction")
    (r"^(clean|preprocess|normali[sz]e|standardi[sz]e|process)_(the_)?(text|texts|string|strings|str|tweets?|"
     r"reviews?|comments?|titles?|descriptions?|sentences?|documents?|docs?|corpus|words?)(_fields?)?$"
     r"|^(remove|strip|drop)_(punctuation|stop_?words|html|html_tags|urls?|emojis?|special_char\w*|accents|digits|"
     r"numbers|whitespace|extra_spaces)$|^lemmati[sz]e(_\w+)?$", "text_clean"),
    # missing values filled (`fill_missing_median(df, cols)`, `impute_missing(df)`, `handle_missing_values(df)`)
    (r"^(fill|impute|imputation)(_\w+)?$|^missing_(values?_)?(imputation|filling|treatment)$"
     r"|^(handle|treat|replace)_(missing|nulls?|nans?|na)(_\w+)?$", "impute_missing"),
    (r"^(drop|remove)_(duplicates?|dups|duplicate_rows)$|^de_?dup(e|licate)?(_\w+)?$", "drop_duplicates"),
    # outliers removed or capped (CONVENTIONS 29)
    (r"^(drop|remove|handle|treat|cap|clip|filter|trim)_outliers?(_\w+)?$|^winsori[sz]e(_\w+)?$"
     r"|^outliers?_(removal|treatment|capping)$", "outlier_remove"),
    (r"^(drop|remove|delete)_(columns?|cols?|features|variables|vars)(_\w+)?$", "drop_columns"),
    # categories recoded (`encode_categoricals(df)`, `label_encode(df, c)`; CONVENTIONS 20), not an encoder made
    (r"^((label|ordinal|target|categorical|category|one_hot|dummy)_)?encod(e|ing)(_(?!model)\w+)?$",
     "encode_categorical"),
    (r"^(convert|parse|to|clean|fix|standardi[sz]e|format)_(dates?|datetimes?|timestamps?|time)(_\w+)?$",
     "datetime_parse"),
    (r"^(convert|cast|fix|set|optimi[sz]e|downcast|standardi[sz]e|enforce|coerce)_(d?types?|numeric|numerics|"
     r"to_numeric)(_\w+)?$", "type_cast"),
    (r"^(merge|join)(_\w+)?$", "join"),
    (r"^(concat|concatenate|stack|append)_(data|datasets?|frames?|dataframes?|dfs|tables?|files?)$", "concat"),
    (r"^(aggregate|agg)(_\w+)?$|^group_(and|by)_\w+$", "aggregate"),
    # (`explode_countries(df)`: one row per item of a listed field, as pandas' explode, a reshape)
    (r"^(pivot|melt|unpivot|reshape|explode|to_long|to_wide|wide_to_long|long_to_wide)(_\w+)?$", "reshape"),
    (r"^filter(_\w+)?$", "filter_rows"),
    (r"^sort(_\w+)?$", "sort"),
    # data cleaned or preprocessed as a whole (`clean_data(df)`, `preprocess(df)`, `process_data(raw)`): several
    # ops in one call with none of them named, as a preprocessing pipeline of several ops is one `other` (CONVENTIONS
    # 25)
    (r"^(clean|cleanup|cleanse|preprocess|pre_process|process|wrangle|transform)"
     r"(_(the_)?(raw_)?(data|df|dataset|dataframe|table|inputs?|records|rows|features))?$"
     r"|^(data_)?(cleaning|cleansing|preprocessing|wrangling)$", "other"),
    # (not `prepare(df)`: a project's `X, y = wrangle.prepare(df)` hands back features and target, no op named)
    # a measure per key (`salary_by_city_tier(df)`, `sales_by_region(df)`, `churn_rate_by_month(df)`): the name says
    # what is computed for each value of what, a group-by aggregation (CONVENTIONS 22), when no verb above named it
    # (not when a verb of another step leads: `split_by_date`, `rank_by_score`, `add_lag_by_store`)
    (r"^(?!(split|train|fit|predict|evaluate|score|load|read|fetch|sample|resample|bootstrap|rank|make|create|build|"
     r"add|find|check|test|run|label|tag|flag|mark|scale|normali[sz]e|standardi[sz]e|select|pick|choose|generate|"
     r"simulate|shift|lag|order)_)[a-z][a-z0-9]*(_[a-z0-9]+)*_(by|per)_[a-z0-9]+(_[a-z0-9]+)*$", "aggregate"),
    # a table's column level stacked or unstacked (`ut.unstack_df(t)`: pandas' stack / unstack, a reshape); two results
    # or data tables put side by side or one under the other by the project's helper (`ut.combine_dfs(T, C,
    # "Treatment", "Control")`, `combine_frames(a, b)`: concat, CONVENTIONS 13)
    (r"^(un)?stack(_(df|dfs|data|frame|frames|table|tables|levels?|columns?|index))?$", "reshape"),
    (r"^(combine|concat|bind|stack)_(df|dfs|data|datasets|frames|dataframes|tables|results)$", "concat"),
    # counts per value of a table's columns (`ut.get_socdem_counts(df, dd, "Treatment")`, `value_counts_by(df, c)`,
    # `compute_counts(df)`): a table of counts, an aggregate (CONVENTIONS 10: "An assigned value_counts() ... is
    # aggregate"; shown, 6: a group-by aggregation builds a new table)
    (r"^((get|compute|calc|calculate|make|build|tally)_)?([a-z0-9]+_)*counts$", "aggregate"),
    # the whole data set treated by the project's preprocessing (`treat_dataset_pandas_init(train, process_as_category=
    # True)` from `utils.preprocess`): several ops in one call, none named, one `other`, as `clean_data(df)` is
    # (above; CONVENTIONS 25)
    (r"^treat_(the_)?(raw_)?(data|dataset|df|dataframe|frame|table)(_[a-z0-9]+)*$", "other"),
)
# Names of helpers that show what they are handed (kb.models' drawing and result-showing names): no verb is read in
# them (`plot_sales_by_region(df)`, `print_clean_summary(df)` draw or print; CONVENTIONS 8).
SHOWING_NAME = (r"^(plot|draw|show|display|visuali[sz]e|print|report|log|save|write|export|describe|summari[sz]e)(_|$)"
                r"|_(plot|chart|graph|figure|fig)$")
