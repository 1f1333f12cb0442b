"""What every step's phrase reads (phrases.py, model_phrases.py, nothing_done.py): how to word a step in its
sentence (`Say`), what it worked on, the variable it wrote, the columns it changed, its detail and a cast's types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from ..protocol import RuntimeFacts, Step
from .words import code, names


@dataclass
class Say:
    """How to word one step: its context in the sentence.

    `facts`: the measured facts of the step's group (for the cast type and encoded columns).
    `using`: extra columns the same statement read. `file_facts`: "(49.0 KB, sha256 5efb7e27)".
    `extra_facts`: the execution's other facts (a split's outputs).
    """

    target: str
    with_target: bool = True
    facts: Optional[RuntimeFacts] = None
    using: Sequence[str] = ()
    file_facts: str = ""
    extra_facts: Sequence[RuntimeFacts] = field(default_factory=tuple)
    into: str = ""
    use: str = ""
    rows_of: Sequence[str] = ()  # fit_model: the variables whose rows the statement picked to fit on
    # predict / evaluate said right after the fit chained into it (Step.chained_into): its model is "it", the one just
    # said to be fitted and not kept (`p = LinearRegression().fit(X, y).predict(X)`)
    model_just_fitted: bool = False


def target_of(step: Step) -> str:
    """What the step worked on: its inputs; with none read from the code, its output only when the phrase does not
    also say it made that output ("converted the type of `snowiness` into `snowiness`", jvns-cookbook ch06: the input
    `is_snowing` was not read from the chain, its result was named as what it converted)."""
    if step.inputs:
        return names(step.inputs)
    if step.output and not into_clause(step):  # `x = x.astype(float)`, its input not read: `x` still
        return code(step.output)
    return "the data"


def into_clause(step: Step) -> str:
    # `reads_output`: the statement's value names the variable it assigns (`is_snowing=is_snowing.astype(float)`):
    # what it worked on, though the classifier read no input
    if step.output and step.output not in step.inputs and (step.inputs or not step.reads_output):
        # a tuple assignment binds every name it lists (`fpr, tpr, thr = roc_curve(...)` read "into `fpr`")
        bound = step.outputs if len(step.outputs) > 1 and step.output in step.outputs else [step.output]
        # values written to other columns (changed_columns) are columns of the new table: "scaled `w` of `df` into
        # `wz` of `z`", not "... into `wz` into `z`"
        return f" {'of' if changed_columns(step)[1] else 'into'} {names(bound)}"
    return ""


def changed_columns(step: Step) -> tuple[list[str], str]:
    """(the columns whose values the step changed, " into `x2`" when it wrote them to other columns): for ops other
    than derive_feature, `derived_from` names the columns changed and `columns` where the values were written
    (`df["x2"] = df["x"].fillna(0)`)."""
    if step.derived_from and step.op != "derive_feature":
        return list(step.derived_from), f" into {names(step.columns)}" if step.columns else ""
    return list(step.columns), ""


def detail_clause(step: Step) -> str:
    return f" ({step.detail})" if step.detail else ""


def cast_from_facts(step: Step, facts: Optional[RuntimeFacts]) -> tuple[str, list[str]]:
    """(" from str to float64", ["Age"]) when the facts show the cast columns' type change."""
    if facts is None or not step.columns or not all(c in facts.dtype_changes for c in step.columns):
        return "", []
    changes = [facts.dtype_changes[c] for c in step.columns]
    if any(len(c) != 2 for c in changes):
        return "", []
    before = {c[0] for c in changes}
    after = {c[1] for c in changes}
    if len(after) != 1:
        return "", []
    # written to other columns (`df["b"] = df["a"].astype(int)`): the type before is the old `b`'s, not `a`'s
    start = f" from {next(iter(before))}" if len(before) == 1 and not step.derived_from else ""
    return f"{start} to {next(iter(after))}", list(step.columns)
