"""Which variables a call changes in place (changed_in_place), and the in-place methods def-use counts: kb.python's
table of data methods plus its fitting methods."""

from __future__ import annotations

import ast
from typing import Callable

from .kb.effects import DISPLAY_OPTION_PREFIXES
from .kb.python import FITTING_METHODS, MUTATING_FUNCTIONS
from .kb.python import MUTATING_METHODS as _DATA_MUTATING_METHODS

# A fitted estimator or transformer is a new state of the same variable that later cells depend on.
MUTATING_METHODS = _DATA_MUTATING_METHODS | FITTING_METHODS


def base_name(node: ast.expr) -> str | None:
    """The variable whose object `node` reaches into: df for df.loc[m, "a"], obj for obj.a.b."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def sets_display_option(target: ast.Attribute | ast.Subscript, module_like: Callable[[str], bool]) -> bool:
    """`pd.options.display.max_columns = 45`: the attribute form of `pd.set_option("display.max_columns", 45)`, which
    changes how values are printed and no data, so it changes no variable (ds-python's cleaning notebook had every
    later cell that called `pd.` depend on the cell that widened the printed tables)."""
    path: list[str] = []
    node: ast.expr = target
    while isinstance(node, ast.Attribute):
        path.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or not module_like(node.id) or len(path) < 3 or path[-1] != "options":
        return False
    return ".".join(reversed(path[:-1])).startswith(DISPLAY_OPTION_PREFIXES)


def _is_inplace_call(call: ast.Call) -> bool:
    return any(
        kw.arg == "inplace" and isinstance(kw.value, ast.Constant) and kw.value.value is True
        for kw in call.keywords
    )


def changed_in_place(call: ast.Call, module_like: Callable[[str], bool]) -> list[str]:
    """The variables whose object `call` changes in place: the receiver of a mutating method (`lst.sort()`,
    `df.update(other)`, `model.fit(X, y)`, `x.add_(1)`, any call with `inplace=True`), and the array a mutating
    function is handed (`np.random.shuffle(a)`, `rng.shuffle(a)`). The one reading of kb.python's in-place tables
    (def-use's walk, lineage.cell_bindings for the runtime rule). `module_like(name)`: `name` is a module
    (`np.append(a, 1)` is a module function, not a change to np)."""
    func = call.func
    changed: list[str] = []
    if isinstance(func, ast.Attribute) and (func.attr in MUTATING_METHODS or _is_inplace_call(call)
                                            or _is_torch_inplace(func.attr)):
        base = base_name(func.value)
        if base is not None and not module_like(base):  # np.random.shuffle(a) changes a, not np
            changed.append(base)
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name in MUTATING_FUNCTIONS and call.args:
        base = base_name(call.args[0])
        if base is not None and base not in changed and not module_like(base):
            changed.append(base)
    return changed


def _is_torch_inplace(method: str) -> bool:
    """PyTorch-style `x.add_(1)`: a trailing single underscore marks an in-place method."""
    return len(method) > 1 and method.endswith("_") and not method.endswith("__") and not method.startswith("_")
