"""How much of each library's public API the op tables in `sidecar/trackit_sidecar/lineage/kb/` decide.

The tables were grown one notebook at a time, so a method no notebook used yet gives no step at all: a miss on every
unseen notebook that uses it. This script lists, per library and object (pandas DataFrame, Series, the `str` / `dt` /
`cat` accessors, GroupBy, the top level; NumPy's functions and ndarray methods; polars' frames and expressions;
scikit-learn's classes and functions; SciPy's statistics, signal, interpolate, cluster and spatial.distance;
statsmodels' api / tsa.api / stats.api / formula.api; the model libraries notebooks use beside them: imbalanced-learn,
category_encoders, XGBoost, LightGBM, CatBoost, feature-engine, missingno, geopandas; the data-facing API of Keras,
TensorFlow and NLTK: keras.utils, keras.datasets, tf.data.Dataset, nltk.tokenize / stem), how many public names the
installed package has, how many
the tables decide (an op, a deliberate `None`, or membership of an inspection / answer / plot / conversion /
not-a-step set), and which are left undecided.

    PYTHONPATH=sidecar .venv/bin/python bench/kb_coverage.py [--list] [--library pandas]

`--list` prints the undecided names themselves. Libraries that are not installed are reported as such; one the project
does not depend on can be enumerated from a scratch venv with `--site <its site-packages>` (statsmodels:
`python -m venv /tmp/sm && /tmp/sm/bin/pip install statsmodels`, then `--site /tmp/sm/lib/python3.11/site-packages`;
the model libraries likewise: `pip install imbalanced-learn category_encoders xgboost lightgbm catboost feature_engine
missingno geopandas`; `pip install tensorflow-cpu nltk` for Keras, tf.data and NLTK). `--write-snapshot` keeps those
libraries' enumerated names in bench/kb-coverage-uninstalled-libraries.json: without them installed, the report
and tests/sidecar/lineage/test_kb_coverage.py read the names from there.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Optional

from trackit_sidecar.lineage import kb
from trackit_sidecar.lineage.classify.sklearn_rules import is_estimator, sklearn_transformer_op
from trackit_sidecar.lineage.kb import display as kb_display
from trackit_sidecar.lineage.kb import models as kb_models
from trackit_sidecar.lineage.kb import numpy as kb_numpy

try:
    from trackit_sidecar.lineage.kb.library_functions import LIBRARY_FUNCTION_OPS
except ImportError:  # a tree from before the libraries' function table (the "before" figures)
    LIBRARY_FUNCTION_OPS = {}
try:
    from trackit_sidecar.lineage.kb.library_functions import LIBRARY_CONVERSION_FUNCTIONS
except ImportError:  # a tree from before the libraries' conversions (the "before" figures)
    LIBRARY_CONVERSION_FUNCTIONS = frozenset()
from trackit_sidecar.lineage.classify.function_calls import FunctionCallRules
try:
    from trackit_sidecar.lineage.kb import not_steps as kb_not_steps
except ImportError:  # a tree from before the not-a-step sets (the "before" figures)
    kb_not_steps = None
from trackit_sidecar.lineage.kb import pandas as kb_pandas
from trackit_sidecar.lineage.kb import polars as kb_polars
from trackit_sidecar.lineage.kb import scipy as kb_scipy
from trackit_sidecar.lineage.kb import sklearn as kb_sklearn
from trackit_sidecar.lineage.kb import statsmodels as kb_statsmodels
from trackit_sidecar.lineage.kb import sources as kb_sources


def declared(name: str) -> frozenset[str]:
    """A deliberately-not-a-step set of kb/not_steps.py (empty where there is none, as before that module existed)."""
    return frozenset(getattr(kb_not_steps, name, ()))


def public_names(obj: object) -> set[str]:
    """The public attribute names of `obj` (no leading underscore)."""
    return {name for name in dir(obj) if not name.startswith("_")}


def union(*tables: Iterable[str]) -> frozenset[str]:
    return frozenset().union(*tables)


# Sets every object's methods are decided by: what shows, answers, draws or only repackages data.
SHOWING = union(kb.INSPECTION_METHODS, kb_display.ANSWER_METHODS, kb_display.ANSWER_ATTRIBUTES,
                kb_display.PLOT_METHODS, kb_sources.CONVERSION_METHODS, kb_sources.CONVERSION_ATTRIBUTES,
                kb_sources.TRANSPOSES)
MASKS = union(kb_pandas.MASK_METHODS, kb_pandas.CONDITION_METHODS, kb.MISSING_TESTS, kb.PRESENT_TESTS,
              kb.FINITE_TESTS)

# A method no pandas table names is looked up in polars' and NumPy's next (classify/library_methods.py).
FRAME_METHODS = union(kb_pandas.METHODS, kb_polars.METHODS, kb_numpy.METHODS)
PANDAS_FRAME = union(FRAME_METHODS, kb_pandas.CONTESTED_METHODS, kb_pandas.ARITHMETIC_METHODS,
                     kb_sources.CONSTRUCTORS["pandas"], kb.RENAMING_ATTRIBUTES, kb_sources.REPEATING_FUNCTIONS,
                     kb_sources.BINNING_FUNCTIONS,
                     kb_pandas.FRAME_ATTRIBUTES, kb_pandas.ATTRIBUTES, kb_pandas.ACCESSOR_NAMES,
                     declared("PANDAS_METHODS"), SHOWING, MASKS)
PANDAS_TOP = union(kb_pandas.FUNCTIONS, kb_display.ANSWER_FUNCTIONS, kb_pandas.CONTESTED_FUNCTIONS,
                   kb_sources.CONSTRUCTORS["pandas"], kb_sources.CODE_VALUE_CONSTRUCTORS["pandas"],
                   declared("PANDAS_FUNCTIONS"), MASKS)
PANDAS_GROUPBY = union(kb.GROUPING_METHODS, kb_pandas.GROUP_REDUCERS, kb_pandas.GROUP_ROW_METHODS,
                       kb_pandas.GROUP_ROW_OPS, kb_pandas.GROUP_TABLE_INSPECTIONS, kb_pandas.GROUPBY_ATTRIBUTES,
                       declared("PANDAS_METHODS"), SHOWING)


def accessor(lib: str, name: str) -> frozenset[str]:
    tables = {"pandas": kb_pandas.ACCESSORS, "polars": kb_polars.ACCESSORS}
    not_steps = getattr(kb_not_steps, f"{lib.upper()}_ACCESSOR_METHODS", {})
    return union(tables[lib].get(name, {}), not_steps.get(name, ()))


NUMPY_TOP = union(kb_numpy.FUNCTIONS, kb_numpy.CONTESTED_FUNCTIONS, kb_numpy.REDUCTIONS, kb_numpy.POSITION_FUNCTIONS,
                  kb_numpy.LOGICAL_FUNCTIONS, kb_numpy.INSPECTION_FUNCTIONS, kb_numpy.IDENTITY_MATRICES,
                  kb_numpy.SHAPE_ONLY_FUNCTIONS, kb_numpy.ROUNDING_FUNCTIONS, kb_numpy.PRODUCT_FUNCTIONS,
                  declared("NUMPY_FUNCTIONS"), kb_display.ANSWER_FUNCTIONS, kb_display.PLOT_METHODS,
                  kb_sources.GRID_GENERATORS, kb_sources.FILLED_GENERATORS, kb_sources.REPEATING_FUNCTIONS,
                  kb_sources.CONVERSION_FUNCTIONS["numpy"], kb_sources.SAME_VALUES_FUNCTIONS,
                  kb_sources.CONSTRUCTORS["numpy"], kb_sources.CODE_VALUE_CONSTRUCTORS["numpy"],
                  kb_sources.BINNING_FUNCTIONS, kb_sources.LOADER_FUNCTIONS, MASKS)
NUMPY_ARRAY = union(FRAME_METHODS, kb_sources.REPEATING_FUNCTIONS, kb_numpy.CONTESTED_METHODS, kb_numpy.REDUCTIONS,
                    declared("NUMPY_METHODS"),
                    kb_sources.SAME_VALUES_METHODS, SHOWING, MASKS)

POLARS_FRAME = union(FRAME_METHODS, kb_polars.CONTESTED_METHODS, kb_polars.REDUCTIONS,
                     declared("POLARS_METHODS"), SHOWING, MASKS)
POLARS_EXPR = union(kb_polars.EXPRESSION_METHODS, kb_polars.REDUCTIONS, kb_polars.EXPRESSION_NAMESPACES,
                    kb_pandas.ACCESSOR_NAMES, declared("POLARS_EXPRESSION_METHODS"), SHOWING, MASKS,
                    kb.NEGATION_METHODS)
POLARS_TOP = union(kb_polars.FUNCTIONS, kb_sources.CONSTRUCTORS["polars"], kb_sources.CONVERSION_FUNCTIONS["polars"],
                   declared("POLARS_FUNCTIONS"))

SKLEARN_FUNCTIONS = union(kb_sklearn.FUNCTIONS, kb_sklearn.COMPOSITES, kb_sklearn.CONSTRUCTOR_FUNCTIONS,
                          declared("SKLEARN_FUNCTIONS"))
SCIPY_STATS = union(kb_scipy.FUNCTIONS, kb_scipy.REDUCTIONS, declared("SCIPY_FUNCTIONS"),
                    kb_sources.RANDOM_DRAWS, kb_display.ANSWER_FUNCTIONS)
# scipy's other modules: the tables key their names by the path below `scipy` (`signal.welch`), as the classifier
# looks a call up by that path first and by its short name after
SCIPY_MODULES = union(kb_scipy.FUNCTIONS, declared("SCIPY_MODULE_FUNCTIONS"))
SCIPY_SUBMODULES = ("signal", "interpolate", "cluster.vq", "cluster.hierarchy", "spatial.distance")
STATSMODELS_FUNCTIONS = union(kb_statsmodels.FUNCTIONS, kb_statsmodels.FORMULA_FUNCTIONS, declared("STATSMODELS_FUNCTIONS"))
# statsmodels' namespaces notebooks import from (`sm.`, `sm.tsa.`, `statsmodels.stats.api`, `smf.`)
STATSMODELS_NAMESPACES = ("statsmodels.api", "statsmodels.tsa.api", "statsmodels.stats.api", "statsmodels.formula.api")


# The model libraries beside scikit-learn (and geopandas): the modules notebooks import their classes and functions from. A name is
# counted under its package (`imblearn.AllKNN`), as kb/library_functions.py and kb/not_steps.py key them.
MODEL_LIBRARY_MODULES: dict[str, tuple[str, ...]] = {
    "imblearn": ("imblearn", "imblearn.over_sampling", "imblearn.under_sampling", "imblearn.combine",
                 "imblearn.ensemble", "imblearn.metrics", "imblearn.pipeline", "imblearn.datasets",
                 "imblearn.model_selection", "imblearn.keras", "imblearn.tensorflow", "imblearn.utils"),
    "category_encoders": ("category_encoders", "category_encoders.wrapper"),
    "xgboost": ("xgboost", "xgboost.callback"),
    "lightgbm": ("lightgbm",),
    "catboost": ("catboost", "catboost.utils", "catboost.datasets"),
    "feature_engine": tuple(f"feature_engine.{module}" for module in (
        "creation", "datasets", "datetime", "discretisation", "encoding", "imputation", "outliers", "pipeline",
        "preprocessing", "scaling", "selection", "text", "transformation", "variable_handling", "wrappers",
        "timeseries.forecasting")),
    "missingno": ("missingno",),
    "geopandas": ("geopandas",),  # its frames' methods are pandas'; its functions read, join and clip
    "pyfixest": ("pyfixest",),  # fixed-effects regressions from formulas (`pf.feols("y ~ x | fe", data=df)`)
}


# Keras' data utilities and NLTK's tokenizers and stemmers, the data-facing API of the libraries notebooks use for
# neural networks and text (their model-building API is no step by itself): module -> the package its names are keyed
# by (`keras.image_dataset_from_directory`, `nltk.PorterStemmer`) and the module prefix a name must be defined under
# (not the helpers a module imports).
DATA_UTILITY_MODULES: dict[str, tuple[str, str]] = {
    "keras.utils": ("keras", "keras"),
    "nltk.tokenize": ("nltk", "nltk.tokenize"),
    "nltk.stem": ("nltk", "nltk.stem"),
}

# the packages their names are keyed by (a `tf.keras.utils` call is keyed `tensorflow.<name>`, as the classifier keys
# a call by its top-level package)
DATA_UTILITY_PACKAGES: frozenset[str] = frozenset({package for package, _ in DATA_UTILITY_MODULES.values()}
                                                  | {"tensorflow"})


def data_utility_names(module_name: str) -> set[str]:
    module = _import(module_name)
    if module is None:
        return set()
    prefix = DATA_UTILITY_MODULES[module_name][1]
    return {name for name in public_names(module) if callable(getattr(module, name))
            and not inspect.ismodule(getattr(module, name))
            and getattr(getattr(module, name), "__module__", "").startswith(prefix)}


def data_utility_decided(package: str, name: str) -> bool:
    """A function with an op or a deliberate None, or a class whose construction is deliberately no step."""
    key = f"{package}.{name}"
    return key in LIBRARY_FUNCTION_OPS or key in LIBRARY_CONVERSION_FUNCTIONS or key in declared("DATA_UTILITY_CLASSES")


def keras_dataset_functions() -> set[str]:
    """`mnist.load_data`, `imdb.get_word_index`: the functions of keras.datasets' packaged data sets."""
    datasets = _import("keras.datasets")
    return {f"{sub}.{name}" for sub in public_names(datasets) if inspect.ismodule(getattr(datasets, sub))
            for name in public_names(getattr(datasets, sub)) if inspect.isfunction(getattr(getattr(datasets, sub), name))}


