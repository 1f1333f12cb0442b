"""A next cell that comes before the last cells' facts were pushed (a Run All): what its code could change in them is
measured before it runs; a snapshot of memory no code of the user can write is left for when the kernel is idle."""

from __future__ import annotations

import os

from .gc_paused import _gc_paused
from .kept_memory import held_buffers, keep_key
from .read_only import READ_CODE_MIN_VALUES, hands_out_memory

# A next cell that comes before the push (push_channel.PUSH_AFTER_REPLY_SECONDS; a Run All) does not wait for the
# measuring of the cells before it: a snapshot whose data no cell can change (what keep_key keeps) is measured once the
# kernel is idle, as long as such snapshots hold at most DEFERRED_BYTES (held_buffers: a buffer several share counts
# once) and at most MAX_UNPUSHED_EXECUTIONS cells wait for their push; anything else is measured before the first next
# cell whose code could write it (_may_wait), within the same DEFERRED_BYTES. Only a snapshot of READ_CODE_MIN_VALUES
# values or more waits so: judging a cell's code before it runs costs ~0.1-0.2 ms, more than measuring a smaller frame
# (runtime_capture_breakdown.py, kern23: with every size judged, pandas_merge's and 03.07's in-wall CPU rose 1.6-1.7 ms)
DEFERRED_BYTES = 256 * 1024 * 1024
MAX_UNPUSHED_EXECUTIONS = 128
_UNJUDGED = object()  # the running cell's code not judged yet (Deferral._defer)


