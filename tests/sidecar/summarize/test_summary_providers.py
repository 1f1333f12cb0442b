"""The real provider clients (boto3 Converse, urllib for Ollama/OpenAI) against local fake servers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest

from trackit_sidecar.summarize.providers import ProviderError, ProviderTruncated, get_provider
from trackit_sidecar.summarize.providers.ollama import num_ctx_for

from . import fakes
from .fakes import FakeServer, Reply

ANSWER = "## Data sources\n\nLoaded `data/train.csv` [cell 1]."
SYSTEM = "You summarise notebooks."
USER = "Summarise this session. " + "x" * 40_000  # ~10k tokens: num_ctx must grow past Ollama's default


@dataclass
class Kit:
    name: str
    options: Callable[[str], dict]
    success: Callable[[str], Reply]
    throttled: Callable[[], Reply]
    cut_at_limit: Callable[[str], Reply]
    broken_mid_answer: Callable[[], Reply]


KITS = {
    "bedrock": Kit(
        "bedrock",
        lambda url: {"endpoint_url": url, "model": "anthropic.claude-test-v1:0"},
        lambda text: fakes.bedrock_answer(text),
        fakes.bedrock_throttled,
        lambda text: fakes.bedrock_answer(text, stop_reason="max_tokens"),
        lambda: fakes.bedrock_cut_mid_body(ANSWER),
    ),
    "ollama": Kit(
        "ollama",
        lambda url: {"host": url, "model": "llama3.1:8b"},
        lambda text: fakes.ollama_stream(text),
        fakes.ollama_busy,
        lambda text: fakes.ollama_stream(text, done_reason="length"),
        lambda: fakes.ollama_error_mid_stream("## Data so", "model runner has unexpectedly stopped"),
    ),
    "openai": Kit(
        "openai",
        lambda url: {"base_url": url + "/v1", "model": "gpt-test", "api_key": "local-test-key"},
        lambda text: fakes.openai_answer(text),
        fakes.openai_rate_limited,
        lambda text: fakes.openai_answer(text, finish_reason="length"),
        lambda: fakes.openai_cut_mid_body(ANSWER),
    ),
}
FAST = {"timeout": 5, "retry_base_delay": 0.01, "max_retries": 3}


@pytest.fixture(params=sorted(KITS))
def kit(request, aws_env) -> Kit:
    return KITS[request.param]


def provider_for(kit: Kit, url: str, **extra):
    return get_provider(kit.name, {**kit.options(url), **FAST, **extra})


def test_success_returns_the_answer(kit):
    with FakeServer([kit.success(ANSWER)]) as server:
        completion = provider_for(kit, server.url).complete(SYSTEM, USER, 700)
    assert completion.text == ANSWER
    assert completion.stop_reason == "end_turn"
    assert len(server.requests) == 1


def test_throttling_then_success_retries(kit):
    with FakeServer([kit.throttled(), kit.throttled(), kit.success(ANSWER)]) as server:
        completion = provider_for(kit, server.url).complete(SYSTEM, USER, 700)
    assert completion.text == ANSWER
    assert len(server.requests) == 3


def test_throttling_forever_gives_up_with_a_clear_message(kit):
    with FakeServer([kit.throttled()]) as server:
        with pytest.raises(ProviderError) as caught:
            provider_for(kit, server.url).complete(SYSTEM, USER, 700)
    assert caught.value.kind == "throttled"
    assert "throttling" in caught.value.message and "3 attempts" in caught.value.message
    assert len(server.requests) == 3


def test_answer_broken_mid_way_is_an_error(kit):
    with FakeServer([kit.broken_mid_answer()]) as server:
        with pytest.raises(ProviderError) as caught:
            provider_for(kit, server.url).complete(SYSTEM, USER, 700)
    assert caught.value.kind in ("stream", "malformed")
    assert kit.name in caught.value.message


def test_answer_cut_at_token_limit_keeps_partial_text(kit):
    with FakeServer([kit.cut_at_limit(ANSWER)]) as server:
        with pytest.raises(ProviderTruncated) as caught:
            provider_for(kit, server.url).complete(SYSTEM, USER, 700)
    assert caught.value.partial is not None and caught.value.partial.text == ANSWER
    assert "token limit (700 tokens)" in caught.value.message


def test_timeout_when_server_is_too_slow(kit):
    slow = kit.success(ANSWER)
    slow.delay_s = 5
    with FakeServer([slow]) as server:
        with pytest.raises(ProviderError) as caught:
            provider_for(kit, server.url, timeout=0.3, max_retries=1).complete(SYSTEM, USER, 700)
    assert caught.value.kind == "timeout"
    assert "did not answer within 0.3 s" in caught.value.message


def test_connection_refused(kit):
    url = fakes.closed_port_url()
    with pytest.raises(ProviderError) as caught:
        provider_for(kit, url).complete(SYSTEM, USER, 700)
    assert caught.value.kind == "connection"
    assert "127.0.0.1" in caught.value.message


# ------------------------------------------------------------------ protocol details per provider
def test_bedrock_request_is_sigv4_signed_converse(aws_env):
    with FakeServer([fakes.bedrock_answer(ANSWER)]) as server:
        get_provider("bedrock", {"endpoint_url": server.url, "model": "anthropic.claude-test-v1:0", **FAST}) \
            .complete(SYSTEM, "hello", 321)
    request = server.requests[0]
    assert request.path == "/model/anthropic.claude-test-v1%3A0/converse"
    auth = request.headers["authorization"]
    assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKIDTESTTRACKIT00000/")
    assert "/eu-west-1/bedrock/aws4_request" in auth and "Signature=" in auth
    assert "x-amz-date" in request.headers
    assert request.body["system"] == [{"text": SYSTEM}]
    assert request.body["messages"] == [{"role": "user", "content": [{"text": "hello"}]}]
    assert request.body["inferenceConfig"]["maxTokens"] == 321


def test_bedrock_credentials_and_region_from_options(aws_env):
    options = {"endpoint_url": None, "region": "ap-southeast-2", "aws_access_key_id": "AKIDFROMOPTIONS00000",
               "aws_secret_access_key": "other-dummy", **FAST}
    with FakeServer([fakes.bedrock_answer(ANSWER)]) as server:
        options["endpoint_url"] = server.url
        get_provider("bedrock", options).complete(SYSTEM, "hi", 10)
    auth = server.requests[0].headers["authorization"]
    assert "Credential=AKIDFROMOPTIONS00000/" in auth and "/ap-southeast-2/bedrock/" in auth


def test_bedrock_access_denied_is_explained(aws_env):
    denied = fakes.bedrock_error("AccessDeniedException", "You don't have access to the model", 403)
    with FakeServer([denied]) as server:
        with pytest.raises(ProviderError) as caught:
            get_provider("bedrock", {"endpoint_url": server.url, **FAST}).complete(SYSTEM, "hi", 10)
    assert caught.value.kind == "http"
    assert "AccessDeniedException" in caught.value.message and "enabled" in caught.value.message
    assert len(server.requests) == 1  # not retried


def test_ollama_streams_with_large_enough_context():
    with FakeServer([fakes.ollama_stream(ANSWER, pieces=7)]) as server:
        completion = get_provider("ollama", {"host": server.url, **FAST}).complete(SYSTEM, USER, 900)
    assert completion.text == ANSWER
    body = server.requests[0].body
    assert server.requests[0].path == "/api/chat"
    assert body["stream"] is True
    prompt_tokens = (len(SYSTEM) + len(USER)) / 4
    assert body["options"]["num_ctx"] >= prompt_tokens + 900
    assert body["options"]["num_ctx"] == num_ctx_for(SYSTEM, USER, 900)
    assert body["options"]["num_predict"] == 900


def test_ollama_missing_model_suggests_pull():
    missing = fakes._json({"error": "model \"nope\" not found, try pulling it first"}, status=404)
    with FakeServer([missing]) as server:
        with pytest.raises(ProviderError) as caught:
            get_provider("ollama", {"host": server.url, "model": "nope", **FAST}).complete(SYSTEM, "hi", 10)
    assert "HTTP 404" in caught.value.message and "ollama pull nope" in caught.value.message


def test_ollama_malformed_line():
    garbage = Reply(status=200, headers={"Content-Type": "application/x-ndjson"}, chunks=[b"this is not json\n"])
    with FakeServer([garbage]) as server:
        with pytest.raises(ProviderError) as caught:
            get_provider("ollama", {"host": server.url, **FAST}).complete(SYSTEM, "hi", 10)
    assert caught.value.kind == "malformed"


def test_openai_request_shape_and_bearer_key():
    with FakeServer([fakes.openai_answer(ANSWER)]) as server:
        completion = get_provider("openai", {"base_url": server.url + "/v1", "model": "m1", "api_key": "k-123",
                                             **FAST}).complete(SYSTEM, "hi", 55)
    request = server.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer k-123"
    assert request.body["model"] == "m1" and request.body["max_tokens"] == 55
    assert request.body["messages"][0] == {"role": "system", "content": SYSTEM}
    assert completion.model == "gpt-test"


def test_openai_without_key_sends_no_authorization(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeServer([fakes.openai_answer(ANSWER)]) as server:
        get_provider("openai", {"base_url": server.url + "/v1", **FAST}).complete(SYSTEM, "hi", 5)
    assert "authorization" not in server.requests[0].headers


def test_openai_itself_without_a_key_is_refused_before_anything_is_sent(monkeypatch):
    # `trackit summarize --provider openai` with no key sent the prompt to api.openai.com for a certain 401
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    sent = []
    monkeypatch.setattr("trackit_sidecar.summarize.providers.openai.post_json", lambda *a, **k: sent.append(a))
    with pytest.raises(ProviderError, match="no API key for https://api.openai.com/v1.*nothing was sent") as refused:
        get_provider("openai", FAST).complete(SYSTEM, "hi", 5)
    assert refused.value.kind == "config" and sent == []


def test_openai_http_error_names_status_and_message():
    bad = fakes._json({"error": {"message": "Incorrect API key provided"}}, status=401)
    with FakeServer([bad]) as server:
        with pytest.raises(ProviderError) as caught:
            get_provider("openai", {"base_url": server.url + "/v1", **FAST}).complete(SYSTEM, "hi", 5)
    assert "HTTP 401" in caught.value.message and "Incorrect API key" in caught.value.message
    assert "Check the API key" in caught.value.message


def test_openai_malformed_json_answer():
    bad = Reply(status=200, body=b"<html>gateway</html>", headers={"Content-Type": "text/html"})
    with FakeServer([bad]) as server:
        with pytest.raises(ProviderError) as caught:
            get_provider("openai", {"base_url": server.url + "/v1", **FAST}).complete(SYSTEM, "hi", 5)
    assert caught.value.kind == "malformed" and "not JSON" in caught.value.message


def test_unknown_provider_is_a_clear_error():
    with pytest.raises(ProviderError) as caught:
        get_provider("gemini", {})
    assert "unknown summary provider 'gemini'" in caught.value.message


def test_bedrock_without_credentials_says_so(aws_env, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with FakeServer([fakes.bedrock_answer(ANSWER)]) as server:
        with pytest.raises(ProviderError) as caught:
            get_provider("bedrock", {"endpoint_url": server.url, **FAST}).complete(SYSTEM, "hi", 10)
    assert caught.value.kind == "config" and "no AWS credentials" in caught.value.message
    assert server.requests == []


def test_bedrock_unknown_profile(aws_env):
    with pytest.raises(ProviderError) as caught:
        get_provider("bedrock", {"profile": "does-not-exist", **FAST}).complete(SYSTEM, "hi", 10)
    assert caught.value.kind == "config" and "'does-not-exist' not found" in caught.value.message
