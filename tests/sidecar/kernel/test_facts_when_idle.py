"""Cells that come back to back (a Run All) do not wait for the measuring of the cells before them: a snapshot no later
cell can change is measured once the kernel is idle, anything else before the next cell's code runs. Either way a
cell's facts are the values as that cell left them, whatever the next cells do to them: in place through another name,
through a function writing a global, in a list held in a cell, through a numpy array the frame was built over."""

from __future__ import annotations

import json

from trackit_sidecar.kernel import probe, probe_expressions, silent_requests
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import counting_requests

SETUP = "import numpy as np\nimport pandas as pd"
FIRST = """df = pd.DataFrame({'a': [1.0, None, 3.0], 'b': [1, 2, 3], 's': pd.array(['x', None, 'z'], dtype='str')})
alias = df
ser = pd.Series([1.0, None, 3.0])
lists = pd.DataFrame({'l': [[1], None, [3]]})
names = pd.DataFrame({'s': pd.array(['x', None, 'z'], dtype='str')})
grid = np.array([[1.0, 2.0], [np.nan, 4.0]])
over = pd.DataFrame(grid, copy=False)
def bump():
    global ser
    ser.iloc[1] = 2.0
    lists.loc[0, 'l'].append(9)
    names.loc[0, 's'] = 'q'
"""
# every way in for a later cell, none naming the frame it changes
LATER = ["alias.loc[1, 'a'] = 2.0\nalias.loc[0, 's'] = None", "bump()", "grid[1, 0] = 3.0"]
# the same values as FIRST left them, made afresh: a fingerprint does not depend on the variable's name
REFERENCE = """same_df = pd.DataFrame({'a': [1.0, None, 3.0], 'b': [1, 2, 3], 's': pd.array(['x', None, 'z'], dtype='str')})
same_ser = pd.Series([1.0, None, 3.0])
same_lists = pd.DataFrame({'l': [[1], None, [3]]})
same_names = pd.DataFrame({'s': pd.array(['x', None, 'z'], dtype='str')})
same_over = pd.DataFrame(np.array([[1.0, 2.0], [np.nan, 4.0]]))
"""


def _queued(client, sources: list[str]) -> list[int]:
    """Send every cell at once, as VS Code's Run All does: each waits in the kernel's queue behind the one before."""
    ids = [client.execute(source) for source in sources]
    replies: dict[str, dict] = {}
    while len(replies) < len(ids):
        reply = client.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") in ids:
            replies[reply["parent_header"]["msg_id"]] = reply["content"]
    assert [replies[msg_id]["status"] for msg_id in ids] == ["ok"] * len(ids)
    return [replies[msg_id]["execution_count"] for msg_id in ids]


def _idle_after(live_kernel, seconds: float) -> None:
    """The kernel counts as idle this long after a reply with no next cell: long enough that no queued cell, on a
    loaded machine, comes later than that (the default 5 ms can run out between two queued cells; then that push
    is measured between them, as before)."""
    silent_requests.silent_expression(
        live_kernel.client, f"setattr(__import__('sys').modules[{probe.MODULE_NAME + '.push_channel'!r}], "
                            f"'PUSH_AFTER_REPLY_SECONDS', {seconds})", 10)


def _stats(live_kernel) -> dict:
    return json.loads(silent_requests.silent_expression(live_kernel.client, probe_expressions.stats_expression(), 10))


def test_a_run_all_leaves_for_idle_time_only_what_no_later_cell_can_change(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(SETUP)
        _idle_after(live_kernel, 0.5)
        sent = counting_requests(capture)
        first, *later, reference = _queued(live_kernel.client, [FIRST, *LATER, REFERENCE])
        facts = {count: {f.variable: f for f in capture.fetch(count)} for count in (first, *later, reference)}
        stats = _stats(live_kernel)
    assert stats["errors"] == []
    assert sent == []  # every cell's facts pushed, none asked for
    # names (Arrow strings alone) waited for idle time; df and ser (numpy blocks: a column's .array writes them
    # behind copy-on-write), over (grid can be written behind pandas' back) and lists (a list can change without a
    # write to the frame) were measured before the next cell
    assert stats["deferred"] >= 1
    assert stats["measured_before_next_cell"] >= 4
    mine, same = facts[first], facts[reference]
    for name in ("df", "ser", "lists", "over", "names"):
        assert (mine[name].rows_after, mine[name].nulls_after, mine[name].fingerprint) == \
            (same["same_" + name].rows_after, same["same_" + name].nulls_after, same["same_" + name].fingerprint), name
    # the write through `alias` is that cell's change (the others name none of what they change: not tracked there)
    written = facts[later[0]]["alias"]
    assert written.changed is True and written.fingerprint != mine["df"].fingerprint

def test_a_cell_naming_a_frame_left_for_idle_time_shares_its_measurement(live_kernel):
    """A named frame that still reads the memory of a snapshot left for idle time is that snapshot's data: it is
    neither snapshotted nor measured again (the measuring a Run All of cells reading one big frame would repeat)."""
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(SETUP)
        _idle_after(live_kernel, 0.5)
        made, read, *_ = _queued(live_kernel.client, [
            "df = pd.DataFrame({'s': pd.array(['x', None, 'z'], dtype='str'), 't': pd.array(['u', 'v', None], "
            "dtype='str')})", "df['s'].unique()", "df.shape", "df.loc[0, 's'] = 'q'", "df.shape"])
        stats = _stats(live_kernel)
        facts = {count: {f.variable: f for f in capture.fetch(count)} for count in range(made, made + 5)}
    assert stats["errors"] == []
    assert stats["reused"] >= 2 and stats["measured_in_hooks"] == 0
    assert facts[read]["df"].fingerprint == facts[made]["df"].fingerprint and facts[read]["df"].changed is False
    written = facts[made + 3]["df"]
    assert written.changed is True and written.fingerprint != facts[made]["df"].fingerprint
