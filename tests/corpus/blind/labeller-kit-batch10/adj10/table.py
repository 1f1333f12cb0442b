"""Print the agreement and decisions tables (markdown) for REPORT-ADJ10.md."""
import json
from pathlib import Path
from compare import IDS, compare, fmt
from adjudicate import DECISIONS, OUT

rows, T, full = [], [0, 0, 0, 0], 0
print('| notebook | labellers (first / second) | in both | only first | only second | adjudicated steps |\n|---|---|---|---|---|---|')
for i in IDS:
    a, b, both, oa, ob, cells = compare(i)
    n = sum(len(s) for s in json.loads((OUT / f'{i}.json').read_text())['cells'].values())
    T[0] += both; T[1] += oa; T[2] += ob; T[3] += n; full += (oa == ob == 0)
    print(f'| {i} | {a["labeller"]} / {b["labeller"]} | {both} | {oa} | {ob} | {n} |')
print(f'| **total** | | **{T[0]}** | **{T[1]}** | **{T[2]}** | **{T[3]}** |')
print(f'\nagreement = {T[0]} / {sum(T[:3])} = {T[0]/sum(T[:3]):.3f}; notebooks in full agreement: {full} of {len(IDS)}\n')
print('| notebook | cell | first ops | second ops | decision | decided ops | reason |\n|---|---|---|---|---|---|---|')
cnt = {}
for i in IDS:
    a, b, both, oa, ob, cells = compare(i)
    d = json.loads((OUT / f'{i}.json').read_text())
    for c in cells:
        side, _, reason = DECISIONS[(i, c)]
        cnt[side] = cnt.get(side, 0) + 1
        ops = lambda st: ', '.join(s['op'] for s in st) or '(none)'
        print(f'| {i} | {c} | {ops(a["cells"].get(str(c), []))} | {ops(b["cells"].get(str(c), []))} | {side} | {ops(d["cells"].get(str(c), []))} | {reason} |')
print('\ndecisions:', cnt)
