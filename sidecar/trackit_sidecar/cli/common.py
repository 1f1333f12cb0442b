"""What every `trackit` command shares: exit codes, CliError, the database path and option, opening
the service, notebook arguments, printing, logging."""

from __future__ import annotations

import argparse
import atexit
import functools
import gc
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from ..config import Settings, default_db_path
from ..render.words import counted

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_LOCKED = 0, 1, 2, 3  # EXIT_LOCKED: held by another process or read-only


class CliError(Exception):
    """One line for the user and the exit code; main() prints it as `trackit: <message>`."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT):
        super().__init__(message)
        self.code = code


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help=f"lineage database (default: $TRACKIT_DB or {default_db_path()})")


def db_path(args: argparse.Namespace) -> str:
    """The command's database path (the store creates missing folders, owner-only, when it writes)."""
    return str(Path(args.db).expanduser() if args.db else default_db_path())


def open_service(args: argparse.Namespace, read_only: bool = False):
    """The TrackitService over the command's database. A read-only open works on a read-only file or folder
    and migrates nothing; an older schema is then upgraded by a read-write open when the file allows it.
    Store errors reach main(), which prints them as one line (store_error_exit says the code)."""
    from ..services import TrackitService
    from ..store import DatabaseNeedsMigration, Store

    path = db_path(args)
    if read_only and not os.path.exists(path):
        raise CliError(f"no TrackIT database at {path} (nothing recorded yet: trackit run NOTEBOOK --db {path})")
    merge_waiting_spool(path)
    try:
        store = Store.open(path, read_only=read_only)
    except DatabaseNeedsMigration:
        store = Store.open(path)  # upgrade once; a read-only file says so (DatabaseReadOnly, exit 3)
    # A command reads once and exits: what it read is held until then, not let go and read again (the lineage
    # JSON's experiments read the whole document the lineage itself just read).
    return TrackitService(store, Settings(), sources_from_files=True, max_held_executions=sys.maxsize)


def merge_waiting_spool(path: str, quiet: bool = False) -> bool:
    """Merge captures another process spooled (`trackit run` while a sidecar owned the file) when their owner
    is gone: the owner merges them as they come, and a new sidecar when it starts, but a command that only
    reads would show the database without them. A file still owned, or not writable, is left as it is, with
    a note that they are not shown (returns False then)."""
    from ..services import TrackitService
    from ..store import DatabaseLocked, DatabaseReadOnly, Store, StoreError
    from ..store.spool_files import pending_files, spool_dir

    folder = spool_dir(os.path.abspath(path))
    waiting = pending_files(folder)
    if not waiting or not os.path.exists(path):
        return True
    try:
        store = Store.open(path)
    except (DatabaseLocked, DatabaseReadOnly) as cannot:
        if not quiet:
            print(f"note: {counted(len(waiting), 'spooled capture file')} in {folder} {'is' if len(waiting) == 1 else 'are'} not merged yet "
                  f"({cannot}); they are not shown", file=sys.stderr)
        return False
    except StoreError:
        return False  # the command's own open says what is wrong with the file
    try:
        TrackitService(store, Settings()).merge_spool()
    finally:
        store.close()
    return True


def open_service_to_read(args: argparse.Namespace):
    """For commands that read what is recorded but may store what they work out on the way (experiments
    found, a summary): read-write when the file allows it, else read-only, so they still answer on a
    read-only file or folder (what they would have stored is then not stored)."""
    from ..store import DatabaseReadOnly

    try:
        return open_service(args)
    except DatabaseReadOnly:
        return open_service(args, read_only=True)


@functools.cache
def _freeze_at_exit() -> None:
    """Registered once however many commands run in one process (tests call main() many times)."""
    atexit.register(gc.freeze)


@contextmanager
def without_cycle_collection():
    """For a command that reads many records and exits: the cyclic collector's passes over the records it builds
    (thousands of small objects, none of them garbage) were a fifth of reading a long notebook. Restored after,
    for whoever calls main() in-process. Nor does the interpreter's last collection, when the process exits, walk
    every object the imports made (the protocol's models, DuckDB's), to free nothing the exit would not free."""
    was_enabled = gc.isenabled()
    gc.disable()
    _freeze_at_exit()  # at exit only: an in-process caller's objects stay collectable
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def store_error_exit(error: Exception) -> int:
    """3 when the database cannot be used now (another process holds it, or it cannot be written);
    2 when the file itself is the problem (damaged, from a newer TrackIT, not a database)."""
    from ..store import DatabaseLocked, DatabaseReadOnly

    return EXIT_LOCKED if isinstance(error, (DatabaseLocked, DatabaseReadOnly)) else EXIT_BAD_INPUT


def store_error_line(error: Exception) -> str:
    from ..store import DatabaseLocked

    if isinstance(error, DatabaseLocked):
        return f"{error}. Close it (or use another --db) and try again."
    return str(error)


def notebook_arg(raw: str) -> str:
    """A notebook on the command line is a path; the store matches it against the editor's file URIs."""
    if "://" in raw:
        return raw
    return os.path.realpath(raw)


def check_notebook_file(path: str) -> None:
    from ..notebook_file import check_runnable, read_notebook

    check_runnable(read_notebook(path), path)  # raises NotebookError with a one-line reason


def out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def short_time(iso: str) -> str:
    return iso.replace("T", " ")[:19]


def setup_logging(log_file: Optional[str], level: int, to_stderr: bool = False) -> None:
    handlers: list[logging.Handler] = []
    log_file = log_file or os.environ.get("TRACKIT_LOG_FILE")
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    if to_stderr:  # the editor shows the sidecar's stderr in its log channel; stdout is the JSON-RPC pipe
        handlers.append(logging.StreamHandler(sys.stderr))
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for h in handlers:
        h.setFormatter(fmt)
        h.addFilter(_expected_errors_in_one_line)
    if to_stderr:  # the editor's log channel stamps each line itself: one timestamp per line
        handlers[-1].setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("pygls").setLevel(logging.WARNING)  # it logs every message body at INFO


def _expected_errors_in_one_line(record: logging.LogRecord) -> bool:
    """pygls logs every failed request with a traceback. A failure we raise on purpose (bad params, a
    damaged or held database) is one line: the traceback of an expected error only hides real ones."""
    from pygls.exceptions import JsonRpcException

    from ..store import StoreError

    error = record.exc_info[1] if record.exc_info else None
    if isinstance(error, (JsonRpcException, StoreError)):
        record.msg = f"{record.getMessage()}: {error}"
        record.args = ()
        record.exc_info = None
        record.exc_text = None
    return True
