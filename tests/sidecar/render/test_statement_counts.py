""""(N statements)" counts statements, not the calls of one chain (rev30): ds-python cleaning cell 68,
`c["AGE_CLS"] = c["AGE_CLS"].str.replace(" tot ", " - ").str.removesuffix(" jaar").str.strip()` then a `replace` of
codes, read "Cleaned text in `AGE_CLS` of `casualties` (3 statements) and encoded `AGE_CLS`" of a two-line cell."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.render.sentences import describe_steps


def test_the_calls_of_one_chain_are_one_statement():
    said = describe_steps(analyze_source(
        'c["AGE_CLS"] = c["AGE_CLS"].str.replace(" tot ", " - ").str.removesuffix(" jaar").str.strip()').steps)
    assert said == ["Cleaned text in `AGE_CLS` of `c`"], said


def test_statements_that_read_the_same_are_still_counted():
    said = describe_steps(analyze_source(
        'c["AGE_CLS"] = c["AGE_CLS"].str.replace(" tot ", " - ").str.strip()\n'
        'c["AGE_CLS"] = c["AGE_CLS"].str.lower()').steps)
    assert said == ["Cleaned text in `AGE_CLS` of `c` (2 statements)"], said
