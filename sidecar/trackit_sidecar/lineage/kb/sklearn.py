"""scikit-learn: what each class does to data, and the module-level functions.

Classes are keyed by their short name: sklearn's public import paths differ from where the
class is defined (`sklearn.preprocessing.StandardScaler` lives in `sklearn.preprocessing._data`).
"""

from __future__ import annotations

from .packaged_data import loaders_of

# transformer class -> the op its fit_transform / transform performs
TRANSFORMERS: dict[str, str] = {
    **{name: "scale_normalize" for name in (
        "StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler", "Normalizer",
        "QuantileTransformer", "PowerTransformer", "KernelCenterer",
    )},
    **{name: "encode_categorical" for name in (
        "OneHotEncoder", "OrdinalEncoder", "LabelEncoder", "LabelBinarizer", "MultiLabelBinarizer",
        "TargetEncoder",
    )},
    # Imputer: sklearn.preprocessing.Imputer, SimpleImputer's name before scikit-learn 0.22 (older notebooks)
    **{name: "impute_missing" for name in ("SimpleImputer", "KNNImputer", "IterativeImputer", "Imputer")},
    # vectorizers, DictVectorizer among them (records of features made a matrix), are derive_feature (CONVENTIONS 25:
    # "PCA, vectorizers and PolynomialFeatures are derive_feature")
    **{name: "derive_feature" for name in (
        "DictVectorizer", "PolynomialFeatures", "KBinsDiscretizer", "Binarizer", "FunctionTransformer", "SplineTransformer",
        "PCA", "TruncatedSVD", "KernelPCA", "NMF", "CountVectorizer", "TfidfVectorizer", "HashingVectorizer",
        "TfidfTransformer", "MissingIndicator",
        # the rest of all_estimators() (bench/kb_coverage.py): hashed features and image patches are features made
        # from the data, as the vectorizers; the cross-decompositions project X onto components, as PCA
        # (CONVENTIONS 25: "PCA, vectorizers and PolynomialFeatures are derive_feature")
        "FeatureHasher", "PatchExtractor", "CCA", "PLSCanonical", "PLSSVD",
    )},
    **{name: "select_columns" for name in (
        "SelectKBest", "SelectPercentile", "VarianceThreshold", "RFE", "RFECV", "SelectFromModel",
    )},
}

# estimator classes: .fit is fit_model. Names not listed still count when they end in a suffix below.
ESTIMATORS: frozenset[str] = frozenset({
    "LogisticRegression", "LinearRegression", "Ridge", "Lasso", "ElasticNet", "SGDClassifier", "SGDRegressor",
    "RandomForestClassifier", "RandomForestRegressor", "GradientBoostingClassifier", "GradientBoostingRegressor",
    "HistGradientBoostingClassifier", "HistGradientBoostingRegressor", "ExtraTreesClassifier",
    "ExtraTreesRegressor", "DecisionTreeClassifier", "DecisionTreeRegressor", "KNeighborsClassifier",
    "KNeighborsRegressor", "SVC", "SVR", "LinearSVC", "LinearSVR", "GaussianNB", "MultinomialNB", "BernoulliNB",
    "KMeans", "MiniBatchKMeans", "DBSCAN", "AgglomerativeClustering", "AdaBoostClassifier", "AdaBoostRegressor",
    "MLPClassifier", "MLPRegressor", "IsolationForest", "LocalOutlierFactor", "DummyClassifier", "DummyRegressor",
    "XGBClassifier", "XGBRegressor", "LGBMClassifier", "LGBMRegressor", "CatBoostClassifier", "CatBoostRegressor",
    # the boosting libraries' other models (rankers, random forests, their base classes; catboost.CatBoost takes its
    # loss as a parameter): fit is fit_model
    "XGBModel", "XGBRanker", "XGBRFClassifier", "XGBRFRegressor", "LGBMModel", "LGBMRanker", "CatBoost",
    "CatBoostRanker", "DaskLGBMRanker",
    # the rest of all_estimators() (bench/kb_coverage.py): models whose fit is fit_model (what-is-a-step.md:
    # "`model.fit` ...: fit_model"): meta-estimators around a classifier, outlier detectors (as IsolationForest),
    # semi-supervised label spreading, and covariance models (a covariance estimated is a fitted model)
    "CalibratedClassifierCV", "ClassifierChain", "RegressorChain", "TunedThresholdClassifierCV", "FrozenEstimator",
    "EllipticEnvelope", "LabelPropagation", "LabelSpreading", "EmpiricalCovariance", "GraphicalLasso",
    "GraphicalLassoCV", "LedoitWolf", "MinCovDet", "OAS", "ShrunkCovariance",
})
ESTIMATOR_SUFFIXES: tuple[str, ...] = ("Classifier", "Regressor", "Regression", "Clustering")
# scikit-learn's modules of models: every class there is an estimator (LassoCV, RidgeCV, ElasticNetCV, NuSVR, ...),
# also when the list above does not name it
ESTIMATOR_MODULES: tuple[str, ...] = tuple(f"sklearn.{module}." for module in (
    "linear_model", "ensemble", "svm", "tree", "neighbors", "naive_bayes", "cluster", "neural_network",
    "discriminant_analysis", "gaussian_process", "kernel_ridge", "mixture", "isotonic",
))

