"""The selection rules of the blind corpus, checked over manifest.json alone (no fetched files).

One home for the numbers the task set, per batch: how many notebooks and repositories, the
per-repository cap, the library minimums, code-cell bounds, the held-out draw (whole repositories,
seeded), and that no repository is shared between batches. Batch 2 is a fresh set of notebooks
nobody on the team had seen, chosen after batch 1 had been read three times. Batch 3 is one notebook from each
of 18 repositories of the runnable pool (tests/corpus/rt_pool), none of them a runtime-decision case, drawn after
batch 1's held-out part had been read five times: an estimate no rule was tuned on, narrower in kind (pandas
cleaning and analysis; no polars or statsmodels). Batch 4 is a fresh set again (no repository of batches 1-3 or of the
runnable pool), held out whole by the lead's decision (no draw), because three held-out
repositories of batches 1-2 were moved to the tuning part. Batch 5 is a fresh, wide set again (no repository of
batches 1-4 or of the runnable pool), chosen because batch 4 showed the tuning material too narrow: a seeded third
(whole repositories) is held out as a second fresh estimate, the rest is tuning material. Batch 6 widens the tuning
material again (no repository of batches 1-5 or of the runnable pool) with kinds the corpus had little of: time
series, A/B tests and surveys, causal inference and statistics courses, finance and sports, text with scikit-learn
vectorizers, data journalism beyond BuzzFeed News, personal projects, library guides; a seeded third is held out.
Batch 7 is the "typical user" batch (no repository of batches 1-6 or of the runnable pool): the notebooks data
scientists in teams write most, Kaggle-style end-to-end work on tabular data other than Titanic / house prices, personal
and capstone projects, applied-ML course notebooks, a few sensor, geospatial and science tables; a seeded third is held
out.
Batch 8 is a fresh held-out batch again (no repository of batches 1-7, of the runnable pool, or named in the project's
reports), held out whole like batch 4 and labelled blind before it is scored, because the held-out part of batches 1-7
had been read after every one of 21 rule passes.
Batch 9 is tuning material only (no repository of batches 1-8, of the runnable pool, or named in the project's reports),
chosen by batch 8's criteria and kinds because batch 8 scored far below the notebooks the rules were tuned on: the lead
keeps the whole batch as tuning (no seeded draw), and batch 8 stays the untouched measure.
Batch 10 is a fresh held-out batch again, chosen by batch 8's criteria and kinds (no repository of batches 1-9, of the
runnable pool, or named in the project's reports or used as fresh material by a rule pass), held out whole and labelled
blind before it is scored: after five passes that could not move batch 8 without reading it, the lead means to move
batch 8 into the tuning part (README "Moved to tuning") once a fresh measure stands in its place.
Batch 11 is a fresh held-out batch again, chosen by batch 8's criteria and kinds (no repository of batches 1-10, of the
runnable pool, or named in the project's reports or used as fresh material by a rule pass), held out whole and labelled
blind before it is scored: rules written for kinds of code from fresh unlabelled material moved batch 10 by less than a
point, so the lead means to move batch 10 into the tuning part, where its real errors can be learned from, once a second
fresh measure stands in its place.
"""
from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field

