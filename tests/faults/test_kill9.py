"""kill -9 at random points while a real notebook's captures are ingested: after a restart and the editor's
re-send of everything not acknowledged, the database holds exactly the events sent, each once.

The captures come from running examples/titanic/preprocess.ipynb once in a real ipykernel; the editor
is simulated as the extension behaves: it sends each capture, forgets it only when a lineageChanged
acknowledges it, and re-sends the rest to the next sidecar.
"""

from __future__ import annotations

import queue
import random
import threading
import time
import uuid
from pathlib import Path

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.store import Store

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "examples" / "titanic" / "preprocess.ipynb"
TRIALS = 10
REPLAYS = 25  # the notebook re-run this many times: a stream of a few hundred captures


@pytest.fixture(scope="module")
def notebook_events() -> list[dict]:
    from trackit_sidecar.kernel.runner import run_notebook

    captured: list[p.CellExecution] = []
    run_notebook(NOTEBOOK, timeout=120, on_execution=lambda event, facts: captured.append(event), runtime_capture=False)
    assert len(captured) >= 5
    return [e.model_dump(mode="json") for e in captured]


def replayed(events: list[dict], replays: int) -> list[dict]:
    """The real captures as if the notebook were re-run `replays` times in one kernel."""
    out, order, clock = [], 0, events[0]["started_at"]
    for _ in range(replays):
        for event in events:
            order += 1
            clock += 50
            duration = event["ended_at"] - event["started_at"]
            out.append({**event, "event_id": str(uuid.uuid4()), "execution_order": order, "started_at": clock,
                        "ended_at": clock + duration})
    return out


class Editor:
    """Sends captures, keeps every one not yet acknowledged, re-sends those to a new sidecar."""

    def __init__(self, events: list[dict]) -> None:
        self.events = events
        self.acked: set[str] = set()

    def collect_acks(self, server) -> None:
        while True:
            try:
                message = server.notifications.get_nowait()
            except queue.Empty:
                return
            if message.get("method") == p.LINEAGE_CHANGED:
                self.acked.update(message["params"].get("event_ids", []))

    def send_unacknowledged(self, server, stop: threading.Event | None = None) -> None:
        for event in self.events:
            if stop is not None and stop.is_set():
                return
            if event["event_id"] not in self.acked:
                try:
                    server.notify(p.CELL_EXECUTED, event)
                except (BrokenPipeError, OSError, ValueError):
                    return  # the sidecar died under us


def test_kill_9_at_random_points_loses_and_duplicates_nothing(serve, tmp_path, notebook_events):
    rng = random.Random(20261203)
    stream = replayed(notebook_events, REPLAYS)
    summary = []
    for trial in range(TRIALS):
        db = tmp_path / f"trial{trial}.duckdb"
        editor = Editor(stream)
        server = serve(db)
        sender = threading.Thread(target=editor.send_unacknowledged, args=(server,))
        sender.start()
        # a random point in the ingest: once a random share of the stream is acknowledged, plus up to 300 ms
        target = rng.randrange(0, len(stream))
        deadline = time.monotonic() + 60
        while len(editor.acked) < target and time.monotonic() < deadline:
            editor.collect_acks(server)
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.3))
        server.proc.kill()  # SIGKILL: no chance to store anything
        server.proc.wait()
        sender.join()
        editor.collect_acks(server)
        acked_before = len(editor.acked)

        restarted = serve(db)
        editor.send_unacknowledged(restarted)
        assert restarted.request(p.STATUS, {}, timeout=60)["db_mode"] == "owner"
        restarted.request(p.LINEAGE, {"notebook_uri": NOTEBOOK.as_uri(), "include_source": False}, timeout=120)
        assert restarted.close() == 0

        with Store.open(db, read_only=True) as store:
            stored = [r[0] for r in store.connection.con.execute("SELECT event_id FROM executions").fetchall()]
            seqs = sorted(r[0] for r in store.connection.con.execute("SELECT seq FROM executions").fetchall())
            letters = store.count_dead_letters()
        summary.append(f"trial {trial}: killed after {acked_before} of {len(stream)} were acknowledged; "
                       f"{len(stored)} stored, {len(set(stored))} distinct")
        assert letters == 0
        assert len(stored) == len(set(stored)), "no duplicates"
        assert set(stored) == {e["event_id"] for e in stream}, "exactly the events sent"
        assert seqs == list(range(1, len(stream) + 1)), "numbered once each, no gap"
    print("\n" + "\n".join(summary))
