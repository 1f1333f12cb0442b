"""A model's predictions set against the truth in one call: correlated (`np.corrcoef(y_test, y_pred)[0, 1]`, squared
the R^2 of a fit, `y_test.corr(pd.Series(y_pred))`) or cross-tabulated (`pd.crosstab(y_test, y_pred, rownames=["Actual"],
colnames=["Predicted"])`, the confusion matrix counted by hand). Either measures how well the predictions follow the
data, a metric computed by hand (CONVENTIONS 27: "errors or accuracy computed by hand from data"; scipy's
`pearsonr(y, y_pred)` and sklearn's `confusion_matrix` are read so already). A correlation of two columns of the data
stays the single number it is (CONVENTIONS 9), and their crosstab a reshape (what-is-a-step.md)."""

from __future__ import annotations

import ast

from ..kb import numpy as kb_numpy
from .results import PREDICTED
from .values import called_name

# pandas' Series method that correlates the series with another (`y_test.corr(y_pred)`)
CORRELATING_METHODS = frozenset({"corr"})
# pandas' function that counts the pairs of values of two series (`pd.crosstab(index, columns)`)
CROSS_TABULATIONS = frozenset({"pandas.crosstab"})


class PredictionAgreementRules:
    """Mixin of `Cell`."""

    def sets_predictions_against_data(self, value: ast.AST) -> bool:
        """`value` correlates or cross-tabulates a model's predictions with data (one side predictions, the other
        data)."""
        for node in ast.walk(value):
            if not isinstance(node, ast.Call):
                continue
            if self._numpy_pairwise(node) and len(node.args) == 2:
                sides = list(node.args)
            elif isinstance(node.func, ast.Attribute) and node.func.attr in CORRELATING_METHODS and len(node.args) == 1:
                sides = [node.func.value, node.args[0]]
            elif len(node.args) == 2 and (self.module_path(node.func) or "") in CROSS_TABULATIONS:  # type: ignore[attr-defined]
                sides = list(node.args)
            else:
                continue
            predicted = [PREDICTED in self.roles_in(side) for side in sides]  # type: ignore[attr-defined]
            if predicted.count(True) == 1 and self._mentions_data(sides[predicted.index(False)]):  # type: ignore[attr-defined]
                return True
        return False

    def _numpy_pairwise(self, node: ast.Call) -> bool:
        """`np.corrcoef(...)`, `numpy.cov(...)`: NumPy's matrix of pairwise statistics (kb.numpy.PAIRWISE_MATRICES)."""
        if called_name(node.func) not in kb_numpy.PAIRWISE_MATRICES:
            return False
        path = self.expr(node.func).kind or ""  # type: ignore[attr-defined]
        return path.startswith("numpy.")
