"""Summaries: built-in narrative, prompt building, redaction, faithfulness, LLM providers."""

from __future__ import annotations

from .builtin import builtin_summary
from .faithfulness import check as check_faithfulness
from .prompt import build_prompt
from .redact import redact
from .service import preview_prompt, summarize

__all__ = ["builtin_summary", "build_prompt", "check_faithfulness", "preview_prompt", "redact", "summarize"]
