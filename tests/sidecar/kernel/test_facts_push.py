"""The probe pushes each cell's facts to the sidecar's private socket: no shell request per cell, same facts;
a lost push, a restarted kernel and a probe that cannot push fall back to the fetch."""

from __future__ import annotations

import os
import stat

from trackit_sidecar.kernel import silent_requests
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import counting_requests

CELLS = [
    "import pandas as pd\ndf = pd.DataFrame({'a': [1.0, None, 3.0]})",
    "df2 = df.dropna()",
    "df3 = df2.assign(b=df2.a * 2)",
]


def _shape(facts):
    return [(f.variable, f.rows_after, f.cols_after) for f in facts]


def _fetched(live_kernel, count):
    from jupyter_client import BlockingKernelClient

    other = BlockingKernelClient()
    other.load_connection_file(live_kernel.connection_file)
    other.start_channels()
    try:
        return silent_requests.fetch_facts(other, count)[0]
    finally:
        other.stop_channels()


def test_pushed_facts_cost_the_kernel_no_request_and_are_the_fetched_facts(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        inbox_dir = os.path.dirname(capture._inbox.path)
        assert stat.S_IMODE(os.stat(inbox_dir).st_mode) == 0o700  # private to the user
        sent = counting_requests(capture)
        counts = [live_kernel.run(cell)["execution_count"] for cell in CELLS]
        pushed = [capture.fetch(count) for count in counts]
        assert sent == []  # not one request to the kernel for three cells' facts
        assert [_shape(facts)[-1] for facts in pushed] == [("df", 3, 1), ("df2", 2, 1), ("df3", 2, 2)]
        # the same facts a fetch gets (the probe keeps them)
        assert [f.model_dump() for facts in pushed for f in facts] == [
            f.model_dump() for count in counts for f in _fetched(live_kernel, count)]
    assert not os.path.exists(inbox_dir)  # closed: the socket and its directory are gone


def test_a_lost_push_is_fetched_and_the_users_cell_does_not_notice(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        os.unlink(capture._inbox.path)  # the socket disappeared: the probe's push fails
        sent = counting_requests(capture)
        ran = live_kernel.run(CELLS[0])
        assert ran["status"] == "ok" and not [m for m in ran["outputs"] if m["msg_type"] in ("stream", "error")]
        assert _shape(capture.fetch(ran["execution_count"])) == [("df", 3, 1)]
        assert len(sent) == 1  # the fallback is the fetch


def test_pushes_from_before_a_restart_are_not_taken_for_the_new_kernels_counts(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        for cell in CELLS:  # pushed, never asked for
            live_kernel.run(cell)
        live_kernel.manager.restart_kernel(now=True)
        live_kernel.client.wait_for_ready(timeout=60)
        first = live_kernel.run("x = 1")
        assert first["execution_count"] == 1
        # the old kernel's count 1 was a frame; the new kernel's count 1 ran before the probe was back: no facts
        assert capture.fetch(1) == []
        ran = live_kernel.run("import pandas as pd\nnew = pd.DataFrame({'z': [1]})")
        sent = counting_requests(capture)
        assert _shape(capture.fetch(ran["execution_count"])) == [("new", 1, 1)]
        assert sent == []  # pushing again after the probe was installed again


def test_facts_too_big_for_one_datagram_are_fetched(live_kernel):
    many = "\n".join(f"frame_{i} = pd.DataFrame({{'a': [1.0, None], 'b': ['x', 'y']}})" for i in range(1500))
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run("import pandas as pd")
        sent = counting_requests(capture)
        ran = live_kernel.run(many)
        assert ran["status"] == "ok" and not [m for m in ran["outputs"] if m["msg_type"] in ("stream", "error")]
        facts = capture.fetch(ran["execution_count"])
        assert len(facts) == 1500 and {(f.rows_after, f.nulls_after) for f in facts} == {(2, 1)}
        assert len(sent) == 1  # the push could not carry it: fetched


def test_a_run_all_the_sidecar_reads_only_after_it_ended_is_not_waited_for(live_kernel, monkeypatch):
    """30 cells sent at once while the sidecar asks for nothing (storing, or the editor's events not in yet): a Unix
    socket queues at most 10 datagrams (net.unix.max_dgram_qlen), so the 29 announcements and 30 pushes are read as
    they come. Unread, every push was dropped and the first announced cell was waited for WHEN_IDLE_WAIT (a minute;
    20 s here), then every cell fetched. On a loaded machine the reader can still fall 10 datagrams behind the probe's
    pushes once idle: those are asked for FLUSH_QUIET after the last push came, not WHEN_IDLE_WAIT."""
    import time

    from trackit_sidecar.kernel import facts_inbox

    monkeypatch.setattr(facts_inbox, "WHEN_IDLE_WAIT", 20.0)
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run("import pandas as pd")
        ids = [live_kernel.client.execute(f"f{i} = pd.DataFrame({{'a': [1.0, None, {i}]}})") for i in range(30)]
        replies: dict[str, dict] = {}
        while len(replies) < len(ids):
            reply = live_kernel.client.get_shell_msg(timeout=60)
            replies[reply["parent_header"]["msg_id"]] = reply["content"]
        counts = [replies[msg_id]["execution_count"] for msg_id in ids]
        time.sleep(1.0)  # the sidecar busy elsewhere while the probe pushes, once the kernel is idle
        sent = counting_requests(capture)
        started = time.monotonic()
        facts = [capture.fetch(count) for count in counts]
        took = time.monotonic() - started
    assert [_shape(cell) for cell in facts] == [[(f"f{i}", 3, 1)] for i in range(30)]
    assert took < facts_inbox.WHEN_IDLE_WAIT / 2
    assert len(sent) < len(counts)  # pushed, but for what a loaded machine's reader fell behind on
