"""Sidecar benchmark (not a test): prints figures, asserts nothing.

1. ingest: 10,000 cell executions sent as notifications over stdio to `trackit serve`, until stored in DuckDB
2. read latency with 100,000 executions stored in 50 notebooks of 2,000 (kernel restarts every 40 runs): first
   touch of a notebook (nothing held for it) for a cell annotation, the editor's lineage window (every session
   described, the latest one's runs) and the whole document, p50/p95 over 50 notebooks each (three sidecar
   processes, each notebook first-touched once per process); then repeated reads
3. a new run of a notebook the editor holds: cellExecuted -> lineageChanged carrying it, over stdio, p50/p95,
   on a 2,000-execution notebook (the whole-document read it replaces measured in the same run)
4. `trackit lineage` tree and --json on a 5,000-execution notebook (process start included; wall and CPU time,
   builds interleaved), its runs without runtime facts and with the facts a kernel records ("facts")
5. memory: resident size after 50,000 executions in 25 notebooks arrived over stdio and lineage (windows,
   whole documents, annotations) was served for all of them, against the same sidecar at start
6. cold start (spawn -> initialize answered) and resident memory of the sidecar
7. restart: a sidecar restarted while its kernel session of 2,000 executions goes on (re-run cells; all-new cells):
   cellExecuted -> its row stored (and -> lineageChanged acknowledging it), the first cell after the restart (the
   session's context read back first) and the next one

Targets (issues 2, 15): >= 2,000 executions/s; first-touch annotation p95 <= 20 ms, whole-lineage first touch
p95 <= 100 ms; tree of 5,000 executions <= 1 s; RSS <= 200 MB; cold start < 1 s.
With --baseline-python PY (a Python whose trackit_sidecar is another build, e.g. a worktree of main), every part
is measured with that build too, in the same run, on the same databases, and the ratios printed. A baseline without
windows answers the window request with the whole document; its "new run" is the acknowledgement followed by the
whole-notebook read its editor makes.
Usage: .venv/bin/python bench/bench_sidecar.py [--quick] [--only reads,delta,cli,memory,ingest,cold,restart]
           [--baseline-python PY] [--record]
--record also writes each measured part's README table rows to bench/results/ (bench/sidecar_rows.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Optional

from trackit_sidecar import protocol as p
from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.rpc_client import StdioRpcClient
from trackit_sidecar.store import Store

sys.path.insert(0, str(Path(__file__).parent))
import sidecar_rows  # noqa: E402
from bench_record import Recording  # noqa: E402
from resident_memory import SAMPLE_EVERY_S, AnonPeak, resident_mb, resident_text  # noqa: E402

THIS = ("this build", sys.executable)
Build = tuple[str, str]  # (name, python whose trackit_sidecar is that build)

CELL_SOURCES = [
    "import pandas as pd\nimport numpy as np",
    "df = pd.read_csv('data/train.csv')\ndf.head()",
    "df = df.drop_duplicates()\ndf['age'] = df['age'].fillna(df['age'].median())",
    "df = df[df['fare'] > 0]\nprint(len(df))",
    "df = pd.get_dummies(df, columns=['embarked', 'sex'])",
    "X = df.drop(columns=['survived'])\ny = df['survived']",
    "from sklearn.model_selection import train_test_split\nX_train, X_test, y_train, y_test = train_test_split(X, y)",
    "from sklearn.linear_model import LogisticRegression\nmodel = LogisticRegression(max_iter=500).fit(X_train, y_train)",
    "acc = model.score(X_test, y_test)\nprint(f'accuracy {acc:.3f}')",
]


def make_event(nb: str, i: int, order: int, t: float) -> p.CellExecution:
    cell = i % len(CELL_SOURCES)
    src = CELL_SOURCES[cell] + f"\n# run {i % 7}"  # a few distinct versions per cell, as in real editing
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=f"file://{nb}", notebook_path=nb, cell_id=f"cell-{cell}",
        cell_uri=f"vscode-notebook-cell:{nb}#c{cell}", cell_index=cell, source=src, execution_order=order,
        started_at=t, ended_at=t + 12.5, status="ok",
        outputs=[p.CellOutput(output_type="stream", mime="text/plain", text=f"{i} rows\n" * 3)],
    )


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def build_env(build: Build) -> dict[str, str]:
    """The environment a build's processes run in. A baseline's runs without this run's PYTHONPATH: one set to a
    worktree's sidecar (how a branch is run) would make the baseline's Python import that worktree's code, and both
    builds measured would be the branch."""
    env = dict(os.environ)
    if build != THIS:
        env.pop("PYTHONPATH", None)
    return env


def sidecar_of(build: Build) -> str:
    """Where the build's Python finds trackit_sidecar (printed: which code each build ran)."""
    import subprocess

    found = subprocess.run([build[1], "-c", "import os, trackit_sidecar as t; print(os.path.dirname(t.__file__))"],
                           capture_output=True, text=True, env=build_env(build))
    return found.stdout.strip() or f"not importable: {found.stderr.strip().splitlines()[-1:]}"


