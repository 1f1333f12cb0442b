"""Where a notebook's full (generation 2) garbage collections land in a Run All, plain vs TrackIT's probe (a script,
not a test): the kernel's own gc.callbacks, installed silently before cell 1 in every config, say in which cell each
collection ran and how long it took.

    .venv/bin/python bench/runtime_capture_gc.py --notebook PATH [--notebook PATH ...] [--rounds 2] [--pad 400,800]

Why: CPython (3.11, the notebook kernel's) runs a full collection at the first young collection after the eleventh
generation-1 collection (once the long-lived rule allows it), and those collections come every ~700 net GC-tracked
allocations. Whatever allocates and keeps objects moves every later collection earlier by that many allocations: the
probe's install keeps its code (~770 objects, ~1,000 allocations) and each cell adds a few. A full collection that
plain runs just after the last cell then runs inside the Run All with the probe (pandas_merge: ~40 ms at cell 23-24),
the same work moved, not added. `--pad N` adds a config "plain+N": plain with N empty lists kept before cell 1, to
show where a collection lands for a given allocation lead without the probe.

Cells are sent as bench_runtime_capture.py --run-all sends them (each as soon as the previous reply is in)."""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_runtime_capture as bench  # noqa: E402
import notebook_kernel  # noqa: E402

# gc.callbacks in the kernel: (generation, the cell's execution count, ms, objects collected) per collection
RECORDER = r'''
import gc as _gc, time as _time
_trackit_bench_gc = []
def _trackit_bench_gc_callback(phase, info, _started=[0.0], _time=_time, _runs=_trackit_bench_gc):
    if phase == "start":
        _started[0] = _time.perf_counter()
    else:
        _runs.append((info["generation"], get_ipython().execution_count,
                      round((_time.perf_counter() - _started[0]) * 1000, 1), info["collected"]))
_gc.callbacks.append(_trackit_bench_gc_callback)
'''


def run_once(config: str, cells, cwd: Path, ksm) -> list[list]:
    """One Run All; its collections as RECORDER lists them. "plain+N": plain keeping N empty lists from before cell 1."""
    session = bench.Session(config.split("+")[0], cwd, ksm)
    try:
        quiet = {"silent": True, "store_history": False, "output_hook": lambda msg: None}
        if "+" in config:
            session.client.execute_interactive(f"_trackit_bench_pad = [[] for _ in range({int(config.split('+')[1])})]",
                                               **quiet)
        session.client.execute_interactive(RECORDER, **quiet)
        counts = [session.run_cell(source)[1] for _label, source in cells]
        return collections_in_run(session, counts)
    finally:
        session.close()


def collections_in_run(session, counts: list) -> list[list]:
    """The collections RECORDER saw during the run whose cells had these execution counts: [generation, cell (from 1),
    ms, objects collected]."""
    quiet = {"silent": True, "store_history": False, "output_hook": lambda msg: None}
    reply = session.client.execute_interactive("", user_expressions={
        "gc": "__import__('json').dumps(_trackit_bench_gc)"}, **quiet)
    collections = json.loads(ast.literal_eval(reply["content"]["user_expressions"]["gc"]["data"]["text/plain"]))
    first = counts[0] if counts else None
    return [[generation, count - first + 1, ms, collected] for generation, count, ms, collected in collections
            if first is not None and first <= count < first + len(counts)]  # cell numbers from 1, in the run only


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", action="append", required=True, help="a real notebook (repeatable)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pad", default="", help="comma-separated N: also run plain keeping N empty lists")
    parser.add_argument("--kernel-python", help="default: the notebook kernel's venv (bench/notebook_kernel.py)")
    args = parser.parse_args()
    configs = ["plain", "trackit"] + [f"plain+{int(n)}" for n in args.pad.split(",") if n.strip()]
    kernel_python = args.kernel_python or str(notebook_kernel.ensure_venv(notebook_kernel.DEFAULT_VENV))
    print(f"kernel: {notebook_kernel.describe(kernel_python)}")
    ksm = bench.kernel_specs(kernel_python, None, Path(tempfile.mkdtemp(prefix="trackit-bench-gc-")))
    for path in map(Path, args.notebook):
        cells = bench.notebook_file_cells(path)
        runs: dict[str, list] = {config: [] for config in configs}
        for number in range(args.rounds):
            for config in configs if number % 2 == 0 else configs[::-1]:
                runs[config].append(run_once(config, cells, path.parent, ksm))
        print(f"== {path.name} ({len(cells)} cells), {args.rounds} rounds: full collections inside the run "
              "(cell, ms) per round; young collections per round (median)")
        for config, rounds in runs.items():
            full = [[(cell, ms) for generation, cell, ms, _ in run if generation == 2] for run in rounds]
            young = [statistics.median(sum(1 for run_gc in run if run_gc[0] == g) for run in rounds) for g in (0, 1)]
            print(f"  {config:12s} full {full}  generation 0 / 1: {young[0]:.0f} / {young[1]:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
