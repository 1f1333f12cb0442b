"""The database layout as an ordered list of migrations.

Each migration takes the schema from version N-1 to N inside one transaction and records N in
`schema_version`. Never edit a shipped migration: users hold files written by it. Add a new one.

JSON-valued columns are VARCHAR holding JSON text: the JSON extension would have to be bundled
into the frozen sidecar, and nothing queries inside these values.
"""

from __future__ import annotations

from typing import Callable

import duckdb

Migration = Callable[[duckdb.DuckDBPyConnection], None]


def _v1_initial(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at DOUBLE NOT NULL)")
    # key = real path for file notebooks, else the URI: one row per notebook however it was named.
    con.execute(
        """CREATE TABLE notebooks (
            id INTEGER PRIMARY KEY,
            key VARCHAR NOT NULL UNIQUE,
            uri VARCHAR NOT NULL,
            path VARCHAR
        )"""
    )
    # Content-addressed: one row per distinct cell text, analysis stored with it.
    con.execute(
        """CREATE TABLE sources (
            sha256 VARCHAR PRIMARY KEY,
            text VARCHAR NOT NULL,
            language VARCHAR,
            reads VARCHAR,
            writes VARCHAR,
            derivations VARCHAR,
            steps VARCHAR,
            analysis_error VARCHAR,
            analyzer_version INTEGER
        )"""
    )
    # Append-only: one row per execution, never updated.
    con.execute(
        """CREATE TABLE executions (
            event_id VARCHAR PRIMARY KEY,
            notebook_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            session INTEGER NOT NULL,
            cell_id VARCHAR NOT NULL,
            cell_index INTEGER NOT NULL,
            execution_count INTEGER,
            status VARCHAR NOT NULL,
            started_at DOUBLE NOT NULL,
            ended_at DOUBLE NOT NULL,
            language VARCHAR NOT NULL,
            source_sha256 VARCHAR NOT NULL,
            outputs VARCHAR NOT NULL,
            error_name VARCHAR,
            error_message VARCHAR,
            kernel_id VARCHAR,
            kernel_name VARCHAR,
            ingested_at DOUBLE NOT NULL
        )"""
    )


def _v2_runtime_inputs_summaries_cell_uri(con: duckdb.DuckDBPyConnection) -> None:
    # The hover handler maps a cell document (vscode-notebook-cell: URI) back to its cell.
    con.execute("ALTER TABLE executions ADD COLUMN cell_uri VARCHAR")
    # notebook_id is copied from the execution so a notebook's lineage pre-filters without a join.
    con.execute(
        """CREATE TABLE runtime_facts (
            event_id VARCHAR NOT NULL,
            notebook_id INTEGER NOT NULL,
            ord INTEGER NOT NULL,
            facts VARCHAR NOT NULL
        )"""
    )
    con.execute("CREATE SEQUENCE input_files_id START 1")
    con.execute(
        """CREATE TABLE input_files (
            id BIGINT NOT NULL DEFAULT nextval('input_files_id'),
            event_id VARCHAR NOT NULL,
            notebook_id INTEGER NOT NULL,
            ord INTEGER NOT NULL,
            path VARCHAR NOT NULL,
            real_path VARCHAR NOT NULL,
            size BIGINT,
            mtime DOUBLE,
            sha256 VARCHAR,
            changed_since VARCHAR,
            error VARCHAR
        )"""
    )
    con.execute("CREATE SEQUENCE summaries_id START 1")
    con.execute(
        """CREATE TABLE summaries (
            id BIGINT NOT NULL DEFAULT nextval('summaries_id'),
            notebook_key VARCHAR NOT NULL,
            notebook_uri VARCHAR NOT NULL,
            provider VARCHAR NOT NULL,
            model VARCHAR,
            prompt_sha256 VARCHAR,
            created_at VARCHAR NOT NULL,
            markdown VARCHAR NOT NULL,
            warnings VARCHAR NOT NULL
        )"""
    )


