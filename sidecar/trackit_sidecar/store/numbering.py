"""Where each notebook's numbering stands (its latest session, kernel, counter), read from its stored executions: what
sessions.place_execution folds the next execution into (the writer, inside its transaction; the service, placing a new
cell in its kernel session's context before the write)."""

from __future__ import annotations

import duckdb

from .sessions import NotebookState


def load_states(con: duckdb.DuckDBPyConnection, nb_ids: set[int]) -> dict[int, NotebookState]:
    """Where each notebook's numbering stands, read inside the batch's transaction. Counters and
    kernel ids of cancelled executions are no evidence (sessions.py), so they are not read back."""
    if not nb_ids:
        return {}
    rows = con.execute(
        """WITH cur AS (
               SELECT notebook_id, max(seq) AS last_seq, max(session) AS session FROM executions
               WHERE notebook_id IN (SELECT unnest(?::INTEGER[])) GROUP BY notebook_id)
           SELECT cur.notebook_id, any_value(cur.last_seq), any_value(cur.session),
                  max(e.execution_count) FILTER (WHERE e.status <> 'cancelled'),
                  arg_max(e.kernel_id, e.seq) FILTER (WHERE e.kernel_id IS NOT NULL AND e.status <> 'cancelled'),
                  max(e.started_at), min(e.started_at)
           FROM cur JOIN executions e ON e.notebook_id = cur.notebook_id AND e.session = cur.session
           GROUP BY cur.notebook_id""",
        [list(nb_ids)],
    ).fetchall()
    states = {nb_id: NotebookState() for nb_id in nb_ids}  # notebooks with no executions yet
    for nb_id, last_seq, session, max_order, kernel_id, last_started, session_started in rows:
        states[int(nb_id)] = NotebookState(int(last_seq), int(session), kernel_id, max_order, last_started,
                                           session_started)
    return states
