"""notebook_code keeps the classes it judged a library's (none of their MRO the notebook's, every module of it settled),
so that an instance of one (a DataFrame: seven classes) is not judged again every cell it is named in. What it keeps
must not outlive what the judgment rests on: a class whose module was not loaded when judged (it may be the
notebook's own once imported), a class whose bases were set anew, the cells' own module name."""

from __future__ import annotations

import json
import sys
import types

from trackit_sidecar.kernel import probe, silent_requests
from trackit_sidecar.kernel.probe import notebook_code
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import facts_by_variable

FRESH = (f"__import__('json').dumps([__import__('sys').modules[{probe.MODULE_NAME + '.fingerprints'!r}]"
         f".fingerprint(df, "
         f"'DataFrame', __import__('sys').modules[{probe.MODULE_NAME + '.measurements'!r}].Entry(df, 'DataFrame'))[0], "
         f"int(df.isna().sum().sum())])")
# a class of a cell that says it is a module's not written yet, whose repr writes df
SHOWN = '''class Shown:
    __module__ = "helpers_later"

    def __repr__(self):
        df.loc[0, "a"] -= 1.0
        return "shown"


shown = Shown()'''


def test_a_class_of_a_module_imported_later_is_the_notebooks_once_imported(live_kernel, tmp_path):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        facts_by_variable(capture, live_kernel.run(
            "import numpy as np\nimport pandas as pd\ndf = pd.DataFrame({'a': np.arange(50_000.0)})"))
        facts_by_variable(capture, live_kernel.run(SHOWN))
        # helpers_later is no module yet: Shown counts as a library's class (whose code writes only what it is given)
        print("C", facts_by_variable(capture, live_kernel.run("print(shown)\ndf.head()")), capture.stats())
        (tmp_path / "helpers_later.py").write_text("VALUE = 1\n", encoding="utf-8")
        # imported without naming it (a cell naming a notebook module may change any frame: df would be measured again
        # for that alone)
        facts_by_variable(capture, live_kernel.run("import importlib\nimportlib.import_module('helpers_later')"))
        fact = facts_by_variable(capture, live_kernel.run("print(shown)\ndf.head()"))["df"]
        fresh = json.loads(silent_requests.silent_expression(live_kernel.client, FRESH, 10))
        # now a notebook module's class: its repr may have written df, which is measured again
        assert (fact.changed, [fact.fingerprint, fact.nulls_after]) == (True, fresh)


def test_a_library_class_is_judged_once_and_again_when_its_bases_or_the_cells_module_change():
    import pandas as pd

    user_ns: dict = {"__name__": "__main__"}
    exec("class Mine:\n    pass\nclass Base:\n    __module__ = 'json'\nclass Lib(Base):\n    __module__ = 'json'\n"
         "class Other:\n    __module__ = 'json'", user_ns)
    frame = pd.DataFrame({"a": [1]})
    assert not notebook_code.notebook_defined(frame, user_ns)
    assert notebook_code._LIBRARY_CLASSES[id(pd.DataFrame)][0] is pd.DataFrame  # kept: not walked again
    lib = user_ns["Lib"]()
    assert not notebook_code.notebook_defined(lib, user_ns)
    user_ns["Lib"].__bases__ = (user_ns["Mine"],)
    assert notebook_code.notebook_defined(lib, user_ns)  # another MRO: judged again
    other = user_ns["Other"]()
    assert not notebook_code.notebook_defined(other, user_ns)
    assert notebook_code.notebook_defined(other, {"__name__": "json"})  # the cells' module is json there


def test_a_class_of_a_module_not_loaded_is_not_kept(tmp_path, monkeypatch):
    user_ns: dict = {"__name__": "__main__"}
    exec("class Later:\n    __module__ = 'helpers_not_loaded'", user_ns)
    later = user_ns["Later"]()
    assert not notebook_code.notebook_defined(later, user_ns)
    module = types.ModuleType("helpers_not_loaded")
    module.__file__ = str(tmp_path / "helpers_not_loaded.py")
    monkeypatch.setitem(sys.modules, "helpers_not_loaded", module)
    assert notebook_code.notebook_defined(later, user_ns)
