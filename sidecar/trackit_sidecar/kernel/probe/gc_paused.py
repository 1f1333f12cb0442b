"""The cyclic GC held off while a hook runs."""

from __future__ import annotations


class _gc_paused:
    """Hold off the cyclic GC while a hook runs.

    A collection due to the user's own allocations would otherwise land inside our few
    milliseconds and be billed to capture (measured: 30-250 ms spikes after big merges).
    It runs at the user's next allocation instead, exactly as it would without TrackIT.
    A hook holds it off over its whole timed part, clock readings included: a collection
    that fell due while it was off runs at the first allocation after it is back on, so
    an allocation of ours between the two (a notice sent, a dict entry) would run it
    inside the timer (tests/sidecar/kernel/test_probe_hooks_timer.py).
    """

    def __enter__(self):
        import gc

        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        import gc

        if self.was_enabled:
            gc.enable()
        return False
