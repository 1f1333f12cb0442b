"""An LLM's turn at a question: the question and the retrieved records (redacted) go to the configured provider
(summarize/providers, the only code that talks to the network); its answer must cite the records, and the
faithfulness check runs on it. Building the prompt and checking the answer are pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ...protocol import LineageDocument
from ...summarize import faithfulness
from ...summarize.providers import Provider, ProviderError, get_provider
from ...redaction import redact

DEFAULT_MAX_TOKENS = 800
SYSTEM_PROMPT = (
    "You are TrackIT, answering a data scientist's question about the recorded history of their Jupyter notebook: "
    "its experiments, runs, cells and data transformation steps. Use only the records given. Cite every claim with "
    "the labels the records carry, exactly as written: experiments as [E0003], cells as [cell 12], steps as "
    "[#24 impute_missing], runs as [run 2]. Do not invent numbers, names or results; if the records do not answer "
    "the question, say so. Answer in a few sentences of Markdown."
)
_LABEL = re.compile(r"\[(E\d{4}|cell \d+|#\d+ \w+|run \d+)\]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class Prompt:
    system: str
    user: str
    redactions: int = 0

    def preview(self) -> str:
        return f"--- system ---\n{self.system}\n--- user ---\n{self.user}"


@dataclass
class Reply:
    text: str
    model: Optional[str]
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def build_prompt(question: str, records: str) -> Prompt:
    asked, n_question = redact(question)
    shown, n_records = redact(records)
    user = f"Question: {asked}\n\nRecords:\n{shown}\n\nAnswer the question from these records, citing them."
    return Prompt(system=SYSTEM_PROMPT, user=user, redactions=n_question + n_records)


def check(text: str, records: str, doc: LineageDocument, experiments: set[str]) -> list[str]:
    """What in an LLM's answer the records do not back: no citation at all, cited experiments, steps or runs that
    do not exist, and (faithfulness.check) cells that did not run and numbers found nowhere in the records."""
    problems: list[str] = []
    labels = _LABEL.findall(text)
    if not labels:
        problems.append("cites no record")
    seqs = {e.seq for e in doc.executions}
    sessions = {e.session for e in doc.executions}
    for label in dict.fromkeys(labels):
        if label.startswith("E") and label not in experiments:
            problems.append(f"cites {label}, which is not an experiment of this notebook")
        elif label.startswith("#") and int(label[1:].split()[0]) not in seqs:
            problems.append(f"cites step {label}, which was not recorded")
        elif label.startswith("run ") and int(label[4:]) not in sessions:
            problems.append(f"cites {label}, which was not recorded")
    given = [float(n) for n in _NUMBER.findall(records)]
    return problems + faithfulness.check(_LABEL.sub(" ", text), doc, given)


def complete(prompt: Prompt, provider: str, options: dict[str, Any],
             provider_factory: Callable[[str, dict[str, Any]], Provider] = get_provider) -> Reply:
    """One call to the provider (raises ProviderError, including a cut answer with no text)."""
    client = provider_factory(provider, options)
    max_tokens = int(options.get("max_tokens") or DEFAULT_MAX_TOKENS)
    warnings: list[str] = []
    try:
        completion = client.complete(prompt.system, prompt.user, max_tokens)
    except ProviderError as error:
        if error.kind == "truncated" and error.partial is not None and error.partial.text.strip():
            warnings.append(error.message)
            return Reply(error.partial.text, error.partial.model, warnings=warnings)
        raise
    return Reply(completion.text, completion.model, warnings=warnings)