# scikit-learn's modules of transformers: every class there transforms with that op (CONVENTIONS 25: "PCA,
# vectorizers and PolynomialFeatures are derive_feature"; Isomap, FastICA, Nystroem, RBFSampler, SparseRandomProjection,
# SequentialFeatureSelector, ...), also when TRANSFORMERS does not name it. Keyed by the class's import path.
TRANSFORMER_MODULES: dict[str, str] = {
    "sklearn.decomposition.": "derive_feature",
    "sklearn.manifold.": "derive_feature",
    "sklearn.random_projection.": "derive_feature",
    "sklearn.kernel_approximation.": "derive_feature",
    "sklearn.feature_selection.": "select_columns",
    "sklearn.impute.": "impute_missing",
    # ... and the modules of the packages built on its protocol (bench/kb_coverage.py enumerates them): every
    # imbalanced-learn over-, under- and combined sampler draws rows again in fit_resample (CONVENTIONS 30: resampling
    # is `sample`; EditedNearestNeighbours, AllKNN, ClusterCentroids, SMOTEN, ... whose names say no "sampler"), every
    # category_encoders class encodes categories (its wrappers for multi-class targets too, CONVENTIONS 20)
    **{f"imblearn.{module}.": "sample" for module in ("over_sampling", "under_sampling", "combine")},
    "category_encoders.": "encode_categorical",
}

# Transformers that apply the function they are given (`FunctionTransformer(np.log1p)`): their transform takes that
# function's op when a library table knows it (what-is-a-step.md: "`FunctionTransformer(np.log)` applied to a feature
# or a target: scale_normalize"), else TRANSFORMERS' op.
FUNCTION_WRAPPERS: frozenset[str] = frozenset({"FunctionTransformer"})

# A preprocessor class of a package outside these tables (a repository's own `dc.DiscretizeByDecisionTree`,
# `encoding.MeanEncoding`, category_encoders' `WOEEncoder`) says what its transform does by its name: the scikit-learn
# protocol then applies (CONVENTIONS 25: its `.fit` alone is no step, `.transform` takes its op). Matched against the
# class name split into words (camelCase -> snake_case); an auto_encoder is a model, not an encoder of categories.
TRANSFORMER_NAME_OPS: tuple[tuple[str, str], ...] = (
    (r"(^|_)(discreti[sz]e|discreti[sz]er|discreti[sz]ation|binner)(_|$)", "derive_feature"),
    (r"(^|(?<!auto)_)(encoder|encoding)(_|$)", "encode_categorical"),
    (r"(^|_)imputer(_|$)", "impute_missing"),
    (r"(^|_)scaler(_|$)", "scale_normalize"),
    # imbalanced-learn's resamplers (SMOTE, ADASYN, RandomOverSampler, NearMiss, TomekLinks, SMOTEENN): their
    # fit_resample draws rows again (CONVENTIONS 30: resampling is `sample`)
    (r"(^|_)(sampler|smote|smoteenn|smotetomek|smotenc|adasyn|near_miss|tomek_links|borderline_smote|svmsmote)(_|$)",
     "sample"),
)

