"""What a saved notebook's outputs say about a cell's last run (static analysis of a notebook file).

A cell saved with an error output stopped where its traceback points: the statement on that line failed and
the statements after it never ran, so none of them produced data (tests/corpus/blind/CONVENTIONS.md 5: "A
statement whose cell output is an error traceback is not a step"). The statements before it ran.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from ..protocol import Step
from .magics import strip_magics

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# IPython marks the failing line of each frame with an arrow ("----> 5 df = ..."); the cell's own frame is the one
# headed "<ipython-input-...> in <module>", "Input In [3], in <cell line: 5>()" or "Cell In[3], line 5"
_ARROW = re.compile(r"^\s*-+>\s*(\d+)")
_CELL_FRAME = re.compile(r"<ipython-input-|ipykernel_\d+|Input In \[|Cell In\[|in <module>|<cell line")


@dataclass(frozen=True)
class SavedError:
    name: Optional[str]
    message: Optional[str]
    line: Optional[int]  # 1-based line of the cell that failed; None when the traceback does not say


def saved_error(outputs: Any) -> Optional[SavedError]:
    """The first error output of a cell's saved outputs, or None."""
    if not isinstance(outputs, list):
        return None
    for output in outputs:
        if not isinstance(output, dict) or output.get("output_type") != "error":
            continue
        traceback = output.get("traceback")
        text = _ANSI.sub("", "\n".join(t for t in traceback if isinstance(t, str))) if isinstance(traceback, list) else ""
        name, message = output.get("ename"), output.get("evalue")
        return SavedError(name if isinstance(name, str) else None, message if isinstance(message, str) else None,
                          _cell_line(text))
    return None


def _cell_line(traceback: str) -> Optional[int]:
    """The arrowed line of the cell's own frame (the last one: chained exceptions repeat the cell's frame)."""
    found: Optional[int] = None
    in_cell = False
    for line in traceback.splitlines():
        arrow = _ARROW.match(line)
        if arrow:
            if in_cell:
                found = int(arrow.group(1))
            continue
        if line and not line[0].isspace():
            in_cell = bool(_CELL_FRAME.search(line))  # a frame's header line
        elif "Cell In[" in line or "Input In [" in line:
            in_cell = True
    return found


def steps_that_ran(steps: Sequence[Step], source: str, error: SavedError) -> list[Step]:
    """The steps of statements before the one that failed (none when the failing line is not known)."""
    if error.line is None:
        return []
    first_failed = _statement_start(source, error.line)
    return [step for step in steps if step.line is not None and step.line < first_failed]


def _statement_start(source: str, line: int) -> int:
    """The first line of the top-level statement that holds `line` (the line itself when the cell does not parse)."""
    try:
        body = ast.parse(strip_magics(source)).body
    except (SyntaxError, ValueError, RecursionError):
        return line
    for stmt in body:
        end = getattr(stmt, "end_lineno", stmt.lineno)
        if stmt.lineno <= line <= end:
            return stmt.lineno
    return line
