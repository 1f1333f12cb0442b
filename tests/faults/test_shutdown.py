"""The editor goes away (stdin closes) or the sidecar is told to stop (SIGTERM): what it holds is stored
and it exits 0 within 2 s (asserted with a margin for this shared machine: 3 s; the figure is printed)."""

from __future__ import annotations

import json
import os
import signal
import threading
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
        store.merge_spool(lambda source, language, new: None)
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
        store.merge_spool(lambda source, language, new: None)
        assert store.count_executions() == 100


def test_a_shutdown_request_then_exit_is_clean(serve, tmp_path, event):
    server = serve(tmp_path / "t.duckdb")
    for n in range(50):
        server.notify(p.CELL_EXECUTED, event(tmp_path / "nb.ipynb", n))
    assert server.close() == 0
    assert "Traceback" not in server.log_text()


def test_sigterm_during_a_burst_handles_every_capture_already_read(serve, tmp_path, event):
    """The editor is still writing a Run All burst when SIGTERM arrives. What the sidecar had read (its
    buffers, and what waits in the pipe at that moment) is handled and made durable; only what the editor
    writes after the pipe is closed (at most one pipe buffer, re-sent by the editor: never acknowledged)
    may be missing. Before, everything buffered past the first 64 KiB read was dropped."""
    db = tmp_path / "t.duckdb"
    server = serve(db)
    notebook = tmp_path / "nb.ipynb"
    server.request(p.STATUS, {})
    frames = []
    for n in range(20_000):
        body = json.dumps({"jsonrpc": "2.0", "method": p.CELL_EXECUTED,
                           "params": event(notebook, n, source=f"x{n % 20} = {n}".ljust(300))}).encode()
        frames.append(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    blob = b"".join(frames)
    written = 0

    def write() -> None:
        nonlocal written
        try:
            while written < len(blob):
                written += os.write(server.proc.stdin.fileno(), blob[written:written + 4096])
        except OSError:  # the sidecar closed the pipe
            pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    time.sleep(1.0)
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(timeout=30) == 0
    writer.join(10)
    whole = 0
    for frame in frames:
        if written < len(frame):
            break
        written -= len(frame)
        whole += 1
    with Store.open(db) as store:
        store.merge_spool(lambda source, language, new: None)
        durable = store.count_executions()
    pipe_frames = 2 * 65536 // len(frames[0]) + 2  # a pipe buffer, with a margin for the timing of the close
    print(f"\nSIGTERM during a burst: {whole} captures written, {durable} durable (allowed gap {pipe_frames})")
    assert whole - pipe_frames <= durable <= whole
