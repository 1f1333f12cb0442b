"""How fast are `trackit diff` and the experiments listing on a long history? (a script, not a test)

    .venv/bin/python bench/bench_compare.py [--rounds 500] [--repeat 15]

Builds, in a temporary DuckDB file, one notebook's history the way the editor sends it (no kernel; the runtime facts
a kernel would measure are added as the server adds them): ten runs, each loading the data once, then rounds of
four executions (an edited filter threshold, a split, a fit, an evaluation that prints its accuracy), so
--rounds 500 makes 2,000+ executions and 500 experiments. Then it times, each --repeat times:

  lineage    reading the notebook's records from the store (the baseline every request pays, same run)
  listing    `trackit/experiments` for the notebook: first call in a fresh service, then repeated calls
  diff       `trackit diff` of two experiments far apart: first call in a fresh service, then repeated calls

and prints medians and p95 in milliseconds and as a ratio of the baseline. Targets (issue 12): diff <= 300 ms,
listing of 500 experiments <= 200 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from trackit_sidecar import protocol as p
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

IMPORTS = ("import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
           "from sklearn.metrics import accuracy_score\nfrom sklearn.model_selection import train_test_split")


def build(path: str, folder: Path, rounds: int, runs: int = 10) -> str:
    notebook = folder / "long.ipynb"
    (folder / "data.csv").write_text("age,income,y\n" + "30,1,0\n" * 50)
    service = TrackitService(Store.open(path))
    rng = random.Random(7)
    t = 1_700_000_000_000.0
    per_run = max(1, rounds // runs)

    def send(session: int, order: int, cell: int, source: str, printed: str = "", facts=()):
        nonlocal t
        event = p.CellExecution(
            event_id=str(uuid.uuid4()), notebook_uri=notebook.as_uri(), notebook_path=str(notebook),
            cell_id=f"c{cell}", cell_index=cell, source=source, execution_order=order, started_at=t, ended_at=t + 5,
            status="ok", kernel_id=f"k{session}",
            outputs=[p.CellOutput(output_type="stream", mime="text/plain", text=printed)] if printed else [])
        t += 1000
        service.ingest([event])
        if facts:
            service.add_runtime_facts(event.event_id, list(facts))

    def fact(variable: str, rows: int, cols: int) -> p.RuntimeFacts:
        return p.RuntimeFacts(variable=variable, kind="DataFrame", rows_after=rows, cols_after=cols, nulls_after=0,
                              fingerprint=f"xxh3:{variable}-{rows}-{rng.random()}")

    for session in range(1, runs + 1):
        order = 1
        send(session, order, 0, IMPORTS)
        send(session, order + 1, 1, 'df = pd.read_csv("data.csv")', facts=[fact("df", 1000, 3)])
        order += 2
        for _ in range(per_run):
            threshold = rng.randint(10, 60)
            kept = 1000 - threshold * 5
            send(session, order, 2, f'adults = df[df["age"] >= {threshold}]', facts=[fact("adults", kept, 3)])
            send(session, order + 1, 3, 'X_train, X_test, y_train, y_test = train_test_split(adults[["age", "income"]], '
                 'adults["y"], test_size=0.25, random_state=1)',
                 facts=[fact("X_train", kept * 3 // 4, 2), fact("X_test", kept // 4, 2)])
            send(session, order + 2, 4, f"model = LogisticRegression(C={rng.choice([0.1, 1.0, 10.0])}).fit(X_train, y_train)")
            send(session, order + 3, 5, 'acc = accuracy_score(y_test, model.predict(X_test))\nprint(f"accuracy: {acc:.3f}")',
                 printed=f"accuracy: {rng.uniform(0.6, 0.9):.3f}\n")
            order += 4
    count = service.store.count_executions()
    service.store.close()
    print(f"history: {count} executions in {runs} runs of {notebook.name}")
    return notebook.as_uri()


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def summary(name: str, values: list[float], baseline: float, target: float | None = None) -> None:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    median = statistics.median(ordered)
    goal = f"  (target <= {target:.0f} ms: {'met' if p95 <= target else 'NOT met'})" if target else ""
    print(f"  {name:<34} median {median:8.1f} ms  p95 {p95:8.1f} ms  x{median / baseline:5.1f} of lineage{goal}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="trackit-bench-compare-") as tmp:
        folder = Path(tmp)
        db = str(folder / "bench.duckdb")
        uri = build(db, folder, args.rounds)
        store = Store.open(db)
        service = TrackitService(store)
        experiments = service.experiments.experiments(uri).experiments  # numbers them once, as the first listing does
        print(f"experiments: {len(experiments)}")
        first, last = experiments[len(experiments) // 10].id, experiments[-1].id

        lineage = [timed(lambda: store.lineage(uri)) for _ in range(args.repeat)]
        baseline = statistics.median(lineage)
        cold_list, cold_diff = [], []
        for _ in range(max(3, args.repeat // 3)):
            fresh = TrackitService(store)
            cold_list.append(timed(lambda: fresh.experiments.experiments(uri)))
            fresh = TrackitService(store)
            cold_diff.append(timed(lambda: fresh.compare.diff(first, last)))
        warm = TrackitService(store)
        warm.experiments.experiments(uri)
        warm_list = [timed(lambda: warm.experiments.experiments(uri)) for _ in range(args.repeat)]
        warm_diff = [timed(lambda: warm.compare.diff(first, last)) for _ in range(args.repeat)]
        shown = warm.compare.diff(first, last)
        after_new = []  # the editor's case: a cell ran since the last listing (new records, per-slice caches warm)
        for i in range(max(3, args.repeat // 3)):
            now = 1_800_000_000_000.0 + i * 1000
            warm.ingest([p.CellExecution(event_id=str(uuid.uuid4()), notebook_uri=uri, cell_id="c9", cell_index=9,
                                         source=f"x{i} = 1", execution_order=10_000 + i, started_at=now,
                                         ended_at=now + 5, status="ok", kernel_id="k10")])
            after_new.append(timed(lambda: warm.experiments.experiments(uri)))
        store.close()
    print(f"diff {first} -> {last}: divergence at {shown.divergence.b.op if shown.divergence else None}, "
          f"{shown.steps_compared} steps compared")
    summary("lineage read (baseline)", lineage, baseline)
    summary("listing, first call (fresh service)", cold_list, baseline, 200)
    summary("listing, repeated", warm_list, baseline, 200)
    summary("listing after a new execution", after_new, baseline, 200)
    summary("diff, first call (fresh service)", cold_diff, baseline, 300)
    summary("diff, repeated", warm_diff, baseline, 300)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
