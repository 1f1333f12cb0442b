"""Gather: the minimal code that recomputes a variable (or one execution's result) as it was recorded. Pure.

Input: a lineage document (sessions, executions in actual order, each with the source that ran). The slice
is taken over the executed history of ONE session (a restart empties the namespace), statement by
statement, in execution order:

1. A forward pass over every statement that ran in the session up to the target keeps, per name, the
   statement that last wrote it (reaching definitions). A statement depends on the last writer of every
   name it reads, plus `rng:<family>` / `file:<path>` pseudo-names (`reproduce.effects`), plus, for every
   function or class it uses, what that function's body reads and writes at the time of the call.
2. The target is the last writer of the variable after the target execution (or every statement of the
   target execution). Statements that change state no def-use sees (`np.random.seed`) are roots too when
   they ran before the target. Everything reachable from the roots is kept.
3. Kept statements are grouped by the execution they ran in; each execution becomes one gathered cell with
   its origin (cell id, version, seq). Imports keep only the names used; display statements nested in a
   kept loop are dropped. A cell edited or deleted since says so in a comment.

A failed or interrupted execution ran the statements before the one that raised: its traceback names that
line (`Cell In[5], line 3`), so those statements count as run and the rest do not. When the traceback does not
say, none of its statements is gathered, and when a kept statement reads a name it may have changed, the result
says so.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Iterable, Optional

from ..lineage.kb import BUILTIN_NAMES
from ..protocol import ExecutionRecord, LineageDocument
from . import effects as fx
from .cells import GatheredCell, failed_line, gathered_cells
from .statements import CellStatements, Unit, split_cell

EXPERIMENT_ID = re.compile(r"^E\d{4,}$")


class GatherError(ValueError):
    """The target cannot be gathered; the message says why in one line."""


@dataclass(frozen=True)
class Target:
    """What to gather: a variable's value after execution `seq` (default: its last successful writer), or,
    with `variable` None, everything execution `seq` computed (an experiment's metric cell)."""

    variable: Optional[str] = None
    seq: Optional[int] = None
    label: Optional[str] = None  # how to name the target in the result ("E0003 accuracy")


@dataclass
class GatherResult:
    notebook: str
    notebook_uri: str
    target: str  # "`model` after run #12"
    target_variable: Optional[str]
    target_seq: int
    session: int
    cells: list[GatheredCell]
    notes: list[str] = field(default_factory=list)
    environment: list[str] = field(default_factory=list)  # package installs seen (`!pip install ...`)
    statements_in_session: int = 0
    executions_in_session: int = 0  # successful executions up to the target
    cells_in_session: int = 0  # distinct cells among them

    @property
    def statements(self) -> int:
        return sum(cell.statements for cell in self.cells)


# ---------------------------------------------------------------- the pass
@dataclass
class _Node:
    order: int
    execution: ExecutionRecord
    unit: Unit
    effect: fx.Effect
    reads: set[str]
    writes: set[str]
    deps: dict[int, set[str]] = field(default_factory=dict)  # order of the writer -> names read from it
    context: Optional[fx.Context] = None  # kept for compound statements (their nested display is pruned)


def gather(doc: LineageDocument, target: Target, current_cells: Optional[dict[str, str]] = None) -> GatherResult:
    """The gathered cells for `target` (see module docstring). Raises GatherError with the reason."""
    target_exec = _target_execution(doc, target)
    session = target_exec.session
    history = sorted((e for e in doc.executions if e.session == session and e.seq <= target_exec.seq),
                     key=lambda e: e.seq)
    notes: list[str] = []
    environment: list[str] = []
    nodes: list[_Node] = []
    last_writer: dict[str, int] = {}
    failed_writer: dict[str, ExecutionRecord] = {}
    opaque: list[int] = []
    context = fx.Context()
    unresolved: dict[str, int] = {}
    split_cache: dict[str, CellStatements] = {}
    for execution in history:
        cell = split_cache.get(execution.source_sha256) or split_cell(execution.source)
        split_cache[execution.source_sha256] = cell
        units = cell.units
        if execution.status != "ok":
            line = failed_line(execution)
            ran = [u for u in units if line is not None and u.last_line < line]
            for unit in units[len(ran):]:
                for name in unit.writes:
                    failed_writer[name] = execution
            if not ran:
                continue
            units = ran
        if cell.error:
            if cell.writefile:
                _writefile_node(nodes, execution, cell, last_writer)
            elif execution.seq != target_exec.seq:
                notes.append(f"left out cell {execution.cell_index + 1} (run #{execution.seq}): {cell.error}")
            continue
        loads = _load_keys(execution)
        for unit in units:
            effect = fx.classify(unit, context)
            if effect.environment:
                environment.append(effect.environment)
            reads = set(unit.reads) | effect.reads
            reads |= {key for line, key in loads if unit.first_line <= line <= unit.last_line}
            reads |= {fx.file_key(path.split(".")[0] + ".py") for path in unit.imports.values()
                      if not path.startswith(".")}
            writes = set(unit.writes) | effect.writes
            called = _called_definitions(reads, context)
            for definition in called:
                reads |= definition.call_reads
                writes |= definition.call_writes
            node = _Node(len(nodes), execution, unit, effect, reads, writes)
            if isinstance(unit.node, (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith, ast.Try)):
                node.context = fx.Context(dict(context.aliases), dict(context.defs), set(context.generators),
                                          dict(context.instances))
            for name in reads:
                writer = last_writer.get(name)
                if writer is not None:
                    node.deps.setdefault(writer, set()).add(name)
                    failed = failed_writer.get(name)
                    if failed is not None and failed.seq > nodes[writer].execution.seq:
                        notes.append(f"run #{failed.seq} (cell {failed.cell_index + 1}) failed after it may have "
                                     f"changed `{name}`; its partial effect is not replayed")
                        failed_writer.pop(name, None)
                elif not fx.is_pseudo(name) and name not in BUILTIN_NAMES:
                    for source in opaque:
                        node.deps.setdefault(source, set()).add(name)
                    failed = failed_writer.get(name)
                    if failed is not None:
                        notes.append(f"`{name}` was only defined by run #{failed.seq} (cell {failed.cell_index + 1}), "
                                     "which failed; its traceback does not say which statements ran, so it is "
                                     "not replayed")
                    else:
                        unresolved.setdefault(name, node.order)
            nodes.append(node)
            for name in writes:
                last_writer[name] = node.order
            if effect.opaque:
                opaque.append(node.order)
            _update_context(context, unit)

    roots = _roots(nodes, target, target_exec, last_writer)
    keep_before = max(roots)
    roots |= {n.order for n in nodes if n.effect.keep and n.order < keep_before}
    kept = _closure(nodes, roots)
    needed_unresolved = sorted(name for name, order in unresolved.items() if order in kept)
    if needed_unresolved:
        shown = ", ".join(f"`{n}`" for n in needed_unresolved[:8])
        notes.append(f"{shown} {'is' if len(needed_unresolved) == 1 else 'are'} read but no execution of session "
                     f"{session} defined {'it' if len(needed_unresolved) == 1 else 'them'} "
                     "(a startup file, `%run`, or a star import may have)")
    cells = gathered_cells(doc, nodes, kept, current_cells, target_exec.seq if target.variable is None else None)
    if current_cells is not None and cells and all(c.origin.state == "deleted" for c in cells) and not any(
            e.cell_id in current_cells for e in history):
        for c in cells:  # no recorded cell id is in the file at all: a different notebook or unmatched ids
            c.origin.state = "unknown"
        notes.append("the notebook file's cell ids match none of the recorded cells: edits and deletions "
                     "are not marked")
    ok_history = [e for e in history if e.status == "ok"]
    label = target.label or (f"`{target.variable}` after run #{target_exec.seq}" if target.variable
                             else f"run #{target_exec.seq} (cell {target_exec.cell_index + 1})")
    return GatherResult(
        notebook=doc.notebook, notebook_uri=doc.notebook_uri, target=label, target_variable=target.variable,
        target_seq=target_exec.seq, session=session, cells=cells, notes=_unique(notes),
        environment=_unique(environment), statements_in_session=len(nodes),
        executions_in_session=len(ok_history), cells_in_session=len({e.cell_id for e in ok_history}),
    )


def _target_execution(doc: LineageDocument, target: Target) -> ExecutionRecord:
    executions = sorted(doc.executions, key=lambda e: e.seq)
    if not executions:
        raise GatherError(f"no executions recorded for {doc.notebook}")
    if target.seq is not None:
        found = next((e for e in executions if e.seq == target.seq), None)
        if found is None:
            raise GatherError(f"no run #{target.seq} recorded for {doc.notebook} (runs #1–#{executions[-1].seq})")
        if found.status != "ok" and not (target.variable and _written_before_failure(found, target.variable)):
            raise GatherError(f"run #{found.seq} (cell {found.cell_index + 1}) ended with {found.status}"
                              f"{': ' + found.error.name if found.error and found.error.name else ''}; "
                              "there is no recorded result to gather")
        if target.variable and target.variable not in found.writes and not _written_before(executions, found,
                                                                                           target.variable):
            raise GatherError(f"`{target.variable}` was not defined by run #{found.seq} or before it in its session")
        return found
    if not target.variable:
        raise GatherError("nothing to gather: name a variable or a run")
    if not target.variable.isidentifier():
        raise GatherError(f"{target.variable!r} is not a variable name")
    writers = [e for e in executions if target.variable in e.writes]
    ok = [e for e in writers if e.status == "ok" or _written_before_failure(e, target.variable)]
    if not ok:
        if writers:
            last = writers[-1]
            raise GatherError(f"`{target.variable}` was only written by runs that failed (last: run #{last.seq}, "
                              f"cell {last.cell_index + 1}, {last.status}); there is no result to gather")
        known = sorted({name for e in executions if e.status == "ok" for name in e.writes if name not in e.code_names})
        hint = f" (recorded variables include: {', '.join(known[:12])}{'…' if len(known) > 12 else ''})" if known else ""
        raise GatherError(f"no recorded execution of {doc.notebook} wrote `{target.variable}`{hint}")
    return ok[-1]


def _written_before_failure(execution: ExecutionRecord, name: str) -> bool:
    line = failed_line(execution) if execution.status != "ok" else None
    return line is not None and any(name in unit.writes for unit in split_cell(execution.source).units
                                    if unit.last_line < line)


def _written_before(executions: list[ExecutionRecord], at: ExecutionRecord, name: str) -> bool:
    return any(e.session == at.session and e.seq < at.seq and e.status == "ok" and name in e.writes
               for e in executions)


def _roots(nodes: list[_Node], target: Target, target_exec: ExecutionRecord, last_writer: dict[str, int]) -> set[int]:
    if target.variable is None:
        own = {n.order for n in nodes if n.execution.seq == target_exec.seq and not (n.unit.magic and n.effect.display)}
        if not own:
            raise GatherError(f"run #{target_exec.seq} (cell {target_exec.cell_index + 1}) has no Python statements")
        return own
    writer = last_writer.get(target.variable)
    if writer is None:
        raise GatherError(f"`{target.variable}` is written by run #{target_exec.seq}, but by no statement TrackIT "
                          "can replay (a magic or a failed analysis)")
    return {writer}


def _closure(nodes: list[_Node], roots: set[int]) -> set[int]:
    kept: set[int] = set()
    stack = list(roots)
    while stack:
        order = stack.pop()
        if order in kept:
            continue
        kept.add(order)
        stack.extend(nodes[order].deps)
    return kept


def _called_definitions(reads: set[str], context: fx.Context) -> list[Unit]:
    """Definitions a statement may call: every function or class it names, and, transitively, the ones they
    name in their bodies (resolved NOW: what a body reads is read at the call)."""
    found: list[Unit] = []
    seen: set[str] = set()
    stack = [name for name in reads if name in context.defs]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        definition = context.defs.get(name)
        if definition is None:
            continue
        found.append(definition)
        stack.extend(n for n in definition.call_reads if n in context.defs)
    return found


def _update_context(context: fx.Context, unit: Unit) -> None:
    context.aliases.update(unit.imports)
    node = unit.node
    is_definition = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) or (
        isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda))
    generator = any(call.bound_from and context.resolve(call.callee) in fx.GENERATORS
                    for call in unit.calls)
    made = next((call.callee for call in unit.calls if call.bound_from and call.callee), None)
    instance_of = context.defs.get(made or "")
    if instance_of is not None and not isinstance(instance_of.node, ast.ClassDef):
        instance_of = None
    for name in unit.binds:
        if name not in unit.imports:
            context.aliases.pop(name, None)
        if is_definition:
            context.defs[name] = unit
        else:
            context.defs.pop(name, None)
        if generator:
            context.generators.add(name)
        else:
            context.generators.discard(name)
        if instance_of is not None:
            context.instances[name] = instance_of  # regressor = LogisticRegression(), the class defined above
        else:
            context.instances.pop(name, None)


def _load_keys(execution: ExecutionRecord) -> list[tuple[int, str]]:
    return [(step.line, fx.file_key(step.detail)) for step in execution.steps
            if step.op == "load" and step.detail and step.line is not None]


def _writefile_node(nodes: list[_Node], execution: ExecutionRecord, cell: CellStatements,
                    last_writer: dict[str, int]) -> None:
    """A `%%writefile helper.py` cell: kept (whole) when a kept statement imports or loads that file."""
    unit = Unit(0, 1, len(execution.source.splitlines()) or 1, execution.source.rstrip(), ast.Pass(),
                magic=f"%%writefile {cell.writefile}")
    key = fx.file_key(cell.writefile or "")
    node = _Node(len(nodes), execution, unit, fx.Effect(), set(), {key})
    nodes.append(node)
    last_writer[key] = node.order


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
