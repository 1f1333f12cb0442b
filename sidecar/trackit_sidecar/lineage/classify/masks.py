"""Boolean masks: what kind of filter a mask makes (rows, missing values, duplicates, outliers, a sample).
The conditions a mask tests are read in conditions.py; whether it keeps rows inside an outlier bound in
outlier_bounds.py; a condition kept as numbers (an indicator) in indicators.py; the missing values a notebook looked
at, remembered across cells, in missing_seen.py; arithmetic that rescales in scaling_shapes.py."""

from __future__ import annotations

import ast
import re
from typing import Callable, Optional, TypeVar

from .. import kb
from ..kb import numpy as kb_numpy
from ..kb import pandas as kb_pandas
from ..kb import sources as kb_sources
from .bindings import LABEL_KEY
from .env_markers import BOUND_MARKER, KIND_FROM_NAME, LISTED_STRINGS, LOOP_STRING, MASK_MARKER, OUTLIER_MASK
from .missing_values import is_constant
from .values import MARKER, kwarg, str_const

TEXT_MASK = f"{MARKER}mask:text"  # a mask that compares with a string: setting its rows to NaN clears a placeholder
PRESENT_MASK = f"{MARKER}mask:present"  # rows whose value is present (df.x.notna()): filtering by it drops missing
MISSING_MASK = f"{MARKER}mask:missing"  # rows whose value is missing (df.x.isna()): assigning through it imputes
MISSING_NAME = re.compile(kb.MISSING_MASK_NAME, re.IGNORECASE)
RANDOM_MASK = f"{MARKER}mask:random"  # rows picked by a random draw (msk = np.random.rand(len(df)) < 0.8): a sample
# the ops a name read as a mask's or bound's kind can decide (without_names)
NAME_DECIDED_OPS = frozenset({"drop_missing", "impute_missing", "outlier_remove"})
# the kinds of mask or bound that a name can decide (MISSING_NAME; outlier_bounds.BOUND_NAME)
NAME_READ_KINDS = frozenset({PRESENT_MASK, MISSING_MASK, OUTLIER_MASK, BOUND_MARKER})


T = TypeVar("T")

# Comparisons written as methods (`s.eq("Yes")`, `s.ne("No")`): equality with a value, as `==` / `!=`.
EQUALITY_METHODS = frozenset({"eq", "ne"})


