"""What reading a fitted model gives (what-is-a-step.md: "reading `best_score_`, `rsquared`: evaluate"; CONVENTIONS
26-27), for any library's fitted object (scikit-learn, statsmodels, lifelines, ...), and what a notebook function
that implements a model or an algorithm does, judged by its name (CONVENTIONS 4a: hand-written models are black
boxes; their call is the step)."""

from __future__ import annotations

from typing import Optional

# Attributes of a fitted object that measure how well it fits: `evaluate`.
EVALUATION_ATTRIBUTES: frozenset[str] = frozenset({
    "rsquared", "rsquared_adj", "tvalues", "pvalues", "bse", "aic", "bic", "aicc", "hqic", "fvalue", "f_pvalue",
    "llf", "llr", "llr_pvalue", "prsquared", "mse_resid", "mse_model", "mse_total", "ssr", "ess", "sse", "mse",
    "deviance", "pearson_chi2", "resid", "resid_pearson", "resid_deviance", "resid_response", "resid_anscombe",
    "resid_working", "best_score_", "oob_score_", "cv_results_", "concordance_index_", "log_likelihood_", "AIC_",
    "BIC_", "AIC_partial_", "inertia_", "score_", "scores_",
    "fun",  # scipy.optimize's result: the cost at the optimum
    # (not a PCA's explained_variance_ratio_: it describes the components fitted, as an LDA's scalings_ do, and
    # reading those is no step, CONVENTIONS 27)
    # statsmodels results' other fit statistics: the null model's log-likelihood, total sums of squares, the design's
    # condition number, an influence's Cook's distances
    "llnull", "centered_tss", "uncentered_tss", "condition_number", "cooks_distance",
    # gradient boosting's scores on the evaluation sets given to fit / train: XGBoost's and LightGBM's `best_score`
    # (the best validation score with early stopping) and LightGBM's `evals_result_` (every round's scores)
    "best_score", "evals_result_",
})
# Of those, the ones only a fitted estimator has, named as scikit-learn and lifelines name them (a trailing
# underscore: `best_score_`, `oob_score_`): read from an object the classifier does not know (a function's parameter,
# `def report(search): print(search.best_score_)`), the object is a fitted model and reading them evaluates.
FITTED_ONLY_EVALUATION_ATTRIBUTES: frozenset[str] = frozenset(
    name for name in EVALUATION_ATTRIBUTES if name.endswith("_") and not name.startswith("_"))
