"""Where TrackIT's probe spends its CPU in a Run All, by phase and by cell, and which of it is in the cells' wall time
(a script, not a test): the probe's own parts are wrapped in the kernel with thread_time timers, silently after its
install, and the cells sent as bench_runtime_capture.py --run-all sends them (each as soon as the previous reply is in).

    .venv/bin/python bench/runtime_capture_breakdown.py --notebook PATH [--notebook PATH ...] [--rounds 3]
        [--baseline-probe OTHER/kernel/probe] [--json OUT] [--profile DIR]

Phases (CPU of the kernel's main thread, ms):
  in the cells' wall time (between a cell's pre_run_cell and its post_run_cell's end: the user waits for it)
    before_next   pre_run_cell's turn for the cells still waiting for their push (Deferral._before_next_cell):
                  what the new cell could change in them is measured here
    pre           the rest of pre_run_cell: the cell's code read, what it names measured (_pre)
    post          post_run_cell (_post: what changed, the new objects' snapshots or measurements)
    facts_in_cell facts built while a cell runs (post_run_cell's bound on pending cells)
  when the kernel is idle (after a reply with no next cell: the push timer, or the sidecar's request)
    facts_idle    facts built (Probe.facts_for: null counts and fingerprints from the snapshots, the records)
    push_idle     the rest of the pushes (json, sendto)

--profile DIR: instead of timing phases, run cProfile (thread_time clock) in the kernel around the probe's in-wall
phases only (_before_next_cell, _pre, _post, facts_for while a cell runs), the probe's rounds summed per notebook and
probe into DIR/NAME-PROBE.pstats, and print the top functions by own and by cumulative CPU. Its overhead inflates
small calls: read it for where the time goes, not for how much (the timed phases say that).

The README row's "TrackIT's own timers" (bench/runtime_capture_rows.in_kernel_cpu_share before kern23) added the
probe's capture_cpu_ms (pre + post, before_next included) and lazy_cpu_ms (facts_for, wherever it ran): in a Run All
the latter runs once the kernel is idle after the last cell, outside every cell's wall time."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_runtime_capture as bench  # noqa: E402
import notebook_kernel  # noqa: E402

from trackit_sidecar.kernel import probe_expressions  # noqa: E402

IN_WALL = ("before_next", "pre", "post", "facts_in_cell")
IDLE = ("facts_idle", "push_idle")

# run silently in the kernel after the probe's install: each part's thread_time, by phase and by the execution count of
# the cell running or last run (a part nested in another is counted in the inner one only)
TIMERS = r'''
import sys as _sys, time as _time
def _trackit_bench_timers():
    probe = _sys.modules["_trackit_probe"]._probe
    shell = probe.shell
    spent = {}
    depth = [0]
    def wrap(name, phase_of):
        inner = getattr(probe, name)
        def timed(*args, _inner=inner, _name=name, _phase_of=phase_of):
            depth[0] += 1
            started = _time.thread_time()
            nested_before = spent.get("_nested", 0.0)
            try:
                return _inner(*args)
            finally:
                depth[0] -= 1
                elapsed = _time.thread_time() - started
                nested = spent.get("_nested", 0.0) - nested_before
                key = (_phase_of(), shell.execution_count)
                spent[key] = spent.get(key, 0.0) + (elapsed - nested) * 1000
                if depth[0]:
                    spent["_nested"] = spent.get("_nested", 0.0) + elapsed
                else:
                    spent.pop("_nested", None)
        setattr(probe, name, timed)
    in_cell = lambda: bool(probe.open_runs)
    wrap("_before_next_cell", lambda: "before_next")
    wrap("_pre", lambda: "pre")
    wrap("_post", lambda: "post")
    wrap("facts_for", lambda: "facts_in_cell" if in_cell() else "facts_idle")
    wrap("_push_unpushed", lambda: "push_in_cell" if in_cell() else "push_idle")
    return spent
_trackit_bench_spent = _trackit_bench_timers()
'''
# the same four in-wall entry points under one cProfile profiler (nested calls: enabled once, at the outermost)
PROFILER = r'''
import sys as _sys, time as _time, cProfile as _cProfile
def _trackit_bench_profiler():
    probe = _sys.modules["_trackit_probe"]._probe
    profiler = _cProfile.Profile(_time.thread_time)
    depth = [0]
    def wrap(name, when):
        inner = getattr(probe, name)
        def profiled(*args, _inner=inner):
            if depth[0] or not when():
                return _inner(*args)
            depth[0] += 1
            profiler.enable()
            try:
                return _inner(*args)
            finally:
                profiler.disable()
                depth[0] -= 1
        setattr(probe, name, profiled)
    always = lambda: True
    for name in ("_before_next_cell", "_pre", "_post"):
        wrap(name, always)
    wrap("facts_for", lambda: bool(probe.open_runs))
    return profiler
_trackit_bench_profile = _trackit_bench_profiler()
'''

READ = "__import__('json').dumps([[k[0], k[1], v] for k, v in _trackit_bench_spent.items() if k != '_nested'])"


def run_once(cells, cwd: Path, ksm, probe=None, profile_to: Path | None = None) -> dict:
    """One Run All with the probe; {phase: [ms per cell]} (idle phases: all after the last cell, or between cells).
    With profile_to: the in-wall phases profiled instead, the stats written there (a pstats file), no phases."""
    import ast

    if probe is not None:
        bench.BASELINE_PROBE = probe
    session = bench.Session("base" if probe is not None else "trackit", cwd, ksm)
    try:
        quiet = {"silent": True, "store_history": False, "output_hook": lambda msg: None}
        session.client.execute_interactive(PROFILER if profile_to else TIMERS, **quiet)
        counts = [session.run_cell(source)[1] for _label, source in cells]
        if profile_to:
            session.client.execute_interactive(f"_trackit_bench_profile.dump_stats({str(profile_to)!r})", **quiet)
            return {}
        for count in counts:  # as the bench's Run All takes them: after the last cell (the pushes, once idle)
            if count is not None:
                session.capture.facts(count)
        reply = session.client.execute_interactive("", user_expressions={"t": READ}, **quiet)
        spent = json.loads(ast.literal_eval(reply["content"]["user_expressions"]["t"]["data"]["text/plain"]))
        stats = session.capture.stats() or {}
    finally:
        session.close()
    first = counts[0]
    phases = {phase: [0.0] * len(cells) for phase in (*IN_WALL, *IDLE, "push_in_cell")}
    for phase, count, ms in spent:
        index = min(max(count - first, 0), len(cells) - 1)  # idle after the last cell: the last cell's
        phases[phase][index] += ms
    capture = stats.get("capture_cpu_ms") or {}
    lazy = stats.get("lazy_cpu_ms") or {}
    return {"phases": phases, "capture_cpu_ms": sum(capture.values()), "lazy_cpu_ms": sum(lazy.values()),
            "counters": {key: stats.get(key) for key in ("deferred", "measured_before_next_cell", "measured_in_hooks",
                                                          "strings_left_for_idle", "only_read", "reused")}}


def report(name: str, cells, runs: list[dict], top: int) -> None:
    def median_sum(phase):
        return statistics.median(sum(run["phases"][phase]) for run in runs)

    print(f"== {name}: {len(cells)} cells, {len(runs)} Run Alls; probe CPU per run, ms (median over runs)")
    wall = sum(median_sum(p) for p in IN_WALL)
    idle = sum(median_sum(p) for p in IDLE)
    print("  in the cells' wall time: " + ", ".join(f"{p} {median_sum(p):.1f}" for p in IN_WALL) + f"  = {wall:.1f}")
    print("  when idle:               " + ", ".join(f"{p} {median_sum(p):.1f}" for p in IDLE) + f"  = {idle:.1f}")
    print(f"  the probe's own timers: capture_cpu_ms {statistics.median(r['capture_cpu_ms'] for r in runs):.1f}"
          f" + lazy_cpu_ms {statistics.median(r['lazy_cpu_ms'] for r in runs):.1f}; counters {runs[-1]['counters']}")
    per_cell = [{p: statistics.median(run["phases"][p][i] for run in runs) for p in (*IN_WALL, *IDLE)}
                for i in range(len(cells))]
    order = sorted(range(len(cells)), key=lambda i: -sum(per_cell[i][p] for p in IN_WALL))[:top]
    print(f"  {'cell':>4s} " + " ".join(f"{p:>13s}" for p in (*IN_WALL, *IDLE)) + "  source (the costliest in wall)")
    for i in sorted(order):
        print(f"  {i + 1:4d} " + " ".join(f"{per_cell[i][p]:13.2f}" for p in (*IN_WALL, *IDLE))
              + f"  {cells[i][1].splitlines()[0][:50]}")


def profile(path: Path, cells, ksm, probes: dict, rounds: int, folder: Path, top: int) -> None:
    """--profile: each probe's in-wall phases profiled over `rounds` Run Alls, summed; the top functions printed."""
    import io
    import pstats

    folder.mkdir(parents=True, exist_ok=True)
    for name, probe in probes.items():
        files = []
        for number in range(rounds):
            files.append(folder / f"{path.stem}-{name}-{number}.pstats")
            run_once(cells, path.parent, ksm, probe, files[-1])
        stats = pstats.Stats(*map(str, files))
        stats.dump_stats(str(folder / f"{path.stem}-{name}.pstats"))
        for order in ("tottime", "cumulative"):
            text = io.StringIO()
            pstats.Stats(str(folder / f"{path.stem}-{name}.pstats"), stream=text).sort_stats(order).print_stats(top)
            body = text.getvalue()
            print(f"== {path.name} [{name}] profile of the in-wall phases, {rounds} Run Alls summed, by {order}")
            print(body[body.find("   ncalls"):].rstrip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", action="append", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--baseline-probe", help="another build's kernel/probe package directory, run in the same rounds"
                        " (interleaved) and reported beside this checkout's")
    parser.add_argument("--json", help="write every run's phases there")
    parser.add_argument("--profile", help="a directory: profile the in-wall phases (cProfile) instead of timing them")
    parser.add_argument("--kernel-python", help="default: the notebook kernel's venv (bench/notebook_kernel.py)")
    args = parser.parse_args()
    kernel_python = args.kernel_python or str(notebook_kernel.ensure_venv(notebook_kernel.DEFAULT_VENV))
    probes = {"this": None}
    if args.baseline_probe:
        probes["base"] = probe_expressions.probe_modules(args.baseline_probe)
    ksm = bench.kernel_specs(kernel_python, None, Path(tempfile.mkdtemp(prefix="trackit-bench-breakdown-")))
    out = {}
    for path in map(Path, args.notebook):
        cells = bench.notebook_file_cells(path)
        runs = {name: [] for name in probes}
        if args.profile:
            profile(path, cells, ksm, probes, args.rounds, Path(args.profile), args.top)
            continue
        for number in range(args.rounds):
            for name in list(probes)[::(-1) ** number]:  # interleaved, alternating which goes first
                runs[name].append(run_once(cells, path.parent, ksm, probes[name]))
        out[path.name] = runs
        for name, probe_runs in runs.items():
            report(f"{path.name} [{name}]", cells, probe_runs, args.top)
    if args.json:
        Path(args.json).write_text(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
