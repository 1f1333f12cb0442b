"""Compare the two group-X labellings as multisets of (cell, op) per notebook."""
import json
from collections import Counter
from pathlib import Path

FIRST = Path("/work/corpus/labels11x-first")
SECOND = Path("/work/corpus/labels11x-second")
IDS = ["course-math087__ps07-order-simulation", "juul-docs__retrieve-documents",
       "crt-validity__data-analysis", "bardal-energy__emonpi-stats"]


def ms(d):
    return Counter((int(c), s["op"]) for c, steps in d["cells"].items() for s in steps)


def main():
    tot = Counter()
    for nb in IDS:
        a = json.loads((FIRST / f"{nb}.json").read_text())
        b = json.loads((SECOND / f"{nb}.json").read_text())
        ma, mb = ms(a), ms(b)
        both, oa, ob = ma & mb, ma - mb, mb - ma
        n = (sum(both.values()), sum(oa.values()), sum(ob.values()))
        tot.update({"both": n[0], "first": n[1], "second": n[2]})
        print(f"== {nb} ({a['labeller']} / {b['labeller']}): in both {n[0]}, only first {n[1]}, only second {n[2]}")
        for c in sorted({c for c, _ in oa} | {c for c, _ in ob}):
            fa = [f"{s['op']}->{s['output']}" for s in a["cells"].get(str(c), [])]
            fb = [f"{s['op']}->{s['output']}" for s in b["cells"].get(str(c), [])]
            print(f"   cell {c}: first {fa}\n           second {fb}")
    u = tot["both"] + tot["first"] + tot["second"]
    print(f"TOTAL in both {tot['both']}, only first {tot['first']}, only second {tot['second']}, "
          f"agreement {tot['both']}/{u} = {tot['both']/u:.3f}")


if __name__ == "__main__":
    main()
