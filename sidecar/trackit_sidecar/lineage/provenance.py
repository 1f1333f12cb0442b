"""Provenance of one value: the sources, steps and intermediate variables it was made from. Pure.

"How was `data2010` made?" is answered backwards from the execution that last wrote it: the step of that
cell that produced it, that step's inputs (produced by earlier steps of the same cell, or read from the
executions that last wrote them before), and so on to the sources: input files, frames built in code, and
values this run never produced. Only linked records are read (`graph.link_parents`, runtime decided); the
words for each node are `render/graph.py`'s.

Node keys (stable, used as ids): `file:<path>`, `step:<seq>:<index>`, `code:<seq>:<name>`, `var:<seq>:<name>`,
`unknown:<name>`, `run:<seq>` (a whole execution as the target, e.g. an experiment's evaluation).

Same-name chains (`df = df.dropna()` cell after cell) connect step to step; a variable node sits where a value
flows into something named differently, and at the end (the variable asked about).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Iterable, Optional

from ..protocol import ExecutionRecord, InputFile, Step

MAX_NODES = 1500  # a graph no one can read is cut here, and says so


@dataclass
class Node:
    key: str
    kind: str  # "source" | "step" | "variable" | "code" | "run"
    execution: Optional[ExecutionRecord] = None
    step: Optional[Step] = None
    name: Optional[str] = None  # the variable (variable, code, unknown nodes)
    file: Optional[InputFile] = None
    written_as: Optional[str] = None  # the path as the code wrote it (file sources)
    built_in_code: bool = False  # a source made by code from nothing this run recorded (a literal, a constructor)
    unknown: bool = False  # read, but never produced in this scope


@dataclass
class Provenance:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[tuple[str, str]] = field(default_factory=list)
    target: Optional[str] = None
    truncated: bool = False


class _Budget(Exception):
    """More than MAX_NODES nodes: stop walking."""


def is_code(e: ExecutionRecord, name: str) -> bool:
    """Imports, functions and classes the execution names are code, not data."""
    return name in e.code_names


class Producers:
    """Which execution's value of a name an execution read: as the sidecar linked it (`read_from`), else the
    last one in its session before it that wrote the name. Indexed once per scope."""

    def __init__(self, executions: list[ExecutionRecord]):
        self.by_seq = {e.seq: e for e in executions}
        self.writers: dict[tuple[int, str], list[int]] = {}
        for e in executions:  # seq order
            for name in e.writes:
                self.writers.setdefault((e.session, name), []).append(e.seq)

    def of(self, e: ExecutionRecord, name: str) -> Optional[ExecutionRecord]:
        linked = e.read_from.get(name)
        if linked is not None:
            return self.by_seq.get(linked)
        seqs = self.writers.get((e.session, name), [])
        at = bisect_left(seqs, e.seq)
        return self.by_seq[seqs[at - 1]] if at > 0 else None


def last_writer(executions: Iterable[ExecutionRecord], name: str, upto: Optional[int] = None) -> Optional[ExecutionRecord]:
    found = None
    for e in executions:
        if upto is not None and e.seq > upto:
            break
        if name in e.writes and not is_code(e, name):
            found = e
    return found


def last_model(executions: Iterable[ExecutionRecord]) -> Optional[str]:
    """The variable of the last fitted model, for a graph asked without a variable."""
    found = None
    for e in executions:
        for step in e.steps:
            if step.op == "fit_model" and (step.output or step.model):
                found = step.output or step.model
    return found


def last_written(executions: list[ExecutionRecord]) -> Optional[str]:
    for e in reversed(executions):
        for name in reversed(e.writes):
            if not is_code(e, name):
                return name
    return None


def _outputs(step: Step) -> list[str]:
    names = list(step.outputs or [])
    if step.output and step.output not in names:
        names.insert(0, step.output)
    return names


class _Walker:
    """Nodes are made when first named and expanded (their inputs named) from a work list: no recursion, so a
    chain of thousands of cells is fine."""

    def __init__(self, executions: list[ExecutionRecord], files_of):
        self.producers = Producers(executions)
        self.files_of = files_of  # (execution, load step) -> (InputFile | None, path as written)
        self.out = Provenance()
        self._values: dict[tuple[int, str], str] = {}  # (seq, name) -> the node standing for that value
        self._edge_set: set[tuple[str, str]] = set()
        self._pending: list[tuple[str, tuple]] = []
        self._steps: dict[int, list[tuple[int, Step]]] = {}

    # ---------------------------------------------------------------- nodes and edges
    def add(self, node: Node, expand: Optional[tuple] = None) -> str:
        if node.key not in self.out.nodes:
            if len(self.out.nodes) >= MAX_NODES:
                raise _Budget
            self.out.nodes[node.key] = node
            if expand is not None:
                self._pending.append((node.key, expand))
        return node.key

    def edge(self, source: str, target: str) -> None:
        if source != target and (source, target) not in self._edge_set:
            self._edge_set.add((source, target))
            self.out.edges.append((source, target))

    def steps_of(self, e: ExecutionRecord) -> list[tuple[int, Step]]:
        """The execution's steps in statement order, with their index in `e.steps`."""
        if e.seq not in self._steps:
            self._steps[e.seq] = sorted(enumerate(e.steps), key=lambda pair: (pair[1].line or 0, pair[0]))
        return self._steps[e.seq]

    def variable(self, e: ExecutionRecord, name: str) -> str:
        """A variable node for the value of `name` as `e` left it, fed by whatever produced it."""
        return self.add(Node(f"var:{e.seq}:{name}", "variable", execution=e, name=name), ("variable", e, name))

    def value(self, e: ExecutionRecord, name: str) -> str:
        """The node that produced `name`'s value in `e`: its last step with that output, else a code node."""
        cached = self._values.get((e.seq, name))
        if cached is not None:
            return cached
        producing = [(i, s) for i, s in self.steps_of(e) if name in _outputs(s)]
        if producing:
            key = self.step(e, *producing[-1])
        else:
            key = self.add(Node(f"code:{e.seq}:{name}", "code", execution=e, name=name,
                                built_in_code=not self.derived_inputs(e, name)), ("code", e, name))
        self._values[(e.seq, name)] = key
        return key

    def step(self, e: ExecutionRecord, index: int, step: Step) -> str:
        return self.add(Node(f"step:{e.seq}:{index}", "step", execution=e, step=step), ("step", e, index, step))

    def derived_inputs(self, e: ExecutionRecord, name: str) -> list[str]:
        return [n for n in e.derivations.get(name, []) if not is_code(e, n)]

    def read(self, e: ExecutionRecord, name: str, consumer_outputs: list[str]) -> str:
        """`e` read `name`: the node of the value it read, as a variable node when the name changes here."""
        made_by = self.producers.of(e, name)
        if made_by is None:
            return self.add(Node(f"unknown:{name}", "variable", name=name, unknown=True))
        if name in consumer_outputs:
            return self.value(made_by, name)  # the same variable carried on: step to step
        return self.variable(made_by, name)

    # ---------------------------------------------------------------- expansion: a node's inputs
    def expand(self, key: str, how: tuple) -> None:
        kind, e = how[0], how[1]
        if kind == "variable":
            self.edge(self.value(e, how[2]), key)
        elif kind == "code":
            name = how[2]
            for source in self.derived_inputs(e, name):
                self.edge(self.read(e, source, consumer_outputs=[name]), key)
        elif kind == "run":
            for name in e.reads:
                if not is_code(e, name):
                    self.edge(self.read(e, name, consumer_outputs=[]), key)
        else:
            self.expand_step(key, e, how[2], how[3])

    def expand_step(self, key: str, e: ExecutionRecord, index: int, step: Step) -> None:
        if step.op == "load":
            file, written = self.files_of(e, step)
            if file is not None or written:
                where = f"{file.path}@{file.sha256 or ''}" if file is not None else written
                source = self.add(Node(f"file:{where}", "source", execution=e, step=step, file=file,
                                       written_as=written))
                self.edge(source, key)
        steps = self.steps_of(e)
        before = steps[:next(at for at, (i, _) in enumerate(steps) if i == index)]
        inputs = list(step.inputs)
        for name in _outputs(step):  # `model.fit(X, y)`: the fitted model is the model as it was, changed
            if name not in inputs and name in e.derivations.get(name, []):
                inputs.append(name)
        for name in inputs:
            if is_code(e, name):
                continue
            earlier = [(i, s) for i, s in before if name in _outputs(s)]
            if earlier:  # made by an earlier statement of the same cell
                self.edge(self.step(e, *earlier[-1]), key)
            else:
                self.edge(self.read(e, name, consumer_outputs=_outputs(step)), key)

    def drain(self) -> None:
        while self._pending:
            key, how = self._pending.pop()
            self.expand(key, how)


