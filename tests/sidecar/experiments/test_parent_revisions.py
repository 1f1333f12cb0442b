"""parent.py (the DAG) and revisions.py (ids)."""

from __future__ import annotations

import pytest

from trackit_sidecar.experiments import parent, revisions


def node(number, seq, failed=False, **cells):
    return parent.Node(number, "nb", seq, failed, {c: (v,) for c, v in cells.items()})


def test_edits_make_a_chain_and_going_back_makes_a_branch():
    nodes = [
        node(1, 10, load="a", impute="median", model="C1"),
        node(2, 20, load="a", impute="mean", model="C1"),  # edits E1
        node(3, 30, load="a", impute="mean", model="C05"),  # edits E2
        node(4, 40, load="a", impute="median", model="C1", extra="new"),  # back to E1's state, plus a cell
        node(5, 50, load="a", impute="mean", model="C05"),  # the same as E3 again
    ]
    assert parent.choose(nodes) == {1: None, 2: 1, 3: 2, 4: 1, 5: 3}


def test_failed_and_unrelated_experiments_are_never_chosen():
    nodes = [node(1, 1, load="a", m="x"), node(2, 2, True, load="a", m="y"), node(3, 3, load="a", m="y"),
             node(4, 4, other="z")]
    assert parent.choose(nodes) == {1: None, 2: 1, 3: 1, 4: None}


def test_the_users_choice_wins_and_cycles_are_caught():
    nodes = [node(1, 1, a="1"), node(2, 2, a="2"), node(3, 3, a="3")]
    chosen = parent.choose(nodes, overrides={3: 1, 2: None})
    assert chosen == {1: None, 2: None, 3: 1}
    assert parent.creates_cycle(chosen, 1, 3)  # 3 -> 1 already: 1 -> 3 would loop
    assert not parent.creates_cycle(chosen, 2, 3)


def test_ids_and_dataset_ids():
    assert revisions.experiment_id(7) == "E0007" and revisions.experiment_id(12345) == "E12345"
    assert [revisions.parse_experiment_id(t) for t in ("E0007", "e7", "7", " E12 ")] == [7, 7, 7, 12]
    for bad in ("E0", "X7", "", "E-1"):
        with pytest.raises(ValueError):
            revisions.parse_experiment_id(bad)
    assert revisions.dataset_id("/home/ana/titanic/passengers.csv") == "titanic/passengers.csv"
    assert revisions.dataset_id("passengers.csv") == "passengers.csv"


def test_a_revision_per_distinct_content_per_dataset_never_changed():
    seen = [revisions.FileSeen("/d/t/a.csv", "h1", 10), revisions.FileSeen("/d/t/b.csv", "k1", 5)]
    first = revisions.assign([], seen)
    assert [(r.dataset_id, r.id) for r in first] == [("t/a.csv", "D0001"), ("t/b.csv", "D0001")]
    assert revisions.assign(first, seen) == []  # same bytes: nothing new
    second = revisions.assign(first, [revisions.FileSeen("/other/t/a.csv", "h2", 11)])
    assert [(r.dataset_id, r.id) for r in second] == [("t/a.csv", "D0002")]
    back = revisions.assign(first + second, [revisions.FileSeen("/d/t/a.csv", "h1", 10)])
    assert back == []  # the old bytes are D0001 again
