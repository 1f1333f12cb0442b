"""Check ONE label file's format: python3 /work/label-kit11/validate.py /work/corpus/labels11-first/<id>.json

Checks: JSON; keys labeller, notes, skip, cells; each cell key is the index of a CODE cell of
/work/corpus/blind/nb/<id>.ipynb; each step has an op of ops.md, an output string, optional inputs (list of strings).
It reads only the file given and that notebook.
"""
import json
import sys
from pathlib import Path

OPS = {o.strip() for o in Path(__file__).with_name("ops.md").read_text().splitlines()[1:] for o in o.split(",") if o.strip()}
path = Path(sys.argv[1])
problems = []
try:
    data = json.loads(path.read_text())
except Exception as e:  # noqa: BLE001
    sys.exit(f"{path.name}: not JSON: {e}")
for key in ("labeller", "notes", "skip", "cells"):
    if key not in data:
        problems.append(f"missing key {key!r}")
nb = Path("/work/corpus/blind/nb") / f"{path.stem}.ipynb"
cells = json.loads(nb.read_text())["cells"] if nb.exists() else None
if cells is None:
    problems.append(f"no notebook {nb}")
if data.get("skip") and data.get("cells"):
    problems.append("skip given but cells not empty")
for key, steps in (data.get("cells") or {}).items():
    if not key.isdigit():
        problems.append(f"cell key {key!r} is not a cell index")
        continue
    if cells is not None and (int(key) >= len(cells) or cells[int(key)]["cell_type"] != "code"):
        problems.append(f"cell {key} is not a code cell of the notebook")
    if not isinstance(steps, list) or not steps:
        problems.append(f"cell {key}: steps must be a non-empty list")
        continue
    for i, step in enumerate(steps):
        if step.get("op") not in OPS:
            problems.append(f"cell {key} step {i}: op {step.get('op')!r} is not one of ops.md")
        if not isinstance(step.get("output"), str):
            problems.append(f"cell {key} step {i}: output must be a string")
        if "inputs" in step and not (isinstance(step["inputs"], list) and all(isinstance(x, str) for x in step["inputs"])):
            problems.append(f"cell {key} step {i}: inputs must be a list of strings")
print("\n".join(f"{path.name}: {p}" for p in problems) or f"{path.name}: ok ({sum(len(s) for s in (data.get('cells') or {}).values())} steps)")
sys.exit(1 if problems else 0)
