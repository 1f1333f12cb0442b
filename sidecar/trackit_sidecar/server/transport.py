"""JSON-RPC over stdio: the Content-Length frame reader, the stdout writer, and how params are converted.

Everything that reads headers and bodies off stdin lives here, so framing faults have one home.
pygls still dispatches each decoded message (`protocol.handle_message`) and writes replies.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
import threading
from typing import Any, AsyncIterator, Awaitable, Callable

import cattrs
from pygls.exceptions import JsonRpcException
from pygls.io_ import StdoutWriter
from pygls.protocol import (
    JsonRPCNotification,
    JsonRPCProtocol,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
    default_converter,
)

log = logging.getLogger("trackit.server")

CONTENT_LENGTH = re.compile(rb"^Content-Length: (\d+)\r\n$")
STDIN_LINE_LIMIT = 2**26  # asyncio.StreamReader buffer limit: the longest header line we can read

ErrorHandler = Callable[[Exception, Any], None]


def plain_params_converter() -> cattrs.Converter:
    """Keep params of our own (untyped) methods as plain dicts.

    pygls turns untyped params into nested namedtuples through a JSON round trip (~0.5 ms a message);
    we validate them with pydantic instead. LSP methods keep their lsprotocol types.
    """
    converter = default_converter()
    keep = lambda obj, cls: cls(**obj)  # noqa: E731
    converter.register_structure_hook(JsonRPCRequestMessage, keep)
    converter.register_structure_hook(JsonRPCNotification, keep)
    converter.register_structure_hook(JsonRPCResponseMessage, keep)

    # Our results are already JSON-ready dicts (pydantic model_dump): cattrs would walk and copy every
    # nested value again (~17 ms for a 200-execution lineage). LSP results (attrs objects) still go through it.
    unstructure_any = converter.unstructure

    def response(msg: JsonRPCResponseMessage) -> dict:
        result = msg.result
        if not isinstance(result, (dict, list)):
            result = unstructure_any(result)
        return {"id": msg.id, "jsonrpc": msg.jsonrpc, "result": result}

    converter.register_unstructure_hook(JsonRPCResponseMessage, response)
    return converter


async def read_frames(reader: asyncio.StreamReader, stop: threading.Event) -> AsyncIterator[bytes]:
    """The body of each `Content-Length: n` framed message, until EOF or `stop` is set.

    Header lines other than Content-Length are skipped; a blank line ends the headers. A body cut
    short by EOF is yielded as it is (its handler reports it) and reading ends.
    """
    content_length = 0
    while not stop.is_set():
        header = await reader.readline()
        if not header:
            return
        if not content_length:
            match = CONTENT_LENGTH.fullmatch(header)
            if match:
                content_length = int(match.group(1))
        if content_length and not header.strip():
            try:
                body = await reader.readexactly(content_length)
            except asyncio.IncompleteReadError as partial:
                body = partial.partial
            if not body:
                return
            content_length = 0
            yield body


async def dispatch_frames(reader: asyncio.StreamReader, protocol: JsonRPCProtocol, stop: threading.Event,
                          on_error: ErrorHandler) -> None:
    """Decode each frame and hand it to pygls; a frame that cannot be handled is reported, not fatal."""
    async for body in read_frames(reader, stop):
        try:
            protocol.handle_message(json.loads(body, object_hook=protocol.structure_message))
        except Exception as exc:
            log.exception("Unable to handle message")
            on_error(exc, JsonRpcException)


def serve_stdio(
    protocol: JsonRPCProtocol,
    stop: threading.Event,
    on_error: ErrorHandler,
    started: Callable[[], Awaitable[None]],
    stopping: Callable[[], Awaitable[None]],
) -> None:
    """Serve JSON-RPC on stdin/stdout until stdin closes (or `stop` is set).

    Reads stdin through an asyncio StreamReader (no thread hop per read, unlike pygls' start_io).
    `started` runs before the first frame is read; `stopping` after the last, also when reading
    failed, so what the server holds can still be stored.
    """
    protocol.set_writer(StdoutWriter(sys.stdout.buffer))

    async def main() -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=STDIN_LINE_LIMIT)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        await started()
        try:
            await dispatch_frames(reader, protocol, stop, on_error)
        finally:
            await stopping()

    try:
        asyncio.run(main())
    except (KeyboardInterrupt, SystemExit, BrokenPipeError):
        pass
