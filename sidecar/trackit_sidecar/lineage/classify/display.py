"""Looking at data is not a step (what-is-a-step.md: "Inspection is not a step", "Results shown but not
assigned", "Plotting"): which operations of a bare expression, an answer or a plot call remain steps.

- A bare expression that is shown (the cell's last statement, or inside print/display) is a step only when it
  builds a new table (kb.display.SHOWN_TABLE_OPS); then every transforming call in it counts except a trailing
  head/tail. A bare expression that is not shown is never a step. (CONVENTIONS 6)
- Metrics and predictions count wherever they are written (kb.display.COUNTED_ANYWHERE_OPS). (CONVENTIONS 7)
- A call that draws (a plot method, a plotting module) gives no step, nor does anything chained into it. (CONVENTIONS 8)
- A chain that ends in a number or a small answer (`df[m].y.sum()`, `df.shape[0]`, `len(df)`, `s.unique()`)
  is not a step, assigned or not; a metric is the exception. (CONVENTIONS 9-10)
- In-place calls (`df.dropna(inplace=True)`, `model.fit(X, y)`) change their receiver: steps wherever written.
"""

from __future__ import annotations

import ast
import re
from typing import Optional

from .. import kb
from ..kb import display as kb_display
from ..kb import effects as kb_effects
from ..kb import models as kb_models
from .env_markers import DRAWS
from .values import MARKER, Op

IMPORTED_DRAWING = re.compile(kb_models.IMPORTED_DRAWING_NAME)


class DisplayRules:
    """Mixin of `Cell`: `self.last_statement` is the cell's last top-level statement."""

    last_statement: Optional[ast.stmt]

    @staticmethod
    def draws(path: str) -> bool:
        """A function of a plotting module (seaborn's data loaders excepted)."""
        if path.rsplit(".", 1)[-1] in kb_display.PLOT_MODULE_DATA_FUNCTIONS:
            return False
        return any(path == module or path.startswith(module + ".") for module in kb_display.PLOT_MODULES)

    def draws_call(self, func: ast.AST) -> bool:
        """The function of a call is a plotting module's (plt.plot, sns.histplot): one named by a dotted path (a
        method called on a call's result is not a module's function, and evaluating the chain again is costly)."""
        if isinstance(func, ast.Name) and self.env.get(DRAWS + func.id):  # type: ignore[attr-defined]
            return True  # plot_decision_regions(X, y): a notebook function that only draws (CONVENTIONS 8)
        if isinstance(func, ast.Name) and IMPORTED_DRAWING.search(func.id):
            imported = self.env.get(func.id, "")
            if "." in imported and not imported.startswith(MARKER) \
                    and imported.split(".", 1)[0] not in kb.DATA_LIBRARIES | {"sklearn", "statsmodels", "scipy"}:
                return True  # seasonal_plot(X, y="sales") from learntools' utils: an imported helper that draws
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            return False
        target = self.expr(func)  # type: ignore[attr-defined]
        return bool(self._is_path(target.kind)) and self.draws(target.kind or "")  # type: ignore[attr-defined]

    def is_shown(self, stmt: ast.stmt, node: ast.AST) -> bool:
        """The cell displays this bare expression's value: it is the last statement, or it is printed. A chain
        that ends in an export (`df.groupby("k").v.sum().to_csv(path)`) writes a file and shows nothing: the table
        it builds only packages what is written (CONVENTIONS 13, 15)."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in kb_effects.EXPORT_METHODS:
            return False
        if stmt is self.last_statement:
            return True
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in kb_display.DISPLAY_FUNCTIONS

    @staticmethod
    def kept_anywhere(ops: list[Op]) -> list[Op]:
        """What stays a step of an answer or of an expression nobody sees: a statement that predicts, evaluates
        or changes something in place (`ridge.fit(scale(X), y)`) is a step, with what it is computed from."""
        counted = [i for i, op in enumerate(ops) if op.output is not None or op.op in kb_display.COUNTED_ANYWHERE_OPS]
        # what is done to a metric afterwards (`confusion_matrix(y, p).T`) is looking at it
        return ops[: counted[-1] + 1] if counted else []

    def bare_ops(self, ops: list[Op], shown: bool, answer: bool, builds_table: bool = False) -> list[Op]:
        """`builds_table`: the expression is a call of a notebook function that returns a new table."""
        new_table = builds_table or any((op.op in kb_display.SHOWN_TABLE_OPS
                                         or op.facts.get("method") in kb_display.SHOWN_TABLE_METHODS)
                                        and op.output is None for op in ops)
        if not shown or answer or not new_table:
            return self.kept_anywhere(ops)
        kept = list(ops)
        while kept and kept[-1].output is None and (kept[-1].facts.get("method") in ("head", "tail")):
            kept.pop()  # df.groupby("k").mean().head(): the table is the aggregate; head only shows part of it
        return kept


def printed_in_loops(tree: ast.Module) -> frozenset[int]:
    """Assignments inside a loop whose name the cell reads only inside print / display calls in that loop (`for k in
    keys: sub = df[df.k == k]; print(k, len(sub), sub.a.mean())`): a loop that prints groups is inspection
    (what-is-a-step.md, "Inspection is not a step"). The `id()`s of those statements."""
    found: set[int] = set()
    loads: dict[str, list[ast.Name]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            loads.setdefault(node.id, []).append(node)
    for loop in ast.walk(tree):
        if not isinstance(loop, (ast.For, ast.While)):
            continue
        printed = {id(sub) for call in ast.walk(loop) if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                   and call.func.id in kb_display.DISPLAY_FUNCTIONS for sub in ast.walk(call)}
        for stmt in ast.walk(loop):
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                name = stmt.targets[0].id
                # sub = sub[["a", "b"]] in the same loop: the name narrowed on its way to print, read by itself
                narrowing = {id(sub) for other in ast.walk(loop) if isinstance(other, ast.Assign)
                             and len(other.targets) == 1 and isinstance(other.targets[0], ast.Name)
                             and other.targets[0].id == name for sub in ast.walk(other.value)}
                reads = loads.get(name, [])
                if reads and all(id(read) in printed or id(read) in narrowing for read in reads) \
                        and any(id(read) in printed for read in reads):
                    found.add(id(stmt))
    return frozenset(found)


def assigned_in_loops(tree: ast.Module) -> frozenset[int]:
    """The `id()`s of assignments written inside a loop: rebound every round, what they hold is the round's."""
    return frozenset(id(stmt) for loop in ast.walk(tree) if isinstance(loop, (ast.For, ast.While))
                     for stmt in ast.walk(loop) if isinstance(stmt, ast.Assign))
