"""A run's reproducibility stamp, collected at the edge and never on the kernel's thread.

The kernel is asked one silent question (kernel/experiments.kernel_environment): its interpreter, its
sys.path and three environment variables. Everything else runs here, in the sidecar:
- the kernel's installed packages: a SUBPROCESS of the kernel's own interpreter lists them with
  importlib.metadata over the kernel's sys.path, so they come from the kernel's environment, not ours;
- git state of the notebook's repository: commit, branch, dirty flag, changed files and a hash of the diff;
  never a remote URL (no command that prints one is run), with prompts, hooks and fsmonitor disabled;
- OS, CPU count and memory.
Each part that fails leaves one line in `errors` and the rest of the stamp stands.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from ..protocol import GitState, RunStamp
from . import kb

PACKAGE_TIMEOUT_S = 30.0
GIT_TIMEOUT_S = 10.0
MAX_CHANGED_FILES = 500

# Run by the kernel's interpreter in a subprocess: sys.path is set to the kernel's, then every
# distribution on it is listed. Only the standard library is used.
_LIST_PACKAGES = r"""
import json, sys
path = json.loads(sys.stdin.read())
if path is not None:
    sys.path[:] = path
from importlib import metadata
found = {}
for dist in metadata.distributions():
    try:
        name = dist.metadata["Name"]
    except Exception:
        name = None
    if name and name not in found:
        found[name] = dist.version
try:
    modules = metadata.packages_distributions()
except Exception:
    modules = {}
print(json.dumps({"packages": found, "modules": modules, "python": ".".join(map(str, sys.version_info[:3]))}))
"""


def normalize_package(name: str) -> str:
    """PEP 503 normalisation: `Scikit_Learn` and `scikit-learn` are one package."""
    return "-".join(part for part in name.lower().replace("_", "-").replace(".", "-").split("-") if part)


def list_packages(executable: str, sys_path: list[str], timeout: float = PACKAGE_TIMEOUT_S) -> dict[str, str]:
    """name -> version of every distribution the kernel's interpreter sees. Raises OSError / RuntimeError."""
    return list_environment(executable, sys_path, timeout)["packages"]


def list_environment(executable: str, sys_path: Optional[list[str]], timeout: float = PACKAGE_TIMEOUT_S
                     ) -> dict[str, Any]:
    """{"packages": list_packages' answer, "modules": top-level module -> the distributions providing it (`sklearn`
    -> scikit-learn), "python": its version}. `sys_path` None: the interpreter's own (a kernelspec's interpreter
    when no kernel runs). Raises OSError / RuntimeError."""
    completed = subprocess.run(
        [executable, "-I", "-c", _LIST_PACKAGES], input=json.dumps(sys_path), capture_output=True, text=True,
        timeout=timeout, env=_minimal_env())
    if completed.returncode != 0:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"package listing with {executable} failed: {last[:200]}")
    raw = json.loads(completed.stdout)
    packages = {normalize_package(k): str(v)
                for k, v in sorted(raw["packages"].items(), key=lambda kv: normalize_package(kv[0]))}
    modules = {module: [normalize_package(d) for d in dists] for module, dists in (raw.get("modules") or {}).items()}
    return {"packages": packages, "modules": modules, "python": raw.get("python")}


def renamed_modules(modules: dict[str, list[str]]) -> dict[str, list[str]]:
    """Only the modules whose distribution has another name (`sklearn`, `yaml`, `PIL`): `pandas` needs no entry."""
    return {module: dists for module, dists in sorted(modules.items())
            if not module.startswith("_") and dists != [normalize_package(module)]}


