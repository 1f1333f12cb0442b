"""Talk to a kernel silently: install the runtime probe, fetch facts, ask small questions.

Every request here is an execute_request with code "", silent=True, store_history=False and
the real work in `user_expressions`: IPython evaluates those in the user's namespace after the
(empty) cell, does not bump the execution count, writes no history and sends nothing on iopub
except busy/idle. Expressions never assign, so the user's namespace gains no names.

RuntimeCapture attaches a second client to a kernel someone else started (VS Code) through
its connection file. It never raises to its caller: a busy, dead or non-Python kernel gives
[] after a short timeout and a debug log line.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import logging
import math
import threading
import time
from pathlib import Path
from typing import Any, Callable

from .. import protocol
from ..lineage.kb import python as kb_python
from . import probe as probe_module
from .facts_inbox import FactsInbox

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 2.0
# A cell's facts are asked for after the cell ended, often while the kernel runs the next cells (a Run All):
# the request waits in the kernel's queue until the running cell finishes. While the kernel's heartbeat says it
# is alive, that is a busy kernel, not a gone one, and its facts are worth waiting for this long.
FACTS_BUSY_WAIT = 60.0
# How long a cell's pushed facts are waited for before they are fetched: the probe measures them after the cell's
# reply, usually within milliseconds (a first fingerprint of a wide frame: tens); a fetch would queue behind that
# measuring anyway and cost the kernel a shell request on top.
PUSH_WAIT = 1.0
REPLY_SLICE = 0.1  # a wait for a reply looks this often whether it is still wanted (the sidecar closing)


class ProbeError(RuntimeError):
    """A silent request came back with an error (ename: evalue) or not at all."""


# ------------------------------------------------------------------ expressions (pure)
# The probe's modules are built in order, the package itself first (empty until its own source runs last: the modules
# import each other relatively, through it); a failed build leaves no half-made module behind (the old probe, already
# uninstalled, stays until the next install tries again).
_BOOT = """
import sys, types
package = sys.modules.get(NAME)
if package is None or getattr(package, "SOURCE_SHA", None) != SHA:
    if package is not None and hasattr(package, "uninstall"):
        package.uninstall()
    for stale in [key for key in sys.modules if key.startswith(NAME + ".")]:
        del sys.modules[stale]
    made = types.ModuleType(NAME)
    made.__file__, made.__package__, made.__path__ = "<trackit-probe>", NAME, []
    sys.modules[NAME] = made
    try:
        for name, sources in MODULES:
            module = made
            if name:
                module = types.ModuleType(NAME + "." + name)
                module.__file__, module.__package__ = "<trackit-probe/" + name + ">", NAME
                sys.modules[module.__name__] = module
                setattr(made, name, module)
            for source in sources:
                exec(compile(source, module.__file__, "exec"), module.__dict__)
    except BaseException:
        for key in [key for key in sys.modules if key == NAME or key.startswith(NAME + ".")]:
            del sys.modules[key]
        if package is not None:
            sys.modules[NAME] = package
        raise
    made.SOURCE_SHA = SHA
    package = made
RESULT = package.install(__import__("IPython").get_ipython())
"""


def probe_modules(location: str | Path | None = None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The probe as the kernel runs it: (module name in the package, "" for the package itself; the sources run into
    it, in order), in the order they are built. `location`: another build's probe (a bench baseline), its probe
    package's directory or the single probe.py of builds before the package; by default this sidecar's."""
    tables = probe_tables_source()
    location = Path(probe_module.__file__).parent if location is None else Path(location)
    if location.is_file():
        return (("", (tables, location.read_text(encoding="utf-8"))),)
    root = (location / "__init__.py").read_text(encoding="utf-8")
    declared = _declared(root, "MODULES", "TABLES_MODULE")
    return (*((name, ((tables,) if name == declared["TABLES_MODULE"] else ())
               + ((location / f"{name}.py").read_text(encoding="utf-8"),)) for name in declared["MODULES"]),
            ("", (root,)))


