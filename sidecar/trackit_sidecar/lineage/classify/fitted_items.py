"""One item of a fitted model's own predictions read at a written position (`affair_mod.fittedvalues[1000]`,
`km.labels_[0]`, `model.cdf(res.fittedvalues[1000])`): the predictions were made when the model was fitted; picking
one of them out to look at is an answer, a single number (what-is-a-step.md, Inspection; CONVENTIONS 9), not a
prediction made (CONVENTIONS 26 reads the whole `fittedvalues` / `labels_` as `predict`, and a call `m.predict(X)[0]`
still predicts)."""

from __future__ import annotations

import ast

from ..kb import models as kb_models


def picks_one_fitted_item(node: ast.Subscript) -> bool:
    """`res.fittedvalues[1000]`, `res.fittedvalues[-1]`: a written position into a fitted model's prediction
    attribute (kb/models.py `PREDICTION_ATTRIBUTES`)."""
    if not (isinstance(node.value, ast.Attribute) and node.value.attr in kb_models.PREDICTION_ATTRIBUTES):
        return False
    index = node.slice
    if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub):
        index = index.operand
    return isinstance(index, ast.Constant) and isinstance(index.value, int) and not isinstance(index.value, bool)
