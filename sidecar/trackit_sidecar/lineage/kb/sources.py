"""Where data comes from when it is not read from a file (what-is-a-step.md, "Sources are steps": data built
in code from literals, synthetic data, packaged data sets), and the calls that only repackage data that exists
(CONVENTIONS 11-13: copies and container conversions are not steps of their own)."""

from __future__ import annotations

from .packaged_data import PACKAGED_DATA_SETS

# Constructors that build a table or an array from what they are given, per library. From literals only: a
# `load`; wrapping ONE existing object: a conversion; two or more existing objects side by side: a `concat`.
CONSTRUCTORS: dict[str, frozenset[str]] = {
    # pd.DataFrame.from_dict({...}) / from_records([...]): the DataFrame constructor's other spellings
    # json_normalize: a frame of (nested) records, as pd.DataFrame(records) (its flattening is how the frame is made)
    "pandas": frozenset({"DataFrame", "Series", "from_dict", "from_records", "json_normalize"}),
    "polars": frozenset({"DataFrame", "Series", "LazyFrame", "from_dict", "from_dicts", "from_records",
                         "json_normalize"}),
    "numpy": frozenset({"array", "matrix"}),
}
# Constructors that make values from what is written in the code (`pd.Categorical(["a", "b"])`, `pd.Series([1, 2])`,
# `np.array([1, 2])`), per library: attached to existing data as a column they derive, as a written list does
# (CONVENTIONS 19), rather than start a new root of the lineage.
CODE_VALUE_CONSTRUCTORS: dict[str, frozenset[str]] = {
    "pandas": frozenset({"Series", "Categorical", "array"}),
    "numpy": frozenset({"array", "asarray"}),
    "polars": frozenset({"Series"}),
}
# Calls that put existing arrays side by side into one table (CONVENTIONS 13): a `concat` when assigned or shown, not a
# step when they only package the argument of a model's method (`model.predict(np.c_[xx.ravel(), yy.ravel()])`).
SIDE_BY_SIDE: frozenset[str] = frozenset({"DataFrame", "Series", "array", "c_", "column_stack", "hstack"})

# Methods that give a column's distinct values (`s.unique()`): an answer when shown, but wrapped in a table
# constructor (`pd.DataFrame(s.unique())`) the table of distinct values the analysis goes on with.
DISTINCT_VALUES_METHODS: frozenset[str] = frozenset({"unique"})

# Keyword arguments that hand a call its data (`fit(X=..., y=...)`, `sm.OLS(endog=..., exog=...)`); values handed by
# any other keyword configure the call (`learning_curve(..., train_sizes=grid)`, `theta=np.zeros(3)`): not data.
DATA_KEYWORDS: frozenset[str] = frozenset({"X", "y", "x", "data", "values", "endog", "exog", "df", "frame", "a", "arr"})
# Builtins a loop walks a sequence through, one item at a time, as it would walk the sequence itself
# (`for i, d in enumerate(grid)` walks `grid` as `for d in grid` does).
WALKING_BUILTINS: frozenset[str] = frozenset({"enumerate", "zip", "reversed", "sorted", "list", "tuple"})

# Keyword arguments of a constructor that hold its data (index=, columns=, dtype= only label or type it).
CONSTRUCTOR_DATA_KEYWORDS: frozenset[str] = frozenset({"data", "values"})

# NumPy functions that generate an array from numbers: grids (arange, linspace) and filled arrays (zeros, ones).
# Made from literals they are data built in code (`load`). A grid over the data's range is a `load` too (CONVENTIONS
# 28: a grid fed to predict); an array filled to a shape taken from other data is an accumulator, not a step
# (CONVENTIONS 15), and so is a grid around a fitted model's parameters.
GRID_GENERATORS: frozenset[str] = frozenset({"arange", "linspace", "logspace", "geomspace", "meshgrid", "mgrid"})
FILLED_GENERATORS: frozenset[str] = frozenset({"zeros", "ones", "empty", "full", "eye", "identity", "tri"})
# NumPy functions that repeat the values they are given (`np.repeat(False, n)`, `np.repeat([0, 1], [n_neg, n_pos])`,
# `np.tile([1, 2], 5)`): values written in the code, repeated, are data built in code (`load`), as `[10] * 3` is
# (what-is-a-step.md: "data created in code ... from literals, lists"); repeating existing data is not generating it.
REPEATING_FUNCTIONS: frozenset[str] = frozenset({"repeat", "tile"})