def serve(build: Build, db: str) -> StdioRpcClient:
    return StdioRpcClient([build[1], "-m", "trackit_sidecar", "serve", "--db", db], env=build_env(build))


def ratio(mine: float, base: float) -> str:
    return f"x{mine / base:.2f}" if base else "n/a"


def bench_ingest(tmp: Path, n: int, build: Build = THIS) -> float:
    client = serve(build, str(tmp / f"ingest-{uuid.uuid4().hex[:6]}.duckdb"))
    client.initialize()
    nb = str(tmp / "ingest.ipynb")
    t0 = time.time() * 1000
    events = [make_event(nb, i, i + 1, t0 + i * 20).model_dump(mode="json") for i in range(n)]
    start = time.perf_counter()
    for ev in events:
        client.notify(p.CELL_EXECUTED, ev)
    sent = time.perf_counter()
    acked = 0
    while acked < n:
        acked += len(client.wait_notification(p.LINEAGE_CHANGED, timeout=120)["params"]["event_ids"])
    done = time.perf_counter()
    stored = client.request(p.STATUS, {})["executions_stored"]
    client.close()
    print(f"[{build[0]}] ingest: {n:,} executions over stdio -> DuckDB in {done - start:.2f} s = "
          f"{n / (done - start):,.0f} executions/s (sending alone {n / (sent - start):,.0f}/s; stored {stored:,}; "
          f"target >= 2,000/s)")
    return n / (done - start)


def populate(db: str, notebooks: int, per_notebook: int, names: list[str] | None = None) -> list[str]:
    """`per_notebook` executions of each notebook (kernel restarts every 40 runs) written straight into `db`."""
    store = Store.open(db)
    names = names or [f"/work/nb/project{k // 50}/notebook_{k}.ipynb" for k in range(notebooks)]
    analyses = {}
    t0 = time.time() * 1000 - 86_400_000
    batch: list[p.CellExecution] = []
    for k, nb in enumerate(names):
        for i in range(per_notebook):
            ev = make_event(nb, i, i % 40 + 1, t0 + i * 1000)  # restarts every 40 runs: several sessions
            batch.append(ev)
        if len(batch) >= 2000 or k == len(names) - 1:
            for ev in batch:
                import hashlib

                sha = hashlib.sha256(ev.source.encode()).hexdigest()
                if sha not in analyses:
                    analyses[sha] = analyze_source(ev.source)
            store.ingest(batch, analyses)
            batch = []
    store.close()
    return names


_MAKE_READY_ROWS = """
import sys, time
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store
started = time.perf_counter()
with Store.open(sys.argv[1]) as store:
    service = TrackitService(store)
    if not hasattr(service, "ready"):
        sys.exit(3)
    while service.ready.make_some():
        pass
print(time.perf_counter() - started)
"""


def make_ready_rows(db: str, build: Build = THIS) -> Optional[float]:
    """The build's ready lineage rows for every execution in `db` (ready_lineage.py), as its sidecar makes them when
    idle after storing them (or once, after opening a database written without them), made by that build's code in
    its own process; seconds taken, or None for a build from before the rows (its reads are made from the records).
    Each build reads its own rows: a baseline left without them answered its first touches from the records while
    making its rows in the background, which is not what it does once they are made."""
    import subprocess

    made = subprocess.run([build[1], "-c", _MAKE_READY_ROWS, db], capture_output=True, text=True,
                          env=build_env(build))
    if made.returncode == 3:
        return None
    if made.returncode != 0:
        raise RuntimeError(f"[{build[0]}] making ready rows failed: {made.stderr.strip()[-500:]}")
    return float(made.stdout.split()[-1])


# what each schema version since the ready lineage rows added, undone (store/schema.py MIGRATIONS)
def _keyed_derived_tables(con) -> None:
    """Schema 11 undone: the derived experiments' tables as version 8 made them, with their keys (a cache: empty)."""
    from trackit_sidecar.store import schema

    con.execute("DROP TABLE derived_experiments; DROP TABLE derived_runs; DROP TABLE derived_notebooks")
    schema._derived_experiments(con)


def _one_analysis_per_source(con) -> None:
    """Schema 12 undone: executions without a name for their own analysis. An older build reads its source's (what it
    stored itself); the bench's notebooks re-run unchanged cells in an unchanged context, so it has none."""
    own = con.execute("SELECT count(*) FROM executions WHERE analysis_sha256 IS NOT NULL").fetchone()[0]
    if own:
        raise RuntimeError(f"{own} executions name their own analysis: an older build would read another one")
    con.execute("DROP TABLE analyses")
    con.execute("ALTER TABLE executions DROP COLUMN analysis_sha256")


