"""The public functions of the libraries notebooks use beside the ones with op tables of their own (kb.LIBRARIES):
imbalanced-learn, XGBoost, LightGBM, CatBoost, feature-engine and geopandas, decided from their installed API
(bench/kb_coverage.py enumerates them from a scratch venv; none is a project dependency). Their classes are read by the
scikit-learn tables (kb/sklearn.py: samplers, encoders, estimators, composites) and kb/models.py (data containers)."""

from __future__ import annotations

from typing import Optional

# `<package>.<function>` as the installed packages export them -> an op, or None for a function that is deliberately no
# step (set-up, callbacks, a model's conversion), so that a word in its name (`log_evaluation`, `eval_metric`) does not
# decide it: classify/function_calls.py reads this table before its name-based guesses for imported helpers.
LIBRARY_FUNCTION_OPS: dict[str, Optional[str]] = {
    # imbalanced-learn's metrics: scores and reports of predictions against the truth (CONVENTIONS 27: metric calls
    # are evaluate), as scikit-learn's classification_report; `make_index_balanced_accuracy` only wraps a metric
    **{f"imblearn.{name}": "evaluate" for name in (
        "classification_report_imbalanced", "geometric_mean_score", "sensitivity_score", "specificity_score",
        "sensitivity_specificity_support", "macro_averaged_mean_absolute_error")},
    "imblearn.make_index_balanced_accuracy": None,
    # "Turns a dataset into an imbalanced dataset with a specific sampling strategy": rows drawn (CONVENTIONS 30:
    # resampling is `sample`), as the samplers' fit_resample; a packaged data set read
    "imblearn.make_imbalance": "sample",
    "imblearn.fetch_datasets": "load",
    # batches drawn balanced while a Keras / TensorFlow model trains: part of fitting, no step of its own
    "imblearn.balanced_batch_generator": None,
    # its input checks: arguments validated, no data changed
    **{f"imblearn.{name}": None for name in ("check_neighbors_object", "check_sampling_strategy", "check_target_type")},
    # the boosting libraries' own training loops (`bst = xgb.train(params, dtrain, 100)`: what-is-a-step.md, fitting
    # a model is fit_model); CatBoost's posterior sampling trains an ensemble on the data it is given
    **{f"{package}.train": "fit_model" for package in ("xgboost", "lightgbm", "catboost")},
    "catboost.sample_gaussian_process": "fit_model",
    # set-up, callbacks handed to a training loop, a model's configuration or conversion: no data touched
    # (CONVENTIONS 15: constructors of models are no steps)
    **{name: None for name in (
        "xgboost.build_info", "xgboost.config_context", "xgboost.get_config", "xgboost.set_config",
        "lightgbm.early_stopping", "lightgbm.log_evaluation", "lightgbm.record_evaluation", "lightgbm.reset_parameter",
        "lightgbm.register_logger",
        # fitted models blended or relabelled into a new model object: no data is read
        "catboost.sum_models", "catboost.to_classifier", "catboost.to_regressor", "catboost.to_ranker",
        # column-description files, quantisation borders, training options, devices, ONNX export
        "catboost.create_cd", "catboost.read_cd", "catboost.quantize", "catboost.calculate_quantization_grid",
        "catboost.compute_training_options", "catboost.get_gpu_device_count", "catboost.reset_trace_backend",
        "catboost.convert_to_onnx_object",
    )},
    # CatBoost's evaluation helpers: a model's ROC / FPR / FNR curves and confusion matrix on a pool, the threshold
    # chosen by an error rate, a metric of predictions, a Wilcoxon test of two models' scores (CONVENTIONS 27)
    **{f"catboost.{name}": "evaluate" for name in (
        "get_roc_curve", "get_fpr_curve", "get_fnr_curve", "get_confusion_matrix", "select_threshold", "eval_metric",
        "compute_wx_test")},
    # CatBoost's and feature-engine's packaged data sets (`train_df, test_df = catboost.datasets.titanic()`): a load
    **{f"catboost.{name}": "load" for name in (
        "adult", "amazon", "epsilon", "higgs", "imdb", "monotonic1", "monotonic2", "msrank", "msrank_10k",
        "rotten_tomatoes", "titanic")},
    "catboost.set_cache_path": None,
    "feature_engine.load_titanic": "load",
    # geopandas' functions (its frames' methods are pandas'): files and databases read, a grid or geocoded addresses
    # made (sources, what-is-a-step.md); spatial joins and overlays combine two tables' rows (join); clip keeps the
    # rows, and the parts of their shapes, inside a boundary (filter_rows); points built from two coordinate columns
    # are a new column (derive_feature); a file's layers and metadata are answers
    **{f"geopandas.{name}": "load" for name in (
        "read_file", "read_feather", "read_parquet", "read_postgis", "make_grid", "geocode", "reverse_geocode")},
    **{f"geopandas.{name}": "join" for name in ("sjoin", "sjoin_nearest", "overlay")},
    "geopandas.clip": "filter_rows",
    "geopandas.points_from_xy": "derive_feature",
    **{f"geopandas.{name}": None for name in ("read_file_info", "list_layers", "show_versions")},
    # feature-engine's variable handling: lists of column names found or checked (CONVENTIONS 15: column-name lists
    # are no step)
    **{f"feature_engine.{name}": None for name in (
        "check_all_variables", "check_numerical_variables", "check_categorical_variables", "check_datetime_variables",
        "find_all_variables", "find_numerical_variables", "find_categorical_variables", "find_datetime_variables",
        "find_categorical_and_numerical_variables", "retain_variables_if_in_df")},
    # PyFixest 0.60 (`import pyfixest as pf`): fixed-effects, Poisson, GLM and quantile regressions and its
    # difference-in-differences / event-study estimators fit a model from a formula and a frame (`fit =
    # pf.feols("y ~ x | firm + year", data=df)`; what-is-a-step.md: statsmodels `.fit()` is fit_model, and these fit
    # on call); the multiple-testing corrections are p-values of tests (CONVENTIONS 27: statistical tests evaluate); its
    # example data sets are generated (CONVENTIONS 28: synthetic data is a load); the small-sample settings, the
    # printed summaries and the regression / descriptive tables made to be read are no step (CONVENTIONS 27:
    # `.summary()` is not; 15: settings are not)
    **{f"pyfixest.{name}": "fit_model" for name in (
        "feols", "fepois", "feglm", "quantreg", "did2s", "event_study", "lpdid")},
    **{f"pyfixest.{name}": "evaluate" for name in ("bonferroni", "rwolf", "wyoung")},
    **{f"pyfixest.{name}": "load" for name in (
        "get_data", "get_bartik_data", "get_encouragement_data", "get_ivf_data", "get_motherhood_event_study_data",
        "get_twin_data", "get_worker_panel")},
    **{f"pyfixest.{name}": None for name in ("get_ssc", "ssc", "summary", "etable", "dtable")},
}

