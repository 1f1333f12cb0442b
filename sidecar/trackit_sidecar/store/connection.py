"""The database file's lifecycle: open (create, migrate, lock + owner file), guard, close.

One DuckDB connection per Store, guarded by a lock: the server's writer and request handlers may
call from different threads and a DuckDB connection is not safe to share unguarded. The lock is also
where DuckDB's errors become the store's own (errors.py), each naming what happened and what to do:
a damaged file, a read-only one, a failing disk, or a value the database refused (`as_store_error`).

Files: a new database (and the WAL beside it) is readable by its owner only (0600), in a folder
created 0700; an existing database readable by others is used, with a warning in the log.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import duckdb

from . import lock, schema
from ..memory import release_freed
from .memory_limit import LimitedConnection, MemoryLimit
from .errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseNeedsMigration,
    DatabaseReadOnly,
    DatabaseTooNew,
    DatabaseUnavailable,
    RejectedData,
    StoreError,
    first_line,
)

MEMORY = ":memory:"
# reopening the database (`reopen`): another process that took the file meanwhile (a command run then) is waited for
# this long, REOPEN_RETRY_S apart, before it is left the owner
REOPEN_WAIT_S, REOPEN_RETRY_S = 5.0, 0.05
FILE_MODE = 0o600
FOLDER_MODE = 0o700

log = logging.getLogger("trackit.store")

# DuckDB errors caused by one value in one record; the database itself is fine.
_DATA_ERRORS = (duckdb.ConversionException, duckdb.OutOfRangeException, duckdb.ConstraintException,
                duckdb.TypeMismatchException, duckdb.InvalidTypeException, duckdb.InvalidInputException)
_DUCKDB_PREFIX = re.compile(r"^(?:[A-Z][A-Za-z ]*?)?Error: ")  # "IO Error: ", "Invalid Input Error: "
_READ_ONLY_SIGNS = ("permission denied", "operation not permitted", "read-only file system", "read only",
                    "read-only mode")
_DAMAGE_SIGNS = ("corrupt", "not a valid duckdb database", "could not read enough bytes", "checksum",
                 "invalidated", "serializ", "failed to read", "invalid block")


def as_store_error(exc: BaseException, path: Optional[str]) -> Optional[StoreError]:
    """The store error a DuckDB error means, or None for anything that is not a DuckDB error."""
    if isinstance(exc, StoreError) or not isinstance(exc, duckdb.Error):
        return None
    detail = _DUCKDB_PREFIX.sub("", first_line(exc))
    if path:
        for named in (f'The file "{path}"', f'file "{path}"', f'"{path}"', path):
            detail = detail.replace(named, "the file")
    lowered = detail.lower()
    if isinstance(exc, _DATA_ERRORS) and "invalidated" not in lowered:
        return RejectedData(detail)
    if any(sign in lowered for sign in _READ_ONLY_SIGNS):
        return DatabaseReadOnly(path, detail)
    if isinstance(exc, (duckdb.CatalogException, duckdb.SerializationException, duckdb.InternalException,
                        duckdb.FatalException)) or any(sign in lowered for sign in _DAMAGE_SIGNS):
        return DatabaseDamaged(path, detail)
    return DatabaseUnavailable(path, detail)


class DatabaseAccess:
    """The connection's lock (re-entrant). Leaving it with a DuckDB error raises the store error it means,
    so no caller above store/ ever sees a DuckDB exception. `on_release` runs as the outermost holder lets go."""

    def __init__(self, path: Optional[str]) -> None:
        self._lock = threading.RLock()
        self._path = path
        self._depth = 0
        self.on_release: Optional[Callable[[], None]] = None

    def __enter__(self) -> "DatabaseAccess":
        self._lock.acquire()
        self._depth += 1
        return self

    def __exit__(self, exc_type: Any, exc: Optional[BaseException], tb: Any) -> None:
        self._depth -= 1
        try:
            if self._depth == 0 and self.on_release is not None:
                self.on_release()
        finally:
            self._lock.release()
        translated = as_store_error(exc, self._path) if exc is not None else None
        if translated is not None:
            raise translated from exc


class StoreConnection:
    """An open TrackIT database: the DuckDB connection, its lock and what the file may be used for."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Optional[str], read_only: bool) -> None:
        self._con = con
        self.path = path
        self.read_only = read_only
        self.lock = DatabaseAccess(path)
        self.closed = False
        self._owns_file = path is not None and not read_only
        self._memory: Optional[MemoryLimit] = None  # DuckDB's memory bounded (limit_memory)
        self._limited: Optional[LimitedConnection] = None  # _con seen through it
        self._in_transaction = False
        self.reopen_failed: Optional[StoreError] = None  # why the last reopen left the database closed (reopen)

    @property
    def con(self) -> Any:
        """The DuckDB connection (use it holding `lock`; bounded: seen through its MemoryLimit)."""
        if self._memory is None:
            return self._con
        if self._limited is None:
            self._limited = LimitedConnection(self._con, self._memory, lambda: self._in_transaction)
        return self._limited

    @con.setter
    def con(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con, self._limited = con, None

    def limit_memory(self) -> bool:
        """Bound DuckDB's memory for this file (memory_limit.py): for the sidecar, which lives as long as the editor.
        False for an in-memory or read-only store (its data has nowhere else to be / it is a short command)."""
        with self.lock:
            if self.path is None or self.read_only or self.closed:
                return False
            self._memory = MemoryLimit(f"{self.path}.wal")
            self._memory.apply(self.con)
            self._limited = None
            self.lock.on_release = self._settle_memory
            return True

    def memory_bounded(self) -> bool:
        """Whether DuckDB's memory is under the bound now (limit_memory, and not raised)."""
        return self._memory is not None and not self._memory.raised

    def raise_memory_limit(self) -> None:
        """DuckDB's own limit until the lock is let go (memory_limit.retried_out_of_memory)."""
        with self.lock:
            if self._memory is not None:
                self._memory.raise_limit(self._con)

    def vacuum_owed(self) -> bool:
        """Whether checkpoints ran without their vacuum since the last one that vacuumed (memory_limit.py)."""
        return self._memory is not None and self._memory.vacuum_owed

    def vacuum(self) -> bool:
        """The vacuum the checkpoints owe, in one checkpoint: for when the sidecar is quiet. Whether it ran."""
        with self.lock:
            if self._memory is None or self.closed:
                return False
            return self._memory.vacuum(self._con)

    def reopen_worth(self) -> bool:
        """Whether reopening the database would give back C heap DuckDB keeps until it closes (memory_limit.py)."""
        return self._memory is not None and not self.closed and self._memory.reopen_worth()

    def reopen(self) -> None:
        """Close the database and open it again, giving back the C heap DuckDB kept for the queries run (memory_limit.py);
        for when the sidecar is quiet (no transaction open). What the bound and the owed vacuum were stays. The file is
        unlocked for a moment: a process that opens it then (a command) is waited for REOPEN_WAIT_S; if it still holds
        it, DatabaseLocked, and this store is closed (the server then spools, as when another process owned the file
        first). Opening it again failing for another reason leaves the store closed too, with the error kept in
        `reopen_failed`: called again then, only the opening is tried again (the server does, backing off)."""
        with self.lock:
            if self._memory is None or self.path is None or (self.closed and self.reopen_failed is None):
                return
            started = time.monotonic()
            if not self.closed:
                self._memory.raise_limit(self._con)  # DuckDB checkpoints as it closes: not under the bound
                self._con.close()
                release_freed()
            deadline = time.monotonic() + REOPEN_WAIT_S
            while True:
                try:
                    con = duckdb.connect(self.path)
                    break
                except duckdb.Error as exc:
                    conflict = lock.parse_lock_error(str(exc))
                    if conflict is None or time.monotonic() >= deadline:
                        self.closed = True
                        if conflict is not None:
                            raise DatabaseLocked(self.path, conflict.pid,
                                                 lock.describe_holder(conflict, lock.read_owner(self.path))) from None
                        self.reopen_failed = as_store_error(exc, self.path) or StoreError(f"cannot open {self.path}: {exc}")
                        raise self.reopen_failed from exc
                    time.sleep(REOPEN_RETRY_S)
            self.con = con
            self.closed, self.reopen_failed = False, None
            self._memory.apply(con)
            log.info("reopened %s in %.0f ms (giving back the heap DuckDB kept)", os.path.basename(self.path),
                     (time.monotonic() - started) * 1000)

    def _settle_memory(self) -> None:
        if self._memory is not None and not self.closed:
            self._memory.settle(self._con)

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
        created = not os.path.exists(db_path)
        if not read_only:
            try:
                _make_private_folder(Path(db_path).parent)
            except PermissionError as exc:
                raise DatabaseReadOnly(db_path, f"cannot create its folder: {exc.strerror}: {exc.filename}") from None
        try:
            con = duckdb.connect(db_path, read_only=read_only)
        except duckdb.Error as exc:
            conflict = lock.parse_lock_error(str(exc))
            if conflict is not None:
                raise DatabaseLocked(db_path, conflict.pid,
                                     lock.describe_holder(conflict, lock.read_owner(db_path))) from None
            raise as_store_error(exc, db_path) or StoreError(f"cannot open {db_path}: {exc}") from exc
        if created:
            _restrict(db_path)
        else:
            _warn_if_shared(db_path)

        try:
            found = schema.current_version(con)
            if found > schema.LATEST_VERSION:
                raise DatabaseTooNew(db_path, found, schema.LATEST_VERSION)
            if found < schema.LATEST_VERSION:
                if read_only:
                    raise DatabaseNeedsMigration(db_path, found, schema.LATEST_VERSION)
                schema.migrate(con, found, time.time())
            if not read_only:
                lock.write_owner(db_path, description)
        except BaseException as exc:
            con.close()
            if isinstance(exc, PermissionError):
                raise DatabaseReadOnly(db_path, f"cannot write beside it: {exc.strerror}: {exc.filename}") from None
            translated = as_store_error(exc, db_path)
            if translated is not None:
                raise translated from exc
            raise
        _restrict(f"{db_path}.wal")
        return cls(con, db_path, read_only)

    def close(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
            if self._memory is not None:  # DuckDB checkpoints as it closes: not under the bound (memory_limit.py)
                try:
                    self._memory.raise_limit(self._con)
                    self._memory.vacuum_as_it_closes(self._con)
                except duckdb.Error:
                    pass  # closed all the same; what the WAL holds is read back at the next open
            self._con.close()
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
            raise StoreError(str(self.reopen_failed) if self.reopen_failed else "the store is closed")
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Hold the lock, check the store takes writes, and commit what the block did (or roll it back)."""
        with self.lock:
            self.check_writable()
            self.con.execute("BEGIN TRANSACTION")
            self._in_transaction = True
            try:
                yield self.con
                if self._memory is not None:  # what a transaction did is committed, or rolled back, past the bound
                    self._memory.raise_limit(self._con)
                self.con.execute("COMMIT")
            except BaseException:
                if self._memory is not None:
                    try:
                        self._memory.raise_limit_beside(self._con)
                    except duckdb.Error:
                        pass  # rolled back under the bound, then; the first error is the one to report
                try:
                    self.con.execute("ROLLBACK")
                except duckdb.Error:
                    pass  # a failed COMMIT has already ended the transaction; the first error is the one to report
                raise
            finally:
                self._in_transaction = False
            if self.path is not None:
                _restrict(f"{self.path}.wal")  # DuckDB creates the WAL with the process umask


def _make_private_folder(folder: Path) -> None:
    """Create missing folders readable by their owner only; an existing folder is left as it is."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            pass


def _restrict(path: str) -> None:
    """Make a file we created owner-only (no-op when it is already, or gone)."""
    try:
        mode = os.stat(path).st_mode
        if mode & 0o077:
            os.chmod(path, stat.S_IMODE(mode) & FILE_MODE)
    except OSError:
        pass


def _warn_if_shared(path: str) -> None:
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return
    if mode & 0o044:
        log.warning("%s is readable by other users (mode %04o); run: chmod 600 %s", path, mode, path)
