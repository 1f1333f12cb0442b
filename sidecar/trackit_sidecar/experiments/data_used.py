"""The data files (and the steps) an experiment's result came from.

An experiment's slice is made of whole executions, and an execution's input files are every file its cell read: a
cell that loads two files of which the result reads one put both in the experiment's data (gulutu-ml banana: cell 5
reads train.csv and test.csv; every model is trained and scored on train.csv, test.csv feeds only the submission, yet
`ask "which experiments used test.csv?"` listed all 12 experiments). A file is kept when the value its load step wrote
reaches the result, walked back from the names the result's execution read through each execution's own derivations
(so `a = read_csv(...); b = read_csv(...); a = a.merge(b)` keeps both, and a later cell that makes `X_test` from `test`
beside `X_train` from `train` does not carry `test` into a result that read `X_train`). Where the records cannot tell (a file no load step
of the cell names, an execution in the slice that no name was read from), the file is kept: it may have been used.
"""

from __future__ import annotations

from typing import Optional, Protocol

from ..protocol import ExecutionRecord, InputFile, Step


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


class Reach(Protocol):
    """What reached a result (or one of several): DataUsed, ReachedAny."""

    def reached_result(self, execution: ExecutionRecord, step: Step) -> bool: ...

    def reached(self, execution: ExecutionRecord, names: set[str]) -> bool: ...


class DataUsed:
    """Which files (and load steps) of a slice reached the result of the execution `result_seq`."""

    def __init__(self, executions: list[ExecutionRecord], result_seq: int):
        in_slice = {e.seq for e in executions}
        self.result_seq = result_seq
        # seq -> the names of that execution the result depends on, walked back from the result's own reads: a name a
        # later execution read only to make something the result never read is not among them (pydata-book ch12:
        # `X_test` is made from `test` in the cell that makes `X_train` from `train`, and the cross-validation reads
        # `X_train` alone, so test.csv's `test`, read by that cell, did not reach it)
        self.needed: dict[int, set[str]] = {}
        for execution in sorted(executions, key=lambda e: e.seq, reverse=True):
            if execution.seq != result_seq and execution.seq not in self.needed:
                continue  # not on the result's path (or no name was read from it): `_derived` keeps all of it
            names = self._derived(execution)
            for name, source in execution.read_from.items():
                if source in in_slice and source != execution.seq and (names is None or name in names):
                    self.needed.setdefault(source, set()).add(name)

    def _derived(self, execution: ExecutionRecord) -> Optional[set[str]]:
        """The names of `execution` the result depends on, closed over the cell's derivations; None: all of them (the
        result's own cell, or an execution no name was read from). A needed name the cell wrote without a recorded
        derivation may have come from anything it read: all of them."""
        names = self.needed.get(execution.seq)
        if execution.seq == self.result_seq or not names:
            return None
        reached = set(names)
        pending = list(names)
        while pending:
            name = pending.pop()
            if name not in execution.derivations and name not in execution.read_from:
                return None
            for source in execution.derivations.get(name, []):
                if source not in reached:
                    reached.add(source)
                    pending.append(source)
        return reached

    def reached_result(self, execution: ExecutionRecord, step: Step) -> bool:
        """The value the step wrote reached the result (a load's file, a filter's column: ask's "which experiments
        used the column"); a step that names no output cannot tell, nor one in a function's body (it writes the
        function's locals, not the notebook's names: as `files`), and is taken to have."""
        return bool(step.in_function) or self.reached(execution, {step.output, *step.outputs} - {None})

    def reached(self, execution: ExecutionRecord, names: set[str]) -> bool:
        """One of `names`, as `execution` wrote them, reached the result (no names: it cannot tell, and is taken to)."""
        reached = self._derived(execution)
        return reached is None or not names or bool(names & reached)

    def files(self, execution: ExecutionRecord) -> list[InputFile]:
        """The execution's input files the result may have read: those of a load step whose value reached it, and
        those no load step of the cell names."""
        reached = self._derived(execution)
        if reached is None:
            return list(execution.input_files)
        # a load in a function's body writes the function's locals, not the notebook's names: it cannot tell
        loads = [s for s in execution.steps if s.op == "load" and s.detail and not s.in_function]
        kept = []
        for file in execution.input_files:
            readers = [s for s in loads if _file_name(s.detail or "") == _file_name(file.path)]
            if not readers or any({s.output, *s.outputs} & reached for s in readers):
                kept.append(file)
        return kept


class ReachedAny:
    """What reached any of several results (a whole run's experiments, each with its own slice): a step of an execution
    in no result's slice reached none of them. With no result at all (a run that stopped before its first), nothing
    can tell what was used, and everything is taken to have been."""

    def __init__(self, results: list[tuple[set[int], DataUsed]]):
        self.results = results  # (the seqs of a result's slice, what reached that result)

    def _judges(self, execution: ExecutionRecord) -> list[DataUsed]:
        return [used for seqs, used in self.results if execution.seq in seqs]

    def reached_result(self, execution: ExecutionRecord, step: Step) -> bool:
        return not self.results or any(used.reached_result(execution, step) for used in self._judges(execution))

    def reached(self, execution: ExecutionRecord, names: set[str]) -> bool:
        return not self.results or any(used.reached(execution, names) for used in self._judges(execution))


__all__ = ["DataUsed", "Reach", "ReachedAny"]
