"""Summaries: generate (or reuse) one, and preview the exact prompt a provider would get."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from pygls.exceptions import JsonRpcInvalidParams

from ... import protocol as p
from ...render.words import notebook_name
from ...summarize.citations import find_citations
from .params import parse_params

if TYPE_CHECKING:
    from ..app import TrackitServer

log = logging.getLogger("trackit.server")


def register(server: "TrackitServer") -> None:
    @server.feature(p.SUMMARIZE)
    async def summarize(params: Any) -> dict:
        req = parse_params(p.SummarizeParams, params)
        await server.flush()
        service = server.require_service()
        try:
            doc, provider, cached = await server.on_store(
                service.summaries.plan, req.notebook_uri, req.provider, req.regenerate)
        except LookupError as missing:
            raise JsonRpcInvalidParams(str(missing)) from None
        name = notebook_name(doc.notebook_uri)
        if cached is not None:
            result = cached
            log.info("%s: summary by %s reused (stored %s)", name, result.provider, result.created_at)
        else:
            # an LLM provider can take many seconds: keep it off the store thread so captures keep flowing
            started = time.monotonic()
            result = await asyncio.get_running_loop().run_in_executor(
                server.summary_thread, service.summaries.generate, doc, provider)
            await server.on_store(service.store.save_summary, result, doc.notebook_uri)
            log.info("%s: summary by %s of %d executions written in %.1f s", name, result.provider,
                     len(doc.executions), time.monotonic() - started)
        for warning in result.warnings:
            log.warning("%s: summary: %s", name, warning)
        result.citations = find_citations(result.markdown, doc)
        return result.model_dump(mode="json")

    @server.feature(p.PREVIEW_PROMPT)
    async def preview_prompt(params: Any) -> dict:
        req = parse_params(p.PreviewPromptParams, params)
        service = server.require_service()
        prompt = await server.on_store(service.summaries.preview_prompt, req.notebook_uri, req.provider)
        return p.PromptPreview(notebook_uri=req.notebook_uri, provider=req.provider or
                               server.settings.summary_provider, prompt=prompt).model_dump(mode="json")
