"""What a statement does beyond the names it reads and writes: shows something, draws random numbers, writes a
file. Plain data; `reproduce/effects.py` reads it to decide which statements a gathered notebook needs, and
`reproduce/verify.py` to name unseeded randomness as a cause. Which calls SEED a generator is one table of the
experiments' knowledge (`experiments/kb.py` SEED_CALLS), read by both.

Qualified names are dotted import paths as the user's imports resolve them (`np.random.seed` after
`import numpy as np` is `numpy.random.seed`). A prefix ending in "." matches everything under it.
"""

from __future__ import annotations

# Builtins and IPython functions that only show something or compute a value without changing anything.
# A statement made only of these (and of read-only methods, below) changes no value a later cell reads.
NO_EFFECT_FUNCTIONS = frozenset({
    "print", "display", "pprint", "pp", "help", "len", "type", "repr", "str", "int", "float", "bool", "list",
    "tuple", "dict", "set", "frozenset", "sorted", "reversed", "sum", "min", "max", "abs", "round", "any", "all",
    "isinstance", "issubclass", "hasattr", "getattr", "id", "dir", "vars", "hash", "format", "zip", "enumerate",
    "range", "map", "filter", "iter", "ascii", "bin", "hex", "oct", "chr", "ord", "divmod", "pow", "callable",
})

# Modules whose functions only draw, show or tune how things are shown (`plt.show()`, `sns.histplot(df)`,
# `warnings.filterwarnings("ignore")`). Their objects' methods (`ax.set_title`) are plotting too.
DISPLAY_MODULES = frozenset({
    "matplotlib", "seaborn", "plotly", "altair", "bokeh", "missingno", "IPython.display", "IPython.core.display",
    "pprint", "warnings", "folium", "wordcloud", "graphviz", "pandas.plotting", "scikitplot", "yellowbrick",
    "ydata_profiling", "pandas_profiling", "sweetviz", "tqdm", "termcolor", "rich", "tabulate", "logging",
    "time", "gc", "sklearn.tree.plot_tree", "sklearn.metrics.ConfusionMatrixDisplay",
    "sklearn.metrics.RocCurveDisplay", "sklearn.metrics.PrecisionRecallDisplay", "shap.plots",
    "shap.summary_plot", "statsmodels.graphics", "scipy.cluster.hierarchy.dendrogram", "xgboost.plot_importance",
    "lightgbm.plot_importance",
})

# Functions that only change how values are printed (`pd.set_option("display.max_columns", None)` is display;
# `pd.set_option("mode.copy_on_write", True)` changes results and is kept).
DISPLAY_OPTION_FUNCTIONS = frozenset({"pandas.set_option", "pandas.options", "numpy.set_printoptions",
                                      "sklearn.set_config", "polars.Config"})
DISPLAY_OPTION_PREFIXES = ("display.", "styler.", "plotting.")

# Methods that draw (`df.plot(...)`, `df["x"].hist()`, `ax.set_title(...)`); anything chained after `.plot`
# (`df.plot.bar()`) draws too.
PLOTTING_METHODS = frozenset({
    "plot", "hist", "boxplot", "scatter", "bar", "barh", "pie", "kde", "density", "area", "line", "hexbin",
    "show", "savefig", "imshow", "set_title", "set_xlabel", "set_ylabel", "set_xlim", "set_ylim", "set_xticks",
    "set_yticks", "set_xticklabels", "set_yticklabels", "legend", "grid", "axhline", "axvline", "annotate",
    "text", "tight_layout", "suptitle", "colorbar", "set", "set_size_inches", "add_subplot", "twinx",
    "style", "background_gradient", "highlight_max", "highlight_min", "bar_label", "heatmap", "to_html",
    "_repr_html_", "summary",
})

# Methods known to return a value and leave their receiver alone, beyond the library tables (kb.<lib>.METHODS,
# GROUP_REDUCERS, MASK_METHODS, INSPECTION_METHODS) that the statement model also reads.
READ_ONLY_METHODS = frozenset({
    "corr", "cov", "sum", "mean", "median", "mode", "min", "max", "std", "var", "count", "size", "prod",
    "quantile", "skew", "kurt", "kurtosis", "sem", "idxmax", "idxmin", "argmax", "argmin", "argsort", "unique",
    "nunique", "isna", "isnull", "notna", "notnull", "duplicated", "any", "all", "tolist", "to_list", "to_dict",
    "to_numpy", "to_frame", "to_string", "to_markdown", "keys", "values", "items", "get", "copy", "round",
    "abs", "sample", "equals", "isin", "between", "first_valid_index", "last_valid_index", "get_params",
    "score", "predict", "predict_proba", "decision_function", "transform", "inverse_transform", "items",
    "iterrows", "itertuples", "format", "join", "split", "strip", "lower", "upper", "startswith", "endswith",
    "find", "index", "get_feature_names_out", "get_support", "ravel", "flatten", "reshape", "astype", "item",
    "nbytes", "dot", "cumsum", "diff", "pct_change", "rank", "clip", "where", "mask", "value_counts",
    "memory_usage", "info", "describe", "head", "tail", "sort_values", "sort_index", "groupby", "agg",
    "aggregate", "apply", "map", "query", "filter", "select_dtypes", "drop", "dropna", "fillna", "rename",
    "reset_index", "set_index", "merge", "pivot_table", "crosstab", "stack", "unstack", "melt", "explode",
    "nlargest", "nsmallest", "crosstab", "collect", "lazy", "select", "with_columns", "group_by", "schema",
    "estimated_size", "null_count", "glimpse", "n_unique", "__len__", "__repr__",
})

