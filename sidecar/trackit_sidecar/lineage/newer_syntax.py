"""Cells written for a newer Python than the one the sidecar runs on: what the analysis can still read of them."""

from __future__ import annotations

import ast

MAX_FSTRING_LINES_DROPPED = 5


def parse_newer_fstrings(text: str) -> tuple[ast.Module, str]:
    """`ast.parse(text)`, and the text parsed. A line Python 3.12 reads and this Python does not, an f-string that
    reuses its quotes inside a field (`print(f'mean: {top10['rating'].mean()}')`, PEP 701), is set aside as `pass`
    so the cell's other statements are still read (that line alone is lost, where the whole cell was), at most a few
    such lines; any other syntax error is raised as it is. On Python 3.12 and later the cell parses as it is."""
    for _ in range(MAX_FSTRING_LINES_DROPPED):
        try:
            return ast.parse(text), text
        except SyntaxError as error:
            lines = text.split("\n")
            if not (error.msg or "").startswith("f-string") or not error.lineno or error.lineno > len(lines):
                raise
            line = lines[error.lineno - 1]
            lines[error.lineno - 1] = line[:len(line) - len(line.lstrip())] + "pass"
            text = "\n".join(lines)
    return ast.parse(text), text
