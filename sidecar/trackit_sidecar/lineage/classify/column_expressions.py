"""Column expressions: polars `with_columns(...)` / pandas `assign(...)` give one step per distinct op
among their expressions."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import LIBRARIES
from ..kb import polars as kb_polars
from .rules import casts_to_category
from .values import Op, short, str_const, union


class ColumnExpressionRules:
    """Mixin of `Cell`: the ops of column expressions."""

    def _expression_ops(self, node: ast.Call, inputs: list[str]) -> list[Op]:
        """One op per distinct kind of expression in with_columns(...) / assign(...)."""
        by_op: dict[str, list[str]] = {}
        encode_methods: list[str] = []
        exprs: list[tuple[Optional[str], ast.AST]] = [(None, a) for a in node.args]
        exprs += [(k.arg, k.value) for k in node.keywords if k.arg]
        for keyword_name, expr_node in exprs:
            items = expr_node.elts if isinstance(expr_node, (ast.List, ast.Tuple)) else [expr_node]
            for item in items:
                cols = [keyword_name] if keyword_name else self._expression_columns(item)
                for op in self._expression_op(item):
                    by_op[op] = union(by_op.get(op, []), cols)
                    if op == "encode_categorical":
                        encode_methods = union(encode_methods, [m for m in [self._expression_encoding(item)] if m])
        return [Op(op, inputs, cols, ", ".join(encode_methods) or None if op == "encode_categorical" else None)
                for op, cols in by_op.items()]

    def _expression_encoding(self, node: ast.AST) -> Optional[str]:
        """The encoding call in one column expression (outermost first): `cast(pl.Categorical)`, `map`, `cat.codes`."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Attribute) and sub.value.attr == "cat":
                return f"cat.{sub.attr}"
            if not isinstance(sub, ast.Call):
                continue
            if isinstance(sub.func, ast.Attribute):
                method = sub.func.attr
                if method in ("cast", "astype") and casts_to_category(sub):
                    return self._encode_method(method, sub)
                if method in ("map", "replace_strict", "to_physical", "to_dummies", "get_dummies") \
                        and (method != "map" or self._map_op(sub) == "encode_categorical"):
                    return method
            target = self.expr(sub.func)
            if self._is_path(target.kind) and short(target.kind or "") in ("Categorical", "get_dummies", "factorize"):
                return short(target.kind or "")
        return None

    def _expression_op(self, node: ast.AST) -> list[str]:
        """The distinct ops of one column expression, innermost first; derive_feature if none."""
        if self._is_standardisation(node) or self._is_share_of_total(node):
            return ["scale_normalize"]
        ops: list[str] = []
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
                method = sub.func.attr
                holder = sub.func.value
                if isinstance(holder, ast.Attribute) and holder.attr in ("str", "dt", "cat"):
                    op = self._accessor_table("polars", holder.attr).get(method)
                else:
                    op = kb_polars.EXPRESSION_METHODS.get(method)
                    if op == "type_cast" and casts_to_category(sub):
                        op = "encode_categorical"
                    if op is None and method in ("map", "replace"):
                        op = self._map_op(sub) if method == "map" else "text_clean"
                        if op == "derive_feature":
                            op = None
                    if op is None and method in ("fillna",):
                        op = "impute_missing"
                    if op is None and method in ("astype",):
                        op = "type_cast"
                if op:
                    ops.append(op)
            elif isinstance(sub, ast.Call):
                target = self.expr(sub.func)
                if self._is_path(target.kind):
                    path = target.kind or ""
                    module = LIBRARIES.get(path.split(".", 1)[0])
                    table = getattr(module, "FUNCTIONS", {}) if module else {}
                    op = table.get(short(path))
                    if op in ("datetime_parse", "type_cast", "encode_categorical"):
                        ops.append(op)
        # ast.walk is outermost first
        return union(list(reversed(ops))) or ["derive_feature"]

    def _expression_columns(self, node: ast.AST) -> list[str]:
        alias: list[str] = []
        cols: list[str] = []
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
                if sub.func.attr in ("alias", "name") and sub.args and str_const(sub.args[0]):
                    alias.append(str_const(sub.args[0]) or "")
                if sub.func.attr == "col" and sub.args:
                    cols.extend(c for c in (str_const(a) for a in sub.args) if c)
        return alias or cols

