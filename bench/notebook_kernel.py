"""The kernel environment bench/bench_runtime_capture.py runs notebooks in: a venv made from
bench/notebook_kernel_requirements.txt (the libraries real notebooks import, plotting included, pinned), so a notebook
runs as its author ran it, not with whatever TrackIT's own venv happens to hold. Made once, and again when the pins
change (a stamp keyed by the requirements file), by the bench itself, so a fresh machine or CI gets the same kernel.

The kernel's matplotlib backend is left to ipykernel (it sets `module://matplotlib_inline.backend_inline` when
MPLBACKEND is unset, as in Jupyter and VS Code); it needs no display."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

REQUIREMENTS = Path(__file__).resolve().parent / "notebook_kernel_requirements.txt"
DEFAULT_VENV = Path("/tmp/trackit-bench-notebook-kernel")
STAMP = ".trackit-requirements"
# what the header reports of a kernel interpreter: the versions that decide what a notebook's cells do and cost
REPORTED = ("pandas", "numpy", "pyarrow", "matplotlib", "seaborn", "ipykernel", "xxhash")


def requirements_key(requirements: Path = REQUIREMENTS) -> str:
    return hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]


def ensure_venv(venv: Path, extra: tuple[str, ...] = (), requirements: Path = REQUIREMENTS) -> Path:
    """The venv's python, with the pinned requirements (and `extra` packages) installed; installs only when the
    stamp says the pins changed since the last install."""
    python = venv / "bin" / "python"
    key = requirements_key(requirements) + ("+" + ",".join(extra) if extra else "")
    stamp = venv / STAMP
    if python.exists() and stamp.exists() and stamp.read_text() == key:
        return python
    print(f"installing the notebook kernel's packages into {venv} (once; {requirements.name}"
          f"{' + ' + ', '.join(extra) if extra else ''}) ...", flush=True)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(requirements), *extra], check=True)
    stamp.write_text(key)
    return python


def describe(python: str) -> str:
    """One line: the kernel interpreter's versions of REPORTED and its MPLBACKEND as a kernel will see it."""
    code = ("import importlib.metadata as m, json, os\n"
            f"out = {{}}\nfor name in {REPORTED!r}:\n"
            "    try: out[name] = m.version(name)\n"
            "    except m.PackageNotFoundError: out[name] = None\n"
            "print(json.dumps([out, os.environ.get('MPLBACKEND')]))")
    done = subprocess.run([python, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        return f"{python}: cannot be run ({(done.stderr.strip().splitlines() or ['?'])[-1]})"
    versions, backend = json.loads(done.stdout)
    listed = ", ".join(f"{name} {version}" if version else f"no {name}" for name, version in versions.items())
    return (f"{python} ({listed}; MPLBACKEND "
            f"{backend if backend else 'unset: ipykernel sets its inline backend'})")


def label(python: str) -> str:
    """How the README row names the kernel: the requirements file when it is the bench's own venv."""
    venv = Path(python).parents[1]
    stamp = venv / STAMP
    if stamp.exists() and stamp.read_text().startswith(requirements_key()):
        return f"made from bench/{REQUIREMENTS.name} (matplotlib and seaborn included)"
    return python


def spec_manager(name: str, argv: list[str], workdir: Path) -> KernelSpecManager:
    """A kernelspec `name` running `argv` (an absolute interpreter first, so jupyter_client keeps it)."""
    spec_dir = workdir / "kernels" / name
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": name, "language": "python"}))
    return KernelSpecManager(kernel_dirs=[str(workdir / "kernels")])
