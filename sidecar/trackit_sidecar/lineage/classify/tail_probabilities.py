"""A p-value computed by hand: a statistic computed from the data (`z = (x.mean() - mu0) / (x.std() / np.sqrt(n))`)
looked up in a distribution's tail (`p = 2 * (1 - stats.norm.cdf(abs(z)))`, `stats.t.sf(np.abs(t), n - 1) * 2`). That is
the statistical test written out (CONVENTIONS 27: "statistical and assumption tests" are evaluate), as `ttest_1samp`
would be. A distribution evaluated at numbers written in the code (`norm.cdf(1.96)`), at a grid or at the data's values
themselves stays what it was (a constant, a curve to draw, values transformed)."""

from __future__ import annotations

import ast

from ..kb import scipy as kb_scipy
from .values import answer_key, answer_source_key, called_name

# np.abs(z), abs(z), -z: the statistic's size or sign, as a two-sided test reads it
SIZE_CALLS = frozenset({"abs", "absolute", "fabs"})


class TailProbabilityRules:
    """Mixin of `Cell`."""

    env: dict[str, str]

    def p_value_by_hand(self, value: ast.AST) -> bool:
        """`value` looks a statistic computed from the data up in a scipy.stats distribution's tail."""
        for node in ast.walk(value):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args
                    and node.func.attr in kb_scipy.DISTRIBUTION_TAIL_METHODS):
                continue
            if not (self.module_path(node.func) or "").startswith("scipy.stats."):  # type: ignore[attr-defined]
                continue
            statistic = _unsigned(node.args[0])
            # (a statistic of the data: an answer computed from it; `z = (x.mean() - 5) / se` is kept as a bound)
            if isinstance(statistic, ast.Name) and (self.env.get(answer_source_key(statistic.id))
                                                    or self.env.get(answer_key(statistic.id))):
                return True
        return False


def _unsigned(node: ast.AST) -> ast.AST:
    while True:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            node = node.operand
        elif isinstance(node, ast.Call) and called_name(node.func) in SIZE_CALLS and len(node.args) == 1:
            node = node.args[0]
        else:
            return node
