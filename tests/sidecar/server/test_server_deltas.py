"""lineageChanged carries what changed, over stdio as the editor sees it: new runs after the seq the editor holds,
runs whose staleness changed after an edit, never the source text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pytest_lsp import LanguageClient

from trackit_sidecar import protocol as p

from .stdio_client import Notifications, cell_executed, plain, sidecar_client


DB_DIR = Path(tempfile.mkdtemp(prefix="trackit-deltas-"))
NOTEBOOK = DB_DIR / "deltas.ipynb"
NB_URI = NOTEBOOK.as_uri()


def event(cell: int, source: str, order: int, t0: float) -> dict:
    return cell_executed(NOTEBOOK, cell, source, order, t0)


client = sidecar_client("--db", str(DB_DIR / "deltas.duckdb"))


async def test_new_runs_and_staleness_come_as_deltas(client: LanguageClient):
    t = 1_700_000_000_000.0
    deltas = Notifications(client, p.LINEAGE_CHANGED)
    load = "import pandas as pd\ndf = pd.DataFrame({'a': [1, -2, 3]})"
    client.protocol.notify(p.CELL_EXECUTED, event(0, load, 1, t))
    first = await deltas.next()
    assert first["after_seq"] is None  # the editor has read nothing of it: nothing to apply

    doc = plain(await client.protocol.send_request_async(
        p.LINEAGE, {"notebook_uri": NB_URI, "include_source": False, "latest_session": True}))
    assert doc["latest_seq"] == 1 and [e["seq"] for e in doc["executions"]] == [1]

    client.protocol.notify(p.CELL_EXECUTED, event(1, "df = df[df.a > 0]", 2, t + 100))
    for _ in range(5):  # run 1's runtime status may be told first, on its own
        changed = await deltas.next()
        if changed["seq"] == 2:
            break
    assert (changed["after_seq"], changed["seq"]) == (1, 2)
    new = [e for e in changed["executions"] if e["seq"] > 1]
    assert [(e["seq"], e["parents"], e["label"]) for e in new] == [(2, [1], "[2] Cell 2")]
    assert all("source" not in e for e in changed["executions"])
    assert [s["executions"] for s in changed["sessions"]] == [2]
    # run 1 may come again: its runtime status (no kernel here) may have been decided since the editor read it
    assert all(e["runtime_status"] == "kernel_not_identified" for e in changed["executions"] if e["seq"] == 1)

    # cell 0 edited in the editor: both runs are stale now, and the editor is told which
    client.protocol.notify(p.NOTEBOOK_SOURCES, {"notebook_uri": NB_URI, "cell_shas": {"cell-0": "edited"}})
    for _ in range(5):  # runtime statuses may be told first
        stale = await deltas.next()
        if any(e["stale"] for e in stale["executions"]):
            break
    assert (stale["after_seq"], stale["seq"]) == (2, 2)
    assert [(e["seq"], e["stale"]) for e in stale["executions"]] == [(1, "edited"), (2, "upstream")]
