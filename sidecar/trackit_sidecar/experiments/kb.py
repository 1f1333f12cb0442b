"""What TrackIT knows about metrics, seeds and model scores, as data (one home per fact).

`compare/` (issue 12) reads METRICS for the direction of a metric; nothing else defines it.
"""

from __future__ import annotations

# canonical metric name -> "higher" | "lower" (is better)
METRICS: dict[str, str] = {
    **{name: "higher" for name in (
        "accuracy", "balanced_accuracy", "precision", "recall", "f1", "fbeta", "roc_auc", "auc", "average_precision",
        "r2", "explained_variance", "score", "silhouette", "matthews_corrcoef", "cohen_kappa", "specificity",
        "sensitivity", "iou", "map", "ndcg", "bleu", "rouge", "top_k_accuracy", "jaccard", "adjusted_rand",
        "best_score", "oob_score", "rsquared", "rsquared_adj", "cv_score",
    )},
    **{name: "lower" for name in (
        "mse", "rmse", "mae", "mape", "median_absolute_error", "log_loss", "loss", "error", "error_rate", "brier",
        "hinge_loss", "hamming_loss", "zero_one_loss", "aic", "bic", "perplexity", "rmsle", "msle", "wape",
        "davies_bouldin", "inertia", "val_loss",
    )},
}

# how people write a metric -> its canonical name (after lower-casing and `_` for any non-alphanumeric run)
ALIASES: dict[str, str] = {
    "acc": "accuracy", "accuracy_score": "accuracy", "balanced_accuracy_score": "balanced_accuracy",
    "precision_score": "precision", "prec": "precision", "recall_score": "recall", "rec": "recall",
    "f1_score": "f1", "f_1": "f1", "f1score": "f1", "f_score": "f1", "fbeta_score": "fbeta",
    "roc_auc_score": "roc_auc", "rocauc": "roc_auc", "auroc": "roc_auc", "average_precision_score": "average_precision",
    "r2_score": "r2", "r_2": "r2", "r_squared": "r2", "r_sq": "r2", "rsq": "r2", "r²": "r2", "r^2": "r2",
    "explained_variance_score": "explained_variance",
    "mean_squared_error": "mse", "root_mean_squared_error": "rmse", "mean_absolute_error": "mae",
    "mean_absolute_percentage_error": "mape", "median_absolute_error": "median_absolute_error",
    "log_loss": "log_loss", "logloss": "log_loss", "cross_entropy": "log_loss", "brier_score_loss": "brier",
    "silhouette_score": "silhouette", "matthews_corrcoef": "matthews_corrcoef", "mcc": "matthews_corrcoef",
    "cohen_kappa_score": "cohen_kappa", "kappa": "cohen_kappa", "best_score_": "best_score",
    "oob_score_": "oob_score", "f1_macro": "f1.macro", "f1_micro": "f1.micro", "f1_weighted": "f1.weighted",
    "cross_val_score": "cv_score", "cross_validate": "cv_score",
}

# a metric whose square root the statement takes (`np.sqrt(mean_squared_error(y, p))`, `mse ** 0.5`) is another
# metric, on the target's scale: the value is the root's, so its name must be too
ROOT_METRICS: dict[str, str] = {"mean_squared_error": "rmse", "mean_squared_log_error": "rmsle"}
SQUARE_ROOT_FUNCTIONS = frozenset({"sqrt"})  # np.sqrt, math.sqrt, torch.sqrt

# Evaluation functions whose result is no metric: curves, matrices, per-sample values, predictions. A number or an
# array they return (`fpr, tpr, thr = roc_curve(...)`) is not read as a score of the model.
NOT_METRIC_FUNCTIONS: frozenset[str] = frozenset({
    "roc_curve", "precision_recall_curve", "det_curve", "calibration_curve", "confusion_matrix",
    "multilabel_confusion_matrix", "classification_report", "precision_recall_fscore_support", "learning_curve",
    "validation_curve", "permutation_test_score", "silhouette_samples", "permutation_importance",
    "cross_val_predict",
})

