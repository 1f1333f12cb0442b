"""A cell whose magic kept its body's error: recorded as the error it was, not as the ok the kernel replied.

`%%capture` runs its body through IPython's `run_cell`, which shows the traceback of an error the body raises
(the kernel sends it as the cell's error output) and returns: the cell's reply is ok and the kernel goes on. The
body stopped at that error, so its statements after it never ran. Recorded as ok, the lineage would claim them
(their steps, their writes, a parent for whoever reads their names) and the summary would say "without errors".

So an execution the editor (or `trackit run`) reports ok, whose source is such a cell magic and whose outputs
hold an error, is stored as failed with that error (cancelled for a KeyboardInterrupt, as the editor words an
interrupt), and the message says the kernel replied ok. From there the failed-run rules apply (measured.py):
only what the kernel saw change counts as done. Pure: one event in, one event out.
"""

from __future__ import annotations

import json
from typing import Optional

from ..protocol import CellExecution
from .kb.python import ERROR_KEEPING_CELL_MAGICS
from .magics import preprocess

KEPT_NOTE = "raised in the %%{magic} body, which kept it: the kernel replied ok"


def judged(event: CellExecution) -> CellExecution:
    """The event as it really ended (see the module docstring); the same event when nothing was kept."""
    if event.status != "ok" or event.language != "python" or "%%" not in event.source:
        return event
    errors = [output for output in event.outputs if output.output_type == "error"]
    if not errors:  # before the source is parsed (~60 us a cell): an ok cell rarely has an error output
        return event
    magic = preprocess(event.source).cell_magic
    if magic not in ERROR_KEEPING_CELL_MAGICS:
        return event
    name, message = _name_and_message(errors[-1].text)  # the last: the one that ended the body
    note = KEPT_NOTE.format(magic=magic)
    return event.model_copy(update={
        "status": "cancelled" if name == "KeyboardInterrupt" else "error",
        "error_name": name,
        "error_message": f"{message} ({note})" if message else note,
    })


def _name_and_message(text: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """An error output's name and message ({"name", "message", "stack"}); (None, None) when it does not parse
    (capped by the editor): the cell still failed, only the details are lost."""
    try:
        parsed = json.loads(text or "")
    except ValueError:
        return None, None
    if not isinstance(parsed, dict):
        return None, None
    name, message = parsed.get("name"), parsed.get("message")
    return (name if isinstance(name, str) else None), (message if isinstance(message, str) else None)


def body_offset(source: str) -> Optional[int]:
    """How many of the cell's lines come before the body of its error-keeping magic: the body runs as a cell of
    its own, so its traceback numbers lines from the body's first ("Cell In[4], line 2" is the cell's line 3).
    None when the cell is no such magic."""
    if "%%" not in source or preprocess(source).cell_magic not in ERROR_KEEPING_CELL_MAGICS:
        return None
    lines = source.split("\n")
    return next(index for index, line in enumerate(lines) if line.strip()) + 1

