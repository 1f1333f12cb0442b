"""compare/evidence.py: the arithmetic of evidence and the status it gives."""

from __future__ import annotations

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.compare import evidence as proof


def experiment(number: int, value=None, metric="accuracy", parent=None, status="ok", dirty=False, seeds=((1,),),
               std=None, n=None) -> p.Experiment:
    metrics = [] if value is None else [p.Metric(name=metric, value=value, source="kernel", std=std, n=n)]
    return p.Experiment(id=f"E{number:04d}", notebook_uri="file:///nb.ipynb", seq=number * 10, session=1,
                        cell_id="c9", cell_index=9, created_at="2026-01-01T00:00:00+00:00", status=status,
                        parent=f"E{parent:04d}" if parent else None, metrics=metrics, dirty_worktree=dirty,
                        seeds=[p.SeedRecord(kind="random_state", value=s[0], call="train_test_split") for s in seeds])


def record(*linked, metric="accuracy", direction=None, baseline="parent", **thresholds) -> proof.HypothesisRecord:
    return proof.HypothesisRecord(number=1, statement="s", metric=metric, direction=direction, baseline=baseline,
                                  created_at="2026-01-01T00:00:00+00:00",
                                  thresholds=p.HypothesisThresholds(**thresholds), experiments=list(linked))


def one(rec, target, family, repeats=None):
    return proof.evidence(rec, target, target.id if target else "E0099", family, {e.id: e for e in family}, repeats)


def test_maximise_a_better_value_supports():
    family = [experiment(1, 0.80), experiment(2, 0.84, parent=1)]
    e = one(record(2), family[1], family)
    assert e.baseline_id == "E0001" and e.baseline_value == 0.80 and e.value == 0.84
    assert e.delta == pytest.approx(0.04) and e.normalized_delta == pytest.approx(0.05)
    assert e.verdict == "supports"
    assert e.confidence == "medium" and "single_evaluation" in e.reasons and e.decides


def test_minimise_a_lower_value_is_the_better_one():
    family = [experiment(1, 10.0, metric="rmse"), experiment(2, 8.0, metric="rmse", parent=1)]
    e = one(record(2, metric="RMSE"), family[1], family)  # the direction comes from the metric's name
    assert e.delta == pytest.approx(2.0) and e.normalized_delta == pytest.approx(0.2) and e.verdict == "supports"
    worse = [experiment(1, 10.0, metric="rmse"), experiment(2, 12.0, metric="rmse", parent=1)]
    assert one(record(2, metric="rmse"), worse[1], worse).verdict == "refutes"


def test_an_explicit_direction_overrides_the_name():
    family = [experiment(1, 10.0, metric="widgets"), experiment(2, 8.0, metric="widgets", parent=1)]
    assert one(record(2, metric="widgets", direction="lower"), family[1], family).verdict == "supports"
    unknown = one(record(2, metric="widgets"), family[1], family)
    assert unknown.verdict is None and not unknown.decides  # which way is better is unknown


def test_a_missing_metric_is_no_evidence():
    family = [experiment(1, 0.8), experiment(2, None, parent=1)]
    e = one(record(2), family[1], family)
    assert e.missing == "metric_missing" and e.verdict is None and e.delta is None and not e.decides
    family = [experiment(1, None), experiment(2, 0.8, parent=1)]
    assert one(record(2), family[1], family).missing == "baseline_metric_missing"
    root = [experiment(1, 0.8)]
    assert one(record(1), root[0], root).missing == "no_baseline"
    assert one(record(5), None, []).missing == "experiment_missing"


def test_a_failed_experiment_gives_low_confidence_that_decides_nothing():
    family = [experiment(1, 0.80), experiment(2, 0.90, parent=1, status="failed")]
    e = one(record(2), family[1], family)
    assert e.confidence == "low" and "failed_run" in e.reasons
    assert e.verdict == "supports" and not e.decides
    assert proof.status([e], p.HypothesisThresholds(), 1) == "testing"
    lenient = one(record(2, min_confidence="low"), family[1], family)
    assert lenient.decides and proof.status([lenient], lenient_thresholds(), 1) == "supported"


def lenient_thresholds():
    return p.HypothesisThresholds(min_confidence="low")


def test_dirty_worktree_and_other_seeds_lower_confidence():
    family = [experiment(1, 0.80), experiment(2, 0.90, parent=1, dirty=True, seeds=((2,),))]
    e = one(record(2), family[1], family)
    assert {"dirty_worktree", "seeds_differ", "single_evaluation"} <= set(e.reasons)
    assert e.confidence == "low"


