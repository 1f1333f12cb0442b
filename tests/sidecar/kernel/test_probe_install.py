"""How the probe reaches a kernel: probe_expressions sends the probe package's modules as text and the boot code builds
them as private modules `_trackit_probe` and `_trackit_probe.<module>`, importing nothing of the sidecar. Also an older
build's single probe.py (a benchmark's baseline) installs through the same boot code, and a build that fails half-way
leaves no half-made probe behind."""

from __future__ import annotations

import json
import subprocess
import sys
import types

import pytest

from trackit_sidecar.kernel import probe, probe_expressions
from trackit_sidecar.lineage.kb import python as kb_python

# Run in a fresh interpreter where `trackit_sidecar` cannot be imported (a user's kernel): the install expression, then
# one cell through IPython's own run_cell, then what the process holds.
IN_A_KERNEL_WITHOUT_THE_SIDECAR = """
import json, sys
sys.modules["trackit_sidecar"] = None  # any import of it fails
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
installed = eval(sys.stdin.read())
shell.run_cell("import pandas as pd\\ndf = pd.DataFrame({'a': [1.0, None, 3.0]})\\ndf.dropna(inplace=True)",
               store_history=True)
package = sys.modules[NAME]
print(json.dumps({
    "installed": installed,
    "facts": json.loads(package.facts_json(1)),
    "errors": json.loads(package.stats_json())["errors"],
    "modules": sorted(key for key in sys.modules if key == NAME or key.startswith(NAME + ".")),
    "sidecar_modules": sorted(key for key in sys.modules if key.startswith("trackit_sidecar") and sys.modules[key]),
    "mutating_methods": sorted(package.cell_source.MUTATING_METHODS),
    "body_magics": sorted(package.cell_source.PYTHON_BODY_CELL_MAGICS),
}))
"""


def test_the_probe_package_installs_and_runs_in_a_kernel_that_cannot_import_the_sidecar():
    code = IN_A_KERNEL_WITHOUT_THE_SIDECAR.replace("NAME", repr(probe.MODULE_NAME))
    done = subprocess.run([sys.executable, "-c", code], input=probe_expressions.install_expression(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["installed"] == "installed"
    assert seen["errors"] == []
    assert seen["modules"] == sorted([probe.MODULE_NAME, *(f"{probe.MODULE_NAME}.{name}" for name in probe.MODULES)])
    assert seen["sidecar_modules"] == []
    # the kb table was run into the module that reads it: the sidecar's one definition
    assert seen["mutating_methods"] == sorted(kb_python.MUTATING_METHODS)
    assert seen["body_magics"] == sorted(kb_python.PYTHON_BODY_CELL_MAGICS)
    (df,) = [fact for fact in seen["facts"]["facts"] if fact.get("variable") == "df"]
    assert (df["rows_after"], df["nulls_after"]) == (2, 0)
    assert df["fingerprint"].split(":")[0].endswith("/cols")


def test_every_module_of_the_package_is_sent_once_in_its_declared_order():
    modules = probe_expressions.probe_modules()
    assert [name for name, _ in modules] == [*probe.MODULES, ""]
    tables = probe_expressions.probe_tables_source()
    assert [name for name, sources in modules if tables in sources] == [probe.TABLES_MODULE]


@pytest.fixture
def no_probe_module(monkeypatch):
    """This process's sys.modules without the probe's names; what a test installs is removed afterwards."""
    for key in [key for key in sys.modules if key == probe.MODULE_NAME or key.startswith(probe.MODULE_NAME + ".")]:
        monkeypatch.delitem(sys.modules, key)
    yield
    for key in [key for key in sys.modules if key == probe.MODULE_NAME or key.startswith(probe.MODULE_NAME + ".")]:
        del sys.modules[key]


def _install(monkeypatch, modules) -> str:
    monkeypatch.setattr(probe_expressions, "probe_modules", lambda: modules)
    probe_expressions.install_expression.cache_clear()
    try:
        return eval(probe_expressions.install_expression())
    finally:
        probe_expressions.install_expression.cache_clear()


def test_an_older_builds_single_probe_file_is_one_module_after_the_kb_table(tmp_path, monkeypatch, no_probe_module):
    old = tmp_path / "probe.py"
    old.write_text("def install(shell):\n    return 'installed, tables first: ' + str('MUTATING_METHODS' in globals())\n",
                   encoding="utf-8")
    modules = probe_expressions.probe_modules(old)
    assert modules == (("", (probe_expressions.probe_tables_source(), old.read_text(encoding="utf-8"))),)
    assert _install(monkeypatch, modules) == "installed, tables first: True"
    assert [key for key in sys.modules if key.startswith(probe.MODULE_NAME)] == [probe.MODULE_NAME]


def test_a_build_that_fails_half_way_leaves_the_old_probe_and_no_half_made_module(monkeypatch, no_probe_module):
    uninstalled = []
    old = types.ModuleType(probe.MODULE_NAME)
    old.SOURCE_SHA, old.uninstall = "an older build", lambda: uninstalled.append(True)
    sys.modules[probe.MODULE_NAME] = old
    sys.modules[probe.MODULE_NAME + ".gone"] = types.ModuleType(probe.MODULE_NAME + ".gone")  # the old build's
    failing = (("first", ("X = 1\n",)), ("second", ("from . import first\nraise RuntimeError('half-way')\n",)),
               ("", ("def install(shell):\n    return 'installed'\n",)))
    with pytest.raises(RuntimeError, match="half-way"):
        _install(monkeypatch, failing)
    assert uninstalled == [True]
    assert sys.modules[probe.MODULE_NAME] is old
    assert [key for key in sys.modules if key.startswith(probe.MODULE_NAME + ".")] == []
    # and the next install (a fixed build) replaces it
    fixed = (("first", ("X = 1\n",)), ("second", ("from .first import X\nY = X + 1\n",)),
             ("", ("from .second import Y\ndef install(shell):\n    return 'installed', Y\n",)))
    assert _install(monkeypatch, fixed) == ("installed", 2)
    assert sys.modules[probe.MODULE_NAME] is not old


# The install decides the hasher (importing xxhash, ~0.8 ms) so that no cell's time pays for it: in a Run All the first
# measuring runs before the next cell (deferral), in the cells' wall time.
HASHER_AT_INSTALL = """
import json, sys
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
had_xxhash = "xxhash" in sys.modules
installed = eval(sys.stdin.read())
fingerprints = sys.modules[NAME + ".fingerprints"]
print(json.dumps({"installed": installed, "had_xxhash": had_xxhash, "decided": fingerprints._hasher_factory is not None,
                  "xxhash": "xxhash" in sys.modules, "algorithm": fingerprints._new_hasher()[1]}))
"""


def test_the_install_decides_the_hasher_before_any_cell():
    code = HASHER_AT_INSTALL.replace("NAME", repr(probe.MODULE_NAME))
    done = subprocess.run([sys.executable, "-c", code], input=probe_expressions.install_expression(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["installed"] == "installed"
    assert not seen["had_xxhash"]
    assert seen["decided"]
    assert seen["xxhash"] == (seen["algorithm"] == "xxh3_128")
