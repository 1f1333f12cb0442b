"""Hypotheses in words: each piece of evidence in one line, `trackit hypotheses` (a table) and one hypothesis
in full. `label_hypothesis` fills Evidence.label. Pure."""

from __future__ import annotations

from typing import Callable, Optional

from ..protocol import Evidence, Hypothesis, HypothesisThresholds
from .diff_values import difference, number
from .words import ARROW, code

STATUS_WORDS = {"proposed": "Proposed", "testing": "Testing", "supported": "Supported", "refuted": "Refuted",
                "inconclusive": "Inconclusive"}
REASON_WORDS = {
    "failed_run": "a run failed", "dirty_worktree": "uncommitted changes", "seeds_differ": "different seeds",
    "no_seed": "no seed set",
    # the spread is the cross-validation folds' or the repeated evaluations' (compare/metrics.noise)
    "within_noise": "within the recorded spread", "beyond_noise": "beyond the recorded spread", "repeated": "repeated evaluations",
    "single_evaluation": "one evaluation each, noise unknown",
    "several_changes": "more than one decision differs from the baseline",
}
MISSING_WORDS = {
    "metric_missing": "{experiment} recorded no {metric}",
    "baseline_metric_missing": "its baseline {baseline} recorded no {metric}",
    "no_baseline": "no {rule} to compare it with",
    "experiment_missing": "{experiment} is no longer recorded",
}
DIRECTION_WORDS = {"higher": "higher is better", "lower": "lower is better", "unknown": "direction unknown"}


def status_words(hypothesis: Hypothesis) -> str:
    text = STATUS_WORDS[hypothesis.status]
    if hypothesis.status_set_by_user:
        text += f" (set by hand; the evidence says {STATUS_WORDS[hypothesis.computed_status]})"
    return text




def evidence_label(e: Evidence, baseline_rule: str, thresholds: Optional[HypothesisThresholds] = None) -> str:
    if e.missing is not None:
        reason = MISSING_WORDS[e.missing].format(experiment=e.experiment_id, metric=code(e.metric),
                                                 baseline=e.baseline_id, rule=baseline_rule)
        return f"{e.experiment_id}: no evidence ({reason})"
    rule = baseline_rule if baseline_rule != e.baseline_id else "named"
    text = (f"{e.experiment_id} vs {e.baseline_id} ({rule}): {e.metric} {number(e.baseline_value)} {ARROW} "  # type: ignore[arg-type]
            f"{number(e.value)}")  # type: ignore[arg-type]
    if e.delta is not None:
        size = difference(abs(e.delta), e.baseline_value, e.value).lstrip("+")
        share = e.normalized_delta
        if e.delta == 0:
            text += " (no difference"
        elif e.verdict in ("supports", "refutes"):
            text += f" (+{size} better" if e.delta > 0 else f" ({size} worse"
        else:
            # better or worse only as the verdict says: a move within the spread (07: a cv_rmse move of 0.012
            # against folds spreading ±0.45), one smaller than the threshold (an accuracy +0.0045 read "better"
            # beside "neutral"), or one whose better side is unknown is signed as the values move (as `trackit diff`
            # says it), not by direction as `delta` is (+ is better): 1.68 → 1.691 is +0.011, not −0.011
            moved = e.value - e.baseline_value  # type: ignore[operator]
            text += f" ({difference(moved, e.baseline_value, e.value)}"
            share = None if share is None else abs(share) * (1 if moved > 0 else -1)
            if "within_noise" in e.reasons:
                text += ", neither better nor worse"
            elif e.verdict == "neutral":
                if share is not None:
                    text += f", {share * 100:+.1f}%"
                    share = None
                below = f" ({_effect_words(thresholds)})" if thresholds is not None else ""
                text += f", below the threshold{below}: neither better nor worse"
        if share is not None:
            text += f", {share * 100:+.1f}%"
        text += ")"
    verdict = e.verdict or "no verdict (which way is better is unknown)"
    reasons = ", ".join(REASON_WORDS[r] for r in e.reasons)
    text += f": {verdict}, {e.confidence} confidence" + (f" ({reasons})" if reasons else "")
    if not e.decides and e.verdict is not None:
        text += "; below the confidence threshold, decides nothing"
    return text


