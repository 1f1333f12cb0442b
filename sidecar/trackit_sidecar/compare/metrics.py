"""Metric deltas between two sides: values, b - a, which side is better by the metric's direction, and whether
the difference exceeds the noise of repeated evaluations when that noise is known. Pure.

Noise, when known, is NOISE_STANDARD_ERRORS standard errors of the difference:
- both values are means of cross-validation folds (std and n recorded): sqrt(std_a²/n_a + std_b²/n_b);
- one value is (a printed mean's side records no folds): that side's sqrt(2·std²/n), the other taken to spread alike;
- else the same decisions were evaluated more than once (experiments with the same config hash and data,
  `repeats`): the pooled standard deviation of one evaluation, times sqrt(2) (two single evaluations differ by
  that much more than one does).
"""

from __future__ import annotations

import math
from typing import Optional

from ..experiments.metric_names import direction as metric_direction
from ..protocol import Experiment, Metric, MetricDelta
from .kb import NOISE_STANDARD_ERRORS


def better(delta: Optional[float], direction: str) -> Optional[str]:
    """"a" | "b" | "same" for b - a = delta; None when it cannot be said."""
    if delta is None or direction not in ("higher", "lower"):
        return None
    if delta == 0:
        return "same"
    return "b" if (delta > 0) == (direction == "higher") else "a"


def signed_by_direction(delta: float, direction: str) -> float:
    """A difference made positive when it is an improvement (lower-is-better metrics flip)."""
    return -delta if direction == "lower" else delta


def pooled_sd(a: list[float], b: list[float]) -> Optional[float]:
    freedom = len(a) + len(b) - 2
    if freedom < 1 or not a or not b:
        return None
    squares = 0.0
    for values in (a, b):
        mean = sum(values) / len(values)
        squares += sum((v - mean) ** 2 for v in values)
    return math.sqrt(squares / freedom)


def noise(ma: Metric, mb: Metric, repeats_a: list[float], repeats_b: list[float]
          ) -> tuple[Optional[float], Optional[str], Optional[int]]:
    """(noise, where it came from, how many evaluations it was measured on)."""
    folds = [m for m in (ma, mb) if m.std is not None and (m.n or 0) >= 2]
    if len(folds) == 2:
        se = math.sqrt(ma.std ** 2 / ma.n + mb.std ** 2 / mb.n)  # type: ignore[operator]
        return NOISE_STANDARD_ERRORS * se, "std", (ma.n or 0) + (mb.n or 0)
    if folds:  # one side's folds recorded: the other side's mean is taken to spread as much
        known = folds[0]
        se = math.sqrt(2 * known.std ** 2 / known.n)  # type: ignore[operator]
        return NOISE_STANDARD_ERRORS * se, "std", known.n
    sd = pooled_sd(repeats_a, repeats_b)
    if sd is not None:
        # two repeats of the same decisions share one pool (each side's is the other's too): its evaluations are
        # counted once ("from 4 repeated evaluations" of two experiments); pooling a list with itself keeps its spread
        count = len(repeats_a) if sorted(repeats_a) == sorted(repeats_b) else len(repeats_a) + len(repeats_b)
        return NOISE_STANDARD_ERRORS * sd * math.sqrt(2), "repeats", count
    return None, None, None