# Names that say an array holds parameters, not data (CONVENTIONS 15: initial theta, true beta, portfolio weights,
# initial centroids, hyper-parameter grids); `bins = np.arange(0, 100, 10)`, the edges of a cut or histogram; `ar =
# np.array([1, -0.5])`, `maparams`, an ARMA process's coefficients (as statsmodels' docs name them); `test_w = np.array([0.2,
# 0.2])`, `tmp_w`: an exercise's trial weights.
PARAMETER_NAME = (r"^(initial_\w+|init_\w+|\w+_init|\w+_initial|true_\w+|w|weights?|alphas?|lambdas?|lams?|params?|param_grid|"
                  r"parameters|coefs?|centroids?|k_values|ks|n_\w+|thresholds?|cs|gammas?|depths?|"
                  r"learning_rates?|max_depths?|n_estimators|grid|degrees?|train_sizes|param_range|bins|bin_edges|"
                  r"ar\d*|ma\d*|arparams|maparams|(test|tmp|temp)_(w|b|weights?|params?))$|"
                  r"(^|_)(theta\d*|beta|betas)($|_|\d)")
# Methods and NumPy functions that keep an array's values (reshaped, rounded, made positive): a model's parameters
# read through them are still its parameters (CONVENTIONS 27).
SAME_VALUES_METHODS: frozenset[str] = frozenset({"ravel", "flatten", "squeeze", "copy", "tolist", "round"})
# An existing array given a dtype by these (`np.array(X, dtype=np.float32)`, `np.asarray(x, dtype=float)`): the same
# values in another type, a type_cast (CONVENTIONS 21; NumPy: "array(object, dtype)"), not only repackaged
# (CONVENTIONS 12); values written in the code with a dtype stay the load that makes them.
DTYPE_CONVERSIONS: dict[str, frozenset[str]] = {"numpy": frozenset({"array", "asarray"})}
SAME_VALUES_FUNCTIONS: frozenset[str] = frozenset({"abs", "absolute", "round", "ravel", "squeeze", "asarray", "array"})
# Functions that read data whatever library they come from (scipy.io.loadmat, matplotlib.image.imread, ...).
LOADER_FUNCTIONS: frozenset[str] = frozenset({"loadmat", "imread", "load_npz", "read_file", "read_image",
                                              "load_workbook", "read_sas7bdat",
                                              # scipy.io.arff.loadarff(path); xarray's readers of netCDF / Zarr files
                                              "loadarff", "open_dataset", "open_mfdataset", "open_dataarray",
                                              "open_zarr"})