def _effect_words(t: HypothesisThresholds) -> str:
    return (f"|difference| >= {t.min_abs_effect:g}" if t.min_abs_effect is not None
            else f"|difference| >= {t.min_effect * 100:g}% of the baseline")


def thresholds_words(t: HypothesisThresholds) -> str:
    effect = _effect_words(t)
    return f"{effect}, confidence >= {t.min_confidence}, {t.min_evidence} deciding piece{'s' if t.min_evidence != 1 else ''}"


def label_hypothesis(h: Hypothesis) -> Hypothesis:
    for piece in h.evidence:
        piece.label = evidence_label(piece, h.baseline, h.thresholds)
    return h


def table(hypotheses: list[Hypothesis]) -> str:
    header = ["id", "status", "metric", "baseline", "experiments", "evidence", "statement"]
    rows = []
    for h in hypotheses:
        counts = {v: sum(1 for e in h.evidence if e.decides and e.verdict == v) for v in ("supports", "refutes", "neutral")}
        evidence = f"+{counts['supports']} -{counts['refutes']} ={counts['neutral']}" if h.evidence else "-"
        status = STATUS_WORDS[h.status] + ("*" if h.status_set_by_user else "")
        rows.append([h.id, status, f"{h.metric} ({'max' if h.direction == 'higher' else 'min' if h.direction == 'lower' else '?'})",
                     h.baseline, ", ".join(h.experiments) or "-", evidence, h.statement])
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)) + "  " + header[-1]]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)) + "  " + r[-1] for r in rows]
    lines.append("evidence: deciding pieces that support (+), refute (-), are neutral (=)")
    if any(h.status_set_by_user for h in hypotheses):
        lines.append("* status set by hand (trackit hypothesis status)")
    return "\n".join(lines)


NO_EVIDENCE_YET = "none yet (link experiments: trackit hypothesis link)"


def measured_by(h: Hypothesis) -> str:
    return f"metric {h.metric} ({DIRECTION_WORDS[h.direction]}), baseline {h.baseline}"


def show(h: Hypothesis) -> str:
    lines = [f"{h.id}  {status_words(h)}",
             f"  {h.statement}",
             f"  {measured_by(h)}",
             f"  thresholds: {thresholds_words(h.thresholds)}"]
    if h.status_set_by_user:
        lines.append(f"  set by hand at {h.status_set_at}" + (f": {h.status_note}" if h.status_note else ""))
    lines.append("evidence:" if h.evidence else f"evidence: {NO_EVIDENCE_YET}")
    lines += [f"  {e.label or evidence_label(e, h.baseline, h.thresholds)}" for e in h.evidence]
    return "\n".join(lines)


def answer_lines(h: Hypothesis, cite: Callable[[str], str]) -> list[str]:
    """A hypothesis as `trackit ask` answers about it ("is H1 supported?"): its status, statement and evidence in the
    words `show` uses, each piece citing its experiment and baseline through `cite` (an experiment id -> its citation
    label, "" for one it cannot cite)."""
    lines = [f"{h.id} \"{h.statement}\": {status_words(h)}; {measured_by(h)}"]
    for e in h.evidence:
        cited = " ".join(label for label in (cite(e.experiment_id), cite(e.baseline_id or "")) if label)
        lines.append(f"- {e.label or evidence_label(e, h.baseline, h.thresholds)}" + (f" {cited}" if cited else ""))
    if not h.evidence:
        lines.append(f"- evidence: {NO_EVIDENCE_YET}")
    return lines


def answer_about(hypotheses: list[Hypothesis], nothing: Optional[str], cite: Callable[[str], str]) -> list[str]:
    """`trackit ask`'s answer about hypotheses (compare/ask/answer._hypotheses found them, or `nothing` says why
    none): each as `answer_lines` says it."""
    reason, _, what = (nothing or "").partition(":")
    if reason == "unknown_hypothesis":
        return [f"No hypothesis {what} is recorded (trackit hypotheses lists them)."]
    if reason == "no_hypotheses":
        return ['No hypothesis is recorded yet (trackit hypothesis add "a smaller C helps" --metric accuracy).']
    lines = [f"No hypothesis is {STATUS_WORDS[what]}; what each is:"] if reason == "no_hypothesis_status" else []
    for h in hypotheses:
        lines += answer_lines(h, cite)
    return lines
