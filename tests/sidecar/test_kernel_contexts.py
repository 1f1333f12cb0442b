"""The context a cell is classified in is its kernel session's (kernel_contexts.py), over a real DuckDB file: a sidecar
restart reads it back as stored, a kernel restart clears it, a re-sent execution changes nothing."""

from __future__ import annotations

import uuid
from pathlib import Path

import duckdb
import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.lineage.analysis import analysed_in_order, clear_cache
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

FIT = "from sklearn.ensemble import RandomForestClassifier\nmodel = RandomForestClassifier(n_estimators=50)\n" \
      "model.fit(X_train, y_train)"
PREDICT = "predictions = model.predict(X_test)"
T0 = 1e12


def ev(nb: Path, cell: int, order: int, source: str, t: float, kernel: str = "k1",
       event_id: str | None = None) -> p.CellExecution:
    return p.CellExecution(
        event_id=event_id or str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{cell}",
        cell_uri=f"vscode-notebook-cell:{nb}#c{cell}", cell_index=cell, source=source, execution_order=order,
        started_at=t, ended_at=t + 3, status="ok", kernel_id=kernel,
    )


def predicted_with(service: TrackitService, nb: Path) -> list[tuple[str, object]]:
    """(op, estimator) of the steps of the notebook's latest execution."""
    return [(s.op, s.estimator) for s in service.lineage(nb.as_uri()).executions[-1].steps]


def restarted(db: str) -> TrackitService:
    """A new sidecar over the same file: nothing of the last one's memory, its analysis cache included."""
    clear_cache()
    return TrackitService(Store.open(db))


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "contexts.duckdb")


def test_a_binding_older_than_2000_executions_is_known_after_a_sidecar_restart(db, tmp_path):
    """The session's bindings are stored with each batch, so a restarted sidecar knows `model` however long ago it was
    bound (it analysed the session's last 2,000 executions again, before storing the first new cell, and the fit was
    older)."""
    nb = tmp_path / "long.ipynb"
    first = TrackitService(Store.open(db))
    try:
        first.ingest([ev(nb, 0, 1, FIT, T0)])
        first.ingest([ev(nb, 1, 2 + i, "x = 1", T0 + 10 * (i + 1)) for i in range(2001)])
    finally:
        first.store.close()
    again = restarted(db)
    try:
        again.ingest([ev(nb, 2, 2003, PREDICT, T0 + 10 * 2003)])
        assert predicted_with(again, nb) == [("predict", "RandomForestClassifier")]
    finally:
        again.store.close()


def test_executions_stored_without_their_bindings_are_analysed_after_a_sidecar_restart(db, tmp_path):
    """A session recorded before the bindings were stored (schema 12), or spooled runs merged since: its executions
    after the stored bindings are analysed on top of them."""
    nb = tmp_path / "older.ipynb"
    first = TrackitService(Store.open(db))
    try:
        first.ingest([ev(nb, 0, 1, FIT, T0), ev(nb, 1, 2, "x = 1", T0 + 10)])
    finally:
        first.store.close()
    con = duckdb.connect(db)
    assert con.execute("SELECT count(*) FROM session_contexts").fetchone()[0] == 1
    con.execute("DELETE FROM session_contexts")
    con.close()
    again = restarted(db)
    try:
        again.ingest([ev(nb, 2, 3, PREDICT, T0 + 20)])
        assert predicted_with(again, nb) == [("predict", "RandomForestClassifier")]
    finally:
        again.store.close()


RESTARTS = {  # what the editor sends for the first cell a kernel runs after a restart
    "the counter back to 1": dict(order=1, kernel="k1"),
    "another kernel id": dict(order=3, kernel="k2"),
}


