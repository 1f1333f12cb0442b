"""The experiment requests over stdio, as the editor's experiment panel will send them."""

from __future__ import annotations

import json
import tempfile
from functools import partial
from pathlib import Path

from pygls.exceptions import JsonRpcInvalidParams
from pytest_lsp import LanguageClient

from trackit_sidecar import protocol as p

from ..model_notebook import model_capture, with_c
from .stdio_client import plain, sidecar_client

DB_DIR = Path(tempfile.mkdtemp(prefix="trackit-lsp-exp-"))
NOTEBOOK = DB_DIR / "model.ipynb"
NB_URI = NOTEBOOK.as_uri()
event = partial(model_capture, NOTEBOOK)  # event(cell, order, t0, source=None, printed=None)


client = sidecar_client("--db", str(DB_DIR / "lsp.duckdb"))


async def test_list_show_mark_name_reparent_export(client: LanguageClient):
    t = 1_700_000_000_000.0
    for ev in (event(0, 1, t), event(1, 2, t + 10), event(2, 3, t + 20, printed="accuracy: 0.750\n"),
               event(1, 4, t + 30, with_c("0.1")), event(2, 5, t + 40, printed="accuracy: 0.500\n")):
        client.protocol.notify(p.CELL_EXECUTED, ev)
    send = client.protocol.send_request_async

    listing = plain(await send(p.EXPERIMENTS, {"notebook_uri": NB_URI}))
    assert [(e["id"], e["parent"], e["primary_metric"]["value"]) for e in listing["experiments"]] == [
        ("E0001", None, 0.75), ("E0002", "E0001", 0.5)]
    assert listing["experiments"][1]["changed"] == ["model.params.C"]

    shown = plain(await send(p.EXPERIMENT, {"experiment_id": "E0002"}))
    assert shown["format"] == p.EXPERIMENT_FORMAT and shown["model"]["params"] == {"C": 0.1}
    assert [s["seq"] for s in shown["slice"]] == [1, 4, 5]

    marked = plain(await send(p.MARK_EXPERIMENT, {"notebook_uri": NB_URI, "cell_id": "cell-0", "name": "data only"}))
    assert (marked["id"], marked["origin"], marked["name"]) == ("E0003", "manual", "data only")
    named = plain(await send(p.NAME_EXPERIMENT, {"experiment_id": "E0002", "name": "smaller C", "notes": "worse"}))
    assert named["name"] == "smaller C"
    root = plain(await send(p.REPARENT_EXPERIMENT, {"experiment_id": "E0002", "parent_id": None}))
    assert root["parent"] is None and root["parent_set_by_user"] is True
    try:
        await send(p.REPARENT_EXPERIMENT, {"experiment_id": "E0002", "parent_id": "E0002"})
        raise AssertionError("a cycle was accepted")
    except JsonRpcInvalidParams as refused:
        assert "cycle" in str(refused)

    out = DB_DIR / "export"
    written = plain(await send(p.EXPORT_EXPERIMENT, {"experiment_id": "E0002", "format": "json", "out_dir": str(out),
                                                      "all": False}))
    assert len(written["written"]) == 1 and json.loads(Path(written["written"][0]).read_text())["name"] == "smaller C"
    again = plain(await send(p.EXPORT_EXPERIMENT, {"experiment_id": "E0002", "format": "json", "out_dir": str(out),
                                                    "all": False}))
    assert again["unchanged"] == written["written"]

    doc = plain(await send(p.LINEAGE, {"notebook_uri": NB_URI, "include_experiments": True}))
    # in the order they ran: E0003 marks an execution before E0001's (its id, given later, does not change)
    assert [e["id"] for e in doc["experiments"]] == ["E0003", "E0001", "E0002"]
    assert plain(await send(p.LINEAGE, {"notebook_uri": NB_URI}))["experiments"] == []  # the tree's cheap request