def trace(executions: list[ExecutionRecord], *, variable: Optional[str] = None, seq: Optional[int] = None,
          files_of=None) -> Provenance:
    """The provenance graph of `variable` as the last execution writing it (at or before `seq`) left it; with
    no variable, of execution `seq` as a whole. `executions`: the scope (a session, an experiment's slice), in
    seq order, parents linked. `files_of(execution, load step)` -> (InputFile | None, path as written)."""
    executions = sorted(executions, key=lambda e: e.seq)
    walker = _Walker(executions, files_of or (lambda e, s: (None, s.detail)))
    try:
        if variable is not None:
            writer = last_writer(executions, variable, seq)
            if writer is not None:
                walker.out.target = walker.variable(writer, variable)
        elif seq is not None:
            execution = next((e for e in executions if e.seq == seq), None)
            if execution is not None:
                walker.out.target = walker.add(Node(f"run:{seq}", "run", execution=execution), ("run", execution))
        walker.drain()
    except _Budget:
        walker.out.truncated = True
    return walker.out


def data_variables(executions: Iterable[ExecutionRecord]) -> list[str]:
    """Every data variable written in the scope, in the order first written (for a picker)."""
    seen: dict[str, None] = {}
    for e in executions:
        for name in e.writes:
            if not is_code(e, name):
                seen.setdefault(name)
    return list(seen)


