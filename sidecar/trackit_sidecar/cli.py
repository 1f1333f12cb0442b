"""`trackit`: the sidecar's command line. Thin over TrackitService, like the server.

Exit codes: 0 ok · 1 a cell failed / a provider failed · 2 bad input (not a notebook, no such file,
no kernel) · 3 the database is held by another process.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Optional, Sequence

from . import __version__
from . import protocol as p
from .config import Settings, default_db_path
from .lineage.describe import describe_execution

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_LOCKED = 0, 1, 2, 3


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_BAD_INPUT):
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------- helpers
def _db(args: argparse.Namespace) -> str:
    path = Path(args.db).expanduser() if args.db else default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)


def _open_service(args: argparse.Namespace):
    from .services import TrackitService
    from .store import DatabaseLocked, Store

    try:
        store = Store.open(_db(args))
    except DatabaseLocked as locked:
        raise CliError(f"{locked}. Close it (or use another --db) and try again.", EXIT_LOCKED) from None
    return TrackitService(store, Settings())


def _notebook_arg(raw: str) -> str:
    """A notebook on the command line is a path; the store matches it against the editor's file URIs."""
    if "://" in raw:
        return raw
    return os.path.realpath(raw)


def _check_notebook_file(path: str) -> None:
    from .notebook_file import read_notebook

    read_notebook(path)  # raises NotebookError with a one-line reason


def _options(pairs: Optional[list[str]]) -> dict:
    """`-o model=llama3.1 -o host=http://gpu-box:11434` -> provider options."""
    options: dict = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CliError(f"--option expects KEY=VALUE, got {pair!r}")
        low = value.strip().lower()
        options[key.strip().replace("-", "_")] = (
            low == "true" if low in ("true", "false") else int(low) if low.isdigit() else value)
    return options


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


# ---------------------------------------------------------------- commands
def cmd_serve(args: argparse.Namespace) -> int:
    from .server import build_server

    _setup_logging(args.log_file, logging.DEBUG if args.verbose else logging.INFO, to_stderr=True)
    logging.getLogger("trackit").info("trackit %s serving %s (pid %d)", __version__, _db(args), os.getpid())
    build_server(_db(args)).serve_stdio()
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from .kernel.runner import KernelDiedError, KernelStartError, run_notebook
    from .services import TrackitService
    from .store import DatabaseLocked, Spool, Store

    path = os.path.realpath(args.notebook)
    _check_notebook_file(path)
    service: Optional[TrackitService] = None
    spool: Optional[Spool] = None
    try:
        service = TrackitService(Store.open(_db(args)), Settings())
    except DatabaseLocked as locked:
        # Another process (usually the editor's sidecar) owns the file: hand it our captures instead of failing.
        spool = Spool(_db(args))
        _print(f"note: {locked}; recording to {spool.dir} for it to merge")

    total = [0]

    def on_execution(event: p.CellExecution, facts: list[p.RuntimeFacts]) -> None:
        total[0] += 1
        if service is not None:
            service.ingest([event])
            service.add_runtime_facts(event.event_id, facts)
        else:
            spool.append([event], runtime_facts={event.event_id: facts})  # type: ignore[union-attr]
        mark = {"ok": "ok", "error": "FAILED", "cancelled": "cancelled"}[event.status]
        line = f"  [{event.execution_order or ' '}] cell {event.cell_index + 1:<3} {mark:<9} {event.ended_at - event.started_at:8.0f} ms"
        if event.status == "error":
            line += f"  {event.error_name}: {(event.error_message or '').splitlines()[0][:100] if event.error_message else ''}"
        _print(line)

    _print(f"running {path}")
    try:
        result = run_notebook(path, kernel_name=args.kernel, timeout=args.timeout, on_execution=on_execution,
                              runtime_capture=not args.no_runtime)
    except KernelStartError as no_kernel:
        raise CliError(str(no_kernel)) from None
    except KernelDiedError as died:  # what ran before the crash is already recorded
        raise CliError(f"{died} ({total[0]} execution(s) recorded before it died)", EXIT_FAILED) from None
    finally:
        if service is not None:
            service.store.close()
    failed = getattr(result, "failed_cell_index", None)
    if failed is not None:
        _print(f"stopped: cell {failed + 1} failed; {total[0]} execution(s) recorded in {_db(args)}")
        return EXIT_FAILED
    _print(f"recorded {total[0]} execution(s) in {_db(args)}")
    return EXIT_OK


