"""Which terms of a model formula are categorical (pure functions over `ast` and formula text).

patsy codes a column of strings as `C(...)` codes one: `dmatrices("v2 ~ key1", data)` with `key1` holding "a" / "b"
builds dummy columns for it, the same encoding `C(key1)` would ask for (patsy's documentation: "string columns are
automatically treated as categorical"). So a bare term of a design matrix's formula is `encode_categorical` when the
notebook shows its column holds categories:

- the frame was built in the code from lists of strings for that column (`pd.DataFrame({"key1": ["a", "b"]})`):
  a fact the code states (`text_columns_built`);
- the notebook writes that column as `C(col)` in a formula (`ols("y ~ C(strain)", df)` beside `dmatrices("y ~
  strain", df)`): the author's own reading of the column, a guess for the bare term (`categorical_terms_written`).
"""

from __future__ import annotations

import ast
import json
import re

from .values import MARKER

# -> JSON {frame: [column, ...]}: the columns of frames built from lists of strings (text_columns_built); one key, so
# a cell without frames or formulas tells at once whether there is anything to update
TEXT_COLUMNS = f"{MARKER}text_columns"
# -> "a,b": the columns the notebook has written as `C(a)` in a formula so far (categorical_terms_written)
CATEGORICAL_TERMS = f"{MARKER}categorical_terms"

_CALLED = re.compile(r"([A-Za-z_][\w.]*)\s*\(")
_NAME = re.compile(r"[A-Za-z_]\w*")
_CODED = re.compile(r"\bC\(\s*([A-Za-z_]\w*)")
# the formula's own words, not columns
_FORMULA_WORDS = frozenset({"C", "I", "Q", "np", "center", "standardize", "scale", "bs", "cr", "cc", "te"})


def bare_terms(rhs: str) -> list[str]:
    """The variables the right-hand side of a formula uses as they are, outside any call: `key1 + np.log(x) + C(g)`
    -> ["key1"]; an interaction `a:b` gives both."""
    outside = []
    depth = 0
    for char in rhs:
        if char == "(":
            depth += 1
            if depth == 1:
                outside.append(char)
        elif char == ")":
            depth = max(depth - 1, 0)
            if depth == 0:
                outside.append(char)
        elif depth == 0:
            outside.append(char)
    text = _CALLED.sub(" ", "".join(outside))  # `np.log()`, `C()`: calls, their arguments dropped above
    return [name for name in _NAME.findall(text) if name not in _FORMULA_WORDS and not name.isdigit()]


def categorical_terms_written(tree: ast.AST) -> frozenset[str]:
    """Columns a formula written in this cell codes as categories: `C(strain)` in `"y ~ C(treatment) + C(strain)"`."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "~" in node.value \
                and len(node.value) < 500:
            found.update(_CODED.findall(node.value.split("~", 1)[1]))
    return frozenset(found)


def text_columns_built(tree: ast.AST) -> dict[str, frozenset[str]]:
    """Frames this cell binds to a table built from a dict of written lists (`data = pd.DataFrame({"key1": ["a",
    "b"], "v": [1, 2]})`) -> the columns whose lists hold only strings; every other name the cell assigns -> empty
    (what it held before is gone)."""
    built: dict[str, frozenset[str]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        built[node.targets[0].id] = _string_columns(node.value)
    return built


def _string_columns(value: ast.AST) -> frozenset[str]:
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "DataFrame"
            and value.args and isinstance(value.args[0], ast.Dict)):
        return frozenset()
    columns = set()
    for key, items in zip(value.args[0].keys, value.args[0].values):
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and isinstance(items, (ast.List, ast.Tuple)) \
                and items.elts and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in items.elts):
            columns.add(key.value)
    return frozenset(columns)


def note_categorical_columns(tree: ast.AST, env: dict[str, str], text: str) -> None:
    """Before a cell is walked: the columns its frames built from strings hold, and the columns its formulas write as
    `C(col)`, kept in `env` for the design matrices of this and later cells. Every cell comes here: the text tests
    below are what keep a cell without frames or formulas from walking its tree."""
    if "DataFrame(" in text or TEXT_COLUMNS in env:
        frames = json.loads(env.get(TEXT_COLUMNS, "{}"))
        for name, columns in text_columns_built(tree).items():
            if columns:
                frames[name] = sorted(columns)
            else:
                frames.pop(name, None)  # rebound to something else: what it held is gone
        if frames:
            env[TEXT_COLUMNS] = json.dumps(frames, sort_keys=True)
        else:
            env.pop(TEXT_COLUMNS, None)
    if "~" in text:
        written = categorical_terms_written(tree)
        if written:
            env[CATEGORICAL_TERMS] = ",".join(sorted(written_categorical_terms(env) | written))


def text_columns_of(env: dict[str, str], frames: list[str]) -> set[str]:
    """The columns of these frames the code built from strings."""
    known = json.loads(env.get(TEXT_COLUMNS, "{}"))
    return {column for frame in frames for column in known.get(frame, [])}


def written_categorical_terms(env: dict[str, str]) -> set[str]:
    """The columns the notebook has written as `C(col)` in a formula so far."""
    return {column for column in env.get(CATEGORICAL_TERMS, "").split(",") if column}