# Attributes of a fitted object that are its parameters: reading them is no step, nor are tables built only from
# them (CONVENTIONS 27).
PARAMETER_ATTRIBUTES: frozenset[str] = frozenset({
    "params", "coef_", "intercept_", "feature_importances_", "scalings_", "mean_", "scale_", "var_",
    "slope", "intercept",  # scipy.stats.linregress's result
    # what other fitted estimators learned: a naive Bayes model's counts and log-probabilities, a mixture's or
    # Gaussian NB's means, the directions of a decomposition, the centres of clusters, a network's weights
    "feature_count_", "class_count_", "class_prior_", "class_log_prior_", "feature_log_prob_", "theta_",
    "components_", "cluster_centers_", "coefs_", "intercepts_", "support_vectors_", "dual_coef_", "means_",
})
# Methods of a fitted object whose table has one row per parameter: a row picked by the parameter's name
# (`res.conf_int().loc["income"]`) reads that parameter, as `res.params["income"]` does (CONVENTIONS 27).
PER_PARAMETER_TABLE_METHODS: frozenset[str] = frozenset({"conf_int"})
# Methods of what a model predicted (`pred = res.get_prediction(...)`, `res.get_forecast(12)`) that give the
# prediction's interval: kept under a name (`pred_ci = pred.conf_int()`) it is part of predicting (CONVENTIONS 26), where
# a fitted model's own `conf_int()` is its parameters' intervals.
PREDICTION_INTERVAL_METHODS: frozenset[str] = frozenset({"conf_int"})
# Attributes of a fitted object that are its predictions: `predict`.
PREDICTION_ATTRIBUTES: frozenset[str] = frozenset({"fittedvalues", "labels_", "mu", "fitted_values"})
# Methods of a fitted object (beyond scikit-learn's predict / score) that evaluate or predict.
EVALUATION_METHODS: frozenset[str] = frozenset({
    "conf_int", "summary_frame", "f_test", "t_test", "wald_test", "compare_f_test", "compare_lr_test",
    "check_assumptions", "score", "get_influence", "outlier_test", "cov_params", "pred_table", "get_margeff",
    "compute_residuals", "log_likelihood_ratio_test",
    "pseudo_rsquared",  # GLM results' pseudo R-squared, as rsquared / prsquared (what-is-a-step.md: rsquared)
    "evaluate",  # a Keras model's loss and metrics on data (model.evaluate(X_test, y_test)), as sklearn's .score
    "tukeyhsd", "allpairtest",  # MultiComparison(values, groups).tukeyhsd(): pairwise tests of the groups
    # information criteria computed by a method, as statsmodels' results hold them as attributes (`aic`, `bic`
    # above): scikit-learn's mixtures ("bic(X): Bayesian information criterion for the current model on the input
    # X", `gmm.bic(X)` when choosing the number of components) and pmdarima's fitted ARIMA (`m.aic()`)
    "aic", "bic", "aicc", "hqic",
    "evals_result",  # XGBoost's scores of every round on the evaluation sets (`results = model.evals_result()`)
})
# Results tables (CONVENTIONS 27: "assigned summary_frame() / results tables" evaluate; printed, they are shown
# like `.summary()`, which is not a step).
RESULT_TABLE_METHODS: frozenset[str] = frozenset({"summary_frame", "conf_int"})
# statsmodels results' summaries, whose `tables` hold the results as tables (`results.summary2().tables[1]`: the
# coefficients with their standard errors, t statistics and p-values as a DataFrame)
SUMMARY_METHODS: frozenset[str] = frozenset({"summary", "summary2"})
# A function of a library outside the knowledge base named as a statistical test (logrank_test,
# proportional_hazard_test, test_normality) evaluates (CONVENTIONS 27).
# (`train_test_split` is no test: a name with the word "split" parts rows, see SPLIT_METHOD_NAME)
TEST_FUNCTION_NAME = r"^(?!(.*_)?split(_|$))(.*_)?test($|_)"
# A method of an object of the notebook's own modules named for parting rows into train and test sets
# (`data.train_test_split(test_size=0.2)`): a split, one per output (what-is-a-step.md: "a hand-written split function
# that returns train and test sets: split"; CONVENTIONS 16).
SPLIT_METHOD_NAME = r"^(train_(val_|valid_|validation_)?test_split|split_(data|dataset|train_test))$"
# Functions of libraries outside the knowledge base whose op is known by name (a table per library would make every
# other function of that library a known no-step): lifelines' survival tables laid out one row per period;
# pmdarima's `auto_arima(y, m=12, seasonal=True)`, which fits ARIMA models of several orders and returns the best one
# fitted (what-is-a-step.md: "statsmodels `.fit()`: fit_model"; its `get_params()` are then parameters, CONVENTIONS 27);
# Keras' `to_categorical(y, num_classes)` (`keras.utils`, `tf.keras.utils`, `np_utils`), which turns class labels into
# one-hot rows (CONVENTIONS 20: "one-hot/ordinal/label encoders" are encode_categorical).
IMPORTED_FUNCTION_OPS: dict[str, str] = {"to_episodic_format": "reshape", "to_long_format": "reshape",
                                         "auto_arima": "fit_model", "to_categorical": "encode_categorical"}
