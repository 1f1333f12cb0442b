"""`trackit`: the sidecar's command line. Thin over TrackitService, like the server.

One module per command group, each with `register(subparsers)`; adding a group is one module plus
one entry in COMMAND_GROUPS. Shared pieces (exit codes, CliError, --db, opening the service) are in
common.py.

Exit codes: 0 ok · 1 a cell failed / a provider failed · 2 bad input (not a notebook, no such file,
no kernel) · 3 the database is held by another process.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Optional, Sequence

from .. import __version__
from . import compare, experiments, lineage, record, reproduce, summary
from .common import EXIT_BAD_INPUT, CliError, setup_logging

COMMAND_GROUPS = (record, lineage, summary, experiments, reproduce, compare)


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

    try:
        return args.fn(args)
    except CliError as err:
        sys.stderr.write(f"trackit: {err}\n")
        return err.code
    except NotebookError as err:
        sys.stderr.write(f"trackit: {err}\n")
        return EXIT_BAD_INPUT
    except FileNotFoundError as err:
        sys.stderr.write(f"trackit: no such file: {err.filename or err}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("trackit: interrupted\n")
        return 130
