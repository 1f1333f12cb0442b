"""What each execution really did, read from the kernel's facts. Pure: records in, records settled in place.

Two rules (issue 8, items 2 and 3):

- A failed or cancelled execution carries only what it did. Its `applied_writes` are the names it wrote
  that the kernel saw change before it stopped ("partially applied"); [] when it changed nothing, or
  never started (cancelled with no execution count); None when the kernel was not asked or did not answer
  (`runtime_status` other than "captured", and no facts), so nothing is known. A step of such an execution keeps its facts only if its variable was applied. Names
  the kernel does not measure (not frames or arrays) count as written unless the traceback shows the run
  stopped before any statement that binds them (`unreached_names`).
- Every step is measured against that step's inputs in that run. A step that builds its variable from
  other names (`data2010 = final.query(...)`) starts from its input (`final`), also when the name already
  held something from an earlier run; one that reads or changes its own variable (`df = df[...]`,
  `df.dropna(inplace=True)`) starts from that variable's state before this run. The probe measures it so
  (`before_variable`); facts from older probes are corrected here from the input's own facts.

`ran`, `read_names` and `written_names` say what an execution read and wrote for lineage (graph.link_parents,
the views and the summary use them). `settle` runs after graph.attach_runtime and before graph.link_parents.
"""

from __future__ import annotations

import ast
import json
import re
from collections import defaultdict
from functools import lru_cache
from typing import Iterable, Optional

from ..model_copies import updated
from ..protocol import ExecutionRecord, RuntimeFacts, Step
from .kept_errors import body_offset
from .magics import strip_magics

_BEFORE_FIELDS = ("rows_before", "cols_before", "nulls_before")


def changed(fact: RuntimeFacts) -> bool:
    """Did the kernel see this variable change? Facts from older probes lack `changed`: then a new
    variable (no "before" at all) or a measured difference counts."""
    if fact.changed is not None:
        return fact.changed
    if all(getattr(fact, name) is None for name in _BEFORE_FIELDS):
        return True
    pairs = [(fact.rows_before, fact.rows_after), (fact.cols_before, fact.cols_after),
             (fact.nulls_before, fact.nulls_after)]
    if any(b is not None and a is not None and b != a for b, a in pairs):
        return True
    return bool(fact.added_columns or fact.removed_columns or fact.dtype_changes)


def ran(execution: ExecutionRecord) -> bool:
    """False for a cancelled execution that never started (the editor gave it no execution count)."""
    return not (execution.status == "cancelled" and execution.execution_count is None)


def read_names(execution: ExecutionRecord) -> list[str]:
    return list(execution.reads) if ran(execution) else []


def written_names(execution: ExecutionRecord) -> list[str]:
    """The names this execution really set: all of an ok run's writes; of a failed or cancelled run, the
    measured ones the kernel saw change and the unmeasured ones it may have reached (see above)."""
    if not ran(execution):
        return []
    if execution.status == "ok":
        return list(execution.writes)
    unreached = unreached_names(execution)
    measured = {f.variable for f in execution.runtime if f.variable} if execution.applied_writes is not None else set()
    applied = set(execution.applied_writes or [])
    return [name for name in execution.writes
            if name in applied or (name not in measured and name not in unreached)]


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_FRAME = re.compile(r"Cell In\[(\d+)\], line (\d+)")
_CHAINED = re.compile(r"During handling of the above exception|The above exception was the direct cause")


def failing_line(execution: ExecutionRecord) -> Optional[int]:
    """The line of the cell's own top-level statement that was running when it failed or was interrupted,
    read from IPython's traceback ("Cell In[4], line 2"); None when the outputs do not say."""
    offset = body_offset(execution.source)  # a `%%capture` body's traceback: its own top frame, its own lines
    for output in execution.outputs:
        if output.output_type != "error" or not output.text:
            continue
        try:
            stack = json.loads(output.text).get("stack") or ""
        except (ValueError, AttributeError):
            stack = output.text
        last = _CHAINED.split(_ANSI.sub("", stack))[-1]  # the exception that stopped the cell
        for count, line in _CELL_FRAME.findall(last):
            if offset is not None:
                return _body_line(execution.source, int(line) + offset)
            if execution.execution_count is None or int(count) == execution.execution_count:
                return int(line)
    return None


def _body_line(source: str, line: int) -> Optional[int]:
    """The cell's line a kept body stopped at; None when that line is a magic of its own (`%%time` inside the
    `%%capture`: the error is somewhere in its body, which the traceback numbers apart)."""
    lines = source.split("\n")
    if not 0 < line <= len(lines) or lines[line - 1].lstrip().startswith("%"):
        return None
    return line


