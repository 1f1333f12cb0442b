"""SQL text written into a variable first and run by name (`query = f"SELECT ... FROM train_data GROUP BY ..."`,
then `duckdb.query(query).df()`): the query's clauses are its steps (CONVENTIONS 22: "SQL GROUP BY" aggregates), as when
the text is written in the call. The text a name holds is kept under `SQL_TEXT + name`; an f-string's replacement fields
read as a placeholder word (a column name put in, `"{factor}" AS factor_value`)."""

from __future__ import annotations

import ast
from typing import Optional

from .values import MARKER, str_const

SQL_TEXT = f"{MARKER}sql_text:"


def written_text(node: ast.AST) -> Optional[str]:
    """The text of a string written in the code, an f-string's fields as `x`; None for anything else."""
    if str_const(node) is not None:
        return str_const(node)
    if isinstance(node, ast.JoinedStr):
        return "".join(str_const(part) if str_const(part) is not None else "x" for part in node.values)
    return None


class SqlTextRules:
    """Mixin of `Cell`."""

    env: dict[str, str]

    def bind_written_text(self, target: ast.AST, value: ast.AST) -> None:
        """`name = "SELECT ..."`: keep the text; bound to anything else, the name holds no text any more."""
        if not isinstance(target, ast.Name):
            return
        text = written_text(value)
        if text is not None:
            self.env[SQL_TEXT + target.id] = text
        else:
            self.env.pop(SQL_TEXT + target.id, None)

    def query_text(self, node: ast.AST) -> Optional[str]:
        """The SQL text of a call's argument: written there, or held by the name given."""
        if isinstance(node, ast.Name):
            return self.env.get(SQL_TEXT + node.id)
        return str_const(node)
