"""numpy operations (module functions and ndarray methods)."""

from __future__ import annotations

FUNCTIONS: dict[str, str | None] = {
    "load": "load",
    "loadtxt": "load",
    "genfromtxt": "load",
    "fromfile": "load",
    "concatenate": "concat",
    "vstack": "concat",
    "hstack": "concat",
    "column_stack": "concat",
    "row_stack": "concat",
    "dstack": "concat",
    "stack": "concat",
    "append": "concat",
    "c_": "concat",
    "r_": "concat",
    "reshape": "reshape",
    "transpose": "reshape",
    "ravel": None,  # a conversion (kb/sources.py)
    "swapaxes": "reshape",
    "moveaxis": "reshape",
    "expand_dims": "reshape",
    "squeeze": "reshape",
    "sort": "sort",
    "unique": None,  # an answer (kb.display.ANSWER_FUNCTIONS)
    "nan_to_num": "impute_missing",
    "clip": "outlier_remove",
    "where": "derive_feature",
    "dot": "derive_feature",  # a matrix product of data (y_true = np.dot(X, beta))
    "matmul": "derive_feature",
    "outer": "derive_feature",
    "modf": "derive_feature",
    "cumsum": "derive_feature",
    # a correlation / covariance matrix (what-is-a-step.md: "a correlation matrix assigned to a name: aggregate"), as
    # df.corr() is; one coefficient picked out of it is a number (CONVENTIONS 9); shown, see INSPECTION_FUNCTIONS
    "corrcoef": "aggregate",
    "cov": "aggregate",
    "select": "derive_feature",
    # what-is-a-step.md: "np.log ... applied to a feature or a target: scale_normalize"
    "log": "scale_normalize",
    "log1p": "scale_normalize",
    "log2": "scale_normalize",
    "log10": "scale_normalize",
    "expm1": "scale_normalize",
    "exp": "derive_feature",
    "sqrt": "derive_feature",
    "digitize": "derive_feature",
    "random.choice": "sample",
    "random.permutation": "sample",
    "random.shuffle": "sample",
    "array": None,
    "asarray": None,
    "zeros": None,
    "ones": None,
    "arange": None,
    "linspace": None,
    "linalg.lstsq": "fit_model",  # least squares: the coefficients of a linear model
    "polyfit": "fit_model",
    # the fitted polynomial's values at x (np.polyval(np.polyfit(x, y, 2), x)): its predictions (CONVENTIONS 26)
    "polyval": "predict",
    # numpy.polynomial's other bases, the same pair (`coeffs = chebfit(x, y, deg=15)`, `chebval(x, coeffs)`): a least
    # squares fit of the series' coefficients, and the fitted series' values (what-is-a-step.md: fit_model; CONVENTIONS 26)
    "chebfit": "fit_model", "legfit": "fit_model", "hermfit": "fit_model", "hermefit": "fit_model",
    "lagfit": "fit_model",
    "chebval": "predict", "legval": "predict", "hermval": "predict", "hermeval": "predict", "lagval": "predict",
    # differences between neighbouring values, as pandas' diff / shift (CONVENTIONS 22: derive_feature)
    "diff": "derive_feature",
    "delete": None,  # contested: see CONTESTED_FUNCTIONS
    "insert": None,  # contested: see CONTESTED_FUNCTIONS
    "save": "other",
    "savetxt": "other",
    # --- The rest of NumPy's functions and ufuncs (bench/kb_coverage.py), by the definition.
    # element-wise arithmetic and functions of data, a value per element: "arithmetic that creates a column"
    # (what-is-a-step.md: derive_feature), as np.exp and np.dot already are; np.log / log1p stay scale_normalize
    **{name: "derive_feature" for name in (
        "square", "cbrt", "reciprocal", "exp2", "logaddexp", "logaddexp2", "fabs", "heaviside", "gcd", "lcm",
        # running totals and differences along an axis (CONVENTIONS 22: cumsum, shift derive), as np.cumsum / np.diff
        "cumprod", "nancumsum", "nancumprod", "cumulative_sum", "cumulative_prod", "ediff1d", "gradient",
        # values shifted round an axis, as shift (CONVENTIONS 22)
        "roll",
        # a value per element chosen by conditions, as np.select / np.where
        "choose", "piecewise",
        # products of data (np.dot and np.matmul already derive)
        "cross", "kron", "tensordot", "einsum", "vecdot", "matvec", "vecmat", "inner", "vdot",
        # values read off a line through points (interpolation)
        "interp",
        # a design matrix of a variable's powers (CONVENTIONS 13: "building a design matrix from a variable and its
        # powers ... is derive_feature")
        "vander",
    )},
    # the data's layout changed (CONVENTIONS 12: "A reshape that changes the data layout ... is reshape"), as
    # np.transpose / moveaxis / swapaxes already are
    **{name: "reshape" for name in ("permute_dims", "matrix_transpose", "rollaxis", "resize", "pad",
                                    "block", "unstack")},
    # elements reversed: an order (CONVENTIONS 30: "An assigned `sort_values` or `[::-1]` is `sort`")
    **{name: "sort" for name in ("flip", "fliplr", "flipud", "sort_complex")},
    # elements or rows picked by a condition: kept rows (CONVENTIONS 30)
    **{name: "filter_rows" for name in ("compress", "extract", "trim_zeros")},
    # counts per value, as an assigned value_counts (CONVENTIONS 10: aggregate)
    "bincount": "aggregate",
    # the same data read from text or another array (np.fromregex reads a file)
    "fromregex": "load",
    "concat": "concat",  # NumPy 2's alias of concatenate
}

