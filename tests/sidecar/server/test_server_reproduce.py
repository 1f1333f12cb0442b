"""trackit/gather and trackit/verify over stdio, as the editor sends them, against a database `trackit run`
recorded (a real kernel, runtime facts on): the gathered notebook comes back, the replay reproduces it, an
edited gathered notebook does not, and an untrusted workspace runs nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.rpc_client import RpcError, StdioRpcClient, serve_command

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "titanic"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("titanic")
    for name in ("preprocess.ipynb", "passengers.csv", "tickets.csv"):
        shutil.copy(EXAMPLE / name, folder / name)
    db = str(folder / "trackit.duckdb")
    run = subprocess.run([sys.executable, "-m", "trackit_sidecar", "run", str(folder / "preprocess.ipynb"), "--db", db],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr
    client = StdioRpcClient(serve_command(db))
    client.initialize()
    try:
        yield client, (folder / "preprocess.ipynb").as_uri()
    finally:
        client.close()


def test_gather_then_verify_reproduces(server):
    client, uri = server
    answer = p.GatherAnswer.model_validate(client.request(p.GATHER, {"notebook_uri": uri, "variable": "X_train"}))
    assert answer.target == "`X_train` after run #11"
    assert answer.cells == 10 and answer.cells_in_session == 11
    code = [c for c in answer.notebook["cells"] if c["cell_type"] == "code"]
    assert code[0]["metadata"]["trackit"]["origin"]["cell_id"] == "titanic-01"
    assert "environment" in answer.notebook["metadata"]["trackit"]["gathered"]  # the run's stamp (trackit run)

    result = p.VerifyResult.model_validate(client.request(p.VERIFY, {"notebook_uri": uri, "variable": "X_train"},
                                                          timeout=180))
    assert result.reproduced, result.message
    assert result.message == f"reproduced ✓ ({result.steps} of {result.steps} steps match)" and result.steps >= 12

    # the user edits the gathered notebook (drops the Embarked filter) and verifies it as it is now
    edited = answer.notebook
    for cell in edited["cells"]:
        cell["source"] = cell["source"].replace('df = df[df["Embarked"].notna()]', "pass")
    result = p.VerifyResult.model_validate(client.request(p.VERIFY, {"notebook_uri": uri, "gathered": edited},
                                                          timeout=180))
    assert not result.reproduced
    assert result.divergence.cell_id == "titanic-09" and result.divergence.variable == "df"
    assert "recorded 889 rows, replay 891 rows" in result.message
    assert [c.kind for c in result.divergence.causes] == ["code_changed"]


def test_bad_requests_get_one_clear_error(server):
    client, uri = server
    with pytest.raises(RpcError, match="wrote `nothing_like_this`"):
        client.request(p.GATHER, {"notebook_uri": uri, "variable": "nothing_like_this"})
    with pytest.raises(RpcError, match="name a variable"):
        client.request(p.GATHER, {"notebook_uri": uri})
    with pytest.raises(RpcError, match="not a gathered notebook"):
        client.request(p.VERIFY, {"notebook_uri": uri, "gathered": {"cells": [], "metadata": {}}})


def test_untrusted_workspace_gathers_but_never_replays(server):
    client, uri = server
    client.notify(p.SET_CONFIG, {"trusted": False})
    try:
        answer = client.request(p.GATHER, {"notebook_uri": uri, "variable": "df"})
        environment = answer["notebook"]["metadata"]["trackit"]["gathered"].get("environment") or {}
        # the run's recorded stamp at most: no interpreter was started to list packages
        assert not environment or environment["source"].startswith("recorded with the run")
        with pytest.raises(RpcError, match="untrusted"):
            client.request(p.VERIFY, {"notebook_uri": uri, "variable": "df"})
    finally:
        client.notify(p.SET_CONFIG, {"trusted": True})
