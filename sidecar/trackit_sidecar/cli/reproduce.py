"""Reproducing a result: `trackit gather` (the code that made it), `trackit replay` (run it in a fresh kernel,
`--verify` compares with the recording), `trackit env` (the package pins to restore its environment).

Exit codes: gather/env 0 ok, 2 bad input; replay 0 reproduced (or, without --verify, every cell ran),
1 not reproduced (or a cell failed), 2 bad input; 3 the database is held by another process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..render.words import counted
from .common import (EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, CliError, add_db_option, db_path, notebook_arg,
                     open_service_to_read, out)


def register(sub: argparse._SubParsersAction) -> None:
    sp = sub.add_parser("gather", help="the minimal code that recomputes a variable (or run, or experiment) as it ran")
    sp.add_argument("notebook")
    sp.add_argument("target", metavar="VARIABLE|E####|#N",
                    help="a variable, a run (#12), or an experiment (its own notebook and run)")
    sp.add_argument("--seq", type=int, metavar="N", help="the variable's value after run #N (default: its last writer)")
    add_db_option(sp)
    sp.add_argument("-o", "--out", metavar="OUT.ipynb|OUT.py", help="write a notebook or a script (default: print the script)")
    sp.add_argument("--no-env", action="store_true", help="do not list the kernel's packages into the notebook")
    sp.set_defaults(fn=cmd_gather)

    sp = sub.add_parser("replay", help="run a gathered notebook in a fresh kernel; --verify compares it with the recording")
    sp.add_argument("gathered", metavar="GATHERED.ipynb")
    sp.add_argument("--verify", action="store_true", help="compare every step with the recording (exit 0 reproduced, 1 not)")
    sp.add_argument("--kernel", metavar="NAME", help="kernel spec (default: the recorded one when installed, else python3)")
    sp.add_argument("--timeout", type=float, default=600, metavar="S", help="per-cell timeout in seconds")
    sp.add_argument("--json", action="store_true", help="print the verification as JSON (protocol VerifyResult)")
    add_db_option(sp)
    sp.set_defaults(fn=cmd_replay)

    sp = sub.add_parser("env", help="package pins of a run: requirements.txt or a conda environment")
    sp.add_argument("target", metavar="E####|GATHERED.ipynb|NOTEBOOK")
    sp.add_argument("--format", choices=["requirements", "conda"], default="requirements")
    sp.add_argument("-o", "--out", metavar="FILE")
    add_db_option(sp)
    sp.set_defaults(fn=cmd_env)


# ---------------------------------------------------------------- gather
def cmd_gather(args: argparse.Namespace) -> int:
    from ..reproduce import service as reproduce
    from ..reproduce.document import to_script
    from ..reproduce.gather import GatherError

    target = reproduce.parse_target(args.target, args.seq)
    if args.out and not args.out.endswith((".ipynb", ".py")):
        raise CliError(f"-o {args.out}: write a notebook (.ipynb) or a script (.py)")
    service = open_service_to_read(args)
    try:
        gathered = reproduce.gather_notebook(service, notebook_arg(args.notebook), target)
    except GatherError as error:
        raise CliError(str(error)) from None
    finally:
        service.store.close()
    meta = gathered.notebook["metadata"]["trackit"]["gathered"]
    if not args.no_env and "environment" not in meta:  # the run has no stamp: list the kernelspec's packages now
        environment = reproduce.gather_environment(meta.get("kernel_name"))
        if environment:
            meta["environment"] = environment
    result = gathered.result
    summary = (f"gathered {result.target}: {len(result.cells)} of {result.cells_in_session} cells, "
               f"{result.statements} of {result.statements_in_session} statements")
    if args.out is None:
        out(to_script(result))
        sys.stderr.write(summary + "\n")
        return EXIT_OK
    path = Path(args.out)
    if path.suffix == ".py":
        path.write_text(to_script(result), encoding="utf-8")
    else:
        path.write_text(json.dumps(gathered.notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    out(f"{summary} -> {path}")
    for note in result.notes:
        out(f"  note: {note}")
    return EXIT_OK


# ---------------------------------------------------------------- replay
def cmd_replay(args: argparse.Namespace) -> int:
    from ..notebook_file import read_notebook
    from ..reproduce import service as reproduce
    from ..reproduce.document import GatheredNotebookError
    from ..reproduce.replay import ReplayInputError, replay, replayed_cells

    path = os.path.realpath(args.gathered)
    notebook = read_notebook(path)  # NotebookError: exit 2 with its one-line reason
    try:
        gathered, cells = replayed_cells(notebook)
    except GatheredNotebookError as error:
        raise CliError(f"{args.gathered}: {error}") from None
    recorded = None
    if args.verify:
        service = open_service_to_read(args)  # read the recording first: the database is not held during the replay
        try:
            recorded = reproduce.recorded_lineage(service, gathered)
        finally:
            service.store.close()
        if not recorded.executions:
            raise CliError(f"no recording of {gathered.get('notebook')} in {db_path(args)}: replay --verify compares "
                           "with the database the notebook was gathered from (--db)")

    def progress(cell, status: str) -> None:
        mark = {"ok": "ok", "error": "FAILED", "cancelled": "cancelled"}.get(status, status)
        out(f"  cell {cell.number:<3} (from cell {cell.origin.cell_index + 1}, run #{cell.origin.seq})  {mark}")

    out(f"replaying {counted(len(cells), 'cell')} of {args.gathered} in {Path(str(gathered.get('notebook'))).parent}")
    try:
        if recorded is None:
            replayed = replay(notebook, kernel_name=args.kernel, timeout=args.timeout, on_cell=progress,
                              list_packages=False)
        else:
            replayed, report = reproduce.replay_and_verify(notebook, recorded, args.kernel, progress, args.timeout)
    except ReplayInputError as error:
        raise CliError(str(error)) from None
    for note in replayed.notes:
        out(f"  note: {note}")
    if recorded is None:
        failed = next((e for e in replayed.doc.executions if e.status != "ok"), None)
        if failed is not None:
            detail = f"{failed.error.name}: {failed.error.message}" if failed.error else failed.status
            out(f"stopped: cell {failed.cell_index} failed ({detail})")
            return EXIT_FAILED
        out(f"replayed {counted(len(replayed.doc.executions), 'cell')} in {replayed.seconds:.1f} s (kernel {replayed.kernel_name})")
        return EXIT_OK
    if args.json:
        out(json.dumps(reproduce.verify_result(report, replayed).model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        out(report.message)
        for line in report.unverified:
            out(f"  not compared: {line}")
    return EXIT_OK if report.reproduced else EXIT_FAILED


# ---------------------------------------------------------------- env
def cmd_env(args: argparse.Namespace) -> int:
    from ..reproduce import service as reproduce
    from ..reproduce.gather import EXPERIMENT_ID, GatherError

    target = args.target
    if EXPERIMENT_ID.match(target):
        service = open_service_to_read(args)
        try:
            environment, sources, title = reproduce.experiment_environment(service, target)
        except GatherError as error:
            raise CliError(str(error)) from None
        finally:
            service.store.close()
    elif target.endswith(".ipynb") and _is_gathered(target):
        environment, sources, title = reproduce.gathered_environment(os.path.realpath(target))
    else:
        service = open_service_to_read(args)
        try:
            environment, sources, title = reproduce.notebook_environment(service, notebook_arg(target))
        except GatherError as error:
            raise CliError(str(error)) from None
        finally:
            service.store.close()
    if environment is None:
        raise CliError(f"no package list for {target}: {title}", EXIT_BAD_INPUT)
    text = reproduce.environment_file(environment, sources, args.format, title)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        out(f"wrote {args.out}")
    else:
        out(text)
    return EXIT_OK


def _is_gathered(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            return "gathered" in ((json.load(handle).get("metadata") or {}).get("trackit") or {})
    except (OSError, ValueError, AttributeError):
        return False
