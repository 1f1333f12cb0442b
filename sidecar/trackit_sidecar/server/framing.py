"""Content-Length framing, decoded from raw bytes: pure, no I/O. The transport feeds it what stdin gives.

Promise: a malformed frame never leaves the server deaf. Whatever arrives, the decoder either yields
the message or a FrameFault naming what was wrong, and then finds the next frame:

- headers are read leniently: `content-length` in any case, with or without a space after the colon,
  lines ending in CRLF or LF; other headers are skipped;
- a Content-Length that is not a number, negative, or above MAX_FRAME_BYTES (64 MiB) is a fault; the
  bytes after it are scanned for the next header instead of being buffered;
- bytes that are no header at all (garbage, a 70 MB line without a newline) are skipped with bounded
  memory: at most MAX_HEADER_BYTES are held while looking for a line end;
- a body that is not JSON is rescanned for the next header (a length too short leaves the start of
  the next frame inside it); a body with bytes after its JSON value gives them back (a length too
  long swallows the start of the next frame);
- a length that claims more than the body has is caught as soon as the next frame's header line
  shows up inside the claimed body: a raw `Content-Length: n` line cannot occur inside JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Union

MAX_FRAME_BYTES = 64 * 1024 * 1024  # the largest body accepted; the editor caps outputs far below it
MAX_HEADER_BYTES = 64 * 1024  # the longest header line held while waiting for its end
_NAME = b"content-length"
_VALUE = re.compile(rb"[ \t]*:[ \t]*(?P<value>[^ \t]*)[ \t]*")
_OTHER_HEADER = re.compile(rb"[A-Za-z][A-Za-z0-9-]*[ \t]*:.*")
_HEADER_INSIDE_BODY = re.compile(rb"(?i)content-length[ \t]*:[ \t]*\d+[ \t]*\r?\n")
_OVERLAP = 64  # bytes of a body scanned twice, so a header split across two reads is still seen

Decode = Callable[[str, int], tuple[Any, int]]  # json.JSONDecoder.raw_decode


@dataclass(frozen=True)
class Frame:
    message: Any


@dataclass(frozen=True)
class FrameFault:
    reason: str


Decoded = Union[Frame, FrameFault]


class FrameDecoder:
    def __init__(self, decode: Decode = json.JSONDecoder().raw_decode, max_frame_bytes: int = MAX_FRAME_BYTES,
                 max_header_bytes: int = MAX_HEADER_BYTES) -> None:
        self._decode = decode
        self._max_frame = max_frame_bytes
        self._max_header = max_header_bytes
        self._buf = bytearray()
        self._length: int | None = None  # Content-Length seen, headers not yet ended
        self._body: int | None = None  # reading a body of this many bytes
        self._scanned = 0  # how far into the current body the header scan has looked
        self._garbage = 0  # bytes skipped since the last frame

    @property
    def buffered(self) -> int:
        return len(self._buf)

    def feed(self, data: bytes) -> list[Decoded]:
        self._buf += data
        out: list[Decoded] = []
        while self._step(out):
            pass
        return out

    # ------------------------------------------------------------ one step of the state machine
    def _step(self, out: list[Decoded]) -> bool:
        """Consume what can be consumed now; False when more bytes are needed."""
        if self._body is not None:
            return self._step_body(out)
        newline = self._buf.find(b"\n")
        if newline < 0:
            if len(self._buf) > self._max_header:  # a line without end: keep only its tail
                drop = len(self._buf) - _OVERLAP
                self._garbage += drop
                del self._buf[:drop]
            return False
        line = bytes(self._buf[:newline]).rstrip(b"\r")
        del self._buf[: newline + 1]
        if not line.strip():
            if self._length is not None:
                self._body, self._length, self._scanned = self._length, None, 0
            return True
        at = line.lower().rfind(_NAME)
        if at >= 0:
            self._garbage += at
            self._header(line[at + len(_NAME):], out)
        elif not _OTHER_HEADER.fullmatch(line):
            self._garbage += len(line) + 1
        return True

    def _header(self, rest: bytes, out: list[Decoded]) -> None:
        if self._garbage:
            out.append(FrameFault(f"skipped {self._garbage} bytes that were not part of a frame"))
            self._garbage = 0
        match = _VALUE.fullmatch(rest)
        value = match.group("value") if match else rest.strip()
        if match is None or not value.isdigit():
            self._length = None
            out.append(FrameFault(f"malformed Content-Length header: {value[:40]!r}"))
            return
        length = int(value)
        if length > self._max_frame:
            self._length = None
            out.append(FrameFault(f"Content-Length {length} is over the {self._max_frame}-byte cap; frame skipped"))
            return
        self._length = length

    def _step_body(self, out: list[Decoded]) -> bool:
        assert self._body is not None
        end = min(len(self._buf), self._body)
        lie = self._header_inside_body(max(0, self._scanned - _OVERLAP), end)
        if lie is not None:  # the next frame started before the claimed length ran out
            body = bytes(self._buf[: lie.start()])
            del self._buf[: lie.start()]
            claimed, self._body = self._body, None
            out.append(FrameFault(f"Content-Length {claimed} was longer than the frame ({len(body)} bytes)"))
            self._body_done(body, out, report_extra=False)
            return True
        self._scanned = end
        if len(self._buf) < self._body:
            return False
        with memoryview(self._buf) as view:  # one copy of a large body, not two
            body = view[: self._body].tobytes()
        del self._buf[: self._body]
        self._body = None
        self._body_done(body, out, report_extra=True)
        return True

    def _header_inside_body(self, start: int, end: int) -> "re.Match[bytes] | None":
        """A `Content-Length: n` line in buf[start:end]. Compact JSON has no raw newline at all, so only
        the text before each newline (memchr-fast to find) is matched against the header pattern."""
        newline = self._buf.find(b"\n", start, end)
        while newline >= 0:
            found = _HEADER_INSIDE_BODY.search(self._buf, max(start, newline - _OVERLAP), newline + 1)
            if found is not None:
                return found
            newline = self._buf.find(b"\n", newline + 1, end)
        return None

    def _body_done(self, body: bytes, out: list[Decoded], report_extra: bool) -> None:
        try:
            text = body.decode("utf-8")
            start = json.decoder.WHITESPACE.match(text, 0).end()  # type: ignore[attr-defined]
            message, end = self._decode(text, start)
        except ValueError as exc:  # not UTF-8 or not JSON: maybe the next frame's start is inside it
            out.append(FrameFault(f"a {len(body)}-byte body is not JSON ({type(exc).__name__}); looking for the next frame"))
            self._buf[:0] = body
            return
        out.append(Frame(message))
        extra = text[end:]
        if extra.strip():
            if report_extra:
                out.append(FrameFault(f"Content-Length was {len(extra.encode())} bytes longer than its JSON body"))
            self._buf[:0] = extra.encode("utf-8")