# A function the notebook does not define (imported from a course's or project's own module, `from utils import *`)
# named for loading data (`load_data()`, `read_dataset(path)`, `get_data()`): a black box whose call reads the data
# (CONVENTIONS 4b; what-is-a-step.md: "Every root of the data lineage is a `load`"). A model's or a setting's loader
# (`load_model`, `load_config`) is not data (CONVENTIONS 15).
IMPORTED_LOADER_NAME = (r"^(load|read|fetch|get|import)_?(raw_?)?(data|dataset|datasets|df|dataframe|frame|table|csv|"
                        r"excel|json|file|files|image|images|text|corpus)(_\w+)?$"  # load_data_multi(), read_data_2d()
                        # the project's loaders module (BuzzFeed News' `loaders.load_employers()`): load_ / read_
                        # anything but a fitted object (loading a model is no step, CONVENTIONS 15)
                        r"|^(load|read)_(?!(model|models|weights|checkpoint|state|config|params|pipeline|encoder|"
                        r"scaler|vectorizer|tokenizer|embeddings?|estimator|classifier|regressor)(_|$))[a-z]\w*$"
                        # a data set imported by the project's reader (`ut.import_transformed_data(path)`,
                        # `import_raw_data()`, `import_survey_tables(path)`); not `import_module` /
                        # `import_module_from_path` (Python's import machinery) nor `import_config`: no data named
                        r"|^import_(\w+_)?(data|dataset|datasets|df|dfs|dataframe|dataframes|frame|frames|table|"
                        r"tables|csv|excel|file|files|survey|records|datadict|data_dict|codebook)$")
# Methods of objects a notebook already holds whose names read like a loader's but give a part of that object:
# BeautifulSoup's `tag.get_text()` is the text of an element of a page fetched and parsed before (the fetch, where the
# page is read, is the load; what-is-a-step.md: "reading a file, table, URL or database"), not a read of its own.
HELD_OBJECT_GETTERS = frozenset({"get_text"})

# An object of a class the notebook does not define (its project's own module: `from heart_disease.data import Data`)
# built from a data file or a database (`Data(filename)`, `Properties(sql_engine=engine, sql_conn=conn)`): a black box
# whose construction reads the data (CONVENTIONS 4b; what-is-a-step.md: "reading a file, table, URL or database" is a
# `load`). The file is handed over by a variable bound to a path with a data file's extension (a model's `.h5` /
# `.pkl` is no data, CONVENTIONS 15), or by a parameter or variable named for a file; Python's standard library (`pathlib.Path("x.csv")`) and the
# database libraries' own classes (`sqlalchemy.MetaData(engine)`) only point at the source.
DATA_FILE_PATH = r"\.(csv|tsv|txt|dat|data|xlsx?|json|jsonl|parquet|feather|sqlite3?|db|arff|sav|dta)(\.(gz|zip|bz2))?$"
FILE_ARGUMENT_NAME = r"^(file_?name|file_?path|data_?(file|path)|csv_?(file|path)|path_?to_?(data|file|csv)\w*)$"

# Libraries whose every function reads a table from a web service (`web.DataReader("GS", "yahoo")`,
# `pdr.get_data_fred("GDP")`): what-is-a-step.md, "reading a file, table, URL or database" is a `load`.
REMOTE_TABLE_LIBRARIES: frozenset[str] = frozenset({"pandas_datareader", "yfinance"})

# Packaged data sets: a function of one of these modules (or named like a loader there) returns data (`load`).
DATASET_MODULE_PARTS: frozenset[str] = frozenset({"datasets", "data"})
DATASET_FUNCTION_PREFIXES: tuple[str, ...] = ("load_", "fetch_", "get_rdataset", "load", "make_")
# Libraries whose top-level `load_*` / `make_*` functions return data sets: those of packaged_data.py's table.
DATASET_LIBRARIES: frozenset[str] = frozenset(loader.split(".")[0] for loader in PACKAGED_DATA_SETS)

# Random draws: a statement that draws random numbers for generated data is a `load` (CONVENTIONS 28); the draw
# methods of a NumPy Generator (`rng = np.random.default_rng(0)`) and of `np.random`.
# Lower-case library functions that hand back a runtime object, not data (what-is-a-step.md: setting up the machine a
# model trains on is no step; CONVENTIONS 15: settings are no steps): `strategy = tf.distribute.get_strategy()`, the
# fallback of Kaggle's TPU set-up cell; its attributes (`REPLICAS = strategy.num_replicas_in_sync`) are no columns,
# as those of `tf.distribute.MirroredStrategy()` are not.
# Not the same fact as classify/env_markers.py's SETTINGS_CLASS: this is library API knowledge (which lower-case calls are
# constructors in effect, as a capitalised class is), that is learnt from the notebook's own code (a class it defines
# with no methods but dunders). Both make an instance of a class outside the data libraries, and one reader decides
# that its attributes are no columns (ExpressionRules.name / _is_data), so neither table repeats the other.
RUNTIME_OBJECT_FUNCTIONS: frozenset[str] = frozenset({"tensorflow.distribute.get_strategy"})

