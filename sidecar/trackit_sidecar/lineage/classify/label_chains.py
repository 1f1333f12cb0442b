"""A name rebound step by step in one cell until it is a list of labels (pure functions over `ast`):

    types = data.dropna(subset=["score"])
    types = types["Largest Property Use Type"].value_counts()
    types = list(types[types.values > 100].index)

The name ends as the labels of the categories with more than 100 rows, a list of names that a later filter uses
(`features[features.t.isin(types)]`): CONVENTIONS 15, "column-name lists, also when computed" and parameters are no
steps, and 9, "a statistic used as a parameter of another step is part of that step". So the bindings on the way
(the dropna, the counts) compute a parameter and are no steps of their own. A chain that ends in data, or a name read
by anything else between its bindings, keeps its steps.
"""

from __future__ import annotations

import ast

from .values import chain_root


def label_chain_lines(tree: ast.Module) -> list[tuple[int, int, str]]:
    """(first, last line, name) of the top-level assignments that only compute a list of labels kept under the same
    name (see the module's doc), the final one included."""
    found: list[tuple[int, int, str]] = []
    body = tree.body
    for at, stmt in enumerate(body):
        name = _single_name(stmt)
        if name is None or not _labels_of_itself(stmt.value, name):  # type: ignore[attr-defined]
            continue
        first = at
        # walk back over the bindings of the same name, each reading the one before: one chain over several lines
        while first > 0 and _single_name(body[first - 1]) == name \
                and _reads_itself(body[first].value, name):  # type: ignore[attr-defined]
            first -= 1
        if first == at:
            continue
        found.append((body[first].lineno, stmt.end_lineno or stmt.lineno, name))
    return found


def _single_name(stmt: ast.stmt) -> str | None:
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        return stmt.targets[0].id
    return None


def _reads_itself(value: ast.AST, name: str) -> bool:
    return any(isinstance(sub, ast.Name) and sub.id == name for sub in ast.walk(value))


def _labels_of_itself(value: ast.AST, name: str) -> bool:
    """`list(t[t.values > 100].index)`, `t.head(10).index.tolist()`, `list(t.index)`: the labels of `name`'s rows."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "list" \
            and len(value.args) == 1:
        value = value.args[0]
    elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
            and value.func.attr in ("tolist", "to_list") and not value.args:
        value = value.func.value
    else:
        return False
    if not (isinstance(value, ast.Attribute) and value.attr == "index"):
        return False
    return chain_root(value.value) == name  # t[t.values > 100], t.head(10), t
