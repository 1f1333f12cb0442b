"""What a formula fit was, read from its statement: `smf.ols('deposits ~ poa*jul', data=data).fit()` names the model
(`smf.ols`), what it explains by what (the formula) and the table (`data=`). Such fits carry no estimator class and no
inputs (the formula's columns are no variables), and 19 of them in the blind corpus read just "Fitted a model"
(causal-handbook 06, 13, 16, pydata-book 12, statsmodels quantile regression). Set as `Step.formula_fit` when the step
is made (classify/wording_facts.py); render/model_phrases.py words it."""

from __future__ import annotations

import ast
from typing import Optional, Sequence

from ..protocol import FormulaFit
from .ast_names import dotted


def formula_fit(node: ast.AST, quoted: Sequence[str]) -> Optional[FormulaFit]:
    """The formula call of a fit's statement `node`, when it has exactly one whose formula the statement quotes
    (`quoted`: Step.quoted, the short strings it writes)."""
    formulas = quoted_formulas(quoted)
    if not formulas:
        return None
    found = []
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        given = next((k.value for k in call.keywords if k.arg == "formula"), call.args[0] if call.args else None)
        formula = _formula(given, formulas)
        function = dotted(call.func)
        if formula is None or function is None:
            continue
        table = next((k.value for k in call.keywords if k.arg == "data"), call.args[1] if len(call.args) > 1 else None)
        found.append(FormulaFit(function=function, formula=formula,
                                data=table.id if isinstance(table, ast.Name) else None))
    return found[0] if len(found) == 1 else None


def quoted_formulas(quoted: Sequence[str]) -> list[str]:
    """The strings a statement quotes that read as a formula (`"y ~ x"`): what a formula fit is told apart by."""
    return [q for q in quoted if "~" in q]


def _formula(node: Optional[ast.expr], formulas: list[str]) -> Optional[str]:
    """The formula as written: a literal, or an f-string with its placeholders (`f"{cause}~agecell*threshold"`)."""
    if isinstance(node, ast.Constant) and node.value in formulas:
        return node.value
    if isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.Constant) and v.value in formulas for v in node.values):
        return ast.unparse(node)
    return None
