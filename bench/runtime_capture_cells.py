"""Where a probe config's added wall time goes, cell by cell (a script, not a test): reads the rounds
bench/bench_runtime_capture.py saved (--runs FILE) and prints, per cell, the median over rounds of (config - plain) in
the same round for each of its measures, next to the probe's own timer for that cell:

    .venv/bin/python bench/runtime_capture_cells.py RUNS.json [--workload pandas_06] [--config trackit] [--top 12]

  wall      the cell's round trip, as the frontend sees it
  main CPU  the kernel's main thread (the cell's code and the probe's hooks)
  other CPU the kernel's other threads (ipykernel's I/O threads, the probe's push)
  waited    run_delay of the kernel's main thread and the frontend's thread: time ready to run but without a core
  client    the frontend process's CPU (for a probe config: the facts inbox's thread taking pushes too)
  hooks     the probe's pre_run_cell + post_run_cell CPU for that cell (thread_time in the kernel; config alone)
  rest      wall - main CPU - waited: what neither the kernel's main thread nor the scheduler's queue accounts for
            (messages in flight, the frontend's own latency)

Each column is a sum over cells of per-cell medians, so the columns add up the way the bench's paired share does.
Runs saved before a measure existed are left out of that measure's column (n rounds shown)."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

MEASURES = (  # column -> per-cell values of a run, ms (None: the run predates the measure)
    ("wall", lambda run: [s * 1000 for s in run["cells"]]),
    ("main CPU", lambda run: run.get("main_cpu_ms")),
    ("other CPU", lambda run: [a - m for a, m in zip(run["cell_cpu_ms"], run["main_cpu_ms"])]
     if run.get("main_cpu_ms") else None),
    ("waited", lambda run: [s * 1000 for s in run["cell_waited"]] if run.get("cell_waited") else None),
    ("client", lambda run: run.get("client_cpu_ms")),
)


def hooks_ms(run: dict) -> list[float] | None:
    """The probe's hooks CPU for each cell of the run, by the cell's execution count."""
    by_count, counts = run.get("capture_cpu_by_count"), run.get("counts")
    if by_count is None or counts is None:
        return None
    return [float(by_count.get(str(count), 0.0)) if count is not None else 0.0 for count in counts]


def paired_medians(config_runs: list[dict], plain_runs: list[dict], value) -> tuple[list[float], int]:
    """Per cell, the median over the rounds both ran (and both have the measure) of config - plain."""
    plain_by_round = {run["round"]: run for run in plain_runs}
    pairs = [(value(run), value(plain_by_round[run["round"]])) for run in config_runs if run["round"] in plain_by_round]
    pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
    if not pairs:
        return [], 0
    cells = len(pairs[0][1])
    return [statistics.median(a[i] - b[i] for a, b in pairs) for i in range(cells)], len(pairs)


def table(results: dict[str, list[dict]], config: str, sources: list[str], top: int) -> None:
    plain, runs = results["plain"], results[config]
    columns = {}
    for name, value in MEASURES:
        columns[name] = paired_medians(runs, plain, value)
    hooks = [hooks_ms(run) for run in runs]
    hooks = [h for h in hooks if h is not None]
    columns["hooks"] = ([statistics.median(h[i] for h in hooks) for i in range(len(hooks[0]))], len(hooks)) \
        if hooks else ([], 0)
    wall, main, waited = columns["wall"][0], columns["main CPU"][0], columns["waited"][0]
    if main and waited:
        columns["rest"] = ([w - m - q for w, m, q in zip(wall, main, waited)], min(columns["main CPU"][1],
                                                                                  columns["waited"][1]))
    plain_wall = [statistics.median(run["cells"][i] * 1000 for run in plain) for i in range(len(plain[0]["cells"]))]
    names = [name for name in columns if columns[name][0]]
    print(f"  {config} - plain, ms, median over rounds per cell (" +
          ", ".join(f"{name} n={columns[name][1]}" for name in names) + ")")
    print(f"  {'cell':>4s} {'plain':>8s} " + " ".join(f"{name:>9s}" for name in names) + "  source")
    order = sorted(range(len(wall)), key=lambda i: -abs(wall[i]))[:top] if top else range(len(wall))
    for i in sorted(order):
        print(f"  {i + 1:4d} {plain_wall[i]:8.1f} " + " ".join(f"{columns[name][0][i]:+9.2f}" for name in names)
              + f"  {sources[i].splitlines()[0][:48] if sources[i] else ''}")
    print(f"  {'all':>4s} {sum(plain_wall):8.1f} " + " ".join(f"{sum(columns[name][0]):+9.2f}" for name in names))
    if len(wall) > 1:
        print(f"  {'2..':>4s} {sum(plain_wall[1:]):8.1f} "
              + " ".join(f"{sum(columns[name][0][1:]):+9.2f}" for name in names) + "  (without cell 1)")
    # a lump of work whose cell varies by round (a full garbage collection) is in no cell's median, or in several:
    # the median over rounds of the whole run's difference does not depend on where it landed
    by_round = {}
    for name, value in MEASURES:
        by_round[name] = round_sums(runs, plain, value, 1)
    by_round["hooks"] = statistics.median(sum(h[1:]) for h in hooks) if hooks else None
    print(f"  {'runs':>4s} {statistics.median(sum(run['cells'][1:]) for run in plain) * 1000:8.1f} "
          + " ".join(f"{by_round[name]:+9.2f}" if by_round.get(name) is not None else f"{'':9s}" for name in names)
          + "  (median over rounds of the run's cells 2.. summed, config - plain)")


def round_sums(config_runs: list[dict], plain_runs: list[dict], value, skip: int) -> float | None:
    """The median over the rounds both ran of (sum over cells from `skip` on of config - of plain)."""
    plain_by_round = {run["round"]: run for run in plain_runs}
    pairs = [(value(run), value(plain_by_round[run["round"]])) for run in config_runs if run["round"] in plain_by_round]
    differences = [sum(a[skip:]) - sum(b[skip:]) for a, b in pairs if a is not None and b is not None]
    return statistics.median(differences) if differences else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", help="the --runs file bench_runtime_capture.py saved")
    parser.add_argument("--workload", default="", help="only workloads whose name contains this")
    parser.add_argument("--config", action="append", help="probe config(s) to compare with plain (default: all)")
    parser.add_argument("--top", type=int, default=0, help="only the N cells with the largest added wall")
    parser.add_argument("--notebook", action="append", default=[], help="a notebook, to show each cell's first line")
    args = parser.parse_args()
    saved = json.loads(Path(args.runs).read_text())
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_runtime_capture import notebook_file_cells

    sources_by_name = {Path(nb).name: [source for _label, source in notebook_file_cells(Path(nb))]
                       for nb in args.notebook}
    for key, results in saved.items():
        if args.workload not in key or not results.get("plain"):
            continue
        print(f"######## {key}")
        sources = next((cells for name, cells in sources_by_name.items() if key.startswith(name)), None)
        for config in args.config or [c for c in results if c != "plain"]:
            if results.get(config):
                table(results, config, sources or [""] * len(results["plain"][0]["cells"]), args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
