"""Knowledge base of data operations, one table per library.

Each library module exposes plain data (dicts / tuples), never logic, so adding an
operation is a one-line change. The classifier (`lineage/classify/`) reads them. Table shapes:

- FUNCTIONS: name relative to the library root ("read_csv", "random.choice") -> op
- METHODS: method name called on a value of that library (a frame, an array) -> op
- ACCESSORS: accessor ("str", "dt", "cat") -> {method -> op}
- CONTESTED_METHODS: method -> (rule, {outcome: op}) for methods whose op depends on the call
  (`map` with a dict or a function, `drop` rows or columns); the rule is named, the ops are data
- sklearn has class tables instead (see sklearn.py); python.py holds plain-Python facts (builtins,
  module aliases, in-place methods) shared by def-use, the classifier, the graph and the kernel probe.

An op of None means "known, deliberately not a step" (e.g. `.copy()`, `.lazy()`),
which keeps the method from falling through to another library's table. The rest of the libraries' public names
that are deliberately not a step are listed in not_steps.py (read by bench/kb_coverage.py only).
"""

from __future__ import annotations

import builtins

from . import (display, empiricaldist, numpy, packaged_data, pandas, polars, python, scipy, seaborn, sklearn, stat_tests,
               statsmodels, stdlib)
from .python import CONVENTIONAL_ALIASES, IPYTHON_NAMES, MUTATING_FUNCTIONS, MUTATING_METHODS

LIBRARIES = {"pandas": pandas, "numpy": numpy, "polars": polars, "sklearn": sklearn, "seaborn": seaborn,
             "statsmodels": statsmodels, "patsy": statsmodels, "scipy": scipy, "datetime": stdlib,
             "scikit_posthocs": stat_tests, "cliffs_delta": stat_tests, "pingouin": stat_tests,
             "empiricaldist": empiricaldist}

# Libraries whose instances are data (a frame, a series, an array): a name bound to one of their values holds data.
DATA_LIBRARIES = frozenset({"pandas", "polars", "numpy"})

# Names that are never data: Python's builtins and what IPython puts into every namespace.
BUILTIN_NAMES = frozenset(dir(builtins)) | IPYTHON_NAMES

# outlier_remove calls that keep every row: they hold values at a bound (`s.clip(0, 99)`, `np.maximum(preds, 0)`) or
# put other values in place of the outlying ones (`s.replace(99, 9)`, `s.where(s < q, q)`). Said "capped" / "replaced";
# "removed outliers" read as rows removed beside "66,130 rows (unchanged)" (ds-python cleaning, gulutu chili).
CAPPING_METHODS = frozenset({"clip", "clip_lower", "clip_upper", "maximum", "minimum", "winsorize"})
# polars' `pl.when(is_outlier).then(median).otherwise(pl.col("x"))` replaces as `where` does
VALUE_REPLACING_METHODS = frozenset({"replace", "where", "mask", "when"})
# ... both keep every row by nature, so equal rows say nothing about them (runtime_decisions)
ROW_KEEPING_OUTLIER_METHODS = CAPPING_METHODS | VALUE_REPLACING_METHODS

# Methods that open a group: the reduction called after them is part of the same aggregate step.
GROUPING_METHODS = frozenset({"groupby", "group_by", "resample", "group_by_dynamic"})
# What computing a group key inside the grouping call does (`groupby(df.t.dt.date)`, `groupby(pd.cut(df.age, 5))`):
# part of the aggregation, not a step of its own.
GROUP_KEY_OPS = frozenset({"datetime_parse", "derive_feature", "text_clean", "type_cast", "select_columns"})
# Window methods: their reduction (`.rolling(7).mean()`) is part of the same derive_feature step.
WINDOW_METHODS = frozenset({"rolling", "expanding", "ewm"})
# The largest value of an 8-bit image's pixels: intensities divided by it are put on [0, 1], a min-max rescale
# (what-is-a-step.md: scalers are scale_normalize), whatever name the result is given (`X = train.values / 255`).
PIXEL_MAXIMA = frozenset({255})
# Predicates that test for missing values (a mask of their negation drops missing rows).
MISSING_TESTS = frozenset({"isna", "isnull", "isnan", "is_null", "is_nan"})
PRESENT_TESTS = frozenset({"notna", "notnull", "is_not_null", "is_not_nan"})
# Predicates true where a value is present and finite (`np.isfinite(X)`): rows kept by them drop missing values
# (CONVENTIONS 29: a `notnull()` / `~isna()` row filter is drop_missing), as a present test's rows do.
FINITE_TESTS = frozenset({"isfinite", "is_finite"})
# Reductions of a row-wise mask over the columns (`np.isnan(X).any(axis=1)`, `df.notna().all(axis=1)`): a row is missing
# where any of its values is, present where all are.
ROW_REDUCTIONS = frozenset({"any", "all"})
# The negation of a polars expression written as a method (`pl.col("a").is_null().not_()`), as `~` is.
NEGATION_METHODS = frozenset({"not_"})
# Casts of a value to another type (pandas / NumPy astype, polars cast).
CAST_METHODS = frozenset({"astype", "cast"})

