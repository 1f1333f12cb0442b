"""Thirtieth pass (acc60): library calls public notebooks make that no table knew, decided from the libraries' docs.

bench/unknown_calls.py counts, over the allowed git snapshots (blind repositories excluded), the calls of pandas, NumPy,
scikit-learn, SciPy, statsmodels ... that no kb table decides. The frequent ones were decided from their documentation
against what-is-a-step.md (never from a labelled notebook). Each family has positive rows and a control.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from ...script_module import bench_script
from .after_setup import ops_after

SETUP = (
    "import pandas as pd\nimport numpy as np\nimport scipy\nimport scipy.stats as stats\nfrom scipy import sparse\n"
    "from sklearn.tree import DecisionTreeClassifier\n"
    "df = pd.read_csv('people.csv')\nX = np.loadtxt('x.txt')\ny = np.loadtxt('y.txt')\n"
    "clf = DecisionTreeClassifier().fit(X, y)\ny_pred = clf.predict(X)\n"
)

ops_of = partial(ops_after, SETUP)


@pytest.mark.parametrize("cell, ops", [
    # statsmodels.tools.eval_measures: "some measures for evaluation of prediction, tests and model selection" (rmse:
    # "root mean squared error"): a metric of predictions against the truth (what-is-a-step.md: evaluate)
    ("from statsmodels.tools.eval_measures import rmse\nerr = rmse(y, y_pred)", ["evaluate"]),
    ("from statsmodels.tools.eval_measures import rmse\nprint(rmse(y, y_pred))", ["evaluate"]),
    ("import statsmodels.tools.eval_measures as em\nmae = em.meanabs(y, y_pred)", ["evaluate"]),
    ("from statsmodels.tools import eval_measures\nscore = eval_measures.mse(y, y_pred)", ["evaluate"]),
    # control: keyed by the path below statsmodels, so scipy's `iqr` of a sample stays an answer
    ("from scipy.stats import iqr\nspread = iqr(X)", []),
])
def test_statsmodels_eval_measures_evaluate(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # a distribution's random variates ("rvs: Random variates of given type"): generated data, a load, as
    # np.random.normal is
    ("x = stats.norm.rvs(loc=5, scale=2, size=1000)", ["load"]),
    ("from scipy.stats import norm\nnoise = norm.rvs(size=100)", ["load"]),
    ("counts = scipy.stats.poisson.rvs(3, size=50)", ["load"]),
    ("sample = stats.expon.rvs(scale=2, size=30)\nres = stats.ttest_1samp(sample, 0)", ["load", "evaluate"]),
    # controls: the distribution's density and quantiles are numbers of the distribution (kb/not_steps.py), a
    # distribution itself draws nothing, and scipy.stats' own functions keep their ops
    ("crit = stats.norm.ppf(0.975)", []),
    ("dens = stats.norm.pdf(X, 0, 1)", []),
    ("dist = stats.beta(2, 3)", []),
    ("z = stats.zscore(X)", ["scale_normalize"]),
])
def test_scipy_distribution_draws_are_generated_data(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # scipy.sparse's matrices of an array held already ("csr_matrix(D) where D is a 2-D ndarray"): the same values in
    # a sparse container, a conversion (CONVENTIONS 12: `other` as the whole right-hand side assigned)
    ("M = scipy.sparse.csr_matrix(X)", ["other"]),
    ("M = sparse.csc_matrix(X)", ["other"]),
    # controls: an empty matrix of a shape holds no data; inside a fit the conversion is no step of its own
    ("M = scipy.sparse.csr_matrix((3, 4))", []),
    # ... and (data, (row, col)) triplets are laid out by their indices, as a pivot lays them (contested: no step)
    ("M = sparse.csr_matrix((df.plays.astype(float), (df.user_id, df.item_id)))", []),
    ("model = DecisionTreeClassifier().fit(sparse.csr_matrix(X), y)", ["fit_model"]),
])
def test_scipy_sparse_containers_convert(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # pandas < 3's `pd.value_counts(values)` ("Compute a histogram of the counts of non-null values"): the method's
    # op, counts kept as a table (aggregate) ...
    ("counts = pd.value_counts(df.city)", ["aggregate"]),
    # ... and shown, an answer, as `df.city.value_counts()` shown is (controls)
    ("pd.value_counts(df.city)", []),
    ("print(pd.value_counts(df.city))", []),
])
def test_pandas_module_value_counts_as_the_method(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops


def _harvest_script():
    return bench_script("unknown_calls")


@pytest.mark.parametrize("path, decided", [
    # declared deliberately not a step from their docs (kb/not_steps.py, kb/display.py): drawn, exported, a model's
    # set-up, a number of a distribution or an integral
    ("sklearn.tree.plot_tree", True),
    ("sklearn.tree.export_text", True),
    ("sklearn.tree.export_graphviz", True),
    ("sklearn.base.clone", True),
    ("scipy.stats.norm.pdf", True),
    ("scipy.stats.t.ppf", True),
    ("scipy.integrate.quad", True),
    ("pandas.scatter_matrix", True),
    ("pandas.tools.plotting.parallel_coordinates", True),
    ("pandas.TimeGrouper", True),
    ("numpy.product", True),
    # given an op: known
    ("statsmodels.tools.eval_measures.rmse", True),
    ("scipy.stats.norm.rvs", True),
    ("pandas.value_counts", True),
    ("scipy.sparse.csr_matrix", True),
    # known by the tables before (kb/sources.py LOADER_FUNCTIONS), now read by the harvest as the classifier reads it
    ("scipy.ndimage.imread", True),
    # controls: a name no table has stays unknown; a library without tables is out of scope (None)
    ("sklearn.tree.no_such_function", False),
    ("scipy.integrate.no_such_function", False),
    ("torch.tensor", None),
])
def test_harvest_reads_the_kb_tables(path: str, decided: bool | None) -> None:
    assert _harvest_script().module_call_decided(path) is decided


def _bare_snapshot(mirror: Path, repo: str, cells: list[str]) -> None:
    """A real git repository holding one notebook, cloned bare into `mirror` as `owner+name` (the snapshots' layout)."""
    import json
    import subprocess

    work = mirror.parent / f"work-{repo.replace('/', '-')}"
    work.mkdir()
    notebook = {"cells": [{"cell_type": "code", "source": cell, "metadata": {}, "outputs": [], "execution_count": None}
                          for cell in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (work / "analysis.ipynb").write_text(json.dumps(notebook))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(work)]
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "nb"], check=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(mirror / repo.replace("/", "+") / "repo")],
                   check=True)


def test_harvest_counts_unknown_calls_per_notebook_and_skips_blind_repositories(tmp_path: Path) -> None:
    harvest = _harvest_script()
    blind = sorted(harvest.blind_repositories())[0]
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    cells = ["import pandas as pd\nimport numpy as np\ndf = pd.read_csv('a.csv')",
             "inv = np.linalg.inv(np.eye(3))\nfor k, v in df.iteritems():\n    print(k)\ndf.frobnicate(1)",
             "s = pd.value_counts(df.a)\nnp.linalg.inv(np.eye(2))\n'a,b'.split(',')"]
    _bare_snapshot(mirror, "someone/fresh", cells)
    _bare_snapshot(mirror, blind, cells + ["np.linalg.svd(np.eye(2))"])
    per_call, examples, read = harvest.harvest(mirror=mirror)
    assert read == 1  # the blind repository's notebook is never read
    # counted once per notebook; known calls (iteritems, value_counts, read_csv) and Python's own str methods left out
    assert dict(per_call) == {"numpy.linalg.inv": 1, ".frobnicate": 1}
    assert examples["numpy.linalg.inv"] == ["someone/fresh:analysis.ipynb"]
