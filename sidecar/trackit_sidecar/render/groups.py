"""Which steps are said together.

Runtime facts are measured per cell and per variable, not per statement: when several steps of one
execution write the same variable, the kernel saw only their combined effect. `group_steps` keeps
such runs of steps together, so an effect is never pinned on the one statement that happened to come last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from ..lineage.kb.sources import CONSTRUCTORS
from ..protocol import RuntimeFacts, Step
from .effects import shows_change

SOURCE_OPS = frozenset({"load"})
# a table built by its constructor from other variables' columns (`pd.DataFrame({"ID": df_test.index, "Quality":
# preds})`, classified a concat: kb.sources.CONSTRUCTORS): a new table, not the first input with columns added and removed
TABLE_CONSTRUCTORS = CONSTRUCTORS["pandas"] | CONSTRUCTORS["polars"]
MODEL_OPS = frozenset({"fit_model", "predict", "evaluate"})
# ops whose statement is usually described better by a sibling step classified from the same line
# (e.g. `df["Age"].fillna(df.groupby(["Sex", "Pclass"])...)` is impute_missing + derive_feature)
SECONDARY_OPS = frozenset({"derive_feature", "other"})


@dataclass
class StepGroup:
    """Consecutive steps of one execution that the kernel's facts cannot tell apart."""

    steps: list[Step] = field(default_factory=list)
    # single | output (same output variable, or one chain not kept) | evaluate (same inputs, or a prediction made
    # inside the evaluation's call first) | split (its parts) | function (one function body's steps: one sentence)
    kind: str = "single"

    @property
    def output(self) -> Optional[str]:
        return self.steps[-1].output if self.kind not in ("evaluate", "split") else None

    @property
    def ops(self) -> list[str]:
        return [s.op for s in self.steps]

    @property
    def section(self) -> str:
        """Where the summary puts it: a group that loads is a data source; one that fits/uses a model is modelling."""
        ops = set(self.ops)
        if ops & SOURCE_OPS:
            return "source"
        if ops & MODEL_OPS:
            return "model"
        if ops == {"other"}:
            return "other"
        return "preprocessing"


def group_steps(steps: Sequence[Step]) -> list[StepGroup]:
    """Split an execution's steps (in code order) into groups.

    A step joins the previous group when it writes the same variable (its effect is inseparable in
    the measured facts), when both are links of one chain whose result is not kept (the later works on the earlier's
    result), or when both are evaluations of the same inputs (three metrics on `y_test`/`predictions` read as one
    sentence) or the later evaluates the earlier's prediction in one statement (`predicted_inside`). Steps of
    different function bodies (`Step.in_function`), or of one and of the cell itself, are never one group; the steps
    of one function body are one group (`function`): what the function does when called, said once ("Defines
    `clean`, which filters rows of `d` on `x1` and drops rows with missing values from `d` when called"; two
    sentences, each "Defines `clean`, ...", read as two definitions).
    """
    groups: list[StepGroup] = []
    for index, step in enumerate(steps):
        last = groups[-1] if groups else None
        after = steps[index + 1] if index + 1 < len(steps) else None
        if last is not None and last.steps[-1].in_function != step.in_function:
            groups.append(StepGroup(steps=[step]))  # what a function does when called is not what its cell did
        elif last is not None and step.in_function is not None:
            last.steps.append(step)
            last.kind = "function"
        elif last is not None and last.kind == "single" and predicted_inside(last.steps[-1], step):
            last.steps.append(step)  # accuracy_score(y_test, model.predict(X_test)): one evaluation of predictions
            last.kind = "evaluate"
        elif last is not None and last.kind == "single" and uses_chained_fit(last.steps[-1], step) \
                and not (after is not None and predicted_inside(step, after)):
            # p = LinearRegression().fit(X, y).predict(X): the model fitted, not kept, and what was read from it are one
            # sentence ("... (not kept) and predicted with it ..."); a prediction an evaluation of the statement scores
            # stays with that evaluation
            last.steps.append(step)
            last.kind = "output"
        elif last is not None and step.output is not None and last.kind in ("single", "output") \
                and last.steps[-1].output == step.output:
            last.steps.append(step)
            last.kind = "output"
        elif last is not None and step.op == "split" and last.steps[-1].op == "split" \
                and (last.steps[-1].line, last.steps[-1].code) == (step.line, step.code):
            last.steps.append(step)  # one split, one step per output: said once
            last.kind = "split"
        elif last is not None and step.op == "evaluate" and last.kind in ("single", "evaluate") \
                and last.steps[-1].op == "evaluate" and last.steps[-1].inputs == step.inputs:
            last.steps.append(step)
            last.kind = "evaluate"
        elif last is not None and step.output is None and last.kind in ("single", "output") \
                and _chained_in_one_shown_statement(last.steps[-1], step):
            last.steps.append(step)  # pd.merge(a, b, ...).drop("k", axis=1) shown: one sentence, the drop on the join
            last.kind = "output"
        else:
            groups.append(StepGroup(steps=[step]))
    return groups