def _kernel_identity(con: duckdb.DuckDBPyConnection) -> None:
    # The kernelspec's display name next to its name ("Python 3 (ipykernel)"), as the editor or run reported it.
    con.execute("ALTER TABLE executions ADD COLUMN kernel_display_name VARCHAR")
    # What became of an execution's runtime facts (protocol.RuntimeStatus) and why the kernel asked was the
    # notebook's (protocol.KernelEvidence). Decided after the execution is stored, so a table of its own
    # like runtime_facts: executions stay append-only. At most one row per execution.
    con.execute(
        """CREATE TABLE runtime_capture (
            event_id VARCHAR NOT NULL,
            notebook_id INTEGER NOT NULL,
            status VARCHAR NOT NULL,
            evidence VARCHAR
        )"""
    )


def _experiments(con: duckdb.DuckDBPyConnection) -> None:
    """Experiments (issue 11). Only what cannot be re-derived from the records is stored: ids once assigned,
    kernel answers, run stamps, dataset revisions, and the user's names, notes and parents. Everything is
    keyed by event_id (not seq or session numbers, which a better session rule may renumber) and append-only:
    names, notes and parents are read as the latest row."""
    con.execute(
        """CREATE TABLE experiments (
            number INTEGER PRIMARY KEY,          -- E0007 is 7: monotonic per database
            notebook_id INTEGER NOT NULL,
            event_id VARCHAR NOT NULL UNIQUE,    -- the execution that produced the result
            origin VARCHAR NOT NULL,             -- auto | manual
            created_at DOUBLE NOT NULL
        )"""
    )
    con.execute(
        """CREATE TABLE experiment_kernel_values (
            event_id VARCHAR NOT NULL,
            notebook_id INTEGER NOT NULL,
            answer VARCHAR NOT NULL,             -- kernel/experiment_probe.values_json
            recorded_at DOUBLE NOT NULL
        )"""
    )
    con.execute(
        """CREATE TABLE run_stamps (
            event_id VARCHAR PRIMARY KEY,        -- the execution of the run at which it was taken
            notebook_id INTEGER NOT NULL,
            stamp VARCHAR NOT NULL,              -- protocol.RunStamp JSON
            recorded_at DOUBLE NOT NULL
        )"""
    )
    con.execute(
        """CREATE TABLE dataset_revisions (
            dataset_id VARCHAR NOT NULL,
            number INTEGER NOT NULL,             -- D0002 is 2, per dataset
            sha256 VARCHAR NOT NULL,
            size BIGINT,
            path VARCHAR NOT NULL,
            first_seen_at VARCHAR,
            PRIMARY KEY (dataset_id, number),
            UNIQUE (dataset_id, sha256)
        )"""
    )
    con.execute(
        """CREATE TABLE experiment_notes (
            number INTEGER NOT NULL, name VARCHAR, notes VARCHAR, updated_at DOUBLE NOT NULL
        )"""
    )
    con.execute(
        """CREATE TABLE experiment_parents (
            number INTEGER NOT NULL, parent INTEGER, set_at DOUBLE NOT NULL   -- parent NULL: made a root
        )"""
    )


def _repair_split_sessions(con: duckdb.DuckDBPyConnection) -> None:
    """Sessions are kernel lifetimes (sessions.py). Files written before that rule split a session at
    every execution counter that did not grow (an empty cell, an interrupt, a cancelled cell, a late
    delivery); renumber every notebook's sessions by the rule. Seqs, rows and everything else stay."""
    from .sessions import StoredExecution, assign_sessions

    rows = con.execute(
        "SELECT notebook_id, seq, session, kernel_id, execution_count, started_at, status FROM executions "
        "ORDER BY notebook_id, seq").fetchall()
    history: dict[int, list[StoredExecution]] = {}
    stored: dict[tuple[int, int], int] = {}
    for nb_id, seq, session, kernel_id, count, started, status in rows:
        history.setdefault(nb_id, []).append(StoredExecution(seq, kernel_id, count, started, status))
        stored[(nb_id, seq)] = session
    changed = [(nb_id, seq, session) for nb_id, runs in history.items()
               for seq, session in assign_sessions(runs).items() if stored[(nb_id, seq)] != session]
    if not changed:
        return
    con.execute("CREATE TEMP TABLE repaired_sessions (notebook_id INTEGER, seq INTEGER, session INTEGER)")
    con.execute("INSERT INTO repaired_sessions SELECT unnest(?::INTEGER[]), unnest(?::INTEGER[]), unnest(?::INTEGER[])",
                [[c[0] for c in changed], [c[1] for c in changed], [c[2] for c in changed]])
    con.execute("UPDATE executions SET session = r.session FROM repaired_sessions r "
                "WHERE executions.notebook_id = r.notebook_id AND executions.seq = r.seq")
    con.execute("DROP TABLE repaired_sessions")
