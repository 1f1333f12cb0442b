"""Gather / replay / verify / env as requests: read records through TrackitService, call the pure modules,
touch files and kernels only here and in `replay.py`. The CLI and the server both call these functions.

Store access (`TrackitService.lineage`) must happen on the store's thread; `replay_and_verify` takes the
recorded lineage as an argument so the server can read it there and run the kernel elsewhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Optional
from urllib.parse import unquote, urlparse

from .. import protocol as p
from ..protocol import LineageDocument
from . import environment as env_format
from .document import to_notebook
from .gather import EXPERIMENT_ID, GatherError, GatherResult, Target, gather
from .replay import ReplayResult, replay
from .verify import VerifyReport, verify


@dataclass
class Gathered:
    result: GatherResult
    notebook: dict  # nbformat 4 dict, ready to write or open


def parse_target(text: str, seq: Optional[int] = None) -> Target:
    """`df` -> the variable; `#12` / `run:12` -> everything run #12 computed; `E0003` -> an experiment."""
    text = (text or "").strip()
    if EXPERIMENT_ID.match(text):
        return Target(label=text)  # resolved by resolve_experiment
    if text.startswith("#") and text[1:].isdigit():
        return Target(seq=int(text[1:]))
    if not text and seq is not None:
        return Target(seq=seq)
    return Target(variable=text, seq=seq)


def resolve_experiment(service, experiment_id: str) -> tuple[str, Target]:
    """(notebook, target) of an experiment (issue 11): everything its metric run computed."""
    from ..experiments.service import ExperimentNotFound

    try:
        experiment = service.experiments.experiment(experiment_id)
    except (ExperimentNotFound, ValueError) as error:
        raise GatherError(str(error)) from None
    return experiment.notebook_uri, Target(seq=experiment.seq, label=f"experiment {experiment.id}")


def current_cells(doc: LineageDocument) -> Optional[dict[str, str]]:
    """cell id -> source of the notebook file as it is now, or None when there is no readable file."""
    from ..notebook_file import cell_id_for
    from ..notebook_file import NotebookError, read_notebook

    path = notebook_path(doc)
    if path is None or not os.path.isfile(path):
        return None
    try:
        notebook = read_notebook(path)
    except NotebookError:
        return None
    cells = {}
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells[cell_id_for(cell, index)] = "".join(source) if isinstance(source, list) else source
    return cells


def notebook_path(doc: LineageDocument) -> Optional[str]:
    if doc.notebook and not doc.notebook.startswith(("file:", "vscode", "untitled:")) and os.path.isabs(doc.notebook):
        return doc.notebook
    parsed = urlparse(doc.notebook_uri)
    return unquote(parsed.path) if parsed.scheme == "file" else None


def gather_notebook(service, notebook: str, target: Target) -> Gathered:
    """Store thread: the lineage, the notebook file's current cells, the gathered notebook; its environment is
    the run's stamp when the run has one (else the caller may add `gather_environment`, off this thread)."""
    if target.label and EXPERIMENT_ID.match(target.label) and target.seq is None and target.variable is None:
        notebook, target = resolve_experiment(service, target.label)
    doc = service.lineage(notebook)
    if not doc.executions:
        raise GatherError(f"no executions recorded for {notebook} (run it first: trackit run)")
    result = gather(doc, target, current_cells(doc))
    session = next((s for s in service.public_lineage(notebook, include_experiments=False).sessions
                    if s.id == result.session), None)
    kernel_name = session.kernel_name if session else None
    environment = stamp_environment(session.stamp if session else None)
    return Gathered(result, to_notebook(result, kernel_name, environment))


def gather_environment(kernel_name: Optional[str], when: str = "when gathering") -> Optional[dict]:
    """The packages the notebook's kernelspec sees now: what a replay compares against when the run has no stamp
    (recorded before experiment stamps, or with no kernel tied to it). None when they cannot be listed."""
    import subprocess

    from ..experiments.stamps import list_environment
    from ..kernel.kernelspecs import KernelStartError, kernelspec_python

    try:
        executable = kernelspec_python(kernel_name or "python3")
        listed = list_environment(executable, None)
    except (KernelStartError, OSError, RuntimeError, ValueError, subprocess.SubprocessError):
        return None
    return {**listed, "source": f"listed from kernel {kernel_name or 'python3'} ({executable}) {when}"}


def stamp_environment(stamp: Optional[p.RunStamp]) -> Optional[dict]:
    """A run's stamp (issue 11) as the environment verify compares with: the packages the run itself had."""
    if stamp is None or not stamp.packages:
        return None
    return {"python": stamp.python_version, "packages": dict(stamp.packages), "modules": dict(stamp.modules),
            "source": f"recorded with the run (stamped {stamp.stamped_at})"}