# NumPy's classes of a polynomial made from its coefficients (`np.poly1d(fit)`, numpy.polynomial's `Polynomial(c)`,
# `Chebyshev(c)`, ...): no step made (kb.not_steps), but called on data (`np.poly1d(fit)(x)`) they give the fitted
# polynomial's values there, its predictions, as np.polyval does (CONVENTIONS 26)
POLYNOMIAL_CLASSES: frozenset[str] = frozenset({
    "poly1d", "Polynomial", "Chebyshev", "Legendre", "Hermite", "HermiteE", "Laguerre",
})


METHODS: dict[str, str | None] = {
    "reshape": "reshape",
    "transpose": "reshape",
    "flatten": "reshape",
    "ravel": "reshape",
    "squeeze": "reshape",
    "swapaxes": "reshape",
    "astype": "type_cast",
    "sort": "sort",
    "clip": "outlier_remove",
    "copy": None,
    "tolist": None,
    # --- the rest of ndarray's methods (bench/kb_coverage.py): as the functions of the same name above
    "cumsum": "derive_feature",
    "cumprod": "derive_feature",
    "choose": "derive_feature",
    "compress": "filter_rows",
    "resize": "reshape",
}

# Methods whose op depends on how they are called (see pandas.CONTESTED_METHODS).
# Functions whose op depends on how they are called: function -> (rule, {outcome: op}) as for methods.
CONTESTED_FUNCTIONS: dict[str, tuple[str, dict[str, str | None]]] = {
    # np.column_stack((x, x**2)): a design matrix from one variable (CONVENTIONS 13); of two variables, a concat
    # ... and columns all drawn in the same statement are one generated data set, no concat (CONVENTIONS 13, 28)
    # ... and a stack with column labels among its pieces is a list of column names, no step (CONVENTIONS 15)
    # ... and the columns of one table stacked end to end by a comprehension lay it out long (reshape); values written
    # from numbers only by a comprehension are data built in code (load, CONVENTIONS 28)
    **{name: ("stacked_pieces", {"one_variable": "derive_feature", "generated": None, "names": None,
                                 "long_layout": "reshape", "written": "load"})
       for name in ("column_stack", "hstack", "c_", "concatenate", "stack", "append")},
    # np.where(s.isna(), v, s): a value put only into the gaps (what-is-a-step.md: impute_missing); otherwise derives
    # np.where(mask) with one argument: the positions where the mask holds, a mask in another form (CONVENTIONS 15)
    # np.where(x > upper, upper, x) with a statistical bound: outliers replaced (CONVENTIONS 29)
    # np.where(s.isin(top), s, "Other"): categories lumped into a catch-all one (CONVENTIONS 20)
    "where": ("missing_condition", {"fills": "impute_missing", "positions": None, "outlier_bound": "outlier_remove",
                                    "lumped": "encode_categorical"}),
    # np.maximum(preds, 0), np.minimum(x, 100): values held at a bound written as a number are clipped (CONVENTIONS
    # 29: "clipping" is outlier_remove, as np.clip is); np.maximum(a, b) of two arrays stays no step of its own
    **{name: ("bound_by_a_number", {"bound": "outlier_remove"}) for name in ("maximum", "minimum", "fmax", "fmin")},
    # np.sqrt(y): a variable put on a square-root scale, a transform of a feature or target as np.log is
    # (what-is-a-step.md: "np.log ... applied to a feature or a target: scale_normalize"); the root of arithmetic
    # (np.sqrt(dx ** 2 + dy ** 2), a distance) computes a new value and derives
    "sqrt": ("one_stored_variable", {"stored": "scale_normalize"}),
    # np.delete(X, cols, axis=1) drops columns, axis=0 drops rows (as df.drop(columns=...) / df.drop(index)); without
    # an axis it flattens the array first: no step of either kind
    "delete": ("array_axis", {"columns": "drop_columns", "rows": "filter_rows"}),
    # np.insert(X, 0, 1, axis=1): a column put into the array, as a column of ones for the intercept (CONVENTIONS 13:
    # derive_feature); rows inserted add data to it (concat)
    "insert": ("array_axis", {"columns": "derive_feature", "rows": "concat"}),
}

