"""The sidecar end to end over stdio, driven by pytest-lsp as the editor would drive it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from trackit_sidecar import protocol as p

from .stdio_client import cell_executed, plain, sidecar_client

DB_DIR = Path(tempfile.mkdtemp(prefix="trackit-lsp-"))
NOTEBOOK = DB_DIR / "analysis.ipynb"
NB_URI = NOTEBOOK.as_uri()


def event(cell: int, source: str, order: int, t0: float, status: str = "ok", **extra) -> dict:
    return cell_executed(NOTEBOOK, cell, source, order, t0, status=status,
                         cell_uri=f"vscode-notebook-cell:{NOTEBOOK}#cell{cell}", **extra)


client = sidecar_client("--db", str(DB_DIR / "lsp.duckdb"))


async def test_out_of_order_redefinitions_link_by_execution_order(client: LanguageClient):
    # cells: 0 loads df, 1 filters df, 2 redefines df; executed 0, 2, 1 -> cell 1 reads cell 2's df
    t = 1_700_000_000_000.0
    events = [
        event(0, "import pandas as pd\ndf = pd.DataFrame({'a': [1, -2, 3]})", 1, t),
        event(2, "df = df.assign(b=df.a * 2)", 2, t + 100),
        event(1, "df = df[df.a > 0]\nn = len(df)", 3, t + 200),
    ]
    for ev in events:
        client.protocol.notify(p.CELL_EXECUTED, ev)
    changed = plain(await client.wait_for_notification(p.LINEAGE_CHANGED))
    assert set(changed["event_ids"]) <= {e["event_id"] for e in events}

    doc = plain(await client.protocol.send_request_async(p.LINEAGE, {"notebook_uri": NB_URI}))
    assert doc["format"] == p.LINEAGE_FORMAT
    execs = doc["executions"]
    assert [e["cell_index"] for e in execs] == [0, 2, 1]
    assert [e["seq"] for e in execs] == [1, 2, 3]
    assert execs[1]["parents"] == [1]
    assert execs[2]["parents"] == [2], "the filter reads the df that cell 2 wrote, because cell 2 ran first"
    assert "df" in execs[2]["reads"] and "n" in execs[2]["writes"]

    ann = plain(await client.protocol.send_request_async(p.CELL_ANNOTATION, {"notebook_uri": NB_URI, "cell_id": "cell-2"}))
    assert ann["run_count"] == 1
    assert [d["cell_id"] for d in ann["downstream"]] == ["cell-1"]

    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=f"vscode-notebook-cell:{NOTEBOOK}#cell1"),
        position=lsp.Position(line=0, character=1)))
    assert hover is not None and "ran once" in hover.contents.value
    assert "`df`" in hover.contents.value


async def test_invalid_params_get_a_clear_error(client: LanguageClient):
    with pytest.raises(Exception) as err:
        await client.protocol.send_request_async(p.CELL_ANNOTATION, {"notebook_uri": NB_URI})
    assert "cell_id" in str(err.value)