TF_DATASET = union(FRAME_METHODS, SHOWING, declared("TF_DATASET_METHODS"), declared("PANDAS_METHODS"))


def tf_dataset_decided(name: str, static: bool) -> bool:
    """A method the frame tables or the tf.data no-step set decide, a conversion of data held already, or a static
    constructor (`tf.data.Dataset.range(10)`, `.list_files(...)`), which reads or makes data (a load)."""
    return name in TF_DATASET or f"tensorflow.{name}" in LIBRARY_CONVERSION_FUNCTIONS \
        or (static and FunctionCallRules.is_dataset_loader(f"tensorflow.data.Dataset.{name}"))


def model_library_names(package: str) -> dict[str, str]:
    """name -> the module it is imported from, for the package's public classes and functions defined in it (not the
    re-exported NumPy / scikit-learn names a module also holds)."""
    names: dict[str, str] = {}
    for module_name in MODEL_LIBRARY_MODULES[package]:
        module = _import(module_name)
        if module is None:
            continue
        for name in getattr(module, "__all__", None) or public_names(module):
            try:
                value = getattr(module, name, None)
            except ImportError:  # category_encoders' GLMMEncoder needs statsmodels
                value = None
            if callable(value) and not inspect.ismodule(value) \
                    and getattr(value, "__module__", "").split(".", 1)[0] == package:
                names.setdefault(name, module_name)
    return names


