"""empiricaldist (the distributions of "Elements of Data Science" / "Think Stats"): `Pmf.from_seq(values)`,
`Hist.from_seq`, `Cdf.from_seq` count a sequence's values into a table of frequencies, probabilities or cumulative
probabilities, as an assigned `value_counts()` does (CONVENTIONS 10: an assigned `value_counts()` is `aggregate`).
Shown as the cell's result it is looked at, as a shown value_counts() is (CONVENTIONS 6); drawn at once
(`Cdf.from_seq(x).plot()`), it is only plotted (CONVENTIONS 8)."""

from __future__ import annotations

FUNCTIONS: dict[str, str | None] = {
    f"{cls}.from_seq": "aggregate" for cls in ("Pmf", "Hist", "Cdf", "Surv", "Hazard")
}

INSPECTION_FUNCTIONS: frozenset[str] = frozenset(FUNCTIONS)
