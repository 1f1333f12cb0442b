"""The libraries' public names that are deliberately not a step, one set per library and object (what-is-a-step.md:
inspection, plotting, exports and plumbing are not steps; tests/corpus/blind/CONVENTIONS.md rows named per group).

The classifier gives a name no op table lists no step, so nothing in `lineage/classify/` reads these sets: they record
the decision for `bench/kb_coverage.py` (which lists every public name of the installed libraries and whether a table
decides it) and `tests/sidecar/lineage/test_kb_coverage.py` keeps them apart from the op tables (one home per fact).
"""

from __future__ import annotations

# pandas, top level: types and scalars (a dtype, a timestamp, an index or a grouping spec is no data by itself), file
# handles and writers (kb/sources.py reads `ExcelFile` as a handle), options.
PANDAS_FUNCTIONS: frozenset[str] = frozenset({
    "ArrowDtype", "BooleanDtype", "CategoricalDtype", "DatetimeTZDtype", "Float32Dtype", "Float64Dtype", "Int8Dtype",
    "Int16Dtype", "Int32Dtype", "Int64Dtype", "UInt8Dtype", "UInt16Dtype", "UInt32Dtype", "UInt64Dtype",
    "IntervalDtype", "PeriodDtype", "SparseDtype", "StringDtype", "Index", "MultiIndex", "RangeIndex",
    "CategoricalIndex", "IntervalIndex", "TimedeltaIndex", "DateOffset", "Timestamp", "Timedelta", "Period",
    "Interval", "Flags", "Grouper", "NamedAgg", "NamedFunc", "col", "ExcelFile", "ExcelWriter", "HDFStore",
    "describe_option", "get_option", "set_option", "reset_option", "option_context", "set_eng_float_format",
    "show_versions", "test", "infer_freq",
    # pandas < 0.21's `pd.TimeGrouper("M")` ("deprecated, use pd.Grouper(freq=...)"): a grouping spec, as Grouper
    "TimeGrouper",
    # CONVENTIONS 15: exports are not steps
    "to_pickle",
})

# pandas, DataFrame / Series / GroupBy methods.
PANDAS_METHODS: frozenset[str] = frozenset({
    # what-is-a-step.md, Inspection: an answer about the data, or a view of it
    "compare", "equals", "corrwith", "autocorr", "asof", "product", "to_string", "to_html", "to_latex", "to_markdown",
    # CONVENTIONS 15: exports are not steps
    "to_clipboard", "to_feather", "to_hdf", "to_iceberg", "to_orc", "to_pickle", "to_stata", "to_xml",
    # CONVENTIONS 12: container conversions (steps only as a whole assigned right-hand side, read by kb/sources.py)
    "to_records", "to_xarray", "from_arrow",
    # ... and the geometry column named, which makes a geopandas frame (`df.set_geometry("geom")`: the method geopandas
    # adds to pandas' frames when imported)
    "set_geometry",
    # plumbing: iterating, piping (CONVENTIONS 3: `df.pipe(f)` is an ordinary call), aligning, flags, look-ups
    "items", "iterrows", "itertuples", "pipe", "align", "set_flags", "get", "reindex_like",
    # pandas < 2's names: `iteritems` ("deprecated ... Use .items instead"), and `get_value` ("Quickly retrieve single
    # value at passed column and index", deprecated for .at): iteration and one value read, as items / at
    "iteritems", "get_value",
    # positions, not data (as np.argsort); rounding for display (into a column, the column assignment derives)
    "argsort", "round",
    # `add` is also a set's / a figure's method in a bare statement (see ARITHMETIC_METHODS)
    "add",
    # `dot` is a hand-written model's product of data and parameters as often as a feature (CONVENTIONS 4a)
    "dot", "divmod", "rdivmod",
    # a column set by position, as `df[c] = ...`: the column assignment rules read it
    "isetitem",
    # the column inserted in place: classify/expression_statements.py reads `df.insert(...)` (a derive_feature)
    "insert",
    # a frame updated from another frame is no step, from its own filled columns it is their fill
    # (test_steps_pass20_kaggle5.py, UPDATED_FROM_ITSELF; a dict's update is the same name)
    "update",
    # rows by position: `take` is tf.data's and torch's method as often (`ds.take(1)` in a loop that looks at a batch)
    "take",
})

