"""Lines of a cell whose in-place call the kernel said changed a copy. Pure: an execution's outputs in, lines out.

Static analysis does not know the pandas version: it reads `cm_df.Pred.replace({True: "Yes"}, inplace=True)` as
encoding `Pred` of `cm_df`. Under pandas >= 3 that call replaces values in a temporary copy and leaves `cm_df` as it
was, and pandas says so on stderr, naming the cell's line: "/tmp/ipykernel_29501/1906116495.py:3:
ChainedAssignmentError: A value is being set on a copy ..." (islr chapter 4, cell 56, whose next statement failed
because `Pred` still held booleans). runtime_decisions makes such a step `other`, written to a copy.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..protocol import OutputInfo
from .kb import runtime as kb_runtime

# `<cell file>.py:<line>: <warning>`: ipykernel compiles each cell as a file of its own, so the line is the cell's
_WARNED_LINE = re.compile(r"\.py:(\d+): (?:" + "|".join(map(re.escape, kb_runtime.COPY_WRITE_WARNINGS)) + r")\b")


def lines_written_to_a_copy(outputs: Iterable[OutputInfo]) -> frozenset[int]:
    return frozenset(int(found.group(1)) for output in outputs
                     if output.output_type == "stream" and output.text
                     for found in _WARNED_LINE.finditer(output.text))
