"""A table of counts or group statistics kept in a dict or list the notebook fills (`train_results[col] =
train_data[col].value_counts(normalize=True)` per column in a loop): the aggregate is a step where it is written, as
`vc = df[col].value_counts()` assigned is (CONVENTIONS 10: "An assigned `value_counts()` or `groupby().size()` is
aggregate"; 22: groupby().agg/mean), not an answer kept: the container holds the tables to compare later."""

from __future__ import annotations

from .values import Op, Val


def aggregated_into_container(val: Val) -> list[Op]:
    """The value's ops when its last op is an aggregate of data (not an answer, nothing drawn or written in the code),
    else []."""
    ops = list(val.ops)
    if val.answer or not ops or ops[-1].op != "aggregate" or not val.inputs \
            or any(op.facts.get("generated") for op in ops):
        return []
    return [op for op in ops if not op.pick]