# Model libraries' own data containers (xgboost's DMatrix, LightGBM's Dataset, CatBoost's Pool): existing data put
# in the format the library trains on, a conversion (CONVENTIONS 12: `other` when it is the whole right-hand side
# assigned to a new name), not a model and not new data.
# Libraries that explain a fitted model (`explainer = shap.TreeExplainer(model)`): the explainer is no fitted model, so
# `explainer(X)` gives explanations (SHAP values), not predictions; model interpretation, like reading
# `feature_importances_`, is no step (CONVENTIONS 27; ADJ9 on ps-s5e9 cell 32).
MODEL_EXPLANATION_LIBRARIES: frozenset[str] = frozenset({"shap", "lime", "eli5", "dalex"})
DATA_CONTAINERS: frozenset[str] = frozenset({"DMatrix", "DeviceQuantileDMatrix", "QuantileDMatrix", "Dataset", "Pool",
                                             "ExtMemQuantileDMatrix", "FeaturesData"})
CONTAINER_LIBRARIES: frozenset[str] = frozenset({"xgboost", "lightgbm", "catboost"})
# The same libraries' own cross-validation (`xgb.cv(params, dtrain, nfold=5)`, `lgb.cv(params, train_set, nfold=7)`,
# catboost's `cv(pool, params)`): a table of k folds' scores, CV results (CONVENTIONS 27: evaluate), as
# cross_val_score's scores are (26).
LIBRARY_CROSS_VALIDATION: frozenset[str] = frozenset({"xgboost.cv", "lightgbm.cv", "catboost.cv"})
PREDICTION_METHODS: frozenset[str] = frozenset({
    "get_prediction", "forecast", "simulate", "get_forecast", "predict_survival_function", "predict_partial_hazard",
    "predict_median", "predict_expectation", "predict_cumulative_hazard", "predict_log_partial_hazard",
    "predict_percentile", "fit_predict",
})

# Helpers imported from outside the notebook (CONVENTIONS 4b: black boxes, the call is the step) whose name says what
# they do to the data, beyond the algorithms above; a notebook's own function of that name is labelled in its body
# (CONVENTIONS 1). `resample_rows_weighted(df, w)`, `bootstrap(df)`: rows drawn again from the data (CONVENTIONS 30:
# "permutation and bootstrap resampling are `sample`").
# `split_data(df, X, y)`: rows parted into train / validation / test sets (what-is-a-step.md: "a hand-written split
# function that returns train and test sets: split", one per output); `create_features(df)`: new columns derived;
# `log_eval(y, p)`, `model_eval(...)`: an evaluation; `drop_missing_values(df, ...)`: drop_missing.
IMPORTED_HELPER_NAME_OPS: tuple[tuple[str, str], ...] = (
    (r"(^|_)(resample|bootstrap)(_|$)", "sample"),
    (r"(^|_)split(_|$)", "split"),
    # (`extend_ts_features(df, n_periods=...)`, `add_time_features(df)`, `generate_lag_features(df)`: the kind of
    # features named between the verb and `features`; karpiu's documentation, batch 9)
    (r"^(create|add|make|build|engineer)_(new_)?features?(_|$)"
     r"|^(create|add|make|build|engineer|extend|generate|compute)_[a-z0-9]+(_[a-z0-9]+)?_features?$", "derive_feature"),
    (r"(^|_)eval(_|$)", "evaluate"),
    # drop_missing_values(df, 0.75, 1), remove_nulls(df): rows or columns with missing values dropped
    (r"^(drop|remove)_(missing|nulls?|nans?|na)(_values|_rows|_columns)?$", "drop_missing"),
)

# Names of helpers a notebook imports from its own project (`import src.models as mo`) that fit or read a model, beside
# IMPORTED_HELPER_NAME_OPS (from batch 10's research notebooks, which analyse only through such helpers).
# A model fitted by the project's helper handed the data (`mo.model_impact_causal(df)`, `models.model_socdem(df,
# ...)`, `stan_model_fit(df)`): `model_<what it models>` runs the model's fit (a sampler, an optimiser) and returns
# it fitted, as `fit_*` / `train_*` do (ALGORITHM_NAME_OPS). Only for a call handed data. Not the
# helpers that name a model's results or settings (`model_eval`, `model_results(m)`, `model_summary(fit)`,
# `model_params`, `model_path`), nor one that draws (`model_plot`).
IMPORTED_MODEL_HELPER_NAME = (r"^(model|fit_model|stan_model|bayes_model|run_model)_(?!(eval|evaluate|evaluation|"
                              r"selection|select|comparison|compare|results?|summary|summari[sz]e|metrics?|scores?|"
                              r"performance|predictions?|predict|names?|params?|parameters|config|settings|path|dir|"
                              r"file|code|plot|fig|figure|save|load|diagnostics|stats|report)(_|$))[a-z0-9]+(_[a-z0-9]+)*$")

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