# A mask named for missing values (`missing_mask_`, `is_null`, `nan_rows`).
MISSING_MASK_NAME = r"(^|_)(missing|nan|nans|null|nulls|isna|isnull|na)(_|$)"

# What a boolean mask assigned to a name computes in order to test rows (`long = df.zip.str.len() > 5`,
# `dashes = df.zip.str.contains("-").fillna(False)`, `m = df.x.astype(str).str.contains("a")`): part of the mask,
# which is not a step (CONVENTIONS 15); a mask put into a column is an indicator instead (CONVENTIONS 20).
MASK_PART_OPS = frozenset({"derive_feature", "text_clean", "type_cast", "impute_missing", "datetime_parse",
                           "scale_normalize"})

# Methods that only show data. As a bare expression statement (`df.head()`, `df["x"].describe()`,
# `print(df.value_counts())`) they and anything chained after them (`df.describe().T`) are display, not a
# step; assigned (`top = df.head()`) they keep their table's op.
INSPECTION_METHODS = frozenset({"head", "tail", "describe", "info", "value_counts", "glimpse", "nunique", "corr", "cov",
                                "n_unique", "memory_usage", "null_count", "estimated_size"})
# A filter whose bound comes from one of these calls, or from a name like these, removes outliers.
# A notebook function named for outliers (`outlier_thresholds`, `remove_outliers`): what it returns are outlier bounds
# or rows without outliers.
OUTLIER_FUNCTION_NAME = r"(^|_)outliers?(_|$)"
OUTLIER_BOUND_CALLS = frozenset({"quantile", "percentile", "nanpercentile", "nanquantile", "std", "zscore", "iqr"})
OUTLIER_BOUND_NAME = (r"(^|_)(q1|q3|q01|q99|iqr|lower|upper|bound|bounds|cutoff|z|zs|zscore|z_score|z_scores|"
                      r"outlier|outliers|p01|p99|p1|std|sigma|sd)(_|$|\d)")

# Statistics a value is standardised, centred or min-max scaled with (`(X - mu) / sigma` after `mu = X.mean(axis=0)`,
# `sigma = np.std(X, axis=0)`): a name bound to one of these calls is remembered as that statistic.
STANDARDISING_STATISTICS = frozenset({"mean", "median", "std", "min", "max"})

# Attributes whose assignment names data: `df.columns = [...]`, `s.name = "x"`, `df.index.name = "day"`.
RENAMING_ATTRIBUTES = frozenset({"columns", "name", "names", "index"})
# A notebook function or transformer class named for filling gaps (`CustomImputer`, `impute_garage`, `fill_missing`):
# values it puts into rows picked by a mask fill the gaps the notebook itself calls missing (what-is-a-step.md:
# "assigning a value where a column is null"), as a filter in a function the notebook calls outlier removal removes
# outliers (CONVENTIONS 29). Matched case-insensitively against the name split into words.
IMPUTER_NAME = r"(^|_)(imputer|impute|imputation|fill_?na|fill_?missing|fill_?nulls?|fill_?gaps)(_|$)"
# A variable named as a training / test / validation part: rows held out into it make a split.
TRAIN_TEST_NAME = (r"(^|_)(train|test|valid|validate|validation|val|va|holdout|tr|te|trn|tst|dev|trainval)(_|$|\d)|"
                   r"^(x|y|X|Y)(tr|te|train|test|val|valid)$")
# Ops that only read rows / columns out of a results table: reading the result (a table of scores put together
# from several evaluations stays a concat, CONVENTIONS 13). Not sort: scores put in order and kept
# (`mi_scores = mi_scores.sort_values()`) are sorted (CONVENTIONS 30: "An assigned `sort_values` ... is `sort`").
RESULTS_TABLE_READING_OPS = frozenset({"filter_rows", "select_columns", "other"})
# Row selections that hold data out when they create a train / test part.
HOLD_OUT_OPS = frozenset({"filter_rows", "sample"})
# ... by position, by index or by sampling (CONVENTIONS 16); a condition on the data (`df[df.year < 2020]`) stays
# a filter
# ... or by a mask named for the part (`X_test = X.loc[~train]` after `train = df.year < 2005`)
HOLD_OUT_METHODS = frozenset({"slice", "sample", "drop", "head", "tail", "part_mask"})

