"""A difference of two metrics is said to the decimals its values are shown with (render.diff_values.difference), in
`trackit diff`, in a hypothesis's evidence (the Experiments panel shows its label) and in `ask`."""

from __future__ import annotations

from trackit_sidecar.protocol import Evidence, MetricDelta
from trackit_sidecar.render.diff_values import difference
from trackit_sidecar.render.metric_moves import metric_line
from trackit_sidecar.render.hypotheses import evidence_label


def test_a_difference_has_the_decimals_of_the_values_it_is_the_difference_of():
    # the Experiments panel's hypothesis evidence: "accuracy 0.8525 → 0.857 (+0.004484 better ...": six decimals of
    # a difference between two values shown with four
    assert difference(0.8569672 - 0.8524590, 0.8524590, 0.8569672) == "+0.0045"
    assert difference(0.81 - 0.78, 0.78, 0.81) == "+0.03"
    assert difference(-0.25, 0.75, 0.5) == "\u22120.25"
    assert difference(0.0, 0.5, 0.5) == "±0"
    assert difference(0.00002, 0.85244, 0.85246) == "+0.00002"  # below the values' last decimal: still not zero
    assert difference(12.5, 1000.5, 1013) == "+13"  # a half rounds away from zero, as the panel's toFixed does
    assert difference(-1.5e-7, 0.12345671, 0.12345656) == "\u22121e-7"
    assert difference(4.74, -3.06, 1.68) == "+4.74"


def test_evidence_and_diff_say_the_difference_as_the_values_are_shown():
    evidence = Evidence(experiment_id="E0003", metric="accuracy", baseline_id="E0002", baseline_value=0.8524590,
                        value=0.8569672, delta=0.8569672 - 0.8524590, verdict="supports", decides=True)
    label = evidence_label(evidence, "parent")
    assert "accuracy 0.8525 \u2192 0.857 (+0.0045 better" in label, label
    worse = evidence.model_copy(update={"value": 0.8479781, "delta": 0.8479781 - 0.8524590, "verdict": "refutes"})
    assert "(0.0045 worse" in evidence_label(worse, "parent")
    line = metric_line(MetricDelta(name="accuracy", a=0.8524590, b=0.8569672, delta=0.8569672 - 0.8524590,
                                   direction="higher", better="b"), "E0002", "E0003")
    assert line.startswith("accuracy: 0.8525 \u2192 0.857 (+0.0045), E0003 better"), line


def test_a_move_below_the_threshold_is_neither_better_nor_worse():
    """rev28 left: the panel's and the CLI's evidence read "accuracy 0.8525 → 0.857 (+0.0045 better, +0.5%): neutral":
    a move smaller than the hypothesis' threshold is neutral, and its words must say so, not "better"."""
    small = Evidence(experiment_id="E0003", metric="accuracy", baseline_id="E0002", baseline_value=0.8524590,
                     value=0.8569672, delta=0.8569672 - 0.8524590, normalized_delta=0.0053, verdict="neutral",
                     decides=True, reasons=["single_evaluation"])
    label = evidence_label(small, "parent")
    assert "accuracy 0.8525 \u2192 0.857 (+0.0045, +0.5%, below the threshold: neither better nor worse): neutral" \
        in label, label
    worse = small.model_copy(update={"value": 0.8479781, "delta": 0.8479781 - 0.8524590, "normalized_delta": -0.0053})
    assert "(\u22120.0045, -0.5%, below the threshold" in evidence_label(worse, "parent"), evidence_label(worse, "parent")
    unknown = small.model_copy(update={"verdict": None, "delta": -0.0045})  # which way is better is unknown
    assert "0.857 (+0.0045, +0.5%): no verdict" in evidence_label(unknown, "parent"), evidence_label(unknown, "parent")


def test_evidence_within_the_recorded_spread_is_neither_better_nor_worse():
    """07 cross-validation: cv_rmse 1.68 -> 1.691 read "(0.011 worse ...): neutral, ... (within the noise of repeated
    evaluations)", a worse model within a spread that came from the folds, not from repeats."""
    within = Evidence(experiment_id="E0022", metric="cv_rmse", baseline_id="E0013", baseline_value=1.68, value=1.691,
                      delta=-0.011, verdict="neutral", decides=True, reasons=["within_noise"])
    label = evidence_label(within, "parent")
    assert "cv_rmse 1.68 \u2192 1.691 (+0.011, neither better nor worse): neutral" in label, label
    assert "0.011 worse" not in label and "(within the recorded spread)" in label, label


def test_a_move_within_the_spread_is_signed_as_its_values_move():
    """rev26: a within-spread move said `delta` (signed by direction: > 0 is better) as the difference of the two
    values shown: cv_rmse (lower is better) 1.68 -> 1.691 read "(\u22120.011, ..., \u22120.7%)" beside an arrow that
    goes up, where `trackit diff` says "+0.011" of the same move."""
    within = Evidence(experiment_id="E0022", metric="cv_rmse", baseline_id="E0013", baseline_value=1.68, value=1.691,
                      delta=-(1.691 - 1.68), normalized_delta=-(1.691 - 1.68) / 1.68, verdict="neutral",
                      decides=True, reasons=["within_noise"])
    label = evidence_label(within, "parent")
    assert "cv_rmse 1.68 \u2192 1.691 (+0.011, neither better nor worse, +0.7%): neutral" in label, label
    line = metric_line(MetricDelta(name="cv_rmse", a=1.68, b=1.691, delta=1.691 - 1.68, direction="lower",
                                   better="a", exceeds_noise=False, noise=0.45, noise_source="std", repeats=10),
                       "E0013", "E0022")
    assert line.startswith("cv_rmse: 1.68 \u2192 1.691 (+0.011), within"), line


def test_a_metric_past_ten_thousand_is_written_out_in_the_table_in_show_and_in_a_diff():
    """An RMSE of 12,345.678 read "rmse 1.235e+04 ±1.2e+03 (n=5)" in `trackit experiments` and `show`, and
    "12346" in the Experiments panel; 999.97 read "1000" in the CLI and "1" in the panel (its trailing-zero cut)."""
    from trackit_sidecar.protocol import Metric
    from trackit_sidecar.render.experiments import metric_text

    rmse = Metric(name="rmse", value=12345.678, std=1234.0, n=5, source="kernel", direction="lower")
    assert metric_text(rmse) == "rmse 12346 ±1200 (n=5)"
    assert metric_text(rmse.model_copy(update={"value": 999.97, "std": None})) == "rmse 1000"
    line = metric_line(MetricDelta(name="mse", a=25_000_000_000.5, b=24_000_000_000.25, delta=-1_000_000_000.25,
                                   direction="lower", better="b"), "E0001", "E0002")
    assert line.startswith("mse: 25000000001 \u2192 24000000000 (\u22121000000000)"), line
