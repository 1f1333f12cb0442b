"""The data lineage graph's words: each provenance node (lineage/provenance.py) as the editor draws it. Pure.

Steps say what they did and their measured effect (their rendered `Step.label`); variables say which run
left them and their shape; sources say the file (size, sha256 prefix, dataset revision) or that code built
them; marks say failed, stale and re-run runs in words.
"""

from __future__ import annotations

from typing import Optional

from ..lineage.code_names import call_derivations
from ..lineage.provenance import Node, Provenance
from ..protocol import ExecutionRecord, GraphEdge, GraphNode, ProvenanceGraph
from .effects import evaluation_of, metric_value_size
from .files import match_input_file, path_parts
from .sentences import describe_steps, recorded_step
from .tree import execution_label
from .words import code, human_size

MAX_CODE_LINES = 40  # a hover shows a cell's code; a huge cell is cut


def shape(e: ExecutionRecord, name: str) -> Optional[str]:
    """"52 rows × 5 columns" as the kernel measured `name` after `e`, when it did."""
    facts = next((f for f in e.runtime if f.variable == name and not f.displayed), None)
    if facts is None or facts.rows_after is None:
        return None
    evaluation = evaluation_of(e, name)
    if evaluation is not None:
        return "; ".join(metric_value_size(facts, evaluation.detail)) or None
    if facts.cols_after is None:
        return f"{facts.rows_after:,} rows"
    return f"{facts.rows_after:,} rows \u00d7 {facts.cols_after:,} columns"


def cut_code(text: Optional[str]) -> Optional[str]:
    if not text:
        return None
    lines = text.rstrip().split("\n")
    if len(lines) <= MAX_CODE_LINES:
        return "\n".join(lines)
    return "\n".join(lines[:MAX_CODE_LINES] + [f"# \u2026 {len(lines) - MAX_CODE_LINES} more lines"])


class Marks:
    """Which runs were failed, stale or re-runs, and how to say it."""

    def __init__(self, executions: list[ExecutionRecord]):
        self.runs_of: dict[tuple[int, str], list[int]] = {}
        for e in sorted(executions, key=lambda rec: rec.seq):
            self.runs_of.setdefault((e.session, e.cell_id), []).append(e.seq)

    def of(self, e: Optional[ExecutionRecord]) -> tuple[list[str], Optional[str]]:
        if e is None:
            return [], None
        marks: list[str] = []
        notes: list[str] = []
        if e.status == "error":
            marks.append("failed")
            name = e.error.name if e.error and e.error.name else "an error"
            notes.append(f"failed with {name}")
        elif e.status == "cancelled":
            marks.append("failed")
            notes.append("interrupted before it finished")
        stale = e.stale
        if stale == "edited":
            marks.append("stale")
            notes.append("its cell was edited since it ran")
        elif stale == "upstream":
            marks.append("stale")
            notes.append("it used a result whose cell was edited since")
        runs = self.runs_of.get((e.session, e.cell_id), [])
        if len(runs) > 1:
            marks.append("rerun")
            notes.append(f"run {runs.index(e.seq) + 1} of {len(runs)} of this cell in its session")
        return marks, ("; ".join(notes) if notes else None)


def files_of(e: ExecutionRecord, step) -> tuple:
    """The input file a load step read (as recorded with its run) and the path as the code wrote it."""
    found = step.input_file or match_input_file(step.detail, e.input_files)
    written = step.detail if step.detail and not step.detail.startswith(("load_", "fetch_")) else None
    return found, written


def called_functions_words(e: ExecutionRecord, name: str) -> Optional[str]:
    """`name` computed by calling functions the same cell defines, whose bodies hold steps (`Step.in_function`): those
    steps in the one renderer's words ("Defines `clean`, which filters rows of `d` on `x1` when called, and calls it on
    `df`"), not "`df` computed in code", which hid what the call did."""
    derivations = call_derivations(e)
    functions = set(derivations.get(name, []))
    body = [s for s in e.steps if s.in_function in functions]
    return "; ".join(describe_steps(body, e.runtime, e.input_files, derivations)) or None


def revision_text(sha256: Optional[str], revisions: dict[str, str]) -> Optional[str]:
    return revisions.get(sha256) if sha256 else None


