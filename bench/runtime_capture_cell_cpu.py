"""Does TrackIT's probe make the user's own code slower, outside its hooks? (a script, not a test)

    .venv/bin/python bench/runtime_capture_cell_cpu.py --notebook PATH [--notebook PATH ...] [--rounds 6]
        [--baseline-probe OTHER/kernel/probe] [--json OUT]

bench/runtime_capture_cells.py splits a probe config's added wall time per cell from outside the kernel: the main
thread's CPU (/proc schedstat) includes the cell's code, the probe's hooks and ipykernel's handling of the request, and
only the hooks are timed by the probe. What is left (kern29: ~17 ms a Run All of pandas-06, not explained) could be the
cell's own code run slower (the collector, memory, caches), or noise. This measures the cell's own code alone, inside
the kernel: a spy's pre_run_cell runs right before the cell's code and its post_run_cell right after it, with the probe's
hooks outside that span (the probe's post_run_cell is moved after the spy's), and reads the main thread's CPU
(thread_time), the CPU spent in the cyclic collector (gc.callbacks) and the minor page faults (RUSAGE_THREAD) over it.
It also reads the main thread's CPU from the end of one cell's code to the start of the next's, less the probe's own
timers in that span (its post_run_cell of the one, its pre_run_cell of the next) and any push it made idle there (timed
apart): ipykernel's and IPython's handling of
the reply and the next request, and whatever the probe does there outside its timers. The same spy runs in a plain
kernel. Cells are sent as bench_runtime_capture.py --run-all sends them (each as soon as the
previous reply is in), configs interleaved round by round in alternating order.

Prints, per notebook and probe config, the sum over cells 2.. of the per-cell median over rounds of (config - plain) in
the same round, with a bootstrap 95 % interval over rounds (paired_estimate), for the cell's CPU, its collector's CPU,
its page faults and that CPU between cells, and the cells that move most. Cell 1 (the imports) is left out: it moves by ~100 ms a round alike in
every kernel."""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_runtime_capture as bench  # noqa: E402
import notebook_kernel  # noqa: E402
from paired_estimate import bootstrap_sum, paired_sum  # noqa: E402

from trackit_sidecar.kernel import probe_expressions  # noqa: E402

