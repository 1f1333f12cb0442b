"""Re-create the blind corpus outside the repository from manifest.json and fetched bare git dirs.

    python3 tests/corpus/blind/restore.py [--mirrors /work/.mirror] [--out /work/corpus/blind] [--batch N]

`--batch` takes any batch that manifest_rules.BATCHES names (1 to 11 today).

Every batch restores into the same folders (ids are unique across batches); nothing there is deleted.
For each manifest entry it reads `<commit>:<path>` (and, for runnable entries, each data file)
with `git show` from `<mirrors>/<owner>+<name>/repo` (where the search tool's `fetch` puts a
repository; some snapshots arrive as `repo/.git`) and writes
  <out>/nb/<id>.ipynb            the notebook byte for byte as pinned,
  <out>/view/<id>.txt            the labellers' plain-text view (labeller_view.py),
  <out>/run/<id>/<path>          runnable entries: the notebook with its data at the paths the
                                 notebook names them by (data_files[].to).
It only extracts files: nothing fetched is built, imported or run. The public notebooks stay out
of the repository on purpose; this script and the manifest are what we commit.
"""
from __future__ import annotations

import argparse
import json
import posixpath
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import labeller_view  # noqa: E402  (a sibling file, not a package)
import manifest_rules  # noqa: E402


def git_dir(mirrors: Path, repo: str) -> Path | None:
    base = mirrors / repo.replace("/", "+")
    for candidate in (base / "repo", base / "repo" / ".git", base):
        if (candidate / "HEAD").is_file():
            return candidate
    return None


def git_show(gdir: Path, commit: str, path: str) -> bytes:
    done = subprocess.run(["git", "--git-dir", str(gdir), "show", f"{commit}:{path}"], capture_output=True)
    if done.returncode != 0:
        raise LookupError(done.stderr.decode(errors="replace").strip() or f"{commit}:{path} not found")
    return done.stdout


def safe_relative(path: str) -> str:
    """A run-directory path must stay inside that directory."""
    norm = posixpath.normpath(path)
    if norm.startswith(("/", "../")) or norm == "..":
        raise ValueError(f"path leaves the run directory: {path}")
    return norm


def restore_entry(entry: dict, gdir: Path, out: Path) -> None:
    raw = git_show(gdir, entry["commit"], entry["path"])
    notebook = json.loads(raw)
    (out / "nb" / f"{entry['id']}.ipynb").write_bytes(raw)
    title = f"{entry['id']} — {entry['repo']} @ {entry['commit'][:12]} : {entry['path']}"
    (out / "view" / f"{entry['id']}.txt").write_text(labeller_view.render(notebook, title), encoding="utf-8")
    if entry.get("runnable"):
        run = out / "run" / entry["id"]
        target = run / safe_relative(entry["path"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)
        for data in entry.get("data_files", []):
            dest = run / safe_relative(data["to"])
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(git_show(gdir, entry["commit"], data["path"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, default=HERE / "manifest.json")
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--out", type=Path, default=Path("/work/corpus/blind"))
    parser.add_argument("--only", nargs="*", help="restore only these ids")
    parser.add_argument("--batch", type=int, choices=sorted(manifest_rules.BATCHES),
                        help="restore only this batch's entries")
    args = parser.parse_args(argv)

    entries = json.loads(args.manifest.read_text(encoding="utf-8"))
    if args.batch is not None:
        entries = [e for e in entries if e["batch"] == args.batch]
    if args.only:
        entries = [e for e in entries if e["id"] in set(args.only)]
    for sub in ("nb", "view", "run"):
        (args.out / sub).mkdir(parents=True, exist_ok=True)
    failed, missing_repos = 0, set()
    for entry in entries:
        gdir = git_dir(args.mirrors, entry["repo"])
        if gdir is None:
            missing_repos.add(entry["repo"])
            failed += 1
            continue
        try:
            restore_entry(entry, gdir, args.out)
        except (LookupError, ValueError, json.JSONDecodeError) as exc:
            print(f"{entry['id']}: {exc}", file=sys.stderr)
            failed += 1
    for repo in sorted(missing_repos):
        print(f"no mirror of {repo} under {args.mirrors}: fetch github:{repo} first", file=sys.stderr)
    print(f"restored {len(entries) - failed} of {len(entries)} notebooks into {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
