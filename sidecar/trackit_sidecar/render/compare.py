"""A diff of two experiments in words: `trackit diff`, the editor's diff view and the answers that cite one.

`label_diff(diff)` fills the rendered fields (each step's, the divergence's and its cause's label, and `text`, the
whole diff as the CLI prints it). Pure."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping, Optional, Sequence

from ..protocol import (
    Cause,
    CellCodeChange,
    DataChange,
    DiffSide,
    Divergence,
    ExperimentDiff,
    FactChange,
    MetricDelta,
    StepRef,
    ValueChange,
)
from ..compare.kb import RESTATED_LEAVES
from ..experiments.feature_diff import split_path
from .defined import as_defined
from .phrases import step_phrase
from .refits import fitted_before
from .words import ARROW, capitalise, code, names, ordinal

INDENT = "  "
RESTATED = RESTATED_LEAVES  # feature-tree leaves that restate a step's statement rather than name a decision
MAX_DIFF_LINES = 40


# ---------------------------------------------------------------- values
def value(v: Any) -> str:
    if isinstance(v, dict) and isinstance(v.get("expr"), str):  # a whole decision added or removed: its statement
        return v["expr"] if len(v["expr"]) <= 100 else v["expr"][:97] + "..."
    if v is None:
        return "(none)"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(value(x) for x in v) + "]" if v else "[]"
    text = v if isinstance(v, str) else repr(v)
    return text if len(text) <= 100 else text[:97] + "..."


def number(v: Optional[float]) -> str:
    return "-" if v is None else f"{v:.4g}"


def _decimals_shown(v: float) -> Optional[int]:
    """How many decimals `number` shows of `v` (None: in exponent form)."""
    text = number(v)
    return None if "e" in text else len(text.partition(".")[2])


def difference(delta: float, *values: Optional[float]) -> str:
    """`delta` signed, to the decimals the values it is the difference of are shown with: accuracy 0.8525 → 0.857
    is "+0.0045", not "+0.004484", a precision neither value shows. One below their last decimal keeps a digit."""
    if delta == 0:
        return "±0"
    shown = [d for d in (_decimals_shown(v) for v in values if v is not None) if d is not None]
    text = _rounded(delta, max(shown)) if shown else ""
    text = text if text and Decimal(text) != 0 else _one_digit(delta)
    return "\u2212" + text[1:] if text.startswith("-") else "+" + text


# The Experiments panel says the same differences offline (webviews/metricFormat.formatDifference, held to this by the
# extension's wordingContract test), so both round as JavaScript's toFixed / toPrecision do: the exact binary value,
# halves away from zero (12.5 -> "13", not Python's "12"), and one digit written out down to 1e-6 ("0.00002").
def _rounded(delta: float, places: int) -> str:
    return format(Decimal(delta).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")


def _one_digit(delta: float) -> str:
    exact = Decimal(delta)
    exponent = exact.adjusted()
    digit = exact.scaleb(-exponent).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if abs(digit) == 10:
        digit, exponent = digit / 10, exponent + 1
    if exponent < -6 or exponent >= 1:
        return f"{int(digit)}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"
    return format(digit.scaleb(exponent), "f")


def change(a: Any, b: Any) -> str:
    return f"{value(a)} {ARROW} {value(b)}"


# ---------------------------------------------------------------- sides and steps
def side_name(side: DiffSide) -> str:
    return side.ref


def where(ref: StepRef) -> str:
    """"cell 12 [6]" (1-based position, execution count as Jupyter shows it)."""
    count = f" [{ref.execution_count}]" if ref.execution_count is not None else ""
    return f"cell {ref.cell_index + 1}{count}"


def step_label(ref: StepRef, derivations: Mapping[str, Sequence[str]] = {}) -> str:
    """`derivations`: the step's execution's (a function the cell defines and calls is said to be called, as the tree,
    hovers and summary say it: render/defined.py)."""
    if ref.step is not None:
        said = step_phrase(ref.step)
        what = capitalise(as_defined(ref.step.in_function, [said], derivations) if ref.step.in_function else said)
    elif ref.variable:
        what = f"Wrote {code(ref.variable)}"
    else:
        what = "Ran"
    return f"{what} ({where(ref)}, #{ref.seq})"


# ---------------------------------------------------------------- metrics
def scored(m: MetricDelta) -> str:
    """What a run-level diff's metric scores: "`LinearDiscriminantAnalysis` in cell 32 (E0014 → E0025)"; "" for a
    metric of two experiments the user named."""
    if m.a_experiment is None and m.b_experiment is None:
        return ""
    model = f"{code(m.model)} in " if m.model else ""
    cell = f"cell {m.cell_index + 1}" if m.cell_index is not None else "a cell"
    return f"{model}{cell} ({m.a_experiment or '-'} {ARROW} {m.b_experiment or '-'})"


def metric_line(m: MetricDelta, a: str, b: str, said_above: bool = False,
                stopped: tuple[Optional[int], Optional[int]] = (None, None)) -> str:
    """`said_above`: what the metric scores heads the lines (a run-level diff's metrics, grouped by model).
    `stopped`: the cell (0-based) each side's run stopped at, when it stopped at an error."""
    of = "" if said_above or not scored(m) else f" of {scored(m)}"
    text = f"{m.name}{of}: {number(m.a)} {ARROW} {number(m.b)}"
    if m.delta is not None:
        text += f" ({difference(m.delta, m.a, m.b)})"
    if m.better == "same":
        text += ", equal"
    elif m.better is not None:
        text += _verdict(m, a, b)
    elif m.a is None or m.b is None:
        text += _one_sided(m, (a, b), stopped)
    return text


def _verdict(m: MetricDelta, a: str, b: str) -> str:
    """Which side is better, only as far as the records can tell: 07 cross-validation read "run 2 better" on a
    cv_rmse move of 0.012 while its folds spread ±0.45. A move within the spread (cross-validation folds, or
    evaluations of the same decisions repeated) names no better side; with no spread recorded, the reader is told
    the verdict rests on one evaluation a side."""
    named = f", {b if m.better == 'b' else a} better ({m.direction} is better)"
    if m.exceeds_noise is None:
        return f"{named}; no spread recorded: one evaluation each"
    source = (f"{m.repeats} cross-validation folds" if m.noise_source == "std"
              else f"{m.repeats} repeated evaluations")
    spread = f"the spread (±{m.noise:.2g}, from {source})"
    return f"{named}, beyond {spread}" if m.exceeds_noise else f", within {spread}: neither is better"


def _one_sided(m: MetricDelta, names: tuple[str, str], stopped: tuple[Optional[int], Optional[int]]) -> str:
    """07 cross-validation, run 1 stopped at cell 31's error: its metrics read "- -> 0.9733, only in run 2" for that
    cell and the 5 cells after it, as if run 1 had left them out (the code diff says "not reached", rev22)."""
    missing = 0 if m.a is None else 1
    at, cell = stopped[missing], m.cell_index
    if at is not None and cell is not None and cell > at:
        return f", not reached in {names[missing]} (it stopped at the error in cell {at + 1})"
    if at is not None and cell is not None and cell == at:
        return f", {names[missing]} stopped at the error in this cell"
    return f", only in {names[1 - missing]}"


def metric_lines(diff: ExperimentDiff) -> list[str]:
    a, b = side_name(diff.a), side_name(diff.b)
    primary = (diff.a.primary_metric or diff.b.primary_metric)
    # a run-level diff (metrics per experiment) shows what moved: one accuracy line per model that did not move hid
    # the one that did
    per_experiment = diff.a.kind == "run" or diff.b.kind == "run"
    stopped = (diff.a.stopped_at_cell_index, diff.b.stopped_at_cell_index)
    shown = [m for m in diff.metrics if m.delta != 0
             or (not per_experiment and primary is not None and m.name == primary.name)]
    if per_experiment:
        lines, heading = [], None
        for m in shown:
            if scored(m) != heading:
                heading = scored(m)
                lines.append(f"{INDENT}{heading}:")
            lines.append(INDENT * 2 + metric_line(m, a, b, said_above=True, stopped=stopped))
    else:
        lines = [INDENT + metric_line(m, a, b, stopped=stopped) for m in shown]
    equal = len(diff.metrics) - len(shown)
    if equal:
        lines.append(f"{INDENT}{equal} other metric{'s' if equal != 1 else ''} equal")
    return lines or [f"{INDENT}(no metrics recorded)"]


# ---------------------------------------------------------------- the divergence
COUNTED_FACTS = ("rows", "cols", "nulls")
FACT_WORDS = {"rows": "rows", "cols": "columns", "nulls": "missing values", "kind": "type",
              "input_file": "input file sha256", "model_state": "fitted model state sha256", "params": "parameters",
              "code": "code"}


def fact_change(c: FactChange, a: str = "A", b: str = "B", source: str = "its input") -> str:
    """`source`: what the step read ("`df`"), whose columns a step's output added or left out (the kernel measures
    them against the step's input): "columns removed [y] → [x2, y]" did not say whose, nor that each list is a side's."""
    if c.fact in ("columns_added", "columns_removed"):
        what = f"columns added to {source}" if c.fact == "columns_added" else f"columns of {source} left out"
        return f"{what}: {value(c.a) if c.a else 'none'} in {a}, {value(c.b) if c.b else 'none'} in {b}"
    if c.fact == "dtypes":
        return f"type changes {value(c.a)} {ARROW} {value(c.b)}"
    if c.fact == "fingerprint":
        return "values differ (fingerprint)"
    if c.fact in ("input_file", "model_state"):
        return f"{FACT_WORDS[c.fact]} {str(c.a)[:12]} {ARROW} {str(c.b)[:12]}"
    if c.fact in COUNTED_FACTS:  # as the tree says them: "2,083 → 2,038", not "2083 → 2038"
        return f"{FACT_WORDS[c.fact]} {c.a:,} {ARROW} {c.b:,}"
    return f"{FACT_WORDS.get(c.fact, c.fact)} {change(c.a, c.b)}"


Derivations = Mapping[int, Mapping[str, Sequence[str]]]  # seq -> that execution's derivations, of one side


def measured_differences(differences: list[FactChange], a: str, b: str, source: str) -> str:
    """Each difference once, and, when the step's variables differ in different ways, whose: a split's "rows 800 → 700;
    values differ (fingerprint); rows 200 → 300" did not say which parts had 800 and which 200 rows."""
    said: dict[str, list[str]] = {}  # a difference in words -> the variables it was measured on
    for c in differences:
        if c.fact != "code":
            variables = said.setdefault(fact_change(c, a, b, source), [])
            variables += [v for v in c.variables if v not in variables]
    if len({tuple(variables) for variables in said.values()}) < 2:
        return "; ".join(said)
    return "; ".join(f"{names(variables, count_total=False)}: {text}" if variables else text
                     for text, variables in said.items())


def divergence_label(d: Divergence, a: str, b: str, derivations: tuple[Derivations, Derivations] = ({}, {})) -> str:
    """`derivations`: each side's (step_label); a side's seqs are its notebook's."""
    if d.kind in ("only_a", "only_b"):
        ref, side = (d.a, derivations[0]) if d.kind == "only_a" else (d.b, derivations[1])
        said = step_label(ref, side.get(ref.seq, {}))  # type: ignore[union-attr]
        stopped = d.cause.stopped_at_cell_index
        if stopped is not None:  # the other run stopped at an error before it: not a step it left out
            other = b if d.kind == "only_a" else a
            return f"a step {other} did not reach (it stopped at the error in cell {stopped + 1}): {said}"
        return f"a step ran only in {a if d.kind == 'only_a' else b}: {said}"
    ref, side = (d.b, derivations[1]) if d.b is not None else (d.a, derivations[0])
    source = code(ref.step.inputs[0]) if ref.step is not None and ref.step.inputs else "its input"  # type: ignore
    what = measured_differences(d.differences, a, b, source)
    if d.kind == "decision":
        what = "no measured data to compare; its code or parameters differ"
    elif d.kind == "model":
        what = f"the fitted model differs ({what})"
    return f"{step_label(ref, side.get(ref.seq, {}))}: {what}"  # type: ignore[union-attr]


def feature_change_line(path: str, kind: str, before: Any, after: Any) -> str:
    if split_path(path)[-1] == "args" and isinstance(before or [], list) and isinstance(after or [], list):
        return _positional_change(path, before or [], after or [])
    if kind == "added":
        return f"{path}: (unset) {ARROW} {value(after)}"
    if kind == "removed":
        return f"{path}: {value(before)} {ARROW} (removed)"
    return f"{path}: {change(before, after)}"


def _positional_change(path: str, before: list, after: list) -> str:
    """A constructor's positional arguments whose parameters are not known (experiments/positional_params.py), each
    by its place: "model.params.args: [5] → [9]" read as a list the user wrote."""
    unset = object()
    said = []
    for index in range(max(len(before), len(after))):
        a = before[index] if index < len(before) else unset
        b = after[index] if index < len(after) else unset
        if a is unset or b is unset or a != b:
            change_ = (f"(unset) {ARROW} {value(b)}" if a is unset else f"{value(a)} {ARROW} (removed)"
                       if b is unset else change(a, b))
            said.append(f"{path}[{index}] ({ordinal(index + 1)} positional argument): {change_}")
    return "; ".join(said)


def _cell(cause: Cause) -> str:
    return f"cell {cause.cell_index + 1}" if cause.cell_index is not None else "a cell"


def data_change_line(c: DataChange) -> str:
    revision = f"{c.a or '(none)'} {ARROW} {c.b or '(none)'}"
    sha = f" (sha256 {(c.sha256_a or '-')[:12]} {ARROW} {(c.sha256_b or '-')[:12]})"
    return f"{c.dataset_id}: {revision}{sha}"


def value_change_line(c: ValueChange) -> str:
    return f"{c.name}: {change(c.a, c.b)}"


def seed_change_line(c: ValueChange, a: str, b: str) -> str:
    """A seed one side set and the other did not is said so: "(none) → 1" read as the other side unseeded."""
    if c.a is None or c.b is None:
        return f"{c.name}: set only in {b if c.a is None else a} ({value(c.b if c.a is None else c.a)})"
    return value_change_line(c)


def cause_label(cause: Cause, a: str, b: str) -> str:
    kind = cause.kind
    if kind == "feature":
        # the decision itself (a strategy, a threshold, a parameter) before the statement's text that carries it
        named = [c for c in cause.feature_changes if split_path(c.path)[-1] not in RESTATED] or cause.feature_changes
        decisions = "; ".join(feature_change_line(c.path, c.change, c.before, c.after) for c in named[:3])
        more = len(named) - 3
        return f"a decision changed in {_cell(cause)}: {decisions}" + (f" (and {more} more)" if more > 0 else "")
    if kind == "code":
        return f"the code of {_cell(cause)} changed (no recorded decision names it)"
    if kind in ("cell_only_a", "cell_only_b") and cause.stopped_at_cell_index is not None:
        # "cell 30 ran only in run 2" read as a cell added; run 1 had stopped at an error before it
        return (f"{b if kind == 'cell_only_a' else a} stopped at the error in cell {cause.stopped_at_cell_index + 1} "
                f"before reaching {_cell(cause)}")
    if kind == "cell_only_a":
        return f"{_cell(cause)} ran only in {a}"
    if kind == "cell_only_b":
        return f"{_cell(cause)} ran only in {b}"
    if kind == "data":
        if not cause.data:
            return f"the data {_cell(cause)} read changed (same code; its file is not recorded, e.g. a computed path)"
        return "the input data changed: " + "; ".join(data_change_line(c) for c in cause.data)
    if kind == "seed":
        seeds = "; ".join(seed_change_line(c, a, b) for c in cause.seeds)
        if cause.cell_index is not None:
            return f"a different seed in {_cell(cause)}" + (f": {seeds}" if seeds else "")
        return f"a different seed: {seeds}"
    if kind == "package":
        return "package versions differ: " + "; ".join(value_change_line(c) for c in cause.packages[:5])
    if kind == "environment":
        return "the environment differs: " + "; ".join(value_change_line(c) for c in cause.environment[:5])
    return ("nothing recorded differs (same code, inputs, seeds and packages): state from outside the slice, an "
            "unseeded random generator or a file no load step names")


def model_note(diff: ExperimentDiff) -> Optional[str]:
    """A side whose model was fitted before its training data was written again (heart-disease: the split re-run with
    test_size 0.3, the 0.2 split's model scored on the new test rows): "cause: split.test_size 0.2 → 0.3" alone read
    as the effect of test_size on a model trained with it, while that side's metric is an older model's."""
    stale = [side for side in (diff.a, diff.b) if side.model_fitted_before is not None]
    if not stale:
        return None
    said = "; ".join(f"{side.ref}'s model was {fitted_before(side.model_fitted_before)}"  # type: ignore[arg-type]
                     for side in stale)
    scored = " and ".join(side.ref for side in stale)
    if diff.divergence is None:
        return f"{said}. {scored} scored a model fitted before its data was written again"
    return (f"{said}. The metrics did not move with the change alone: {scored} scored the model fitted before it, "
            f"not one refitted after it")


def diff_block(text: Optional[str], indent: str) -> list[str]:
    lines = (text or "").splitlines()
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... ({len(lines) - MAX_DIFF_LINES} more lines)"]
    return [indent + line for line in lines]


# ---------------------------------------------------------------- the full lists
def feature_tree_lines(tree: dict[str, Any], depth: int = 1) -> list[str]:
    lines: list[str] = []
    for key, node in tree.items():
        if isinstance(node, dict) and "change" in node and set(node) == {"change", "a", "b"}:
            lines.append(INDENT * depth + feature_change_line(key, node["change"], node["a"], node["b"]))
        else:
            lines.append(INDENT * depth + key)
            lines.extend(feature_tree_lines(node, depth + 1))
    return lines


def code_change_lines(c: CellCodeChange, a: str, b: str, shown_above: bool = False,
                      stopped_a: Optional[int] = None, stopped_b: Optional[int] = None) -> list[str]:
    """A cell's code change; `shown_above`: the same diff was printed as the divergence's cause, so it is named, not
    printed again (the Experiments panel does the same: compareModel.ts); `stopped_*`: the cell whose error ended
    that side's run (a cell after it was not reached, not left out)."""
    index = c.cell_index_b if c.cell_index_b is not None else c.cell_index_a
    head = f"{INDENT}cell {index + 1 if index is not None else '?'} ({c.cell_id})"
    if shown_above:
        return [f"{head}: shown above, the change that explains it"]
    stopped = {"only_a": (b, stopped_b), "only_b": (a, stopped_a)}.get(c.change)
    if stopped is not None and stopped[1] is not None and index is not None and stopped[1] < index:
        head += f": not reached in {stopped[0]} (it stopped at the error in cell {stopped[1] + 1})"
    elif c.change == "only_a":
        head += f": ran only in {a}"
    elif c.change == "only_b":
        head += f": ran only in {b}"
    return [head] + diff_block(c.diff, INDENT * 2)


# ---------------------------------------------------------------- the whole diff
def label_diff(diff: ExperimentDiff, derivations: tuple[Derivations, Derivations] = ({}, {})) -> ExperimentDiff:
    """Fill the rendered fields and `text`. `derivations`: each side's, for the steps' words."""
    a, b = side_name(diff.a), side_name(diff.b)
    d = diff.divergence
    if d is not None:
        for ref, side in ((d.a, derivations[0]), (d.b, derivations[1])):
            if ref is not None:
                ref.label = step_label(ref, side.get(ref.seq, {}))
        d.label = divergence_label(d, a, b, derivations)
        d.cause.label = cause_label(d.cause, a, b)
    diff.model_note = model_note(diff)
    diff.text = "\n".join(diff_lines(diff))
    return diff


def _header(diff: ExperimentDiff) -> str:
    a, b = diff.a, diff.b
    def describe(side: DiffSide) -> str:
        at = f"#{side.seq} " if side.seq is not None else ""
        failed = ", failed" if side.status == "failed" else ""
        return side.ref if side.kind == "run" and not failed else f"{side.ref} ({at}run {side.session}{failed})"
    notebook = a.notebook_uri.rsplit("/", 1)[-1]
    other = b.notebook_uri.rsplit("/", 1)[-1]
    where_ = notebook if notebook == other else f"{notebook} {ARROW} {other}"
    return f"{describe(a)} {ARROW} {describe(b)}  [{where_}]"


def diff_lines(diff: ExperimentDiff) -> list[str]:
    a, b = side_name(diff.a), side_name(diff.b)
    lines = [_header(diff), "metrics:"]
    lines += metric_lines(diff)
    d = diff.divergence
    explained: Optional[tuple[Optional[str], str]] = None  # the cause's cell and diff, when printed under "cause:"
    if d is None:
        basis = "measured data" if diff.measured else "code and recorded files (no runtime facts)"
        lines.append(f"first divergent step: none; {diff.steps_compared} steps agree on {basis}")
    else:
        basis = "" if diff.measured else " (compared on code: no runtime facts on both sides)"
        lines.append(f"first divergent step{basis}, after {d.matched_before} that agree:")
        lines.append(INDENT + (d.label or ""))
        lines.append(f"{INDENT}cause: {d.cause.label}")
        if d.cause.diff and d.cause.kind in ("feature", "code", "seed", "cell_only_a", "cell_only_b"):
            lines += diff_block(d.cause.diff, INDENT * 2)
            explained = (d.cause.cell_id, d.cause.diff)
    if diff.model_note:
        lines.append(f"{INDENT}also: {diff.model_note}")
    lines.append(f"features changed ({a} {ARROW} {b}):" if diff.feature_tree else "features changed: none")
    lines += feature_tree_lines(diff.feature_tree)
    if diff.features_not_reached:
        stopped = [f"{side_name(side)} stopped at the error in cell {side.stopped_at_cell_index + 1}"
                   for side in (diff.a, diff.b) if side.stopped_at_cell_index is not None]
        paths = [c.path for c in diff.features_not_reached]
        shown = ", ".join(paths[:6]) + (f" and {len(paths) - 6} more" if len(paths) > 6 else "")
        lines.append(f"features of cells not reached ({'; '.join(stopped)}), not compared: {shown}")
    lines.append("code changed:" if diff.code_changes else "code changed: none")
    for c in diff.code_changes:
        lines += code_change_lines(c, a, b, shown_above=(c.cell_id, c.diff) == explained,
                                   stopped_a=diff.a.stopped_at_cell_index, stopped_b=diff.b.stopped_at_cell_index)
    lines.append("data revisions:" if diff.data_changes else "data revisions: the same")
    lines += [INDENT + data_change_line(c) for c in diff.data_changes]
    lines.append("seeds:" if diff.seed_changes else "seeds: the same")
    lines += [INDENT + seed_change_line(c, a, b) for c in diff.seed_changes]
    lines.append("environment:" if diff.environment_changes else "environment: the same (or not stamped)")
    lines += [INDENT + value_change_line(c) for c in diff.environment_changes]
    lines.append("git:" if diff.git_changes else "git: the same (or not a repository)")
    lines += [INDENT + value_change_line(c) for c in diff.git_changes]
    return lines


__all__ = ["label_diff", "diff_lines", "step_label", "cause_label", "divergence_label", "metric_line"]