def model_library_decided(package: str, module: str, name: str) -> bool:
    """A class the classifier gives a role (a sampler's, encoder's or transformer's op, a model, a pipeline, a splitter,
    the library's data container) or deliberately none; a function with an op or a deliberate None, the library's
    cross-validation, or a plot."""
    path, key = f"{module}.{name}", f"{package}.{name}"
    if name[:1].isupper():
        return sklearn_class_decided(module, name) or name in kb_models.DATA_CONTAINERS \
            or (f"{module}.".startswith(kb_sklearn.COMPOSITE_MODULES) and name in kb_sklearn.COMPOSITES) \
            or key in declared("MODEL_LIBRARY_CLASSES")
    return key in LIBRARY_FUNCTION_OPS or key in kb_models.LIBRARY_CROSS_VALIDATION \
        or (f"{module}.".startswith(kb_sklearn.COMPOSITE_MODULES) and name in kb_sklearn.COMPOSITES) \
        or any(path == plot or path.startswith(plot + ".") or key == plot for plot in kb_display.PLOT_MODULES)


def sklearn_class_decided(module: str, name: str) -> bool:
    """A class the classifier gives a role: a transformer's op, an estimator, a composite, a splitter."""
    path = f"{module}.{name}"
    return bool(sklearn_transformer_op(path)) or is_estimator(path) or name in kb_sklearn.COMPOSITES \
        or name in kb_sklearn.SPLITTERS