# pandas, accessor names: what the values' type is (time zone, unit, frequency, the list of
# categories and whether they are ordered), and the values as Python objects (a container conversion, CONVENTIONS 12).
PANDAS_ACCESSOR_METHODS: dict[str, frozenset[str]] = {
    "dt": frozenset({"freq", "tz", "unit", "to_pydatetime", "to_pytimedelta"}),
    "cat": frozenset({"categories", "ordered"}),
}

# NumPy, top level.
NUMPY_FUNCTIONS: frozenset[str] = frozenset({
    # NumPy < 2's `product` ("deprecated alias of prod", removed in 2.0): one number, as prod (kb.display.ANSWER_FUNCTIONS;
    # not put there: a bare `product(a, b)` there would be itertools' or the notebook's own)
    "product",
    # masks and comparisons (CONVENTIONS 15: boolean masks are not steps)
    "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "isclose", "isinf", "isneginf",
    "isposinf", "isnat", "isreal", "iscomplex", "isrealobj", "iscomplexobj", "signbit", "array_equiv", "invert",
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_invert", "bitwise_count", "bitwise_left_shift",
    "bitwise_right_shift", "left_shift", "right_shift", "packbits", "unpackbits", "tril", "triu", "mask_indices",
    # positions and index grids, not data (as np.where / argwhere of positions)
    "argsort", "argpartition", "lexsort", "partition", "searchsorted", "indices", "ix_", "ravel_multi_index",
    "unravel_index", "diag_indices", "diag_indices_from", "tril_indices", "tril_indices_from", "triu_indices",
    "triu_indices_from", "ndindex", "ndenumerate", "nditer", "nested_iters", "flatiter", "broadcast",
    # answers (what-is-a-step.md, Inspection: a number or a small answer), as np.unique
    "nanargmax", "nanargmin", "nanprod", "unique_all", "unique_counts", "unique_inverse", "unique_values",
    "intersect1d", "union1d", "setdiff1d", "setxor1d", "isin", "trapezoid", "histogram2d", "histogramdd",
    "histogram_bin_edges", "diagonal", "diag", "diagflat", "real", "imag", "angle", "conj", "conjugate",
    "real_if_close", "i0", "frexp", "ldexp", "nextafter", "spacing", "copysign", "positive", "unwrap",
    "correlate",
    # polynomial coefficients (CONVENTIONS 27: parameters are not data); np.polyfit / polyval are fit and predict
    "poly", "poly1d", "polyadd", "polysub", "polymul", "polydiv", "polyder", "polyint", "roots",
    # the arithmetic operators written as functions (`np.add(total, x)`, `np.subtract(p1, p2)`, `np.power(2, k)`): in
    # the sweep of fresh notebooks they were accumulators, parameters and formulas (CONVENTIONS 15, 27); the operator
    # form's rules decide what `a + b` is
    "add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "mod", "remainder", "fmod", "divmod",
    "power", "pow", "float_power", "negative",
    # values looked up by positions (`np.take(totals, idx)`: a lookup inside a formula), a kernel turned round
    "take", "take_along_axis", "rot90",
    # trigonometry and angles: formulas of geometry, physics and signals (a helper's formula of its parameters is no
    # step: test_steps_pass16_precision.py "formulas"); a cyclical feature put in a column derives there already
    "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh", "arcsinh", "arccosh",
    "arctanh", "asin", "acos", "atan", "atan2", "asinh", "acosh", "atanh", "deg2rad", "rad2deg", "degrees", "radians",
    "hypot", "sinc",
    # the sign of each value: a factor inside formulas (soft-thresholding `np.sign(M) * np.where(S > 0, S, 0)` in the
    # sweep, where it took the formula's own step away), as np.abs keeps the same values (kb/sources.py)
    "sign",
    # signals convolved with a kernel: in the sweep, metric histories smoothed for a figure (CONVENTIONS 8)
    "convolve",
    # window shapes for signal work, written in the code
    "bartlett", "blackman", "hamming", "hanning", "kaiser",
    # pieces of an array (batches; a train/test cut by position is read by the hold-out rules)
    "split", "array_split", "hsplit", "vsplit", "dsplit",
    # container conversions (CONVENTIONS 12) and views
    "atleast_1d", "atleast_3d", "ascontiguousarray", "asfortranarray", "asarray_chkfinite", "require",
    "broadcast_to", "broadcast_arrays", "frombuffer", "fromstring", "fromiter", "fromfunction", "from_dlpack",
    "copyto", "astype", "vectorize", "frompyfunc", "apply_along_axis", "apply_over_axes",
    # CONVENTIONS 15: exports are not steps
    "savez", "savez_compressed", "memmap",
    # values put at positions (CONVENTIONS 12 / kb VALUE_ASSIGNMENT "positions": other, read from subscripts)
    "put", "put_along_axis", "putmask", "place", "fill_diagonal",
    # dates as business days (a count or a calendar, no data changed)
    "busday_count", "busday_offset", "busdaycalendar", "is_busday", "datetime_as_string", "datetime_data",
    # types, printing, errors and build information
    "dtype", "finfo", "iinfo", "can_cast", "result_type", "promote_types", "min_scalar_type", "mintypecode",
    "common_type", "isdtype", "issubdtype", "isscalar", "isfortran", "iterable", "typename", "shares_memory",
    "may_share_memory", "broadcast_shapes", "array2string", "array_repr", "array_str", "base_repr", "binary_repr",
    "format_float_positional", "format_float_scientific", "get_printoptions", "set_printoptions", "printoptions",
    "getbufsize", "setbufsize", "geterr", "seterr", "geterrcall", "seterrcall", "errstate", "get_include",
    "show_config", "show_runtime", "info", "test", "einsum_path", "recarray", "record", "ufunc", "ndarray",
    "bmat",
})

