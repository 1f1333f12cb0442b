"""Verify: does a replay reproduce the recording, and if not, where does it first diverge and why. Pure.

Inputs are records only: the recorded lineage (the executions the gathered cells came from, with their
runtime facts and input files), the replay's lineage (the same facts measured in the fresh kernel), the
gathered cells' origins, and, when known, the environment of each run (Python and package versions).

A check is one variable at the end of one gathered cell that the recording measured (a frame, series or
array: rows, columns, nulls, fingerprint) and that the gathered cell is the last to write (`compare` in the
cell's metadata). Checks are taken in replay order; the FIRST that differs (or the first cell that fails)
is the divergence. Its likely causes come from the records, in this order: the gathered code was edited
(a seed removed or changed), an input file changed, a package or Python version changed, randomness
without a seed; when none applies we say so instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .. import fingerprints
from ..experiments.stamps import normalize_package
from ..render.words import counted, join_clauses
from ..protocol import ExecutionRecord, InputFile, LineageDocument, RuntimeFacts, source_sha256
from . import effects as fx
from .cells import Origin
from .statements import split_cell


@dataclass
class ReplayedCell:
    """One gathered cell as replayed: its origin and what the gathered notebook says it must reproduce."""

    number: int  # 1-based among the gathered code cells
    cell_id: str  # the gathered cell's id (the replay records it under this id)
    source: str  # what ran in the replay
    origin: Origin
    compare: list[str]
    gathered_sha256: Optional[str] = None  # sha256 of the cell when gather wrote it
    outputs: bool = False  # compare what it prints with what the recorded run printed (a whole target run)


@dataclass
class Check:
    number: int  # 1-based among all checks, in replay order ("step 4")
    cell: ReplayedCell
    variable: str  # PRINTED for the check of a run's printed output
    code: Optional[str]  # the recorded step that produced the value, if one did
    recorded: Optional[RuntimeFacts]
    replayed: Optional[RuntimeFacts]
    difference: Optional[str]  # None when they match


@dataclass
class Cause:
    kind: str  # code_changed | seed_removed | seed_changed | input_changed | input_missing | package | python |
    #            unseeded | unordered | missing_package | not_gathered | unknown
    text: str


@dataclass
class Divergence:
    cell: ReplayedCell
    check: Optional[Check]  # None when the cell failed
    error: Optional[str]  # "KeyError: 'Age'" when the cell failed
    causes: list[Cause] = field(default_factory=list)


@dataclass
class VerifyReport:
    reproduced: bool
    checks: list[Check]
    divergence: Optional[Divergence]
    unverified: list[str] = field(default_factory=list)  # why some cells could not be checked
    # what differs from the recording though every step matched (an input file edited where the steps do not read
    # it, a package upgraded): an auditor is told, and told that the result did not move
    unaffected_by: list[Cause] = field(default_factory=list)
    message: str = ""

    @property
    def matched(self) -> int:
        return sum(1 for check in self.checks if check.difference is None)


def verify(recorded: LineageDocument, cells: list[ReplayedCell], replay: LineageDocument,
           recorded_environment: Optional[dict] = None, replay_environment: Optional[dict] = None) -> VerifyReport:
    """Compare the replay with the recording (see module docstring)."""
    recorded_by_seq = {e.seq: e for e in recorded.executions}
    replayed_by_cell: dict[str, ExecutionRecord] = {}
    for execution in sorted(replay.executions, key=lambda e: e.seq):
        replayed_by_cell.setdefault(execution.cell_id, execution)
    checks: list[Check] = []
    unverified: list[str] = []
    divergence: Optional[Divergence] = None
    latest: dict[str, RuntimeFacts] = {}  # the replay's last measurement of each variable so far
    for cell in cells:
        original = recorded_by_seq.get(cell.origin.seq)
        replayed = replayed_by_cell.get(cell.cell_id)
        if replayed is None:
            divergence = Divergence(cell, None, "the replay stopped before this cell")
            break
        if replayed.status != "ok":
            error = replayed.error
            text = f"{error.name}: {error.message}" if error and error.name else replayed.status
            divergence = Divergence(cell, None, _first_line(text))
            break
        if original is None:
            unverified.append(f"cell {cell.number}: run #{cell.origin.seq} is not in the recording")
            continue
        # a variable the replayed cell left alone keeps the value an earlier cell measured (the probe measures
        # only what a cell changed or named: an edited-out statement leaves `df` unmeasured, not missing)
        latest.update({f.variable: f for f in replayed.runtime if f.variable})
        cell_checks = _cell_checks(cell, original, latest, len(checks))
        if cell.outputs:
            printed = _printed(original)
            if printed is not None:
                cell_checks.append(Check(len(checks) + len(cell_checks) + 1, cell, PRINTED, None, None, None,
                                         _printed_difference(printed, _printed(replayed) or "")))
        if not cell_checks and cell.compare:
            unverified.append(f"cell {cell.number} (from cell {cell.origin.cell_index + 1}): no runtime facts "
                              f"were recorded for {', '.join('`' + n + '`' for n in cell.compare[:4])}")
        checks.extend(cell_checks)
        bad = next((c for c in cell_checks if c.difference is not None), None)
        if bad is not None:
            divergence = Divergence(cell, bad, None)
            break
    if divergence is not None:
        divergence.causes = likely_causes(divergence, cells, recorded_by_seq, replayed_by_cell,
                                          recorded_environment, replay_environment)
    report = VerifyReport(reproduced=divergence is None and bool(checks), checks=checks, divergence=divergence,
                          unverified=unverified)
    if report.reproduced:
        report.unaffected_by = (_input_changes(cells, recorded_by_seq, replayed_by_cell)
                                + _environment_changes(cells, recorded_environment, replay_environment))
    report.message = render(report, len(cells))
    return report


# ---------------------------------------------------------------- checks
def _cell_checks(cell: ReplayedCell, original: ExecutionRecord, replay_facts: dict[str, RuntimeFacts],
                 before: int) -> list[Check]:
    recorded_facts = {f.variable: f for f in original.runtime if f.variable}
    order = {step.runtime.variable: index for index, step in enumerate(original.steps)
             if step.runtime is not None and step.runtime.variable}
    names = sorted((n for n in cell.compare if n in recorded_facts), key=lambda n: (order.get(n, 1 << 20), n))
    checks = []
    for name in names:
        step = next((s for s in reversed(original.steps) if s.runtime is not None and s.runtime.variable == name), None)
        if step is None:
            step = next((s for s in reversed(original.steps) if s.output == name
                         or name in (s.detail or "").replace(",", " ").split()), None)
        check = Check(before + len(checks) + 1, cell, name, step.code if step else None, recorded_facts[name],
                      replay_facts.get(name), None)
        check.difference = difference(check.recorded, check.replayed, name)
        checks.append(check)
    return checks


def difference(recorded: RuntimeFacts, replayed: Optional[RuntimeFacts], name: str = "") -> Optional[str]:
    """None when the replayed value matches the recorded one; else what differs, worded for a person."""
    if replayed is None:
        return f"the replay measured no value for `{name}`"
    if recorded.kind and replayed.kind and recorded.kind != replayed.kind:
        return f"recorded a {recorded.kind}, replay a {replayed.kind}"
    parts = []
    if recorded.rows_after is not None and replayed.rows_after is not None and recorded.rows_after != replayed.rows_after:
        parts.append(f"recorded {recorded.rows_after:,} rows, replay {replayed.rows_after:,} rows")
    if recorded.cols_after is not None and replayed.cols_after is not None and recorded.cols_after != replayed.cols_after:
        parts.append(f"recorded {recorded.cols_after:,} columns, replay {replayed.cols_after:,} columns")
    if parts:
        return "; ".join(parts)
    if recorded.nulls_after is not None and replayed.nulls_after is not None and recorded.nulls_after != replayed.nulls_after:
        return f"same shape; recorded {recorded.nulls_after:,} missing values, replay {replayed.nulls_after:,}"
    if recorded.fingerprint != replayed.fingerprint and fingerprints.comparable(recorded.fingerprint,
                                                                                 replayed.fingerprint):
        # (not comparable: another hash function, xxhash installed in one kernel only, or a recording by an older
        # probe: shape is all we can say)
        return (f"same shape, different values (fingerprint {_short_hash(recorded.fingerprint)} → "
                f"{_short_hash(replayed.fingerprint)})")
    return None


PRINTED = "printed output"
_PRINTED_MIMES = ("application/vnd.code.notebook.stdout", "text/plain")


def _printed(execution: ExecutionRecord) -> Optional[str]:
    """What a run printed and displayed as text (stdout and text results), or None when it showed nothing;
    a capped output counts up to its cap."""
    parts = [o.text for o in execution.outputs
             if o.text is not None and o.mime in _PRINTED_MIMES and o.output_type in ("stream", "execute_result")]
    return "".join(parts) if parts else None


def _printed_difference(recorded: str, replayed: str) -> Optional[str]:
    old, new = recorded.rstrip("\n").split("\n"), replayed.rstrip("\n").split("\n")
    for before, after in zip(old, new):
        if before.rstrip() != after.rstrip():
            return f"printed `{_code(before)}`, replay printed `{_code(after)}`"
    if len(old) != len(new):
        return f"printed {counted(len(old), 'line')}, replay {len(new)}"
    return None


def _short_hash(value: str) -> str:
    return value.split(":", 1)[-1][:8] + "…"


# ---------------------------------------------------------------- causes
def likely_causes(divergence: Divergence, cells: list[ReplayedCell], recorded_by_seq: dict[int, ExecutionRecord],
                  replayed_by_cell: dict[str, ExecutionRecord], recorded_environment: Optional[dict],
                  replay_environment: Optional[dict]) -> list[Cause]:
    """What in the records explains the divergence, most specific first."""
    upto = cells[: cells.index(divergence.cell) + 1]
    causes: list[Cause] = []
    causes += _edited_cells(upto, recorded_by_seq)
    causes += _input_changes(upto, recorded_by_seq, replayed_by_cell)
    causes += _environment_changes(upto, recorded_environment, replay_environment)
    if divergence.error:
        causes += _error_causes(divergence.error, upto)
    causes += _unseeded(upto)
    if not causes:
        causes.append(Cause("unknown", "no recorded difference explains it: the code may depend on something TrackIT "
                                       "does not record (the clock, the network, a file read by a call it does not "
                                       "know, hash randomisation)"))
    return causes


def _edited_cells(cells: list[ReplayedCell], recorded_by_seq: dict[int, ExecutionRecord]) -> list[Cause]:
    causes = []
    recorded_seeds = _seeds(recorded_by_seq[c.origin.seq].source for c in cells if c.origin.seq in recorded_by_seq)
    replay_seeds = _seeds(c.source for c in cells)
    for family, code in recorded_seeds.items():
        if family not in replay_seeds:
            causes.append(Cause("seed_removed", f"the recording seeded {family}'s generator (`{code}`); the replayed "
                                                "code does not"))
        elif replay_seeds[family] != code:
            causes.append(Cause("seed_changed", f"seed changed: `{code}` in the recording, `{replay_seeds[family]}` "
                                                "in the replay"))
    edited = [c for c in cells if c.gathered_sha256 and source_sha256(c.source) != c.gathered_sha256]
    if edited and not causes:
        shown = ", ".join(str(c.number) for c in edited[:5])
        causes.append(Cause("code_changed", f"gathered cell{'s' if len(edited) > 1 else ''} {shown} "
                                            f"{'were' if len(edited) > 1 else 'was'} edited after gathering"))
    return causes


def _seeds(sources) -> dict[str, str]:
    """family -> the first seeding call's code, over the statements of these sources, in order."""
    found: dict[str, str] = {}
    context = fx.Context()
    for source in sources:
        for unit in split_cell(source).units:
            effect = fx.classify(unit, context)
            for family, _call in effect.seeds:
                found.setdefault(family, unit.text.strip())
            context.aliases.update(unit.imports)
    return found


