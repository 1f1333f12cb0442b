"""What a secret is, defined once, and its redaction: at ingest (everything the store, the spool and the
dead letter write) and again before a prompt leaves the machine.

  rules.py    the rules, as data: known key formats, credentials in URLs and headers, environment
              variables, credential-like names and columns, and what a secret-looking value is
  text.py     redact(text) -> (text, replacements): applies the rules, keeps line counts
  records.py  the same over records: an event (source, outputs, error), runtime facts, input files,
              steps, any JSON-like value

A writer of text that is not listed above (a new table, a new stamp) calls `redact(text)[0]` on each
text field, or `redact_value(obj)` on a JSON-like value, before it is written.
"""

from __future__ import annotations

from .records import (
    redact_event,
    redact_facts,
    redact_input_file,
    redact_names,
    redact_output,
    redact_step,
    redact_text,
    redact_value,
)
from .rules import MARKER, redaction_kinds
from .text import redact

__all__ = [
    "MARKER",
    "redact",
    "redact_event",
    "redact_facts",
    "redact_input_file",
    "redact_names",
    "redact_output",
    "redact_step",
    "redact_text",
    "redact_value",
    "redaction_kinds",
]