def sklearn_function_decided(module: str, name: str) -> bool:
    if name in SKLEARN_FUNCTIONS:
        return True
    if module.startswith(kb_sklearn.METRIC_MODULE.rstrip(".")) and re.search(kb_sklearn.METRIC_NAME, name):
        return True
    return any(name.startswith(prefix) for prefix in kb_sklearn.FUNCTION_PREFIXES)


def _import(name: str) -> Optional[object]:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def callables_of(module: object) -> set[str]:
    return {name for name in public_names(module) if callable(getattr(module, name, None))
            and not inspect.ismodule(getattr(module, name))}


def objects() -> list[tuple[str, str, Callable[[], set[str]], Callable[[str], bool]]]:
    """(library, object, its public names, is a name decided) for every object the report covers."""
    rows: list[tuple[str, str, Callable[[], set[str]], Callable[[str], bool]]] = []
    pd = _import("pandas")
    if pd is not None:
        frame = pd.DataFrame({"_key": [1]})
        rows += [
            ("pandas", "top level", lambda: callables_of(pd), PANDAS_TOP.__contains__),
            ("pandas", "DataFrame", lambda: public_names(pd.DataFrame), PANDAS_FRAME.__contains__),
            ("pandas", "Series", lambda: public_names(pd.Series), PANDAS_FRAME.__contains__),
            ("pandas", "Series.str", lambda: public_names(pd.Series(["a"]).str),
             accessor("pandas", "str").__contains__),
            ("pandas", "Series.dt", lambda: public_names(pd.Series(pd.to_datetime(["2020-01-01"])).dt),
             accessor("pandas", "dt").__contains__),
            ("pandas", "Series.cat", lambda: public_names(pd.Series(["a"], dtype="category").cat),
             accessor("pandas", "cat").__contains__),
            ("pandas", "DataFrameGroupBy", lambda: public_names(frame.groupby("_key")), PANDAS_GROUPBY.__contains__),
        ]
    np = _import("numpy")
    if np is not None:
        rows += [
            ("numpy", "top level", lambda: callables_of(np) - scalar_types(np), NUMPY_TOP.__contains__),
            ("numpy", "ndarray", lambda: public_names(np.ndarray), NUMPY_ARRAY.__contains__),
        ]
    pl = _import("polars")
    if pl is not None:
        rows += [
            ("polars", "top level", lambda: callables_of(pl) - {name for name in public_names(pl)
                                                                if isinstance(getattr(pl, name), type)},
             POLARS_TOP.__contains__),
            ("polars", "DataFrame", lambda: public_names(pl.DataFrame), POLARS_FRAME.__contains__),
            ("polars", "LazyFrame", lambda: public_names(pl.LazyFrame), POLARS_FRAME.__contains__),
            ("polars", "Expr", lambda: public_names(pl.Expr), POLARS_EXPR.__contains__),
            ("polars", "Expr.str", lambda: public_names(pl.col("a").str), accessor("polars", "str").__contains__),
            ("polars", "Expr.dt", lambda: public_names(pl.col("a").dt), accessor("polars", "dt").__contains__),
        ]
    if _import("sklearn") is not None:
        from sklearn.utils import all_estimators
        classes = {name: cls.__module__ for name, cls in all_estimators()}
        rows.append(("sklearn", "classes (all_estimators)", lambda: set(classes),
                     lambda name: sklearn_class_decided(_public_module(classes[name]), name)))
        functions: dict[str, str] = {}
        for module in ("sklearn.metrics", "sklearn.preprocessing", "sklearn.model_selection", "sklearn.utils",
                       "sklearn.feature_selection", "sklearn.datasets"):
            mod = importlib.import_module(module)
            for name in getattr(mod, "__all__", public_names(mod)):
                try:
                    value = getattr(mod, name, None)
                except ImportError:  # experimental classes (HalvingGridSearchCV) need an opt-in import
                    continue
                if inspect.isfunction(value) and not name.startswith("_"):
                    functions[name] = module
        rows.append(("sklearn", "functions", lambda: set(functions),
                     lambda name: sklearn_function_decided(functions[name], name)))
    stats = _import("scipy.stats")
    if stats is not None:
        rows.append(("scipy", "stats functions",
                     lambda: {name for name in getattr(stats, "__all__", [])
                              if inspect.isfunction(getattr(stats, name))},
                     SCIPY_STATS.__contains__))
    for sub in SCIPY_SUBMODULES:
        module = _import(f"scipy.{sub}")
        if module is not None:
            rows.append(("scipy", sub, lambda module=module: {name for name in getattr(module, "__all__", None)
                                                             or callables_of(module)
                                                             if not inspect.ismodule(getattr(module, name, None))},
                         lambda name, sub=sub: f"{sub}.{name}" in SCIPY_MODULES or name in SCIPY_MODULES))
    by_object: dict[tuple[str, str], dict[str, dict]] = {}
    for row in uninstalled_library_rows():
        by_object.setdefault((row["library"], row["object"]), {})[row["name"]] = row
    for (library, obj), named in by_object.items():
        rows.append((library, obj, lambda named=named: set(named), lambda name, named=named: row_decided(named[name])))
    return rows


