"""Reading lineage: `trackit lineage` (recorded), `trackit analyze` (static, not run), `trackit history`."""

from __future__ import annotations

import argparse
import os
from typing import Optional

from ..render.words import counted
from .common import (EXIT_OK, CliError, add_db_option, db_path, notebook_arg, open_service, out, short_time,
                     without_cycle_collection)

# Registering these commands imports nothing heavy: each command imports what it reads (`trackit --help` and
# every other command start without the protocol's models, the store or the renderer).


def register(sub: argparse._SubParsersAction) -> None:
    sp = sub.add_parser("lineage", help="the recorded lineage of a notebook, as a tree or JSON")
    sp.add_argument("notebook")
    add_db_option(sp)
    sp.add_argument("--json", action="store_true", help="the public lineage JSON (format trackit.lineage/1)")
    sp.set_defaults(fn=cmd_lineage)

    sp = sub.add_parser("analyze", help="static lineage of a notebook file, without running it")
    sp.add_argument("notebook")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=cmd_analyze)

    sp = sub.add_parser("history", help="every version of a cell that ran: when, how often, how it ended")
    sp.add_argument("notebook")
    add_db_option(sp)
    sp.add_argument("--cell", metavar="ID", help="a cell id, or the cell number the lineage tree shows (cell 10)")
    sp.set_defaults(fn=cmd_history)


def cmd_lineage(args: argparse.Namespace) -> int:
    with without_cycle_collection():  # the imports too: the protocol, DuckDB and the store make many objects
        _print_lineage(args)  # its records are freed when it returns: the collector, enabled again, has none to walk
    return EXIT_OK


def _print_lineage(args: argparse.Namespace) -> None:
    from ..render.tree import word_printed
    from .tree import render_tree

    service = open_service(args, read_only=True)
    try:
        # the JSON carries sessions[].stamp and experiments[]; the tree shows neither, nor the editor's words
        notebook = notebook_arg(args.notebook)
        doc = service.public_lineage(notebook) if args.json else service.lineage(notebook, words=False)
    finally:
        service.store.close()
    if not doc.executions:
        raise CliError(f"no executions recorded for {args.notebook} in {db_path(args)} (run it first: trackit run)")
    if args.json:
        write_json(doc)
    else:
        word_printed(doc.executions, {s.id: s.runtime_note for s in doc.sessions})
        out(render_tree(doc))


def write_json(doc) -> None:
    """The document as indented JSON, serialised by pydantic (the json module's indenting encoder, in Python, took
    longer than reading the document)."""
    out(doc.model_dump_json(indent=2))


def cmd_analyze(args: argparse.Namespace) -> int:
    from ..lineage.static_notebook import analyze_notebook
    from ..render.tree import label_document
    from .tree import render_tree

    doc = label_document(analyze_notebook(os.path.realpath(args.notebook)))  # lenient reader; errors: NotebookError
    if args.json:
        write_json(doc)
    else:
        out(render_tree(doc, static=True))
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    from .. import protocol as p

    service = open_service(args, read_only=True)
    try:
        doc = service.lineage(notebook_arg(args.notebook))
        hist = service.history(notebook_arg(args.notebook), args.cell)
        numbered = _cell_id_numbered(doc, args.cell) if args.cell and not hist.versions else None
        if numbered is not None:
            hist = service.history(notebook_arg(args.notebook), numbered)
    finally:
        service.store.close()
    if not hist.versions:
        raise CliError(f"no executions recorded for {args.notebook}" + (f" cell {args.cell}" if args.cell else ""))
    index_of = {e.cell_id: e.cell_index for e in doc.executions}
    by_cell: dict[str, list[p.CellVersion]] = {}
    for v in hist.versions:
        by_cell.setdefault(v.cell_id, []).append(v)
    for cell_id, versions in sorted(by_cell.items(), key=lambda kv: index_of.get(kv[0], 1 << 30)):
        idx = index_of.get(cell_id)
        out(f"cell {idx + 1 if idx is not None else '?'}  (id {cell_id}): {counted(len(versions), 'version')}")
        for n, v in enumerate(versions, 1):
            outcome = ", ".join(f"{k} {c}" for k, c in sorted(v.statuses.items()))
            out(f"  v{n} {v.source_sha256[:10]}  ran {v.runs}x  first {short_time(v.first_run_at)}  "
                f"last {short_time(v.last_run_at)}  ({outcome})")
            first = next((ln for ln in v.source.splitlines() if ln.strip()), "")
            out(f"      {first[:100]}")
    return EXIT_OK


def _cell_id_numbered(doc, cell: str) -> Optional[str]:
    """The id of the cell the tree calls `cell N` (`--cell 10`): the latest one run at that position."""
    if not cell.isdigit() or int(cell) < 1:
        return None
    at = [e for e in doc.executions if e.cell_index == int(cell) - 1]
    return at[-1].cell_id if at else None