# Modules whose attributes are numbers the library writes down (`math.pi`, `scipy.constants.Boltzmann`), and their
# look-ups by name (`const.value("Bohr magneton")`): a constant bound to a name is a setting, not data, so arithmetic
# on it is arithmetic on numbers (CONVENTIONS 27: "arithmetic on literal numbers" is no step).
CONSTANT_MODULES: frozenset[str] = frozenset({"math", "cmath", "scipy.constants"})
CONSTANT_LOOKUPS: frozenset[str] = frozenset({"value"})
# Draws of values out of given ones (`np.random.choice(observed, size=n)`, `rng.choice(a)`): a fill drawn so is a
# random imputation (classify/absorbed_parameters._absorb_fill_values).
DRAWS_FROM_VALUES: frozenset[str] = frozenset({"choice", "permutation", "sample"})
RANDOM_DRAWS: frozenset[str] = frozenset({
    "rand", "randn", "randint", "random", "random_sample", "ranf", "sample", "integers", "normal", "uniform",
    "standard_normal", "standard_t", "standard_exponential", "standard_gamma", "standard_cauchy", "binomial",
    "poisson", "exponential", "beta", "gamma", "multivariate_normal", "lognormal", "chisquare", "laplace",
    "logistic", "geometric", "multinomial", "dirichlet", "weibull", "f", "negative_binomial", "triangular",
    "vonmises", "power", "pareto", "rayleigh", "wald", "zipf", "hypergeometric", "rvs",
})
# Draws of a series simulated from a process (statsmodels' `ArmaProcess(ar, ma).generate_sample(nsample=n)`,
# `arma_generate_sample(ar, ma, n)`): random data as NumPy's draws are, worded so (statement_forms.random_draw); their
# op is the table's (kb/statsmodels.py: load, CONVENTIONS 28). Without, "Loaded `ArmaProcess` into `AR2_process`".
SIMULATED_SAMPLES: frozenset[str] = frozenset({"generate_sample", "arma_generate_sample"})
RANDOM_GENERATOR_FACTORIES: frozenset[str] = frozenset({"default_rng", "RandomState", "Generator"})
# Draws of whole numbers (`np.random.randint(0, len(neg), size=10000)`, `rng.integers(len(df), size=n)`): bounded above
# by the size of data (`len(x)`, `x.shape[0]`, `x.size`) they are positions of its rows, drawn to resample it (a
# bootstrap: CONVENTIONS 30, `sample`), not values made up (a `load`, CONVENTIONS 28): classify/drawn_positions.py.
POSITION_DRAWS: frozenset[str] = frozenset({"randint", "integers", "random_integers"})
# ... and how a draw's upper bound is named (NumPy's `high`; `randint(high)` alone, or `randint(low, high)` by position)
POSITION_DRAW_BOUNDS: frozenset[str] = frozenset({"high"})
# Pieces of text that name a file or a generated feature, not data (classify/file_names.py): a path's folder or a data
# file's extension (`"Data/"`, `".xlsx"`, `"../data/train.csv"`) and the prefix a ColumnTransformer puts before each
# output feature's name (`"num__"`, `"cat__"`: the transformer's name and a double underscore).
NAME_TEXT_PIECE = r"\w[/\\]|[/\\]\w|^\.(csv|tsv|txt|xlsx?|json|parquet|feather|pkl|pickle|h5|npy|npz|png|jpe?g|pdf)$|^\w+__$"
# str methods a file's or a feature's name is cut or put together with
PLAIN_STRING_METHODS: frozenset[str] = frozenset({
    "replace", "strip", "lstrip", "rstrip", "split", "rsplit", "lower", "upper", "removeprefix", "removesuffix",
    "format", "join", "title", "capitalize",
})
# Python's own `random` module draws numbers as NumPy does (`random.gauss(0, 1)`, `random.randint(1000, 50000)`,
# `random.choice(["iOS", "Android"])`): generated data, a `load` (CONVENTIONS 28). Its `sample` / `shuffle` pick or
# reorder what they are given, and `choice` of data picks from it: those are no draws of values.
STDLIB_RANDOM_DRAWS: frozenset[str] = frozenset({
    "random", "uniform", "randint", "randrange", "gauss", "normalvariate", "lognormvariate", "expovariate",
    "triangular", "betavariate", "gammavariate", "paretovariate", "weibullvariate", "vonmisesvariate", "getrandbits",
})
# Builtins that keep a number's value, cast or rounded: `int(impressions * np.random.uniform(0.01, 0.15))`,
# `round(x * random.uniform(0.5, 2.5), 2)` are still the drawn values (CONVENTIONS 28), not an answer about data.
VALUE_KEEPING_BUILTINS: frozenset[str] = frozenset({"int", "float", "round", "abs"})

