"""Every usage script (tests/usage/scripts, README.md) replayed against a real `trackit serve` and a real
ipykernel: the recorded sessions, parents, step rows, failed runs, stale runs, hovers and summary must be
what the script says. ~5-20 s per script."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..script_module import load_script

HERE = Path(__file__).resolve().parent
runner = load_script(HERE / "runner.py", "usage_runner")


@pytest.mark.parametrize("script", sorted(runner.SCRIPTS.glob("*.json")), ids=lambda path: path.stem)
def test_usage_script(script, tmp_path):
    failures, _ = runner.replay(script, tmp_path)
    assert not failures, "\n".join(failures) + f"\n(sidecar log: {tmp_path / 'serve.log'})"
