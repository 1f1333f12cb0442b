"""A statement the step classifier cannot handle (a rule that raises, a RecursionError) is skipped, and said: the
cell's other statements keep their steps, and the log names the line, so a lost step is never silent."""

from __future__ import annotations

import logging

from trackit_sidecar.lineage.classify import walker
from trackit_sidecar.lineage.classify.cell import classify_cell

CELL = "import pandas as pd\ndf = pd.read_csv('a.csv')\nboom = df.dropna()\nfilled = df.fillna(0)\n"


def test_a_statement_whose_rule_raises_is_skipped_and_said(monkeypatch, caplog):
    assign = walker.StatementWalker.assign

    def raising_for_boom(self, target, value, stmt):
        if getattr(target, "id", None) == "boom":
            raise KeyError("a rule's table has no such entry")
        return assign(self, target, value, stmt)

    monkeypatch.setattr(walker.StatementWalker, "assign", raising_for_boom)
    with caplog.at_level(logging.WARNING, logger=walker.__name__):
        steps, _ = classify_cell(CELL)
    assert [(s.op, s.output) for s in steps] == [("load", "df"), ("impute_missing", "filled")]
    said = [r.getMessage() for r in caplog.records if r.name == walker.__name__]
    assert len(said) == 1 and "line 3" in said[0] and "KeyError" in said[0], said


def test_a_cell_the_classifier_handles_says_nothing(caplog):
    with caplog.at_level(logging.WARNING, logger=walker.__name__):
        steps, _ = classify_cell(CELL)
    assert [s.op for s in steps] == ["load", "drop_missing", "impute_missing"]
    assert not [r for r in caplog.records if r.name == walker.__name__]
