"""The execution graph: which earlier execution produced each value an execution read.

Edges follow ACTUAL execution order (`seq`), never cell order: if cell 3 ran before cell 2, cell 2
reads what cell 3 wrote. Edges never cross sessions (a kernel restart empties the namespace).

A failed ("error") or interrupted ("cancelled") execution is a writer only of what it really wrote
(lineage.measured.written_names: the names the kernel saw change before it stopped, and unmeasured names
the run may have reached); a cancelled execution that never started read and wrote nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

from ..protocol import ExecutionRecord, RuntimeFacts, Step
from . import kb
from .measured import read_names, written_names


def _by_session(executions: Iterable[ExecutionRecord]) -> dict[int, list[ExecutionRecord]]:
    sessions: dict[int, list[ExecutionRecord]] = defaultdict(list)
    for execution in executions:
        sessions[execution.session].append(execution)
    for runs in sessions.values():
        runs.sort(key=lambda e: e.seq)
    return sessions


def link_parents(executions: list[ExecutionRecord], before: Iterable[ExecutionRecord] = ()) -> None:
    """Fill each execution's `read_from` (name -> seq of the execution whose value it read) and `parents`
    (their sorted, unique seqs) from the last writer of every name it reads. `before`: linked executions of
    the same sessions that ran before these (appending to a linked document)."""
    earlier = _by_session(before)
    for session, runs in _by_session(executions).items():
        last_writer: dict[str, int] = {}
        for execution in earlier.get(session, ()):
            for name in written_names(execution):
                last_writer[name] = execution.seq
        for execution in runs:
            # reads resolve before this execution's own writes: `df = df.dropna()` links to the previous df
            execution.read_from = {name: last_writer[name] for name in read_names(execution) if name in last_writer}
            execution.parents = sorted(set(execution.read_from.values()))
            for name in written_names(execution):
                last_writer[name] = execution.seq


def upstream(executions: list[ExecutionRecord], seq: int) -> list[int]:
    """Every execution `seq` transitively depends on, sorted. Needs `parents` filled (link_parents)."""
    parents = {e.seq: e.parents for e in executions}
    return _reach(seq, parents)


def downstream(executions: list[ExecutionRecord], seq: int) -> list[int]:
    """Every execution that transitively depends on `seq`, sorted. Needs `parents` filled (link_parents)."""
    children: dict[int, list[int]] = defaultdict(list)
    for execution in executions:
        for parent in execution.parents:
            children[parent].append(execution.seq)
    return _reach(seq, children)


def _reach(start: int, edges: dict[int, list[int]]) -> list[int]:
    seen: set[int] = set()
    stack = list(edges.get(start, ()))
    while stack:
        node = stack.pop()
        if node in seen or node == start:
            continue
        seen.add(node)
        stack.extend(edges.get(node, ()))
    return sorted(seen)


def variable_origin(executions: list[ExecutionRecord], seq: int, name: str) -> int | None:
    """The seq whose write produced the value of `name` that execution `seq` read (same session, earlier)."""
    target = next((e for e in executions if e.seq == seq), None)
    if target is None:
        return None
    origin: int | None = None
    for execution in _by_session(executions).get(target.session, []):
        if execution.seq >= seq:
            break
        if name in written_names(execution):
            origin = execution.seq
    return origin


def latest_writer_by_name(executions: list[ExecutionRecord], session: int | None = None) -> dict[str, int]:
    """For the live namespace of `session` (default: the session of the latest execution): name -> seq that last wrote it."""
    if not executions:
        return {}
    if session is None:
        session = max(executions, key=lambda e: e.seq).session
    writers: dict[str, int] = {}
    for execution in _by_session(executions).get(session, []):
        for name in written_names(execution):
            writers[name] = execution.seq
    return writers


def attach_runtime(steps: list[Step], facts: list[RuntimeFacts]) -> None:
    """Give each fact to the step that produced its variable.

    First choice: the last step whose `output` is the fact's variable (the final state the kernel
    measured is that step's result). Otherwise the last step that takes the variable as input and
    changes it in place: `inplace=True`, or a known mutating method called on it (`df.insert(...)`,
    `arr.fill(0)`, `np.random.shuffle(arr)`; kb.MUTATING_METHODS / MUTATING_FUNCTIONS). A step that only
    reads the variable (`accuracy_score(y_test, pred)`, no output) never gets its facts: the kernel
    measures every variable a cell touched, and a read variable's unchanged state is not that step's
    effect. Facts that match no step are left alone (they stay on the execution's `runtime` list).
    A step written in a function's body (`Step.in_function`) names the function's locals: the kernel measured the
    notebook's variable of that name, not the body's (islr chapter 4: `def KNN(): ... pred = clf.predict(X_test)` read
    "when called: 252 rows", the notebook's `pred` of an earlier cell).
    """
    steps = [s for s in steps if not s.in_function]
    for fact in facts:
        if not fact.variable:
            continue
        variable = fact.variable
        step = _last(steps, lambda s: s.output == variable)
        if step is None:
            step = _last(steps, lambda s: variable in s.inputs and _changes_in_place(s, variable))
        if step is not None:
            step.runtime = fact


def _changes_in_place(step: Step, variable: str) -> bool:
    """The step's code calls, on `variable` (or a column / attribute of it), a method with inplace=True or a
    known mutating method, or passes it to a known mutating function."""
    code = step.code or ""
    name = re.escape(variable)
    # `df`, `df["x"]`, `df.x`, `df.loc[m, "x"]` at the start of a call (not `mydf`, not `self.df`)
    receiver = rf"(?<![\w.]){name}(?:\s*\[[^\]]*\]|\s*\.\s*\w+)*"
    methods = "|".join(sorted(kb.MUTATING_METHODS))
    functions = "|".join(sorted(kb.MUTATING_FUNCTIONS))
    patterns = (
        rf"{receiver}\s*\(.*\binplace\s*=\s*True",  # df.fillna(0, inplace=True)
        rf"(?<![\w.]){name}(?:\s*\[[^\]]*\]|\s*\.\s*\w+)*?\s*\.\s*(?:{methods})\s*\(",  # df.insert(...)
        rf"(?<!\w)(?:{functions})\s*\(\s*{name}\b",  # np.random.shuffle(arr)
    )
    return any(re.search(pattern, code, re.DOTALL) for pattern in patterns)


def _last(steps: list[Step], predicate) -> Step | None:
    for step in reversed(steps):
        if predicate(step):
            return step
    return None
