"""A call that loads a data set packaged with a library (kb/packaged_data.py's table, by the call's qualified path):
which data set, from which library. The classifier sets it on the step it makes (Step.packaged_data_set,
Step.packaged_by: classify/wording_facts.py) and the experiments' feature tree on the data source (features.py)."""

from __future__ import annotations

import ast
from typing import Callable, NamedTuple, Optional

from .kb.packaged_data import NAME_ARGUMENT_LOADERS, NAME_KEYWORDS, PACKAGED_DATA_SETS, packaged_loader


class PackagedDataSet(NamedTuple):
    loader: str  # the table's key: "sklearn.datasets.load_"
    name: Optional[str]  # "iris", "tips"; None when the call does not say it
    library: str  # "scikit-learn"
    kind: str  # packaged | downloaded | generated | example


def packaged_data_set(qualified: Optional[str], call: ast.Call) -> Optional[PackagedDataSet]:
    """What `call`, whose callee is `qualified`, loads; None when it is no loader of the table."""
    key = packaged_loader(qualified or "")
    if key is None:
        return None
    entry = PACKAGED_DATA_SETS[key]
    return PackagedDataSet(key, _name(qualified or "", key, call), entry.library, entry.kind)


def loaded_by_statement(node: ast.AST, method: str,
                        qualify: Callable[[ast.AST], Optional[str]]) -> Optional[PackagedDataSet]:
    """What the call of `method` in a statement loads (`qualify`: a callee's dotted path, its imports resolved)."""
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and _callee(call) == method:
            found = packaged_data_set(qualify(call.func), call)
            if found is not None:
                return found
    return None


def _name(qualified: str, key: str, call: ast.Call) -> Optional[str]:
    if qualified in NAME_ARGUMENT_LOADERS:
        values = [*call.args[:1], *(k.value for k in call.keywords if k.arg in NAME_KEYWORDS)]
        return next((v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)), None)
    rest = qualified[len(key):] if key[-1] in "._" else ""
    return rest.split(".")[0] or None


def _callee(call: ast.Call) -> Optional[str]:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
