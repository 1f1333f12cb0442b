"""A command that reads many records turns the cyclic collector off while it runs and freezes what is left at exit
(cli/common.without_cycle_collection): the freeze is registered once per process, not once per command run in it."""

import atexit
import gc

import pytest

from trackit_sidecar.cli import common


def test_the_freeze_at_exit_is_registered_once_however_many_commands_run(monkeypatch: pytest.MonkeyPatch) -> None:
    registered = []
    monkeypatch.setattr(atexit, "register", registered.append)
    common._freeze_at_exit.cache_clear()  # whatever an earlier test in this process registered
    was_enabled = gc.isenabled()
    for _ in range(3):
        with common.without_cycle_collection():
            assert not gc.isenabled()
        assert gc.isenabled() == was_enabled
    assert registered == [gc.freeze]
