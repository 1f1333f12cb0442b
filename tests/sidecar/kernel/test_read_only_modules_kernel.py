"""In a real ipykernel (the sidecar's RuntimeCapture): a frame a cell names only to read it, but that the cell writes
through a module of the notebook's own (`mymod.frame.loc[...] = ...`, `mymod.clean()`, a function or an instance of a
class from it) or through a library's instance (`stack.close()` running a callback), gets the facts a fresh measurement
gives: changed, with the new fingerprint. Before kern22 any module counted as unable to reach data and a method call
as a read, so the frame counted as only read and kept its fact from before the cell. A settings store through pandas
(`pd.options...`) still leaves a frame only read."""

from __future__ import annotations

import json

from trackit_sidecar.kernel import probe, silent_requests
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import facts_by_variable

# a module of the notebook's own, beside it (the kernel's working folder), holding the frame the cells read as `df`
MYMOD = """import numpy as np
import pandas as pd

frame = pd.DataFrame({"a": np.arange(50_000.0), "i": np.arange(50_000)})


def clean():
    frame.loc[0, "a"] = -1.0


class Cleaner:
    def __init__(self, frame):
        self.frame = frame

    def run(self):
        self.frame.loc[1, "a"] = -2.0
"""
# what a fresh measurement of `df` gives, read in the kernel after a cell
FRESH = (f"__import__('json').dumps([__import__('sys').modules[{probe.MODULE_NAME + '.fingerprints'!r}]"
         f".fingerprint(df, "
         f"'DataFrame', __import__('sys').modules[{probe.MODULE_NAME + '.measurements'!r}].Entry(df, 'DataFrame'))[0], "
         f"int(df.isna().sum().sum())])")
# (cell, whether it changes df's values); each cell names df only to read it
CELLS = [
    ("df.head()", False),  # only read
    ('mymod.frame.loc[2, "a"] = -3.0\ndf.head()', True),  # the notebook module's attribute is df
    ("clean()\ndf.head()", True),  # the notebook module's function
    ("mymod.clean()\ndf.head()", False),  # (runs again: a write of the same value) the module itself
    ("cleaner.run()\ndf.head()", True),  # an instance of the notebook module's class
    ("stack.close()\ndf.head()", True),  # a library's instance runs a callback bound to df (df.update)
    ("df.head()", False),  # controls: only read
    ("pd.options.display.max_columns = 45\ndf.head()", False),  # a settings store through pandas
]


def test_a_frame_written_through_a_notebook_module_or_a_library_instance_is_measured_again(live_kernel, tmp_path):
    (tmp_path / "mymod.py").write_text(MYMOD, encoding="utf-8")
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        facts_by_variable(capture, live_kernel.run(
            "import contextlib\nimport pandas as pd\nimport mymod\nfrom mymod import frame as df, clean, Cleaner"))
        facts_by_variable(capture, live_kernel.run("cleaner = Cleaner(df)\nstack = contextlib.ExitStack()\n"
                                                   "stack.callback(df.update, pd.DataFrame({'a': [-4.0]}, index=[3]))"))
        seen = []
        for cell, changes in CELLS:
            fact = facts_by_variable(capture, live_kernel.run(cell))["df"]
            fresh = json.loads(silent_requests.silent_expression(live_kernel.client, FRESH, 10))
            seen.append((cell, fact.changed, [fact.fingerprint, fact.nulls_after] == fresh))
        assert seen == [(cell, changes, True) for cell, changes in CELLS]
        assert capture.stats()["only_read"] == 3  # the three cells that only read
