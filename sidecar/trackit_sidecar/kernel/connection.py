"""A kernel's connection file: reading it, finding it by kernel id, and whether it names a Python kernel."""

from __future__ import annotations

import functools
import json
import os
import re
import time
from pathlib import Path
from typing import Callable, Optional

# Jupyter's kernel ids are UUIDs; anything else must not become part of a path.
_KERNEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")


def read_connection_info(path: str, wait_s: float = 2.0) -> Optional[dict]:
    """The JSON of a connection file; waits briefly for a file still being written. None if invalid."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            info = json.loads(Path(path).read_text(encoding="utf-8"))
            if isinstance(info, dict) and info.get("shell_port"):
                return info
        except (OSError, ValueError):
            pass
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)


def runtime_dir() -> Optional[str]:
    try:
        from jupyter_core.paths import jupyter_runtime_dir

        return jupyter_runtime_dir()
    except Exception:
        return None


def connection_file_for_id(kernel_id: Optional[str], directory: Optional[str]) -> Optional[str]:
    """`<runtime dir>/kernel-<id>.json` when that file exists (how Jupyter servers name them), else None."""
    if not kernel_id or not directory or not _KERNEL_ID.match(kernel_id):
        return None
    path = os.path.join(directory, f"kernel-{kernel_id}.json")
    return path if os.path.isfile(path) else None


def python_kernel_from_info(info: dict, spec_language: Callable[[str], Optional[str]]) -> bool:
    """Whether a connection file names a kernel whose spec says Python (unknown -> False)."""
    name = info.get("kernel_name")
    if not name:
        return False
    language = spec_language(str(name))
    return bool(language) and language.lower() == "python"


@functools.lru_cache(maxsize=32)
def kernelspec_language(name: str) -> Optional[str]:
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        return KernelSpecManager().get_kernel_spec(name).language
    except Exception:
        return None