@pytest.mark.parametrize("restart", RESTARTS, ids=list(RESTARTS))
def test_a_kernel_restart_clears_the_context(db, tmp_path, restart):
    """A name bound only before the kernel restarted no longer informs the classification after it: the new kernel's
    `model` is not the old one's (it kept the old session's bindings while the sidecar ran)."""
    nb = tmp_path / "restarted.ipynb"
    order, kernel = RESTARTS[restart]["order"], RESTARTS[restart]["kernel"]
    service = TrackitService(Store.open(db))
    try:
        service.ingest([ev(nb, 0, 1, FIT, T0), ev(nb, 1, 2, "x = 1", T0 + 10)])
        service.ingest([ev(nb, 1, order, "x = 1", T0 + 20, kernel)])
        service.ingest([ev(nb, 2, order + 1, PREDICT, T0 + 30, kernel)])
        last = service.lineage(nb.as_uri()).executions[-1]
        assert (last.session, predicted_with(service, nb)) == (2, [("predict", None)])
    finally:
        service.store.close()
    again = restarted(db)  # and what was stored for the new session is the new kernel's cells' alone
    try:
        again.ingest([ev(nb, 2, order + 2, PREDICT, T0 + 40, kernel)])
        *_, alone = analysed_in_order([("x = 1", "python", None), (PREDICT, "python", None), (PREDICT, "python", None)],
                                      {})
        assert predicted_with(again, nb) == [(s.op, s.estimator) for s in alone.steps]
        assert "RandomForestClassifier" not in str(predicted_with(again, nb))
    finally:
        again.store.close()


def test_the_same_kernel_keeps_its_context(db, tmp_path):
    """Control: the kernel did not restart (the counter goes on, the same id)."""
    nb = tmp_path / "kept.ipynb"
    service = TrackitService(Store.open(db))
    try:
        service.ingest([ev(nb, 0, 1, FIT, T0), ev(nb, 1, 2, "x = 1", T0 + 10)])
        service.ingest([ev(nb, 1, 3, "x = 1", T0 + 20)])
        service.ingest([ev(nb, 2, 4, PREDICT, T0 + 30)])
        assert predicted_with(service, nb) == [("predict", "RandomForestClassifier")]
    finally:
        service.store.close()


def test_a_re_sent_first_cell_starts_no_session(db, tmp_path):
    """The editor re-sends what it was not told was stored (after a sidecar restart): the first cell again, counted 1,
    is a repeat, not a kernel restart, and leaves the context as it was."""
    nb = tmp_path / "resent.ipynb"
    fit = ev(nb, 0, 1, FIT, T0)
    service = TrackitService(Store.open(db))
    try:
        service.ingest([fit, ev(nb, 1, 2, "x = 1", T0 + 10)])
        service.ingest([ev(nb, 0, 1, FIT, T0, event_id=fit.event_id)])
        service.ingest([ev(nb, 2, 3, PREDICT, T0 + 30)])
        last = service.lineage(nb.as_uri()).executions[-1]
        assert (last.seq, last.session, predicted_with(service, nb)) == (3, 1, [("predict", "RandomForestClassifier")])
    finally:
        service.store.close()


def test_a_new_kernel_session_reads_nothing_back_from_the_store(db, tmp_path, monkeypatch):
    """A session after every one stored (a kernel restart, a first run) has nothing stored to read back: no query for
    it (each kept DuckDB's heap of a join until the database closed: a long-lived sidecar's 1,250 restarts held ~18 MB).
    A sidecar restart in the middle of a session still reads that session's context back."""
    nb = tmp_path / "restarts.ipynb"
    service = TrackitService(Store.open(db))
    read: list[tuple[str, int]] = []
    real = service.store.session_context
    monkeypatch.setattr(service.store, "session_context", lambda uri, session: read.append((uri, session)) or
                        real(uri, session))
    try:
        service.ingest([ev(nb, 0, 1, FIT, T0)])
        service.ingest([ev(nb, 1, 2, PREDICT, T0 + 10)])
        service.ingest([ev(nb, 0, 1, "x = 1", T0 + 20, kernel="k2")])  # a kernel restart
        service.ingest([ev(nb, 1, 2, PREDICT, T0 + 30, kernel="k2")])
        assert read == []
        assert predicted_with(service, nb) == [("predict", None)]  # `model` was bound only before the restart
        service.ingest([ev(nb, 0, 3, FIT, T0 + 40, kernel="k2")])
    finally:
        service.store.close()
    again = restarted(db)
    try:
        again.ingest([ev(nb, 1, 4, PREDICT, T0 + 50, kernel="k2")])  # the same kernel: its context read back
        assert predicted_with(again, nb) == [("predict", "RandomForestClassifier")]
    finally:
        again.store.close()