# An exercise's unit test of a function (`estimate_gaussian_test(estimate_gaussian)`, `test_compute_cost(f)`): it
# checks the function, no step.
UNIT_TEST_NAME = r"(^|_)tests?(_|$)"
# A notebook function named for splitting data (split_train_test, train_test_split_by_id, train_val_split): the
# `train` / `test` in its name name the parts it returns, not a model it fits; it is a helper whose body is classified
# where it is written (CONVENTIONS 1), and the row subsets it returns are the split (what-is-a-step.md: "a
# hand-written split function that returns train and test sets: `split`"; CONVENTIONS 16: one per output).
SPLITTING_FUNCTION_NAME = r"(^|_)split(_|$)"
# A notebook function named for reading or preparing the training part (load_all_train_data, prepare_train,
# preprocess_train, read_train_test_data: the Kaggle kernels' loaders; or named for it, `train_dataset(batch_size)`,
# `train_generator()`): `train` names the part of the data it returns, not a model it fits; its body is classified
# where it is written and its calls are no step (CONVENTIONS 1).
TRAINING_PART_HELPER_NAME = (r"^(load|read|get|fetch|prepare|preprocess|process|clean|make|build|create)(_all)?_train(_|$)"
                             r"|^train_(data|dataset|dataloader|loader|generator|ds|df|images)$")