def unreached_names(execution: ExecutionRecord) -> frozenset[str]:
    """Names a failed or interrupted run cannot have bound: every statement that binds them is the simple
    statement that failed or comes after it. Empty when the failing line is not known."""
    line = failing_line(execution) if execution.status != "ok" else None
    if line is None or execution.language != "python":
        return frozenset()
    return _bound_only_from(execution.source, line)


@lru_cache(maxsize=1024)
def _bound_only_from(source: str, line: int) -> frozenset[str]:
    try:
        statements = ast.parse(strip_magics(source)).body
    except (SyntaxError, ValueError):
        return frozenset()
    done: set[str] = set()
    later: set[str] = set()
    for statement in statements:
        end = statement.end_lineno or statement.lineno
        if end < line:
            done |= _bound(statement)
        elif statement.lineno > line or not isinstance(statement, _COMPOUND):
            later |= _bound(statement)  # the failing simple statement bound nothing: it never finished
        else:
            done |= _bound(statement)  # a loop or block that failed inside may have bound some: unknown
    return frozenset(later - done)


_COMPOUND = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith, ast.Try, ast.FunctionDef,
             ast.AsyncFunctionDef, ast.ClassDef)
if hasattr(ast, "TryStar"):
    _COMPOUND += (ast.TryStar,)


def _bound(statement: ast.stmt) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, (ast.Store, ast.Del)):
            root = node.value
            while isinstance(root, (ast.Subscript, ast.Attribute)):
                root = root.value
            if isinstance(root, ast.Name):
                names.add(root.id)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def applied_writes(execution: ExecutionRecord) -> Optional[list[str]]:
    """For a failed or cancelled execution: the names it wrote that the kernel saw change (see above)."""
    if execution.status == "ok":
        return None
    if not ran(execution):
        return []
    if not execution.runtime and execution.runtime_status != "captured":
        return None  # the kernel was not asked (or did not answer): nothing is known
    facts = {f.variable: f for f in execution.runtime if f.variable}
    return [name for name in execution.writes if name in facts and changed(facts[name])]


def settle(executions: Iterable[ExecutionRecord], before: Iterable[ExecutionRecord] = ()) -> None:
    """Set `applied_writes` and measure every step's facts against its own inputs, in place. `before`: settled
    executions of the same sessions that ran before these (appending to a settled document)."""
    sessions: dict[int, list[ExecutionRecord]] = defaultdict(list)
    for execution in executions:
        sessions[execution.session].append(execution)
    earlier: dict[int, set[str]] = defaultdict(set)
    for execution in before:
        if execution.session in sessions:
            earlier[execution.session].update(written_names(execution))
    for session, runs in sessions.items():
        written: set[str] = earlier[session]  # names some earlier execution of the session really wrote
        for execution in sorted(runs, key=lambda e: e.seq):
            execution.applied_writes = applied_writes(execution)
            facts = {f.variable: f for f in execution.runtime if f.variable}
            for step in execution.steps:
                if step.runtime is None:
                    continue
                if execution.applied_writes is not None and step.runtime.variable not in execution.applied_writes:
                    step.runtime = None  # the run stopped before this step's variable changed
                    continue
                step.runtime = against_inputs(step, execution.steps, facts, written)
            written.update(written_names(execution))


def against_inputs(step: Step, steps: list[Step], facts: dict[str, RuntimeFacts], written: set[str]) -> RuntimeFacts:
    """The step's facts with a "before" that is its input's state in this run (see the module docstring).

    `steps`: the execution's steps in code order (the first one writing the variable decides where the
    run started from); `facts`: the execution's facts by variable; `written`: names set earlier in the
    session."""
    fact = step.runtime
    assert fact is not None
    variable = fact.variable
    first = next((s for s in steps if s.output is not None and s.output == variable), None)
    if first is None or variable in first.inputs:
        return fact  # changed in place, or built from itself: its own previous state is the input
    if fact.before_variable is not None or variable not in written:
        return fact  # the probe measured it against what it was made from
    source = next((facts[name] for name in first.inputs if name in facts and facts[name].kind == fact.kind), None)
    cleared = {"rows_before": None, "cols_before": None, "nulls_before": None, "column_nulls_before": None,
               "added_columns": [], "removed_columns": [], "dtype_changes": {}}
    if source is None:
        return updated(fact, cleared)  # a load, or an input not measured: only the result is known
    # column and dtype differences were taken against the name's old value and cannot be redone here
    return updated(fact, {**cleared, "rows_before": source.rows_after, "cols_before": source.cols_after,
                          "nulls_before": source.nulls_after, "column_nulls_before": source.column_nulls_after,
                          "before_variable": source.variable})
