"""How long does deriving a notebook's experiments take? (a script, not a test)

    .venv/bin/python bench/bench_derivation.py [--dbs GLOB] [--long 2000] [--rounds 7] [--baseline-python PY]

Two workloads, each notebook in its own database with its kept derived experiments emptied:
  recorded  every database matching --dbs (one recorded notebook each: the corpus sweep's, /tmp/l24/sweep/*.duckdb)
  long      one notebook of --long executions written as bench_sidecar.py writes them (a kernel restart every 40
            runs, an accuracy cell every 9: ~220 experiments), or none with --long 0
A round copies the databases, lets the build make its ready lineage rows (untimed: its sidecar makes them when idle,
bench_sidecar.make_ready_rows) and then times one listing of each notebook's experiments by a new service
(experiments/derived.py: every run read and walked for its experiments, their own facts built, parents chosen, rows
saved), summed over the workload's notebooks, wall and CPU time. With --baseline-python PY (a Python whose trackit_sidecar is another
build, e.g. a worktree of main) the baseline is measured in the same run: builds alternate round by round, each round
in a fresh process. Prints each workload's median over the rounds per build and the ratio against the baseline.
"""

from __future__ import annotations

import argparse
import glob
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

# run by each build's python on its own copies: prints {workload: [wall seconds, CPU seconds]} (CPU: every thread of
# the process, DuckDB's too; less moved by the other processes of a shared machine than wall time)
_ROUND = r"""
import json, sys, time
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store
took = {}
for workload, dbs in json.loads(sys.argv[1]).items():
    took[workload] = [0.0, 0.0]
    for db in dbs:
        with Store.open(db) as store:
            service = TrackitService(store)
            while service.ready.make_some():
                pass
            uris = [uri for uri, in store.connection.con.execute("SELECT uri FROM notebooks").fetchall()]
            started, cpu = time.perf_counter(), time.process_time()
            for uri in uris:
                service.experiments.experiments(uri)
            took[workload][0] += time.perf_counter() - started
            took[workload][1] += time.process_time() - cpu
print(json.dumps(took))
"""


def emptied(db: str, into: Path) -> str:
    """A copy of `db` without its kept derived experiments: the listing derives every one."""
    import duckdb

    copy = into / Path(db).name
    shutil.copy(db, copy)
    con = duckdb.connect(str(copy))
    for table in ("derived_experiments", "derived_runs", "derived_notebooks"):
        con.execute(f"DELETE FROM {table}")
    con.close()
    return str(copy)


def one_round(python: str, workloads: dict[str, list[str]], scratch: Path) -> dict[str, list[float]]:
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    copies = {w: [shutil.copy(db, scratch / f"{w}-{Path(db).name}") for db in dbs] for w, dbs in workloads.items()}
    done = subprocess.run([python, "-c", _ROUND, json.dumps({w: [str(c) for c in cs] for w, cs in copies.items()})],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{python}: {done.stderr.strip()[-800:]}")
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dbs", default="/tmp/l24/sweep/*.duckdb", help="recorded notebooks' databases (a glob)")
    parser.add_argument("--long", type=int, default=2000, help="executions of the long notebook (0: none)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--baseline-python", help="a Python whose trackit_sidecar is the baseline build")
    args = parser.parse_args()
    builds = [("this build", sys.executable)] + ([("baseline", args.baseline_python)] if args.baseline_python else [])
    with tempfile.TemporaryDirectory(prefix="bench-derivation-") as tmp:
        pristine = Path(tmp) / "pristine"
        pristine.mkdir()
        workloads: dict[str, list[str]] = {}
        recorded = sorted(glob.glob(args.dbs))
        if recorded:
            workloads["recorded"] = [emptied(db, pristine) for db in recorded]
        if args.long:
            import bench_sidecar

            long_db = str(Path(tmp) / "long.duckdb")
            bench_sidecar.populate(long_db, 1, args.long)
            workloads["long"] = [long_db]
        print(f"recorded: {len(recorded)} notebooks ({args.dbs}); long: {args.long} executions; "
              f"{args.rounds} rounds, builds alternating")
        took: dict[tuple[str, str, str], list[float]] = {}  # (build, workload, "wall" | "CPU") -> seconds per round
        for r in range(args.rounds):
            for name, python in builds if r % 2 == 0 else builds[::-1]:
                for workload, seconds in one_round(python, workloads, Path(tmp) / "round").items():
                    for clock, value in zip(("wall", "CPU"), seconds):
                        took.setdefault((name, workload, clock), []).append(value)
        for workload in workloads:
            for clock in ("wall", "CPU"):
                medians = {name: statistics.median(took[name, workload, clock]) for name, _ in builds}
                line = ", ".join(f"{name} {medians[name] * 1000:.0f} ms" for name, _ in builds)
                if len(builds) == 2:
                    line += f"; ratio {medians['this build'] / medians['baseline']:.3f}"
                spread = ", ".join(f"{name} {min(took[name, workload, clock]) * 1000:.0f}-"
                                   f"{max(took[name, workload, clock]) * 1000:.0f}" for name, _ in builds)
                print(f"{workload}: derivation {clock} time, median of {args.rounds}: {line} (range ms: {spread})")

if __name__ == "__main__":
    main()
