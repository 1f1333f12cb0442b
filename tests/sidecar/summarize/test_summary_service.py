"""summarize(): built-in, LLM through the real clients, and the built-in fallback on every failure."""

from __future__ import annotations

import hashlib
import json

import pytest

from trackit_sidecar.summarize import builtin_summary
from trackit_sidecar.summarize.prompt import SYSTEM_PROMPT, plan_prompt
from trackit_sidecar.summarize.service import preview_prompt, summarize

from . import fakes
from .fakes import FakeServer
from .sample_docs import synthetic_document, titanic_document
from .test_summary_providers import FAST, KITS

FAITHFUL = """## Data sources

`data/train.csv` (59.8 KB) was loaded with 891 rows and 12 columns; it changed since the last session [cell 1].

## Preprocessing

Rows with a missing `Age` were dropped, 891 \u2192 714 rows [cell 2]; `Embarked` was one-hot encoded into 3 columns [cell 3].

## Modelling and results

A random forest was fitted [cell 7] and reached accuracy 0.81 [cell 8].

## Problems

[cell 7] first failed with a NameError and was re-run; [cell 2] ran after [cell 8].

## Open questions

Is the changed `data/train.csv` expected? [cell 1]
"""
UNFAITHFUL = FAITHFUL.replace("accuracy 0.81 [cell 8]", "accuracy 0.93 [cell 8]").replace("[cell 3]", "[cell 12]")


@pytest.fixture
def kit(request, aws_env):
    return KITS[request.param]


def _options(kit, url, **extra):
    return {**kit.options(url), **FAST, **extra}


def test_builtin_is_the_default_and_makes_no_request():
    doc = titanic_document()
    result = summarize(doc)
    assert result.provider == "builtin" and result.model is None
    assert result.markdown == builtin_summary(doc)
    assert result.warnings == [] and result.notebook_uri == doc.notebook_uri
    assert result.created_at.endswith("+00:00")


@pytest.mark.parametrize("kit", sorted(KITS), indirect=True)
def test_llm_summary_with_faithfulness_section(kit):
    doc = titanic_document()
    with FakeServer([kit.success(FAITHFUL)]) as server:
        options = _options(kit, server.url)
        result = summarize(doc, kit.name, options)
        expected_sha = hashlib.sha256(preview_prompt(doc, kit.name, options).encode()).hexdigest()
    assert result.provider == kit.name and result.model
    assert result.markdown.startswith(FAITHFUL.strip())
    assert "## Faithfulness check\n\nEvery cited cell and every number above was found" in result.markdown
    assert result.prompt_sha256 == expected_sha
    assert result.warnings == []
    body = json.dumps(server.requests[0].body)
    assert json.dumps(plan_prompt(doc).map_prompts[0])[1:-1] in body  # the previewed prompt is what was sent
    assert json.dumps(SYSTEM_PROMPT)[1:-1] in body


def test_unfaithful_answer_is_flagged_not_silently_kept():
    doc = titanic_document()
    with FakeServer([fakes.openai_answer(UNFAITHFUL)]) as server:
        result = summarize(doc, "openai", _options(KITS["openai"], server.url))
    assert result.provider == "openai"
    section = result.markdown.split("## Faithfulness check", 1)[1]
    assert "cites cell 12, which has no recorded execution" in section
    assert "states the number 0.93" in section
    assert any("Faithfulness check: 2 statements" in w for w in result.warnings)


FAILURES = ["throttled", "broken", "timeout", "refused"]


@pytest.mark.parametrize("kit", sorted(KITS), indirect=True)
@pytest.mark.parametrize("failure", FAILURES)
def test_provider_failure_falls_back_to_builtin_with_a_warning(kit, failure):
    doc = titanic_document()
    if failure == "refused":
        url, server = fakes.closed_port_url(), None
    else:
        reply = {"throttled": kit.throttled(), "broken": kit.broken_mid_answer(), "timeout": kit.success(FAITHFUL)}[failure]
        if failure == "timeout":
            reply.delay_s = 5
        server = FakeServer([reply]).__enter__()
        url = server.url
    try:
        result = summarize(doc, kit.name, _options(kit, url, timeout=0.3 if failure == "timeout" else 5))
    finally:
        if server:
            server.__exit__(None, None, None)
    expected = {"throttled": "throttling", "broken": kit.name, "timeout": "did not answer within 0.3 s",
                "refused": "127.0.0.1"}[failure]
    assert result.provider == "builtin"
    assert result.markdown.endswith(builtin_summary(doc))
    assert result.markdown.startswith(f"> {kit.name} summary unavailable:")
    [warning] = result.warnings
    assert warning.startswith(f"{kit.name} summary failed:") and expected in warning
    assert "built-in summary instead" in warning


@pytest.mark.parametrize("kit", sorted(KITS), indirect=True)
def test_answer_cut_at_token_limit_is_kept_and_flagged(kit):
    doc = titanic_document()
    with FakeServer([kit.cut_at_limit(FAITHFUL)]) as server:
        result = summarize(doc, kit.name, _options(kit, server.url, max_tokens=64))
    assert result.provider == kit.name
    assert result.markdown.startswith(FAITHFUL.strip())
    assert "cut at the token limit" in result.markdown
    assert any("token limit (64 tokens)" in w for w in result.warnings)


def test_map_reduce_through_the_service():
    doc = synthetic_document(120)
    with FakeServer([fakes.openai_answer("Part summary [cell 1].")]) as server:
        result = summarize(doc, "openai", _options(KITS["openai"], server.url, budget_tokens=2000))
    parts = len(plan_prompt(doc, 2000).map_prompts)
    assert parts > 1
    assert len(server.requests) == parts + 1
    final_user = server.requests[-1].body["messages"][1]["content"]
    assert f"Combine these {parts} partial summaries" in final_user
    assert result.provider == "openai"


def test_secrets_never_leave_the_machine():
    doc = titanic_document()
    secret = "ghp_" + "Ab1" * 12
    doc.executions[-1].source = f"token = '{secret}'\nGithub(token)"
    with FakeServer([fakes.openai_answer(FAITHFUL)]) as server:
        result = summarize(doc, "openai", _options(KITS["openai"], server.url))
    assert secret not in json.dumps(server.requests[0].body)
    assert "[REDACTED:github_token]" in json.dumps(server.requests[0].body)
    assert any("secrets were redacted" in w for w in result.warnings)


def test_empty_document_does_not_call_the_provider():
    from trackit_sidecar.protocol import LineageDocument

    doc = LineageDocument(notebook="n.ipynb", notebook_uri="file:///n.ipynb")
    with FakeServer([fakes.openai_answer("x")]) as server:
        result = summarize(doc, "openai", _options(KITS["openai"], server.url))
    assert server.requests == []
    assert result.provider == "builtin" and result.warnings


def test_unknown_provider_falls_back():
    result = summarize(titanic_document(), "gemini", {})
    assert result.provider == "builtin"
    assert "unknown summary provider" in result.warnings[0]


def test_invalid_options_fall_back_with_a_clear_warning():
    result = summarize(titanic_document(), "openai", {"max_tokens": "lots"})
    assert result.provider == "builtin"
    assert "option max_tokens must be a whole number, got 'lots'" in result.warnings[0]
    result = summarize(titanic_document(), "ollama", {"timeout": "soon"})
    assert result.provider == "builtin" and "invalid provider option" in result.warnings[0]