# The resampling method of imbalanced-learn's samplers: `fit_resample`, and `fit_sample`, its name before
# imbalanced-learn 0.8 (renamed there; older notebooks call `SMOTE().fit_sample(X, y)`): the sampler's op (sample)
RESAMPLING_METHODS: frozenset[str] = frozenset({"fit_resample", "fit_sample"})

# classes that hold other estimators: their components are flattened in order
COMPOSITES: dict[str, str] = {
    "Pipeline": "pipeline",
    "make_pipeline": "pipeline",
    "ColumnTransformer": "column_transformer",
    "make_column_transformer": "column_transformer",
    "FeatureUnion": "union",
    "make_union": "union",
    "GridSearchCV": "search",
    "RandomizedSearchCV": "search",
    "HalvingGridSearchCV": "search",
    "HalvingRandomSearchCV": "search",
    "TransformedTargetRegressor": "search",
    # feature-engine's wrapper of a scikit-learn transformer applied to some columns
    # (`SklearnTransformerWrapper(transformer=StandardScaler(), variables=["a"])`): its transform is the wrapped one's
    "SklearnTransformerWrapper": "wrapper",
}

# Modules outside scikit-learn whose composites are scikit-learn's, read as COMPOSITES are: imbalanced-learn's
# `imblearn.pipeline.Pipeline` / `make_pipeline` ("Pipeline of transforms and resamples with a final estimator", its
# API reference) chain a resampler before the model and are fitted as one; feature-engine's pipeline is imbalanced-learn's,
# its wrapper holds one scikit-learn transformer
COMPOSITE_MODULES: tuple[str, ...] = ("imblearn.pipeline.", "feature_engine.pipeline.", "feature_engine.wrappers.")

# cross-validation splitters: their .split(X, y) splits
SPLITTERS: frozenset[str] = frozenset({
    "KFold", "StratifiedKFold", "GroupKFold", "TimeSeriesSplit", "ShuffleSplit", "StratifiedShuffleSplit",
    "RepeatedKFold", "RepeatedStratifiedKFold", "LeaveOneOut",
    "InstanceHardnessCV",  # imbalanced-learn's: folds that spread the hard samples evenly
})

# Cross-validation: the estimator, the data, then `cv` and `scoring` (experiments/features.py reads them as decisions).
CROSS_VALIDATION_FUNCTIONS: frozenset[str] = frozenset({"cross_val_score", "cross_validate", "cross_val_predict"})
# Calls that fit their model on some folds of the data they are given and score or predict it on the others
# (Step.cross_validated): the functions, and the classes whose `fit` does (a search, an estimator tuned by its own
# cross-validation). Data preprocessed on every row before them put each fold's test rows in what was learned
# (lineage/leakage.py).
FOLD_SCORING_FUNCTIONS: frozenset[str] = CROSS_VALIDATION_FUNCTIONS | frozenset({
    "learning_curve", "validation_curve", "permutation_test_score",
})
CROSS_VALIDATING_CLASSES: frozenset[str] = frozenset({
    "GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV",
    "LogisticRegressionCV", "RidgeCV", "RidgeClassifierCV", "LassoCV", "ElasticNetCV", "LarsCV", "LassoLarsCV",
    "MultiTaskLassoCV", "MultiTaskElasticNetCV", "OrthogonalMatchingPursuitCV", "RFECV",
})
# Functions handed the estimator first, which they fit and score or predict with themselves
# (`cross_val_score(knn, X, y)`): that argument is the step's model, the rest its data.
ESTIMATOR_FIRST_FUNCTIONS: frozenset[str] = CROSS_VALIDATION_FUNCTIONS | frozenset({
    "learning_curve", "validation_curve", "permutation_importance", "permutation_test_score",
})

