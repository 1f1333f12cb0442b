"""Environment restore hints: the package pins a run used, as requirements.txt or a conda environment. Pure.

An environment is `{"python": "3.11.7", "packages": {normalised name: {"name", "version"}},
"modules": {top-level module: [distribution names]}, "source": "..."}` (what `kernel/packages.py` lists, or an
experiment's stamp). Pins are restricted to the distributions the code imports, plus what they need is left
to the installer: a pin list a person can read and an auditor can diff, not a lock file.
"""

from __future__ import annotations

from .verify import distributions_for, imported_modules


def pins(environment: dict, sources) -> list[tuple[str, str]]:
    """(distribution name, version) for every distribution the sources import, sorted by name."""
    packages = environment.get("packages") or {}
    used = imported_modules(sources)
    keys = distributions_for(used, environment.get("modules") or {}, packages)
    return sorted(((packages[k].get("name") or k, str(packages[k].get("version"))) for k in keys),
                  key=lambda pin: pin[0].lower())


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
