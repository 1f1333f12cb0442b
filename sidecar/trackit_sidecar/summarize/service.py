"""Summaries for the sidecar: built-in always, an LLM when configured, built-in again when the LLM fails."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any, Callable, Optional

from ..protocol import LineageDocument, SummaryResult
from . import faithfulness
from .builtin import builtin_summary
from .prompt import DEFAULT_BUDGET_TOKENS, PromptPlan, build_reduce_prompt, plan_prompt, render_preview
from .providers import Provider, ProviderError, get_provider

DEFAULT_MAX_TOKENS = 1500


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _int_option(options: dict[str, Any], key: str, default: int) -> int:
    value = options.get(key)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"option {key} must be a whole number, got {value!r}") from None
    if number <= 0:
        raise ValueError(f"option {key} must be positive, got {value!r}")
    return number


def _plan(doc: LineageDocument, options: dict[str, Any]) -> PromptPlan:
    return plan_prompt(doc, _int_option(options, "budget_tokens", DEFAULT_BUDGET_TOKENS), options)


def preview_prompt(doc: LineageDocument, provider: str = "builtin", options: Optional[dict[str, Any]] = None) -> str:
    """The exact prompt that `summarize` would send to `provider` (no network call)."""
    if provider == "builtin":
        return "The built-in summary is made on this machine; nothing is sent anywhere."
    return render_preview(_plan(doc, dict(options or {})))


def faithfulness_section(problems: list[str]) -> str:
    if not problems:
        return "## Faithfulness check\n\nEvery cited cell and every number above was found in the recorded lineage.\n"
    lines = ["## Faithfulness check", "", "These statements could not be verified against the recorded lineage:", ""]
    lines += [f"- \u26a0 The summary {p}." for p in problems]
    return "\n".join(lines) + "\n"


def summarize(doc: LineageDocument, provider: str = "builtin", options: Optional[dict[str, Any]] = None,
              *, provider_factory: Callable[[str, dict[str, Any]], Provider] = get_provider,
              now: Callable[[], str] = _now_iso, fall_back: bool = True) -> SummaryResult:
    """A summary by `provider`. When the provider fails, the built-in summary with a warning (the editor
    always shows something), or with `fall_back=False` the ProviderError (the CLI exits 1 on it)."""
    options = dict(options or {})
    if provider == "builtin" or not doc.executions:
        warnings = [] if doc.executions or provider == "builtin" else ["No executions recorded: nothing to send."]
        return SummaryResult(notebook_uri=doc.notebook_uri, markdown=builtin_summary(doc), provider="builtin",
                             created_at=now(), warnings=warnings)

    try:
        plan = _plan(doc, options)
        max_tokens = _int_option(options, "max_tokens", DEFAULT_MAX_TOKENS)
    except ValueError as exc:
        if not fall_back:
            raise
        return SummaryResult(notebook_uri=doc.notebook_uri, markdown=builtin_summary(doc), provider="builtin",
                             created_at=now(), warnings=[f"{provider} summary not attempted: {exc}. "
                                                         "Showing the built-in summary instead."])
    prompt_sha = hashlib.sha256(render_preview(plan).encode("utf-8")).hexdigest()
    warnings = list(plan.warnings)
    try:
        client = provider_factory(provider, options)
        text, model, cut = _run_plan(client, plan, max_tokens, warnings)
    except ProviderError as exc:
        if not fall_back:
            raise
        warnings.append(f"{provider} summary failed: {exc.message} Showing the built-in summary instead.")
        markdown = f"> {provider} summary unavailable: {exc.message}\n\n" + builtin_summary(doc)
        return SummaryResult(notebook_uri=doc.notebook_uri, markdown=markdown, provider="builtin",
                             created_at=now(), prompt_sha256=prompt_sha, warnings=warnings)

    markdown = text.strip() + "\n"
    if cut:
        markdown += ("\n> \u26a0 The answer was cut at the token limit; this summary is incomplete "
                     "(raise max_tokens for the full text).\n")
    problems = faithfulness.check(text, doc)
    if problems:
        warnings.append(f"Faithfulness check: {len(problems)} statements are not backed by the lineage.")
    markdown += "\n" + faithfulness_section(problems)
    return SummaryResult(notebook_uri=doc.notebook_uri, markdown=markdown, provider=provider, model=model,
                         created_at=now(), prompt_sha256=prompt_sha, warnings=warnings)


def _complete_keeping_partial(client: Provider, system: str, user: str, max_tokens: int,
                              warnings: list[str]) -> tuple[str, Optional[str], bool]:
    """One call; a truncated answer is kept (flagged) rather than thrown away."""
    try:
        completion = client.complete(system, user, max_tokens)
        return completion.text, completion.model, False
    except ProviderError as exc:
        if exc.kind == "truncated" and exc.partial is not None and exc.partial.text.strip():
            warnings.append(exc.message)
            return exc.partial.text, exc.partial.model, True
        raise


def _run_plan(client: Provider, plan: PromptPlan, max_tokens: int,
              warnings: list[str]) -> tuple[str, Optional[str], bool]:
    if plan.single:
        return _complete_keeping_partial(client, plan.system, plan.map_prompts[0], max_tokens, warnings)
    partials = []
    cut_any = False
    model = None
    for prompt in plan.map_prompts:
        text, model, cut = _complete_keeping_partial(client, plan.system, prompt, max_tokens, warnings)
        partials.append(text)
        cut_any = cut_any or cut
    text, model, cut = _complete_keeping_partial(client, plan.system, build_reduce_prompt(plan, partials),
                                                 max_tokens, warnings)
    return text, model, cut or cut_any
