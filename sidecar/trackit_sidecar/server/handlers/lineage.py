"""Lineage reads: the notebook's lineage document, a cell's annotation and history, hovers, how a value was
made (the data lineage graph)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Optional

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams

from ... import protocol as p
from ...whole_lineage import document_parts, whole_lineage_parts
from ..transport import RawJson
from .params import parse_params

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from ..app import TrackitServer


def register(server: "TrackitServer") -> None:
    @server.feature(p.LINEAGE)
    async def lineage(params: Any) -> RawJson:
        req = parse_params(p.LineageParams, params)
        await server.flush()  # answer with everything received so far
        service = server.require_service()

        whole = req.session is None and not req.latest_session and req.after_seq is None and not req.include_experiments

        def answer() -> RawJson:  # serialised on the store thread: the records are shared with its cache
            if whole:  # read from rows made once per record, when they cover the notebook
                try:
                    ready = service.whole_lineage_json(req.notebook_uri, req.include_source)
                except Exception:  # the rows are a copy of what the records say: answer from the records
                    log.exception("reading the ready lineage rows of %s failed; answering from the records",
                                  req.notebook_uri)
                    ready = None
                if ready is not None:
                    return RawJson(ready)
                # in parts, a few sessions at a time: a whole document at once was the peak while serving
                return RawJson(parts=whole_lineage_parts(service, req.notebook_uri, req.include_source))
            # with sessions[].stamp, and experiments[] when asked (the public JSON); a window when asked. As JSON
            # text made by pydantic's serializer: a dict tree of a 2,000-run document (~15 MB at once, then encoded
            # again by pygls) raised the sidecar's resident size for good (bench_sidecar.py --only memory)
            doc = service.public_lineage(req.notebook_uri, req.include_experiments, req.session,
                                         req.latest_session, req.after_seq)
            return RawJson(parts=document_parts(doc, req.include_source))

        return await server.on_store(answer)

    @server.feature(p.CELL_ANNOTATION)
    async def cell_annotation(params: Any) -> dict:
        req = parse_params(p.CellAnnotationParams, params)
        ann = await server.on_store(server.require_service().annotation, req.notebook_uri, req.cell_id)
        return ann.model_dump(mode="json")

    @server.feature(p.CELL_HISTORY)
    async def cell_history(params: Any) -> dict:
        req = parse_params(p.CellHistoryParams, params)
        await server.flush()  # the run the user just made is part of its history
        hist = await server.on_store(server.require_service().history, req.notebook_uri, req.cell_id)
        return hist.model_dump(mode="json")

    @server.feature(p.PROVENANCE)
    async def provenance(params: Any) -> dict:
        from ...experiments.service import ExperimentNotFound

        req = parse_params(p.ProvenanceParams, params)
        await server.flush()
        try:
            graph = await server.on_store(server.require_service().provenance, req)
        except (ExperimentNotFound, ValueError) as bad:
            raise JsonRpcInvalidParams(str(bad)) from None
        return graph.model_dump(mode="json")

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(params: lsp.HoverParams) -> Optional[lsp.Hover]:
        uri = params.text_document.uri
        if not uri.startswith("vscode-notebook-cell") or server.service is None:
            return None
        markdown = await server.on_store(server.service.hover_markdown, uri)
        if not markdown:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=markdown))
