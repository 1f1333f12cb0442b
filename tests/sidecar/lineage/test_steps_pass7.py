"""Rules found on the two tuning notebooks still below 0.75 in the seventh pass (issue 10), each from a line of
what-is-a-step.md or CONVENTIONS, on small hand-written cells (controls keep what the rule must not change):

- a notebook function's local that its body only counts (`len(sub)`, `len(sub[sub.x == v])`, `sub.shape[0]`) is
  made to answer a question, not a step (what-is-a-step.md, Inspection: "`len(...)`, `df[mask].shape[0]`"; CONVENTIONS
  9: "neither is a chain that ends in one"); a parameter the body only compares with values is a key, and a row of
  that key and counts (`pd.Series([name, len(sub)])`) is an answer, not a concat (classify/function_scope.py).
- two or more lists of values written in the code and put side by side in one table are each a `load` where they are
  written (what-is-a-step.md "Sources are steps": data created in code from lists; CONVENTIONS 28) and the table a
  `concat` (CONVENTIONS 13), also when the table is then only drawn (CONVENTIONS 8 names subsets of data, not data
  written in the code) (classify/written_lists.py).
- random numbers drawn to the size of data already there (`size=len(y)`) and only drawn beside it are jitter, data
  made only to draw (CONVENTIONS 8; 28 makes only generated data a load), no step (classify/drawn_values.py).
- a cast of a series `pd.crosstab` tabulates changes the categories of the table: a type_cast of its own (CONVENTIONS
  21; Granularity: one statement can hold several steps); a cast that only feeds another call stays none
  (kb.pandas.CATEGORY_TABLE_FUNCTIONS).
"""

from __future__ import annotations

import ast

import pytest

from trackit_sidecar.lineage.steps import classify_cell
from trackit_sidecar.lineage.classify.function_scope import keys_among_parameters, locals_only_counted

from .after_setup import FRAME, FRAME_AND_NUMPY, ops_after


def _function(source: str) -> ast.FunctionDef:
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef)
    return node


@pytest.mark.parametrize("cell", [
    "def count_for(team):\n"
    "    games = df[(df.home == team) | (df.away == team)].sort_values('date').drop_duplicates('game_id')\n"
    "    return pd.Series([team, len(games), len(games[games.winner == team])])\n",
    "def wins_of(team):\n"
    "    games = df[df.home == team]\n"
    "    return games.shape[0]\n",
    "def share_of(city):\n"
    "    rows = df.query('city == @city').dropna(subset=['price'])\n"
    "    return len(rows) / len(df)\n",
])
def test_a_functions_local_only_counted_is_no_step(cell: str) -> None:
    assert ops_after(FRAME, cell) == []