# A function named for drawing (plot_confusion_matrix, show_scores) draws, whatever else its name says (CONVENTIONS 8).
DRAWING_FUNCTION_NAME = r"^(plot|draw|show|display|visuali[sz]e)(_|$)"
# A function imported from outside the notebook (a course's or project's utils module) whose name says it draws
# (`seasonal_plot`, `plot_periodogram`, `bar_chart`): a black box (CONVENTIONS 4b) that plots, so data made only to be
# handed to it is plot plumbing (CONVENTIONS 8), as for plt.plot.
IMPORTED_DRAWING_NAME = r"^(plot|draw|visuali[sz]e)(_|$)|_(plot|chart|graph)$"
# A helper named for showing results (print_scores, report_metrics, plot_roc): handed predictions or scores, it shows
# them (CONVENTIONS 8; 27: `.summary()` / `print_summary` are no step), it does not compute an evaluation.
RESULT_SHOWING_NAME = r"^(plot|draw|show|display|visuali[sz]e|print|report|log|save|write)(_|$)"
# ... except one named for printing or reporting the scores themselves that is handed a fitted model and the held-out
# data, not scores (`myfunctions.print_scores(pipe, X_train, X_test, y_train, y_test)`, a course's imported helper):
# it has to predict and score to print anything, a black box that evaluates (CONVENTIONS 4b, 27); a drawing name
# (`plot_predictions(pipe, X_test, y_test)`) still only draws (8).
SCORE_PRINTING_NAME = r"^(print|report|log|show|display)_(\w+_)?(scores?|metrics?|results?|performance|errors?|accuracy|r2|rmse)$"
# A notebook function whose name says it is a piece of a hand-written algorithm with no step of its own (CONVENTIONS 4a
# lists sigmoid beside gradient descent and cost): a black box whose body is no step, nor its call (the fit or the
# prediction that uses it is the step).
ALGORITHM_PIECE_NAME = r"(^|_)(sigmoid|softmax|relu|tanh|compute_gradient|gradient|gradients)(_|$)"
# A notebook function whose name says it implements a model step (CONVENTIONS 4a): its call is that step.
# Matched against the function's name split into words (camelCase and snake_case).
ALGORITHM_NAME_OPS: tuple[tuple[str, str], ...] = (
    (r"(^|_)(compute_?cost|cost|cost_function|loss|error|errors|accuracy|score|evaluate|metrics|rmse|rmsle|mse|msle|mae|"
     r"mape|r2|auc|logloss|confusion|vif|variance_inflation|cross_val|cross_validate|cross_validation)(_|$)",
     "evaluate"),  # confusion_table(y_hat, y): a metric table; calculate_vif(X): variance inflation factors (CONVENTIONS
    # 27 lists VIF); mean_std_cross_val_scores(pipe, X_train, y_train), the UBC applied-ML course's helper copied into
    # its students' projects: cross-validation results (27: "CV results")
    (r"(^|_)(predict|predictions?|classify|find_closest_centroids|assign_clusters?)(_|$)", "predict"),
    (r"(^|_)(init_centroids|k_means_init_centroids|random_init)(_|$)", "sample"),
    (r"(^|_)(gradient_descent|gradient_descent_multi|fit|train|normal_eqn|normal_equation|run_?k_?means|k_?means|"
     r"optimi[sz]e|minimi[sz]e|learn|logistic_regression|linear_regression|compute_centroids|pca)(_|$)", "fit_model"),
    # create_dummy_vars(df, c), one_hot(df, cols): dummy / one-hot columns (CONVENTIONS 20: get_dummies)
    (r"(^|_)(dummy|dummies|one_hot|onehot)(_|$)", "encode_categorical"),
    (r"(^|_)(feature_normali[sz]e|normali[sz]e|standardi[sz]e|scale|min_max_scale|z_score)(_|$)", "scale_normalize"),
    (r"(^|_)(project_data|recover_data|map_feature|poly_features|polynomial_features)(_|$)", "derive_feature"),
    # anomaly detection by hand (CONVENTIONS 4a): a distribution's parameters estimated from the data fit it; its
    # density at each point predicts (probabilities, CONVENTIONS 26); a threshold chosen by a validation score evaluates
    (r"(^|_)estimate_(gaussian|normal|distribution|parameters|params)(_|$)", "fit_model"),
    (r"(^|_)(multivariate_gaussian|multivariate_normal_pdf|gaussian_pdf|gaussian_density)(_|$)", "predict"),
    (r"(^|_)(select|find|choose|best)_(threshold|epsilon)(_|$)", "evaluate"),
)
# Methods of text tokenizers (Keras' `Tokenizer`, `tf.keras.preprocessing.text.Tokenizer`): `fit_on_texts` builds the
# vocabulary, a preprocessor's fit alone (CONVENTIONS 25: "`.fit` alone is not a step"), not a model fitted as the word
# `fit` would say (ALGORITHM_NAME_OPS); `texts_to_sequences` / `texts_to_matrix` turn the texts into word ids or counts,
# the transform of a vectorizer (25: vectorizers are derive_feature). None: no step.
# The object such a fit is called on is a tokenizer, whatever made it (`text.Tokenizer()` with `text` also a variable's
# name): its attributes (`word_index`) are its vocabulary, not columns.
TEXT_TOKENIZER_CLASS = "tensorflow.keras.preprocessing.text.Tokenizer"
TOKENIZER_METHOD_OPS: dict[str, Optional[str]] = {
    "fit_on_texts": None, "fit_on_sequences": None,
    "texts_to_sequences": "derive_feature", "texts_to_matrix": "derive_feature", "sequences_to_matrix": "derive_feature",
}
# The ops a method of an object of unknown class (the notebook's own modules' `Model`, a loop variable over such
# models) is taken for when ALGORITHM_NAME_OPS names it (`model.make_predictions(X)`, `model.train(X, y)`): the three
# steps a model object performs on the data passed to it; a prep op so named (`obj.scale(x)`) is too often a setting.
UNKNOWN_OBJECT_METHOD_OPS: frozenset[str] = frozenset({"fit_model", "predict", "evaluate"})

