"""Hits counted by hand: `correct = 0; for i in range(n): if y_pred[i] == y_test[i]: correct += 1` (or `row["label"] ==
row["predicted"]` over the rows of a table). The branch counts how often a prediction equals the truth: an accuracy (or,
with `!=`, an error count) computed by hand from data, an evaluation (CONVENTIONS 27: "errors or accuracy computed by
hand from data"), counted once where it is written (what-is-a-step.md, Granularity). `correct / total` afterwards is
arithmetic on the counts (27: no new step)."""

from __future__ import annotations

import ast
import re
from typing import Optional

from ..kb import models as kb_models
from .values import Op, str_const

PREDICTION_LABEL = re.compile(kb_models.PREDICTION_PARAMETER_NAME)


def _counts_only(body: list[ast.stmt]) -> bool:
    """Every statement adds a number written in the code to a name (`correct += 1`)."""
    return bool(body) and all(isinstance(stmt, ast.AugAssign) and isinstance(stmt.op, ast.Add)
                              and isinstance(stmt.target, ast.Name) and isinstance(stmt.value, ast.Constant)
                              and isinstance(stmt.value.value, (int, float)) for stmt in body)


def _labelled_prediction(node: ast.AST) -> bool:
    """`row["predicted"]`, `df["y_pred"]`: a field labelled as a model's prediction (kb.models.PREDICTION_PARAMETER_NAME)."""
    label = str_const(node.slice) if isinstance(node, ast.Subscript) else None
    return label is not None and bool(PREDICTION_LABEL.match(label))


class CountedHitRules:
    """Mixin of `Cell` (through `StatementWalker`)."""

    def counted_hits(self, stmt: ast.If) -> list[Op]:
        """The evaluation an `if` that counts predictions equal to (or unlike) the truth makes, else []."""
        if not _counts_only(stmt.body) or (stmt.orelse and not _counts_only(stmt.orelse)):
            return []
        test: Optional[ast.AST] = stmt.test
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.NotEq))):
            return []
        sides = (test.left, test.comparators[0])
        if any(isinstance(side, ast.Constant) for side in sides):
            return []  # if pred[i] == 1: positives += 1 counts predicted classes, not hits
        seen = self.result_op(test) == "evaluate"  # type: ignore[attr-defined]
        if not seen and not any(_labelled_prediction(side) for side in sides):
            return []
        inputs = sorted({sub.id for sub in ast.walk(test) if isinstance(sub, ast.Name)})
        # row["predicted"] == row["actual"]: predictions by the field's label alone, a guess (kb/guesses.py)
        if not seen or self.rests_on_a_name(test):  # type: ignore[attr-defined]
            return [Op("evaluate", inputs, [], None, facts={"method": "counted_hits", "inferred_from": "input_name"})]
        return [Op("evaluate", inputs, [], None, facts={"method": "counted_hits"})]
