"""`trackit doctor [--repair]`: check a database block by block; salvage what is readable into a fresh one."""

from __future__ import annotations

import argparse

from ..render.words import counted
from .common import EXIT_BAD_INPUT, EXIT_OK, CliError, add_db_option, db_path, out


def register(sub: argparse._SubParsersAction) -> None:
    sp = sub.add_parser("doctor", help="check the database; --repair salvages every readable execution into a fresh file")
    add_db_option(sp)
    sp.add_argument("--repair", action="store_true",
                    help="copy what is readable into a fresh database that takes the damaged one's place "
                         "(the damaged file is kept beside it)")
    sp.set_defaults(fn=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    from ..store import repair as doctor
    from ..store.spool import Spool

    path = db_path(args)
    try:
        checkup = doctor.check(path)
    except FileNotFoundError:
        raise CliError(f"no TrackIT database at {path}") from None
    if not args.repair:
        if checkup.ok:
            waiting = Spool(path).pending()
            out(f"ok: {path}: {checkup.executions} executions, schema version {checkup.schema_version}, "
                f"{_rows(checkup, 'dead_letters')} dead letters"
                + (f"; {checkup.impossible_times} executions have an impossible time (read as 1970/2200)"
                   if checkup.impossible_times else "")
                + (f"; {counted(len(waiting), 'spooled capture file')} in {Spool(path).dir} {'waits' if len(waiting) == 1 else 'wait'} to be merged (by the "
                   "sidecar that owns the file, else by the next trackit command that opens it)" if waiting else ""))
            return EXIT_OK
        out(f"damaged: {path}")
        for problem in checkup.problems():
            out(f"  {problem}")
        out(f"repair it (the damaged file is kept): trackit doctor --repair --db {path}")
        return EXIT_BAD_INPUT
    if checkup.ok:
        out(f"nothing to repair: {path} reads whole ({checkup.executions} executions)")
        return EXIT_OK
    out(doctor.describe(doctor.repair(path)))
    return EXIT_OK


def _rows(checkup, table: str) -> int:
    health = checkup.tables.get(table)
    return health.rows if health else 0
