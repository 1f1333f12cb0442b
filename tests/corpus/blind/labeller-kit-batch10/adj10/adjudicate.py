"""Write the adjudicated batch-10 labels to /work/corpus/labels10/<id>.json.

Where both labellings agree on a notebook's (cell, op) multiset, the first labelling's steps are kept.
A differing cell takes the decided steps: 'first' / 'second' copies that side's steps of the cell,
'mixed' gives the steps written out here. Decisions and reasons are in REPORT-ADJ10.md.
"""
import copy, json, subprocess, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from compare import FIRST, SECOND, IDS, compare

OUT = Path('/work/corpus/labels10')

# (notebook, cell) -> ('first' | 'second' | 'mixed', steps for mixed, short reason)
DECISIONS = {
    ('aleva-projects__bayesian-inference', 3): ('first', None, 'ABC rejection = the hand-written posterior estimation: fit_model (rule 4a); predicted_signups from it is predict in both'),
    ('aleva-projects__bayesian-inference', 11): ('first', None, 'as cell 3'),
    ('aleva-projects__bayesian-inference', 13): ('first', None, 'as cell 3'),
    ('course-ffund__model-selection', 11): ('second', None, 'index arrays only, no rows picked: rule 15 (splitters, masks); rule 16 split is counted where data rows are selected'),
    ('course-ffund__model-selection', 13): ('second', None, 'as cell 11; the shuffled index list is an index vector, not data (rule 15)'),
    ('course-lowe__gp-heteroscedastic', 3): ('mixed', [
        {"op": "load", "output": "X_base"},
        {"op": "derive_feature", "output": "(returned)", "inputs": ["x"]},
        {"op": "derive_feature", "output": "X", "inputs": ["X_base"]},
        {"op": "load", "output": "Y", "inputs": ["X_base"]},
    ], 'f is a called notebook helper: body labelled once (rule 1), np.sin with no draw = derive_feature (rule 28); X = np.repeat design with no draw = derive_feature (rule 28), not a rule-12 conversion'),
    ('covid-misinfo__import-data', 9): ('second', None, 'transform_data recodes, relabels and subsets by country: a mixed black box = other (rule 25 by analogy, as preprocess in ps-s5e2)'),
    ('fe-docs__create-new-features', 28): ('first', None, 'drop of the target inside train_test_split packages X (rule 18 argument exemption, rule 13 packaging), mirror of data[target]'),
    ('fe-docs__predict-house-price', 9): ('first', None, 'as create-new-features cell 28'),
    ('hoikkei-da__ev-sales-scraping', 2): ('first', None, 'etree.HTML parsing of a fetched page is part of the load (Def: reading a URL; xpath/append already folded in by both); rule 12 lists container conversions, not parsing'),
    ('hoikkei-da__ev-sales-scraping', 9): ('first', None, 'as cell 2'),
    ('ps-s4e12-mb__modelos-nonlog', 10): ('second', None, 'pd.NA -> np.nan is no string placeholder (rule 29 text_clean is for strings); no op fits: other'),
}

def main():
    OUT.mkdir(exist_ok=True)
    seen = set()
    for i in IDS:
        a, b, both, oa, ob, cells = compare(i)
        out = copy.deepcopy(a)
        changes = []
        for c in cells:
            side, steps, reason = DECISIONS[(i, c)]
            seen.add((i, c))
            if side == 'first':
                new = a['cells'].get(str(c), [])
            elif side == 'second':
                new = copy.deepcopy(b['cells'].get(str(c), []))
            else:
                new = steps
            if new != a['cells'].get(str(c), []):
                old = ', '.join(s['op'] for s in a['cells'].get(str(c), [])) or 'none'
                changes.append(f"cell {c} {side}: {old} -> {', '.join(s['op'] for s in new) or 'none'} ({reason})")
            else:
                changes.append(f"cell {c} kept first ({reason})")
            if new:
                out['cells'][str(c)] = new
            else:
                out['cells'].pop(str(c), None)
        out['cells'] = dict(sorted(out['cells'].items(), key=lambda kv: int(kv[0])))
        out['labeller'] = 'ADJ10'
        out['notes'] = a['notes'].rstrip() + '\nadjudicated: ' + ('; '.join(changes) if changes else 'no change')
        p = OUT / f'{i}.json'
        p.write_text(json.dumps(out, ensure_ascii=False, indent=1) + '\n')
        r = subprocess.run([sys.executable, '/work/label-kit10/validate.py', str(p)], capture_output=True, text=True)
        print(r.stdout.strip() or r.stderr.strip())
        if r.returncode:
            sys.exit(1)
    missing = set(DECISIONS) - seen
    assert not missing, missing

if __name__ == '__main__':
    main()
