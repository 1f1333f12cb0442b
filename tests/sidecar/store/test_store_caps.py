"""Output capping: pure functions, then the two big outputs through a real database file."""

from __future__ import annotations

import base64
import hashlib
import os
import struct
import zlib

import pytest

from trackit_sidecar.protocol import CellOutput
from trackit_sidecar.store import Store, cap_output, is_text_mime


def test_text_under_limit_is_kept_whole():
    info = cap_output(CellOutput(output_type="stream", mime="text/plain", text="héllo\n"), max_text_bytes=100)
    assert info.text == "héllo\n"
    assert info.size == len("héllo\n".encode())
    assert info.sha256 == hashlib.sha256("héllo\n".encode()).hexdigest()
    assert info.truncated is False


def test_text_over_limit_keeps_prefix_full_size_and_full_hash():
    text = "abcdefghij" * 1000
    info = cap_output(CellOutput(mime="text/plain", text=text), max_text_bytes=64)
    assert info.text == text[:64]
    assert info.size == 10_000
    assert info.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert info.truncated is True


def test_truncation_never_splits_a_utf8_character():
    text = "€" * 10  # 3 bytes each
    info = cap_output(CellOutput(mime="text/plain", text=text), max_text_bytes=7)
    assert info.text == "€€"
    assert info.size == 30


def test_binary_mimes_keep_only_size_and_hash_of_decoded_bytes():
    payload = bytes(range(256)) * 4
    info = cap_output(CellOutput(mime="image/png", base64=base64.b64encode(payload).decode()))
    assert info.text is None
    assert info.size == 1024
    assert info.sha256 == hashlib.sha256(payload).hexdigest()


def test_svg_counts_as_image_not_text():
    info = cap_output(CellOutput(mime="image/svg+xml", text="<svg></svg>"))
    assert info.text is None
    assert info.size == len("<svg></svg>")


def test_unknown_mime_with_text_is_binary():
    info = cap_output(CellOutput(mime="application/vnd.custom-widget", text="opaque"))
    assert info.text is None and info.size == 6


def test_invalid_base64_still_gets_a_size_and_hash():
    info = cap_output(CellOutput(mime="application/octet-stream", base64="not*base64!"))
    assert info.text is None
    assert info.size > 0 and len(info.sha256) == 64


def test_editor_capped_text_keeps_the_editors_full_size_and_hash():
    full_sha = "f" * 64
    info = cap_output(
        CellOutput(mime="text/plain", text="abc", truncated=True, size=5_000_000, sha256=full_sha), max_text_bytes=2
    )
    assert info.text == "ab"
    assert info.size == 5_000_000 and info.sha256 == full_sha and info.truncated is True


def test_metadata_only_output_is_kept_as_given():
    info = cap_output(CellOutput(mime="image/png", size=123, sha256="a" * 64))
    assert info.size == 123 and info.sha256 == "a" * 64 and info.text is None


def test_negative_limit_is_a_clear_error():
    with pytest.raises(ValueError, match="max_text_bytes"):
        cap_output(CellOutput(mime="text/plain", text="x"), max_text_bytes=-1)


@pytest.mark.parametrize(
    ("mime", "textual"),
    [("text/html", True), ("application/json", True), ("application/vnd.plotly.v1+json", True),
     ("image/png", False), ("application/octet-stream", False), ("TEXT/PLAIN; charset=utf-8", True)],
)
def test_is_text_mime(mime, textual):
    assert is_text_mime(mime) is textual


def _png_of_size(n_bytes: int) -> bytes:
    """A valid PNG header and IDAT of random (incompressible) bytes: a realistic big plot payload."""
    raw = os.urandom(n_bytes)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) + chunk(b"IDAT", raw)


def test_big_outputs_are_stored_capped_and_the_file_stays_small(db_path, ev, analyses):
    big_text = "0123456789abcdef" * (50 * 1024 * 1024 // 16)  # 50 MiB
    png = _png_of_size(10 * 1024 * 1024)
    events = [
        ev(outputs=[CellOutput(output_type="stream", mime="text/plain", text=big_text)]),
        ev(outputs=[CellOutput(mime="image/png", base64=base64.b64encode(png).decode())]),
    ]
    with Store.open(db_path, max_text_output_bytes=64 * 1024) as store:
        store.ingest(events, analyses(events), 1)
    with Store.open(db_path) as store:
        text_out, png_out = [e.outputs[0] for e in store.lineage("file:///tmp/trackit-tests/nb.ipynb").executions]

    assert text_out.truncated is True
    assert text_out.size == len(big_text)
    assert text_out.sha256 == hashlib.sha256(big_text.encode()).hexdigest()
    assert len(text_out.text.encode()) == 64 * 1024
    assert png_out.text is None
    assert png_out.size == len(png)
    assert png_out.sha256 == hashlib.sha256(png).hexdigest()
    # 60 MB went in; the database holds 64 KiB of it plus fixed DuckDB overhead.
    assert os.path.getsize(db_path) < 4 * 1024 * 1024


def test_store_limit_is_settable(mem_store, ev, analyses):
    mem_store.max_text_output_bytes = 10
    events = [ev(outputs=[CellOutput(mime="text/plain", text="x" * 100)])]
    mem_store.ingest(events, analyses(events), 1)
    out = mem_store.lineage(events[0].notebook_uri).executions[0].outputs[0]
    assert out.text == "x" * 10 and out.size == 100 and out.truncated
