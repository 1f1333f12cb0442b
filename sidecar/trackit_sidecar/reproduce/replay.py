"""Replay a gathered notebook in a fresh kernel with TrackIT's runtime facts on. The edge: uses `kernel/`.

The kernel starts in the RECORDED notebook's folder (relative paths in the code resolve as they did), with
the recorded kernelspec when it is installed here (else python3, and the result says so). Every cell is
recorded exactly as the editor would record it, into a throwaway in-memory store, so the replay has the same
records the recording has: runtime facts per variable and the input files each load read. The first failing
cell stops the replay, as `trackit run` does.
"""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from ..config import Settings
from ..protocol import LineageDocument
from .document import read_gathered
from .verify import ReplayedCell


class ReplayInputError(ValueError):
    """The gathered notebook cannot be replayed here (one-line reason): exit code 2."""


@dataclass
class ReplayResult:
    gathered: dict  # the notebook's trackit.gathered metadata
    cells: list[ReplayedCell]
    doc: LineageDocument  # the replay's own records
    kernel_name: str
    environment: Optional[dict] = None  # {"python", "packages": {name: version}, "modules"} of the replay kernel
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


OnCell = Callable[[ReplayedCell, str], None]  # (cell, status) after each cell


def replayed_cells(notebook: dict) -> tuple[dict, list[ReplayedCell]]:
    """The gathered metadata and cells of a notebook `trackit gather` wrote (GatheredNotebookError if not)."""
    return read_gathered(notebook)


def replay(notebook: dict, kernel_name: Optional[str] = None, timeout: float = 600,
           on_cell: Optional[OnCell] = None, list_packages: bool = True) -> ReplayResult:
    """Run every gathered cell in a fresh kernel; the replay's records. Raises ReplayInputError."""
    from ..experiments.stamps import list_environment
    from ..kernel.silent_requests import ProbeError
    from ..kernel.experiments import kernel_environment
    from ..kernel.kernelspecs import KernelStartError
    from ..kernel.session import KernelSession, record
    from ..services import TrackitService
    from ..store import Store

    gathered, cells = replayed_cells(notebook)
    if not cells:
        raise ReplayInputError("the gathered notebook has no code cells")
    source_notebook = Path(str(gathered.get("notebook") or ""))
    folder = source_notebook.parent
    if not source_notebook.is_absolute() or not folder.is_dir():
        raise ReplayInputError(f"the recorded notebook's folder {folder} does not exist here: the replay runs there "
                               "so that relative paths resolve as they did")
    notes: list[str] = []
    started = time.monotonic()
    try:
        session = KernelSession(folder / "trackit-replay.ipynb", cwd=folder, kernel_name=kernel_name, timeout=timeout,
                                recorded_kernel=gathered.get("kernel_name"))
    except KernelStartError as error:  # no such kernelspec, not Python, or it did not start
        raise ReplayInputError(str(error)) from None
    if session.note:
        notes.append(session.note)
    store = Store.open(None)
    service = TrackitService(store, Settings())
    environment: dict = {}
    listing: Optional[threading.Thread] = None
    try:
        if session.runtime_capture_error:
            notes.append(f"runtime facts unavailable in the replay kernel: {session.runtime_capture_error}")
        if list_packages:
            try:  # the kernel says which interpreter and sys.path it runs with, silently
                where = kernel_environment(session.expressions)
            except (ProbeError, ValueError) as error:
                notes.append(f"the replay kernel did not say which Python it runs: {error}")
            else:
                environment["python"] = where.get("python_version")

                def collect() -> None:  # a subprocess of the kernel's interpreter, while the cells run
                    try:
                        listed = list_environment(where["executable"], list(where.get("sys_path") or []))
                        environment["packages"], environment["modules"] = listed["packages"], listed["modules"]
                    except (OSError, RuntimeError, ValueError, subprocess.SubprocessError) as error:
                        notes.append(f"packages of the replay kernel: {error}"[:300])

                listing = threading.Thread(target=collect, name="trackit-packages", daemon=True)
                listing.start()
        for index, cell in enumerate(cells):
            event, runtime = session.run(cell.source, cell.cell_id, index + 1)
            record(service, event, runtime)
            if on_cell is not None:
                on_cell(cell, event.status)
            if event.status != "ok":
                if session.died:
                    notes.append(f"the kernel died: {session.died}")
                break
        doc = service.lineage(session.notebook_uri)
        kernel = session.kernel_name
    finally:
        session.close()
        store.close()
    if listing is not None:
        listing.join(timeout=60)
    return ReplayResult(gathered, cells, doc, kernel, environment or None, notes, time.monotonic() - started)