CODE_CELLS = (5, 120)
HELDOUT_SEED = 10  # issue 10's number, fixed before the split was first drawn
HELDOUT_SEED_BATCH2 = 1002  # fixed by the lead before batch 2's split was drawn, never redrawn for a better split
HELDOUT_SEED_BATCH3 = 1003  # fixed by the lead on 2026-12-04 before batch 3 was labelled or scored
HELDOUT_SEED_BATCH5 = 1005  # fixed by the lead on 2026-12-04 before batch 5's split was drawn, never redrawn
HELDOUT_SEED_BATCH6 = 1006  # fixed by the lead on 2026-12-05 before batch 6's split was drawn, never redrawn
HELDOUT_SEED_BATCH7 = 1007  # fixed by the lead on 2026-12-05 before batch 7's split was drawn, never redrawn
# Held-out repositories the lead moved into the tuning part on 2026-12-04 (README "Moved to tuning"), after nine passes
# had left one notebook of each below 0.75 and fixing them meant tuning on them. Their batch's draw stays as drawn (the
# seed is not re-run); a fresh batch, labelled blind before it was scored, takes their place in the held-out part.
MOVED_TO_TUNING = {
    "MarawanEmara/kaggle-notebooks": "batch 1; me-kaggle__house-prices 73.3 / 85.1 % when moved",
    "TomAugspurger/effective-pandas": "batch 2; effective-pandas__2-method-chaining 46.7 / 70.0 % when moved",
    "BuzzFeedNews/2017-12-eeoc-harassment-charges": "batch 2; bfn-eeoc__02-analyze-claims 69.8 / 83.3 % when moved",
    # Batch 8, held out whole, moved whole on 2026-12-06 (README "Batch 8 moved to tuning"): five rule passes could not
    # move it without reading it (84.5 / 74.6 % when moved); batch 10, chosen and labelled blind the same way and scored
    # first (77.5 / 61.6 %), is the fresh measure in its place.
    "HimanshuMittal01/kaggle-cmi-piu": "batch 8, moved whole",
    "emepetres/kaggle-ps-s3e2": "batch 8, moved whole",
    "henrymj/ContextDependence": "batch 8, moved whole",
    "hoelzl/ML-Course": "batch 8, moved whole",
    "joanby/python-ml-course": "batch 8, moved whole",
    "johakaishi/driven_by_data": "batch 8, moved whole",
    "kmohammedsu/seattle-parking-weather-analysis": "batch 8, moved whole",
    "koaning/scikit-lego": "batch 8, moved whole",
    "pyjanitor-devs/pyjanitor": "batch 8, moved whole",
    "srinidhisrinivas/mcl-scarcity-mouselab": "batch 8, moved whole",
    # Batch 10, held out whole, moved whole on 2026-12-07 (README "Batch 10 moved to tuning"): rules written for kinds of
    # code from fresh unlabelled material moved it by less than a point (77.7 / 62.3 % when moved), so its real errors
    # are to be learned from; batch 11, chosen and labelled blind the same way and scored first (80.9 / 70.0 %), is the
    # fresh measure in its place.
    "WelfLowe/Public-ML-Notebooks": "batch 10, moved whole",
    "abstractqqq/polars_ds_extension": "batch 10, moved whole",
    "aleva85/Projects": "batch 10, moved whole",
    "bparent11/kaggle-S5E2": "batch 10, moved whole",
    "feature-engine/feature_engine": "batch 10, moved whole",
    "ffund/ml-notebooks": "batch 10, moved whole",
    "hoikkei/my-data-analysis": "batch 10, moved whole",
    "mrbungie/kaggle-playground-series-s4e12": "batch 10, moved whole",
    "nivlab/sciops": "batch 10, moved whole",
    "sloomba/covid19-misinfo": "batch 10, moved whole",
}


@dataclass(frozen=True)
class BatchRules:
    min_notebooks: int
    min_repos: int
    max_per_repo: int
    min_by_library: dict = field(default_factory=dict)
    min_numpy_only: int = 0  # numpy without pandas or polars
    min_runnable: int = 0
    heldout_seed: int = HELDOUT_SEED
    min_heldout_repos: int = 1
    min_heldout_notebooks: int = 1  # and at least a third of the batch, whatever this says
    code_cells: tuple = CODE_CELLS  # a batch may ask for narrower bounds than the corpus-wide ones
    all_heldout: bool = False  # the lead held the whole batch out (no seeded draw; heldout_seed is then unused)
    all_tuning: bool = False  # the lead keeps the whole batch as tuning material (no seeded draw, nothing held out)


