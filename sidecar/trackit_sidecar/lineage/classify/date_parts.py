"""Whether a date part (`.dt.date`) is read off datetimes parsed in the same expression.

`df["day"] = df["ts"].dt.date` takes the date part of datetimes the data already holds: derive_feature (CONVENTIONS 21:
"Extracting date parts is derive_feature"), as `.dt.hour` does. `df["end"] = pd.to_datetime(df["end"]).dt.date` parses
text to dates on the way: that is one datetime_parse (CONVENTIONS 21: "`to_datetime`, `strptime` ... are
datetime_parse"), not a parse and a date part.
"""

from __future__ import annotations

import ast

from ..kb import pandas as kb_pandas
from ..kb import polars as kb_polars
from .values import called_name

# calls that parse text (or numbers) to datetimes: pd.to_datetime, pd.DatetimeIndex, polars .str.strptime / .str.to_datetime
PARSING_CALLS: frozenset[str] = frozenset(
    {name for name, op in kb_pandas.FUNCTIONS.items() if op == "datetime_parse"}
    | {name for name, op in kb_polars.ACCESSORS["str"].items() if op == "datetime_parse"})


def date_part_of_parsed(part: str, accessor: ast.AST) -> bool:
    """`part` read through `accessor` (the `x.dt` node) off datetimes parsed in the same expression."""
    if part not in kb_pandas.DATE_PARTS_OF_PARSED or not isinstance(accessor, ast.Attribute) or accessor.attr != "dt":
        return False
    parsed = accessor.value
    if not isinstance(parsed, ast.Call):
        return False
    func = parsed.func
    name = called_name(func)
    return name in PARSING_CALLS