def _hypotheses(con: duckdb.DuckDBPyConnection) -> None:
    """Hypotheses (issue 12). The statement, metric, direction and baseline are fixed when a hypothesis is made;
    thresholds, links to experiments and the user's status override are appended and read as the latest, so
    the history of what was decided by hand stays. Evidence and the computed status are derived on every read."""
    con.execute(
        """CREATE TABLE hypotheses (
            number INTEGER PRIMARY KEY,          -- H0002 is 2: monotonic per database
            statement VARCHAR NOT NULL,
            metric VARCHAR NOT NULL,
            direction VARCHAR,                   -- higher | lower; NULL: from the metric's name
            baseline VARCHAR NOT NULL,           -- parent | root | best | E0003
            created_at DOUBLE NOT NULL
        )"""
    )
    con.execute(
        """CREATE TABLE hypothesis_thresholds (
            number INTEGER NOT NULL, thresholds VARCHAR NOT NULL, set_at DOUBLE NOT NULL   -- HypothesisThresholds JSON
        )"""
    )
    con.execute(
        """CREATE TABLE hypothesis_links (
            number INTEGER NOT NULL, experiment INTEGER NOT NULL, linked BOOLEAN NOT NULL, set_at DOUBLE NOT NULL
        )"""
    )
    con.execute(
        """CREATE TABLE hypothesis_status (
            number INTEGER NOT NULL, status VARCHAR, note VARCHAR, set_at DOUBLE NOT NULL  -- status NULL: cleared
        )"""
    )


def _dead_letters(con: duckdb.DuckDBPyConnection) -> None:
    # Events that could not be stored (an impossible value, or one the database refused), kept with the
    # reason instead of blocking every event after them. `payload` is the event as JSON, redacted.
    con.execute("CREATE SEQUENCE dead_letters_id START 1")
    con.execute(
        """CREATE TABLE dead_letters (
            id BIGINT NOT NULL DEFAULT nextval('dead_letters_id'),
            event_id VARCHAR NOT NULL,
            notebook_uri VARCHAR,
            received_at DOUBLE NOT NULL,
            reason VARCHAR NOT NULL,
            payload VARCHAR NOT NULL
        )"""
    )


def _derived_experiments(con: duckdb.DuckDBPyConnection) -> None:
    """Experiments derived from the records, kept so that a new process need not derive them again (store/derived.py).
    A cache, not a record: every row says what it was derived from and is replaced when that changes."""
    con.execute(
        """CREATE TABLE derived_notebooks (
            notebook_id INTEGER PRIMARY KEY,
            fingerprint VARCHAR NOT NULL,        -- every run's fingerprint and the parents set by hand
            links VARCHAR NOT NULL,              -- the parents set by hand alone
            derived_at DOUBLE NOT NULL
        )"""
    )
    con.execute(
        """CREATE TABLE derived_runs (
            notebook_id INTEGER NOT NULL,
            session INTEGER NOT NULL,
            fingerprint VARCHAR NOT NULL,        -- the run's records and the version of the code that derived them
            derived_seq INTEGER NOT NULL,        -- its last execution then: later ones are new
            derived_at DOUBLE NOT NULL,
            PRIMARY KEY (notebook_id, session)
        )"""
    )
    con.execute(
        """CREATE TABLE derived_experiments (
            number INTEGER PRIMARY KEY,
            notebook_id INTEGER NOT NULL,
            session INTEGER NOT NULL,
            inputs_sha256 VARCHAR NOT NULL,      -- the records its own facts were derived from, and the code
            node VARCHAR NOT NULL,               -- JSON: what choosing a parent compares (seq, failed, slice cells)
            chain VARCHAR,                       -- sha256 of this node and every earlier one of the notebook
            auto_parent INTEGER,                 -- the parent chosen from that chain (NULL: a root)
            own_sha256 VARCHAR NOT NULL,         -- its own facts: everything but its parent and the diff against it
            link_sha256 VARCHAR NOT NULL,        -- its own facts, its parent and the parent's own facts
            summary VARCHAR NOT NULL,            -- protocol.ExperimentSummary JSON
            experiment VARCHAR NOT NULL,         -- protocol.Experiment JSON without the stamp (the run's, above)
            derived_at DOUBLE NOT NULL
        )"""
    )


