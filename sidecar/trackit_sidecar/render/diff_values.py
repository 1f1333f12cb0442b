"""One changed value of a diff in words: a value, a number and the difference of two (to the decimals they are
shown with), a feature, data revision, seed or environment value before and after. Pure."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Optional

from ..experiments.feature_diff import split_path
from ..protocol import DataChange, FeatureChange, ValueChange
from .words import ARROW, ordinal


def value(v: Any) -> str:
    if isinstance(v, dict) and isinstance(v.get("expr"), str):  # a whole decision added or removed: its statement
        return v["expr"] if len(v["expr"]) <= 100 else v["expr"][:97] + "..."
    if v is None:
        return "(none)"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return number(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(value(x) for x in v) + "]" if v else "[]"
    text = v if isinstance(v, str) else repr(v)
    return text if len(text) <= 100 else text[:97] + "..."


def number(v: Optional[float]) -> str:
    """A metric's value (or any number a diff shows), the one format of the CLI and the Experiments panel (its
    webviews/metricFormat.formatMetric, held to this by the extension's wordingContract test): a whole number as it
    is, from 1,000 on to the unit (RMSE 12346, where `.4g` wrote "1.235e+04" and the panel "12346"), else four
    significant digits without trailing zeros ("0.85"; 999.97 is "1000", which the panel cut to "1"), in exponent
    form only below 1e-6 ("1.2e-7"). Rounded as JavaScript rounds: the exact binary value, halves away from zero."""
    if v is None:
        return "-"
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if float(v).is_integer() and abs(v) < 1e21:
        return str(int(v))
    if abs(v) >= 1000:
        return _rounded(v, 0)
    return _without_trailing_zeros(_four_digits(v))


def spread(v: float) -> str:
    """A standard deviation or a noise band, to two significant digits, written out from 100 on (an RMSE's "±1200",
    where `.2g` wrote "±1.2e+03")."""
    text = f"{v:.2g}"
    return format(Decimal(text), "f") if "e+" in text else text


def _four_digits(v: float) -> str:
    """JavaScript's `v.toPrecision(4)` for 0 < |v| < 1000."""
    exact = Decimal(v)
    exponent = exact.adjusted()
    digits = exact.quantize(Decimal(1).scaleb(exponent - 3), rounding=ROUND_HALF_UP)
    if digits.adjusted() > exponent:  # 9.9996 -> 10.00
        exponent += 1
        digits = exact.quantize(Decimal(1).scaleb(exponent - 3), rounding=ROUND_HALF_UP)
    if exponent < -6:
        mantissa = format(digits.scaleb(-exponent), "f")
        return f"{mantissa}e-{abs(exponent)}"
    return format(digits, "f")


def _without_trailing_zeros(text: str) -> str:
    mantissa, e, exponent = text.partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + e + exponent


def _decimals_shown(v: float) -> Optional[int]:
    """How many decimals `number` shows of `v` (None: in exponent form)."""
    text = number(v)
    return None if "e" in text else len(text.partition(".")[2])


def difference(delta: float, *values: Optional[float]) -> str:
    """`delta` signed, to the decimals the values it is the difference of are shown with: accuracy 0.8525 → 0.857
    is "+0.0045", not "+0.004484", a precision neither value shows. One below their last decimal keeps a digit."""
    if delta == 0:
        return "±0"
    shown = [d for d in (_decimals_shown(v) for v in values if v is not None) if d is not None]
    text = _rounded(delta, max(shown)) if shown else ""
    text = text if text and Decimal(text) != 0 else _one_digit(delta)
    return "\u2212" + text[1:] if text.startswith("-") else "+" + text


