"""Rows parted into a train part and a held-out part (pure functions over `ast`): what-is-a-step.md, "when it creates a
train/test pair it is a split (one per output)" and "a hand-written split function that returns train and test sets:
split"; CONVENTIONS 16 (one split per output).

- `train = df[df.d < cut]` then `test = df[df.d >= cut]` (or `df[m]` / `df[~m]`, polars `df.filter(...)`): a mask and
  its complement part the rows (the walker pairs them by the names' parts, kb.TRAIN_PART_NAME / HELD_OUT_PART_NAME);
- `return d[:n], d[n:]` in a notebook function: the rows before and after one position.
"""

from __future__ import annotations

import ast
from typing import Optional


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


def masked_rows(value: ast.AST) -> Optional[tuple[str, ast.AST]]:
    """`df[mask]` / `df.loc[mask]` / `df.loc[mask, cols]` / `df.filter(mask)` of a variable: (its name, the mask),
    else None."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "filter" \
            and isinstance(value.func.value, ast.Name) and len(value.args) == 1 and not value.keywords:
        return value.func.value.id, value.args[0]  # polars: train = df.filter(pl.col("d") < cut)
    if not isinstance(value, ast.Subscript):
        return None
    holder, mask = value.value, value.slice
    if isinstance(holder, ast.Attribute) and holder.attr == "loc":
        holder = holder.value
        if isinstance(mask, ast.Tuple) and mask.elts:
            mask = mask.elts[0]
    if not isinstance(holder, ast.Name) or not isinstance(mask, (ast.Compare, ast.UnaryOp, ast.Call, ast.BinOp, ast.Name)):
        return None
    return holder.id, mask


COMPLEMENTARY_COMPARISONS = ((ast.Lt, ast.GtE), (ast.GtE, ast.Lt), (ast.Gt, ast.LtE), (ast.LtE, ast.Gt),
                             (ast.Eq, ast.NotEq), (ast.NotEq, ast.Eq))


def complementary(first: ast.AST, second: ast.AST) -> bool:
    """`a < c` and `a >= c`, `a == c` and `a != c`, `m` and `~m`: masks that part the rows between them."""
    for mask, other in ((first, second), (second, first)):
        if isinstance(mask, ast.UnaryOp) and isinstance(mask.op, (ast.Invert, ast.Not)) \
                and ast.dump(mask.operand) == ast.dump(other):
            return True
    if isinstance(first, ast.Compare) and isinstance(second, ast.Compare) and len(first.ops) == len(second.ops) == 1:
        same_sides = ast.dump(first.left) == ast.dump(second.left) \
            and ast.dump(first.comparators[0]) == ast.dump(second.comparators[0])
        return same_sides and any(isinstance(first.ops[0], a) and isinstance(second.ops[0], b)
                                  for a, b in COMPLEMENTARY_COMPARISONS)
    return False
