"""A splitter's fold kept whole by a loop (`for isplit, idx in enumerate(kf.split(x_train)):` then
`idx_tr, idx_val = idx`): the loop variable is the pair of the fold's row positions, and the names it is unpacked
into are those positions (env_markers.FOLD_ROWS_MARKER), as when the loop unpacks them itself (`for tr, va in
kf.split(X)`), so `y_train[idx_tr]` picks the fold's rows, a split part (CONVENTIONS 16: "selecting KFold indices"),
not a column named `idx_tr`."""

from __future__ import annotations

import ast

from .values import MARKER

FOLD_PAIR_MARKER = f"{MARKER}fold_pair"


def unpacks_a_fold_pair(env: dict[str, str], target: ast.AST, value: ast.AST) -> bool:
    """`tr, va = idx` where `idx` is a loop variable over a splitter's folds."""
    return isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, ast.Name) \
        and env.get(value.id) == FOLD_PAIR_MARKER
