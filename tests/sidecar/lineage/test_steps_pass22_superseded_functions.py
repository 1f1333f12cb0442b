"""The twenty-second pass (issue 10, acc43): a notebook function defined again, the same code, in a later cell before
anything calls it. CONVENTIONS 1: "Functions that are never called are not labelled"; the first definition is replaced before any
code reads its name, so its body never ran on data (repro-hackathon study-34 cells 7 and 8, both labellings: "only
the definition actually called (cell 8) is labelled; cell 7's is overwritten before any call"). Read through
`analyze_notebook` on a real .ipynb file, as `trackit analyze` reads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trackit_sidecar.lineage.static_notebook import analyze_notebook

LOAD = "import pandas as pd\ndf = pd.read_csv('a.csv')"
HELPER = "def clean(d):\n    d = d.dropna()\n    return d[d.x > 0]"
HELPER_COPY = "def clean(d):\n    d = d.dropna()\n\n    return d[d.x>0]  # same code, laid out again"
HELPER_V2 = "def clean(d):\n    d = d.dropna()\n    return d[d.x > 1]"


def cell_ops(tmp_path: Path, sources: list[str]) -> list[list[str]]:
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": s} for s in sources]
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    found = {ex.cell_index: [step.op for step in ex.steps] for ex in analyze_notebook(path).executions}
    return [found.get(i, []) for i in range(len(sources))]


CASES = [
    # a copy of the def replaces the first before any call: the first's body is no step; the copy called keeps its steps
    ([LOAD, HELPER, HELPER_COPY, "out = clean(df)"], [["load"], [], ["drop_missing", "filter_rows"], []]),
    ([LOAD, HELPER, "# clean(df)\nx = 1", HELPER_COPY, "out = clean(df)"],
     [["load"], [], [], ["drop_missing", "filter_rows"], []]),
    # controls: a def written differently is another version (the author may have run it in between), called
    # between the two defs (both ran), passed as a callback, read in the def's own cell, or never
    # defined again
    ([LOAD, HELPER, HELPER_V2, "out = clean(df)"],
     [["load"], ["drop_missing", "filter_rows"], ["drop_missing", "filter_rows"], []]),
    ([LOAD, HELPER, "a = clean(df)", HELPER_COPY, "b = clean(df)"],
     [["load"], ["drop_missing", "filter_rows"], [], ["drop_missing", "filter_rows"], []]),
    ([LOAD, HELPER + "\nfirst = clean(df)", HELPER_V2, "b = clean(df)"],
     [["load"], ["drop_missing", "filter_rows"], ["drop_missing", "filter_rows"], []]),
    ([LOAD, HELPER, "out = clean(df)"], [["load"], ["drop_missing", "filter_rows"], []]),
]


@pytest.mark.parametrize("sources, expected", CASES)
def test_a_definition_replaced_before_any_call_has_no_steps(tmp_path: Path, sources: list, expected: list) -> None:
    assert cell_ops(tmp_path, sources) == expected