# The Experiments panel says the same differences offline (webviews/metricFormat.formatDifference, held to this by the
# extension's wordingContract test), so both round as JavaScript's toFixed / toPrecision do: the exact binary value,
# halves away from zero (12.5 -> "13", not Python's "12"), and one digit written out down to 1e-6 ("0.00002").
def _rounded(delta: float, places: int) -> str:
    return format(Decimal(delta).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")


def _one_digit(delta: float) -> str:
    exact = Decimal(delta)
    exponent = exact.adjusted()
    digit = exact.scaleb(-exponent).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if abs(digit) == 10:
        digit, exponent = digit / 10, exponent + 1
    if exponent < -6 or exponent >= 1:
        return f"{int(digit)}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"
    return format(digit.scaleb(exponent), "f")


def change(a: Any, b: Any) -> str:
    return f"{value(a)} {ARROW} {value(b)}"


def missing_side(c: FeatureChange, written: Callable[[Any], str] = value) -> str:
    """What the side an added or removed decision is missing from holds: a parameter the user left to its class's
    default is that default, with its value when the kernel read it ("1 (default)"), else "(unset)" / "(removed)"."""
    known = c.before if c.change == "added" else c.after
    if c.unset_means == "default":
        return "default" if known is None else f"{written(known)} (default)"
    return "(unset)" if c.change == "added" else "(removed)"


def feature_change_words(c: FeatureChange, written: Callable[[Any], str] = value) -> str:
    """A decision's change after its path, with `written` for its values (the CLI's `value`, an export's shortened
    form): "1 (default) → 0.3", "7 (set on the new class)"."""
    if c.unset_means == "another_class":  # a parameter of the new class: the old class's is no value to compare
        return f"{written(c.after)} (set on the new class)"
    if c.change == "added":
        return f"{missing_side(c, written)} {ARROW} {written(c.after)}"
    if c.change == "removed":
        return f"{written(c.before)} {ARROW} {missing_side(c, written)}"
    return f"{written(c.before)} {ARROW} {written(c.after)}"


def feature_line(c: FeatureChange) -> str:
    path = c.path
    if split_path(path)[-1] == "args" and isinstance(c.before or [], list) and isinstance(c.after or [], list):
        return _positional_change(path, c.before or [], c.after or [])
    return f"{path}: {feature_change_words(c)}"


def feature_change_line(path: str, kind: str, before: Any, after: Any, unset_means: Optional[str] = None) -> str:
    """A change kept as a diff tree's leaf (compare.changes.feature_tree), said as `feature_line` says it."""
    return feature_line(FeatureChange(path=path, change=kind, before=before, after=after,  # type: ignore[arg-type]
                                      unset_means=unset_means))  # type: ignore[arg-type]


def _positional_change(path: str, before: list, after: list) -> str:
    """A constructor's positional arguments whose parameters are not known (experiments/positional_params.py), each
    by its place: "model.params.args: [5] → [9]" read as a list the user wrote."""
    unset = object()
    said = []
    for index in range(max(len(before), len(after))):
        a = before[index] if index < len(before) else unset
        b = after[index] if index < len(after) else unset
        if a is unset or b is unset or a != b:
            change_ = (f"(unset) {ARROW} {value(b)}" if a is unset else f"{value(a)} {ARROW} (removed)"
                       if b is unset else change(a, b))
            said.append(f"{path}[{index}] ({ordinal(index + 1)} positional argument): {change_}")
    return "; ".join(said)


def data_change_line(c: DataChange) -> str:
    revision = f"{c.a or '(none)'} {ARROW} {c.b or '(none)'}"
    sha = f" (sha256 {(c.sha256_a or '-')[:12]} {ARROW} {(c.sha256_b or '-')[:12]})"
    return f"{c.dataset_id}: {revision}{sha}"


def value_change_line(c: ValueChange) -> str:
    return f"{c.name}: {change(c.a, c.b)}"


def seed_change_line(c: ValueChange, a: str, b: str) -> str:
    """A seed one side set and the other did not is said so: "(none) → 1" read as the other side unseeded."""
    if c.a is None or c.b is None:
        return f"{c.name}: set only in {b if c.a is None else a} ({value(c.b if c.a is None else c.a)})"
    return value_change_line(c)
