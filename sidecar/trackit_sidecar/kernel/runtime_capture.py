"""RuntimeCapture attaches a second client to a kernel someone else started (VS Code) through
its connection file. It never raises to its caller: a busy, dead or non-Python kernel gives
[] after a short timeout and a debug log line.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from pathlib import Path

from .. import protocol
from . import probe as probe_module
from .facts_inbox import FactsInbox
from .probe_expressions import parse_facts, push_expression
from .silent_requests import (DEFAULT_TIMEOUT, ProbeError, fetch_facts, fetch_stats, install_probe, kernel_language,
                              silent_expression, silent_expressions)

log = logging.getLogger(__name__)

# How long a cell's pushed facts are waited for before they are fetched: the probe measures them after the cell's
# reply, usually within milliseconds (a first fingerprint of a wide frame: tens); a fetch would queue behind that
# measuring anyway and cost the kernel a shell request on top.
PUSH_WAIT = 1.0


class RuntimeCapture:
    """A second client on a running kernel (e.g. VS Code's) that reads runtime facts.

    RuntimeCapture(connection_file).facts(execution_count). Which kernel may be read for a notebook is
    decided elsewhere (identity.py, notebook_kernels.py); this class only talks to the one it is given.
    The probe is installed on first contact; facts exist only for cells run after that.
    Nothing here raises to the caller: problems give [] (or None from fetch) and a debug log line.
    """

    def __init__(self, connection_file: str | Path, timeout: float = DEFAULT_TIMEOUT):
        self.connection_file = str(connection_file)
        self.timeout = timeout
        self._client = None
        self._installed = False
        self._unusable: str | None = None
        self._lock = threading.Lock()
        self._inbox: FactsInbox | None = None  # facts the probe pushed; None: each cell's facts are fetched
        self._pushing = False  # the installed probe said it pushes to the inbox: a missing push is waited for
        self.until = math.inf  # nothing waits for this kernel past this monotonic time: the sidecar is closing
        self.last_capture_ms: float | None = None

    # public -----------------------------------------------------------------
    def install(self) -> bool:
        """Connect and install the probe once. False (logged) if the kernel cannot take it."""
        with self._lock:
            return self._ensure_installed()

    def facts(self, execution_count: int) -> list[protocol.RuntimeFacts]:
        """Facts the probe kept for that execution count; [] on any problem (never raises)."""
        return self.fetch(execution_count) or []

    @property
    def pushes(self) -> bool:
        """The installed probe pushes each cell's facts to this client's inbox: they come without a request."""
        return self._installed and self._pushing

    def close_by(self, until: float) -> None:
        """The sidecar is closing: no wait for this kernel (a push, a reply) goes past `until` (monotonic), nor one
        under way now. Called from any thread."""
        self.until = until
        inbox = self._inbox
        if inbox is not None:
            inbox.until = until

    @property
    def out_of_time(self) -> bool:
        """Past `until`: what was not in by then is not waited for."""
        return time.monotonic() >= self.until

    @property
    def not_python(self) -> bool:
        return bool(self._unusable and self._unusable.startswith("not a Python kernel"))

    def ask(self, fn):
        """fn(ask) against this kernel, where `ask(expressions, timeout)` evaluates silent user_expressions
        (kernel/experiments.py); None when the kernel cannot be asked (not Python, gone, busy)."""
        with self._lock:
            if not self._ensure_installed():
                return None
            client = self._client
            return fn(lambda expressions, timeout: silent_expressions(client, expressions, timeout))

    def stats(self) -> dict | None:
        with self._lock:
            if not self._ensure_installed():
                return None
            try:
                return fetch_stats(self._client, self.timeout)
            except Exception as error:
                log.debug("probe stats unavailable from %s: %s", self.connection_file, error)
                return None

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                try:
                    self._client.stop_channels()
                except Exception:
                    pass
            self._client = None
            self._installed = False
            if self._inbox is not None:
                self._inbox.close()
                self._inbox = None

    def __enter__(self) -> "RuntimeCapture":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fetch(self, execution_count: int) -> list[protocol.RuntimeFacts] | None:
        """Facts, [] when the kernel answered but kept none, None when it did not answer."""
        with self._lock:
            for _attempt in range(2):
                # a probe installed by this very call was not there to push this cell: nothing to wait for
                pushing = self.pushes
                if not self._ensure_installed():
                    return None
                try:
                    pushed = self._inbox.take(execution_count, PUSH_WAIT if pushing else 0.0) \
                        if self._inbox is not None else None
                    if pushed is not None:
                        facts, capture_ms, _known = parse_facts(pushed)
                    elif self.out_of_time:
                        return None
                    else:
                        facts, capture_ms, _known = fetch_facts(self._client, execution_count,
                                                                self._bounded(self.timeout), lambda: self.until)
                except ProbeError as error:
                    if probe_module.MODULE_NAME in str(error):  # the kernel restarted: its namespace is new
                        self._installed = False
                        continue
                    log.debug("runtime facts unavailable from %s: %s", self.connection_file, error)
                    return None
                except Exception as error:
                    log.debug("runtime facts unavailable from %s: %s", self.connection_file, error)
                    return None
                self.last_capture_ms = capture_ms
                return facts
            return None

    # private ----------------------------------------------------------------
    def _connect(self):
        if self._client is None:
            from jupyter_client import BlockingKernelClient

            client = BlockingKernelClient()
            client.load_connection_file(self.connection_file)
            # shell for the silent requests, the heartbeat for is_alive (a busy kernel is waited for); not iopub: every
            # output of the user's cells would queue unread in this client's socket (up to ZMQ's 1,000 messages a
            # kernel: a plot or a big print each), nor stdin or control, which nothing here uses
            client.start_channels(shell=True, iopub=False, stdin=False, hb=True, control=False)
            self._client = client
        return self._client

    def _ensure_installed(self) -> bool:
        if self._installed:
            return True
        if self._unusable:
            log.debug("kernel %s skipped: %s", self.connection_file, self._unusable)
            return False
        try:
            client = self._connect()
            language = kernel_language(client, self._bounded(self.timeout))
            if language is None:
                log.debug("kernel %s did not answer kernel_info (busy or gone)", self.connection_file)
                return False  # may answer later: not marked unusable
            if language.lower() != "python":
                self._unusable = f"not a Python kernel ({language})"
                log.debug("kernel %s skipped: %s", self.connection_file, self._unusable)
                return False
            install_probe(client, self._bounded(max(self.timeout, 5.0)))
            self._installed = True
            self._push_here(client)
            return True
        except Exception as error:
            log.debug("cannot install probe into %s: %s", self.connection_file, error)
            if isinstance(error, (OSError, ValueError, KeyError)):
                self._unusable = str(error)  # unreadable/invalid connection file: stays broken
            return False

    def _bounded(self, timeout: float) -> float:
        """`timeout`, or what is left before `until` when that is less."""
        return max(0.0, min(timeout, self.until - time.monotonic()))

    def _push_here(self, client) -> None:
        """Ask the (re)installed probe to push each cell's facts to this capture's inbox; without it, fetch."""
        if self._inbox is None:
            try:
                self._inbox = FactsInbox()
                self._inbox.until = self.until
            except (OSError, AttributeError) as error:  # AttributeError: no Unix sockets on this platform
                log.debug("no facts inbox (%s): facts of %s are fetched per cell", error, self.connection_file)
                return
        self._inbox.forget()
        self._pushing = False
        try:
            self._pushing = silent_expression(client, push_expression(self._inbox.path), self._bounded(max(self.timeout, 5.0))) \
                == "pushing"
        except ProbeError as error:
            log.debug("probe in %s does not push (%s): facts are fetched per cell", self.connection_file, error)
