"""What putting a value into part of data does (`df.loc[mask, "c"] = v`, `a[mask] = 0`, `df.iloc[2:3, 1] = np.nan`):
the rule kb `VALUE_ASSIGNMENT` names, read by column_assignment.py."""

from __future__ import annotations

import ast
from typing import Optional

from .. import kb
from .env_markers import POSITION_MARKER
from .lumped_categories import names_a_catch_all
from .missing_values import is_constant, is_missing_value


class ValueAssignmentRules:
    """Mixin of `Cell`: `assigned_values` and the reading of the target's positions it needs."""

    env: dict[str, str]

    def assigned_values(self, target: ast.Subscript, rows_mask: Optional[ast.AST], key: Optional[ast.AST],
                        value: ast.AST) -> str:
        """What putting `value` into part of data does (kb.VALUE_ASSIGNMENT): fills gaps ("missing"), standardises
        ("scaled"), clears a text placeholder or a numeric anomaly through a mask ("placeholder_text" /
        "anomaly"), writes positions ("positions"), or makes a column ("column")."""
        written = self._slice_columns(key) if rows_mask is not None else []  # type: ignore[attr-defined]
        if rows_mask is not None and self.fills_gaps_of(rows_mask, written, value):  # type: ignore[attr-defined]
            return "missing"
        if rows_mask is not None and written and is_constant(value) and not is_missing_value(value) \
                and self._is_mask(rows_mask) and not set(written) & set(self.mask_columns(rows_mask)) \
                and set(written) <= set(self.missing_seen(self._target_base(target))):  # type: ignore[attr-defined]
            # merged.loc[merged["region"] == "PR", "state"] = "Puerto Rico" after the notebook looked at where `state`
            # is missing: a value put where the column is null, chosen by another column (what-is-a-step.md:
            # "assigning a value where a column is null: impute_missing")
            return "missing"
        if self._is_standardisation(value) or self._is_share_of_total(value):  # type: ignore[attr-defined]
            return "scaled"
        # df.iloc[2:3, [1, 2]] = np.nan, df.loc[0:3, "age"] = np.nan: rows picked by position, not by a test of values
        rows_tested = rows_mask is not None and self._is_mask(rows_mask)  # type: ignore[attr-defined]
        mask = rows_mask if rows_tested else key if rows_mask is None and key is not None and self._is_mask(key) else None  # type: ignore[attr-defined]
        constant = is_constant(value)
        if mask is not None and constant:
            text = self.compares_text(mask)  # type: ignore[attr-defined]
            if is_missing_value(value):
                return "placeholder_text" if text else "anomaly"
            written = self._slice_columns(key) if rows_mask is not None else []  # type: ignore[attr-defined]
            # def lump(values): for v in values: df.loc[df.city == v, "city"] = "Others": a text put where the column
            # equals a value not known here is a category's value recoded as well
            text = text or (_tests_one_value(mask) and str_put(value) is not None)
            tested = self.mask_columns(mask)  # type: ignore[attr-defined]
            if rows_mask is not None and written and names_a_catch_all(value) \
                    and (not tested or set(written) & set(tested)):
                # df.loc[~df.city.isin(top), "city"] = "Other", df.loc[rare, "city"] = "Other": the rows of the column
                # a mask picks put under a catch-all category, lumped, whatever the mask compares with
                # (lumped_categories.py); a mask known to test other columns writes a new category column (derives)
                return "recode"
            if text and rows_mask is not None and set(written) & set(self.mask_columns(mask)):  # type: ignore[attr-defined]
                # df.loc[df.shape.isin(["IR1", "IR2"]), "shape"] = "IR": categories of the column lumped;
                # df.loc[df.sex == "male", "sex"] = 0: a category recoded to a number (CONVENTIONS 20)
                return "variant_text" if _respells_one_value(mask, value) else "recode"
            written = self._slice_columns(key) if rows_mask is not None else []  # type: ignore[attr-defined]
            same = set(written) & set(self.expr(mask).columns) if written else \
                rows_mask is None and _mentions_name(mask, self._target_base(target))  # type: ignore[attr-defined]
            if not text and same and _sets_a_bound(mask, value):
                return "anomaly"  # data[data < 0] = 0, df.loc[df.age > 100, "age"] = 100: values past a bound capped
        if mask is not None and isinstance(value, ast.Name) and _compared_with(mask, value.id) \
                and not self.compares_text(mask) and _writes_tested_column(self, target, rows_mask, key, mask):  # type: ignore[attr-defined]
            # df.loc[df[c] > up_limit, c] = up_limit: values past a bound held in a name capped at that bound
            # (CONVENTIONS 29: "clipping, replacing outliers" is outlier_remove), as with a bound written as a number
            return "anomaly"
        if mask is not None and rows_mask is not None and _rescales_itself(target, value) \
                and not self.compares_text(mask) and set(written) & set(self.mask_columns(mask)):  # type: ignore[attr-defined]
            # df.loc[df.age > 100, "age"] = df.loc[df.age > 100, "age"] / 10: values past a bound brought back by
            # correcting their unit, in place; replacing outliers (CONVENTIONS 29)
            return "anomaly"
        if rows_mask is not None and key is None and _past_the_last_row(target, rows_mask):
            return "appended_row"
        if self._writes_positions(target, rows_mask, key) or (mask is not None and constant and rows_mask is None):
            return "positions"
        return "column"

    def _writes_positions(self, target: ast.Subscript, rows_mask: Optional[ast.AST], key: Optional[ast.AST]) -> bool:
        holder = target.value
        if isinstance(holder, ast.Attribute) and holder.attr in ("iloc", "iat", "T"):
            return True
        if isinstance(holder, ast.Attribute) and holder.attr in ("loc", "at"):
            # df.loc[rows] = v: whole rows; df.loc[0:3, "age"] = v: rows by position (`loc[:, c]` is the column)
            return key is None or (isinstance(rows_mask, ast.Slice)
                                   and any((rows_mask.lower, rows_mask.upper, rows_mask.step)))
        base_kind = self.env.get(self._target_base(target) or "", "")  # type: ignore[attr-defined]
        if base_kind.startswith(("pandas.DataFrame", "polars.DataFrame")) and isinstance(key, ast.Constant):
            return False  # df[3] = np.nan: a frame's column labelled 3
        labels = key.elts if isinstance(key, (ast.List, ast.Tuple)) else [key]
        if base_kind.startswith("pandas.Series") and rows_mask is None and key is not None \
                and all(isinstance(item, ast.Constant) for item in labels):
            return True  # s[["Vermont", "Nevada"]] = np.nan: a series' values at rows named by label
        return key is not None and self._is_position(key)

    def _is_position(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Slice):
            return True
        if isinstance(node, ast.Constant):
            return isinstance(node.value, int) and not isinstance(node.value, bool)
        if isinstance(node, ast.UnaryOp):
            return self._is_position(node.operand)
        if isinstance(node, ast.Name):
            return self.env.get(node.id, "") == POSITION_MARKER
        if isinstance(node, (ast.Tuple, ast.List)):
            return bool(node.elts) and all(self._is_position(e) or isinstance(e, (ast.List, ast.Tuple)) for e in node.elts)
        return False


