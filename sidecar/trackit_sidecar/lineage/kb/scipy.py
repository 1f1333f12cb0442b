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
}
METHODS: dict[str, str | None] = {}
# Statistics of an array (`df.apply(skew)` is one number per column, an answer).
REDUCTIONS: frozenset[str] = frozenset({"skew", "kurtosis", "sem", "iqr", "variation", "entropy", "gmean", "hmean"})