_UNDO_MIGRATION = {9: lambda con: con.execute("DROP TABLE IF EXISTS lineage_rows"),
                   10: lambda con: con.execute("ALTER TABLE lineage_rows DROP COLUMN shared"),
                   11: _keyed_derived_tables,
                   12: _one_analysis_per_source,
                   13: lambda con: con.execute("DROP TABLE session_contexts")}


def for_build(db: str, build: Build) -> str:
    """`db` (written by this build's store) as `build` can open it: a baseline of an older schema refuses a file of a
    newer one, so it reads a copy with what the newer versions added undone (the file it would have written itself)."""
    if build == THIS:
        return db
    import subprocess

    import duckdb

    theirs = int(subprocess.run([build[1], "-c", "from trackit_sidecar.store import LATEST_VERSION as v; print(v)"],
                                capture_output=True, text=True, check=True, env=build_env(build)).stdout)
    copy = db.replace(".duckdb", f"-{build[0].replace(' ', '-')}.duckdb")
    if not os.path.exists(copy):
        shutil.copyfile(db, copy)
        os.chmod(copy, 0o600)
        con = duckdb.connect(copy)
        for version in range(con.execute("SELECT max(version) FROM schema_version").fetchone()[0], theirs, -1):
            _UNDO_MIGRATION[version](con)  # newest first, down to the baseline's
        con.execute("DELETE FROM schema_version WHERE version > ?", [theirs])
        con.close()
    return copy


def add_runtime_facts(db: str) -> int:
    """What a kernel measures for each stored run, written into `db`: one fact per data variable the run writes (shape,
    nulls and a fingerprint, before and after; every third run adds a column, every fourth converts a dtype) and the
    capture status. The records a real notebook has; a record without facts reads and words faster."""
    from trackit_sidecar.lineage.code_names import code_bindings

    store = Store.open(db)
    rows = store.connection.con.execute(
        "SELECT e.event_id, e.seq, s.writes, s.text FROM executions e JOIN sources s ON s.sha256 = e.source_sha256").fetchall()
    for event_id, seq, writes, source in rows:
        code = code_bindings(source)
        facts = [p.RuntimeFacts(variable=name, kind="DataFrame", rows_before=891 - seq % 5, rows_after=891 - seq % 7,
                                cols_before=12, cols_after=12 + seq % 3, nulls_before=177, nulls_after=177 - seq % 4,
                                fingerprint=f"xxh3_128:{seq:032x}", changed=True,
                                added_columns=["fare_band"] if seq % 3 == 0 else [],
                                dtype_changes={"age": ["object", "float64"]} if seq % 4 == 0 else {})
                 for name in json.loads(writes or "[]") if name not in code]
        if facts:
            store.add_runtime_facts(event_id, facts)
    store.set_runtime_status({event_id: ("captured", "announced") for event_id, *_ in rows})
    store.close()
    return len(rows)


def rss_mb(pid: int) -> float:
    return resident_mb(pid)["VmRSS"]


def timed_ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def cpu_ms(pid: int) -> float:
    """CPU time (user + system, all threads) a process has used: what a request cost the sidecar, apart from
    waiting for a core on a shared machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


class Timed:
    """Wall time and the sidecar's CPU time per request."""

    def __init__(self, client: StdioRpcClient) -> None:
        self.client = client
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __call__(self, fn) -> None:
        cpu = cpu_ms(self.client.proc.pid)
        self.wall.append(timed_ms(fn))
        self.cpu.append(cpu_ms(self.client.proc.pid) - cpu)


def summary(label: str, xs: list[float], target: str = "") -> str:
    return (f"{label:44s} p50 {statistics.median(xs):7.1f} ms  p95 {pct(xs, 0.95):7.1f} ms  (n={len(xs)})"
            + (f"  target {target}" if target else ""))


def warm(client: StdioRpcClient, uris: list[str]) -> None:
    for uri in uris:
        client.request(p.CELL_ANNOTATION, {"notebook_uri": uri, "cell_id": "cell-1"})
        client.request(p.LINEAGE, {"notebook_uri": uri, "include_source": False, "latest_session": True})
        client.request(p.LINEAGE, {"notebook_uri": uri, "include_source": False})


