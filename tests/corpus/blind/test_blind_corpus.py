"""The blind corpus' manifest, the labellers' view and the restore script (no fetched files needed:
the restore test builds its own bare git repository)."""
from __future__ import annotations

import copy
import dataclasses
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import check  # noqa: E402
import committed  # noqa: E402
import labeller_view  # noqa: E402
import manifest_rules  # noqa: E402
import restore  # noqa: E402

MANIFEST = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_meets_the_selection_rules() -> None:
    assert manifest_rules.problems(MANIFEST) == []


def _batch(entries: list[dict], batch: int) -> list[dict]:
    return [e for e in entries if e["batch"] == batch]


@pytest.mark.parametrize("batch", [1, 2, 3])
def test_heldout_split_is_the_seeded_draw_of_whole_repositories(batch: int) -> None:
    rules = manifest_rules.BATCHES[batch]
    entries = _batch(MANIFEST, batch)
    drawn = set(manifest_rules.draw_heldout(entries, rules))
    assert {e["repo"] for e in entries if e["split"] == "heldout"} == drawn - manifest_rules.MOVED_TO_TUNING.keys()
    assert 3 * sum(e["repo"] in drawn for e in entries) >= len(entries)
    moved = copy.deepcopy(MANIFEST)
    tuning = next(e for e in moved if e["split"] == "tuning" and e["batch"] == batch)
    tuning["split"] = "heldout"
    found = manifest_rules.problems(moved)
    if sum(e["repo"] == tuning["repo"] for e in entries) > 1:  # batch 3 has one notebook per repository
        assert any(p.startswith(f"batch {batch}: ") and "hold out whole repositories" in p for p in found)
    assert any(f"seed {rules.heldout_seed} draws" in p for p in found)


def test_only_drawn_repositories_can_be_moved_to_tuning_and_their_notebooks_are_tuning() -> None:
    moved = [e for e in MANIFEST if e["repo"] in manifest_rules.MOVED_TO_TUNING]
    assert len(moved) == 8 + 18 + 18 and all(e["split"] == "tuning" for e in moved)  # 3 repositories, batches 8 and 10
    back = copy.deepcopy(MANIFEST)
    for e in back:
        if e["repo"] == "MarawanEmara/kaggle-notebooks":
            e["split"] = "heldout"
    assert any("less those moved to tuning" in p for p in manifest_rules.problems(back))
    tuning_repo = next(e["repo"] for e in MANIFEST if e["batch"] == 1 and e["split"] == "tuning")
    listed = {**manifest_rules.MOVED_TO_TUNING, tuning_repo: "not drawn"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_rules, "MOVED_TO_TUNING", listed)
        assert any(p.startswith(f"batch 1: {tuning_repo}: listed as moved") for p in manifest_rules.problems(MANIFEST))


def test_a_third_of_the_whole_corpus_is_held_out_after_the_move() -> None:
    assert 3 * sum(e["split"] == "heldout" for e in MANIFEST) >= len(MANIFEST)
    without_the_batches_held_out_whole = [e for e in MANIFEST if not manifest_rules.BATCHES[e["batch"]].all_heldout]
    assert "less than a third" in " ".join(manifest_rules.problems(without_the_batches_held_out_whole))


def test_each_batch_draws_with_its_own_seed_fixed_before_the_draw() -> None:
    assert manifest_rules.BATCHES[1].heldout_seed == manifest_rules.HELDOUT_SEED == 10
    assert manifest_rules.BATCHES[2].heldout_seed == manifest_rules.HELDOUT_SEED_BATCH2 == 1002
    assert manifest_rules.BATCHES[3].heldout_seed == manifest_rules.HELDOUT_SEED_BATCH3 == 1003
    assert manifest_rules.BATCHES[5].heldout_seed == manifest_rules.HELDOUT_SEED_BATCH5 == 1005
    assert manifest_rules.BATCHES[6].heldout_seed == manifest_rules.HELDOUT_SEED_BATCH6 == 1006
    assert manifest_rules.BATCHES[7].heldout_seed == manifest_rules.HELDOUT_SEED_BATCH7 == 1007
    batch2 = _batch(MANIFEST, 2)
    other_seed = dataclasses.replace(manifest_rules.BATCHES[2], heldout_seed=manifest_rules.HELDOUT_SEED)
    assert manifest_rules.draw_heldout(batch2, other_seed) != manifest_rules.draw_heldout(batch2,
                                                                                       manifest_rules.BATCHES[2])


