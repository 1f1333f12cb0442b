"""The e2e kernel bridge against a REAL ipykernel: what the test controller relies on.

Runs the bridge as the controller does (a subprocess, JSON lines over stdio, cwd = the notebook folder).
"""
from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.kernel

BRIDGE = Path(__file__).with_name("kernel_bridge.py")
# 1x1 PNG
PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


@pytest.fixture
def bridge(tmp_path):
    runtime_dir = tmp_path / "runtime"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime_dir)}
    proc = subprocess.Popen(
        [sys.executable, str(BRIDGE)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )

    def read() -> dict:
        line = proc.stdout.readline()
        assert line, "bridge closed stdout"
        return json.loads(line)

    def execute(request_id: int, code: str) -> list[dict]:
        proc.stdin.write(json.dumps({"op": "execute", "id": request_id, "code": code}) + "\n")
        proc.stdin.flush()
        messages = []
        while True:
            message = read()
            messages.append(message)
            if message["type"] == "done" and message["id"] == request_id:
                return messages

    starting = read()
    assert starting["type"] == "starting", starting
    ready = read()
    ready["starting"] = starting
    try:
        yield proc, ready, execute, runtime_dir
    finally:
        if proc.poll() is None:
            proc.stdin.close()  # EOF = shutdown
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_bridge_runs_cells_in_a_real_kernel_in_the_notebook_folder(bridge, tmp_path):
    proc, ready, execute, runtime_dir = bridge
    assert ready["type"] == "ready"
    # Where real frontends put it.
    assert Path(ready["connection_file"]).parent == runtime_dir
    assert Path(ready["connection_file"]).is_file()
    # Before the kernel answered, the bridge said which kernel it is: what the controller announces to TrackIT.
    starting = ready["starting"]
    assert {k: starting[k] for k in ("kernel_id", "connection_file", "pid")} == {
        k: ready[k] for k in ("kernel_id", "connection_file", "pid")}
    assert (starting["kernel_name"], starting["language"]) == ("python3", "python")
    assert starting["display_name"]  # the kernelspec's, e.g. "Python 3 (ipykernel)"

    first = execute(1, "import os\nprint(os.getcwd())\n40 + 2")
    assert first[0] == {"type": "started", "id": 1, "execution_count": 1}
    outputs = [m["output"] for m in first if m["type"] == "output"]
    assert outputs[0] == {"kind": "stream", "name": "stdout", "text": f"{os.path.realpath(tmp_path)}\n"}
    assert outputs[1]["kind"] == "data" and outputs[1]["output_type"] == "execute_result"
    assert outputs[1]["data"]["text/plain"] == "42"
    assert first[-1] == {"type": "done", "id": 1, "status": "ok", "execution_count": 1}

    # State persists between requests: it is one kernel.
    second = execute(2, "x = 41\nx + 1")
    assert [m["output"]["data"]["text/plain"] for m in second if m["type"] == "output"] == ["42"]
    assert second[-1]["execution_count"] == 2

    image = execute(
        3,
        "import base64\nfrom IPython.display import display\n"
        f"display({{'image/png': base64.b64decode('{PNG_B64}')}}, raw=True)",
    )
    data = [m["output"] for m in image if m["type"] == "output"][0]
    assert data["output_type"] == "display_data"
    assert base64.b64decode(data["data"]["image/png"]) == base64.b64decode(PNG_B64)

    error = execute(4, "1 / 0")
    err = [m["output"] for m in error if m["type"] == "output"][0]
    assert err["kind"] == "error" and err["ename"] == "ZeroDivisionError" and err["traceback"]
    assert error[-1]["status"] == "error"


def test_bridge_removes_its_connection_file_on_eof(bridge):
    proc, ready, _execute, _runtime_dir = bridge
    proc.stdin.close()
    assert proc.wait(timeout=30) == 0
    assert not Path(ready["connection_file"]).exists()


def test_bad_request_line_is_reported_and_the_bridge_goes_on(bridge):
    proc, _ready, execute, _runtime_dir = bridge
    proc.stdin.write("this is not json\n")
    proc.stdin.flush()
    problem = json.loads(proc.stdout.readline())
    assert problem["type"] == "problem" and "bad request line" in problem["message"]
    assert execute(1, "1")[-1]["status"] == "ok"


def test_sigterm_shuts_the_kernel_down(bridge):
    # code-server stopping sends SIGTERM to its process group; the kernel lives in its own session and
    # would be orphaned if the bridge just died.
    proc, ready, execute, _runtime_dir = bridge
    execute(1, "1")
    kernel_pid = ready["pid"]
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    assert not Path(ready["connection_file"]).exists()
    for _ in range(100):
        if not _alive(kernel_pid):
            break
        time.sleep(0.1)
    assert not _alive(kernel_pid), f"kernel {kernel_pid} outlived its bridge"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False