def _past_the_last_row(target: ast.Subscript, rows: ast.AST) -> bool:
    """`df.loc[len(df)]`, `df.loc[len(df.index)]`, `df.loc[df.shape[0]]`: the label one past the frame's own last row
    (a default range index), where `.loc` adds a row."""
    holder = target.value
    if not (isinstance(holder, ast.Attribute) and holder.attr == "loc" and isinstance(holder.value, ast.Name)):
        return False
    frame = holder.value.id
    if isinstance(rows, ast.Call) and isinstance(rows.func, ast.Name) and rows.func.id == "len" and len(rows.args) == 1:
        sized = rows.args[0]
        sized = sized.value if isinstance(sized, ast.Attribute) and sized.attr == "index" else sized
        return isinstance(sized, ast.Name) and sized.id == frame
    return isinstance(rows, ast.Subscript) and isinstance(rows.value, ast.Attribute) and rows.value.attr == "shape" \
        and isinstance(rows.value.value, ast.Name) and rows.value.value.id == frame \
        and isinstance(rows.slice, ast.Constant) and rows.slice.value == 0


def _respells_one_value(mask: ast.AST, value: ast.AST) -> bool:
    """One value of the column (`df.city == "Golkata"`, `df.city == name` for a name of a loop over strings) gets
    another text that is not a catch-all category: its spelling or variant label fixed (CONVENTIONS 20: "Fixing
    spelling or format of strings, and variant labels, is text_clean"), as `s.replace("Golkata", "Kolkata")` is.
    Lists (`isin`), several tests, numbers and "Others" / "Rare" stay a recoding (lumping, codes)."""
    put = str_put(value)
    tested = mask.args[0] if isinstance(mask, ast.Call) and mask.args else getattr(mask, "comparators", [None])[0]
    if isinstance(tested, ast.Constant) and not isinstance(tested.value, str):
        return False  # df.loc[df.grade == 1, "grade"] = "A": a code given a label, a recoding
    return _tests_one_value(mask) and bool(put and put.strip()) \
        and put.strip().lower() not in kb.CATCH_ALL_CATEGORY_NAMES  # type: ignore[union-attr]


