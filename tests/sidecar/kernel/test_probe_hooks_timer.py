"""The probe's hooks timers (capture_ms / capture_cpu_ms per cell, lazy_ms for facts built later) hold the probe's own
work only: no garbage collection runs between a timed hook's first and last clock reading. The cyclic GC is held off
for the whole timed part (gc_paused), so a collection the user's allocations made due runs at the user's next
allocation, after the hook, as it would without TrackIT. Before, the notices sent before a next cell (_notify) ran with
the GC on, and so did the first allocation after each paused block (post_run_cell's pending tuple), inside the timers:
a young, or once a period a full, collection of the user's was billed to capture."""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
import types

from trackit_sidecar.kernel.probe import hooks

from .in_process_probe import new_probe, run_cell

TIMED = ("pre_run_cell", "post_run_cell", "facts_for")
CLOCK_READINGS = 4  # each timed part reads perf_counter and thread_time at its start and at its end


class _Socket:
    def __init__(self):
        self.sent: list[dict] = []

    def sendto(self, data, _path):
        self.sent.append(json.loads(data))


def collections_inside_timers(cells: list[str], monkeypatch) -> tuple[list[str], int, hooks.Probe]:
    """Run the cells back to back on an event loop (a Run All: notices before each next cell, pushes once idle) with
    young collections every 11 allocations; return the timed parts a collection started in, and how many ran."""
    events: list[tuple[str, str]] = []

    def clock(read):
        def reading():
            events.append(("clock", sys._getframe(1).f_code.co_name))
            return read()
        return reading

    monkeypatch.setattr(hooks, "time", types.SimpleNamespace(perf_counter=clock(time.perf_counter),
                                                             thread_time=clock(time.thread_time)))

    def on_gc(phase, _info):
        if phase == "start":
            events.append(("gc", ""))

    p = new_probe()
    p.push_socket, p.push_path = _Socket(), "/nowhere"

    async def run_all():
        for count, source in enumerate(cells, 1):
            run_cell(p, count, source)
        await asyncio.sleep(0.3)  # idle: every cell's facts built and pushed

    thresholds = gc.get_threshold()
    gc.set_threshold(10, thresholds[1], thresholds[2])
    gc.callbacks.append(on_gc)
    try:
        asyncio.run(run_all())
    finally:
        gc.callbacks.remove(on_gc)
        gc.set_threshold(*thresholds)
    readings = {name: 0 for name in TIMED}
    inside, collections = [], 0
    for kind, name in events:
        if kind == "clock" and name in readings:
            readings[name] = (readings[name] + 1) % CLOCK_READINGS
        elif kind == "gc":
            collections += 1
            inside += [name for name, read in readings.items() if read]
    return inside, collections, p


def test_no_collection_runs_inside_the_hooks_timers(monkeypatch):
    cells = ["rows = [[i, str(i)] for i in range(50)]",
             "table = {'rows': rows, 'n': len(rows)}",
             "rows.append([50, '50'])\nlabels = [r[1] for r in rows]",
             "total = sum(r[0] for r in rows)",
             "table['total'] = total"]
    inside, collections, p = collections_inside_timers(cells, monkeypatch)
    assert p.errors == []
    assert sum("when_idle" in notice for notice in p.push_socket.sent) == len(cells) - 1  # the notices were sent
    assert collections > 5  # the user's cells and the hooks allocate far past 11 objects: collections did run
    assert inside == [], (inside, collections)
