"""A call's argument is evaluated once, whatever the rules deciding the call look at again (mem12).

The rules for np.asarray / np.array and the constructors (pd.DataFrame, pd.Series, pl.DataFrame), NumPy arithmetic
on answers, `round`, a loader's computed path and a project class handed a model looked at their arguments by
evaluating them again (`self.expr(node.args[0])` beside `_args`), so each nesting level multiplied the cost
(np.array(np.array(...)) 5x per level: depth 7 took 6 s, depth 25 would never end; the others 2x per level). They now read the value the argument's evaluation made (`Cell.evaluated`). Counted in `expr` calls, no
timing; a depth-25 nesting is classified as its shallow equivalent is.
"""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.classify.cell import Cell
from trackit_sidecar.lineage.steps import classify_steps

SETUP = "import pandas as pd\nimport numpy as np\nimport polars as pl\ndf = pd.read_csv('a.csv')\n"
# (wrapper, innermost value): each nesting wraps the one inside it
NESTINGS = [
    ("np.asarray({})", "df['y']"),
    ("np.array({})", "df['y']"),
    ("pd.DataFrame({})", "df"),
    ("pd.Series({})", "df['y']"),
    ("pl.DataFrame({})", "df"),
    ("pd.DataFrame({{'a': {}}})", "df['y']"),
    ("np.array([{}])", "df['y']"),
    ("np.log({})", "df['y']"),
    ("np.sqrt({})", "df.y.var()"),  # arithmetic on answers (function_calls.py)
    ("round({}, 1)", "df.groupby('k').mean()"),  # a table kept, rounded (calls.py)
    ("pd.read_csv({})", "'a.csv'.replace('a', 'b')"),  # a file's name computed (function_calls.py)
    ("Model({}, df)", "df"),  # a class of the project's own handed a model (function_calls.py)
]
TOO_MANY = 20_000  # expr calls: a depth-25 nesting needs ~5 per level; the doubling cost needs ~2**25 or more


def nested(wrapper: str, inner: str, depth: int) -> str:
    for _ in range(depth):
        inner = wrapper.format(inner)
    return f"t = {inner}"


@pytest.fixture
def expr_calls(monkeypatch):
    """How often `Cell.expr` ran (recursion included); past TOO_MANY it stops the analysis with an error."""
    calls = [0]
    real = Cell.expr

    def counting(self, node):
        calls[0] += 1
        if calls[0] > TOO_MANY:
            raise RecursionError(f"more than {TOO_MANY} expr calls")
        return real(self, node)

    monkeypatch.setattr(Cell, "expr", counting)
    return calls


def ops_of(cell: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(step.op, tuple(step.inputs)) for step in classify_steps(SETUP + cell)][len(classify_steps(SETUP)):]


@pytest.mark.parametrize("wrapper, inner", NESTINGS)
def test_evaluations_grow_linearly_with_the_nesting(wrapper: str, inner: str, expr_calls) -> None:
    counts = []
    for depth in range(1, 9):
        expr_calls[0] = 0
        classify_steps(SETUP + nested(wrapper, inner, depth))
        counts.append(expr_calls[0])
    steps = {later - earlier for earlier, later in zip(counts, counts[1:])}
    assert len(steps) == 1, counts  # the same few evaluations more per level


@pytest.mark.parametrize("wrapper, inner", NESTINGS)
def test_a_deep_nesting_reads_as_a_shallow_one(wrapper: str, inner: str, expr_calls) -> None:
    deep = ops_of(nested(wrapper, inner, 25))
    if wrapper == "np.log({})":  # each np.log is a scale_normalize of its own
        assert deep == ops_of(nested(wrapper, inner, 1)) * 25
        return
    # depth 1 may differ (pd.Series(df['y']) is one column wrapped, select_columns); from 2 on the wraps are the same
    assert deep == ops_of(nested(wrapper, inner, 2)) == ops_of(nested(wrapper, inner, 3))
