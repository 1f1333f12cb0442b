"""Recording: `trackit serve` (the editor's sidecar) and `trackit run` (execute a notebook, record it)."""

from __future__ import annotations

import argparse
import logging
import os
from typing import TYPE_CHECKING, Optional

from .. import __version__
from ..config import Settings
from ..render.words import counted, error_line
from .common import (EXIT_FAILED, EXIT_OK, CliError, add_db_option, check_notebook_file, db_path,
                     merge_waiting_spool, out, setup_logging)

if TYPE_CHECKING:  # the protocol's models load pydantic: only a command that runs needs them
    from .. import protocol as p


def register(sub: argparse._SubParsersAction) -> None:
    sp = sub.add_parser("serve", help="JSON-RPC sidecar over stdio (started by the VS Code extension)")
    add_db_option(sp)
    sp.add_argument("--log-file", metavar="PATH")
    sp.add_argument("--verbose", action="store_true")
    sp.set_defaults(fn=cmd_serve, logs_itself=True)

    sp = sub.add_parser("run", help="execute a notebook in a fresh kernel and record every execution")
    sp.add_argument("notebook")
    add_db_option(sp)
    sp.add_argument("--kernel", metavar="NAME",
                    help="kernel spec name (default: the notebook's own; python3 if that is not installed here)")
    sp.add_argument("--timeout", type=float, default=600, metavar="S", help="per-cell timeout in seconds")
    sp.add_argument("--no-runtime", action="store_true", help="skip runtime facts (shapes, nulls, fingerprints)")
    sp.set_defaults(fn=cmd_run)


def cmd_serve(args: argparse.Namespace) -> int:
    from ..memory import limit_arenas
    from ..server import build_server

    limit_arenas()  # before the server's threads: each would keep freed C heap in an arena of its own (memory.py)
    # Every file the sidecar creates (database, WAL, spool, logs) is readable by the user alone. Only
    # here: `trackit run` starts a kernel, and the user's notebook must keep its own umask.
    os.umask(0o077)
    setup_logging(args.log_file, logging.DEBUG if args.verbose else logging.INFO, to_stderr=True)
    logging.getLogger("trackit").info("trackit %s serving %s (pid %d)", __version__, db_path(args), os.getpid())
    build_server(db_path(args)).serve_stdio()  # a database it cannot use raises: main() prints one line
    # Everything is durable now (stored, or on disk for the next start). Exit at once: a thread still
    # waiting on a kernel or a file watcher must not keep a sidecar the editor closed alive.
    logging.shutdown()
    os._exit(EXIT_OK)


def cmd_run(args: argparse.Namespace) -> int:
    from ..input_files import SpooledRunFiles
    from ..kernel.notebook_kernels import RuntimeResult
    from ..kernel.kernelspecs import KernelStartError, kernel_for_notebook
    from ..kernel.runner import KernelDiedError, load_notebook, run_notebook
    from ..services import TrackitService
    from ..store import DatabaseLocked, Spool, Store

    path = os.path.realpath(args.notebook)
    check_notebook_file(path)
    try:  # before anything is opened or printed: a kernel we will not run is one line and exit 2
        kernel = kernel_for_notebook(load_notebook(path).get("metadata"), args.kernel)
    except KernelStartError as no_kernel:
        raise CliError(str(no_kernel)) from None
    service: Optional[TrackitService] = None
    spool: Optional[Spool] = None
    try:
        service = TrackitService(Store.open(db_path(args)), Settings())
    except DatabaseLocked as locked:
        # Another process (usually the editor's sidecar) owns the file: hand it our captures instead of failing.
        spool = Spool(db_path(args))
        spooled_files = SpooledRunFiles()
        out(f"note: {locked}; recording to {spool.dir} for it to merge")

    total = [0]
    stopped_by: list[Optional[p.CellExecution]] = [None]  # the run that stopped it, if one did
    recorder = None
    if service is not None:
        from ..experiments.recorder import RunRecorder

        recorder = RunRecorder(service, ask_values=not args.no_runtime)

    def on_execution(event: p.CellExecution, runtime: RuntimeResult) -> None:
        total[0] += 1
        status = {event.event_id: (runtime.status, runtime.evidence)} if runtime.status else {}
        if service is not None:
            service.ingest([event])
            service.add_runtime_facts(event.event_id, runtime.facts)
            service.set_runtime_status(status)
        else:
            files = spooled_files.describe(event)
            spool.append([event], runtime_facts={event.event_id: runtime.facts},  # type: ignore[union-attr]
                         runtime_status=status, input_files={event.event_id: files} if files else None)
        if event.status != "ok":
            stopped_by[0] = event
        mark = {"ok": "ok", "error": "FAILED", "cancelled": "cancelled"}[event.status]
        line = f"  [{event.execution_order or ' '}] cell {event.cell_index + 1:<3} {mark:<9} {event.ended_at - event.started_at:8.0f} ms"
        if event.status != "ok" and event.error_name:
            line += f"  {event.error_name}: {error_line(event.error_message, 140)}"
        out(line)

    out(f"running {path} in kernel {kernel.name} ({kernel.display_name})")
    if kernel.note:
        out(f"note: {kernel.note}")
    try:
        result = run_notebook(path, kernel_name=kernel.name, timeout=args.timeout, on_execution=on_execution,
                              runtime_capture=not args.no_runtime,
                              after_execution=recorder.after_execution if recorder else None)
    except KernelStartError as no_kernel:
        raise CliError(str(no_kernel)) from None
    except KernelDiedError as died:  # what ran before the crash is already recorded
        raise CliError(f"{died} ({counted(total[0], 'execution')} recorded before it died)", EXIT_FAILED) from None
    finally:
        if recorder is not None:
            recorder.finish()  # the run's stamp, taken in the background, is stored before we close
        if service is not None:
            service.store.close()
    failed = getattr(result, "failed_cell_index", None)
    if failed is not None:
        stopper = stopped_by[0]
        why = "failed"
        if stopper is not None and stopper.status == "cancelled":
            why = (f"ran past --timeout {args.timeout:g} s and was interrupted" if stopper.error_name == "TimeoutError"
                   else "was interrupted")
        out(f"stopped: cell {failed + 1} {why}; {counted(total[0], 'execution')} recorded in {db_path(args)}")
        return EXIT_FAILED
    if spool is not None and not merge_waiting_spool(db_path(args), quiet=True):  # merged now when the owner has gone
        out(f"recorded {counted(total[0], 'execution')} in {spool.dir}, for the owner of {db_path(args)} to merge")
        return EXIT_OK
    out(f"recorded {counted(total[0], 'execution')} in {db_path(args)}")
    return EXIT_OK
