"""One cell's measuring for its push while the kernel is idle, in steps that a client's waiting message stops between
(shell_inbox): first what user code can write (each snapshot's null counts, a frame's numpy and object columns'
digests: Measurement.measure_writable), then one by one the digests of memory no user code can write (Arrow string
columns, the probe's copies of immutable objects). A message that comes while a cell is measured then waits for one
step, not for the rest of the cell (kern31: up to ~13 ms at pandas-06's read_csv cell); what is left is held as
Deferral holds a next cell's leftovers (DEFERRED_BYTES) and measured by the next idle push."""

from __future__ import annotations

import time

from .deferral import unmeasured
from .fingerprints import UnfinishedFingerprint
from .gc_paused import _gc_paused
from .kept_memory import keep_key


class IdleMeasuring:
    """Probe's measuring of a cell in steps (its state: _start_idle_measuring). Uses the push channel's inbox
    (_message_waits, _make_way), the deferral's holding (_hold_left) and the Probe's pending facts and timings."""

    def _start_idle_measuring(self) -> None:
        self.pushes_cut_mid_cell = 0  # pushes that stopped inside a cell's measuring for a client's message

    def _measured_in_steps(self, count: int) -> bool:
        """Measure what cell `count`'s facts read, stopping for a waiting message: False if it stopped (the push goes
        on when the kernel is idle again: _make_way), True once nothing is left to measure. Without an inbox (IPython
        in a terminal, an unknown ipykernel layout) nothing is done here: the facts are measured as they are built."""
        spec = self.pending.get(count)
        if spec is None or self.shell_inbox is None:
            return True
        started, started_cpu = time.perf_counter(), time.thread_time()
        try:
            import warnings

            with warnings.catch_warnings(), _gc_paused():
                warnings.simplefilter("ignore")
                return self._steps(spec[0])
        except (Exception, KeyboardInterrupt) as error:  # the rest is measured when the facts are built
            self._note(error)
            return True
        finally:  # idle measuring, as facts_for counts its own
            self.lazy_ms[count] = self.lazy_ms.get(count, 0.0) + (time.perf_counter() - started) * 1000.0
            self.lazy_cpu_ms[count] = self.lazy_cpu_ms.get(count, 0.0) + (time.thread_time() - started_cpu) * 1000.0

    def _steps(self, changes: list[tuple]) -> bool:
        """What the cell's entries still need (as Deferral._defer walks them): each snapshot's writable part, with a
        check for a message before each; then each left digest, with a check before each."""
        left: list = []  # (measurement, entry) whose left digests are still to compute
        for measurement, entry in unmeasured([changes]):
            if type(measurement.pending) is not UnfinishedFingerprint:
                if self._cut(left):  # what is not measured yet: a next cell measures what it could write first
                    return False
                if not (measurement.from_snapshot and entry.kind == "DataFrame"):
                    measurement.resolve(entry)  # a Series, an array: in one step
                    continue
                _measure_writable(measurement, entry)
            if measurement.pending is not None:
                left.append((measurement, entry))
        for at, (measurement, entry) in enumerate(left):
            unfinished = measurement.pending
            while unfinished.left:
                if self._cut(left[at:]):
                    return False
                unfinished.digest_next()
            measurement.resolve(entry)  # the header and digests combined (microseconds)
        return True

    def _cut(self, left: list) -> bool:
        """If a message waits and the digests left fit in DEFERRED_BYTES (else the cell is measured through), stop:
        they are held, and the push goes on once the kernel is idle again."""
        if not self._message_waits():
            return False
        arrays = [array for measurement, _entry in left for array in measurement.pending.left_arrays()]
        if not self._hold_left(arrays) or not self._make_way():
            return False
        self.pushes_cut_mid_cell += 1
        return True


def _measure_writable(measurement, entry) -> None:
    """measure_writable of a frame's snapshot, which keeps it as resolve() would (the same key and snapshot) if no
    code of the user can write it (keep_key: Arrow strings only), so that a later cell's frame still reading that
    memory shares this measurement (holds_same_data)."""
    snapshot, key = measurement.pending, measurement.key  # a key: left whole for idle time by Deferral._defer
    if key is None:
        try:
            key = keep_key(snapshot, entry.kind)
        except Exception:  # another pandas layout: measured every time, as resolve() does
            key = None
    measurement.measure_writable(entry)
    if key is not None and measurement.error is None:
        measurement.key, measurement.kept = key, snapshot
