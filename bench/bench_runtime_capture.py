"""What does TrackIT's runtime capture cost a real pandas notebook? (a script, not a test)

    .venv/bin/python bench/bench_runtime_capture.py [--rounds 3] [--rows 1000000] [--kernel-python PY]
        [--ipyflow-python /tmp/ipyflow-venv/bin/python] [--install-ipyflow] [--notebook PATH ...]
        [--baseline-probe /tmp/base/sidecar/trackit_sidecar/kernel/probe.py] [--gap-ms 20] [--record]

Runs one realistic ~35-cell pandas notebook (frames up to --rows rows, generated in memory)
in three kernels, interleaved round by round so machine noise hits all of them alike:

  plain    ipykernel, nothing attached; it and the probe configs' kernels run in the notebook kernel's venv
           (bench/notebook_kernel.py: made once from bench/notebook_kernel_requirements.txt, the libraries real
           notebooks import, plotting included), or in --kernel-python
  trackit  ipykernel + TrackIT's probe, installed and read through a SECOND client exactly
           as the sidecar does with a VS Code kernel (RuntimeCapture); each cell's facts taken
           (pushed by the probe, or fetched where no push comes) before the next cell
  base     like trackit, with another build's probe (--baseline-probe: e.g. main's, from a detached worktree)
  ipyflow  the ipyflow kernel (PyPI `ipyflow`), from a separate venv so nothing of it lands
           in TrackIT's environment; `--install-ipyflow` makes it: the notebook kernel's pins + ipyflow

Prints medians, overhead ratios, the kernel process's CPU time per cell (all its threads, from
/proc/<pid>/task/*/schedstat, for TrackIT with the facts fetch included) paired against plain, per-cell capture cost p50/p95 from the probe's in-kernel
timers (the hooks, in the cell's time; the null counts and fingerprints, measured after the cell's
reply by a probe of version 6 or later, before it by an older pushing probe), and fingerprint throughput next to this machine's numpy
memory-copy bandwidth measured in the same run. `--notebook` adds real notebooks (their code
cells, run in their folder so their data files resolve), each measured the same way; keep them
outside the repository. Nothing is written to the repository.

--gap-ms: every kernel gets its next cell that long after the previous cell's reply (a probe config's facts are taken
within it), as a user's cells come with time between them. Without it, plain gets its next cell at once while a probe
config gets it after waiting >= 5 ms for the facts (PUSH_AFTER_REPLY_SECONDS), and a kernel woken from idle runs a
short cell slower on this machine (plain made to wait 5 ms: ~+0.3 ms per short cell on pandas-06): part of the probe's
added wall would be that wake-up, which a user's plain kernel pays too. Rounds with a gap are saved and reported as
their own workload ("NAME [gap N ms]").

--run-all: every kernel gets its next cell as soon as the previous reply is in, and the second client takes every cell's
facts after the last cell, as in a Run All: a probe kernel then measures the previous cell's facts at the start of the
next cell (pre_run_cell sends what is left), so that measuring is in the cells' wall time. Saved as "NAME [run all]".

--back-to-back: as --run-all, but each next cell is sent the moment the previous reply is in, before the /proc
readings (a cell's CPU then runs from the reading after its own send to the one after the next cell's send): --run-all's
readings take a few ms between a reply and the next cell, which a push made while the kernel is idle fits in, so no
next cell ever came during one there (kern30). A frontend that sends the next cell on the reply (nbclient) does not wait.
Saved as "NAME [back to back]".

--record: the README table's rows (in-kernel cost per heavy cell, added wall share per workload, fingerprint
throughput) also go to bench/results/ (bench/runtime_capture_rows.py), from every round reported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "sidecar"))

from jupyter_client import KernelManager  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402

from trackit_sidecar.kernel import probe_expressions  # noqa: E402
from trackit_sidecar.kernel.probe import fingerprints, measurements, nulls  # noqa: E402
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture  # noqa: E402

sys.path.insert(0, str(REPO / "bench"))
import notebook_kernel  # noqa: E402
import runtime_capture_rows  # noqa: E402
from bench_record import Recording  # noqa: E402
from paired_estimate import bootstrap_interval, paired_rounds, paired_share  # noqa: E402

DEFAULT_IPYFLOW_PYTHON = "/tmp/ipyflow-venv/bin/python"
IPYFLOW_PIN = "ipyflow==0.0.231"
KERNEL_SPECS = {"ipyflow": "ipyflow-bench"}  # the kernelspec each config starts; the rest start NOTEBOOK_SPEC
NOTEBOOK_SPEC = "notebook-kernel"
# the probe the "base" config installs (--baseline-probe), as probe_expressions.probe_modules reads it
BASELINE_PROBE: tuple | None = None
CAPTURING = ("trackit", "base")  # configs with TrackIT's probe in the kernel


# ------------------------------------------------------------------ the notebook
def notebook_cells(rows: int) -> list[tuple[str, str]]:
    """(label, source) pairs; label 'trivial' marks cells that touch no large data."""
    n = rows
    return [
        ("setup", "import numpy as np\nimport pandas as pd\nrng = np.random.default_rng(7)"),
        ("heavy", f"""n = {n}
