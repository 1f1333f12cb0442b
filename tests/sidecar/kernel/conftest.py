from __future__ import annotations

import queue
import time
from pathlib import Path

import pytest
from jupyter_client import KernelManager

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[3]


class LiveKernel:
    """A real ipykernel started like VS Code would start one, plus a client that runs cells."""

    def __init__(self, cwd: Path):
        self.manager = KernelManager(kernel_name="python3")
        self.manager.start_kernel(cwd=str(cwd))
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    @property
    def connection_file(self) -> str:
        return self.manager.connection_file

    def run(self, code: str, timeout: float = 60) -> dict:
        """Execute like a user would; returns {'execution_count', 'status', 'outputs': [iopub msgs]}."""
        outputs: list[dict] = []
        reply = self.client.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
        content = reply["content"]
        return {"execution_count": content.get("execution_count"), "status": content["status"], "outputs": outputs,
                "reply": content}

    def drain_iopub(self, settle: float = 0.3) -> list[dict]:
        messages = []
        deadline = time.monotonic() + settle
        while time.monotonic() < deadline:
            try:
                messages.append(self.client.get_iopub_msg(timeout=0.05))
            except queue.Empty:
                pass
        return messages

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def facts_by_variable(capture, ran: dict) -> dict:
    """The runtime facts RuntimeCapture recorded for one LiveKernel.run, by variable (the run must have succeeded)."""
    assert ran["status"] == "ok", ran["reply"]
    return {f.variable: f for f in capture.fetch(ran["execution_count"]) if f.variable}


def counting_requests(capture) -> list[str]:
    """Every execute_request a RuntimeCapture's own client sends from now on (a spy on the real client)."""
    sent: list[str] = []
    real = capture._client.execute

    def execute(code, *args, **kwargs):
        sent.append(code)
        return real(code, *args, **kwargs)

    capture._client.execute = execute
    return sent


@pytest.fixture
def live_kernel(tmp_path):
    kernel = LiveKernel(tmp_path)
    try:
        yield kernel
    finally:
        kernel.close()
