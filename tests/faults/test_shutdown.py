"""The editor goes away (stdin closes) or the sidecar is told to stop (SIGTERM): what it holds is stored
and it exits 0 within 2 s (asserted with a margin for this shared machine: 3 s; the figure is printed)."""

from __future__ import annotations

import signal
import time

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.store import Store

REQUIRED_S = 2.0
ASSERTED_S = 3.0  # margin over the requirement: CI machines are shared and noisy


@pytest.mark.parametrize("how", ["stdin closed", "SIGTERM"])
def test_queued_captures_are_stored_and_the_sidecar_exits_0_quickly(serve, tmp_path, event, how):
    db = tmp_path / "t.duckdb"
    server = serve(db)
    notebook = tmp_path / "nb.ipynb"
    server.notify(p.CELL_EXECUTED, event(notebook, 0))
    assert server.request(p.STATUS, {})["db_mode"] == "owner"
    events = [event(notebook, n) for n in range(1, 3001)]
    for ev in events:  # a Run All burst the sidecar has not stored yet
        server.notify(p.CELL_EXECUTED, ev)
    started = time.monotonic()
    if how == "SIGTERM":
        server.proc.send_signal(signal.SIGTERM)
    else:
        server.proc.stdin.close()
    code = server.proc.wait(timeout=30)
    took = time.monotonic() - started
    print(f"\n{how}: exit {code} after {took:.2f} s (required: {REQUIRED_S} s)")
    assert code == 0
    assert took < ASSERTED_S
    # everything is durable: stored, or on disk for the next start to merge
    with Store.open(db) as store:
        store.merge_spool(lambda source, language: None)
        assert store.count_executions() == 3001


def test_stdin_closed_with_a_poison_event_queued_still_stores_the_rest_and_exits_0(serve, tmp_path, event):
    # Before issue 9 a capture the database refused was retried every second, forever, also at shutdown.
    db = tmp_path / "t.duckdb"
    server = serve(db)
    notebook = tmp_path / "nb.ipynb"
    server.request(p.STATUS, {})
    server.notify(p.CELL_EXECUTED, event(notebook, 0, cell_index=2**40))
    for n in range(1, 101):
        server.notify(p.CELL_EXECUTED, event(notebook, n))
    started = time.monotonic()
    server.proc.stdin.close()
    try:
        code = server.proc.wait(timeout=20)
    except Exception:
        server.proc.kill()
        raise AssertionError("still running 20 s after stdin closed") from None
    took = time.monotonic() - started
    print(f"\nstdin closed with a poison event queued: exit {code} after {took:.2f} s")
    assert code == 0 and took < ASSERTED_S
    with Store.open(db) as store:
        store.merge_spool(lambda source, language: None)
        assert store.count_executions() == 100


def test_a_shutdown_request_then_exit_is_clean(serve, tmp_path, event):
    server = serve(tmp_path / "t.duckdb")
    for n in range(50):
        server.notify(p.CELL_EXECUTED, event(tmp_path / "nb.ipynb", n))
    assert server.close() == 0
    assert "Traceback" not in server.log_text()