def node_words(node: Node, marks: Marks, revisions: dict[str, str]) -> GraphNode:
    e = node.execution
    where = dict(seq=e.seq, cell_id=e.cell_id, cell_index=e.cell_index) if e is not None else {}
    flags, note = marks.of(e)
    if node.kind == "source" and node.step is not None:  # a file a load read
        f = node.file
        label = node.written_as or (path_parts(f.path)[-1] if f else "a file")
        parts = []
        if f is not None and f.size is not None:
            parts.append(human_size(f.size))
        if f is not None and f.sha256:
            parts.append(f"sha256 {f.sha256[:8]}")
        revision = revision_text(f.sha256 if f else None, revisions)
        if revision:
            parts.append(f"revision {revision}")
        extra = []
        if f is not None and f.error:
            extra.append(f.error)
        if f is not None and f.changed_since:
            extra.append("the file changed since an earlier run read it")
        if f is None:
            extra.append("not found when it ran")
        return GraphNode(id=node.key, kind="source", label=label, detail=" \u00b7 ".join(parts) or None,
                         note="; ".join(extra) or None, code=cut_code(node.step.code), op="load", **where)
    if node.kind == "step":
        step = node.step
        label = step.label or recorded_step(step, e)
        return GraphNode(id=node.key, kind="step", label=label,
                         detail=execution_label(e), note=note, code=cut_code(step.code or e.source), op=step.op,
                         marks=flags, variable=step.output, **where)
    if node.kind == "code":
        called = called_functions_words(e, node.name)
        if called:  # `df = clean(df)`, `clean`'s body holding the steps: said as the tree and hovers say it
            return GraphNode(id=node.key, kind="code", label=called, detail=execution_label(e), note=note,
                             code=cut_code(e.source), marks=flags, variable=node.name, **where)
        if node.built_in_code:
            return GraphNode(id=node.key, kind="source", label=f"{code(node.name)} built in code",
                             detail=execution_label(e), note=note, code=cut_code(e.source), marks=flags,
                             variable=node.name, **where)
        return GraphNode(id=node.key, kind="code", label=f"{code(node.name)} computed in code",
                         detail=execution_label(e), note=note, code=cut_code(e.source), marks=flags,
                         variable=node.name, **where)
    if node.kind == "run":
        first = e.step_lines[0] if e.step_lines else None
        return GraphNode(id=node.key, kind="run", label=execution_label(e), detail=first, note=note,
                         code=cut_code(e.source), marks=flags, **where)
    if node.unknown:
        return GraphNode(id=node.key, kind="variable", label=code(node.name),
                         detail="not produced in this run", marks=["unknown"], variable=node.name)
    measured = shape(e, node.name)
    detail = f"after {execution_label(e)}" + (f" \u00b7 {measured}" if measured else "")
    return GraphNode(id=node.key, kind="variable", label=code(node.name), detail=detail, note=note,
                     code=cut_code(e.source), marks=flags, variable=node.name, **where)


def graph_words(found: Provenance, scope: list[ExecutionRecord], revisions: dict[str, str]) -> tuple[
        list[GraphNode], list[GraphEdge]]:
    """`revisions`: file sha256 -> "D0002 of titanic/passengers.csv"."""
    marks = Marks(scope)
    nodes = [node_words(node, marks, revisions) for node in found.nodes.values()]
    edges = [GraphEdge(source=a, target=b) for a, b in found.edges]
    return nodes, edges


def empty_message(variable: Optional[str], scope_words: str) -> str:
    if variable is None:
        return f"Nothing to show: no variable was written {scope_words}."
    return f"{code(variable)} was not written {scope_words}."


def scope_words(session: Optional[int], experiment_id: Optional[str]) -> str:
    if experiment_id:
        return f"in experiment {experiment_id}"
    if session is not None:
        return "in this run"
    return "in any recorded run"


def truncated_message(limit: int) -> str:
    return f"The graph was cut at {limit:,} nodes; pick a variable closer to its sources to see the rest."


def revision_label(revision_id: str, dataset_id: str) -> str:
    return f"{revision_id} of {dataset_id}"


def fill(graph: ProvenanceGraph, found: Provenance, scope: list[ExecutionRecord], revisions: dict[str, str],
         limit: int) -> ProvenanceGraph:
    graph.nodes, graph.edges = graph_words(found, scope, revisions)
    graph.target = found.target
    graph.truncated = found.truncated
    if found.target is None:
        graph.message = empty_message(graph.variable, scope_words(graph.session, graph.experiment_id))
    elif found.truncated:
        graph.message = truncated_message(limit)
    return graph
