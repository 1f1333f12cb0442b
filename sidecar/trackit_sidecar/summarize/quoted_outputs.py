"""Which of a run's printed outputs a summary may quote: short plain-text results and metric lines."""

from __future__ import annotations

import re

from ..protocol import ExecutionRecord

MAX_QUOTED_METRICS = 3
SHORT_OUTPUT_CHARS = 200
SHORT_OUTPUT_LINES = 3
# "accuracy: 0.789", "F1 = 0.76", "rmse 3.2": a label and exactly one number, perhaps with its percentage beside it
# ("Classification Accuracy on Test Set: 0.890 (89.0%)", chili cell 85, was left out)
METRIC_LINE = re.compile(
    r"^\s*[A-Za-z][\w\-/()]*(?: [A-Za-z][\w\-/()]*){0,4}\s*(?:[:=]\s*|\s+)-?\d+(?:\.\d+)?%?"
    r"(?:\s*\(\d+(?:\.\d+)?%\))?\s*$"
)
# what an evaluation prints with no label: `print(metrics.accuracy_score(y_test, y_pred))` prints "0.6927083333333334",
# `print(res.f_test(R))` statsmodels' "<F test: F=145.49, p=1.28e-20, df_denom=46, df_num=2>" (sklearn-videos 06/07/09,
# statsmodels ols: 20 evaluations whose figure the summary left out)
BARE_FIGURE_LINE = re.compile(r"^\s*-?\d+(?:\.\d+)?(?:e[-+]?\d+)?%?\s*$")
TEST_RESULT_LINE = re.compile(r"^\s*<(?:F|t|Wald) test: [^<>]*\d[^<>]*>\s*$")
# a number shown in NumPy's scalar repr: `np.float64(0.677)` is the number 0.677
NUMPY_SCALAR = re.compile(r"\bnp\.(?:float|int|uint)\d+\((-?[\d.eE+-]+)\)")

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
        texts.append(NUMPY_SCALAR.sub(r"\1", " ".join(text.split())))
    return texts


def printed_metrics(rec: ExecutionRecord) -> list[str]:
    """Lines like "accuracy: 0.789", a figure printed alone ("0.6927") or a statistical test's result from an
    evaluation's printed text (stdout included), at most a few.

    Used when the output is too long to quote whole (a classification report after the accuracy).
    """
    found: list[str] = []
    for out in rec.outputs:
        if out.text is None or out.output_type == "error":
            continue
        if not (out.mime.startswith("text/plain") or "stdout" in out.mime):
            continue
        for line in out.text.splitlines():
            if METRIC_LINE.match(line) or BARE_FIGURE_LINE.match(line) or TEST_RESULT_LINE.match(line):
                text = " ".join(line.split())
                if text not in found:
                    found.append(text)
            if len(found) >= MAX_QUOTED_METRICS:
                return found
    return found