events = pd.DataFrame({{
    "user_id": rng.integers(0, 50_000, n),
    "ts": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90 * 86400, n), unit="s"),
    "amount": rng.gamma(2.0, 30.0, n).round(2),
    "category": rng.choice(["grocery", "travel", "fuel", "dining", "online", "health"], n),
    "country": rng.choice(["NO", "SE", "DK", "FI", "DE", "FR", "IT"], n),
    "device": rng.choice(["ios", "android", "web"], n, p=[0.4, 0.4, 0.2]),
    "is_refund": rng.random(n) < 0.03,
}})"""),
        ("trivial", "events.shape"),
        ("heavy", """users = pd.DataFrame({
    "user_id": np.arange(50_000),
    "age": rng.integers(18, 90, 50_000).astype("float64"),
    "tier": rng.choice(["free", "plus", "pro"], 50_000, p=[0.7, 0.2, 0.1]),
    "signup": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1400, 50_000), unit="D"),
})"""),
        ("trivial", "users.dtypes"),
        ("heavy", "missing = rng.random(len(events)) < 0.05\nevents.loc[missing, \"amount\"] = np.nan\nusers.loc[rng.random(len(users)) < 0.1, \"age\"] = np.nan"),
        ("trivial", "threshold = 500"),
        ("heavy", "events.isna().sum()"),
        ("heavy", "events[\"amount\"] = events[\"amount\"].fillna(events.groupby(\"category\")[\"amount\"].transform(\"median\"))"),
        ("heavy", "events = events[~events[\"is_refund\"]]"),
        ("heavy", "events = events[events[\"amount\"] < threshold]"),
        ("heavy", "events[\"hour\"] = events[\"ts\"].dt.hour\nevents[\"weekday\"] = events[\"ts\"].dt.dayofweek"),
        ("heavy", "events[\"category\"] = events[\"category\"].astype(\"category\")"),
        ("trivial", "x = 1"),
        ("heavy", "per_user = events.groupby(\"user_id\").agg(spend=(\"amount\", \"sum\"), visits=(\"amount\", \"size\"), last_seen=(\"ts\", \"max\")).reset_index()"),
        ("heavy", "users[\"age\"] = users[\"age\"].fillna(users[\"age\"].median())"),
        ("heavy", "profile = users.merge(per_user, on=\"user_id\", how=\"left\")"),
        ("heavy", "profile[\"spend\"] = profile[\"spend\"].fillna(0.0)\nprofile[\"visits\"] = profile[\"visits\"].fillna(0).astype(\"int64\")"),
        ("heavy", "profile[\"spend_per_visit\"] = profile[\"spend\"] / profile[\"visits\"].clip(lower=1)"),
        ("trivial", "len(profile)"),
        ("heavy", "by_country = events.pivot_table(index=\"country\", columns=\"device\", values=\"amount\", aggfunc=\"mean\")"),
        ("heavy", "top = events.sort_values(\"amount\", ascending=False).head(1000)"),
        ("heavy", "dedup = events.drop_duplicates(subset=[\"user_id\", \"category\"])"),
        ("heavy", "events[\"country\"].value_counts()"),
        ("heavy", "events[\"amount\"].describe()"),
        ("trivial", "print('checkpoint')"),
        ("heavy", "sample = events.sample(min(100_000, len(events) // 2), random_state=1)"),
        ("heavy", "encoded = pd.get_dummies(sample, columns=[\"device\", \"country\"], dtype=\"int8\")"),
        ("heavy", "daily = events.set_index(\"ts\").resample(\"D\")[\"amount\"].sum()\nrolling = daily.rolling(7).mean()"),
        ("heavy", "amounts = events[\"amount\"].to_numpy()\nlog_amounts = np.log1p(amounts)"),
        ("heavy", "both = pd.concat([top, sample.head(1000)], ignore_index=True)"),
        ("heavy", "renamed = profile.rename(columns={\"spend\": \"total_spend\", \"visits\": \"n_visits\"})"),
        ("heavy", "big_spenders = profile.query(\"spend > 3000 and tier != 'free'\")"),
        ("heavy", "nordic = events[events[\"country\"].isin([\"NO\", \"SE\", \"DK\", \"FI\"])]"),
        ("heavy", "sample[\"category_upper\"] = sample[\"category\"].astype(str).str.upper()"),
        ("trivial", "y = x + 1"),
        ("heavy", "summary = profile.groupby(\"tier\")[[\"spend\", \"visits\", \"spend_per_visit\"]].mean()\nsummary"),
    ]


# ------------------------------------------------------------------ kernels
def kernel_specs(kernel_python: str, ipyflow_python: str | None, workdir: Path) -> KernelSpecManager:
    """The kernelspecs the configs start, each pointing at its venv's own interpreter (jupyter_client would
    otherwise swap a bare "python" for this interpreter)."""
    ksm = notebook_kernel.spec_manager(NOTEBOOK_SPEC, [kernel_python, "-m", "ipykernel_launcher", "-f",
                                                       "{connection_file}"], workdir)
    if ipyflow_python:
        notebook_kernel.spec_manager(KERNEL_SPECS["ipyflow"], [ipyflow_python, "-m", "ipyflow.kernel", "-f",
                                                               "{connection_file}"], workdir)
    return ksm


def ipyflow_status(python: str, install: bool) -> tuple[bool, str]:
    if install:  # the notebook kernel's pins too, so a notebook's imports resolve in ipyflow's kernel as in plain's
        try:
            notebook_kernel.ensure_venv(Path(python).parents[1], extra=(IPYFLOW_PIN,))
        except subprocess.CalledProcessError as error:
            return False, f"install failed ({error})"
    if not Path(python).exists():
        return False, f"no interpreter at {python}; run with --install-ipyflow"
    check = subprocess.run([python, "-c", "import ipyflow, pandas; print(ipyflow.__version__)"],
                           capture_output=True, text=True)
    if check.returncode != 0:
        return False, (check.stderr.strip().splitlines() or ["import failed"])[-1]
    return True, check.stdout.strip()


def notebook_file_cells(path: Path) -> list[tuple[str, str]]:
    """The code cells of a real notebook, as ("cell", source)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            source = "".join(cell.get("source", [])) if isinstance(cell.get("source"), list) else cell.get("source", "")
            if source.strip():
                cells.append(("cell", source))
    return cells