class Deferral:
    """Probe's deferral of measurements while cells come back to back (its state: _start_deferral). Uses the push
    channel's waiting cells (unpushed, _notify, _push_out_of_turn) and the Probe's pending facts."""

    def _start_deferral(self) -> None:
        self.pushed_before_next_cell = 0  # pushes a next cell came too soon for (_before_next_cell)
        self._overtaken = 0  # the last cell counted there
        self.deferred = 0  # measurements a next cell did not wait for: measured once the kernel was idle
        self.measured_before_next_cell = 0  # measurements a next cell waited for (not deferrable, or over the bounds)
        # of those measured, DataFrames whose Arrow string columns' digests were left for idle time (measure_writable)
        self.strings_left_for_idle = 0
        # buffer -> bytes of the snapshots left for idle time (held_buffers), counted until every waiting cell is pushed
        self.deferred_buffers: dict = {}
        self.deferred_bytes = 0
        # (name, entry) of the measurements of writable memory the cells since the last push could not write, still
        # waiting (_may_wait); measured before the first next cell that could, or when idle
        self.held_over: list[tuple] = []
        self.held_over_count = 0  # such measurements one cell or more let wait

    def _before_next_cell(self, read: bool) -> None:
        """A cell came before the last cells' facts went out (their push waits for the kernel to be idle, so it does
        not delay this cell): what this cell's code could change in them is measured now, the rest is left (_defer).
        `read`: the cell's code was read (_read_cell), so what it could write can be judged (_writes_judged)."""
        if self._push_timer is not None:  # pushed once idle after this cell, not between queued cells
            self._push_timer.cancel()
            self._push_timer = None
        self._in_burst = True
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
                self._defer([self.pending[count] for count in overtaken if count in self.pending], read)
        except (Exception, KeyboardInterrupt) as error:  # never into the user's cell: those facts are measured later
            self._note(error)

    def _writes_judged(self):
        """What the running cell's code can do to the namespace's objects, judged from its code before it runs
        (NamespaceTracking._only_read: the names it only reads, ...), or None when it may write memory behind pandas'
        copy-on-write: it may hand out or use a handle on a frame's memory (hands_out_memory, in this cell or one
        before), use the notebook's own code, change what could hold a frame's memory (an array, a container, a
        library's instance). Without None, each of its writes to a pandas object goes through pandas' API, which copies
        memory a snapshot shares before writing it: a snapshot it did not write cannot change while it runs."""
        if not self._copy_on_write or any(hands_out_memory(source) for source in self.sources):
            return None
        return self._only_read(before_cell=True)

    def _defer(self, waiting: list[tuple[list[tuple], tuple, dict | None]], read: bool) -> None:
        """Leave a newly waiting cell's measurement for when the kernel is idle only if no later cell can change what it
        measures: a snapshot keep_key would keep (Arrow strings only: memory no code of the user can write, the same
        rule that lets a kept snapshot stand for later states, see holds_same_data), within DEFERRED_BYTES. Anything
        else (a numpy array or block, which user code can write unseen by pandas; too big a frame) waits past this cell
        if its code cannot write it (_may_wait, kern23), and is measured before the first cell whose code could, as
        before kern7: of a DataFrame only what user code can write (its nulls, its
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
        seen = set()
        writes = _UNJUDGED  # judged from the cell's code when a measurement could wait (_may_wait), once
        # measurements earlier cells let wait (_may_wait), then this cell's newly waiting ones
        candidates = [(name, entry) for name, entry in self.held_over if entry.m is not None
                      and entry.m.pending is not None and not entry.m.private]
        self.held_over = []
        for changes, _baseline_inputs, _shown in waiting:
            for name, before, after, _unchanged_shape, _other_object in changes:
                candidates.extend((name, entry) for entry in (before, after) if entry is not None)
        for name, entry in candidates:
            measurement = entry.m
            if measurement is None or measurement.pending is None or id(measurement) in seen:
                continue
            seen.add(id(measurement))
            if measurement.key is not None or measurement.private:  # deferred at an earlier cell: counted then
                continue
            key = buffers = None
            if measurement.from_snapshot and not measurement.held_over:  # else judged when it was first held over
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
                continue
            if measurement.from_snapshot and entry.kind in ("DataFrame", "Series") and (
                    measurement.held_over or (entry.rows or 0) * (entry.cols or 1) >= READ_CODE_MIN_VALUES):
                if writes is _UNJUDGED:
                    writes = self._writes_judged() if read else None
                if self._may_wait(name, entry, writes):
                    continue
            self.measured_before_next_cell += 1
            if measurement.from_snapshot and entry.kind == "DataFrame":
                # what user code can write is read now; its Arrow string columns when idle
                left = measurement.measure_writable(entry)
                # as held_buffers counts them (_buffer_key, _held_bytes): sized only when not held yet
                buffers = {("arrow", id(strings)): strings for strings in left}
                buffers = {buffer: strings.get_total_buffer_size() for buffer, strings in buffers.items()
                           if buffer not in held}
                added = sum(buffers.values())
                if left and self.deferred_bytes + added <= DEFERRED_BYTES:
                    held.update(buffers)
                    self.deferred_bytes += added
                    self.strings_left_for_idle += 1
                    continue
            measurement.resolve(entry)  # an error is noted when its facts are built

    def _settle_held_over(self) -> None:
        """Once every waiting cell is pushed (or its push dropped: the sidecar asks later), measure what still waits
        (_may_wait): outside a burst no next cell's code is judged, so a later cell could write it first. Called
        when the kernel is idle (push_channel._push_unpushed)."""
        for _name, entry in self.held_over:
            if entry.m is not None and entry.m.pending is not None and not entry.m.private:
                entry.m.resolve(entry)  # an error is noted when its facts are built
        self.held_over = []

    def _may_wait(self, name: str, entry, writes) -> bool:
        """Whether a pandas snapshot of memory user code can write (numpy blocks) may wait past this cell, unmeasured:
        the cell cannot write that memory (`writes` is not None: _writes_judged), and does not write the object under
        the name it had but by whole-column stores (another write in place would copy the memory the snapshot shares:
        measured now instead, as _measure_named would; a column store replaces the column's array and leaves the
        others' memory shared, measured on a 66,000 x 43 frame), within DEFERRED_BYTES with what waits for idle time
        (the snapshot holds the memory alive). Measured at the first next cell that could write it, or when idle
        (Probe.facts_for)."""
        measurement = entry.m
        if writes is None or not measurement.from_snapshot or entry.kind not in ("DataFrame", "Series"):
            return False
        if name in self.named and name not in writes[0] and name not in writes[1] \
                and entry.is_same_object(self.shell.user_ns.get(name)):
            return False  # not a whole-column store (`df["a"] = ...`): that replaces a column, copying nothing
        if not measurement.held_over:
            held = self.deferred_buffers
            try:
                buffers = held_buffers(measurement.pending)
            except Exception:  # another pandas layout: measured now
                return False
            added = sum(size for buffer, size in buffers.items() if buffer not in held)
            if self.deferred_bytes + added > DEFERRED_BYTES:
                return False
            held.update(buffers)
            self.deferred_bytes += added
            measurement.held_over = True
            self.held_over_count += 1
        self.held_over.append((name, entry))
        return True
