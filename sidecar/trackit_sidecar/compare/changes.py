"""Every difference between two sides, as lists: code per cell, data revisions, seeds, environment, git, and
the features' differences as a tree. Pure."""

from __future__ import annotations

import difflib
from typing import Any, Iterable, Optional

from ..experiments.feature_diff import split_path
from ..experiments.revisions import dataset_id
from ..experiments.seeds import hash_seed_from_env, seeds_of_run
from ..experiments.stamps import normalize_package
from ..protocol import (
    CellCodeChange,
    DataChange,
    DatasetRevision,
    ExecutionRecord,
    FeatureChange,
    InputFile,
    RunStamp,
    SeedRecord,
    ValueChange,
)
from .kb import ENVIRONMENT_FIELDS, GIT_FIELDS, RESTATED_LEAVES


# ---------------------------------------------------------------- code
def unified(a: Optional[str], b: Optional[str], cell_id: str) -> str:
    """The unified diff of one cell, a -> b (a cell absent on one side diffs against nothing)."""
    lines = difflib.unified_diff((a or "").splitlines(), (b or "").splitlines(),
                                 fromfile=f"a/{cell_id}" if a is not None else "/dev/null",
                                 tofile=f"b/{cell_id}" if b is not None else "/dev/null", lineterm="")
    return "\n".join(lines)


def last_versions(executions: Iterable[ExecutionRecord]) -> dict[str, ExecutionRecord]:
    """cell id -> the last execution of it (so its last source version), in first-run order."""
    found: dict[str, ExecutionRecord] = {}
    for execution in executions:
        found[execution.cell_id] = execution
    return found


def code_changes(a: list[ExecutionRecord], b: list[ExecutionRecord]) -> list[CellCodeChange]:
    """Cells of either slice whose last version differs, matched by cell id, in a's order then b's."""
    va, vb = last_versions(a), last_versions(b)
    changes: list[CellCodeChange] = []
    for cell_id in list(va) + [c for c in vb if c not in va]:
        ea, eb = va.get(cell_id), vb.get(cell_id)
        if ea is not None and eb is not None and ea.source_sha256 == eb.source_sha256:
            continue
        kind = "changed" if ea is not None and eb is not None else ("only_a" if ea is not None else "only_b")
        changes.append(CellCodeChange(
            cell_id=cell_id, change=kind, cell_index_a=ea.cell_index if ea else None,
            cell_index_b=eb.cell_index if eb else None, sha256_a=ea.source_sha256 if ea else None,
            sha256_b=eb.source_sha256 if eb else None,
            diff=unified(ea.source if ea else None, eb.source if eb else None, cell_id)))
    return changes


# ---------------------------------------------------------------- data
def data_changes(a: list[DatasetRevision], b: list[DatasetRevision]) -> list[DataChange]:
    ra, rb = {d.dataset_id: d for d in a}, {d.dataset_id: d for d in b}
    changes = []
    for dataset in list(ra) + [d for d in rb if d not in ra]:
        da, db = ra.get(dataset), rb.get(dataset)
        if da is not None and db is not None and da.sha256 == db.sha256:
            continue
        changes.append(DataChange(dataset_id=dataset, a=da.revision_id if da else None, b=db.revision_id if db else None,
                                  sha256_a=da.sha256 if da else None, sha256_b=db.sha256 if db else None,
                                  path_a=da.path if da else None, path_b=db.path if db else None))
    return changes


def file_changes(a: list[InputFile], b: list[InputFile], revisions_a: list[DatasetRevision],
                 revisions_b: list[DatasetRevision]) -> list[DataChange]:
    """Input files two executions read whose bytes differ, with their revision ids when the sides know them."""
    fa = {dataset_id(f.path): f for f in a if f.sha256}
    fb = {dataset_id(f.path): f for f in b if f.sha256}
    ids = {(d.dataset_id, d.sha256): d.revision_id for d in [*revisions_a, *revisions_b]}
    changes = []
    for dataset in fa:
        if dataset in fb and fa[dataset].sha256 != fb[dataset].sha256:
            sha_a, sha_b = fa[dataset].sha256, fb[dataset].sha256
            changes.append(DataChange(dataset_id=dataset, a=ids.get((dataset, sha_a or "")),
                                      b=ids.get((dataset, sha_b or "")), sha256_a=sha_a, sha256_b=sha_b,
                                      path_a=fa[dataset].path, path_b=fb[dataset].path))
    return changes


# ---------------------------------------------------------------- seeds
def _seed_key(seed: SeedRecord) -> tuple:
    return (seed.cell_id, seed.kind, seed.call)


def run_seeds(run: list[ExecutionRecord], upto_seq: Optional[int], stamp: Optional[RunStamp]) -> list[SeedRecord]:
    """Every seed the run's code set before (and in) execution `upto_seq`, and PYTHONHASHSEED."""
    executions = [e for e in run if upto_seq is None or e.seq <= upto_seq]
    # kept (seeds_of_run): a diff asks for each side's twice, and the run's stamp read the same
    return seeds_of_run(executions) + hash_seed_from_env(stamp.env if stamp is not None else {})


