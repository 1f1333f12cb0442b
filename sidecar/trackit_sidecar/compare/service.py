"""CompareService: diffs, hypotheses and answers for the CLI and the server, thin over the store, the
experiments service and the pure modules of compare/. Runs on the store's thread like every service."""

from __future__ import annotations

import re
from typing import Callable, Optional

from .. import protocol as p
from ..experiments.service import ExperimentNotFound, ExperimentService
from ..render.compare import label_diff
from ..store import Store
from . import sides
from .diff import diff as diff_sides

_RUN = re.compile(r"^\s*(?:run|r|session)\s*#?\s*(\d+)\s*$", re.IGNORECASE)


class HypothesisNotFound(LookupError):
    pass


def parse_run(ref: str) -> Optional[int]:
    """"run 2", "run2", "r2" -> 2; None for anything else (an experiment id)."""
    match = _RUN.match(ref)
    return int(match.group(1)) if match else None


def repeats(experiment: p.Experiment, family: list[p.Experiment]) -> dict[str, list[float]]:
    """metric name -> its value in every successful evaluation of the same decisions on the same data
    (the same config hash and dataset revisions): the repeated evaluations its noise is measured on."""
    same = [e for e in family if e.status == "ok" and e.config_sha256 == experiment.config_sha256
            and sorted(e.datasets) == sorted(experiment.datasets)]
    found: dict[str, list[float]] = {}
    for other in same:
        for metric in other.metrics:
            found.setdefault(metric.name, []).append(metric.value)
    return found


class CompareService:
    def __init__(self, store: Store, experiments: ExperimentService, lineage: Callable[[str], p.LineageDocument]):
        self.store = store
        self.experiments = experiments
        self.lineage = lineage

    # ------------------------------------------------------------ diff
    def _side(self, ref: str, notebook: Optional[str]) -> tuple[sides.Side, dict[str, list[float]]]:
        session = parse_run(ref)
        if session is not None:
            if notebook is None:
                raise ValueError(f"{ref.strip()!r} is a run: say which notebook it is a run of")
            doc = self.lineage(notebook)
            if not any(e.session == session for e in doc.executions):
                raise ExperimentNotFound(f"no run {session} recorded for {notebook}")
            family = self.experiments.all(notebook)
            stamp = self.store.experiments.stamps(doc.notebook_uri).get(session)
            return sides.from_run(doc, session, family, stamp), {}
        target, family = self.experiments.with_family(ref)
        return sides.from_experiment(target, self.lineage(target.notebook_uri)), repeats(target, family)

    def diff(self, a: str, b: str, notebook: Optional[str] = None) -> p.ExperimentDiff:
        side_a, repeats_a = self._side(a, notebook)
        side_b, repeats_b = self._side(b, notebook)
        return label_diff(diff_sides(side_a, side_b, repeats_a, repeats_b))