def bench_reads(tmp: Path, notebooks: int, per_notebook: int, builds: list[Build]) -> list[dict[str, list[float]]]:
    db = str(tmp / "reads.duckdb")
    t = time.perf_counter()
    names = populate(db, notebooks, per_notebook)
    print(f"populated {notebooks * per_notebook:,} executions in {notebooks} notebooks of {per_notebook:,} "
          f"in {time.perf_counter() - t:.1f} s")
    uris = [f"file://{nb}" for nb in names]
    dbs = {build: for_build(db, build) for build in builds}
    for build in builds:
        took = make_ready_rows(dbs[build], build)
        print(f"[{build[0]}] " + (f"made its ready lineage rows of {notebooks * per_notebook:,} executions in "
                                  f"{took:.1f} s (what its sidecar does once, when idle, for a database written "
                                  f"without them; load average {os.getloadavg()[0]:.1f})" if took is not None else
                                  "has no ready lineage rows: its whole documents are made from the records"))
    figures = {build[0]: reads_of(build, dbs[build], uris, notebooks, per_notebook) for build in builds}
    if len(builds) > 1:
        mine, base = figures[builds[0][0]], figures[builds[1][0]]
        print(f"  {builds[0][0]} vs {builds[1][0]} (p95 ratio, p50 ratio):")
        for key in mine:
            print(f"    {key:44s} {ratio(pct(mine[key], 0.95), pct(base[key], 0.95))}, "
                  f"{ratio(statistics.median(mine[key]), statistics.median(base[key]))}")
    in_process_cpu(db, uris[2:], random.Random(7))
    return [figures[build[0]] for build in builds]


def reads_of(build: Build, db: str, uris: list[str], notebooks: int, per_notebook: int) -> dict[str, list[float]]:
    warm_up, uris = uris[:2], uris[2:]  # a long-lived sidecar has served something before: not timed
    rng = random.Random(7)
    ann, window, full = ([], []), ([], []), ([], [])

    def keep(into: tuple, timer: Timed) -> None:
        into[0].extend(timer.wall)
        into[1].extend(timer.cpu)

    half = len(uris) // 2
    # each sidecar process first-touches every notebook once: annotations on one half, windows on the other
    for first, second in ((uris[:half], uris[half:]), (uris[half:], uris[:half])):
        client = serve(build, db)
        client.initialize()
        warm(client, warm_up)
        a, w = Timed(client), Timed(client)
        for uri in first:
            a(lambda: client.request(p.CELL_ANNOTATION, {"notebook_uri": uri, "cell_id": f"cell-{rng.randrange(9)}"}))
        for uri in second:
            w(lambda: client.request(p.LINEAGE, {"notebook_uri": uri, "include_source": False, "latest_session": True}))
        keep(ann, a)
        keep(window, w)
        client.close()
    client = serve(build, db)
    client.initialize()
    warm(client, warm_up)
    whole = Timed(client)
    sent_kb, parse_ms = [], []  # each whole document's response as received, and this client's json.loads of it
    for uri in uris:
        whole(lambda: client.request(p.LINEAGE, {"notebook_uri": uri, "include_source": False}))
        sent_kb.append(client.last_bytes / 1024)
        parse_ms.append(client.last_parse_ms)
    keep(full, whole)
    warm_ann, warm_window = Timed(client), Timed(client)
    for _ in range(200):
        uri = rng.choice(uris[:10])
        warm_ann(lambda: client.request(p.CELL_ANNOTATION, {"notebook_uri": uri, "cell_id": f"cell-{rng.randrange(9)}"}))
        warm_window(lambda: client.request(p.LINEAGE, {"notebook_uri": uri, "include_source": False,
                                                     "latest_session": True}))
    window_doc = client.request(p.LINEAGE, {"notebook_uri": uris[0], "include_source": False, "latest_session": True})
    whole_doc = client.request(p.LINEAGE, {"notebook_uri": uris[0], "include_source": False})
    client.close()
    # what the editor holds for a notebook it opens (the tree's model; more only for sessions the user expands)
    print(f"[{build[0]}] a notebook opened in the editor: the window holds {len(window_doc['executions']):,} of "
          f"{len(whole_doc['executions']):,} executions, {len(json.dumps(window_doc)) / 1024:,.0f} KB vs the whole "
          f"document's {len(json.dumps(whole_doc)) / 1024:,.0f} KB")
    print(f"[{build[0]}] reads over stdio, {notebooks * per_notebook:,} executions in the database, notebooks of "
          f"{per_notebook:,} executions (wall time, machine load average {os.getloadavg()[0]:.1f}):")
    for label, (wall, cpu), target in (("annotation, first touch", ann, "p95 <= 20 ms"),
                                       ("editor's lineage window, first touch", window, "p95 <= 100 ms"),
                                       ("whole document, first touch", full, "(issue 15: p95 <= 100 ms)"),
                                       ("annotation, repeated", (warm_ann.wall, warm_ann.cpu), ""),
                                       ("editor's lineage window, repeated", (warm_window.wall, warm_window.cpu), "")):
        print("  " + summary(label, wall, target))
        # the sidecar's CPU (all threads, 10 ms clock ticks: only the mean is meaningful) next to the mean wall
        # time: what is left is waiting, mostly for a core on this shared machine
        print(f"    {'':44s} mean wall {statistics.mean(wall):7.1f} ms, sidecar CPU {statistics.mean(cpu):7.1f} ms")
    print(f"    ratio whole document / window, p50: x{statistics.median(full[0]) / statistics.median(window[0]):.1f}")
    print(f"    whole document response {statistics.median(sent_kb):,.0f} KB as received (p50); the client's json.loads "
          f"of it p50 {statistics.median(parse_ms):.1f} ms, p95 {pct(parse_ms, 0.95):.1f} ms (inside the wall time)")
    return {"annotation, first touch": ann[0], "editor's lineage window, first touch": window[0],
            "whole document, first touch": full[0], "annotation, repeated": warm_ann.wall,
            "editor's lineage window, repeated": warm_window.wall}


