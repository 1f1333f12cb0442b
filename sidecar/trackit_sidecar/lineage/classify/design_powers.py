"""A variable raised to a range of powers (`x_train ** np.arange(1, d + 1)`, a course's polynomial features by hand):
a design matrix built from a variable and its powers, derive_feature (CONVENTIONS 13: "building a design matrix from
a variable and its powers (`column_stack((x, x**2))`) is `derive_feature`"), not data generated in code because the
exponents are a NumPy range (CONVENTIONS 28 grids are data only when fed to predict or made into data alone)."""

from __future__ import annotations

import ast

from ..kb import sources as kb_sources
from .values import Op, Val


def powers_of_data(node: ast.BinOp, base: Val, exponents: Val) -> bool:
    """`base ** exponents` with `base` the notebook's data and `exponents` only a NumPy range made in place."""
    return isinstance(node.op, ast.Pow) and bool(base.inputs) and not base.answer \
        and not any(op.facts.get("generated") for op in base.ops) \
        and bool(exponents.ops) and all(op.facts.get("generated") and op.facts.get("method") in kb_sources.GRID_GENERATORS
                                        for op in exponents.ops)


def as_powers(merged: Val, base: Val) -> None:
    """The range's load dropped, the powers derived."""
    merged.ops = [op for op in merged.ops if not op.facts.get("generated")] + [
        Op("derive_feature", list(base.inputs), [], None, facts={"method": "powers"})]
