"""The one wording of a step whose op is a guess (Step.inferred_from, lineage/kb/guesses.py): every rendering of a
step (the tree, hovers, `trackit lineage` / `analyze`, the built-in summary) says it through `step_phrase`, so none
states a guess as fact."""

from __future__ import annotations

from ..lineage.kb.guesses import INFERRED_FROM
from ..protocol import Step
from .words import code


def inferred_note(step: Step) -> str:
    """" (inferred from the name `load_data`)" for a step whose op is a guess, naming the name it was read from where
    the step holds it, else what the guess rests on (" (inferred from what the function it calls is handed)"); "" for
    an asserted step."""
    if not step.inferred_from:
        return ""
    ground, field = INFERRED_FROM.get(step.inferred_from, (step.inferred_from, ""))
    name = getattr(step, field, None) if field else None
    return f" (inferred from the name {code(name)})" if isinstance(name, str) and name else f" (inferred from {ground})"