# Calls that only wrap literal values into an array (`np.array([0, 1, 1])`): a metric called on literals alone, bare
# or so wrapped (`accuracy_score([0, 1, 1], [0, 1, 0])`), shows how the metric works and evaluates no model's or
# rule's predictions on data (detect.py: no experiment)
LITERAL_WRAPPERS: frozenset[str] = frozenset({"array", "asarray", "Series", "tensor", "as_tensor", "list", "tuple"})

# Predict-time decisions (experiments/prediction.py): a model's scores cut at a threshold into classes, by a comparison
# with a number (`model.predict_proba(X)[:, 1] > 0.3`, `np.where(scores >= 0.3, 1, 0)`) or a call's keyword
# (`binarize(p, threshold=0.3)`); the comparison is kept by its ast class name
THRESHOLD_COMPARISONS: dict[str, str] = {"Gt": ">", "GtE": ">=", "Lt": "<", "LtE": "<="}
THRESHOLD_KEYWORDS: frozenset[str] = frozenset({"threshold", "thresh", "cutoff"})

# What `estimator.score(X, y)` computes, by the estimator's class (the last step's, for a pipeline): scikit-learn's
# classifiers score accuracy (ClassifierMixin), its regressors r2 (RegressorMixin). Exact class names first, then
# the endings below; any other class's score stays `score` (a clusterer's or a search's depends on more than its class).
SCORE_METRIC_BY_ESTIMATOR: dict[str, str] = {
    **{name: "accuracy" for name in (
        "LogisticRegression", "LogisticRegressionCV", "SVC", "LinearSVC", "NuSVC", "GaussianNB", "MultinomialNB",
        "BernoulliNB", "ComplementNB", "CategoricalNB", "Perceptron", "LinearDiscriminantAnalysis",
        "QuadraticDiscriminantAnalysis", "NearestCentroid", "LabelPropagation", "LabelSpreading",
    )},
    **{name: "r2" for name in (
        "LinearRegression", "Ridge", "RidgeCV", "Lasso", "LassoCV", "ElasticNet", "ElasticNetCV", "Lars", "LarsCV",
        "LassoLars", "LassoLarsCV", "LassoLarsIC", "OrthogonalMatchingPursuit", "BayesianRidge", "ARDRegression",
        "SVR", "LinearSVR", "NuSVR", "KernelRidge", "PLSRegression", "IsotonicRegression",
    )},
}
SCORE_METRIC_BY_ENDING: tuple[tuple[str, str], ...] = (("Classifier", "accuracy"), ("Regressor", "r2"))

# sklearn `scoring=` strings that name a negated loss: the score is higher-is-better
NEGATED_PREFIX = "neg_"
CROSS_VALIDATED_PREFIX = "cv_"  # a cross-validation's metric: "cv_" + its scoring ("cv_neg_mse")

# attributes that are a score read off a fitted object (a fit cell that reads one is an experiment)
SCORE_ATTRIBUTES: frozenset[str] = frozenset({
    "best_score_", "oob_score_", "rsquared", "rsquared_adj", "aic", "bic", "llf", "score_",
})

# Lines of a printed sklearn classification_report: the column headers and the summary row labels.
REPORT_COLUMNS = ("precision", "recall", "f1-score", "support")
REPORT_SUMMARY_ROWS = ("accuracy", "macro avg", "weighted avg", "micro avg", "samples avg")
# a printed report's one-number summary: the experiment's primary metric when no evaluate step names another
REPORT_SUMMARY_METRIC = "accuracy"
# a search's cross-validated score on its training data, read off the fitted model (experiment_model.py's model
# metrics): not what a later cell that evaluates the search's predictions measured
SEARCH_SCORE_ATTRIBUTE = "best_score_"
# a model's own score on the rows it was fitted on is another metric than its score on held-out rows
TRAINING_ROWS_PREFIX = "train_"