# The libraries the project does not install (statsmodels, the model libraries, Keras / TensorFlow / NLTK): their
# public names as enumerated from scratch venvs are kept here (`--write-snapshot`), so tests/sidecar/lineage/
# test_kb_coverage.py checks every one of them is decided on any machine, without installing them.
SNAPSHOT = Path(__file__).resolve().parent / "kb-coverage-uninstalled-libraries.json"
UNINSTALLED_PACKAGES = ("statsmodels", *MODEL_LIBRARY_MODULES, "keras", "tensorflow", "nltk")


def enumerated_library_rows() -> list[dict]:
    """One row per public name of each library the project does not install that is importable here, with what
    deciding it needs besides its name (the module a model library's name comes from; whether a tf.data.Dataset name
    is a static constructor)."""
    rows: list[dict] = []
    for namespace in STATSMODELS_NAMESPACES:
        module = _import(namespace)
        if module is not None:
            rows += [{"library": "statsmodels", "object": namespace.removeprefix("statsmodels."), "name": name}
                     for name in sorted(callables_of(module))]
    for package in MODEL_LIBRARY_MODULES:
        if _import(package) is not None:
            rows += [{"library": package, "object": "classes and functions", "name": name, "module": module}
                     for name, module in sorted(model_library_names(package).items())]
    for module_name, (package, _) in DATA_UTILITY_MODULES.items():
        if _import(module_name) is not None:
            rows += [{"library": package, "object": module_name, "name": name}
                     for name in sorted(data_utility_names(module_name))]
    if _import("keras.datasets") is not None:
        rows += [{"library": "keras", "object": "keras.datasets", "name": name}
                 for name in sorted(keras_dataset_functions())]
    tf = _import("tensorflow")
    if tf is not None:
        rows += [{"library": "tensorflow", "object": "tf.data.Dataset", "name": name,
                  "static": isinstance(inspect.getattr_static(tf.data.Dataset, name, None), staticmethod)}
                 for name in sorted(public_names(tf.data.Dataset))]
    return [row for row in rows if row["name"] not in dir(object)]


