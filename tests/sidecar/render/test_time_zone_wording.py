"""A time-zone change is not said to parse dates (rev30): ds-python case1 bike count cell 41,
`df = df.tz_convert("Europe/Brussels")`, read "Parsed dates in `df`: 166,176 rows (unchanged)", as if `df` had held
text; its index was dates already."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.render.sentences import describe_steps


def _said(source: str) -> str:
    steps = analyze_source(source).steps
    assert [s.op for s in steps] == ["datetime_parse"], steps
    return describe_steps(steps)[0]


def test_a_time_zone_conversion_says_so():
    assert _said('df = df.tz_convert("Europe/Brussels")') == "Converted the time zone of `df`"
    assert _said('df = df.tz_localize("UTC")') == "Set the time zone of `df`"


def test_parsing_text_still_says_parsed():
    assert _said('df["d"] = pd.to_datetime(df["d"])').startswith("Parsed `d` of `df` as dates")
