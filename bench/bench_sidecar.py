"""Sidecar benchmark (not a test): prints figures, asserts nothing.

1. ingest: 10,000 cell executions sent as notifications over stdio to `trackit serve`, until stored in DuckDB
2. read latency with 100,000 executions stored across 500 notebooks: per-cell annotation and whole-notebook lineage,
   p50/p95, first touch of each notebook (no cache) and repeated
3. cold start (spawn -> initialize answered) and resident memory of the sidecar

Targets (issue 2): >= 2,000 executions/s; p95 <= 20 ms per annotation, <= 100 ms per notebook lineage; cold start < 1 s.
Usage: .venv/bin/python bench/bench_sidecar.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from trackit_sidecar import protocol as p
from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.rpc_client import StdioRpcClient, serve_command
from trackit_sidecar.store import Store

CELL_SOURCES = [
    "import pandas as pd\nimport numpy as np",
    "df = pd.read_csv('data/train.csv')\ndf.head()",
    "df = df.drop_duplicates()\ndf['age'] = df['age'].fillna(df['age'].median())",
    "df = df[df['fare'] > 0]\nprint(len(df))",
    "df = pd.get_dummies(df, columns=['embarked', 'sex'])",
    "X = df.drop(columns=['survived'])\ny = df['survived']",
    "from sklearn.model_selection import train_test_split\nX_train, X_test, y_train, y_test = train_test_split(X, y)",
    "from sklearn.linear_model import LogisticRegression\nmodel = LogisticRegression(max_iter=500).fit(X_train, y_train)",
    "acc = model.score(X_test, y_test)\nprint(f'accuracy {acc:.3f}')",
]


def make_event(nb: str, i: int, order: int, t: float) -> p.CellExecution:
    cell = i % len(CELL_SOURCES)
    src = CELL_SOURCES[cell] + f"\n# run {i % 7}"  # a few distinct versions per cell, as in real editing
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=f"file://{nb}", notebook_path=nb, cell_id=f"cell-{cell}",
        cell_uri=f"vscode-notebook-cell:{nb}#c{cell}", cell_index=cell, source=src, execution_order=order,
        started_at=t, ended_at=t + 12.5, status="ok",
        outputs=[p.CellOutput(output_type="stream", mime="text/plain", text=f"{i} rows\n" * 3)],
    )


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def bench_ingest(tmp: Path, n: int) -> None:
    client = StdioRpcClient(serve_command(str(tmp / "ingest.duckdb")))
    client.initialize()
    nb = str(tmp / "ingest.ipynb")
    t0 = time.time() * 1000
    events = [make_event(nb, i, i + 1, t0 + i * 20).model_dump(mode="json") for i in range(n)]
    start = time.perf_counter()
    for ev in events:
        client.notify(p.CELL_EXECUTED, ev)
    sent = time.perf_counter()
    acked = 0
    while acked < n:
        acked += len(client.wait_notification(p.LINEAGE_CHANGED, timeout=120)["params"]["event_ids"])
    done = time.perf_counter()
    stored = client.request(p.STATUS, {})["executions_stored"]
    client.close()
    print(f"ingest: {n:,} executions over stdio -> DuckDB in {done - start:.2f} s = {n / (done - start):,.0f} executions/s "
          f"(sending alone {n / (sent - start):,.0f}/s; stored {stored:,}; target >= 2,000/s)")


def populate(db: str, notebooks: int, per_notebook: int) -> list[str]:
    store = Store.open(db)
    names = [f"/work/nb/project{k // 50}/notebook_{k}.ipynb" for k in range(notebooks)]
    analyses = {}
    t0 = time.time() * 1000 - 86_400_000
    batch: list[p.CellExecution] = []
    for k, nb in enumerate(names):
        for i in range(per_notebook):
            ev = make_event(nb, i, i % 40 + 1, t0 + i * 1000)  # restarts every 40 runs: several sessions
            batch.append(ev)
        if len(batch) >= 2000 or k == len(names) - 1:
            for ev in batch:
                import hashlib

                sha = hashlib.sha256(ev.source.encode()).hexdigest()
                if sha not in analyses:
                    analyses[sha] = analyze_source(ev.source)
            store.ingest(batch, analyses)
            batch = []
    store.close()
    return names


def bench_reads(tmp: Path, notebooks: int, per_notebook: int, samples: int) -> None:
    db = str(tmp / "reads.duckdb")
    t = time.perf_counter()
    names = populate(db, notebooks, per_notebook)
    print(f"populated {notebooks * per_notebook:,} executions across {notebooks} notebooks in {time.perf_counter() - t:.1f} s")
    client = StdioRpcClient(serve_command(db))
    client.initialize()
    rng = random.Random(7)
    order = names[:]
    rng.shuffle(order)
    cold_lineage, cold_ann, warm_ann, warm_lineage = [], [], [], []
    for nb in order[: min(samples, len(order)) // 2]:  # first touch: nothing cached for this notebook
        t = time.perf_counter()
        client.request(p.CELL_ANNOTATION, {"notebook_uri": f"file://{nb}", "cell_id": f"cell-{rng.randrange(9)}"})
        cold_ann.append((time.perf_counter() - t) * 1000)
    for nb in order[min(samples, len(order)) // 2: samples]:
        t = time.perf_counter()
        doc = client.request(p.LINEAGE, {"notebook_uri": f"file://{nb}"})
        cold_lineage.append((time.perf_counter() - t) * 1000)
        assert len(doc["executions"]) == per_notebook
    for _ in range(samples):
        nb = rng.choice(order[:20])
        t = time.perf_counter()
        client.request(p.CELL_ANNOTATION, {"notebook_uri": f"file://{nb}", "cell_id": f"cell-{rng.randrange(9)}"})
        warm_ann.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        client.request(p.LINEAGE, {"notebook_uri": f"file://{nb}"})
        warm_lineage.append((time.perf_counter() - t) * 1000)
    client.close()
    for label, xs, target in (("annotation, first touch", cold_ann, 20), ("annotation, repeated", warm_ann, 20),
                              ("notebook lineage, first touch", cold_lineage, 100),
                              ("notebook lineage, repeated", warm_lineage, 100)):
        print(f"{label:32s} p50 {statistics.median(xs):6.1f} ms  p95 {pct(xs, 0.95):6.1f} ms  (n={len(xs)}, "
              f"target p95 <= {target} ms)")


def bench_cold_start(tmp: Path, runs: int) -> None:
    db = str(tmp / "cold.duckdb")
    times, rss = [], []
    for _ in range(runs):
        t = time.perf_counter()
        client = StdioRpcClient(serve_command(db))
        client.initialize()
        client.request(p.STATUS, {})
        times.append(time.perf_counter() - t)
        status = Path(f"/proc/{client.proc.pid}/status").read_text()
        rss.append(int(next(l for l in status.splitlines() if l.startswith("VmRSS")).split()[1]) / 1024)
        client.close()
    print(f"cold start (spawn -> initialize + status answered): median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {runs} runs (target < 1 s); resident memory {statistics.median(rss):.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="trackit-bench-") as d:
        tmp = Path(d)
        print(f"python {sys.version.split()[0]}; {time.strftime('%Y-%m-%d %H:%M')}")
        bench_cold_start(tmp, 3 if args.quick else 7)
        bench_ingest(tmp, 1000 if args.quick else 10_000)
        bench_reads(tmp, 50 if args.quick else 500, 200, 100 if args.quick else 400)


if __name__ == "__main__":
    main()
