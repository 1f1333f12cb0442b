"""What every `trackit` command shares: exit codes, CliError, the database path and option, opening
the service, notebook arguments, printing, logging."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Optional

from ..config import Settings, default_db_path

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_LOCKED = 0, 1, 2, 3


class CliError(Exception):
    """One line for the user and the exit code; main() prints it as `trackit: <message>`."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT):
        super().__init__(message)
        self.code = code


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help=f"lineage database (default: $TRACKIT_DB or {default_db_path()})")


def db_path(args: argparse.Namespace) -> str:
    path = Path(args.db).expanduser() if args.db else default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)


def open_service(args: argparse.Namespace):
    """The TrackitService over the command's database; CliError (exit 3) when another process holds it."""
    from ..services import TrackitService
    from ..store import DatabaseLocked, Store

    try:
        store = Store.open(db_path(args))
    except DatabaseLocked as locked:
        raise CliError(f"{locked}. Close it (or use another --db) and try again.", EXIT_LOCKED) from None
    return TrackitService(store, Settings(), sources_from_files=True)


def notebook_arg(raw: str) -> str:
    """A notebook on the command line is a path; the store matches it against the editor's file URIs."""
    if "://" in raw:
        return raw
    return os.path.realpath(raw)


def check_notebook_file(path: str) -> None:
    from ..notebook_file import read_notebook

    read_notebook(path)  # raises NotebookError with a one-line reason


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
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("pygls").setLevel(logging.WARNING)  # it logs every message body at INFO
