"""The train / test parts an assignment makes, one split per output (what-is-a-step.md: "when it creates a
train/test pair it is a split (one per output)"; CONVENTIONS 16): a splitter's tuple, rows held out into a
train/test-named variable, one data cut at a column into a training and a held-out part, a sample and the rest,
the parts a helper of the project's own module returns."""

from __future__ import annotations

import ast
import re
import sys
from typing import Optional

from ... import protocol
from .. import kb
from ..kb import models as kb_models
from .row_parts import FOLD_COLUMN, cut_at_a_fold, one_comparison
from .values import MARKER, Op, Val, short

TRAIN_TEST_NAME = re.compile(kb.TRAIN_TEST_NAME, re.IGNORECASE)
HELD_OUT_PART = re.compile(f"{kb_models.HELD_OUT_PART_NAME}|{kb_models.HELD_OUT_SHORT_NAME}", re.IGNORECASE)
CUT_KEY = f"{MARKER}cut:"  # + data:column -> the part names cut from that data at that column (_cuts_a_pair)
TRAINING_PART = re.compile(kb_models.TRAINING_PART_NAME, re.IGNORECASE)
SAVED_OBJECT_READER = re.compile(kb_models.SAVED_OBJECT_READER_NAME)


class SplitPartRules:
    """Mixin of `Cell` (through `StatementWalker`): the splits of `AssignmentRules.assign`."""

    env: dict[str, str]
    steps: list[protocol.Step]

    def _parts_from_an_imported_helper(self, value: ast.AST, names: list[str]) -> bool:
        """`train, validate, test = wrangle.wrangle_zillow()`, `X_train, X_test, y_train, y_test = prep.split(df)`: a
        function of a module outside the libraries the tables know (the project's own `wrangle.py`), its results
        unpacked into names of a training part and a held-out part, nothing else."""
        if not (isinstance(value, ast.Call) and len(names) >= 2 and all(TRAIN_TEST_NAME.search(n) for n in names)
                and any(TRAINING_PART.search(n) for n in names) and any(HELD_OUT_PART.search(n) for n in names)):
            return False
        path = self.module_path(value.func)  # type: ignore[attr-defined]
        if not path or "." not in path:
            return False
        module = path.split(".", 1)[0]
        return module not in kb.LIBRARIES and module not in kb_models.PUBLISHED_PARTS_PACKAGES \
            and module not in sys.stdlib_module_names and not SAVED_OBJECT_READER.match(short(path))

    def _split_parts(self, ops: list[Op], names: list[str], val: Val, value: ast.AST) -> list[Op]:
        """One split per output (what-is-a-step.md: "when it creates a train/test pair it is a split (one per
        output)"): a splitter's tuple, or rows held out into a new train/test-named variable (`X_train =
        X[:1000]`, `test = df.drop(train.index)`, `X_tr = X.iloc[train_idx]`, `xtest = X.loc[X.month >= 201912]`)."""
        if len(names) > 1 and any(op.op == "split" for op in ops):
            at = next(i for i, op in enumerate(ops) if op.op == "split")
            parts = [Op("split", ops[at].inputs, ops[at].columns, ops[at].detail, name, facts=dict(ops[at].facts))
                     for name in names]
            return ops[:at] + parts + ops[at + 1:]
        if len(names) == 1 and TRAIN_TEST_NAME.search(names[0]) and names[0] not in val.inputs:
            for i, op in enumerate(ops):
                if op.op in kb.HOLD_OUT_OPS and op.facts.get("method") in kb.HOLD_OUT_METHODS and op.output is None:
                    # (a split by the name it is held out into: kb/guesses.py)
                    return ops[:i] + [Op("split", op.inputs, op.columns, None,
                                         facts={**op.facts, "inferred_from": "variable_name"})] + ops[i + 1:]
            cut = _cut_at_a_number(value) or cut_at_a_fold(value)
            if cut is not None and (FOLD_COLUMN.match(cut) is not None or not any(TRAIN_TEST_NAME.search(name) for name in val.inputs)):
                for i, op in enumerate(ops):
                    if op.op == "filter_rows" and op.output is None and self._cuts_a_pair(names[0], val, cut):
                        # X_train = data[data.date_block_num < 32].drop(...) and, in the same cell, X_valid =
                        # data[data.date_block_num == 32]...: the same data cut at one column's values into a training
                        # and a held-out part, a pair, so a split per output (what-is-a-step.md: "when it creates a
                        # train/test pair it is a split"); a lone cut (`df_train = df[df.year < 2015]`) stays a filter
                        return ops[:i] + [Op("split", op.inputs, op.columns, None,
                                             facts={**op.facts, "method": "cut", "inferred_from": "variable_name"})] \
                            + ops[i + 1:]
        if len(names) == 1 and len(ops) == 1 and ops[0].op == "filter_rows" and ops[0].facts.get("method") == "drop":
            sampled = self._dropped_sample(value_of=ops[0])
            if sampled is not None:
                # part = df.sample(frac=0.75) ... rest = df.drop(part.index): a sample and the rest are a pair (a split
                # each, CONVENTIONS 16: "sample + drop"), whatever they are named
                sampled.op = "split"
                return [Op("split", ops[0].inputs, ops[0].columns, None, facts=dict(ops[0].facts))]
        return ops

    def _cuts_a_pair(self, name: str, val: Val, column: str) -> bool:
        """`name` is a part cut from `val`'s data at `column`; an earlier cut of the same data at the same column into the
        other part (training vs held out) in this cell makes the pair: that earlier filter becomes a split too."""
        held_out = HELD_OUT_PART.search(name) is not None
        key = f"{CUT_KEY}{','.join(sorted(val.inputs))}:{column}"
        # the partner is the cut itself (same data, a condition on the same column), not every step that wrote its
        # name: `train = train[train.price > 0]` earlier in the cell stays a filter
        pair = [step for step in self.steps if step.op in ("filter_rows", "split") and step.output
                and step.output in self.env.get(key, "").split(",")
                and (HELD_OUT_PART.search(step.output) is not None) != held_out
                and sorted(step.inputs) == sorted(val.inputs)
                and any(condition.column == column for condition in step.conditions)]
        self.env[key] = ",".join(filter(None, [*self.env.get(key, "").split(","), name]))
        for step in pair:
            step.op, step.inferred_from = "split", "variable_name"
        return bool(pair)

    def _dropped_sample(self, value_of: Op) -> Optional[protocol.Step]:
        """The sample step of this cell whose rows the drop removes (`df.drop(part.index)` after `part = df.sample()`)."""
        dropped = value_of.facts.get("dropped")
        for step in reversed(self.steps):
            if step.op == "sample" and step.output == dropped and set(step.inputs) == set(value_of.inputs):
                return step
        return None


def _cut_at_a_number(value: ast.AST) -> Optional[str]:
    """The column whose comparison with a number picks the rows the value starts from (`data[data.month < 32]`,
    `X.loc[X.image >= 201912]`, `df[df["year"] != 2015].drop(...)`), else None: not a label (`df[df.student == "Yes"]`),
    not several conditions."""
    compared = one_comparison(value)
    if compared is None:
        return None
    column, _, bound = compared
    if isinstance(bound, ast.UnaryOp) and isinstance(bound.op, ast.USub):
        bound = bound.operand
    number = isinstance(bound, ast.Constant) and isinstance(bound.value, (int, float)) and not isinstance(bound.value, bool)
    return column if number else None
