"""Experiments: `trackit experiments | show | mark | name | reparent | export`, thin over ExperimentService."""

from __future__ import annotations

import argparse
import functools
import json
from typing import Callable

from .common import EXIT_FAILED, EXIT_OK, CliError, add_db_option, notebook_arg, open_service, open_service_to_read, out


def _errors(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """An unknown id, a bad id or an impossible parent is one line and exit code 2."""
    @functools.wraps(fn)
    def run(args: argparse.Namespace) -> int:
        from ..experiments.service import ExperimentNotFound

        try:
            return fn(args)
        except (ExperimentNotFound, ValueError) as bad:
            raise CliError(str(bad).strip("'\"")) from None
    return run


@_errors
def cmd_experiments(args: argparse.Namespace) -> int:
    from ..render.experiments import table

    service = open_service_to_read(args)
    try:
        listing = service.experiments.experiments(notebook_arg(args.notebook))
    finally:
        service.store.close()
    if args.json:
        out(json.dumps(listing.model_dump(mode="json"), indent=2))
    elif not listing.experiments:
        out(f"no experiments recorded for {args.notebook} (a cell that evaluates a model makes one; "
                   "or mark one: trackit mark)")
    else:
        out(table(listing.experiments))
    return EXIT_OK


@_errors
def cmd_show(args: argparse.Namespace) -> int:
    from ..render.experiments import show

    service = open_service_to_read(args)
    try:
        experiment = service.experiments.experiment(args.experiment)
        if args.notebook is not None:  # `trackit show NOTEBOOK E0003`, as `trackit experiments NOTEBOOK` lists them
            listed = [e.id for e in service.experiments.experiments(notebook_arg(args.notebook)).experiments]
            if experiment.id not in listed:
                theirs = f"its experiments are {', '.join(listed)}" if listed else "it has no experiment"
                raise CliError(f"{experiment.id} is not an experiment of {args.notebook} ({theirs})")
    finally:
        service.store.close()
    out(json.dumps(experiment.model_dump(mode="json"), indent=2) if args.json else show(experiment))
    return EXIT_OK


@_errors
def cmd_mark(args: argparse.Namespace) -> int:
    service = open_service(args)
    try:
        marked = service.experiments.mark(notebook_arg(args.notebook), cell_id=args.cell, seq=args.seq,
                                          name=args.name)
    finally:
        service.store.close()
    out(f"{marked.id}: execution #{marked.seq} (cell {marked.cell_index + 1}) is an experiment")
    return EXIT_OK


@_errors
def cmd_name(args: argparse.Namespace) -> int:
    if args.name is None and args.notes is None:
        raise CliError("give a name, --notes, or both")
    service = open_service(args)
    try:
        named = service.experiments.name(args.experiment, args.name, args.notes)
    finally:
        service.store.close()
    out(f"{named.id}: {named.name or '(no name)'}")
    return EXIT_OK


@_errors
def cmd_reparent(args: argparse.Namespace) -> int:
    parent = None if args.parent.lower() in ("none", "root", "-") else args.parent
    service = open_service(args)
    try:
        moved = service.experiments.reparent(args.experiment, parent)
    finally:
        service.store.close()
    out(f"{moved.id}: parent {moved.parent or '(none: a root)'}")
    return EXIT_OK


@_errors
def cmd_export(args: argparse.Namespace) -> int:
    service = open_service_to_read(args)
    try:
        result = service.experiments.export(args.experiment, args.format, args.out, include_all=args.all)
    finally:
        service.store.close()
    for path in result.written:
        out(f"wrote {path}")
    for path in result.unchanged:
        out(f"unchanged {path}")
    for path in result.kept:
        out(f"kept {path}: it exists with other contents and is never overwritten")
    return EXIT_FAILED if result.kept and not result.written and not result.unchanged else EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    db_opt = add_db_option
    sp = sub.add_parser("experiments", help="every experiment of a notebook: metric, parent, what changed")
    sp.add_argument("notebook")
    db_opt(sp)
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=cmd_experiments)

    sp = sub.add_parser("show", help="everything recorded about one experiment (E0007)")
    # ids are unique in the database, so the notebook is optional: given, it is checked
    sp.add_argument("notebook", nargs="?", metavar="NOTEBOOK", help="the notebook the experiment is of (checked)")
    sp.add_argument("experiment", metavar="EXPERIMENT")
    db_opt(sp)
    sp.add_argument("--json", action="store_true", help="the trackit.experiment/1 document")
    sp.set_defaults(fn=cmd_show)

    sp = sub.add_parser("mark", help="mark an execution as an experiment")
    sp.add_argument("notebook")
    which = sp.add_mutually_exclusive_group(required=True)
    which.add_argument("--cell", metavar="ID", help="the cell's latest execution (a cell id, or the number the tree shows)")
    which.add_argument("--seq", type=int, metavar="N", help="execution #N (trackit lineage shows them)")
    sp.add_argument("--name")
    db_opt(sp)
    sp.set_defaults(fn=cmd_mark)

    sp = sub.add_parser("name", help="name an experiment and/or keep notes on it")
    sp.add_argument("experiment", metavar="EXPERIMENT")
    sp.add_argument("name", nargs="?")
    sp.add_argument("--notes")
    db_opt(sp)
    sp.set_defaults(fn=cmd_name)

    sp = sub.add_parser("reparent", help="set an experiment's parent by hand (or 'none')")
    sp.add_argument("experiment", metavar="EXPERIMENT")
    sp.add_argument("parent", metavar="PARENT")
    db_opt(sp)
    sp.set_defaults(fn=cmd_reparent)

    sp = sub.add_parser("export", help="write an experiment as an mtrack run folder or a JSON document")
    sp.add_argument("experiment", metavar="EXPERIMENT")
    sp.add_argument("--all", action="store_true", help="every experiment of the same notebook")
    sp.add_argument("--format", choices=["mtrack", "json"], default="mtrack")
    sp.add_argument("--out", required=True, metavar="DIR")
    db_opt(sp)
    sp.set_defaults(fn=cmd_export)
