"""Summaries: generate (or reuse) one, and preview the exact prompt a provider would get."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from pygls.exceptions import JsonRpcInvalidParams

from ... import protocol as p
from .params import parse_params

if TYPE_CHECKING:
    from ..app import TrackitServer


def register(server: "TrackitServer") -> None:
    @server.feature(p.SUMMARIZE)
    async def summarize(params: Any) -> dict:
        req = parse_params(p.SummarizeParams, params)
        await server.flush()
        service = server.require_service()
        try:
            doc, provider, cached = await server.on_store(
                service.summary_plan, req.notebook_uri, req.provider, req.regenerate)
        except LookupError as missing:
            raise JsonRpcInvalidParams(str(missing)) from None
        if cached is not None:
            return cached.model_dump(mode="json")
        # an LLM provider can take many seconds: keep it off the store thread so captures keep flowing
        result = await asyncio.get_running_loop().run_in_executor(
            server.summary_thread, service.generate_summary, doc, provider)
        await server.on_store(service.store.save_summary, result, doc.notebook_uri)
        return result.model_dump(mode="json")

    @server.feature(p.PREVIEW_PROMPT)
    async def preview_prompt(params: Any) -> dict:
        req = parse_params(p.PreviewPromptParams, params)
        service = server.require_service()
        prompt = await server.on_store(service.preview_prompt, req.notebook_uri, req.provider)
        return p.PromptPreview(notebook_uri=req.notebook_uri, provider=req.provider or
                               server.settings.summary_provider, prompt=prompt).model_dump(mode="json")