# NumPy, ndarray methods: positions, views, memory and exports.
NUMPY_METHODS: frozenset[str] = frozenset({
    "argsort", "argpartition", "partition", "nonzero", "diagonal", "put", "fill", "view", "byteswap", "getfield",
    "setfield", "setflags", "tobytes", "tofile", "dump", "dumps", "to_device", "device", "base", "ctypes", "data",
    "flat", "real", "imag", "conj", "conjugate", "mT", "dot", "searchsorted", "take",
})

# polars, DataFrame / LazyFrame methods.
POLARS_METHODS: frozenset[str] = frozenset({
    # plumbing: schemas, memory, iteration, engines, serialising, showing, piping (CONVENTIONS 3)
    "clear", "collect_schema", "deserialize", "serialize", "equals", "get_column_index", "get_columns", "is_empty",
    "is_sorted", "iter_columns", "iter_rows", "iter_slices", "match_to_schema", "n_chunks", "pipe", "rechunk", "row",
    "rows", "rows_by_key", "shrink_to_fit", "show", "style", "to_init_repr", "to_jax", "to_struct", "to_torch",
    "cache", "collect_async", "collect_batches", "execute", "explain", "from_lazyframe_resolver", "inspect",
    "pipe_with_schema", "remote", "show_graph", "sql", "pipe_with_dtype",
    # CONVENTIONS 15: exports are not steps
    "write_clipboard", "write_iceberg", "write_ipc_stream", "sink_batches", "sink_delta", "sink_iceberg",
    "map_batches", "update",
})

