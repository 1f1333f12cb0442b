"""Saved summaries: one row per summary made, the newest read back (of one provider and prompt, when asked)."""

from __future__ import annotations

import json
from typing import Any, Optional

from ..protocol import SummaryResult
from ..redaction import redact_text
from .admission import clean_text
from .connection import StoreConnection
from .identity import notebook_key


class SummaryStore:
    def __init__(self, conn: StoreConnection) -> None:
        self._conn = conn

    def save(self, result: SummaryResult, notebook_uri: Optional[str] = None) -> None:
        uri = notebook_uri or result.notebook_uri
        with self._conn.lock:
            self._conn.check_writable()
            self._conn.con.execute(
                "INSERT INTO summaries (notebook_key, notebook_uri, provider, model, prompt_sha256, created_at, "
                "markdown, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [notebook_key(uri), uri, result.provider, result.model, result.prompt_sha256, result.created_at,
                 redact_text(clean_text(result.markdown)), json.dumps([redact_text(w) for w in result.warnings])],
            )

    def latest(
        self, notebook_uri: str, provider: Optional[str] = None, prompt_sha256: Optional[str] = None
    ) -> Optional[SummaryResult]:
        """The newest saved summary, optionally of one provider and one prompt (a summary of an
        unchanged prompt can be reused); returned with cached=True."""
        sql = "SELECT notebook_uri, markdown, provider, model, created_at, prompt_sha256, warnings FROM summaries WHERE notebook_key = ?"
        params: list[Any] = [notebook_key(notebook_uri)]
        if provider is not None:
            sql += " AND provider = ?"
            params.append(provider)
        if prompt_sha256 is not None:
            sql += " AND prompt_sha256 = ?"
            params.append(prompt_sha256)
        with self._conn.lock:
            row = self._conn.con.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
        if row is None:
            return None
        uri, markdown, prov, model, created_at, prompt_sha, warnings = row
        return SummaryResult(notebook_uri=uri, markdown=markdown, provider=prov, model=model, created_at=created_at,
                             prompt_sha256=prompt_sha, cached=True, warnings=json.loads(warnings))