def predicted_inside(prediction: Step, evaluation: Step) -> bool:
    """`evaluation` scores a prediction made inside its own call (`confusion = confusion_matrix(y_test,
    model.predict(X_test))`): the classifier gives the statement a predict step, then the evaluate step, which lists
    the data predicted on among its inputs. The prediction is not kept: its step's output, when it has one, is the
    evaluation's."""
    return prediction.op == "predict" and evaluation.op == "evaluate" and bool(evaluation.code) \
        and (prediction.line, prediction.code) == (evaluation.line, evaluation.code) \
        and prediction.output in (None, evaluation.output)


def uses_chained_fit(fit: Step, step: Step) -> bool:
    """`step` is what the same statement read from the model `fit` fitted and did not keep (Step.chained_into:
    `LinearRegression().fit(X, y).predict(X)`), the statement's next step."""
    return fit.op == "fit_model" and fit.chained_into is not None and bool(step.code) \
        and (fit.line, fit.code) == (step.line, step.code) and step.op != "fit_model"


def prediction_of(group: StepGroup) -> Optional[Step]:
    """The prediction an evaluate group scores, made in the evaluation's own call (`predicted_inside`); else None."""
    first = group.steps[0]
    return first if group.kind == "evaluate" and first.op == "predict" else None


def _chained_in_one_shown_statement(previous: Step, step: Step) -> bool:
    """Two steps of one statement whose result is not kept (a bare chain): the later one works on the earlier one's
    result, not on the inputs both name."""
    return previous.output is None and bool(step.code) and (previous.line, previous.code) == (step.line, step.code) \
        and previous.inputs == step.inputs


def is_noise(group: StepGroup) -> bool:
    """A lone `other` step (`df.head()`, `df.describe()`) that changed nothing measurable. A statement written to
    remove rows or fill gaps that removed or filled none (`static_op`) is not noise: the audit trail says it ran and
    did nothing."""
    if group.ops != ["other"] or group.steps[0].static_op is not None:
        return False
    return not shows_change(group.steps[0].runtime)


def visible_groups(steps: Sequence[Step]) -> list[StepGroup]:
    """Groups worth showing: lone `other` steps are left out unless the execution has nothing else."""
    groups = group_steps(steps)
    if all(is_noise(g) for g in groups):
        return groups
    return [g for g in groups if not is_noise(g)]


def statements(group: StepGroup) -> list[tuple[Step, list[Step]]]:
    """(primary step, steps classified from the same statement) in order.

    The classifier can emit two steps for one line; the more specific one describes the statement
    and the secondary one's extra columns become "using ..." (the columns the statement read).
    """
    result: list[tuple[Step, list[Step]]] = []
    by_statement: dict[tuple[int, str], int] = {}
    fits = {(s.line, s.code, s.output) for s in group.steps if s.op == "fit_model" and s.code and s.output}
    fitted_on = [s for s in group.steps if s.op == "filter_rows" and (s.line, s.code, s.output) in fits]
    for step in group.steps:
        if step in fitted_on:
            continue  # `res = sm.OLS(y.iloc[:14], X.iloc[:14]).fit()`: the rows the fit is given, said with it
        if step.op == "fit_model" and any((f.line, f.code) == (step.line, step.code) for f in fitted_on):
            result.append((step, [f for f in fitted_on if (f.line, f.code) == (step.line, step.code)]))
            continue
        key = (step.line, step.code) if step.code else None
        if key is not None and key in by_statement:
            index = by_statement[key]
            primary, folded = result[index]
            if primary.op in SECONDARY_OPS and step.op not in SECONDARY_OPS:
                result[index] = (step, folded + [primary])
                continue
            if (step.op in SECONDARY_OPS and not uses_chained_fit(primary, step)) or step.op == primary.op == "split":
                # (km = KMeans(3).fit(X).transform(X): the features made with a model not kept are what the statement
                # keeps, said after its fit, not folded into it)
                folded.append(step)  # a split's other outputs are named by its first step
                continue
            # two specific ops from one statement (a chain like `.dropna().drop_duplicates()`): both are said
        if key is not None:
            by_statement[key] = len(result)
        result.append((step, []))
    return result


def group_facts(group: StepGroup) -> Optional[RuntimeFacts]:
    """The measured facts that belong to the group's result (or a measured change of something else)."""
    facts = [s.runtime for s in group.steps if s.runtime is not None]
    for fact in reversed(facts):
        if fact.variable is None or fact.variable == group.output:
            return fact
    for fact in reversed(facts):
        # attach_runtime hands an output-less step the facts of a variable it merely read; show
        # them only if that variable actually changed, otherwise "223 rows (unchanged)" is noise
        if shows_change(fact):
            return fact
    return None


def builds_afresh(group: StepGroup) -> bool:
    """True when the group's result does not start from its variable's previous value (a load, a table built by its
    constructor, a matrix product: `np.dot(norm_x.T, norm_x)` read "16 -> 7 rows (-9)" against `norm_x`)."""
    first = group.steps[0] if group.steps else None
    return first is not None and (first.op in SOURCE_OPS
                                  or (first.op == "concat" and first.method in TABLE_CONSTRUCTORS)
                                  or (len(group.steps) == 1 and first.matrix_product is not None))