# Calls that only repackage data that exists (CONVENTIONS 12): `other` when the conversion is the whole
# right-hand side assigned to a new name, otherwise no step.
CONVERSION_METHODS: frozenset[str] = frozenset({
    "copy", "clone", "to_numpy", "to_frame", "to_dict", "to_list", "tolist", "to_pandas", "to_arrow", "lazy",
    "collect", "ravel", "flatten", "as_matrix", "to_series", "to_dicts", "squeeze", "todense", "toarray",
})
# (`frame`: a packaged data set's table, `load_iris(as_frame=True).frame`)
CONVERSION_ATTRIBUTES: frozenset[str] = frozenset({"values", "A", "frame"})
# Transposes: a table turned on its side is a `reshape` when it is the whole right-hand side assigned to a new name;
# inside arithmetic (`X.T @ X`), shown, or unpacked (`x, y = arr.T`) it only turns the data around.
TRANSPOSES: frozenset[str] = frozenset({"T", "transpose", "swapaxes", "moveaxis"})
# NumPy makers that put their pieces in rows: `np.array((values, counts)).T`, `np.vstack((a, b)).T` stack them as
# columns, what `np.column_stack((values, counts))` does, so the transpose is part of that concat (CONVENTIONS 13),
# not a layout changed afterwards (the tuning labels: mouselab-scarcity__preprocessing 46); a pandas table built and
# then turned on its side (`pd.DataFrame([a, b]).transpose()`) stays a reshape.
ROW_STACKING_CONSTRUCTORS: frozenset[str] = frozenset({"array", "asarray", "asanyarray", "vstack", "row_stack"})
# Python's own containers made of one array (`list(arr)`, `tuple(arr)`): the values repackaged, as `arr.tolist()` is
# (CONVENTIONS 12); of a frame, `list(df)` is its column labels (CONVENTIONS 15), no conversion.
CONVERSION_BUILTINS: frozenset[str] = frozenset({"list", "tuple"})
# Conversions that make the array the library's constructor makes (`np.asarray(x)` is `np.array(x, copy=False)`): of ONE
# existing object they convert it (CONVENTIONS 12), but handed values written in the code (`np.asarray([1, 2, 3])`, a
# name bound to `(63, 1, 3, 145)`) or several arrays side by side (`np.asarray((values, counts))`) they build what
# `np.array` builds from the same argument: data made in code (a load) or a concat (CONVENTIONS 13).
ARRAY_MAKING_CONVERSIONS: dict[str, frozenset[str]] = {"numpy": frozenset({"asarray", "asanyarray"})}
CONVERSION_FUNCTIONS: dict[str, frozenset[str]] = {
    "numpy": frozenset({"asarray", "asmatrix", "ravel", "squeeze", "atleast_2d", "asanyarray", "copy"}),
    "polars": frozenset({"from_pandas", "from_numpy", "from_arrow"}),
    "pandas": frozenset(),
    # scipy.sparse's matrices and arrays of an array held already (`csr_matrix(X)`; scipy's docs: "csr_matrix(D) where D
    # is a 2-D ndarray", "with another sparse array or matrix S (equivalent to S.tocsr())"): the same values in a sparse
    # container, as `S.tocsr()` is
    "scipy": frozenset(f"{kind}_{container}" for kind in ("csr", "csc", "coo", "lil", "dok", "bsr", "dia")
                       for container in ("matrix", "array")),
}

