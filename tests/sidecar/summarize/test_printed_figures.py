"""An evaluation's figure that the cell prints without a label (`print(accuracy_score(y, pred))` prints "0.75") or shows
as NumPy's scalar (`np.float64(0.75)`) is quoted in the summary, as a labelled one ("accuracy: 0.75") already was.
sklearn-videos 06/07/09 said "Evaluated `y_test` and `y_pred_class` with `accuracy_score`" twenty times, never what
the kernel printed.

Run for real: a notebook through `trackit run` (a real ipykernel, a real DuckDB file), then `trackit summarize`.
"""

from __future__ import annotations

import pytest

from ..recorded_notebook import record_notebook, trackit

CELLS = [
    # 1
    "import numpy as np\nfrom sklearn import metrics\n"
    "y_test = np.array([0, 1, 1, 0])\ny_pred = np.array([0, 1, 0, 0])",
    # 2: printed alone
    "print(metrics.accuracy_score(y_test, y_pred))",
    # 3: shown as the cell's result, NumPy 2's repr: np.float64(0.75)
    "from sklearn.metrics import accuracy_score\nnp.float64(accuracy_score(y_test, y_pred))",
    # 4: a labelled figure with its percentage beside it (chili cell 85)
    "accuracy = accuracy_score(y_test, y_pred)\n"
    "print(f'Classification Accuracy on Test Set: {accuracy:.3f} ({round(accuracy * 100, 1)}%)')",
]


@pytest.fixture(scope="module")
def modelling(tmp_path_factory):
    folder = tmp_path_factory.mktemp("printed")
    db = folder / "t.duckdb"
    notebook, ran = record_notebook(folder, CELLS, db, "printed.ipynb")
    assert "error" not in ran
    done = trackit("summarize", str(notebook), "--db", str(db), cwd=folder)
    assert done.returncode == 0, done.stderr
    return done.stdout.split("## Modelling and results", 1)[1].split("\n## ", 1)[0]


def test_a_figure_printed_alone_is_quoted(modelling):
    assert "The evaluation printed \u201c0.75\u201d [cell 2]." in modelling, modelling


def test_a_numpy_scalar_shown_is_quoted_as_its_number(modelling):
    assert "The evaluation printed \u201c0.75\u201d [cell 3]." in modelling, modelling
    assert "np.float64" not in modelling


def test_a_labelled_figure_with_its_percentage_beside_it_is_quoted(modelling):
    assert "The evaluation printed \u201cClassification Accuracy on Test Set: 0.750 (75.0%)\u201d [cell 4]." in modelling, \
        modelling