def cmd_lineage(args: argparse.Namespace) -> int:
    service = _open_service(args)
    try:
        doc = service.lineage(_notebook_arg(args.notebook))
    finally:
        service.store.close()
    if not doc.executions:
        raise CliError(f"no executions recorded for {args.notebook} in {_db(args)} (run it first: trackit run)")
    if args.json:
        _print(json.dumps(doc.model_dump(mode="json"), indent=2))
    else:
        _print(render_tree(doc))
    return EXIT_OK


def cmd_analyze(args: argparse.Namespace) -> int:
    from .lineage.static_notebook import analyze_notebook

    doc = analyze_notebook(os.path.realpath(args.notebook))  # lenient reader; its errors are NotebookErrors
    if args.json:
        _print(json.dumps(doc.model_dump(mode="json"), indent=2))
    else:
        _print(render_tree(doc, title_suffix=" (static analysis, not run)"))
    return EXIT_OK


def cmd_summarize(args: argparse.Namespace) -> int:
    from .summarize.providers.base import ProviderError

    service = _open_service(args)
    try:
        notebook = _notebook_arg(args.notebook)
        if args.dry_run:
            _print(service.preview_prompt(notebook, args.provider, _options(args.option)))
            return EXIT_OK
        try:
            result = service.summarize(notebook, args.provider, regenerate=args.regenerate or args.provider is not None,
                                       options=_options(args.option))
        except LookupError as missing:
            raise CliError(str(missing)) from None
        except ProviderError as failed:
            raise CliError(f"summary provider failed: {failed}", EXIT_FAILED) from None
    finally:
        service.store.close()
    for warning in result.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    if args.out:
        Path(args.out).write_text(result.markdown, encoding="utf-8")
        _print(f"wrote {args.out} ({result.provider}{' ' + result.model if result.model else ''})")
    else:
        _print(result.markdown)
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    service = _open_service(args)
    try:
        hist = service.history(_notebook_arg(args.notebook), args.cell)
        doc = service.lineage(_notebook_arg(args.notebook))
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
        _print(f"cell {idx + 1 if idx is not None else '?'}  (id {cell_id}): {len(versions)} version(s)")
        for n, v in enumerate(versions, 1):
            outcome = ", ".join(f"{k} {c}" for k, c in sorted(v.statuses.items()))
            _print(f"  v{n} {v.source_sha256[:10]}  ran {v.runs}x  first {_short(v.first_run_at)}  "
                   f"last {_short(v.last_run_at)}  ({outcome})")
            first = next((ln for ln in v.source.splitlines() if ln.strip()), "")
            _print(f"      {first[:100]}")
    return EXIT_OK


# ---------------------------------------------------------------- the readable tree
def _short(iso: str) -> str:
    return iso.replace("T", " ")[:19]