def _declared(source: str, *names: str) -> dict[str, Any]:
    """The literal values a module's source assigns to these names at top level (read, not run: another build's)."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and node.targets[0].id in names:
            found[node.targets[0].id] = ast.literal_eval(node.value)
    missing = [name for name in names if name not in found]
    if missing:
        raise ValueError(f"the probe package declares no {', '.join(missing)}")
    return found


def probe_tables_source() -> str:
    """lineage/kb/python.py: the probe's table of in-place methods is the sidecar's own (one definition)."""
    return Path(kb_python.__file__).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def install_expression() -> str:
    """An expression that installs the probe into private modules and returns 'installed'/'already'.

    exec() runs the boot code in a fresh dict, so nothing lands in the user's namespace.
    """
    modules = probe_modules()
    # keyed by the sources' hash: a sidecar upgraded while the kernel lives replaces the probe
    sha = hashlib.sha256(repr(modules).encode("utf-8")).hexdigest()[:16]
    env = {"MODULES": modules, "NAME": probe_module.MODULE_NAME, "SHA": sha}
    return f"(lambda g: (exec({_BOOT!r}, g), g['RESULT'])[1])({env!r})"


def facts_expression(execution_count: int) -> str:
    return f"__import__('sys').modules[{probe_module.MODULE_NAME!r}].facts_json({int(execution_count)})"


def push_expression(path: str) -> str:
    return f"__import__('sys').modules[{probe_module.MODULE_NAME!r}].push_to({str(path)!r})"


def stats_expression() -> str:
    return f"__import__('sys').modules[{probe_module.MODULE_NAME!r}].stats_json()"


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


def parse_facts(payload: str) -> tuple[list[protocol.RuntimeFacts], float | None, bool]:
    """facts_json output -> (facts, capture_ms, known)."""
    import json

    data = json.loads(payload)
    facts = [protocol.RuntimeFacts.model_validate(item) for item in data.get("facts", [])]
    return facts, data.get("capture_ms"), bool(data.get("known"))


# ------------------------------------------------------------------ requests over a client
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


def _one(client, expression: str, timeout: float, busy_wait: float = 0.0,
         until: Callable[[], float] = lambda: math.inf) -> Any:
    value = silent_expressions(client, {"v": expression}, timeout, busy_wait, until)["v"]
    if isinstance(value, ProbeError):
        raise value
    return value


def install_probe(client, timeout: float = 10.0) -> str:
    """Install the probe through `client`; returns 'installed' or 'already'. Raises ProbeError."""
    return _one(client, install_expression(), timeout)


def fetch_facts(client, execution_count: int, timeout: float = DEFAULT_TIMEOUT,
                until: Callable[[], float] = lambda: math.inf):
    """(facts, capture_ms, known) for one execution, waited for while the kernel is busy, never past `until()`.
    Raises ProbeError."""
    return parse_facts(_one(client, facts_expression(execution_count), timeout, FACTS_BUSY_WAIT, until))


def fetch_stats(client, timeout: float = DEFAULT_TIMEOUT) -> dict:
    import json

    return json.loads(_one(client, stats_expression(), timeout))


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


# ------------------------------------------------------------------ attach to a live kernel
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
            self._pushing = _one(client, push_expression(self._inbox.path), self._bounded(max(self.timeout, 5.0))) \
                == "pushing"
        except ProbeError as error:
            log.debug("probe in %s does not push (%s): facts are fetched per cell", self.connection_file, error)


# ------------------------------------------------------------------ attach to a kernel that is just starting
STARTUP_TIMEOUT = 30.0


class EarlyAttach:
    """What attach_new_kernel did: status and the execution count the first hooked cell gets."""

    __slots__ = ("connection_file", "status", "installed_at", "detail", "sent_after_ms")

    def __init__(self, connection_file: str, status: str, installed_at: int | None = None, detail: str = "",
                 sent_after_ms: float | None = None):
        self.connection_file = connection_file
        self.status = status  # installed | already | not-python | unreachable | failed
        self.installed_at = installed_at
        self.detail = detail
        self.sent_after_ms = sent_after_ms  # from noticing the kernel to sending the install request

    @property
    def before_first_cell(self) -> bool:
        return self.status in ("installed", "already") and self.installed_at == 1

    def __repr__(self) -> str:
        sent = "" if self.sent_after_ms is None else f", sent {self.sent_after_ms:.0f} ms after notice"
        return f"EarlyAttach({self.status}, installed_at={self.installed_at}{sent}, {self.detail!r})"


def _early_install_expressions() -> dict[str, str]:
    # install first, then ask where the probe starts: both in one request
    return {
        "install": install_expression(),
        "at": f"__import__('sys').modules[{probe_module.MODULE_NAME!r}]._probe.installed_at",
    }


def warm_up() -> None:
    """Import what an attach needs and build the install request once, before any kernel appears:
    done cold, that costs ~0.3 s of the ~0.5-1 s head start a starting kernel gives us."""
    from jupyter_client import BlockingKernelClient  # noqa: F401
    from jupyter_client.kernelspec import KernelSpecManager  # noqa: F401

    install_expression()


def attach_new_kernel(connection_info: dict, connection_file: str, python_known: bool,
                      timeout: float = STARTUP_TIMEOUT, still_wanted=lambda: True,
                      noticed: float | None = None) -> EarlyAttach:
    """Install the probe into a kernel that may still be starting. Never raises.

    The race: a frontend starts the kernel, waits for kernel_info, then sends its cells at once
    (Run All). Our request must reach the shell socket before those. Messages sent before the
    kernel binds wait in our socket and go out the moment it connects, so when the kernel is
    known to be Python (ipykernel on its command line, or a kernelspec whose language is python)
    the install request is sent immediately, without a kernel_info round trip first: waiting
    for kernel_info puts us exactly level with the frontend, which waits for the same reply.
    Otherwise kernel_info comes first and a non-Python kernel is left alone.
    """
    import zmq
    from jupyter_client import BlockingKernelClient

    # Our own context: a kernel not yet listening refuses the connection and ZMQ retries every
    # RECONNECT_IVL (100 ms by default, the frontend's pace too); retrying every 10 ms puts our
    # connection, and the install waiting in it, ahead of the frontend's when the kernel binds.
    context = zmq.Context()
    context.setsockopt(zmq.RECONNECT_IVL, 10)
    client = BlockingKernelClient(context=context)
    try:
        client.load_connection_info(connection_info)
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
    except Exception as error:
        context.destroy(linger=0)
        return EarlyAttach(connection_file, "failed", detail=f"cannot connect: {error}")
    try:
        if not python_known:
            language = kernel_language(client, timeout)
            if language is None:
                return EarlyAttach(connection_file, "unreachable", detail="no kernel_info reply")
            if language.lower() != "python":
                return EarlyAttach(connection_file, "not-python", detail=language)
        if not still_wanted():  # runtime capture switched off while we waited
            return EarlyAttach(connection_file, "failed", detail="runtime capture turned off")
        sent_after_ms = None if noticed is None else (time.monotonic() - noticed) * 1000.0
        values = silent_expressions(client, _early_install_expressions(), timeout)
        status = values.get("install")
        if isinstance(status, Exception):
            return EarlyAttach(connection_file, "failed", detail=str(status), sent_after_ms=sent_after_ms)
        at = values.get("at")
        return EarlyAttach(connection_file, str(status), at if isinstance(at, int) else None,
                           sent_after_ms=sent_after_ms)
    except ProbeError as error:
        return EarlyAttach(connection_file, "unreachable", detail=str(error))
    except Exception as error:  # never into the caller's loop
        return EarlyAttach(connection_file, "failed", detail=f"{type(error).__name__}: {error}")
    finally:
        try:
            client.stop_channels()
        except Exception:
            pass
        context.destroy(linger=0)