CONTESTED_METHODS: dict[str, tuple[str, dict[str, str | None]]] = {
    "astype": ("cast_target", {"category": "encode_categorical", "computed_value": None}),
}

# Reductions: one number of an array (`df.apply(np.mean)` is a statistic per column, as `df.mean()` is).
REDUCTIONS: frozenset[str] = frozenset({
    "mean", "nanmean", "median", "nanmedian", "std", "nanstd", "var", "nanvar", "sum", "nansum", "min", "max",
    "amin", "amax", "nanmin", "nanmax", "ptp", "prod", "count_nonzero", "average", "percentile", "nanpercentile",
    "quantile", "nanquantile",
})

# Functions that give the positions where a mask holds (`idx = np.where(y == 1)[0]`): indexing by them picks rows,
# as the mask itself does; they are not data (CONVENTIONS 15).
POSITION_FUNCTIONS: frozenset[str] = frozenset({"where", "nonzero", "flatnonzero", "argwhere"})

# Element-wise logical functions (`np.logical_and(df.a > 0, df.b < 1)`): their result is a boolean mask, as
# `(df.a > 0) & (df.b < 1)` is; indexing a frame by it keeps the rows where it holds (a row filter).
LOGICAL_FUNCTIONS: frozenset[str] = frozenset({"logical_and", "logical_or", "logical_not", "logical_xor"})

# Functions whose result shown or printed is looked at, as `df.corr()` shown is (CONVENTIONS 6: shown corr() is
# inspection); assigned they are their op.
INSPECTION_FUNCTIONS: frozenset[str] = frozenset({"corrcoef", "cov",
                                                  # counts per value printed are looked at, as value_counts shown
                                                  # (CONVENTIONS 6); assigned, an aggregate (CONVENTIONS 10)
                                                  "bincount"})