def test_batch_three_takes_one_notebook_from_each_of_eighteen_new_repositories() -> None:
    earlier, batch3 = [e for e in MANIFEST if e["batch"] < 3], _batch(MANIFEST, 3)
    assert len(batch3) == 18 and len({e["repo"] for e in batch3}) == 18
    assert not {e["repo"] for e in earlier} & {e["repo"] for e in batch3}
    assert sum(e["split"] == "heldout" for e in batch3) == 6


@pytest.mark.parametrize("batch", [4, 11])
def test_a_batch_held_out_whole_by_decision_not_by_a_draw(batch: int) -> None:
    rules, chosen = manifest_rules.BATCHES[batch], _batch(MANIFEST, batch)
    assert {b for b, r in manifest_rules.BATCHES.items() if r.all_heldout} == {4, 8, 10, 11}
    assert chosen and all(e["split"] == "heldout" for e in chosen)
    assert manifest_rules.heldout_repos(chosen, rules) == sorted({e["repo"] for e in chosen})
    moved = copy.deepcopy(MANIFEST)
    for entry in moved:  # a whole repository moved: no split repository, only the batch rule can catch it
        if entry["batch"] == batch and entry["repo"] == chosen[0]["repo"]:
            entry["split"] = "tuning"
    found = manifest_rules.problems(moved)
    assert found == [f"batch {batch}: the whole batch is held out, yet some repositories are not"]


@pytest.mark.parametrize("batch", [8, 10])  # each moved once a fresh measure stood in its place
def test_a_batch_held_out_whole_and_then_moved_whole_to_tuning(batch: int) -> None:
    moved_batch = _batch(MANIFEST, batch)
    assert len(moved_batch) == 18 and all(e["split"] == "tuning" for e in moved_batch)
    assert {e["repo"] for e in moved_batch} <= manifest_rules.MOVED_TO_TUNING.keys()
    assert manifest_rules.BATCHES[batch].all_heldout  # as it was drawn: the move is listed, the rules are not rewritten
    back = copy.deepcopy(MANIFEST)
    next(e for e in back if e["batch"] == batch)["split"] = "heldout"  # one notebook back: half a repository or a batch
    assert any(p.startswith(f"batch {batch}: ") for p in manifest_rules.problems(back))
    unlisted = {r: why for r, why in manifest_rules.MOVED_TO_TUNING.items() if r != moved_batch[0]["repo"]}
    with pytest.MonkeyPatch.context() as patch:  # a repository of the batch tuned on without being listed as moved
        patch.setattr(manifest_rules, "MOVED_TO_TUNING", unlisted)
        found = manifest_rules.problems(MANIFEST)
        assert f"batch {batch}: the whole batch is held out, yet some repositories are not" in found


def test_batch_four_is_fresh_and_asks_for_its_own_libraries_and_sizes() -> None:
    batch4 = _batch(MANIFEST, 4)
    pool = json.loads((HERE.parent / "rt_pool" / "manifest.json").read_text(encoding="utf-8"))["repositories"]
    pool_repos = {r["repo"] for r in pool}
    earlier = {e["repo"] for e in MANIFEST if e["batch"] < 4}
    assert not {e["repo"] for e in batch4} & (earlier | pool_repos)
    assert all(not e["runnable"] and e["note"] for e in batch4)
    trimmed = copy.deepcopy(MANIFEST)
    polars = [e for e in trimmed if e["batch"] == 4 and "polars" in e["libraries"]]
    polars[0]["libraries"] = [lib for lib in polars[0]["libraries"] if lib != "polars"]
    polars[1]["code_cells"] = 61
    found = manifest_rules.problems(trimmed)
    assert f"batch 4: {len(polars) - 1} polars notebooks, fewer than 2" in found
    assert f"batch 4: {polars[1]['id']}: 61 code cells, outside this batch's (8, 60)" in found


@pytest.mark.parametrize("batch, other_seed", [(5, manifest_rules.HELDOUT_SEED_BATCH3),
                                               (6, manifest_rules.HELDOUT_SEED_BATCH5),
                                               (7, manifest_rules.HELDOUT_SEED_BATCH6)])
