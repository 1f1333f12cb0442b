"""A benchmark run's figures as one results file per README performance-table row (`--record`).

Each benchmark script keeps printing what it prints; with `--record` it also hands the figures of each table row it
measured to a Recording, which writes `bench/results/<row-id>.json` with what a reader needs to trust the figure:
the figures as the script computed them (its baseline measured in the same run, the ratio, met / not met against
its target), the command line, this build's commit (dirty or not) and the baseline's, the UTC date-time, the load
average before and after, and the machine. `bench/perf_table.py` renders the README table from these files.

The node scripts (bench/*.mjs) pipe the same content as JSON to this module (`python bench/bench_record.py
--stdin`); their load before, node and code-server versions come with it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
SCHEMA = "trackit.bench-result/1"
# What the machine's own files are allowed to differ by without the build counting as dirty: the results being
# recorded and the README table rendered from them (neither changes what is measured).
NOT_THE_BUILD = (":!bench/results", ":!README.md")


@dataclass
class Figure:
    """One headline figure of a row: this build's value and, when the script measured one in the same run, the
    baseline's (ratio = value / baseline)."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    interval: tuple[float, float] | None = None  # this build's 95 % interval, where the script estimates one

    def as_json(self) -> dict:
        out = rounded(asdict(self))
        if self.interval is None:
            del out["interval"]
        # a ratio of two added shares, one of them negative or nil, says nothing
        out["ratio"] = round(self.value / self.baseline, 3) if self.baseline and self.baseline > 0 < self.value else None
        return out


def rounded(value):
    """Figures to a thousandth of their unit (a microsecond of a millisecond): the rest is noise in a diff."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return value


@dataclass
class Row:
    row: str  # the file's name: bench/results/<row>.json
    what: str  # the table's first column, without the script (added from the recording)
    target: str  # as the table shows it, e.g. "p95 ≤ 200 ms"; "" when the row has none
    headline: list[Figure]
    met: bool | None  # against the target, as the script judged it; None when there is no target
    figures: dict = field(default_factory=dict)  # everything else the script computed for the row


def git_state(path: Path) -> dict:
    """The commit of the checkout holding `path` and whether its tracked files differ from it."""
    folder = path if path.is_dir() else path.parent
    head = subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode:
        return {"commit": None, "dirty": None, "path": str(path)}
    top = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True,
                         text=True).stdout.strip()
    status = subprocess.run(["git", "-C", top, "status", "--porcelain", "--untracked-files=no", "--", ".",
                             *NOT_THE_BUILD], capture_output=True, text=True).stdout
    return {"commit": head.stdout.strip(), "dirty": bool(status.strip()), "path": str(path)}


def sidecar_path(python: str) -> Path | None:
    """Where `python` imports trackit_sidecar from, as a baseline runs: without this run's PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    found = subprocess.run([python, "-c", "import trackit_sidecar as t; print(t.__file__)"], capture_output=True,
                           text=True, env=env)
    return Path(found.stdout.strip()) if found.returncode == 0 and found.stdout.strip() else None


def python_version(python: str) -> str:
    return subprocess.run([python, "-c", "import platform; print(platform.python_version())"], capture_output=True,
                          text=True).stdout.strip()


def machine(extra: dict | None = None) -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    info = {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem_kb / 1024 ** 2, 1),
            "kernel": platform.release(), "python": platform.python_version()}
    info.update(extra or {})
    info["short"] = f"{cpu.split()[-1] if cpu else '?'} {info['cores']} cores {info['ram_gb']:g} GB"
    return info


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class Recording:
    """Started when the script starts (load before, command line); `add` each row measured; `write` at the end."""

    def __init__(self, script: str, argv: list[str], baseline_python: str | None = None,
                 baseline_file: str | None = None, load_before: list[float] | None = None,
                 machine_extra: dict | None = None, started: dt.datetime | None = None) -> None:
        self.script = script
        self.command = shlex.join(argv)
        self.started = started or dt.datetime.now(dt.timezone.utc)
        self.load_before = [round(x, 2) for x in load_before] if load_before else load_average()
        self.build = git_state(REPO)
        self.baseline = (python_build(baseline_python) if baseline_python
                         else git_state(Path(baseline_file).resolve()) if baseline_file else None)
        self.machine_extra = machine_extra or {}
        self.rows: list[Row] = []

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def documents(self) -> list[dict]:
        finished = dt.datetime.now(dt.timezone.utc)
        common = {
            "schema": SCHEMA, "recorded_by": "script", "script": self.script, "command": self.command,
            "measured_at": self.started.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "finished_at": finished.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "load": {"before": self.load_before, "after": load_average()},
            "build": self.build, "baseline": self.baseline, "machine": machine(self.machine_extra),
        }
        return [{"row": row.row, "what": row.what, "target": row.target,
                 "headline": [f.as_json() for f in row.headline], "met": row.met, "figures": rounded(row.figures),
                 **common}
                for row in self.rows]

    def write(self, directory: Path = RESULTS) -> list[Path]:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for doc in self.documents():
            path = directory / f"{doc['row']}.json"
            path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            written.append(path)
        print(f"recorded {', '.join(str(p.relative_to(REPO)) if p.is_relative_to(REPO) else str(p) for p in written)}")
        return written


def python_build(python: str) -> dict:
    """A baseline named by a Python whose trackit_sidecar is the build: the commit of the checkout it imports from.
    (A baseline named by a file of the build, a probe.py or a VSIX, is the commit of the checkout holding it.)"""
    found = sidecar_path(python)
    state = git_state(found) if found else {"commit": None, "dirty": None, "path": None}
    return {**state, "python": python, "python_version": python_version(python)}


def from_stdin(payload: dict) -> list[Path]:
    """The node scripts' rows: {script, argv, started_at, load_before, baseline, machine: {node, code_server},
    rows: [...]}; started_at and load_before are the script's own, taken when it started."""
    recording = Recording(payload["script"], payload["argv"], baseline_file=payload.get("baseline"),
                          load_before=payload["load_before"], machine_extra=payload.get("machine"),
                          started=dt.datetime.fromisoformat(payload["started_at"].replace("Z", "+00:00")))
    for row in payload["rows"]:
        recording.add(Row(row["row"], row["what"], row["target"], [Figure(**f) for f in row["headline"]],
                          row.get("met"), row.get("figures", {})))
    return recording.write(Path(payload["results"]) if payload.get("results") else RESULTS)


def main() -> int:
    parser = argparse.ArgumentParser(description="write the rows a node benchmark sends as JSON on stdin")
    parser.add_argument("--stdin", action="store_true", required=True)
    parser.parse_args()
    try:
        payload = json.load(sys.stdin)
    except json.JSONDecodeError as error:
        print(f"bench_record: the rows on stdin are not JSON ({error}); nothing recorded", file=sys.stderr)
        return 2
    from_stdin(payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