# Totals of an array (`np.sum(x)`, `np.max(x)`) and the methods that take one (`basket.sum(axis=1)`, `x.max()`,
# `x.norm()`): values divided by their own total are shares of it, rescaled (CONVENTIONS 23).
TOTAL_FUNCTIONS: frozenset[str] = frozenset({"sum", "max"})
TOTAL_METHODS: frozenset[str] = frozenset({"sum", "max", "norm"})
# ... and Python's builtins that take the same totals (`df["Age"] / max(df["Age"])`, "# Normalize" in many notebooks)
BUILTIN_TOTALS: frozenset[str] = frozenset({"max"})
# Totals a share of which, times a number written in the code (`y / max(y) * 100`), is still the values rescaled: the
# maximum (a percentage of the largest value); a share of the sum in percent stays as its arithmetic reads
MAXIMUM_TOTALS: frozenset[str] = frozenset({"max", "amax"})
# Euclidean norms: values divided by their own norm (`x / np.linalg.norm(x)`) are rescaled to unit length
# (CONVENTIONS 23). Full dotted paths, matched after the module's alias is resolved (`import numpy as xp`).
UNIT_LENGTH_NORMS: frozenset[str] = frozenset({"numpy.linalg.norm"})

# Statistics of a window of a series (`np.mean(data[:i])`, `np.var(x[i - w:i])`, `data[:i].mean()`): appended to a list
# one position at a time in a loop they make the running (expanding or rolling) statistic by hand, a derived series as
# `rolling` / `expanding` are (CONVENTIONS 22: rolling is derive_feature).
WINDOW_STATISTICS: frozenset[str] = frozenset({"mean", "var", "std", "median", "average", "nanmean", "nanvar",
                                               "nanstd", "nanmedian"})

# Identity matrices: indexed by class labels (`np.eye(10)[y]`) their rows are the labels one-hot encoded (CONVENTIONS 20).
IDENTITY_MATRICES = frozenset({"eye", "identity"})
# Statistics a variable is shifted or scaled by to centre or rescale it (`X -= X.mean(axis=0)`, `y /= y.max()`):
# CONVENTIONS 23, centring is scale_normalize.
CENTRING_STATISTICS: frozenset[str] = frozenset({"min", "max", "mean", "median", "std", "amin", "amax", "nanmean"})
# Functions that read only the shape (and dtype) of their argument (`np.ones_like(df.corr(), dtype=bool)`): what the
# argument computes is not computed for the data's sake.
SHAPE_ONLY_FUNCTIONS: frozenset[str] = frozenset({"ones_like", "zeros_like", "full_like", "empty_like"})
# Functions that compute a matrix of pairwise statistics (correlation, covariance): one element of it picked by two
# positions (`np.corrcoef(x, y)[0, 1]`) is a single number, not the matrix (CONVENTIONS 9).
PAIRWISE_MATRICES: frozenset[str] = frozenset({"corrcoef", "cov"})

# Functions and methods that round numbers (NumPy's, and the builtin `round`): rounding arithmetic keeps it arithmetic,
# so a cast after it (`df["n"] = round(df.a / df.b).astype(int)`) casts computed numbers
# (classify/column_assignment.py arithmetic_result).
ROUNDING_FUNCTIONS: frozenset[str] = frozenset({"round", "around", "rint", "floor", "ceil", "trunc", "fix"})

# Sums of products: of a matrix and a vector, new values (`y = np.dot(X, beta)`); of two columns
# (`np.dot(df[c], df["Number"])`) one number, a total (CONVENTIONS 9), so no feature kept in a list or dict
# (classify/expression_statements.py, derived_into_container).
PRODUCT_FUNCTIONS: frozenset[str] = frozenset({"dot", "matmul", "inner", "vdot"})

# Reductions an error measure computed by hand ends in (`np.sqrt(np.mean((y - p) ** 2))`, `sum((y - p) ** 2)`,
# `np.abs(e / y).mean()`): the arithmetic on data reduced to one measure (classify/hand_written.py metric_by_hand).
HAND_METRIC_REDUCTIONS: frozenset[str] = frozenset({"sum", "mean", "sqrt", "average", "nanmean", "nansum", "median"})

