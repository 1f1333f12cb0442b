"""The upstream change that explains the first divergence. Pure.

Looked for in this order, the first that holds wins:
1. a cell that ran in one slice only (`cell_only_a` / `cell_only_b`), unless the other run has another version
   of that cell (then it is an edit of it, 3.); the same code run outside the other slice (two experiments of one
   run) is no edit;
2. the divergent step's cell runs the same code but read a file whose bytes differ: `data` (the revisions);
3. an edit: the divergent step's cell, else the nearest upstream cell it read from whose code differs (cells whose
   every step agreed on measured data are passed over). With the feature-tree differences that belong to the
   step, it is a `feature` change; when those are only seeds (`random_state=`), or the cell changes only seeds,
   a `seed`; otherwise `code`. The cell's unified diff comes with it;
4. same code and inputs, but the run set other seeds before that point (or PYTHONHASHSEED differs): `seed`;
   a load step that read other data with the same code, its file not recorded (a computed path): `data`;
5. the kernels' packages differ (the ones the slice imports first): `package`;
6. Python, the OS or the reproducibility variables differ: `environment`;
7. nothing recorded differs: `unknown` (state from outside the slice, an unseeded generator, a file no load
   step names).
"""

from __future__ import annotations

import ast
import copy
from dataclasses import replace
from typing import Optional

from ..experiments.astutil import parse
from ..lineage.kb.sklearn import ESTIMATOR_FIRST_FUNCTIONS
from ..experiments.feature_diff import is_outcome, split_path
from ..experiments.seeds import seeds_in_source
from ..protocol import Cause, ExecutionRecord, FeatureChange, Step
from .changes import environment_changes, file_changes, package_changes, run_seeds, seed_changes, unified
from .kb import FEATURE_SECTIONS, FITTING_EVALUATION_SECTIONS, IMPORT_NAMES, SEED_FEATURE_KEYS, SPLIT_DECIDED_TRAINING
from .sides import Side
from .walk import Found, Unit


def explain(found: Found, a: Side, b: Side, feature_changes: list[FeatureChange], agreed_cells: set[str]) -> Cause:
    ea = found.a.execution if found.a is not None else None
    eb = found.b.execution if found.b is not None else None
    here = ea or eb
    assert here is not None
    if ea is None or eb is None:
        lone = "a" if ea is not None else "b"
        other = b if lone == "a" else a
        version = _version_in(other.run, here.cell_id)
        if version is None or version.source_sha256 == here.source_sha256:  # the same code outside the other slice
            stopped = other.ref.stopped_at_cell_index
            return Cause(kind="cell_only_a" if lone == "a" else "cell_only_b", cell_id=here.cell_id,
                         cell_index=here.cell_index,
                         stopped_at_cell_index=stopped if version is None and stopped is not None
                         and stopped < here.cell_index else None,
                         diff=unified(here.source, None, here.cell_id) if lone == "a" else unified(None, here.source,
                                                                                                     here.cell_id))
        ea, eb = (here, version) if lone == "a" else (version, here)
        return _edit(found, ea, eb, feature_changes, _model_variables(a, b))
    if ea.source_sha256 == eb.source_sha256:
        files = file_changes(ea.input_files, eb.input_files, a.data, b.data)
        if files:
            return Cause(kind="data", cell_id=ea.cell_id, cell_index=ea.cell_index, data=files)
    edited = _edited_cell(ea, eb, a, b, agreed_cells)
    if edited is not None:
        return _edit(found, *edited, feature_changes, _model_variables(a, b))
    seeds = seed_changes(run_seeds(a.run, ea.seq, a.stamp), run_seeds(b.run, eb.seq, b.stamp))
    if seeds:
        return Cause(kind="seed", seeds=seeds)
    if "load" in (found.a.op, found.b.op):  # type: ignore[union-attr]
        # the same code read other data: the file was not recorded (its path is computed, or it is not local)
        return Cause(kind="data", cell_id=ea.cell_id, cell_index=ea.cell_index)
    packages = package_changes(a.stamp, b.stamp)
    if packages:
        imported = _imports(a.executions) | _imports(b.executions)
        used = [p for p in packages if _import_name(p.name) in imported]
        return Cause(kind="package", packages=used + [p for p in packages if p not in used])
    environment = environment_changes(a.stamp, b.stamp)
    if environment:
        return Cause(kind="environment", environment=environment)
    return Cause(kind="unknown")


