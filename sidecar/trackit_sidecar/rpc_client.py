"""A minimal blocking JSON-RPC client over a child process's stdio.

For benchmarks, scripting and tests that need to send raw bytes (garbage included); the editor uses
vscode-languageclient and the protocol tests use pytest-lsp.
"""

from __future__ import annotations

import itertools
import json
import queue
import subprocess
import sys
import threading
import time
from typing import Any, Optional


class RpcError(Exception):
    def __init__(self, error: dict):
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.error = error


class StdioRpcClient:
    def __init__(self, command: list[str], env: Optional[dict] = None, stderr=None):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=stderr if stderr is not None else subprocess.DEVNULL, env=env)
        self._ids = itertools.count(1)
        self._waiting: dict[int, queue.Queue] = {}
        self._lock = threading.Lock()
        self.notifications: "queue.Queue[dict]" = queue.Queue()
        # the last message read: its body's size and how long json.loads took (what a benchmark says of an answer)
        self.last_bytes = 0
        self.last_parse_ms = 0.0
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # ---------------------------------------------------------------- wire
    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _read_loop(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length is None:
                continue
            body = out.read(length)
            started = time.perf_counter()
            msg = json.loads(body)
            self.last_bytes, self.last_parse_ms = length, (time.perf_counter() - started) * 1000
            if "id" in msg and ("result" in msg or "error" in msg):
                with self._lock:
                    waiter = self._waiting.pop(msg["id"], None)
                if waiter is not None:
                    waiter.put(msg)
            elif "method" in msg and "id" in msg:  # a server->client request: answer empty
                self._send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            else:
                self.notifications.put(msg)

    # ---------------------------------------------------------------- API
    def request(self, method: str, params: Any = None, timeout: float = 30.0) -> Any:
        msg_id = next(self._ids)
        waiter: queue.Queue = queue.Queue(maxsize=1)
        with self._lock:
            self._waiting[msg_id] = waiter
        self._send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        try:
            reply = waiter.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no answer to {method} within {timeout}s") from None
        if "error" in reply and reply["error"] is not None:
            raise RpcError(reply["error"])
        return reply.get("result")

    def lineage(self, notebook_uri: str, timeout: float = 30.0) -> dict:
        """A notebook's whole lineage with its sources, every field present (as `trackit lineage --json` writes it):
        the answer leaves out each record's fields at their default (protocol.record_on_the_wire) and may send what
        records share once (protocol.SHARED_PARTS): the model puts both back."""
        from . import protocol as p

        answer = self.request(p.LINEAGE, {"notebook_uri": notebook_uri, "include_source": True}, timeout=timeout)
        return p.LineageDocument.model_validate(answer).model_dump(mode="json")

    def notify(self, method: str, params: Any = None) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def initialize(self) -> dict:
        result = self.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        self.notify("initialized", {})
        return result

    def wait_notification(self, method: str, timeout: float = 10.0, predicate=None) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {method} notification within {timeout}s")
            try:
                msg = self.notifications.get(timeout=left)
            except queue.Empty:
                continue
            if msg.get("method") == method and (predicate is None or predicate(msg.get("params"))):
                return msg

    def close(self, timeout: float = 10.0) -> int:
        try:
            self.request("shutdown", None, timeout=timeout)
            self.notify("exit", None)
        except Exception:
            pass
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        except Exception:
            pass
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


def serve_command(db: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "trackit_sidecar", "serve", "--db", db, *extra]
