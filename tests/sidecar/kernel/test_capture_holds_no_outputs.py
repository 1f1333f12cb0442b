"""The sidecar's client on a user's kernel asks silent questions on the shell channel: it does not subscribe to the
kernel's outputs, which it never reads (each would wait in its socket, a plot or a long print each, per kernel)."""

from __future__ import annotations

import queue

import pytest

from trackit_sidecar.kernel.runtime_capture import RuntimeCapture


def test_the_users_outputs_do_not_queue_in_the_capture(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        for _ in range(3):
            live_kernel.run("print('x' * 100_000)")
        # a client subscribed since it connected holds every output above (and the busy/idle of each request);
        # one subscribed only now holds none of them
        with pytest.raises(queue.Empty):
            capture._client.get_iopub_msg(timeout=0.5)
        # still answering: facts and the heartbeat a busy kernel is waited on
        ran = live_kernel.run("import pandas as pd\ndf = pd.DataFrame({'a': [1.0, None]})")
        assert [(f.variable, f.nulls_after) for f in capture.fetch(ran["execution_count"])] == [("df", 1)]
        assert capture._client.is_alive()
