"""statsmodels and patsy: the functions that transform data (model classes and their fits are read as models by
classify/sklearn_rules.py, their data sets by kb/sources.py)."""

from __future__ import annotations

FUNCTIONS: dict[str, str | None] = {
    "add_constant": "derive_feature",  # a column of ones (CONVENTIONS 13)
    "add_trend": "derive_feature",
    "lagmat": "derive_feature",
    "anova_lm": "evaluate",
    "het_breuschpagan": "evaluate",
    "het_white": "evaluate",
    "jarque_bera": "evaluate",
    "durbin_watson": "evaluate",
    "acorr_ljungbox": "evaluate",
    "variance_inflation_factor": "evaluate",
    "adfuller": "evaluate",
    "kpss": "evaluate",
    "omni_normtest": "evaluate",
    "linear_rainbow": "evaluate",
    "het_goldfeldquandt": "evaluate",
    # statistical tests and their corrections (CONVENTIONS 27: "statistical and assumption tests")
    "multipletests": "evaluate",
    "pairwise_tukeyhsd": "evaluate",
    "proportions_ztest": "evaluate",
    "ttest_ind": "evaluate",
    **{name: "evaluate" for name in (
        "ztest", "ttost_ind", "ttost_paired", "anova_oneway", "proportions_chisquare", "test_proportions_2indep",
        "mcnemar", "cochrans_q", "het_arch", "acorr_breusch_godfrey", "normal_ad", "lilliefors", "kstest_normal",
        "zivot_andrews", "coint", "grangercausalitytests",
    )},
    "combine_effects": "fit_model",  # a meta-analysis model of the effects
    # an autoregressive model's coefficients estimated from a series (`rho, sigma = sm.regression.yule_walker(x, 3)`):
    # a model fitted to the data (CONVENTIONS 4a), as AutoReg(...).fit()
    **{name: "fit_model" for name in ("yule_walker", "burg")},
    "arma_generate_sample": "load",  # a simulated ARMA series (CONVENTIONS 28), as ArmaProcess(...).generate_sample
    # a series split into its trend, seasonal and residual components: new series computed from the data
    # (what-is-a-step.md: derive_feature); drawn (`seasonal_decompose(y).plot()`) it is plotting (CONVENTIONS 8)
    "seasonal_decompose": "derive_feature",
    # --- statsmodels' documented API beyond the corpus (the package is not installed here, so bench/kb_coverage.py
    # cannot list it; these are the stats / tsa functions of its API reference that the table lacked):
    # trend / cycle filters split a series into parts, as seasonal_decompose and detrend (derive_feature)
    **{name: "derive_feature" for name in ("hpfilter", "bkfilter", "cffilter")},
    # p-value corrections, confidence intervals of a proportion, order selection by information criteria and
    # specification / autocorrelation tests: statistical tests (CONVENTIONS 27), as multipletests / het_white
    **{name: "evaluate" for name in (
        "fdrcorrection", "fdrcorrection_twostage", "proportion_confint", "confint_proportions_2indep",
        "arma_order_select_ic", "linear_reset", "acorr_lm", "breaks_cusumolsresid", "spec_white", "q_stat",
        "binom_test", "proportions_chisquare_allpairs",
    )},
    # sm.tsa.detrend(y): the series less its fitted trend, a new series computed from the data (as its decomposition)
    "detrend": "derive_feature",
    # LOWESS smoothing (`smooth = lowess(y, x)`, `sm.nonparametric.lowess`): the local regression fitted to the points and
    # its values at them, as a model's fit_predict (FIT_AND_PREDICT_FUNCTIONS)
    "lowess": "predict",
    "effectsize_smd": "derive_feature",
    "effectsize_2proportions": "derive_feature",
    # --- the rest of statsmodels.api / tsa.api / stats.api (bench/kb_coverage.py enumerating statsmodels 0.15 from a
    # scratch venv: the package is not a project dependency), by the definition
    # lags of a series put beside it, as lagmat; a trend / cycle filter or a seasonal adjustment, as hpfilter and
    # seasonal_decompose (derive_feature)
    **{name: "derive_feature" for name in ("add_lag", "lagmat2ds", "hamilton_filter", "x13_arima_analysis")},
    # censored values filled by regression on order statistics (what-is-a-step.md: imputers are impute_missing)
    "impute_ros": "impute_missing",
    # statespace.tools.diff(y, k_diff=1): the series differenced, as pandas' diff (derive_feature)
    "diff": "derive_feature",
    # tests, equivalence tests, confidence intervals, agreement and effect-size measures of data, p-value corrections,
    # model comparisons, order selection and residual diagnostics (CONVENTIONS 27: "statistical and assumption tests",
    # residuals; as the tests and intervals above and kb/stat_tests.py's effect sizes)
    **{name: "evaluate" for name in (
        "ardl_select_order", "x13_arima_select_order", "bds", "breakvar_heteroskedasticity_test",
        "diebold_mariano_test", "leybourne", "range_unit_root_test", "anova_generic", "binom_tost", "breaks_hansen",
        "chisquare_effectsize", "cohens_kappa", "fleiss_kappa", "compare_cox", "compare_encompassing", "compare_j",
        "confint_effectsize_oneway", "confint_mvmean", "confint_mvmean_fromstats", "confint_noncentrality",
        "confint_poisson", "confint_poisson_2indep", "confint_quantile_poisson", "effectsize_oneway",
        "equivalence_oneway", "equivalence_oneway_generic", "equivalence_scale_oneway", "etest_poisson_2indep",
        "gof_chisquare_discrete", "jonckheere_terpstra", "linear_harvey_collier", "linear_lm", "local_fdr",
        "local_fdr_correction", "multinomial_proportions_confint", "nonequivalence_poisson_2indep",
        "pesaran_timmermann", "powerdiscrepancy", "proportions_chisquare_pairscontrol", "proportions_ztost",
        "recursive_olsresiduals", "runstest_1samp", "runstest_2samp", "test_cov", "test_cov_blockdiagonal",
        "test_cov_diagonal", "test_cov_oneway", "test_cov_spherical", "test_mvmean", "test_mvmean_2indep",
        "test_poisson", "test_poisson_2indep", "test_scale_oneway", "tolerance_int_poisson", "tost_poisson_2indep",
        "tost_proportions_2indep", "tukeyhsd", "zconfint", "ztost",
    )},
}
# statsmodels.tools.eval_measures, "some measures for evaluation of prediction, tests and model selection" (its module
# docstring; `rmse(x1, x2)`: "root mean squared error", `aic(llf, nobs, df_modelwc)`: "Akaike information criterion"):
# a prediction's error against the truth or a fitted model's information criterion, a metric (what-is-a-step.md:
# "a metric computed by hand (RMSE from predictions) ...: evaluate"). Keyed by the path below `statsmodels`: `iqr` and
# `bias` are other things elsewhere.
FUNCTIONS.update({f"tools.eval_measures.{name}": "evaluate" for name in (
    "mse", "rmse", "rmspe", "maxabs", "meanabs", "medianabs", "bias", "medianbias", "vare", "stde", "iqr",
    "aic", "aicc", "bic", "hqic", "aic_sigma", "aicc_sigma", "bic_sigma", "hqic_sigma")})

