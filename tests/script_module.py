"""A script that is no package's module (bench/*.py, a test folder's harness) loaded as a module, for tests.

The module is registered in sys.modules under its name before it runs: dataclasses and pickling look their module up
there."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"


def load_script(path: Path, name: str | None = None) -> ModuleType:
    name = name or path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"not a Python file: {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def bench_script(stem: str) -> ModuleType:
    """bench/<stem>.py as a module."""
    return load_script(BENCH / f"{stem}.py")