def test_a_seeded_batch_is_fresh_and_holds_out_the_third_its_seed_draws(batch: int, other_seed: int) -> None:
    rules, chosen = manifest_rules.BATCHES[batch], _batch(MANIFEST, batch)
    pool = json.loads((HERE.parent / "rt_pool" / "manifest.json").read_text(encoding="utf-8"))["repositories"]
    earlier = {e["repo"] for e in MANIFEST if e["batch"] < batch}
    assert not {e["repo"] for e in chosen} & (earlier | {r["repo"] for r in pool})
    assert len(chosen) >= rules.min_notebooks and len({e["repo"] for e in chosen}) >= rules.min_repos
    assert max(Counter(e["repo"] for e in chosen).values()) <= rules.max_per_repo and not rules.all_heldout
    assert all(not e["runnable"] and e["note"] for e in chosen)
    drawn = manifest_rules.draw_heldout(chosen, rules)
    assert {e["repo"] for e in chosen if e["split"] == "heldout"} == set(drawn) and len(drawn) >= 4
    held = sum(e["split"] == "heldout" for e in chosen)
    assert 3 * held >= len(chosen)
    other = dataclasses.replace(rules, heldout_seed=other_seed)
    assert manifest_rules.draw_heldout(chosen, other) != drawn  # the split is this seed's, not any seed's
    flipped = copy.deepcopy(MANIFEST)
    for e in flipped:
        if e["batch"] == batch and e["repo"] == drawn[0]:
            e["split"] = "tuning"
    assert any(p.startswith(f"batch {batch}: held-out repositories are not the ones seed {rules.heldout_seed} draws")
               for p in manifest_rules.problems(flipped))


def test_batch_six_asks_for_its_own_libraries() -> None:
    trimmed = [e for e in MANIFEST if not (e["batch"] == 6 and numpy_only_or_polars(e))]
    found = manifest_rules.problems(trimmed)
    assert any(p.startswith("batch 6: ") and "polars notebooks, fewer than 3" in p for p in found)
    assert "batch 6: fewer than 3 NumPy-only notebooks" in found


def test_batch_seven_asks_for_its_own_libraries() -> None:
    trimmed = [e for e in MANIFEST if not (e["batch"] == 7 and numpy_only_or_polars(e))]
    found = manifest_rules.problems(trimmed)
    assert any(p.startswith("batch 7: ") and "polars notebooks, fewer than 2" in p for p in found)
    assert "batch 7: fewer than 2 NumPy-only notebooks" in found
    no_sklearn = copy.deepcopy(MANIFEST)
    for e in no_sklearn:
        if e["batch"] == 7:
            e["libraries"] = [lib for lib in e["libraries"] if lib not in ("scikit-learn", "statsmodels")]
    found = manifest_rules.problems(no_sklearn)
    assert "batch 7: 0 scikit-learn notebooks, fewer than 12" in found
    assert "batch 7: 0 statsmodels notebooks, fewer than 3" in found


def test_batch_eight_is_fresh_and_asks_for_its_own_libraries_and_sizes() -> None:
    moved_batch = _batch(MANIFEST, 8)
    pool = json.loads((HERE.parent / "rt_pool" / "manifest.json").read_text(encoding="utf-8"))["repositories"]
    earlier = {e["repo"] for e in MANIFEST if e["batch"] < 8}
    assert not {e["repo"] for e in moved_batch} & (earlier | {r["repo"] for r in pool})
    assert all(not e["runnable"] and e["note"] for e in moved_batch)
    trimmed = [e for e in MANIFEST if not (e["batch"] == 8 and numpy_only_or_polars(e))]
    found = manifest_rules.problems(trimmed)
    assert "batch 8: 0 polars notebooks, fewer than 1" in found
    assert "batch 8: fewer than 1 NumPy-only notebooks" in found
    no_models = copy.deepcopy(MANIFEST)
    for e in no_models:
        if e["batch"] == 8:
            e["libraries"] = [lib for lib in e["libraries"] if lib not in ("scikit-learn", "statsmodels")]
    found = manifest_rules.problems(no_models)
    assert "batch 8: 0 scikit-learn notebooks, fewer than 6" in found
    assert "batch 8: 0 statsmodels notebooks, fewer than 2" in found
    grown = copy.deepcopy(MANIFEST)
    longest = max((e for e in grown if e["batch"] == 8), key=lambda e: e["code_cells"])
    longest["code_cells"] = 61
    assert f"batch 8: {longest['id']}: 61 code cells, outside this batch's (8, 60)" in manifest_rules.problems(grown)


