"""Ollama /api/chat with stream=true: NDJSON read line by line.

stdlib urllib only. `options.num_ctx` is sized from the prompt so long prompts are not silently
cut by Ollama's small default context window.
"""

from __future__ import annotations

import http.client
import json
import math
import socket
from typing import Any, Optional

from .base import Completion, Provider, ProviderError, option, post_json, timeout_error, with_retries

DEFAULT_HOST = "http://127.0.0.1:11434"
DEFAULT_MODEL = "llama3.1:8b"
MIN_NUM_CTX = 4096
MAX_NUM_CTX = 131072


def num_ctx_for(system: str, user: str, max_tokens: int) -> int:
    """Prompt estimate (chars / 4) + answer + 20% margin, rounded up to 1024."""
    needed = (len(system) + len(user)) / 4 * 1.2 + max_tokens + 256
    return int(min(MAX_NUM_CTX, max(MIN_NUM_CTX, math.ceil(needed / 1024) * 1024)))


class OllamaProvider(Provider):
    name = "ollama"

    def __init__(self, options: Optional[dict[str, Any]] = None):
        super().__init__(options)
        host = str(option(self.options, "host", DEFAULT_HOST)).rstrip("/")
        self.host = host if "://" in host else "http://" + host
        self.model = str(option(self.options, "model", DEFAULT_MODEL))

    @property
    def url(self) -> str:
        return self.host + "/api/chat"

    def complete(self, system: str, user: str, max_tokens: int) -> Completion:
        num_ctx = int(option(self.options, "num_ctx", num_ctx_for(system, user, max_tokens)))
        body = {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "stream": True,
            "options": {"num_ctx": num_ctx, "num_predict": max_tokens, "temperature": 0.2},
        }

        def attempt():
            return post_json(self.name, self.url, body, {}, self.timeout)

        try:
            response = with_retries(attempt, provider=self.name, attempts=self.max_retries,
                                    base_delay=self.retry_base_delay)
        except ProviderError as exc:
            if exc.kind == "http" and "HTTP 404" in exc.message:
                raise ProviderError(f"{exc.message} If the model is missing, run `ollama pull {self.model}`.",
                                    kind="http") from None
            raise
        with response:
            return self._read_stream(response, max_tokens)

    def _read_stream(self, response, max_tokens: int) -> Completion:
        pieces: list[str] = []
        model: Optional[str] = None
        done_reason: Optional[str] = None
        done = False

        def partial() -> Completion:
            return Completion(text="".join(pieces), model=model or self.model, stop_reason=None)

        try:
            for raw in response:
                line = raw.strip()
                if not line:
                    continue
                try:
                    event = json.loads(line)
                except ValueError:
                    raise ProviderError(f"{self.name} sent a line that is not JSON: {line[:120]!r}",
                                        kind="malformed", partial=partial()) from None
                if not isinstance(event, dict):
                    raise ProviderError(f"{self.name} sent an unexpected line: {line[:120]!r}", kind="malformed")
                if event.get("error"):
                    raise ProviderError(f"{self.name} failed while answering: {event['error']}",
                                        kind="stream", partial=partial())
                model = event.get("model") or model
                message = event.get("message") or {}
                if isinstance(message, dict) and message.get("content"):
                    pieces.append(str(message["content"]))
                if event.get("done"):
                    done = True
                    done_reason = event.get("done_reason")
                    break
        except (socket.timeout, TimeoutError):
            raise timeout_error(self.name, self.url, self.timeout) from None
        except (http.client.IncompleteRead, ConnectionError) as exc:
            raise ProviderError(f"{self.name}: the connection broke mid-answer ({exc.__class__.__name__}).",
                                kind="stream", partial=partial()) from None
        if not done:
            raise ProviderError(f"{self.name}: the answer stream ended before it was done.",
                                kind="stream", partial=partial())
        stop = {"length": "max_tokens", "stop": "end_turn"}.get(done_reason or "stop", done_reason)
        return self._finish("".join(pieces), model, stop, max_tokens)
