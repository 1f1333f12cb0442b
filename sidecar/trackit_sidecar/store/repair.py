"""`trackit doctor`: check a database by reading every block of it, and repair it by salvaging every
readable row into a fresh file, keeping the damaged one beside it.

Reading: DuckDB verifies each block's checksum when it reads it, so a scan of every column of every
table finds any corrupt block in use. Rows are read in ranges of one vector (2,048 rows, the unit DuckDB
reads a column in); a range that fails is read column by column, so one corrupt block costs the rows of
its vectors, or for content columns (outputs, source text) only those values: the rows are kept.

Repair never writes into the damaged file: the fresh database is built under a temporary name, then
the damaged file (and its WAL) is renamed to `<db>.damaged-<UTC time>` and the fresh one takes its
place. A file DuckDB cannot open at all (truncated, not a database) is kept the same way and replaced
by an empty database: nothing in it is readable.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any, Optional

import duckdb

from . import lock, schema
from .admission import EPOCH_MS_MAX, EPOCH_MS_MIN
from .connection import FILE_MODE, StoreConnection, as_store_error
from .errors import DatabaseLocked, DatabaseReadOnly, DatabaseTooNew, first_line
from .tables import insert_rows

RANGE_ROWS = 2048
# Copied in this order; tables a newer schema adds are copied after these, by name.
TABLE_ORDER = ("notebooks", "sources", "executions", "runtime_facts", "input_files", "summaries", "dead_letters")
# Values a row can lose and still be worth keeping: they are replaced so the row stays readable.
CONTENT_PLACEHOLDERS = {
    ("executions", "outputs"): "[]",
    ("executions", "error_message"): None,
    ("sources", "text"): "",
    ("summaries", "markdown"): "> This summary was lost when the database was repaired.\n",
    ("summaries", "warnings"): "[]",
    ("dead_letters", "payload"): "{}",
}
LOST_SOURCE = "not analysed: the source text was lost when the database was repaired"


@dataclass
class TableHealth:
    rows: int = 0  # rows in the table (as DuckDB counts them)
    readable: int = 0  # rows read whole
    partial: int = 0  # rows read with a content value lost
    lost: int = 0
    error: Optional[str] = None  # the first read error


@dataclass
class Checkup:
    path: str
    opened: bool = True
    open_error: Optional[str] = None
    schema_version: Optional[int] = None
    tables: dict[str, TableHealth] = field(default_factory=dict)
    impossible_times: int = 0  # executions stored with a time outside 1970-2200 (an older TrackIT)
    sources_missing: int = 0  # executions whose source row is gone

    @property
    def ok(self) -> bool:
        return self.opened and not any(t.error for t in self.tables.values()) and not self.sources_missing

    @property
    def executions(self) -> int:
        health = self.tables.get("executions")
        return health.rows if health else 0

    def problems(self) -> list[str]:
        found = [] if self.opened else [f"cannot be opened: {self.open_error}"]
        for name, health in self.tables.items():
            if health.error:
                found.append(f"{name}: {health.lost} of {health.rows} rows unreadable"
                             + (f", {health.partial} partly" if health.partial else "") + f" ({health.error})")
        if self.sources_missing:
            found.append(f"{self.sources_missing} executions have no stored source")
        return found


@dataclass
class RepairReport:
    path: str
    kept_at: str  # where the damaged file now is
    before: Checkup
    saved: dict[str, int] = field(default_factory=dict)  # rows written to the fresh file, per table
    partial: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)


# ------------------------------------------------------------------ reading a damaged file
def _connect_damaged(path: str) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(path, read_only=True)
    except duckdb.Error as exc:
        conflict = lock.parse_lock_error(str(exc))
        if conflict is not None:
            raise DatabaseLocked(path, conflict.pid, lock.describe_holder(conflict, lock.read_owner(path))) from None
        raise


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE'"
    ).fetchall()]
    known = [t for t in TABLE_ORDER if t in names]
    return known + sorted(t for t in names if t not in known and t != "schema_version")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind in con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall()]


def _read_range(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], low: int, high: int
                ) -> tuple[list[list[Any]], int, int, Optional[str]]:
    """Rows with rowid in [low, high]: (rows as column lists aligned with `columns`, partial, lost, error)."""
    select = ", ".join(f'"{c}"' for c in columns)
    try:
        rows = con.execute(f'SELECT {select} FROM "{table}" WHERE rowid BETWEEN ? AND ? ORDER BY rowid',
                           [low, high]).fetchall()
        return [list(r) for r in rows], 0, 0, None
    except duckdb.Error as exc:
        error = first_line(exc)
    rowids = _readable_rowids(con, table, low, high)
    per_column: dict[str, dict[int, Any]] = {}
    for column in columns:
        per_column[column] = _read_column(con, table, column, rowids)
    out, partial, lost = [], 0, 0
    for rowid in rowids:
        row, replaced = [], False
        for column in columns:
            values = per_column[column]
            if rowid in values:
                row.append(values[rowid])
            elif (table, column) in CONTENT_PLACEHOLDERS:
                row.append(CONTENT_PLACEHOLDERS[(table, column)])
                replaced = True
            else:
                row = []
                break
        if not row:
            lost += 1
        else:
            out.append(row)
            partial += replaced
    return out, partial, lost, error


def _readable_rowids(con: duckdb.DuckDBPyConnection, table: str, low: int, high: int) -> list[int]:
    try:
        return [r[0] for r in con.execute(f'SELECT rowid FROM "{table}" WHERE rowid BETWEEN ? AND ? ORDER BY rowid',
                                          [low, high]).fetchall()]
    except duckdb.Error:
        return []


def _read_column(con: duckdb.DuckDBPyConnection, table: str, column: str, rowids: list[int]) -> dict[int, Any]:
    """rowid -> value of `column` for the range, or nothing: DuckDB reads a column a whole vector at a
    time, so when one block of a vector is corrupt no row of that vector can be read in that column."""
    if not rowids:
        return {}
    try:
        return dict(con.execute(f'SELECT rowid, "{column}" FROM "{table}" WHERE rowid BETWEEN ? AND ?',
                                [rowids[0], rowids[-1]]).fetchall())
    except duckdb.Error:
        return {}


def _scan(con: duckdb.DuckDBPyConnection, table: str, sink: Optional[Any] = None) -> TableHealth:
    """Read every row of `table` range by range; hand readable rows to `sink(columns, rows)`."""
    health = TableHealth()
    columns = [name for name, _ in _columns(con, table)]
    try:
        health.rows = int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        top = con.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0]
    except duckdb.Error as exc:
        health.error = first_line(exc)
        return health
    if top is None:
        return health
    for low in range(0, int(top) + 1, RANGE_ROWS):
        rows, partial, lost, error = _read_range(con, table, columns, low, low + RANGE_ROWS - 1)
        health.readable += len(rows) - partial
        health.partial += partial
        health.lost += lost
        if error and health.error is None:
            health.error = error
        if sink is not None and rows:
            sink(columns, rows)
    return health


def check(path: str) -> Checkup:
    """Read all of the database at `path`. Raises DatabaseLocked (another process holds it) and
    DatabaseTooNew (a newer TrackIT wrote it: repair would lose what it does not know)."""
    path = os.path.abspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    result = Checkup(path)
    try:
        con = _connect_damaged(path)
    except DatabaseLocked:
        raise
    except duckdb.Error as exc:
        result.opened, result.open_error = False, _short(exc, path)
        return result
    try:
        try:
            result.schema_version = schema.current_version(con)
        except duckdb.Error as exc:
            result.tables["schema_version"] = TableHealth(error=first_line(exc))
        if result.schema_version is not None and result.schema_version > schema.LATEST_VERSION:
            raise DatabaseTooNew(path, result.schema_version, schema.LATEST_VERSION)
        for table in _tables(con):
            result.tables[table] = _scan(con, table)
        result.impossible_times = _count(con, "SELECT count(*) FROM executions WHERE NOT (started_at BETWEEN ? AND ?) "
                                              "OR NOT (ended_at BETWEEN ? AND ?) OR isnan(started_at) OR isnan(ended_at)",
                                         [EPOCH_MS_MIN, EPOCH_MS_MAX] * 2)
        result.sources_missing = _count(con, "SELECT count(*) FROM executions e WHERE NOT EXISTS "
                                             "(SELECT 1 FROM sources s WHERE s.sha256 = e.source_sha256)")
    finally:
        con.close()
    return result


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: Optional[list] = None) -> int:
    try:
        return int(con.execute(sql, params or []).fetchone()[0])
    except duckdb.Error:
        return 0


def _short(exc: BaseException, path: str) -> str:
    translated = as_store_error(exc, path)
    return getattr(translated, "detail", None) or first_line(exc)


# ------------------------------------------------------------------ repair
def repair(path: str, now: Optional[float] = None) -> RepairReport:
    """Salvage every readable row of the database at `path` into a fresh file that takes its place; the
    damaged file is kept beside it. Raises DatabaseLocked, DatabaseTooNew, DatabaseReadOnly."""
    path = os.path.abspath(path)
    before = check(path)
    folder = os.path.dirname(path)
    if not os.access(folder, os.W_OK):
        raise DatabaseReadOnly(path, "its folder cannot be written, so no repaired copy can be made there")
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now if now is not None else time.time()))
    fresh_path = f"{path}.repair-{stamp}.tmp"
    kept_at = f"{path}.damaged-{stamp}"
    for leftover in (fresh_path, f"{fresh_path}.wal"):
        if os.path.exists(leftover):
            os.remove(leftover)
    report = RepairReport(path, kept_at, before)
    fresh = StoreConnection.open(fresh_path, description="trackit doctor --repair")
    try:
        if before.opened:
            damaged = _connect_damaged(path)
            try:
                _salvage(damaged, fresh, report)
            finally:
                damaged.close()
    finally:
        fresh.close()
    os.replace(path, kept_at)
    if os.path.exists(f"{path}.wal"):
        os.replace(f"{path}.wal", f"{kept_at}.wal")
    os.replace(fresh_path, path)
    os.chmod(path, FILE_MODE)
    return report


def _salvage(damaged: duckdb.DuckDBPyConnection, fresh: StoreConnection, report: RepairReport) -> None:
    con = fresh.con
    for table in _tables(damaged):
        target = {name: kind for name, kind in _columns(con, table)}
        if not target:
            continue  # a table this TrackIT does not know (cannot happen below DatabaseTooNew)
        # `id` columns with a sequence default are renumbered in copy order (the sequences start afresh)
        skip = {"id"} if table in ("input_files", "summaries", "dead_letters") else set()

        def sink(columns: list[str], rows: list[list[Any]], table: str = table) -> None:
            keep = [i for i, c in enumerate(columns) if c in target and c not in skip]
            layout = tuple((columns[i], target[columns[i]]) for i in keep)
            insert_rows(con, table, layout, [[row[i] for i in keep] for row in rows])

        health = _scan(damaged, table, sink)
        report.saved[table] = health.readable + health.partial
        report.partial[table] = health.partial
        report.lost[table] = health.lost
    _restore_references(con)


def _restore_references(con: duckdb.DuckDBPyConnection) -> None:
    """Executions whose notebook or source row was lost still need one to be read back."""
    con.execute(
        """INSERT INTO sources (sha256, text, language, analysis_error)
           SELECT e.source_sha256, '', any_value(e.language), ? FROM executions e
           WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.sha256 = e.source_sha256) GROUP BY e.source_sha256""",
        [LOST_SOURCE])
    con.execute(
        """INSERT INTO notebooks (id, key, uri, path)
           SELECT DISTINCT e.notebook_id, 'repair:lost-notebook-' || e.notebook_id, 'repair:lost-notebook-' || e.notebook_id, NULL
           FROM executions e WHERE NOT EXISTS (SELECT 1 FROM notebooks n WHERE n.id = e.notebook_id)""")


def describe(report: RepairReport) -> str:
    """One paragraph for the user: what was saved, what was lost, where the damaged file is."""
    saved = report.saved.get("executions", 0)
    total = report.before.executions
    if not report.before.opened:
        return (f"{report.path} could not be opened ({report.before.open_error}): nothing in it was readable. "
                f"A fresh, empty database is in its place; the damaged file is kept at {report.kept_at}.")
    parts = [f"saved {saved} of {total} executions"]
    partial = report.partial.get("executions", 0)
    if partial:
        parts.append(f"{partial} of them without their outputs")
    others = [f"{report.saved[t]} {t}" for t in ("sources", "notebooks", "runtime_facts", "input_files", "summaries",
                                               "dead_letters") if report.saved.get(t)]
    lost = {t: n for t, n in report.lost.items() if n}
    text = f"repaired {report.path}: " + ", ".join(parts)
    if others:
        text += f" (and {', '.join(others)})"
    if lost:
        text += "; unreadable and lost: " + ", ".join(f"{n} {t} rows" for t, n in lost.items())
    return text + f". The damaged file is kept at {report.kept_at}."
