"""What the editor tells us: captured executions, which kernel runs a notebook, opened notebooks and cells,
their current sources, configuration."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException

from ... import latency_trace
from ... import protocol as p
from .params import parse_params

if TYPE_CHECKING:
    from ..app import TrackitServer

log = logging.getLogger("trackit.server")


def register(server: "TrackitServer") -> None:
    @server.feature(p.CELL_EXECUTED)
    def cell_executed(params: Any) -> None:
        try:
            event = parse_params(p.CellExecution, params)
        except JsonRpcException as bad:  # a notification has nobody to answer: log it and go on
            log.warning("dropped malformed %s: %s", p.CELL_EXECUTED, bad.message)
            return
        if latency_trace.ON:
            latency_trace.mark("received", [event.event_id])
        server.enqueue(event)
        server.note_editor_activity()

    @server.feature(p.NOTEBOOK_KERNEL)
    def notebook_kernel(params: Any) -> None:
        try:
            message = parse_params(p.NotebookKernel, params)
        except JsonRpcException as bad:
            log.warning("ignored malformed %s: %s", p.NOTEBOOK_KERNEL, bad.message)
            return
        server.kernels.announce(message)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def cell_opened(params: lsp.DidOpenTextDocumentParams) -> None:
        # pygls keeps the document itself; we only learn that a notebook is open
        if params.text_document.uri.startswith("vscode-notebook-cell"):
            server.note_editor_activity()

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_opened(params: lsp.DidOpenNotebookDocumentParams) -> None:
        server.note_editor_activity()

    @server.feature(p.NOTEBOOK_SOURCES)
    def notebook_sources(params: Any) -> None:
        try:
            sources = parse_params(p.NotebookSources, params)
        except JsonRpcException as bad:
            log.warning("ignored malformed %s: %s", p.NOTEBOOK_SOURCES, bad.message)
            return
        server.set_current_sources(sources.notebook_uri, sources.cell_shas)

    @server.feature(p.SET_CONFIG)
    def set_config(params: Any) -> None:
        try:
            server.settings.update(parse_params(p.SetConfigParams, params).model_dump(exclude_none=True))
        except JsonRpcException as bad:
            log.warning("ignored malformed %s: %s", p.SET_CONFIG, bad.message)
