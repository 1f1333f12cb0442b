"""The sidecar keeps serving through garbage, unknown methods and a second process on the same database."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.rpc_client import RpcError, StdioRpcClient, serve_command


def _event(nb: Path, cell: int, order: int, source: str = "x = 1") -> dict:
    t = time.time() * 1000
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{cell}",
        cell_index=cell, source=source, execution_order=order, started_at=t, ended_at=t + 1, status="ok",
    ).model_dump(mode="json")


@pytest.fixture
def server(tmp_path):
    client = StdioRpcClient(serve_command(str(tmp_path / "t.duckdb")))
    client.initialize()
    yield client
    client.close()


def test_garbage_and_unknown_methods_do_not_stop_the_server(server, tmp_path):
    nb = tmp_path / "nb.ipynb"
    # 1. bytes that are not a message at all, then a header with a body that is not JSON
    server.send_raw(b"hello there\r\n\r\n")
    server.send_raw(b"Content-Length: 9\r\n\r\n{not json")
    # 2. JSON that is not JSON-RPC, and a JSON array
    for body in (b'{"foo": 1}', b"[1, 2, 3]", b'"just a string"'):
        server.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    # 3. an unknown request gets MethodNotFound; an unknown notification is ignored
    with pytest.raises(RpcError) as err:
        server.request("trackit/noSuchThing", {})
    assert err.value.error["code"] == -32601
    server.notify("trackit/noSuchNotification", {"x": 1})
    # 4. a capture with missing fields is dropped with a log line, not a crash
    server.notify(p.CELL_EXECUTED, {"notebook_uri": "file:///x.ipynb"})
    server.notify(p.CELL_EXECUTED, "not even an object")
    # 5. a request with bad params gets InvalidParams naming the field
    with pytest.raises(RpcError) as err:
        server.request(p.LINEAGE, {"nope": 1})
    assert err.value.error["code"] == -32602 and "notebook_uri" in err.value.error["message"]

    # ...and it still works
    server.notify(p.CELL_EXECUTED, _event(nb, 0, 1, "import math\nr = math.pi"))
    doc = p.with_shared_parts(server.request(p.LINEAGE, {"notebook_uri": nb.as_uri()}))
    assert len(doc["executions"]) == 1
    assert doc["executions"][0]["writes"] == ["math", "r"]
    assert server.proc.poll() is None


def test_repeated_events_are_stored_once_and_acknowledged(server, tmp_path):
    nb = tmp_path / "nb.ipynb"
    events = [_event(nb, i, i + 1, f"v{i} = {i}") for i in range(5)]
    for ev in events + events[:3]:  # an editor re-sending after a restart
        server.notify(p.CELL_EXECUTED, ev)
    acked: set[str] = set()
    while len(acked) < 5:
        acked.update(server.wait_notification(p.LINEAGE_CHANGED)["params"]["event_ids"])
    doc = server.request(p.LINEAGE, {"notebook_uri": nb.as_uri()})
    assert [e["cell_id"] for e in doc["executions"]] == [f"c{i}" for i in range(5)]


def test_second_sidecar_on_the_same_database_spools_and_owner_merges(tmp_path):
    db = str(tmp_path / "shared.duckdb")
    nb = tmp_path / "nb.ipynb"
    owner = StdioRpcClient(serve_command(db))
    owner.initialize()
    second = StdioRpcClient(serve_command(db))
    second.initialize()
    try:
        status = second.request(p.STATUS, {})
        assert status["db_mode"] == "spool"
        assert str(owner.proc.pid) in status["lock_holder"], status["lock_holder"]
        with pytest.raises(RpcError) as err:
            second.request(p.LINEAGE, {"notebook_uri": nb.as_uri()})
        assert str(owner.proc.pid) in err.value.error["message"]

        owner.notify(p.CELL_EXECUTED, _event(nb, 0, 1, "a = 1"))
        second.notify(p.CELL_EXECUTED, _event(nb, 1, 2, "b = a + 1"))
        deadline = time.monotonic() + 20
        while True:
            doc = owner.request(p.LINEAGE, {"notebook_uri": nb.as_uri()})
            if len(doc["executions"]) == 2 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert sorted(e["cell_id"] for e in doc["executions"]) == ["c0", "c1"]
        assert doc["executions"][1]["parents"] == [1]
    finally:
        second.close()
        owner.close()