def _ready_lineage_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Each execution's lineage record as the editor reads it (completed and worded), kept as JSON text so that a
    whole notebook's lineage is read, not made, on first touch (store/ready_rows.py). A cache, not a record: a row
    says what it was made from (`inputs`: its run's records up to it and the code; the run's `session_note`) and is
    ignored, then made again, when that no longer matches. Existing databases get their rows
    made by the sidecar after opening (ready_lineage.py)."""
    con.execute(
        """CREATE TABLE lineage_rows (
            notebook_id INTEGER NOT NULL,
            session INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            inputs VARCHAR NOT NULL,             -- its run's records up to it and the code that made it (a hash)
            wording VARCHAR NOT NULL,            -- the code that made it (a hash): rows to make after an upgrade
            session_note VARCHAR,                -- its run's runtime note it was worded against
            cell_id VARCHAR NOT NULL,            -- these three: staleness is judged on every read
            source_sha256 VARCHAR NOT NULL,
            parents VARCHAR NOT NULL,            -- JSON: its parents' seqs
            head VARCHAR NOT NULL,               -- the record's JSON up to its source (without the closing brace)
            tail VARCHAR NOT NULL                -- the rest up to its stale marks (without braces)
        )"""
    )


def _shared_ready_parts(con: duckdb.DuckDBPyConnection) -> None:
    """A ready row keeps the fields records share (protocol.SHARED_FIELDS) apart from the rest of its text, so a whole
    document sends each distinct set once. Rows made before have them in their tail and `shared` empty: still a whole
    record each, and made again anyway by the new code (its version is part of what a row was made from)."""
    con.execute("ALTER TABLE lineage_rows ADD COLUMN shared VARCHAR NOT NULL DEFAULT ''")


def _derived_experiments_unindexed(con: duckdb.DuckDBPyConnection) -> None:
    """The derived tables without keys: writing a row to a table with a PRIMARY KEY loads that key's whole index into
    DuckDB's memory, where it stays until the next checkpoint (~1 MB of index buffers a key, whatever its rows). A
    listing that derived a notebook's experiments loaded all three (+2.75 MB) and the appended rows (+2 MB) and kept
    them into the next listing: every second listing rose +12-15 MB, the others +5-7 (in process, 25 notebooks of the
    memory bench; mem11). The one writer replaces rows by deleting them first (store/derived.py: save). A cache: its
    rows are dropped, and derived again when asked for, as after any upgrade (the deriving code's version is part of
    what each row was derived from)."""
    for table in ("derived_experiments", "derived_runs", "derived_notebooks"):
        con.execute(f"DROP TABLE {table}")
    con.execute(
        """CREATE TABLE derived_notebooks (
            notebook_id INTEGER NOT NULL,        -- one row a notebook
            fingerprint VARCHAR NOT NULL,        -- every run's fingerprint and the parents set by hand
            links VARCHAR NOT NULL,              -- the parents set by hand alone
            derived_at DOUBLE NOT NULL
        )"""
    )
    con.execute(
        """CREATE TABLE derived_runs (
            notebook_id INTEGER NOT NULL,        -- one row a (notebook_id, session)
            session INTEGER NOT NULL,
            fingerprint VARCHAR NOT NULL,        -- the run's records and the version of the code that derived them
            derived_seq INTEGER NOT NULL,        -- its last execution then: later ones are new
            derived_at DOUBLE NOT NULL
        )"""
    )
    con.execute(
        """CREATE TABLE derived_experiments (
            number INTEGER NOT NULL,             -- one row a number
            notebook_id INTEGER NOT NULL,
            session INTEGER NOT NULL,
            inputs_sha256 VARCHAR NOT NULL,      -- the records its own facts were derived from, and the code
            node VARCHAR NOT NULL,               -- JSON: what choosing a parent compares (seq, failed, slice cells)
            chain VARCHAR,                       -- sha256 of this node and every earlier one of the notebook
            auto_parent INTEGER,                 -- the parent chosen from that chain (NULL: a root)
            own_sha256 VARCHAR NOT NULL,         -- its own facts: everything but its parent and the diff against it
            link_sha256 VARCHAR NOT NULL,        -- its own facts, its parent and the parent's own facts
            summary VARCHAR NOT NULL,            -- protocol.ExperimentSummary JSON
            experiment VARCHAR NOT NULL,         -- protocol.Experiment JSON without the stamp (the run's, above)
            derived_at DOUBLE NOT NULL
        )"""
    )


def _analyses_in_context(con: duckdb.DuckDBPyConnection) -> None:
    """The analysis an execution was classified with, when it is not its source's. A cell's steps depend on the cells
    run before it (the model class a `model.predict(X)` names, a path bound earlier): the same text re-run after an
    earlier cell was edited is classified differently, but `sources` keeps one analysis per text, the first run's.
    Such an analysis is kept content-addressed (`sha256` of its stored columns, store/stored_analysis.py), once for
    every execution that has it; `executions.analysis_sha256` names it, NULL (every execution of a file written
    before, and the common case) reading its source's. No PRIMARY KEY: writing a keyed table loads its whole index
    into memory (see _derived_experiments_unindexed); the one writer stores each hash once."""
    con.execute(
        """CREATE TABLE analyses (
            sha256 VARCHAR NOT NULL,             -- of the columns below as stored (one row a sha256)
            reads VARCHAR,
            writes VARCHAR,
            derivations VARCHAR,
            steps VARCHAR,
            analysis_error VARCHAR,
            analyzer_version INTEGER
        )"""
    )
    con.execute("ALTER TABLE executions ADD COLUMN analysis_sha256 VARCHAR")


def _session_contexts(con: duckdb.DuckDBPyConnection) -> None:
    """What the cells of a kernel session bound (lineage.analysis's context: `model = RandomForestClassifier()` makes a
    later `model.predict(X)` name that class), stored with the batches that ran them: a restarted sidecar reads it back
    in one query instead of analysing the session's cells again (seconds for 2,000, before the first new cell was
    stored). Each batch adds a row of what it changed (store/session_contexts.py); executions after the last row (a
    spool merge's, every one of a session recorded before this version) are analysed on top. No PRIMARY KEY (see
    _analyses_in_context)."""
    con.execute(
        """CREATE TABLE session_contexts (
            notebook_id INTEGER NOT NULL,
            session INTEGER NOT NULL,
            upto_seq INTEGER NOT NULL,           -- the batch's last execution of the session
            changes VARCHAR NOT NULL             -- JSON {name: binding, or null once unbound}, redacted
        )"""
    )


# Position i holds the migration to version i + 1.
MIGRATIONS: list[Migration] = [_v1_initial, _v2_runtime_inputs_summaries_cell_uri, _kernel_identity, _experiments,
                               _repair_split_sessions, _hypotheses, _dead_letters, _derived_experiments,
                               _ready_lineage_rows, _shared_ready_parts, _derived_experiments_unindexed,
                               _analyses_in_context, _session_contexts]
LATEST_VERSION = len(MIGRATIONS)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """0 for an empty database, else the highest version recorded."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version' AND table_schema = 'main'"
    ).fetchone()[0]
    if not exists:
        return 0
    found = con.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    return int(found or 0)


def migrate(con: duckdb.DuckDBPyConnection, from_version: int, now: float) -> int:
    """Apply every migration after `from_version`, one transaction each; returns the new version.
    A failure rolls back that step and leaves the file at the last complete version."""
    version = from_version
    for target in range(from_version + 1, LATEST_VERSION + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            MIGRATIONS[target - 1](con)
            con.execute("INSERT INTO schema_version VALUES (?, ?)", [target, now])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        version = target
    return version
