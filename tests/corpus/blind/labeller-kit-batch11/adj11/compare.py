"""Compare the two blind labellings of batch 11 as multisets of (cell, op); variable names not compared."""
import json
import re
import sys
from collections import Counter
from pathlib import Path

KIT = Path("/work/label-kit11")
FIRST = Path("/work/corpus/labels11-first")
SECOND = Path("/work/corpus/labels11-second")


def ids():
    text = (KIT / "assign.md").read_text()
    out = []
    for line in text.splitlines():
        if line.startswith("#") or line.startswith("Group"):
            continue
        out += [x.strip() for x in line.split(",") if x.strip()]
    return out


def pairs(path):
    d = json.loads(path.read_text())
    c = Counter()
    for cell, steps in d["cells"].items():
        for s in steps:
            c[(int(cell), s["op"])] += 1
    return d, c


def compare(nb):
    d1, c1 = pairs(FIRST / f"{nb}.json")
    d2, c2 = pairs(SECOND / f"{nb}.json")
    both = c1 & c2
    only1 = c1 - c2
    only2 = c2 - c1
    cells = sorted({k[0] for k in only1} | {k[0] for k in only2})
    return d1, d2, c1, c2, both, only1, only2, cells


def main():
    verbose = "-q" not in sys.argv
    tot = Counter()
    for nb in ids():
        d1, d2, c1, c2, both, only1, only2, cells = compare(nb)
        b, o1, o2 = sum(both.values()), sum(only1.values()), sum(only2.values())
        tot.update(both=b, only1=o1, only2=o2)
        print(f"{nb} ({d1['labeller']} / {d2['labeller']}): in both {b}, only first {o1}, only second {o2}")
        if verbose:
            for cell in cells:
                s1 = [s["op"] for s in d1["cells"].get(str(cell), [])]
                s2 = [s["op"] for s in d2["cells"].get(str(cell), [])]
                print(f"  cell {cell}:\n    first : {s1}\n    second: {s2}")
    u = tot["both"] + tot["only1"] + tot["only2"]
    print(f"TOTAL: in both {tot['both']}, only first {tot['only1']}, only second {tot['only2']}, "
          f"agreement {tot['both']}/{u} = {tot['both']/u:.3f}")


if __name__ == "__main__":
    main()