# Calls that write a file; `path_arg` is the position of the path (the first literal string found there or in
# `path` / `path_or_buf` / `fname` / `filename` keywords). A gathered notebook keeps such a statement only when a
# statement it keeps loads the same path.
EXPORT_METHODS = frozenset({
    "to_csv", "to_parquet", "to_excel", "to_json", "to_pickle", "to_feather", "to_hdf", "to_sql", "to_stata",
    "to_orc", "to_xml", "write_csv", "write_parquet", "write_json", "write_ipc", "write_excel", "write_ndjson",
    "savefig", "save_model", "save",
    "write_database", "write_delta", "write_avro", "sink_parquet", "sink_csv", "sink_ipc", "sink_ndjson",
})
EXPORT_FUNCTIONS = frozenset({"joblib.dump", "pickle.dump", "numpy.save", "numpy.savez", "numpy.savetxt",
                              "numpy.savez_compressed", "torch.save"})
PATH_KEYWORDS = ("path", "path_or_buf", "fname", "filename", "file", "f", "filepath")

# Calls that draw from a global generator of that family (prefixes end in ".").
RANDOM_CALLS: dict[str, str] = {
    "numpy.random.": "numpy",
    "random.": "random",
    "torch.rand": "torch",
    "torch.randn": "torch",
    "torch.randint": "torch",
    "torch.randperm": "torch",
    "torch.normal": "torch",
    "torch.bernoulli": "torch",
    "torch.multinomial": "torch",
    "tensorflow.random.": "tensorflow",
}
# Names under those prefixes that draw nothing (they seed, save or build a generator).
NOT_RANDOM = frozenset({"seed", "get_state", "set_state", "default_rng", "RandomState", "Generator", "Random",
                        "SeedSequence", "PCG64", "MT19937", "getstate", "setstate", "set_seed", "BitGenerator"})

# Functions, classes and methods that take `random_state=`: without it (or with None) they draw from
# numpy's global generator. Short names (the last part of the qualified name, or the method name).
RANDOM_STATE_TAKERS = frozenset({
    "train_test_split", "shuffle", "resample", "KFold", "StratifiedKFold", "RepeatedKFold",
    "RepeatedStratifiedKFold", "ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit",
    "RandomizedSearchCV", "HalvingRandomSearchCV", "RandomForestClassifier", "RandomForestRegressor",
    "ExtraTreesClassifier", "ExtraTreesRegressor", "GradientBoostingClassifier", "GradientBoostingRegressor",
    "HistGradientBoostingClassifier", "HistGradientBoostingRegressor", "DecisionTreeClassifier",
    "DecisionTreeRegressor", "SGDClassifier", "SGDRegressor", "MLPClassifier", "MLPRegressor", "KMeans",
    "MiniBatchKMeans", "TSNE", "IsolationForest", "BaggingClassifier", "BaggingRegressor", "AdaBoostClassifier",
    "AdaBoostRegressor", "Perceptron", "make_classification", "make_regression", "make_blobs", "make_moons",
    "make_circles", "SMOTE", "RandomOverSampler", "RandomUnderSampler", "ADASYN", "sample",
    "simulate",  # statsmodels results / state-space models: simulate(..., random_state=None)
})
# Methods whose result comes in no fixed order unless the keyword says so (polars' hash group-by): the same code
# and data can give another frame on every run.
UNORDERED_METHODS: dict[str, str] = {"group_by": "maintain_order", "partition_by": "maintain_order"}

# `KFold(shuffle=False)` (the default) draws nothing: these only draw when shuffle=True.
SHUFFLE_ONLY = frozenset({"KFold", "StratifiedKFold"})

