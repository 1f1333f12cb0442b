"""Talk to a kernel silently: evaluate expressions, install the runtime probe, fetch its facts, ask its language.

Every request here is an execute_request with code "", silent=True, store_history=False and
the real work in `user_expressions`: IPython evaluates those in the user's namespace after the
(empty) cell, does not bump the execution count, writes no history and sends nothing on iopub
except busy/idle. Expressions never assign, so the user's namespace gains no names.
"""

from __future__ import annotations

import ast
import json
import math
import time
from typing import Any, Callable

from .probe_expressions import facts_expression, install_expression, parse_facts, stats_expression

DEFAULT_TIMEOUT = 2.0
# A cell's facts are asked for after the cell ended, often while the kernel runs the next cells (a Run All):
# the request waits in the kernel's queue until the running cell finishes. While the kernel's heartbeat says it
# is alive, that is a busy kernel, not a gone one, and its facts are worth waiting for this long.
FACTS_BUSY_WAIT = 60.0
REPLY_SLICE = 0.1  # a wait for a reply looks this often whether it is still wanted (the sidecar closing)


class ProbeError(RuntimeError):
    """A silent request came back with an error (ename: evalue) or not at all."""


def parse_expression_value(value: dict[str, Any]) -> Any:
    """A user_expressions entry -> the Python value (text/plain is the repr of a str/int/None...)."""
    if value.get("status") != "ok":
        raise ProbeError(f"{value.get('ename', 'Error')}: {value.get('evalue', '')}")
    text = value.get("data", {}).get("text/plain")
    if text is None:
        raise ProbeError("expression returned no text/plain")
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError) as error:
        raise ProbeError(f"unexpected expression repr: {text[:80]!r}") from error


def silent_expressions(client, expressions: dict[str, str], timeout: float = DEFAULT_TIMEOUT,
                       busy_wait: float = 0.0, until: Callable[[], float] = lambda: math.inf) -> dict[str, Any]:
    """Evaluate expressions silently; returns name -> parsed value or ProbeError instance. With `busy_wait`,
    a kernel whose heartbeat still beats after `timeout` is busy, and the reply is awaited up to that long.
    Never past `until()` (monotonic; it may move nearer while waiting: the sidecar is closing)."""

    def send() -> str:
        return client.execute(
            "", silent=True, store_history=False, user_expressions=expressions, allow_stdin=False, stop_on_error=False
        )

    msg_id = send()
    started = time.monotonic()
    deadline = started + timeout
    while True:
        now = time.monotonic()
        if now >= until():
            raise ProbeError(f"no reply within {now - started:.3g}s, and no longer waited for (closing)")
        remaining = deadline - now
        if remaining <= 0 and now - started < busy_wait and client.is_alive():
            deadline += 1.0
            continue
        if remaining <= 0:
            raise ProbeError(f"no reply within {now - started:.3g}s (kernel busy or unreachable)")
        try:
            reply = client.get_shell_msg(timeout=min(remaining, REPLY_SLICE))
        except Exception:  # queue.Empty
            continue
        if reply.get("parent_header", {}).get("msg_id") != msg_id:
            continue  # a late reply to an earlier request that timed out
        content = reply["content"]
        if content.get("status") == "aborted":
            # A cell failed in a Run All: the kernel aborts every execute request queued behind it, ours
            # too (from any client), without running it. Ask again; the abort window is short.
            time.sleep(0.05)
            msg_id = send()
            continue
        if content.get("status") != "ok":
            raise ProbeError(f"{content.get('ename', 'Error')}: {content.get('evalue', '')}")
        results: dict[str, Any] = {}
        for name, value in content.get("user_expressions", {}).items():
            try:
                results[name] = parse_expression_value(value)
            except ProbeError as error:
                results[name] = error
        return results


def silent_expression(client, expression: str, timeout: float, busy_wait: float = 0.0,
                      until: Callable[[], float] = lambda: math.inf) -> Any:
    value = silent_expressions(client, {"v": expression}, timeout, busy_wait, until)["v"]
    if isinstance(value, ProbeError):
        raise value
    return value


def install_probe(client, timeout: float = 10.0) -> str:
    """Install the probe through `client`; returns 'installed' or 'already'. Raises ProbeError."""
    return silent_expression(client, install_expression(), timeout)


def fetch_facts(client, execution_count: int, timeout: float = DEFAULT_TIMEOUT,
                until: Callable[[], float] = lambda: math.inf):
    """(facts, capture_ms, known) for one execution, waited for while the kernel is busy, never past `until()`.
    Raises ProbeError."""
    return parse_facts(silent_expression(client, facts_expression(execution_count), timeout, FACTS_BUSY_WAIT, until))


def fetch_stats(client, timeout: float = DEFAULT_TIMEOUT) -> dict:
    return json.loads(silent_expression(client, stats_expression(), timeout))


def kernel_language(client, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """language_info.name from kernel_info, or None when the kernel does not answer."""
    msg_id = client.kernel_info()
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            reply = client.get_shell_msg(timeout=remaining)
        except Exception:
            continue
        if reply.get("parent_header", {}).get("msg_id") == msg_id:
            return reply["content"].get("language_info", {}).get("name")
    return None
