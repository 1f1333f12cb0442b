"""The selection rules of the blind corpus, checked over manifest.json alone (no fetched files).

One home for the numbers the task set: how many notebooks and repositories, the per-repository
cap, the library minimums, code-cell bounds, and that the held-out split takes whole repositories.
"""
from __future__ import annotations

import random
import re
from collections import Counter

MIN_NOTEBOOKS = 66
MIN_REPOS = 16
MAX_PER_REPO = 8
CODE_CELLS = (5, 120)
MIN_BY_LIBRARY = {"polars": 5, "statsmodels": 5}
MIN_NUMPY_ONLY = 3  # numpy without pandas or polars
MIN_HELDOUT_REPOS = 5
MIN_HELDOUT_NOTEBOOKS = 22
MIN_RUNNABLE = 24
HELDOUT_SEED = 10  # issue 10's number, fixed before the split was first drawn
FIELDS = ("id", "repo", "commit", "path", "kind", "libraries", "license", "code_cells", "runnable",
          "data_files", "split")
ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")


def numpy_only(entry: dict) -> bool:
    libs = set(entry["libraries"])
    return "numpy" in libs and not libs & {"pandas", "polars"}


def draw_heldout(entries: list[dict], seed: int = HELDOUT_SEED) -> list[str]:
    """Whole repositories, in a seeded random order, until the held-out part has at least
    MIN_HELDOUT_REPOS repositories and a third of the notebooks (and MIN_HELDOUT_NOTEBOOKS)."""
    repos = sorted({e["repo"] for e in entries})
    random.Random(seed).shuffle(repos)
    per_repo = Counter(e["repo"] for e in entries)
    wanted = max(MIN_HELDOUT_NOTEBOOKS, -(-len(entries) // 3))
    held: list[str] = []
    for repo in repos:
        if len(held) >= MIN_HELDOUT_REPOS and sum(per_repo[r] for r in held) >= wanted:
            break
        held.append(repo)
    return held


def problems(entries: list[dict]) -> list[str]:
    found: list[str] = []
    for e in entries:
        missing = [f for f in FIELDS if f not in e]
        if missing:
            found.append(f"{e.get('id', '?')}: fields missing: {', '.join(missing)}")
            continue
        if not ID.match(e["id"]):
            found.append(f"{e['id']}: id is not short lowercase")
        if not COMMIT.match(e["commit"]):
            found.append(f"{e['id']}: commit is not 40 hex digits")
        if not CODE_CELLS[0] <= e["code_cells"] <= CODE_CELLS[1]:
            found.append(f"{e['id']}: {e['code_cells']} code cells, outside {CODE_CELLS}")
        if e["split"] not in ("tuning", "heldout"):
            found.append(f"{e['id']}: split {e['split']!r}")
        if e["runnable"] and not all({"path", "to"} <= set(d) for d in e["data_files"]):
            found.append(f"{e['id']}: data_files entries need path and to")
        if not e["runnable"] and not e.get("note"):
            found.append(f"{e['id']}: not runnable, and no note says why")
    if found:
        return found

    ids = Counter(e["id"] for e in entries)
    found += [f"{i}: id used {n} times" for i, n in ids.items() if n > 1]
    pins = Counter((e["repo"], e["path"]) for e in entries)
    found += [f"{r}:{p}: pinned {n} times" for (r, p), n in pins.items() if n > 1]
    per_repo = Counter(e["repo"] for e in entries)
    found += [f"{r}: {n} notebooks, more than {MAX_PER_REPO}" for r, n in per_repo.items() if n > MAX_PER_REPO]
    if len(entries) < MIN_NOTEBOOKS:
        found.append(f"{len(entries)} notebooks, fewer than {MIN_NOTEBOOKS}")
    if len(per_repo) < MIN_REPOS:
        found.append(f"{len(per_repo)} repositories, fewer than {MIN_REPOS}")
    for lib, least in MIN_BY_LIBRARY.items():
        n = sum(lib in e["libraries"] for e in entries)
        if n < least:
            found.append(f"{n} {lib} notebooks, fewer than {least}")
    if sum(map(numpy_only, entries)) < MIN_NUMPY_ONLY:
        found.append(f"fewer than {MIN_NUMPY_ONLY} NumPy-only notebooks")
    if sum(e["runnable"] for e in entries) < MIN_RUNNABLE:
        found.append(f"fewer than {MIN_RUNNABLE} runnable notebooks")

    splits_of_repo: dict[str, set] = {}
    for e in entries:
        splits_of_repo.setdefault(e["repo"], set()).add(e["split"])
    found += [f"{r}: split across {sorted(s)}; hold out whole repositories"
              for r, s in splits_of_repo.items() if len(s) > 1]
    held = [e for e in entries if e["split"] == "heldout"]
    held_repos = {e["repo"] for e in held}
    if held_repos != set(draw_heldout(entries)):
        found.append(f"held-out repositories are not the ones seed {HELDOUT_SEED} draws")
    if len(held_repos) < MIN_HELDOUT_REPOS or len(held) < MIN_HELDOUT_NOTEBOOKS:
        found.append(f"held out {len(held)} notebooks from {len(held_repos)} repositories; "
                     f"need {MIN_HELDOUT_NOTEBOOKS} from {MIN_HELDOUT_REPOS}")
    return found
