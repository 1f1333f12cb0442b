"""collector.py: what the sidecar creates while starting is frozen out of the cyclic collector's passes."""

from __future__ import annotations

import gc

from trackit_sidecar.collector import freeze_startup_objects


def test_objects_made_before_serving_are_no_longer_walked_by_full_collections():
    started = [object()]
    started.append(started)  # a cycle: tracked by the collector
    assert any(obj is started for obj in gc.get_objects())
    try:
        assert freeze_startup_objects() > 0
        assert not any(obj is started for obj in gc.get_objects())  # in the permanent generation
        made_after = [object()]
        made_after.append(made_after)
        assert any(obj is made_after for obj in gc.get_objects())  # later objects are collected as before
    finally:
        gc.unfreeze()
