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


def resolve_experiment(service, doc: LineageDocument, experiment_id: str) -> Target:
    """An experiment's metric execution. Experiments (issue 11) keep their ids in the store; until that lands
    there is nothing to resolve and the caller gets a one-line reason."""
    finder = getattr(service, "experiment", None)
    if finder is None:
        raise GatherError(f"{experiment_id}: experiments are not recorded by this version of TrackIT; gather a "
                          "variable, or a run with #N")
    found = finder(experiment_id)
    seq = getattr(found, "seq", None) or getattr(found, "execution_seq", None)
    if seq is None:
        raise GatherError(f"no experiment {experiment_id} for {doc.notebook}")
    return Target(seq=int(seq), label=f"experiment {experiment_id}")


def current_cells(doc: LineageDocument) -> Optional[dict[str, str]]:
    """cell id -> source of the notebook file as it is now, or None when there is no readable file."""
    from ..kernel.runner import cell_id_for
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


def gather_notebook(service, notebook: str, target: Target, environment: Optional[dict] = None) -> Gathered:
    """Store thread: the lineage, the notebook file's current cells, the gathered notebook."""
    doc = service.lineage(notebook)
    if not doc.executions:
        raise GatherError(f"no executions recorded for {notebook} (run it first: trackit run)")
    if target.label and EXPERIMENT_ID.match(target.label) and target.seq is None and target.variable is None:
        target = resolve_experiment(service, doc, target.label)
    result = gather(doc, target, current_cells(doc))
    session = next((s for s in doc.sessions if s.id == result.session), None)
    kernel_name = session.kernel_name if session else None
    return Gathered(result, to_notebook(result, kernel_name, environment))


def gather_environment(kernel_name: Optional[str]) -> Optional[dict]:
    """The packages the notebook's kernelspec sees now, for a later replay to compare against (until
    experiment stamps record them at the run itself). None when they cannot be listed."""
    from ..kernel import packages

    try:
        executable = packages.kernelspec_python(kernel_name or "python3")
        listed = packages.installed_packages(executable)
    except packages.PackageListError:
        return None
    return {"python": listed.get("python"), "packages": listed.get("packages", {}),
            "modules": listed.get("modules", {}),
            "source": f"listed from kernel {kernel_name or 'python3'} ({executable}) when gathering"}


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
