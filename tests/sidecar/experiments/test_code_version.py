"""The code version experiments and ready rows are kept by (derived_keys.code_version) changes with the code: over a
real copy of the sidecar's package, an edit that keeps a file's size, a new module and a removed one each change it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import trackit_sidecar
from trackit_sidecar.experiments.derived_keys import code_version, sources_fingerprint


def _copy(tmp_path: Path) -> Path:
    package = tmp_path / "trackit_sidecar"
    shutil.copytree(Path(trackit_sidecar.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    return package


def test_an_edit_that_keeps_the_size_changes_the_fingerprint(tmp_path):
    package = _copy(tmp_path)
    before = sources_fingerprint(str(package))
    assert before == sources_fingerprint(str(package))  # nothing changed: the same
    module = package / "experiments" / "metrics.py"
    text = module.read_bytes()
    module.write_bytes(text.replace(b"a", b"b", 1))
    assert len(module.read_bytes()) == len(text)
    assert sources_fingerprint(str(package)) != before


def test_a_new_module_and_a_removed_one_change_the_fingerprint(tmp_path):
    package = _copy(tmp_path)
    before = sources_fingerprint(str(package))
    (package / "lineage" / "newer_rules.py").write_text("RULES = ()\n")
    added = sources_fingerprint(str(package))
    assert added != before
    os.remove(package / "lineage" / "newer_rules.py")
    os.remove(package / "render" / "loops.py")
    assert sources_fingerprint(str(package)) not in (before, added)


def test_compiled_files_and_a_folder_without_sources_are_not_code(tmp_path):
    package = _copy(tmp_path)
    before = sources_fingerprint(str(package))
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "cli.cpython-311.pyc").write_bytes(b"\0" * 16)
    assert sources_fingerprint(str(package)) == before
    assert sources_fingerprint(str(tmp_path / "empty")) is None


def test_the_running_sidecar_has_a_code_version():
    assert len(code_version()) == 64 and code_version() == code_version()
