"""Walk two lineage slices in order, step by step, and find the first step whose data differ.

Executions are matched by cell id (the k-th run of a cell in one slice with the k-th in the other, in order;
a cell that ran in one slice only stays unmatched), then the steps of a matched pair by the variables they
write (so an edit that turns `fillna` into `dropna` on `df` still compares `df` with `df`). Each step is
compared on what the kernel measured after its cell (rows, columns, nulls, dtypes, fingerprint of the
variables it wrote); equal measurements mean equal data even when the code differs (a comment, a refactor).
Without measurements on both sides, the step's recorded input file, the fitted model's state, and its code
and literal parameters are compared instead. A step that writes data in one slice only is a divergence too.
A step whose value reached neither side's result (a fill of the test frame, loaded in the training data's cell for
a submission alone) is not where the results diverged: it is walked past (experiments/data_used.py says what reached).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Hashable, Mapping, Optional, Sequence, TypeVar

from .. import fingerprints
from ..experiments.astutil import parse
from ..experiments.data_used import Reach
from ..protocol import ExecutionRecord, FactChange, InputFile, ModelFingerprint, RuntimeFacts, Step
from .kb import FACTS_COMPARED

T = TypeVar("T")


@dataclass
class Unit:
    """One step of one execution (or a variable the execution wrote that no step names)."""

    execution: ExecutionRecord
    step: Optional[Step]
    variables: tuple[str, ...]
    facts: dict[str, RuntimeFacts]  # variable -> measured after the cell (displayed values left out)
    key: tuple = ()

    @property
    def op(self) -> Optional[str]:
        return self.step.op if self.step is not None else None

    @property
    def code(self) -> Optional[str]:
        return " ".join(self.step.code.split()) if self.step is not None and self.step.code else None


@dataclass
class Found:
    kind: str  # protocol.DivergenceKind
    a: Optional[Unit]
    b: Optional[Unit]
    differences: list[FactChange] = field(default_factory=list)


@dataclass
class Walk:
    found: Optional[Found]
    compared: int = 0  # matched steps compared
    matched_before: int = 0  # of them, those that agreed before the divergence
    measured: bool = False  # at least one step was compared on measurements
    agreed_cells: set[str] = field(default_factory=set)  # cells whose every compared step agreed on measurements


# ---------------------------------------------------------------- alignment
def _occurrences(keys: Sequence[Hashable]) -> list[tuple[Hashable, int]]:
    seen: dict[Hashable, int] = {}
    out = []
    for key in keys:
        n = seen.get(key, 0)
        seen[key] = n + 1
        out.append((key, n))
    return out


def align(a: Sequence[T], b: Sequence[T], key_a: list[Hashable], key_b: list[Hashable]
          ) -> list[tuple[Optional[T], Optional[T]]]:
    """Pairs in order: matched items together, the others alone (a's before b's within a changed stretch)."""
    ka, kb = _occurrences(key_a), _occurrences(key_b)
    pairs: list[tuple[Optional[T], Optional[T]]] = []
    matcher = SequenceMatcher(None, ka, kb, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(a[i1:i2], b[j1:j2]))
        else:
            pairs.extend((x, None) for x in a[i1:i2])
            pairs.extend((None, y) for y in b[j1:j2])
    return pairs


def align_executions(a: list[ExecutionRecord], b: list[ExecutionRecord]
                     ) -> list[tuple[Optional[ExecutionRecord], Optional[ExecutionRecord]]]:
    """By cell id; slices from notebooks that share no cell id (copies with new ids) by cell position."""
    if {e.cell_id for e in a}.isdisjoint(e.cell_id for e in b):
        return align(a, b, [e.cell_index for e in a], [e.cell_index for e in b])
    return align(a, b, [e.cell_id for e in a], [e.cell_id for e in b])


def outputs(step: Step) -> tuple[str, ...]:
    return tuple(step.outputs) or ((step.output,) if step.output else ())


def called_into(step: Step, execution: ExecutionRecord) -> tuple[str, ...]:
    """What a step in a function's body (`def clean(d): return d[d.x1 > 0]`) changes when the same cell calls the
    function: the variables the cell computed from it (`df = clean(df)`, from its derivations). Its own output (`d`)
    lives in the call and is never measured: comparing it said "no measured data to compare" of a `df` the kernel
    measured on both sides."""
    if not step.in_function:
        return ()
    return tuple(written for written, sources in execution.derivations.items()
                 if step.in_function in sources and written != step.in_function)


def units_of(execution: ExecutionRecord) -> list[Unit]:
    measured = {f.variable: f for f in execution.runtime if f.variable and not f.displayed}
    written = set(execution.writes)
    units: list[Unit] = []
    covered: set[str] = set()
    for step in execution.steps:
        variables = called_into(step, execution) or outputs(step)
        facts = {v: measured[v] for v in variables if v in measured and (v in written or not written)}
        key = ("writes", variables) if variables else ("op", step.op)
        units.append(Unit(execution, step, variables, facts, key))
        covered.update(variables)
    for variable in execution.writes:  # written and measured, but no step says how (a helper, an unknown call)
        if variable not in covered and variable in measured:
            units.append(Unit(execution, None, (variable,), {variable: measured[variable]}, ("writes", (variable,))))
    return units


# ---------------------------------------------------------------- comparing two steps
_FACT_NAMES = {"rows_after": "rows", "cols_after": "cols", "nulls_after": "nulls", "added_columns": "columns_added",
               "removed_columns": "columns_removed", "dtype_changes": "dtypes"}

def fact_changes(a: RuntimeFacts, b: RuntimeFacts) -> list[FactChange]:
    changes: list[FactChange] = []
    for name in FACTS_COMPARED:
        va, vb = getattr(a, name), getattr(b, name)
        if name in ("added_columns", "removed_columns"):
            if sorted(va) != sorted(vb):
                changes.append(FactChange(fact=_FACT_NAMES[name], a=va, b=vb))
        elif name == "dtype_changes":
            if va != vb:
                changes.append(FactChange(fact=_FACT_NAMES[name], a=va, b=vb))
        elif name == "fingerprint":
            if va != vb and fingerprints.comparable(va, vb):  # another algorithm's says nothing about the values
                changes.append(FactChange(fact=name, a=va, b=vb))
        elif va is not None and vb is not None and va != vb:
            changes.append(FactChange(fact=_FACT_NAMES.get(name, name), a=va, b=vb))
    return changes


def _file_of(unit: Unit) -> Optional[InputFile]:
    """The input file a load step read: the execution's recorded file whose name ends the step's path."""
    if unit.step is None or unit.op != "load" or not unit.step.detail:
        return None
    name = unit.step.detail.replace("\\", "/").rsplit("/", 1)[-1]
    for file in unit.execution.input_files:
        if file.path.replace("\\", "/").rsplit("/", 1)[-1] == name:
            return file
    return None


def compare(a: Unit, b: Unit, models: tuple[Optional[ModelFingerprint], Optional[ModelFingerprint]] = (None, None),
            constructions: tuple[Optional[str], Optional[str]] = (None, None)) -> tuple[Optional[Found], bool]:
    """(the divergence at this pair or None, whether measurements decided). `constructions`: each side's constructor
    of the model the step uses (model_construction), compared when nothing else tells the two apart."""
    changes: list[FactChange] = []
    measured = False
    for variable in a.variables:
        fa, fb = a.facts.get(variable), b.facts.get(variable)
        if fa is not None and fb is not None and variable in b.variables:
            measured = True
            changes.extend(c.model_copy(update={"variables": [variable]}) for c in fact_changes(fa, fb))
    if measured:
        return (Found("data", a, b, _dedupe(changes)) if changes else None), True
    file_a, file_b = _file_of(a), _file_of(b)
    if file_a is not None and file_b is not None and file_a.sha256 and file_b.sha256 and file_a.sha256 != file_b.sha256:
        return Found("data", a, b, [FactChange(fact="input_file", a=file_a.sha256, b=file_b.sha256)]), False
    model_a, model_b = models
    if (a.op == "fit_model" and not _same_execution(a, b) and model_a is not None and model_b is not None and model_a.state_sha256
            and model_b.state_sha256 and model_a.variable in a.variables and model_b.variable in b.variables
            and model_a.state_sha256 != model_b.state_sha256):
        return Found("model", a, b, [FactChange(fact="model_state", a=model_a.state_sha256,
                                                b=model_b.state_sha256)]), False
    if a.code != b.code or a.op != b.op:
        return Found("decision", a, b, [FactChange(fact="code", a=a.code, b=b.code)]), False
    if a.step is not None and b.step is not None and a.step.params != b.step.params:
        return Found("decision", a, b, [FactChange(fact="params", a=a.step.params, b=b.step.params)]), False
    built_a, built_b = constructions
    if built_a is not None and built_b is not None and built_a != built_b:
        return Found("decision", a, b, [FactChange(fact="code", a=built_a, b=built_b)]), False
    return None, False


def model_construction(unit: Unit, earlier: Mapping[str, str]) -> Optional[str]:
    """The constructor call of the model a step fits or scores with (`KNeighborsClassifier(n_neighbors=20)` for
    `print(cross_val_score(knn, X, y).mean())`), normalised: the last assignment of it above the step in its cell, else
    `earlier`'s (constructions(): what the slice's earlier executions last assigned). The step's own code and data can
    agree while the model it was handed differs (sklearn-videos 07, n_neighbors 20 -> 15: "first divergent step: none;
    14 steps agree" beside a cross-validated accuracy that moved)."""
    step = unit.step
    if step is None or step.in_function:
        return None
    name = step.model or (step.output if step.op == "fit_model" else None)
    if not name:
        return None
    above = constructions(unit.execution, below=step.line)
    return above.get(name, earlier.get(name))


def constructions(execution: ExecutionRecord, below: Optional[int] = None) -> dict[str, str]:
    """name -> the call last assigned to it at the top level of the execution's cell (above line `below`)."""
    tree = parse(execution.source)
    found: dict[str, str] = {}
    for node in tree.body if tree is not None else ():
        if below is not None and node.lineno >= below:
            break
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = ast.unparse(node.value)
    return found


def _same_execution(a: Unit, b: Unit) -> bool:
    """Both slices hold this very execution (two experiments of one run). The models' states are each experiment's
    fitted model at its end: when they differ, a later fit of the variable made them differ, not this one (a cell that
    refits `linreg` on fewer features after the cell that made it; "nothing recorded differs" blamed randomness)."""
    ea, eb = a.execution, b.execution
    return (ea.session, ea.seq, ea.started_at, ea.source_sha256) == (eb.session, eb.seq, eb.started_at, eb.source_sha256)


def _dedupe(changes: list[FactChange]) -> list[FactChange]:
    """The same change of several variables once, naming them all (a split's `X_train` and `y_train`: 192 -> 168)."""
    kept: dict[tuple[str, str, str], FactChange] = {}
    for change in changes:
        marker = (change.fact, repr(change.a), repr(change.b))
        if marker in kept:
            kept[marker].variables += [v for v in change.variables if v not in kept[marker].variables]
        else:
            kept[marker] = change.model_copy(update={"variables": list(change.variables)})
    return list(kept.values())


# ---------------------------------------------------------------- the walk
def _reached(unit: Optional[Unit], reach: Optional[Reach]) -> bool:
    """The unit's value reached its side's result (no `reach`: nothing tells, so it did). A step in a function's
    body is judged by what the cell computed with it (`df = clean(df)`), or taken to have when that is unknown."""
    if unit is None:
        return False
    if reach is None:
        return True
    if unit.step is not None and not unit.step.in_function:
        return reach.reached_result(unit.execution, unit.step)
    if unit.step is not None and not called_into(unit.step, unit.execution):
        return True
    return reach.reached(unit.execution, set(unit.variables))


def walk(a: list[ExecutionRecord], b: list[ExecutionRecord],
         models: tuple[Optional[ModelFingerprint], Optional[ModelFingerprint]] = (None, None),
         reached: tuple[Optional[Reach], Optional[Reach]] = (None, None),
         fitted: tuple[Mapping[int, ModelFingerprint], Mapping[int, ModelFingerprint]] = ({}, {})) -> Walk:
    """`reached`: what reached each side's result; a step that reached neither is walked past. `models`: each side's
    model; `fitted`: each side's fitting execution (seq) -> the fingerprint of the model it fitted (sides.fitted_models),
    which a fit in that execution is compared with instead."""
    result = Walk(found=None)
    unmeasured: set[str] = set()  # cells with a step that agreed only on code (its data were not measured)
    reach_a, reach_b = reached
    # each side's constructions (name -> call) in the executions walked before the pair at hand
    built_a: dict[str, str] = {}
    built_b: dict[str, str] = {}
    for ea, eb in align_executions(a, b):
        if ea is None or eb is None:
            reach = reach_a if ea is not None else reach_b
            units = [u for u in units_of(ea or eb) if u.variables and _reached(u, reach)]  # type: ignore[arg-type]
            if units:
                result.found = Found("only_a", units[0], None) if ea is not None else Found("only_b", None, units[0])
                break
            (built_a if ea is not None else built_b).update(constructions(ea or eb))  # type: ignore[arg-type]
            continue
        units_a, units_b = units_of(ea), units_of(eb)
        pairs = align(units_a, units_b, [u.key for u in units_a], [u.key for u in units_b])
        for i, (ua, ub) in enumerate(pairs):
            if not _reached(ua, reach_a) and not _reached(ub, reach_b):
                continue  # its value reached neither result: not where they diverged
            if ua is None or ub is None:
                if ua is not None and ua.variables:
                    result.found = Found("only_a", ua, None)
                elif ub is not None and ub.variables:
                    result.found = Found("only_b", None, ub)
                if result.found is not None:
                    break
                continue
            result.compared += 1
            built = (model_construction(ua, built_a), model_construction(ub, built_b))
            pair_models = (fitted[0].get(ea.seq, models[0]), fitted[1].get(eb.seq, models[1]))
            found, measured = compare(ua, ub, pair_models, built)
            result.measured = result.measured or measured
            if found is not None:
                result.found = _prefer_edited(found, pairs[i + 1:])
                break
            (result.agreed_cells if measured else unmeasured).add(ea.cell_id)
            result.matched_before += 1
        if result.found is not None:
            break
        built_a.update(constructions(ea))
        built_b.update(constructions(eb))
    result.agreed_cells -= unmeasured
    return result


def _prefer_edited(found: Found, later: list[tuple[Optional[Unit], Optional[Unit]]]) -> Found:
    """Several steps of one cell that write the same variable share its measurements (taken after the cell):
    when the first of them did not change but a later one's code did, the later one is where data diverged."""
    if found.kind != "data" or found.a is None or found.b is None or found.a.code != found.b.code:
        return found
    shared = set(found.a.variables)
    for ua, ub in later:
        if ua is not None and ub is not None and shared & set(ua.variables) and ua.code != ub.code:
            return Found(found.kind, ua, ub, found.differences)
        # a step the later run added to the cell (banana: `df_train = df_train[df_train["Weight"] > -3]` after the
        # load): the divergence read "Loaded `train.csv` into `df_train`: rows 2,800 -> 2,419", a file that did not
        # change, loaded whole; the added step is what made the later run's measured value differ
        if ua is None and ub is not None and shared & set(ub.variables):
            return Found(found.kind, found.a, ub, found.differences)
    return found
