"""The facts a probe records for every cell of real notebooks, as JSON, to diff two builds' (a script, not a test)

    .venv/bin/python bench/dump_runtime_facts.py --out /tmp/x/this.json [--probe OTHER/kernel/probe]
        [--mode cell-by-cell --mode run-all --mode queued] --notebook PATH [--notebook PATH ...]
    .venv/bin/python bench/dump_runtime_facts.py --diff /tmp/x/base.json /tmp/x/this.json

Runs each notebook's code cells in a fresh ipykernel of the notebook kernel's venv (--kernel-python: another
interpreter), in the notebook's folder, with the probe installed and pushing through a second client, as
bench_runtime_capture.py does, and takes every cell's facts (the JSON list the sidecar
stores per execution) after the last cell. Modes: `cell-by-cell` takes each cell's facts before sending the next;
`run-all` sends the next cell as soon as the previous reply is in; `queued` sends every cell at once, so each waits in
the kernel's queue (a Run All in VS Code). --probe: another build's probe instead of this checkout's: its kernel/probe
package directory, or the kernel/probe.py of builds before the package.
--diff: the facts that differ between two dumps, by notebook, mode, cell and variable; exit status 1 if any do.
--fingerprints-by-equality (with --diff): fingerprints compared by which facts share one, for two probes whose
fingerprint algorithms differ (tag before ":").
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_runtime_capture as bench  # noqa: E402
import notebook_kernel  # noqa: E402

from trackit_sidecar.kernel import probe_expressions, silent_requests  # noqa: E402

MODES = ("cell-by-cell", "run-all", "queued")


def _raw_facts(session, count: int) -> list[dict]:
    expression = probe_expressions.facts_expression(count)
    return json.loads(silent_requests.silent_expression(session.client, expression, 30,
                                                        silent_requests.FACTS_BUSY_WAIT))["facts"]


def run_notebook(path: Path, mode: str, config: str, ksm) -> dict:
    cells = bench.notebook_file_cells(path)
    session = bench.Session(config, path.parent, ksm)
    try:
        counts, statuses = [], []
        if mode == "queued":
            # a failing cell does not abort those queued behind it: every cell runs, as in the other modes
            ids = [session.client.execute(source, stop_on_error=False) for _, source in cells]
            replies: dict[str, dict] = {}
            while len(replies) < len(ids):
                reply = session.client.get_shell_msg(timeout=600)
                if reply["parent_header"].get("msg_id") in ids:
                    replies[reply["parent_header"]["msg_id"]] = reply["content"]
            counts = [replies[msg_id].get("execution_count") for msg_id in ids]
            statuses = [replies[msg_id]["status"] for msg_id in ids]
            facts = {}
        else:
            facts = {}
            for _, source in cells:
                _elapsed, count, status = session.run_cell(source)
                counts.append(count)
                statuses.append(status)
                if mode == "cell-by-cell" and count is not None:
                    facts[count] = _raw_facts(session, count)
        for count in counts:
            if count is not None and count not in facts:
                facts[count] = _raw_facts(session, count)
        stats = session.capture.stats() or {}
        return {"facts": {str(count): value for count, value in facts.items()}, "statuses": statuses,
                "stats": {key: stats.get(key) for key in ("version", "errors", "pushed_before_next_cell", "deferred",
                                                          "measured_before_next_cell", "only_read",
                                                          "strings_left_for_idle", "measured_in_hooks", "reused",
                                                          "pushes_made_way", "pushes_cut_mid_cell")}}
    finally:
        session.close()


def fingerprint_classes(run: dict) -> dict:
    """A run's facts with each fingerprint replaced by the order of its first appearance ("fp#0", "fp#1", ...): two
    probes that hash differently (another algorithm tag) compare equal when the same facts have equal fingerprints."""
    seen: dict[str, str] = {}
    facts = {}
    for count in sorted(run["facts"], key=int):
        facts[count] = [
            {**fact, "fingerprint": seen.setdefault(fact["fingerprint"], f"fp#{len(seen)}")}
            if fact.get("fingerprint") else fact for fact in run["facts"][count]]
    return {**run, "facts": facts}


def diff(old_path: Path, new_path: Path, by_equality: bool = False) -> int:
    old, new = json.loads(old_path.read_text()), json.loads(new_path.read_text())
    if by_equality:
        old, new = ({notebook: {mode: fingerprint_classes(run) for mode, run in modes.items()}
                     for notebook, modes in dump.items()} for dump in (old, new))
    differing = compared = 0
    for notebook in sorted(set(old) | set(new)):
        for mode in sorted(set(old.get(notebook, {})) | set(new.get(notebook, {}))):
            a, b = old.get(notebook, {}).get(mode), new.get(notebook, {}).get(mode)
            if a is None or b is None:
                print(f"{notebook} [{mode}]: only in {'new' if a is None else 'old'}")
                differing += 1
                continue
            for count in sorted(set(a["facts"]) | set(b["facts"]), key=int):
                compared += 1
                if a["facts"].get(count) != b["facts"].get(count):
                    differing += 1
                    print(f"{notebook} [{mode}] cell {count}:\n  old {a['facts'].get(count)}\n  new {b['facts'].get(count)}")
    print(f"{compared} cells compared, {differing} differ")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", action="append", default=[])
    parser.add_argument("--mode", action="append", choices=MODES)
    parser.add_argument("--probe", help="another build's kernel/probe package directory (or kernel/probe.py)")
    parser.add_argument("--out")
    parser.add_argument("--kernel-python", help="default: the notebook kernel's venv (bench/notebook_kernel.py), in "
                                                "which bench_runtime_capture.py runs its kernels")
    parser.add_argument("--diff", nargs=2, metavar=("OLD", "NEW"))
    parser.add_argument("--fingerprints-by-equality", action="store_true",
                        help="with --diff: compare which facts have equal fingerprints, not the fingerprints (probes "
                             "of different fingerprint algorithms)")
    args = parser.parse_args()
    if args.diff:
        return diff(*map(Path, args.diff), by_equality=args.fingerprints_by_equality)
    if not args.out or not args.notebook:
        parser.error("--out and --notebook are needed (or --diff)")
    config = "trackit"
    if args.probe:
        try:
            bench.BASELINE_PROBE = probe_expressions.probe_modules(args.probe)
        except (OSError, ValueError, SyntaxError) as error:
            parser.error(f"--probe {args.probe}: not a probe package or probe.py ({error})")
        config = "base"
    kernel_python = args.kernel_python or str(notebook_kernel.ensure_venv(notebook_kernel.DEFAULT_VENV))
    print(f"kernel: {notebook_kernel.describe(kernel_python)}")
    ksm = bench.kernel_specs(kernel_python, None, Path(tempfile.mkdtemp(prefix="trackit-dump-facts-")))
    dump: dict = {}
    for path in map(Path, args.notebook):
        for mode in args.mode or MODES:
            run = run_notebook(path, mode, config, ksm)
            dump.setdefault(path.name, {})[mode] = run
            print(f"{path.name} [{mode}]: {len(run['facts'])} cells, {sum(map(len, run['facts'].values()))} facts, "
                  f"statuses {sorted(set(run['statuses']))}, probe {run['stats']}", flush=True)
            Path(args.out).write_text(json.dumps(dump, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
