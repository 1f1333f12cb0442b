"""Which kernelspec `trackit run` starts, and how it is named (kernel/kernelspecs.py)."""

from __future__ import annotations

import pytest

from trackit_sidecar.kernel.kernelspecs import (
    InstalledSpec,
    KernelChoice,
    KernelSpecNotFound,
    NotPythonKernel,
    choose_kernel,
    declared_kernel,
)

INSTALLED = {
    "python3": InstalledSpec("python", "Python 3 (ipykernel)"),
    "analysis-env": InstalledSpec("python", "Python (analysis-env)"),
    "julia-1.10": InstalledSpec("julia", "Julia 1.10"),
}


def choose(metadata, requested=None, installed=INSTALLED):
    return choose_kernel(metadata, requested, installed.get, lambda: sorted(installed))


def meta(name=None, language=None, info=None):
    metadata = {}
    if name or language:
        metadata["kernelspec"] = {k: v for k, v in {"name": name, "language": language, "display_name": "x"}.items() if v}
    if info:
        metadata["language_info"] = {"name": info}
    return metadata


def test_the_notebooks_own_kernelspec_is_used_and_named():
    assert choose(meta("analysis-env", "python")) == KernelChoice("analysis-env", "Python (analysis-env)")
    assert choose(meta("python3")) == KernelChoice("python3", "Python 3 (ipykernel)")
    assert choose({}) == KernelChoice("python3", "Python 3 (ipykernel)")  # no kernelspec at all


def test_an_explicit_kernel_wins_and_must_exist():
    assert choose(meta("analysis-env"), "python3").name == "python3"
    with pytest.raises(KernelSpecNotFound, match=r"no kernel spec named 'nope' \(available: analysis-env, julia-1.10, python3\)"):
        choose(meta("python3"), "nope")


def test_a_non_python_kernel_is_refused_in_one_line_installed_or_not():
    with pytest.raises(NotPythonKernel) as refused:
        choose(meta("ir", "R", info="R"))  # IRkernel is not installed here: the notebook says what it is
    assert str(refused.value) == "kernel 'ir' runs R; TrackIT records Python notebooks"
    with pytest.raises(NotPythonKernel, match="^kernel 'julia-1.10' runs julia; TrackIT records Python notebooks$"):
        choose(meta("julia-1.10"))  # installed: its spec says the language
    with pytest.raises(NotPythonKernel, match="^kernel 'julia-1.10' runs julia;"):
        choose(meta("python3"), "julia-1.10")
    with pytest.raises(NotPythonKernel, match="^kernel 'R' runs R;"):
        choose(meta(info="R"))  # no kernelspec, only language_info


def test_a_python_notebook_whose_kernelspec_is_missing_runs_in_python3_and_says_so():
    choice = choose(meta("conda-env-old-py", "python"))
    assert (choice.name, choice.display_name) == ("python3", "Python 3 (ipykernel)")
    assert choice.note == ("the notebook's kernel 'conda-env-old-py' is not installed here; "
                           "running it in 'python3' (Python 3 (ipykernel))")
    assert choose(meta("mystery")).name == "python3"  # no language stated either
    with pytest.raises(KernelSpecNotFound, match="no python3 kernel spec installed"):
        choose(meta("conda-env-old-py", "python"), installed={"julia-1.10": INSTALLED["julia-1.10"]})


def test_declared_kernel_reads_malformed_metadata_without_raising():
    assert declared_kernel(None) == (None, None)
    assert declared_kernel({"kernelspec": "python3"}) == (None, None)
    assert declared_kernel({"kernelspec": {"name": 3}, "language_info": {"name": "python"}}) == (None, "python")
    assert declared_kernel(meta("ir", "R")) == ("ir", "R")