# polars, Expr methods that are not a step of their own: inside with_columns / select / agg / filter the call
# they sit in is the step, named per expression (CONVENTIONS 24: "one step per distinct op in the call"; `.alias`
# naming a computed expression is not a rename), and the rest answer, pick positions or are plumbing.
POLARS_EXPRESSION_METHODS: frozenset[str] = frozenset({
    # naming and combining conditions
    "alias", "and_", "or_", "xor", "eq_missing", "ne_missing", "is_close", "is_infinite", "is_first_distinct",
    "is_last_distinct", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_count_ones", "bitwise_count_zeros",
    "bitwise_leading_ones", "bitwise_leading_zeros", "bitwise_trailing_ones", "bitwise_trailing_zeros",
    # answers (a number per column or group: the agg / select that holds them is the step)
    "approx_quantile", "entropy", "has_nulls", "is_empty", "is_sorted", "nan_max", "nan_min", "max_by", "min_by",
    "lower_bound", "upper_bound", "index_of", "unique_counts", "peak_max", "peak_min", "rle",
    # positions, and rows picked or ordered inside an expression (the frame method of the same name is the step)
    "arg_sort", "arg_true", "arg_unique", "search_sorted", "bottom_k", "bottom_k_by", "top_k", "top_k_by", "filter",
    "gather", "gather_every", "get", "limit", "slice", "sort", "sort_by", "reverse", "sample", "drop_nans",
    "drop_nulls", "explode", "implode", "append", "set_sorted", "truncate",
    # plumbing
    "exclude", "ext", "meta", "inspect", "pipe", "pipe_with_dtype", "reinterpret", "deserialize", "struct",
    # replace: read by the replacement rule (kb.pandas.CONTESTED_METHODS["replace"]) in classify/column_expressions.py
    "replace",
})

# polars, accessor methods.
POLARS_ACCESSOR_METHODS: dict[str, frozenset[str]] = {"str": frozenset({"escape_regex"})}

# polars, top level: expression builders (their with_columns / select / agg is the step, CONVENTIONS 24), engines,
# caches, configuration, schemas, extension types, conversions (CONVENTIONS 12).
POLARS_FUNCTIONS: frozenset[str] = frozenset({
    "all", "all_horizontal", "any", "any_horizontal", "approx_n_unique", "arange", "arctan2", "arg_sort_by",
    "arg_where", "business_day_count", "concat_arr", "concat_list", "concat_str", "corr", "count", "cov", "cum_count",
    "cum_fold", "cum_reduce", "cum_sum", "cum_sum_horizontal", "date", "date_range", "date_ranges", "datetime",
    "datetime_range", "datetime_ranges", "duration", "element", "exclude", "field", "first", "fold", "format",
    "head", "implode", "int_range", "int_ranges", "last", "len", "linear_space", "linear_spaces", "map_batches",
    "map_groups", "max", "max_horizontal", "mean", "mean_horizontal", "median", "min", "min_horizontal", "n_unique",
    "nth", "ones", "quantile", "reduce", "repeat", "rolling_corr", "rolling_cov", "row_index", "self_dtype",
    "dtype_of", "std", "struct", "struct_with_fields", "sum", "sum_horizontal", "tail", "time", "time_range",
    "time_ranges", "var", "when", "zeros", "select", "sql_expr", "escape_regex", "union", "list", "merge_sorted",
    "align_frames", "build_info", "collect_all", "collect_all_async", "defer", "delete_iceberg",
    "disable_string_cache", "enable_string_cache", "using_string_cache", "explain_all", "from_dataframe",
    "from_repr", "from_torch", "get_extension_type", "get_index_type", "register_extension_type",
    "unregister_extension_type", "pipe_with_dtype", "read_ipc_schema", "read_parquet_metadata",
    "read_parquet_schema", "set_random_seed", "show_versions", "thread_pool_size", "wrap_df", "wrap_s", "sql",
    "CredentialProviderFunction", "CredentialProviderFunctionReturn",
})

