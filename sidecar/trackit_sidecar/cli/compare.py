"""Compare: `trackit diff | hypothesis | hypotheses | ask`, thin over CompareService."""

from __future__ import annotations

import argparse
import functools
import json
from typing import Callable

from .common import EXIT_OK, CliError, add_db_option, notebook_arg, open_service, open_service_to_read, out


def _errors(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """An unknown or bad id, an impossible request: one line and exit code 2."""
    @functools.wraps(fn)
    def run(args: argparse.Namespace) -> int:
        from ..compare.service import HypothesisNotFound
        from ..experiments.service import ExperimentNotFound

        try:
            return fn(args)
        except (ExperimentNotFound, HypothesisNotFound, ValueError) as bad:
            text = str(bad)  # a KeyError's message comes quoted: unquote it, and only then
            raise CliError(text[1:-1] if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"" else text) from None
    return run


def _dump(model) -> str:
    return json.dumps(model.model_dump(mode="json"), indent=2)


@_errors
def cmd_diff(args: argparse.Namespace) -> int:
    service = open_service_to_read(args)
    try:
        notebook = notebook_arg(args.notebook) if args.notebook else None
        result = service.compare.diff(args.a, args.b, notebook)
    finally:
        service.store.close()
    out(_dump(result) if args.json else result.text or "")
    return EXIT_OK


@_errors
def cmd_ask(args: argparse.Namespace) -> int:
    import sys

    from .summary import provider_options

    service = open_service_to_read(args)
    try:
        try:
            result = service.compare.ask(notebook_arg(args.notebook), args.question, args.provider,
                                         provider_options(args.option), dry_run=args.dry_run)
        except LookupError as missing:
            raise CliError(str(missing)) from None
    finally:
        service.store.close()
    if args.json:
        out(_dump(result))
        return EXIT_OK
    if args.dry_run:
        out(result.prompt if result.prompt is not None else
            "The built-in answerer runs on this machine; nothing would be sent. Its answer:\n\n" + result.answer)
        return EXIT_OK
    for warning in result.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    out(result.answer)
    return EXIT_OK


DIRECTIONS = {"max": "higher", "min": "lower", "higher": "higher", "lower": "lower"}


def _thresholds(args: argparse.Namespace, current=None):
    """The hypothesis' thresholds with the options given on the command line applied."""
    from ..protocol import HypothesisThresholds

    base = current or HypothesisThresholds()
    changes = {key: getattr(args, key) for key in ("min_effect", "min_abs_effect", "min_confidence", "min_evidence")
               if getattr(args, key, None) is not None}
    return base.model_copy(update=changes)


def _show_hypothesis(args: argparse.Namespace, hypothesis) -> None:
    from ..render.hypotheses import show

    out(_dump(hypothesis) if getattr(args, "json", False) else show(hypothesis))


@_errors
def cmd_hypothesis(args: argparse.Namespace) -> int:
    service = open_service(args)
    try:
        compare = service.compare
        if args.action == "add":
            result = compare.add_hypothesis(args.statement, args.metric, DIRECTIONS.get(args.direction or ""),
                                            args.baseline, _thresholds(args))
        elif args.action == "link":
            result = compare.link(args.hypothesis, args.experiments, unlink=args.unlink)
        elif args.action == "status":
            if args.clear == (args.status is not None):
                raise CliError("give a status (proposed, testing, supported, refuted, inconclusive) or --clear")
            result = compare.set_status(args.hypothesis, None if args.clear else args.status, args.note)
        elif args.action == "set":
            result = compare.set_thresholds(args.hypothesis, _thresholds(args, compare.hypothesis(args.hypothesis).thresholds))
        else:
            result = compare.hypothesis(args.hypothesis)
    finally:
        service.store.close()
    _show_hypothesis(args, result)
    return EXIT_OK


@_errors
def cmd_hypotheses(args: argparse.Namespace) -> int:
    from ..render.hypotheses import table

    service = open_service_to_read(args)
    try:
        listing = service.compare.hypotheses(notebook_arg(args.notebook) if args.notebook else None)
    finally:
        service.store.close()
    if args.json:
        out(_dump(listing))
    elif not listing.hypotheses:
        out('no hypotheses yet (trackit hypothesis add "median imputation beats dropping rows" --metric accuracy)')
    else:
        out(table(listing.hypotheses))
    return EXIT_OK


def _threshold_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-effect", type=float, metavar="F",
                        help="smallest difference that counts, as a fraction of the baseline (default 0.01)")
    parser.add_argument("--min-abs-effect", type=float, metavar="X", help="or as an absolute difference")
    parser.add_argument("--min-confidence", choices=["low", "medium", "high"],
                        help="evidence below this decides nothing (default medium)")
    parser.add_argument("--min-evidence", type=int, metavar="N", help="deciding pieces needed (default 1)")


