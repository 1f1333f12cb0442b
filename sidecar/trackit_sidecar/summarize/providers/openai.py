"""Any OpenAI-compatible /v1/chat/completions endpoint (OpenAI, vLLM, LM Studio, llama.cpp server...).

stdlib urllib only; one non-streaming request per prompt.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
from typing import Any, Optional

from .base import Completion, Provider, ProviderError, option, post_json, timeout_error, with_retries

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"


class OpenAIProvider(Provider):
    name = "openai"

    def __init__(self, options: Optional[dict[str, Any]] = None):
        super().__init__(options)
        self.base_url = str(option(self.options, "base_url", DEFAULT_BASE_URL)).rstrip("/")
        self.model = str(option(self.options, "model", DEFAULT_MODEL))
        # the editor sends the NAME of an environment variable, never the key itself (settings sync in plain text)
        key_env = option(self.options, "api_key_env")
        self.api_key = (option(self.options, "api_key") or (os.environ.get(str(key_env)) if key_env else None)
                        or os.environ.get("OPENAI_API_KEY"))

    @property
    def url(self) -> str:
        return self.base_url + "/chat/completions"

    def complete(self, system: str, user: str, max_tokens: int) -> Completion:
        if not self.api_key and self.base_url == DEFAULT_BASE_URL:
            # OpenAI itself answers 401 to a request without a key: do not send the prompt for that (a local
            # OpenAI-compatible server, at another base URL, may need no key)
            raise ProviderError(f"{self.name}: no API key for {self.base_url}: set OPENAI_API_KEY, or name the "
                                "variable that holds it (the editor's trackit.summary API key setting); nothing was sent",
                                kind="config")
        body = {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "max_tokens": max_tokens,
            "temperature": 0.2,
            "stream": False,
        }
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}

        def attempt() -> dict[str, Any]:
            response = post_json(self.name, self.url, body, headers, self.timeout)
            with response:
                try:
                    raw = response.read()
                except (socket.timeout, TimeoutError):
                    raise timeout_error(self.name, self.url, self.timeout) from None
                except (http.client.IncompleteRead, ConnectionError) as exc:
                    raise ProviderError(f"{self.name}: the connection broke while the answer was being sent "
                                        f"({exc.__class__.__name__}); no complete answer arrived.",
                                        kind="stream") from None
            try:
                payload = json.loads(raw)
            except ValueError:
                raise ProviderError(f"{self.name} sent an answer that is not JSON: {raw[:120]!r}",
                                    kind="malformed") from None
            if not isinstance(payload, dict):
                raise ProviderError(f"{self.name} sent an unexpected answer: {str(payload)[:120]}", kind="malformed")
            return payload

        payload = with_retries(attempt, provider=self.name, attempts=self.max_retries,
                               base_delay=self.retry_base_delay)
        if payload.get("error"):
            error = payload["error"]
            message = error.get("message") if isinstance(error, dict) else str(error)
            raise ProviderError(f"{self.name} reported an error: {message}", kind="http")
        try:
            choice = payload["choices"][0]
            text = choice["message"].get("content") or ""
            finish = choice.get("finish_reason")
        except (KeyError, IndexError, TypeError, AttributeError):
            raise ProviderError(f"{self.name} answered without choices[0].message: {json.dumps(payload)[:160]}",
                                kind="malformed") from None
        stop = {"length": "max_tokens", "stop": "end_turn"}.get(finish, finish)
        return self._finish(text, payload.get("model"), stop, max_tokens)
