"""Output capping: what of a cell's output the database keeps. Pure functions, no I/O.

Text outputs keep at most `max_text_bytes` of UTF-8 text plus the full size and hash, so a
50 MB print() cannot bloat the database. Binary outputs (images, octet streams, anything not
text) keep only mime, decoded size and sha256: the bytes are reproducible from the notebook,
the hash is enough to tell whether a plot changed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from ..protocol import CellOutput, OutputInfo

DEFAULT_MAX_TEXT_BYTES = 64 * 1024

# Mimes outside text/* whose payload is still human-readable text worth keeping a prefix of.
_TEXT_APPLICATION_MIMES = frozenset({
    "application/json",
    "application/javascript",
    "application/xml",
    "application/x-latex",
    "application/x-sh",
    "application/x-python",
    "application/vnd.code.notebook.stdout",
    "application/vnd.code.notebook.stderr",
    "application/vnd.code.notebook.error",
})


def is_text_mime(mime: str) -> bool:
    """True for mimes whose payload is text. image/* (SVG included) counts as binary on purpose:
    an image is identified by its hash, a prefix of SVG markup tells a reader nothing."""
    base = mime.split(";", 1)[0].strip().lower()
    if base.startswith("image/"):
        return False
    if base.startswith("text/"):
        return True
    if base in _TEXT_APPLICATION_MIMES:
        return True
    return base.startswith("application/") and (base.endswith("+json") or base.endswith("+xml"))


def truncate_utf8(data: bytes, max_bytes: int) -> str:
    """The longest prefix of `data` within `max_bytes` that decodes whole (no split characters)."""
    if len(data) <= max_bytes:
        return data.decode("utf-8", errors="replace")
    return data[:max_bytes].decode("utf-8", errors="ignore")


def decode_base64(payload: str) -> bytes | None:
    """Decoded bytes, or None when the payload is not base64 (the caller then hashes it as-is)."""
    try:
        return base64.b64decode(payload, validate=False)
    except (binascii.Error, ValueError):
        return None


def cap_output(output: CellOutput, max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> OutputInfo:
    """The stored form of one output item. Never raises on odd payloads: a wrong mime or bad
    base64 still yields a size and a hash, so the execution itself is never lost."""
    if max_text_bytes < 0:
        raise ValueError(f"max_text_bytes must be >= 0, got {max_text_bytes}")
    textual = is_text_mime(output.mime) or output.output_type in ("stream", "error")

    if output.text is not None:
        data = output.text.encode("utf-8")
    elif output.base64 is not None:
        decoded = decode_base64(output.base64)
        data = decoded if decoded is not None else output.base64.encode("ascii", errors="replace")
    else:
        # Nothing but metadata arrived (the editor dropped the payload): keep what it told us.
        return OutputInfo(
            output_type=output.output_type,
            mime=output.mime,
            size=output.size or 0,
            sha256=output.sha256 or hashlib.sha256(b"").hexdigest(),
            truncated=output.truncated,
        )

    # When the editor already capped the text, its size/sha256 describe the full output and win; so do
    # they when both are given (the editor's hash of what it saw; redaction keeps the original's).
    already_capped = output.truncated and output.size is not None and output.size >= len(data)
    described = output.size is not None and bool(output.sha256)
    full_size = output.size if (already_capped or described) else len(data)
    full_sha = output.sha256 if ((already_capped or described) and output.sha256) else hashlib.sha256(data).hexdigest()

    if not textual:
        return OutputInfo(output_type=output.output_type, mime=output.mime, size=full_size, sha256=full_sha)

    kept = truncate_utf8(data, max_text_bytes)
    truncated = already_capped or len(data) > max_text_bytes
    return OutputInfo(
        output_type=output.output_type,
        mime=output.mime,
        size=full_size,
        sha256=full_sha,
        truncated=truncated,
        text=kept,
    )


def cap_outputs(outputs: list[CellOutput], max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> list[OutputInfo]:
    return [cap_output(o, max_text_bytes) for o in outputs]