def str_put(value: ast.AST) -> Optional[str]:
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None


def _tests_one_value(mask: ast.AST) -> bool:
    """`df.city == "Golkata"`, `df.city == name`, `df.city.eq(name)`: rows where the column holds one value."""
    if isinstance(mask, ast.Call) and isinstance(mask.func, ast.Attribute) and mask.func.attr == "eq" \
            and len(mask.args) == 1:
        return isinstance(mask.args[0], (ast.Constant, ast.Name))
    return isinstance(mask, ast.Compare) and len(mask.ops) == 1 and isinstance(mask.ops[0], ast.Eq) \
        and isinstance(mask.comparators[0], (ast.Constant, ast.Name))


def _mentions_name(node: ast.AST, name: Optional[str]) -> bool:
    return name is not None and any(isinstance(sub, ast.Name) and sub.id == name for sub in ast.walk(node))


def _rescales_itself(target: ast.AST, value: ast.AST) -> bool:
    """The value is the target's own cells times / divided by / shifted by a number (`x.loc[m, "a"] / 10`)."""
    if not isinstance(value, ast.BinOp) or not isinstance(value.op, (ast.Mult, ast.Div, ast.Add, ast.Sub)):
        return False
    same, number = (value.left, value.right) if isinstance(value.right, ast.Constant) else (value.right, value.left)
    return isinstance(number, ast.Constant) and isinstance(number.value, (int, float)) \
        and not isinstance(number.value, bool) and ast.unparse(same) == ast.unparse(target)


def _compared_with(mask: ast.AST, name: str) -> bool:
    """The name is a side of one of the mask's order comparisons (`df.x > up_limit`, `df.x.gt(up_limit)`): a bound
    (`df.x == v` picks a value, not a tail)."""
    for sub in ast.walk(mask):
        sides: list[ast.AST] = []
        if isinstance(sub, ast.Compare) and all(isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE)) for op in sub.ops):
            sides = [sub.left, *sub.comparators]
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.args \
                and sub.func.attr in ("gt", "ge", "lt", "le"):
            sides = [sub.args[0]]
        if any(isinstance(side, ast.Name) and side.id == name for side in sides):
            return True
    return False


def _writes_tested_column(rules, target: ast.Subscript, rows_mask: Optional[ast.AST], key: Optional[ast.AST],
                          mask: ast.AST) -> bool:
    """The cells written are of the column the mask tests (`df.loc[df[c] > b, c]`, `s[s > b]`), not another one."""
    if rows_mask is None:
        return _mentions_name(mask, rules._target_base(target))
    written = rules._slice_columns(key)
    tested = rules.expr(mask).columns
    if written and tested:
        return bool(set(written) & set(tested))
    # df.loc[df[variable] < low, variable]: the same column named by a variable on both sides
    return key is not None and any(ast.unparse(key) == ast.unparse(sub.slice) for sub in ast.walk(mask)
                                   if isinstance(sub, ast.Subscript))


def _sets_a_bound(mask: ast.AST, value: ast.AST) -> bool:
    """The value put in is one of the mask's own bounds (capping: `df.loc[df.x > 100, "x"] = 100`), not a code
    (binning: `df.loc[(df.age > 16) & (df.age <= 32), "age"] = 1`)."""
    try:
        put = ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    bounds = set()
    for sub in ast.walk(mask):
        sides: list[ast.AST] = []
        if isinstance(sub, ast.Compare):
            sides = [sub.left, *sub.comparators]
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.args \
                and sub.func.attr in ("gt", "ge", "lt", "le"):
            sides = [sub.args[0]]  # df.RoomService.gt(9000): the comparison written as a method
        for side in sides:
            try:
                bounds.add(ast.literal_eval(side))
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
    return put in bounds
