"""Schema versions: an old file opens and upgrades with its rows intact; a newer file is refused."""

from __future__ import annotations

import duckdb
import pytest

from trackit_sidecar.protocol import InputFile, RuntimeFacts
from trackit_sidecar.store import LATEST_VERSION, DatabaseNeedsMigration, DatabaseTooNew, Store, source_sha256

# The v1 layout exactly as the first release created it, frozen here on purpose: if someone edits
# the shipped v1 migration, this still reproduces a file written by the real old version.
V1_DDL = [
    "CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at DOUBLE NOT NULL)",
    "CREATE TABLE notebooks (id INTEGER PRIMARY KEY, key VARCHAR NOT NULL UNIQUE, uri VARCHAR NOT NULL, path VARCHAR)",
    """CREATE TABLE sources (sha256 VARCHAR PRIMARY KEY, text VARCHAR NOT NULL, language VARCHAR, reads VARCHAR,
        writes VARCHAR, derivations VARCHAR, steps VARCHAR, analysis_error VARCHAR, analyzer_version INTEGER)""",
    """CREATE TABLE executions (event_id VARCHAR PRIMARY KEY, notebook_id INTEGER NOT NULL, seq INTEGER NOT NULL,
        session INTEGER NOT NULL, cell_id VARCHAR NOT NULL, cell_index INTEGER NOT NULL, execution_count INTEGER,
        status VARCHAR NOT NULL, started_at DOUBLE NOT NULL, ended_at DOUBLE NOT NULL, language VARCHAR NOT NULL,
        source_sha256 VARCHAR NOT NULL, outputs VARCHAR NOT NULL, error_name VARCHAR, error_message VARCHAR,
        kernel_id VARCHAR, kernel_name VARCHAR, ingested_at DOUBLE NOT NULL)""",
    "INSERT INTO schema_version VALUES (1, 0)",
]


def _write_v1_file(path) -> None:
    src1, src2 = "df = load()", "df = df.dropna()"
    con = duckdb.connect(str(path))
    for ddl in V1_DDL:
        con.execute(ddl)
    con.execute("INSERT INTO notebooks VALUES (1, '/data/old.ipynb', 'file:///data/old.ipynb', '/data/old.ipynb')")
    con.execute(
        "INSERT INTO sources VALUES (?, ?, 'python', '[]', '[\"df\"]', '{}', ?, NULL, 1), "
        "(?, ?, 'python', '[\"df\"]', '[\"df\"]', '{\"df\": [\"df\"]}', '[{\"op\": \"drop_missing\", \"output\": \"df\"}]', NULL, 1)",
        [source_sha256(src1), src1, '[{"op": "load", "output": "df"}]', source_sha256(src2), src2],
    )
    con.execute(
        "INSERT INTO executions VALUES "
        "('old-1', 1, 1, 1, 'c1', 0, 1, 'ok', 1700000000000, 1700000000100, 'python', ?, "
        "'[{\"output_type\": \"stream\", \"mime\": \"text/plain\", \"size\": 3, \"sha256\": \"abc\", \"text\": \"hi\\n\"}]',"
        " NULL, NULL, 'k1', 'python3', 0), "
        "('old-2', 1, 2, 1, 'c2', 1, 2, 'error', 1700000001000, 1700000001500, 'python', ?, '[]',"
        " 'KeyError', 'x', 'k1', 'python3', 0)",
        [source_sha256(src1), source_sha256(src2)],
    )
    con.close()


def test_v1_database_opens_upgraded_with_rows_intact(db_path, ev, analyses):
    _write_v1_file(db_path)
    with Store.open(db_path) as store:
        assert store.schema_version() == LATEST_VERSION > 1
        doc = store.lineage("/data/old.ipynb")
        assert [e.seq for e in doc.executions] == [1, 2]
        first, second = doc.executions
        assert first.writes == ["df"] and first.steps[0].op == "load"
        assert first.outputs[0].text == "hi\n"
        assert second.status == "error" and second.error.name == "KeyError"
        assert second.derivations == {"df": ["df"]}
        assert doc.sessions[0].kernel_name == "python3"

        # The v2 parts work on the upgraded file, and new runs continue the old numbering.
        store.add_runtime_facts("old-2", [RuntimeFacts(variable="df", rows_before=10, rows_after=8)])
        store.add_input_files("old-1", [InputFile(path="/data/in.csv", sha256="1" * 64)])
        new = [ev(notebook_uri="file:///data/old.ipynb", kernel_id="k1", execution_order=3, cell_uri="vscode-notebook-cell:/data/old.ipynb#c3")]
        assert store.ingest(new, analyses(new), 1) == [3]
    with Store.open(db_path) as store:
        doc = store.lineage("file:///data/old.ipynb")
        assert [e.seq for e in doc.executions] == [1, 2, 3]
        assert doc.executions[1].runtime[0].rows_after == 8
        assert store.last_input_file_sha("/data/in.csv") == "1" * 64
        assert store.find_cell_by_uri("vscode-notebook-cell:/data/old.ipynb#c3") == ("file:///data/old.ipynb", new[0].cell_id)
        assert doc.executions[2].session == 1  # same kernel, growing counter


def test_fresh_file_is_created_at_latest_version(db_path):
    with Store.open(db_path) as store:
        assert store.schema_version() == LATEST_VERSION
    con = duckdb.connect(str(db_path))
    versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
    con.close()
    assert versions == list(range(1, LATEST_VERSION + 1))


def test_newer_schema_is_refused_and_left_untouched(db_path):
    Store.open(db_path).close()
    con = duckdb.connect(str(db_path))
    con.execute("INSERT INTO schema_version VALUES (?, 0)", [LATEST_VERSION + 1])
    con.close()
    with pytest.raises(DatabaseTooNew, match=f"schema version {LATEST_VERSION + 1}") as info:
        Store.open(db_path)
    assert info.value.found == LATEST_VERSION + 1 and info.value.supported == LATEST_VERSION
    # The refusal released the file: it can still be opened by plain DuckDB.
    con = duckdb.connect(str(db_path))
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == LATEST_VERSION + 1
    con.close()


def test_read_only_open_of_old_schema_asks_for_upgrade(db_path):
    _write_v1_file(db_path)
    with pytest.raises(DatabaseNeedsMigration, match="read-write once"):
        Store.open(db_path, read_only=True)
    with Store.open(db_path):
        pass
    with Store.open(db_path, read_only=True) as ro:
        assert ro.count_executions() == 2


def test_read_only_open_of_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no TrackIT database"):
        Store.open(tmp_path / "absent.duckdb", read_only=True)
