"""Reading .ipynb files: cell ids that stay the same from one read to the next."""

import json
import warnings

import pytest

from trackit_sidecar.notebook_file import NotebookError, cell_id_for, read_notebook


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


def test_a_notebook_jupyter_opens_without_its_empty_fields_is_read_with_them_filled_in(tmp_path):
    # hand-written and tool-made notebooks omit a never-run cell's execution_count and outputs or any metadata;
    # nbformat's schema requires them, Jupyter and VS Code open the file anyway ("invalid notebook" before)
    path = tmp_path / "omitted.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "cells": [
        {"cell_type": "markdown", "id": "m", "source": "# Title"},
        {"cell_type": "code", "id": "c1", "source": "x = 1"},
        {"cell_type": "code", "id": "c2", "source": "x", "execution_count": 3,
         "outputs": [{"output_type": "execute_result", "execution_count": 3, "data": {"text/plain": "1"},
                      "metadata": {}}], "metadata": {"tags": ["kept"]}},
    ]}))
    nb = read_notebook(str(path))
    assert [c.source for c in nb.cells] == ["# Title", "x = 1", "x"]
    assert (nb.cells[1].execution_count, nb.cells[1].outputs, nb.cells[1].metadata) == (None, [], {})
    assert (nb.cells[2].execution_count, nb.cells[2].metadata, len(nb.cells[2].outputs)) == (3, {"tags": ["kept"]}, 1)
    assert nb.metadata == {}


def test_a_notebook_invalid_in_another_way_is_still_one_clear_line(tmp_path):
    path = tmp_path / "bad.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "id": "c1", "source": 42, "metadata": {}, "outputs": [], "execution_count": None}]}))
    with pytest.raises(NotebookError) as caught:
        read_notebook(str(path))
    assert str(caught.value).startswith(f"{path}: invalid notebook (") and "\n" not in str(caught.value)
