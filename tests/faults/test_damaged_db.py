"""Every CLI command and the server's start meet a damaged, newer, locked or read-only database with one
line and exit code 2 or 3, never a traceback; read-only commands work on a read-only file or folder; and
`trackit doctor --repair` salvages every readable execution into a fresh file, keeping the damaged one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.rpc_client import serve_command
from trackit_sidecar.store import LATEST_VERSION, Store

NB = Path(tempfile.gettempdir()) / "trackit-faults" / "analysis.ipynb"
EXECUTIONS = 6000
BLOCK_BYTES, HEADER_BYTES = 262144, 3 * 4096  # DuckDB's block size and file headers


def _event(n: int) -> p.CellExecution:
    return p.CellExecution(
        event_id=f"ev-{n}", notebook_uri=NB.as_uri(), notebook_path=str(NB), cell_id=f"c{n % 40}", cell_index=n % 40,
        source=f"x{n % 40} = {n % 40}", execution_order=n + 1, started_at=1_764_000_000_000.0 + n * 10,
        ended_at=1_764_000_000_000.0 + n * 10 + 5, status="ok",
        outputs=[p.CellOutput(mime="text/plain", text=f"{n:08d} " + "abcdefghij" * 40)])


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("healthy") / "trackit.duckdb"
    with Store.open(db) as store:
        events = [_event(n) for n in range(EXECUTIONS)]
        for start in range(0, EXECUTIONS, 1000):
            store.ingest(events[start:start + 1000], {}, 1)
    return db


def corrupt_outputs_block(db: Path) -> tuple[int, int]:
    """Overwrite bytes inside one block holding executions.outputs; returns that block's row range."""
    con = duckdb.connect(str(db), read_only=True)
    segments = con.execute("SELECT block_id, start, count FROM pragma_storage_info('executions') "
                           "WHERE column_name = 'outputs' AND persistent AND block_id >= 0 ORDER BY start").fetchall()
    con.close()
    block, start, count = segments[len(segments) // 2]
    with open(db, "r+b") as handle:
        handle.seek(HEADER_BYTES + block * BLOCK_BYTES + 256)
        handle.write(b"\xa5" * 64)
    return start, start + count - 1


def damaged(healthy: Path, folder: Path, kind: str) -> Path:
    db = folder / "trackit.duckdb"
    shutil.copyfile(healthy, db)
    os.chmod(db, 0o600)
    if kind == "truncated headers":  # DuckDB cannot even open it
        with open(db, "r+b") as handle:
            handle.truncate(HEADER_BYTES // 2)
    elif kind == "truncated data":  # it opens; its data blocks are gone
        with open(db, "r+b") as handle:
            handle.truncate(HEADER_BYTES + BLOCK_BYTES)
    elif kind == "corrupt block":
        corrupt_outputs_block(db)
    elif kind == "not a database":
        db.write_text("my precious notes\n" * 1000)
    elif kind == "newer version":
        con = duckdb.connect(str(db))
        con.execute("INSERT INTO schema_version VALUES (?, 0)", [LATEST_VERSION + 1])
        con.close()
    return db


COMMANDS = {
    "lineage": ["lineage", str(NB)],
    "history": ["history", str(NB)],
    "summarize": ["summarize", str(NB)],
    "summarize --dry-run": ["summarize", str(NB), "--provider", "openai", "--dry-run"],
    "doctor": ["doctor"],
}


# commands that only read what is recorded: they work on a read-only file or folder
READS = {
    **{name: COMMANDS[name] for name in ("lineage", "history", "summarize --dry-run", "doctor")},
    "experiments": ["experiments", str(NB)],
    "show": ["show", "E0001"],
    "diff": ["diff", "E0001", "E0001"],
    "hypotheses": ["hypotheses"],
    "ask": ["ask", str(NB), "what changed?"],
}


def _one_line(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("trackit: "), result.stderr


@pytest.mark.parametrize("kind", ["truncated headers", "truncated data", "not a database", "newer version"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_damaged_or_newer_database_gives_one_line_and_exit_2(healthy, tmp_path, cli, kind, command):
    db = damaged(healthy, tmp_path, kind)
    result = cli(*COMMANDS[command], "--db", str(db))
    assert result.returncode == 2, (result.stdout, result.stderr)
    if command == "doctor" and kind != "newer version":
        assert "damaged" in result.stdout and "doctor --repair" in result.stdout and not result.stderr
    else:
        _one_line(result)
        assert ("upgrade TrackIT" if kind == "newer version" else "doctor --repair") in result.stderr


def test_every_command_that_opens_the_database_gives_one_line_and_exit_2_on_a_file_that_is_not_one(
        healthy, tmp_path, cli):
    db = damaged(healthy, tmp_path, "not a database")
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "id": "a1", "source": "x = 1", "metadata": {},
                                               "outputs": [], "execution_count": None}],
                                    "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    every = [["run", str(notebook)], ["lineage", str(NB)], ["history", str(NB)], ["summarize", str(NB)],
             ["experiments", str(NB)], ["show", "E0001"], ["mark", str(NB), "--seq", "1"], ["name", "E0001", "x"],
             ["reparent", "E0001", "none"], ["export", "E0001", "--out", str(tmp_path / "out")],
             ["gather", str(NB), "x"], ["env", "E0001"], ["diff", "E0001", "E0002"], ["hypotheses"],
             ["hypothesis", "add", "a claim", "--metric", "accuracy"], ["ask", str(NB), "why?"]]
    for command in every:
        result = cli(*command, "--db", str(db))
        assert result.returncode == 2, (command, result.stderr)
        _one_line(result)
        assert "is damaged" in result.stderr and "doctor --repair" in result.stderr, (command, result.stderr)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_corrupt_block_gives_one_line_when_it_is_read(healthy, tmp_path, cli, command):
    db = damaged(healthy, tmp_path, "corrupt block")
    result = cli(*COMMANDS[command], "--db", str(db))
    if command == "doctor":
        assert result.returncode == 2 and "executions:" in result.stdout and "Traceback" not in result.stderr
    else:  # each reads the notebook's executions, outputs included
        assert result.returncode == 2
        _one_line(result)
        assert "is damaged (Corrupt database file" in result.stderr


def test_a_locked_database_gives_one_line_and_exit_3(healthy, tmp_path, cli):
    db = damaged(healthy, tmp_path, "none")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        for command in COMMANDS.values():
            result = cli(*command, "--db", str(db))
            assert result.returncode == 3, (command, result.stderr)
            _one_line(result)
            assert f"PID {holder.pid}" in result.stderr
    finally:
        holder.kill()
        holder.wait()


def make_read_only(path: Path) -> None:
    """Root ignores file modes (CI runs as root): there the immutable attribute makes it read-only."""
    if os.geteuid() != 0:
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
        return
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, f"cannot make {path} read-only as root (chattr +i): {done.stderr}"


def make_writable(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    os.chmod(path, 0o700 if path.is_dir() else 0o600)


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_read_only_commands_work_on_a_read_only_database_and_writes_say_why_they_cannot(
        healthy, tmp_path, cli, read_only):
    folder = tmp_path / "data"
    folder.mkdir()
    db = damaged(healthy, folder, "none")
    target = db if read_only == "file" else folder
    marked = cli("mark", str(NB), "--seq", "1", "--db", str(db))
    assert marked.returncode == 0, marked.stderr
    make_read_only(target)
    try:
        for command in READS:
            result = cli(*READS[command], "--db", str(db))
            assert result.returncode == 0, (command, result.stderr)
            assert "Traceback" not in result.stderr
        summary = cli(*COMMANDS["summarize"], "--db", str(db))  # shown, not saved
        assert summary.returncode == 0 and "analysis.ipynb" in summary.stdout, summary.stderr
        result = cli("doctor", "--repair", "--db", str(db))  # nothing to repair: it reads whole
        assert result.returncode == 0 and "nothing to repair" in result.stdout
        for command in (["mark", str(NB), "--seq", "2"], ["name", "E0001", "baseline"]):
            result = cli(*command, "--db", str(db))
            assert result.returncode == 3, (command, result.stderr)
            _one_line(result)
            assert "cannot be written" in result.stderr
        served = subprocess.run(serve_command(str(db)), input=_initialize(), capture_output=True, timeout=60)
        assert served.returncode == 3, served.stderr
        assert served.stderr.decode().strip().splitlines()[-1].startswith("trackit: ")
        assert b"Traceback" not in served.stderr
    finally:
        make_writable(target)


def test_an_output_file_that_cannot_be_written_gives_one_line_and_exit_3(healthy, tmp_path, cli):
    db = damaged(healthy, tmp_path, "none")
    folder = tmp_path / "reports"
    folder.mkdir()
    make_read_only(folder)
    try:
        result = cli("summarize", str(NB), "--db", str(db), "--out", str(folder / "summary.md"))
    finally:
        make_writable(folder)
    assert result.returncode == 3, result.stderr
    _one_line(result)
    assert f"permission denied: {folder / 'summary.md'}" in result.stderr


def _initialize() -> bytes:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"processId": None, "rootUri": None, "capabilities": {}}}).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@pytest.mark.parametrize("kind", ["truncated headers", "not a database", "newer version"])
def test_the_server_meets_a_database_it_cannot_open_with_one_line_and_exit_2(healthy, tmp_path, kind):
    db = damaged(healthy, tmp_path, kind)
    started = time.monotonic()
    served = subprocess.run(serve_command(str(db)), input=_initialize(), capture_output=True, timeout=60)
    stderr = served.stderr.decode()
    assert served.returncode == 2, stderr
    assert stderr.strip().splitlines()[-1].startswith("trackit: ") and "Traceback" not in stderr
    assert time.monotonic() - started < 30  # it exits: no crash loop, no hang


