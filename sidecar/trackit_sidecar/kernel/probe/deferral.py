"""A next cell that comes before the last cells' facts were pushed (a Run All): what its code could change in them is
measured before it runs; a snapshot of memory no code of the user can write is left for when the kernel is idle."""

from __future__ import annotations

import os
from typing import Iterator

from .gc_paused import _gc_paused
from .kept_memory import held_buffers, keep_key

# A next cell that comes before the push (push_channel.PUSH_AFTER_REPLY_SECONDS; a Run All) does not wait for the
# measuring of the cells before it: a snapshot whose data no cell can change (what keep_key keeps) is measured once the
# kernel is idle, as long as such snapshots hold at most DEFERRED_BYTES (held_buffers: a buffer several share counts
# once) and at most MAX_UNPUSHED_EXECUTIONS cells wait for their push; anything else is measured before the next cell's
# code runs.
DEFERRED_BYTES = 256 * 1024 * 1024
MAX_UNPUSHED_EXECUTIONS = 128


class Deferral:
    """Probe's deferral of measurements while cells come back to back (its state: _start_deferral). Uses the push
    channel's waiting cells (unpushed, _notify, _push_out_of_turn) and the Probe's pending facts."""

    def _start_deferral(self) -> None:
        self.pushed_before_next_cell = 0  # pushes a next cell came too soon for (_before_next_cell)
        self._overtaken = 0  # the last cell counted there
        self.deferred = 0  # measurements a next cell did not wait for: measured once the kernel was idle
        self.measured_before_next_cell = 0  # measurements a next cell waited for (not deferrable, or over the bounds)
        # of those measured, DataFrames whose Arrow string or object columns' digests were left for idle time
        # (measure_writable)
        self.strings_left_for_idle = 0
        # buffer -> bytes of the snapshots left for idle time (held_buffers), counted until every waiting cell is pushed
        self.deferred_buffers: dict = {}
        self.deferred_bytes = 0

    def _before_next_cell(self) -> None:
        """A cell came before the last cells' facts went out (their push waits for the kernel to be idle, so it does
        not delay this cell): what this cell's code could change in them is measured now, the rest is left (_defer)."""
        if self._push_timer is not None:  # pushed once idle after this cell, not between queued cells
            self._push_timer.cancel()
            self._push_timer = None
        # a cell that came before the push started starts a burst (or goes on with one); one a started push made way
        # for does not: the kernel was idle, and the push goes on PUSH_AFTER_REPLY_SECONDS after this cell's reply
        self._in_burst = not self._made_way
        self._made_way = False
        overtaken = [count for count in self.unpushed if count > self._overtaken]
        self.pushed_before_next_cell += len(overtaken)
        self._overtaken = max(self.unpushed)
        if overtaken and not self._announced_onward:
            # the sidecar waits for these pushes until the kernel is idle, instead of asking: one notice for the
            # burst, for this cell and every later one ("onward": each is pushed once the kernel is idle,
            # _push_unpushed), not one per cell (~10 us of the kernel's CPU each, json and sendto: ~0.3 ms a Run All of
            # 30 cells; kern22)
            # from the oldest cell still waiting: one a flush cut short left waits as well, and every push sent
            # so far is older (oldest first)
            self._notify({"execution_count": self.unpushed[0], "pushed_by": os.getpid(), "when_idle": True,
                          "onward": True})
            self._announced_onward = True
        while len(self.unpushed) > MAX_UNPUSHED_EXECUTIONS:
            self._push_out_of_turn(self.unpushed.pop(0))
        try:
            import warnings

            with warnings.catch_warnings(), _gc_paused():
                warnings.simplefilter("ignore")
                self._defer([self.pending[count] for count in overtaken if count in self.pending])
        except (Exception, KeyboardInterrupt) as error:  # never into the user's cell: those facts are measured later
            self._note(error)

    def _defer(self, waiting: list[tuple[list[tuple], tuple, dict | None]]) -> None:
        """Leave a newly waiting cell's measurement for when the kernel is idle only if no later cell can change what it
        measures: a snapshot keep_key would keep (Arrow strings only: memory no code of the user can write, the same
        rule that lets a kept snapshot stand for later states, see holds_same_data), within DEFERRED_BYTES. Anything
        else (a numpy array or block, which user code can write unseen by pandas; too big a frame) is measured now,
        before this cell's code runs, as before kern7: of a DataFrame only what user code can write (its nulls, its
        numpy and object columns' digests), its Arrow string columns' digests and header when idle within
        DEFERRED_BYTES (Measurement.measure_writable: a sampled frame of many string columns, pandas-06's 66K x 43,
        spent about a fifth of its measuring there). A deferred measurement gets its key at once, so a named frame
        still reading that memory shares it (holds_same_data) instead of being snapshotted and measured again.

        A small such snapshot was copied here into memory of the probe's own and the copy measured when idle (kern16,
        private_copy) until kern18: since measure_writable, reading what user code can write costs less than the copy
        did (a 3 x 2 frame of strings and ints: 10 us vs 19 us, warm), and the copy was measured besides.

        The entry a new or rebound variable is measured against (with_baselines, when the facts are built) is one of
        these: the after entry of a name the cell reads, which is named (_post keeps every named object's change), or
        an untouched object's, whose measurement an earlier cell's turn here or push already settled."""
        held = self.deferred_buffers
        for measurement, entry in unmeasured(changes for changes, _baseline_inputs, _shown in waiting):
            if measurement.key is not None or measurement.private:  # deferred at an earlier cell: counted then
                continue
            key = buffers = None
            if measurement.from_snapshot:
                try:
                    key = keep_key(measurement.pending, entry.kind)
                    buffers = held_buffers(measurement.pending) if key is not None else None
                except Exception:  # another pandas layout: measured now
                    key = None
            added = 0 if key is None else sum(size for buffer, size in buffers.items() if buffer not in held)
            if key is not None and self.deferred_bytes + added <= DEFERRED_BYTES:
                measurement.key = key
                held.update(buffers)
                self.deferred_bytes += added
                self.deferred += 1
            else:
                self.measured_before_next_cell += 1
                if measurement.from_snapshot and entry.kind == "DataFrame":
                    # what user code can write is read now; its Arrow string and immutable object columns
                    # when idle
                    left = measurement.measure_writable(entry)
                    if left and self._hold_left(left):
                        self.strings_left_for_idle += 1
                        continue
                measurement.resolve(entry)  # an error is noted when its facts are built

    def _hold_left(self, arrays: list) -> bool:
        """Hold what left digests read (Measurement.measure_writable) until every waiting cell is pushed, if that stays
        within DEFERRED_BYTES; False: it would not, measure them now. Sized as held_buffers counts them (_buffer_key,
        _held_bytes), and only those not held yet."""
        held = self.deferred_buffers
        buffers = {_left_key(array): array for array in arrays}
        buffers = {buffer: _left_bytes(array) for buffer, array in buffers.items() if buffer not in held}
        added = sum(buffers.values())
        if self.deferred_bytes + added > DEFERRED_BYTES:
            return False
        held.update(buffers)
        self.deferred_bytes += added
        return True


def unmeasured(cells_changes) -> Iterator[tuple]:
    """(measurement, entry) of each measurement the cells' changes still wait for, once (a name's before entry and
    another's after entry may share one), checked as it is reached: walking on may resolve a later one."""
    seen = set()
    for changes in cells_changes:
        for _name, before, after, _unchanged_shape, _other_object in changes:
            for entry in (before, after):
                measurement = entry.m if entry is not None else None
                if measurement is None or measurement.pending is None or id(measurement) in seen:
                    continue
                seen.add(id(measurement))
                yield measurement, entry


def _left_key(array):
    """What identifies an array a left digest reads (Measurement.measure_writable): an Arrow ChunkedArray as
    kept_memory._buffer_key names it, or the probe's own copy of an object column."""
    return ("arrow", id(array)) if hasattr(array, "get_total_buffer_size") else ("objects", id(array))


def _left_bytes(array) -> int:
    """What such an array holds alive: an Arrow array's whole buffers (kept_memory._held_bytes), a copy's pointers."""
    return array.get_total_buffer_size() if hasattr(array, "get_total_buffer_size") else array.nbytes