# scikit-learn, functions: class weights and scorers are parameters of a fit
# (CONVENTIONS 15: hyper-parameters), input checks and utilities are plumbing, exports are not steps (CONVENTIONS 15).
SKLEARN_FUNCTIONS: frozenset[str] = frozenset({
    "compute_class_weight", "compute_sample_weight", "get_scorer", "get_scorer_names", "check_scoring", "check_cv",
    "check_array", "check_X_y", "check_consistent_length", "check_random_state", "check_scalar", "check_symmetric",
    "column_or_1d", "as_float_array", "assert_all_finite", "indexable", "safe_mask", "safe_sqr", "gen_batches",
    "gen_even_slices", "all_estimators", "estimator_html_repr", "get_tags", "clear_data_home", "get_data_home",
    "dump_svmlight_file",
    # sklearn.tree's fitted tree drawn or written out (docs: plot_tree "Plot a decision tree", a figure, CONVENTIONS 8;
    # export_graphviz "Export a decision tree in DOT format", an export, CONVENTIONS 15; export_text "Build a text report
    # showing the rules of a decision tree", a view of the model) and sklearn.base.clone ("Construct a new unfitted
    # estimator with the same parameters": a model's set-up, CONVENTIONS 15). Not in kb.display.PLOT_MODULES: a model
    # fitted inside the call (`plot_tree(DecisionTreeClassifier().fit(X, y))`) stays a fit_model step.
    "plot_tree", "export_graphviz", "export_text", "clone",
})

# scipy.stats, functions: a number or a small answer about a sample (what-is-a-step.md,
# Inspection; CONVENTIONS 9), transformation parameters (CONVENTIONS 27: parameters), figures (CONVENTIONS 8), and the
# arithmetic of random-variable objects.
SCIPY_FUNCTIONS: frozenset[str] = frozenset({
    "describe", "mode", "moment", "tmean", "tstd", "tvar", "tmin", "tmax", "tsem", "trim_mean", "gstd", "pmean",
    "kstat", "kstatvar", "circmean", "circstd", "circvar", "median_abs_deviation", "scoreatpercentile",
    "percentileofscore", "expectile", "lmoment", "differential_entropy", "mvsdist", "bayes_mvs", "directional_stats",
    "cumfreq", "relfreq", "ecdf", "tiecorrect", "obrientransform", "boxcox_llf", "boxcox_normmax", "yeojohnson_llf",
    "yeojohnson_normmax", "ppcc_max", "ppcc_plot", "probplot", "boxcox_normplot", "yeojohnson_normplot",
    "make_distribution", "order_statistic", "abs", "exp", "log", "truncate",
    # a distribution's parameters fitted to a sample (`mu, sigma = norm.fit(x)`, `stats.fit(norm, x)`): numbers about
    # it, drawn or printed (CONVENTIONS 9, 27: parameters are not steps)
    "fit",
})

