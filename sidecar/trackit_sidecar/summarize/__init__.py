"""Summaries: built-in narrative, prompt building, faithfulness, LLM providers (redaction: ../redaction)."""

from __future__ import annotations

from .builtin import builtin_summary
from .faithfulness import check as check_faithfulness
from .prompt import build_prompt
from .service import preview_prompt, summarize

__all__ = ["builtin_summary", "build_prompt", "check_faithfulness", "preview_prompt", "summarize"]
