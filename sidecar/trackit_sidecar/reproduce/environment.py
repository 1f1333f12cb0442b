"""Environment restore hints: the package pins a run used, as requirements.txt or a conda environment. Pure.

An environment is `{"python": "3.11.7", "packages": {normalised name: version}, "modules": {top-level module:
[distribution names]}, "source": "..."}`: a run's stamp (experiments/stamps.py, issue 11), or the same listing
of a kernel's interpreter. Pins are restricted to the distributions the code imports; what they need in turn
is left to the installer: a pin list a person can read and an auditor can diff, not a lock file.
"""

from __future__ import annotations

from .verify import distributions_for, imported_modules


def pins(environment: dict, sources) -> list[tuple[str, str]]:
    """(distribution name, version) for every distribution the sources import, sorted by name."""
    packages = environment.get("packages") or {}
    used = imported_modules(sources)
    keys = distributions_for(used, environment.get("modules") or {}, packages)
    return sorted((k, str(packages[k])) for k in keys)


def requirements(environment: dict, sources, title: str) -> str:
    lines = [f"# {title}"]
    if environment.get("python"):
        lines.append(f"# Python {environment['python']}")
    if environment.get("source"):
        lines.append(f"# {environment['source']}")
    lines += [f"{name}=={version}" for name, version in pins(environment, sources)]
    return "\n".join(lines) + "\n"


def conda(environment: dict, sources, title: str, name: str = "trackit-replay") -> str:
    """A conda environment file: Python from conda, the pins through pip (PyPI names and versions)."""
    lines = [f"# {title}"]
    if environment.get("source"):
        lines.append(f"# {environment['source']}")
    lines += [f"name: {name}", "channels:", "  - conda-forge", "dependencies:"]
    if environment.get("python"):
        lines.append(f"  - python={environment['python']}")
    lines.append("  - pip")
    listed = pins(environment, sources)
    if listed:
        lines.append("  - pip:")
        lines += [f"      - {pin}=={version}" for pin, version in listed]
    return "\n".join(lines) + "\n"