class MaskRules:
    """Mixin of `Cell`: masks."""

    env: dict[str, str]
    # False while a rule's answer is worked out again without reading names as a mask's or bound's kind (without_names)
    reading_names: bool = True

    # ------------------------------------------------- kinds read off names
    def mask_marker(self, name: str) -> str:
        """The marker `name` is bound to; without reading names, the one it would have had (KIND_FROM_NAME)."""
        if not self.reading_names and KIND_FROM_NAME + name in self.env and self.env.get(name) in NAME_READ_KINDS:
            return self.env[KIND_FROM_NAME + name]
        return self.env.get(name, "")

    def without_names(self, decide: Callable[[], T]) -> T:
        """`decide()` answered without reading a name as saying what a mask or bound is (`~missing_mask`, `z < 3`,
        `df.x < upper`): where the answer differs, only a name decided it, a guess (kb/guesses.py "input_name")."""
        seen = dict(self.values_seen)  # type: ignore[attr-defined]
        self.reading_names = False
        try:
            return decide()
        finally:
            self.reading_names = True
            self.values_seen.clear()  # type: ignore[attr-defined]
            self.values_seen.update(seen)  # type: ignore[attr-defined]

    def remember_kind_from_names(self, name: str, kind: Optional[str], decide: Callable[[], Optional[str]]) -> None:
        """`name` was just bound to `kind` (`decide()`'s answer): remember the kind it has without reading names
        (KIND_FROM_NAME) when only a name made it a missing-value mask or an outlier bound, so what is decided from it
        later is a guess too."""
        self.env.pop(KIND_FROM_NAME + name, None)
        if kind in NAME_READ_KINDS:
            plain = self.without_names(decide)
            if plain != kind:
                self.env[KIND_FROM_NAME + name] = plain or ""

    def decided_by_names(self, op: Optional[str], decide: Callable[[], Optional[str]]) -> bool:
        """`op`, `decide()`'s answer, rests on a name read as a mask's or bound's kind (`s.mask(s > upper, upper)`,
        `np.where(z > 3, 0, x)`): asked only of the ops a name can decide (NAME_DECIDED_OPS)."""
        return op in NAME_DECIDED_OPS and self.without_names(decide) != op

    def mask_op_facts(self, mask: ast.AST, op: str, facts: dict) -> dict:
        """The facts of a filter whose kind `_mask_op` decided: with `inferred_from` when a name decided it (a mask
        named like a missing-value mask, a bound named like an outlier bound)."""
        if op != "filter_rows" and self.without_names(lambda: self._mask_op(mask)) != op:
            return {**facts, "inferred_from": "input_name"}
        return facts

    # ---------------------------------------------------------- masks
    def _is_mask(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Compare):
            return True
        if isinstance(node, ast.BoolOp):
            return True
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not)):
            return True
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr, ast.BitXor)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in kb_numpy.LOGICAL_FUNCTIONS and isinstance(node.func.value, ast.Name):
                # df[np.logical_and(df.a > 0, df.b < 1)]: NumPy's spelling of `&`, a mask as much as the operator's
                return self.resolve_name(node.func.value.id) == "numpy"  # type: ignore[attr-defined]
            return node.func.attr in kb_pandas.MASK_METHODS
        if isinstance(node, ast.Name):
            marker = self.mask_marker(node.id)
            return marker in (MASK_MARKER, OUTLIER_MASK, PRESENT_MASK, MISSING_MASK, RANDOM_MASK) \
                or marker.startswith(TEXT_MASK)
        return self._finds_positions(node.value if isinstance(node, ast.Subscript) else node)

    def _finds_positions(self, node: ast.AST) -> bool:
        """np.where(y == 1), np.nonzero(mask): the positions where a mask holds."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and len(node.args) == 1
                and isinstance(node.func.value, ast.Name) and node.func.attr in kb_numpy.POSITION_FUNCTIONS):
            return False
        return self.resolve_name(node.func.value.id) == "numpy" and self._is_mask(node.args[0])  # type: ignore[attr-defined]

    def assigns_a_mask(self, value: ast.AST) -> bool:
        """The value is a boolean mask written out (`(df.a > 5) & (df.b < 3)`, `df.zip.str.contains("-")`), also with
        its missing tests filled by a boolean (`.fillna(False)`); not a name bound to one (an alias)."""
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "fillna" \
                and len(value.args) == 1 and isinstance(value.args[0], ast.Constant) \
                and isinstance(value.args[0].value, bool):
            value = value.func.value
        return not isinstance(value, ast.Name) and self._is_mask(value)

    def compares_text(self, node: ast.AST) -> bool:
        """The mask compares data with a string (`zips == "00000"`, `df.kind.isin(["a"])`), or is such a mask."""
        if isinstance(node, ast.Name):
            return self.env.get(node.id, "").startswith(TEXT_MASK)
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub is not node and self.env.get(sub.id, "").startswith(TEXT_MASK):
                return True  # other = ~(warranty | contract): made of masks that compare with strings
            if isinstance(sub, ast.Compare) and any(str_const(c) is not None for c in [sub.left, *sub.comparators]):
                return True
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in EQUALITY_METHODS \
                    and len(sub.args) == 1 and str_const(sub.args[0]) is not None:
                return True  # df.answer.eq("Yes"): the comparison written as a method, as df.answer == "Yes"
            if isinstance(sub, ast.Compare) and all(isinstance(op, (ast.Eq, ast.NotEq)) for op in sub.ops) and any(
                    isinstance(c, ast.Name) and self.env.get(c.id, "").startswith(LOOP_STRING)
                    for c in [sub.left, *sub.comparators]):
                return True  # for v in ["ford", "toyota"]: df.make == v: the loop variable is one of those strings
            if isinstance(sub, ast.Compare) and all(isinstance(op, (ast.Eq, ast.NotEq)) for op in sub.ops) and any(
                    isinstance(c, ast.Name) and self.env.get(LABEL_KEY + c.id)
                    for c in [sub.left, *sub.comparators]):
                return True  # positive_label = ">50K"; df.income == positive_label: that string, named
            if isinstance(sub, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in sub.ops) and any(
                    isinstance(c, (ast.List, ast.Tuple, ast.Set)) and c.elts
                    and all(str_const(e) is not None for e in c.elts) for c in sub.comparators):
                return True  # x in {"L", "XL"}: membership in a set of category values, as x == "XL" is
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in ("isin", "is_in") \
                    and sub.args and any(str_const(e) is not None for e in ast.walk(sub.args[0])):
                return True
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in ("isin", "is_in") \
                    and sub.args and isinstance(sub.args[0], ast.Name) \
                    and self.env.get(sub.args[0].id, "").startswith(LISTED_STRINGS):
                return True  # rare = ["Capt", "Don"]; df.title.isin(rare): the strings written in a list, named
        return False

    def draws_rows(self, mask: ast.AST) -> bool:
        """The mask is a random draw, or a name bound to one (`msk`, `~msk`): the rows it keeps are a sample."""
        if isinstance(mask, ast.UnaryOp) and isinstance(mask.op, (ast.Invert, ast.Not)):
            mask = mask.operand
        if isinstance(mask, ast.Name):
            return self.mask_marker(mask.id) == RANDOM_MASK
        return isinstance(mask, ast.Compare) and any(
            op.facts.get("generated") and op.facts.get("method") in kb_sources.RANDOM_DRAWS
            for op in self.expr(mask).ops)  # type: ignore[attr-defined]

    def _mask_op(self, node: ast.AST) -> str:
        """filter_rows, or what kind of filter: df[df.x.notna()] drops missing, df[~df.duplicated()] duplicates,
        df[msk] with msk = np.random.rand(n) < 0.8 samples (CONVENTIONS 16, 30)."""
        if self.draws_rows(node):
            return "sample"
        if self._mask_is_outlier(node):
            return "outlier_remove"
        tests = self._mask_tests(node)
        if tests and tests <= kb.PRESENT_TESTS:
            return "drop_missing"
        if tests == {"~duplicated"}:
            return "drop_duplicates"
        return "filter_rows"

    def _mask_tests(self, node: ast.AST) -> set[str]:
        """The predicate methods a mask is made of (None of them if anything else is compared)."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd):
            left, right = self._mask_tests(node.left), self._mask_tests(node.right)
            return left | right if left and right else set()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "logical_and" \
                and len(node.args) == 2:
            left, right = self._mask_tests(node.args[0]), self._mask_tests(node.args[1])
            return left | right if left and right else set()  # np.logical_and(a.notna(), b.notna()), as `&`
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):  # a query string's `a.notna() and b.notna()`
            parts = [self._mask_tests(value) for value in node.values]
            return set().union(*parts) if all(parts) else set()
        truth = _compared_with_a_truth(node)
        if truth is not None and truth[1]:
            return self._mask_tests(truth[0])  # df.a.notnull() == True: the mask itself
        negated = _negated(node)
        if negated is not None:
            inner = negated
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) \
                    and inner.func.attr in kb.ROW_REDUCTIONS and _tests_missing_call(inner.func.value):
                return {"notna"}  # ~np.isnan(X).any(axis=1): rows with no missing value
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
                if inner.func.attr == "duplicated":
                    return {"~duplicated"}
                if inner.func.attr in kb.MISSING_TESTS:
                    return {"notna"}  # ~df.x.isna(), ~np.isnan(a), pl.col("a").is_null().not_()
            if self._names_missing_mask(inner):
                return {"notna"}  # ~missing_mask, ~imputer.missing_mask_
            return set()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "all" \
                and self._mask_tests(node.func.value) & (kb.PRESENT_TESTS | {"notna"}):
            return {"notna"}  # np.isfinite(X).all(axis=1), df.notna().all(axis=1): rows whose every value is there
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in kb.FINITE_TESTS:
            return {"notna"}  # np.isfinite(y): values that are there and finite
        if _counts_missing_per_row(node):
            return {"notna"}  # df.isnull().sum(axis=1) < 3: rows missing few enough values, as dropna(thresh=...)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args:
            return {node.func.attr}
        if isinstance(node, ast.Name) and self.mask_marker(node.id) == PRESENT_MASK:
            return {"notna"}  # keep = df.x.notna(); df[keep]
        return set()

    def _tests_missing_per_row(self, node: ast.AST) -> bool:
        """`np.isnan(X).any(axis=1)`, `~df.isna().any(axis=1)`, `df.notna().all(axis="columns")`: a missing-value test
        reduced over each row's values, one mask value per row."""
        negated = _negated(node)
        node = negated if negated is not None else node
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in kb.ROW_REDUCTIONS):
            return False
        axis = next((k.value for k in node.keywords if k.arg == "axis"), node.args[0] if node.args else None)
        if not (isinstance(axis, ast.Constant) and axis.value in (1, "columns")):
            return False
        tests = node.func.value
        return _tests_missing_call(tests) or bool(self._mask_tests(tests) & (kb.PRESENT_TESTS | {"notna"}))

    def _names_missing_mask(self, node: ast.AST) -> bool:
        """A mask of missing values, by what it was bound to or by its name (`missing_mask_`, `is_nan`: a guess)."""
        if isinstance(node, ast.Name) and self.mask_marker(node.id) == MISSING_MASK:
            return True
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        return self.reading_names and bool(MISSING_NAME.search(name))

    def mask_columns(self, mask: ast.AST) -> list[str]:
        """The columns a mask tests, also of a mask bound to a name (`m = df.shape.isin([...])`)."""
        if isinstance(mask, ast.Name):
            marker = self.env.get(mask.id, "")
            return marker[len(TEXT_MASK) + 1:].split(",") if marker.startswith(TEXT_MASK + ":") else []
        return self.expr(mask).columns  # type: ignore[attr-defined]

    def mask_kind(self, value: ast.AST) -> str:
        """The marker a mask is bound to: which rows it keeps, for the filter or assignment that uses it later."""
        if self.draws_rows(value):
            return RANDOM_MASK
        if self._mask_is_outlier(value):
            return OUTLIER_MASK
        if self._mask_op(value) == "drop_missing":
            return PRESENT_MASK
        if self._mask_tests_missing(value):
            return MISSING_MASK
        if self.compares_text(value):
            columns = self.expr(value).columns or list(dict.fromkeys(  # type: ignore[attr-defined]
                column for sub in ast.walk(value) if isinstance(sub, ast.Name) for column in self.mask_columns(sub)))
            return f"{TEXT_MASK}:{','.join(columns)}" if columns else TEXT_MASK
        return MASK_MARKER

    def _mask_tests_missing(self, node: ast.AST) -> bool:
        if isinstance(node, ast.UnaryOp):
            return False  # ~df.x.isna(): the rows that are present
        if isinstance(node, (ast.Name, ast.Attribute)) and self._names_missing_mask(node):
            return True
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
                if sub.func.attr in kb.MISSING_TESTS:
                    return True
        return False

    def fills_gaps_of(self, mask: ast.AST, written: list[str], value: ast.AST) -> bool:
        """Assigning `value` through `mask` fills gaps: the mask picks missing values (what-is-a-step.md: "assigning
        a value where a column is null"), of the column written (`df.loc[df.age.isna(), "age"] = 30`,
        `df.age[df.age.isnull()] = 30`, `a[np.isnan(a)] = 0`) or a computed fill put into a copy of it
        (`df.loc[df.age.isna(), "age_fill"] = medians[i]`). A constant put into ANOTHER column where one is missing
        (`df.loc[df.a.isna(), "flag"] = 1`, a code among a column's bins) makes that column; it fills nothing."""
        if not self._mask_tests_missing(mask):
            return False
        tested = self.mask_columns(mask)
        return not written or not tested or bool(set(written) & set(tested)) or not is_constant(value)


