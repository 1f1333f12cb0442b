"""One home per fact in the op tables: a name the tables give an op is not also declared "deliberately not a step", and
the names that are both an op (assigned) and an inspection (shown) are exactly the ones the conventions make so."""

from __future__ import annotations


from trackit_sidecar.lineage import kb
from trackit_sidecar.lineage.kb import display as kb_display
from trackit_sidecar.lineage.kb import not_steps
from trackit_sidecar.lineage.kb import numpy as kb_numpy
from trackit_sidecar.lineage.kb import pandas as kb_pandas
from trackit_sidecar.lineage.kb import polars as kb_polars
from trackit_sidecar.lineage.kb import scipy as kb_scipy
from trackit_sidecar.lineage.kb import sklearn as kb_sklearn
from trackit_sidecar.lineage.kb import statsmodels as kb_statsmodels

from ...script_module import bench_script


def with_an_op(table: dict) -> set[str]:
    return {name for name, op in table.items() if op}


def test_no_name_is_both_an_op_and_deliberately_not_a_step() -> None:
    pairs = [
        (with_an_op(kb_pandas.METHODS) | with_an_op(kb_polars.METHODS) | with_an_op(kb_numpy.METHODS)
         | set(kb_pandas.CONTESTED_METHODS), not_steps.PANDAS_METHODS),  # a method falls through to the others
        (with_an_op(kb_pandas.FUNCTIONS), not_steps.PANDAS_FUNCTIONS),
        (with_an_op(kb_numpy.FUNCTIONS) | set(kb_numpy.CONTESTED_FUNCTIONS), not_steps.NUMPY_FUNCTIONS),
        (with_an_op(kb_numpy.METHODS), not_steps.NUMPY_METHODS),
        (with_an_op(kb_polars.METHODS), not_steps.POLARS_METHODS),
        (with_an_op(kb_polars.EXPRESSION_METHODS), not_steps.POLARS_EXPRESSION_METHODS),
        (with_an_op(kb_polars.FUNCTIONS), not_steps.POLARS_FUNCTIONS),
        (with_an_op(kb_sklearn.FUNCTIONS), not_steps.SKLEARN_FUNCTIONS),
        (with_an_op(kb_scipy.FUNCTIONS), not_steps.SCIPY_FUNCTIONS),
        (with_an_op(kb_scipy.FUNCTIONS), not_steps.SCIPY_MODULE_FUNCTIONS),
        (with_an_op(kb_statsmodels.FUNCTIONS), not_steps.STATSMODELS_FUNCTIONS),
    ]
    for accessor, names in not_steps.PANDAS_ACCESSOR_METHODS.items():
        pairs.append((with_an_op(kb_pandas.ACCESSORS.get(accessor, {})), names))
    for accessor, names in not_steps.POLARS_ACCESSOR_METHODS.items():
        pairs.append((with_an_op(kb_polars.ACCESSORS.get(accessor, {})), names))
    for ops, declared in pairs:
        assert not ops & set(declared)


def test_not_a_step_names_are_not_answers_or_inspections_twice() -> None:
    """A name has one 'not a step' home: an answer / inspection set or kb/not_steps.py, not both."""
    showing = kb.INSPECTION_METHODS | kb_display.ANSWER_METHODS
    assert not showing & (not_steps.PANDAS_METHODS | not_steps.NUMPY_METHODS | not_steps.POLARS_METHODS)
    assert not kb_display.ANSWER_FUNCTIONS & (not_steps.NUMPY_FUNCTIONS | not_steps.SCIPY_FUNCTIONS)


def test_names_both_an_op_and_an_inspection_are_the_documented_ones() -> None:
    """An op when assigned, inspection when shown: `head`/`tail` (CONVENTIONS 30 and 6), `value_counts` (10), `corr` /
    `cov` (22: an assigned corr() is aggregate; `s.corr(other)` is one number). No other name may be in both."""
    assert with_an_op(kb_pandas.METHODS) & kb.INSPECTION_METHODS == {"head", "tail", "value_counts", "corr", "cov"}
    assert with_an_op(kb_pandas.METHODS) & kb_display.ANSWER_METHODS == {"corr", "cov"}
    # polars: a frame's describe() is a table of statistics kept (other), its unique() drops repeated rows
    assert with_an_op(kb_polars.METHODS) & kb_display.ANSWER_METHODS == {"describe", "unique"}
    assert not with_an_op(kb_numpy.FUNCTIONS) & kb_display.ANSWER_FUNCTIONS
    # NumPy's: a matrix or counts per value, aggregate assigned, looked at shown (CONVENTIONS 6, 10, 22)
    assert with_an_op(kb_numpy.FUNCTIONS) & kb_numpy.INSPECTION_FUNCTIONS == {"corrcoef", "cov", "bincount"}
    assert not with_an_op(kb_polars.EXPRESSION_METHODS) & (kb_display.ANSWER_METHODS | kb_polars.REDUCTIONS)