def test_batch_nine_is_fresh_and_asks_for_its_own_libraries_and_sizes() -> None:
    batch9 = _batch(MANIFEST, 9)
    pool = json.loads((HERE.parent / "rt_pool" / "manifest.json").read_text(encoding="utf-8"))["repositories"]
    earlier = {e["repo"] for e in MANIFEST if e["batch"] < 9}
    assert not {e["repo"] for e in batch9} & (earlier | {r["repo"] for r in pool})
    assert all(not e["runnable"] and e["note"] for e in batch9)
    assert sum(e["code_cells"] for e in batch9) <= 420  # what the labellers can read in one sitting
    trimmed = [e for e in MANIFEST if not (e["batch"] == 9 and numpy_only_or_polars(e))]
    found = manifest_rules.problems(trimmed)
    assert "batch 9: 0 polars notebooks, fewer than 1" in found
    assert "batch 9: fewer than 1 NumPy-only notebooks" in found
    no_models = copy.deepcopy(MANIFEST)
    for e in no_models:
        if e["batch"] == 9:
            e["libraries"] = [lib for lib in e["libraries"] if lib not in ("scikit-learn", "statsmodels")]
    found = manifest_rules.problems(no_models)
    assert "batch 9: 0 scikit-learn notebooks, fewer than 5" in found
    assert "batch 9: 0 statsmodels notebooks, fewer than 1" in found
    shortest = min(range(len(MANIFEST)), key=lambda i: (MANIFEST[i]["batch"] != 9, MANIFEST[i]["code_cells"]))
    shrunk = copy.deepcopy(MANIFEST)
    shrunk[shortest]["code_cells"] = 7
    assert f"batch 9: {shrunk[shortest]['id']}: 7 code cells, outside this batch's (8, 60)" in \
        manifest_rules.problems(shrunk)


def test_batch_nine_is_tuning_material_whole_and_draws_nothing() -> None:
    rules, batch9 = manifest_rules.BATCHES[9], _batch(MANIFEST, 9)
    assert {b for b, r in manifest_rules.BATCHES.items() if r.all_tuning} == {9} and not rules.all_heldout
    assert batch9 and all(e["split"] == "tuning" for e in batch9)
    assert manifest_rules.heldout_repos(batch9, rules) == []
    assert manifest_rules.batch_problems(batch9, rules) == []
    held = copy.deepcopy(MANIFEST)
    alone = Counter(e["repo"] for e in batch9)
    single = next(e for e in held if e["batch"] == 9 and alone[e["repo"]] == 1)
    single["split"] = "heldout"  # a whole repository held out: no split repository, only the batch rule can catch it
    assert manifest_rules.problems(held) == ["batch 9: the whole batch is tuning, yet some notebooks are held out"]


@pytest.mark.parametrize("batch", [10, 11])  # each a fresh measure in turn, chosen by batch 8's rules
def test_a_fresh_held_out_batch_asks_for_batch_eights_libraries_sizes_and_kinds(batch: int) -> None:
    chosen = _batch(MANIFEST, batch)
    pool = json.loads((HERE.parent / "rt_pool" / "manifest.json").read_text(encoding="utf-8"))["repositories"]
    earlier = {e["repo"] for e in MANIFEST if e["batch"] < batch}
    assert not {e["repo"] for e in chosen} & (earlier | {r["repo"] for r in pool})
    assert all(not e["runnable"] and e["note"] for e in chosen)
    assert sum(e["code_cells"] for e in chosen) <= 450  # what four labellers can read in one sitting
    assert manifest_rules.BATCHES[batch] == manifest_rules.BATCHES[8]  # chosen by batch 8's rules
    assert {e["kind"] for e in chosen} == {"course", "kaggle", "library_docs", "research", "personal"}
    assert all(len({e["repo"] for e in chosen if e["kind"] == kind}) >= 2 for kind in {e["kind"] for e in chosen})
    trimmed = [e for e in MANIFEST if not (e["batch"] == batch and numpy_only_or_polars(e))]
    found = manifest_rules.problems(trimmed)
    assert f"batch {batch}: 0 polars notebooks, fewer than 1" in found
    assert f"batch {batch}: fewer than 1 NumPy-only notebooks" in found
    no_models = copy.deepcopy(MANIFEST)
    for e in no_models:
        if e["batch"] == batch:
            e["libraries"] = [lib for lib in e["libraries"] if lib not in ("scikit-learn", "statsmodels")]
    found = manifest_rules.problems(no_models)
    assert f"batch {batch}: 0 scikit-learn notebooks, fewer than 6" in found
    assert f"batch {batch}: 0 statsmodels notebooks, fewer than 2" in found
    grown = copy.deepcopy(MANIFEST)
    longest = max((e for e in grown if e["batch"] == batch), key=lambda e: e["code_cells"])
    longest["code_cells"] = 61
    too_long = f"batch {batch}: {longest['id']}: 61 code cells, outside this batch's (8, 60)"
    assert too_long in manifest_rules.problems(grown)
    third = copy.deepcopy(MANIFEST)
    two = Counter(e["repo"] for e in chosen).most_common(1)[0][0]
    extra = copy.deepcopy(next(e for e in third if e["repo"] == two))
    third.append({**extra, "id": extra["id"] + "-third", "path": extra["path"] + ".copy"})
    assert f"batch {batch}: {two}: 3 notebooks, more than 2" in manifest_rules.problems(third)


