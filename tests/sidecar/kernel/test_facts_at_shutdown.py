"""The editor closes right after a Run All: the sidecar still holds the last runs' runtime facts (pushed ~5 ms after
each reply, waited for up to runtime_capture.PUSH_WAIT) when its stdin closes, a shutdown/exit arrives or SIGTERM comes.
It must finish them before it exits: each stored execution gets its facts, or a status that says why it has none, never
nothing. A real `trackit serve` process over stdio, a real DuckDB file and a real ipykernel announced for the
notebook, as VS Code's Jupyter extension would."""

from __future__ import annotations

import signal
import time
import uuid
from pathlib import Path

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.kernel.probe import MODULE_NAME
from trackit_sidecar.rpc_client import StdioRpcClient, serve_command
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

CELLS = [
    "import pandas as pd\ndf = pd.DataFrame({'a': [1.0, None, 3.0, None, 5.0, 6.0]})",
    "df = df.dropna()",
    "df = df[df.a > 3]",
]
ROWS = {1: (6, 4), 2: (4, 2)}  # cell -> df's rows before and after it


def _event(notebook: Path, index: int, count: int) -> dict:
    now = time.time() * 1000
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=notebook.as_uri(), notebook_path=str(notebook),
        cell_id=f"cell-{index}", cell_index=index, source=CELLS[index], execution_order=count,
        started_at=now - 5, ended_at=now, status="ok", language="python", kernel_name="python3",
    ).model_dump(mode="json")


def _stored(db: Path, notebook: Path) -> list[p.ExecutionRecord]:
    with Store.open(db) as store:
        return TrackitService(store, Settings()).lineage(notebook.as_uri()).executions


def _wait_for_status(server: StdioRpcClient, notebook: Path, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        doc = server.lineage(notebook.as_uri())
        if len(doc["executions"]) == count and all(e["runtime_status"] for e in doc["executions"]):
            return
        time.sleep(0.1)
    raise AssertionError(f"no runtime status for {count} executions within {timeout} s")


def _started(tmp_path: Path, live_kernel) -> tuple[StdioRpcClient, Path, Path]:
    """A sidecar on a fresh database, the notebook's kernel announced, its first cell run and captured (so the probe
    is installed and pushes the next cells' facts)."""
    db, notebook = tmp_path / "trackit.duckdb", tmp_path / "closing.ipynb"
    server = StdioRpcClient(serve_command(str(db)), stderr=open(tmp_path / "sidecar.log", "wb"))
    server.initialize()
    server.notify(p.NOTEBOOK_KERNEL, p.NotebookKernel(
        notebook_uri=notebook.as_uri(), notebook_path=str(notebook), connection_file=live_kernel.connection_file,
        language="python").model_dump(mode="json"))
    first = live_kernel.run(CELLS[0])
    server.notify(p.CELL_EXECUTED, _event(notebook, 0, first["execution_count"]))
    _wait_for_status(server, notebook, 1)
    return server, db, notebook


def _exited(server: StdioRpcClient, tmp_path: Path, how: str) -> str:
    """End the session `how`; the sidecar's exit code must be 0 and its log clean. Returns the log."""
    _end(server, how)
    started = time.monotonic()
    try:
        code = server.proc.wait(timeout=30)
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
    print(f"\n{how}: exit {code} after {time.monotonic() - started:.2f} s")
    log = (tmp_path / "sidecar.log").read_text(errors="replace")
    assert code == 0, log
    assert "Traceback" not in log, log
    return log


def _end(server: StdioRpcClient, how: str) -> None:
    if how == "stdin closed":
        server.proc.stdin.close()
    elif how == "shutdown, exit":
        server.request("shutdown", None)
        server.notify("exit", None)
    else:
        server.proc.send_signal(signal.SIGTERM)


@pytest.mark.parametrize("how", ["stdin closed", "shutdown, exit", "SIGTERM"])
def test_the_last_runs_of_a_run_all_keep_their_facts_when_the_editor_closes_at_once(tmp_path, live_kernel, how):
    server, db, notebook = _started(tmp_path, live_kernel)
    for index in (1, 2):  # Run All: each capture reported as its reply comes, then the editor closes
        ran = live_kernel.run(CELLS[index])
        assert ran["status"] == "ok"
        server.notify(p.CELL_EXECUTED, _event(notebook, index, ran["execution_count"]))
    log = _exited(server, tmp_path, how)

    executions = _stored(db, notebook)
    assert [(e.cell_id, e.runtime_status) for e in executions] == \
        [(f"cell-{i}", "captured") for i in range(3)], log
    for index, rows in ROWS.items():
        facts = {f.variable: (f.rows_before, f.rows_after) for f in executions[index].runtime}
        assert facts == {"df": rows}, (index, log)


@pytest.mark.parametrize("how", ["stdin closed", "shutdown, exit"])
def test_facts_that_do_not_come_in_time_are_stored_as_not_captured_and_the_sidecar_does_not_wait(
        tmp_path, live_kernel, how):
    """A kernel too slow to push (a loaded machine; here its push is held back 20 s, which also keeps the kernel from
    answering a fetch): the sidecar does not wait for it, and says why the run has no facts."""
    server, db, notebook = _started(tmp_path, live_kernel)
    live_kernel.client.execute(  # silent: no count, no facts of its own
        f"import sys, time\nprobe = sys.modules[{MODULE_NAME!r}]._probe\npush = probe._push\n"
        "probe._push = lambda count: (time.sleep(20), push(count))", silent=True)
    ran = live_kernel.run(CELLS[1])
    server.notify(p.CELL_EXECUTED, _event(notebook, 1, ran["execution_count"]))
    log = _exited(server, tmp_path, how)  # within 30 s: the push comes after 20 s

    executions = _stored(db, notebook)
    assert [(e.cell_id, e.runtime_status, e.runtime_note) for e in executions] == [
        ("cell-0", "captured", None), ("cell-1", "editor_closed", "runtime facts not captured (editor closed)")], log
    assert executions[1].runtime == []
    assert "the editor closed before the runtime facts of 1 execution came" in log
