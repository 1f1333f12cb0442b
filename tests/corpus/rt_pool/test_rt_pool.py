"""The pool's measuring parts: the pure kind rules, and one real-kernel run of a small notebook."""
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from classify import candidates, inspection_call, record_kind, shown_kind  # noqa: E402


def shape(rows, cols=None, columns_hash=None):
    described = {"type": "DataFrame" if cols is not None else "Series", "rows": rows, "cols": cols}
    if columns_hash is not None:
        described["columns_hash"] = columns_hash
    return described


def write_notebook(folder, cells):
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                "cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": [], "execution_count": None}
                          for c in cells]}
    path = folder / "nb.ipynb"
    path.write_text(json.dumps(notebook))
    return path


def record(form, op, before, after):
    return {"form": form, "op": op, "before": before, "after": after}


def test_a_rebinding_filter_that_kept_every_row_is_told_from_one_that_removed_rows():
    assert record_kind(record("rebind", "getitem", shape(10, 3, 1), shape(10, 3, 1))) == "rebind-filter-kept-all"
    assert record_kind(record("rebind", "query", shape(10, 3, 1), shape(7, 3, 1))) == "rebind-filter-removed-rows"
    assert record_kind(record("new-name", "loc", shape(10, 3, 1), shape(10, 3, 1))) == "new-name-same-rows"


def test_same_rows_with_other_columns_is_a_column_pick_not_a_filter():
    assert record_kind(record("rebind", "getitem", shape(10, 3, 1), shape(10, 3, 2))) == "column-select-same-rows"


def test_drops_that_removed_nothing_rows_or_columns():
    assert record_kind(record("inplace", "dropna", shape(5, 2, 1), shape(5, 2, 1))) == "dropna-removed-nothing"
    assert record_kind(record("new-name", "dropna", shape(5, 2, 1), shape(5, 1, 2))) == "dropna-dropped-columns"
    assert (record_kind(record("rebind", "drop_duplicates", shape(5, 2, 1), shape(4, 2, 1)))
            == "drop_duplicates-removed-rows")


def test_unmeasured_sides_and_single_row_picks_are_not_candidates():
    assert record_kind(record("rebind", "getitem", {"error": "NameError"}, shape(3, 2, 1))) is None
    assert record_kind(record("displayed", "loc", shape(4, 4, 1), shape(4))) is None


def test_shown_values_inspection_is_skipped_and_the_rest_split_by_scalar():
    scalar = {"type": "int", "rows": None, "cols": None, "scalar": True}
    assert shown_kind({"expr": "df[df.x > 1].y.sum()", "value": scalar}) == "displayed-scalar"
    assert shown_kind({"expr": "df.groupby('g').y.mean()", "value": shape(3)}) == "displayed-table"
    assert shown_kind({"expr": "df.head()", "value": shape(5, 2)}) is None
    assert shown_kind({"expr": "df.shape", "value": shape(2)}) is None
    assert shown_kind({"expr": "df", "value": shape(9, 2)}) is None


def test_shown_calls_the_definition_names_as_inspection_are_marked():
    assert inspection_call("df.isnull().sum()") == "isnull"
    assert inspection_call("df['a'].value_counts().head(3)") == "value_counts"
    assert inspection_call("df.groupby('g').y.mean()") is None


@pytest.mark.kernel
def test_a_real_kernel_run_measures_rows_before_and_after(tmp_path):
    from measure import run
    (tmp_path / "d.csv").write_text("g,x\na,1\na,1\nb,2\nb,3\n")
    cells = ["import pandas as pd\ndf = pd.read_csv('d.csv')",
             "df = df[df.x > 0]",
             "df.dropna(inplace=True)\nuniq = df.drop_duplicates()",
             "df.x.sum()",
             "df.groupby('g').x.sum()",
             "missing_name.dropna()",
             "df = df.query('x > 1')"]
    path = write_notebook(tmp_path, cells)
    result = run(path, cell_timeout=60)
    kinds = {(r["cell"], r["form"], r["op"]): record_kind(r) for r in result["records"] if record_kind(r)}
    assert kinds == {(1, "rebind", "getitem"): "rebind-filter-kept-all",
                     (2, "inplace", "dropna"): "dropna-removed-nothing",
                     (2, "new-name", "drop_duplicates"): "drop_duplicates-removed-rows",
                     (6, "rebind", "query"): "rebind-filter-removed-rows"}
    shown = {s["cell"]: shown_kind(s) for s in result["shown"]}
    assert shown == {3: "displayed-scalar", 4: "displayed-table"}
    assert result["first_error"]["code_cell"] == 5 and not result["runs_to_end"]


@pytest.mark.kernel
def test_a_rebinding_filter_run_again_keeps_every_row_and_says_rerun(tmp_path):
    from classify import rerun_worthy_cells
    from measure import run
    (tmp_path / "d.csv").write_text("x\n1\n2\n3\n")
    cells = ["import pandas as pd\ndf = pd.read_csv('d.csv')", "df = df[df.x > 1]"]
    path = write_notebook(tmp_path, cells)
    first = run(path, cell_timeout=60)
    assert rerun_worthy_cells(first) == [1]
    again = run(path, cell_timeout=60, rerun_cells=frozenset([1]))
    assert [(r["rerun"], record_kind(r)) for r in again["records"]] == [
        (False, "rebind-filter-removed-rows"), (True, "rebind-filter-kept-all")]
    assert again["runs_to_end"]


def test_lines_count_from_the_cell_as_written_though_the_kernel_saw_it_without_leading_blank_lines():
    source = "\n\ntrain = df[:n]\nx = 1"
    record = {"cell": 0, "cell_index": 3, "line": 1, "form": "new-name", "op": "getitem",
              "before": shape(5, 2, 1), "after": shape(5, 2, 1)}
    found = candidates({"records": [record], "shown": []}, [source], {(3, 3): ["filter_rows"]})
    assert [(c["line"], c["source_line"], c["static_ops"]) for c in found] == [(3, "train = df[:n]", ["filter_rows"])]