# scipy.signal, scipy.interpolate, scipy.cluster and scipy.spatial.distance (keyed by the path below `scipy`, as the
# op table in kb/scipy.py): a filter's or window's design and its responses (coefficients, poles and zeros, a frequency
# response to draw: parameters and figures, CONVENTIONS 15 and 8), systems and their responses to test inputs,
# positions and sizes of peaks (answers about a series, what-is-a-step.md Inspection), convolutions of kernels, a
# spline's coefficients, derivatives, roots and integrals, a linkage's statistics and checks, a dendrogram (a figure),
# and distances between two vectors (a number, CONVENTIONS 9); `squareform` turns a condensed distance vector into
# its square matrix, a format conversion (CONVENTIONS 12).
SCIPY_MODULE_FUNCTIONS: frozenset[str] = frozenset({
    *(f"signal.{name}" for name in (
        "BadCoefficients", "CZT", "ShortTimeFFT", "StateSpace", "TransferFunction", "ZerosPolesGain", "ZoomFFT",
        "abcd_normalize", "argrelextrema", "argrelmax", "argrelmin", "band_stop_obj", "bessel", "besselap",
        "bilinear", "bilinear_zpk", "bode", "buttap", "butter", "buttord", "cheb1ap", "cheb1ord", "cheb2ap",
        "cheb2ord", "cheby1", "cheby2", "check_COLA", "check_NOLA", "choose_conv_method", "closest_STFT_dual_window",
        "cont2discrete", "convolve", "convolve2d", "correlate", "correlate2d", "correlation_lags", "cspline1d",
        "cspline2d", "czt_points", "dbode", "dfreqresp", "dimpulse", "dlsim", "dlti", "dstep", "ellip", "ellipap",
        "ellipord", "fftconvolve", "find_peaks", "find_peaks_cwt", "findfreqs", "firls", "firwin", "firwin2",
        "firwin_2d", "freqresp", "freqs", "freqs_zpk", "freqz", "freqz_sos", "freqz_zpk", "gammatone", "gauss_spline",
        "get_window", "group_delay", "iircomb", "iirdesign", "iirfilter", "iirnotch", "iirpeak", "impulse", "invres",
        "invresz", "kaiser_atten", "kaiser_beta", "kaiserord", "lfilter_zi", "lfiltic", "lp2bp", "lp2bp_zpk", "lp2bs",
        "lp2bs_zpk", "lp2hp", "lp2hp_zpk", "lp2lp", "lp2lp_zpk", "lsim", "lti", "max_len_seq", "minimum_phase",
        "normalize", "oaconvolve", "peak_prominences", "peak_widths", "place_poles", "qspline1d", "qspline2d", "remez",
        "residue", "residuez", "savgol_coeffs", "sos2tf", "sos2zpk", "sosfilt_zi", "sosfreqz", "ss2tf", "ss2zpk",
        "step", "tf2sos", "tf2ss", "tf2zpk", "unique_roots", "unit_impulse", "vectorstrength", "zpk2sos", "zpk2ss",
        "zpk2tf",
    )),
    *(f"interpolate.{name}" for name in (
        "BPoly", "BSpline", "BivariateSpline", "NdBSpline", "NdPPoly", "PPoly", "approximate_taylor_polynomial",
        "generate_knots", "insert", "pade", "spalde", "splantider", "splder", "splint", "sproot",
    )),
    *(f"cluster.hierarchy.{name}" for name in (
        "ClusterNode", "DisjointSet", "correspond", "dendrogram", "from_mlab_linkage", "inconsistent", "is_isomorphic",
        "is_monotonic", "is_valid_im", "is_valid_linkage", "leaves_list", "maxRstat", "maxdists", "maxinconsts",
        "num_obs_linkage", "optimal_leaf_ordering", "set_link_color_palette", "to_mlab_linkage", "to_tree",
    )),
    # a definite integral of a function (scipy.integrate.quad: "Compute a definite integral"), a number (CONVENTIONS 9)
    *(f"integrate.{name}" for name in ("quad", "dblquad", "tplquad", "nquad", "quad_vec", "fixed_quad",
                                       "simpson", "trapezoid", "cumulative_trapezoid")),
    *(f"spatial.distance.{name}" for name in (
        "braycurtis", "canberra", "chebyshev", "cityblock", "correlation", "cosine", "dice", "directed_hausdorff",
        "euclidean", "hamming", "is_valid_dm", "is_valid_y", "jaccard", "jensenshannon", "mahalanobis", "minkowski",
        "num_obs_dm", "num_obs_y", "rogerstanimoto", "russellrao", "seuclidean", "sokalsneath", "sqeuclidean",
        "squareform", "yule",
    )),
})

# scipy.stats distributions' methods other than their draws (kb/scipy.py DISTRIBUTION_DRAW_METHODS) and tail
# probabilities (DISTRIBUTION_TAIL_METHODS): the distribution's density, mass, quantiles, moments and intervals
# (`stats.norm.pdf(x, mu, sd)`: "Probability density function at x of the given RV", `stats.t.ppf(0.975, df)`: "Percent
# point function (inverse of cdf)", `stats.t.interval(0.95, ...)`: "Confidence interval with equal areas around the
# median"): numbers of the distribution for a curve to draw or a critical value (what-is-a-step.md: "Plotting, even when
# the plot call computes something"; CONVENTIONS 9: a number), no data prepared
SCIPY_DISTRIBUTION_METHODS: frozenset[str] = frozenset({
    "pdf", "logpdf", "pmf", "logpmf", "ppf", "isf", "interval", "mean", "median", "var", "std", "stats", "moment",
    "entropy", "expect", "support",
})

