"""The conditions a mask tests, as data (Step.conditions): `(df.age > 18) & df.city.isin(["Oslo"])` ->
[{column age, > 18}, {column city, in ["Oslo"]}], also from the text of `df.query("...")`."""

from __future__ import annotations

import ast
import re
import io
import tokenize
from typing import Optional

from .. import kb
from ..kb import numpy as kb_numpy
from .values import str_const

MAX_CONDITIONS = 8
QUERY_VARIABLE = "__trackit_query_variable_"
COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
               ast.In: "in", ast.NotIn: "not in"}
MIRRORED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<", "in": "not in", "not in": "in"}


class ConditionRules:
    def _mask_conditions(self, node: ast.AST, names_are_columns: bool = False) -> list[dict]:
        """`(df.age > 18) & df.city.isin(["Oslo"])` -> [{column age, > 18}, {column city, in ["Oslo"]}]."""
        found: list[dict] = []
        self._visit_condition(node, False, names_are_columns, found)
        return found[:MAX_CONDITIONS]

    @staticmethod
    def _query_mask(node: ast.AST) -> Optional[ast.expr]:
        """The mask written as text in `df.query("...")`, read as the expression it is (`@name` a plain name)."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "query"
                and node.args):
            return None
        return query_expression(str_const(node.args[0]), local_prefix="")

    def _query_keeps_present(self, node: ast.AST) -> bool:
        """`df.query("not a.isnull()")`: the query string keeps the rows whose tested values are present."""
        query = self._query_mask(node)
        return query is not None and self._mask_op(query) == "drop_missing"

    def _query_conditions(self, node: ast.AST) -> list[dict]:
        """df.query("age > 18 and city == @home"): names in the string are columns, `@name` is a bound."""
        query = query_expression(str_const(node), local_prefix=QUERY_VARIABLE)
        return [] if query is None else self._mask_conditions(query, names_are_columns=True)

    def _visit_condition(self, node: ast.AST, negated: bool, names_are_columns: bool, found: list[dict]) -> None:
        if len(found) >= MAX_CONDITIONS:
            return
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr)):
            self._visit_condition(node.left, negated, names_are_columns, found)
            self._visit_condition(node.right, negated, names_are_columns, found)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                self._visit_condition(value, negated, names_are_columns, found)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not)):
            self._visit_condition(node.operand, not negated, names_are_columns, found)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in kb_numpy.LOGICAL_FUNCTIONS:
            # np.logical_and(a > 0, b < 1): the conditions it joins; np.logical_not(m): m's, negated
            for arg in node.args:
                self._visit_condition(arg, negated != (node.func.attr == "logical_not"), names_are_columns, found)
        elif isinstance(node, ast.Compare):
            left = node.left
            for op, right in zip(node.ops, node.comparators):
                symbol = COMPARISONS.get(type(op))
                column = _column_of(left, names_are_columns)
                other = right
                if column is None and _column_of(right, names_are_columns) is not None:
                    column, other, symbol = _column_of(right, names_are_columns), left, MIRRORED.get(symbol or "")
                if symbol is not None:
                    found.append({"column": column, "comparison": NEGATED[symbol] if negated else symbol,
                                  **_value_or_bound(other)})
                left = right
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            column = _column_of(node.func.value, names_are_columns)
            if method in kb.MISSING_TESTS or method in kb.PRESENT_TESTS:
                missing = (method in kb.MISSING_TESTS) != negated
                found.append({"column": column, "comparison": "isna" if missing else "notna"})
            elif method in ("isin", "is_in") and node.args:
                found.append({"column": column, "comparison": "not in" if negated else "in", **_value_or_bound(node.args[0])})
            elif method in ("between", "is_between") and len(node.args) >= 2:
                found.append({"column": column, "comparison": "not between" if negated else "between",
                              **_value_or_bound(ast.List(elts=list(node.args[:2]), ctx=ast.Load()))})
            elif method in ("contains", "startswith", "endswith") and node.args:
                found.append({"column": column, "comparison": ("not " if negated else "") + method,
                              **_value_or_bound(node.args[0])})


QUERY_TEXT_LIMIT = 500  # characters; a longer query string is not read


def query_expression(text: Optional[str], local_prefix: str) -> Optional[ast.expr]:
    """The expression a `df.query("...")` string writes, read as pandas reads it: backticks quote a column name,
    `@name` is the notebook's variable (spelt `<local_prefix>name`), and `&` / `|` bind like `and` / `or`, looser
    than comparisons (pandas rewrites the tokens before parsing), so `a == "x" & b == "y"` is two comparisons
    joined, not Python's `a == ("x" & b) == "y"`. None when the text is not an expression."""
    if text is None or len(text) > QUERY_TEXT_LIMIT:
        return None
    text = re.sub(r"@([A-Za-z_]\w*)", local_prefix + r"\1", text.replace("`", ""))
    try:
        tokens = [(tokenize.NAME, {"&": "and", "|": "or"}[tok.string])
                  if tok.type == tokenize.OP and tok.string in ("&", "|") else (tok.type, tok.string)
                  for tok in tokenize.generate_tokens(io.StringIO(text).readline)]
        return ast.parse(tokenize.untokenize(tokens), mode="eval").body
    except (SyntaxError, ValueError, tokenize.TokenError):
        return None


def _column_of(node: ast.AST, names_are_columns: bool) -> Optional[str]:
    """df["age"] / df.age / df.loc[:, "age"] -> "age"; a bare name only inside a query string."""
    if isinstance(node, ast.Attribute) and node.attr in ("str", "dt", "cat"):
        return _column_of(node.value, names_are_columns)
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Tuple) and len(key.elts) == 2:
            key = key.elts[1]
        return str_const(key)
    if isinstance(node, ast.Attribute) and isinstance(node.value, (ast.Name, ast.Subscript, ast.Attribute)) \
            and not node.attr.startswith("_") and node.attr not in ("values", "str", "dt", "index", "loc", "iloc"):
        return node.attr if isinstance(node.value, ast.Name) else None
    if names_are_columns and isinstance(node, ast.Name) and not node.id.startswith(QUERY_VARIABLE):
        return node.id
    return None


def _value_or_bound(node: ast.AST) -> dict:
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        value = None
    else:
        if isinstance(value, (int, float, str, bool, list, tuple)) and len(repr(value)) <= 200:
            return {"value": list(value) if isinstance(value, tuple) else value}
    try:
        text = ast.unparse(node).replace(QUERY_VARIABLE, "@")
    except Exception:
        return {}
    return {"bound": text[:120]}