def uninstalled_library_rows() -> list[dict]:
    """The enumerated rows of every library importable here, and the snapshot's rows of the others."""
    live = enumerated_library_rows()
    here = {row["library"] for row in live}
    return live + [row for row in read_snapshot()["rows"] if row["library"] not in here]


def read_snapshot() -> dict:
    return json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {"versions": {}, "rows": []}


def write_snapshot() -> None:
    """The snapshot keeps each library's rows from the last machine that had it installed."""
    live = enumerated_library_rows()
    here = {row["library"] for row in live}
    old = read_snapshot()
    versions = {name: version for name, version in old["versions"].items() if name not in here}
    for name in here:
        versions[name] = getattr(_import(name), "__version__", "unknown")
    rows = [row for row in old["rows"] if row["library"] not in here] + live
    rows.sort(key=lambda row: (row["library"], row["object"], row["name"]))
    SNAPSHOT.write_text(json.dumps({"versions": dict(sorted(versions.items())), "rows": rows}, indent=1) + "\n")
    print(f"wrote {len(rows)} names of {len(versions)} libraries to {SNAPSHOT}")


def row_decided(row: dict) -> bool:
    library, obj, name = row["library"], row["object"], row["name"]
    if library == "statsmodels":
        return statsmodels_decided(name)
    if obj == "classes and functions":
        return model_library_decided(library, row["module"], name)
    if obj == "keras.datasets":
        return FunctionCallRules.is_dataset_loader(f"keras.datasets.{name}")
    if obj == "tf.data.Dataset":
        return tf_dataset_decided(name, row["static"])
    return data_utility_decided(library, name)