def register(sub: argparse._SubParsersAction) -> None:
    sp = sub.add_parser("diff", help="what differs between two experiments (or runs), and the first step whose "
                                     "data diverged")
    sp.add_argument("a", metavar="A", help="an experiment (E0003), or a run of --notebook (run 2)")
    sp.add_argument("b", metavar="B")
    sp.add_argument("--notebook", metavar="NOTEBOOK", help="the notebook whose runs A and B are")
    add_db_option(sp)
    sp.add_argument("--json", action="store_true", help="the trackit.diff/1 document")
    sp.set_defaults(fn=cmd_diff)

    sp = sub.add_parser("hypothesis", help="add a hypothesis, link experiments to it, set its status or thresholds")
    actions = sp.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help='trackit hypothesis add "median imputation beats dropping rows" --metric accuracy')
    add.add_argument("statement")
    add.add_argument("--metric", required=True)
    add.add_argument("--direction", choices=sorted(DIRECTIONS), help="max: higher is better, min: lower is better "
                                                                     "(default: from the metric's name)")
    add.add_argument("--baseline", default="parent", help="parent (default), root, best, or an experiment (E0003)")
    _threshold_options(add)
    link = actions.add_parser("link", help="trackit hypothesis link H2 E0007 E0008")
    link.add_argument("hypothesis", metavar="HYPOTHESIS")
    link.add_argument("experiments", metavar="EXPERIMENT", nargs="+")
    link.add_argument("--unlink", action="store_true", help="remove these links instead")
    status = actions.add_parser("status", help="set the status by hand (recorded as such), or --clear it")
    status.add_argument("hypothesis", metavar="HYPOTHESIS")
    status.add_argument("status", nargs="?", choices=["proposed", "testing", "supported", "refuted", "inconclusive"])
    status.add_argument("--note", help="why (kept with the override)")
    status.add_argument("--clear", action="store_true", help="let the evidence decide again")
    setter = actions.add_parser("set", help="change the thresholds the status is computed with")
    setter.add_argument("hypothesis", metavar="HYPOTHESIS")
    _threshold_options(setter)
    show = actions.add_parser("show", help="one hypothesis with its evidence")
    show.add_argument("hypothesis", metavar="HYPOTHESIS")
    for parser in (add, link, status, setter, show):
        add_db_option(parser)
        parser.add_argument("--json", action="store_true", help="the hypothesis as JSON")
    sp.set_defaults(fn=cmd_hypothesis)

    sp = sub.add_parser("hypotheses", help="every hypothesis with its status and evidence")
    sp.add_argument("--notebook", metavar="NOTEBOOK", help="only those linked to this notebook's experiments")
    add_db_option(sp)
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=cmd_hypotheses)

    sp = sub.add_parser("ask", help='ask the history a question: trackit ask NOTEBOOK "why did accuracy drop?"')
    sp.add_argument("notebook")
    sp.add_argument("question")
    add_db_option(sp)
    sp.add_argument("--provider", choices=["builtin", "bedrock", "ollama", "openai"],
                    help="an LLM answers from the retrieved records (redacted); default: the built-in answerer")
    sp.add_argument("-o", "--option", action="append", metavar="KEY=VALUE", help="provider option (as for summarize)")
    sp.add_argument("--dry-run", action="store_true", help="print exactly what would be sent; send nothing")
    sp.add_argument("--json", action="store_true", help="the answer with its citations and retrieved records")
    sp.set_defaults(fn=cmd_ask)