# Corrections of p-values for multiple tests: their input is a vector of p-values read from test results
# (`anova_table["PR(>F)"]`), never the data, so what is done to it inside the call is part of the evaluation
P_VALUE_CORRECTIONS: frozenset[str] = frozenset({"multipletests", "fdrcorrection", "fdrcorrection_twostage"})
# Functions that fit a model and hand back its fitted values in one call: fit_model + predict (CONVENTIONS 26:
# "`fit_predict` is fit_model + predict")
FIT_AND_PREDICT_FUNCTIONS: frozenset[str] = frozenset({"lowess"})
METHODS: dict[str, str | None] = {
    # statsmodels.tsa.deterministic (DeterministicProcess, CalendarFourier, TimeTrend, Seasonality): the trend,
    # seasonal and Fourier terms made as columns for the sample or the steps to forecast, features derived from the
    # time index (what-is-a-step.md: derive_feature)
    "in_sample": "derive_feature",
    "out_of_sample": "derive_feature",
    # ArmaProcess(ar, ma).generate_sample(nsample=1000): a series simulated from a process, generated data (load,
    # CONVENTIONS 28)
    "generate_sample": "load",
}

# Design matrices from a formula (patsy.dmatrix / dmatrices, statsmodels' own copies): one step per distinct kind
# of term. A term calling one of these is that op; a bare variable is a selected column.
FORMULA_FUNCTIONS = ("dmatrix", "dmatrices", "build_design_matrices")
FORMULA_TERM_OPS: dict[str, str] = {
    "C": "encode_categorical", "Treatment": "encode_categorical", "Sum": "encode_categorical",
    "standardize": "scale_normalize", "center": "scale_normalize", "scale": "scale_normalize",
    "log": "scale_normalize", "log1p": "scale_normalize",
    "I": "derive_feature", "bs": "derive_feature", "cr": "derive_feature", "cc": "derive_feature",
    "te": "derive_feature", "poly": "derive_feature",
}
# A bare term whose column holds categories (strings) is coded by patsy as `C(...)` codes it ("string columns are
# automatically treated as categorical"): the design matrix encodes it (classify/formula_terms.py says which terms).
CATEGORICAL_TERM_OP = "encode_categorical"
