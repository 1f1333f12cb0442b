"""Python's standard library: the few functions that transform data (datetime parsing)."""

from __future__ import annotations

FUNCTIONS: dict[str, str | None] = {
    "datetime": "datetime_parse",  # datetime(2012, month, day): dates made from their parts
    "date": "datetime_parse",
    "strptime": "datetime_parse",
    "fromtimestamp": "datetime_parse",
    "fromisoformat": "datetime_parse",
}
METHODS: dict[str, str | None] = {}
