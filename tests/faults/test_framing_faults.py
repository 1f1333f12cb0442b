"""Framing faults against the real sidecar: after each one the server answers the next valid request
(it resynchronises; alive-but-deaf is the outcome not allowed), and garbage between frames loses none."""

from __future__ import annotations

import json
import random

import pytest

from trackit_sidecar import protocol as p


def body(n: int) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": n, "method": p.STATUS, "params": {}}).encode()


def framed(data: bytes, header: bytes = b"Content-Length: %d\r\n\r\n") -> bytes:
    return (header % len(data)) + data


FAULTS = {
    "Content-Length 5 bytes short": lambda: b"Content-Length: %d\r\n\r\n" % (len(body(901)) - 5) + body(901),
    "Content-Length 10 bytes long": lambda: b"Content-Length: %d\r\n\r\n" % (len(body(902)) + 10) + body(902),
    "Content-Length: -5": lambda: b"Content-Length: -5\r\n\r\n" + body(903),
    "Content-Length: abc": lambda: b"Content-Length: abc\r\n\r\n" + body(904),
    "no space after the colon": lambda: framed(body(905), b"Content-Length:%d\r\n\r\n"),
    "lowercase content-length": lambda: framed(body(906), b"content-length: %d\r\n\r\n"),
    "LF-only line ends": lambda: framed(body(907), b"Content-Length: %d\n\n"),
    "a claimed length of 1 GiB": lambda: b"Content-Length: 1073741824\r\n\r\n" + body(908),
    "a 70 MB line without a newline": lambda: b"z" * (70 * 1024 * 1024),
    "a header line of garbage": lambda: b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    "a body that is not JSON": lambda: framed(b"{this is not json"),
    "a body that is not UTF-8": lambda: framed(b"\xff\xfe\x00garbage"),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_a_framing_fault_is_survived_and_the_next_request_answered(serve, tmp_path, name):
    server = serve(tmp_path / "t.duckdb")
    server.send_raw(FAULTS[name]())
    # the next valid request is answered (a deaf server times out here), and the one after it
    for _ in range(2):
        assert server.request(p.STATUS, {}, timeout=20)["db_mode"] == "owner"
    assert server.proc.poll() is None
    assert "Traceback" not in server.log_text()


def _rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_an_oversized_claim_followed_by_megabytes_keeps_memory_flat(serve, tmp_path):
    server = serve(tmp_path / "t.duckdb")
    server.request(p.STATUS, {})
    before = _rss_kb(server.proc.pid)
    server.send_raw(b"Content-Length: 1073741824\r\n\r\n")
    for _ in range(20):  # 200 MB of whatever arrives next
        server.send_raw(b"q" * (10 * 1024 * 1024))
    assert server.request(p.STATUS, {}, timeout=30)["db_mode"] == "owner"
    grown_mb = (_rss_kb(server.proc.pid) - before) / 1024
    print(f"\nRSS growth after a 1 GiB claim and 200 MB of bytes: {grown_mb:.1f} MB")
    assert grown_mb < 64


def test_garbage_interleaved_with_valid_frames_loses_no_capture(serve, tmp_path, event):
    server = serve(tmp_path / "t.duckdb")
    notebook = tmp_path / "nb.ipynb"
    rng = random.Random(9)
    events = [event(notebook, n) for n in range(500)]
    for ev in events:
        garbage = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 120))).replace(b"ength", b"")
        server.send_raw(garbage + (b"\r\n" if rng.random() < 0.3 else b""))
        payload = json.dumps({"jsonrpc": "2.0", "method": p.CELL_EXECUTED, "params": ev}).encode()
        server.send_raw(framed(payload))
    doc = server.request(p.LINEAGE, {"notebook_uri": notebook.as_uri(), "include_source": False}, timeout=60)
    assert sorted(e["seq"] for e in doc["executions"]) == list(range(1, 501))
    assert server.stored_count() == 500


@pytest.mark.parametrize("damage", ["short", "long"])
def test_a_capture_after_a_miscounted_frame_is_stored(serve, tmp_path, event, damage):
    server = serve(tmp_path / "t.duckdb")
    notebook = tmp_path / "nb.ipynb"
    bad, good = event(notebook, 0), event(notebook, 1)
    bad_body = json.dumps({"jsonrpc": "2.0", "method": p.CELL_EXECUTED, "params": bad}).encode()
    length = len(bad_body) + (10 if damage == "long" else -5)
    server.send_raw(b"Content-Length: %d\r\n\r\n" % length + bad_body)
    server.notify(p.CELL_EXECUTED, good)
    doc = server.request(p.LINEAGE, {"notebook_uri": notebook.as_uri()}, timeout=20)
    stored = {e["cell_id"] for e in doc["executions"]}
    assert "c1" in stored
    # too long: its own JSON was whole, so it is stored too; too short: it was cut, and is reported
    assert ("c0" in stored) == (damage == "long")
