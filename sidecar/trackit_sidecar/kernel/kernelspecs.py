"""Which kernelspec `trackit run` starts for a notebook, and how the record names it.

The notebook's own kernelspec (`metadata.kernelspec.name`) unless `--kernel` names one. TrackIT records
Python notebooks only: a kernel in another language is refused before it starts, with one line, whether
it is installed or only named by the notebook. A Python notebook whose kernelspec is not installed here
(an environment name from another machine) runs in `python3`, and the run says so; the record names the
kernelspec that really ran.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

FALLBACK = "python3"


class KernelStartError(RuntimeError):
    """The kernel could not be started."""


class KernelSpecNotFound(KernelStartError):
    pass


class NotPythonKernel(KernelStartError):
    pass


@dataclass(frozen=True)
class InstalledSpec:
    language: str
    display_name: str


@dataclass(frozen=True)
class KernelChoice:
    name: str
    display_name: str
    note: Optional[str] = None  # one line for the user when this is not the kernelspec the notebook names


def declared_kernel(metadata: Any) -> tuple[Optional[str], Optional[str]]:
    """(kernelspec name, language) as the notebook's metadata states them; None where it says nothing."""
    metadata = metadata if isinstance(metadata, dict) else {}
    spec = metadata.get("kernelspec") if isinstance(metadata.get("kernelspec"), dict) else {}
    info = metadata.get("language_info") if isinstance(metadata.get("language_info"), dict) else {}
    name = spec.get("name") if isinstance(spec.get("name"), str) and spec.get("name") else None
    language = spec.get("language") or info.get("name")
    return name, language if isinstance(language, str) and language else None


def _not_python(name: str, language: str) -> NotPythonKernel:
    return NotPythonKernel(f"kernel {name!r} runs {language}; TrackIT records Python notebooks")


def _is_python(language: Optional[str]) -> bool:
    return (language or "").strip().lower() == "python"


def choose_kernel(metadata: Any, requested: Optional[str], lookup: Callable[[str], Optional[InstalledSpec]],
                  available: Callable[[], list[str]]) -> KernelChoice:
    """Pure: the kernelspec to start. `lookup(name)` is the installed spec of that name, or None."""
    if requested:
        spec = lookup(requested)
        if spec is None:
            raise KernelSpecNotFound(f"no kernel spec named {requested!r} (available: {', '.join(available()) or 'none'})")
        if not _is_python(spec.language):
            raise _not_python(requested, spec.language)
        return KernelChoice(requested, spec.display_name)
    name, declared_language = declared_kernel(metadata)
    if name is not None:
        spec = lookup(name)
        if spec is not None:
            if not _is_python(spec.language):
                raise _not_python(name, spec.language)
            return KernelChoice(name, spec.display_name)
        if declared_language is not None and not _is_python(declared_language):
            raise _not_python(name, declared_language)
    elif declared_language is not None and not _is_python(declared_language):
        raise _not_python(declared_language, declared_language)
    spec = lookup(FALLBACK)
    if spec is None or not _is_python(spec.language):
        raise KernelSpecNotFound(f"no {FALLBACK} kernel spec installed (pip install ipykernel)")
    note = None
    if name is not None:
        note = (f"the notebook's kernel {name!r} is not installed here; running it in {FALLBACK!r} "
                f"({spec.display_name})")
    return KernelChoice(FALLBACK, spec.display_name, note)


def installed_spec(name: str) -> Optional[InstalledSpec]:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return None
    return InstalledSpec(spec.language or "", spec.display_name or name)


def installed_names() -> list[str]:
    from jupyter_client.kernelspec import KernelSpecManager

    return sorted(KernelSpecManager().find_kernel_specs())


def kernel_for_notebook(metadata: Any, requested: Optional[str]) -> KernelChoice:
    """choose_kernel against the kernelspecs installed here."""
    return choose_kernel(metadata, requested, installed_spec, installed_names)


def kernelspec_python(name: str) -> str:
    """The interpreter a Python kernelspec starts: its argv[0], as jupyter_client resolves it (a bare `python`,
    `python3` or `python3.11` is the interpreter jupyter_client itself runs in). KernelSpecNotFound /
    NotPythonKernel."""
    import shutil
    import sys

    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise KernelSpecNotFound(f"no kernel spec named {name!r}") from None
    if not _is_python(spec.language) or not spec.argv:
        raise _not_python(name, spec.language or "another language")
    executable = spec.argv[0]
    if executable in {"python", f"python{sys.version_info[0]}", "python%i.%i" % sys.version_info[:2]}:
        return sys.executable
    return shutil.which(executable) or executable