def _negated(node: ast.AST) -> Optional[ast.AST]:
    """What `~mask` / `mask.not_()` (in a query string also `not mask`) negates, else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not)):
        return node.operand
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in kb.NEGATION_METHODS \
            and not node.args:
        return node.func.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "logical_not" \
            and len(node.args) == 1:
        return node.args[0]  # np.logical_not(df.a.isna()): NumPy's spelling of `~`
    truth = _compared_with_a_truth(node)
    return truth[0] if truth is not None and not truth[1] else None  # df.a.isnull() == False: `~df.a.isnull()`


def _compared_with_a_truth(node: ast.AST) -> Optional[tuple[ast.AST, bool]]:
    """(mask, True) for `mask == True` / `mask != False` (the mask itself), (mask, False) for `mask == False` / `mask
    != True` (its negation): a mask compared with a truth value written out, one meaning in another form."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.NotEq))
            and isinstance(node.comparators[0], ast.Constant) and isinstance(node.comparators[0].value, bool)):
        return None
    return node.left, node.comparators[0].value is isinstance(node.ops[0], ast.Eq)


def _tests_missing_call(node: ast.AST) -> bool:
    """np.isnan(X) / df.isna(): a call of a missing-value test."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in kb.MISSING_TESTS


def _counts_missing_per_row(node: ast.AST) -> bool:
    """`df.isnull().sum(axis=1) < 3`, `df.notna().sum(axis=1) >= 5`: each row's count of missing (or present) values
    tested against a bound."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
        return False
    side = node.left
    return isinstance(side, ast.Call) and isinstance(side.func, ast.Attribute) and side.func.attr in ("sum", "count") \
        and str(getattr(kwarg(side, "axis"), "value", "")) in ("1", "columns") \
        and isinstance(side.func.value, ast.Call) and isinstance(side.func.value.func, ast.Attribute) \
        and side.func.value.func.attr in kb.MISSING_TESTS | kb.PRESENT_TESTS
