"""Replays a usage script (README.md) against a real `trackit serve` over stdio and a real ipykernel, as the
editor would, and compares what TrackIT recorded with the script's expectations.

    .venv/bin/python tests/usage/runner.py [SCRIPT.json ...]     # all scripts when none is given

prints each script's differences (none = passed) and exits 1 if any script failed.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from jupyter_client import BlockingKernelClient, KernelManager

from trackit_sidecar import protocol as p
from trackit_sidecar.cli.tree import render_tree
from trackit_sidecar.kernel import silent_requests
from trackit_sidecar.kernel.cell_outputs import OutputCollector
from trackit_sidecar.rpc_client import StdioRpcClient, serve_command

SCRIPTS = Path(__file__).resolve().parent / "scripts"
PROBE_WAIT_S = 60.0
FACTS_WAIT_S = 60.0
CELL_TIMEOUT_S = 120.0


@dataclass
class Cell:
    id: str
    source: str
    kind: str = "code"
    index: int = 0


@dataclass
class Sent:
    """One execution as the editor reported it, and what the probe kept for it (to know when the sidecar has it)."""

    event: p.CellExecution
    probe_facts: Optional[int] = None  # facts the probe kept for it; None: not asked yet


@dataclass
class Replay:
    script: dict
    root: Path
    cells: list[Cell] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    kernel_id: Optional[str] = None
    failures: list[str] = field(default_factory=list)

    # ------------------------------------------------------------ set-up
    def __post_init__(self) -> None:
        self.folder = self.root / "nb"
        self.folder.mkdir(parents=True)
        self.runtime_dir = self.root / "runtime"
        self.runtime_dir.mkdir()
        self.notebook = self.folder / f"{self.script['name']}.ipynb"
        self.cells = [Cell(c["id"], c["source"], c.get("kind", "code"), i) for i, c in enumerate(self.script["cells"])]
        self._write_notebook()
        if self.script.get("setup"):
            here = os.getcwd()
            os.chdir(self.folder)
            try:
                exec(compile(self.script["setup"], "setup", "exec"), {})
            finally:
                os.chdir(here)
        self.env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(self.runtime_dir),
                        TRACKIT_LOG_FILE=str(self.root / "serve.log"))
        self.sidecar = StdioRpcClient(serve_command(str(self.root / "trackit.duckdb")), env=self.env,
                                      stderr=subprocess.DEVNULL)
        self.sidecar.initialize()
        self.sidecar.notify(p.SET_CONFIG, {"runtime_capture": True, "trusted": True})
        # the editor opens the notebook: a cell document (the sidecar starts watching for kernels) and its sources
        self.sidecar.notify("textDocument/didOpen", {"textDocument": {
            "uri": self._cell_uri(self.code_cells()[0]), "languageId": "python", "version": 1, "text": ""}})
        self._send_sources()
        self.manager: Optional[KernelManager] = None
        self.client: Optional[BlockingKernelClient] = None
        self.probe_client: Optional[BlockingKernelClient] = None  # ours, apart: silent requests eat other replies
        self._start_kernel()

    def code_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.kind == "code"]

    def cell(self, cell_id: str) -> Cell:
        return next(c for c in self.cells if c.id == cell_id)

    def _cell_uri(self, cell: Cell) -> str:
        return f"vscode-notebook-cell:{self.notebook}#{cell.id}"

    def _write_notebook(self) -> None:
        nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
              "cells": [{"id": c.id, "cell_type": c.kind, "metadata": {}, "source": c.source,
                         **({"execution_count": None, "outputs": []} if c.kind == "code" else {})} for c in self.cells]}
        self.notebook.write_text(json.dumps(nb, indent=1), encoding="utf-8")

    def _start_kernel(self) -> None:
        connection = self.runtime_dir / f"kernel-{uuid.uuid4()}.json"
        self.manager = KernelManager(kernel_name="python3", connection_file=str(connection))
        self.manager.start_kernel(cwd=str(self.folder), env={**self.env, "PYTHONWARNINGS": "ignore"})
        self.client = self.manager.client()
        self.client.start_channels()
        self._after_kernel_start()

    def _after_kernel_start(self) -> None:
        """What a notebook controller that announces its kernel does as the kernel starts (or restarts): tell
        TrackIT which kernel runs the notebook (trackit/notebookKernel), so the sidecar installs its probe
        before the first cell; the editor's cells wait for that here, as they wait for a kernel in the editor."""
        self.sidecar.notify(p.NOTEBOOK_KERNEL, {
            "notebook_uri": self.notebook.as_uri(), "notebook_path": str(self.notebook),
            "connection_file": self.manager.connection_file, "kernel_id": self.kernel_id,
            "kernel_name": "python3", "kernel_display_name": "Python 3", "language": "python"})
        self.client.wait_for_ready(timeout=60)
        if self.probe_client is not None:
            self.probe_client.stop_channels()
        self.probe_client = BlockingKernelClient()
        self.probe_client.load_connection_file(self.manager.connection_file)
        self.probe_client.start_channels()
        deadline = time.monotonic() + PROBE_WAIT_S
        probe_installed = "'_trackit_probe' in __import__('sys').modules"
        while not silent_requests.silent_expression(self.probe_client, probe_installed, 10):
            if time.monotonic() > deadline:
                self.failures.append(f"the sidecar never installed its probe in the kernel ({PROBE_WAIT_S:.0f} s)")
                return
            time.sleep(0.1)

    def _send_sources(self) -> None:
        self.sidecar.notify(p.NOTEBOOK_SOURCES, {"notebook_uri": self.notebook.as_uri(), "cell_shas": {
            c.id: p.source_sha256(c.source) for c in self.code_cells()}})

    # ------------------------------------------------------------ actions
    def play(self) -> None:
        for action in self.script["actions"]:
            if "run_all" in action:
                self._run([c.id for c in self.code_cells()])
            elif "run" in action:
                self._run(action["run"], action.get("interrupt_after_s"))
            elif "edit" in action:
                self.cell(action["edit"]).source = action["source"]
                self._write_notebook()
                self._send_sources()
            elif "clear_outputs" in action:
                pass  # the editor blanks outputs and counts; nothing reaches the kernel or TrackIT
            elif "restart" in action:
                self.kernel_id = action.get("kernel_id", self.kernel_id)
                self.manager.restart_kernel(now=True)
                self._after_kernel_start()
            elif "check" in action:
                self.check(action["check"], where=f"after action {self.script['actions'].index(action) + 1}")
            else:
                raise ValueError(f"unknown action {action}")

    def _run(self, cell_ids: list[str], interrupt_after_s: Optional[float] = None) -> None:
        """Queue the cells at once (the kernel stops at the first error and aborts the rest), report each
        as it finishes."""
        requests = [(self.cell(cell_id), self.client.execute(self.cell(cell_id).source, store_history=True,
                                                               allow_stdin=False, stop_on_error=True))
                    for cell_id in cell_ids]
        iopub: dict[str, list[dict]] = {}
        shell: dict[str, dict] = {}
        for cell, msg_id in requests:
            collector = OutputCollector()
            started: Optional[float] = None
            ended: Optional[float] = None
            interrupt_at: Optional[float] = None
            deadline = time.monotonic() + CELL_TIMEOUT_S
            while ended is None or msg_id not in shell:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"cell {cell.id} did not finish in {CELL_TIMEOUT_S:.0f} s")
                self._pump(iopub, shell)
                for msg in iopub.pop(msg_id, []):
                    kind = msg["msg_type"]
                    state = msg["content"].get("execution_state") if kind == "status" else None
                    if state == "busy" and started is None:
                        started = time.time() * 1000
                    elif state == "idle":
                        ended = time.time() * 1000
                    else:
                        collector.feed(msg)
                    if kind == "execute_input" and interrupt_after_s is not None:
                        interrupt_at = time.monotonic() + interrupt_after_s
                if interrupt_at is not None and time.monotonic() >= interrupt_at:
                    self.manager.interrupt_kernel()
                    interrupt_at = None
                if ended is None and shell.get(msg_id, {}).get("content", {}).get("status") == "aborted":
                    ended = time.time() * 1000  # an aborted request may never go busy/idle
            reply = shell.pop(msg_id)["content"]
            self._report(cell, collector, reply, started or ended, ended)
        self._settle()

    def _pump(self, iopub: dict[str, list[dict]], shell: dict[str, dict]) -> None:
        try:
            msg = self.client.get_iopub_msg(timeout=0.02)
            iopub.setdefault(msg["parent_header"].get("msg_id"), []).append(msg)
        except queue.Empty:
            pass
        try:
            while True:
                msg = self.client.get_shell_msg(timeout=0)
                shell[msg["parent_header"].get("msg_id")] = msg
        except queue.Empty:
            pass

    def _report(self, cell: Cell, collector: OutputCollector, reply: dict, started: float, ended: float) -> None:
        status, count, name, message = "ok", collector.execution_count, None, None
        if reply["status"] == "aborted":
            status, count = "cancelled", None  # never ran
        elif reply["status"] == "error":
            name, message = reply.get("ename"), reply.get("evalue")
            status = "cancelled" if name == "KeyboardInterrupt" else "error"  # as the extension's reducer says
        event = p.CellExecution(
            event_id=str(uuid.uuid4()), notebook_uri=self.notebook.as_uri(), notebook_path=str(self.notebook),
            cell_id=cell.id, cell_uri=self._cell_uri(cell), cell_index=cell.index, source=cell.source,
            execution_order=count, started_at=started, ended_at=ended, status=status, outputs=collector.outputs,
            error_name=name, error_message=message, kernel_id=self.kernel_id, kernel_name="python3")
        self.sidecar.notify(p.CELL_EXECUTED, event.model_dump(mode="json"))
        self.sent.append(Sent(event))

    def _settle(self) -> None:
        """Like a user who looks before running more: wait until the sidecar has stored the runs and the facts
        the probe kept for them (the kernel is idle now, so asking it does not wait behind queued cells)."""
        for sent in self.sent:
            count = sent.event.execution_order
            if sent.probe_facts is None and count is not None and sent.event.source.strip():
                sent.probe_facts = len(silent_requests.fetch_facts(self.probe_client, count, 10)[0])
        self.lineage()

    # ------------------------------------------------------------ reading back
    def lineage(self) -> dict:
        """The lineage once every execution is stored and has the facts the probe kept for it."""
        deadline = time.monotonic() + FACTS_WAIT_S
        while True:
            doc = self.sidecar.lineage(self.notebook.as_uri())
            by_id = {e["cell_id"] + "@" + str(e["seq"]): e for e in doc["executions"]}
            missing = len(doc["executions"]) < len(self.sent) or any(
                sent.probe_facts and not doc["executions"][i]["runtime"]
                for i, sent in enumerate(self.sent) if i < len(doc["executions"]))
            if not missing:
                return doc
            if time.monotonic() > deadline:
                self.failures.append(f"runtime facts never arrived for every execution ({len(by_id)} stored)")
                return doc
            time.sleep(0.2)

    # ------------------------------------------------------------ expectations
    def check(self, expect: dict, where: str = "at the end") -> None:
        doc = self.lineage()
        executions = doc["executions"]
        fail = lambda text: self.failures.append(f"{where}: {text}")  # noqa: E731
        if "sessions" in expect and len(doc["sessions"]) != expect["sessions"]:
            fail(f"sessions: expected {expect['sessions']}, got {len(doc['sessions'])} "
                 f"({[e['session'] for e in executions]})")
        if "executions" in expect:
            if len(executions) != len(expect["executions"]):
                fail(f"expected {len(expect['executions'])} executions, got {len(executions)}")
            for seq, (want, got) in enumerate(zip(expect["executions"], executions), start=1):
                self._check_execution(seq, want, got, fail)
        if "stale" in expect:
            stale = [e["seq"] for e in executions if e.get("stale")]
            if stale != expect["stale"]:
                fail(f"stale runs: expected {expect['stale']}, got {stale}")
        for cell_id, want in expect.get("annotations", {}).items():
            annotation = self.sidecar.request(p.CELL_ANNOTATION, {"notebook_uri": self.notebook.as_uri(), "cell_id": cell_id})
            if bool(annotation.get("stale")) != want:
                fail(f"annotation of {cell_id}: stale expected {want}, got {annotation.get('stale')}")
        for hover in expect.get("hovers", []):
            markdown = self.sidecar.request(p.CELL_ANNOTATION, {"notebook_uri": self.notebook.as_uri(),
                                                                "cell_id": hover["cell"]})["markdown"]
            first = markdown.split("\n\n")[0]
            for text in hover.get("first_paragraph_contains", []):
                if text not in first:
                    fail(f"hover of {hover['cell']}: first paragraph lacks {text!r}: {first!r}")
            for text in hover.get("contains", []):
                if text not in markdown:
                    fail(f"hover of {hover['cell']} lacks {text!r}:\n{markdown}")
            for text in hover.get("not_contains", []):
                if text in markdown:
                    fail(f"hover of {hover['cell']} has {text!r}:\n{markdown}")
        if expect.get("summary"):
            markdown = self.sidecar.request(p.SUMMARIZE, {"notebook_uri": self.notebook.as_uri(), "regenerate": True},
                                            timeout=60)["markdown"]
            for section in expect["summary"]:
                text = _section(markdown, section["section"])
                for wanted in section.get("contains", []):
                    if wanted not in text:
                        fail(f"summary section {section['section']!r} lacks {wanted!r}:\n{text}")
                for unwanted in section.get("not_contains", []):
                    if unwanted in text:
                        fail(f"summary section {section['section']!r} has {unwanted!r}:\n{text}")
        if expect.get("tree_not_contains"):
            tree = render_tree(p.LineageDocument.model_validate(doc))
            for unwanted in expect["tree_not_contains"]:
                if unwanted in tree:
                    fail(f"tree has {unwanted!r}:\n{tree}")

    def _check_execution(self, seq: int, want: dict, got: dict, fail) -> None:
        label = f"#{seq} ({want['cell']})"
        for key, field_name in (("cell", "cell_id"), ("count", "execution_count"), ("status", "status"),
                                ("session", "session"), ("parents", "parents"), ("applied_writes", "applied_writes"),
                                ("code_names", "code_names")):
            if key in want and got.get(field_name) != want[key]:
                fail(f"{label} {key}: expected {want[key]!r}, got {got.get(field_name)!r}")
        code = got.get("code_names", {})
        for key, field_name in (("data_writes", "writes"), ("data_reads", "reads")):
            if key in want:
                data = [n for n in got[field_name] if n not in code]
                if data != want[key]:
                    fail(f"{label} {key}: expected {want[key]}, got {data}")
        if not got["source"].strip() and got["runtime"]:
            fail(f"{label}: an empty cell carries runtime facts {[f.get('variable') for f in got['runtime']]}")
        for step in want.get("steps", []):
            found = [s for s in got["steps"] if s["op"] == step["op"] and s.get("output") == step["output"]]
            if not found:
                fail(f"{label}: no {step['op']} step into {step['output']} (steps: "
                     f"{[(s['op'], s.get('output')) for s in got['steps']]})")
                continue
            runtime = found[0].get("runtime") or {}
            rows = [runtime.get("rows_before"), runtime.get("rows_after")]
            rows = None if rows == [None, None] else rows
            if rows != step["rows"]:
                fail(f"{label} {step['op']} {step['output']}: rows expected {step['rows']}, got {rows}")
        if got["status"] != "ok":
            listed = {(s["op"], s["output"]) for s in want.get("steps", [])}
            for s in got["steps"]:
                if (s["op"], s.get("output")) not in listed and (s.get("runtime") or {}).get("rows_after") is not None:
                    fail(f"{label}: failed run shows rows for an unlisted step {s['op']} {s.get('output')}")

    def close(self) -> None:
        for client in (self.client, self.probe_client):
            if client is not None:
                client.stop_channels()
        if self.manager is not None:
            self.manager.shutdown_kernel(now=True)
        self.sidecar.close()


def _section(markdown: str, title: str) -> str:
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", markdown, re.S | re.M)
    return found.group(1) if found else ""


def replay(path: Path, root: Optional[Path] = None) -> tuple[list[str], Replay]:
    """Play one script; returns its failures (empty: passed) and the replay (its folder has serve.log)."""
    script = json.loads(path.read_text(encoding="utf-8"))
    root = root or Path(tempfile.mkdtemp(prefix=f"trackit-usage-{script['name']}-"))
    run = Replay(script, root)
    try:
        run.play()
        run.check(script["expect"])
    finally:
        run.close()
    return run.failures, run


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(SCRIPTS.glob("*.json"))
    failed = 0
    for path in paths:
        started = time.monotonic()
        failures, run = replay(path)
        status = "passed" if not failures else f"FAILED ({len(failures)})"
        print(f"{path.stem}: {status} in {time.monotonic() - started:.0f} s  [{run.root}]")
        for failure in failures:
            print("  - " + failure.replace("\n", "\n    "))
        failed += bool(failures)
    print(f"{len(paths) - failed} of {len(paths)} scripts passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
