"""The Run All wall time TrackIT's probe adds, averaged over where a notebook's full garbage collection falls (a script,
not a test): plain and probe kernels each keep the same pad of N empty lists from before cell 1, N spread evenly over
one full-collection period, paired per N.

    .venv/bin/python bench/runtime_capture_phase.py --notebook PATH [--notebook PATH ...] [--points 8] [--offset 0]
        [--runs FILE]

Why: CPython (3.11, the notebook kernel's) runs a full collection every PERIOD net GC-tracked allocations (the
young-collection trigger, t0 + 1 allocations, times (t2 + 1)(t1 + 2) + 1 such triggers: 93,233 at the default
thresholds (700, 10, 10)). The probe's install keeps ~1,000 objects, so a probe kernel reaches each collection ~1,000
allocations earlier than plain: a notebook whose plain run ends just before a collection gets it inside the run with
the probe (pandas_merge: ~40 ms, kern13), one whose collection falls early in the run gets it a little earlier, and
most notebooks see no difference. Which case a notebook is depends on where it starts in the period, which nothing
about the notebook decides (what ran before, the kernel's own start-up). Padding both kernels with the same N moves
that start point; N = 0, P/K, 2P/K, ... samples it uniformly, so the mean over N of the paired added wall is the
expected cost over phase. The unpadded pair (N = 0) is printed beside it; bench_runtime_capture.py --run-all remains the
figure per notebook as it is.

--offset F (0 <= F < 1) shifts the grid by F * PERIOD / K, so several short jobs pooled by --runs sample the period
more finely (e.g. --offset 0 then --offset 0.5). Cells are sent as bench_runtime_capture.py --run-all sends them (each
as soon as the previous reply is in), after one unrecorded run of each config per notebook; added wall = sum of
the probe run's cell round trips - plain's, in ms, and as a share of plain's. Full collections inside each run (cell,
ms) are listed from gc.callbacks, as runtime_capture_gc.py does. Each pair saves the worktree's commit it ran."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def full_collection_period(thresholds: tuple[int, int, int]) -> int:
    """Net GC-tracked allocations between two full collections in CPython 3.11 (gcmodule.c): a young collection is
    triggered when the count passes t0 (every t0 + 1 allocations); generation 1 is collected when its count (young
    collections since) passes t1, i.e. at every (t1 + 2)th trigger; generation 2 when its count passes t2, i.e. at the
    trigger after the (t2 + 1)th generation-1 collection. (Assumes the long-lived rule allows it, as it does once a
    notebook has imported pandas.)"""
    t0, t1, t2 = thresholds
    return (t0 + 1) * ((t2 + 1) * (t1 + 2) + 1)


def phase_pads(period: int, points: int, offset: float = 0.0) -> list[int]:
    """`points` pads spread evenly over one period, the grid shifted by offset * period / points."""
    if points < 1 or not 0.0 <= offset < 1.0:
        raise ValueError(f"points must be >= 1 and 0 <= offset < 1 (got {points}, {offset})")
    return [round((i + offset) * period / points) for i in range(points)]


def phase_summary(pairs: list[tuple[float, float]], draws: int = 2000, seed: int = 14) -> dict:
    """pairs: (added ms, plain ms) per pad. The mean and median over pads of the added ms and of the added share of
    plain's wall, each with a percentile-bootstrap 95 % interval over pads (the pads are drawn with replacement)."""
    if len(pairs) < 2:
        raise ValueError("at least two pads are needed for an interval")
    rng = random.Random(seed)

    def figures(sample):
        added = [a for a, _ in sample]
        shares = [a / p for a, p in sample]
        return {"mean_ms": statistics.fmean(added), "median_ms": statistics.median(added),
                "mean_share": statistics.fmean(shares), "median_share": statistics.median(shares)}

    point = figures(pairs)
    resampled = [figures([pairs[rng.randrange(len(pairs))] for _ in pairs]) for _ in range(draws)]
    summary = {"pads": len(pairs)}
    for key, value in point.items():
        ordered = sorted(sample[key] for sample in resampled)
        summary[key] = (value, ordered[int(0.025 * (draws - 1))], ordered[int(0.975 * (draws - 1))])
    return summary


# ------------------------------------------------------------------ kernels (the script)
def run_padded(config: str, pad: int, cells, cwd: Path, ksm) -> dict:
    """One Run All in a kernel keeping `pad` empty lists from before cell 1 (kept, so they advance the GC count)."""
    import bench_runtime_capture as bench
    from runtime_capture_gc import RECORDER, collections_in_run

    session = bench.Session(config, cwd, ksm)
    try:
        quiet = {"silent": True, "store_history": False, "output_hook": lambda msg: None}
        session.client.execute_interactive(f"_trackit_bench_pad = [[] for _ in range({pad})]", **quiet)
        session.client.execute_interactive(RECORDER, **quiet)
        walls, counts, errors = [], [], []
        for number, (_label, source) in enumerate(cells, 1):
            wall, count, status = session.run_cell(source)
            walls.append(wall * 1000)
            counts.append(count)
            if status != "ok":
                errors.append(f"cell {number} {status}")
        full = [[cell, ms] for generation, cell, ms, _ in collections_in_run(session, counts) if generation == 2]
        return {"cells_ms": walls, "full": full, "errors": errors}
    finally:
        session.close()