# Methods that read a fitted model's parameters into an object (`model.load_model()`, Keras' `load_weights(path)`,
# PyTorch's `load_state_dict(...)`): loading a model is no step (CONVENTIONS 15), but the object is then a fitted model.
# Names of the two parts of a split, as a naive forecast reads them: one number computed from the training part (its
# mean, its last value) written as a column of the held-out part is a forecast for every held-out row (CONVENTIONS
# 26: "forecast ... are all predict"), the baselines forecasting notebooks start with.
# Packages whose functions hand back the parts a data set was published in (`tfds.load("mnist", split=["train",
# "test"])`, torchvision's datasets): one load of existing parts, not a split the notebook's own helper makes
# (split_parts._parts_from_an_imported_helper).
PUBLISHED_PARTS_PACKAGES: frozenset[str] = frozenset({
    "tensorflow_datasets", "tensorflow", "keras", "torch", "torchvision", "torchtext", "datasets",
    "catboost",  # catboost.datasets.titanic() / amazon(): the train and test files the data set is published as
})
# Functions that read objects saved earlier back (`(X_train, X_valid, X_test) = pickle.load(f)`, `joblib.load(path)`):
# parts read back are one load (CONVENTIONS 17: a tuple from ONE call is one step), not a split a helper makes.
SAVED_OBJECT_READER_NAME = r"^(load|loads|read|restore|unpickle|load_pickle|read_pickle)$"
# Functions that read back an object saved earlier with them (`X_train = joblib.load("../data/processed/X_train.pkl")`,
# `y_test = pickle.load(open("y_test.pkl", "rb"))`): the multi-notebook project's way of handing its prepared parts to
# the next notebook. Read into a name of data (SAVED_DATA_NAME, and none of SAVED_TOOL_WORDS) it is reading a file into
# data, a `load` (what-is-a-step.md, "Sources are steps"); read into a model's, a scaler's or a column list's name it is
# model loading, no step (CONVENTIONS 15). Not `features` / `feature_list`: the deployment notebook's saved list of the
# model's columns (`feature_list = joblib.load("features.pkl")`, found by the sweep) is a column-name list (15).
SAVED_OBJECT_READERS: frozenset[str] = frozenset({"joblib.load", "pickle.load", "dill.load", "cloudpickle.load"})
SAVED_DATA_NAME = r"^(x|y|df|data|dataset)(_|$|\d)|(^|_)(train|test|valid|val|validation|holdout)(_|$|\d)"
SAVED_TOOL_WORDS = (r"(^|_)(model|models|clf|reg|scaler|encoder|encoders|le|ohe|pipe|pipeline|vectorizer|tfidf|"
                    r"explainer|preprocessor|imputer|transformer|cols|columns|names|list|params|stats|idx|index)(_|$)")
