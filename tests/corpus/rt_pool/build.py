"""Rebuild the runtime-facts pool from manifest.json: copy each pinned repository's files out of its fetched git
mirror, run each notebook top to bottom in a real kernel (measure.py), and write pool.json.

    python3 tests/corpus/rt_pool/build.py [--out /work/corpus/rt-pool] [--only SLUG ...] [--reuse]

The mirrors are bare git directories at <mirrors>/<owner>+<name>/repo (what the workplace `fetch` tool brings);
a missing mirror or commit is reported in one line and that repository is skipped. Raw measurements are kept in
<out>/raw/ so `--reuse` rebuilds pool.json without running kernels again. The notebooks and data are public
material: they stay under --out and are never committed.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from classify import candidates, rerun_worthy_cells  # noqa: E402
from measure import code_cells  # noqa: E402

ROOT = HERE.parents[2]


def mirror_of(mirrors: Path, repo: str) -> Path:
    """The git directory `fetch` left: bare at .../repo, or a checkout's .../repo/.git."""
    base = mirrors / repo.replace("/", "+") / "repo"
    return base / ".git" if (base / ".git").is_dir() else base


def copy_out(git_dir: Path, commit: str, paths: list[str], dest: Path) -> list[str]:
    """Write the files under `paths` at `commit` into dest; returns the ones the snapshot lacks (large files)."""
    listing = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "-r", "-z", commit, "--", *paths],
                             capture_output=True, check=True).stdout.decode()
    missing = []
    for line in filter(None, listing.split("\0")):
        meta, name = line.split("\t", 1)
        blob = subprocess.run(["git", "--git-dir", str(git_dir), "cat-file", "blob", meta.split()[2]],
                              capture_output=True)
        if blob.returncode != 0:
            missing.append(name)
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
    return missing


def rewrite_paths(notebook: Path, rewrites: dict[str, str]) -> None:
    """Point a notebook's absolute data paths (a Colab drive, a C:\\ folder) at the copied file; code cells only."""
    content = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in content["cells"]:
        if cell.get("cell_type") == "code":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for old, new in rewrites.items():
                source = source.replace(old, new)
            cell["source"] = source
    notebook.write_text(json.dumps(content, indent=1), encoding="utf-8")


def static_ops(trackit: Path, notebook: Path) -> dict[tuple[int, int], list[str]]:
    done = subprocess.run([str(trackit), "analyze", "--json", str(notebook)], capture_output=True, text=True)
    if done.returncode != 0:
        return {}
    ops: dict[tuple[int, int], list[str]] = {}
    for execution in json.loads(done.stdout)["executions"]:
        for step in execution["steps"]:
            ops.setdefault((execution["cell_index"], step["line"]), []).append(step["op"])
    return ops


