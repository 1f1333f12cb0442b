"""A cell's null counts and fingerprints are measured after the kernel replied to the cell, off the cell's time, and
are still the facts of the values as that cell left them: a next cell that changes them in place, even one already
queued behind it (Run All), does not change what is reported for the cell before."""

from __future__ import annotations

import json

from trackit_sidecar.kernel import probe, probe_expressions, silent_requests
from trackit_sidecar.kernel.probe import hooks
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import counting_requests

# An object whose repr is what a fingerprint of its (object) column hashes: it
# holds the probe's measuring until the test creates a file, so the order of "reply" and "measured" is observable.
GATE = """
import os, time
import pandas as pd

class Gate:
    def __repr__(self):
        deadline = time.monotonic() + 60
        while not os.path.exists({opened!r}) and time.monotonic() < deadline:
            time.sleep(0.01)
        return "gate"
"""


def test_the_cells_reply_does_not_wait_for_its_facts_to_be_measured(live_kernel, tmp_path):
    opened = tmp_path / "opened"
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(GATE.format(opened=str(opened)))
        sent = counting_requests(capture)
        # Before this change the probe measured in post_run_cell, before the reply: the reply waited for the gate
        # (60 s) and this run timed out.
        ran = live_kernel.run("gated = pd.DataFrame({'g': [Gate(), None], 'n': [1.0, 2.0]})", timeout=20)
        assert ran["status"] == "ok"
        assert not opened.exists()  # replied while the measuring still waits for the gate
        opened.touch()
        facts = capture.fetch(ran["execution_count"])
        assert [(f.variable, f.rows_after, f.nulls_after) for f in facts] == [("gated", 2, 1)]
        assert facts[0].fingerprint
        assert sent == []  # pushed once measured, not fetched


def _silent(live_kernel, expression: str):
    return silent_requests.silent_expression(live_kernel.client, expression, 10)


FRAME = "pd.DataFrame({'a': [1.0, None, 3.0], 'b': [1, 2, 3]})"
CHANGE_IN_PLACE = "df.loc[1, 'a'] = 2.0\ndf['b'] *= 10\narr[0] = 7.0"


def _facts_by_count(capture, counts):
    return {count: {f.variable: f for f in capture.fetch(count)} for count in counts}


def _check_the_first_cells_facts_are_its_own(facts, first, second, reference):
    df, arr = facts[first]["df"], facts[first]["arr"]
    same_df, same_arr = facts[reference]["same_df"], facts[reference]["same_arr"]
    # cell 1 as it left the values: one missing value, the fingerprint of an identical untouched frame/array
    assert (df.rows_after, df.nulls_after, df.fingerprint) == (3, 1, same_df.fingerprint)
    assert (arr.nulls_after, arr.fingerprint) == (1, same_arr.fingerprint)
    # cell 2 changed both in place: its facts say so, from cell 1's values to its own
    changed_df, changed_arr = facts[second]["df"], facts[second]["arr"]
    assert (changed_df.changed, changed_df.nulls_before, changed_df.nulls_after) == (True, 1, 0)
    assert changed_df.fingerprint != df.fingerprint
    assert (changed_arr.changed, changed_arr.nulls_before, changed_arr.nulls_after) == (True, 1, 1)
    assert changed_arr.fingerprint != arr.fingerprint


def test_a_next_cell_changing_the_frame_in_place_does_not_change_the_last_cells_facts(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run("import numpy as np\nimport pandas as pd")
        # no idle time at all between the cells: only the next cell's own start can measure the first one
        _silent(live_kernel, f"setattr(__import__('sys').modules[{probe.MODULE_NAME + '.push_channel'!r}], "
                             "'PUSH_AFTER_REPLY_SECONDS', 3600)")
        first = live_kernel.run(f"df = {FRAME}\narr = np.array([1.0, np.nan, 3.0])")["execution_count"]
        assert capture._inbox.take(first) is None  # not measured yet: nothing pushed
        second = live_kernel.run(CHANGE_IN_PLACE)["execution_count"]
        reference = live_kernel.run(f"same_df = {FRAME}\nsame_arr = np.array([1.0, np.nan, 3.0])")["execution_count"]
        _check_the_first_cells_facts_are_its_own(_facts_by_count(capture, (first, second, reference)),
                                                 first, second, reference)


def test_a_queued_next_cell_changing_the_frame_does_not_change_the_last_cells_facts(live_kernel):
    """Run All: the next cell is already waiting in the kernel's queue when the first one replies."""
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run("import numpy as np\nimport pandas as pd")
        client = live_kernel.client
        ids = [client.execute(code) for code in (f"df = {FRAME}\narr = np.array([1.0, np.nan, 3.0])",
                                                 CHANGE_IN_PLACE,
                                                 f"same_df = {FRAME}\nsame_arr = np.array([1.0, np.nan, 3.0])")]
        counts = {}
        while len(counts) < len(ids):
            reply = client.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") in ids:
                assert reply["content"]["status"] == "ok"
                counts[reply["parent_header"]["msg_id"]] = reply["content"]["execution_count"]
        first, second, reference = (counts[msg_id] for msg_id in ids)
        stats = json.loads(_silent(live_kernel, probe_expressions.stats_expression()))
        facts = _facts_by_count(capture, (first, second, reference))
        _check_the_first_cells_facts_are_its_own(facts, first, second, reference)
        assert stats["errors"] == []


def test_pushes_wait_for_a_running_loop_and_go_at_once_without_one():
    """Outside a kernel's event loop (IPython in a terminal) there is no 'after the reply': pushed at once."""

    class Shell:
        user_ns: dict = {}

    class Socket:
        def __init__(self):
            self.sent = []

        def sendto(self, data, path):
            self.sent.append(json.loads(data))

    watcher = hooks.Probe(Shell())
    watcher.push_socket, watcher.push_path = Socket(), "/nowhere"
    watcher.pre_run_cell(None)
    watcher.post_run_cell(type("Result", (), {"execution_count": 1, "result": None})())
    assert [push["execution_count"] for push in watcher.push_socket.sent] == [1]
    assert watcher.unpushed == []
