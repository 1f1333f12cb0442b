"""The first Run All in a fresh kernel has runtime facts: `trackit serve` attaches when the editor announces
the kernel (trackit/notebookKernel, sent as the kernel starts), or when an editor kernel names the notebook."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.kernel import early_attach, silent_requests

from .early_attach_helpers import RUN_ALL, RunAllFrontend, WatchingSidecar, wait_for_probe


def _event(notebook, index: int, source: str, count: int, **extra) -> dict:
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=notebook.as_uri(), notebook_path=str(notebook),
        cell_id=f"cell-{index}", cell_uri=f"vscode-notebook-cell:{notebook}#cell{index}", cell_index=index,
        source=source, execution_order=count, started_at=1_700_000_000_000 + index, ended_at=1_700_000_000_001 + index,
        status="ok", language="python", **extra,
    ).model_dump(mode="json")


def _runtime_by_cell(sidecar: WatchingSidecar, notebook, timeout: float = 60.0) -> dict[str, dict]:
    """cell_id -> {variable: fact} once every cell that should have facts has them."""
    deadline = time.monotonic() + timeout
    while True:
        doc = sidecar.client.lineage(notebook.as_uri())
        facts = {e["cell_id"]: {f["variable"]: f for f in e.get("runtime", [])} for e in doc["executions"]}
        # cells 0, 1, 3 always end with a fact (raw / clean), whether live or recovered; every run's status is
        # stored after all of the batch's facts (server/kernels.py), so once each has one, all facts are in
        if len(doc["executions"]) == len(RUN_ALL) and all(facts[f"cell-{i}"] for i in (0, 3)) and all(
                e.get("runtime_status") for e in doc["executions"]):
            return facts
        if time.monotonic() > deadline:
            raise AssertionError(f"runtime facts never arrived: {facts}\nlog:\n{sidecar.log_text()[-3000:]}")
        time.sleep(0.2)


def test_first_run_all_in_a_fresh_kernel_has_runtime_facts(tmp_path):
    notebook = tmp_path / "analysis.ipynb"
    sidecar = WatchingSidecar(tmp_path)
    frontend = None
    try:
        sidecar.open_cell(notebook)
        sidecar.wait_log("watching for new kernels")
        # the controller announces its kernel the moment it is launched, as the e2e test controller does
        frontend = RunAllFrontend(sidecar.runtime_dir, tmp_path, on_started=lambda manager: sidecar.announce(
            notebook, manager.connection_file, manager.connection_file.rsplit("kernel-", 1)[1][:-5]))
        counts = frontend.run_all(RUN_ALL)
        assert counts == [1, 2, 3, 4, 5]
        stats = wait_for_probe(frontend)
        assert stats is not None, f"the watcher never installed the probe; log:\n{sidecar.log_text()[-3000:]}"
        installed_at = stats["installed_at"]
        assert stats["recovered"] == list(range(1, installed_at)), stats

        for i, (source, count) in enumerate(zip(RUN_ALL, counts)):
            sidecar.client.notify(p.CELL_EXECUTED, _event(notebook, i, source, count, kernel_id=frontend.kernel_id))
        facts = _runtime_by_cell(sidecar, notebook)
        doc = sidecar.client.lineage(notebook.as_uri())
    finally:
        if frontend is not None:
            frontend.close()
        sidecar.close()

    def live(count: int) -> bool:
        return count >= installed_at

    raw = facts["cell-0"]["raw"]
    assert (raw["rows_after"], raw["cols_after"], raw["nulls_after"]) == (5, 2, 2)
    assert raw["rows_before"] is None  # a new variable has no before, live or recovered
    # cell 1 dropna: live -> 5 -> 3 compared with raw; recovered -> nothing (cell 3 changed clean later)
    if live(2):
        assert (facts["cell-1"]["clean"]["rows_before"], facts["cell-1"]["clean"]["rows_after"]) == (5, 3)
    else:
        assert facts["cell-1"] == {}
    if live(3):
        assert (facts["cell-2"]["clean"]["rows_before"], facts["cell-2"]["clean"]["rows_after"]) == (3, 2)
    else:
        assert facts["cell-2"] == {}
    clean = facts["cell-3"]["clean"]
    assert (clean["rows_after"], clean["cols_after"]) == (2, 3)
    if live(4):
        assert clean["added_columns"] == ["c"] and clean["rows_before"] == 2
    else:  # recovered: only the state after the cell is known
        assert clean["added_columns"] == [] and clean["rows_before"] is None
    if live(5):  # a frame named in the cell is measured even when unchanged
        assert (facts["cell-4"]["clean"]["rows_before"], facts["cell-4"]["clean"]["rows_after"]) == (2, 2)
    else:  # total is an int: nothing to recover
        assert facts["cell-4"] == {}
    assert {(e["runtime_status"], e["runtime_evidence"]) for e in doc["executions"]} == {("captured", "announced")}
    print(f"probe installed before execution {installed_at} (1 = before the first cell)")


def test_an_editor_kernel_naming_a_recorded_notebook_gets_the_probe_when_it_starts(tmp_path):
    # VS Code's Jupyter extension: it announces nothing, but its kernel runs under the editor and says which
    # notebook it runs. The notebook must be one TrackIT records (an execution of it was reported).
    notebook = tmp_path / "analysis.ipynb"
    sidecar = WatchingSidecar(tmp_path)
    elsewhere = tmp_path / "vscode-tmp"  # not the runtime dir: found as a process under the editor
    elsewhere.mkdir()
    frontends = []
    try:
        sidecar.open_cell(notebook)
        sidecar.client.notify(p.CELL_EXECUTED, _event(notebook, 0, "x = 1", 1))
        sidecar.wait_log("watching for new kernels")
        unrecorded = RunAllFrontend(elsewhere, tmp_path, notebook_file=tmp_path / "not-recorded.ipynb")
        frontends.append(unrecorded)
        ours = RunAllFrontend(elsewhere, tmp_path, notebook_file=notebook)
        frontends.append(ours)
        ours.run_all(RUN_ALL[:2])
        assert wait_for_probe(ours) is not None, f"never probed; log:\n{sidecar.log_text()[-3000:]}"
        sidecar.wait_log("left alone: it names " + str(tmp_path / "not-recorded.ipynb"))
        assert unrecorded.probe_stats() is None
    finally:
        for frontend in frontends:
            frontend.close()
        sidecar.close()


def test_probe_installed_late_recovers_after_facts_for_earlier_cells(live_kernel):
    for source in RUN_ALL[:3] + ["clean.drop(columns=['b'], inplace=True)", "unrelated = 1"]:
        live_kernel.run(source)
    assert silent_requests.install_probe(live_kernel.client) == "installed"
    stats = silent_requests.fetch_stats(live_kernel.client)
    assert stats["installed_at"] == 6 and stats["recovered"] == [1, 2, 3, 4, 5]
    by_count = {}
    for count in range(1, 6):
        facts, capture_ms, known = silent_requests.fetch_facts(live_kernel.client, count)
        assert known and capture_ms is None
        by_count[count] = {f.variable: f for f in facts}
    assert set(by_count[1]) == {"raw"} and by_count[1]["raw"].rows_after == 5
    # clean was last changed in place by cell 4: its state now is credited there, not to cells 2-3
    assert by_count[2] == by_count[3] == by_count[5] == {}
    clean = by_count[4]["clean"]
    assert (clean.rows_before, clean.rows_after, clean.cols_after, clean.nulls_after) == (None, 2, 1, 0)
    # the first cell after install compares with the install-time state
    cell = live_kernel.run("clean = clean[clean.a > 3]")
    facts, _ms, _known = silent_requests.fetch_facts(live_kernel.client, cell["execution_count"])
    assert [(f.variable, f.rows_before, f.rows_after) for f in facts] == [("clean", 2, 1)]


def test_attach_new_kernel_skips_a_kernel_that_is_not_python(tmp_path):
    # an IPython kernel that says it is R: kernel_info decides, nothing is installed
    from jupyter_client import KernelManager

    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(cwd=str(tmp_path))
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        client.execute_interactive("get_ipython().kernel.language_info = dict("
                                   "get_ipython().kernel.language_info, name='R')", timeout=30)
        import json

        info = json.loads(open(manager.connection_file).read())
        result = early_attach.attach_new_kernel(info, manager.connection_file, python_known=False, timeout=10)
        assert result.status == "not-python" and result.detail == "R"
        installed = silent_requests.silent_expression(client, "'_trackit_probe' in __import__('sys').modules", 10)
        assert installed is False
        ok = early_attach.attach_new_kernel(info, manager.connection_file, python_known=True, timeout=10)
        assert ok.status == "installed" and ok.installed_at == 2
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_unreachable_kernel_gives_up_quietly(tmp_path):
    import socket

    def port() -> int:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    info = {name: port() for name in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
    info |= {"ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256"}
    result = early_attach.attach_new_kernel(info, "nowhere.json", python_known=True, timeout=0.5)
    assert result.status == "unreachable" and not result.before_first_cell


@pytest.mark.parametrize("settings", [Settings(runtime_capture=False), Settings(trusted=False)])
async def test_no_watcher_when_runtime_capture_is_off_or_untrusted(tmp_path, settings):
    from trackit_sidecar.server import build_server

    server = build_server(str(tmp_path / "t.duckdb"), settings)
    server.note_editor_activity()
    assert server._kernel_watcher is None
    server.start_runtime_capture([])
    assert server._kernel_watcher is None
    # allowed again (the user turned runtime capture on): the next activity starts it
    server.settings.update({"runtime_capture": True, "trusted": True})
    server.note_editor_activity()
    assert server._kernel_watcher is not None
    server.settings.update({"runtime_capture": False})  # and it stops by itself when turned off
    await asyncio.wait_for(server._kernel_watcher, timeout=30)
