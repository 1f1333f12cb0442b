"""What only shows data, answers a question or draws a figure: the facts behind what-is-a-step.md's
"Inspection is not a step", "Results shown but not assigned" and "Plotting" (and tests/corpus/blind/
CONVENTIONS.md rules 6-10, where the definition is silent)."""

from __future__ import annotations

from .packaged_data import loaders_of

# A bare expression that is shown (the cell's last statement, or inside print/display) is a step only when it
# builds a new table with one of these ops (definition: "a merge, a pivot table, a group-by aggregation, a
# concat"); shown filters, sorts, selections, fills and loads are looking at data.
SHOWN_TABLE_OPS: frozenset[str] = frozenset({"join", "concat", "reshape", "aggregate"})
# ... and methods that join two tables under another op: `a.combine_first(b)` fills a's gaps from b (impute_missing),
# a new table made of both (CONVENTIONS 6: "builds a new table by join (including `combine_first`)")
SHOWN_TABLE_METHODS: frozenset[str] = frozenset({"combine_first"})

# Ops that count wherever they are written: assigned, shown, printed or nested in another call (a metric is a
# scalar and still an evaluation; a prediction printed is still a prediction). Not inside a plot call.
COUNTED_ANYWHERE_OPS: frozenset[str] = frozenset({"evaluate", "predict", "fit_model"})

# Ops that only reorder, cut or relabel what they are given: an answer sorted, cut to its first rows or given column
# names (`missing.rename(columns={0: "Missing Values"})`) stays an answer.
REORDERING_OPS: frozenset[str] = frozenset({"sort", "filter_rows", "rename"})

# Calls that show their arguments.
DISPLAY_FUNCTIONS: frozenset[str] = frozenset({"print", "display", "pprint"})
# Progress bars wrapped around what a loop walks (`for (g, p), group in tqdm(df.groupby(k), total=n)`): they show how
# far the loop is and hand on what they wrap unchanged, so the loop walks what they wrap.
PROGRESS_WRAPPERS: frozenset[str] = frozenset({"tqdm", "tqdm_notebook", "track"})

# Methods that reduce data to a number or a small answer (definition: "`.sum()` / `.mean()` of one column shown
# as an answer", "`unique()` / `nunique()`"; CONVENTIONS 9-10: also when assigned). After a groupby / resample /
# rolling they are the group's reduction instead (kb.GROUP_REDUCERS).
ANSWER_METHODS: frozenset[str] = frozenset({
    "sum", "mean", "median", "std", "var", "min", "max", "count", "nunique", "n_unique", "unique", "idxmax",
    "idxmin", "argmax", "argmin", "quantile", "item", "all", "any", "prod", "sem", "skew", "kurt", "kurtosis",
    "describe", "info", "null_count", "is_unique", "is_monotonic_increasing", "memory_usage", "estimated_size",
    "keys", "mad", "nbytes", "ptp", "trace", "first_valid_index", "last_valid_index", "get_loc", "corr", "cov",
    "mode",
})
# Attributes that are an answer about data, not data.
ANSWER_ATTRIBUTES: frozenset[str] = frozenset({
    "shape", "size", "ndim", "nbytes", "empty", "dtypes", "dtype", "columns", "index", "schema", "height",
    "width", "is_unique", "is_monotonic", "is_monotonic_increasing", "is_monotonic_decreasing", "hasnans",
    "flags", "itemsize", "strides",
})
# Builtins that keep what they are given when it is a table: `round(df.groupby("a").mean(), 1)` is the table of means
# rounded (pandas' own `__round__`), where `round(df.a.mean(), 1)` is one number.
TABLE_KEEPING_BUILTINS: frozenset[str] = frozenset({"round"})
# Functions that answer a question about their argument (builtins and NumPy reductions).
ANSWER_FUNCTIONS: frozenset[str] = frozenset({
    "len", "max", "min", "sum", "round", "int", "float", "bool", "str", "repr", "type", "id", "isinstance", "any",
    "all",
    "mean", "nanmean", "median", "nanmedian", "std", "nanstd", "var", "nanvar", "amax", "amin", "nanmax", "nanmin",
    "ptp", "percentile", "nanpercentile", "quantile", "nanquantile", "count_nonzero", "argmax", "argmin",
    "average", "prod", "nansum", "allclose", "array_equal", "ndim", "size", "shape", "trace", "unique",
    "linalg.norm", "linalg.det", "linalg.matrix_rank",
})

