"""A notebook of the given cells run top to bottom in a fresh kernel through `trackit run` (a real ipykernel, the
probe's facts, a real DuckDB file), as a user would: one home for the tests that check what TrackIT says of real runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat


def trackit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trackit_sidecar", *args], capture_output=True, text=True,
                          timeout=240, cwd=cwd)


def write_notebook(folder: Path, cells: list[str], name: str = "nb.ipynb") -> Path:
    """The notebook file of these code cells. Cell ids stay the same from one call to the next, as in a notebook edited
    between runs."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source, id=f"c{index}") for index, source in enumerate(cells)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / name
    nbformat.write(notebook, str(path))
    return path


def record_notebook(folder: Path, cells: list[str], db: Path, name: str = "nb.ipynb") -> tuple[Path, str]:
    """Write the notebook and run it; the notebook's path and what `trackit run` printed of its cells."""
    path = write_notebook(folder, cells, name)
    done = trackit("run", str(path), "--db", str(db), cwd=folder)
    assert done.returncode == 0, done.stdout + done.stderr
    return path, done.stdout.split("recorded")[0]


def problems_section(notebook: Path, db: Path) -> str:
    """The Problems section of `trackit summarize`."""
    done = trackit("summarize", str(notebook), "--db", str(db), cwd=notebook.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.split("## Problems", 1)[1].split("\n## ", 1)[0]
