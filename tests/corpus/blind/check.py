"""Check the restored blind corpus against manifest.json and print its counts.

    python3 tests/corpus/blind/check.py [--out /work/corpus/blind] [--batch N]

`--batch` takes any batch that manifest_rules.BATCHES names (1 to 11 today).

Per entry (of the chosen batch, or every entry): the notebook exists under <out>/nb, is JSON of nbformat 4 with a Python kernel or
language, has the manifest's number of code cells, and its view lists every cell with the same
cell_index and kind as the notebook; a runnable entry has its notebook and data under <out>/run.
Over the whole manifest: the selection rules of every batch (manifest_rules.py). Prints tables of
counts per repository, kind, library and split for the chosen entries. Exit status 1 on any failure, with one line per problem.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import labeller_view  # noqa: E402
import manifest_rules  # noqa: E402


def is_python(notebook: dict) -> bool:
    meta = notebook.get("metadata") or {}
    kernel = meta.get("kernelspec") or {}
    language = (kernel.get("language") or (meta.get("language_info") or {}).get("name") or "").lower()
    return language == "python" or str(kernel.get("name", "")).lower().startswith("python")


def entry_problems(entry: dict, out: Path) -> list[str]:
    nb_path = out / "nb" / f"{entry['id']}.ipynb"
    if not nb_path.is_file():
        return [f"{entry['id']}: {nb_path} missing (run restore.py)"]
    try:
        notebook = json.loads(nb_path.read_bytes())
    except json.JSONDecodeError as exc:
        return [f"{entry['id']}: not JSON ({exc})"]
    problems = []
    if notebook.get("nbformat") != 4:
        problems.append(f"{entry['id']}: nbformat {notebook.get('nbformat')}, not 4")
    if not is_python(notebook):
        problems.append(f"{entry['id']}: kernel/language is not Python")
    cells = notebook.get("cells") or []
    code = sum(c.get("cell_type") == "code" for c in cells)
    if code != entry["code_cells"]:
        problems.append(f"{entry['id']}: {code} code cells, manifest says {entry['code_cells']}")
    expected = [(i, c.get("cell_type") if c.get("cell_type") in ("code", "markdown") else "raw")
                for i, c in enumerate(cells)]
    view_path = out / "view" / f"{entry['id']}.txt"
    if not view_path.is_file():
        problems.append(f"{entry['id']}: {view_path} missing")
    elif labeller_view.headers(view_path.read_text(encoding="utf-8")) != expected:
        problems.append(f"{entry['id']}: view cell headers do not match the notebook's cells")
    if entry.get("runnable"):
        run = out / "run" / entry["id"]
        for rel in [entry["path"], *(d["to"] for d in entry.get("data_files", []))]:
            if not (run / rel).is_file():
                problems.append(f"{entry['id']}: run copy lacks {rel}")
    return problems


def table(title: str, counts: Counter) -> str:
    rows = [f"{title:<62} notebooks"]
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rows.append(f"  {key:<60} {n:>5}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, default=HERE / "manifest.json")
    parser.add_argument("--out", type=Path, default=Path("/work/corpus/blind"))
    parser.add_argument("--batch", type=int, choices=sorted(manifest_rules.BATCHES),
                        help="check and count only this batch's notebooks")
    args = parser.parse_args(argv)
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    entries = [e for e in manifest if args.batch is None or e["batch"] == args.batch]

    problems = manifest_rules.problems(manifest)
    for entry in entries:
        problems += entry_problems(entry, args.out)

    by_repo = Counter(f"{e['repo']} [batch {e['batch']}, {e['split']}]" for e in entries)
    print(table("repository [batch, split]", by_repo))
    print(table("kind", Counter(e["kind"] for e in entries)))
    print(table("library (once per library a notebook imports)",
                Counter(lib for e in entries for lib in e["libraries"])))
    print(table("batch, split", Counter(f"batch {e['batch']}, {e['split']}" for e in entries)))
    print("repositories per split: " + ", ".join(
        f"{s} {len({e['repo'] for e in entries if e['split'] == s})}" for s in ("tuning", "heldout")))
    print(f"runnable: {sum(e['runnable'] for e in entries)} of {len(entries)}")
    for line in problems:
        print(f"PROBLEM {line}", file=sys.stderr)
    print(f"{len(entries)} notebooks checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
