"""Results collected into a list in a loop (`scores = []`, then `scores.append(acc)` per fold or per setting).

An empty list is values written in the code (`LITERAL_MARKER`: wrapped in a table it is data built in code, a
`load`). Once a model's results are appended to it, it holds those results instead:

- a list filled with evaluations (`accuracies.append(acc)`) holds evaluations, so the mean kept of it is the metric
  reported (CONVENTIONS 7, 27: "CV results"), as `np.mean(cross_val_score(...))` is;
- a list filled with rows that carry results (`results.append((C, avg_acc))`) is no longer data written in the
  code: wrapping it in a table is a conversion of an existing object (CONVENTIONS 12: `other`), not a `load`.
"""

from __future__ import annotations

import ast

from .results import EVALUATED, PREDICTED, ROLE
from .sources import LITERAL_MARKER, WRITTEN_VALUES_MARKER

COLLECTING_METHODS = frozenset({"append", "extend", "insert"})


class CollectedResultRules:
    """Mixin of `Cell`."""

    env: dict[str, str]
    roles_bound: bool

    def collect_results(self, call: ast.AST) -> None:
        """After `name.append(value)` as a statement: what `name` holds now (see the module's doc)."""
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr in COLLECTING_METHODS and isinstance(call.func.value, ast.Name) and call.args):
            return
        name, value = call.func.value.id, call.args[-1]
        roles = self.roles_in(value)  # type: ignore[attr-defined]
        if not roles & {EVALUATED, PREDICTED}:
            return
        if self.env.get(name) in (LITERAL_MARKER, WRITTEN_VALUES_MARKER):
            del self.env[name]  # results.append((C, avg_acc)): results collected, not values written in the code
        evaluation = self.env.get(ROLE + value.id) == EVALUATED if isinstance(value, ast.Name) else \
            [op.op for op in self.expr(value).ops][-1:] == ["evaluate"]  # type: ignore[attr-defined]
        if evaluation and self.env.get(ROLE + name, EVALUATED) == EVALUATED:
            # accuracies.append(acc), accs.append(accuracy_score(y, y_pred)): the list holds evaluations
            self.env[ROLE + name] = EVALUATED
            self.roles_bound = True
