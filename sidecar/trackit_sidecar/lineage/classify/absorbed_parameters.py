"""Values a cell computes only as parameters of a later step in it (`mu` and `sigma` of `(X - mu) / sigma`, the
observed values a random imputation draws its fill from): part of that step (CONVENTIONS 9: "A statistic used as
a parameter of another step is part of that step"), so their own steps in this cell are taken back."""

from __future__ import annotations

import ast

from ... import protocol
from ..kb import sources as kb_sources
from .values import kwarg

# How values kept only to fill gaps with were made (`observed = df.c.dropna().tolist()`): the imputation absorbs them
FILL_VALUE_SOURCE_OPS = frozenset({"drop_missing", "select_columns", "aggregate", "sample", "other"})


class AbsorbedParameterRules:
    """Mixin of `Cell` (through `StatementWalker`)."""

    steps: list[protocol.Step]
    text: str

    def _absorb_fill_values(self, value: ast.AST) -> None:
        """observed = df.c.dropna().tolist(); df.c = df.c.fillna(pd.Series(np.random.choice(observed, ...))): the
        observed values made in this cell to draw the fill from are a parameter of the imputation (random
        imputation), part of its step (CONVENTIONS 9: "A statistic used as a parameter of another step is part of that
        step"), not steps of their own (an earlier cell's steps are already recorded). Only names drawn from count:
        `df.c.fillna(other.c.mean())` keeps `other`'s own steps."""
        used: set[str] = set()
        drawn: set[str] = set()
        for node in ast.walk(value):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "fillna":
                fill = node.args[0] if node.args else kwarg(node, "value")
                if isinstance(fill, ast.Name):
                    # number = np.random.normal(df[c].mean(), df[c].std() / 2); df[c].fillna(value=number): the
                    # draw is the fill value, a parameter of the (random) imputation, not data made (CONVENTIONS 9)
                    drawn.add(fill.id)
                for draw in ast.walk(fill) if fill is not None else ():
                    if isinstance(draw, ast.Call) and isinstance(draw.func, ast.Attribute) \
                            and draw.func.attr in kb_sources.DRAWS_FROM_VALUES and draw.args:
                        used.update(sub.id for sub in ast.walk(draw.args[0]) if isinstance(sub, ast.Name))
        if used or drawn:  # read anywhere else in the cell, the values are data the analysis goes on with
            used, drawn = self._read_once(used), self._read_once(drawn)
        self.steps[:] = [step for step in self.steps
                         if not (step.output in used and step.op in FILL_VALUE_SOURCE_OPS)
                         and not (step.output in drawn and step.op == "load"
                                  and step.method in kb_sources.RANDOM_DRAWS and not step.inputs)]

    def _absorb_statistics(self, value: ast.AST) -> None:
        """mu = X.mean(axis=0); sigma = X.std(axis=0); Xn = (X - mu) / sigma: the statistics are parameters of the
        standardisation, part of its step (CONVENTIONS 9), not aggregates of their own (in the same cell; an earlier
        cell's steps are already recorded)."""
        used = {sub.id for sub in ast.walk(value) if isinstance(sub, ast.Name) and self.statistic_of(sub)}
        self.steps[:] = [step for step in self.steps if not (step.op == "aggregate" and step.output in used)]

    def _absorb_maker_parameters(self, value: ast.AST, maker: str) -> None:
        """coef = np.array([0.1, 0.2]); df = make_daily_data(coef=coef, n=365): values written in this cell and handed
        by name to the data maker `maker` (function_calls.py: an imported function named for the data it makes) are the
        parameters of the generation, part of its `load` (CONVENTIONS 15: "parameter vectors (initial theta, true
        beta ...)" are no steps; 9: a value used as a parameter of another step is part of that step), not data
        written of their own. Only names read nowhere else in the cell; an earlier cell's steps are recorded already."""
        calls = [node for node in ast.walk(value) if isinstance(node, ast.Call)
                 and (node.func.id if isinstance(node.func, ast.Name) else
                      node.func.attr if isinstance(node.func, ast.Attribute) else None) == maker]
        handed = {k.value.id for call in calls for k in call.keywords
                  if k.arg is not None and isinstance(k.value, ast.Name)}
        if not handed:
            return
        handed = self._read_once(handed)
        self.steps[:] = [step for step in self.steps
                         if not (step.output in handed and step.op == "load" and not step.inputs)]

    def _read_once(self, names: set[str]) -> set[str]:
        """Those of `names` the cell reads only once (in the statement that hands them on): read anywhere else, a value
        is data the analysis goes on with, not only a parameter."""
        reads = [node.id for node in ast.walk(ast.parse(self.text))
                 if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)]
        return {name for name in names if reads.count(name) == 1}