def numpy_only_or_polars(entry: dict) -> bool:
    return manifest_rules.numpy_only(entry) or "polars" in entry["libraries"]


def test_batch_two_is_a_fresh_wide_batch() -> None:
    batch1, batch2 = _batch(MANIFEST, 1), _batch(MANIFEST, 2)
    assert len(batch1) == 75  # batch 1 is unchanged
    assert len(batch2) >= 30 and len({e["repo"] for e in batch2}) >= 10
    assert max(Counter(e["repo"] for e in batch2).values()) <= 4
    assert not {e["repo"] for e in batch1} & {e["repo"] for e in batch2}


def test_rules_catch_a_batch_two_repository_over_its_cap_or_shared_with_batch_one() -> None:
    entries = copy.deepcopy(MANIFEST)
    first2 = next(e for e in entries if e["batch"] == 2)
    for n in range(manifest_rules.BATCHES[2].max_per_repo):
        entries.append({**first2, "id": f"extra{n}", "path": f"extra/{n}.ipynb"})
    first1 = entries[0]
    entries.append({**first2, "id": "reused", "repo": first1["repo"], "path": "other.ipynb"})
    found = manifest_rules.problems(entries)
    assert any(p.startswith("batch 2: ") and "more than 4" in p for p in found)
    assert any(p.startswith(f"{first1['repo']}: in batches [1, 2]") for p in found)


def test_rules_reject_an_entry_without_a_known_batch() -> None:
    entries = copy.deepcopy(MANIFEST)
    del entries[0]["batch"]
    unknown = max(manifest_rules.BATCHES) + 1  # the next batch, before its rules are written
    entries[1]["batch"] = unknown
    found = manifest_rules.problems(entries)
    assert any(p == f"{entries[0]['id']}: fields missing: batch" for p in found)
    assert any(p.startswith(f"{entries[1]['id']}: batch {unknown}, not one of {sorted(manifest_rules.BATCHES)}")
               for p in found)


def test_rules_catch_a_repository_over_the_cap_and_a_reused_id() -> None:
    entries = copy.deepcopy(MANIFEST)
    first = entries[0]
    for n in range(manifest_rules.BATCHES[1].max_per_repo):
        entries.append({**first, "id": f"extra{n}", "path": f"extra/{n}.ipynb"})
    entries.append(dict(first))
    found = manifest_rules.problems(entries)
    assert any(p.startswith("batch 1: ") and "more than 8" in p for p in found)
    assert any("id used 2 times" in p for p in found)


