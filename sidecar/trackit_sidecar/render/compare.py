"""A diff of two experiments in words: `trackit diff`, the editor's diff view and the answers that cite one.

`label_diff(diff)` fills the rendered fields (each step's, the divergence's and its cause's label, and `text`, the
whole diff as the CLI prints it). Each part is worded in its own module: a changed value (diff_values.py), a metric's
move (metric_moves.py), the divergent step and its cause (divergence.py). Pure."""

from __future__ import annotations

from typing import Any, Optional

from ..protocol import CellCodeChange, DiffSide, ExperimentDiff
from .diff_values import data_change_line, feature_change_line, number, seed_change_line, value_change_line
from .divergence import Derivations, cause_label, divergence_label, model_note, other_decisions, step_label
from .metric_moves import metric_line, scored
from .words import ARROW

INDENT = "  "
MAX_DIFF_LINES = 40


def side_name(side: DiffSide) -> str:
    return side.ref


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
    equal = [m for m in diff.metrics if m not in shown]
    if 0 < len(equal) <= 3:  # "1 other metric equal", "all 2 metrics equal" named none of them
        lines += [f"{INDENT}{m.name} equal: {number(m.a)} in both" for m in equal]
    elif equal and shown:
        lines.append(f"{INDENT}{len(equal)} other metrics equal")
    elif equal:
        lines.append(f"{INDENT}all {len(equal)} metrics equal")
    return lines or [f"{INDENT}(no metrics recorded)"]


def diff_block(text: Optional[str], indent: str) -> list[str]:
    lines = (text or "").splitlines()
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... ({len(lines) - MAX_DIFF_LINES} more lines)"]
    return [indent + line for line in lines]


LEAF_KEYS = {"change", "a", "b", "unset_means"}  # compare.changes.feature_tree's leaves


def feature_tree_lines(tree: dict[str, Any], depth: int = 1) -> list[str]:
    lines: list[str] = []
    for key, node in tree.items():
        if isinstance(node, dict) and "change" in node and {"change", "a", "b"} <= set(node) <= LEAF_KEYS:
            lines.append(INDENT * depth + feature_change_line(key, node["change"], node["a"], node["b"],
                                                              node.get("unset_means")))
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
    diff.other_decisions = other_decisions(diff)
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
    if diff.other_decisions:
        lines.append(f"{INDENT}also changed: {diff.other_decisions}")
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


__all__ = ["label_diff", "diff_lines"]
