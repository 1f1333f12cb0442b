"""LLM providers: the only summarize code that talks to the network."""

from __future__ import annotations

from typing import Any, Optional

from .base import Completion, Provider, ProviderError, ProviderTruncated

PROVIDERS = ("bedrock", "ollama", "openai")


def get_provider(name: str, options: Optional[dict[str, Any]] = None) -> Provider:
    """Create (but do not call) the provider; no network traffic happens here."""
    try:
        return _create(name, options)
    except (TypeError, ValueError) as exc:
        raise ProviderError(f"{name}: invalid provider option ({exc}).", kind="config") from None


def _create(name: str, options: Optional[dict[str, Any]]) -> Provider:
    if name == "bedrock":
        from .bedrock import BedrockProvider

        return BedrockProvider(options)
    if name == "ollama":
        from .ollama import OllamaProvider

        return OllamaProvider(options)
    if name == "openai":
        from .openai import OpenAIProvider

        return OpenAIProvider(options)
    raise ProviderError(f"unknown summary provider {name!r}; choose builtin, {', '.join(PROVIDERS)}.", kind="config")


__all__ = ["Completion", "Provider", "ProviderError", "ProviderTruncated", "PROVIDERS", "get_provider"]