# Estimators that take `random_state=` but draw random numbers only with one of these settings (scikit-learn's
# docs: the liblinear / sag / saga solvers shuffle the rows, `selection="random"` visits coordinates at random,
# `probability=True` runs an internal cross-validation); with their defaults they draw nothing.
RANDOM_ONLY_WITH: dict[str, dict[str, frozenset]] = {
    **{name: {"solver": frozenset({"sag", "saga", "liblinear"})} for name in (
        "LogisticRegression", "LogisticRegressionCV")},
    **{name: {"solver": frozenset({"sag", "saga"})} for name in ("Ridge", "RidgeClassifier")},
    **{name: {"selection": frozenset({"random"})} for name in (
        "Lasso", "ElasticNet", "LassoCV", "ElasticNetCV", "MultiTaskLasso", "MultiTaskElasticNet",
        "MultiTaskLassoCV", "MultiTaskElasticNetCV")},
    **{name: {"probability": frozenset({True})} for name in ("SVC", "NuSVC")},
}
# Model classes that draw no random numbers, whatever their settings: scikit-learn's estimators and transformers
# without randomness, and its composites, which draw only through what they hold (a pipeline's steps, a search's
# estimator and `cv`, each judged on its own). An experiment can say nothing in it draws random numbers only when
# every class its model is made of is here, in RANDOM_ONLY_WITH or in RANDOM_STATE_TAKERS: any other (a Keras
# model, a torch module, PCA, whose "auto" solver turns randomized on large data) leaves it unknown.
DRAW_NOTHING = frozenset({
    "LinearRegression", "RidgeCV", "RidgeClassifierCV", "Lars", "LarsCV", "LassoLarsIC", "OrthogonalMatchingPursuit",
    "BayesianRidge", "ARDRegression", "HuberRegressor", "QuantileRegressor", "PoissonRegressor", "GammaRegressor",
    "TweedieRegressor", "KernelRidge", "PLSRegression", "IsotonicRegression", "KNeighborsClassifier",
    "KNeighborsRegressor", "RadiusNeighborsClassifier", "RadiusNeighborsRegressor", "NearestCentroid", "GaussianNB",
    "MultinomialNB", "BernoulliNB", "ComplementNB", "CategoricalNB", "LinearDiscriminantAnalysis",
    "QuadraticDiscriminantAnalysis", "SVR", "NuSVR", "DBSCAN", "AgglomerativeClustering",
    "StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "Normalizer", "OneHotEncoder", "OrdinalEncoder",
    "LabelEncoder", "LabelBinarizer", "MultiLabelBinarizer", "SimpleImputer", "KNNImputer", "PolynomialFeatures",
    "FunctionTransformer", "PowerTransformer", "Binarizer", "VarianceThreshold", "CountVectorizer", "TfidfVectorizer",
    "TfidfTransformer", "HashingVectorizer", "DictVectorizer",
    "Pipeline", "ColumnTransformer", "FeatureUnion", "TransformedTargetRegressor", "GridSearchCV",
    "VotingClassifier", "VotingRegressor", "MultiOutputRegressor", "MultiOutputClassifier",
})

# IPython line magics (`%name`) by what they do to a replay. Display: they only show or time something.
# Environment: they install packages (a gathered notebook names them in a comment; `trackit env` pins them).
# Python statement: `%time stmt` runs stmt (the gathered cell keeps stmt). Any other magic changes state
# (`%cd`, `%env X=1`, `%run`, `%load_ext sql`) and is kept where IPython can run it.
DISPLAY_MAGICS = frozenset({
    "matplotlib", "config", "who", "whos", "who_ls", "pwd", "ls", "history", "timeit", "pinfo", "pinfo2", "pdoc",
    "pdef", "psource", "pfile", "lsmagic", "magic", "autoreload", "aimport", "precision", "pprint", "xmode",
    "notebook", "prun", "debug", "pdb", "tb", "page", "pycat", "qtconsole", "connect_info", "doctest_mode",
    "colors", "automagic", "autocall", "autosave", "dhist", "bookmark", "alias", "unalias", "reset_selective",
    "watermark", "memit", "mprun", "lprun", "load_ext autoreload", "reload_ext autoreload", "load_ext watermark",
    "load_ext memory_profiler", "load_ext line_profiler", "load_ext tensorboard", "tensorboard", "clear",
})
ENVIRONMENT_MAGICS = frozenset({"pip", "conda", "mamba", "micromamba", "uv"})
PYTHON_STATEMENT_MAGICS = frozenset({"time"})
# Magics that bring names into the namespace that no static analysis can see (`%run -i`, `%store -r`).
OPAQUE_MAGICS = frozenset({"run", "store", "load", "sql", "R", "Rpull", "octave"})

# Shell commands (`!cmd`) by their first word: display-only, and package installers.
DISPLAY_SHELL_COMMANDS = frozenset({
    "ls", "pwd", "cat", "head", "tail", "nvidia-smi", "echo", "wc", "du", "df", "which", "free", "lscpu",
    "nproc", "tree", "file", "whoami", "date", "uname", "hostname", "printenv", "top", "ps", "grep",
})
ENVIRONMENT_SHELL_COMMANDS = frozenset({"pip", "pip3", "conda", "mamba", "micromamba", "apt", "apt-get", "brew",
                                        "uv", "sudo", "yum", "poetry"})
