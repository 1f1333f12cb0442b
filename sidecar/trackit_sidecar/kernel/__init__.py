"""Everything that talks to kernels: run notebooks, find/attach live kernels, the probe, input files."""

from __future__ import annotations

from .attach import ProbeError, RuntimeCapture
from .discovery import KernelFinder, candidate_connection_files, find_kernel_for
from .files import describe_input_file, pending_sha256
from .runner import (
    KernelDiedError,
    KernelSpecNotFound,
    KernelStartError,
    NotebookError,
    NotPythonKernel,
    RunResult,
    run_notebook,
)

__all__ = [
    "KernelDiedError", "KernelFinder", "KernelSpecNotFound", "KernelStartError", "NotPythonKernel",
    "NotebookError", "ProbeError", "RunResult", "RuntimeCapture", "candidate_connection_files",
    "describe_input_file", "find_kernel_for", "pending_sha256", "run_notebook",
]
