"""The requests behind the editor's views, over stdio: the data lineage graph (trackit/provenance), cell history
with diffs and data facts, summaries whose citations point at cells, and what the sidecar logs for them."""

from __future__ import annotations

import hashlib
import re
import logging
import tempfile
from pathlib import Path

from pygls.exceptions import JsonRpcInvalidParams
from pytest_lsp import LanguageClient

from trackit_sidecar import protocol as p

from .stdio_client import cell_executed, plain, sidecar_client
from trackit_sidecar.cli.common import setup_logging

DB_DIR = Path(tempfile.mkdtemp(prefix="trackit-lsp-views-"))
LOG = DB_DIR / "sidecar.log"
NOTEBOOK = DB_DIR / "views.ipynb"
NB_URI = NOTEBOOK.as_uri()
(DB_DIR / "people.csv").write_text("name,age\nA,1\nB,\nC,3\n")
CELLS = {
    0: "import pandas as pd\npeople = pd.read_csv('people.csv')",
    1: "adults = people.dropna()",
    2: "adults = adults[adults.age > 1]",
}


def event(cell: int, order: int, t0: float, source: str | None = None) -> dict:
    return cell_executed(NOTEBOOK, cell, source or CELLS[cell], order, t0, kernel_id="k1")


client = sidecar_client("--db", str(DB_DIR / "lsp.duckdb"), "--log-file", str(LOG))


async def test_graph_history_summary_and_their_log_lines(client: LanguageClient):
    t = 1_700_000_000_000.0
    for ev in (event(0, 1, t), event(1, 2, t + 10), event(2, 3, t + 20)):
        client.protocol.notify(p.CELL_EXECUTED, ev)
    send = client.protocol.send_request_async

    graph = plain(await send(p.PROVENANCE, {"notebook_uri": NB_URI, "variable": "adults"}))
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert graph["target"] == "var:3:adults" and graph["variable"] == "adults"
    assert [nodes[e["source"]]["kind"] for e in graph["edges"] if e["target"] == "step:2:0"] == ["variable"]
    assert ("step:2:0", "step:3:0") in {(e["source"], e["target"]) for e in graph["edges"]}
    source = next(n for n in graph["nodes"] if n["kind"] == "source")
    assert source["label"] == "people.csv" and source["cell_id"] == "cell-0"
    csv = (DB_DIR / "people.csv").read_bytes()
    assert source["detail"] == f"{len(csv)} bytes \u00b7 sha256 {hashlib.sha256(csv).hexdigest()[:8]}"
    assert nodes["step:2:0"]["label"].startswith("Dropped rows with missing values from `people` into `adults`")
    assert graph["variables"][-2:] == ["people", "adults"]
    default = plain(await send(p.PROVENANCE, {"notebook_uri": NB_URI}))
    assert default["variable"] == "adults"  # no model: the last variable written
    try:
        await send(p.PROVENANCE, {"notebook_uri": NB_URI, "experiment_id": "E0042"})
        raise AssertionError("an unknown experiment was accepted")
    except JsonRpcInvalidParams as refused:
        assert "E0042" in str(refused)

    client.protocol.notify(p.CELL_EXECUTED, event(2, 4, t + 30, "adults = adults[adults.age > 2]"))
    history = plain(await send(p.CELL_HISTORY, {"notebook_uri": NB_URI, "cell_id": "cell-2"}))
    first, second = history["versions"]
    assert first["diff"] is None and first["cell_index"] == 2
    assert second["diff"].splitlines() == [
        "--- version 1", "+++ version 2", "@@ -1 +1 @@", "-adults = adults[adults.age > 1]", "+adults = adults[adults.age > 2]"]
    assert second["facts"] == []  # no kernel was tied to this notebook: nothing was measured

    summary = plain(await send(p.SUMMARIZE, {"notebook_uri": NB_URI}))
    cited = {c["text"]: [r["cell_id"] for r in c["cells"]] for c in summary["citations"]}
    assert cited and all(text in summary["markdown"] for text in cited)
    assert "[cell 1]" in cited and cited["[cell 1]"] == ["cell-0"]
    assert any(ids == ["cell-2"] for ids in cited.values())

    log = LOG.read_text(encoding="utf-8")
    # the first capture is stored at once, the ones that arrived meanwhile in the next transaction: the counts add up
    stored = [(int(n), int(latest)) for n, latest in
              re.findall(r"views\.ipynb: stored (\d+) executions? \(latest #(\d+)\)", log)]
    assert sum(n for n, _ in stored) == 4 and [latest for _, latest in stored][-1] == 4
    assert stored[-1] == (1, 4)
    assert "views.ipynb: summary by builtin of 4 executions written in" in log


def test_the_editor_log_channel_gets_one_timestamp_per_line(capsys):
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging(None, logging.INFO, to_stderr=True)
        logging.getLogger("trackit.server").info("analysis.ipynb: stored 2 executions")
        line = capsys.readouterr().err.strip()
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    # VS Code's log channel puts its own time in front of every line it shows
    assert line == "INFO trackit.server: analysis.ipynb: stored 2 executions"
