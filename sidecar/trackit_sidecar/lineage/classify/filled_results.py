"""Predictions written by position into an array made to hold them (`y_predict = np.zeros((n_test, n_repeat))`, then
`y_predict[:, i] = model.predict(X_test)` in a loop over repeated fits): the array holds predictions, as a list they
are appended to or a dict they are kept in does (result_roles.keeps_results_in), so the errors a course's bias-variance
simulation computes from its slices (`err[:, i] = (y_test - y_predict[:, i]) ** 2`) are errors computed by hand from
a prediction, an evaluate (CONVENTIONS 27), not a feature derived."""

from __future__ import annotations

import ast

from ..kb import sources as kb_sources
from .results import PREDICTED
from .values import Val


class FilledResultRules:
    """Mixin of `Cell`."""

    env: dict[str, str]
    roles_bound: bool
    filled_by_position: frozenset[str]
    steps: list

    def made_to_hold_results(self, target: ast.AST, start: int) -> None:
        """After `acc[...] = value` wrote evaluations or predictions (the steps from `start` on): an array this cell
        made empty for it (`y_test_bias = np.zeros((n_test, 2))`, then `y_test_bias[:, 0] = (y - y_hat.mean(axis=1))
        ** 2`) is an accumulator of results (CONVENTIONS 15: "`np.zeros` accumulators" are no step), not data generated,
        also when it is filled outside a loop (data_uses.names_filled_by_position reads loops only)."""
        if not (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)):
            return
        if not any(step.op in ("evaluate", "predict") for step in self.steps[start:]):
            return
        name = target.value.id
        self.steps[:start] = [step for step in self.steps[:start]
                              if not (step.op == "load" and step.output == name
                                      and step.method in kb_sources.FILLED_GENERATORS)]

    def fill_predictions_by_position(self, target: ast.AST, val: Val) -> None:
        """After `acc[...] = value` in a loop (data_uses.names_filled_by_position): when the value is a prediction, the
        accumulator holds predictions."""
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) \
                and target.value.id in self.filled_by_position and [op.op for op in val.ops][-1:] == ["predict"]:
            self.set_role(target.value.id, PREDICTED)  # type: ignore[attr-defined]


def fills_one_grid_cell(target: ast.Subscript) -> bool:
    """`Z[i, j] = ...`: one cell of a grid, each index one position (a cost surface over a mesh of parameters, to draw:
    CONVENTIONS 8). `err[:, i] = (y_test - y_predict[:, i]) ** 2` writes a whole slice, the per-row errors of one
    repetition: values computed from data, not a grid's cell."""
    return isinstance(target.slice, ast.Tuple) and not any(isinstance(e, ast.Slice) for e in target.slice.elts)
