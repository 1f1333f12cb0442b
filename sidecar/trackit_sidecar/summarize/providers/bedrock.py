"""Amazon Bedrock through boto3 `bedrock-runtime` Converse.

Region, model id and profile come from options or the usual AWS environment. `endpoint_url`
lets tests (and VPC endpoints) point the real client, with real SigV4 signing, at another host.
botocore's own retries are off; `with_retries` backs off on ThrottlingException so the attempt
count and delays are ours and testable.
"""

from __future__ import annotations

import os
from typing import Any, Optional

from .base import Completion, Provider, ProviderError, Throttled, option, with_retries

DEFAULT_MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
DEFAULT_REGION = "us-east-1"
THROTTLING_CODES = {"ThrottlingException", "TooManyRequestsException", "ServiceUnavailableException",
                    "ModelNotReadyException", "Throttling"}


class BedrockProvider(Provider):
    name = "bedrock"

    def __init__(self, options: Optional[dict[str, Any]] = None):
        super().__init__(options)
        self.model = str(option(self.options, "model", option(self.options, "model_id", DEFAULT_MODEL)))
        self.region = str(option(self.options, "region",
                                 os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION))
        self.profile = option(self.options, "profile")
        self.endpoint_url = option(self.options, "endpoint_url")
        self._client = None

    def _make_client(self):
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ProfileNotFound

        config = Config(
            region_name=self.region,
            connect_timeout=self.timeout,
            read_timeout=self.timeout,
            retries={"total_max_attempts": 1, "mode": "standard"},
        )
        credentials = {
            key: option(self.options, key)
            for key in ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")
            if option(self.options, key)
        }
        try:
            session = boto3.session.Session(profile_name=self.profile, **credentials)
            return session.client("bedrock-runtime", endpoint_url=self.endpoint_url, config=config)
        except ProfileNotFound:
            raise ProviderError(f"bedrock: AWS profile {self.profile!r} not found.", kind="config") from None
        except BotoCoreError as exc:
            raise ProviderError(f"bedrock: cannot create the client ({exc}).", kind="config") from None

    def complete(self, system: str, user: str, max_tokens: int) -> Completion:
        from botocore.exceptions import (
            ClientError,
            ConnectTimeoutError,
            EndpointConnectionError,
            NoCredentialsError,
            ReadTimeoutError,
            ResponseStreamingError,
        )

        if self._client is None:
            self._client = self._make_client()
        where = self.endpoint_url or f"bedrock-runtime in {self.region}"

        def attempt() -> dict[str, Any]:
            try:
                return self._client.converse(
                    modelId=self.model,
                    system=[{"text": system}],
                    messages=[{"role": "user", "content": [{"text": user}]}],
                    inferenceConfig={"maxTokens": max_tokens, "temperature": 0.2},
                )
            except ClientError as exc:
                error = exc.response.get("Error", {})
                code = error.get("Code", "")
                message = error.get("Message") or str(exc)
                status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
                if code in THROTTLING_CODES or status == 429:
                    raise Throttled(f"{code or 'HTTP 429'}: {message}") from None
                hint = ""
                if code == "AccessDeniedException":
                    hint = " Check that the model is enabled for your account in this region."
                elif code == "ValidationException":
                    hint = " Check the model id and region."
                raise ProviderError(f"bedrock answered {code or 'an error'} (HTTP {status}): {message}.{hint}",
                                    kind="http") from None
            except NoCredentialsError:
                raise ProviderError("bedrock: no AWS credentials found. Set a profile or AWS_ACCESS_KEY_ID/"
                                    "AWS_SECRET_ACCESS_KEY.", kind="config") from None
            except (ReadTimeoutError, ConnectTimeoutError):
                raise ProviderError(f"bedrock did not answer within {self.timeout:g} s at {where}.",
                                    kind="timeout") from None
            except EndpointConnectionError:
                raise ProviderError(f"bedrock: cannot connect to {where}. Check the network and endpoint.",
                                    kind="connection") from None
            except ResponseStreamingError as exc:
                raise ProviderError(f"bedrock: the connection broke while the answer was being sent ({exc}).",
                                    kind="stream") from None

        try:
            response = with_retries(attempt, provider=self.name, attempts=self.max_retries,
                                    base_delay=self.retry_base_delay)
        except ProviderError:
            raise
        except Exception as exc:  # botocore parsing failures surface as assorted exception types
            raise ProviderError(f"bedrock sent an answer that could not be read ({exc.__class__.__name__}: {exc}).",
                                kind="malformed") from None
        try:
            content = response["output"]["message"]["content"]
            text = "".join(block.get("text", "") for block in content if isinstance(block, dict))
        except (KeyError, TypeError):
            raise ProviderError("bedrock sent an incomplete or malformed answer (no output.message.content); "
                                "the connection may have broken mid-answer.", kind="malformed") from None
        stop = response.get("stopReason")
        return self._finish(text, self.model, stop, max_tokens)
