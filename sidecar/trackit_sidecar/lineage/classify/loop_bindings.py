"""What a loop variable is bound to (`for col in df.columns`, `for i, row in df.iterrows()`, `for tr, te in
kf.split(X)`, `for v in [2, 3, 4]`, `for t in np.linspace(0, 1, 21)`): a column label, a row, a fold's positions, one
listed value, one number of a grid, so that what the loop body does with it can be read. Apart from bindings.py, which
binds the names an assignment makes, because a loop binds each of the iterable's items, not a value."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import sources as kb_sources
from .bindings import GRID_KEY
from .fold_pairs import FOLD_PAIR_MARKER
from .env_markers import (ANSWER_MARKER, COLUMN_LABELS, DICT_MARKER, FOLD_ROWS_MARKER, LISTED_STRINGS, LOOP_STRING,
                          POSITION_MARKER)
from .values import MARKER, str_list

# Iterators over a frame's rows, one row at a time (`for i, row in df.iterrows()`, `for r in df.itertuples()`)
ROW_ITERATORS = frozenset({"iterrows", "itertuples", "iter_rows"})
# + name: a loop variable over the labels of rows picked by a mask (`for i in df[df.Age.isnull()].index`), the mask's
# source; `df.loc[i, "Age"] = v` then writes into the rows the mask picks (column_assignment.py)
ROWS_OF_MASK_KEY = f"{MARKER}rows_of_mask:"
# + name: a loop variable over column labels (`for col in X.columns`)
LABEL_LOOP_KEY = f"{MARKER}label_loop:"
# + name: a loop variable over whole numbers written out (`for v in [2, 3, 4]`), one listed value at a time: an
# indicator of equality with it, one column per value, is a one-hot encoding written by hand (indicators.indicator_op)
LISTED_VALUE_KEY = f"{MARKER}listed_value:"


class LoopBindingRules:
    """Mixin of `Cell` (through `StatementWalker`): the bindings of loop names."""

    env: dict[str, str]

    def _walks_labels(self, iterable: ast.AST) -> bool:
        """`df.columns`, `df.select_dtypes("object").columns`, or a name bound to column names or labels."""
        if isinstance(iterable, ast.Name):
            marker = self.env.get(iterable.id, "")
            return marker == COLUMN_LABELS or marker.startswith(LISTED_STRINGS)
        return self.names_column_labels(iterable)

    def _bind_loop_var(self, target: ast.AST, iterable: ast.AST) -> None:
        self.bind_predicted_items(target, iterable)  # type: ignore[attr-defined]
        if isinstance(target, ast.Name):
            self.env.pop(ROWS_OF_MASK_KEY + target.id, None)
            if isinstance(iterable, (ast.List, ast.Tuple)) and len(iterable.elts) >= 2 and all(
                    isinstance(e, ast.Constant) and type(e.value) is int for e in iterable.elts):
                self.env[LISTED_VALUE_KEY + target.id] = "1"
            else:
                self.env.pop(LISTED_VALUE_KEY + target.id, None)
            if self._walks_labels(iterable):
                # for col in X.columns: cols.append(col) collects column labels (collected.py)
                self.env[LABEL_LOOP_KEY + target.id] = "1"
            else:
                self.env.pop(LABEL_LOOP_KEY + target.id, None)
        if self.bind_document_loop(target, iterable):  # type: ignore[attr-defined]
            return  # for text in df["text"]: each row's document (documents.py)
        labelled = row_labels_of(iterable)
        if labelled is not None and isinstance(target, ast.Name) and self.expr(labelled).inputs:
            # for ind in df[df.Age.isnull()].index: one row's label at a time, so df.loc[ind, "Sex"] is one value
            # (CONVENTIONS 9) and df.loc[ind, "Age"] = v writes into that row, as a position does
            self.env[target.id] = POSITION_MARKER
            rows = labelled.slice if isinstance(labelled, ast.Subscript) else None
            if rows is not None and self._is_mask(rows):
                self.env[ROWS_OF_MASK_KEY + target.id] = ast.unparse(rows)
            return
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) \
                and iterable.func.attr in ROW_ITERATORS:
            # for i, row in df.iterrows(): h = row["H"]: one row's values, read one at a time; a value picked from it
            # is a number, not a column selected (CONVENTIONS 18 is about columns; 9: single numbers are no step)
            for name in self._target_names(target):
                self.env[name] = ANSWER_MARKER
            return
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) \
                and iterable.func.attr in ("items", "keys") and isinstance(target, (ast.Tuple, ast.Name)):
            key = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
            if isinstance(key, ast.Name):
                self.env[key.id] = ANSWER_MARKER  # for name, model in models.items(): name is a label, not data
            for other in (target.elts[1:] if isinstance(target, ast.Tuple) else []):
                for name in self._target_names(other):
                    self.env.pop(name, None)
            return
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, (ast.Name, ast.Attribute)) \
                and (getattr(iterable.func, "id", None) in ("range", "enumerate")
                     or getattr(iterable.func, "attr", None) in ("ndenumerate", "ndindex")):
            # for i in range(8), for (i, j), v in np.ndenumerate(Z): positions, not column names
            position_names = self._target_names(target)
            if getattr(iterable.func, "id", None) == "enumerate":
                position_names = position_names[:1]
                folds = iterable.args[0] if iterable.args else None
                if isinstance(target, ast.Tuple) and len(target.elts) == 2 and isinstance(folds, ast.Call) \
                        and isinstance(folds.func, ast.Attribute) and folds.func.attr == "split":
                    # for fold, (tr, va) in enumerate(kf.split(X)): the fold's number, then its row positions, as
                    # without enumerate (below)
                    self._bind_loop_var(target.elts[1], folds)
            for name in position_names:
                self.env[name] = POSITION_MARKER
            return
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) and iterable.func.attr == "split" \
                and isinstance(target, ast.Name) and iterable.args and self.expr(iterable.args[0]).inputs:
            self.env[target.id] = FOLD_PAIR_MARKER  # for idx in kf.split(X): idx_tr, idx_val = idx (fold_pairs.py)
            return
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) and iterable.func.attr == "split" \
                and isinstance(target, ast.Tuple) and iterable.args and self.expr(iterable.args[0]).inputs:
            # for tr, te in skfolds.split(X_train, y): each fold's row positions (env_markers.FOLD_ROWS_MARKER)
            for name in self._target_names(target):
                self.env[name] = FOLD_ROWS_MARKER
            return
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "zip" \
                and isinstance(target, ast.Tuple) and len(target.elts) == len(iterable.args):
            # for scores, clf in zip((rf_scores, lr_scores), (rf, lr)): each name takes what its sequence holds
            for name, sequence in zip(target.elts, iterable.args):
                self._bind_loop_var(name, sequence)
            # for p, t in zip(y_pred, y_test): each p is a prediction beside its truth (zipped_pairs.py), which the
            # names' own bindings above do not say (an array walked alone gives no role)
            self.bind_predicted_items(target, iterable)  # type: ignore[attr-defined]
            return
        if isinstance(target, ast.Name) and isinstance(iterable, (ast.Tuple, ast.List)) and iterable.elts \
                and all(isinstance(e, ast.Name) for e in iterable.elts) \
                and len({self.env.get(e.id) for e in iterable.elts}) == 1 \
                and self.env.get(iterable.elts[0].id) == DICT_MARKER:
            # for scores in (rf_scores, lr_scores): dicts the notebook fills, a value put under a key is no column
            self.env[target.id] = DICT_MARKER
            return
        if not isinstance(target, ast.Name):
            return
        cols = str_list(iterable)
        if cols is None and isinstance(iterable, ast.Name):
            marker = self.env.get(iterable.id, "")
            if marker.startswith(LISTED_STRINGS):
                cols = marker.split(":", 2)[2].split(",")
        if cols is not None:
            self.env[target.id] = f"{LOOP_STRING}{','.join(cols)}"
        elif self._walks_numbers(iterable):
            # for t in thresholds (np.linspace(0, 1, 21)), for t in [0.3, 0.5]: one number at a time, so
            # `y_pred >= t` is a threshold (CONVENTIONS 26), as `y_pred >= 0.5` is
            self.env[target.id] = ANSWER_MARKER
        else:
            self.env.pop(target.id, None)

    def _walks_numbers(self, iterable: ast.AST) -> bool:
        """A grid written in the code (`np.linspace(...)`, a name bound to one) or a list of numbers written out."""
        if isinstance(iterable, ast.Name):
            return self.env.get(GRID_KEY + iterable.id) is not None
        if isinstance(iterable, (ast.List, ast.Tuple)):
            return bool(iterable.elts) and all(
                isinstance(e, ast.Constant) and isinstance(e.value, (int, float)) and not isinstance(e.value, bool)
                for e in iterable.elts)
        if isinstance(iterable, ast.Call):
            val = self.expr(iterable)  # type: ignore[attr-defined]
            return len(val.ops) == 1 and val.ops[0].op == "load" \
                and val.ops[0].facts.get("method") in kb_sources.GRID_GENERATORS
        return False


def row_labels_of(iterable: ast.AST) -> Optional[ast.AST]:
    """The frame whose row labels a loop walks (`df.index`, `df[mask].index`, `df.index.tolist()`,
    `list(df[mask].index)`), else None."""
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "list" \
            and len(iterable.args) == 1:
        iterable = iterable.args[0]
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) and not iterable.args \
            and iterable.func.attr in ("tolist", "to_list"):
        iterable = iterable.func.value
    if isinstance(iterable, ast.Attribute) and iterable.attr == "values":
        iterable = iterable.value
    if isinstance(iterable, ast.Attribute) and iterable.attr == "index":
        frame = iterable.value
        if isinstance(frame, ast.Subscript) and isinstance(frame.value, ast.Attribute) and frame.value.attr == "loc":
            frame = ast.Subscript(value=frame.value.value, slice=frame.slice, ctx=ast.Load())  # df.loc[mask].index
        return frame
    return None
