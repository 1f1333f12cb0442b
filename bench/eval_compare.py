"""Top-1 accuracy of `trackit diff` on injected changes (a script, not a test).

    .venv/bin/python bench/eval_compare.py [--eval-python PATH] [--repo-only] [--ids a,b] [--out FILE]

Runs every case of tests/compare/injections.json (expected first divergent step and cause written down before
any run) with real kernels: the bundled example and this repository's compare notebooks always; the public
notebooks' runnable copies under /work/corpus/blind/run (never committed) when --eval-python names an
interpreter that has their plotting libraries (matplotlib, seaborn) and ipykernel. Prints each case (right or
wrong, with what was predicted), the top-1 accuracy overall and per group, and how often the cause named the
expected feature-tree path. Goal: top-1 >= 0.9.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("injection_harness", REPO / "tests" / "compare" / "injection_harness.py")
harness = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["injection_harness"] = harness  # its dataclasses look their module up
_spec.loader.exec_module(harness)  # type: ignore[union-attr]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-python", help="interpreter for the public notebooks' kernel (plotting libraries)")
    parser.add_argument("--repo-only", action="store_true", help="only the notebooks in this repository")
    parser.add_argument("--ids", help="comma-separated case ids")
    parser.add_argument("--batch", type=int, help="only the cases of this batch (1: the first, labelled before "
                                                  "anything ran; 2: labelled after the first run's fix)")
    parser.add_argument("--out", help="write every outcome as JSON here")
    args = parser.parse_args()
    cases = harness.load_cases(args.ids.split(",") if args.ids else None)
    if args.batch:
        cases = [c for c in cases if c.get("batch", 1) == args.batch]
    public = [c for c in cases if c["notebook"].startswith("corpus:")]
    if args.repo_only or not args.eval_python:
        if public and not args.repo_only:
            print(f"note: {len(public)} public-notebook cases left out (give --eval-python)")
        cases = [c for c in cases if not c["notebook"].startswith("corpus:")]
    started = time.monotonic()
    outcomes = harness.run_cases(cases, args.eval_python, log=lambda line: print(line, flush=True))
    print()
    for o in outcomes:
        mark = "ok  " if o.correct else "MISS"
        expected = dict(o.case["expected"])
        if "divergence" in expected:
            expected = {"cell": "-", "variable": "(no divergence: the change cannot alter the data)", "cause": "-"}
        got = o.error or (f"cell {o.predicted.get('cell')} {o.predicted.get('variable')} ({o.predicted.get('op')}, "
                          f"{o.predicted.get('kind')}) cause {o.predicted.get('cause')}"
                          f"{' in cell ' + str(o.predicted.get('cause_cell')) if o.predicted.get('cause_cell') is not None else ''}"
                          if o.predicted.get("divergence", True) is not None else "no divergence found")
        print(f"{mark} {o.case['id']:<30} expected cell {expected['cell']} {expected['variable']} cause "
              f"{expected['cause']}{' in cell ' + str(expected['cause_cell']) if 'cause_cell' in expected else ''}"
              f" | got {got}")
    print()
    groups = {"repository notebooks": [o for o in outcomes if not o.case["notebook"].startswith("corpus:")],
              "public notebooks": [o for o in outcomes if o.case["notebook"].startswith("corpus:")]}
    for name, group in groups.items():
        if group:
            print(f"{name}: top-1 {sum(o.correct for o in group)}/{len(group)} = "
                  f"{sum(o.correct for o in group) / len(group):.3f}")
    batches = sorted({o.case.get("batch", 1) for o in outcomes})
    if len(batches) > 1:
        for batch in batches:
            group = [o for o in outcomes if o.case.get("batch", 1) == batch]
            print(f"batch {batch}: top-1 {sum(o.correct for o in group)}/{len(group)}")
    right = sum(o.correct for o in outcomes)
    print(f"top-1 accuracy: {right}/{len(outcomes)} = {right / max(1, len(outcomes)):.3f} (goal >= 0.9)")
    named = [o.feature_named for o in outcomes if o.feature_named is not None]
    if named:
        print(f"cause named the expected feature path: {sum(named)}/{len(named)}")
    print(f"time: {time.monotonic() - started:.0f} s")
    if args.out:
        Path(args.out).write_text(json.dumps([{"id": o.case["id"], "correct": o.correct, "predicted": o.predicted,
                                                "error": o.error, "diff": o.diff_text} for o in outcomes], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