def thread_cpu_ns(pid: int, tid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):  # a thread that ended meanwhile
        return 0


def process_cpu_ns(pid: int) -> int:
    return sum(thread_cpu_ns(pid, int(tid)) for tid in os.listdir(f"/proc/{pid}/task"))


class Session:
    def __init__(self, config: str, cwd: Path, ksm: KernelSpecManager):
        self.manager = KernelManager(kernel_name=KERNEL_SPECS.get(config, NOTEBOOK_SPEC), kernel_spec_manager=ksm)
        self.manager.start_kernel(cwd=str(cwd))
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=120)
        self.capture = None
        if config in CAPTURING:
            self.capture = RuntimeCapture(self.manager.connection_file, timeout=30)
            own_modules = probe_expressions.probe_modules
            if config == "base":
                probe_expressions.probe_modules = lambda: BASELINE_PROBE
            # it is cached: built once from whichever probe came first
            probe_expressions.install_expression.cache_clear()
            try:
                if not self.capture.install():
                    raise RuntimeError("probe install failed")
            finally:
                probe_expressions.probe_modules = own_modules
                probe_expressions.install_expression.cache_clear()

    def cpu_ns(self) -> tuple[int, int]:
        """CPU time the kernel process has used so far (ns; the scheduler's own account): all its threads, and its
        main thread alone (the cells and the probe's hooks; the rest is ipykernel's I/O threads and the probe's push)."""
        pid = self.manager.provisioner.pid
        return process_cpu_ns(pid), thread_cpu_ns(pid, pid)

    @staticmethod
    def client_cpu_ns() -> int:
        """CPU time this process (the frontend: sending cells, reading replies, and for a probe config the facts
        inbox's thread taking the pushes) has used so far, all threads (ns)."""
        return process_cpu_ns(os.getpid())

    def waited_ns(self) -> int:
        """How long the kernel's main thread (which runs the cells) and this process's thread (which sends them and
        reads the replies) have waited for a core so far: the scheduler's run_delay (/proc/.../schedstat, ns). On a
        shared machine that waiting, not the work, is most of a cell's wall-time noise."""
        pid = self.manager.provisioner.pid
        total = 0
        for path in (f"/proc/{pid}/task/{pid}/schedstat", f"/proc/self/task/{threading.get_native_id()}/schedstat"):
            try:
                total += int(Path(path).read_text().split()[1])
            except (OSError, ValueError, IndexError):
                pass
        return total

    def send(self, source: str) -> tuple[str, float]:
        """Send a cell without waiting: (its msg_id, when it was sent)."""
        return self.client.execute(source), time.perf_counter()

    def reply_to(self, sent: tuple[str, float], timeout: float = 600) -> tuple[float, int | None, str]:
        """Wait for the reply to a cell sent with send(): as run_cell returns (its output is not read)."""
        msg_id, started = sent
        while True:
            reply = self.client.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        elapsed = time.perf_counter() - started
        content = reply["content"]
        return elapsed, content.get("execution_count"), (content.get("ename") or content["status"]
                                                          if content["status"] != "ok" else "ok")

    def run_cell(self, source: str, timeout: float = 600) -> tuple[float, int | None, str]:
        """The cell's round trip (s), its execution count, and its status ("ok", or the error's name)."""
        started = time.perf_counter()
        reply = self.client.execute_interactive(source, timeout=timeout, output_hook=lambda msg: None)
        elapsed = time.perf_counter() - started
        content = reply["content"]
        return elapsed, content.get("execution_count"), (content.get("ename") or content["status"]
                                                          if content["status"] != "ok" else "ok")

    def close(self) -> None:
        if self.capture is not None:
            self.capture.close()
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def run_notebook_once(config: str, cells, cwd: Path, ksm, gap: float = 0.0, run_all: bool = False,
                      back_to_back: bool = False) -> dict:
    session = Session(config, cwd, ksm)
    run_all = run_all or back_to_back
    try:
        cell_seconds, cell_waited, cell_cpu_ms, capture_ms, fetch_ms, facts_count, errors = [], [], [], [], [], 0, []
        counts, main_cpu_ms, client_cpu_ms = [], [], []
        sent = session.send(cells[0][1]) if back_to_back else None
        for number, (label, source) in enumerate(cells, 1):
            if not back_to_back or number == 1:
                cpu_before, main_before = session.cpu_ns()
                client_before = session.client_cpu_ns()
                waited_before = session.waited_ns()
            if back_to_back:
                elapsed, count, status = session.reply_to(sent)
                if number < len(cells):  # the next cell at once, the readings after it (--back-to-back)
                    sent = session.send(cells[number][1])
            else:
                elapsed, count, status = session.run_cell(source)
            cell_seconds.append(elapsed)
            waited_after = session.waited_ns()
            cell_waited.append((waited_after - waited_before) / 1e9)
            if status != "ok":
                errors.append(f"cell {number} {status}")
            fetch = 0.0
            counts.append(count)
            if session.capture is not None and count is not None and not run_all:
                started = time.perf_counter()
                facts = session.capture.facts(count)  # as the sidecar asks, right after the cell
                fetch = time.perf_counter() - started
                facts_count += len(facts)
                if session.capture.last_capture_ms is not None:
                    capture_ms.append(session.capture.last_capture_ms)
            fetch_ms.append(fetch * 1000)
            cpu_after, main_after = session.cpu_ns()
            cell_cpu_ms.append((cpu_after - cpu_before) / 1e6)  # the cell and, for TrackIT, its facts
            main_cpu_ms.append((main_after - main_before) / 1e6)
            client_after = session.client_cpu_ns()
            client_cpu_ms.append((client_after - client_before) / 1e6)
            cpu_before, main_before, client_before, waited_before = cpu_after, main_after, client_after, waited_after
            if gap:  # the next cell comes `gap` after this one's reply in every kernel, as a user's would (--gap-ms)
                time.sleep(max(0.0, gap - fetch))
        if run_all and session.capture is not None:  # every cell's facts still taken, after the last cell
            for count in counts:
                if count is not None:
                    facts_count += len(session.capture.facts(count))
        stats = (session.capture.stats() or {}) if session.capture is not None else {}
        # a probe before version 6 pushes from post_run_cell: its measuring is in the cell's time, before the reply
        measured_after_reply = stats.get("version", 0) >= 6
        lazy_cpu = stats.get("lazy_cpu_ms") or {}
        in_cell_cpu = [ms + (0.0 if measured_after_reply else lazy_cpu.get(count, 0.0))
                       for count, ms in (stats.get("capture_cpu_ms") or {}).items()]
        return {"in_cell_cpu_ms": in_cell_cpu, "measured_after_reply": measured_after_reply,
                "pushed_before_next_cell": stats.get("pushed_before_next_cell", 0),
                "pushes_made_way": stats.get("pushes_made_way", 0),
                "pushes_cut_mid_cell": stats.get("pushes_cut_mid_cell", 0),
                "cells": cell_seconds, "cell_waited": cell_waited, "cell_cpu_ms": cell_cpu_ms,
                "main_cpu_ms": main_cpu_ms, "client_cpu_ms": client_cpu_ms, "counts": counts, "capture_ms": capture_ms, "fetch_ms": fetch_ms, "facts": facts_count,
                "capture_cpu_ms": list((stats.get("capture_cpu_ms") or {}).values()),
                "capture_cpu_by_count": stats.get("capture_cpu_ms") or {},
                "probe": {key: stats.get(key) for key in ("version", "deferred", "measured_before_next_cell", "reused",
                                                          "errors")},
                "lazy_ms": list((stats.get("lazy_ms") or {}).values()),
                "lazy_cpu_ms": list((stats.get("lazy_cpu_ms") or {}).values()),
                "measured_in_hooks": stats.get("measured_in_hooks", 0), "errors": errors}
    finally:
        session.close()