def deltas(a: list[Metric], b: list[Metric], primary: Optional[str] = None,
           repeats_a: Optional[dict[str, list[float]]] = None, repeats_b: Optional[dict[str, list[float]]] = None,
           directions: Optional[dict[str, str]] = None) -> list[MetricDelta]:
    """One MetricDelta per metric name of either side: the primary metric first, then a's order, then b's.
    `directions` overrides a metric's direction (a hypothesis says which way is better)."""
    by_a, by_b = {m.name: m for m in a}, {m.name: m for m in b}
    names = list(dict.fromkeys(([primary] if primary else []) + list(by_a) + list(by_b)))
    out = []
    for name in names:
        ma, mb = by_a.get(name), by_b.get(name)
        if ma is None and mb is None:
            continue
        direction = (directions or {}).get(name) or (ma or mb).direction or metric_direction(name)  # type: ignore[union-attr]
        item = MetricDelta(name=name, a=ma.value if ma else None, b=mb.value if mb else None, direction=direction)
        if ma is not None and mb is not None:
            item.delta = mb.value - ma.value
            item.better = better(item.delta, direction)
            item.noise, item.noise_source, item.repeats = noise(ma, mb, (repeats_a or {}).get(name, []),
                                                                (repeats_b or {}).get(name, []))
            if item.noise is not None:
                item.exceeds_noise = abs(item.delta) > item.noise
        out.append(item)
    return out


def _scored(experiment: Experiment) -> tuple[str, Optional[str]]:
    """What an experiment's metrics score: its cell and its model's class."""
    return experiment.cell_id, experiment.model.class_name if experiment.model is not None else None


def paired(a: list[Experiment], b: list[Experiment]
           ) -> list[tuple[Optional[Experiment], Optional[Experiment]]]:
    """Two runs' experiments, each with the other run's experiment of the same cell and model (the last of each run,
    where a cell scored that model more than once; None where the other run has none), in b's cell order."""
    latest_a = {_scored(e): e for e in a}
    latest_b = {_scored(e): e for e in b}
    keys = list(latest_b) + [k for k in latest_a if k not in latest_b]
    return [(latest_a.get(key), latest_b.get(key)) for key in keys]


def per_experiment(a: list[Experiment], b: list[Experiment]) -> list[MetricDelta]:
    """Two runs' metrics, each experiment's against its counterpart in the other run (`paired`): "accuracy: 0.93 ->
    0.93 equal" was one accuracy per run taken across models (the last cell's logistic regression) while LDA's had
    gone 0.56 -> 0.591. An experiment the other run has no counterpart of gives its metrics on its side only."""
    out = []
    for ea, eb in paired(a, b):
        key = _scored(eb or ea)  # type: ignore[arg-type]
        primary = (eb or ea).primary_metric  # type: ignore[union-attr]
        for item in deltas(ea.metrics if ea else [], eb.metrics if eb else [], primary.name if primary else None):
            item.a_experiment = ea.id if ea else None
            item.b_experiment = eb.id if eb else None
            item.model = key[1]
            item.cell_index = (eb or ea).cell_index  # type: ignore[union-attr]
            out.append(item)
    return out


def repeats(experiment: Experiment, family: list[Experiment]) -> dict[str, list[float]]:
    """metric name -> its value in every successful evaluation of the same decisions on the same data in the same
    environment (the same config hash, dataset revisions and package fingerprint; the experiment itself included):
    the repeated evaluations its noise is measured on.

    One value per fitted model: a metric computed again in the same run on the same fitted state (the kernel's
    `state_sha256`; where the kernel measured none, anything of that run) is the same measurement, whose spread is zero
    by construction, not a repeat (two cells scoring one model made "beyond the noise (±0)" and a high-confidence
    verdict). The experiment's own value is the one kept for its model."""
    def packages(e: Experiment):
        return e.stamp.packages_sha256 if e.stamp is not None else None

    def fitted(e: Experiment) -> tuple[int, Optional[str]]:
        return e.session, e.model.state_sha256 if e.model is not None else None

    same = [e for e in family if e.status == "ok" and e.config_sha256 == experiment.config_sha256
            and sorted(e.datasets) == sorted(experiment.datasets) and packages(e) == packages(experiment)]
    found: dict[str, list[float]] = {}
    measured: set[tuple[str, int, Optional[str]]] = set()
    for other in sorted(same, key=lambda e: e.id != experiment.id):
        for metric in other.metrics:
            if (metric.name, *fitted(other)) not in measured:
                measured.add((metric.name, *fitted(other)))
                found.setdefault(metric.name, []).append(metric.value)
    return found