BATCHES = {
    1: BatchRules(min_notebooks=66, min_repos=16, max_per_repo=8, min_by_library={"polars": 5, "statsmodels": 5},
                  min_numpy_only=3, min_runnable=24, heldout_seed=HELDOUT_SEED,
                  min_heldout_repos=5, min_heldout_notebooks=22),
    2: BatchRules(min_notebooks=30, min_repos=10, max_per_repo=4, min_by_library={"polars": 4, "statsmodels": 3},
                  min_numpy_only=2, min_runnable=10, heldout_seed=HELDOUT_SEED_BATCH2,
                  min_heldout_repos=3, min_heldout_notebooks=10),
    3: BatchRules(min_notebooks=18, min_repos=18, max_per_repo=1, heldout_seed=HELDOUT_SEED_BATCH3,
                  min_heldout_repos=6, min_heldout_notebooks=6),
    4: BatchRules(min_notebooks=12, min_repos=8, max_per_repo=2,
                  min_by_library={"polars": 2, "statsmodels": 2, "scikit-learn": 3}, min_numpy_only=1,
                  min_heldout_repos=8, min_heldout_notebooks=12, code_cells=(8, 60), all_heldout=True),
    5: BatchRules(min_notebooks=21, min_repos=12, max_per_repo=2,
                  min_by_library={"polars": 3, "statsmodels": 3, "scikit-learn": 5}, min_numpy_only=2,
                  heldout_seed=HELDOUT_SEED_BATCH5, min_heldout_repos=4, min_heldout_notebooks=7, code_cells=(8, 60)),
    6: BatchRules(min_notebooks=27, min_repos=15, max_per_repo=2,
                  min_by_library={"polars": 3, "statsmodels": 4, "scikit-learn": 8}, min_numpy_only=3,
                  heldout_seed=HELDOUT_SEED_BATCH6, min_heldout_repos=4, min_heldout_notebooks=9, code_cells=(8, 60)),
    7: BatchRules(min_notebooks=27, min_repos=15, max_per_repo=2,
                  min_by_library={"polars": 2, "statsmodels": 3, "scikit-learn": 12}, min_numpy_only=2,
                  heldout_seed=HELDOUT_SEED_BATCH7, min_heldout_repos=4, min_heldout_notebooks=9, code_cells=(8, 60)),
    8: BatchRules(min_notebooks=16, min_repos=10, max_per_repo=2,
                  min_by_library={"polars": 1, "statsmodels": 2, "scikit-learn": 6}, min_numpy_only=1,
                  min_heldout_repos=10, min_heldout_notebooks=16, code_cells=(8, 60), all_heldout=True),
    9: BatchRules(min_notebooks=14, min_repos=9, max_per_repo=2,
                  min_by_library={"polars": 1, "statsmodels": 1, "scikit-learn": 5}, min_numpy_only=1,
                  min_heldout_repos=0, min_heldout_notebooks=0, code_cells=(8, 60), all_tuning=True),
    10: BatchRules(min_notebooks=16, min_repos=10, max_per_repo=2,
                   min_by_library={"polars": 1, "statsmodels": 2, "scikit-learn": 6}, min_numpy_only=1,
                   min_heldout_repos=10, min_heldout_notebooks=16, code_cells=(8, 60), all_heldout=True),
    11: BatchRules(min_notebooks=16, min_repos=10, max_per_repo=2,
                   min_by_library={"polars": 1, "statsmodels": 2, "scikit-learn": 6}, min_numpy_only=1,
                   min_heldout_repos=10, min_heldout_notebooks=16, code_cells=(8, 60), all_heldout=True),
}
FIELDS = ("id", "repo", "commit", "path", "kind", "libraries", "license", "code_cells", "runnable",
          "data_files", "split", "batch")
ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")


def numpy_only(entry: dict) -> bool:
    libs = set(entry["libraries"])
    return "numpy" in libs and not libs & {"pandas", "polars"}