# run silently in each kernel after the probe's install (a hidden run: the probe ignores it): per execution count, the
# cell's own (CPU ms, collector CPU ms, minor page faults)
CELL_SPY = r'''
def _trackit_cell_spy():
    import gc, resource, sys, time
    shell = get_ipython()
    spent, started, between, pre_hook, pushed, ended, code_starts, push_spans = {}, {}, {}, {}, {}, [], {}, []
    collecting = [0.0, 0.0]  # when the running collection started, collector CPU so far
    def on_collection(phase, info):
        if phase == "start":
            collecting[0] = time.thread_time()
        else:
            collecting[1] += time.thread_time() - collecting[0]
    gc.callbacks.append(on_collection)
    def pre(info=None):
        if getattr(info, "store_history", True):
            now = time.thread_time()
            # since the last cell's code ended: the probe's post_run_cell of it and pre_run_cell of this one (its own
            # timer, pre_cpu_seconds, read here; its post's is capture_cpu_ms less that), and ipykernel's and IPython's
            # handling of the reply and the request between them
            if ended:
                between[shell.execution_count] = (now - ended[0]) * 1e3
            if probe is not None:
                pre_hook[shell.execution_count] = probe.pre_cpu_seconds * 1e3
            started.update(cpu=now, gc=collecting[1], faults=resource.getrusage(resource.RUSAGE_THREAD).ru_minflt)
            # when the cell's code starts, less the probe's pre_run_cell (its own timer, wall): from the client's send
            # to here is how long the request waited for the kernel (a push it did not make way for, included)
            code_starts[shell.execution_count] = time.time() - (probe.pre_seconds if probe is not None else 0.0)
    def post(result=None):
        if started:
            spent[shell.execution_count - 1] = ((time.thread_time() - started["cpu"]) * 1e3,
                                                (collecting[1] - started["gc"]) * 1e3,
                                                resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - started["faults"])
            started.clear()
            ended[:] = [time.thread_time()]
    probe = getattr(sys.modules.get("_trackit_probe"), "_probe", None)
    if probe is not None:
        shell.events.unregister("post_run_cell", probe.post_run_cell)
        # a push the kernel made idle between two cells (PushChannel: no next cell within BURST_IDLE_SECONDS) measures
        # facts off the cells' wall time: counted apart, by the count of the cell it came before
        push = probe._push_unpushed
        def timed_push():
            began, began_wall = time.thread_time(), time.time()
            try:
                push()
            finally:
                pushed[shell.execution_count] = pushed.get(shell.execution_count, 0.0) + (time.thread_time() - began) * 1e3
                push_spans.append((began_wall, time.time()))
        probe._push_unpushed = timed_push
    shell.events.register("pre_run_cell", pre)  # after the probe's: right before the cell's code
    shell.events.register("post_run_cell", post)
    if probe is not None:
        shell.events.register("post_run_cell", probe.post_run_cell)  # after the spy's
    def outside():
        """execution count -> (cell CPU, collector CPU, faults, main-thread CPU between the last cell's code and this
        one's outside the probe's timers and pushes, the CPU of the pushes made idle there, when the code started
        less the probe's pre_run_cell: time.time())."""
        hooks = probe.capture_cpu_ms if probe is not None else {}
        return {count: (*values, between.get(count, 0.0) - pre_hook.get(count, 0.0) - pushed.get(count, 0.0)
                        - (hooks.get(count - 1, 0.0) - pre_hook.get(count - 1, 0.0)), pushed.get(count, 0.0),
                        code_starts.get(count, 0.0))
                for count, values in spent.items()}
    outside.push_spans = push_spans  # (start, end) of each push, time.time()
    return outside
_trackit_cell_spent = _trackit_cell_spy()
'''
MEASURES = ("cell CPU ms", "collector CPU ms", "minor faults", "between cells ms", "idle pushes ms",
            "send to code ms", "push in wait ms")


def _waits(code_start: float, sent: float | None, spans: list) -> tuple[float, float]:
    """(ms from the send to the code's start, ms of it a push was under way)."""
    if sent is None:
        return 0.0, 0.0
    in_push = sum(max(0.0, min(end, code_start) - max(start, sent)) for start, end in spans)
    return (code_start - sent) * 1e3, in_push * 1e3


def run_once(config: str, notebook: Path, ksm, stats: list[dict]) -> dict[int, tuple]:
    """execution count -> the cell's MEASURES in one Run All; the probe's counts of pushes a next cell came during
    go to `stats`. "send to code": wall ms from the client's send of the cell to its code's start, less the probe's
    pre_run_cell (the request's wait for the kernel: a push under way when it came, ipykernel's handling of it);
    "push in wait": of that, the time a push was under way (the spy's wall clock, the client's: one machine)."""
    session = bench.Session(config, notebook.parent, ksm)
    try:
        reply = session.client.execute_interactive(CELL_SPY, store_history=False, silent=True, timeout=30)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"spy not installed: {reply['content']}")
        sent = {}
        for _, source in bench.notebook_file_cells(notebook):
            at = time.time()
            _, count, _ = session.run_cell(source)
            sent[count] = at
        reply = session.client.execute_interactive("", store_history=False, timeout=30, user_expressions={
            "spent": "__import__('json').dumps(_trackit_cell_spent())",
            "spans": "__import__('json').dumps(_trackit_cell_spent.push_spans)"})
        text = reply["content"]["user_expressions"]["spent"]["data"]["text/plain"]
        spans = json.loads(ast.literal_eval(reply["content"]["user_expressions"]["spans"]["data"]["text/plain"]))
        if session.capture is not None:
            probe_stats = session.capture.stats() or {}
            stats.append({key: probe_stats.get(key) for key in ("pushed_before_next_cell", "pushes_made_way",
                                                                      "pushes_cut_mid_cell")})
        # the spy's pre_run_cell reads shell.execution_count one on from the cell's (IPython 9.18: what `between` and
        # `pushed` are keyed by too): its start under count k is cell k - 1's, sent under that cell's reply count; of
        # that wait, the time a push was under way (one before the request was sent delays nothing)
        return {int(count): (*values[:-1], *_waits(values[-1], sent.get(int(count) - 1), spans))
                for count, values in json.loads(ast.literal_eval(text)).items()}
    finally:
        session.close()


