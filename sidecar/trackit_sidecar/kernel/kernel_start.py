"""A fresh kernel started with jupyter_client for a run, its own output kept aside to say why if it fails or dies."""

from __future__ import annotations

from pathlib import Path

from .kernelspecs import KernelStartError

STARTUP_TIMEOUT = 60.0


def start_kernel(kernel_name: str, cwd: Path, kernel_log):
    """Start the kernel with its stdout/stderr in `kernel_log` (shown only if it dies)."""
    from jupyter_client import KernelManager

    manager = KernelManager(kernel_name=kernel_name)
    try:
        manager.start_kernel(cwd=str(cwd), stdout=kernel_log, stderr=kernel_log)
    except Exception as error:
        raise KernelStartError(f"kernel {kernel_name!r} failed to start: {error}") from error
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=STARTUP_TIMEOUT)
    except RuntimeError as error:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        detail = log_tail(kernel_log)
        raise KernelStartError(
            f"kernel {kernel_name!r} did not become ready: {error}" + (f"; kernel said: {detail}" if detail else "")
        ) from error
    return manager, client


def log_tail(kernel_log, lines: int = 5) -> str:
    """Last lines the kernel process wrote, minus the TCP-encryption notice every kernel prints."""
    try:
        kernel_log.flush()
        kernel_log.seek(0)
        text = kernel_log.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return ""
    kept = [line for line in text.splitlines() if line.strip() and "without encryption" not in line]
    return " | ".join(kept[-lines:])
