"""Write the adjudicated batch-11 labels to /work/corpus/labels11/<id>.json.

Agreed cells keep the first labelling's steps; each differing cell takes the decided steps
(first, second, or mixed as listed in DECISIONS). Decisions and reasons: REPORT-ADJ11.md.
"""
import copy
import json
import subprocess
from pathlib import Path

from compare import FIRST, SECOND, compare, ids

OUT = Path("/work/corpus/labels11")


def first(d1, d2, cell):
    return copy.deepcopy(d1["cells"].get(cell, []))


def second(d1, d2, cell):
    return copy.deepcopy(d2["cells"].get(cell, []))


def juul_topn(d1, d2, cell):
    """Second's aggregate for the centrality and for the plotted degree dict (rule 8 keeps an
    assigned aggregate that is only plotted); drop second's H_sub subgraph filter, H copy and
    isolated-node removal (plot plumbing made 'for ease of visualization', rule 8)."""
    s = copy.deepcopy(d2["cells"][cell])
    ops = [x["op"] for x in s]
    assert ops == ["reshape", "other", "aggregate", "sort", "filter_rows",
                   "filter_rows", "other", "filter_rows", "aggregate"], ops
    return s[:5] + [s[8]]


def optuna_cv_train(d1, d2, cell):
    """Second's four splits from unpacking mapping[i] (rule 16); first's derive_feature for the
    seed/fold averaging of predictions (element-wise arithmetic, as the blends of
    tps-feb21-ad__ensembling-starter)."""
    s = copy.deepcopy(d2["cells"][cell])
    f = copy.deepcopy(d1["cells"][cell])
    assert [x["op"] for x in s][10:12] == ["aggregate", "aggregate"]
    assert [x["op"] for x in f][7:9] == ["derive_feature", "derive_feature"]
    return s[:10] + f[7:9] + s[12:]


# notebook -> cell -> (decision, function, change note)
DECISIONS = {
    "course-math087__markov-weather": {
        "0": ("first", first, None),
    },
    "juul-docs__external-network": {
        "14": ("mixed", juul_topn, "cell 14 degree_centrality derive_feature -> aggregate, + aggregate for the plotted degrees dict"),
        "17": ("mixed", juul_topn, "cell 17 out_degree_centrality derive_feature -> aggregate, + aggregate for the plotted out_degrees dict"),
        "20": ("mixed", juul_topn, "cell 20 in_degree_centrality derive_feature -> aggregate, + aggregate for the plotted in_degrees dict"),
        "23": ("mixed", juul_topn, "cell 23 copied_degree_centrality derive_feature -> aggregate, + aggregate for the plotted copied_degrees dict"),
        "26": ("second", second, "cell 26 (create_email_graph body): + filter_rows for the author_emails condition of the copied branch, three centrality/degree steps derive_feature -> aggregate"),
    },
    "econ-lab__rd-initial-data": {
        "21": ("second", second, "cell 21 filtered['resid_vs'] = ols_model.resid derive_feature -> evaluate (rules 19, 27)"),
    },
    "crt-validity__character-recognition": {
        "7": ("first", first, None),
        "14": ("first", first, None),
    },
    "pychemauth-docs__eda": {
        "5": ("second", second, "cell 5 the two NaN-injection statements other -> derive_feature (rule 28 by analogy)"),
    },
    "tps-feb21-ad__catboost": {
        "21": ("first", first, None),
    },
    "ps-s5e11-oq__cat-optuna": {
        "6": ("mixed", optuna_cv_train, "cell 6 unpacking mapping[i] other -> 4 split (rule 16)"),
        "9": ("second", second, "cell 9 unpacking mapping[i] other -> 4 split (rule 16)"),
    },
}


# cells reviewed although both labellings agree
EXTRA = {
    "ps-s5e11-oq__data-analysis": " Cells 1, 3 and 4 (stored FileNotFoundError / NameError outputs) reviewed by the"
    " conventions as any other cell: rule 5 ('A statement whose cell output is an error traceback is not a step')"
    " decides them, so they stay without steps, as both labellings have them.",
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for nb in ids():
        d1, d2, c1, c2, both, only1, only2, cells = compare(nb)
        dec = DECISIONS.get(nb, {})
        missing = {str(c) for c in cells} - set(dec)
        assert not missing, (nb, missing)
        out_cells = {}
        keys = sorted(set(d1["cells"]) | set(d2["cells"]), key=int)
        changes = []
        for key in keys:
            if key in dec:
                decision, fn, note = dec[key]
                steps = fn(d1, d2, key)
                if note:
                    changes.append(note)
            else:
                steps = copy.deepcopy(d1["cells"].get(key, []))
            if steps:
                out_cells[key] = steps
        if not dec:
            adj = "adjudicated: no change (both labellings agree on every (cell, op))."
        elif not changes:
            adj = ("adjudicated: no change (differing cells " + ", ".join(sorted(dec, key=int))
                   + " decided for the first labelling).")
        else:
            adj = "adjudicated: " + "; ".join(changes) + "."
        adj += EXTRA.get(nb, "")
        data = {
            "labeller": "ADJ11",
            "notes": d1["notes"].rstrip() + "\n" + adj,
            "skip": d1.get("skip"),
            "cells": out_cells,
        }
        path = OUT / f"{nb}.json"
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        n = sum(len(v) for v in out_cells.values())
        total += n
        r = subprocess.run(["python3", "/work/label-kit11/validate.py", str(path)], capture_output=True, text=True)
        print(f"{nb}: {n} steps | {r.stdout.strip() or r.stderr.strip()}")
    print("TOTAL adjudicated steps:", total)


if __name__ == "__main__":
    main()
