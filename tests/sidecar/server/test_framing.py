"""The frame decoder on its own (pure): every framing fault issue 9 found is reported and the decoder
finds the next frame, fed whole or one byte at a time."""

from __future__ import annotations

import json
import random

import pytest

from trackit_sidecar.server.framing import MAX_FRAME_BYTES, Frame, FrameDecoder, FrameFault


def frame(message: dict, header: bytes | None = None) -> bytes:
    body = json.dumps(message).encode()
    head = header if header is not None else b"Content-Length: %d\r\n\r\n" % len(body)
    return head + body


def request(n: int) -> dict:
    return {"jsonrpc": "2.0", "id": n, "method": "trackit/status", "params": {}}


def decode(data: bytes, step: int | None = None) -> tuple[list, list[str]]:
    decoder = FrameDecoder()
    items = []
    if step is None:
        items = decoder.feed(data)
    else:
        for i in range(0, len(data), step):
            items += decoder.feed(data[i:i + step])
    return [i.message for i in items if isinstance(i, Frame)], [i.reason for i in items if isinstance(i, FrameFault)]


def body_of(message: dict) -> bytes:
    return json.dumps(message).encode()


BAD = request(1)
GOOD = request(2)
CASES = {
    "length 5 short": b"Content-Length: %d\r\n\r\n" % (len(body_of(BAD)) - 5) + body_of(BAD),
    "length 10 long": b"Content-Length: %d\r\n\r\n" % (len(body_of(BAD)) + 10) + body_of(BAD),
    "negative length": b"Content-Length: -5\r\n\r\n" + body_of(BAD),
    "length abc": b"Content-Length: abc\r\n\r\n" + body_of(BAD),
    "length over the cap (1 GiB)": b"Content-Length: 1073741824\r\n\r\n" + body_of(BAD),
    "garbage line": b"hello there, I am not a header\r\n\r\n",
    "body not JSON": b"Content-Length: 9\r\n\r\n{not json",
    "body not UTF-8": b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc",
    "a 1 MB line without a newline": b"x" * 1_000_000,
    "a JSON array": frame([1, 2, 3]),  # type: ignore[arg-type]
}
LENIENT = {
    "no space after the colon": b"Content-Length:%d\r\n\r\n",
    "lowercase name": b"content-length: %d\r\n\r\n",
    "LF line ends": b"Content-Length: %d\n\n",
    "an extra header": b"Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("step", [None, 1, 7])
def test_a_malformed_frame_is_reported_and_the_next_frame_decoded(name, step):
    messages, faults = decode(CASES[name] + frame(GOOD) + frame(request(3)), step)
    assert messages[-2:] == [GOOD, request(3)], (messages, faults)
    assert faults or name in ("a JSON array",), "a malformed frame is reported"


@pytest.mark.parametrize("name", list(LENIENT))
def test_lenient_headers_are_accepted(name):
    body = body_of(GOOD)
    messages, faults = decode((LENIENT[name] % len(body)) + body)
    assert messages == [GOOD] and faults == []


def test_a_length_too_long_keeps_its_own_message_once_the_next_header_arrives():
    body = body_of(BAD)
    messages, faults = decode(b"Content-Length: %d\r\n\r\n" % (len(body) + 1000) + body + frame(GOOD))
    assert messages == [BAD, GOOD]
    assert any("longer than the frame" in f for f in faults)


def test_an_oversized_length_does_not_buffer_what_follows():
    decoder = FrameDecoder()
    decoder.feed(b"Content-Length: %d\r\n\r\n" % (MAX_FRAME_BYTES + 1))
    for _ in range(64):  # 64 MB of a body nobody will read
        decoder.feed(b"y" * 1_000_000)
        assert decoder.buffered < 200_000
    assert [i.message for i in decoder.feed(b"\r\n" + frame(GOOD)) if isinstance(i, Frame)] == [GOOD]


def test_garbage_interleaved_with_valid_frames_loses_no_valid_frame():
    rng = random.Random(7)
    expected, stream = [], b""
    for n in range(300):
        garbage = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))
        assert b"ength" not in garbage.lower()
        stream += garbage + (b"\r\n" if rng.random() < 0.5 else b"")
        expected.append(request(n))
        stream += frame(request(n))
    for step in (None, 1, 13, 4096):
        messages, _ = decode(stream, step)
        assert messages == expected


def test_a_ten_megabyte_body_in_64_kib_reads():
    big = {"jsonrpc": "2.0", "method": "trackit/cellExecuted", "params": {"source": "x = 1\n" * 1_750_000}}
    messages, faults = decode(frame(big) + frame(GOOD), 65536)
    assert messages == [big, GOOD] and faults == []
