"""Attach to a kernel someone else started; which kernel is a notebook's own (real ipykernels)."""

from __future__ import annotations

import json
import os
import socket
import time

from trackit_sidecar import protocol
from trackit_sidecar.kernel import discovery, silent_requests
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture
from trackit_sidecar.kernel.notebook_kernels import NotebookKernels


def test_attach_to_a_separately_started_kernel(live_kernel):
    live_kernel.run("import pandas as pd\nraw = pd.DataFrame({'a': [1.0, None, 3.0], 'b': ['x', 'y', None]})")
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        # ran before the probe was installed: only the state after it, recovered at install time
        assert [(f.variable, f.rows_before, f.rows_after, f.nulls_after) for f in capture.facts(1)] == [
            ("raw", None, 3, 2)]
        cell = live_kernel.run("clean = raw.dropna()\nraw['c'] = 1")
        facts = {f.variable: f for f in capture.facts(cell["execution_count"])}
    assert (facts["clean"].rows_before, facts["clean"].rows_after) == (3, 1)
    assert (facts["clean"].nulls_before, facts["clean"].nulls_after) == (2, 0)  # compared with raw
    assert facts["raw"].added_columns == ["c"] and facts["raw"].nulls_before == 2
    assert cell["execution_count"] == 2


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_kernel_gives_empty_facts_quickly(tmp_path):
    connection = tmp_path / "kernel-dead.json"
    ports = {name: _unused_port() for name in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
    connection.write_text(json.dumps(ports | {"ip": "127.0.0.1", "key": "k", "transport": "tcp",
                                              "signature_scheme": "hmac-sha256", "kernel_name": "python3"}))
    capture = RuntimeCapture(connection, timeout=0.5)
    started = time.monotonic()
    assert capture.facts(1) == []
    assert time.monotonic() - started < 5  # bounded by the timeout, not hanging
    capture.close()
    assert RuntimeCapture(tmp_path / "missing.json").facts(1) == []
    (tmp_path / "garbage.json").write_text("not json")
    assert RuntimeCapture(tmp_path / "garbage.json").facts(1) == []


def test_parse_connection_arg():
    assert discovery.parse_connection_arg(["python", "-m", "ipykernel_launcher", "-f", "/r/k.json"]) == "/r/k.json"
    assert discovery.parse_connection_arg(["python", "-m", "ipykernel_launcher", "--f=/r/k.json"]) == "/r/k.json"
    assert discovery.parse_connection_arg(["python", "-m", "http.server", "-f", "/x"]) is None
    assert discovery.parse_connection_arg(["python", "-m", "ipykernel_launcher"]) is None


def _probed(kernel) -> bool:
    return silent_requests.silent_expression(kernel.client, "'_trackit_probe' in __import__('sys').modules", 10)


def _event(notebook, count: int, source: str, **extra) -> protocol.CellExecution:
    return protocol.CellExecution(
        event_id=f"e{count}", notebook_uri=notebook.as_uri(), notebook_path=str(notebook), cell_id=f"c{count}",
        cell_index=0, source=source, execution_order=count, started_at=0, ended_at=1, status="ok", **extra)


def test_an_editor_kernel_is_tied_by_its_own_statement_not_by_its_history(live_kernel, tmp_path):
    notebook, other = tmp_path / "analysis.ipynb", tmp_path / "other.ipynb"  # live_kernel's cwd is tmp_path
    source = "import pandas as pd\nframe = pd.DataFrame({'a': range(5)})"
    count = live_kernel.run(source)["execution_count"]
    # live_kernel is our child: for this test, pytest is the editor
    kernels = NotebookKernels(ancestor=os.getpid(), timeout=5)
    try:
        # same source at the same count, cwd = the notebook's folder: not evidence any more
        result = kernels.facts_for_event(_event(notebook, count, source))
        assert (result.status, result.facts) == ("kernel_not_identified", [])
        assert not _probed(live_kernel)
        live_kernel.run(f"__vsc_ipynb_file__ = {str(other)!r}")  # it runs another notebook
        assert kernels.facts_for_event(_event(notebook, count, source)).status == "kernel_not_identified"
        assert not _probed(live_kernel)

        live_kernel.run(f"__vsc_ipynb_file__ = {str(notebook)!r}")
        kernels._no_kernel_until.clear()  # skip the 2 s wait before looking again
        second = live_kernel.run("frame = frame[frame.a > 1]")["execution_count"]
        first = kernels.facts_for_event(_event(notebook, second, "frame = frame[frame.a > 1]"))
        assert first.status == "captured" and first.evidence == "notebook_file"
        assert _probed(live_kernel)
        third = live_kernel.run("frame = frame[frame.a > 2]")["execution_count"]
        facts = kernels.facts_for_event(_event(notebook, third, "frame = frame[frame.a > 2]")).facts
        assert [(f.variable, f.rows_before, f.rows_after) for f in facts] == [("frame", 3, 2)]
    finally:
        kernels.close()


def test_with_no_editor_known_an_unannounced_kernel_is_never_asked(live_kernel, tmp_path):
    notebook = tmp_path / "analysis.ipynb"
    live_kernel.run(f"__vsc_ipynb_file__ = {str(notebook)!r}")
    kernels = NotebookKernels(ancestor=None, timeout=5)
    try:
        count = live_kernel.run("x = 1")["execution_count"]
        assert kernels.facts_for_event(_event(notebook, count, "x = 1")).status == "kernel_not_identified"
        assert not _probed(live_kernel)
    finally:
        kernels.close()


def test_an_announced_kernel_is_read_for_its_notebook_only(live_kernel, tmp_path):
    notebook, other = tmp_path / "analysis.ipynb", tmp_path / "other.ipynb"
    kernels = NotebookKernels(ancestor=None, timeout=5)
    try:
        early = kernels.announce(protocol.NotebookKernel(
            notebook_uri=notebook.as_uri(), connection_file=live_kernel.connection_file, kernel_id="k1",
            kernel_name="python3", language="python"))
        assert early.status == "installed" and early.installed_at == 1
        count = live_kernel.run("import pandas as pd\nframe = pd.DataFrame({'a': range(4)})")["execution_count"]
        result = kernels.facts_for_event(_event(notebook, count, "...", kernel_id="k1"))
        assert (result.status, result.evidence) == ("captured", "announced")
        assert [(f.variable, f.rows_after) for f in result.facts] == [("frame", 4)]
        # another notebook, or an execution the editor says ran in another kernel, gets nothing from it
        assert kernels.facts_for_event(_event(other, count, "...")).status == "kernel_not_identified"
        assert kernels.facts_for_event(_event(notebook, count, "...", kernel_id="k2")).status == "kernel_not_identified"
        assert kernels.facts_for_event(_event(notebook, count, "...", language="r")).status == "not_python"
    finally:
        kernels.close()


def test_a_restarted_announced_kernel_gets_the_probe_again(live_kernel, tmp_path):
    notebook = tmp_path / "analysis.ipynb"
    kernels = NotebookKernels(ancestor=None, timeout=5)
    try:
        kernels.announce(protocol.NotebookKernel(notebook_uri=notebook.as_uri(),
                                                 connection_file=live_kernel.connection_file, language="python"))
        count = live_kernel.run("a = [1]")["execution_count"]
        assert kernels.facts_for_event(_event(notebook, count, "a = [1]")).status == "captured"
        live_kernel.manager.restart_kernel(now=True)
        live_kernel.client.wait_for_ready(timeout=60)
        assert not _probed(live_kernel)
        count = live_kernel.run("import pandas as pd\nframe = pd.DataFrame({'a': [1, 2]})")["execution_count"]
        result = kernels.facts_for_event(_event(notebook, count, "..."))
        assert result.status == "captured"
        assert [(f.variable, f.rows_after) for f in result.facts] == [("frame", 2)]  # recovered at reinstall
    finally:
        kernels.close()
