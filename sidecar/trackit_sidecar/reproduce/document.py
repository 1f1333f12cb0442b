"""A gathered result as a notebook (nbformat 4 dict) or a Python script, and read back for replay. Pure.

The notebook carries where everything came from, so `trackit replay` needs nothing else:
- notebook metadata `trackit.gathered`: format, source notebook (path and URI), target, session, the
  recorded kernel name, and (added at the edge) the environment seen when gathering;
- each code cell's metadata `trackit`: `origin` (cell id, cell index, seq, session, execution count, source
  sha256, version, versions, state) and `compare` (the variables the replay must reproduce), plus
  `gathered_sha256`, the sha256 of the cell as written, so a replay can tell a hand-edited gathered cell.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, asdict
from typing import Any, Optional

from ..lineage import magics
from ..protocol import source_sha256
from .cells import Origin
from .gather import GatherResult
from .verify import ReplayedCell

GATHER_FORMAT = "trackit.gather/1"
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


class GatheredNotebookError(ValueError):
    """Not a notebook `trackit gather` wrote (or its metadata was damaged); the message says what is missing."""


def to_notebook(result: GatherResult, kernel_name: Optional[str] = None,
                environment: Optional[dict[str, Any]] = None) -> dict:
    """nbformat 4.5 notebook: a markdown header, then one code cell per gathered execution."""
    cells: list[dict] = [{
        "cell_type": "markdown", "id": "trackit-gathered", "metadata": {},
        "source": header_markdown(result),
    }]
    for number, cell in enumerate(result.cells, 1):
        cells.append({
            "cell_type": "code",
            "id": _cell_id(number, cell.origin.cell_id),
            "metadata": {"trackit": {"origin": asdict(cell.origin), "compare": list(cell.compare),
                                     "outputs": cell.outputs, "gathered_sha256": source_sha256(cell.source)}},
            "execution_count": None,
            "outputs": [],
            "source": cell.source,
        })
    gathered: dict[str, Any] = {
        "format": GATHER_FORMAT, "notebook": result.notebook, "notebook_uri": result.notebook_uri,
        "target": result.target, "variable": result.target_variable, "seq": result.target_seq,
        "session": result.session, "kernel_name": kernel_name,
        "cells_in_session": result.cells_in_session, "executions_in_session": result.executions_in_session,
        "statements_in_session": result.statements_in_session, "notes": list(result.notes),
    }
    if environment:
        gathered["environment"] = environment
    metadata: dict[str, Any] = {"trackit": {"gathered": gathered},
                                "language_info": {"name": "python"}}
    if kernel_name:
        metadata["kernelspec"] = {"name": kernel_name, "display_name": kernel_name, "language": "python"}
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells}


def to_script(result: GatherResult) -> str:
    """The same code as a .py file: header and origins as comments; IPython-only lines commented out."""
    lines = ["# " + line if line else "#" for line in header_markdown(result).splitlines()]
    for cell in result.cells:
        lines.append("")
        lines.append("")
        lines.extend(_python_only(cell.source))
    return "\n".join(lines).rstrip() + "\n"


def header_markdown(result: GatherResult) -> str:
    source = result.notebook.rsplit("/", 1)[-1]
    statements = result.statements
    text = [
        f"**Gathered by TrackIT** from `{source}`: the code that computed {result.target} "
        f"(session {result.session}), in the order it ran.",
        "",
        f"{len(result.cells)} of {result.cells_in_session} cells that ran in that session "
        f"({statements} of {result.statements_in_session} statements). "
        "Each cell says which cell and run it came from; `trackit replay --verify` re-runs it in a fresh kernel "
        "and compares every step with the recording.",
    ]
    if result.environment:
        text += ["", "Packages were installed during the session (see `trackit env`): "
                 + "; ".join(f"`{line}`" for line in result.environment)]
    if result.notes:
        text += ["", "Notes:"] + [f"- {note}" for note in result.notes]
    return "\n".join(text)


def _python_only(source: str) -> list[str]:
    """IPython lines in a gathered cell become comments in a script (a script must compile)."""
    stripped = magics.strip_magics(source).split("\n")
    out = []
    for original, python in zip(source.split("\n"), stripped):
        if original == python:
            out.append(original)
        else:
            indent = original[: len(original) - len(original.lstrip())]
            out.append(f"{indent}# IPython only, not run as a script: {original.strip()}")
            if python.strip() not in ("", "pass") and not python.strip().startswith("("):
                out.append(python)
    return out


def _cell_id(number: int, origin_id: str) -> str:
    return (f"g{number}-" + _ID_UNSAFE.sub("-", origin_id))[:64]


# ---------------------------------------------------------------- reading back
def read_gathered(notebook: dict) -> tuple[dict, list[ReplayedCell]]:
    """(notebook-level `trackit.gathered`, one ReplayedCell per code cell). Raises GatheredNotebookError when the
    notebook was not written by `trackit gather`."""
    gathered = ((notebook.get("metadata") or {}).get("trackit") or {}).get("gathered")
    if not isinstance(gathered, dict) or gathered.get("format") != GATHER_FORMAT:
        raise GatheredNotebookError("not a gathered notebook (no trackit.gathered metadata; make one with "
                                    "`trackit gather NOTEBOOK VARIABLE -o OUT.ipynb`)")
    cells: list[ReplayedCell] = []
    for index, cell in enumerate(notebook.get("cells") or []):
        if cell.get("cell_type") != "code":
            continue
        meta = (cell.get("metadata") or {}).get("trackit") or {}
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        raw = meta.get("origin")
        if not isinstance(raw, dict):
            raise GatheredNotebookError(f"code cell {index + 1} has no trackit.origin metadata (added by hand?)")
        try:
            origin = Origin(**{name: raw[name] for name, spec in Origin.__dataclass_fields__.items()
                               if name in raw or spec.default is MISSING})
        except (KeyError, TypeError) as error:
            raise GatheredNotebookError(f"code cell {index + 1}: damaged trackit.origin metadata ({error})") from None
        cells.append(ReplayedCell(len(cells) + 1, str(cell.get("id") or f"cell-{index}"), source, origin,
                                  list(meta.get("compare") or []), meta.get("gathered_sha256"),
                                  bool(meta.get("outputs"))))
    return gathered, cells
