"""Everything that talks to kernels: run notebooks, tie live kernels to notebooks and attach, the probe,
input files."""

from __future__ import annotations

from ..notebook_file import NotebookError
from .files import describe_input_file, pending_sha256
from .kernelspecs import KernelSpecNotFound, KernelStartError, NotPythonKernel
from .notebook_kernels import NotebookKernels, RuntimeResult
from .runner import KernelDiedError, RunResult, run_notebook
from .runtime_capture import RuntimeCapture
from .silent_requests import ProbeError

__all__ = [
    "KernelDiedError", "KernelSpecNotFound", "KernelStartError", "NotPythonKernel", "NotebookError",
    "NotebookKernels", "ProbeError", "RunResult", "RuntimeCapture", "RuntimeResult", "describe_input_file",
    "pending_sha256", "run_notebook",
]