def _input_changes(cells: list[ReplayedCell], recorded_by_seq: dict[int, ExecutionRecord],
                   replayed_by_cell: dict[str, ExecutionRecord]) -> list[Cause]:
    causes = []
    seen: set[str] = set()
    for cell in cells:
        original = recorded_by_seq.get(cell.origin.seq)
        replayed = replayed_by_cell.get(cell.cell_id)
        if original is None:
            continue
        now = {f.path: f for f in (replayed.input_files if replayed else [])}
        for before in original.input_files:
            if before.path in seen or not before.sha256:
                continue
            seen.add(before.path)
            after: Optional[InputFile] = now.get(before.path)
            name = before.path.rsplit("/", 1)[-1]
            if after is None:
                if replayed is not None and replayed.status == "ok":
                    continue  # the replayed cell did not load it (pruned): nothing to say
                causes.append(Cause("input_missing", f"input `{name}` was not read by the replay"))
            elif after.error:
                causes.append(Cause("input_missing", f"input `{name}`: {after.error}"))
            elif after.sha256 and after.sha256 != before.sha256:
                causes.append(Cause("input_changed", f"input `{name}` has changed since (sha256 "
                                                     f"{before.sha256[:4]}… → {after.sha256[:4]}…)"))
    return causes


def _environment_changes(cells: list[ReplayedCell], recorded: Optional[dict], replay: Optional[dict]) -> list[Cause]:
    if not recorded or not replay:
        return []
    causes = []
    used = imported_modules(c.source for c in cells)
    old, new = recorded.get("packages") or {}, replay.get("packages") or {}
    modules = {**(recorded.get("modules") or {}), **(replay.get("modules") or {})}
    for key in sorted(distributions_for(used, modules, old) | distributions_for(used, modules, new)):
        before, after = old.get(key), new.get(key)
        if before and after and before != after:
            causes.append(Cause("package", f"package {key} {before} → {after}"))
        elif before and not after:
            causes.append(Cause("missing_package", f"package {key} {before} is not installed in the replay kernel"))
    if recorded.get("python") and replay.get("python") and recorded["python"] != replay["python"]:
        causes.append(Cause("python", f"Python {recorded['python']} → {replay['python']}"))
    return causes


