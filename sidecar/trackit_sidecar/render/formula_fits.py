"""What a fit step fitted, for naming it: its estimator class, else the function of the formula call it was written as
(`Step.formula_fit`, set when the step is made: lineage/formula_fits.py)."""

from __future__ import annotations

import re
from typing import Optional

from ..protocol import Step

_CLASS_NAME = re.compile(r"^[A-Za-z_][\w.]*$")


def estimator_name(step: Step) -> Optional[str]:
    """The fit's estimator class as its `detail` names it (`LogisticRegression`, `sm.OLS`); None when the detail is
    something else: `np.linalg.lstsq`'s "outputs: coef, resid, _, _" read "Fitted a `outputs: coef, resid, _, _`
    model" (pydata-book ch12 cell 12)."""
    return step.detail if step.detail and _CLASS_NAME.match(step.detail) else None


def fitted_estimator(step: Step) -> Optional[str]:
    """What a fit step fitted, for naming it: its estimator class, else its formula call's function (`smf.ols`)."""
    if estimator_name(step):
        return step.detail
    return step.formula_fit.function if step.formula_fit is not None else None
