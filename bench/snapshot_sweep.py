"""Sweep the allowed git snapshots: which cells' ops a change of the classifier moves, on notebooks nobody labelled.

Three steps, so the "before" runs on another checkout's sidecar (its own PYTHONPATH) in the same way:

    .venv/bin/python bench/snapshot_sweep.py extract /tmp/sweep/notebooks        # the .ipynb of /work/.mirror, blind
                                                                                  # repositories excluded
    PYTHONPATH=<checkout>/sidecar .venv/bin/python bench/snapshot_sweep.py ops /tmp/sweep/notebooks before.json
    .venv/bin/python bench/snapshot_sweep.py diff before.json after.json [--notebooks /tmp/sweep/notebooks]

`ops` runs `analyze_notebook` (what `trackit analyze` and tests/corpus/score.py read) on each notebook and keeps each
cell's ops; `diff` lists the cells whose ops differ, with the cell's first lines when the notebooks are given.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def extract(out: Path) -> None:
    from unknown_calls import blind_repositories, notebooks_of, snapshot_dirs

    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for repo, git_dir in snapshot_dirs(blind_repositories()):
        for path, notebook in notebooks_of(git_dir):
            name = f"{repo}:{path}".replace("/", "__")
            (out / name).write_text(json.dumps(notebook))
            written += 1
    print(f"{written} notebooks written to {out}")


def ops(notebooks: Path, out: Path) -> None:
    from trackit_sidecar.lineage.static_notebook import analyze_notebook

    found: dict[str, dict[str, list[str]]] = {}
    failed = 0
    for path in sorted(notebooks.iterdir()):
        try:
            doc = analyze_notebook(path)
        except Exception as error:  # noqa: BLE001 (a notebook the analysis refuses is counted, not fatal)
            failed += 1
            print(f"{path.name}: {type(error).__name__}: {error}", file=sys.stderr)
            continue
        cells: dict[str, list[str]] = {}
        for execution in doc.executions:
            cells.setdefault(str(execution.cell_index), []).extend(step.op for step in execution.steps)
        found[path.name] = cells
    out.write_text(json.dumps(found))
    print(f"{len(found)} notebooks analysed, {failed} refused")


def diff(before_path: Path, after_path: Path, notebooks: Path | None) -> None:
    before, after = json.loads(before_path.read_text()), json.loads(after_path.read_text())
    changed = Counter()
    for name in sorted(set(before) & set(after)):
        for cell in sorted(set(before[name]) | set(after[name]), key=int):
            old, new = sorted(before[name].get(cell, [])), sorted(after[name].get(cell, []))
            if old == new:
                continue
            changed[name] += 1
            print(f"{name} cell {cell}: {old} -> {new}")
            if notebooks is not None:
                source = json.loads((notebooks / name).read_text())["cells"][int(cell)]["source"]
                text = "".join(source) if isinstance(source, list) else source
                print("    " + "\n    ".join(text.splitlines()[:12]))
    print(f"{sum(changed.values())} cells of {len(changed)} notebooks changed, of {len(set(before) & set(after))} "
          f"notebooks analysed both times")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract").add_argument("out", type=Path)
    ops_parser = sub.add_parser("ops")
    ops_parser.add_argument("notebooks", type=Path)
    ops_parser.add_argument("out", type=Path)
    diff_parser = sub.add_parser("diff")
    diff_parser.add_argument("before", type=Path)
    diff_parser.add_argument("after", type=Path)
    diff_parser.add_argument("--notebooks", type=Path)
    options = parser.parse_args()
    if options.command == "extract":
        extract(options.out)
    elif options.command == "ops":
        ops(options.notebooks, options.out)
    else:
        diff(options.before, options.after, options.notebooks)


if __name__ == "__main__":
    main()
