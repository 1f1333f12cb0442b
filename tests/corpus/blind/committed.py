"""Which blind-corpus notebooks are committed to this repository, in which form, and writing them.

    python3 tests/corpus/blind/committed.py [--mirrors /work/.mirror]   # (re)write notebooks/<id>.ipynb

The blind corpus is other people's public material. A notebook is committed (notebooks/<id>.ipynb, with the
licence texts and copyright lines in notebooks/LICENSES.md) only when its repository's licence as stated at the
pinned commit (manifest `license`) allows redistribution: every licence named is in PERMISSIVE. A repository whose
code is permissive but whose prose is not (`MIT (code); CC-BY-NC-ND-3.0 (text)`) is committed as code only: the
markdown cells keep their place, empty, so cell indices and the labels still match. Nothing else is committed (no
licence, "unknown", NC/ND, GPL family).

The committed form is the smallest one that `trackit analyze` reads the same: cell sources, cell ids, execution
counts and error outputs (static_notebook.py reads nothing else of a cell; a saved error decides which statements
ran); other outputs, attachments and cell metadata are dropped. Each file says where it comes from and what was
changed in its metadata (`trackit_blind_corpus`), as Apache-2.0 and the CC licences ask of a changed copy.
test_blind_corpus.py checks the committed set against the manifest; the form is kept only because every
committed notebook scores exactly as its pinned bytes do (README "Committed notebooks").
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import restore  # noqa: E402  (a sibling file, not a package)

NOTEBOOKS = HERE / "notebooks"
PERMISSIVE = frozenset({"MIT", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "CC-BY-4.0", "CC-BY-SA-4.0",
                        "CC0-1.0", "Unlicense"})
WHOLE, CODE_ONLY = "whole", "code only"
CHANGES = {
    WHOLE: "outputs other than errors, attachments and cell metadata removed; sources unchanged",
    CODE_ONLY: "markdown cells' text removed (the cells kept, empty), outputs other than errors, attachments and "
               "cell metadata removed; code unchanged",
}
_PART = re.compile(r"^\s*([A-Za-z0-9.+-]+)\s*(?:\(([^)]*)\))?\s*$")


def licence_parts(licence: str) -> list[tuple[str, str]]:
    """`MIT (code); CC-BY-NC-ND-3.0 (text)` -> [("MIT", "code"), ("CC-BY-NC-ND-3.0", "text")]."""
    parts = []
    for part in licence.split(";"):
        found = _PART.match(part)
        parts.append((found.group(1), found.group(2) or "") if found else (part.strip(), ""))
    return parts


def committed_form(entry: dict) -> Optional[str]:
    """WHOLE, CODE_ONLY, or None when the notebook may not be redistributed."""
    parts = licence_parts(entry["license"])
    if all(spdx in PERMISSIVE for spdx, _ in parts):
        return WHOLE
    scopes = {scope: spdx for spdx, scope in parts}
    if scopes.keys() == {"code", "text"} and scopes["code"] in PERMISSIVE:
        return CODE_ONLY
    return None


def smallest_form(notebook: dict[str, Any], entry: dict, form: str) -> dict[str, Any]:
    cells = []
    for cell in notebook["cells"]:
        kept = {"cell_type": cell["cell_type"], "metadata": {}}
        if "id" in cell:
            kept["id"] = cell["id"]
        kept["source"] = "" if form == CODE_ONLY and cell["cell_type"] == "markdown" else cell["source"]
        if cell["cell_type"] == "code":
            kept["execution_count"] = cell.get("execution_count")
            kept["outputs"] = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        cells.append(kept)
    metadata = {k: v for k, v in notebook.get("metadata", {}).items() if k in ("kernelspec", "language_info")}
    metadata["trackit_blind_corpus"] = {"repo": entry["repo"], "commit": entry["commit"], "path": entry["path"],
                                        "license": entry["license"], "changes": CHANGES[form]}
    return {"cells": cells, "metadata": metadata, "nbformat": notebook["nbformat"],
            "nbformat_minor": notebook["nbformat_minor"]}


def committed_path(entry: dict) -> Path:
    return NOTEBOOKS / f"{entry['id']}.ipynb"


def write(entry: dict, pinned: bytes) -> Path:
    form = committed_form(entry)
    assert form is not None, entry["id"]
    target = committed_path(entry)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(smallest_form(json.loads(pinned), entry, form), indent=1, ensure_ascii=False)
    target.write_text(text + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, default=HERE / "manifest.json")
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    args = parser.parse_args(argv)
    entries = [e for e in json.loads(args.manifest.read_text(encoding="utf-8")) if committed_form(e)]
    failed = 0
    for entry in entries:
        gdir = restore.git_dir(args.mirrors, entry["repo"])
        try:
            if gdir is None:
                raise LookupError(f"no mirror of {entry['repo']} under {args.mirrors}: fetch github:{entry['repo']}")
            write(entry, restore.git_show(gdir, entry["commit"], entry["path"]))
        except (LookupError, json.JSONDecodeError) as exc:
            print(f"{entry['id']}: {exc}", file=sys.stderr)
            failed += 1
    print(f"wrote {len(entries) - failed} of {len(entries)} committable notebooks into {NOTEBOOKS}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
