"""Libraries of statistical tests and effect sizes (scikit-posthocs, cliffs-delta, pingouin): every function listed
tests a hypothesis or measures an effect between groups of data, an `evaluate` (CONVENTIONS 27: "statistical and
assumption tests"; what-is-a-step.md: "`cross_val_score`, ... a metric computed by hand ...: `evaluate`"). One table
serves the three libraries (kb.LIBRARIES maps each root module here), as patsy shares statsmodels'."""

from __future__ import annotations

FUNCTIONS: dict[str, str | None] = {
    **{name: "evaluate" for name in (
        # scikit_posthocs: pairwise post-hoc tests after an omnibus test (Kruskal-Wallis, ANOVA, Friedman)
        "posthoc_dunn", "posthoc_conover", "posthoc_nemenyi", "posthoc_nemenyi_friedman", "posthoc_conover_friedman",
        "posthoc_siegel_friedman", "posthoc_miller_friedman", "posthoc_durbin", "posthoc_quade", "posthoc_anderson",
        "posthoc_vanwaerden", "posthoc_dscf", "posthoc_mannwhitney", "posthoc_wilcoxon", "posthoc_ttest",
        "posthoc_scheffe", "posthoc_tamhane", "posthoc_tukey", "posthoc_tukey_hsd", "posthoc_npm_test",
        # cliffs_delta: Cliff's delta effect size of two samples
        "cliffs_delta",
        # pingouin: tests, effect sizes and correlation tests (each returns a results table)
        "ttest", "anova", "welch_anova", "rm_anova", "mixed_anova", "ancova", "pairwise_tests", "pairwise_ttests",
        "pairwise_tukey", "pairwise_gameshowell", "mwu", "wilcoxon", "kruskal", "friedman", "cochran", "normality",
        "homoscedasticity", "sphericity", "chi2_independence", "chi2_mcnemar", "corr", "pairwise_corr",
        "partial_corr", "rm_corr", "compute_effsize", "compute_effsize_from_t", "cronbach_alpha", "intraclass_corr",
        "bayesfactor_ttest", "power_ttest",
    )},
}
METHODS: dict[str, str | None] = {}
