"""The summary's Problems on the cell they are about: the cellAnnotation answer's `problems` and its hover markdown.

Run for real: a notebook through `trackit run` (a real ipykernel, the probe's facts, a real DuckDB file), then
`trackit serve` over stdio answering cellAnnotation for each cell. A finding is on every cell whose latest run it
cites, naming the other cells it involves; a cell with none has no problems and no ⚠ section.
"""

from __future__ import annotations

import nbformat
import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.rpc_client import StdioRpcClient, serve_command

from ..recorded_notebook import record_notebook

CELLS = [
    # 1
    "import pandas as pd\n"
    "df = pd.DataFrame({'age': ['31', 'x', '22', '?', '50', None, '40', '28'], 'y': [0, 1, 0, 1, 0, 1, 0, 1]})\n"
    "cities = pd.DataFrame({'y': [0], 'city': ['x']})",
    # 2: 'x' and '?' do not convert: 2 values made missing
    "df['age'] = pd.to_numeric(df['age'], errors='coerce')",
    # 3: the median of every row, the test rows' too
    "df['age'] = df['age'].fillna(df['age'].median())",
    # 4: clean
    "n = len(df)",
    # 5: the split that sets test rows apart after the fill learned from them
    "from sklearn.model_selection import train_test_split\n"
    "train, test = train_test_split(df, test_size=0.25, random_state=0)",
    # 6: a merge is inner unless it says: the rows with y == 1 are gone
    "placed = df.merge(cities, on='y')",
]


@pytest.fixture(scope="module")
def annotations(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cell-problems")
    path, ran = record_notebook(folder, CELLS, folder / "t.duckdb", "problems.ipynb")
    assert "error" not in ran
    db = folder / "t.duckdb"
    client = StdioRpcClient(serve_command(str(db)))
    try:
        client.initialize()
        return [client.request(p.CELL_ANNOTATION, {"notebook_uri": str(path), "cell_id": cell.id})
                for cell in nbformat.read(path, as_version=4).cells]
    finally:
        client.close()


CONVERSION = "`df['age'] = pd.to_numeric(df['age'], errors='coerce')` could not convert 2 values of `age`; they are now missing."
LEAKAGE = ("`df['age'] = df['age'].fillna(df['age'].median())` took the median from every row before "
           "`train_test_split` set test rows apart, so the test rows' values went into the training data "
           "(train/test leakage)")
DROPPED = ("`placed = df.merge(cities, on='y')` gave 4 rows from the 8 of `df`: rows of `df` that matched no row of "
           "`cities` were dropped, since `merge` is an inner join unless `how=` says otherwise.")


def test_each_problem_is_on_the_cells_whose_latest_run_it_cites_naming_the_others(annotations):
    assert [a["problems"] for a in annotations] == [
        [], [CONVERSION], [f"{LEAKAGE} (with cell 5)."], [], [f"{LEAKAGE} (with cell 3)."], [DROPPED]]


def test_the_hover_markdown_says_them_in_a_warning_section(annotations):
    for annotation in annotations:
        shown = "\u26a0 **problems**" in annotation["markdown"]
        assert shown == bool(annotation["problems"]), annotation["markdown"]
        assert all(f"- {text}" in annotation["markdown"] for text in annotation["problems"])