# Drawing a figure is not a step, even when the plot call computes something (definition: "Plotting, even when
# the plot call computes something internally"; CONVENTIONS 8): methods that draw, modules that draw.
PLOT_METHODS: frozenset[str] = frozenset({
    "plot", "hist", "boxplot", "scatter", "bar", "barh", "pie", "imshow", "contour", "contourf", "plot_surface",
    "plot_wireframe", "fill_between", "errorbar", "hlines", "vlines", "axhline", "axvline", "axvspan", "axhspan",
    "hexbin", "kde", "violinplot", "stackplot", "step", "stem", "matshow", "pcolormesh", "quiver", "annotate",
    "text", "legend", "set_title", "set_xlabel", "set_ylabel", "set_xticks", "set_yticks", "set_xticklabels",
    "set_yticklabels", "set_xlim", "set_ylim", "plot_predict", "plot_diagnostics", "plot_partial_dependence",
    "plot_partial_effects_on_outcome", "plot_covariate_groups", "plot_survival_function", "plot_cumulative_density",
    "plot_loglogs", "plot_hazard", "plot_components", "plot_acf", "plot_pacf", "add_trace", "heatmap",
    "scatter_matrix", "lag_plot", "autocorrelation_plot", "loglog", "semilogx", "semilogy", "area", "density",
    "line", "box", "plot_fit", "plot_regress_exog", "plot_ccpr", "plot_partregress", "bar_label",
})
# Keywords that hand a call the axes of a figure to draw into (`ax=ax`): the call plots.
AXES_KEYWORDS: frozenset[str] = frozenset({"ax"})
# Keywords that hand a call something to draw on when they name one (`stats.probplot(x, plot=plt)`, `plot=ax1`); a
# constant there (`plot=False`) draws nothing.
FIGURE_KEYWORDS: frozenset[str] = frozenset({"plot"})
PLOT_MODULES: tuple[str, ...] = (
    "matplotlib", "seaborn", "plotly", "altair", "bokeh", "hvplot", "holoviews", "statsmodels.graphics",
    # statsmodels.api re-exports its graphics and the q-q plots (sm.graphics.plot_fit, sm.qqplot)
    "statsmodels.api.graphics", "statsmodels.api.qqplot", "statsmodels.api.qqplot_2samples",
    "pandas.plotting", "missingno", "lifelines.plotting", "yellowbrick", "scikitplot", "IPython.display",
    "plotnine",
    # pandas < 0.20's plotting functions (`pd.scatter_matrix(df)`, `pandas.tools.plotting.parallel_coordinates`), moved to
    # pandas.plotting ("pandas.scatter_matrix is deprecated, use pandas.plotting.scatter_matrix")
    "pandas.tools.plotting", "pandas.scatter_matrix",
    # scipy's dendrogram draws the linkage's tree (`dendrogram(linkage(X, "ward"))`: what is computed inside draws)
    "scipy.cluster.hierarchy.dendrogram",
    # the boosting libraries' plots of a fitted model: importances, trees, the metric per round
    "xgboost.plot_importance", "xgboost.plot_tree", "xgboost.to_graphviz", "lightgbm.plot_importance",
    "lightgbm.plot_metric", "lightgbm.plot_split_value_histogram", "lightgbm.plot_tree", "lightgbm.create_tree_digraph",
    # PyFixest's plots of fitted models' coefficients and of a panel's treatment
    "pyfixest.coefplot", "pyfixest.iplot", "pyfixest.qplot", "pyfixest.panelview",
)
# seaborn's loaders are data, not drawing (and the list of their names)
PLOT_MODULE_DATA_FUNCTIONS: frozenset[str] = frozenset({*loaders_of("seaborn"), "get_dataset_names"})