# Keras' and TensorFlow's data utilities (`keras.utils`, also reached as `tf.keras.utils`; a call is keyed by its
# package and short name, `tensorflow.load_img`), decided from keras 3.15 / tensorflow 2.21's installed API. The
# model-building API (layers that are parts of a model, `model.fit` / `evaluate`) is decided elsewhere.
_KERAS_UTILS_OPS: dict[str, Optional[str]] = {
    # a directory of image / text / audio files read into a data set (what-is-a-step.md: reading files is a load)
    "image_dataset_from_directory": "load", "text_dataset_from_directory": "load",
    "audio_dataset_from_directory": "load", "load_img": "load",
    # "Normalizes a Numpy array" (L2 norm along an axis): scale_normalize, as sklearn's normalize
    "normalize": "scale_normalize",
    # class labels as one-hot rows (CONVENTIONS 20), a data set cut in two parts (what-is-a-step.md: split)
    "to_categorical": "encode_categorical", "split_dataset": "split",
    # sliding windows cut from one array: the data's layout changes (CONVENTIONS 12: "a reshape that changes the
    # data layout ... is reshape")
    "timeseries_dataset_from_array": "reshape",
    # word-id sequences padded / cut to one length: the format of the tokenizer's output, part of the vectorizer's
    # derive_feature (texts_to_sequences, CONVENTIONS 25; test_steps_pass20_kaggle5.py TEXT_TOKENIZERS), no step of its own
    "pad_sequences": None,
    # a URL's file fetched to disk (what-is-a-step.md: reading a URL is a load; base21 gave it load by its name)
    "get_file": "load",
    # an image written out (an export,
    # CONVENTIONS 15), the model's graph drawn, seeds, logging, serialisation, a session reset, tuples of
    # (x, y, weights) packed for a training loop: no data prepared
    **{name: None for name in (
        "save_img", "plot_model", "model_to_dot", "set_random_seed", "clear_session",
        "disable_interactive_logging", "enable_interactive_logging", "is_interactive_logging_enabled",
        "custom_object_scope", "get_custom_objects", "get_registered_name", "get_registered_object",
        "register_keras_serializable", "serialize_keras_object", "deserialize_keras_object", "get_source_inputs",
        "is_keras_tensor", "standardize_dtype", "pack_x_y_sample_weight", "unpack_x_y_sample_weight")},
}
# NLTK's tokenizer functions: a text split into words or sentences (what-is-a-step.md: `str.split` is text_clean);
# whether its model is present is an answer
_NLTK_OPS: dict[str, Optional[str]] = {
    **{name: "text_clean" for name in (
        "word_tokenize", "sent_tokenize", "wordpunct_tokenize", "regexp_tokenize", "casual_tokenize",
        "line_tokenize", "blankline_tokenize", "sexpr_tokenize", "string_span_tokenize", "regexp_span_tokenize")},
    "punkt_model_available": None,
}
LIBRARY_FUNCTION_OPS.update({f"{package}.{name}": op for package in ("keras", "tensorflow")
                             for name, op in _KERAS_UTILS_OPS.items()})
