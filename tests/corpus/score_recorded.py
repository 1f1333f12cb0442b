"""Score the blind corpus as users get it: each notebook run in a fresh real kernel by `trackit run`, its recorded steps
scored against the labels, side by side with the static score of the same notebooks.

    # run (a few notebooks per heavy lock); JUPYTER_PATH: a folder whose kernels/NAME/kernel.json starts the kernel venv
    env PYTHONHASHSEED=0 JUPYTER_PATH=J PYTHONPATH=sidecar .venv/bin/python tests/corpus/score_recorded.py \
        --kernel NAME --record-dir REC [--extra-runs /work/corpus/blind/run-extra] [--only ID ...] [--rerun]
    # report what was recorded (in several kernels: --also)
    ... --report-only --record-dir REC [--also REC2 ...] [--split tuning|heldout] [--per-notebook] [--per-op]
        [--moved-cells] [--markdown] [--json F]

Every `runnable` manifest entry (restored with its data under /work/corpus/blind/run/<id>/, tests/corpus/blind/README.md
"Restoring it") is copied to a scratch folder (a notebook may write files) and run there by `trackit run --db <temporary
DuckDB> --kernel NAME` in a subprocess: the command users run, probe, service and all. Its recorded lineage is read back
from that database. A code cell's predicted ops are then:

- the steps of its recorded execution when that execution ended ok (runtime facts may have decided them: `decided_by`);
- the static ops (`trackit analyze` of the same file) when the cell failed or never ran (the notebook stopped before
  it): such a cell has no runtime fact, and its labels describe the cell as its author ran it, so the static answer is
  the one a recorded run could have changed nothing of. How many such cells each notebook has is printed.

The static score of the same notebooks comes from `score.predicted_ops` of the same file, and both are scored by
`score.score_notebook` with the same (cell, op) rules. Runtime moves are counted per (cell, op) where the recorded ops
of a cell that ran differ from its static ops: a hit gained or a spurious op dropped is wrong -> right, a hit lost or a
spurious op added is right -> wrong. `--record-dir` keeps each notebook's recording (`<id>.json`) so that the runs can
be made a few notebooks at a time under the heavy lock and reported together; a kept recording is reused unless
`--rerun`. A notebook written for older libraries may stop early in today's; `--also DIR` adds the recordings of a run
in another kernel (an older one), and each notebook is then scored from the run that got furthest. The README tables
(`--markdown`) give held-out notebooks as numbers and error names only; the cells runtime moved right -> wrong are
listed for tuning notebooks only (`--moved-cells`). Kernels used: tests/corpus/blind/kernels/.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "sidecar"))
import score  # noqa: E402  (tests/corpus/score.py: the (cell, op) scoring, pooled figures and report)

DEFAULT_RUNS = Path(os.environ.get("TRACKIT_BLIND_RUNS") or "/work/corpus/blind/run")


@dataclass
class Recording:
    """What one `trackit run` of a notebook recorded: per code cell that ran, its status and recorded ops."""
    ran: str  # "to the end" | "stopped at cell N: Error: message" | "did not start: ..."
    kernel: str  # the kernelspec it ran in
    seconds: float
    code_cells: int
    cells: dict[int, dict] = field(default_factory=dict)  # cell_index -> {"status", "ops", "runtime_ops"}

    def to_json(self) -> dict:
        return {"ran": self.ran, "kernel": self.kernel, "seconds": self.seconds, "code_cells": self.code_cells,
                "cells": {str(k): v for k, v in sorted(self.cells.items())}}

    @classmethod
    def from_json(cls, data: dict) -> "Recording":
        return cls(data["ran"], data["kernel"], data["seconds"], data["code_cells"],
                   {int(k): v for k, v in data["cells"].items()})

    @property
    def ran_ok(self) -> int:
        return sum(run["status"] == "ok" for run in self.cells.values())


def trackit_run(notebook: Path, db: Path, kernel: str, timeout: float) -> subprocess.CompletedProcess:
    """`trackit run NOTEBOOK --db DB --kernel KERNEL`, as a user runs it (its own process)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "sidecar"),
                                                                    os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "trackit_sidecar", "run", str(notebook), "--db", str(db),
                           "--kernel", kernel, "--timeout", str(timeout)],
                          capture_output=True, text=True, env=env, cwd=notebook.parent)


