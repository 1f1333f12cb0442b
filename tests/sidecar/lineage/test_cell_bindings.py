"""Which lines of a cell bind a name (lineage/cell_bindings.py), for the runtime rule: a line that changes a variable
in place binds it, read from kb.python's one table of in-place methods and functions (issue 10 item 5: "methods
that mutate in place" defined once), not only `inplace=True`."""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.cell_bindings import binding_lines

from .test_runtime_decisions import _cell_ops, rows


@pytest.mark.parametrize("line, name", [
    ("lst.sort()", "lst"),                      # list.sort / ndarray.sort work in place
    ("df.update(fixes)", "df"),                 # DataFrame.update changes the frame it is called on
    ("arr.fill(0)", "arr"),                     # ndarray.fill
    ("seen.add(key)", "seen"),                  # set.add
    ("df['a'].update(s)", "df"),                # into a column: the frame changes
    ("np.random.shuffle(arr)", "arr"),          # a mutating function changes its first argument
    ("rng.shuffle(arr)", "arr"),
    ("model.fit(X, y)", "model"),               # a fitted estimator is a new state of its variable
    ("df.dropna(inplace=True)", "df"),          # any call with inplace=True
])
def test_a_call_that_changes_a_variable_in_place_binds_it(line: str, name: str) -> None:
    assert binding_lines(f"import numpy as np\nx = 1\n{line}")[name] == {3}


@pytest.mark.parametrize("line, name", [
    ("out = df.sort_values('a')", "df"),        # returns a new frame
    ("a2 = np.append(arr, 1)", "np"),           # a module's function, not a change to the module
    ("np.random.shuffle(arr)", "np"),
    ("n = df.shape[0]", "df"),
])
def test_a_call_that_returns_a_new_object_does_not_bind_its_receiver(line: str, name: str) -> None:
    bound = binding_lines(f"import numpy as np\n{line}")
    assert 2 not in bound.get(name, set())


def test_a_filter_followed_by_an_in_place_change_of_the_same_variable_is_not_decided_by_its_rows() -> None:
    # the probe measures `e` after the cell: the rows dropna kept are the cell's, after e.update(...) too, so the
    # row count cannot say what dropna did (runtime_decisions: every line that binds the variable must be its step)
    ops = _cell_ops("e = e.dropna()\ne.update(fixes)", [rows("e", 10, 10)])
    assert [(op, by) for op, by, output in ops if op == "drop_missing"] == [("drop_missing", "static")]
