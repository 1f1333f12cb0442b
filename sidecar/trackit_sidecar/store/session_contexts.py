"""What the cells of a kernel session bound, as the store keeps it (schema: _session_contexts): each batch adds what
its cells changed in the session's context, so a restarted sidecar reads the context back in one query instead of
analysing the session's cells again."""

from __future__ import annotations

import json
from typing import Optional

import duckdb

from ..redaction import redact_text

Bindings = dict[str, str]
Changes = dict[str, Optional[str]]  # name -> its binding now (None: no longer bound)


def add_context_changes(con: duckdb.DuckDBPyConnection, rows: list[tuple[int, int, int, Changes]]) -> None:
    """(notebook_id, session, upto_seq, changes) per session a batch stored executions of (inside the batch's
    transaction); a batch that changed nothing adds a row too: it says the context is known up to its last execution.
    Redacted like the source text the bindings come from (a path a cell bound). Only the changes: a batch costs what
    its cells bound, not the whole context (4,000 names took 190 ms to redact)."""
    if rows:
        con.execute("INSERT INTO session_contexts SELECT unnest(?::INTEGER[]), unnest(?::INTEGER[]), "
                    "unnest(?::INTEGER[]), unnest(?::VARCHAR[])",
                    [[nb_id for nb_id, *_ in rows], [session for _, session, *_ in rows],
                     [upto for _, _, upto, _ in rows], [json.dumps(_redacted(changes)) for *_, changes in rows]])


def _redacted(changes: Changes) -> Changes:
    """Each binding redacted as the assignment that made it reads in the stored source (`db_password = '...'`: a
    value is often a secret only by its name; the context keys a string bound to a name under a marker + the name)."""
    redacted: Changes = {}
    for key, binding in changes.items():
        if binding is not None:
            line = f"{key.rsplit(':', 1)[-1]} = {json.dumps(binding)}"
            cleaned = redact_text(line) or line
            binding = binding if cleaned == line else cleaned.split(" = ", 1)[-1]
        redacted[redact_text(key) or key] = binding
    return redacted


def read_context(con: duckdb.DuckDBPyConnection, nb_id: int, session: int) -> Optional[tuple[Bindings, int]]:
    """The session's bindings (every batch's changes, in order) and the last seq they include; None when none were
    stored (a session recorded before schema 13)."""
    rows = con.execute("SELECT upto_seq, changes FROM session_contexts WHERE notebook_id = ? AND session = ? "
                       "ORDER BY upto_seq", [nb_id, session]).fetchall()
    if not rows:
        return None
    bindings: Bindings = {}
    for _, changes in rows:
        for name, binding in json.loads(changes).items():
            if binding is None:
                bindings.pop(name, None)
            else:
                bindings[name] = binding
    return bindings, int(rows[-1][0])
