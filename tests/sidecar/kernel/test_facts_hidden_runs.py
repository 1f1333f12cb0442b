"""A run a frontend sends without history (VS Code's hidden requests: its variables view, data viewer and start-up
code go as execute_request with silent=False, store_history=False) is not a cell: IPython gives its result the count
the NEXT cell will take (InteractiveShell.run_cell_async: `result.execution_count = self.execution_count`, bumped only
with history). The facts the sidecar takes for a cell must be that cell's, not such a run's."""

from __future__ import annotations

import time

from trackit_sidecar.kernel import probe, silent_requests
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

SETUP = "import pandas as pd\nseen = pd.DataFrame({'a': [1.0]})"
HIDDEN = "len(seen)"  # what a variables view asks: reads a frame, changes nothing
CELL = "df = pd.DataFrame({'a': [1.0, None, 3.0]})"


def _replies(client, ids: list[str]) -> dict[str, dict]:
    replies: dict[str, dict] = {}
    while len(replies) < len(ids):
        reply = client.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") in ids:
            replies[reply["parent_header"]["msg_id"]] = reply["content"]
    return replies


def _push_after_reply(live_kernel, seconds: float) -> None:
    """The probe's wait between a reply and its push, set in the kernel: long enough that the editor reporting the
    cell (right after its reply) is always first, as it is when the cell's frames take tens of ms to measure."""
    silent_requests.silent_expression(
        live_kernel.client, f"setattr(__import__('sys').modules[{probe.MODULE_NAME + '.push_channel'!r}], "
                            f"'PUSH_AFTER_REPLY_SECONDS', {seconds})", 10)


def _hidden_run_pushed(live_kernel, capture) -> None:
    msg_id = live_kernel.client.execute(HIDDEN, store_history=False)
    assert _replies(live_kernel.client, [msg_id])[msg_id]["status"] == "ok"
    time.sleep(1.0)  # its push (if any) is in the inbox's socket by now
    capture._inbox._drain()


def test_a_cells_facts_are_not_those_of_a_hidden_run_before_it(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(SETUP)
        _push_after_reply(live_kernel, 0.3)
        _hidden_run_pushed(live_kernel, capture)
        ran = live_kernel.run(CELL)
        facts = capture.fetch(ran["execution_count"])  # as the editor reports the cell, right after its reply
    assert [(f.variable, f.rows_after, f.nulls_after) for f in facts] == [("df", 3, 1)]


def test_in_a_run_all_a_cells_facts_are_not_those_of_a_hidden_run_before_it(live_kernel):
    """Cells sent back to back after a hidden run: the first is announced as pushed once the kernel is idle; the
    hidden run's push under its count, already in the inbox, is not that push."""
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(SETUP)
        _push_after_reply(live_kernel, 0.5)  # no idle moment between the two queued cells on a loaded machine
        _hidden_run_pushed(live_kernel, capture)
        ids = [live_kernel.client.execute(CELL), live_kernel.client.execute("df.shape")]
        replies = _replies(live_kernel.client, ids)
        first = replies[ids[0]]["execution_count"]
        facts = capture.fetch(first)
    assert [(f.variable, f.rows_after, f.nulls_after) for f in facts] == [("df", 3, 1)]
