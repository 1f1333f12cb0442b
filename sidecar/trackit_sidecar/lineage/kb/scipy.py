"""SciPy: optimisers fit a model (CONVENTIONS 4a: a hand-written model minimised with scipy is fitted there),
statistical tests evaluate (CONVENTIONS 27), z-scores standardise (CONVENTIONS 23), sparse matrices stacked concat
(CONVENTIONS 13)."""

from __future__ import annotations

FUNCTIONS: dict[str, str | None] = {
    **{name: "fit_model" for name in (
        "minimize", "minimize_scalar", "fmin", "fmin_tnc", "fmin_bfgs", "fmin_cg", "fmin_l_bfgs_b", "curve_fit",
        "least_squares", "leastsq", "lstsq", "linregress", "nnls",
    )},
    **{name: "evaluate" for name in (
        "ttest_ind", "ttest_rel", "ttest_1samp", "pearsonr", "spearmanr", "kendalltau", "chi2_contingency",
        "chisquare", "shapiro", "kstest", "ks_2samp", "f_oneway", "mannwhitneyu", "wilcoxon", "kruskal",
        "normaltest", "anderson", "levene", "bartlett", "fisher_exact", "binomtest", "jarque_bera",
        "ranksums", "friedmanchisquare", "pointbiserialr", "brunnermunzel", "median_test", "mood", "ansari",
        "fligner", "cramervonmises", "cramervonmises_2samp", "epps_singleton_2samp", "somersd", "power_divergence",
        "barnard_exact", "boschloo_exact", "tukey_hsd", "dunnett", "alexandergovern", "page_trend_test",
        "ttest_ind_from_stats", "binom_test", "weightedtau", "ks_1samp", "anderson_ksamp", "skewtest",
        "kurtosistest",
    )},
    "zscore": "scale_normalize",
    "detrend": "derive_feature",  # scipy.signal.detrend(y): the series less its linear trend (as statsmodels' detrend)
    "boxcox": "scale_normalize",
    "boxcox1p": "scale_normalize",
    "yeojohnson": "scale_normalize",
    "skew": None,
    "kurtosis": None,
    # scipy.sparse.hstack([X_tfidf, X_num]): a sparse matrix of text features put beside other columns (or parts put
    # end to end), as np.hstack / np.vstack are (CONVENTIONS 13: hstack that combines two or more existing arrays
    # into an assigned table is concat)
    # --- the rest of scipy.stats' functions (bench/kb_coverage.py), by the definition
    # ranks, as pandas' rank (derive_feature); z-scores against another sample (CONVENTIONS 23: z-scores scale)
    "rankdata": "derive_feature",
    **{name: "scale_normalize" for name in ("zmap", "gzscore")},
    # a sample's tails cut, or values past k sigma clipped away: statistical bounds (CONVENTIONS 29: outlier_remove)
    **{name: "outlier_remove" for name in ("trimboth", "trim1", "sigmaclip")},
    # a statistic per bin of another variable, as groupby(pd.cut(...)).mean() (aggregate)
    **{name: "aggregate" for name in ("binned_statistic", "binned_statistic_2d", "binned_statistic_dd")},
    # tests, resampling tests and distances between samples (CONVENTIONS 27: statistical tests evaluate)
    **{name: "evaluate" for name in (
        "bootstrap", "permutation_test", "monte_carlo_test", "goodness_of_fit", "quantile_test", "poisson_means_test",
        "bws_test", "chatterjeexi", "combine_pvalues", "false_discovery_control", "logrank", "multiscale_graphcorr",
        "energy_distance", "wasserstein_distance", "wasserstein_distance_nd", "sobol_indices", "spearmanrho",
    )},
    # a line or a distribution fitted to data (CONVENTIONS 4a: fit_model), as linregress
    **{name: "fit_model" for name in ("theilslopes", "siegelslopes")},
    "sparse.hstack": "concat",
    "sparse.vstack": "concat",
    # --- scipy.signal, scipy.interpolate, scipy.cluster and scipy.spatial.distance (bench/kb_coverage.py), keyed by
    # the path below `scipy` because their short names clash (`signal.normalize` normalises a filter's coefficients,
    # `cluster.hierarchy.median` is a linkage method, `signal.step` a system's step response)
    # a signal filtered, smoothed or put through a transform: a new series computed from the data, as a rolling mean
    # or a detrended series (CONVENTIONS 22: rolling / ewm are derive_feature)
    **{f"signal.{name}": "derive_feature" for name in (
        "savgol_filter", "medfilt", "medfilt2d", "wiener", "order_filter", "lfilter", "filtfilt", "sosfilt",
        "sosfiltfilt", "symiirorder1", "symiirorder2", "sepfir2d", "cspline1d_eval", "qspline1d_eval", "spline_filter",
        "hilbert", "hilbert2", "envelope", "deconvolve", "resample", "resample_poly", "decimate", "upfirdn",
        # a power spectrum or a time-frequency map of a series: the series' values transformed into the frequency
        # domain (`f, Pxx = signal.welch(x)`), new values computed from the data
        "welch", "periodogram", "spectrogram", "stft", "istft", "csd", "coherence", "lombscargle", "czt", "zoom_fft",
        # waveforms of a grid (`signal.square(2 * np.pi * t)`): values computed from existing values with no random
        # draw, as np.sin of a grid (CONVENTIONS 28: "A generated target with no new draw is derive_feature")
        "chirp", "sawtooth", "square", "gausspulse", "sweep_poly",
    )},
    # values between known points (`griddata`, `interpn`): new values computed from the data, as np.interp
    **{f"interpolate.{name}": "derive_feature" for name in (
        "griddata", "interpn", "barycentric_interpolate", "krogh_interpolate", "pchip_interpolate",
    )},
    # a curve or surface fitted through / to points (`f = interp1d(x, y)`, `UnivariateSpline(x, y, s=1)`,
    # `tck = splrep(x, y)`): the function the values are then read from, fitted to the data as curve_fit's curve
    # (CONVENTIONS 4a: fit_model)
    **{f"interpolate.{name}": "fit_model" for name in (
        "interp1d", "interp2d", "CubicSpline", "PchipInterpolator", "Akima1DInterpolator", "CubicHermiteSpline",
        "BarycentricInterpolator", "KroghInterpolator", "FloaterHormannInterpolator", "AAA", "UnivariateSpline",
        "InterpolatedUnivariateSpline", "LSQUnivariateSpline", "SmoothBivariateSpline", "LSQBivariateSpline",
        "RectBivariateSpline", "SmoothSphereBivariateSpline", "LSQSphereBivariateSpline", "RectSphereBivariateSpline",
        "RegularGridInterpolator", "LinearNDInterpolator", "NearestNDInterpolator", "CloughTocher2DInterpolator",
        "RBFInterpolator", "Rbf", "make_interp_spline", "make_lsq_spline", "make_smoothing_spline", "make_splrep",
        "make_splprep", "splrep", "splprep", "bisplrep", "lagrange",
    )},
    # a fitted spline's values at points (`y_new = splev(x_new, tck)`): the fitted curve's values, as predict
    **{f"interpolate.{name}": "predict" for name in ("splev", "bisplev")},
    # features divided by their standard deviation before k-means (`whiten(X)`): a scaler (CONVENTIONS 23)
    "cluster.vq.whiten": "scale_normalize",
    # k-means and hierarchical clustering fitted to the data (CONVENTIONS 4a: k-means is fit_model), the
    # observations' clusters read from them (CONVENTIONS 26: `KMeans.labels_` is predict)
    **{f"cluster.{name}": "fit_model" for name in (
        "vq.kmeans", "vq.kmeans2", "hierarchy.linkage", "hierarchy.single", "hierarchy.complete", "hierarchy.average",
        "hierarchy.weighted", "hierarchy.centroid", "hierarchy.median", "hierarchy.ward",
    )},
    **{f"cluster.{name}": "predict" for name in ("vq.vq", "hierarchy.fcluster", "hierarchy.cut_tree",
                                                 "hierarchy.leaders")},
    "cluster.hierarchy.fclusterdata": "fit_model",  # clustered and labelled in one call, as fit_predict's fit
    # the cophenetic correlation of a linkage with the distances: how well the clustering fits (CONVENTIONS 27)
    "cluster.hierarchy.cophenet": "evaluate",
    # the distances between all pairs of rows (`D = pdist(X)`, `cdist(X, centers)`): a new matrix computed from the
    # data, as sklearn's pairwise distances
    **{f"spatial.distance.{name}": "derive_feature" for name in ("pdist", "cdist")},
}
METHODS: dict[str, str | None] = {}
# A scipy.stats distribution's tail probabilities (`stats.norm.cdf(z)`, `stats.t.sf(t, df)`): at a statistic computed
# from the data they are the p-value of a test written by hand (CONVENTIONS 27; classify/tail_probabilities.py).
DISTRIBUTION_TAIL_METHODS: frozenset[str] = frozenset({"cdf", "sf", "logcdf", "logsf"})
# A scipy.stats distribution's random variates (`stats.norm.rvs(loc=5, scale=2, size=1000)`, `poisson.rvs(3, size=50)`;
# scipy's docs: "rvs: Random variates of given type"): numbers drawn, generated data (what-is-a-step.md: synthetic
# data is a `load`), as `np.random.normal(5, 2, 1000)`. Its density, quantile and interval methods (`pdf`, `pmf`, `ppf`,
# `interval`) compute values of the distribution, not of the data: no step (kb/not_steps.py).
DISTRIBUTION_DRAW_METHODS: frozenset[str] = frozenset({"rvs"})
# Statistics of an array (`df.apply(skew)` is one number per column, an answer).
REDUCTIONS: frozenset[str] = frozenset({"skew", "kurtosis", "sem", "iqr", "variation", "entropy", "gmean", "hmean"})