# Words of a name that holds a model, an estimator or a pipeline, not data (classify/model_aliases.py: `final_model =
# best_gbc` names a model again, no step)
MODEL_ALIAS_WORDS = r"(^|_)(model|models|clf|classifier|regressor|estimator|pipe|pipeline|reg|booster|gbm|xgb|lgbm)(_|$)"
# A column holding each row's cross-validation fold (`df.loc[va_idx, "kfold"] = fold` after a KFold loop, or read back
# from `train_folds.csv`): `df[df.kfold != fold]` / `df[df.kfold == fold]` take a fold's training and validation rows,
# the KFold parts CONVENTIONS 16 counts as one split per output (split_parts._split_parts).
FOLD_COLUMN_NAME = r"^(k_?)?folds?$"
TRAINING_PART_NAME = r"(^|_)(train|training|tr|trn)(_|$|\d)"
HELD_OUT_PART_NAME = r"(^|_)(test|valid|validate|validation|val|holdout|te|tst)(_|$|\d)"
# ... and written short, the part word glued to x / y (`xtest`, `yval`), as kb.TRAIN_TEST_NAME reads them
HELD_OUT_SHORT_NAME = r"^(x|y)(te|test|val|valid)$"
# Ops that put predictions back on the target's scale or type without changing what they are: `np.expm1(m.predict(X))`
# (a model fitted on log1p(price) predicts logs; expm1 gives its predicted prices), `m.predict(X).astype(int)`.
# What follows them is still read as predictions (a blend `0.7 * a + 0.3 * b` predicts, data minus them is a residual).
PREDICTION_KEEPING_OPS: frozenset[str] = frozenset({"scale_normalize", "type_cast"})
MODEL_LOADING_METHODS: frozenset[str] = frozenset({"load_model", "load_weights", "load_state_dict"})
# Library functions that read a model saved earlier back (`keras.models.load_model("convnet.keras")`, the Keras guides'
# and books' test cells; `tf.keras.models.load_model(path)`): loading a model is no step (CONVENTIONS 15), even from a
# library whose `load_*` functions read packaged data sets (`keras.datasets.mnist.load_data()`), and what it hands back
# is a fitted model, so `test_model.evaluate(test_ds)` evaluates and `.predict(X)` predicts (CONVENTIONS 7, 26).
MODEL_LOADING_FUNCTIONS: frozenset[str] = frozenset({"load_model"})
# Library functions that copy a model's build (`tf.keras.models.clone_model(model_A)`, "Clone a Functional or
# Sequential Model instance"): a model handed in is copied, not scored, so the copy is no results table.
MODEL_COPYING_FUNCTIONS: frozenset[str] = frozenset({"clone_model"})

# The test part of a target (`y_test`, `y_val`, `ytest`): the labels a model is scored against. The share of its most
# frequent class (`max(y_test.mean(), 1 - y_test.mean())`, `y_test.value_counts().head(1) / len(y_test)`) or how often
# it equals one constant class (`np.mean(y_test != "No")`) is the accuracy of always predicting that class, the null
# accuracy: a metric computed by hand (what-is-a-step.md: evaluate), where `y_test.mean()` or its value counts alone
# look at the classes' balance (Inspection).
TEST_TARGET_NAME = r"^y_?(test|val|valid|validation|dev|te|holdout)\d*$"
# Names of a cut-off on scores (`epsilon`, `epsilon_high`, `best_threshold`, `bestEpsilon`, `cutoff`): a prediction compared
# with such a name, when it holds a value a validation score chose, is thresholded into classes (CONVENTIONS 26)
THRESHOLD_NAME = r"(?i)(epsilon|thresh|cut_?off)|(^|_)eps(_|$)"
# Names of a metric's value (`rmse`, `val_acc`, `f1`): an evaluation's result held under such a name is a measure of
# error or fit, not a cut-off chosen for the scores, so a prediction compared with it (`flag = y_pred > rmse`) is
# evaluated against it (CONVENTIONS 27) unless the name also says threshold
METRIC_VALUE_NAME = (r"(?i)(^|_)(rmse|rmsle|mse|msle|mae|mape|r2|auc|acc|accuracy|f1|score|loss|error|logloss|precision|"
                     r"recall)(_|$)")
# Names of an error or fit measure computed by hand (`rmse`, `mse_test`, `mses_a`, `MAPE_before`, `R2`), and of the sums
# of squares a course computes R² from (`SSE`, `SSR`, `SST`, `RSS`, `TSS`) and the residual standard error (`RSE`): a
# value computed from data and bound to such a name is that measure, an evaluate (what-is-a-step.md: "a metric
# computed by hand (RMSE from predictions)"; CONVENTIONS 27: "errors or accuracy computed by hand from data"), a guess
# from the name (kb/guesses.py "variable_name") when nothing seen made an input a prediction. (`score`, `error`, `loss`,
# `acc` of METRIC_VALUE_NAME are left out: they name too many other things.)
HAND_METRIC_NAME = (r"(?i)(^|_)(rmses?|rmsle|mses?|msle|maes?|mape|smape|r2|r_squared|sse|ssr|sst|ssd|rss|tss|ess|rse)"
                    r"(_|$)")
