"""What a formula fit was, read from its statement: `smf.ols('deposits ~ poa*jul', data=data).fit()` names the model
(`smf.ols`), what it explains by what (the formula) and the table (`data=`). Such fits carry no estimator class and no
inputs (the formula's columns are no variables), and 19 of them in the blind corpus read just "Fitted a model"
(causal-handbook 06, 13, 16, pydata-book 12, statsmodels quantile regression)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Optional

from ..lineage.ast_names import dotted
from ..protocol import Step


@dataclass(frozen=True)
class FormulaFit:
    function: str  # as written: "smf.ols"
    formula: str
    data: Optional[str]  # the variable given as `data=`


def _formula(node: Optional[ast.expr], formulas: list[str]) -> Optional[str]:
    """The formula as written: a literal, or an f-string with its placeholders (`f"{cause}~agecell*threshold"`)."""
    if isinstance(node, ast.Constant) and node.value in formulas:
        return node.value
    if isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.Constant) and v.value in formulas for v in node.values):
        return ast.unparse(node)
    return None


def formula_fit(step: Step) -> Optional[FormulaFit]:
    """The formula call of a fit step's statement, when it has exactly one (one the step quotes)."""
    formulas = [q for q in step.quoted if "~" in q]
    if step.op != "fit_model" or not formulas or not step.code:
        return None
    try:
        tree = ast.parse(step.code)
    except SyntaxError:
        return None
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        given = next((k.value for k in node.keywords if k.arg == "formula"), node.args[0] if node.args else None)
        formula = _formula(given, formulas)
        function = dotted(node.func)
        if formula is None or function is None:
            continue
        table = next((k.value for k in node.keywords if k.arg == "data"), node.args[1] if len(node.args) > 1 else None)
        found.append(FormulaFit(function, formula, table.id if isinstance(table, ast.Name) else None))
    return found[0] if len(found) == 1 else None


_CLASS_NAME = re.compile(r"^[A-Za-z_][\w.]*$")


def estimator_name(step: Step) -> Optional[str]:
    """The fit's estimator class as its `detail` names it (`LogisticRegression`, `sm.OLS`); None when the detail is
    something else: `np.linalg.lstsq`'s "outputs: coef, resid, _, _" read "Fitted a `outputs: coef, resid, _, _`
    model" (pydata-book ch12 cell 12)."""
    return step.detail if step.detail and _CLASS_NAME.match(step.detail) else None


def fitted_estimator(step: Step) -> Optional[str]:
    """What a fit step fitted, for naming it: its estimator class, else its formula call's function (`smf.ols`)."""
    if estimator_name(step):
        return step.detail
    formula = formula_fit(step)
    return formula.function if formula is not None else None
