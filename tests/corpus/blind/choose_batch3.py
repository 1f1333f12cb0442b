"""How batch 3 of the blind corpus was drawn (run once, 2026-12-04; kept so the draw can be checked).

    python3 tests/corpus/blind/choose_batch3.py [--pool /work/corpus/rt-pool]

One notebook per repository of the runnable pool (tests/corpus/rt_pool/manifest.json, restored by its build.py):
per repository a seeded choice among notebooks with 8-40 code cells that no runtime-decision case uses
(bench/runtime_decisions_cases.json); repositories shuffled with the same generator; families of near-identical
personal analyses capped (FAMILY_CAPS); the first 18 kept. Prints the chosen (repo, path) pairs.
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SEED = 20261204
CODE_CELLS = (8, 40)
FAMILY_CAPS = {"netflix": 3, "supermarket": 3, "titanic": 2, "hr-attrition": 2, "superstore": 1}
SIZE = 18


def choose(pool: Path) -> list[dict]:
    manifest = json.loads((ROOT / "tests/corpus/rt_pool/manifest.json").read_text())
    cases = json.loads((ROOT / "bench/runtime_decisions_cases.json").read_text())
    used = {(c["repo"], c["path"]) for c in cases}
    rng = random.Random(SEED)
    per_repo = []
    for repo in manifest["repositories"]:
        candidates = []
        for path in repo["notebooks"]:
            try:
                notebook = json.loads((pool / repo["slug"] / path).read_text())
            except (OSError, ValueError):
                continue
            code = sum(cell["cell_type"] == "code" for cell in notebook["cells"])
            if CODE_CELLS[0] <= code <= CODE_CELLS[1] and (repo["repo"], path) not in used:
                candidates.append(path)
        if candidates:
            per_repo.append({"repo": repo["repo"], "slug": repo["slug"], "path": rng.choice(sorted(candidates))})
    rng.shuffle(per_repo)
    chosen, taken = [], {}
    for entry in per_repo:
        family = next((f for f in FAMILY_CAPS if entry["slug"].startswith(f)), entry["slug"])
        if taken.get(family, 0) < FAMILY_CAPS.get(family, 1):
            taken[family] = taken.get(family, 0) + 1
            chosen.append(entry)
    return chosen[:SIZE]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pool", type=Path, default=Path("/work/corpus/rt-pool"))
    for entry in choose(parser.parse_args().pool):
        print(entry["repo"], entry["path"], sep="\t")