LIBRARY_FUNCTION_OPS.update({f"nltk.{name}": op for name, op in _NLTK_OPS.items()})

# The attributes Keras' directory data sets carry beside their batches (`class_names = train_ds.class_names`,
# `train_ds.file_paths`; tf.data's `element_spec`): the names of the classes and files read, no column picked
# (CONVENTIONS 15: lists of names are no step)
DATA_SET_NAME_ATTRIBUTES: frozenset[str] = frozenset({"class_names", "file_paths", "element_spec"})

# Functions and classes that hand data held already to a library in its own container (`tf.data.Dataset.
# from_tensor_slices((X_train, y_train))`, `TensorDataset(X_t, y_t)`, `img_to_array(img)`): a conversion (CONVENTIONS
# 12; `other` when it is the whole right-hand side assigned to a new name), as `xgb.DMatrix(X, label=y)`. Built from
# literals alone (`from_tensor_slices([1, 2, 3])`) it is data made in code, a load. (`keras.datasets.*` functions,
# `load_data` and `get_word_index`, read packaged files: a load by kb/sources.py DATASET_MODULE_PARTS.)
LIBRARY_CONVERSION_FUNCTIONS: frozenset[str] = frozenset({
    *(f"{package}.{name}" for package in ("keras", "tensorflow")
      for name in ("from_tensor_slices", "from_tensors", "img_to_array", "array_to_img")),
    "torch.TensorDataset",
})

# Keras' ImageDataGenerator (`keras.preprocessing.image`, reached as tf.keras' too; keras 3.15 keeps it), whose methods
# notebooks call on the generator they built: `flow_from_directory(dir)` reads a directory of image files and
# `flow_from_dataframe(df, directory)` the files a frame names (what-is-a-step.md: reading files is a load); `fit(X)`
# computes the feature-wise mean and spread its own transform uses later (CONVENTIONS 25: a preprocessor's `.fit`
# alone is no step; no model is fitted); `flow(X, y)` and the random transforms draw augmented batches while a model
# trains (part of the fit).
IMAGE_GENERATOR_CLASSES: frozenset[str] = frozenset({"ImageDataGenerator"})
# what its readers hand back: an iterator of image batches (`train_gen.class_indices`, `.classes` are its labels' names
# and codes, no columns of a table)
IMAGE_ITERATOR_KIND = "keras.preprocessing.image.DirectoryIterator()"
IMAGE_GENERATOR_METHOD_OPS: dict[str, Optional[str]] = {
    "flow_from_directory": "load", "flow_from_dataframe": "load",
    **{name: None for name in ("fit", "flow", "random_transform", "get_random_transform", "apply_transform")},
}

# Functions of libraries bench/kb_coverage.py does not enumerate that make a frame for generated data: polars-ds' frame of
# `size` rows (`pds.frame(size=1_000_000).select(pds.random(0.0, 12.0).alias("u"), ...)`), the rows random columns are
# drawn into, its documentation's synthetic data (CONVENTIONS 28: a statement that draws random numbers for generated
# data is `load`); its `random*` expressions (below) are the draws of that one load.
GENERATED_FRAME_FUNCTIONS: frozenset[str] = frozenset({"polars_ds.frame"})

# Column expressions that draw random values (polars-ds: `pds.random(0.0, 1.0)`, `pds.random_normal(0, 1)`,
# `random_exp`, `random_int`, `random_str`): in a select / with_columns they are the draws of the data made in code, part of
# its load (CONVENTIONS 28), no feature derived. Prefixes of the function's path.
GENERATED_COLUMN_FUNCTION_PREFIXES: tuple[str, ...] = ("polars_ds.random",)
