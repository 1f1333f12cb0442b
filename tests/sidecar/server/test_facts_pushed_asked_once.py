"""Whether a run's facts are pushed to us is asked once per event of a batch (when its notebook is held), and only
the events held wait for their facts (review F8: asked again at capture, a kernel that started pushing in between
got futures no hold would ever cancel). The real server in this process on a real DuckDB file; the answer of
NotebookKernels.facts_pushed is the one thing set, as a kernel that starts pushing between two asks would give."""

from __future__ import annotations

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