def draw_heldout(entries: list[dict], rules: BatchRules = BATCHES[1]) -> list[str]:
    """Whole repositories of one batch, in a seeded random order, until the held-out part has at least
    rules.min_heldout_repos repositories and a third of the notebooks (and rules.min_heldout_notebooks)."""
    repos = sorted({e["repo"] for e in entries})
    random.Random(rules.heldout_seed).shuffle(repos)
    per_repo = Counter(e["repo"] for e in entries)
    wanted = max(rules.min_heldout_notebooks, -(-len(entries) // 3))
    held: list[str] = []
    for repo in repos:
        if len(held) >= rules.min_heldout_repos and sum(per_repo[r] for r in held) >= wanted:
            break
        held.append(repo)
    return held


def heldout_repos(entries: list[dict], rules: BatchRules) -> list[str]:
    """The repositories one batch must hold out: every one where the lead held the whole batch out, none where the lead
    kept it all as tuning, else the draw."""
    if rules.all_tuning:
        return []
    if rules.all_heldout:
        return sorted({e["repo"] for e in entries})
    return draw_heldout(entries, rules)


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
        if e["batch"] not in BATCHES:
            found.append(f"{e['id']}: batch {e['batch']!r}, not one of {sorted(BATCHES)}")
            continue
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
    batches_of_repo: dict[str, set] = {}
    for e in entries:
        batches_of_repo.setdefault(e["repo"], set()).add(e["batch"])
    found += [f"{r}: in batches {sorted(b)}; a batch takes only repositories no earlier batch used"
              for r, b in batches_of_repo.items() if len(b) > 1]
    for batch, rules in BATCHES.items():
        found += [f"batch {batch}: {p}" for p in batch_problems([e for e in entries if e["batch"] == batch], rules)]
    held = sum(e["split"] == "heldout" for e in entries)
    if 3 * held < len(entries):  # issue 10: a third of the corpus is the team's own held-out part, whatever was moved
        found.append(f"held out {held} of {len(entries)} notebooks, less than a third")
    return found


def batch_problems(entries: list[dict], rules: BatchRules) -> list[str]:
    found: list[str] = []
    per_repo = Counter(e["repo"] for e in entries)
    found += [f"{r}: {n} notebooks, more than {rules.max_per_repo}"
              for r, n in per_repo.items() if n > rules.max_per_repo]
    if len(entries) < rules.min_notebooks:
        found.append(f"{len(entries)} notebooks, fewer than {rules.min_notebooks}")
    if len(per_repo) < rules.min_repos:
        found.append(f"{len(per_repo)} repositories, fewer than {rules.min_repos}")
    for lib, least in rules.min_by_library.items():
        n = sum(lib in e["libraries"] for e in entries)
        if n < least:
            found.append(f"{n} {lib} notebooks, fewer than {least}")
    if sum(map(numpy_only, entries)) < rules.min_numpy_only:
        found.append(f"fewer than {rules.min_numpy_only} NumPy-only notebooks")
    if sum(e["runnable"] for e in entries) < rules.min_runnable:
        found.append(f"fewer than {rules.min_runnable} runnable notebooks")
    low, high = rules.code_cells
    found += [f"{e['id']}: {e['code_cells']} code cells, outside this batch's {rules.code_cells}"
              for e in entries if not low <= e["code_cells"] <= high]

    splits_of_repo: dict[str, set] = {}
    for e in entries:
        splits_of_repo.setdefault(e["repo"], set()).add(e["split"])
    found += [f"{r}: split across {sorted(s)}; hold out whole repositories"
              for r, s in splits_of_repo.items() if len(s) > 1]
    if rules.all_tuning:  # no draw to compare with: every notebook is tuning material
        if any(e["split"] != "tuning" for e in entries):
            found.append("the whole batch is tuning, yet some notebooks are held out")
        return found
    held_repos = {e["repo"] for e in entries if e["split"] == "heldout"}
    drawn = set(heldout_repos(entries, rules))
    if held_repos != drawn - MOVED_TO_TUNING.keys():
        found.append("the whole batch is held out, yet some repositories are not" if rules.all_heldout
                     else f"held-out repositories are not the ones seed {rules.heldout_seed} draws, less those moved "
                          f"to tuning")
    found += [f"{r}: listed as moved to tuning, but its batch's draw did not hold it out"
              for r in MOVED_TO_TUNING if r in per_repo and r not in drawn]
    drawn_notebooks = sum(per_repo[r] for r in drawn)  # the draw's size is checked as drawn, before any move
    if len(drawn) < rules.min_heldout_repos or 3 * drawn_notebooks < len(entries) \
            or drawn_notebooks < rules.min_heldout_notebooks:
        found.append(f"drew {drawn_notebooks} notebooks from {len(drawn)} repositories; need a third and "
                     f"{rules.min_heldout_notebooks} from {rules.min_heldout_repos}")
    return found
