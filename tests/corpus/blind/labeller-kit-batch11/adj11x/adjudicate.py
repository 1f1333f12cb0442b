"""Write the adjudicated group-X labels to /work/corpus/labels11x/<id>.json.

Where both labellings agree (same multiset of (cell, op)) the first labelling's steps are kept; each
differing cell takes the decided steps ("first", "second", or an explicit list).
"""
import json
from pathlib import Path

FIRST = Path("/work/corpus/labels11x-first")
SECOND = Path("/work/corpus/labels11x-second")
OUT = Path("/work/corpus/labels11x")
IDS = ["course-math087__ps07-order-simulation", "juul-docs__retrieve-documents",
       "crt-validity__data-analysis", "bardal-energy__emonpi-stats"]

# notebook -> {cell: "first" | "second" | [steps]}, with the note added to "adjudicated: ..."
DECISIONS = {
    "course-math087__ps07-order-simulation": {
        "cells": {"8": "second"},
        "note": ("cell 8: the policy runs `results = [strategy(t) for t in trials]` in report_trials' body are "
                 "predict (second labelling), not evaluate: stand_order / order_on_demand are hand-written "
                 "simulation models (rule 4a) whose outputs are simulated sales / lost sales / storage days, and "
                 "rule 26 makes `simulate` predict; no metric against reference data is computed (rule 27)"),
    },
}


def main():
    for nb in IDS:
        a = json.loads((FIRST / f"{nb}.json").read_text())
        b = json.loads((SECOND / f"{nb}.json").read_text())
        cells = {k: v for k, v in a["cells"].items()}
        dec = DECISIONS.get(nb)
        for cell, choice in (dec or {}).get("cells", {}).items():
            steps = {"first": a["cells"].get(cell), "second": b["cells"].get(cell)}.get(choice, choice) \
                if isinstance(choice, str) else choice
            if steps:
                cells[cell] = steps
            else:
                cells.pop(cell, None)
        cells = {k: cells[k] for k in sorted(cells, key=int)}
        note = a["notes"].rstrip() + "\nadjudicated: " + (dec["note"] if dec else "no change")
        out = {"labeller": "ADJ11X", "notes": note, "skip": a.get("skip"), "cells": cells}
        (OUT / f"{nb}.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
        print(nb, sum(len(s) for s in cells.values()), "steps")


if __name__ == "__main__":
    main()