def record(root: Path, notebook: str, kernel: str, timeout: float = 600) -> Recording:
    """Run `root/notebook` (root copied to a scratch folder first) with `trackit run` and read back what it recorded."""
    from trackit_sidecar.kernel.runner import load_notebook
    from trackit_sidecar.services import TrackitService
    from trackit_sidecar.store import Store

    with tempfile.TemporaryDirectory(prefix="score-recorded-") as scratch:
        copy = Path(scratch) / "root"
        shutil.copytree(root, copy)
        path = Path(os.path.realpath(copy / notebook))
        db = Path(scratch) / "lineage.duckdb"
        started = time.monotonic()
        done = trackit_run(path, db, kernel, timeout)
        seconds = round(time.monotonic() - started, 1)
        code_cells = sum(1 for c in load_notebook(path)["cells"] if c.get("cell_type") == "code")
        if not db.exists():
            why = (done.stderr.strip() or done.stdout.strip() or f"exit {done.returncode}").splitlines()[-1]
            return Recording(f"did not start: {why[:160]}", kernel, seconds, code_cells)
        service = TrackitService(Store.open(str(db)))
        try:
            executions = service.lineage(str(path)).executions
        finally:
            service.store.close()
    cells: dict[int, dict] = {}
    for e in executions:  # top to bottom, each cell once
        cells[e.cell_index] = {"status": e.status, "ops": [s.op for s in e.steps],
                               "runtime_ops": [s.op for s in e.steps if s.decided_by == "runtime"],
                               "facts": len(e.runtime)}  # objects the probe measured (0 everywhere: no probe)
    failed = next((e for e in executions if e.status != "ok"), None)
    if failed is not None:
        message = " ".join(str(failed.error.message if failed.error else "").split())[:120]
        name = failed.error.name if failed.error else failed.status
        ran = f"stopped at cell {failed.cell_index}: {name}: {message}"
    elif done.returncode != 0:
        ran = f"stopped: {(done.stdout.strip().splitlines() or ['?'])[-1][:160]}"
    else:
        ran = "to the end"
    return Recording(ran, kernel, seconds, code_cells, cells)