# ------------------------------------------------------------------ fingerprint vs memcpy
def fingerprint_throughput(rows: int) -> dict:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({
        **{f"f{i}": rng.random(rows) for i in range(5)},
        **{f"i{i}": rng.integers(0, 1000, rows) for i in range(3)},
        "s0": rng.choice(["alpha", "beta", "gamma", "delta"], rows),
        "s1": pd.Series(rng.integers(0, 10**6, rows)).astype(str),
    })
    hashed_bytes = [0]
    real_new_hasher = fingerprints._new_hasher

    def counting_hasher():
        hasher, name = real_new_hasher()

        class Counting:
            def update(self, data):
                hashed_bytes[0] += memoryview(data).nbytes
                hasher.update(data)

            def hexdigest(self):
                return hasher.hexdigest()

            def digest(self):  # the probe's column digests (_column_digest) take the bytes
                return hasher.digest()

        return Counting(), name

    def full_hash_seconds() -> float:
        entry = measurements.Entry(frame, "DataFrame")
        # every column read: the digests of Arrow string columns (and object columns of strings) would be reused
        for cache in ("STRING_COLUMN_DIGESTS", "OBJECT_STRING_COLUMNS"):
            fresh = type(getattr(fingerprints, cache))()
            for module in (fingerprints, nulls):  # the modules that read it
                if hasattr(module, cache):
                    setattr(module, cache, fresh)
        started = time.perf_counter()
        fingerprints.fingerprint(frame, "DataFrame", entry)
        return time.perf_counter() - started

    saved_threshold = fingerprints.SAMPLE_THRESHOLD_CELLS
    fingerprints.SAMPLE_THRESHOLD_CELLS = 10**12  # hash everything: the throughput figure
    try:
        fingerprints._new_hasher = counting_hasher
        full_hash_seconds()
        total_bytes = hashed_bytes[0]
        fingerprints._new_hasher = real_new_hasher
        full = statistics.median(full_hash_seconds() for _ in range(5))
    finally:
        fingerprints._new_hasher = real_new_hasher
        fingerprints.SAMPLE_THRESHOLD_CELLS = saved_threshold
    entry = measurements.Entry(frame, "DataFrame")
    sampled_times = []
    for _ in range(5):
        started = time.perf_counter()
        _fp, sampled = fingerprints.fingerprint(frame, "DataFrame", entry)
        sampled_times.append(time.perf_counter() - started)
    nulls_times = []
    for _ in range(5):
        started = time.perf_counter()
        nulls.count_nulls(frame, "DataFrame")
        nulls_times.append(time.perf_counter() - started)

    source = np.ones(total_bytes // 8, dtype="float64")
    target = np.empty_like(source)
    np.copyto(target, source)  # first touch pays page faults; measure the warm copy
    copy = statistics.median(_timed(lambda: np.copyto(target, source)) for _ in range(5))
    return {
        "bytes": total_bytes, "full_s": full, "full_gbps": total_bytes / full / 1e9,
        "copy_gbps": source.nbytes / copy / 1e9, "sampled_ms": statistics.median(sampled_times) * 1000,
        "sampled": sampled, "nulls_ms": statistics.median(nulls_times) * 1000,
        "hasher": real_new_hasher()[1],
    }


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def pct(values, q) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


# ------------------------------------------------------------------ main
def run_workload(name: str, cells, cwd: Path, configs: list[str], rounds: int, ksm,
                 earlier: dict[str, list[dict]] | None = None, gap: float = 0.0, save=None,
                 run_all: bool = False, back_to_back: bool = False) -> dict:
    """Run `rounds` interleaved rounds; `earlier`: this workload's runs saved by earlier invocations (--runs), reported
    together with the new ones (rounds are numbered on from theirs, so pairing by round stays right). `save(results)`
    is called after every run, so a job cut short by a timeout keeps the runs it finished."""
    earlier = earlier or {}
    results: dict[str, list[dict]] = {c: list(earlier.get(c, [])) for c in [*configs, *earlier] if c in configs or
                                      earlier[c]}
    first_round = 1 + max((run.get("round", 0) for runs in results.values() for run in runs), default=0)
    print(f"\n######## {name}: {len(cells)} code cells; rounds: {rounds} (interleaved)"
          + (f" + {first_round - 1} saved" if first_round > 1 else ""))
    for round_no in range(rounds):
        turn = (round_no + first_round - 1) % len(configs)
        order = configs[turn:] + configs[:turn]
        for config in order:
            try:
                run = run_notebook_once(config, cells, cwd, ksm, gap, run_all, back_to_back)
            except Exception as error:  # e.g. ipyflow failing on a cell: report, go on
                print(f"  round {round_no + 1} {config}: FAILED ({type(error).__name__}: {error})")
                continue
            run["round"] = round_no + first_round
            results[config].append(run)
            if save is not None:
                save(results)
            print(f"  round {run['round']} {config:8s} {sum(run['cells']):7.2f} s"
                  + (f"  (ended in error: {', '.join(run['errors'])})" if run["errors"] else ""),
                  flush=True)
    report(cells, results)
    return results


def report(cells, results: dict[str, list[dict]]) -> None:
    labels = [label for label, _ in cells]
    have = {c: runs for c, runs in results.items() if runs}
    if "plain" not in have:
        print("  no plain run: nothing to compare with")
        return
    print("== notebook wall time (sum of cell round trips, kernel start excluded), median of rounds")
    plain = statistics.median(sum(r["cells"]) for r in have["plain"])
    for config, runs in have.items():
        value = statistics.median(sum(r["cells"]) for r in runs)
        line = f"  {config:8s} {value:7.2f} s   x{value / plain:.3f} vs plain"
        if config == "trackit":
            with_fetch = statistics.median(sum(r["cells"]) + sum(r["fetch_ms"]) / 1000 for r in runs)
            line += (f";  with each cell's facts taken before the next cell {with_fetch:7.2f} s"
                     f"   x{with_fetch / plain:.3f}")
        print(line)
    paired_estimates(have)
    kinds = [k for k in ("trivial", "heavy", "cell") if k in labels]
    paired("== added time per cell vs plain, paired by cell (median over rounds per cell, then over cells)",
           have, labels, kinds, lambda run, i: run["cells"][i] * 1000)
    print("== kernel process CPU per notebook run (all its threads; TrackIT's includes measuring and handing over the facts),"
          " median of rounds")
    plain_cpu = statistics.median(sum(r["cell_cpu_ms"]) for r in have["plain"])
    for config, runs in have.items():
        value = statistics.median(sum(r["cell_cpu_ms"]) for r in runs)
        print(f"  {config:8s} {value:8.1f} ms   {value - plain_cpu:+7.1f} ms vs plain = "
              f"{(value - plain_cpu) / 1000 / plain * 100:+.2f} % of the plain run's wall time")
    paired("== added kernel CPU per cell vs plain, paired by cell (median over rounds per cell, then over cells)",
           have, labels, kinds, lambda run, i: run["cell_cpu_ms"][i])
    for capturing in CAPTURING:
        if have.get(capturing):
            capture_report(capturing, cells, kinds, labels, have[capturing], plain)


def paired_estimates(have: dict[str, list[dict]]) -> None:
    """The added share paired per cell and round, with its bootstrap 95 % interval (paired_estimate.py)."""
    print("== added share of plain's notebook wall time, paired per cell: sum over cells of the median over rounds of"
          " (config - plain), / plain's total wall; [bootstrap 95 % interval over rounds]")
    wall = lambda run: run["cells"]  # noqa: E731
    measures = (("wall", wall),
                ("wall net of waiting for a core", lambda run: [s - w for s, w in zip(run["cells"], run["cell_waited"])]
                 if "cell_waited" in run else None),
                ("wall + facts taken before the next cell",
                 lambda run: [s + ms / 1000 for s, ms in zip(run["cells"], run["fetch_ms"])]),
                ("kernel CPU", lambda run: [ms / 1000 for ms in run["cell_cpu_ms"]]))
    for config, runs in have.items():
        if config == "plain":
            continue
        for measure, value in measures:
            if measure.startswith("wall +") and config not in CAPTURING:
                continue
            measured = [run for run in runs if value(run) is not None]  # runs saved before a measure was added
            config_rounds, plain_rounds = paired_rounds(measured, [run for run in have["plain"] if value(run) is not None],
                                                        value)
            plain_wall = paired_rounds(measured, have["plain"], wall)[1]
            if len(plain_rounds) < 2:
                continue
            share = paired_share(config_rounds, plain_rounds, plain_wall)
            low, high = bootstrap_interval(config_rounds, plain_rounds, plain_wall)
            print(f"  {config:8s} {measure:40s} {share * 100:+6.2f} %  [{low * 100:+6.2f}, {high * 100:+6.2f}] "
                  f"({len(plain_rounds)} paired rounds)")
        after_imports = runtime_capture_rows.added_wall_after_imports(runs, have["plain"]) \
            if config in CAPTURING else None
        if after_imports is not None:
            share, low, high = (value * 100 for value in after_imports)
            print(f"  {config:8s} {'wall of cells 2.., cell 1 by its timers':40s} {share:+6.2f} %  [{low:+6.2f}, "
                  f"{high:+6.2f}] (paired_estimate's first: cell 1, the imports, moves by ~100 ms a round)")


def paired(title, have, labels, kinds, value_ms) -> None:
    """Each config's per-cell value (median over rounds) against plain's for the same cell, by cell kind."""
    print(title)
    added: dict[str, float] = {}
    for kind in kinds:
        idx = [i for i, label in enumerate(labels) if label == kind]
        per = {c: [statistics.median(value_ms(r, i) for r in runs) for i in idx] for c, runs in have.items()}
        line = f"  {kind:7s} cells ({len(idx)}):"
        for config, values in per.items():
            line += f"  {config} p50 {pct(values, 50):7.1f} ms"
        print(line)
        for config in per:
            if config == "plain":
                continue
            deltas = [a - b for a, b in zip(per[config], per["plain"])]
            ratios = [a / b for a, b in zip(per[config], per["plain"]) if b > 0]
            added[f"{kind}/{config}"] = sum(deltas)
            print(f"    {config}: {statistics.median(deltas):+.1f} ms median per cell (p95 {pct(deltas, 95):+.1f}), "
                  f"x{statistics.median(ratios):.2f} median ratio, {sum(deltas):+.0f} ms over the notebook")
    for kind in kinds:
        t, f = added.get(f"{kind}/trackit"), added.get(f"{kind}/ipyflow")
        if t is not None and f is not None:
            print(f"    {kind}: ipyflow adds {f:+.0f} ms, TrackIT {t:+.0f} ms"
                  + (f" (ipyflow / TrackIT = x{f / t:.0f})" if t > 0 else " (TrackIT's is within noise)"))


def capture_report(config, cells, kinds, labels, runs, plain) -> None:
    hooks = [ms for r in runs for ms in r["capture_ms"]]
    hooks_cpu = [ms for r in runs for ms in r["capture_cpu_ms"]]
    lazy_cpu = [ms for r in runs for ms in r["lazy_cpu_ms"]]
    fetch = [ms for r in runs for ms in r["fetch_ms"]]
    print(f"== TrackIT inside the kernel (probe timers), {config}")
    for kind in kinds:
        idx = [i for i, label in enumerate(labels) if label == kind]
        wall = [r["capture_ms"][i] for r in runs for i in idx if i < len(r["capture_ms"])]
        if wall:
            print(f"  hooks, in the cell's time, {kind} cells: p50 {pct(wall, 50):.2f} ms  p95 {pct(wall, 95):.2f} ms"
                  f"  max {max(wall):.2f} ms (wall, n={len(wall)})")
        # CPU: the same hooks apart from waiting for a core (a loaded machine preempts the kernel mid-hook)
        cpu = [r["capture_cpu_ms"][i] for r in runs for i in idx if i < len(r["capture_cpu_ms"])]
        if cpu:
            print(f"  hooks, in the cell's time, {kind} cells: p50 {pct(cpu, 50):.2f} ms  p95 {pct(cpu, 95):.2f} ms"
                  f"  max {max(cpu):.2f} ms (CPU, thread_time, n={len(cpu)})")
        in_cell = [r["in_cell_cpu_ms"][i] for r in runs for i in idx if i < len(r["in_cell_cpu_ms"])]
        if in_cell:
            print(f"  all of TrackIT in the cell's time (before its reply), {kind} cells: p50 {pct(in_cell, 50):.2f} ms"
                  f"  p95 {pct(in_cell, 95):.2f} ms  max {max(in_cell):.2f} ms (CPU; hooks"
                  f"{'' if runs[0]['measured_after_reply'] else ' + null counts and fingerprints'})")
    if hooks_cpu:
        print(f"  hooks CPU (thread_time): p50 {pct(hooks_cpu, 50):.2f} ms  p95 {pct(hooks_cpu, 95):.2f} ms; per notebook "
              f"{statistics.median(sum(r['capture_cpu_ms']) for r in runs):.1f} ms")
    if lazy_cpu:
        when = "after the cell's reply" if runs[0]["measured_after_reply"] else "at the end of the cell, before its reply"
        print(f"  null counts, fingerprints (measured {when}), CPU: p50 {pct(lazy_cpu, 50):.2f} ms  "
              f"p95 {pct(lazy_cpu, 95):.2f} ms; per notebook {statistics.median(sum(r['lazy_cpu_ms']) for r in runs):.1f} ms;"
              f" snapshots a cell needed before they were measured: {max(r['measured_in_hooks'] for r in runs)};"
              f" pushes a next cell came too soon for: {max(r['pushed_before_next_cell'] for r in runs)};"
              f" pushes that made way for a next message (per run): {[r.get('pushes_made_way', 0) for r in runs]},"
              f" of them inside a cell's measuring: {[r.get('pushes_cut_mid_cell', 0) for r in runs]}")
    in_wall = statistics.median(runtime_capture_rows.in_wall_cpu_ms(r) for r in runs)
    idle = statistics.median(runtime_capture_rows.idle_cpu_ms(r) for r in runs)
    print(f"  TrackIT's in-kernel CPU per notebook run in the cells' wall time: {in_wall:.1f} ms = "
          f"{in_wall / 1000 / plain * 100:.2f} % of the plain run's wall time; after the replies, when idle (no part of "
          f"the wall): {idle:.1f} ms")
    print(f"  facts taken after the reply (push waited for, or fetched): p50 {pct(fetch, 50):.2f} ms  p95 {pct(fetch, 95):.2f} ms;"
          f" facts per run {runs[0]['facts']}")
    if hooks:
        per_cell = [statistics.median(r["capture_ms"][i] for r in runs)
                    for i in range(min(len(r["capture_ms"]) for r in runs))]
        for i in sorted(range(len(per_cell)), key=lambda i: -per_cell[i])[:3]:
            print(f"    costliest hooks: cell {i + 1} {per_cell[i]:.2f} ms  {cells[i][1].splitlines()[0][:70]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--kernel-python", help="the interpreter of the plain and probe kernels (default: the notebook"
                        f" kernel's venv, {notebook_kernel.DEFAULT_VENV}, made from {notebook_kernel.REQUIREMENTS.name})")
    parser.add_argument("--ipyflow-python", default=os.environ.get("IPYFLOW_PYTHON", DEFAULT_IPYFLOW_PYTHON))
    parser.add_argument("--install-ipyflow", action="store_true")
    parser.add_argument("--skip-ipyflow", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true", help="only the --notebook ones")
    parser.add_argument("--notebook", action="append", default=[], help="a real notebook to run too (repeatable)")
    parser.add_argument("--runs", help="a JSON file: rounds saved there by earlier invocations are reported with this"
                        " one's, and all are saved back (to split many rounds over several short runs)")
    parser.add_argument("--gap-ms", type=float, default=0.0,
                        help="each next cell comes this long after the previous reply, in every kernel (see above)")
    parser.add_argument("--run-all", action="store_true",
                        help="every kernel gets its next cell as soon as the previous reply is in, and the facts are"
                        " taken after the last cell, as in a Run All (see above)")
    parser.add_argument("--back-to-back", action="store_true",
                        help="as --run-all, each next cell sent the moment the previous reply is in (see above)")
    parser.add_argument("--baseline-probe", help="another build's kernel/probe package directory (or an older build's "
                                                 "kernel/probe.py), run as config 'base' in the same rounds")
    parser.add_argument("--record", action="store_true", help="write the README table's rows to bench/results/")
    args = parser.parse_args()
    recording = (Recording("bench/bench_runtime_capture.py", sys.argv, baseline_file=args.baseline_probe)
                 if args.record else None)

    print(f"{time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    configs = ["plain", "trackit"]
    if args.baseline_probe:
        global BASELINE_PROBE
        try:
            BASELINE_PROBE = probe_expressions.probe_modules(args.baseline_probe)
        except (OSError, ValueError, SyntaxError) as error:
            parser.error(f"--baseline-probe {args.baseline_probe}: not a probe package or probe.py ({error})")
        configs.append("base")
        print(f"base: the probe in {args.baseline_probe}")
    kernel_python = args.kernel_python or str(notebook_kernel.ensure_venv(notebook_kernel.DEFAULT_VENV))
    print(f"kernel: {notebook_kernel.describe(kernel_python)}")
    if args.skip_ipyflow:
        print("ipyflow: unavailable (skipped by --skip-ipyflow)")
    else:
        ok, detail = ipyflow_status(args.ipyflow_python, args.install_ipyflow)
        if ok:
            print(f"ipyflow: {detail} ({notebook_kernel.describe(args.ipyflow_python)})")
            configs.append("ipyflow")
        else:
            print(f"ipyflow: unavailable ({detail})")

    saved_path = Path(args.runs) if args.runs else None
    saved = json.loads(saved_path.read_text()) if saved_path is not None and saved_path.exists() else {}
    with tempfile.TemporaryDirectory(prefix="trackit-bench-") as tmp:
        workdir = Path(tmp)
        ksm = kernel_specs(kernel_python, args.ipyflow_python if "ipyflow" in configs else None, workdir)
        workloads = [] if args.skip_synthetic else [
            (f"synthetic pandas notebook, frames up to {args.rows:,} rows", notebook_cells(args.rows), workdir)]
        workloads += [(path.name, notebook_file_cells(path), path.parent) for path in map(Path, args.notebook)]
        if args.gap_ms and (args.run_all or args.back_to_back):
            parser.error("--gap-ms and --run-all / --back-to-back exclude each other")
        if args.back_to_back:
            print("every kernel gets its next cell the moment the previous reply is in; facts taken at the end"
                  " (--back-to-back)")
        if args.gap_ms:
            print(f"every kernel idles {args.gap_ms:g} ms after each cell (--gap-ms)")
        elif args.run_all:
            print("every kernel gets its next cell as soon as the previous reply is in; facts taken at the end (--run-all)")
        for name, cells, cwd in workloads:
            key = f"{name} [gap {args.gap_ms:g} ms]" if args.gap_ms else f"{name} [back to back]" if args.back_to_back \
                else f"{name} [run all]" if args.run_all else name

            def save(results, key=key):
                saved[key] = results
                if saved_path is not None:
                    saved_path.write_text(json.dumps(saved))

            save(run_workload(key, cells, cwd, configs, args.rounds, ksm, saved.get(key), args.gap_ms / 1000,
                              save, args.run_all, args.back_to_back))
            if recording and name.startswith("synthetic"):
                in_kernel = runtime_capture_rows.in_kernel(key, [label for label, _ in cells], saved[key], pct)
                if in_kernel:
                    recording.add(in_kernel)

    if not args.skip_synthetic:
        fp = fingerprint_throughput(args.rows)
        print(f"\n== fingerprint ({fp['hasher']}) on {args.rows:,} rows x 10 mixed columns (5 float, 3 int, 2 Arrow string)")
        print(f"  full hash: {fp['bytes'] / 1e6:.0f} MB in {fp['full_s'] * 1000:.1f} ms = {fp['full_gbps']:.2f} GB/s"
              f"   numpy copy in the same run: {fp['copy_gbps']:.2f} GB/s of bytes copied (each read and written;"
              f" ratio {fp['full_gbps'] / fp['copy_gbps']:.2f})")
        print(f"  default (sampled={fp['sampled']}): {fp['sampled_ms']:.2f} ms;  null count: {fp['nulls_ms']:.2f} ms")
        if recording:
            recording.add(runtime_capture_rows.fingerprint(fp, args.rows))
    if recording:
        paired_row = runtime_capture_rows.paired(saved, notebook_kernel.label(kernel_python))
        if paired_row:
            recording.add(paired_row)
        recording.write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
