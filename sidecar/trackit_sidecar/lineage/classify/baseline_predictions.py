"""A constant baseline prediction: one value repeated for every row of the data, under a name for predictions or a
baseline (`y_pred = np.zeros(y_test.shape[0])`, `baseline_preds = np.full(len(y_test), y_train.mean())`,
`validate_baseline = pd.Series("FALSE POSITIVE", index=validate.index)`, `np.ones(len(y_test)) * y_train.median()`).
It is what a model that always says the same thing predicts, the naive baseline a metric is then computed against:
`predict` (CONVENTIONS 26: "forecast ... [is] predict"; the column form is column_assignment._naive_forecast), and the
name then holds predictions (`np.mean(y_pred == y_test)` evaluates). Arrays of zeros named for anything else
(parameters `w = np.zeros(n)`, accumulators) stay what they were (CONVENTIONS 15)."""

from __future__ import annotations

import ast
import re

from ..kb import models as kb_models
from ..kb import sources as kb_sources
from .values import called_name, is_number, str_const

BASELINE_NAME = re.compile(kb_models.BASELINE_PREDICTION_NAME, re.IGNORECASE)
# pandas' constructor of a Series one value fills, given the data's index (`pd.Series(v, index=df.index)`)
SERIES_CONSTRUCTORS = frozenset({"Series"})
# NumPy's arrays set up to be filled (`np.zeros(n)`, `np.empty(n)`): a baseline only when scored in the same cell
INITIALISERS = frozenset({"zeros", "empty"})


class BaselinePredictionRules:
    """Mixin of `Cell`."""

    def constant_baseline(self, names: list[str], value: ast.AST) -> bool:
        """`names` (one) is named for predictions or a baseline and `value` repeats one value as often as the data
        has rows."""
        if len(names) != 1 or not BASELINE_NAME.search(names[0]) or self._accumulates_into(names[0]):
            return False
        if isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Mult, ast.Add)):
            # np.ones(len(y_test)) * y_train.median(): the repeated ones scaled by one statistic
            filled = [side for side in (value.left, value.right) if self._filled_to_size(side)]
            other = value.right if filled and filled[0] is value.left else value.left
            return bool(filled) and self._one_value(other)
        return self._filled_to_size(value)

    def _accumulates_into(self, name: str) -> bool:
        """The cell writes into the array afterwards (`y_pred[i] = ...`, `preds += m.predict(X) / k`): an
        accumulator the predictions are gathered in (CONVENTIONS 15: `np.zeros` accumulators are no steps)."""
        for node in ast.walk(ast.parse(self.text)):  # type: ignore[attr-defined]
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
                if isinstance(node, ast.AugAssign) else []
            for target in targets:
                written = target.value if isinstance(target, ast.Subscript) else target \
                    if isinstance(node, ast.AugAssign) else None
                if isinstance(written, ast.Name) and written.id == name:
                    return True
        return False

    def _filled_to_size(self, node: ast.AST) -> bool:
        if not isinstance(node, ast.Call) or not node.args:
            return False
        name = called_name(node.func)
        path = self.module_path(node.func) or ""  # type: ignore[attr-defined]
        if path.startswith("numpy.") and name in kb_sources.FILLED_GENERATORS:
            fill = node.args[1] if name == "full" and len(node.args) > 1 else None
            return self._sized_by_data(node.args[0]) and (fill is None or self._one_value(fill)) \
                and (name not in INITIALISERS or self._read_in_cell(node))
        if path.startswith("pandas.") and name in SERIES_CONSTRUCTORS:
            index = next((k.value for k in node.keywords if k.arg == "index"), None)
            return index is not None and self._one_value(node.args[0]) and self._sized_by_data(index)
        return False

    def _read_in_cell(self, made: ast.AST) -> bool:
        """The array of zeros is read again in its own cell (`np.mean(y_pred == y_test)`): scored as a baseline there,
        not set up empty for a later cell to fill."""
        tree = ast.parse(self.text)  # type: ignore[attr-defined]
        assigned = next((node for node in ast.walk(tree) if isinstance(node, ast.Assign)
                         and ast.dump(node.value) == ast.dump(made)), None)
        if assigned is None or not isinstance(assigned.targets[0], ast.Name):
            return False
        name = assigned.targets[0].id
        return any(isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
                   for node in ast.walk(tree))

    def _sized_by_data(self, node: ast.AST) -> bool:
        """`len(y_test)`, `y_test.shape[0]`, `X.index`: a size (or index) read from the data."""
        return any(isinstance(sub, ast.Name) and self._is_data(sub.id)  # type: ignore[attr-defined]
                   and sub.id not in ("len",) for sub in ast.walk(node)) and not is_number(node)

    def _one_value(self, node: ast.AST) -> bool:
        """A number or a label written in the code, or one statistic of the data (`y_train.mean()`)."""
        if is_number(node, self.env) or str_const(node) is not None:  # type: ignore[attr-defined]
            return True
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args \
            and node.func.attr in kb_models.BASELINE_STATISTICS
