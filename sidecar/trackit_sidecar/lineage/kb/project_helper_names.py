"""More names of helpers a notebook imports from its own project (`import src.utils as ut`, `import src.models as
mo`) that say which step the call is (CONVENTIONS 4b: a black box labelled by what it does; with its body out of
sight, its name says it). Beside kb.sources.IMPORTED_LOADER_NAME and kb.helper_verbs, from batch 10's research
notebooks (tuning since 2026-12-07), which analyse only through such helpers.
"""

from __future__ import annotations

# A data set imported by the project's reader (`ut.import_transformed_data(path)`, `import_raw_data()`,
# `import_survey_tables(path)`): a load, as `load_*` / `read_*` are (kb.sources.IMPORTED_LOADER_NAME). Not
# `import_module` / `import_module_from_path` (Python's import machinery) nor `import_config`: no data named.
IMPORTED_DATA_READER_NAME = (r"^import_(\w+_)?(data|dataset|datasets|df|dfs|dataframe|dataframes|frame|frames|table|"
                             r"tables|csv|excel|file|files|survey|records|datadict|data_dict|codebook)$")

# A model fitted by the project's helper handed the data (`mo.model_impact_causal(df)`, `models.model_socdem(df,
# ...)`, `stan_model_fit(df)`): `model_<what it models>` runs the model's fit (a sampler, an optimiser) and returns
# it fitted, as `fit_*` / `train_*` do (kb.models.ALGORITHM_NAME_OPS). Only for a call handed data. Not the
# helpers that name a model's results or settings (`model_eval`, `model_results(m)`, `model_summary(fit)`,
# `model_params`, `model_path`), nor one that draws (`model_plot`).
IMPORTED_MODEL_HELPER_NAME = (r"^(model|fit_model|stan_model|bayes_model|run_model)_(?!(eval|evaluate|evaluation|"
                              r"selection|select|comparison|compare|results?|summary|summari[sz]e|metrics?|scores?|"
                              r"performance|predictions?|predict|names?|params?|parameters|config|settings|path|dir|"
                              r"file|code|plot|fig|figure|save|load|diagnostics|stats|report)(_|$))[a-z0-9]+(_[a-z0-9]+)*$")

# Prep verbs beside kb.helper_verbs.IMPORTED_HELPER_VERB_OPS (same matching: snake_case name, only when handed data):
# a table's column level stacked or unstacked (`ut.unstack_df(t)`: pandas' stack / unstack, a reshape); two results or
# data tables put side by side or one under the other by the project's helper (`ut.combine_dfs(T, C, "Treatment",
# "Control")`, `combine_frames(a, b)`: concat, CONVENTIONS 13).
MORE_HELPER_VERB_OPS: tuple[tuple[str, str], ...] = (
    (r"^(un)?stack(_(df|dfs|data|frame|frames|table|tables|levels?|columns?|index))?$", "reshape"),
    (r"^(combine|concat|bind|stack)_(df|dfs|data|datasets|frames|dataframes|tables|results)$", "concat"),
    # counts per value of a table's columns (`ut.get_socdem_counts(df, dd, "Treatment")`, `value_counts_by(df, c)`,
    # `compute_counts(df)`): a table of counts, an aggregate (CONVENTIONS 10: "An assigned value_counts() ... is
    # aggregate"; shown, 6: a group-by aggregation builds a new table)
    (r"^((get|compute|calc|calculate|make|build|tally)_)?([a-z0-9]+_)*counts$", "aggregate"),
    # the whole data set treated by the project's preprocessing (`treat_dataset_pandas_init(train, process_as_category=
    # True)` from `utils.preprocess`): several ops in one call, none named, one `other`, as `clean_data(df)` is
    # (kb.helper_verbs; CONVENTIONS 25)
    (r"^treat_(the_)?(raw_)?(data|dataset|df|dataframe|frame|table)(_[a-z0-9]+)*$", "other"),
)

# Keywords that ask a model helper for its set-up only, not a run (`mo.model_socdem(df, dd, code_only=True)` returns
# the Stan program's text, printed; `dry_run=True`, `compile_only=True`): with one set true the call fits nothing
# (CONVENTIONS 15: model set-up is no step).
NOT_RUN_KEYWORDS: frozenset[str] = frozenset({"code_only", "dry_run", "compile_only", "return_code", "only_code",
                                              "build_only", "setup_only"})

# A project's helper handed a fitted model first (`ut.stats(fit)`, `ut.stats_socdem(fit, dd, df, oddsratio=True)`,
# `diagnostics(fit)`, `effects_table(fit, df)`): the estimates, effects or diagnostics of that model as a table, an
# evaluation when kept (CONVENTIONS 27: "assigned summary_frame() / results tables"), as a helper handed only fitted
# models already is (classify/function_calls.py). The data handed beside the model names the groups it is read for.
FITTED_RESULTS_HELPER_NAME = (r"^(stats|statistics|estimates|effects|diagnostics|diags|posterior|posteriors|"
                              r"results|summary_stats)(_|$)")