def report(name: str, sweep: list[dict], period: int) -> None:
    sweep = sorted(sweep, key=lambda pair: pair["pad"])
    print(f"== {name}: {len(sweep)} pads over one period of {period:,} allocations; added wall = probe - plain, "
          "sum of cell round trips")
    for pair in sweep:
        plain, probe = sum(pair["plain"]["cells_ms"]), sum(pair["trackit"]["cells_ms"])
        print(f"  pad {pair['pad']:6d} ({pair['pad'] / period:5.3f})  plain {plain:7.1f} ms  probe {probe:7.1f} ms  "
              f"added {probe - plain:+7.1f} ms  full collections plain {pair['plain']['full']} "
              f"probe {pair['trackit']['full']}" + (f"  ERRORS {pair['plain']['errors'] + pair['trackit']['errors']}"
                                                   if pair["plain"]["errors"] or pair["trackit"]["errors"] else ""))
    pairs = [(sum(p["trackit"]["cells_ms"]) - sum(p["plain"]["cells_ms"]), sum(p["plain"]["cells_ms"])) for p in sweep]
    unpadded = [added / plain for (added, plain), p in zip(pairs, sweep) if p["pad"] == 0]
    if unpadded:
        print(f"  unpadded (pad 0, {len(unpadded)} pair(s)): {', '.join(f'{s * 100:+.2f} %' for s in unpadded)}")
    if len(pairs) >= 2:
        s = phase_summary(pairs)
        show = lambda key, scale, unit: (f"{s[key][0] * scale:+.2f}{unit} [{s[key][1] * scale:+.2f}, "  # noqa: E731
                                         f"{s[key][2] * scale:+.2f}]")
        print(f"  phase-averaged over {s['pads']} pads: mean {show('mean_share', 100, ' %')} = "
              f"{show('mean_ms', 1, ' ms')}; median {show('median_share', 100, ' %')} = {show('median_ms', 1, ' ms')}"
              " [bootstrap 95 % over pads]")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", action="append", required=True, help="a real notebook (repeatable)")
    parser.add_argument("--points", type=int, default=8, help="pads per period in this run")
    parser.add_argument("--offset", type=float, default=0.0, help="shift the grid by this fraction of a step")
    parser.add_argument("--runs", help="a JSON file: pairs saved there by earlier runs are reported with these")
    parser.add_argument("--kernel-python", help="default: the notebook kernel's venv (bench/notebook_kernel.py)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_runtime_capture as bench
    import notebook_kernel

    kernel_python = args.kernel_python or str(notebook_kernel.ensure_venv(notebook_kernel.DEFAULT_VENV))
    thresholds = tuple(json.loads(os.popen(f"{kernel_python} -c 'import gc,json;print(json.dumps(gc.get_threshold()))'")
                                  .read()))
    period = full_collection_period(thresholds)
    pads = phase_pads(period, args.points, args.offset)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}; load average {os.getloadavg()[0]:.1f}; kernel: "
          f"{notebook_kernel.describe(kernel_python)}; thresholds {thresholds}, period {period:,}; pads {pads}")
    here = Path(__file__).resolve().parents[1]  # a checkout, or a `git archive` snapshot named after its commit
    build = os.popen(f"git -C {here} describe --always --dirty 2>/dev/null").read().strip() or here.name
    print(f"build {build}")
    saved_path = Path(args.runs) if args.runs else None
    saved = json.loads(saved_path.read_text()) if saved_path is not None and saved_path.exists() else {}
    ksm = bench.kernel_specs(kernel_python, None, Path(tempfile.mkdtemp(prefix="trackit-bench-phase-")))
    for path in map(Path, args.notebook):
        cells = bench.notebook_file_cells(path)
        sweep = saved.setdefault(path.name, [])
        for config in ("plain", "trackit"):  # not kept: the first kernels after a pause read their files from disk
            run_padded(config, 0, cells, path.parent, ksm)
        for number, pad in enumerate(pads):
            configs = ("plain", "trackit") if (number + len(sweep)) % 2 == 0 else ("trackit", "plain")
            pair = {"pad": pad, "build": build,
                    **{config: run_padded(config, pad, cells, path.parent, ksm) for config in configs}}
            sweep.append(pair)
            if saved_path is not None:
                saved_path.write_text(json.dumps(saved))
            added = sum(pair["trackit"]["cells_ms"]) - sum(pair["plain"]["cells_ms"])
            print(f"  {path.name} pad {pad}: added {added:+.1f} ms", flush=True)
        report(path.name, sweep, period)
    return 0


if __name__ == "__main__":
    sys.exit(main())