def in_process_cpu(db: str, uris: list[str], rng: random.Random) -> None:
    """The same first touches as TrackitService calls in this process, timed by CPU time (process_time): what
    they cost apart from waiting for a core on a shared machine (stdio and JSON excluded)."""
    from trackit_sidecar.services import TrackitService

    service = TrackitService(Store.open(db, read_only=True))
    service.annotation(uris[0], "cell-1")  # warm: imports, first queries
    service.lineage(uris[1], latest_session=True)
    half = len(uris) // 2
    costs: dict[str, list[float]] = {"annotation": [], "window": [], "whole": [], "whole, ready rows": []}

    def cpu(label: str, fn) -> None:
        started = time.process_time()
        fn()
        costs[label].append((time.process_time() - started) * 1000)

    for uri in uris[2:half]:
        cpu("annotation", lambda: service.annotation(uri, f"cell-{rng.randrange(9)}"))
    for uri in uris[half:]:
        cpu("window", lambda: service.public_lineage(uri, False, latest_session=True).model_dump(
            mode="json", exclude={"executions": {"__all__": {"source"}}}))
    service.views.forget()
    for uri in uris[2:]:
        cpu("whole", lambda: json.dumps(service.public_lineage(uri, False).model_dump(
            mode="json", exclude={"executions": {"__all__": {"source"}}})))
    service.views.forget()
    for uri in uris[2:]:
        cpu("whole, ready rows", lambda: service.whole_lineage_json(uri, False))
    service.store.close()
    print("  the same first touches in-process, CPU time (what a free core would take; no stdio):")
    for label, target in (("annotation", "p95 <= 20 ms"), ("window", "p95 <= 100 ms"), ("whole", ""),
                          ("whole, ready rows", "")):
        print("    " + summary(f"{label}, first touch, CPU", costs[label], target))


def bench_delta(tmp: Path, per_notebook: int, runs: int, build: Build = THIS) -> dict[str, float]:
    """A new run of a notebook the editor holds: the lineageChanged that carries it, vs reading the whole notebook.
    A build whose lineageChanged carries no runs: the acknowledgement, then the whole-notebook read its editor makes."""
    db = str(tmp / f"delta-{uuid.uuid4().hex[:6]}.duckdb")
    names = populate(db, 1, per_notebook)
    if build == THIS:
        make_ready_rows(db)  # as its sidecar would have made them when the runs were stored
    uri = f"file://{names[0]}"
    client = serve(build, for_build(db, build))
    client.initialize()
    client.request(p.LINEAGE, {"notebook_uri": uri, "include_source": False, "latest_session": True})
    t0 = time.time() * 1000
    delta, reload, sizes = [], [], []
    carries_runs = True
    for i in range(runs):
        ev = make_event(names[0], per_notebook + i, 41 + i, t0 + i * 50).model_dump(mode="json")
        ev["kernel_id"] = "bench-live"  # one live session after the stored history
        started = time.perf_counter()
        client.notify(p.CELL_EXECUTED, ev)
        seq = per_notebook + i + 1  # the message that carries the run (an earlier change may take it along)
        message = client.wait_notification(p.LINEAGE_CHANGED, timeout=30, predicate=lambda params, seq=seq, ev=ev: any(
            e["seq"] == seq for e in params.get("executions") or []) or (
            "after_seq" not in params and ev["event_id"] in (params.get("event_ids") or [])))
        if "after_seq" not in message["params"]:  # no delta: the editor reads the notebook again
            carries_runs = False
            client.request(p.LINEAGE, {"notebook_uri": uri, "include_source": False})
        delta.append((time.perf_counter() - started) * 1000)
        sizes.append(len(json.dumps(message["params"])))
        if i % 5 == 0:
            reload.append(timed_ms(lambda: client.request(p.LINEAGE, {"notebook_uri": uri, "include_source": False})))
    client.close()
    print(f"[{build[0]}] a new run of a notebook the editor holds ({per_notebook:,} executions), over stdio:")
    print("  " + summary("cellExecuted -> lineageChanged with the delta" if carries_runs else
                         "cellExecuted -> acknowledged + whole-notebook read", delta)
          + f"; message {statistics.median(sizes) / 1024:.1f} KB")
    print("  " + summary("(what a delta replaces) whole-notebook read", reload))
    return {"p50": statistics.median(delta), "p95": pct(delta, 0.95), "message_kb": statistics.median(sizes) / 1024,
            "carries_runs": carries_runs}


