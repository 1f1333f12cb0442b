"""Shared fixtures for the summary tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    """Dummy credentials only; no shared config files, no instance metadata lookups."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDTESTTRACKIT00000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "dummy-secret-for-local-tests")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
