"""Whether a run's facts are pushed to us is asked once per event of a batch (when its notebook is held), and only
the events held wait for their facts (review F8: asked again at capture, a kernel that started pushing in between
got futures no hold would ever cancel). The real server in this process on a real DuckDB file; the answer of
NotebookKernels.facts_pushed is the one thing set, as a kernel that starts pushing between two asks would give."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.server import build_server

from ..in_process_server import stop_server
from .stdio_client import cell_executed


async def test_facts_pushed_is_asked_once_per_event_and_only_held_events_wait_for_facts(tmp_path, monkeypatch):
    server = build_server(str(tmp_path / "trackit.duckdb"), Settings())
    server.open_store()
    asked: list[str] = []

    def facts_pushed(event: p.CellExecution) -> bool:  # not pushed when first asked, pushed from then on
        asked.append(event.event_id)
        return asked.count(event.event_id) > 1

    monkeypatch.setattr(server.kernels.notebooks, "facts_pushed", facts_pushed)
    waiting: list[dict] = []
    capture = server.kernels.capture
    monkeypatch.setattr(server.kernels, "capture", lambda *args: waiting.append(capture(*args)) or waiting[-1])
    try:
        events = [p.CellExecution(**cell_executed(Path("/tmp/once.ipynb"), i, f"x{i} = {i}", i + 1, 1e12 + 10 * i))
                  for i in range(3)]
        for event in events:
            server.enqueue(event)
        await server.flush()
        assert sorted(asked) == sorted(e.event_id for e in events)  # once each
        assert waiting and all(facts_in == {} for facts_in in waiting)  # nothing held: nothing waits for facts
    finally:
        await stop_server(server)


async def test_captures_written_to_disk_meanwhile_do_not_take_the_held_batchs_pushed_facts(tmp_path, monkeypatch):
    """Under a burst, captures past the memory bound go to disk, and their acknowledgement (batching._acknowledge)
    reaches `_stored` whenever the disk write ends: here while a held batch is being stored. The batch's events must
    still wait for their pushed facts (else its notebook is told twice: without them, then with them)."""
    server = build_server(str(tmp_path / "trackit.duckdb"), Settings())
    server.open_store()
    monkeypatch.setattr(server.kernels.notebooks, "facts_pushed", lambda event: True)  # a kernel that pushes
    loop = asyncio.get_running_loop()
    spilled = p.CellExecution(**cell_executed(Path("/tmp/other.ipynb"), 0, "y = 1", 1, 1e12))
    ingest = server.service.ingest

    def ingest_while_a_spill_is_acknowledged(batch):  # store thread: the disk write ends now, on the loop
        done = threading.Event()
        loop.call_soon_threadsafe(lambda: (server.batcher._acknowledge([spilled]), done.set()))
        assert done.wait(10)
        return ingest(batch)

    monkeypatch.setattr(server.service, "ingest", ingest_while_a_spill_is_acknowledged)
    released: list[tuple[list[str], list[str]]] = []  # (notebooks held, notebooks whose facts they wait for)
    release = server._release_holds
    monkeypatch.setattr(server, "_release_holds",
                        lambda facts_in: released.append((list(server._facts_gates), list(facts_in))) or release(facts_in))
    try:
        event = p.CellExecution(**cell_executed(Path("/tmp/held.ipynb"), 0, "x = 1", 1, 1e12))
        server.enqueue(event)
        await server.flush()
        # released once, by the batch's own report, waiting for its facts (not at once by the acknowledgement)
        assert [(held, facts) for held, facts in released if held] == [([event.notebook_uri], [event.notebook_uri])]
    finally:
        await stop_server(server)
