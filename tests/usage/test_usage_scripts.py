"""Every usage script (tests/usage/scripts, README.md) replayed against a real `trackit serve` and a real
ipykernel: the recorded sessions, parents, step rows, failed runs, stale runs, hovers and summary must be
what the script says. ~5-20 s per script."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("usage_runner", HERE / "runner.py")
runner = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = runner  # its dataclasses look their module up there
_spec.loader.exec_module(runner)


@pytest.mark.parametrize("script", sorted(runner.SCRIPTS.glob("*.json")), ids=lambda path: path.stem)
def test_usage_script(script, tmp_path):
    failures, _ = runner.replay(script, tmp_path)
    assert not failures, "\n".join(failures) + f"\n(sidecar log: {tmp_path / 'serve.log'})"
