"""One execution's iopub messages as the CellOutputs the editor records (pure): consecutive stream text merged,
text mimes kept as text, the others as base64 with their size and sha256."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Optional

from .. import protocol

# VS Code's own mimes for stream and error outputs: the extension forwards them as it sees them.
STDOUT_MIME = "application/vnd.code.notebook.stdout"
STDERR_MIME = "application/vnd.code.notebook.stderr"
ERROR_MIME = "application/vnd.code.notebook.error"


def is_text_mime(mime: str) -> bool:
    return (
        mime.startswith("text/")
        or mime in ("application/json", "application/javascript", "image/svg+xml")
        or mime.endswith("+json")
        or mime.endswith("+xml")
    )


def _text_output(output_type: str, mime: str, text: str) -> protocol.CellOutput:
    data = text.encode("utf-8", "surrogatepass")
    return protocol.CellOutput(
        output_type=output_type, mime=mime, text=text, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


def _binary_output(output_type: str, mime: str, b64: str) -> protocol.CellOutput:
    try:
        raw = base64.b64decode(b64)
        size, digest = len(raw), hashlib.sha256(raw).hexdigest()
    except (binascii.Error, ValueError):
        size, digest = len(b64), None
    return protocol.CellOutput(output_type=output_type, mime=mime, base64=b64, size=size, sha256=digest)


class OutputCollector:
    """Turns one execution's iopub messages into CellOutputs (consecutive stream text merged)."""

    def __init__(self) -> None:
        self.outputs: list[protocol.CellOutput] = []
        self._clear_pending = False
        self.execution_count: Optional[int] = None
        self.error: Optional[tuple[str, str]] = None

    def feed(self, msg: dict) -> None:
        msg_type = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
        content = msg.get("content", {})
        if msg_type == "execute_input":
            self.execution_count = content.get("execution_count")
            return
        if msg_type == "clear_output":
            if content.get("wait"):
                self._clear_pending = True
            else:
                self.outputs.clear()
            return
        if msg_type not in ("stream", "execute_result", "display_data", "error"):
            return  # status, update_display_data, comm messages
        if self._clear_pending:
            self.outputs.clear()
            self._clear_pending = False
        if msg_type == "stream":
            mime = STDERR_MIME if content.get("name") == "stderr" else STDOUT_MIME
            text = content.get("text", "")
            last = self.outputs[-1] if self.outputs else None
            if last is not None and last.output_type == "stream" and last.mime == mime:
                self.outputs[-1] = _text_output("stream", mime, (last.text or "") + text)
            else:
                self.outputs.append(_text_output("stream", mime, text))
        elif msg_type == "error":
            name, message = content.get("ename", ""), content.get("evalue", "")
            self.error = (name, message)
            stack = "\n".join(content.get("traceback", []))
            self.outputs.append(
                _text_output("error", ERROR_MIME, json.dumps({"name": name, "message": message, "stack": stack}))
            )
        else:
            for mime, value in (content.get("data") or {}).items():
                if is_text_mime(mime):
                    text = value if isinstance(value, str) else json.dumps(value)
                    self.outputs.append(_text_output(msg_type, mime, text))
                elif isinstance(value, str):
                    self.outputs.append(_binary_output(msg_type, mime, value))