def test_repeated_evaluations_bound_the_noise():
    family = [experiment(1, 0.800), experiment(2, 0.810, parent=1)]
    noisy = {"E0001": {"accuracy": [0.80, 0.83, 0.77]}, "E0002": {"accuracy": [0.81, 0.84, 0.78]}}
    e = one(record(2), family[1], family, noisy)
    assert "within_noise" in e.reasons and "repeated" in e.reasons
    assert e.verdict == "neutral" and e.confidence == "high"
    steady = {"E0001": {"accuracy": [0.800, 0.801]}, "E0002": {"accuracy": [0.810, 0.811]}}
    e = one(record(2), family[1], family, steady)
    assert "beyond_noise" in e.reasons and e.verdict == "supports" and e.confidence == "high"


def test_cross_validation_spread_is_the_noise():
    family = [experiment(1, 0.80, std=0.05, n=5), experiment(2, 0.82, parent=1, std=0.05, n=5)]
    e = one(record(2), family[1], family)
    assert "within_noise" in e.reasons and e.verdict == "neutral"


def test_thresholds_the_user_sets():
    family = [experiment(1, 0.800), experiment(2, 0.805, parent=1)]
    assert one(record(2), family[1], family).verdict == "neutral"  # +0.6% < 1%
    assert one(record(2, min_effect=0.005), family[1], family).verdict == "supports"
    assert one(record(2, min_abs_effect=0.01), family[1], family).verdict == "neutral"
    assert one(record(2, min_abs_effect=0.004), family[1], family).verdict == "supports"


def test_baselines_root_best_and_named():
    family = [experiment(1, 0.70), experiment(2, 0.85, parent=1), experiment(3, 0.80, parent=2),
              experiment(4, 0.82, parent=3)]
    assert one(record(4, baseline="root"), family[3], family).baseline_id == "E0001"
    best = one(record(4, baseline="best"), family[3], family)
    assert best.baseline_id == "E0002" and best.verdict == "refutes"
    # the best is the incumbent: an experiment linked to the hypothesis is not its own competition
    assert one(record(2, 4, baseline="best"), family[3], family).baseline_id == "E0003"
    assert one(record(4, baseline="E0001"), family[3], family).baseline_id == "E0001"
    low = [experiment(1, 12.0, metric="mse"), experiment(2, 9.0, metric="mse"), experiment(3, 10.0, metric="mse")]
    assert one(record(3, metric="mse", baseline="best"), low[2], low).baseline_id == "E0002"


def test_status_from_the_evidence():
    t = p.HypothesisThresholds()

    def piece(verdict, decides=True):
        return p.Evidence(experiment_id="E0001", metric="accuracy", verdict=verdict, decides=decides)

    assert proof.status([], t, 0) == "proposed"
    assert proof.status([piece(None, False)], t, 1) == "testing"
    assert proof.status([piece("supports"), piece("neutral")], t, 2) == "supported"
    assert proof.status([piece("refutes")], t, 1) == "refuted"
    assert proof.status([piece("supports"), piece("refutes")], t, 2) == "inconclusive"
    assert proof.status([piece("neutral")], t, 1) == "inconclusive"
    assert proof.status([piece("supports")], p.HypothesisThresholds(min_evidence=2), 1) == "testing"


def test_ids_and_baseline_rules():
    assert proof.parse_hypothesis_id("H0002") == proof.parse_hypothesis_id("h2") == 2
    assert proof.hypothesis_id(2) == "H0002"
    with pytest.raises(ValueError):
        proof.parse_hypothesis_id("E0002")
    assert proof.check_baseline("Parent") == "parent" and proof.check_baseline("e3") == "E0003"
    with pytest.raises(ValueError):
        proof.check_baseline("yesterday")


def test_no_seed_lowers_confidence_only_where_something_draws_random_numbers():
    """An experiment without a seed whose slice draws nothing (a LinearRegression on a positional split) is no less
    sure for it; one that draws, or whose model the knowledge base does not know, is."""
    family = [experiment(1, 0.80, seeds=()), experiment(2, 0.84, parent=1, seeds=())]
    for draws, lowered in (([], False), (["train_test_split"], True), (None, True)):
        family[1].unseeded_draws = draws
        assert ("no_seed" in one(record(2), family[1], family).reasons) is lowered, draws