def test_scipy_module_keys_name_real_functions() -> None:
    """The keys by path below `scipy` (`signal.welch`, `cluster.hierarchy.linkage`) name a function the installed scipy
    has: a misspelt key would decide nothing."""
    import importlib

    keys = [name for name in set(kb_scipy.FUNCTIONS) | not_steps.SCIPY_MODULE_FUNCTIONS
            if name.startswith(("signal.", "interpolate.", "cluster.", "spatial.", "integrate."))]
    assert keys
    for key in keys:
        module, name = key.rsplit(".", 1)
        assert hasattr(importlib.import_module(f"scipy.{module}"), name), key


def test_scipy_modules_every_public_name_decided() -> None:
    """bench/kb_coverage.py over scipy.signal / interpolate / cluster / spatial.distance: no name left undecided."""
    coverage = bench_script("kb_coverage")
    rows = [row for row in coverage.objects() if row[0] == "scipy" and row[1] != "stats functions"]
    assert len(rows) == len(coverage.SCIPY_SUBMODULES)
    for _, obj, names_of, decided in rows:
        assert not sorted(name for name in names_of() if not decided(name)), obj


def _coverage_script():
    return bench_script("kb_coverage")


def test_model_library_keys_name_a_package_the_report_enumerates() -> None:
    """kb/library_functions.py LIBRARY_FUNCTION_OPS keys functions and kb/not_steps.py MODEL_LIBRARY_CLASSES keys classes, both as
    `<package>.<name>` of a package bench/kb_coverage.py enumerates: a key of another shape would decide nothing. A
    library's own cross-validation has its one home in LIBRARY_CROSS_VALIDATION."""
    from trackit_sidecar.lineage.kb import models as kb_models
    from trackit_sidecar.lineage.kb.library_functions import LIBRARY_FUNCTION_OPS

    coverage = _coverage_script()
    packages = {*coverage.MODEL_LIBRARY_MODULES, *coverage.DATA_UTILITY_PACKAGES}
    for key in LIBRARY_FUNCTION_OPS:
        package, name = key.split(".", 1)
        assert package in packages and "." not in name and not name[:1].isupper(), key
    for key in not_steps.MODEL_LIBRARY_CLASSES:
        package, name = key.split(".", 1)
        assert package in coverage.MODEL_LIBRARY_MODULES and "." not in name and name[:1].isupper(), key
    assert not set(LIBRARY_FUNCTION_OPS) & kb_models.LIBRARY_CROSS_VALIDATION




def test_data_utility_keys_name_a_package_the_report_enumerates() -> None:
    """Keras' / TensorFlow's / NLTK's conversions and classes are keyed `<package>.<name>` as the classifier keys a
    call (torch.utils.data's too: torch does not install here, its few names are decided from its documentation)."""
    from trackit_sidecar.lineage.kb.library_functions import LIBRARY_CONVERSION_FUNCTIONS

    packages = {*_coverage_script().DATA_UTILITY_PACKAGES, "torch"}
    for key in {*LIBRARY_CONVERSION_FUNCTIONS, *not_steps.DATA_UTILITY_CLASSES}:
        package, name = key.split(".", 1)
        assert package in packages and "." not in name, key


# tf.data.Dataset's methods the tables leave: which op they are needs the receiver known as a tf.data data set
# (`ds.concatenate(other)` concat, `ds.skip(n)` beside `ds.take(n)` a split, `ds.window(n)` a reshape, the rest
# folds and resampling), not a name shared with the frame tables
TF_DATASET_LEFT = {"concatenate", "group_by_window", "reduce", "rejection_resample", "scan", "skip", "take_while",
                   "window"}


def test_libraries_the_project_does_not_install_every_enumerated_name_decided() -> None:
    """statsmodels, the model libraries and Keras / TensorFlow / NLTK are not project dependencies: their public names,
    enumerated from scratch venvs by `bench/kb_coverage.py --write-snapshot`, are kept in
    bench/kb-coverage-uninstalled-libraries.json, and each is decided by the tables (only tf.data.Dataset's
    TF_DATASET_LEFT are not)."""
    coverage = _coverage_script()
    snapshot = coverage.read_snapshot()
    assert set(snapshot["versions"]) == set(coverage.UNINSTALLED_PACKAGES)
    assert {row["library"] for row in snapshot["rows"]} == set(coverage.UNINSTALLED_PACKAGES)
    undecided = {(row["object"], row["name"]) for row in snapshot["rows"] if not coverage.row_decided(row)}
    assert undecided == {("tf.data.Dataset", name) for name in TF_DATASET_LEFT}
