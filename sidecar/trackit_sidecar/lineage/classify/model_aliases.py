"""A model given another name (`final_model = best_gbc`, `evaluation_model_pipeline = tuned_best_model_pipeline`):
an alias is `other` only when it names data again (CONVENTIONS 12: "plain aliases (`X = X4`)" among container
conversions); a fitted model, an estimator or a pipeline is no data (CONVENTIONS 15: models and pipelines are no
steps; loading one is none), so naming it again is none either."""

from __future__ import annotations

import re

from ..kb import models as kb_models
from .results import FITTED, ROLE
from .sklearn_rules import is_estimator
from .values import instance_class

MODEL_OR_TOOL_NAME = re.compile(kb_models.MODEL_ALIAS_WORDS, re.IGNORECASE)


def aliases_a_model(source: str, target: str, env: dict[str, str]) -> bool:
    """Whether `target = source` names a model again: `source` was fitted (results.bind_roles), holds an
    estimator, or one of the two names says it is a model or a pipeline (kb/models.py `MODEL_ALIAS_WORDS`)."""
    if env.get(ROLE + source) == FITTED:
        return True
    cls = instance_class(env.get(source, "")) or ""
    if cls and is_estimator(cls):
        return True
    return bool(MODEL_OR_TOOL_NAME.search(source) or MODEL_OR_TOOL_NAME.search(target))
