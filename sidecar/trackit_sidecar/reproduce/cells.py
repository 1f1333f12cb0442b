"""How kept statements become gathered cells: one cell per execution, in execution order, each starting with a
comment saying where it came from and carrying its origin; imports keep only the names used; print / plot
statements nested in a kept loop are dropped. Pure.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import Optional

from ..protocol import ExecutionRecord, LineageDocument, source_sha256
from . import effects as fx
from .statements import Unit, split_cell


@dataclass
class Origin:
    cell_id: str
    cell_index: int
    seq: int
    session: int
    execution_count: Optional[int]
    source_sha256: str
    version: int  # 1-based among the distinct sources this cell ran with, in order of first run
    versions: int
    state: str  # "current" | "edited" | "deleted" | "unknown" (notebook file not available or not matched)
    failed_at: Optional[int] = None  # the run failed at this line of the cell; only the statements above it ran


@dataclass
class GatheredCell:
    source: str
    origin: Origin
    compare: list[str]  # variables whose end-of-cell value the replay must reproduce
    statements: int
    outputs: bool = False  # the whole target run was gathered: the replay must print what the recording printed


_TRACEBACK_LINE = re.compile(r"Cell In\[\d*\], line (\d+)|<ipython-input-[^>]*> in <module>[^\n]*\n(?:.*\n)*?-*> *(\d+)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def failed_line(execution: ExecutionRecord) -> Optional[int]:
    """The line of the cell a failed run raised at, from its traceback (IPython names the cell's frame first)."""
    for output in execution.outputs:
        if output.output_type != "error" or not output.text:
            continue
        try:
            text = json.loads(output.text).get("stack") or ""  # the editor's error mime: {name, message, stack}
        except (ValueError, AttributeError):
            text = output.text
        found = _TRACEBACK_LINE.search(_ANSI.sub("", str(text)))
        if found:
            return int(found.group(1) or found.group(2))
    return None


def gathered_cells(doc: LineageDocument, nodes: list, kept: set[int],
                   current_cells: Optional[dict[str, str]], whole_run: Optional[int] = None) -> list[GatheredCell]:
    """One cell per execution with kept statements (`nodes`: gather's statements in execution order, each with
    .order, .execution, .unit, .writes, .deps and, for compound statements, .context)."""
    versions = _versions(doc.executions)
    by_execution: dict[int, list] = {}
    every: dict[int, list] = {}
    for node in nodes:
        every.setdefault(node.execution.seq, []).append(node)
        if node.order in kept:
            by_execution.setdefault(node.execution.seq, []).append(node)
    used_by_kept: dict[int, set[str]] = {}
    for order in kept:
        for writer, names in nodes[order].deps.items():
            used_by_kept.setdefault(writer, set()).update(names)
    cells: list[GatheredCell] = []
    for seq in sorted(by_execution):
        chosen = sorted(by_execution[seq], key=lambda n: n.unit.position)
        execution = chosen[0].execution
        shas = versions.get(execution.cell_id, [execution.source_sha256])
        origin = Origin(
            cell_id=execution.cell_id, cell_index=execution.cell_index, seq=seq, session=execution.session,
            execution_count=execution.execution_count, source_sha256=execution.source_sha256,
            version=shas.index(execution.source_sha256) + 1 if execution.source_sha256 in shas else 1,
            versions=len(shas), state=_state(execution, current_cells),
            failed_at=failed_line(execution) if execution.status != "ok" else None,
        )
        texts = [_statement_text(node, used_by_kept.get(node.order)) for node in chosen]
        body = "\n".join(t for t in texts if t)
        cells.append(GatheredCell(
            source=_origin_comment(origin) + "\n" + body,
            origin=origin,
            compare=_compare(every[seq], kept),
            outputs=seq == whole_run and all(node.order in kept for node in every[seq]),
            statements=len(chosen),
        ))
    return cells


def _versions(executions: list[ExecutionRecord]) -> dict[str, list[str]]:
    versions: dict[str, list[str]] = {}
    for execution in sorted(executions, key=lambda e: e.seq):
        shas = versions.setdefault(execution.cell_id, [])
        if execution.source_sha256 not in shas:
            shas.append(execution.source_sha256)
    return versions


def _state(execution: ExecutionRecord, current_cells: Optional[dict[str, str]]) -> str:
    if current_cells is None:
        return "unknown"
    current = current_cells.get(execution.cell_id)
    if current is None:
        return "deleted"
    return "current" if source_sha256(current) == execution.source_sha256 else "edited"


def _origin_comment(origin: Origin) -> str:
    where = f"# from cell {origin.cell_index + 1}, run #{origin.seq}"
    if origin.versions > 1:
        where += f" (version {origin.version} of {origin.versions})"
    if origin.failed_at is not None:
        where += f"; that run failed at line {origin.failed_at}: only the statements above it ran"
    if origin.state == "edited":
        where += "; this cell has been edited since: the code below is what ran"
    elif origin.state == "deleted":
        where += "; this cell has since been deleted from the notebook"
    return where


def _compare(cell_nodes: list, kept: set[int]) -> list[str]:
    """Variables whose final writer in this execution is a kept statement: the replay must reproduce them.
    Modules, functions and classes are no values to compare."""
    final: dict[str, int] = {}
    for node in cell_nodes:
        for name in node.writes:
            if not fx.is_pseudo(name):
                final[name] = node.order
        for name in node.unit.binds:
            if name in node.unit.imports or node.unit.call_reads or isinstance(node.unit.node, ast.ClassDef):
                final.pop(name, None)
    # and what the records call code: a `def` that reads no global, a module whose option the cell sets
    code = cell_nodes[0].execution.code_names if cell_nodes else {}
    return sorted(name for name, order in final.items() if order in kept and name not in code)


def _statement_text(node, used: Optional[set[str]]) -> str:
    unit = node.unit
    text = unit.text
    if isinstance(unit.node, (ast.Import, ast.ImportFrom)) and used is not None and unit.magic is None:
        text = _pruned_import(unit.node, used) or text
    elif node.context is not None and unit.magic is None:
        text = _without_nested_display(unit, node.context)
    if unit.comment:
        text = unit.comment + "\n" + text
    return text


def _pruned_import(stmt: ast.Import | ast.ImportFrom, used: set[str]) -> Optional[str]:
    """`from sklearn.metrics import accuracy_score, confusion_matrix` keeps only the names used."""
    names = [alias for alias in stmt.names
             if (alias.asname or (alias.name.split(".")[0] if isinstance(stmt, ast.Import) else alias.name)) in used]
    if not names or len(names) == len(stmt.names):
        return None
    clone = ast.ImportFrom(stmt.module, names, stmt.level) if isinstance(stmt, ast.ImportFrom) else ast.Import(names)
    return ast.unparse(clone)


def _without_nested_display(unit: Unit, context: fx.Context) -> str:
    """A kept loop or block without the print / plot statements nested in it (`pass` where a body empties)."""
    lines = unit.text.split("\n")
    offset = unit.first_line
    drop: set[int] = set()
    replace: dict[int, str] = {}

    def visit(body: list[ast.stmt]) -> None:
        removed = []
        for stmt in body:
            for child in _bodies(stmt):
                visit(child)
            if isinstance(stmt, ast.Expr) and _alone_on_lines(stmt, body) and _is_display(stmt, context):
                removed.append(stmt)
        if removed:
            for stmt in removed:
                drop.update(range(stmt.lineno - offset, (stmt.end_lineno or stmt.lineno) - offset + 1))
            if len(removed) == len(body):
                first = removed[0]
                index = first.lineno - offset
                if 0 <= index < len(lines):
                    replace[index] = " " * first.col_offset + "pass"
                    drop.discard(index)

    for child in _bodies(unit.node):
        visit(child)
    if not drop and not replace:
        return unit.text
    out = []
    for index, line in enumerate(lines):
        if index in replace:
            out.append(replace[index])
        elif index not in drop:
            out.append(line)
    return "\n".join(out)


def _bodies(stmt: ast.stmt) -> list[list[ast.stmt]]:
    if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While, ast.If)):
        return [b for b in (stmt.body, stmt.orelse) if b]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [stmt.body]
    if isinstance(stmt, ast.Try):
        return [b for b in [stmt.body, *[h.body for h in stmt.handlers], stmt.orelse, stmt.finalbody] if b]
    return []


def _alone_on_lines(stmt: ast.stmt, body: list[ast.stmt]) -> bool:
    first, last = stmt.lineno, stmt.end_lineno or stmt.lineno
    return not any(other is not stmt and other.lineno <= last and (other.end_lineno or other.lineno) >= first
                   for other in body)


def _is_display(stmt: ast.Expr, context: fx.Context) -> bool:
    text = ast.unparse(stmt)
    cell = split_cell(text)
    if cell.error or len(cell.units) != 1:
        return False
    unit = cell.units[0]
    return bool(fx.classify(unit, context).display)
