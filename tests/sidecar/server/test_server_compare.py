"""The compare requests over stdio (diff, hypotheses, ask), as the editor's experiments panel will send them."""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

from pygls.exceptions import JsonRpcInvalidParams
from pytest_lsp import LanguageClient

from trackit_sidecar import protocol as p

from ..model_notebook import model_capture, with_c
from .stdio_client import plain, sidecar_client

DB_DIR = Path(tempfile.mkdtemp(prefix="trackit-lsp-compare-"))
NOTEBOOK = DB_DIR / "model.ipynb"
NB_URI = NOTEBOOK.as_uri()
event = partial(model_capture, NOTEBOOK)  # event(cell, order, t0, source=None, printed=None)


client = sidecar_client("--db", str(DB_DIR / "lsp.duckdb"))


async def test_diff_hypotheses_and_ask(client: LanguageClient):
    t = 1_700_000_000_000.0
    for ev in (event(0, 1, t), event(1, 2, t + 10), event(2, 3, t + 20, printed="accuracy: 0.750\n"),
               event(1, 4, t + 30, with_c("0.1")), event(2, 5, t + 40, printed="accuracy: 0.500\n")):
        client.protocol.notify(p.CELL_EXECUTED, ev)
    send = client.protocol.send_request_async

    diff = p.ExperimentDiff.model_validate(plain(await send(p.DIFF, {"a": "E0001", "b": "E0002"})))
    assert diff.metrics[0].name == "accuracy" and diff.metrics[0].better == "a"
    assert diff.divergence.b.cell_id == "cell-1" and diff.divergence.cause.kind == "feature"
    assert diff.divergence.label and diff.text.startswith("E0001")
    runs = p.ExperimentDiff.model_validate(plain(await send(p.DIFF, {"a": "run 1", "b": "run 1", "notebook_uri": NB_URI})))
    assert runs.a.kind == "run" and runs.divergence is None

    made = p.Hypothesis.model_validate(plain(await send(p.ADD_HYPOTHESIS, {"statement": "a smaller C helps",
                                                                          "metric": "accuracy"})))
    assert (made.id, made.status, made.direction) == ("H0001", "proposed", "higher")
    linked = p.Hypothesis.model_validate(plain(await send(p.LINK_HYPOTHESIS, {"hypothesis_id": "H1",
                                                                             "experiment_ids": ["E0002"]})))
    assert linked.evidence[0].verdict == "refutes" and linked.evidence[0].label
    overridden = p.Hypothesis.model_validate(plain(await send(p.SET_HYPOTHESIS_STATUS, {
        "hypothesis_id": "H0001", "status": "inconclusive", "note": "one run is not enough"})))
    assert overridden.status == "inconclusive" and overridden.status_set_by_user
    strict = p.Hypothesis.model_validate(plain(await send(p.SET_HYPOTHESIS_THRESHOLDS, {
        "hypothesis_id": "H0001", "thresholds": {"min_effect": 0.5}})))
    assert strict.thresholds.min_effect == 0.5
    listing = p.HypothesisList.model_validate(plain(await send(p.HYPOTHESES, {"notebook_uri": NB_URI})))
    assert [h.id for h in listing.hypotheses] == ["H0001"]

    answer = p.AskAnswer.model_validate(plain(await send(p.ASK, {"notebook_uri": NB_URI,
                                                                 "question": "why did accuracy drop?"})))
    assert answer.intent == "why_metric" and {"[E0001]", "[E0002]"} <= {c.label for c in answer.citations}
    dry = p.AskAnswer.model_validate(plain(await send(p.ASK, {"notebook_uri": NB_URI, "question": "what changed?",
                                                              "provider": "ollama", "dry_run": True})))
    assert not dry.sent and dry.prompt.startswith("--- system ---")

    for method, params, message in [(p.DIFF, {"a": "E0001", "b": "E0009"}, "no experiment E0009"),
                                    (p.LINK_HYPOTHESIS, {"hypothesis_id": "H9", "experiment_ids": ["E0001"]},
                                     "no hypothesis H0009"),
                                    (p.ASK, {"notebook_uri": NB_URI, "question": "  "}, "ask a question")]:
        try:
            await send(method, params)
            raise AssertionError(f"{method} accepted {params}")
        except JsonRpcInvalidParams as refused:
            assert message in str(refused)
