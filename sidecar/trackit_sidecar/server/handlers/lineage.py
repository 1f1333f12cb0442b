"""Lineage reads: the notebook's lineage document, a cell's annotation and history, hovers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from lsprotocol import types as lsp

from ... import protocol as p
from .params import parse_params

if TYPE_CHECKING:
    from ..app import TrackitServer


def register(server: "TrackitServer") -> None:
    @server.feature(p.LINEAGE)
    async def lineage(params: Any) -> dict:
        req = parse_params(p.LineageParams, params)
        await server.flush()  # answer with everything received so far
        # with sessions[].stamp, and experiments[] when asked (the public JSON)
        doc = await server.on_store(server.require_service().public_lineage, req.notebook_uri, req.include_experiments)
        exclude = {"executions": {"__all__": {"source"}}} if not req.include_source else None
        return doc.model_dump(mode="json", exclude=exclude)

    @server.feature(p.CELL_ANNOTATION)
    async def cell_annotation(params: Any) -> dict:
        req = parse_params(p.CellAnnotationParams, params)
        ann = await server.on_store(server.require_service().annotation, req.notebook_uri, req.cell_id)
        return ann.model_dump(mode="json")

    @server.feature(p.CELL_HISTORY)
    async def cell_history(params: Any) -> dict:
        req = parse_params(p.CellHistoryParams, params)
        hist = await server.on_store(server.require_service().history, req.notebook_uri, req.cell_id)
        return hist.model_dump(mode="json")

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(params: lsp.HoverParams) -> Optional[lsp.Hover]:
        uri = params.text_document.uri
        if not uri.startswith("vscode-notebook-cell") or server.service is None:
            return None
        markdown = await server.on_store(server.service.hover_markdown, uri)
        if not markdown:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=markdown))