@dataclass
class Scope:
    """What a provenance question is about, defaults resolved."""

    executions: list[ExecutionRecord]
    variable: Optional[str]
    seq: Optional[int]
    session: Optional[int]


def scope(executions: list[ExecutionRecord], *, variable: Optional[str] = None, session: Optional[int] = None,
          seq: Optional[int] = None, slice_seqs: Optional[Iterable[int]] = None) -> Scope:
    """The executions to trace in and the question's defaults. `slice_seqs`: an experiment's slice (then `seq`
    is its execution). Else the run (session) asked for, the one of `seq`, or the latest one that wrote
    `variable`; with no variable and no seq, the last fitted model of the latest run (else its last variable)."""
    ordered = sorted(executions, key=lambda e: e.seq)
    if slice_seqs is not None:
        wanted = set(slice_seqs)
        if seq is not None:
            wanted.add(seq)
        chosen = [e for e in ordered if e.seq in wanted]
        return Scope(chosen, variable, seq, chosen[-1].session if chosen else session)
    if session is None and seq is not None:
        session = next((e.session for e in ordered if e.seq == seq), None)
    if session is None and variable is not None:
        writer = last_writer(ordered, variable)
        session = writer.session if writer is not None else None
    if session is None and ordered:
        session = ordered[-1].session
    chosen = [e for e in ordered if e.session == session]
    if variable is None and seq is None:
        variable = last_model(chosen) or last_written(chosen)
    return Scope(chosen, variable, seq, session)
