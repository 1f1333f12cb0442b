"""Categories lumped into a catch-all one ("Other", "Rare"): one meaning, written in several forms that must get one
op (CONVENTIONS 20: "a dict `map`/`replace` that recodes category values (... or lumping into "Other")" is
`encode_categorical`). `s.replace(rare, "Other")` was read so already; these say the same of the other forms:
`s.where(s.isin(top), "Other")`, `s.mask(~s.isin(top), "Other")`, `np.where(s.isin(top), s, "Other")` and
`df.loc[~df.c.isin(top), "c"] = "Other"` (the mask inline or named). Pure functions of the syntax tree."""

from __future__ import annotations

import ast
from typing import Optional

from .. import kb


def names_a_catch_all(value: Optional[ast.AST]) -> bool:
    """`"Other"`, `"rare"`, `" Others "`: text that names a catch-all category (kb.CATCH_ALL_CATEGORY_NAMES)."""
    return isinstance(value, ast.Constant) and isinstance(value.value, str) \
        and value.value.strip().lower() in kb.CATCH_ALL_CATEGORY_NAMES


def choice_lumps(node: ast.Call) -> bool:
    """`s.where(keep, "Other")`, `s.mask(rare, "Other")`, `np.where(keep, s, "Other")` (either branch): the values a
    condition picks keep their category, the others are put under one catch-all category. The kept branch must be
    data (not a constant: `np.where(m, "Other", "Main")` writes two labels, an indicator)."""
    method = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    if method == "where" and len(node.args) == 3:  # np.where(condition, if_true, if_false)
        branches = node.args[1:]
        return any(names_a_catch_all(put) and not isinstance(kept, ast.Constant)
                   for put, kept in (branches, branches[::-1]))
    if method in ("where", "mask") and isinstance(node.func, ast.Attribute) and node.args:
        put = node.args[1] if len(node.args) > 1 else next(
            (k.value for k in node.keywords if k.arg == "other"), None)
        return names_a_catch_all(put)
    return False
