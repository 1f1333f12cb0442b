"""Which of a run's printed outputs a summary may quote: short plain-text results and metric lines."""

from __future__ import annotations

import re

from ..protocol import ExecutionRecord

MAX_QUOTED_METRICS = 3
SHORT_OUTPUT_CHARS = 200
SHORT_OUTPUT_LINES = 3
# "accuracy: 0.789", "F1 = 0.76", "rmse 3.2": a label and exactly one number
METRIC_LINE = re.compile(
    r"^\s*[A-Za-z][\w\-/()]*(?: [A-Za-z][\w\-/()]*){0,4}\s*(?:[:=]\s*|\s+)-?\d+(?:\.\d+)?%?\s*$"
)

# "<Figure size 640x480 with 1 Axes>", "[<matplotlib.lines.Line2D at 0x7f...>]": an object's default repr says what it
# is, not a result (sklearn-videos 09: "The evaluation printed “<Figure size 640x480 with 1 Axes>”" of a ROC curve)
OBJECT_REPR = re.compile(r"^\[?<[^<>]+>(?:,\s*<[^<>]+>)*\]?$")


def short_text_outputs(rec: ExecutionRecord) -> list[str]:
    """Small plain-text results (metrics, shapes) worth quoting; never tables or long dumps."""
    texts = []
    for out in rec.outputs:
        if out.text is None or out.output_type == "error":
            continue
        if not out.mime.startswith("text/plain"):
            continue
        text = out.text.strip()
        if not text or len(text) > SHORT_OUTPUT_CHARS or text.count("\n") >= SHORT_OUTPUT_LINES \
                or OBJECT_REPR.match(text):
            continue
        texts.append(" ".join(text.split()))
    return texts


def printed_metrics(rec: ExecutionRecord) -> list[str]:
    """Lines like "accuracy: 0.789" from an evaluation's printed text (stdout included), at most a few.

    Used when the output is too long to quote whole (a classification report after the accuracy).
    """
    found: list[str] = []
    for out in rec.outputs:
        if out.text is None or out.output_type == "error":
            continue
        if not (out.mime.startswith("text/plain") or "stdout" in out.mime):
            continue
        for line in out.text.splitlines():
            if METRIC_LINE.match(line):
                text = " ".join(line.split())
                if text not in found:
                    found.append(text)
            if len(found) >= MAX_QUOTED_METRICS:
                return found
    return found
