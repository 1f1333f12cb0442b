"""Print what pool.json holds: counts by kind, by repository, and the rare candidates one per line.

    python3 tests/corpus/rt_pool/summary.py [--pool /work/corpus/rt-pool/pool.json] [--markdown]

Listed one per line: a measured filter or drop that kept every row (first run or re-run), a new name with the same
rows, and a shown scalar where static analysis reports a step: the cases where a runtime fact can change the op.
"""
import argparse
import json
from collections import Counter
from pathlib import Path

RARE = {"rebind-filter-kept-all", "dropna-removed-nothing", "drop_duplicates-removed-nothing", "new-name-same-rows",
        "displayed-filter-same-rows"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=Path, default=Path("/work/corpus/rt-pool/pool.json"))
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    notebooks = json.loads(args.pool.read_text())["notebooks"]
    kinds, repos, rare = Counter(), Counter(), []
    for notebook in notebooks:
        for candidate in notebook.get("candidates", []):
            kind = candidate["kind"] + (" (re-run)" if candidate.get("rerun") else "")
            kinds[kind] += 1
            repos[notebook["repo"]] += 1
            if candidate["kind"] in RARE or (candidate["kind"] == "displayed-scalar" and candidate["static_ops"]):
                rare.append((notebook, candidate, kind))
    ran = sum(n["runs_to_end"] for n in notebooks)
    print(f"{len(notebooks)} notebooks from {len({n['repo'] for n in notebooks})} repositories, {ran} ran to the "
          f"end; {sum(kinds.values())} candidates")
    for kind, count in sorted(kinds.items()):
        print(f"  {count:4d} {kind}")
    bar = "|" if args.markdown else " "
    if args.markdown:
        print("\n| repository | notebook | code cell | statement | kind | rows before → after | static op |")
        print("|---|---|---|---|---|---|---|")
    for notebook, candidate, kind in rare:
        cells = [f"`{notebook['repo']}`", f"`{notebook['path']}`", str(candidate["code_cell"]),
                 f"`{candidate['source_line']}`", kind,
                 f"{candidate.get('rows_before')} → {candidate.get('rows_after')}",
                 ", ".join(candidate["static_ops"]) or "(none)"]
        if candidate.get("after_error"):
            cells[4] += " (after an earlier error)"
        print(f"{bar} " + f" {bar} ".join(cells) + f" {bar}" if args.markdown else "  " + " | ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