# Methods whose function argument runs per element or per group: the call is the step, not the function's body.
CALLBACK_METHODS: frozenset[str] = frozenset({
    "apply", "map", "applymap", "agg", "aggregate", "transform", "map_elements", "map_batches", "map_groups",
    "groupby", "filter", "combine", "map_rows",
})

# SQL run against registered frames (polars SQLContext.execute, duckdb.sql, pandasql): the query's clauses are its
# steps (CONVENTIONS 22: "SQL GROUP BY" aggregates). Matched case-insensitively, in query order.
SQL_METHODS: frozenset[str] = frozenset({"execute", "sql", "query"})
SQL_CLAUSE_OPS: tuple[tuple[str, str], ...] = ((r"\bjoin\b", "join"), (r"\bgroup\s+by\b", "aggregate"))

# Functions whose second argument holds bins (parameters of the cut, not data).
BINNING_FUNCTIONS: frozenset[str] = frozenset({"cut", "qcut", "digitize", "histogram", "searchsorted"})

# Handles data is read through rather than data (what-is-a-step.md: "reading a file, table, URL or database
# (`open(...).read()` into data, `sqlite3`/SQLAlchemy queries)"): what opens one, per kind of source. Opening it, like
# a DB connection, is no step (CONVENTIONS 15); reading data out of it is the `load`.
HANDLE_FACTORIES: dict[str, str] = {
    "open": "file", "io.open": "file", "codecs.open": "file", "gzip.open": "file", "bz2.open": "file",
    "requests.get": "response", "requests.post": "response", "urllib.request.urlopen": "file",
    "sqlite3.connect": "database", "duckdb.connect": "database", "sqlalchemy.create_engine": "database",
    "psycopg2.connect": "database", "pymysql.connect": "database", "mysql.connector.connect": "database",
    # the pandas IO guide: a workbook opened once and its sheets parsed; an HDF5 store and the frames got from it
    "pandas.ExcelFile": "workbook", "pandas.HDFStore": "store",
}
# The kind a handle's name is bound to (not data: a name of this kind reads as no data input).
HANDLE_KIND = "source.{}()"
# Methods that read a handle's data (`f.read()`, `r.json()`, `cur.fetchall()`, `duckdb.sql(q).df()`): the load.
HANDLE_READ_METHODS: dict[str, frozenset[str]] = {
    "file": frozenset({"read", "readlines"}),
    "response": frozenset({"json"}),
    "database": frozenset({"fetchall", "fetchone", "fetchmany", "df", "fetchdf", "fetch_df", "pl", "arrow",
                           "fetchnumpy", "fetch_arrow_table"}),
    "workbook": frozenset({"parse"}),
    "store": frozenset({"get", "select"}),
    "session": frozenset({"csv", "json", "parquet", "orc", "text", "table", "load", "jdbc", "sql", "avro", "xml"}),
}
# Methods that give another handle on the same source: a connection's cursor, the result of a query run on it.
HANDLE_PASSING_METHODS: dict[str, frozenset[str]] = {
    "database": frozenset({"cursor", "execute", "sql", "query", "connect", "begin"}),
    # spark.read.option("header", "true").format("csv"): the reader configured, nothing read yet
    "session": frozenset({"option", "options", "format", "schema"}),
}
# A session of a distributed engine, got from its builder (`SparkSession.builder.appName("EDA").getOrCreate()`): a
# handle like a database connection (no step, CONVENTIONS 15); its reader (`spark.read`) reads files and tables
# (`spark.read.csv(path)`, `spark.read.format("csv").load(path)`, `spark.table("t")`, `spark.sql("SELECT ...")`): the
# load, as pd.read_csv / a database query is (what-is-a-step.md, "Sources are steps"). PySpark's API reference,
# pyspark.sql.SparkSession and DataFrameReader.
SESSION_LIBRARIES: tuple[str, ...] = ("pyspark",)
SESSION_GETTERS: frozenset[str] = frozenset({"getOrCreate"})
HANDLE_PASSING_ATTRIBUTES: dict[str, frozenset[str]] = {"session": frozenset({"read", "readStream"})}
# Functions that read the data of a handle passed to them (`json.load(f)`): the load.
HANDLE_READER_FUNCTIONS: frozenset[str] = frozenset({"json.load", "csv.reader", "csv.DictReader"})
# Functions that run SQL on a library's own database and give a handle of its result (`duckdb.sql("SELECT ...")`); a
# query over frames of the notebook (`FROM df`) is a query of data that exists, whose clauses are its steps.
SQL_RESULT_FUNCTIONS: frozenset[str] = frozenset({"duckdb.sql", "duckdb.query", "duckdb.execute"})
# Modes of `open` that write: the handle is an export's, nothing is read from it (CONVENTIONS 15).
WRITE_MODE = r"[wax]"
# Files of settings, not data (`open("../environment.yml").read()`, `open("config.json")`, `requirements.txt`): what
# they hold configures the run, as a model's or a setting's loader does (IMPORTED_LOADER_NAME: `load_config` is no
# data; CONVENTIONS 15), so a file opened by such a name is no source. Matched against the file's name.
SETTINGS_FILE_NAME = (r"(^|[/\\])(environment|requirements|config|configuration|settings|params|parameters|"
                      r"hyperparameters|credentials|secrets|setup|pyproject)([_.-]\w+)*\.(json|txt|ya?ml|toml|ini|cfg|conf)$"
                      r"|\.(ya?ml|toml|ini|cfg|conf)$|(^|[/\\])\.env$")

