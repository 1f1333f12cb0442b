"""Plain-text view of a notebook for human labellers.

Every cell, in order, under a header `### cell <cell_index> [code|markdown|raw]`, where cell_index
counts all cells from 0 exactly as the .ipynb lists them (the index a label refers to). Code cells
are followed by their outputs: text kept to OUTPUT_LINES lines per output, pictures and interactive
charts shown as `[image]`, so a labeller sees what the author saw without the notebook's bulk.
"""
from __future__ import annotations

import re

OUTPUT_LINES = 8
LINE_CHARS = 200
HEADER = re.compile(r"^### cell (\d+) \[(code|markdown|raw)\]$")
CHART_TYPES = ("application/vnd.plotly.v1+json", "application/vnd.vegalite.v4+json",
               "application/vnd.vegalite.v5+json", "application/vnd.bokehjs_exec.v0+json")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _clip(text: str) -> list[str]:
    lines = ANSI.sub("", text).rstrip("\n").split("\n")
    kept = [line if len(line) <= LINE_CHARS else line[:LINE_CHARS] + " …" for line in lines[:OUTPUT_LINES]]
    if len(lines) > OUTPUT_LINES:
        kept.append(f"… [{len(lines) - OUTPUT_LINES} more lines]")
    return kept


def _merged_streams(outputs: list[dict]) -> list[dict]:
    """Consecutive writes to one stream are one output as the reader saw it."""
    merged: list[dict] = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and prev is not None
                and prev.get("output_type") == "stream" and prev.get("name") == out.get("name")):
            prev["text"] = _text(prev.get("text")) + _text(out.get("text"))
        else:
            merged.append(dict(out))
    return merged


def _output_lines(out: dict) -> list[str]:
    kind = out.get("output_type")
    if kind == "stream":
        return _clip(_text(out.get("text")))
    if kind == "error":
        return _clip(f"{out.get('ename', 'Error')}: {out.get('evalue', '')}")
    data = out.get("data") or {}
    if any(mime.startswith("image/") or mime in CHART_TYPES for mime in data):
        return ["[image]"]  # its text/plain is only "<Figure size ...>" or a repr of the figure
    if "text/plain" in data:
        return _clip(_text(data["text/plain"]))
    return [f"[{sorted(data)[0]}]"] if data else []


def render(notebook: dict, title: str = "") -> str:
    parts = [f"# {title}", ""] if title else []
    for index, cell in enumerate(notebook.get("cells", [])):
        kind = cell.get("cell_type", "raw")
        kind = kind if kind in ("code", "markdown") else "raw"
        parts.append(f"### cell {index} [{kind}]")
        parts.append(_text(cell.get("source")).rstrip("\n"))
        if kind == "code":
            lines = [line for out in _merged_streams(cell.get("outputs") or []) for line in _output_lines(out)]
            if lines:
                parts.append("--- output ---")
                parts.extend(lines)
        parts.append("")
    return "\n".join(parts) + "\n"


def headers(view_text: str) -> list[tuple[int, str]]:
    """The (cell_index, kind) headers of a rendered view, in order (a cell's source may not
    itself start a line with '### cell N [kind]'; check.py compares them with the notebook)."""
    return [(int(m.group(1)), m.group(2)) for m in map(HEADER.match, view_text.split("\n")) if m]
