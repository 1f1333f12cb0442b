"""Attach to a kernel someone else started; find which kernel runs a notebook."""

from __future__ import annotations

import json
import socket
import time

from trackit_sidecar import protocol
from trackit_sidecar.kernel import discovery
from trackit_sidecar.kernel.attach import RuntimeCapture


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


def test_find_kernel_by_vscode_variable_and_by_source(live_kernel, tmp_path):
    # a kernel we started shows up among the running processes' -f arguments
    assert live_kernel.connection_file in discovery.candidate_connection_files()

    notebook = tmp_path / "analysis.ipynb"  # live_kernel's cwd is tmp_path
    other = tmp_path / "elsewhere" / "other.ipynb"
    source = "total = sum(range(10))\ntotal"
    count = live_kernel.run(source)["execution_count"]
    finder = discovery.KernelFinder(timeout=2)
    extra = [live_kernel.connection_file]
    assert finder.find_kernel_for(notebook, count, source, extra) == live_kernel.connection_file
    assert finder.find_kernel_for(other, count, "something else", extra) is None

    # VS Code sets __vsc_ipynb_file__: then the notebook path decides, not the source
    live_kernel.run(f"__vsc_ipynb_file__ = {str(other)!r}")
    fresh = discovery.KernelFinder(timeout=2)
    assert fresh.find_kernel_for(other, None, None, extra) == live_kernel.connection_file
    assert fresh.find_kernel_for(notebook, count, source, extra) is None
    # positive matches are cached (no kernel round trip needed)
    assert fresh.find_kernel_for(other, None, None, []) == live_kernel.connection_file


def test_facts_for_event_finds_the_kernel_like_the_server_does(live_kernel, tmp_path):
    notebook = tmp_path / "vscode.ipynb"
    live_kernel.run(f"import pandas as pd\n__vsc_ipynb_file__ = {str(notebook)!r}")
    capture = RuntimeCapture(timeout=5)
    # only our kernel: other kernels running on this machine are not ours to probe in a test
    capture._finder = discovery.KernelFinder(timeout=2, candidates=lambda extra: [live_kernel.connection_file])

    def event_for(cell: dict, source: str) -> protocol.CellExecution:
        return protocol.CellExecution(
            event_id=f"e{cell['execution_count']}", notebook_uri=notebook.as_uri(), notebook_path=str(notebook),
            cell_id="c", cell_index=0, source=source, execution_order=cell["execution_count"],
            started_at=0, ended_at=1, status="ok")

    first_source = "frame = pd.DataFrame({'a': range(5)})"
    first = live_kernel.run(first_source)
    # the probe arrives with this call: the cell before it gets the recovered "after" state only
    assert [(f.variable, f.rows_before, f.rows_after) for f in capture.facts_for_event(event_for(first, first_source))] \
        == [("frame", None, 5)]
    second_source = "frame = frame[frame.a > 1]"
    second = live_kernel.run(second_source)
    facts = capture.facts_for_event(event_for(second, second_source))
    assert [(f.variable, f.rows_before, f.rows_after) for f in facts] == [("frame", 5, 3)]
    unknown = event_for(second, second_source).model_copy(update={"notebook_path": str(tmp_path / "other.ipynb")})
    assert capture.facts_for_event(unknown) == []
    capture.close()