# Ops of data made only to draw a figure (CONVENTIONS 8: "filtering, selecting, sampling, value-counting, melting,
# concatenating such subsets"): assigned and then read only by plot calls in the same cell, they are plumbing. An
# aggregate, a join or a prediction only plotted still counts.
PLOT_PLUMBING_OPS: frozenset[str] = frozenset({"filter_rows", "select_columns", "sample", "reshape", "concat",
                                               "drop_missing", "outlier_remove", "sort", "other",
                                               "drop_columns",  # keeps the other columns: a selection
                                               "drop_duplicates",  # keeps distinct rows: a filter of rows
                                               # names and text for the figure's legend, axes and bar labels
                                               "rename", "type_cast"})
# Ops that pick rows or columns (or put them in order) without changing a value: what a list of labels picked out of a
# table (`t[t.rate > b]["group"].tolist()`) is made with.
PICKING_OPS: frozenset[str] = frozenset({"filter_rows", "select_columns", "sort", "drop_duplicates", "drop_missing"})
# Ops of columns written into a table made only to draw (drawn_values.tables_made_to_draw): values computed for the
# figure (a cumulative share for a curve, a flag for the bars' colour). Predictions and evaluations written there
# still count (CONVENTIONS 7).
DRAWN_COLUMN_OPS: frozenset[str] = PLOT_PLUMBING_OPS | {"derive_feature", "scale_normalize", "encode_categorical"}
# ... except the reshapes that aggregate: a pivot table or a cross-tabulation only drawn is still the analysis' table
# (CONVENTIONS 8: "An assigned result that is then only plotted still counts if it is an aggregate (groupby/resample/
# pivot/corr)"; what-is-a-step.md: "`pivot_table`, `pivot`, `crosstab` ...: `reshape`"); a melt only drawn is plumbing
DRAWN_TABLE_METHODS: frozenset[str] = frozenset({"pivot", "pivot_table", "crosstab"})
# ... and value counts made only to draw (value-counting is named there; an aggregation by groups is not)
PLOT_PLUMBING_METHODS: frozenset[str] = frozenset({
    "value_counts",
    # a series' power spectrum estimated only to draw it (`f, Pxx = signal.welch(x)` then only `plt.semilogy(f, Pxx)`):
    # how the power spreads over frequencies, looked at as a value_counts only drawn is; kept and computed with (a
    # Wiener filter from the spectra), it stays a step
    "welch", "periodogram", "csd", "coherence", "spectrogram", "stft", "lombscargle",
    # a straight line or polynomial fitted only to draw it over a scatter (`z = np.polyfit(x, y, 1); p = np.poly1d(z);
    # plt.plot(x, p(x), "r--")`): a trend line of the figure, computed for it as a plot call computes (what-is-a-step.md:
    # "Plotting, even when the plot call computes something internally"); kept and predicted with, it stays a fit
    "polyfit",
})
# ... and the calls that make such plumbing, followed back from a figure through the statements that compute what
# it draws (classify/drawn_values.py): subsets picked, sampled, sorted, stacked or laid out again, values counted,
# and names and text made for the figure's legend, axes and bar labels (the ops above, as calls)
# Methods that put values into a list (`totals.append(v)`): what is computed into a list only drawn is only drawn.
COLLECTING_METHODS: frozenset[str] = frozenset({"append", "extend"})
PLOT_PLUMBING_CALLS: frozenset[str] = frozenset({
    "append", "concat", "sample", "sort_values", "sort_index", "dropna", "head", "tail", "query", "filter", "drop",
    "melt", "copy", "reshape", "ravel", "flatten", "transpose", "tolist", "to_numpy",
    "value_counts", "astype", "round", "rename", "replace",
})
