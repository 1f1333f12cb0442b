"""Errors the store raises; each message says what happened and what to do."""

from __future__ import annotations

from typing import Optional


class StoreError(Exception):
    """Base for every store error."""


class DatabaseLocked(StoreError):
    """Another process holds the database file (DuckDB allows one read-write process)."""

    def __init__(self, path: str, holder_pid: Optional[int], holder_description: Optional[str]) -> None:
        self.path = path
        self.holder_pid = holder_pid
        self.holder_description = holder_description
        who = f"PID {holder_pid}" if holder_pid is not None else "another process"
        what = f" ({holder_description})" if holder_description else ""
        super().__init__(f"database is held by {who}{what}: {path}")


class DatabaseTooNew(StoreError):
    """The file was written by a newer TrackIT; opening it could corrupt it."""

    def __init__(self, path: str, found: int, supported: int) -> None:
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(
            f"{path} has schema version {found}, this TrackIT supports up to {supported}: "
            "upgrade TrackIT to read it"
        )


class DatabaseNeedsMigration(StoreError):
    """A read-only open found an older schema, which only a read-write open may upgrade."""

    def __init__(self, path: str, found: int, latest: int) -> None:
        self.path = path
        self.found = found
        self.latest = latest
        super().__init__(
            f"{path} has schema version {found} (latest {latest}); open it read-write once to upgrade it"
        )


class UnknownEvent(StoreError, LookupError):
    """Facts were attached to an event_id the store has never ingested."""

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        super().__init__(f"no execution with event_id {event_id!r} is stored; ingest it first")


class DatabaseDamaged(StoreError):
    """The file cannot be read as a TrackIT database: truncated, a corrupt block, not a DuckDB file.
    `trackit doctor --repair` salvages what is readable into a fresh file."""

    def __init__(self, path: Optional[str], detail: str) -> None:
        self.path = path
        self.detail = detail
        where = path or "the database"
        super().__init__(f"{where} is damaged ({detail}); repair it with: trackit doctor --repair --db {where}")


class DatabaseReadOnly(StoreError):
    """The file or its folder cannot be written; reading it still works."""

    def __init__(self, path: Optional[str], detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"{path or 'the database'} cannot be written ({detail}); "
                         "read-only commands still work, or choose a writable database path")


class DatabaseUnavailable(StoreError):
    """Any other failure of the database itself (disk full, out of memory, interrupted): not the data's fault."""

    def __init__(self, path: Optional[str], detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"{path or 'the database'} failed: {detail}")


class RejectedData(StoreError):
    """The database refused a value (out of range, not encodable): the record's fault, not the database's."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"the database refused a value: {detail}")


def first_line(exc: BaseException, limit: int = 300) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
