"""Where did runtime facts change the answer? (a script, not a test)

    .venv/bin/python bench/show_runtime_decisions.py NOTEBOOK [--rerun CELL,CELL] [NOTEBOOK ...]
    .venv/bin/python bench/show_runtime_decisions.py --cases CASES.json [--only ID,ID] [--markdown]

Runs each notebook in a fresh real kernel exactly as `trackit run` does (probe attached, every execution
recorded into a temporary DuckDB file) and compares, per execution, the ops static analysis gives for that
cell (`trackit analyze`) with the recorded lineage's ops and their `decided_by`.

`--rerun 4,9` runs cells 4 and 9 (index from 0, as the labels count) a second time right after their first
run, as a user re-running a cell does; everything else runs once, top to bottom. The first form prints every
cell (those whose ops differ marked `*`); `--cases` reads a list of real notebooks, each with

    {"id", "root" (a folder copied to a scratch folder and run there: the notebook may write files),
     "notebook" (path under root), "repo", "commit", "path" (the notebook's path in the repository),
     "kernel" (a kernelspec name, optional), "reruns": [cell, ...], "copies": [[from, to], ...] (files the notebook expects under another name),
     "judged": {"<cell>": {"first"|"rerun": {"op": "...", "why": "..."}}}}

and prints one row per execution whose ops the runtime changed: the code, static op -> runtime op, the
measured facts, and whether the runtime op is the one `judged` says the definition gives (what-is-a-step.md;
"not judged" where the case has no judgment). `--markdown` prints the rows as the table in
tests/corpus/blind/README.md ("Runtime facts that changed the answer"). Nothing is written to the repository.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "sidecar"))

from trackit_sidecar.kernel.runner import load_notebook, run_notebook  # noqa: E402
from trackit_sidecar.lineage.static_notebook import analyze_notebook  # noqa: E402
from trackit_sidecar.protocol import ExecutionRecord, Step  # noqa: E402
from trackit_sidecar.services import TrackitService  # noqa: E402
from trackit_sidecar.store import Store  # noqa: E402


def run_order(notebook: Path, reruns: list[int]) -> list[int]:
    """Every cell top to bottom; a cell in `reruns` twice in a row."""
    order: list[int] = []
    for index in range(len(load_notebook(notebook)["cells"])):
        order += [index, index] if index in reruns else [index]
    return order


def record(notebook: Path, reruns: list[int], kernel: str | None = None):
    """(static ops by cell index, recorded executions, run result) of one run in a real kernel (`kernel`: a
    kernelspec name; default the notebook's own, as `trackit run` picks it)."""
    static = {e.cell_index: [s.op for s in e.steps] for e in analyze_notebook(notebook).executions}
    with tempfile.TemporaryDirectory() as tmp:
        service = TrackitService(Store.open(str(Path(tmp) / "lineage.duckdb")))
        try:
            def on_execution(event, runtime):  # runtime: kernel.notebook_kernels.RuntimeResult
                service.ingest([event])
                service.add_runtime_facts(event.event_id, runtime.facts)
                if runtime.status:
                    service.set_runtime_status({event.event_id: (runtime.status, runtime.evidence)})

            result = run_notebook(str(notebook), kernel_name=kernel, on_execution=on_execution,
                                  cells=run_order(notebook, reruns))
            executions = service.lineage(str(notebook)).executions
        finally:
            service.store.close()
    return static, executions, result


def ran(result) -> str:
    return "ran to the end" if result.ok else f"stopped at cell {result.failed_cell_index}: " \
        f"{result.error_name}: {str(result.error_message)[:100]}"


def measured(step: Step, execution: ExecutionRecord, by_seq: dict[int, ExecutionRecord] = {}) -> str:
    """What the kernel measured that decided the step: rows before -> after (and of what; for a re-run, what
    the earlier run it started from did), or what was shown."""
    # the variable's facts go to its last writer in the cell (graph.attach_runtime)
    facts = step.runtime or next((s.runtime for s in reversed(execution.steps) if s.output == step.output
                                  and s.runtime is not None), None)
    if step.static_op is not None and facts is not None:
        of = f" of `{facts.before_variable}`" if facts.before_variable else ""
        again = ""
        if step.rerun_of is not None:
            earlier = next((s.runtime for s in by_seq[step.rerun_of].steps if s.output == step.output
                            and s.runtime is not None), None) if step.rerun_of in by_seq else None
            done = f": {earlier.rows_before} -> {earlier.rows_after} rows" if earlier is not None else ""
            again = f"; started from the result of #{step.rerun_of}{done}"
        return f"`{facts.variable}`: {facts.rows_before} -> {facts.rows_after} rows{of}{again}"
    shown = next((f for f in execution.runtime if f.displayed), None)
    if shown is None:
        return "nothing shown" if step.displays_result else ""
    size = f" {shown.rows_after}x{shown.cols_after}" if shown.cols_after is not None else \
        f" of {shown.rows_after}" if shown.rows_after is not None else ""
    return f"showed {shown.kind}{size}"


def show(notebook: Path, reruns: list[int]) -> int:
    static, executions, result = record(notebook, reruns)
    print(f"{notebook.name}: {ran(result)}")
    changed = 0
    for e in executions:
        recorded = [f"{s.op}({s.decided_by})" for s in e.steps]
        differs = static.get(e.cell_index, []) != [s.op for s in e.steps]
        changed += differs
        last_line = e.source.strip().splitlines()[-1] if e.source.strip() else ""
        facts = "; ".join(filter(None, (measured(s, e) for s in e.steps)))
        print(f"{'*' if differs else ' '} #{e.seq:<3} cell {e.cell_index:<3} {last_line[:70]:<70}")
        print(f"      static {static.get(e.cell_index, [])}  ->  with kernel {recorded}  {facts}")
    print(f"{changed} execution(s) where runtime facts changed the answer")
    return 0 if result.ok else 1


def changed_rows(case: dict, static: dict, executions: list[ExecutionRecord]) -> list[dict]:
    rows, seen = [], set()
    by_seq = {e.seq: e for e in executions}
    for e in executions:
        ops = [s.op for s in e.steps]
        before = static.get(e.cell_index, [])
        run = "rerun" if e.cell_index in seen else "first"
        seen.add(e.cell_index)
        if before == ops:
            continue
        judged = case.get("judged", {}).get(str(e.cell_index), {}).get(run)
        decided = [s for s in e.steps if s.static_op is not None]  # the ones the runtime gave another op
        got = [s.op for s in decided] or ["(no step)"]  # or it dropped the shown statement's steps
        verdict = "not judged" if judged is None else \
            ("right" if judged["op"] in got else "WRONG") + f": {judged['why']}"
        decided = decided or e.steps
        rows.append({"id": case["id"], "repo": f"{case['repo']}@{case['commit'][:7]}", "cell": e.cell_index,
                     "run": "first run" if run == "first" else f"re-run (#{e.seq})",
                     "code": " ".join((decided[0].code if decided else e.source).split())[:110],
                     "static": ", ".join(before) or "(no step)",
                     "runtime": ", ".join(f"{s.op} ({s.decided_by})" for s in e.steps) or "(no step)",
                     "measured": "; ".join(filter(None, (measured(s, e, by_seq) for s in e.steps))),
                     "verdict": verdict})
    return rows


def run_cases(cases: list[dict], markdown: bool) -> int:
    rows = []
    for case in cases:
        with tempfile.TemporaryDirectory(prefix=f"rt-{case['id']}-") as scratch:
            root = Path(scratch) / "root"
            shutil.copytree(case["root"], root)
            for source, target in case.get("copies", []):  # set-up the notebook expects (documented per case)
                shutil.copy(root / source, root / target)
            static, executions, result = record(root / case["notebook"], case.get("reruns", []), case.get("kernel"))
        found = changed_rows(case, static, executions)
        print(f"{case['id']} ({case['repo']}@{case['commit'][:7]}, kernel {result.kernel_name}): {ran(result)}; re-ran cells "
              f"{case.get('reruns', [])}; {len(found)} execution(s) changed", file=sys.stderr)
        rows += found
    if markdown:
        print("| notebook | repository@commit | cell | run | code | static op → with the kernel | measured | "
              "right by the definition? |")
        print("|---|---|---|---|---|---|---|---|")
        for r in rows:
            cells = [f"`{r['id']}`", r["repo"], str(r["cell"]), r["run"], f"`{r['code']}`",
                     f"{r['static']} → {r['runtime']}", r["measured"], r["verdict"]]
            print("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    else:
        for r in rows:
            print(json.dumps(r))
    right = sum(r["verdict"].startswith("right") for r in rows)
    print(f"{len(rows)} execution(s) changed by runtime facts; {right} right by the definition", file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--rerun", default="", help="cells to run twice, e.g. 4,9 (first form, every notebook)")
    parser.add_argument("--cases", type=Path)
    parser.add_argument("--only", default="", help="case ids to run, e.g. a,b")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    if args.cases is not None:
        cases = json.loads(args.cases.read_text())
        only = set(filter(None, args.only.split(",")))
        return run_cases([c for c in cases if not only or c["id"] in only], args.markdown)
    if not args.notebooks:
        parser.print_help()
        return 2
    reruns = [int(c) for c in args.rerun.split(",") if c]
    return max(show(notebook.resolve(), reruns) for notebook in args.notebooks)


if __name__ == "__main__":
    raise SystemExit(main())
