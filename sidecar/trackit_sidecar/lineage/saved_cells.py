"""A saved notebook file read leniently, cell by cell: what static analysis (static_notebook.py) and staleness (the
cells as they are now, when no editor says so) read. Its own module because staleness is judged by every
`trackit lineage`, which must not load the classifier that static analysis brings with it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Union

from ..notebook_file import NotebookError as _CliNotebookError
from ..notebook_file import unsupported_format
from ..protocol import source_sha256

PathLike = Union[str, Path]


class NotebookError(_CliNotebookError):
    """The file is not a notebook we can read (missing, not JSON, not nbformat 4 cells). A ValueError; the CLI
    reports it (as trackit_sidecar.notebook_file.NotebookError) as one line with exit code 2."""


def current_cell_shas(path: PathLike) -> dict[str, str]:
    """cell_id -> sha256 of every code cell's saved text, empty cells included: the notebook as it is now,
    for staleness (lineage.staleness) when no editor says otherwise. Raises NotebookError."""
    nb = load_notebook(Path(path))
    shas: dict[str, str] = {}
    for index, cell in enumerate(nb["cells"]):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            cell_id = cell.get("id") if isinstance(cell.get("id"), str) and cell.get("id") else f"cell-{index}"
            shas[cell_id] = source_sha256(source_text(cell.get("source", ""), path, index))
    return shas


def load_notebook(path: Path) -> dict[str, Any]:
    # Lenient on purpose (unlike running): a handed-over notebook missing metadata is still worth analysing.
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise NotebookError(f"{path}: no such notebook") from exc
    except UnicodeDecodeError:
        raise NotebookError(f"{path}: not a notebook (binary file, not UTF-8 JSON)") from None
    except OSError as exc:
        raise NotebookError(f"{path}: cannot read: {exc}") from exc
    try:
        nb = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"{path}: not a notebook (invalid JSON at line {exc.lineno}: {exc.msg})") from exc
    old_format = unsupported_format(path, nb)
    if old_format:
        raise NotebookError(old_format)
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise NotebookError(f"{path}: not a notebook (no 'cells' list; nbformat 4 expected)")
    return nb


def source_text(source: Any, path: PathLike, index: int) -> str:
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        return "".join(source)
    raise NotebookError(f"{path}: cell {index} source is {type(source).__name__}, not text")