def restart_db(tmp: Path, executions: int, all_new: bool) -> tuple[str, str]:
    """One kernel session of `executions` cells stored by this build's service (with what it stores of the session's
    context); re-run cells (nine cells in a few versions) or every one a new text. The database and its notebook."""
    from trackit_sidecar.services import TrackitService

    db = str(tmp / f"restart-{uuid.uuid4().hex[:6]}.duckdb")
    nb = str(tmp / ("all-new.ipynb" if all_new else "re-run.ipynb"))
    t0 = time.time() * 1000 - 86_400_000
    events = [make_event(nb, i, i + 1, t0 + i * 1000) for i in range(executions)]
    if all_new:
        events = [e.model_copy(update={"source": e.source + f"\nstep_{i} = {i}"}) for i, e in enumerate(events)]
    with Store.open(db) as store:
        service = TrackitService(store)
        for start in range(0, executions, 100):  # batches as the sidecar stores them
            service.ingest(events[start:start + 100])
    return db, nb


def bench_restart(tmp: Path, executions: int, runs: int, builds: list[Build]) -> dict[tuple[str, str], list[list[float]]]:
    """A sidecar restarted while the kernel goes on: the first cell it is sent (its session's context read back before
    it is classified) and the next one, from cellExecuted to the row stored (the sidecar's count of stored executions,
    asked over and over: answered from memory, never behind a write) and to the lineageChanged acknowledging it (which
    also carries the run: the first one reads the session's records). Each run a fresh copy of the database and a new
    process; builds interleaved run by run. The control: the first cell of a notebook with nothing stored, which pays
    what a fresh sidecar's first cell pays anyway (importing the classifier: ~0.25 s). Figures per build and kind: [stored first, stored next, acked first,
    acked next] per run, in ms."""
    figures: dict[tuple[str, str], list[list[float]]] = {}
    for kind in ("re-run cells", "all-new cells", "re-run cells, control: a cell of another notebook"):
        db, nb = restart_db(tmp, executions, kind == "all-new cells")
        first_order = executions + 1
        if kind.endswith("another notebook"):  # nothing to read back: what a fresh sidecar's first cell costs anyway
            nb, first_order = str(tmp / "other.ipynb"), 1
        t0 = time.time() * 1000
        for run in range(runs):
            for build in builds:
                copy = str(tmp / f"restart-run-{uuid.uuid4().hex[:6]}.duckdb")
                shutil.copyfile(for_build(db, build), copy)
                os.chmod(copy, 0o600)
                client = serve(build, copy)
                client.initialize()
                stored, acked = [], []
                for i in range(2):  # the first cell after the restart, then the next
                    ev = make_event(nb, executions + i, first_order + i, t0 + run * 100 + i * 50)
                    count = client.request(p.STATUS, {})["executions_stored"]
                    started = time.perf_counter()
                    client.notify(p.CELL_EXECUTED, ev.model_dump(mode="json"))
                    while client.request(p.STATUS, {})["executions_stored"] == count:
                        pass
                    stored.append((time.perf_counter() - started) * 1000)
                    client.wait_notification(p.LINEAGE_CHANGED, timeout=120, predicate=lambda params, ev=ev: (
                        ev.event_id in (params.get("event_ids") or [])))
                    acked.append((time.perf_counter() - started) * 1000)
                client.close()
                figures.setdefault((build[0], kind), []).append(stored + acked)
    for (build, kind), taken in figures.items():
        first, nxt, first_ack, next_ack = (statistics.median(t[k] for t in taken) for k in range(4))
        print(f"[{build}] restart, {executions:,} executions of {kind} stored: the first cell after it stored in median "
              f"{first:.0f} ms (acknowledged {first_ack:.0f} ms), the next {nxt:.0f} ms ({next_ack:.0f} ms); n={len(taken)}: "
              + ", ".join(f"{a:.0f}/{b:.0f}" for a, b, *_ in taken))
    return figures


