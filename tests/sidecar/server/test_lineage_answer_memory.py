"""What answering `trackit/lineage` from the records and sending the answer allocate at once: the JSON text and its
bytes, not a dict tree of it as well, then the text again and copies of its bytes (a 2,000-run document's tree was
~15 MB). A real server in this process, a real DuckDB file; the handler is the one the server registered, the
answer goes through the server's protocol to a writer that keeps its size. Python's own allocations, traced."""

from __future__ import annotations

import json
import tracemalloc
import uuid
from pathlib import Path

from pygls.protocol import JsonRPCResponseMessage

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.server import build_server

from ..in_process_server import stop_capturing, stop_server

CELLS = ["import pandas as pd\ndf = pd.read_csv('a.csv')", "df = df.dropna()\ndf['b'] = df['a'] * 2",
         "df = df[df['b'] > 0]\nprint(len(df))", "X = df.drop(columns=['b'])\ny = df['b']"]


def _event(nb: Path, order: int) -> p.CellExecution:
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{order % 4}",
        cell_uri=f"vscode-notebook-cell:{nb}#c{order % 4}", cell_index=order % 4, source=CELLS[order % 4],
        execution_order=order, started_at=1e12 + order, ended_at=1e12 + order + 1, status="ok", kernel_id="k1")


class Stdout:
    """Where the answer is written: what each write starts with and its size are kept, its bytes let go (a pipe)."""

    def __init__(self) -> None:
        self.writes: list[tuple[bytes, int]] = []

    def write(self, data: bytes) -> None:
        self.writes.append((bytes(data[:120]), len(data)))


async def test_a_window_of_300_runs_is_answered_and_sent_without_a_tree_of_it(tmp_path):
    server = build_server(str(tmp_path / "trackit.duckdb"), Settings())
    server.open_store()
    try:
        nb = tmp_path / "nb.ipynb"
        for order in range(1, 301):
            server.enqueue(_event(nb, order))
        await server.flush()
        handler = server.protocol.fm.features[p.LINEAGE]
        params = {"notebook_uri": nb.as_uri(), "include_source": False, "latest_session": True}
        await stop_capturing(server)  # runtime statuses stored and told: nothing changes or is sent meanwhile
        text = (await handler(params)).text  # the run is read and held: what is measured next is answering alone
        stdout = Stdout()
        server.protocol.set_writer(stdout)
        tracemalloc.start()
        try:
            answer = await handler(params)
            server.protocol._send_data(JsonRPCResponseMessage(id=7, jsonrpc="2.0", result=answer))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert answer.text == text and len(json.loads(text)["executions"]) == 300
        header, _, head = stdout.writes[0][0].partition(b"\r\n\r\n")
        assert head.startswith(b'{"id": 7, ') and header.startswith(b"Content-Length: ")
        sent = sum(size for _, size in stdout.writes) - len(header) - 4
        assert int(header.split(b"\r\n")[0].split()[1]) == sent == len(text.encode()) + len(b'{"id": 7, "jsonrpc": "2.0", "result": }')
        assert peak < 5 * len(text), (peak, len(text))  # with a tree of it, sent by pygls: ~9x its text
    finally:
        await stop_server(server)
