"""Predictions walked beside the truth, pair by pair: `sum(p == t for p, t in zip(y_pred, y_test)) / len(y_test)`,
`np.mean([a == b for a, b in zip(y_test, preds)])`, `sum(1 for p, t in zip(y_pred, y_test) if p != t)`, or a loop
`for p, t in zip(y_pred, y_test): if p == t: correct += 1`. Each pair compared is a hit (or a miss) counted by hand: an
accuracy or error rate computed from data, an evaluation (CONVENTIONS 27: "errors or accuracy computed by hand from
data"), one where it is written. The names the pairs are bound to exist only in the comprehension (or loop), so the
prediction's role is read from what is zipped: one side a model's predictions, the other the data."""

from __future__ import annotations

import ast
from typing import Callable, Optional

from .results import PREDICTED
from .values import called_name

COMPREHENSIONS = (ast.GeneratorExp, ast.ListComp, ast.SetComp)


def zipped_prediction(target: ast.AST, iterable: ast.AST, predicted: Callable[[ast.AST], bool]) -> Optional[ast.Name]:
    """In `for p, t in zip(y_pred, y_test)`, the name bound to each prediction (`p`): the one of two names whose
    zipped sequence holds predictions while the other's does not; else None."""
    if not (isinstance(iterable, ast.Call) and called_name(iterable.func) == "zip" and len(iterable.args) == 2
            and not iterable.keywords and isinstance(target, ast.Tuple) and len(target.elts) == 2
            and all(isinstance(name, ast.Name) for name in target.elts)):
        return None
    sides = [predicted(arg) for arg in iterable.args]
    if sides.count(True) != 1:
        return None  # two predictions side by side (an ensemble), or none
    return target.elts[sides.index(True)]  # type: ignore[return-value]


class ZippedPairRules:
    """Mixin of `Cell`."""

    def compares_zipped_pairs(self, value: ast.AST) -> bool:
        """`value` holds a comprehension over `zip(predictions, data)` that tests each prediction against its truth."""
        for comprehension in ast.walk(value):
            if not isinstance(comprehension, COMPREHENSIONS):
                continue
            for generator in comprehension.generators:
                item = zipped_prediction(generator.target, generator.iter, self.holds_predictions)
                if item is None:
                    continue
                truth_side = generator.iter.args[1 - generator.target.elts.index(item)]  # type: ignore[attr-defined]
                if not self._mentions_data(truth_side):  # type: ignore[attr-defined]
                    continue
                truth = next(name.id for name in generator.target.elts if name is not item)  # type: ignore[attr-defined]
                tested = [comprehension.elt, *generator.ifs]
                if any(_tests_pair(node, item.id, truth) for part in tested for node in ast.walk(part)):
                    return True
        return False

    def holds_predictions(self, node: ast.AST) -> bool:
        """`node` mentions a model's predictions (also read by result_roles for a loop over zipped pairs)."""
        return PREDICTED in self.roles_in(node)  # type: ignore[attr-defined]


def _tests_pair(node: ast.AST, predicted: str, truth: str) -> bool:
    """`p == t`, `t != p`: the two names of one pair tested for equality."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.NotEq))):
        return False
    names = {side.id for side in (node.left, node.comparators[0]) if isinstance(side, ast.Name)}
    return names == {predicted, truth}