# A model's target by its name (`y`, `y_train_5`, `Y`, `target`, `labels`): a comparison assigned to it is the target
# made as an indicator (`y = Smarket.Direction == "Up"`: encode_categorical; `y_train_5 = (y_train == 5)`), where a
# comparison assigned to another name is a mask to pick rows with (CONVENTIONS 15, 20).
TARGET_NAME = r"^(y|Y)(_[A-Za-z0-9_]+)?$|^(target|labels?)$"
# Picks of the most frequent class out of value counts (`.head(1)`, `.max()`, `.iloc[0]`, `.nlargest(1)`).
MAJORITY_PICKS: frozenset[str] = frozenset({"head", "max", "iloc", "nlargest", "idxmax"})
# Parameters named for a model's predictions (`def rmse(y_true, y_pred)`, `def mape(actual, predicted)`, `def
# accuracy(y, y_hat)`): inside the body they hold predictions, so arithmetic comparing them with data is an error or an
# accuracy computed by hand (CONVENTIONS 27: evaluate), written once in the body (CONVENTIONS 1).
PREDICTION_PARAMETER_NAME = r"^(y_?pred\w*|preds?|predictions?|predicted|y_?hat|yhat|y_?fit|forecasts?)$"
# Names of a constant baseline's predictions (`y_pred = np.zeros(len(y_test))`, `baseline_preds = np.full(n,
# y_train.mean())`, `validate_baseline = pd.Series("NO", index=validate.index)`): classify/baseline_predictions.py.
BASELINE_PREDICTION_NAME = r"^(y_?)?(pred|preds|prediction|predictions|hat|forecasts?)(_\w+)?$|baseline|naive|dummy"
# The statistics of a training target such a baseline repeats (`np.full(n, y_train.mean())`)
BASELINE_STATISTICS: frozenset[str] = frozenset({"mean", "median", "mode", "max", "min"})
# Statistics that summarise an evaluation's scores into the score reported (`cv_mean = np.mean(scores)` or
# `scores.mean()`, kept and used: CONVENTIONS 7); NumPy's function and the array's method share the name. Totals,
# counts and positions (`sum`, `argmax`) of scores are answers, no score (CONVENTIONS 9).
SCORE_SUMMARY_STATISTICS: frozenset[str] = frozenset({
    "mean", "nanmean", "average", "median", "nanmedian", "std", "nanstd", "var", "nanvar", "min", "max", "amin",
    "amax", "nanmin", "nanmax",
})
# Lists named for a forecast's values (`pred_mean`, `pred_last_value`, `forecast_naive`, `predictions`): a statistic of
# the series so far put into one, repeated over the window it forecasts (`pred_mean.extend(mean for _ in
# range(window))`, the rolling forecasts of "Time Series Forecasting in Python", copied in many repositories), is a
# naive forecast (CONVENTIONS 26: "forecast ... [is] predict").
FORECAST_LIST_NAME = r"^(y_?)?(pred|preds|prediction|predictions|forecast|forecasts)(_\w+)?$"
# Library routines handed a notebook function as the model they fit (scipy's `curve_fit(f, x, y)` / `minimize(cost,
# x0)`, lmfit's `Model(f)`, scipy.odr's `Model(f)`): the function is a hand-written model, a black box whose body is
# no step (CONVENTIONS 4a: "label the call, not the body"). The function is their first argument or one of
# MODEL_FUNCTION_KEYWORDS.
MODEL_FUNCTION_FITTERS: frozenset[str] = frozenset({
    *(f"scipy.optimize.{name}" for name in (
        "curve_fit", "minimize", "minimize_scalar", "least_squares", "leastsq", "fmin", "fmin_tnc", "fmin_bfgs",
        "fmin_cg", "fmin_l_bfgs_b", "fmin_powell", "basinhopping", "differential_evolution", "dual_annealing")),
    "lmfit.Model", "lmfit.minimize", "lmfit.Minimizer", "scipy.odr.Model",
})
MODEL_FUNCTION_KEYWORDS: frozenset[str] = frozenset({"f", "func", "fun", "fcn", "model", "userfcn"})
