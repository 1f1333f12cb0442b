"""Compare: `trackit diff | hypothesis | hypotheses | ask`, thin over CompareService."""

from __future__ import annotations

import argparse
import functools
import json
from typing import Callable

from .common import EXIT_OK, CliError, add_db_option, notebook_arg, open_service, out


def _errors(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """An unknown or bad id, an impossible request: one line and exit code 2."""
    @functools.wraps(fn)
    def run(args: argparse.Namespace) -> int:
        from ..compare.service import HypothesisNotFound
        from ..experiments.service import ExperimentNotFound

        try:
            return fn(args)
        except (ExperimentNotFound, HypothesisNotFound, ValueError) as bad:
            raise CliError(str(bad).strip("'\"")) from None
    return run


def _dump(model) -> str:
    return json.dumps(model.model_dump(mode="json"), indent=2)


@_errors
def cmd_diff(args: argparse.Namespace) -> int:
    service = open_service(args)
    try:
        notebook = notebook_arg(args.notebook) if args.notebook else None
        result = service.compare.diff(args.a, args.b, notebook)
    finally:
        service.store.close()
    out(_dump(result) if args.json else result.text or "")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    sp = sub.add_parser("diff", help="what differs between two experiments (or runs), and the first step whose "
                                     "data diverged")
    sp.add_argument("a", metavar="A", help="an experiment (E0003), or a run of --notebook (run 2)")
    sp.add_argument("b", metavar="B")
    sp.add_argument("--notebook", metavar="NOTEBOOK", help="the notebook whose runs A and B are")
    add_db_option(sp)
    sp.add_argument("--json", action="store_true", help="the trackit.diff/1 document")
    sp.set_defaults(fn=cmd_diff)