def imported_modules(sources) -> set[str]:
    """Top-level modules the sources import."""
    modules: set[str] = set()
    for source in sources:
        for unit in split_cell(source).units:
            for path in unit.imports.values():
                if not path.startswith("."):
                    modules.add(path.split(".")[0])
            if unit.star_import and not unit.star_import.startswith("."):
                modules.add(unit.star_import.split(".")[0])
    return modules


def distributions_for(modules: set[str], module_map: dict, packages: dict) -> set[str]:
    """Normalised distribution names providing these modules (a module named like its package counts too)."""
    found: set[str] = set()
    for module in modules:
        for name in module_map.get(module, []) or []:
            found.add(normalize_package(name))
        if normalize_package(module) in packages:
            found.add(normalize_package(module))
    return {name for name in found if name in packages}


def _error_causes(error: str, cells: list[ReplayedCell]) -> list[Cause]:
    name = error.split(":", 1)[0]
    if name in ("ModuleNotFoundError", "ImportError"):
        return [Cause("missing_package", f"the replay kernel cannot import what the recording did ({error})")]
    if name == "FileNotFoundError":
        return [Cause("input_missing", f"a file the recording read is missing ({error})")]
    if name == "NameError":
        return [Cause("not_gathered", f"{error}: the gathered code misses a definition the recording had (a name "
                                      "from a startup file, `%run`, or a change TrackIT cannot see)")]
    return []