@pytest.mark.parametrize("kind", ["truncated data", "corrupt block"])
def test_a_server_on_a_database_damaged_inside_answers_with_the_error_and_tells_the_editor(
        healthy, tmp_path, serve, event, kind):
    db = damaged(healthy, tmp_path, kind)
    server = serve(db)  # it opens: the damage shows when a block is read
    with pytest.raises(Exception, match="damaged"):
        server.request(p.LINEAGE, {"notebook_uri": NB.as_uri()}, timeout=30)
    server.notify(p.CELL_EXECUTED, {**event(NB, 7), "event_id": "new-1"})
    if kind == "truncated data":  # writing needs the executions it cannot read: told once, kept on disk
        told = server.wait_notification(p.DATABASE_ERROR, timeout=30)["params"]
        assert "damaged" in told["message"] and told["db_path"] == str(db)
        acked = server.wait_notification(p.LINEAGE_CHANGED, timeout=30,
                                         predicate=lambda params: "new-1" in params["event_ids"])
        assert acked
    assert server.request(p.STATUS, {})["db_mode"] == "owner"
    assert "Traceback" not in server.log_text()


def test_doctor_repair_salvages_every_readable_execution_and_keeps_the_damaged_file(healthy, tmp_path, cli):
    db = damaged(healthy, tmp_path, "none")
    low, high = corrupt_outputs_block(db)
    damaged_bytes = db.read_bytes()
    result = cli("doctor", "--repair", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert f"saved {EXECUTIONS} of {EXECUTIONS} executions" in result.stdout
    kept = [f for f in tmp_path.iterdir() if ".damaged-" in f.name and not f.name.endswith(".wal")]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes
    assert cli("doctor", "--db", str(db)).returncode == 0
    doc = json.loads(cli("lineage", str(NB), "--json", "--db", str(db)).stdout)
    assert len(doc["executions"]) == EXECUTIONS
    without_outputs = {e["seq"] for e in doc["executions"] if not e["outputs"]}
    # exactly the executions that share a 2,048-row vector with the corrupt block lost their outputs
    vectors = {row // 2048 for row in range(low, high + 1)}
    assert without_outputs == {seq for seq in range(1, EXECUTIONS + 1) if (seq - 1) // 2048 in vectors}


@pytest.mark.parametrize("kind", ["truncated headers", "not a database"])
def test_doctor_repair_of_an_unreadable_file_keeps_it_and_puts_a_fresh_database_in_its_place(
        healthy, tmp_path, cli, kind):
    db = damaged(healthy, tmp_path, kind)
    before = db.read_bytes()
    result = cli("doctor", "--repair", "--db", str(db))
    assert result.returncode == 0 and "nothing in it was readable" in result.stdout
    kept = [f for f in tmp_path.iterdir() if ".damaged-" in f.name]
    assert [f.read_bytes() for f in kept] == [before]
    assert cli("doctor", "--db", str(db)).returncode == 0
    assert cli("lineage", str(NB), "--db", str(db)).returncode == 2  # nothing recorded: a normal one-line error