FUNCTIONS: dict[str, str | None] = {
    "train_test_split": "split",
    "cross_val_score": "evaluate",
    "cross_validate": "evaluate",
    "cross_val_predict": "predict",
    "learning_curve": "evaluate",
    "validation_curve": "evaluate",
    "permutation_importance": "evaluate",
    # the model's cross-validated score, the scores with the target permuted, and the test's p-value (its API
    # reference: "Evaluate the significance of a cross-validated score with permutations"): CV results and a
    # statistical test, evaluate (CONVENTIONS 27)
    "permutation_test_score": "evaluate",
    "mutual_info_classif": "evaluate",  # CONVENTIONS 27: mutual information
    "mutual_info_regression": "evaluate",
    "f_classif": "evaluate",
    "f_regression": "evaluate",
    "chi2": "evaluate",
    **{name: "evaluate" for name in (
        "accuracy_score", "balanced_accuracy_score", "precision_score", "recall_score", "f1_score", "fbeta_score",
        "roc_auc_score", "average_precision_score", "log_loss", "mean_squared_error", "root_mean_squared_error",
        "mean_absolute_error", "mean_absolute_percentage_error", "median_absolute_error", "r2_score",
        "explained_variance_score", "classification_report", "confusion_matrix", "roc_curve",
        "precision_recall_curve", "silhouette_score", "matthews_corrcoef", "cohen_kappa_score",
        "precision_recall_fscore_support",
        # the area under a curve computed by roc_curve, and the other sklearn.metrics scores and losses
        "auc", "det_curve", "hamming_loss", "jaccard_score", "zero_one_loss", "hinge_loss", "brier_score_loss",
        "max_error", "mean_squared_log_error", "root_mean_squared_log_error", "top_k_accuracy_score",
        "d2_absolute_error_score", "mean_poisson_deviance", "mean_gamma_deviance", "mean_tweedie_deviance",
        "adjusted_rand_score", "rand_score", "v_measure_score", "homogeneity_score", "completeness_score",
        "normalized_mutual_info_score", "adjusted_mutual_info_score", "calinski_harabasz_score",
        "davies_bouldin_score", "silhouette_samples", "ndcg_score", "dcg_score",
    )},
    "resample": "sample",
    "shuffle": "sample",
    "scale": "scale_normalize",
    "normalize": "scale_normalize",
    "minmax_scale": "scale_normalize",
    "robust_scale": "scale_normalize",
    "label_binarize": "encode_categorical",
    "binarize": "derive_feature",  # 0/1 of a numeric condition (CONVENTIONS 20); of probabilities, see below
    # --- the rest of sklearn's public functions (bench/kb_coverage.py), by the definition
    # the function forms of the scalers (CONVENTIONS 23: scalers are scale_normalize), as scale / minmax_scale
    **{name: "scale_normalize" for name in ("maxabs_scale", "power_transform", "quantile_transform")},
    # a column of ones (CONVENTIONS 13: "Adding a column of ones ... is derive_feature")
    "add_dummy_feature": "derive_feature",
    # distances / kernels between the rows: a matrix computed from the data (a feature for clustering or kNN)
    **{name: "derive_feature" for name in ("euclidean_distances", "nan_euclidean_distances", "pairwise_distances",
                                           "pairwise_kernels", "pairwise_distances_chunked")},
    # each row's nearest centre: an assignment, as KMeans' predict
    **{name: "predict" for name in ("pairwise_distances_argmin", "pairwise_distances_argmin_min")},
    # feature scores and metrics (CONVENTIONS 27: mutual information, statistical tests; metric calls: evaluate)
    **{name: "evaluate" for name in ("r_regression", "f_oneway", "class_likelihood_ratios",
                                     "confusion_matrix_at_thresholds", "metric_at_thresholds",
                                     "homogeneity_completeness_v_measure")},
}

# sklearn.metrics' scores, errors, losses and curves: every function there named so is a metric call, evaluate
# (CONVENTIONS 27), also when FUNCTIONS does not name it (mean_pinball_loss, d2_tweedie_score, ...); its pairwise
# distances and kernels are not metrics of a model.
METRIC_MODULE = "sklearn.metrics."
METRIC_NAME = r"_(score|scores|error|loss|deviance|curve|report|matrix)$"
# Functions that threshold values: given a model's predicted probabilities they turn them into classes, a prediction
# (CONVENTIONS 26: "thresholding probabilities" is predict), as `proba > 0.3` does.
THRESHOLD_FUNCTIONS: frozenset[str] = frozenset({"binarize"})
# module functions recognised by prefix: load_iris, fetch_openml, make_classification (packaged_data.py's table)
FUNCTION_PREFIXES: dict[str, str] = {prefix: "load" for prefix in loaders_of("sklearn.datasets")}
# lower-case functions that build an object, not data, despite a prefix above (CONVENTIONS 15: constructors of
# models, splitters, pipelines and searches are no steps): `make_scorer(mean_absolute_error)`
CONSTRUCTOR_FUNCTIONS: frozenset[str] = frozenset({"make_scorer", "make_column_selector"})