def _cell(kind: str, source: str, outputs: list | None = None) -> dict:
    cell = {"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True)}
    if kind == "code":
        cell.update(outputs=outputs or [], execution_count=None)
    return cell


NOTEBOOK = {
    "nbformat": 4, "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}},
    "cells": [
        _cell("markdown", "# Title"),
        _cell("code", "import pandas as pd\ndf = pd.read_csv('data/x.csv')", [
            {"output_type": "stream", "name": "stdout", "text": [f"line {i}\n" for i in range(6)]},
            {"output_type": "stream", "name": "stdout", "text": [f"line {i}\n" for i in range(6, 12)]},
        ]),
        _cell("raw", "raw text"),
        _cell("code", "df.plot()", [
            {"output_type": "display_data", "metadata": {},
             "data": {"image/png": "iVBOR", "text/plain": ["<Figure size 640x480 with 1 Axes>"]}},
            {"output_type": "error", "ename": "KeyError", "evalue": "'\x1b[0;31mcol'", "traceback": []},
        ]),
    ],
}


def test_view_numbers_every_cell_and_clips_outputs() -> None:
    text = labeller_view.render(NOTEBOOK, "t")
    assert labeller_view.headers(text) == [(0, "markdown"), (1, "code"), (2, "raw"), (3, "code")]
    first_output = text.split("### cell 1 [code]")[1].split("### cell 2")[0]
    assert "line 7" in first_output and "line 8" not in first_output
    assert "… [4 more lines]" in first_output
    last = text.split("### cell 3 [code]")[1]
    assert "[image]" in last and "<Figure size" not in last
    assert "KeyError: 'col" in last


def _bare_mirror(tmp_path: Path) -> tuple[Path, str]:
    work = tmp_path / "work"
    (work / "nbs" / "data").mkdir(parents=True)
    (work / "nbs" / "a.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    (work / "nbs" / "data" / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(work)]
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    mirrors = tmp_path / "mirror"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(mirrors / "someone+nbs" / "repo")], check=True)
    return mirrors, commit


def test_restore_extracts_pinned_files_and_check_accepts_them(tmp_path: Path) -> None:
    mirrors, commit = _bare_mirror(tmp_path)
    entry = {"id": "nbs__a", "repo": "someone/nbs", "commit": commit, "path": "nbs/a.ipynb", "kind": "tutorial",
             "libraries": ["pandas"], "license": "unknown", "code_cells": 2, "runnable": True,
             "data_files": [{"path": "nbs/data/x.csv", "to": "nbs/data/x.csv"}], "split": "tuning"}
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps([entry]), encoding="utf-8")
    out = tmp_path / "out"
    assert restore.main(["--manifest", str(manifest), "--mirrors", str(mirrors), "--out", str(out)]) == 0
    assert (out / "nb" / "nbs__a.ipynb").read_text(encoding="utf-8") == json.dumps(NOTEBOOK)
    assert (out / "run" / "nbs__a" / "nbs" / "data" / "x.csv").read_text(encoding="utf-8") == "a,b\n1,2\n"
    assert check.entry_problems(entry, out) == []

    (out / "view" / "nbs__a.txt").write_text("### cell 0 [markdown]\n", encoding="utf-8")
    assert any("view cell headers" in p for p in check.entry_problems(entry, out))


