"""Redaction of whole records: every text field a writer stores, through the one `redact`.

Every writer of text calls these before anything reaches disk (the store's writer, the spool, the
dead letter); nothing derived from stored records (lineage, summaries, exports, prompts) can then
hold a secret. A cell's content address (sha256 of the text the editor ran) is kept from the
original source, so a re-run of an unchanged cell still matches its stored version.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any, TypeVar

from ..protocol import CellExecution, CellOutput, InputFile, OutputInfo, RuntimeFacts, Step
from .text import redact

T = TypeVar("T")


def redact_text(text: str | None) -> str | None:
    """`redact` for optional fields: None stays None."""
    return None if text is None else redact(text)[0]


def redact_value(value: T) -> T:
    """Any JSON-like value with every string in it (dict keys too) redacted."""
    if isinstance(value, str):
        return redact(value)[0]  # type: ignore[return-value]
    if isinstance(value, dict):
        return {redact_value(k): redact_value(v) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, (list, tuple)):
        return type(value)(redact_value(v) for v in value)  # type: ignore[return-value]
    return value


def redact_event(event: CellExecution, outputs: bool = True) -> CellExecution:
    """A copy of `event` with source, error and (unless `outputs` is false: the caller redacts them once
    capped) text outputs redacted. Its content address stays that of the original source, and each
    redacted output keeps the size and sha256 of the original output."""
    source, found = redact_source(event.source)
    redacted_outputs = [_redact_cell_output(o) for o in event.outputs] if outputs else event.outputs
    error_name, error_message = redact_text(event.error_name), redact_text(event.error_message)
    unchanged_outputs = all(a is b for a, b in zip(redacted_outputs, event.outputs))
    if not found and unchanged_outputs and (error_name, error_message) == (event.error_name, event.error_message):
        return event
    clean = event.model_copy(update={"source": source, "outputs": redacted_outputs, "error_name": error_name,
                                     "error_message": error_message})
    clean.keep_content_sha256(event.content_sha256())
    return clean


@lru_cache(maxsize=2048)
def redact_source(source: str) -> tuple[str, int]:
    """`redact` for cell sources, remembered: a re-run cell is redacted once, not at every run."""
    return redact(source)


def _redact_cell_output(output: CellOutput) -> CellOutput:
    if output.text is None:
        return output
    text, found = redact(output.text)
    if not found:
        return output
    original = output.text.encode("utf-8", "surrogatepass")
    return output.model_copy(update={
        "text": text,
        "size": output.size if output.size is not None else len(original),
        "sha256": output.sha256 or hashlib.sha256(original).hexdigest(),
    })


def redact_output(output: OutputInfo) -> OutputInfo:
    """A stored output (already capped: its size and sha256 describe the original) with its text redacted."""
    if output.text is None:
        return output
    text, found = redact(output.text)
    return output.model_copy(update={"text": text}) if found else output


def redact_facts(facts: RuntimeFacts) -> RuntimeFacts:
    """Runtime facts name variables and columns: a credential-like column name is redacted."""
    dumped = facts.model_dump(mode="json")
    cleaned = redact_value(dumped)
    return facts if cleaned == dumped else RuntimeFacts.model_validate(cleaned)


def redact_input_file(file: InputFile) -> InputFile:
    path, error = redact(file.path)[0], redact_text(file.error)
    return file if (path, error) == (file.path, file.error) else file.model_copy(update={"path": path, "error": error})


def redact_step(step: Step) -> Step:
    """A step's code, columns, names and detail (a loaded URL with a password in it)."""
    dumped = step.model_dump(mode="json", exclude_unset=True)
    cleaned = redact_value(dumped)
    return step if cleaned == dumped else Step.model_validate(cleaned)


def redact_names(names: Any) -> Any:
    """reads / writes / derivations: variable names are code, redacted like any other text."""
    return redact_value(names)
