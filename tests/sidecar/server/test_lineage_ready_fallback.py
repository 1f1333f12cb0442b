"""The ready lineage rows are a copy of what the records say: when reading them fails, `trackit/lineage` answers
from the records, with one log line, instead of failing the editor's request. A real server in this process and a
real DuckDB file; the handler is the one the server registered."""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.server import build_server

from ..in_process_server import stop_server


def _event(nb: Path, order: int, source: str) -> p.CellExecution:
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{order}",
        cell_uri=f"vscode-notebook-cell:{nb}#c{order}", cell_index=order, source=source, execution_order=order,
        started_at=1e12 + order, ended_at=1e12 + order + 1, status="ok", kernel_id="k1")


async def test_a_failing_read_of_the_ready_rows_is_answered_from_the_records(tmp_path, caplog):
    server = build_server(str(tmp_path / "trackit.duckdb"), Settings())
    server.open_store()
    try:
        nb = tmp_path / "nb.ipynb"
        for order, source in enumerate(["import pandas as pd\ndf = pd.read_csv('a.csv')", "df = df.dropna()"], 1):
            server.enqueue(_event(nb, order, source))
        await server.flush()

        def broken(*_args, **_kwargs):
            raise RuntimeError("lineage_rows unreadable")

        server.service.whole_lineage_json = broken
        handler = server.protocol.fm.features[p.LINEAGE]
        with caplog.at_level(logging.ERROR):
            answer = json.loads((await handler({"notebook_uri": nb.as_uri()})).text)  # JSON text, as it is sent
        assert [[s["op"] for s in e["steps"]] for e in answer["executions"]] == [["load"], ["drop_missing"]]
        assert any("answering from the records" in r.getMessage() for r in caplog.records)
    finally:
        await stop_server(server)
