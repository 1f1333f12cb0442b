"""What a saved notebook's outputs say about the value its cell showed: the last run's answer, read without a kernel.

Most notebooks are saved with their outputs. A code cell whose last statement is an expression saves that expression's
value as its `execute_result` output (IPython's display hook; none when the value is None or the line ends in `;`).
That is the runtime fact the live probe measures as the cell's displayed result (kernel/probe/records.displayed_fact),
read here from its printed form: `shown_value(cell)` gives the same RuntimeFacts record (displayed, kind, shape,
scalar), with `source` "saved_output", so lineage/runtime_decisions.py decides with it exactly as with a kernel's
(an answer shown: inspection; a new table shown: the analysis' result).

What the printed form tells (only what it tells for sure; anything else is None, which decides nothing):
- text/html with a pandas `<table class="dataframe">`: a DataFrame, its size from the footer ("891 rows × 12 columns")
  or its body rows; a polars frame says `shape: (5, 3)`. A Styler's table (`<table id="T_...">`) is not a frame.
- text/plain alone: a Series ends in `dtype: ...` (`Name: x, Length: 891, dtype: int64`); a frame too wide or long
  for its text ends in `[891 rows x 12 columns]`; `array(...)` is an ndarray (`array(3.5)` a 0-d one: a scalar);
  a Python literal (`0.8123`, `(891, 12)`, `['a', 'b']`, `{'a': 1}`, `'text'`, `True`) is that value; numpy 2's
  scalars print as `np.float64(0.5)`; `Index([...])`, `Timestamp('...')` and matplotlib's artists name their type.

Whether the output belongs to the cell's source: nbformat saves the run's number on the cell (`execution_count`) and on
its result; both must be set and equal. A cell edited after it ran and saved keeps both, so that is not seen (nor is a
notebook whose cells ran in another order than saved, when a cell was re-run with other data since).
"""

from __future__ import annotations

import ast
import re
from typing import Any, Optional

from ..protocol import RuntimeFacts

_FRAME_FOOTER_HTML = re.compile(r"(\d[\d,]*)\s+rows\s+(?:×|&times;|x)\s+(\d[\d,]*)\s+columns")
_FRAME_FOOTER_TEXT = re.compile(r"^\[(\d+) rows x (\d+) columns\]$")
_POLARS_SHAPE = re.compile(r"shape:\s*\((\d[\d_]*),\s*(\d[\d_]*)?\)")
# pandas' Series footer: `dtype: float64`, `Name: Age, dtype: float64`, `Name: x, Length: 891, dtype: int64`,
# `Freq: D, Name: y, dtype: int64` (the name itself may hold commas)
_SERIES_FOOTER = re.compile(r"^(?:Freq: \S+, )?(?:Name: .*?, )?(?:Length: (\d+), )?dtype: [\w\[\], :/-]+$")
_NUMPY_SCALAR = re.compile(r"^np\.(?:float|int|uint|complex|bool_|str_|bytes_|longdouble|clongdouble|True_|False_)")
_ARRAY = re.compile(r"^array\(\s*(\[?)")
# a pandas or matplotlib object printed by its class name: `Index([...], dtype='object')`, `Timestamp('2020-01-01')`,
# `<matplotlib.axes._subplots.AxesSubplot at 0x7f...>`, `<AxesSubplot:xlabel='x'>`, `<Axes: xlabel='x'>`,
# `<seaborn.axisgrid.FacetGrid at 0x...>`, `<Figure size 640x480 with 1 Axes>`, `Text(0.5, 1.0, 'Title')`
_CLASS_CALL = re.compile(r"^(Index|RangeIndex|MultiIndex|CategoricalIndex|DatetimeIndex|Int64Index|Float64Index|"
                         r"Timestamp|Timedelta|Text)\(")
_ANGLE_OBJECT = re.compile(r"^<(?:[\w.]+\.)?(\w+)(?::| at 0x| size |>)")


def shown_value(cell: dict[str, Any]) -> Optional[RuntimeFacts]:
    """The displayed-result fact of a saved code cell, or None (no result saved, or not this source's: see above)."""
    count = cell.get("execution_count")
    outputs = cell.get("outputs")
    if not isinstance(count, int) or isinstance(count, bool) or not isinstance(outputs, list):
        return None
    results = [o for o in outputs if isinstance(o, dict) and o.get("output_type") == "execute_result"]
    if len(results) != 1 or results[0].get("execution_count") != count:
        return None
    data = results[0].get("data")
    return value_fact(data) if isinstance(data, dict) else None


