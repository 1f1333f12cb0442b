"""Compare first vs second labelling of batch 10 as multisets of (cell, op)."""
import json, sys
from collections import Counter
from pathlib import Path

FIRST = Path('/work/corpus/labels10-first'); SECOND = Path('/work/corpus/labels10-second')
IDS = sorted(p.stem for p in FIRST.glob('*.json'))

def ms(d):
    return Counter((int(c), s['op']) for c, steps in d['cells'].items() for s in steps)

def fmt(steps):
    return ', '.join(f"{s['op']}->{s.get('output')}" for s in steps) or '-'

def compare(i):
    a = json.loads((FIRST / f'{i}.json').read_text()); b = json.loads((SECOND / f'{i}.json').read_text())
    ma, mb = ms(a), ms(b)
    both = sum((ma & mb).values()); oa = sum((ma - mb).values()); ob = sum((mb - ma).values())
    cells = sorted({c for c, _ in (ma - mb)} | {c for c, _ in (mb - ma)})
    return a, b, both, oa, ob, cells

if __name__ == '__main__':
    T = [0, 0, 0]
    for i in IDS:
        a, b, both, oa, ob, cells = compare(i)
        T[0] += both; T[1] += oa; T[2] += ob
        print(f'## {i}  ({a["labeller"]} / {b["labeller"]})  both={both} only_first={oa} only_second={ob}')
        for c in cells:
            print(f'  cell {c}:\n    first : {fmt(a["cells"].get(str(c), []))}\n    second: {fmt(b["cells"].get(str(c), []))}')
    print(f'TOTAL both={T[0]} only_first={T[1]} only_second={T[2]} agreement={T[0]/(sum(T)):.3f}')
