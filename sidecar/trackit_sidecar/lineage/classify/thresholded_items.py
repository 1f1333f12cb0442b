"""Predicted probabilities turned into classes one value at a time: `[1 if p > 0.5 else 0 for p in proba]`,
`[int(p >= t) for p in y_scores]`, `["spam" if s > 0.5 else "ham" for s in scores]`. A threshold applied to a model's
scores gives its predicted classes (CONVENTIONS 26: "thresholding probabilities [is] `predict`"), as
`np.where(proba > 0.5, 1, 0)` and `(proba > 0.5).astype(int)` already are; written as a comprehension, the loop's name
holds each score."""

from __future__ import annotations

import ast

from .results import PREDICTED
from .values import is_number

COMPREHENSIONS = (ast.ListComp, ast.GeneratorExp)


class ThresholdedItemRules:
    """Mixin of `Cell`."""

    def thresholds_predicted_items(self, value: ast.AST) -> bool:
        """`value` is a comprehension over a model's scores that compares each with a number."""
        if not (isinstance(value, COMPREHENSIONS) and len(value.generators) == 1):
            return False
        generator = value.generators[0]
        if not (isinstance(generator.target, ast.Name) and PREDICTED in self.roles_in(generator.iter)):  # type: ignore[attr-defined]
            return False
        item = generator.target.id
        return any(_compares_with_a_number(node, item, self.env) for node in ast.walk(value.elt))  # type: ignore[attr-defined]


def _compares_with_a_number(node: ast.AST, item: str, env: dict[str, str]) -> bool:
    """`p > 0.5`, `0.5 <= p`, `p >= threshold` (a number bound to a name): one score tested against a cut."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.Gt, ast.GtE, ast.Lt, ast.LtE))):
        return False
    sides = (node.left, node.comparators[0])
    named = [side for side in sides if isinstance(side, ast.Name) and side.id == item]
    other = sides[1] if named and named[0] is sides[0] else sides[0]
    return bool(named) and is_number(other, env)
