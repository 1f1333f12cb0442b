"""Reading .ipynb files: cell ids that stay the same from one read to the next."""

import json
import warnings

from trackit_sidecar.notebook_file import cell_id_for, read_notebook


def _write(path, minor: int, ids: list[str | None]):
    cells = []
    for n, cell_id in enumerate(ids):
        cell = {"cell_type": "code", "source": f"x{n} = {n}", "metadata": {}, "outputs": [], "execution_count": None}
        if cell_id:
            cell["id"] = cell_id
        cells.append(cell)
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": minor, "metadata": {}, "cells": cells}))
    return str(path)


def test_a_cell_without_an_id_gets_the_same_id_on_every_read(tmp_path):
    # nbformat invents a random id for such cells on each read: two runs would record two different cells
    path = _write(tmp_path / "nb.ipynb", 5, [None, "kept-id", None])
    first = [c.id for c in read_notebook(path).cells]
    second = [c.id for c in read_notebook(path).cells]
    assert first == second == ["cell-0", "kept-id", "cell-2"]


def test_reading_a_notebook_without_ids_does_not_warn(tmp_path):
    path = _write(tmp_path / "nb.ipynb", 5, [None, None])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_notebook(path)


def test_older_notebooks_keep_no_id_and_the_runner_derives_the_same_one(tmp_path):
    nb = read_notebook(_write(tmp_path / "old.ipynb", 4, [None, None]))
    assert [c.get("id") for c in nb.cells] == [None, None]
    assert [cell_id_for(c, i) for i, c in enumerate(nb.cells)] == ["cell-0", "cell-1"]
