"""A model scored after the data it was fitted on was written again (ModelFingerprint.fitted_before), in words: `trackit
show` says it of an experiment, `trackit diff` of a side. Pure."""

from __future__ import annotations

from ..protocol import InputsWrittenAgain
from .words import names


def fitted_before(again: InputsWrittenAgain) -> str:
    """heart-disease's split re-run with test_size 0.3 after the model was fitted on the 0.2 split: the score is of the
    old model on the new split's rows, some of which it may have been trained on."""
    written = names(again.variables, count_total=False)
    if again.by_split:
        return (f"fitted on an earlier split: #{again.seq} split the data again into {written} after the fit "
                f"(#{again.fit_seq}); it was not refitted, so the rows it is scored on may be rows it was trained on")
    return (f"fitted before #{again.seq} wrote {written} again (the fit: #{again.fit_seq}): it is no model of what "
            f"{'they hold' if len(again.variables) > 1 else 'it holds'} now")
