"""The database file's lifecycle: open (create, migrate, lock + owner file), guard, close.

One DuckDB connection per Store, guarded by a lock: the server's writer and request handlers may
call from different threads and a DuckDB connection is not safe to share unguarded. Errors on open
become the store's own (errors.py), each naming what happened and what to do.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import duckdb

from . import lock, schema
from .errors import DatabaseLocked, DatabaseNeedsMigration, DatabaseTooNew, StoreError

MEMORY = ":memory:"


class StoreConnection:
    """An open TrackIT database: the DuckDB connection, its lock and what the file may be used for."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Optional[str], read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only
        self.lock = threading.RLock()
        self.closed = False
        self._owns_file = path is not None and not read_only

    @classmethod
    def open(
        cls, path: Optional[str | os.PathLike[str]], read_only: bool = False, description: str = "trackit"
    ) -> "StoreConnection":
        """Open (creating and migrating as needed) the database at `path`; None or ":memory:" is in-memory.

        Raises DatabaseLocked when another process holds the file, DatabaseTooNew when a newer
        TrackIT wrote it, DatabaseNeedsMigration for a read-only open of an older schema.
        `description` goes into `<db>.owner.json` so a locked-out process can say who holds it.
        """
        if path is None or os.fspath(path) == MEMORY:
            con = duckdb.connect(MEMORY)
            schema.migrate(con, 0, time.time())
            return cls(con, None, False)

        db_path = os.path.abspath(os.fspath(path))
        if read_only and not os.path.exists(db_path):
            raise FileNotFoundError(f"no TrackIT database at {db_path}")
        if not read_only:
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(db_path, read_only=read_only)
        except duckdb.IOException as exc:
            conflict = lock.parse_lock_error(str(exc))
            if conflict is None:
                raise StoreError(f"cannot open {db_path}: {exc}") from exc
            raise DatabaseLocked(db_path, conflict.pid, lock.describe_holder(conflict, lock.read_owner(db_path))) from None
        except duckdb.Error as exc:
            raise StoreError(f"{db_path} is not a readable DuckDB database: {exc}") from exc

        try:
            found = schema.current_version(con)
            if found > schema.LATEST_VERSION:
                raise DatabaseTooNew(db_path, found, schema.LATEST_VERSION)
            if found < schema.LATEST_VERSION:
                if read_only:
                    raise DatabaseNeedsMigration(db_path, found, schema.LATEST_VERSION)
                schema.migrate(con, found, time.time())
        except BaseException:
            con.close()
            raise
        if not read_only:
            lock.write_owner(db_path, description)
        return cls(con, db_path, read_only)

    def close(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
            self.con.close()
            if self._owns_file and self.path is not None:
                lock.remove_owner(self.path)

    @property
    def mode(self) -> str:
        if self.path is None:
            return "memory"
        return "read_only" if self.read_only else "owner"

    def schema_version(self) -> int:
        with self.lock:
            return schema.current_version(self.con)

    def check_writable(self) -> None:
        if self.closed:
            raise StoreError("the store is closed")
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Hold the lock, check the store takes writes, and commit what the block did (or roll it back)."""
        with self.lock:
            self.check_writable()
            self.con.execute("BEGIN TRANSACTION")
            try:
                yield self.con
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