# Values assigned into part of a frame or array (`df["x"] = ...`, `df.loc[mask, "x"] = v`, `arr[5:8] = 12`) when the
# right-hand side has no op of its own: the rule (classify/value_assignment.py) names the outcome, the table the op.
VALUE_ASSIGNMENT = ("assigned_values", {
    "missing": "impute_missing",  # df.loc[df.x.isna(), "x"] = 0
    "scaled": "scale_normalize",  # df["z"] = (df.x - df.x.mean()) / df.x.std()
    "placeholder_text": "text_clean",  # df.loc[df.zip == "00000", "zip"] = np.nan (CONVENTIONS 29)
    "recode": "encode_categorical",  # df.loc[df.shape.isin(["IR1", "IR2"]), "shape"] = "IR": categories lumped (20)
    "variant_text": "text_clean",  # df.loc[df.city == "Golkata", "city"] = "Kolkata": one value respelt (20)
    "anomaly": "outlier_remove",  # df.loc[df.age > 120, "age"] = np.nan, data[data < 0] = 0 (CONVENTIONS 29)
    "positions": "other",  # arr[5:8] = 12, s[::2] = np.nan, X.iloc[0] = 1: values put at positions
    # df.loc[len(df)] = row: a row put at the label one past the last, pandas' setting with enlargement; the frame
    # gains a row, as `pd.concat([df, pd.DataFrame([row])])` gives it (what-is-a-step.md: concat)
    "appended_row": "concat",
    "column": "derive_feature",  # df["ratio"] = df.a / df.b, df["y"] = y (CONVENTIONS 19)
})

# Names of a catch-all category: one value put under such a name is lumped with others (`df.loc[df.title == "Capt",
# "title"] = "Rare"`, CONVENTIONS 20 "lumping into 'Other'"), one value put under another name is that value's
# spelling or variant label fixed (`df.loc[df.title == "Mlle", "title"] = "Miss"`: text_clean).
CATCH_ALL_CATEGORY_NAMES = frozenset({"other", "others", "rare", "misc", "miscellaneous"})

# Ops that a run of calls in one statement makes once: a chain reads one source, computes one metric, and encodes /
# parses / casts / fills the same values once (`.astype("category").cat.codes`). Other transforming calls of a chain
# are a step each (what-is-a-step.md: "Method chains give one step per transforming call": `unstack().stack()`
# reshapes twice, and each row filter of a chain keeps other rows: `.loc[lambda x: x.a == 1].loc[lambda x: x.b > 2]`,
# `.filter(...).filter(...)`, `df[mask].head(1)` filter twice; each text operation of a chain changes the text
# again: `.str.replace("$", "").str.replace(",", "")` and `.str.strip().str.lower()` clean twice, as the blind
# labels count them).
# ... but taking a part of what a text operation just made (`.str.split(",").str[0]`, `.str.split().str.get(-1)`) is
# part of that operation: one text_clean
TEXT_PART_PICKS = frozenset({"str.get", "str.slice"})
# Ops string work on a file's or a feature's name reads as (classify/file_names.py): labels made, none of them a step
NAME_TEXT_OPS = frozenset({"text_clean", "derive_feature"})
# Ops that change the values of the columns they name: written to other columns (`df["x2"] = df["x"].fillna(0)`),
# the step's `columns` are the written ones and `derived_from` the ones changed.
COLUMN_VALUE_OPS = frozenset({"encode_categorical", "impute_missing", "type_cast", "text_clean", "datetime_parse",
                              "scale_normalize"})
# The ops of a feature's chain kept in a list or dict to be put side by side later (`lags.append(s.shift(L).rename(n))`,
# `feats[k] = df[c].rolling(7).mean().astype("float32")`): computing, naming and casting the new values; a chain with
# any other op (a read, an aggregation, a fit) is some other kind of statement (classify/expression_statements.py).
FEATURE_CHAIN_OPS = frozenset({"derive_feature", "rename", "type_cast"})
ONE_STEP_PER_STATEMENT_OPS = frozenset({"load", "evaluate", "encode_categorical", "datetime_parse",
                                        "type_cast", "impute_missing"})

__all__ = [
    "LIBRARIES", "CAST_METHODS", "FEATURE_CHAIN_OPS", "CONVENTIONAL_ALIASES", "COLUMN_VALUE_OPS", "GROUPING_METHODS", "WINDOW_METHODS", "MISSING_TESTS", "PRESENT_TESTS",
    "FINITE_TESTS", "ROW_REDUCTIONS", "NEGATION_METHODS",
    "OUTLIER_BOUND_CALLS", "OUTLIER_BOUND_NAME", "OUTLIER_FUNCTION_NAME",
    "INSPECTION_METHODS", "MUTATING_METHODS", "MUTATING_FUNCTIONS", "BUILTIN_NAMES", "IPYTHON_NAMES", "python", "numpy", "pandas", "polars", "seaborn", "sklearn",
]