def render_tree(doc: p.LineageDocument, title_suffix: str = "") -> str:
    lines = [f"{Path(doc.notebook).name}{title_suffix}  ({doc.notebook})"]
    by_session: dict[int, list[p.ExecutionRecord]] = {}
    for e in doc.executions:
        by_session.setdefault(e.session, []).append(e)
    sessions = {s.id: s for s in doc.sessions}
    for n, (sid, execs) in enumerate(by_session.items()):
        last_session = n == len(by_session) - 1
        info = sessions.get(sid)
        started = _short(info.started_at) if info else _short(execs[0].started_at)
        kernel = f" · {info.kernel_name}" if info and info.kernel_name else ""
        lines.append(f"{'└─' if last_session else '├─'} session {sid} · {started} UTC{kernel} · {len(execs)} execution(s)")
        pad = "   " if last_session else "│  "
        for i, e in enumerate(execs):
            last = i == len(execs) - 1
            status = e.status if e.status != "error" else f"ERROR {e.error.name if e.error else ''}".strip()
            head = f"#{e.seq:<3} cell {e.cell_index + 1:<3} [{e.execution_count if e.execution_count is not None else ' '}]"
            rw = []
            if e.reads:
                rw.append("reads " + ", ".join(e.reads[:6]) + ("…" if len(e.reads) > 6 else ""))
            if e.writes:
                rw.append("writes " + ", ".join(e.writes[:6]) + ("…" if len(e.writes) > 6 else ""))
            parents = f"  ← #{', #'.join(str(s) for s in e.parents)}" if e.parents else ""
            lines.append(f"{pad}{'└─' if last else '├─'} {head} {status:<6} {e.duration_ms:7.0f} ms  "
                         f"{' · '.join(rw)}{parents}")
            inner = pad + ("   " if last else "│  ")
            if e.analysis_error:
                lines.append(f"{inner}  {e.analysis_error}")
            for text in describe_execution(e, execs[:i]):
                lines.append(f"{inner}  {text}")
            for f in e.input_files:  # size and hash are already on the load line; call out what needs action
                if f.changed_since:
                    lines.append(f"{inner}  input {f.path} CHANGED since an earlier session "
                                 f"(sha256 {f.changed_since[:8]} → {(f.sha256 or '?')[:8]})")
                elif f.error:
                    lines.append(f"{inner}  input {f.path}: {f.error}")
            if e.status == "error" and e.error and e.error.message:
                lines.append(f"{inner}  {e.error.name}: {e.error.message.splitlines()[0][:120]}")
    return "\n".join(lines)


# ---------------------------------------------------------------- entry point
def _setup_logging(log_file: Optional[str], level: int, to_stderr: bool = False) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trackit", description="TrackIT: passive lineage for Jupyter notebooks.")
    parser.add_argument("--version", action="version", version=f"trackit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def db_opt(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--db", metavar="PATH", help=f"lineage database (default: $TRACKIT_DB or {default_db_path()})")

    sp = sub.add_parser("serve", help="JSON-RPC sidecar over stdio (started by the VS Code extension)")
    db_opt(sp)
    sp.add_argument("--log-file", metavar="PATH")
    sp.add_argument("--verbose", action="store_true")
    sp.set_defaults(fn=cmd_serve)

    sp = sub.add_parser("run", help="execute a notebook in a fresh kernel and record every execution")
    sp.add_argument("notebook")
    db_opt(sp)
    sp.add_argument("--kernel", metavar="NAME", help="kernel spec name (default: the notebook's, else python3)")
    sp.add_argument("--timeout", type=float, default=600, metavar="S", help="per-cell timeout in seconds")
    sp.add_argument("--no-runtime", action="store_true", help="skip runtime facts (shapes, nulls, fingerprints)")
    sp.set_defaults(fn=cmd_run)

    sp = sub.add_parser("lineage", help="the recorded lineage of a notebook, as a tree or JSON")
    sp.add_argument("notebook")
    db_opt(sp)
    sp.add_argument("--json", action="store_true", help="the public lineage JSON (format trackit.lineage/1)")
    sp.set_defaults(fn=cmd_lineage)

    sp = sub.add_parser("analyze", help="static lineage of a notebook file, without running it")
    sp.add_argument("notebook")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=cmd_analyze)

    sp = sub.add_parser("summarize", help="a Markdown summary of the latest session")
    sp.add_argument("notebook")
    db_opt(sp)
    sp.add_argument("--out", metavar="FILE")
    sp.add_argument("--provider", choices=["builtin", "bedrock", "ollama", "openai"])
    sp.add_argument("--regenerate", action="store_true", help="ignore a stored summary")
    sp.add_argument("--dry-run", action="store_true", help="print the exact prompt that would be sent; send nothing")
    sp.add_argument("-o", "--option", action="append", metavar="KEY=VALUE",
                    help="provider option, repeatable: model, region, profile, endpoint_url (bedrock); host, "
                         "num_ctx (ollama); base_url, api_key_env (openai); timeout, max_tokens, send_raw_outputs")
    sp.set_defaults(fn=cmd_summarize)

    sp = sub.add_parser("history", help="every version of a cell that ran: when, how often, how it ended")
    sp.add_argument("notebook")
    db_opt(sp)
    sp.add_argument("--cell", metavar="ID")
    sp.set_defaults(fn=cmd_history)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command != "serve":
        _setup_logging(None, logging.WARNING)
    from .notebook_file import NotebookError

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


if __name__ == "__main__":
    sys.exit(main())
