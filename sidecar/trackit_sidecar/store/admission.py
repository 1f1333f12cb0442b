"""What the store accepts, checked before a write: every event is admitted (judged, cleaned, redacted, capped) or
rejected with a reason that goes to the dead letter. Pure functions, no I/O.

Judged: an ok run whose `%%capture` body raised is stored as the error it was (lineage/kept_errors.py), whichever
way it came (the editor, `trackit run`, a spool merged from another process).

Cleaned: text that cannot be encoded as UTF-8 (a lone surrogate) has the offending characters replaced
by U+FFFD. Rejected: integers outside what the columns hold, timestamps that are not finite or fall
outside 1970-2200, oversized identifiers or sources. Redacted: secrets in the source, outputs and error
(redaction/), keeping the content address of the source the editor ran. Capped: outputs (caps.py).
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass
from typing import Any, Optional, Union

from ..lineage.kept_errors import judged
from ..protocol import CellExecution, CellOutput, InputFile, OutputInfo, RuntimeFacts
from ..redaction import redact_event, redact_facts, redact_input_file, redact_output, redact_text
from .caps import cap_outputs

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
EPOCH_MS_MIN = 0.0  # 1970-01-01T00:00:00Z
EPOCH_MS_MAX = 7_258_118_400_000.0  # 2200-01-01T00:00:00Z
MAX_ID_CHARS = 4096  # event, cell, notebook and kernel identifiers, paths, language, mime
MAX_SOURCE_CHARS = 32 * 1024 * 1024
MAX_OUTPUTS = 10_000  # output items of one execution
DEAD_LETTER_TEXT_CHARS = 64 * 1024  # longer text fields are cut in a dead letter's payload

_SURROGATE = re.compile("[\ud800-\udfff]")
_ID_FIELDS = ("event_id", "notebook_uri", "notebook_path", "cell_id", "cell_uri", "language", "kernel_id", "kernel_name")


@dataclass(frozen=True)
class Admitted:
    """An event as the writer stores it: cleaned and redacted, its outputs capped and redacted."""

    event: CellExecution
    source_sha256: str  # of the source the editor ran, before cleaning or redaction
    outputs: list[OutputInfo]


@dataclass(frozen=True)
class Rejection:
    """An event the store will not hold, and why; written to the dead letter (payload already redacted)."""

    event_id: str
    notebook_uri: Optional[str]
    reason: str
    payload: str
    received_at: float


def clean_text(value: Optional[str]) -> Optional[str]:
    """The text with lone surrogates replaced (they cannot be encoded as UTF-8); otherwise unchanged."""
    if value is None or value.isascii():
        return value
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", value)


def _clean_output(output: CellOutput) -> CellOutput:
    changes = {name: clean_text(getattr(output, name)) for name in ("mime", "text", "base64", "sha256")}
    changed = {k: v for k, v in changes.items() if v is not getattr(output, k)}
    return output.model_copy(update=changed) if changed else output


def clean_event(event: CellExecution) -> CellExecution:
    """Every text field encodable as UTF-8; the content address is kept from the original."""
    fields = ("source", "error_name", "error_message", *_ID_FIELDS)
    changed: dict[str, Any] = {}
    for name in fields:
        value = getattr(event, name)
        cleaned = clean_text(value)
        if cleaned is not value:
            changed[name] = cleaned
    outputs = [_clean_output(o) for o in event.outputs]
    if any(a is not b for a, b in zip(outputs, event.outputs)):
        changed["outputs"] = outputs
    if not changed:
        return event
    clean = event.model_copy(update=changed)
    clean.keep_content_sha256(event.content_sha256())
    return clean


def problems(event: CellExecution) -> list[str]:
    """Why the store cannot hold this (cleaned) event; empty when it can."""
    found = []
    if not 0 <= event.cell_index <= INT32_MAX:
        found.append(f"cell_index {event.cell_index} is outside 0..{INT32_MAX}")
    if event.execution_order is not None and not 0 <= event.execution_order <= INT32_MAX:
        found.append(f"execution_order {event.execution_order} is outside 0..{INT32_MAX}")
    for name in ("started_at", "ended_at"):
        value = getattr(event, name)
        if not math.isfinite(value) or not EPOCH_MS_MIN <= value <= EPOCH_MS_MAX:
            found.append(f"{name} {value!r} is not a time between 1970 and 2200 (epoch milliseconds)")
    for name in _ID_FIELDS:
        value = getattr(event, name)
        if value is not None and len(value) > MAX_ID_CHARS:
            found.append(f"{name} is {len(value)} characters (at most {MAX_ID_CHARS})")
    if len(event.source) > MAX_SOURCE_CHARS:
        found.append(f"source is {len(event.source)} characters (at most {MAX_SOURCE_CHARS})")
    if len(event.outputs) > MAX_OUTPUTS:
        found.append(f"{len(event.outputs)} output items (at most {MAX_OUTPUTS})")
    for output in event.outputs:
        if output.size is not None and not 0 <= output.size <= INT64_MAX:
            found.append(f"output size {output.size} is outside 0..{INT64_MAX}")
            break
    return found


def admit(event: CellExecution, max_text_output_bytes: int, sha: Optional[str] = None) -> Union[Admitted, Rejection]:
    """The stored form of `event`, or a Rejection saying why there is none. `sha`: its content address when
    the caller already has it."""
    sha = sha or event.content_sha256()
    cleaned = clean_event(judged(event))  # before the outputs are capped: the error output is read whole
    found = problems(cleaned)
    if found:
        return reject(cleaned, "; ".join(found))
    outputs = [redact_output(o) for o in cap_outputs(cleaned.outputs, max_text_output_bytes)]  # capped, then redacted
    return Admitted(redact_event(cleaned, outputs=False), sha, outputs)


def reject(event: CellExecution, reason: str) -> Rejection:
    """A dead letter for `event`: its redacted JSON (long texts cut) with the reason."""
    cleaned = clean_event(event)
    payload = cleaned.model_dump(mode="json")
    payload["outputs"] = payload.get("outputs", [])[:MAX_OUTPUTS]
    texts = [(payload, name) for name in ("source", "error_name", "error_message")]
    texts += [(output, name) for output in payload["outputs"] for name in ("text", "base64")]
    for holder, name in texts:  # cut first, then redact: a 32 MB source is not redacted whole to keep 64 KB
        text = holder.get(name)
        if isinstance(text, str):
            cut = text if len(text) <= DEAD_LETTER_TEXT_CHARS else (
                text[:DEAD_LETTER_TEXT_CHARS] + f"… [{len(text)} characters in all]")
            holder[name] = redact_text(cut) if name != "base64" else cut
    payload["content_sha256"] = event.content_sha256()
    # allow_nan: a NaN timestamp is often the very reason; ensure_ascii: the payload is plain ASCII
    text = json.dumps(payload, ensure_ascii=True, allow_nan=True, default=str)
    return Rejection(cleaned.event_id[:MAX_ID_CHARS], cleaned.notebook_uri[:MAX_ID_CHARS], redact_text(reason) or "",
                     text, time.time())


def admit_input_file(file: InputFile) -> InputFile:
    """Input files are measured by TrackIT itself; a value the columns cannot hold becomes unknown."""
    changes: dict[str, Any] = {}
    if file.size is not None and not 0 <= file.size <= INT64_MAX:
        changes["size"] = None
    if file.mtime is not None and not math.isfinite(file.mtime):
        changes["mtime"] = None
    for name in ("path", "sha256", "changed_since", "error"):
        value = getattr(file, name)
        cleaned = clean_text(value)
        if cleaned is not value:
            changes[name] = cleaned
    return redact_input_file(file.model_copy(update=changes) if changes else file)


def admit_facts(facts: RuntimeFacts) -> RuntimeFacts:
    """Runtime facts go into a JSON column: NaN is not JSON and lone surrogates are not UTF-8."""
    dumped = facts.model_dump(mode="json")
    cleaned = _clean_json(dumped)
    return redact_facts(facts if cleaned == dumped else RuntimeFacts.model_validate(cleaned))


def _clean_json(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {_clean_json(k): _clean_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    return value