# calls that seed a random generator: fully qualified name -> the kind recorded
SEED_CALLS: dict[str, str] = {
    "random.seed": "random.seed",
    "numpy.random.seed": "numpy.random.seed",
    "numpy.random.default_rng": "numpy.random.default_rng",
    "numpy.random.RandomState": "numpy.random.RandomState",
    "numpy.random.PCG64": "numpy.random.PCG64",
    "numpy.random.SeedSequence": "numpy.random.SeedSequence",
    "torch.manual_seed": "torch.manual_seed",
    "torch.cuda.manual_seed": "torch.cuda.manual_seed",
    "torch.cuda.manual_seed_all": "torch.cuda.manual_seed_all",
    "tensorflow.random.set_seed": "tensorflow.random.set_seed",
    "tensorflow.set_random_seed": "tensorflow.random.set_seed",
    "tensorflow.keras.utils.set_random_seed": "keras.utils.set_random_seed",
    "keras.utils.set_random_seed": "keras.utils.set_random_seed",
    "transformers.set_seed": "transformers.set_seed",
    "lightning.seed_everything": "lightning.seed_everything",
    "pytorch_lightning.seed_everything": "lightning.seed_everything",
    "lightning.pytorch.seed_everything": "lightning.seed_everything",
    "random.Random": "random.Random",
}
# which global generator a seed call seeds (first part of its kind, unless listed here), and the kinds that build
# a generator object of their own instead (`rng = np.random.default_rng(42)`): reproduce/ reads these to tell a
# seed that later draws depend on from one that only feeds its own object
SEED_FAMILIES: dict[str, str] = {"keras": "tensorflow", "transformers": "torch", "lightning": "torch"}
GENERATOR_KINDS: frozenset[str] = frozenset({
    "numpy.random.default_rng", "numpy.random.RandomState", "numpy.random.PCG64", "numpy.random.SeedSequence",
    "random.Random",
})
# keyword arguments that seed the call they are in
SEED_KEYWORDS: frozenset[str] = frozenset({"random_state", "seed", "random_seed"})
# environment variables that matter for reproducibility: the ONLY ones whose values are ever recorded
REPRODUCIBILITY_ENV_VARS: tuple[str, ...] = ("PYTHONHASHSEED", "CUDA_VISIBLE_DEVICES", "OMP_NUM_THREADS")

# preprocessing ops whose column list is the decision itself: keyed in the feature tree by the variable they make, so
# an edited list is one change of `columns` ("select_columns(X_train).columns: [Lag1, Lag2] -> [Lag1, Lag2, Lag3]"),
# not one selection added and another removed (islr chapter 4, rev20's sklearn-videos 09); other ops stay keyed by
# the columns they work on, which tell two of them in one slice apart
COLUMN_LIST_DECISIONS: frozenset[str] = frozenset({"select_columns", "drop_columns"})

# keyword arguments of a split call that are decisions
SPLIT_KEYWORDS: tuple[str, ...] = ("test_size", "train_size", "random_state", "stratify", "shuffle", "n_splits")

# Where a metric value came from, best first: a metric seen in several places keeps the best source's value.
# A printed classification_report rounds to 2 digits, so a line the user printed wins over it.
SOURCE_RANK: tuple[str, ...] = ("kernel", "execute_result", "output", "classification_report")
# a kernel value of a variable the cell last set inside a loop: one pass's value, not the cell's result (banana's
# SVC over 5 C x 10 seeds kept the last fit's accuracy); ranked as "kernel" (its first word)
KERNEL_LAST_LOOP_PASS = "kernel (the value its loop's last pass left)"
# the module of a class a notebook cell defines, as the kernel qualifies it (`__main__.Majority`) and as the feature
# tree's `model.library` holds it: `show` says "defined in the notebook" (it said "Majority (?)", library unknown)
NOTEBOOK_MODULE = "__main__"