def _unseeded(cells: list[ReplayedCell]) -> list[Cause]:
    """Draws from a global generator with no seed for it earlier in the replayed code, and unseeded generators."""
    seeded: set[str] = set()
    context = fx.Context()
    for cell in cells:
        for unit in split_cell(cell.source).units:
            effect = fx.classify(unit, context)
            seeded.update(family for family, _ in effect.seeds)
            context.aliases.update(unit.imports)
            code = _code(unit.text)
            for family, _call in effect.draws:
                if family not in seeded:
                    return [Cause("unseeded", f"unseeded randomness: `{code}` (cell {cell.number}) draws from "
                                              f"{family}'s global generator and no seed was set")]
            if effect.unseeded_generators:
                return [Cause("unseeded", f"unseeded randomness: `{code}` (cell {cell.number}) makes a generator "
                                          "without a seed")]
            if effect.unordered:
                return [Cause("unordered", f"`{code}` (cell {cell.number}) returns its groups in no fixed order "
                                           "(polars: pass maintain_order=True)")]
    return []


# ---------------------------------------------------------------- words
def render(report: VerifyReport, cells: int) -> str:
    if report.reproduced:
        steps = len(report.checks)
        text = f"reproduced ✓ ({report.matched} of {counted(steps, 'step')} {'matches' if steps == 1 else 'match'})"
        if report.unaffected_by:
            text += f", although {join_clauses([c.text for c in report.unaffected_by])}: the values measured at each step did not move"
        if report.unverified:
            text += f"; {counted(len(report.unverified), 'cell')} had nothing recorded to compare"
        return text
    divergence = report.divergence
    if divergence is None:
        return ("not verified: the recording has no runtime facts (shapes, fingerprints) for the gathered cells; "
                "record with runtime capture on (a kernel TrackIT can attach to, or `trackit run`)")
    cell = divergence.cell
    where = f"cell {cell.number} (from cell {cell.origin.cell_index + 1}, run #{cell.origin.seq})"
    if divergence.check is not None:
        check = divergence.check
        what = f"`{_code(check.code)}`" if check.code else (
            "output" if check.variable == PRINTED else f"`{check.variable}`")
        text = f"step {check.number}, {where} {what}: {check.difference}"
    else:
        text = f"{where} failed in the replay: {divergence.error}"
    if divergence.causes:
        text += "; " + "; ".join(cause.text for cause in divergence.causes[:3])
    return text


def _code(code: str) -> str:
    line = " ".join(code.split())  # a statement over several lines, on one
    return line if len(line) <= 80 else line[:79] + "…"


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else text
    return line[:200]
