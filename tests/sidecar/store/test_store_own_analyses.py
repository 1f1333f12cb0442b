"""An execution keeps the analysis it was classified with: the same text re-run after an earlier cell was edited (the
model class a predict names) is stored with its own analysis, once for every execution that has it; the common case
(the source's analysis) stores nothing more. Real DuckDB files."""

from __future__ import annotations

import duckdb

from trackit_sidecar.lineage.analysis import SourceAnalysis
from trackit_sidecar.protocol import Step
from trackit_sidecar.store import LATEST_VERSION, Store, source_sha256

NB = "file:///tmp/trackit-tests/nb.ipynb"
PREDICT = "predictions = model.predict(X_test)"


def _predicted_with(model_class: str) -> SourceAnalysis:
    return SourceAnalysis(reads=["model", "X_test"], writes=["predictions"],
                          steps=[Step(op="predict", inputs=["model", "X_test"], output="predictions", code=PREDICT,
                                      line=1, model="model", estimator=model_class)])


def _classes(store: Store) -> list[str]:
    return [e.steps[0].estimator for e in store.lineage(NB).executions]


def _own_shas(path) -> list:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT analysis_sha256 FROM executions ORDER BY seq").fetchall()]
    finally:
        con.close()


def _count(path, table: str) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_the_same_analysis_as_the_source_names_nothing(db_path, ev):
    events = [ev(source=PREDICT) for _ in range(3)]
    with Store.open(db_path) as store:
        for event in events:  # one batch each, as a notebook runs
            analysis = _predicted_with("LogisticRegression")
            store.write([event], {source_sha256(PREDICT): analysis}, execution_analyses={event.event_id: analysis})
        assert _classes(store) == ["LogisticRegression"] * 3
    assert _own_shas(db_path) == [None, None, None]
    assert _count(db_path, "analyses") == 0


def test_a_cell_classified_in_another_context_reads_its_own_analysis_stored_once(db_path, ev):
    sha = source_sha256(PREDICT)
    first, *later = [ev(source=PREDICT) for _ in range(4)]
    with Store.open(db_path) as store:
        store.write([first], {sha: _predicted_with("LogisticRegression")},
                    execution_analyses={first.event_id: _predicted_with("LogisticRegression")})
        store.write(later[:2], {}, execution_analyses={e.event_id: _predicted_with("RandomForestClassifier")
                                                       for e in later[:2]})
        store.write(later[2:], {}, execution_analyses={later[2].event_id: _predicted_with("RandomForestClassifier")})
        assert _classes(store) == ["LogisticRegression"] + ["RandomForestClassifier"] * 3
    own = _own_shas(db_path)
    assert own[0] is None and own[1] is not None and own[1] == own[2] == own[3], own
    assert _count(db_path, "analyses") == 1 and _count(db_path, "sources") == 1
    with Store.open(db_path) as store:  # read back by a new process, not from a cache
        assert _classes(store) == ["LogisticRegression"] + ["RandomForestClassifier"] * 3


def test_an_analyzer_upgrade_leaves_earlier_executions_their_own_context(db_path, ev):
    """The source's row is analysed again in the context of the execution that brought the new analyzer; the one
    before it was classified in its own (LogisticRegression) and keeps that."""
    sha = source_sha256(PREDICT)
    old, new = ev(source=PREDICT), ev(source=PREDICT)
    with Store.open(db_path) as store:
        store.write([old], {sha: _predicted_with("LogisticRegression")}, 1,
                    execution_analyses={old.event_id: _predicted_with("LogisticRegression")})
        result = store.write([new], {sha: _predicted_with("RandomForestClassifier")}, 2,
                             execution_analyses={new.event_id: _predicted_with("RandomForestClassifier")})
        assert result.reanalysed_shas == {sha}
        assert _classes(store) == ["LogisticRegression", "RandomForestClassifier"]
        assert store.analysed_shas(2) == {sha}
    own = _own_shas(db_path)
    assert own[0] is not None and own[1] is None, own


def _undo_to_v11(path) -> None:
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE session_contexts")  # schema 13
    con.execute("DROP TABLE analyses")
    con.execute("ALTER TABLE executions DROP COLUMN analysis_sha256")
    con.execute("DELETE FROM schema_version WHERE version > 11")
    con.close()


def test_a_version_11_file_is_upgraded_with_every_row(db_path, ev):
    events = [ev(source=PREDICT), ev(source="x = 1", cell_id="cell-b"), ev(source=PREDICT)]
    with Store.open(db_path) as store:
        store.write(events, {source_sha256(PREDICT): _predicted_with("LogisticRegression"),
                             source_sha256("x = 1"): SourceAnalysis(writes=["x"])})
        before = store.lineage(NB).model_dump()
    _undo_to_v11(db_path)
    con = duckdb.connect(str(db_path), read_only=True)
    tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = 'main' AND table_type = 'BASE TABLE'").fetchall()]
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables if t != "schema_version"}
    con.close()
    assert "analyses" not in tables and counts["executions"] == 3 and counts["sources"] == 2

    with Store.open(db_path) as store:
        assert store.schema_version() == LATEST_VERSION == 13
        assert store.lineage(NB).model_dump() == before
    assert {t: _count(db_path, t) for t in counts} == counts
    assert _own_shas(db_path) == [None, None, None] and _count(db_path, "analyses") == 0