# statsmodels.api / tsa.api / stats.api, functions: figures (q-q plots, CONVENTIONS 8), saved results read back
# (model loading, CONVENTIONS 15), the package's own helpers; autocorrelation functions read to choose a model's order
# (`acf(y)`, as `plot_acf` draws them: answers about a series, what-is-a-step.md Inspection); a fitted model's
# covariance of its parameters (CONVENTIONS 27: parameters); correlation matrices repaired or computed for a look;
# power analyses and sample sizes, effect sizes and rejection regions computed from hypothesised numbers, kernel
# weights (numbers from parameters, not data: CONVENTIONS 9, 27 "arithmetic on literal numbers"); a jackknife of a
# statistic (a number, CONVENTIONS 9).
STATSMODELS_FUNCTIONS: frozenset[str] = frozenset({
    "qqline", "qqplot", "qqplot_2samples", "load", "load_pickle", "show_versions", "test", "webdoc",
    "acf", "acovf", "ccf", "ccovf", "pacf", "pacf_burg", "pacf_ols", "pacf_yw", "pccf",
    "cov_cluster", "cov_cluster_2groups", "cov_hac", "cov_hc0", "cov_hc1", "cov_hc2", "cov_hc3", "cov_nw_panel",
    "cov_white_simple", "se_cov", "corr_clipped", "corr_nearest", "corr_nearest_factor", "corr_thresholded",
    "cov_nearest", "cov_nearest_factor_homog", "corr_normal_scores", "corr_quadrant", "corr_rank",
    "transform_corr_normal",
    "power_binom_tost", "power_equivalence_neginb_2indep", "power_equivalence_oneway", "power_equivalence_poisson_2indep",
    "power_negbin_ratio_2indep", "power_poisson_diff_2indep", "power_poisson_ratio_2indep", "power_proportions_2indep",
    "power_ztost_prop", "tt_ind_solve_power", "tt_solve_power", "zt_ind_solve_power", "samplesize_confint_proportion",
    "samplesize_proportions_2indep_onetail", "simulate_power_equivalence_oneway", "proportion_effectsize",
    "convert_effectsize_fsqu", "f2_to_wellek", "fstat_to_wellek", "wellek_to_f2", "binom_test_reject_interval",
    "binom_tost_reject_interval", "weights_bartlett", "weights_uniform", "block_jackknife",
})

# The model libraries beside scikit-learn (imbalanced-learn, XGBoost, LightGBM, CatBoost), classes keyed
# `<package>.<Class>`: model objects built or read back (a Booster, CONVENTIONS 15: constructors of models and loading
# a model are no steps; training one is `train`'s fit_model, kb/library_functions.py), callbacks handed to a
# training loop, custom metrics and objectives, enumerations, errors, a Keras batch generator (batches drawn while a
# model trains: part of the fit), distributed-training plumbing, and a fitted pool's statistics.
MODEL_LIBRARY_CLASSES: frozenset[str] = frozenset({
    "imblearn.BalancedBatchGenerator", "imblearn.Substitution",
    "xgboost.Booster", "xgboost.DataIter", "xgboost.RabitTracker", "xgboost.CallbackContainer", "xgboost.EarlyStopping",
    "xgboost.EvaluationMonitor", "xgboost.LearningRateScheduler", "xgboost.TrainingCallback",
    "xgboost.TrainingCheckPoint",
    "lightgbm.Booster", "lightgbm.CVBooster", "lightgbm.EarlyStopException", "lightgbm.EvalResult", "lightgbm.Sequence",
    "catboost.CatBoostError", "catboost.CatboostError", "catboost.EFeaturesSelectionAlgorithm",
    "catboost.EFeaturesSelectionGrouping", "catboost.EFstrType", "catboost.EShapCalcType",
    "catboost.MultiRegressionCustomMetric", "catboost.MultiRegressionCustomObjective",
    "catboost.MultiTargetCustomMetric", "catboost.MultiTargetCustomObjective", "catboost.DataMetaInfo",
    "catboost.TargetStats",
    # geopandas' frames built around data already held (`gpd.GeoDataFrame(df, geometry=...)`: a container conversion,
    # CONVENTIONS 12; the points computed for it are points_from_xy's derive_feature)
    "geopandas.GeoDataFrame", "geopandas.GeoSeries",
    # PyFixest's demeaning algorithms and preconditioner: settings handed to its estimators (CONVENTIONS 15); its
    # saturated event study is a model's constructor (the fit is the step)
    "pyfixest.BaseDemeaner", "pyfixest.LsmrDemeaner", "pyfixest.MapDemeaner", "pyfixest.Preconditioner",
    "pyfixest.SaturatedEventStudy",
})

