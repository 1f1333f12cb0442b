"""The missing values a notebook looked at (`df.loc[df["state"].isnull(), "region"]`): which columns of which frame it
tested for missing values, kept in the context (`trackit:missing_seen:<frame>`) so that a later cell assigning into
exactly those gaps is read as imputing them (value_assignment.py). Memory across cells, apart from masks.py, which
reads one mask as it is written."""

from __future__ import annotations

import ast
from typing import Optional

from .missing_values import missing_tested
from .values import MARKER, str_const

MISSING_SEEN = f"{MARKER}missing_seen:"  # + frame -> columns whose missing values the notebook tested


class MissingSeenRules:
    """Mixin of `Cell`: `remember_missing_tests`, `missing_seen`."""

    env: dict[str, str]
    tests_missing: bool = False  # the cell's text has a test of missing values (isna / isnull / notna / ...)

    def remember_missing_tests(self, stmt: ast.stmt) -> None:
        """merged.loc[merged["state"].isnull(), "region"].unique(): the notebook looked at where `state` of `merged`
        is missing. Kept in the context (MISSING_SEEN) for later cells that fill those gaps by another column."""
        if not self.tests_missing:
            return  # no missing test in the cell (the common case)
        for node in ast.walk(stmt):
            tested = missing_tested(node)
            if tested is None:
                continue
            frame_column = frame_and_column(tested[0])
            if frame_column is not None:
                frame, column = frame_column
                seen = self.missing_seen(frame)
                if column not in seen:
                    self.env[MISSING_SEEN + frame] = ",".join(seen + [column])

    def missing_seen(self, frame: Optional[str]) -> list[str]:
        """The columns of `frame` whose missing values the notebook tested (remember_missing_tests)."""
        marker = self.env.get(MISSING_SEEN + frame, "") if frame else ""
        return marker.split(",") if marker else []


def frame_and_column(node: ast.AST) -> Optional[tuple[str, str]]:
    """("df", "age") for `df["age"]` or `df.age`; None otherwise."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and str_const(node.slice) is not None:
        return node.value.id, str_const(node.slice)  # type: ignore[return-value]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id, node.attr
    return None
