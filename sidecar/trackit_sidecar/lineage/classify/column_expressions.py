"""Column expressions: polars `with_columns(...)` / pandas `assign(...)` give one step per distinct op
among their expressions."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import library_functions as kb_library_functions
from ..kb import CAPPING_METHODS, CAST_METHODS, LIBRARIES
from ..kb import pandas as kb_pandas
from ..kb import polars as kb_polars
from .date_parts import date_part_of_parsed
from .when_recodes import recodes_by_branches
from .env_markers import FUNCTION_MARKER
from .values import Op, Val, casts_to_category, short, str_const, union

REPLACE_OUTCOMES = kb_pandas.CONTESTED_METHODS["replace"][1]


class ColumnExpressionRules:
    """Mixin of `Cell`: the ops of column expressions."""

    def _expression_ops(self, node: ast.Call, inputs: list[str], selecting: bool = False) -> list[Op]:
        """One op per distinct kind of expression in with_columns(...) / assign(...) / polars select(...)
        (CONVENTIONS 24). In a select, a plain column is a selection and a renamed plain column a rename."""
        by_op: dict[str, list[str]] = {}
        encode_methods: list[str] = []
        replaced_by: Optional[str] = None  # the method of an outlier_remove the expressions make (_replaces_outliers)
        guessed: dict[str, bool] = {}  # op -> every expression of it decided by a name read as a bound's kind
        exprs: list[tuple[Optional[str], ast.AST]] = [(None, a) for a in node.args]
        exprs += [(k.arg, k.value) for k in node.keywords if k.arg]
        for unpacked in (k.value for k in node.keywords if k.arg is None):
            # assign(**{c: standardize(df[c]) for c in cols}), assign(**{"a b": df.a * 2}): the same expressions
            if isinstance(unpacked, ast.DictComp):
                exprs.append((None, unpacked.value))
            elif isinstance(unpacked, ast.Dict):
                exprs += [(str_const(key) if key is not None else None, value)
                          for key, value in zip(unpacked.keys, unpacked.values)]
        # op -> the columns its new columns were computed from; None once one of its expressions named no column anew
        derived: dict[str, Optional[list[str]]] = {}
        for keyword_name, expr_node in exprs:
            items = expr_node.elts if isinstance(expr_node, (ast.List, ast.Tuple)) else [expr_node]
            for item in items:
                cols = [keyword_name] if keyword_name else self._expression_columns(item)
                picked = self._picked_column(item) if selecting else None
                # wz=(pl.col("w") - ...) / ..., (...).alias("wz"): a column named anew, computed from others ("scaled
                # `wz` of `df`" read as if `wz` had been there)
                sources = [c for c in _columns_read(item) if c not in cols] if not picked else []
                for op in ([picked] if picked else self._expression_op(item)):
                    by_op[op] = union(by_op.get(op, []), cols)
                    # only when each of the op's expressions named its column anew: "filled missing values in `y`
                    # into `a` and `b`" would say `a` was filled from `y`
                    derived[op] = union(derived.get(op) or [], sources) \
                        if sources and (op not in derived or derived[op] is not None) else None
                    # pl.when(pl.col("x") > upper).then(...): outliers by the bound's name alone
                    guessed[op] = guessed.get(op, True) and not picked and self.decided_by_names(  # type: ignore[attr-defined]
                        op, lambda: op if op in self._expression_op(item) else None)
                    if op == "encode_categorical":
                        encode_methods = union(encode_methods, [m for m in [self._expression_encoding(item)] if m])
                    if op == "outlier_remove" and not picked:
                        # pl.when(is_outlier).then(median).otherwise(col), pl.col("x").clip(lo, hi): every row kept,
                        # values replaced or capped ("removed outliers" read as rows dropped)
                        replaced_by = "when" if self._replaces_outliers(item) else next(
                            (sub.func.attr for sub in ast.walk(item) if isinstance(sub, ast.Call)
                             and isinstance(sub.func, ast.Attribute) and sub.func.attr in CAPPING_METHODS), replaced_by)
        # a plain selection inside another call's arguments (pl.concat([a.select("x"), ...])) only feeds it (pick)
        return [Op(op, inputs, cols, ", ".join(encode_methods) or None if op == "encode_categorical" else None,
                   pick=selecting and op == "select_columns",
                   facts={**({"inferred_from": "input_name"} if guessed.get(op) else {}),
                          **({"method": replaced_by} if op == "outlier_remove" and replaced_by else {}),
                          **({"derived_from": derived[op]} if derived.get(op) else {})})
                for op, cols in by_op.items()]

    def _picked_column(self, node: ast.AST) -> Optional[str]:
        """In a select: "select_columns" for "a" / cols / pl.col("a") / pl.all() / cs.numeric(), "rename" for
        pl.col("a").alias("b")."""
        if str_const(node) is not None or isinstance(node, ast.Name):
            return "select_columns"
        if self._is_selector(node):
            return "select_columns"
        if self._names_only(node):
            # df.select(df.columns[1:]), df.select([c for c in df.columns if c != "id"]): names taken from the frame's
            # own labels (CONVENTIONS 18, as `df[df.columns[1:]]`), not an expression computed
            return "select_columns"
        renamed = False
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("alias", "name"):
            node, renamed = node.func.value, True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "exclude" \
                and isinstance(node.func.value, ast.Call) and isinstance(node.func.value.func, ast.Attribute) \
                and node.func.value.func.attr in ("col", "all"):
            node = node.func.value  # pl.all().exclude("a"), pl.col(pl.Float64).exclude("b"): those columns but some
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("col", "all", "exclude") \
                and isinstance(node.func.value, ast.Name):
            return "rename" if renamed else "select_columns"
        return None

    def _names_only(self, node: ast.AST) -> bool:
        """Column names and nothing else: a frame's labels (`df.columns[1:]`, `other.columns`), a list of names bound to
        a name, names written in a list, a comprehension yielding its loop variable over such names, or such lists
        joined with `+` (not `[pl.col(c).cast(pl.Float64) for c in cols]`: an expression per name)."""
        if str_const(node) is not None:
            return True
        if isinstance(node, ast.Attribute) and node.attr == "columns":
            return True  # append_row.select(train.columns)
        if isinstance(node, (ast.Subscript, ast.Call, ast.Name)):
            return self.names_column_labels(node) or (  # type: ignore[attr-defined]
                isinstance(node, ast.Name) and self._names_column_list(node))  # type: ignore[attr-defined]
        if isinstance(node, (ast.List, ast.Tuple)):
            return bool(node.elts) and all(self._names_only(e) for e in node.elts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._names_only(node.left) and self._names_only(node.right)
        if isinstance(node, ast.ListComp) and len(node.generators) == 1:
            gen = node.generators[0]
            return isinstance(node.elt, ast.Name) and isinstance(gen.target, ast.Name) \
                and node.elt.id == gen.target.id and self._names_only(gen.iter)
        return False

    def _is_selector(self, node: ast.AST) -> bool:
        """cs.numeric(), cs.contains("visa"): polars column selectors."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            path = self.resolve_name(node.func.value.id) or ""  # type: ignore[attr-defined]
            return path.startswith("polars.selectors")
        return False

    def _expression_encoding(self, node: ast.AST) -> Optional[str]:
        """The encoding call in one column expression (outermost first): `cast(pl.Categorical)`, `map`, `cat.codes`."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Attribute) and sub.value.attr == "cat":
                return f"cat.{sub.attr}"
            if not isinstance(sub, ast.Call):
                continue
            if isinstance(sub.func, ast.Attribute):
                method = sub.func.attr
                if method in CAST_METHODS and casts_to_category(sub):
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
        named = _without_name(node)
        if self._draws_a_column(node):
            return []  # pds.random(0.0, 1.0).alias("x1") in pds.frame(size=n).select(...): the load's draws (kb)
        if self._is_standardisation(named) or self._is_share_of_total(named):
            # ((pl.col("a") - pl.col("a").mean()) / pl.col("a").std()).alias("z"): naming the result changes nothing
            return ["scale_normalize"]
        if self._replaces_outliers(node):
            return ["outlier_remove"]  # pl.when(is_outlier).then(median).otherwise(col): outliers replaced
        if recodes_by_branches(node):
            return ["encode_categorical"]  # pl.when(pl.col("s") == 0).then(pl.lit("setosa")).when(...): when_recodes.py
        if self.indicator_op(node.body if isinstance(node, ast.Lambda) else named, column=True) \
                == "encode_categorical":  # type: ignore[attr-defined]
            # assign(has_x=lambda d: d.tag.isin(["0880", "0441"])): an indicator of category values, as in a column
            # assignment (CONVENTIONS 20); named or not (`(pl.col("k") == "yes").cast(pl.Int8).alias("k_yes")`)
            return ["encode_categorical"]
        made = [op.op for op in self.expr(node).ops if op.op in ("predict", "evaluate")]
        result = self.result_op(node)  # type: ignore[attr-defined]
        if made or result:
            # assign(pred=model.predict(df)): a prediction wherever it is written (CONVENTIONS 7), as df["pred"] = ...
            return union(made + ([result] if result else []))
        ops: list[str] = []
        for sub in ast.walk(node):
            module_function = isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) \
                and isinstance(sub.func.value, ast.Name) and self._is_path(self.expr(sub.func.value).kind)
            if module_function:
                # assign(lw=np.log(df.wage)), with_columns(...pl.lit(...)): a library function, as in a column assignment
                path = f"{self.expr(sub.func.value).kind}.{sub.func.attr}"
                module = LIBRARIES.get(path.split(".", 1)[0])
                op = getattr(module, "FUNCTIONS", {}).get(path.split(".", 1)[1]) if module and "." in path else None
                if op in ("datetime_parse", "type_cast", "encode_categorical", "scale_normalize", "impute_missing"):
                    ops.append(op)
            elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
                method = sub.func.attr
                holder = sub.func.value
                if isinstance(holder, ast.Attribute) and holder.attr in ("str", "dt", "cat"):
                    op = self._accessor_table("polars", holder.attr).get(method)
                    if date_part_of_parsed(method, holder):
                        op = None  # .str.strptime(...).dt.date(): the parse is the step
                else:
                    op = kb_polars.EXPRESSION_METHODS.get(method)
                    if op == "type_cast" and casts_to_category(sub) and _codes_categories(node, sub):
                        # cast(pl.Enum(["lo", "hi"])) codes by a declared order; cast(pl.Categorical).to_physical()
                        # gives the codes: encodings (CONVENTIONS 20). cast(pl.Categorical) alone makes the type
                        # categorical, a type_cast (CONVENTIONS 21: "polars cast")
                        op = "encode_categorical"
                    elif op == "type_cast" and self._computed_expression(holder) and not self._is_selector(holder):
                        op = None  # rank().over(...).cast(pl.Int64): the cast is part of computing the value
                    if method in ("map", "replace") and op in (None, "derive_feature"):
                        # pl.col("k").replace({"a": 0, "b": 1}) recodes categories as pandas' replace does: the same
                        # named rule decides (kb.pandas.CONTESTED_METHODS["replace"]); text replaced by text cleans it;
                        # assign(s=df.s.map({"m": 0, "f": 1})) recodes as `df["s"] = df.s.map(...)` does (a function
                        # mapped, polars' `map` too, still derives)
                        op = self._map_op(sub) if method == "map" else \
                            REPLACE_OUTCOMES.get(self.replacement_values(Val(), sub) or "", "text_clean")  # type: ignore[attr-defined]
                        if op == "derive_feature":
                            op = None
                    if op is None and method in ("fillna",):
                        op = "impute_missing"
                    if op is None and method in ("astype",):
                        op = None if self._computed_expression(holder) else "type_cast"
                if op:
                    ops.append(op)
            elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) \
                    and self.env.get(sub.func.id, "").startswith(FUNCTION_MARKER + ":"):
                # assign(z=standardize(df.x)): a notebook function whose call is a step of that op
                op = self.env[sub.func.id].split(":", 2)[2]
                if op != "load":
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

    def _draws_a_column(self, node: ast.AST) -> bool:
        """The expression is made from a column-drawing function (kb.library_functions.GENERATED_COLUMN_FUNCTION_PREFIXES)."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and isinstance(sub.func.value, ast.Name) \
                    and self._is_path(self.expr(sub.func.value).kind) \
                    and f"{self.expr(sub.func.value).kind}.{sub.func.attr}".startswith(
                        kb_library_functions.GENERATED_COLUMN_FUNCTION_PREFIXES):
                return True
        return False

    def _replaces_outliers(self, node: ast.AST) -> bool:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "when" \
                    and sub.args and self._mask_is_outlier(sub.args[0]):
                return True
        return False

    @staticmethod
    def _computed_expression(node: ast.AST) -> bool:
        """pl.col("a").rank() / pl.col("a").max().round() / (d.r > 0): more than a column read (a cast of it is part of
        computing the value: an indicator's astype(int), CONVENTIONS 20)."""
        if isinstance(node, (ast.Compare, ast.BoolOp, ast.BinOp, ast.UnaryOp)):
            return True
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            holder = node.func.value
            if isinstance(holder, ast.Attribute) and holder.attr in ("str", "dt"):
                node = holder.value  # .str.replace(...).cast(...): text made a number, a cast of its own
                continue
            if node.func.attr not in ("col", "alias", "name", "cast", "lit") \
                    and kb_polars.EXPRESSION_METHODS.get(node.func.attr) != "impute_missing":
                return True  # (fill_null(...).cast(pl.Float64): the column's gaps filled, then cast, two steps)
            node = holder
        return False

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