def report(config: str, runs: list[dict], plain: list[dict]) -> None:
    cells = sorted(set.intersection(*(set(run) for run in runs + plain)))
    cells = [count for count in cells if count >= 2]
    print(f"  {config} - plain, cells 2.. ({len(cells)} cells, {len(runs)} paired rounds; plain's cell CPU "
          f"{sum(statistics.median(run[c][0] for run in plain) for c in cells):.1f} ms):")
    for index, measure in enumerate(MEASURES):
        config_values = [[run[c][index] for c in cells] for run in runs]
        plain_values = [[run[c][index] for c in cells] for run in plain]
        added = paired_sum(config_values, plain_values)
        low, high = bootstrap_sum(config_values, plain_values)
        print(f"    {measure:<17} {added:+9.1f}  [{low:+.1f}, {high:+.1f}]")
    moved = sorted(cells, key=lambda c: -abs(statistics.median(r[c][0] - p[c][0] for r, p in zip(runs, plain))))
    for count in moved[:5]:
        deltas = [statistics.median(r[count][i] - p[count][i] for r, p in zip(runs, plain)) for i in range(3)]
        print(f"    cell {count:>3}: plain {statistics.median(p[count][0] for p in plain):7.1f} ms; "
              f"cell CPU {deltas[0]:+7.2f}, collector {deltas[1]:+7.2f}, faults {deltas[2]:+6.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", action="append", required=True)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--kernel-python", help="default: the bench's notebook kernel venv (notebook_kernel)")
    parser.add_argument("--baseline-probe", help="another build's kernel/probe package directory, run as 'base'")
    parser.add_argument("--json", help="write every round's per-cell values here")
    args = parser.parse_args()
    python = args.kernel_python or str(notebook_kernel.ensure_venv(notebook_kernel.DEFAULT_VENV))
    configs = ["plain", "trackit"]
    if args.baseline_probe:
        bench.BASELINE_PROBE = probe_expressions.probe_modules(args.baseline_probe)
        configs.append("base")
    ksm = bench.kernel_specs(python, None, Path(tempfile.mkdtemp(prefix="trackit-cell-cpu-")))
    saved = {}
    for notebook in map(Path, args.notebook):
        runs: dict[str, list] = {config: [] for config in configs}
        stats: dict[str, list] = {config: [] for config in configs}
        for round_number in range(args.rounds):
            order = configs if round_number % 2 == 0 else configs[::-1]
            for config in order:
                runs[config].append(run_once(config, notebook, ksm, stats[config]))
        print(f"== {notebook.name}: the cell's own code, the probe's hooks outside it")
        for config in configs[1:]:
            report(config, runs[config], runs["plain"])
            print(f"    cells a next cell came before their push (a round): "
                  f"{[s['pushed_before_next_cell'] for s in stats[config]]}; pushes that made way for a next "
                  f"message: {[s['pushes_made_way'] for s in stats[config]]}, of them inside a cell's measuring: "
                  f"{[s.get('pushes_cut_mid_cell') for s in stats[config]]}")
        saved[notebook.name] = runs
    if args.json:
        Path(args.json).write_text(json.dumps(saved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