# methods on fitted objects; fit / fit_transform / transform depend on the class (steps.py)
# Fits made a batch of rows at a time (`SGDClassifier().partial_fit(X, y, classes=[0, 1])`, MiniBatchKMeans,
# IncrementalPCA, a scaler's partial_fit): read as `fit` is, fit_model for a model (what-is-a-step.md: "`model.fit`
# ...: fit_model") and no step for a preprocessor (CONVENTIONS 25: "`.fit` alone is not a step").
INCREMENTAL_FIT_METHODS: frozenset[str] = frozenset({"partial_fit"})
METHODS: dict[str, str | None] = {
    "predict": "predict",
    "predict_proba": "predict",
    "predict_log_proba": "predict",
    "decision_function": "predict",
    "fit_predict": "fit_model",
    "score": "evaluate",
    "score_samples": "predict",
    "inverse_transform": "other",
    "get_feature_names_out": None,
    "get_params": None,
}
# Models whose own `transform` (not their fit) makes data: the op of `km.transform(X)` / `KMeans(3).fit(X).transform(X)`.
# k-means' transform gives each row's distance to each cluster centre, a new feature table, as the pairwise distances
# in FUNCTIONS (derive_feature); linear discriminant analysis projects the rows onto its discriminant axes, as PCA
# does (CONVENTIONS 25: "PCA, vectorizers and PolynomialFeatures are derive_feature"). A model's `fit_transform` is
# not read here.
MODEL_TRANSFORMS: dict[str, str] = {
    **{name: "derive_feature" for name in ("KMeans", "MiniBatchKMeans", "BisectingKMeans", "LinearDiscriminantAnalysis")},
}
# Methods that configure an estimator and return the estimator itself (scikit-learn's `set_params`, `set_output` of
# the set_output API, the metadata-routing `set_*_request`): `StandardScaler().set_output(transform="pandas")` is still
# a StandardScaler, and what is then called on it is read as on the class (its fit_transform scales). No step of its
# own: configuring is no transformation (what-is-a-step.md).
RETURNS_ITSELF: frozenset[str] = frozenset({
    "set_params", "set_output", "set_fit_request", "set_partial_fit_request", "set_predict_request",
    "set_predict_proba_request", "set_transform_request", "set_score_request", "set_split_request",
})

# What a fitted search holds that is itself a fitted model (the best candidate refitted on all the data given):
# `best = GridSearchCV(...).fit(X, y).best_estimator_` keeps a fitted model, where a fit chained into any other
# method or attribute (`.predict(X)`, `.score(X, y)`, `.coef_`) keeps only what that gives (classify/chained_fits.py).
FITTED_MODEL_ATTRIBUTES: frozenset[str] = frozenset({"best_estimator_"})

# What a fitted transformer or model calls its columns: reading them gives column labels, not data (CONVENTIONS 15).
FEATURE_NAME_METHODS: frozenset[str] = frozenset({"get_feature_names_out", "get_feature_names"})
FEATURE_NAME_ATTRIBUTES: frozenset[str] = frozenset({"feature_names_in_", "feature_names_"})
# Attributes of a pipeline, column transformer or ensemble that hold its parts by name or position
# (`pre.named_transformers_["cat"]`, `pipe.named_steps["model"]`): a part picked from them is an estimator, not
# columns of data (CONVENTIONS 15: constructors of models and pipelines are no steps, nor is naming their parts).
PART_ATTRIBUTES: frozenset[str] = frozenset({
    "named_steps", "named_transformers_", "named_estimators_", "named_estimators", "steps", "transformers_",
    "transformers", "estimators_", "estimators",
})
