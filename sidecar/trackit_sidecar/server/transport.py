"""JSON-RPC over stdio: reading stdin into frames (framing.py decodes them), the stdout writer, how
params and results are converted, and how serving stops (stdin closed, SIGTERM).

pygls still dispatches each decoded message (`protocol.handle_message`) and writes replies.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
import signal
import sys
import threading
from typing import Any, AsyncIterator, Awaitable, Callable, Optional

import cattrs
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.io_ import StdoutWriter
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.protocol import (
    JsonRPCNotification,
    JsonRPCProtocol,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
    default_converter,
)

from .framing import Decoded, FrameDecoder, FrameFault

log = logging.getLogger("trackit.server")

READ_CHUNK = 64 * 1024  # bytes read from stdin at a time; framing.py bounds what is held between reads

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


class RawJson:
    """A result that is JSON text already (ready_lineage.py joins stored records; a lineage document serialised by
    pydantic), or UTF-8 parts of it (whole_lineage.py): sent as it is, neither parsed and encoded again nor joined
    (a whole document is megabytes)."""

    __slots__ = ("parts",)

    def __init__(self, text: str = "", parts: Optional[list[bytes]] = None) -> None:
        self.parts = parts if parts is not None else [text.encode("utf-8")]

    @property
    def text(self) -> str:
        return b"".join(self.parts).decode("utf-8")


class TrackitProtocol(LanguageServerProtocol):
    end_input: Callable[[], None] = staticmethod(lambda: None)  # serving stdio: reading ends as if stdin closed

    @lsp_method(lsp.EXIT)
    def lsp_exit(self, *args: Any) -> None:
        """`exit`: reading ends as if stdin had closed, so the server stops the way it always does (what it holds is
        stored, with its runs' runtime facts: app.stop) and then exits. pygls' own `exit` ended the process from a
        callback at once, cancelling that work mid-way."""
        self.end_input()

    def _send_data(self, data: Any) -> None:
        """A RawJson result goes into the response as it is; everything else as pygls sends it."""
        if not (isinstance(data, JsonRPCResponseMessage) and isinstance(data.result, RawJson)):
            super()._send_data(data)
            return
        if self.writer is None:
            log.error("Unable to send data, no available transport!")
            return
        head = f'{{"id": {json.dumps(data.id)}, "jsonrpc": {json.dumps(data.jsonrpc)}, "result": '.encode(self.CHARSET)
        result = data.result.parts  # written as they are, not joined to the rest
        header = (f"Content-Length: {len(head) + sum(map(len, result)) + 1}\r\n"
                  f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n").encode(self.CHARSET)
        for part in (header + head, *result, b"}"):
            written = self.writer.write(part)
            if inspect.isawaitable(written):
                asyncio.ensure_future(written)


async def read_frames(reader: asyncio.StreamReader, stop: threading.Event, decoder: FrameDecoder
                      ) -> AsyncIterator[Decoded]:
    """Each decoded message, or a FrameFault, until EOF or `stop` is set (framing.py says what is tolerated)."""
    while not stop.is_set():
        data = await reader.read(READ_CHUNK)
        if not data:
            return
        for item in decoder.feed(data):
            yield item


async def dispatch_frames(reader: asyncio.StreamReader, protocol: JsonRPCProtocol, stop: threading.Event,
                          on_error: ErrorHandler) -> None:
    """Hand each message to pygls; a frame that cannot be handled is reported, never fatal."""
    decoder = FrameDecoder(json.JSONDecoder(object_hook=protocol.structure_message).raw_decode)
    async for item in read_frames(reader, stop, decoder):
        if isinstance(item, FrameFault):
            log.warning("framing: %s", item.reason)
            continue
        try:
            protocol.handle_message(item.message)
        except Exception as exc:
            log.exception("Unable to handle message")
            on_error(exc, JsonRpcException)


def serve_stdio(
    protocol: TrackitProtocol,
    stop: threading.Event,
    on_error: ErrorHandler,
    started: Callable[[], Awaitable[None]],
    stopping: Callable[[], Awaitable[None]],
) -> None:
    """Serve JSON-RPC on stdin/stdout until stdin closes, `exit` or SIGTERM or SIGINT arrives, or `stop` is set.

    Reads stdin through an asyncio StreamReader (no thread hop per read, unlike pygls' start_io).
    `started` runs before the first frame is read; `stopping` after the last, also when reading
    failed or a signal ended it, so what the server holds can still be stored.
    """
    protocol.set_writer(StdoutWriter(sys.stdout.buffer))

    async def main() -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        pipe, _ = await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)

        def end_input(unread: list[bytes]) -> None:
            # `stop` is not set: the frame loop must still handle every byte it holds and `unread`, then it meets EOF
            pipe.pause_reading()
            for chunk in unread:
                reader.feed_data(chunk)
            pipe.close()
            reader.feed_eof()  # ... and the frame loop ends as if stdin had closed

        def on_signal(name: str) -> None:
            log.info("%s: storing what is held, then exiting", name)
            end_input(_unread(sys.stdin.fileno()))  # what the editor already wrote is still handled

        protocol.end_input = lambda: end_input([])  # `exit`: nothing after it counts

        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(sig, on_signal, sig.name)
            except (NotImplementedError, RuntimeError):  # no signal handlers in this loop (Windows)
                pass
        await started()
        try:
            await dispatch_frames(reader, protocol, stop, on_error)
        finally:
            await stopping()

    try:
        asyncio.run(main())
    except (KeyboardInterrupt, SystemExit, BrokenPipeError):
        pass


def _unread(fd: int) -> list[bytes]:
    """Bytes waiting in the (non-blocking) stdin pipe right now."""
    chunks = []
    while True:
        try:
            chunk = os.read(fd, READ_CHUNK)
        except (BlockingIOError, OSError):
            return chunks
        if not chunk:
            return chunks
        chunks.append(chunk)
