"""Run one notebook top to bottom in a real ipykernel and measure the rows of candidate statements.

Usage: python measure.py NOTEBOOK.ipynb [--cell-timeout S] [--rerun-cells 3 7] [--cwd DIR] > result.json
       (python = the kernel venv's python)

The kernel is started in the notebook's folder (or --cwd) so relative data paths resolve. `kernel_probe.py` is exec'd first;
after every code cell one silent request collects what the probe recorded. A failing cell is recorded and the
run goes on, so later cells that do not depend on it are still measured (their records say `after_error`).
With --rerun-cells, each of those code cells is executed a second time right after its first run, as a user
re-running it would, and the records of that second execution say `rerun`.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path
from queue import Empty

from jupyter_client.manager import start_new_kernel

PROBE = Path(__file__).with_name("kernel_probe.py")


def code_cells(notebook: dict) -> list[tuple[int, str]]:
    cells = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells.append((index, "".join(source) if isinstance(source, list) else source))
    return cells


def execute(client, code: str, timeout: float, **options) -> dict:
    """Send one execute request and wait for its reply, draining iopub so errors are seen."""
    msg_id = client.execute(code, allow_stdin=False, **options)
    deadline = time.monotonic() + timeout
    error = None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return {"status": "timeout", "error": f"no reply in {timeout:.0f} s"}
        try:
            reply = client.get_shell_msg(timeout=remaining)
        except Empty:
            continue
        if reply["parent_header"].get("msg_id") != msg_id:
            continue
        content = reply["content"]
        if content["status"] == "error":
            error = f"{content.get('ename')}: {str(content.get('evalue'))[:200]}"
        while True:  # drop the iopub traffic of this request
            try:
                client.get_iopub_msg(timeout=0.05)
            except Empty:
                break
        return {"status": content["status"], "error": error, "execution_count": content.get("execution_count"),
                "user_expressions": content.get("user_expressions", {})}


def run(notebook_path: Path, cell_timeout: float, rerun_cells: frozenset[int] = frozenset(),
        cwd: Path | None = None) -> dict:
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    os.environ.setdefault("MPLBACKEND", "Agg")
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(cwd or notebook_path.parent))
    result = {"cells": [], "records": [], "shown": [], "first_error": None}
    try:
        setup = execute(client, PROBE.read_text(), 60, silent=True)
        if setup["status"] != "ok":
            raise RuntimeError(f"probe did not load: {setup['error']}")
        for code_index, (cell_index, source) in enumerate(code_cells(notebook)):
            for rerun in ([False, True] if code_index in rerun_cells else [False]):
                if not run_cell(client, code_index, cell_index, source, cell_timeout, rerun, result):
                    return finish(result, notebook, manager, client)
    except BaseException:
        finish(result, notebook, manager, client)
        raise
    return finish(result, notebook, manager, client)


def finish(result: dict, notebook: dict, manager, client) -> dict:
    client.stop_channels()
    manager.shutdown_kernel(now=True)
    first_runs = [c for c in result["cells"] if not c.get("rerun")]
    result["runs_to_end"] = result["first_error"] is None and len(first_runs) == len(code_cells(notebook))
    return result


def run_cell(client, code_index: int, cell_index: int, source: str, cell_timeout: float, rerun: bool,
             result: dict) -> bool:
    """Execute one code cell and collect what the probe recorded; False when the kernel stopped answering."""
    execute(client, f"_RTF['cell'] = {code_index}", 30, silent=True)
    started = time.monotonic()
    reply = execute(client, source, cell_timeout, store_history=True)
    status = {"code_cell": code_index, "cell": cell_index, "status": reply["status"],
              "seconds": round(time.monotonic() - started, 2), "rerun": rerun}
    if reply["status"] != "ok":
        status["error"] = reply["error"]
        if result["first_error"] is None and not rerun:
            result["first_error"] = status
    result["cells"].append(status)
    if reply["status"] == "timeout":
        return False
    count = reply.get("execution_count") or 0
    flushed = execute(client, "", 30, silent=True, user_expressions={"r": f"_rtf_flush({count})"})
    text = flushed["user_expressions"].get("r", {}).get("data", {}).get("text/plain")
    if not text:
        return True
    measured = json.loads(eval(text))  # the repr of the JSON string
    after_error = result["first_error"] is not None
    for record in measured["records"]:
        record.update(cell_index=cell_index, after_error=after_error, rerun=rerun)
        result["records"].append(record)
    if measured["shown"] and not rerun:
        measured["shown"].update(cell_index=cell_index, after_error=after_error)
        result["shown"].append(measured["shown"])
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--cell-timeout", type=float, default=120)
    parser.add_argument("--rerun-cells", type=int, nargs="*", default=[])
    parser.add_argument("--cwd", type=Path, default=None, help="kernel folder (default: the notebook's)")
    args = parser.parse_args()
    json.dump(run(args.notebook.resolve(), args.cell_timeout, frozenset(args.rerun_cells), args.cwd), sys.stdout,
              indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
