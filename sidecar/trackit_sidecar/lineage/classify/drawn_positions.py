"""Random positions of rows: whole numbers drawn up to the size of data (`np.random.randint(0, len(neg), size=n)`,
`rng.integers(len(df), size=n)`) pick rows of that data at random, a bootstrap resample (CONVENTIONS 30: "`sample`,
permutation and bootstrap resampling are `sample`"), as `np.random.choice(len(df), n)` already was; whole numbers drawn
between written bounds (`np.random.randint(1, 20, 500)`) stay values made up in code (a `load`, CONVENTIONS 28)."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import sources as kb_sources


def position_draw_of(method: str, node: ast.Call) -> Optional[str]:
    """The name of the data whose row positions the draw `node` (a call of `method`) picks, or None."""
    if method not in kb_sources.POSITION_DRAWS:
        return None
    bound = next((k.value for k in node.keywords if k.arg in kb_sources.POSITION_DRAW_BOUNDS), None)
    if bound is None and node.args:
        # randint(high) alone, randint(low, high): the upper bound is the last of the first two positional arguments
        bound = node.args[min(len(node.args), 2) - 1]
    return _size_of(bound) if bound is not None else None


def _size_of(node: ast.AST) -> Optional[str]:
    """`len(x)`, `x.shape[0]`, `x.size`, `len(x) - 1`: the name of the data `node` counts the rows of, or None."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and isinstance(node.right, ast.Constant):
        node = node.left
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" \
            and len(node.args) == 1 and isinstance(node.args[0], ast.Name):
        return node.args[0].id
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "shape" \
            and isinstance(node.value.value, ast.Name) and isinstance(node.slice, ast.Constant) \
            and node.slice.value == 0:
        return node.value.value.id
    if isinstance(node, ast.Attribute) and node.attr == "size" and isinstance(node.value, ast.Name):
        return node.value.id
    return None
