"""Knowledge base of data operations, one table per library.

Each library module exposes plain data (dicts / tuples), never logic, so adding an
operation is a one-line change. `steps.py` is the only reader. Table shapes:

- FUNCTIONS: name relative to the library root ("read_csv", "random.choice") -> op
- METHODS: method name called on a value of that library (a frame, an array) -> op
- ACCESSORS: accessor ("str", "dt", "cat") -> {method -> op}
- sklearn has class tables instead (see sklearn.py).

An op of None means "known, deliberately not a step" (e.g. `.copy()`, `.lazy()`),
which keeps the method from falling through to another library's table.
"""

from __future__ import annotations

from . import numpy, pandas, polars, seaborn, sklearn

LIBRARIES = {"pandas": pandas, "numpy": numpy, "polars": polars, "sklearn": sklearn, "seaborn": seaborn}

# Aliases assumed when a cell uses them without an import we saw (a notebook whose
# import cell was never analysed, or `%run setup.py`).
CONVENTIONAL_ALIASES = {
    "pd": "pandas",
    "np": "numpy",
    "pl": "polars",
    "sns": "seaborn",
    "plt": "matplotlib.pyplot",
    "sk": "sklearn",
}

# Methods that open a group: the reduction called after them is part of the same aggregate step.
GROUPING_METHODS = frozenset({"groupby", "group_by", "resample", "group_by_dynamic"})
# Window methods: their reduction (`.rolling(7).mean()`) is part of the same derive_feature step.
WINDOW_METHODS = frozenset({"rolling", "expanding", "ewm"})
# Predicates that test for missing values (a mask of their negation drops missing rows).
MISSING_TESTS = frozenset({"isna", "isnull", "isnan", "is_null", "is_nan"})
PRESENT_TESTS = frozenset({"notna", "notnull", "is_not_null", "is_not_nan"})

# A filter whose bound comes from one of these calls, or from a name like these, removes outliers.
OUTLIER_BOUND_CALLS = frozenset({"quantile", "percentile", "nanpercentile", "nanquantile", "std", "zscore", "iqr"})
OUTLIER_BOUND_NAME = (r"(^|_)(q1|q3|q01|q99|iqr|lower|upper|bound|bounds|cutoff|z|zs|zscore|z_score|z_scores|"
                      r"outlier|outliers|p01|p99|p1|std|sigma|sd)(_|$|\d)")

__all__ = [
    "LIBRARIES", "CONVENTIONAL_ALIASES", "GROUPING_METHODS", "WINDOW_METHODS", "MISSING_TESTS", "PRESENT_TESTS",
    "OUTLIER_BOUND_CALLS", "OUTLIER_BOUND_NAME", "numpy", "pandas", "polars", "seaborn", "sklearn",
]
