"""The one interface every LLM provider implements, and the errors it may raise.

Providers are the only summarize code that touches the network. Each turns every failure
(throttling after retries, timeout, refused connection, HTTP errors, errors inside a stream,
malformed answers, an answer cut at the token limit) into a `ProviderError` whose message can be
shown to the user as is.
"""

from __future__ import annotations

import random
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Callable, Optional, TypeVar

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MAX_RETRIES = 4
DEFAULT_RETRY_BASE_DELAY_S = 1.0
MAX_RETRY_DELAY_S = 30.0

T = TypeVar("T")


@dataclass(frozen=True)
class Completion:
    text: str
    model: Optional[str]
    stop_reason: Optional[str]  # normalised: "end_turn" | "max_tokens" | provider's own value otherwise


class ProviderError(Exception):
    """A failure the user should read. `kind` lets callers and tests tell failures apart."""

    def __init__(self, message: str, kind: str = "error", partial: Optional[Completion] = None):
        super().__init__(message)
        self.message = message
        self.kind = kind  # throttled | timeout | connection | http | stream | truncated | malformed | config
        self.partial = partial


class ProviderTruncated(ProviderError):
    """The answer stopped at the token limit; `partial` holds the text received so far."""

    def __init__(self, provider: str, partial: Completion, max_tokens: int):
        super().__init__(
            f"{provider}: the answer was cut at the token limit ({max_tokens} tokens); "
            "the summary is incomplete. Raise max_tokens to get the rest.",
            kind="truncated",
            partial=partial,
        )


class Throttled(Exception):
    """Internal: one throttled attempt, retried by `with_retries`."""

    def __init__(self, detail: str, retry_after: Optional[float] = None):
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after


def with_retries(call: Callable[[], T], *, provider: str, attempts: int, base_delay: float,
                 sleep: Callable[[float], None] = time.sleep) -> T:
    """Run `call`, retrying `Throttled` with exponential backoff and jitter; then give up clearly."""
    attempts = max(1, attempts)
    last: Optional[Throttled] = None
    for attempt in range(attempts):
        try:
            return call()
        except Throttled as exc:
            last = exc
            if attempt == attempts - 1:
                break
            delay = min(MAX_RETRY_DELAY_S, base_delay * (2 ** attempt))
            delay = delay * (0.5 + random.random() / 2)
            if exc.retry_after is not None:
                delay = min(MAX_RETRY_DELAY_S, max(delay, exc.retry_after))
            sleep(delay)
    detail = f" ({last.detail})" if last and last.detail else ""
    raise ProviderError(
        f"{provider} is throttling requests{detail}; gave up after {attempts} attempts. Try again in a minute.",
        kind="throttled",
    )


def option(options: dict[str, Any], key: str, default: Any = None) -> Any:
    value = options.get(key)
    return default if value is None or value == "" else value


class Provider(ABC):
    name: str = "provider"
    model: Optional[str] = None

    def __init__(self, options: Optional[dict[str, Any]] = None):
        self.options = dict(options or {})
        self.timeout = float(option(self.options, "timeout", DEFAULT_TIMEOUT_S))
        self.max_retries = int(option(self.options, "max_retries", DEFAULT_MAX_RETRIES))
        self.retry_base_delay = float(option(self.options, "retry_base_delay", DEFAULT_RETRY_BASE_DELAY_S))

    @abstractmethod
    def complete(self, system: str, user: str, max_tokens: int) -> Completion:
        """Send one prompt; return the answer or raise ProviderError."""

    def _finish(self, text: str, model: Optional[str], stop_reason: Optional[str], max_tokens: int) -> Completion:
        completion = Completion(text=text, model=model or self.model, stop_reason=stop_reason)
        if stop_reason == "max_tokens":
            raise ProviderTruncated(self.name, completion, max_tokens)
        if not text.strip():
            raise ProviderError(f"{self.name} returned an empty answer (stop reason: {stop_reason}).", kind="malformed")
        return completion


# ------------------------------------------------------------------ stdlib HTTP shared by ollama and openai
def post_json(provider: str, url: str, body: dict[str, Any], headers: dict[str, str], timeout: float):
    """POST JSON with urllib; return the open response (status 2xx) or raise a clear error.

    HTTP 429/503 raise `Throttled` so the caller's retry loop can back off.
    """
    import json
    import socket
    import urllib.error
    import urllib.request

    data = json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - URL comes from user settings
    except urllib.error.HTTPError as exc:
        detail = _error_detail(exc)
        retry_after = exc.headers.get("Retry-After") if exc.headers else None
        if exc.code in (429, 503):
            raise Throttled(f"HTTP {exc.code}{': ' + detail if detail else ''}", _seconds(retry_after)) from None
        hint = {401: " Check the API key.", 403: " Check the API key and its permissions.",
                404: " Check the URL and the model name."}.get(exc.code, "")
        raise ProviderError(f"{provider} answered HTTP {exc.code} at {url}{': ' + detail if detail else ''}.{hint}",
                            kind="http") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise timeout_error(provider, url, timeout) from None
        if isinstance(reason, ConnectionRefusedError):
            raise ProviderError(f"{provider}: connection refused at {url}. Is the server running?",
                                kind="connection") from None
        raise ProviderError(f"{provider}: cannot reach {url} ({reason}).", kind="connection") from None
    except (socket.timeout, TimeoutError):
        raise timeout_error(provider, url, timeout) from None
    except ConnectionError as exc:
        raise ProviderError(f"{provider}: connection to {url} failed ({exc.__class__.__name__}).",
                            kind="connection") from None


def timeout_error(provider: str, url: str, timeout: float) -> ProviderError:
    return ProviderError(f"{provider} did not answer within {timeout:g} s at {url}. "
                         "Raise the timeout or try a smaller model.", kind="timeout")


def _seconds(value: Optional[str]) -> Optional[float]:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _error_detail(exc: Any) -> str:
    import json

    try:
        raw = exc.read().decode("utf-8", "replace")
    except Exception:  # the body is only a nicety for the message
        return ""
    try:
        payload = json.loads(raw)
    except ValueError:
        return raw.strip()[:300]
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        return str(error.get("message") or error)[:300]
    if error:
        return str(error)[:300]
    if isinstance(payload, dict) and payload.get("message"):
        return str(payload["message"])[:300]
    return raw.strip()[:300]