def _columns_read(expression: ast.AST) -> list[str]:
    """The columns an expression reads by name: `pl.col("w")`, `d["w"]`, and `d.w` of a lambda's own parameter
    (`assign(wz=lambda d: d.w - d.w.mean())`), in order."""
    params = {a.arg for sub in ast.walk(expression) if isinstance(sub, ast.Lambda) for a in sub.args.args}
    read: list[str] = []
    for sub in ast.walk(expression):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "col":
            read += [c for c in (str_const(a) for a in sub.args) if c]
        elif isinstance(sub, ast.Subscript) and str_const(sub.slice):
            read.append(str_const(sub.slice) or "")
        elif isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id in params:
            read.append(sub.attr)
    return union([], read)


def _codes_categories(expression: ast.AST, cast: ast.Call) -> bool:
    """The category cast declares the categories' order (`pl.Enum([...])`), or the expression takes the codes out
    afterwards (`.to_physical()`)."""
    declared = any(isinstance(sub, ast.Attribute) and sub.attr == "Enum" for sub in ast.walk(cast))
    return declared or any(isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)
                           and sub.func.attr == "to_physical" for sub in ast.walk(expression))


def _without_name(node: ast.AST) -> ast.AST:
    """The expression under its output name: `(...).alias("z")`, `(...).name.suffix("_z")` -> `(...)`."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        holder = node.func.value
        if node.func.attr == "alias":
            node = holder
        elif isinstance(holder, ast.Attribute) and holder.attr == "name":
            node = holder.value
        else:
            break
    return node
