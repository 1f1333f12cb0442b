"""The sidecar's part of "cell finished -> visible in the tree", broken down (a benchmark: prints, asserts nothing).

One cell at a time over stdio to `trackit serve`, as the editor sends them: cellExecuted, then wait for the
lineageChanged that carries the run (its seq in `executions`). Measured on an empty notebook and on one that
already has --history executions (kernel restarts every 40 runs, written straight into the database first).
The sidecar writes a timestamp per phase (TRACKIT_LATENCY_TRACE, trackit_sidecar/latency_trace.py), so each
part's median and p95 are printed:

  client -> received      stdin, framing, pygls, parsing the event
  received -> store_queued    the batch loop picking it up (a window, when there is one)
  store_queued -> ingest_start    waiting for the store thread (earlier derived work queued there)
  ingest_start -> analysed    static analysis, input files
  analysed -> written     the DuckDB transaction (durable: the acknowledgement may go now)
  written -> appended     the lineage views take the new run (read back, completed)
  appended -> stored      back to the asyncio loop
  stored -> delta_built   waiting for the store thread again, the delta (judged, worded) as JSON
  delta_built -> sent     back to the loop, written to stdout
  sent -> client          stdout to the client
With --baseline-python PY (a Python whose trackit_sidecar is another build, e.g. main's), the end-to-end figure is
measured with that build too, in the same run (a build without the trace gives the total only).

Usage: .venv/bin/python bench/bench_hop.py [--cells 200] [--histories 0,2000] [--baseline-python PY] [--record]
(--record also writes bench/results/hop.json, bench/bench_record.py, for the README table.)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_record import Figure, Recording, Row  # noqa: E402
from bench_sidecar import make_event, pct, populate  # noqa: E402

from trackit_sidecar import protocol as p  # noqa: E402
from trackit_sidecar.rpc_client import StdioRpcClient  # noqa: E402

PHASES = ["client", "received", "store_queued", "ingest_start", "analysed", "written", "appended", "stored",
          "delta_built", "sent", "client_got"]


def read_trace(path: Path) -> dict[str, dict[str, float]]:
    """event_id -> phase -> first time it was reached (epoch ms)."""
    marks: dict[str, dict[str, float]] = {}
    if not path.exists():
        return marks
    for line in path.read_text().splitlines():
        phase, event_id, at = line.split()
        marks.setdefault(event_id, {}).setdefault(phase, float(at))
    return marks


def run(build: tuple[str, str], tmp: Path, history: int, cells: int) -> dict:
    db = str(tmp / f"hop-{uuid.uuid4().hex[:6]}.duckdb")
    nb = "/work/nb/hop/notebook.ipynb"
    if history:
        populate(db, 1, history, [nb])
    uri = f"file://{nb}"
    trace_dir = tmp / f"trace-{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "TRACKIT_LATENCY_TRACE": str(trace_dir)}
    client = StdioRpcClient([build[1], "-m", "trackit_sidecar", "serve", "--db", db], env=env)
    client.initialize()
    if history:  # the editor holds the notebook's latest session, as the tree does
        client.request(p.LINEAGE, {"notebook_uri": uri, "include_source": False, "latest_session": True})
    t0 = time.time() * 1000
    client_marks: dict[str, dict[str, float]] = {}
    totals: list[float] = []
    for i in range(cells + 1):  # the first run warms the sidecar up (imports, the first session): not counted
        ev = make_event(nb, history + i, 41 + i, t0 + i * 50).model_dump(mode="json")
        ev["kernel_id"] = "bench-live"
        seq = history + i + 1
        sent = time.time() * 1000
        client.notify(p.CELL_EXECUTED, ev)
        client.wait_notification(p.LINEAGE_CHANGED, timeout=60, predicate=lambda params, seq=seq, ev=ev: any(
            e["seq"] == seq for e in params.get("executions") or []) or (
            params.get("after_seq") is None and ev["event_id"] in (params.get("event_ids") or [])))
        got = time.time() * 1000
        if i == 0:  # a notebook the editor did not hold: it reads it (then deltas follow)
            client.request(p.LINEAGE, {"notebook_uri": uri, "include_source": False, "latest_session": True})
            continue
        client_marks[ev["event_id"]] = {"client": sent, "client_got": got}
        totals.append(got - sent)
        time.sleep(0.05)  # the user is not faster than this; derived work (runtime status) may still run
    client.close()
    trace = read_trace(trace_dir / "sidecar.trace")
    parts: dict[str, list[float]] = {}
    for event_id, ends in client_marks.items():
        marks = {**trace.get(event_id, {}), **ends}
        reached = [ph for ph in PHASES if ph in marks]
        for a, b in zip(reached, reached[1:]):
            parts.setdefault(f"{a} -> {b}", []).append(marks[b] - marks[a])
    return {"build": build[0], "history": history, "totals": totals, "parts": parts}


def line(label: str, xs: list[float]) -> str:
    return f"{label:<32} p50 {statistics.median(xs):7.1f}  p95 {pct(xs, 0.95):7.1f}  max {max(xs):7.1f} ms (n={len(xs)})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cells", type=int, default=200)
    ap.add_argument("--histories", default="0,2000")
    ap.add_argument("--baseline-python")
    ap.add_argument("--record", action="store_true", help="write bench/results/hop.json")
    args = ap.parse_args()
    recording = Recording("bench/bench_hop.py", sys.argv, baseline_python=args.baseline_python) if args.record else None
    builds = [("this build", sys.executable)] + ([("baseline", args.baseline_python)] if args.baseline_python else [])
    print(f"{time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    results = []
    with tempfile.TemporaryDirectory(prefix="trackit-hop-") as d:
        for history in [int(h) for h in args.histories.split(",")]:
            for build in builds:
                r = run(build, Path(d), history, args.cells)
                results.append(r)
                print(f"[{r['build']}, {history} earlier executions] load average {os.getloadavg()[0]:.2f}")
                print("  " + line("cellExecuted -> lineageChanged", r["totals"]))
                for label, xs in r["parts"].items():
                    print("    " + line(label, xs))
    for history in [int(h) for h in args.histories.split(",")]:
        mine = next(r for r in results if r["history"] == history and r["build"] == "this build")["totals"]
        base = next((r for r in results if r["history"] == history and r["build"] == "baseline"), None)
        if base:
            b = base["totals"]
            print(f"{history} earlier executions: p50 {statistics.median(mine):.1f} vs {statistics.median(b):.1f} ms "
                  f"(x{statistics.median(mine) / statistics.median(b):.2f}), p95 {pct(mine, 0.95):.1f} vs "
                  f"{pct(b, 0.95):.1f} ms (x{pct(mine, 0.95) / pct(b, 0.95):.2f})")
    if recording:
        headline = []
        for history in [int(h) for h in args.histories.split(",")]:
            mine = next(r for r in results if r["history"] == history and r["build"] == "this build")["totals"]
            base = next((r["totals"] for r in results if r["history"] == history and r["build"] == "baseline"), None)
            label = f"{history:,} earlier" if history else "new notebook"
            headline += [Figure(f"{label} p50", statistics.median(mine), "ms", statistics.median(base) if base else None),
                         Figure(f"{label} p95", pct(mine, 0.95), "ms", pct(base, 0.95) if base else None)]
        parts = {f"{r['build']}, {r['history']} earlier": {label: statistics.median(xs) for label, xs in r["parts"].items()}
                 for r in results}
        recording.add(Row("hop", f"the sidecar's part alone: cellExecuted → the lineageChanged carrying the run, over "
                                 f"stdio, {args.cells} cells one at a time", "", headline, None,
                          {"parts_p50_ms": parts}))
        recording.write()
    out = Path(__file__).parent / "results" / "raw"  # not a table row (bench/perf_table.py reads results/*.json)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"hop-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(results))


if __name__ == "__main__":
    main()