def bench_cli_tree(tmp: Path, executions: int, builds: list[Build]) -> dict[tuple[str, str], tuple[list, list]]:
    """`trackit lineage` as a user runs it: a new process each time, with its bytecode cached (a fresh __pycache__
    under tmp, the same for every build: the environment may forbid writing bytecode, which would time compiling).
    Builds interleaved run by run; wall time and the process's CPU time (user + system, all threads)."""
    import resource
    import subprocess

    db = str(tmp / f"cli-{uuid.uuid4().hex[:6]}.duckdb")
    names = populate(db, 1, executions)
    with_facts = str(tmp / f"cli-facts-{uuid.uuid4().hex[:6]}.duckdb")
    shutil.copyfile(db, with_facts)
    os.chmod(with_facts, 0o600)  # as the store makes its files: owner-only
    add_runtime_facts(with_facts)
    envs = {build: {**{k: v for k, v in build_env(build).items() if k != "PYTHONDONTWRITEBYTECODE"},
                    "PYTHONPYCACHEPREFIX": str(tmp / "pycache")} for build in builds}
    commands = {"tree": ["lineage", names[0], "--db", db], "--json": ["lineage", names[0], "--db", db, "--json"],
                "tree, facts": ["lineage", names[0], "--db", with_facts],
                "--json, facts": ["lineage", names[0], "--db", with_facts, "--json"], "--help alone": ["--help"]}
    files = {build: {db: for_build(db, build), with_facts: for_build(with_facts, build)} for build in builds}
    figures: dict[tuple[str, str], tuple[list[float], list[float]]] = {
        (build[0], what): ([], []) for build in builds for what in commands}

    def run(build: Build, what: str) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([build[1], "-m", "trackit_sidecar", *[files[build].get(a, a) for a in commands[what]]],
                       capture_output=True, check=True, env=envs[build])
        wall = (time.perf_counter() - started) * 1000
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        figures[(build[0], what)][0].append(wall)
        figures[(build[0], what)][1].append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)

    for build in builds:  # not timed: writes each build's bytecode cache
        run(build, "--help alone")
        figures[(build[0], "--help alone")][0].clear()
        figures[(build[0], "--help alone")][1].clear()
    for _ in range(7):
        for what in commands:
            for build in builds:
                run(build, what)
    print(f"`trackit lineage` on a {executions:,}-execution notebook, process start included, median of 7 runs, builds "
          f"interleaved (load average {os.getloadavg()[0]:.1f}; target: tree <= 1 s):")
    for what in commands:
        for build in builds:
            wall, cpu = figures[(build[0], what)]
            line = (f"  [{build[0]}] {what:14s} wall {statistics.median(wall):6.0f} ms  "
                    f"CPU {statistics.median(cpu):6.0f} ms")
            if build is not builds[0]:
                mine_wall, mine_cpu = figures[(builds[0][0], what)]
                line += (f"   this build / {build[0]}: wall {ratio(statistics.median(mine_wall), statistics.median(wall))}"
                         f", CPU {ratio(statistics.median(mine_cpu), statistics.median(cpu))}")
            print(line)
    return figures


QUIET_AFTER_SERVING_S = 15.0  # the capture backlog drains after serving (~5 s here), then 1 s of quiet


def bench_memory(tmp: Path, notebooks: int, per_notebook: int, build: Build = THIS) -> dict[str, float]:
    db = str(tmp / f"memory-{uuid.uuid4().hex[:6]}.duckdb")
    client = serve(build, db)
    client.initialize()
    client.request(p.STATUS, {})
    pid = client.proc.pid
    at_start = resident_text(pid)
    anon = AnonPeak(pid)  # RssAnon beside the total: what two builds' venvs cannot make differ (resident_memory.py)
    names = [str(tmp / f"mem{k}.ipynb") for k in range(notebooks)]
    t0 = time.time() * 1000
    sent = 0
    for i in range(per_notebook):
        for k, nb in enumerate(names):
            ev = make_event(nb, i, i % 40 + 1, t0 + i * 1000 + k).model_dump(mode="json")
            client.notify(p.CELL_EXECUTED, ev)
            sent += 1
        if i % 40 == 39:  # let the batcher keep up, as a real editor's pace would
            stored = 0
            while stored < sent:
                stored = client.request(p.STATUS, {}, timeout=120)["executions_stored"]
    after_ingest = resident_text(pid)
    peak_ingest, anon_peak_ingest = resident_mb(pid)["VmHWM"], anon.peak()
    for nb in names:
        uri = f"file://{nb}"
        client.request(p.LINEAGE, {"notebook_uri": uri, "include_source": False, "latest_session": True}, timeout=120)
        client.request(p.LINEAGE, {"notebook_uri": uri}, timeout=120)
        for cell in range(9):
            client.request(p.CELL_ANNOTATION, {"notebook_uri": uri, "cell_id": f"cell-{cell}"}, timeout=120)
    after_reads, sizes_after_reads = resident_text(pid), resident_mb(pid)
    peak_reads, anon_peak_reads = resident_mb(pid)["VmHWM"], anon.peak()
    time.sleep(QUIET_AFTER_SERVING_S)  # the user stops: what the sidecar keeps while it waits
    after_quiet = resident_text(pid)
    for nb in names:  # then every notebook's experiments panel: what a listing derives is kept in memory
        client.request(p.EXPERIMENTS, {"notebook_uri": f"file://{nb}"}, timeout=300)
    after_experiments = resident_text(pid)
    peak, anon_peak = resident_mb(pid)["VmHWM"], anon.peak()
    stored = client.request(p.STATUS, {})["executions_stored"]
    anon.stop()
    client.close()
    print(f"[{build[0]}] memory: sidecar RSS {at_start} at start; {after_ingest} after {stored:,} "
          f"executions in {notebooks} notebooks; {after_reads} after serving every notebook's window, whole "
          f"document and annotations; {after_quiet} {QUIET_AFTER_SERVING_S:.0f} s later, nothing asked; "
          f"{after_experiments} after listing every notebook's experiments "
          f"(high-water mark {peak_ingest:.0f} MB while storing, {peak_reads:.0f} MB by the end of serving, "
          f"{peak:.0f} MB in all; target <= 200 MB); anonymous (RssAnon) high-water mark, sampled every "
          f"{SAMPLE_EVERY_S * 1000:.0f} ms: {anon_peak_ingest:.0f} MB while storing, {anon_peak_reads:.0f} MB by the end "
          f"of serving, {anon_peak:.0f} MB in all")
    return {"rss_after_reads_mb": sizes_after_reads["VmRSS"], "peak_mb": peak, "peak_while_storing_mb": peak_ingest,
            "peak_by_end_of_serving_mb": peak_reads, "anon_after_reads_mb": sizes_after_reads["RssAnon"],
            "anon_peak_mb": anon_peak, "anon_peak_while_storing_mb": anon_peak_ingest,
            "anon_peak_by_end_of_serving_mb": anon_peak_reads}


