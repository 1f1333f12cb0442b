"""Row positions made to be shuffled (pure functions over `ast`): `idx = np.arange(n)` then `np.random.shuffle(idx)`
in the same cell is a permutation of the rows' positions, the hand-written form of `np.random.permutation(n)`.

CONVENTIONS 30: "`sample`, permutation and bootstrap resampling are `sample`"; 15: boolean masks and parameter
vectors are no steps. So the positions and their shuffle are no steps (no `load` of generated numbers: nothing is
drawn but an order), and the rows taken by them (`df.iloc[idx]`) are the `sample`, as
`df.iloc[np.random.permutation(len(df))]` is.
"""

from __future__ import annotations

import ast

from .values import MARKER, called_name

PERMUTATION_MARKER = f"{MARKER}permutation"  # a name holding every row position in a random order


def positions_shuffled(tree: ast.Module) -> frozenset[str]:
    """Names the cell binds to positions (`np.arange(n)`, `np.arange(len(df))`, `list(range(n))`) and shuffles in place
    (`np.random.shuffle(idx)`, `rng.shuffle(idx)`, `random.shuffle(idx)`) as a statement of its own."""
    shuffled = {stmt.value.args[0].id for stmt in ast.walk(tree)
                if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
                and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr == "shuffle"
                and len(stmt.value.args) == 1 and isinstance(stmt.value.args[0], ast.Name)}
    if not shuffled:
        return frozenset()
    made = {stmt.targets[0].id for stmt in ast.walk(tree)
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
            and counts_positions(stmt.value)}
    return frozenset(shuffled & made)


def counts_positions(value: ast.AST) -> bool:
    """`np.arange(n)`, `np.arange(len(df))`, `range(n)`, `list(range(n))`: the positions 0..n-1."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "list" \
            and len(value.args) == 1:
        value = value.args[0]
    if not (isinstance(value, ast.Call) and len(value.args) == 1 and not value.keywords):
        return False
    func = value.func
    name = called_name(func)
    return name in ("arange", "range")


def is_shuffle_of(node: ast.AST, env: dict[str, str]) -> bool:
    """`np.random.shuffle(idx)` / `rng.shuffle(idx)` of a name holding shuffled positions."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "shuffle" \
        and len(node.args) == 1 and isinstance(node.args[0], ast.Name) \
        and env.get(node.args[0].id) == PERMUTATION_MARKER