# Keyword names of scikit-learn / XGBoost / LightGBM estimators' hyper-parameters (their API references). A dict
# literal whose every key is one of these, or a pipeline step's parameter (`"clf__C"`, sklearn's `<step>__<param>`),
# is a hyper-parameter grid whatever it is called (`pg = {"C": np.logspace(-3, 3, 7)}`,
# `clf_params = {"C": ..., "gamma": ...}`): CONVENTIONS 15, hyper-parameter grids are no step, though their values
# are drawn or ranged in the code.
HYPERPARAMETER_KEYS: frozenset[str] = frozenset({
    "C", "alpha", "alphas", "gamma", "kernel", "degree", "coef0", "penalty", "solver", "l1_ratio", "class_weight",
    "max_iter", "tol", "epsilon", "nu", "fit_intercept", "n_estimators", "max_depth", "min_samples_split",
    "min_samples_leaf", "max_features", "max_leaf_nodes", "criterion", "bootstrap", "learning_rate", "subsample",
    "colsample_bytree", "min_child_weight", "reg_alpha", "reg_lambda", "num_leaves", "n_neighbors", "weights",
    "metric", "p", "leaf_size", "n_components", "max_samples", "min_impurity_decrease", "ccp_alpha", "loss",
    "hidden_layer_sizes", "activation", "var_smoothing", "n_clusters", "eta", "lambda", "random_state",
    "normalize",
})