def statsmodels_decided(name: str) -> bool:
    """A function the tables decide, or a class: statsmodels' classes are models, tests and tables whose methods act
    (`sm.OLS(y, X).fit()` is fit_model through the fitted-model rules, classify/sklearn_rules.py), or a formula
    function that builds such a model (`smf.ols(...)`) — constructing one is no step (CONVENTIONS 15)."""
    return name in STATSMODELS_FUNCTIONS or name[:1].isupper() or name in STATSMODELS_FORMULA_MODELS


# statsmodels.formula.api: each function builds the model class of its name from a formula (`smf.ols` is OLS)
STATSMODELS_FORMULA_MODELS = frozenset({
    "ols", "wls", "gls", "glsar", "glm", "logit", "probit", "mnlogit", "poisson", "negativebinomial", "quantreg",
    "rlm", "mixedlm", "gee", "nominal_gee", "ordinal_gee", "phreg", "glmgam", "conditional_logit", "conditional_mnlogit",
    "conditional_poisson",
})


def scalar_types(np: object) -> set[str]:
    """NumPy's scalar types (`float64`, `int_`, `bool_`): casts name them, they are no operation by themselves."""
    return {name for name in public_names(np) if isinstance(getattr(np, name), type)
            and issubclass(getattr(np, name), getattr(np, "generic"))}


def _public_module(module: str) -> str:
    """`sklearn.preprocessing._data` -> `sklearn.preprocessing`: where the class is imported from."""
    return ".".join(part for part in module.split(".") if not part.startswith("_"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="print the undecided names")
    parser.add_argument("--library", help="only this library")
    parser.add_argument("--site", action="append", default=[],
                        help="a site-packages directory to enumerate libraries the project does not install from "
                             "(statsmodels in a scratch venv); appended after the project's own packages")
    parser.add_argument("--write-snapshot", action="store_true",
                        help=f"keep the names of the libraries the project does not install that are importable "
                             f"here in {SNAPSHOT.relative_to(SNAPSHOT.parents[1])}")
    options = parser.parse_args()
    sys.path.extend(options.site)
    if options.write_snapshot:
        write_snapshot()
    snapshot = read_snapshot()["versions"]
    for name in UNINSTALLED_PACKAGES:
        if _import(name) is None:
            print(f"{name:17} not installed: " + (f"names of {snapshot[name]} from the snapshot" if name in snapshot
                                                  else "not covered"))
    total = decided_total = 0
    print(f"{'library':17} {'object':26} {'public':>6} {'decided':>7} {'undecided':>9}")
    for library, obj, names_of, decided in objects():
        if options.library and library != options.library:
            continue
        names = names_of() - set(dir(object))
        undecided = sorted(name for name in names if not decided(name))
        total += len(names)
        decided_total += len(names) - len(undecided)
        print(f"{library:17} {obj:26} {len(names):6} {len(names) - len(undecided):7} {len(undecided):9}")
        if options.list and undecided:
            print("    " + " ".join(undecided))
    print(f"{'all':44} {total:6} {decided_total:7} {total - decided_total:9}")


if __name__ == "__main__":
    main()
