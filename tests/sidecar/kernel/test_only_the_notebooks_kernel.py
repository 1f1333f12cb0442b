"""Only the notebook's own kernel is ever touched (issue 8, item 4), with real kernels and a real `trackit serve`.

Two live kernels: the notebook's, announced by the editor; and another program's, started outside the
sidecar's process tree, with its connection file in the sidecar's Jupyter runtime dir, cwd = the notebook's
folder, the same first input, and even `__vsc_ipynb_file__` naming the notebook. Before TrackIT tied kernels
by evidence it probed the second one (input history equal to the cell) and recorded its `df`.
"""

from __future__ import annotations

import os
import time
import uuid

from trackit_sidecar import protocol as p

from .early_attach_helpers import OutsideKernel, RunAllFrontend, WatchingSidecar

FIRST_CELL = "import pandas as pd\ndf = pd.read_csv('data.csv')"
SECOND_CELL = "df = df[df.a > 1]"


def _event(notebook, index: int, source: str, count: int, kernel_id=None) -> dict:
    # as the extension sends it: the announced kernel's id and kernelspec on every record (notebook/kernels.ts)
    kernel = {"kernel_id": kernel_id, "kernel_name": "python3", "kernel_display_name": "Python 3 (ipykernel)"} \
        if kernel_id else {}
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=notebook.as_uri(), notebook_path=str(notebook),
        cell_id=f"cell-{index}", cell_uri=f"vscode-notebook-cell:{notebook}#cell{index}", cell_index=index,
        source=source, execution_order=count, started_at=1_700_000_000_000 + 10 * count,
        ended_at=1_700_000_000_005 + 10 * count, status="ok", language="python", **kernel,
    ).model_dump(mode="json")


def _lineage_when(sidecar: WatchingSidecar, notebook, ready, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        doc = sidecar.client.lineage(notebook.as_uri())
        if ready(doc):
            return doc
        if time.monotonic() > deadline:
            raise AssertionError(f"lineage never got there: {doc['executions']}\nlog:\n{sidecar.log_text()[-3000:]}")
        time.sleep(0.2)


def _outside_kernel(sidecar: WatchingSidecar, cwd, notebook) -> OutsideKernel:
    """Another program's kernel in the notebook's folder whose first input equals the notebook's first cell."""
    kernel = OutsideKernel(sidecar.runtime_dir / f"kernel-{uuid.uuid4()}.json", cwd)
    assert kernel.outside(os.getpid()), "the unrelated kernel must not descend from the test (the 'editor')"
    kernel.run(FIRST_CELL)
    kernel.run(f"__vsc_ipynb_file__ = {str(notebook)!r}")  # it even claims the notebook
    return kernel


def test_the_unrelated_kernel_is_never_probed_and_the_announced_one_is(tmp_path):
    nb_dir = tmp_path / "project"
    nb_dir.mkdir()
    (nb_dir / "data.csv").write_text("a\n" + "\n".join(str(i) for i in range(5)) + "\n")  # 5 rows
    notebook = nb_dir / "analysis.ipynb"
    sidecar = WatchingSidecar(tmp_path)
    unrelated = frontend = None
    try:
        sidecar.open_cell(notebook)
        sidecar.wait_log("watching for new kernels")
        # the unrelated kernel reads a different data.csv of the same name (8 rows)
        other_dir = tmp_path / "other-program"
        other_dir.mkdir()
        (other_dir / "data.csv").write_text("a\n" + "\n".join(str(i) for i in range(8)) + "\n")
        unrelated = _outside_kernel(sidecar, other_dir, notebook)
        frontend = RunAllFrontend(sidecar.runtime_dir, nb_dir, on_started=lambda manager: sidecar.announce(
            notebook, manager.connection_file, "nb-kernel"))
        counts = frontend.run_all([FIRST_CELL, SECOND_CELL])
        for index, (source, count) in enumerate(zip([FIRST_CELL, SECOND_CELL], counts)):
            sidecar.client.notify(p.CELL_EXECUTED, _event(notebook, index, source, count, kernel_id="nb-kernel"))
        doc = _lineage_when(sidecar, notebook, lambda d: len(d["executions"]) == 2 and all(
            e["runtime_status"] for e in d["executions"]) and d["executions"][1]["runtime"])
        assert frontend.probe_stats() is not None  # the announced kernel has the probe
        assert not unrelated.has_probe(), "TrackIT installed its probe into another program's kernel"
    finally:
        for kernel in (frontend, unrelated):
            if kernel is not None:
                kernel.close()
        sidecar.close()
    first, second = doc["executions"]
    assert [(e["runtime_status"], e["runtime_evidence"]) for e in doc["executions"]] == [("captured", "announced")] * 2
    # every fact is the notebook kernel's (5 rows), none the unrelated kernel's (8 rows)
    assert [(f["variable"], f["rows_after"]) for f in first["runtime"]] == [("df", 5)]
    assert [(f["variable"], f["rows_before"], f["rows_after"]) for f in second["runtime"]] == [("df", 5, 3)]
    assert doc["sessions"][0]["kernel_name"] == "python3"
    assert doc["sessions"][0]["kernel_display_name"] == "Python 3 (ipykernel)"


def test_without_an_announcement_no_kernel_is_guessed(tmp_path):
    notebook = tmp_path / "analysis.ipynb"
    (tmp_path / "data.csv").write_text("a\n1\n2\n3\n")
    sidecar = WatchingSidecar(tmp_path)
    unrelated = None
    try:
        sidecar.open_cell(notebook)
        sidecar.wait_log("watching for new kernels")
        unrelated = _outside_kernel(sidecar, tmp_path, notebook)  # same folder, same first input, same claim
        sidecar.client.notify(p.CELL_EXECUTED, _event(notebook, 0, FIRST_CELL, 1))
        doc = _lineage_when(sidecar, notebook, lambda d: d["executions"] and d["executions"][0]["runtime_status"])
        time.sleep(1.0)  # give a (wrong) early attach every chance to happen
        assert not unrelated.has_probe(), "TrackIT installed its probe into another program's kernel"
    finally:
        if unrelated is not None:
            unrelated.close()
        sidecar.close()
    (execution,) = doc["executions"]
    assert (execution["runtime_status"], execution["runtime"]) == ("kernel_not_identified", [])
    assert doc["sessions"][0]["runtime_status"] == "kernel_not_identified"