def test_restore_reports_a_missing_mirror_and_a_path_leaving_the_run_dir(tmp_path: Path, capsys) -> None:
    mirrors, commit = _bare_mirror(tmp_path)
    good = {"id": "nbs__a", "repo": "someone/nbs", "commit": commit, "path": "nbs/a.ipynb", "runnable": True,
            "data_files": [{"path": "nbs/data/x.csv", "to": "../../escape.csv"}]}
    absent = {**good, "id": "other__a", "repo": "other/absent", "runnable": False, "data_files": []}
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps([good, absent]), encoding="utf-8")
    assert restore.main(["--manifest", str(manifest), "--mirrors", str(mirrors), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "path leaves the run directory" in err
    assert "fetch github:other/absent" in err
    assert not (tmp_path / "o" / "escape.csv").exists()


def test_restore_reads_a_snapshot_kept_as_repo_dot_git_and_restores_one_batch_beside_the_other(
        tmp_path: Path) -> None:
    mirrors, commit = _bare_mirror(tmp_path)
    # some snapshots arrive as a work tree's .git rather than a bare repository
    subprocess.run(["git", "clone", "-q", str(mirrors / "someone+nbs" / "repo"),
                    str(mirrors / "second+nbs" / "repo")], check=True)
    entry = {"id": "nbs__a", "repo": "someone/nbs", "commit": commit, "path": "nbs/a.ipynb", "runnable": False,
             "data_files": [], "batch": 1}
    second = {**entry, "id": "second__a", "repo": "second/nbs", "batch": 2}
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps([entry, second]), encoding="utf-8")
    out = tmp_path / "out"
    (out / "nb").mkdir(parents=True)
    (out / "nb" / "restored-by-someone-else.ipynb").write_text("{}", encoding="utf-8")
    args = ["--manifest", str(manifest), "--mirrors", str(mirrors), "--out", str(out)]
    assert restore.main([*args, "--batch", "2"]) == 0
    assert sorted(p.name for p in (out / "nb").iterdir()) == ["restored-by-someone-else.ipynb", "second__a.ipynb"]
    assert (out / "view" / "second__a.txt").is_file()


# ---------------------------------------------------------------- the notebooks committed here (committed.py)
def test_licences_are_read_part_by_part() -> None:
    assert committed.licence_parts("MIT (code); CC-BY-NC-ND-3.0 (text)") == [("MIT", "code"),
                                                                             ("CC-BY-NC-ND-3.0", "text")]
    forms = {licence: committed.committed_form({"license": licence}) for licence in (
        "MIT", "BSD-3-Clause (README)", "MIT (code, README)", "CC-BY-SA-4.0 (README)", "Apache-2.0",
        "MIT (code); CC-BY-NC-ND-3.0 (text)", "unknown", "unknown (no LICENSE file)", "GPL-3.0", "CC-BY-NC-4.0",
        "CC-BY-NC-ND-3.0 (code); MIT (text)", "MIT; GPL-3.0")}
    assert [licence for licence, form in forms.items() if form == committed.WHOLE] == [
        "MIT", "BSD-3-Clause (README)", "MIT (code, README)", "CC-BY-SA-4.0 (README)", "Apache-2.0"]
    assert [licence for licence, form in forms.items() if form == committed.CODE_ONLY] == [
        "MIT (code); CC-BY-NC-ND-3.0 (text)"]


def test_committed_form_keeps_what_analysis_reads_and_notes_the_change() -> None:
    entry = {"repo": "someone/nbs", "commit": "c" * 40, "path": "nbs/a.ipynb", "license": "MIT"}
    pinned = copy.deepcopy(NOTEBOOK)
    pinned["cells"][1]["execution_count"] = 3
    pinned["cells"][1]["id"] = "abc"
    pinned["cells"][0]["attachments"] = {"x.png": {"image/png": "iVBOR"}}
    pinned["metadata"]["widgets"] = {"state": {}}
    small = committed.smallest_form(pinned, entry, committed.WHOLE)
    assert [c["source"] for c in small["cells"]] == [c["source"] for c in pinned["cells"]]
    assert small["cells"][1]["id"] == "abc" and small["cells"][1]["execution_count"] == 3
    assert small["cells"][1]["outputs"] == []  # streams dropped
    assert [o["output_type"] for o in small["cells"][3]["outputs"]] == ["error"]  # a saved error decides what ran
    assert "attachments" not in small["cells"][0] and "widgets" not in small["metadata"]
    assert small["metadata"]["kernelspec"] == NOTEBOOK["metadata"]["kernelspec"]
    assert small["metadata"]["trackit_blind_corpus"] == {**entry, "changes": committed.CHANGES[committed.WHOLE]}
    code_only = committed.smallest_form(pinned, entry, committed.CODE_ONLY)
    assert [c["source"] for c in code_only["cells"]] == ["", pinned["cells"][1]["source"], pinned["cells"][2]["source"],
                                                         pinned["cells"][3]["source"]]


def test_the_committed_notebooks_are_exactly_those_the_licences_allow_and_match_the_manifest() -> None:
    allowed = {e["id"]: e for e in MANIFEST if committed.committed_form(e) is not None}
    assert sorted(p.stem for p in committed.NOTEBOOKS.glob("*.ipynb")) == sorted(allowed)
    licences = (committed.NOTEBOOKS / "LICENSES.md").read_text(encoding="utf-8")
    for entry in allowed.values():
        notebook = json.loads(committed.committed_path(entry).read_text(encoding="utf-8"))
        form = committed.committed_form(entry)
        assert notebook["metadata"]["trackit_blind_corpus"] == {
            "repo": entry["repo"], "commit": entry["commit"], "path": entry["path"], "license": entry["license"],
            "changes": committed.CHANGES[form]}, entry["id"]
        assert len(notebook["cells"]) == entry["cells"], entry["id"]  # labels count cells: none added or lost
        assert sum(c["cell_type"] == "code" for c in notebook["cells"]) == entry["code_cells"], entry["id"]
        assert f"{entry['repo']}@{entry['commit']}" in licences, entry["repo"]
        if form == committed.CODE_ONLY:
            assert all(c["source"] == "" for c in notebook["cells"] if c["cell_type"] == "markdown"), entry["id"]
