"""Local HTTP servers on 127.0.0.1 that speak each provider's protocol, for driving the real clients.

Each server plays a script: one `Reply` per incoming request (the last one repeats), and records
every request (path, headers, JSON body) so tests can assert what the client actually sent.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: list[bytes] = field(default_factory=list)  # streamed pieces, sent one by one after headers
    delay_s: float = 0.0  # sleep before answering (timeouts)
    declared_length: Optional[int] = None  # Content-Length larger than the body = connection cut mid-answer


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeServer:
    def __init__(self, replies: list[Reply]):
        self.replies = list(replies)
        self.requests: list[Recorded] = []
        self._stop = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                fake.requests.append(Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                reply = fake.replies[min(len(fake.requests) - 1, len(fake.replies) - 1)]
                if reply.delay_s and fake._stop.wait(reply.delay_s):
                    return
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                if reply.chunks:
                    # streamed answer: no length, the connection end marks the end
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for chunk in reply.chunks:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                    self.close_connection = True
                    return
                declared = reply.declared_length if reply.declared_length is not None else len(reply.body)
                self.send_header("Content-Length", str(declared))
                if reply.declared_length is not None:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                self.wfile.write(reply.body)
                self.wfile.flush()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "FakeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _json(payload: Any, status: int = 200, headers: Optional[dict[str, str]] = None, **kw) -> Reply:
    return Reply(status=status, body=json.dumps(payload).encode(),
                 headers={"Content-Type": "application/json", **(headers or {})}, **kw)


# ------------------------------------------------------------------ Bedrock Converse (restJson)
def bedrock_answer(text: str, stop_reason: str = "end_turn", **kw) -> Reply:
    return _json({
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": stop_reason,
        "usage": {"inputTokens": 100, "outputTokens": 50, "totalTokens": 150},
        "metrics": {"latencyMs": 12},
    }, **kw)


def bedrock_error(code: str, message: str, status: int) -> Reply:
    return _json({"message": message}, status=status, headers={"x-amzn-ErrorType": f"{code}:http://internal.amazon.com/"})


def bedrock_throttled() -> Reply:
    return bedrock_error("ThrottlingException", "Too many requests, please wait before trying again.", 429)


def bedrock_cut_mid_body(text: str) -> Reply:
    full = bedrock_answer(text).body
    return Reply(status=200, body=full[: len(full) // 2], headers={"Content-Type": "application/json"},
                 declared_length=len(full))


# ------------------------------------------------------------------ Ollama /api/chat NDJSON stream
def _ndjson(events: list[dict[str, Any]]) -> list[bytes]:
    return [(json.dumps(e) + "\n").encode() for e in events]


def ollama_stream(text: str, model: str = "llama3.1:8b", done_reason: str = "stop", pieces: int = 4) -> Reply:
    size = max(1, len(text) // pieces)
    parts = [text[i:i + size] for i in range(0, len(text), size)]
    events = [{"model": model, "message": {"role": "assistant", "content": p}, "done": False} for p in parts]
    events.append({"model": model, "message": {"role": "assistant", "content": ""}, "done": True,
                   "done_reason": done_reason, "eval_count": 42})
    return Reply(status=200, headers={"Content-Type": "application/x-ndjson"}, chunks=_ndjson(events))


def ollama_error_mid_stream(partial: str, error: str) -> Reply:
    events = [{"model": "llama3.1:8b", "message": {"role": "assistant", "content": partial}, "done": False},
              {"error": error}]
    return Reply(status=200, headers={"Content-Type": "application/x-ndjson"}, chunks=_ndjson(events))


def ollama_busy() -> Reply:
    return _json({"error": "server busy, please try again.  maximum pending requests exceeded"}, status=503)


# ------------------------------------------------------------------ OpenAI chat completions
def openai_answer(text: str, finish_reason: str = "stop", model: str = "gpt-test", **kw) -> Reply:
    return _json({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
    }, **kw)


def openai_rate_limited() -> Reply:
    return _json({"error": {"message": "Rate limit reached for requests", "type": "requests", "code": "rate_limit_exceeded"}},
                 status=429, headers={"Retry-After": "0"})


def openai_cut_mid_body(text: str) -> Reply:
    full = openai_answer(text).body
    return Reply(status=200, body=full[: len(full) // 2], headers={"Content-Type": "application/json"},
                 declared_length=len(full))
