"""A sort step says when it put the largest first (rev30): bfn-ofsted 00 cell 48,
`.sort_values("Inspection date", ascending = False).drop_duplicates(subset=["URN"])`, read "Sorted ... by `Inspection
date` ... and dropped duplicate rows by `URN`", which reads as keeping each home's earliest inspection, not its latest."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.render.sentences import describe_steps


def _said(source: str) -> str:
    return describe_steps(analyze_source(source).steps)[0]


def test_a_descending_sort_says_so():
    said = _said('latest = (\n    inspections\n    .sort_values("Inspection date", ascending = False)\n'
                 '    .drop_duplicates(subset = [ "URN" ])\n)')
    assert said.startswith("Sorted `inspections` by `Inspection date` in descending order into `latest` and dropped "
                           "duplicate rows by `URN`"), said
    assert "in descending order" in _said('top = df.sort("amount", descending=True)')  # polars
    assert "in descending order" in _said("density.sort_values(ascending=False, inplace=True)")


def test_an_ascending_or_mixed_sort_says_no_direction():
    for source in ('out = df.sort_values("a")', 'out = df.sort_values("a", ascending=True)',
                   'out = df.sort_values(["a", "b"], ascending=[True, False])', 'out = df.sort_values("a", ascending=up)'):
        assert "descending" not in _said(source), (source, _said(source))
