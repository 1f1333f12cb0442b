"""Rules found on the two tuning notebooks still below 0.75 in the seventh pass (issue 10), each from a line of
what-is-a-step.md or CONVENTIONS, on small hand-written cells (controls keep what the rule must not change):

- a notebook function's local that its body only counts (`len(sub)`, `len(sub[sub.x == v])`, `sub.shape[0]`) is
  made to answer a question, not a step (what-is-a-step.md, Inspection: "`len(...)`, `df[mask].shape[0]`"; CONVENTIONS
  9: "neither is a chain that ends in one"); a parameter the body only compares with values is a key, and a row of
  that key and counts (`pd.Series([name, len(sub)])`) is an answer, not a concat (classify/function_scope.py).
"""

from __future__ import annotations

import ast

import pytest

from trackit_sidecar.lineage.classify.function_scope import keys_among_parameters, locals_only_counted

from .after_setup import FRAME, ops_after


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
