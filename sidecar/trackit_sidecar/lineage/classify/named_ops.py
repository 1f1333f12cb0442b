"""What a name says a notebook's code does: the op of a function named for it (`train_model`, `split_data`), a
piece of a hand-written algorithm (`compute_cost`), a variable named as a parameter (`theta`); the facts are
kb/models.py and kb/sources.py name patterns."""

from __future__ import annotations

import re
from typing import Optional

from ..kb import models as kb_models
from ..kb import sources as kb_sources
from .values import Op, Val, inferred

PARAMETER_NAME = re.compile(kb_sources.PARAMETER_NAME, re.IGNORECASE)
ALGORITHM_NAMES = [(re.compile(pattern), op) for pattern, op in kb_models.ALGORITHM_NAME_OPS]
DRAWING_NAME = re.compile(kb_models.DRAWING_FUNCTION_NAME)
# cross_validation_plot(model, X_train, X_test, ...), error_plot: named for the figure it draws last (CONVENTIONS 8),
# not for the evaluation its other words name
DRAWN_LAST_NAME = re.compile(kb_models.IMPORTED_DRAWING_NAME)
SPLITTING_NAME = re.compile(kb_models.SPLITTING_FUNCTION_NAME)
TRAINING_PART_HELPER = re.compile(kb_models.TRAINING_PART_HELPER_NAME)
ALGORITHM_PIECE = re.compile(kb_models.ALGORITHM_PIECE_NAME)


class NamedOpRules:
    """Mixin of `Cell`."""

    @staticmethod
    def is_algorithm_piece(name: str) -> bool:
        """The function's name says it is a piece of a hand-written algorithm (kb.models.ALGORITHM_PIECE_NAME)."""
        return ALGORITHM_PIECE.search(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()) is not None

    @staticmethod
    def algorithm_op(name: str) -> Optional[str]:
        """The op a notebook function's name says it performs (kb.models.ALGORITHM_NAME_OPS), else None."""
        words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
        if DRAWING_NAME.search(words) or DRAWN_LAST_NAME.search(words):
            return None
        # split_train_test(df), load_all_train_data(): `train` names a part of the data, no fit
        splitting = SPLITTING_NAME.search(words) is not None or TRAINING_PART_HELPER.search(words) is not None
        for pattern, op in ALGORITHM_NAMES:
            if pattern.search(words) and not (splitting and op == "fit_model"):
                return op
        return None

    def function_call_op(self, marker: str, args: Val, name: str, inferred_from: Optional[str] = None) -> Optional[Val]:
        """The call of a notebook function bound as `trackit:function:<op>`: that op, else None (its body was
        classified where it is written). `inferred_from`: the op is a guess, and from what (kb/guesses.py)."""
        op = marker.split(":", 2)[2] if marker.count(":") >= 2 else ""
        if not op:
            return None
        if op == "load":
            made = self.generated(args, name)  # type: ignore[attr-defined]
        else:
            kind = "fitted.Model()" if op == "fit_model" else None
            made = Val(ops=args.ops + [Op(op, list(args.inputs), [], name, facts={"method": name})],
                       inputs=list(args.inputs), kind=kind)
        return inferred(made, inferred_from, args.ops) if inferred_from else made

    def is_parameter_name(self, name: Optional[str]) -> bool:
        return bool(name) and PARAMETER_NAME.search(name or "") is not None
