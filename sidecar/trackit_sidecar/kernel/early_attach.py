"""Attach to a kernel that is just starting: install the probe before the frontend's first cell (attach_new_kernel)."""

from __future__ import annotations

import time

from . import probe as probe_module
from .probe_expressions import install_expression
from .silent_requests import ProbeError, kernel_language, silent_expressions

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
