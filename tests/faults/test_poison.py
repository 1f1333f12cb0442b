"""Poison events against the real sidecar: one event the store cannot hold never stops recording. It goes
to the dead letter with its reason; everything around it is stored and lineage keeps answering."""

from __future__ import annotations

import time

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.store import Store

NOTEBOOKS = 200  # 100,000 executions spread like real use, so one notebook's lineage stays a normal size

POISON = {
    "cell_index 2^40": {"cell_index": 2**40},
    "execution_order 2^40": {"execution_order": 2**40},
    "started_at 1e30": {"started_at": 1e30},
    "ended_at -1e15": {"ended_at": -1e15},
}


def _peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def test_one_poison_event_and_100000_valid_ones_all_valid_ones_stored(serve, tmp_path, event):
    db = tmp_path / "t.duckdb"
    server = serve(db)
    notebooks = [tmp_path / f"nb{i}.ipynb" for i in range(NOTEBOOKS)]
    poison = event(notebooks[0], 0, cell_index=2**40, source="poison = 1")
    started = time.monotonic()
    server.notify(p.CELL_EXECUTED, poison)  # first: before the fix it blocked everything after it
    for n in range(100_000):
        server.notify(p.CELL_EXECUTED, event(notebooks[n % NOTEBOOKS], n // NOTEBOOKS))
    sent = time.monotonic() - started
    doc = server.request(p.LINEAGE, {"notebook_uri": notebooks[7].as_uri(), "include_source": False}, timeout=180)
    assert len(doc["executions"]) == 100_000 // NOTEBOOKS
    stored = server.stored_count()
    elapsed = time.monotonic() - started
    print(f"\n100,000 captures + 1 poison: sent in {sent:.1f} s, all stored after {elapsed:.1f} s "
          f"({100_000 / elapsed:,.0f}/s); sidecar peak RSS {_peak_rss_mb(server.proc.pid):.0f} MB")
    assert stored == 100_000
    assert server.close() == 0
    with Store.open(db, read_only=True) as store:
        [letter] = store.dead_letters()
        assert store.count_executions() == 100_000
    assert letter.event_id == poison["event_id"]
    assert "cell_index 1099511627776 is outside" in letter.reason


@pytest.mark.parametrize("name", list(POISON))
def test_each_poison_kind_is_dead_lettered_and_its_neighbours_stored(serve, tmp_path, event, name):
    db = tmp_path / "t.duckdb"
    server = serve(db)
    notebook = tmp_path / "nb.ipynb"
    events = [event(notebook, n) for n in range(20)]
    poison = event(notebook, 99, **POISON[name])
    for ev in events[:10] + [poison] + events[10:]:
        server.notify(p.CELL_EXECUTED, ev)
    doc = server.request(p.LINEAGE, {"notebook_uri": notebook.as_uri()}, timeout=30)
    assert len(doc["executions"]) == 20
    # the notebook's lineage and summary keep working
    assert server.request(p.SUMMARIZE, {"notebook_uri": notebook.as_uri()}, timeout=30)["markdown"]
    assert server.close() == 0
    with Store.open(db, read_only=True) as store:
        assert [d.event_id for d in store.dead_letters()] == [poison["event_id"]]


def test_lone_surrogates_in_source_and_outputs_are_stored_with_replacement_characters(serve, tmp_path, event):
    server = serve(tmp_path / "t.duckdb")
    notebook = tmp_path / "nb.ipynb"
    ev = event(notebook, 0, source="s = '\ud800'", outputs=[{"mime": "text/plain", "text": "\udfff out"}],
               error_message="bad \ud83d")
    server.notify(p.CELL_EXECUTED, ev)
    server.notify(p.CELL_EXECUTED, event(notebook, 1))
    doc = server.request(p.LINEAGE, {"notebook_uri": notebook.as_uri()}, timeout=30)
    assert [e["source"] for e in doc["executions"]] == ["s = '\ufffd'", "v1 = 1"]
    assert doc["executions"][0]["outputs"][0]["text"] == "\ufffd out"