def value_fact(data: dict[str, Any]) -> Optional[RuntimeFacts]:
    """What an `execute_result`'s mime bundle says the value was, as a displayed fact; None when it does not say."""
    html, text = _text(data.get("text/html")), _text(data.get("text/plain")).strip()
    if "<table" in html:
        return _html_table(html)
    if not text:
        return None
    return _plain_value(text)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "".join(part for part in value if isinstance(part, str))
    return value if isinstance(value, str) else ""


def _fact(kind: str, rows: Optional[int] = None, cols: Optional[int] = None, scalar: bool = False) -> RuntimeFacts:
    return RuntimeFacts(kind=kind, rows_after=rows, cols_after=cols, displayed=True, scalar=scalar,
                        source="saved_output")


def _number(text: str) -> int:
    return int(text.replace(",", "").replace("_", ""))


def _html_table(html: str) -> Optional[RuntimeFacts]:
    polars = _POLARS_SHAPE.search(html)
    if polars:
        if polars.group(2) is None:  # shape: (5,): a polars Series (the probe names its type "Series")
            return _fact("Series", _number(polars.group(1)))
        return _fact("polars.DataFrame", _number(polars.group(1)), _number(polars.group(2)))
    if 'class="dataframe' not in html:
        return None  # a Styler's table, or any other HTML: not the frame's own repr
    footer = _FRAME_FOOTER_HTML.search(html)
    if footer:
        return _fact("DataFrame", _number(footer.group(1)), _number(footer.group(2)))
    body = html.split("<tbody", 1)[1] if "<tbody" in html else ""
    return _fact("DataFrame", body.count("<tr") or None)


def _plain_value(text: str) -> Optional[RuntimeFacts]:
    lines = text.splitlines()
    last = lines[-1].strip()
    polars = _POLARS_SHAPE.match(lines[0].strip())
    if polars:
        if polars.group(2) is None:
            return _fact("Series", _number(polars.group(1)))
        return _fact("polars.DataFrame", _number(polars.group(1)), _number(polars.group(2)))
    frame = _FRAME_FOOTER_TEXT.match(last)
    if frame and len(lines) > 1:
        return _fact("DataFrame", int(frame.group(1)), int(frame.group(2)))
    series = _SERIES_FOOTER.match(last)
    if series and len(lines) > 1:
        return _fact("Series", int(series.group(1)) if series.group(1) else None)
    array = _ARRAY.match(text)
    if array:
        return _fact("ndarray", scalar=not array.group(1))  # array(3.5): a 0-d array, one value
    if _NUMPY_SCALAR.match(text):
        return _fact("scalar", scalar=True)
    named = _CLASS_CALL.match(text) or _ANGLE_OBJECT.match(text)
    if named:
        return _fact(named.group(1))
    return _literal(text)


_COLLECTIONS = {ast.Tuple: "tuple", ast.List: "list", ast.Dict: "dict", ast.Set: "set"}
_SCALAR_WORDS = frozenset({"nan", "inf", "-inf", "NaN", "NaT"})  # floats (and pandas' missing time) with no literal


def _literal(text: str) -> Optional[RuntimeFacts]:
    """A Python value printed as code: a number, string or bool is a scalar; a tuple, list, dict or set is that
    collection, also when it holds reprs that are calls (`(np.float64(0.11), np.float64(0.07))`, `[Text(0, 0, 'a')]`,
    a test's `(array([False]), array([0.33]))`) or objects (`[<matplotlib.lines.Line2D at 0x7f...>]`)."""
    if text in _SCALAR_WORDS:
        return _fact("scalar", scalar=True)
    if len(text) > 20_000:
        return None  # a printed value that long is not worth parsing here
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        if text.startswith("[<") and text.endswith(">]"):
            return _fact("list")
        return None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand  # -0.5
    if isinstance(node, ast.Constant) and node.value is not None and node.value is not Ellipsis:
        return _fact("scalar", scalar=True)
    if isinstance(node, ast.BinOp) and all(isinstance(side, ast.Constant) for side in (node.left, node.right)):
        return _fact("scalar", scalar=True)  # a complex number: (1+2j)
    kind = _COLLECTIONS.get(type(node))
    if kind is None:
        return None
    return _fact(kind, len(node.keys) if isinstance(node, ast.Dict) else len(node.elts))  # type: ignore[attr-defined]