def seed_changes(a: list[SeedRecord], b: list[SeedRecord],
                 cell_numbers: Optional[dict[str, int]] = None) -> list[ValueChange]:
    """Seeds matched by (cell, kind, call) and occurrence; then, of those left on each side, one set by the same kind
    and call in another cell (the split re-written in a later cell) is the same seed, changed only if its value is;
    a seed set on one side only is a change too, unless the other side set that very seed (kind, call and value)
    elsewhere: the same split written again is the same randomness. A one-sided seed is named with its cell
    (`cell_numbers`: cell id -> 1-based number), where the other side set nothing."""
    def keyed(seeds: list[SeedRecord]) -> dict[tuple, SeedRecord]:
        out: dict[tuple, SeedRecord] = {}
        counts: dict[tuple, int] = {}
        for seed in seeds:
            key = _seed_key(seed)
            counts[key] = counts.get(key, 0) + 1
            out[(*key, counts[key])] = seed
        return out

    ka, kb = keyed(a), keyed(b)
    left_b: dict[tuple, list[SeedRecord]] = {}
    for key, seed in kb.items():
        if key not in ka:
            left_b.setdefault((seed.kind, seed.call), []).append(seed)
    pairs: list[tuple[Optional[SeedRecord], Optional[SeedRecord]]] = []
    for key, seed in ka.items():  # in a's order, as before
        moved = left_b.get((seed.kind, seed.call)) if key not in kb else None
        pairs.append((seed, kb[key] if key in kb else (moved.pop(0) if moved else None)))
    pairs += [(None, seed) for seeds in left_b.values() for seed in seeds]
    set_a = {(s.kind, s.call, repr(s.value)) for s in a}
    set_b = {(s.kind, s.call, repr(s.value)) for s in b}
    changes = []
    for sa, sb in pairs:
        if sa is not None and sb is not None and sa.value == sb.value:
            continue
        if sa is None and (sb.kind, sb.call, repr(sb.value)) in set_a:  # type: ignore[union-attr]
            continue
        if sb is None and (sa.kind, sa.call, repr(sa.value)) in set_b:  # type: ignore[union-attr]
            continue
        seed = sa or sb
        name = f"{seed.kind} in {seed.call}" if seed.call else seed.kind  # type: ignore[union-attr]
        number = (cell_numbers or {}).get(seed.cell_id or "") if sa is None or sb is None else None  # type: ignore
        changes.append(ValueChange(name=name + (f" (cell {number})" if number else ""),
                                   a=sa.value if sa else None, b=sb.value if sb else None))
    return changes


# ---------------------------------------------------------------- environment and git
def _value_changes(pairs: Iterable[tuple[str, Any, Any]]) -> list[ValueChange]:
    return [ValueChange(name=name, a=a, b=b) for name, a, b in pairs if a != b]


def package_changes(a: Optional[RunStamp], b: Optional[RunStamp]) -> list[ValueChange]:
    if a is None or b is None or not a.packages or not b.packages:
        return []
    pa = {normalize_package(k): v for k, v in a.packages.items()}
    pb = {normalize_package(k): v for k, v in b.packages.items()}
    return _value_changes((name, pa.get(name), pb.get(name)) for name in sorted(pa.keys() | pb.keys()))


def environment_changes(a: Optional[RunStamp], b: Optional[RunStamp]) -> list[ValueChange]:
    """Python, OS, the reproducibility variables, then packages (stamps missing on a side: nothing to say)."""
    if a is None or b is None:
        return []
    fields = [(name, getattr(a, name), getattr(b, name)) for name in ENVIRONMENT_FIELDS]
    env = [(name, a.env.get(name), b.env.get(name)) for name in sorted(a.env.keys() | b.env.keys())]
    return _value_changes(fields + env) + package_changes(a, b)


def git_changes(a: Optional[RunStamp], b: Optional[RunStamp]) -> list[ValueChange]:
    ga = a.git if a is not None else None
    gb = b.git if b is not None else None
    if ga is None or gb is None:
        return []
    changes = _value_changes((f"git.{name}", getattr(ga, name), getattr(gb, name)) for name in GIT_FIELDS)
    files_a, files_b = set(ga.changed_files), set(gb.changed_files)
    if files_a != files_b:
        changes.append(ValueChange(name="git.changed_files", a=sorted(files_a - files_b), b=sorted(files_b - files_a)))
    return changes


# ---------------------------------------------------------------- features
def explained_restatements(changes: list[FeatureChange]) -> list[FeatureChange]:
    """The changes without a decision's restated statement (`expr`) that only repeats the text change another
    decision of the same statement names: bfn-ofsted's one chain filters on `Inspection date`, `Provision type` and
    `Sector`; its date threshold edited, `diff` listed the three filters as changed (each `expr` is the whole chain)."""
    def decision(change: FeatureChange) -> str:
        return ".".join(split_path(change.path)[:-1])

    def restated(change: FeatureChange) -> bool:
        return split_path(change.path)[-1] in RESTATED_LEAVES

    named = {decision(c) for c in changes if not restated(c)}
    texts = {(repr(c.before), repr(c.after)) for c in changes if restated(c) and decision(c) in named}
    return [c for c in changes if not (restated(c) and c.change == "changed" and decision(c) not in named
                                       and (repr(c.before), repr(c.after)) in texts)]


def feature_tree(changes: list[FeatureChange]) -> dict[str, Any]:
    """The differences as a nested tree: leaves are {"change", "a", "b"} (and "unset_means" when set); one model's
    decisions in a run-level diff under that model's "<class> in cell <n>" (the cell that scored it, 1-based), the runs' shared ones at the top."""
    tree: dict[str, Any] = {}
    for change in changes:
        node = tree
        if change.model is not None or change.cell_index is not None:
            cell = f"cell {change.cell_index + 1}" if change.cell_index is not None else "a cell"
            node = tree.setdefault(f"{change.model} in {cell}" if change.model else cell, {})
        parts = split_path(change.path)
        for part in parts[:-1]:  # a diff's paths are leaves: none is a prefix of another
            node = node.setdefault(part, {})
        leaf = {"change": change.change, "a": change.before, "b": change.after}
        if change.unset_means is not None:
            leaf["unset_means"] = change.unset_means
        node[parts[-1]] = leaf
    return tree