# ---------------------------------------------------------------- an edit
def _model_variables(a: Side, b: Side) -> dict[str, str]:
    """experiment id -> the variable its model is held in, for the experiments a run-level diff names its changes by."""
    return {e.id: e.model.variable for e in (*a.experiments, *b.experiments) if e.model is not None and e.model.variable}


def _edit(found: Found, ea: ExecutionRecord, eb: ExecutionRecord, feature_changes: list[FeatureChange],
          model_variables: Optional[dict[str, str]] = None) -> Cause:
    feature_changes = [c for c in feature_changes if not is_outcome(c.path)]
    held = model_variables or {}
    mapped = [c for c in feature_changes if _belongs(c, found.a, held) or _belongs(c, found.b, held)]
    if not mapped:  # the decision of another step whose result the kernel measured with this one's
        mapped = [c for c in feature_changes if any(_belongs(c, unit, held) for unit in _measured_with(found))]
    seeds_only = bool(mapped) and all(split_path(c.path)[-1] in SEED_FEATURE_KEYS for c in mapped)
    if not mapped:
        seeds_a = [(s.kind, s.call, repr(s.value)) for s in seeds_in_source(ea.source)]
        seeds_b = [(s.kind, s.call, repr(s.value)) for s in seeds_in_source(eb.source)]
        seeds_only = seeds_a != seeds_b and _without_seeds(ea.source) == _without_seeds(eb.source)
    kind = "seed" if seeds_only else ("feature" if mapped else "code")
    return Cause(kind=kind, cell_id=eb.cell_id, cell_index=eb.cell_index, feature_changes=mapped,
                 diff=unified(ea.source, eb.source, eb.cell_id))


def _measured_with(found: Found) -> list[Unit]:
    """The other steps of the divergent step's execution that wrote the variable it did: the kernel measures a cell's
    variables once, after it, so their data diverged with it (bfn-eeoc 01, a chain of concat, assign, melt, sort,
    filter and dropna into `sector_metrics_tidy`, its filter's kept values edited: the divergence landed on its first
    step, the assign, and the cause read "the code of cell 26 changed (no recorded decision names it)")."""
    return [replace(unit, step=step) for unit in (found.a, found.b) if unit is not None and unit.step is not None
            for step in unit.execution.steps
            if step is not unit.step and not step.in_function and step.output and step.output in unit.variables]


def _belongs(change: FeatureChange, unit: Optional[Unit], model_variables: Optional[dict[str, str]] = None) -> bool:
    """Is this feature-tree difference a decision of that step? `model_variables`: experiment id -> its model's
    variable, for a run-level diff's per-model change (`change.model` is the scored model's class: a search's
    `GridSearchCV`, where its fit step names the `Ridge` inside)."""
    if unit is None or unit.step is None:
        return False
    parts = split_path(change.path)
    op = unit.step.op
    if op == "split" and parts[0] == "training" and len(parts) == 2 and parts[1] in SPLIT_DECIDED_TRAINING:
        return _names_columns_changed(unit.step, change)
    if op in FEATURE_SECTIONS:
        sections = FITTING_EVALUATION_SECTIONS if op == "evaluate" and unit.step.detail in ESTIMATOR_FIRST_FUNCTIONS \
            else FEATURE_SECTIONS[op]
        if parts[0] not in sections:
            return False
        held = (model_variables or {}).get(change.b_experiment or "") or (model_variables or {}).get(
            change.a_experiment or "")
        if change.model is not None and unit.step.estimator and unit.step.estimator != change.model and (
                held is None or held not in unit.variables):
            return False  # another model's decision (a run-level diff names each model's: diff.per_model)
        return op != "load" or len(parts) < 3 or parts[2] in unit.variables
    if parts[0] != "preprocessing" or len(parts) < 2:
        return False
    key = parts[1].split("#", 1)[0]
    if key.startswith(f"{op}["):
        columns = set(key[len(op) + 1:-1].split(","))
        return not unit.step.columns or bool(columns & set(unit.step.columns))
    return key.startswith(f"{op}(")


