"""Plain Python and IPython facts every part of lineage needs: names that are never data, conventional
module aliases, the methods and functions that change an object in place, and the cell magics that run their
body as Python.

This is the ONE definition of each (def-use, the step classifier, the execution graph and the kernel probe
all read it). The probe runs inside the user's kernel and cannot import the sidecar: `kernel.probe_expressions`
sends this file's text ahead of the probe's, so it must stay plain data with no imports.
"""

# IPython puts these into every user namespace; reading them says nothing about other cells.
IPYTHON_NAMES = frozenset({"get_ipython", "display", "In", "Out", "exit", "quit", "_ih", "_oh", "_dh", "_i", "_ii",
                           "_iii"})

# A name made only of underscores (`____`, `___`): an exercise's blank to fill in, or a throwaway; it holds no data, so
# `train_encoded = ____` is no alias of data (CONVENTIONS 4a: exercise stubs; 12: aliases).
BLANK_NAME = r"^_{2,}$"

# Conventional aliases: a cell that uses them without an import we saw (the import cell was never analysed,
# `%run setup.py`) still means the module. `np.append(a, 1)` is no mutation of `np`.
CONVENTIONAL_ALIASES = {
    "pd": "pandas",
    "np": "numpy",
    "pl": "polars",
    "sns": "seaborn",
    "plt": "matplotlib.pyplot",
    "mpl": "matplotlib",
    "sk": "sklearn",
    "sp": "scipy",
    "scipy": "scipy",
    "sm": "statsmodels.api",
    "smf": "statsmodels.formula.api",
    "tf": "tensorflow",
    "torch": "torch",
    "px": "plotly.express",
    "go": "plotly.graph_objects",
    "xgb": "xgboost",
    "lgb": "lightgbm",
    "os": "os",
    "sys": "sys",
    "re": "re",
    "json": "json",
    "math": "math",
    "random": "random",
    "datetime": "datetime",
    "dt": "datetime",
    "pathlib": "pathlib",
}

# Cell magics whose body IPython executes as Python in the user namespace (`%%timeit` is not one: its body runs
# inside a generated function). Static lineage reads such a body as the cell's code; the probe reads the
# assignments in it.
PYTHON_BODY_CELL_MAGICS = frozenset({"time", "capture", "prun", "debug"})
# Of those, the ones that run their body through IPython's run_cell, which shows an error the body raises and
# returns: the kernel replies ok to a cell whose body stopped at an error (checked on IPython 9.18: `%%time` and
# `%%prun` let the error through, so the reply says error).
ERROR_KEEPING_CELL_MAGICS = frozenset({"capture"})

# Methods that change the object they are called on (any call with inplace=True does too).
# Lists, dicts, sets, numpy arrays, pandas' few in-place methods, polars' column setters.
# `sort`: list.sort / ndarray.sort work in place (polars' DataFrame.sort returns a new frame; a bare
# `lf.sort(...)` is then over-attributed, which hides no dependency).
MUTATING_METHODS = frozenset({
    # list / dict / set / bytearray
    "append", "extend", "insert", "pop", "remove", "sort", "reverse", "clear", "update", "add", "discard",
    "setdefault", "popitem", "difference_update", "intersection_update", "symmetric_difference_update",
    "__setitem__", "__delitem__",
    # numpy arrays
    "fill", "resize", "put", "itemset", "setflags", "shuffle",
    # polars
    "set_column", "insert_column", "replace_column", "drop_in_place",
})

# Methods that change the estimator they are called on: a fitted model is a new state of its variable.
FITTING_METHODS = frozenset({"fit", "partial_fit", "fit_transform", "fit_predict", "fit_resample", "fit_sample"})

# Functions that change their first argument in place (np.random.shuffle(a), random.shuffle(a)).
# Annotations of a function's parameter that say it holds one number or word (`def forecast(df, train_len: int,
# horizon: int)`): arithmetic on such parameters computes positions and sizes, not data (CONVENTIONS 9, 27).
SCALAR_ANNOTATIONS = frozenset({"int", "float", "bool", "str", "complex"})

MUTATING_FUNCTIONS = frozenset({"shuffle", "copyto", "fill_diagonal", "place", "putmask"})

# String methods and functions that clean text (on one value: `lambda s: s.lower().strip()`, `re.sub(...)`): a function
# applied to text that calls them cleans text (what-is-a-step.md: "str.lower, str.strip, replace on text: text_clean").
TEXT_CLEANING_CALLS = frozenset({
    "lower", "upper", "strip", "lstrip", "rstrip", "replace", "title", "capitalize", "casefold", "translate",
    "sub", "subn", "normalize", "unidecode", "stem", "lemmatize", "word_tokenize", "remove_stopwords",
    # tokenizers split a text into its words or sentences, as `str.split` does (what-is-a-step.md: text_clean):
    # `apply(sent_tokenize)`, `apply(tokenizer.tokenize)` of NLTK's TweetTokenizer / RegexpTokenizer
    "tokenize", "sent_tokenize", "wordpunct_tokenize", "casual_tokenize",
})
# Builtins that convert one value to a type: `s.apply(str)`, `lambda v: int(v)` cast.
TYPE_FUNCTIONS = frozenset({"str", "int", "float", "bool"})

# Methods of Python's own containers and text (`str.replace`, `str.split`, `list.sort`, `dict.update`): on a value
# whose kind the analysis does not know, a library table's op for the same name is a guess (kb/guesses.py
# "unknown_receiver"); dunder methods are never called by name in a notebook's data code.
BUILTIN_TYPE_METHODS = frozenset(name for kind in (str, bytes, list, tuple, dict, set) for name in dir(kind)
                                 if not name.startswith("_"))
