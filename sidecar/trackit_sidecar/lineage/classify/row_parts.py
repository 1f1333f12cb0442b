"""Rows parted into a train part and a held-out part by a notebook function (pure functions over `ast`):
what-is-a-step.md, "a hand-written split function that returns train and test sets: split"; CONVENTIONS 16 ("a
positional train/test slice", one split per output): `return d[:n], d[n:]`, the rows before and after one position.

(A mask and its complement, `train = df[df.d < cut]` / `test = df[df.d >= cut]`, stay two filter_rows: CONVENTIONS 16
lists positional slices, not masks, and the project corpus' timeseries_sales labels them so.)
"""

from __future__ import annotations

import ast


def returns_positional_parts(value: ast.AST) -> bool:
    """`d[:n], d[n:]` / `X[:cut], X[cut:], y[:cut], y[cut:]`: rows of the same data cut at one position, before and
    after it."""
    if not isinstance(value, ast.Tuple) or len(value.elts) < 2:
        return False
    cuts: dict[str, set[str]] = {}
    for part in value.elts:
        if isinstance(part, ast.Subscript) and isinstance(part.value, ast.Attribute) and part.value.attr == "iloc":
            part = ast.Subscript(value=part.value.value, slice=part.slice)
        if not (isinstance(part, ast.Subscript) and isinstance(part.value, ast.Name) and isinstance(part.slice, ast.Slice)
                and part.slice.step is None and (part.slice.lower is None) != (part.slice.upper is None)):
            return False
        bound = part.slice.upper if part.slice.upper is not None else part.slice.lower
        cuts.setdefault(part.value.id, set()).add(("upper:" if part.slice.upper is not None else "lower:") + ast.dump(bound))
    return all(len(sides) == 2 and len({side.split(":", 1)[1] for side in sides}) == 1 for sides in cuts.values())
