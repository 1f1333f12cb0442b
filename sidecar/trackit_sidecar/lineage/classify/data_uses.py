"""Scans of a whole cell made before its statements are classified: which names it hands to apply / map as
functions, which it reads as data (not only to draw or to walk a grid), which it fills element by element."""

from __future__ import annotations

import ast

from ..kb import display as kb_display
from ..kb import sources as kb_sources
from .drawn_values import draws_in
from .values import called_name


def callback_names(tree: ast.AST) -> frozenset[str]:
    """Names passed as the function of apply / map / agg / transform in this cell (CONVENTIONS 3)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        func = node.func if isinstance(node, ast.Call) else None
        builtin = isinstance(func, ast.Name) and func.id in ("map", "filter", "sorted")  # list(map(f, xs))
        if builtin or (isinstance(func, ast.Attribute) and func.attr in CALLBACK_METHODS):
            for arg in list(node.args) + [k.value for k in node.keywords]:
                for item in arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]:
                    if isinstance(item, ast.Name):
                        found.add(item.id)
    return frozenset(found)


CALLBACK_METHODS = frozenset(kb_sources.CALLBACK_METHODS)
WALKING_WRAPPERS = kb_sources.WALKING_BUILTINS | kb_display.PROGRESS_WRAPPERS


def names_used_as_data(tree: ast.Module, draws, filled: frozenset[str] = frozenset()) \
        -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(names read somewhere in the cell outside a plot call and outside np.meshgrid, names read at all, names read
    also outside what a grid is walked by): a grid used only to draw a figure (`income = np.linspace(0, 150)`, then
    `ax.plot(income, ...)`) is plumbing, not data (CONVENTIONS 8, 28); so is one only walked (see `_walks_a_grid`)."""
    used: set[str] = set()
    anywhere: set[str] = set()
    used_beyond_walking: set[str] = set()

    def visit(node: ast.AST, drawn: bool, walked: bool) -> None:
        if not drawn and isinstance(node, ast.Call):
            drawn = called_name(node.func) in ("meshgrid", "mgrid") or draws_in(node, draws)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            anywhere.add(node.id)
            if not drawn:
                used.add(node.id)
                if not walked:
                    used_beyond_walking.add(node.id)
        for child in ast.iter_child_nodes(node):
            visit(child, drawn, walked or _walks_a_grid(node, child, filled))

    visit(tree, False, False)
    return frozenset(used), frozenset(anywhere), frozenset(used_beyond_walking)


def _walks_a_grid(parent: ast.AST, child: ast.AST, filled: frozenset[str]) -> bool:
    """Whether `child` reads a grid only to walk it, not as data: the values a loop or comprehension runs over
    (`for q in quantiles`: values to try, CONVENTIONS 15 "hyper-parameter grids"), the cell computed into an
    accumulator filled by position (`Z[i, j] = f(B1[i, j])`: a surface to draw, CONVENTIONS 8, 15), and the grid's
    size (`np.zeros((TV.size, Radio.size))`, `len(xs)`)."""
    if isinstance(parent, (ast.For, ast.comprehension)) and child is parent.iter and isinstance(child, ast.Name):
        return True
    if isinstance(parent, (ast.For, ast.comprehension)) and child is parent.iter and isinstance(child, ast.Call) \
            and called_name(child.func) in WALKING_WRAPPERS:
        return True  # for i, d in enumerate(grid), for a, b in zip(grid, other): walked as `for d in grid` is
    if isinstance(parent, ast.keyword) and parent.arg is not None and parent.arg not in kb_sources.DATA_KEYWORDS:
        # learning_curve(est, X, y, train_sizes=grid), validation_curve(..., param_range=grid): a grid handed to
        # configure a call, as `train_sizes=np.linspace(.1, 1, 5)` written there is (calls._keyword_value)
        return True
    if isinstance(parent, ast.Assign) and child is parent.value and len(parent.targets) == 1 \
            and isinstance(parent.targets[0], ast.Subscript) and isinstance(parent.targets[0].value, ast.Name) \
            and parent.targets[0].value.id in filled:
        return True
    if isinstance(parent, ast.Subscript) and child is parent.value and isinstance(child, ast.Name) \
            and isinstance(parent.slice, ast.Name):
        return True  # for i in range(len(grid)): grid[i]: one value at a time, as `for d in grid` walks it
    if isinstance(parent, ast.Compare) and len(parent.ops) == 1 and isinstance(parent.ops[0], (ast.Is, ast.IsNot)):
        return True  # `if sizes is None:`: whether a value was given, not a use of its values
    if isinstance(parent, ast.Attribute) and parent.attr in ("size", "shape"):
        return True
    return isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "len"


def names_filled_by_position(tree: ast.AST) -> frozenset[str]:
    """Names the cell writes element by element in a loop (`for i ...: medians[i, j] = ...`): an array made for that
    (`np.zeros((2, 3))`) is an accumulator, not data generated in code (CONVENTIONS 15). Outside a loop
    (`X = np.ones((m, 2)); X[:, 1] = x`) the array is being built as data."""
    filled: set[str] = set()
    for loop in ast.walk(tree):
        if not isinstance(loop, ast.For):
            continue
        counters = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
        for node in ast.walk(loop):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript) \
                    and isinstance(node.targets[0].value, ast.Name):
                read = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)} - counters
                if read:  # medians[i, j] = df[...].median(): results of other data; not arr[i] = i (values made here)
                    filled.add(node.targets[0].value.id)
    return frozenset(filled)
