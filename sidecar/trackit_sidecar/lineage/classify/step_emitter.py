"""From a statement's ops to `Step`s: what every kind of statement adjusts alike (a group with nothing applied,
a result computed by hand), then one step per transforming call, recorded with its code."""

from __future__ import annotations

import ast
from typing import Optional

from ... import protocol
from .. import kb
from .expressions import METRIC_ITEM
from .results import EVALUATED
from .values import Op, Val, union
from .wording_facts import add_wording_facts

CODE_LIMIT = 300


def _same_data(inputs: list[str], other: list[str]) -> bool:
    """One set of inputs holds the other (or one is unknown): the same data, as a metric computed from another is."""
    return not inputs or not other or set(inputs) <= set(other) or set(other) <= set(inputs)


class StepEmitter:
    """Mixin of `Cell` (through `StatementWalker`): ops made steps of the cell."""

    lines: list[str]
    steps: list[protocol.Step]

    def _with_result_op(self, ops: list[Op], value: ast.AST, val: Val) -> list[Op]:
        """A metric or prediction computed by hand from a model's results (classify/results.py) is that step."""
        made = self.result_op(value)
        if made == "evaluate" and isinstance(value, ast.Call) and ops and all(op.op == "scale_normalize" for op in ops) \
                and self.roles_in(value) == {EVALUATED}:
            # best_mae = np.expm1(best_mae_log): a metric brought back to the target's scale is still the metric
            # (arithmetic on an evaluation's result evaluates, CONVENTIONS 27), not a feature rescaled; `cm / cm.sum()`
            # normalises the table itself
            return [Op(made, list(val.inputs), [], None, facts=self._result_facts("computed", value))]
        if made is None or any(op.op in (made, "scale_normalize") for op in ops) or (made == "predict" and val.answer):
            return ops  # np.unique(proba > 0.5, return_counts=True): an answer about predictions, not one
        if made == "predict":
            # pd.DataFrame({"true": y, "pred": proba[:, 1] > 0.25}): the threshold predicts; the table stays
            # (np.dot([1, 3.5], theta): the product is how it predicts, not a feature of its own)
            kept = [op for op in ops if op.op not in ("derive_feature", "scale_normalize", "type_cast")]
            return kept + [Op(made, list(val.inputs), [], None, facts=self._result_facts("threshold", value))]
        kept = [op for op in ops if op.op in ("evaluate", "predict") or op.output is not None]
        return kept + [Op(made, list(val.inputs), [], None, facts=self._result_facts("computed", value))]

    def _result_facts(self, method: str, value: ast.AST) -> dict[str, object]:
        """The facts of a step result_op made, with `inferred_from` when its op rests on a name
        (results.rests_on_a_name)."""
        if self.rests_on_a_name(value):  # type: ignore[attr-defined]
            return {"method": method, "inferred_from": "input_name"}
        return {"method": method}

    @staticmethod
    def _without_unapplied_group(ops: list[Op], val: Val) -> list[Op]:
        """A bare `groupby(...)` with nothing applied to it is not a step (what-is-a-step.md)."""
        if (val.kind or "").startswith("grouped") and ops and ops[-1].op == "aggregate" \
                and ops[-1].facts.get("method") in kb.GROUPING_METHODS:
            return ops[:-1]
        return ops

    def emit(self, ops: list[Op], stmt: ast.stmt, output: Optional[str] = None,
             extra_columns: Optional[list[str]] = None, outputs: Optional[list[str]] = None,
             tuple_detail: Optional[str] = None, code_node: Optional[ast.AST] = None) -> None:
        if not ops:
            return
        code = self.segment(code_node or stmt)
        if len(code) > CODE_LIMIT:
            code = code[: CODE_LIMIT - 1] + "\u2026"
        merged: list[protocol.Step] = []
        items: dict[int, object] = {}  # id(step) -> the side-by-side item its metric was written in, if any
        for op in ops:
            # LinearRegression().fit(X, y).predict(X): the model fitted lives only in the statement; what the statement
            # assigns (and the columns it writes) is the chained call's result, not the model (chained_fits.py)
            unkept = bool(op.facts.get("chained_into"))
            step_output = op.output or (None if unkept else output)
            columns = op.columns if unkept else union(op.columns, extra_columns or [])
            detail = op.detail if op.detail is not None else tuple_detail
            # df.d.astype(str).str[:4].astype(int): the same values cast once, also with other work in between; a
            # filter before and a head after an aggregation keep different rows (two steps)
            previous = (next((s for s in reversed(merged) if s.op == op.op), None) if op.op != "filter_rows"
                        else merged[-1] if merged and merged[-1].op == op.op else None) \
                if op.op in kb.ONE_STEP_PER_STATEMENT_OPS or op.facts.get("method") in kb.TEXT_PART_PICKS else None
            if previous is not None and previous.output == step_output \
                    and (op.op != "filter_rows" or set(op.inputs) <= set(previous.inputs)) \
                    and (op.op != "evaluate" or step_output is not None or _same_data(op.inputs, previous.inputs)) \
                    and op.facts.get(METRIC_ITEM) == items.get(id(previous)):
                # ({"acc": accuracy_score(y, p), "f1": f1_score(y, p)}: metrics side by side stay one step each,
                # expressions.metrics_side_by_side)
                # (filters of two arguments' rows, y.iloc[:14] and X.iloc[:14], stay two; so do metrics of two data
                # sets printed or shown, mse(y_train, y_train_pred) and mse(y_test, y_test_pred), where
                # np.sqrt(mse(y, p)) is one and what is kept under one name is one result)
                # pd.read_csv(...).pipe(...) reads once, np.sqrt(mean_squared_error(...)) is one metric; every other
                # transforming call of a chain is a step of its own (what-is-a-step.md: "one step per transforming call")
                previous.columns = union(previous.columns, columns)
                previous.inputs = union(previous.inputs, op.inputs)
                if op.op == "encode_categorical" and detail and detail != previous.detail:
                    # astype("category").cat.codes: both methods name how it was encoded
                    previous.detail = f"{previous.detail}, {detail}" if previous.detail else detail
                if op.facts.get("derived_from"):
                    previous.derived_from = union(previous.derived_from, op.facts["derived_from"])
                for condition in op.facts.get("conditions") or []:
                    item = protocol.StepCondition.model_validate(condition)  # a field, not a raw dict
                    if item not in previous.conditions:
                        previous.conditions = previous.conditions + [item]
                continue
            fields = {key: value for key, value in op.facts.items() if value not in (None, [], {})}
            if op.facts.get("made_with"):  # pd.DataFrame({"a": np.random.rand(5)}): made by the constructor
                fields["method"] = detail = op.facts["made_with"]
            if outputs and not unkept:
                fields["outputs"] = list(outputs)
            merged.append(protocol.Step(
                op=op.op, inputs=[name for name in op.inputs if name], output=step_output, columns=columns,
                code=code, line=getattr(stmt, "lineno", None), detail=detail, **fields,
            ))
            items[id(merged[-1])] = op.facts.get(METRIC_ITEM)
        add_wording_facts(merged, code_node or stmt, self.segment, self.module_path)  # type: ignore[attr-defined]
        self.steps.extend(merged)
        if output:
            self.keeps_results_in(output, [step.op for step in merged], stmt)  # scores[name] = cross_val_score(...)

    def segment(self, node: ast.AST) -> str:
        """Source text of a node (what ast.get_source_segment returns), from the pre-split lines."""
        try:
            first, last = node.lineno - 1, node.end_lineno - 1  # type: ignore[attr-defined]
            start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
            if first == last:
                return self.lines[first].encode()[start:end].decode(errors="replace")
            head = self.lines[first].encode()[start:].decode(errors="replace")
            tail = self.lines[last].encode()[:end].decode(errors="replace")
            return head + "".join(self.lines[first + 1:last]) + tail
        except (AttributeError, IndexError, TypeError):
            return ""