def recorded_lineage(service, gathered: dict) -> LineageDocument:
    """Store thread: the recording a gathered notebook came from."""
    return service.lineage(str(gathered.get("notebook_uri") or gathered.get("notebook")))


def replay_and_verify(notebook: dict, recorded: LineageDocument, kernel_name: Optional[str] = None,
                      on_cell: Optional[Callable] = None, timeout: float = 600) -> tuple[ReplayResult, VerifyReport]:
    """Any thread: replay in a fresh kernel, then compare with the recording."""
    replayed = replay(notebook, kernel_name=kernel_name, timeout=timeout, on_cell=on_cell)
    recorded_environment = replayed.gathered.get("environment")
    report = verify(recorded, replayed.cells, replayed.doc, recorded_environment, replayed.environment)
    return replayed, report


def environment_file(environment: dict, sources, fmt: str, title: str) -> str:
    if fmt == "conda":
        return env_format.conda(environment, sources, title)
    return env_format.requirements(environment, sources, title)


# ---------------------------------------------------------------- answers and environments
def gather_answer(gathered: Gathered) -> p.GatherAnswer:
    result = gathered.result
    return p.GatherAnswer(
        notebook_uri=result.notebook_uri, target=result.target, notebook=gathered.notebook, cells=len(result.cells),
        cells_in_session=result.cells_in_session, statements=result.statements,
        statements_in_session=result.statements_in_session, notes=list(result.notes),
    )


def verify_result(report: VerifyReport, replayed: ReplayResult) -> p.VerifyResult:
    divergence = None
    if report.divergence is not None:
        d = report.divergence
        check = d.check
        divergence = p.VerifyDivergence(
            gathered_cell=d.cell.number, cell_id=d.cell.origin.cell_id, cell_index=d.cell.origin.cell_index,
            seq=d.cell.origin.seq, step=check.number if check else None, variable=check.variable if check else None,
            code=check.code if check else None, difference=check.difference if check else None, error=d.error,
            causes=[p.VerifyCause(kind=c.kind, text=c.text) for c in d.causes],
        )
    return p.VerifyResult(
        notebook_uri=str(replayed.gathered.get("notebook_uri") or ""), reproduced=report.reproduced,
        message=report.message, steps=len(report.checks), matched=report.matched, divergence=divergence,
        unverified=report.unverified, notes=replayed.notes, kernel_name=replayed.kernel_name,
        seconds=round(replayed.seconds, 3),
    )


def experiment_environment(service, experiment_id: str) -> tuple[Optional[dict], list[str], str]:
    """An experiment's package pins, from its run's stamp, and the code of its slice."""
    from ..experiments.service import ExperimentNotFound

    try:
        experiment = service.experiments.experiment(experiment_id)
    except (ExperimentNotFound, ValueError) as error:
        raise GatherError(str(error)) from None
    seqs = {entry.seq for entry in experiment.slice}
    sources = [e.source for e in service.lineage(experiment.notebook_uri).executions if e.seq in seqs]
    environment = stamp_environment(experiment.stamp)
    if environment is None:
        return None, sources, f"experiment {experiment.id}'s run has no package list in its stamp"
    return environment, sources, f"packages imported by experiment {experiment.id} (recorded with its run)"


def gathered_environment(path: str) -> tuple[Optional[dict], list[str], str]:
    """The environment a gathered notebook carries (listed when it was gathered) and its code."""
    from ..notebook_file import read_notebook
    from .replay import replayed_cells

    gathered, cells = replayed_cells(read_notebook(path))
    environment = gathered.get("environment")
    name = os.path.basename(str(gathered.get("notebook") or path))
    if not environment:
        return None, [], "the gathered notebook carries no package list (gathered with --no-env?)"
    return environment, [c.source for c in cells], f"packages imported by the code gathered from {name}"


def notebook_environment(service, notebook: str) -> tuple[Optional[dict], list[str], str]:
    """A notebook's latest session: the code it ran, and the packages of its stamp (else its kernelspec's now)."""
    doc = service.public_lineage(notebook, include_experiments=False)
    if not doc.executions:
        raise GatherError(f"no executions recorded for {notebook} (run it first: trackit run)")
    session = max(doc.sessions, key=lambda s: s.id) if doc.sessions else None
    sid = session.id if session else doc.executions[-1].session
    sources = [e.source for e in doc.executions if e.session == sid and e.status == "ok"]
    environment = stamp_environment(session.stamp if session else None) or gather_environment(
        session.kernel_name if session else None, "now (the run has no stamp)")
    name = os.path.basename(doc.notebook)
    if environment is None:
        return None, sources, f"the packages of kernel {session.kernel_name if session else 'python3'} cannot be listed"
    return environment, sources, f"packages imported by {name} (session {sid})"
