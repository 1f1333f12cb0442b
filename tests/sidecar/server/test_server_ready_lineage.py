"""`trackit/lineage` for a whole notebook over stdio: answered the same before the sidecar has made the ready rows
of a database written without them and after (then sent as the stored JSON text, ready_lineage.py)."""

from __future__ import annotations

import json
import sys
import time

from trackit_sidecar import protocol as p
from trackit_sidecar.rpc_client import StdioRpcClient
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store
from trackit_sidecar.whole_lineage import document_parts

from ..test_lineage_views import ev


def test_the_whole_lineage_is_the_same_before_and_after_the_rows_are_made(tmp_path):
    db = str(tmp_path / "serve.duckdb")
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    with Store.open(db) as store:  # recorded without rows (as `trackit record` or an older sidecar leaves it)
        store.ingest([ev(nb, c % 5, c % 7 + 1, 1e12 + c * 10, kernel=f"k{c // 7}") for c in range(30)], {})
        store.set_runtime_status({store.connection.con.execute(
            "SELECT event_id FROM executions WHERE seq = 3").fetchone()[0]: ("kernel_unreachable", None)})
        whole = TrackitService(store).public_lineage(uri, include_experiments=False)
        expected = {include: json.loads(b"".join(document_parts(whole, include))) for include in (False, True)}
    log = tmp_path / "stderr.log"
    with open(log, "w") as stderr:
        client = StdioRpcClient([sys.executable, "-m", "trackit_sidecar", "serve", "--db", db], stderr=stderr)
        try:
            client.initialize()
            before = p.with_shared_parts(client.request(p.LINEAGE, {"notebook_uri": uri, "include_source": False}))
            deadline = time.monotonic() + 60  # the rows are made once the sidecar is idle
            while "lineage rows: ready" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.05)
            sent = {include: client.request(p.LINEAGE, {"notebook_uri": uri, "include_source": include})
                    for include in (False, True)}
            after = {include: p.with_shared_parts(answer) for include, answer in sent.items()}
        finally:
            client.close()
    lines = log.read_text().splitlines()
    assert [line for line in lines if "lineage rows: making" in line] == [
        "INFO trackit_sidecar.ready_lineage: lineage rows: making the ready rows of 30 executions in 1 notebook once "
        "(recorded by an older TrackIT or analyzed by an older analyzer); until then their whole lineage is read the "
        "slower way"]
    assert any("lineage rows: ready (30 made" in line for line in lines)
    assert before == expected[False]
    assert after == expected
    # read from the rows (their table is there), with nothing to share: these records were stored unanalysed
    assert [sent[include].get(p.SHARED_PARTS) for include in (False, True)] == [[], []]
    assert json.dumps(after[True]).count('"source": ') == 30
    with Store.open(db, read_only=True) as store:  # the rows the second answer was read from, kept for the next process
        assert TrackitService(store).whole_lineage_json(uri, False) is not None
