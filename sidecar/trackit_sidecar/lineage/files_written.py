"""The files a cell's code writes (`df.to_csv("clean.csv")`, `np.save(path, X)`, `joblib.dump(model, "m.pkl")`): which
path, from which variable, by which call. Pure: read from the cell's source with the export calls of
`lineage/kb/effects.py` (EXPORT_METHODS, EXPORT_FUNCTIONS, PATH_KEYWORDS).

Saving is no step (docs: what-is-a-step), so the classifier leaves these statements out; an auditor still needs to
know which file a notebook produced, from what, in which cell. Set on each record as `ExecutionRecord.files_written`
(lineage/records.py); the tree, the hover and the summary say them from there (render/files_written.py).
A write in the body of a function the cell defines is not one the cell made, and is left out.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Optional

from ..protocol import FileWritten
from .kb import CONVENTIONAL_ALIASES
from .kb import effects as fx
from .ast_names import dotted
from .magics import strip_magics

# Where a writing function takes what it writes and the path: numpy's savers take the path first
# (`np.save(file, arr)`), the serialisers the object first (`joblib.dump(value, filename)`).
VALUE_THEN_PATH = frozenset({"joblib.dump", "pickle.dump", "torch.save"})
PATH_THEN_VALUE = fx.EXPORT_FUNCTIONS - VALUE_THEN_PATH


_EXPORT_NAMES = re.compile(r"\b(?:%s)\b" % "|".join(
    sorted(fx.EXPORT_METHODS | {name.rsplit(".", 1)[1] for name in fx.EXPORT_FUNCTIONS})))


@lru_cache(maxsize=1024)  # every record read is completed, and a notebook's runs repeat a few cells' sources
def files_written(source: str) -> tuple[FileWritten, ...]:
    """Every export call of the cell's code outside function bodies, in order; () when the code does not parse."""
    if not _EXPORT_NAMES.search(source):  # most cells write nothing: no parse
        return ()
    try:
        tree = ast.parse(strip_magics(source))
    except (SyntaxError, ValueError):
        return ()
    # an earlier cell's `import joblib` is not in this source: a writing module's own name and its conventional alias
    # stand for it
    aliases = {**{name.split(".", 1)[0]: name.split(".", 1)[0] for name in fx.EXPORT_FUNCTIONS}, **CONVENTIONAL_ALIASES}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    handles = {item.optional_vars.id: item.context_expr.args[0] for node in ast.walk(tree)
               if isinstance(node, (ast.With, ast.AsyncWith)) for item in node.items
               if isinstance(item.optional_vars, ast.Name) and isinstance(item.context_expr, ast.Call)
               and dotted(item.context_expr.func) == "open" and item.context_expr.args}
    found: list[FileWritten] = []
    _walk(tree, aliases, handles, False, found)
    return tuple(found)


def _walk(node: ast.AST, aliases: dict[str, str], handles: dict[str, ast.expr], in_loop: bool,
          found: list[FileWritten]) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        looped = in_loop or (isinstance(node, (ast.For, ast.AsyncFor, ast.While)) and child in node.body)
        if isinstance(child, ast.Call):
            written = _written(child, aliases, looped, handles)
            if written is not None:
                found.append(written)
        _walk(child, aliases, handles, looped, found)


def _written(call: ast.Call, aliases: dict[str, str], in_loop: bool,
             handles: dict[str, ast.expr]) -> Optional[FileWritten]:
    func = call.func
    name = dotted(func)
    head, _, rest = (name or "").partition(".")
    module = name is not None and head in aliases
    qualified = (f"{aliases[head]}.{rest}" if rest else aliases[head]) if module else None
    if qualified in fx.EXPORT_FUNCTIONS:
        value_at, path_at = (0, 1) if qualified in VALUE_THEN_PATH else (1, 0)
        path = _argument(call, path_at)
        value = _argument(call, value_at, keywords=("arr", "X", "value", "obj"))
        return _file(path, value, name, call, in_loop, handles, aliases)
    if isinstance(func, ast.Attribute) and func.attr in fx.EXPORT_METHODS:
        if module:  # `plt.savefig("fig.png")`: a module's function that saves what it holds, no variable
            return _file(_argument(call, 0), None, name, call, in_loop, handles, aliases)
        return _file(_argument(call, 0), func.value, func.attr, call, in_loop, handles, aliases)
    return None


def _file(path: Optional[ast.expr], value: Optional[ast.expr], call_name: str, call: ast.Call,
          in_loop: bool, handles: dict[str, ast.expr], modules: dict[str, str]) -> Optional[FileWritten]:
    if path is None:
        return None
    if isinstance(path, ast.Name) and path.id in handles:
        path = handles[path.id]  # `with open("model.pkl", "wb") as f: pickle.dump(model, f)`
    if isinstance(path, ast.Call) and dotted(path.func) == "open" and path.args:
        path = path.args[0]  # `pickle.dump(model, open("model.pkl", "wb"))`
    literal = isinstance(path, ast.Constant) and isinstance(path.value, str)
    text = path.value if literal else ast.unparse(path)
    source = _root_name(value)
    if source in modules:  # `np.save("a.npy", np.arange(3))`: data made in the call, from no variable
        source = None
    return FileWritten(path=text, literal=literal, source=source, whole=isinstance(value, ast.Name) and bool(source),
                       call=call_name, line=call.lineno, in_loop=in_loop)


def _argument(call: ast.Call, position: int, keywords: tuple[str, ...] = fx.PATH_KEYWORDS) -> Optional[ast.expr]:
    for keyword in call.keywords:
        if keyword.arg in keywords:
            return keyword.value
    if position < len(call.args) and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return None


def _root_name(node: Optional[ast.expr]) -> Optional[str]:
    """`df` of `df`, `df[cols]`, `df.head(10)`, `df.groupby("a").mean()`."""
    while node is not None and not isinstance(node, ast.Name):
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return None
    return node.id if node is not None else None


