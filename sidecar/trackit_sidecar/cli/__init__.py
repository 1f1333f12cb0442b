"""`trackit`: the sidecar's command line. Thin over TrackitService, like the server.

One module per command group, each with `register(subparsers)`; adding a group is one module plus
one entry in COMMAND_GROUPS. Shared pieces (exit codes, CliError, --db, opening the service) are in
common.py.

Exit codes: 0 ok · 1 a cell failed / a provider failed · 2 bad input (not a notebook, no such file,
no kernel, a damaged or newer database) · 3 the database is held by another process or cannot be written.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Optional, Sequence

from .. import __version__
from . import compare, doctor, experiments, lineage, record, reproduce, summary
from .common import EXIT_BAD_INPUT, EXIT_LOCKED, CliError, setup_logging, store_error_exit, store_error_line

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a writer whose reader closed the pipe
COMMAND_GROUPS = (record, lineage, summary, experiments, reproduce, compare, doctor)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trackit", description="TrackIT: passive lineage for Jupyter notebooks.")
    parser.add_argument("--version", action="version", version=f"trackit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if not getattr(args, "logs_itself", False):  # `serve` sets up its own logging
        setup_logging(None, logging.WARNING)
    from ..notebook_file import NotebookError
    from ..store import StoreError

    try:
        return args.fn(args)
    except CliError as err:
        return _fail(str(err), err.code)
    except NotebookError as err:
        return _fail(str(err), EXIT_BAD_INPUT)
    except StoreError as err:  # damaged, read-only, held, newer: one line, never a traceback
        return _fail(store_error_line(err), store_error_exit(err))
    except FileNotFoundError as err:
        return _fail(f"no such file: {err.filename or err}", EXIT_BAD_INPUT)
    except PermissionError as err:
        return _fail(f"permission denied: {err.filename or err}", EXIT_LOCKED)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        # the reader went away (`trackit history NB | head`): stop quietly, as Unix tools do, and keep the
        # interpreter's final flush of stdout from printing its own error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as err:  # a folder given where a file goes (`--out DIR`), or the reverse, a full disk...
        return _fail(f"{err.strerror}: {err.filename}" if err.strerror and err.filename else str(err), EXIT_BAD_INPUT)


def _fail(message: str, code: int) -> int:
    """The one line a failing command prints (the editor shows the last `trackit:` line of a sidecar)."""
    sys.stderr.write(f"trackit: {message}\n")
    sys.stderr.flush()
    return code
