"""The Python and packages a kernel runs with, read from the KERNEL's environment, never the sidecar's.

Two questions, both off the kernel's thread:
- `kernel_environment(session)`: one silent expression asks a live kernel for its interpreter, version and
  `sys.path` (taken when the kernel starts, before any cell can change it);
- `installed_packages(executable, path)`: that interpreter, in a subprocess, lists the distributions
  importable from that path (the first one on the path wins, as `import` would) and which top-level modules
  each provides.
For a notebook with no live kernel, `kernelspec_python(name)` is the interpreter its kernelspec starts.

This is the small module the experiments stamps (issue 11) can replace: `trackit env` and replay's
"package changed" cause only need `{"python": ..., "packages": {name: version}, "modules": {module: [name]}}`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from typing import Any, Optional

ENVIRONMENT_EXPRESSION = (
    "__import__('json').dumps({'executable': __import__('sys').executable, 'path': __import__('sys').path, "
    "'python': __import__('platform').python_version(), "
    "'implementation': __import__('platform').python_implementation()})"
)

_LIST_SCRIPT = r"""
import json, re, sys
import importlib.metadata as md
path = json.load(sys.stdin)
if path is not None:
    sys.path[:] = path
packages = {}
for dist in md.distributions():
    try:
        name = dist.metadata["Name"]
    except Exception:
        name = None
    if not name:
        continue
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key not in packages:
        packages[key] = {"name": name, "version": dist.version}
try:
    modules = md.packages_distributions()
except Exception:
    modules = {}
print(json.dumps({"packages": packages, "modules": modules, "python": ".".join(map(str, sys.version_info[:3]))}))
"""


class PackageListError(RuntimeError):
    """The interpreter could not list its packages (missing, too old, or it failed); one-line reason."""


def kernel_environment(session, timeout: float = 10.0) -> dict[str, Any]:
    """{executable, path, python, implementation} of a live kernel (a kernel.session.KernelSession)."""
    value = session.expressions({"env": ENVIRONMENT_EXPRESSION}, timeout)["env"]
    if isinstance(value, Exception):
        raise PackageListError(f"the kernel did not say which Python it runs: {value}")
    return json.loads(value)


def installed_packages(executable: str, path: Optional[list[str]] = None, timeout: float = 60.0) -> dict[str, Any]:
    """{"python", "packages": {normalized name: {"name", "version"}}, "modules": {module: [distribution]}}."""
    try:
        done = subprocess.run([executable, "-I", "-c", _LIST_SCRIPT], input=json.dumps(path), capture_output=True,
                              text=True, timeout=timeout)
    except FileNotFoundError:
        raise PackageListError(f"no interpreter at {executable}") from None
    except subprocess.TimeoutExpired:
        raise PackageListError(f"{executable} took over {timeout:g}s to list its packages") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise PackageListError(f"{executable} could not list its packages: {last[:200]}")
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise PackageListError(f"{executable} printed no package list") from None


def kernelspec_python(kernel_name: str) -> str:
    """The interpreter a kernelspec starts (its argv[0], resolved on PATH)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel_name)
    except NoSuchKernel:
        raise PackageListError(f"no kernel spec named {kernel_name!r}") from None
    if (spec.language or "").lower() != "python" or not spec.argv:
        raise PackageListError(f"kernel {kernel_name!r} is not a Python kernel")
    executable = spec.argv[0]
    # jupyter_client starts `python` / `python3` / `python3.11` kernelspecs with its own interpreter
    if executable in {"python", f"python{sys.version_info[0]}", "python%i.%i" % sys.version_info[:2]}:
        return sys.executable
    return shutil.which(executable) or executable