def bench_cold_start(tmp: Path, runs: int, build: Build = THIS) -> float:
    db = str(tmp / f"cold-{uuid.uuid4().hex[:6]}.duckdb")
    times, rss = [], []
    for _ in range(runs):
        t = time.perf_counter()
        client = serve(build, db)
        client.initialize()
        client.request(p.STATUS, {})
        times.append(time.perf_counter() - t)
        rss.append(rss_mb(client.proc.pid))
        client.close()
    print(f"[{build[0]}] cold start (spawn -> initialize + status answered): median "
          f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over {runs} runs (target < 1 s); "
          f"resident memory {statistics.median(rss):.0f} MB")
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    ap.add_argument("--only", default="cold,ingest,reads,delta,cli,memory,restart")
    ap.add_argument("--baseline-python", help="a Python whose trackit_sidecar is the build to compare with")
    ap.add_argument("--record", action="store_true", help="write the measured parts' rows to bench/results/")
    args = ap.parse_args()
    recording = (Recording("bench/bench_sidecar.py", sys.argv, baseline_python=args.baseline_python)
                 if args.record else None)
    record = recording.add if recording else lambda row: None
    only = set(args.only.split(","))
    q = args.quick
    builds = [THIS] + ([("baseline", args.baseline_python)] if args.baseline_python else [])

    def each(label: str, unit: str, fn, shown=lambda result: result) -> list:
        """Every build in turn; then this build's figure (`shown` of what fn returns) over the baseline's."""
        results = [fn(build) for build in builds]
        figures = [shown(result) for result in results]
        if len(figures) > 1:
            print(f"  {label}: this build {figures[0]:,.0f} {unit} vs baseline {figures[1]:,.0f} {unit} "
                  f"({ratio(figures[0], figures[1])}); load average {os.getloadavg()[0]:.1f}")
        return results

    with tempfile.TemporaryDirectory(prefix="trackit-bench-") as d:
        tmp = Path(d)
        print(f"python {sys.version.split()[0]}; {time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} cores; "
              f"load average {os.getloadavg()[0]:.1f}; builds: " + ", ".join(f"{b[0]} ({b[1]}: {sidecar_of(b)})" for b in builds))
        if "cold" in only:
            runs = 3 if q else 7
            record(sidecar_rows.cold_start(each("cold start, median", "ms", lambda b: bench_cold_start(tmp, runs, b)),
                                           runs))
        if "ingest" in only:
            n = 1000 if q else 10_000
            record(sidecar_rows.ingest(each("ingest", "executions/s", lambda b: bench_ingest(tmp, n, b)), n))
        if "reads" in only:
            notebooks = 12 if q else 52
            for row in sidecar_rows.reads(bench_reads(tmp, notebooks, 2000, builds), notebooks, 2000):
                record(row)
        if "delta" in only:
            runs = 20 if q else 200
            record(sidecar_rows.new_run(each("new run to the editor, p95", "ms",
                                             lambda b: bench_delta(tmp, 2000, runs, b), shown=lambda r: r["p95"]),
                                        2000, runs))
        if "cli" in only:
            record(sidecar_rows.cli_tree(bench_cli_tree(tmp, 5000, builds), [b[0] for b in builds], 5000))
        if "memory" in only:
            notebooks, per_notebook = (5, 400) if q else (25, 2000)
            record(sidecar_rows.memory(each("RSS after serving every notebook", "MB",
                                            lambda b: bench_memory(tmp, notebooks, per_notebook, b),
                                            shown=lambda result: result["rss_after_reads_mb"]),
                                       notebooks, per_notebook))
        if "restart" in only:
            bench_restart(tmp, 2000, 2 if q else 5, builds)
        print(f"done {time.strftime('%H:%M')}; load average {os.getloadavg()[0]:.1f}")
    if recording:
        recording.write()


if __name__ == "__main__":
    main()
