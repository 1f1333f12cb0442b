"""A whole `trackit/lineage` answered from the records goes out in parts (whole_lineage.py) as one well-formed
response: its Content-Length counts every part, and its result is the document made in one go. A real server in
this process, a real DuckDB file; the handler is the one the server registered, written to a writer that keeps it."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from pygls.protocol import JsonRPCResponseMessage

from trackit_sidecar import protocol as p
from trackit_sidecar import whole_lineage
from trackit_sidecar.config import Settings
from trackit_sidecar.server import build_server

from ..in_process_server import stop_capturing, stop_server

CELLS = ["import pandas as pd\ndf = pd.read_csv('a.csv')", "df = df.dropna()\ndf['b'] = df['a'] * 2",
         "df = df[df['b'] > 0]\nprint(len(df))"]


def _event(nb: Path, i: int) -> p.CellExecution:
    cell = i % 3
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{cell}",
        cell_uri=f"vscode-notebook-cell:{nb}#c{cell}", cell_index=cell, source=CELLS[cell],
        execution_order=i % 5 + 1, started_at=1e12 + i * 1000, ended_at=1e12 + i * 1000 + 1, status="ok",
        kernel_id=f"k{i // 5}")  # a new kernel every 5 runs: 6 sessions


class Stdout:
    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))


async def test_a_whole_document_in_parts_is_one_response_with_the_whole_text(tmp_path, monkeypatch):
    monkeypatch.setattr(whole_lineage, "CHUNK_EXECUTIONS", 10)  # 30 runs: three groups of two sessions
    server = build_server(str(tmp_path / "trackit.duckdb"), Settings())
    server.open_store()
    try:
        nb = tmp_path / "nb.ipynb"
        for i in range(30):
            server.enqueue(_event(nb, i))
        await server.flush()
        await stop_capturing(server)
        expected = json.loads(b"".join(whole_lineage.document_parts(
            server.service.public_lineage(nb.as_uri(), include_experiments=False), include_source=False)))
        # the ready rows not made yet (the idle lane waits for quiet): as when a burst of runs has just been stored
        monkeypatch.setattr(server.service, "whole_lineage_json", lambda *_args: None)
        handler = server.protocol.fm.features[p.LINEAGE]
        answer = await handler({"notebook_uri": nb.as_uri(), "include_source": False})
        stdout = Stdout()
        server.protocol.set_writer(stdout)
        server.protocol._send_data(JsonRPCResponseMessage(id=7, jsonrpc="2.0", result=answer))
        assert len(stdout.writes) > 4  # the head, the parts, the closing brace: written one after another
        header, _, body = b"".join(stdout.writes).partition(b"\r\n\r\n")
        assert int(header.split(b"\r\n")[0].split()[1]) == len(body)
        message = json.loads(body)
        assert message["id"] == 7 and message["result"] == expected and len(expected["executions"]) == 30
    finally:
        await stop_server(server)