@pytest.mark.parametrize("cell, ops", [
    # the local is returned: the function makes data (CONVENTIONS 1, its body's steps)
    ("def games_of(team):\n"
     "    games = df[df.home == team].drop_duplicates('game_id')\n"
     "    return games\n", ["filter_rows", "drop_duplicates"]),
    # counted and also read as data
    ("def games_of(team):\n"
     "    games = df[df.home == team]\n"
     "    print(len(games))\n"
     "    return games.groupby('season').size()\n", ["filter_rows", "aggregate"]),
    # a top-level name only counted in its cell stays a step: later cells may read it
    ("games = df[df.home == 'ARS']\nprint(len(games))\n", ["filter_rows"]),
    # two tables of data put side by side in a function are a concat
    ("def both(a, b):\n"
     "    return pd.DataFrame([a, b])\n", ["concat"]),
])
def test_what_the_counted_local_rule_keeps(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


def test_scope_facts_read_from_the_body_alone() -> None:
    counted = _function(
        "def f(team, d):\n"
        "    games = d[d.home == team]\n"
        "    kept = d[d.away == team]\n"
        "    global seen\n"
        "    seen = d.head()\n"
        "    return len(games), len(seen), kept\n")
    assert locals_only_counted(counted) == {"games"}
    assert keys_among_parameters(counted) == {"team"}
    used = _function("def g(team):\n    return df[df.name == team.lower()]\n")
    assert keys_among_parameters(used) == set()


DRAWING = FRAME_AND_NUMPY + "import matplotlib.pyplot as plt\n"


@pytest.mark.parametrize("cell, ops", [
    ("heights = [150, 155, 175, 200]\nweights = [50, 61, 70, 82]\n"
     "people = pd.DataFrame({'height': heights, 'weight': weights})\n", ["load", "load", "concat"]),
    ("group_a = [3.1, 2.8, 3.6]\ngroup_b = [4.0, 4.4]\n"
     "groups = pd.DataFrame([group_a, group_b]).T\ngroups.mean().plot(kind='bar', yerr=groups.std())\n",
     ["load", "load", "concat", "reshape"]),
])
def test_lists_written_in_code_and_tabled_together_are_loads_and_a_concat(cell: str, ops: list[str]) -> None:
    assert ops_after(DRAWING, cell) == ops


def test_lists_written_in_an_earlier_cell_tabled_together_are_a_concat() -> None:
    before = DRAWING + "group_a = [3.1, 2.8, 3.6]\ngroup_b = [4.0, 4.4]\n"
    cell = "groups = pd.DataFrame([group_a, group_b]).T\ngroups.mean().plot(kind='bar')\n"
    context = classify_cell(before)[1]
    assert [step.op for step in classify_cell(cell, context)[0]] == ["concat", "reshape"]


@pytest.mark.parametrize("cell, ops", [
    # one list wrapped alone: the table is the one load (its constructor's)
    ("sizes = [1, 2, 3]\ns = pd.Series(sizes)\n", ["load"]),
    # lists filled in a loop are results collected, not values written in the code
    ("a = []\nb = []\nfor i in range(3):\n    a.append(i)\n    b.append(i * 2)\nres = pd.DataFrame([a, b])\n",
     ["load"]),
    # lists of labels are column names (CONVENTIONS 15), not data
    ("first = ['a', 'b']\nsecond = ['c', 'd']\nlabels = pd.DataFrame([first, second])\n", ["load"]),
    # subsets of data put side by side only to draw them stay plot plumbing (CONVENTIONS 8)
    ("low = df[df.age < 30]\nhigh = df[df.age > 60]\nboth = pd.concat([low.income, high.income], axis=1)\n"
     "both.plot(kind='box')\n", []),
    # a list of values never tabled with another is a parameter or a setting, no step (CONVENTIONS 15)
    ("bins = [0, 18, 65, 120]\n", []),
])
def test_what_the_written_lists_rule_keeps(cell: str, ops: list[str]) -> None:
    assert ops_after(DRAWING, cell) == ops


@pytest.mark.parametrize("cell", [
    "for k in [1, 2, 3]:\n    y = df.age[df.pclass == k]\n    x = np.random.normal(k, 0.04, size=len(y))\n"
    "    plt.plot(x, y, 'r.', alpha=0.2)\n",
    "spread = np.random.uniform(-0.1, 0.1, len(df))\nplt.scatter(df.group + spread, df.score)\n",
])
def test_random_jitter_sized_after_drawn_data_is_no_step(cell: str) -> None:
    assert ops_after(DRAWING, cell) == []


@pytest.mark.parametrize("cell, ops", [
    # a draw sized by numbers and drawn is generated data (CONVENTIONS 28)
    ("normals = np.random.normal(size=50)\nplt.hist(normals)\n", ["load"]),
    # noise sized after data and added to it is used as data, not only drawn
    ("noise = np.random.normal(0, 1, len(df))\ndf['noisy'] = df.income + noise\n", ["load", "derive_feature"]),
])
def test_what_the_jitter_rule_keeps(cell: str, ops: list[str]) -> None:
    assert ops_after(DRAWING, cell) == ops


@pytest.mark.parametrize("cell", [
    "counts = pd.crosstab([df.pclass, df.sex], df.survived.astype(bool))\n",
    "counts = pd.crosstab(df.region, df.churned.astype(bool))\ncounts.plot(kind='bar', stacked=True)\n",
])
def test_a_cast_of_what_crosstab_tabulates_is_a_type_cast(cell: str) -> None:
    assert sorted(ops_after(DRAWING, cell)) == ["reshape", "type_cast"]


@pytest.mark.parametrize("setup, cell, ops", [
    ("from sklearn.preprocessing import LabelEncoder\nle = LabelEncoder()\n",
     "df['code'] = le.fit_transform(df.region.astype(str))\n", ["encode_categorical"]),
    ("", "counts = pd.crosstab(df.region, df.churned)\n", ["reshape"]),
])
def test_what_the_crosstab_cast_rule_keeps(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(DRAWING + setup, cell) == ops
