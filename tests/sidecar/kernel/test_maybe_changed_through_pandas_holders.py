"""In a real ipykernel (the sidecar's RuntimeCapture): a frame written in a cell that does not name it, through a pandas
object that holds it (an indexer `setter = df.loc`, a GroupBy's `.obj`), is measured again by the next cell that only
reads it, as a fresh measurement would be. kern22's shortcut (tracking._mark_maybe_changed) took any pandas object
named in the writing cell for one of its own, so the frame's old measurement was not marked maybe_changed and the next
cell's `df.head()` kept the fingerprint from before the write (rev26)."""

from __future__ import annotations

import json

from trackit_sidecar.kernel import probe, silent_requests
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import facts_by_variable

FRESH = (f"__import__('json').dumps([__import__('sys').modules[{probe.MODULE_NAME + '.fingerprints'!r}]"
         f".fingerprint(df, "
         f"'DataFrame', __import__('sys').modules[{probe.MODULE_NAME + '.measurements'!r}].Entry(df, 'DataFrame'))[0], "
         f"int(df.isna().sum().sum())])")
# (a cell that writes df without naming it, then one that names df only to read it)
WRITES = [
    'setter[0, "a"] = -1.0',  # an indexer of df's
    'gb.obj.loc[1, "a"] = -2.0',  # the frame a GroupBy holds
    'roll.obj.loc[2, "a"] = float("nan")',  # the frame a window holds
]


def test_a_frame_written_through_a_pandas_object_that_holds_it_is_measured_again(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        facts_by_variable(capture, live_kernel.run(
            "import numpy as np\nimport pandas as pd\n"
            "df = pd.DataFrame({'a': np.arange(50_000.0), 'k': np.arange(50_000) % 7})"))
        facts_by_variable(capture, live_kernel.run("setter = df.loc\ngb = df.groupby('k')\nroll = df.rolling(3)"))
        seen = []
        for write in WRITES:
            facts_by_variable(capture, live_kernel.run(write))
            fact = facts_by_variable(capture, live_kernel.run("df.head()"))["df"]
            fresh = json.loads(silent_requests.silent_expression(live_kernel.client, FRESH, 10))
            seen.append((write, [fact.fingerprint, fact.nulls_after] == fresh))
        assert seen == [(write, True) for write in WRITES]
