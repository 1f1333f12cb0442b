"""Compare: diff two experiments (or runs), hypotheses and their evidence, and questions to the history (the
editor's experiments panel draws these)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Callable

from pygls.exceptions import JsonRpcInvalidParams

from ... import protocol as p
from .params import parse_params

if TYPE_CHECKING:
    from ..app import TrackitServer


def register(server: "TrackitServer") -> None:
    async def call(fn: Callable[..., Any], *args: Any) -> Any:
        """On the store thread; an unknown experiment or hypothesis, a bad id or request is invalid params."""
        from ...compare.service import HypothesisNotFound
        from ...experiments.service import ExperimentNotFound

        try:
            return await server.on_store(fn, *args)
        except (ExperimentNotFound, HypothesisNotFound, LookupError, ValueError) as bad:
            raise JsonRpcInvalidParams(str(bad).strip("'\"")) from None

    def compare():
        return server.require_service().compare

    @server.feature(p.DIFF)
    async def diff(params: Any) -> dict:
        req = parse_params(p.DiffParams, params)
        await server.flush()
        return (await call(compare().diff, req.a, req.b, req.notebook_uri)).model_dump(mode="json")

    @server.feature(p.HYPOTHESES)
    async def hypotheses(params: Any) -> dict:
        req = parse_params(p.HypothesesParams, params)
        await server.flush()
        return (await call(compare().hypotheses, req.notebook_uri)).model_dump(mode="json")

    @server.feature(p.ADD_HYPOTHESIS)
    async def add_hypothesis(params: Any) -> dict:
        req = parse_params(p.AddHypothesisParams, params)
        if req.direction == "unknown":
            raise JsonRpcInvalidParams("direction must be higher or lower (or left out: from the metric's name)")
        made = await call(compare().add_hypothesis, req.statement, req.metric, req.direction, req.baseline,
                          req.thresholds)
        return made.model_dump(mode="json")

    @server.feature(p.LINK_HYPOTHESIS)
    async def link_hypothesis(params: Any) -> dict:
        req = parse_params(p.LinkHypothesisParams, params)
        return (await call(compare().link, req.hypothesis_id, req.experiment_ids, req.unlink)).model_dump(mode="json")

    @server.feature(p.SET_HYPOTHESIS_STATUS)
    async def set_hypothesis_status(params: Any) -> dict:
        req = parse_params(p.SetHypothesisStatusParams, params)
        return (await call(compare().set_status, req.hypothesis_id, req.status, req.note)).model_dump(mode="json")

    @server.feature(p.SET_HYPOTHESIS_THRESHOLDS)
    async def set_hypothesis_thresholds(params: Any) -> dict:
        req = parse_params(p.SetHypothesisThresholdsParams, params)
        return (await call(compare().set_thresholds, req.hypothesis_id, req.thresholds)).model_dump(mode="json")

    @server.feature(p.ASK)
    async def ask(params: Any) -> dict:
        req = parse_params(p.AskParams, params)
        await server.flush()
        plan = await call(compare().ask_plan, req.notebook_uri, req.question, req.provider)
        if req.dry_run or plan.prompt is None:
            return plan.answer.model_dump(mode="json")
        # an LLM can take many seconds: off the store thread, so captures keep flowing
        answer = await asyncio.get_running_loop().run_in_executor(server.summary_thread, compare().ask_generate, plan)
        return answer.model_dump(mode="json")