def packages_fingerprint(packages: dict[str, str]) -> str:
    lines = "".join(f"{name}=={version}\n" for name, version in sorted(packages.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _minimal_env() -> dict[str, str]:
    """A child process gets PATH and locale only: our environment's values have no business in it."""
    return {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "SYSTEMROOT") if k in os.environ}


# ------------------------------------------------------------------ git
def _git(folder: str, *args: str) -> subprocess.CompletedProcess:
    env = _minimal_env()
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_CONFIG_NOSYSTEM": "1"})
    # no fsmonitor or hooks from the repository's config get to run a program; no pager
    return subprocess.run(["git", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null",
                           "-c", "core.pager=cat", "--no-optional-locks", "-C", folder, *args],
                          capture_output=True, timeout=GIT_TIMEOUT_S, env=env)


def git_state(folder: str) -> Optional[GitState]:
    """The repository containing `folder`, or None when it is not in one (or git is not installed)."""
    try:
        top = _git(folder, "rev-parse", "--show-toplevel")
    except (OSError, subprocess.SubprocessError):
        return None
    if top.returncode != 0:
        return None
    state = GitState()
    try:
        head = _git(folder, "rev-parse", "--verify", "--quiet", "HEAD")
        state.commit = head.stdout.decode().strip() or None
        branch = _git(folder, "symbolic-ref", "--quiet", "--short", "HEAD")
        state.branch = branch.stdout.decode().strip() or None if branch.returncode == 0 else None
        status = _git(folder, "status", "--porcelain=v1", "-z", "--untracked-files=normal")
        if status.returncode != 0:
            raise RuntimeError(status.stderr.decode(errors="replace").strip()[:200])
        state.changed_files = _porcelain(status.stdout)[:MAX_CHANGED_FILES]
        state.dirty_worktree = bool(state.changed_files)
        if state.commit:
            diff = _git(folder, "diff", "HEAD", "--binary", "--no-color", "--no-ext-diff")
            state.diff_sha256 = hashlib.sha256(diff.stdout).hexdigest() if state.dirty_worktree else None
    except (OSError, subprocess.SubprocessError, RuntimeError) as error:
        state.error = f"git: {error}"[:300]
    return state


def _porcelain(raw: bytes) -> list[str]:
    """`git status --porcelain -z` -> ["M notebook.ipynb", "?? new.csv", "R new <- old"]."""
    entries = raw.decode("utf-8", "replace").split("\0")
    out, i = [], 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2].strip(), entry[3:]
        if code.startswith(("R", "C")) and i < len(entries):
            path = f"{path} <- {entries[i]}"
            i += 1
        out.append(f"{code} {path}")
    return out


# ------------------------------------------------------------------ system
def _memory_bytes() -> Optional[int]:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def build_stamp(kernel_env: Optional[dict[str, Any]], notebook_folder: Optional[str],
                now: Optional[datetime] = None) -> RunStamp:
    """The stamp of a run from the kernel's answer (None when the kernel could not be asked)."""
    stamp = RunStamp(stamped_at=(now or datetime.now(timezone.utc)).isoformat(timespec="milliseconds"),
                     os=platform.platform(), machine=platform.machine(), cpu_count=os.cpu_count(),
                     memory_bytes=_memory_bytes())
    if kernel_env:
        stamp.python_version = kernel_env.get("python_version")
        stamp.python_implementation = kernel_env.get("python_implementation")
        stamp.executable = kernel_env.get("executable")
        env = kernel_env.get("env") or {}
        stamp.env = {name: str(env[name]) for name in kb.REPRODUCIBILITY_ENV_VARS if name in env}
        if stamp.executable:
            try:
                listed = list_environment(stamp.executable, list(kernel_env.get("sys_path") or []))
                stamp.packages = listed["packages"]
                stamp.packages_sha256 = packages_fingerprint(stamp.packages)
                stamp.modules = renamed_modules(listed["modules"])
            except (OSError, RuntimeError, ValueError, subprocess.SubprocessError) as error:
                stamp.errors.append(f"packages: {error}"[:300])
    else:
        stamp.errors.append("kernel: not reachable; interpreter, packages and environment unknown")
    if notebook_folder and Path(notebook_folder).is_dir():
        stamp.git = git_state(notebook_folder)
    return stamp


def sidecar_environment() -> dict[str, Any]:
    """What kernel_environment() would say about the sidecar's own interpreter (tests, benchmarks)."""
    return {"executable": sys.executable, "python_version": platform.python_version(),
            "python_implementation": platform.python_implementation(), "sys_path": list(sys.path), "env": {}}
