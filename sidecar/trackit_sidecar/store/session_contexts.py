"""What the cells of a kernel session bound, as the store keeps it (schema: _session_contexts): each batch adds what
its cells changed in the session's context, so a restarted sidecar reads the context back in one query instead of
analysing the session's cells again."""

from __future__ import annotations

import json
from typing import Optional

import duckdb

from ..redaction import redact_value

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
                     [upto for _, _, upto, _ in rows], [json.dumps(redact_value(changes)) for *_, changes in rows]])


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