# Keras' data utility classes and NLTK's tokenizer and stemmer classes, keyed `<package>.<Class>` (keras 3.15, nltk
# 3.10): settings and plumbing (a config, a custom-object scope, a progress bar), the base classes a training loop's
# batches are drawn through (PyDataset, Sequence: part of the fit), FeatureSpace's and the tokenizers' / stemmers'
# constructors (CONVENTIONS 15: constructors are no steps; what `tokenizer.tokenize` / `stemmer.stem` do to a text
# column is its text_clean, classify/applied_functions.py). torch.utils.data's DataLoader and samplers (batches and
# draws made while a model trains) likewise; its TensorDataset is a conversion (kb/library_functions.py).
DATA_UTILITY_CLASSES: frozenset[str] = frozenset({
    *(f"keras.{name}" for name in ("Config", "CustomObjectScope", "FeatureSpace", "Progbar", "PyDataset", "Sequence")),
    *(f"nltk.{name}" for name in (
        "BlanklineTokenizer", "LegalitySyllableTokenizer", "LineTokenizer", "MWETokenizer", "NLTKWordTokenizer",
        "PunktSentenceTokenizer", "PunktTokenizer", "RegexpTokenizer", "ReppTokenizer", "SExprTokenizer",
        "SpaceTokenizer", "StanfordSegmenter", "SyllableTokenizer", "TabTokenizer", "TextTilingTokenizer",
        "ToktokTokenizer", "TreebankWordDetokenizer", "TreebankWordTokenizer", "TweetTokenizer", "WhitespaceTokenizer",
        "WordPunctTokenizer",
        "ARLSTem", "ARLSTem2", "Cistem", "ISRIStemmer", "LancasterStemmer", "PorterStemmer", "RSLPStemmer",
        "RegexpStemmer", "SnowballStemmer", "StemmerI", "WordNetLemmatizer")),
    *(f"torch.{name}" for name in ("DataLoader", "Dataset", "IterableDataset", "Sampler", "RandomSampler",
                                   "SequentialSampler", "BatchSampler", "WeightedRandomSampler",
                                   "SubsetRandomSampler", "DistributedSampler")),
})

# tf.data.Dataset's methods (tensorflow 2.21) that shape how a model reads its batches, not the data: batching,
# prefetching, caching, repeating, the shuffle buffer of each epoch, sharding across workers, options, iterators and
# counts (answers), saving (an export, CONVENTIONS 15). Those the frame tables name (`map`, `filter`, `apply`,
# `unique`, `take`) keep their op there; the static constructors (`tf.data.Dataset.range`, `from_generator`,
# `list_files`, `load`) are data read or made in code (a load, kb/sources.py DATASET_MODULE_PARTS).
TF_DATASET_METHODS: frozenset[str] = frozenset({
    "batch", "padded_batch", "ragged_batch", "sparse_batch", "rebatch", "unbatch", "bucket_by_sequence_length",
    "prefetch", "cache", "repeat", "shuffle", "shard", "snapshot", "options", "with_options", "interleave", "flat_map",
    "ignore_errors", "as_numpy_iterator", "cardinality", "element_spec", "fingerprint", "enumerate",
    "get_single_element", "save",
})
