"""Reading .ipynb files with one-line errors: a user who passes the wrong file deserves a sentence, not a traceback."""

from __future__ import annotations

import copy
import json
import os


class NotebookError(ValueError):
    """The file is missing, not JSON, or not a valid Jupyter notebook."""


def read_notebook(path: str):
    """Parse and validate a notebook file; raise NotebookError with a one-line reason."""
    import nbformat

    if not os.path.exists(path):
        raise NotebookError(f"{path}: no such file")
    if os.path.isdir(path):
        raise NotebookError(f"{path}: is a folder, not a notebook")
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise NotebookError(f"{path}: not a notebook (binary file, not UTF-8 JSON)") from None
    except json.JSONDecodeError as exc:
        raise NotebookError(f"{path}: not a notebook (invalid JSON at line {exc.lineno}: {exc.msg})") from None
    old_format = unsupported_format(path, data)
    if old_format:
        raise NotebookError(old_format)
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or "nbformat" not in data:
        raise NotebookError(f"{path}: not a Jupyter notebook (JSON without a 'cells' list and 'nbformat')")
    try:
        ids_given = _give_stable_ids(data)
        fields_filled = _fill_omitted_fields(data)
        text = json.dumps(data) if ids_given or fields_filled else raw.decode("utf-8")
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several types; all mean the same to the user
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NotebookError(f"{path}: invalid notebook ({reason[:200]})") from None
    return nb


def unsupported_format(path, data) -> str:
    """The one line for a notebook of another nbformat than 4 (a v3 notebook has no 'cells' list, so it would
    otherwise read as "not a notebook"), else ''."""
    major = data.get("nbformat") if isinstance(data, dict) else None
    if not isinstance(major, int) or isinstance(major, bool) or major == 4:
        return ""
    convert = (f"; convert it with `jupyter nbconvert --to notebook --nbformat 4 --output NEW.ipynb {path}`"
               if major < 4 else "")
    return f"{path}: nbformat {major} is not supported (4 expected){convert}"


def cell_id_for(cell, index: int) -> str:
    """The nbformat cell id, or a stable id derived from the cell's position (files without ids)."""
    cell_id = cell.get("id") if isinstance(cell, dict) else None
    return str(cell_id) if cell_id else f"cell-{index}"


def _give_stable_ids(data: dict) -> bool:
    """nbformat gives a 4.5+ cell that has no id a random one on every read (with a warning), so two runs of
    the same file would record different cells, and history, staleness and reproduce match cells by id. Such
    cells get the position-derived id instead. Returns whether any cell was given one."""
    minor = data.get("nbformat_minor")
    if not isinstance(minor, int) or minor < 5:
        return False
    given = False
    for index, cell in enumerate(data["cells"]):
        if isinstance(cell, dict) and not cell.get("id"):
            cell["id"] = cell_id_for(None, index)
            given = True
    return given


# Fields nbformat 4 requires that Jupyter and VS Code both open a notebook without (hand-written and
# tool-made notebooks omit them): a code cell that never ran, its outputs, a cell's or the notebook's metadata.
# Each has one value that means "nothing here", so filling it in loses nothing; anything else invalid is refused.
_OMITTED_FIELD_DEFAULTS = {
    "code": {"execution_count": None, "outputs": [], "metadata": {}},
    "markdown": {"metadata": {}},
    "raw": {"metadata": {}},
}


def _fill_omitted_fields(data: dict) -> bool:
    """Give each cell (and the notebook) the empty value of a required field it omits; returns whether any was."""
    filled = "metadata" not in data
    data.setdefault("metadata", {})
    for cell in data["cells"]:
        defaults = _OMITTED_FIELD_DEFAULTS.get(cell.get("cell_type")) if isinstance(cell, dict) else None
        for field, empty in (defaults or {}).items():
            if field not in cell:
                cell[field] = copy.deepcopy(empty)
                filled = True
    return filled


def check_runnable(nb, path: str) -> None:
    """Raise NotebookError when a code cell holds text no kernel can be sent (a lone surrogate: the
    messaging protocol is UTF-8). Reading such a notebook is fine; running it is not."""
    for number, cell in enumerate(nb.get("cells", []), start=1):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") != "code" or source.isascii():
            continue
        try:
            source.encode("utf-8")
        except UnicodeEncodeError as exc:
            line = source.count("\n", 0, exc.start) + 1
            raise NotebookError(f"{path}: cell {number} has text that is not valid Unicode (a lone surrogate "
                                f"{source[exc.start]!r} on line {line}); no kernel can be sent it: fix the cell") from None
