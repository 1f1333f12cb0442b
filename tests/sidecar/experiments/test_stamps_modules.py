"""The package listing also says which distribution provides a module, where the names differ."""

from __future__ import annotations

import sys

from trackit_sidecar.experiments.stamps import build_stamp, list_environment, renamed_modules, sidecar_environment


def test_list_environment_maps_modules_to_their_distributions():
    listed = list_environment(sys.executable, list(sys.path))
    assert listed["packages"]["scikit-learn"] and listed["python"] == ".".join(map(str, sys.version_info[:3]))
    assert listed["modules"]["sklearn"] == ["scikit-learn"]
    own = list_environment(sys.executable, None)  # the interpreter's own path (a kernelspec with no kernel)
    assert own["modules"]["sklearn"] == ["scikit-learn"]


def test_a_stamp_keeps_only_the_modules_named_unlike_their_distribution():
    assert renamed_modules({"sklearn": ["scikit-learn"], "pandas": ["pandas"], "_cffi_backend": ["cffi"],
                            "yaml": ["pyyaml"]}) == {"sklearn": ["scikit-learn"], "yaml": ["pyyaml"]}
    stamp = build_stamp(sidecar_environment(), None)
    assert stamp.modules["sklearn"] == ["scikit-learn"] and "pandas" not in stamp.modules
