"""A metric's move between two sides in words (`trackit diff`, `ask`, the evidence the answers cite): its values,
their difference, and which side is better only as far as the recorded spread tells. Pure."""

from __future__ import annotations

from typing import Optional

from ..protocol import MetricDelta
from .diff_values import difference, number
from .diff_values import spread as spread_of
from .words import ARROW, code


def scored(m: MetricDelta) -> str:
    """What a run-level diff's metric scores: "`LinearDiscriminantAnalysis` in cell 32 (E0014 → E0025)"; "" for a
    metric of two experiments the user named."""
    if m.a_experiment is None and m.b_experiment is None:
        return ""
    model = f"{code(m.model)} in " if m.model else ""
    cell = f"cell {m.cell_index + 1}" if m.cell_index is not None else "a cell"
    return f"{model}{cell} ({m.a_experiment or '-'} {ARROW} {m.b_experiment or '-'})"


def metric_line(m: MetricDelta, a: str, b: str, said_above: bool = False,
                stopped: tuple[Optional[int], Optional[int]] = (None, None)) -> str:
    """`said_above`: what the metric scores heads the lines (a run-level diff's metrics, grouped by model).
    `stopped`: the cell (0-based) each side's run stopped at, when it stopped at an error."""
    of = "" if said_above or not scored(m) else f" of {scored(m)}"
    text = f"{m.name}{of}: {number(m.a)} {ARROW} {number(m.b)}"
    if m.delta is not None:
        text += f" ({difference(m.delta, m.a, m.b)})"
    if m.better == "same":
        text += ", equal"
    elif m.better is not None:
        text += _verdict(m, a, b)
    elif m.a is None or m.b is None:
        text += _one_sided(m, (a, b), stopped)
    return text


def _verdict(m: MetricDelta, a: str, b: str) -> str:
    """Which side is better, only as far as the records can tell: 07 cross-validation read "run 2 better" on a
    cv_rmse move of 0.012 while its folds spread ±0.45. A move within the spread (cross-validation folds, or
    evaluations of the same decisions repeated) names no better side; with no spread recorded, the reader is told
    the verdict rests on one evaluation a side."""
    named = f", {b if m.better == 'b' else a} better ({m.direction} is better)"
    if m.exceeds_noise is None:
        return f"{named}; no spread recorded: one evaluation each"
    source = (f"{m.repeats} cross-validation folds" if m.noise_source == "std"
              else f"{m.repeats} repeated evaluations")
    spread = f"the spread (±{spread_of(m.noise)}, from {source})"
    return f"{named}, beyond {spread}" if m.exceeds_noise else f", within {spread}: neither is better"


def _one_sided(m: MetricDelta, names: tuple[str, str], stopped: tuple[Optional[int], Optional[int]]) -> str:
    """07 cross-validation, run 1 stopped at cell 31's error: its metrics read "- -> 0.9733, only in run 2" for that
    cell and the 5 cells after it, as if run 1 had left them out (the code diff says "not reached", rev22)."""
    missing = 0 if m.a is None else 1
    at, cell = stopped[missing], m.cell_index
    if at is not None and cell is not None and cell > at:
        return f", not reached in {names[missing]} (it stopped at the error in cell {at + 1})"
    if at is not None and cell is not None and cell == at:
        return f", {names[missing]} stopped at the error in this cell"
    return f", only in {names[1 - missing]}"