@dataclass
class Moves:
    """(cell, op) units where a cell's recorded ops differ from its static ops, by what that did to the score."""
    hits_gained: int = 0
    spurious_dropped: int = 0
    hits_lost: int = 0
    spurious_added: int = 0
    cells_changed: int = 0
    cells_changed_by_runtime: int = 0  # of those, cells with a step decided_by runtime
    broken_cells: list[int] = field(default_factory=list)  # cells with a move right -> wrong

    @property
    def to_right(self) -> int:
        return self.hits_gained + self.spurious_dropped

    @property
    def to_wrong(self) -> int:
        return self.hits_lost + self.spurious_added

    def add(self, other: "Moves") -> None:
        for name in ("hits_gained", "spurious_dropped", "hits_lost", "spurious_added", "cells_changed",
                     "cells_changed_by_runtime"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def moves(labels: dict, static: dict[int, list[str]], recording: Recording) -> Moves:
    expected = {int(k): Counter(s["op"] for s in v) for k, v in labels["cells"].items()}
    found = Moves()
    for cell, run in recording.cells.items():
        if run["status"] != "ok" or Counter(run["ops"]) == Counter(static.get(cell, [])):
            continue
        found.cells_changed += 1
        found.cells_changed_by_runtime += bool(run["runtime_ops"])
        want, before, after = expected.get(cell, Counter()), Counter(static.get(cell, [])), Counter(run["ops"])
        broke = False
        for op in set(before) | set(after):
            hit_before, hit_after = min(want[op], before[op]), min(want[op], after[op])
            spurious_before, spurious_after = before[op] - hit_before, after[op] - hit_after
            found.hits_gained += max(0, hit_after - hit_before)
            found.hits_lost += max(0, hit_before - hit_after)
            found.spurious_dropped += max(0, spurious_before - spurious_after)
            found.spurious_added += max(0, spurious_after - spurious_before)
            broke = broke or hit_after < hit_before or spurious_after > spurious_before
        if broke:
            found.broken_cells.append(cell)
    return found


def recorded_ops(static: dict[int, list[str]], recording: Recording) -> tuple[dict[int, list[str]], int]:
    """(predicted ops by cell, how many cells with static ops were scored statically): a cell's recorded ops when
    its run ended ok, else (failed, never ran) its static ops."""
    predicted, scored_statically = {}, 0
    for cell in sorted(set(static) | set(recording.cells)):
        run = recording.cells.get(cell)
        if run is not None and run["status"] == "ok":
            predicted[cell] = run["ops"]
        else:
            predicted[cell] = static.get(cell, [])
            scored_statically += 1
    return predicted, scored_statically


@dataclass
class Compared:
    entry: dict
    recording: Recording
    static: score.NotebookScore
    recorded: score.NotebookScore
    moves: Moves
    cells_ran_ok: int
    cells_scored_statically: int
    runtime_steps: int
    cells_with_facts: int
    saved_output_steps: int  # static steps a value the file saved decided (decided_by runtime, source saved_output)


def saved_output_steps(notebook: Path) -> int:
    """How many of `trackit analyze`'s steps a saved output decided: the static score is not blind to the kernel
    where the file kept what the author's kernel showed (lineage/saved_results.py)."""
    from trackit_sidecar.lineage.static_notebook import analyze_notebook

    return sum(s.decided_by == "runtime" for e in analyze_notebook(notebook).executions for s in e.steps)


def compare(entry: dict, labels: dict, notebook: Path, recording: Recording) -> Compared:
    static, guessed = score.predicted_ops(notebook)
    predicted, scored_statically = recorded_ops(static, recording)
    return Compared(entry, recording, score.score_notebook(entry, labels, static, guessed),
                    score.score_notebook(entry, labels, predicted), moves(labels, static, recording),
                    sum(r["status"] == "ok" for r in recording.cells.values()), scored_statically,
                    sum(len(r["runtime_ops"]) for r in recording.cells.values() if r["status"] == "ok"),
                    sum(r["facts"] > 0 for r in recording.cells.values()), saved_output_steps(notebook))


def side_by_side(title: str, rows: list[Compared]) -> list[str]:
    static, _, _ = score.pooled([r.static for r in rows])
    recorded, _, _ = score.pooled([r.recorded for r in rows])
    total = Moves()
    for r in rows:
        total.add(r.moves)
    kernels = Counter(r.recording.kernel for r in rows)
    return [f"== {title}: {len(rows)} notebooks ({sum(r.recording.ran == 'to the end' for r in rows)} ran to the end; "
            f"kernels: {', '.join(f'{k} {n}' for k, n in sorted(kernels.items()))}), "
            f"{static.tp + static.fn} labelled steps",
            f"   static    precision {score.pct(static.precision)}%   recall {score.pct(static.recall)}%"
            f"   ({static.tp + static.fp} predicted)",
            f"   recorded  precision {score.pct(recorded.precision)}%   recall {score.pct(recorded.recall)}%"
            f"   ({recorded.tp + recorded.fp} predicted)",
            f"   cells that ran ok {sum(r.cells_ran_ok for r in rows)}, scored statically (failed or never ran) "
            f"{sum(r.cells_scored_statically for r in rows)}; cells with runtime facts "
            f"{sum(r.cells_with_facts for r in rows)}; steps decided_by runtime "
            f"{sum(r.runtime_steps for r in rows)} (static: {sum(r.saved_output_steps for r in rows)} decided by "
            "a saved output)",
            f"   cells whose ops the run changed {total.cells_changed} ({total.cells_changed_by_runtime} with a step "
            f"decided_by runtime); (cell, op) wrong -> right {total.to_right} (hits gained {total.hits_gained}, "
            f"spurious dropped {total.spurious_dropped}), right -> wrong {total.to_wrong} (hits lost "
            f"{total.hits_lost}, spurious added {total.spurious_added})"]


def per_notebook(rows: list[Compared]) -> list[str]:
    lines = ["== per notebook: split, labelled, static P/R %, recorded P/R %, wrong->right, right->wrong, "
             "runtime steps, code cells ran ok / code cells, how far it ran"]
    for r in sorted(rows, key=lambda r: (r.entry["split"], r.entry["id"])):
        s, d = r.static.total, r.recorded.total
        lines.append(f"   {r.entry['id']:<46} {r.entry['split']:<8} {s.tp + s.fn:>4}  {score.pct(s.precision)} "
                     f"{score.pct(s.recall)}  {score.pct(d.precision)} {score.pct(d.recall)}  "
                     f"{r.moves.to_right:>3} {r.moves.to_wrong:>3} {r.runtime_steps:>3}  "
                     f"{r.cells_ran_ok:>3}/{r.recording.code_cells:<3} {r.recording.kernel}: {r.recording.ran[:90]}")
    return lines


def how_far(recording: Recording) -> str:
    """How far a run got, without the error's message (held-out lines carry numbers and names only)."""
    if recording.ran == "to the end" or not recording.ran.startswith("stopped at cell "):
        return recording.ran.split(":")[0]
    cell, error = recording.ran.removeprefix("stopped at cell ").split(": ")[:2]
    return f"stopped at cell {cell} ({error})"


def markdown(rows: list[Compared]) -> list[str]:
    """The README tables: per part, static and recorded side by side; then one line per notebook."""
    lines = ["| part | notebooks | ran to the end | labelled | static P / R | recorded P / R | code cells ran ok / "
             "scored statically | steps decided_by runtime (static: by a saved output) | cells changed | "
             "(cell, op) wrong → right | right → wrong |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for title, split in (("tuning", "tuning"), ("held-out", "heldout"), ("all", None)):
        chosen = [r for r in rows if split is None or r.entry["split"] == split]
        static, _, _ = score.pooled([r.static for r in chosen])
        recorded, _, _ = score.pooled([r.recorded for r in chosen])
        total = Moves()
        for r in chosen:
            total.add(r.moves)
        lines.append(
            f"| {title} | {len(chosen)} | {sum(r.recording.ran == 'to the end' for r in chosen)} | "
            f"{static.tp + static.fn} | {score.pct(static.precision).strip()} / {score.pct(static.recall).strip()} | "
            f"{score.pct(recorded.precision).strip()} / {score.pct(recorded.recall).strip()} | "
            f"{sum(r.cells_ran_ok for r in chosen)} / {sum(r.cells_scored_statically for r in chosen)} | "
            f"{sum(r.runtime_steps for r in chosen)} ({sum(r.saved_output_steps for r in chosen)}) | "
            f"{total.cells_changed} | {total.to_right} | {total.to_wrong} |")
    lines += ["", "| notebook | split | kernel | how far it ran | code cells ran ok | labelled | static P / R | "
              "recorded P / R | wrong → right | right → wrong |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in sorted(rows, key=lambda r: (r.entry["split"] != "tuning", r.entry["id"])):
        s, d = r.static.total, r.recorded.total
        lines.append(f"| `{r.entry['id']}` | {r.entry['split']} | {r.recording.kernel} | {how_far(r.recording)} | "
                     f"{r.cells_ran_ok} / {r.recording.code_cells} | {s.tp + s.fn} | "
                     f"{score.pct(s.precision).strip()} / {score.pct(s.recall).strip()} | "
                     f"{score.pct(d.precision).strip()} / {score.pct(d.recall).strip()} | "
                     f"{r.moves.to_right} | {r.moves.to_wrong} |")
    return lines


def runnable_corpus(runs: Path, split: str, only: list[str], extra_runs: Optional[Path] = None
                    ) -> list[tuple[dict, dict, Path, str]]:
    """(entry, labels, run root, notebook path under it) of the labelled entries chosen: the runnable ones (under
    `runs`), and those restored by hand under `extra_runs/<id>/` (README "Scored as users get it": entries not marked
    runnable, or a runnable one with files its restore does not bring; the hand-restored copy is the one run)."""
    chosen = []
    for entry, labels, _ in score.load_corpus(score.DEFAULT_NOTEBOOKS, split=split):
        if only and entry["id"] not in only:
            continue
        if extra_runs is not None and (extra_runs / entry["id"]).is_dir():
            chosen.append((entry, labels, extra_runs / entry["id"], entry["path"]))
        elif entry.get("runnable"):
            chosen.append((entry, labels, runs / entry["id"], entry["path"]))
    return chosen


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernel", help="kernelspec name every notebook runs in (trackit run --kernel)")
    parser.add_argument("--runs", type=Path, default=DEFAULT_RUNS, help="folder of restored <id>/ run copies")
    parser.add_argument("--extra-runs", type=Path,
                        help="folder of <id>/ run copies of entries not marked runnable, restored by hand")
    parser.add_argument("--record-dir", type=Path, required=True, help="keeps <id>.json recordings; reused")
    parser.add_argument("--rerun", action="store_true", help="run again even when a recording is kept")
    parser.add_argument("--also", type=Path, nargs="*", default=[],
                        help="record dirs of runs in other kernels: a notebook is scored from the recording that ran "
                             "the most code cells ok (--record-dir's on a tie)")
    parser.add_argument("--only", nargs="*", default=[], help="manifest ids")
    parser.add_argument("--split", choices=("all", "tuning", "heldout"), default="all")
    parser.add_argument("--timeout", type=float, default=300, help="per-cell timeout, seconds")
    parser.add_argument("--report-only", action="store_true", help="score kept recordings only; run nothing")
    parser.add_argument("--per-notebook", action="store_true")
    parser.add_argument("--per-op", action="store_true",
                        help="score.py's per-op report of the recorded scores, per part")
    parser.add_argument("--moved-cells", action="store_true",
                        help="list the cells runtime moved right -> wrong (tuning notebooks only)")
    parser.add_argument("--markdown", action="store_true", help="the README tables instead of the text report")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if args.kernel is None and not args.report_only:
        parser.error("--kernel is needed to run notebooks (or --report-only)")
    args.record_dir.mkdir(parents=True, exist_ok=True)
    rows: list[Compared] = []
    for entry, labels, root, notebook in runnable_corpus(args.runs, args.split, args.only, args.extra_runs):
        kept = args.record_dir / f"{entry['id']}.json"
        if kept.exists() and not args.rerun:
            recording = Recording.from_json(json.loads(kept.read_text()))
        elif args.report_only:
            continue
        else:
            if not (root / notebook).exists():
                print(f"{entry['id']}: run copy not found at {root / notebook}; restore it (README)", file=sys.stderr)
                continue
            recording = record(root, notebook, args.kernel, args.timeout)
            kept.write_text(json.dumps(recording.to_json(), indent=1) + "\n")
            print(f"{entry['id']}: ran {recording.ran} ({recording.seconds} s)", file=sys.stderr, flush=True)
        others = [Recording.from_json(json.loads(p.read_text())) for d in args.also
                  if (p := d / f"{entry['id']}.json").exists()]
        recording = max([recording, *others], key=lambda r: r.ran_ok)  # max keeps the first on a tie
        rows.append(compare(entry, labels, root / notebook, recording))
    if not rows:
        print("score_recorded: no recorded notebook to score", file=sys.stderr)
        return 2
    out = markdown(rows) if args.markdown else []
    for title, split in (() if args.markdown else (("tuning", "tuning"), ("held-out", "heldout"), ("all", None))):
        chosen = [r for r in rows if split is None or r.entry["split"] == split]
        if chosen:
            out += side_by_side(title, chosen)
    if args.per_op:
        recorded = [r.recorded for r in rows]
        for title, _, chosen in score.parts(recorded, sorted({s.batch for s in recorded})):
            if chosen:
                out += score.report(f"recorded, {title}", chosen, show_confusions=0)
    if args.per_notebook:
        out += per_notebook(rows)
    if args.moved_cells:
        out.append("== tuning cells runtime moved right -> wrong (held-out ones are not listed)")
        out += [f"   {r.entry['id']} cell {c}" for r in rows if r.entry["split"] == "tuning"
                for c in r.moves.broken_cells]
    print("\n".join(out))
    if args.json:
        args.json.write_text(json.dumps({r.entry["id"]: {
            "split": r.entry["split"], "ran": r.recording.ran, "kernel": r.recording.kernel,
            "code_cells": r.recording.code_cells,
            "cells_ran_ok": r.cells_ran_ok, "cells_scored_statically": r.cells_scored_statically,
            "runtime_steps": r.runtime_steps, "cells_with_facts": r.cells_with_facts,
            "saved_output_steps": r.saved_output_steps, "to_right": r.moves.to_right, "to_wrong": r.moves.to_wrong,
            "static": {"precision": r.static.total.precision, "recall": r.static.total.recall,
                       "tp": r.static.total.tp, "fp": r.static.total.fp, "fn": r.static.total.fn},
            "recorded": {"precision": r.recorded.total.precision, "recall": r.recorded.total.recall,
                         "tp": r.recorded.total.tp, "fp": r.recorded.total.fp, "fn": r.recorded.total.fn},
        } for r in rows}, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