def _names_columns_changed(step: Step, change: FeatureChange) -> bool:
    """Does the statement name, as a string (Step.quoted), a column the change adds or removes (`df[['x1', 'x2']]`
    for features [x1, x2] -> [x1]; one side's statement names the removed column, the other's the added one)? Only
    then is the split, and not a later step, where the change was made."""
    def as_set(v: object) -> set[str]:
        return {str(x) for x in v} if isinstance(v, (list, tuple)) else ({str(v)} if v is not None else set())

    differing = as_set(change.before) ^ as_set(change.after)
    return bool(differing & set(step.quoted))


class _SeedBlanker(ast.NodeTransformer):
    """Seed arguments replaced by one constant, so two sources that differ only in seeds compare equal."""

    def visit_keyword(self, node: ast.keyword) -> ast.keyword:
        if node.arg in SEED_FEATURE_KEYS:
            node.value = ast.Constant(value=None)
        return node

    def visit_Call(self, node: ast.Call) -> ast.Call:
        self.generic_visit(node)
        name = ast.unparse(node.func)
        if name.endswith(("seed", "default_rng", "RandomState", "set_seed", "seed_everything")) and node.args:
            node.args = [ast.Constant(value=None)] + node.args[1:]
        return node


def _without_seeds(source: str) -> Optional[str]:
    tree = parse(source)
    if tree is None:
        return None
    return ast.unparse(_SeedBlanker().visit(copy.deepcopy(tree)))  # parse() is cached: never change its tree


def _version_in(executions: list[ExecutionRecord], cell_id: str) -> Optional[ExecutionRecord]:
    found = None
    for execution in executions:
        if execution.cell_id == cell_id:
            found = execution
    return found


def _ancestors(execution: ExecutionRecord, executions: list[ExecutionRecord]) -> list[ExecutionRecord]:
    """Every execution of the slice this one read from, transitively, latest first."""
    by_seq = {e.seq: e for e in executions}
    seen: set[int] = set()
    stack = list(execution.parents)
    while stack:
        seq = stack.pop()
        if seq in seen or seq not in by_seq:
            continue
        seen.add(seq)
        stack.extend(by_seq[seq].parents)
    return [by_seq[s] for s in sorted(seen, reverse=True)]


def _edited_cell(ea: ExecutionRecord, eb: ExecutionRecord, a: Side, b: Side, agreed: set[str]
                 ) -> Optional[tuple[ExecutionRecord, ExecutionRecord]]:
    """The divergent cell when its code differs, else the nearest upstream cell whose code differs."""
    if ea.source_sha256 != eb.source_sha256:
        return ea, eb
    upstream_a = _ancestors(ea, a.executions)
    upstream_b = _ancestors(eb, b.executions)
    order = list(dict.fromkeys([e.cell_id for e in upstream_a] + [e.cell_id for e in upstream_b]))
    for cell_id in order:
        if cell_id in agreed:
            continue
        va = next((e for e in upstream_a if e.cell_id == cell_id), None) or _version_in(a.run, cell_id)
        vb = next((e for e in upstream_b if e.cell_id == cell_id), None) or _version_in(b.run, cell_id)
        if va is not None and vb is not None and va.source_sha256 != vb.source_sha256:
            return va, vb
    return None


# ---------------------------------------------------------------- packages
def _imports(executions: list[ExecutionRecord]) -> set[str]:
    names: set[str] = set()
    for execution in executions:
        tree = parse(execution.source)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".", 1)[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".", 1)[0])
    return names


def _import_name(package: str) -> str:
    return IMPORT_NAMES.get(package, package.replace("-", "_"))