def measure(kernel_python: Path, notebook: Path, raw: Path, timeout: float, rerun_cells: list[int] = (),
            cwd: Path | None = None) -> dict:
    command = [str(kernel_python), str(HERE / "measure.py"), str(notebook)]
    if cwd is not None:
        command += ["--cwd", str(cwd)]
    if rerun_cells:
        command += ["--rerun-cells", *map(str, rerun_cells)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"failed": f"no result in {timeout:.0f} s"}
    if done.returncode != 0:
        return {"failed": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(done.stdout)
    return json.loads(done.stdout)


def kernel_cwd(entry: dict, args: argparse.Namespace) -> Path | None:
    """The manifest's `cwd` (relative to the repository copy) for notebooks that read data from the root."""
    return args.out / entry["slug"] / entry["cwd"] if "cwd" in entry else None


def rerun_pass(entry: dict, raws: dict[str, Path], args: argparse.Namespace) -> list[dict]:
    """Only the second-kernel re-runs, for notebooks measured before re-runs existed; then the pool entries."""
    for path, raw in raws.items():
        rerun_raw = raw.with_suffix(".rerun.json")
        if not raw.is_file() or rerun_raw.is_file():
            continue
        measured = json.loads(raw.read_text())
        cells = [] if "failed" in measured else rerun_worthy_cells(measured)
        if cells:
            print(f"run {entry['slug']}/{path} re-running code cells {cells}", file=sys.stderr, flush=True)
            measure(args.kernel_python, args.out / entry["slug"] / path, rerun_raw, args.notebook_timeout, cells,
                    kernel_cwd(entry, args))
    reuse = argparse.Namespace(**{**vars(args), "reuse": True, "reruns_only": False})
    return build_repository(entry, reuse)


def build_repository(entry: dict, args: argparse.Namespace) -> list[dict]:
    slug, git_dir = entry["slug"], mirror_of(args.mirrors, entry["repo"])
    raws = {path: args.out / "raw" / slug / (path.replace("/", "__") + ".json") for path in entry["notebooks"]}
    if args.reruns_only:
        return rerun_pass(entry, raws, args)
    if args.reuse and not all(raw.is_file() for raw in raws.values()):
        print(f"{slug}: no kept measurement of every notebook; not run (--reuse runs no kernel)", file=sys.stderr)
        return []
    run = not args.reuse
    if run:
        if not git_dir.is_dir():
            print(f"{slug}: no mirror at {git_dir}; fetch github:{entry['repo']} first", file=sys.stderr)
            return []
        missing = copy_out(git_dir, entry["commit"], entry["copy"], args.out / slug)
        if missing:
            print(f"{slug}: the snapshot lacks {len(missing)} file(s), e.g. {missing[0]}", file=sys.stderr)
        for path in entry["notebooks"]:
            if entry.get("rewrite"):
                rewrite_paths(args.out / slug / path, entry["rewrite"])
    notebooks = []
    for path, raw in raws.items():
        local = args.out / slug / path
        rerun_raw = raw.with_suffix(".rerun.json")
        if run:
            print(f"run {slug}/{path}", file=sys.stderr, flush=True)
            measured = measure(args.kernel_python, local, raw, args.notebook_timeout, cwd=kernel_cwd(entry, args))
            rerun_raw.unlink(missing_ok=True)
            cells = [] if "failed" in measured else rerun_worthy_cells(measured)
            if cells:  # a second kernel, so the first run's figures stay those of a plain top-to-bottom run
                print(f"run {slug}/{path} re-running code cells {cells}", file=sys.stderr, flush=True)
                measure(args.kernel_python, local, rerun_raw, args.notebook_timeout, cells, kernel_cwd(entry, args))
        else:
            measured = json.loads(raw.read_text())
        if "failed" not in measured and rerun_raw.is_file():
            reruns = json.loads(rerun_raw.read_text())["records"]
            measured = {**measured, "records": measured["records"] + [r for r in reruns if r.get("rerun")]}
        sources = [source for _, source in code_cells(json.loads(local.read_text()))]
        item = {"repo": entry["repo"], "commit": entry["commit"], "path": path, "local_path": str(local),
                "runs_to_end": bool(measured.get("runs_to_end")),
                "first_error": measured.get("failed") or measured.get("first_error"), "code_cells": len(sources),
                "paths_rewritten": sorted(entry.get("rewrite", {}))}
        if "failed" not in measured:
            item["candidates"] = candidates(measured, sources, static_ops(args.trackit, local))
        notebooks.append(item)
    return notebooks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/work/corpus/rt-pool"))
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--kernel-python", type=Path, default=Path("/tmp/rtfind-kernel/bin/python"))
    parser.add_argument("--trackit", type=Path, default=ROOT / ".venv" / "bin" / "trackit")
    parser.add_argument("--only", nargs="*", default=None, help="repository slugs to (re)run")
    parser.add_argument("--reuse", action="store_true", help="use kept raw measurements instead of running")
    parser.add_argument("--reruns-only", action="store_true",
                        help="only the re-run pass, for kept measurements that have none yet")
    parser.add_argument("--notebook-timeout", type=float, default=300)
    args = parser.parse_args()
    manifest = json.loads((HERE / "manifest.json").read_text())
    pool_path = args.out / "pool.json"
    built: dict[str, list[dict]] = {}
    for entry in manifest["repositories"]:
        if args.only is None or entry["slug"] in args.only:
            built[entry["slug"]] = build_repository(entry, args)
            write_pool(pool_path, merged(manifest, built, pool_path))  # readers see each repository early
    return 0


def merged(manifest: dict, built: dict[str, list[dict]], pool_path: Path) -> list[dict]:
    """This run's repositories plus, for the others, what pool.json holds now (another build may have added
    some meanwhile), in manifest order."""
    current = {(n["repo"], n["path"]): n for n in json.loads(pool_path.read_text())["notebooks"]} \
        if pool_path.is_file() else {}
    notebooks = []
    for entry in manifest["repositories"]:
        if entry["slug"] in built:
            notebooks += built[entry["slug"]]
        else:
            notebooks += [current[(entry["repo"], p)] for p in entry["notebooks"] if (entry["repo"], p) in current]
    return notebooks


def write_pool(pool_path: Path, notebooks: list[dict]) -> None:
    counts: dict[str, int] = {}
    for notebook in notebooks:
        for candidate in notebook.get("candidates", []):
            counts[candidate["kind"]] = counts.get(candidate["kind"], 0) + 1
    pool = {"about": "Real public notebooks run top to bottom here, with the measured rows of statements whose "
                     "op only runtime facts can settle. Built by tests/corpus/rt_pool/build.py.",
            "kinds": dict(sorted(counts.items())), "notebooks": notebooks}
    pool_path.parent.mkdir(parents=True, exist_ok=True)
    pool_path.write_text(json.dumps(pool, indent=1) + "\n")
    print(f"{pool_path}: {len(notebooks)} notebooks; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    sys.exit(main())
