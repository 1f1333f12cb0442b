"""How often the probe install beats a Run All queued right after kernel_info.

    .venv/bin/python tests/sidecar/kernel/race_bench.py [trials] [--proc] [--record]

Default: the editor announces each kernel (trackit/notebookKernel) the moment it is launched, as the e2e
test controller does; the sidecar attaches on the announcement.
--proc: nobody announces; the kernel's connection file is outside the runtime dir (as VS Code's Jupyter
extension keeps them) and the kernel names its notebook in __vsc_ipynb_file__ right after kernel_info, as
the Jupyter extension's start-up code does. Only the /proc scan of the editor's kernels can find it, and it
may get the probe only once it has named a notebook TrackIT records.

One real `trackit serve` (a child of this process, which plays the editor) watches; each trial starts a fresh
kernel, queues the 5 RUN_ALL cells the moment kernel_info answers, and asks the probe at which execution
count it started (1 = won: every cell has full facts).
Not a test: the outcome depends on machine load, so it is measured and reported, never asserted.
--record also writes the README performance table's row (bench/bench_record.py): probe-before-first-cell, or with
--proc probe-before-first-cell-unannounced.
"""

from __future__ import annotations

import collections
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
from bench_record import Figure, Recording, Row  # noqa: E402
from early_attach_helpers import RUN_ALL, RunAllFrontend, WatchingSidecar, wait_for_probe  # noqa: E402

from trackit_sidecar import protocol as p  # noqa: E402


def main(trials: int, proc_only: bool, recording: Recording | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="trackit-race-") as tmp:
        root = Path(tmp)
        sidecar = WatchingSidecar(root)
        notebook = root / "nb.ipynb"
        outcomes: collections.Counter = collections.Counter()
        try:
            sidecar.open_cell(notebook)
            if proc_only:  # the notebook is one TrackIT records: an execution of it was reported
                sidecar.client.notify(p.CELL_EXECUTED, p.CellExecution(
                    event_id=str(uuid.uuid4()), notebook_uri=notebook.as_uri(), notebook_path=str(notebook),
                    cell_id="c0", cell_index=0, source="x = 1", execution_order=1, started_at=0, ended_at=1,
                    status="ok").model_dump(mode="json"))
            sidecar.wait_log("watching for new kernels")
            for trial in range(trials):
                elsewhere = root / "vscode-tmp"
                elsewhere.mkdir(exist_ok=True)
                if proc_only:
                    frontend = RunAllFrontend(elsewhere, root, notebook_file=notebook)
                else:
                    frontend = RunAllFrontend(sidecar.runtime_dir, root, on_started=lambda manager: sidecar.announce(
                        notebook, manager.connection_file))
                try:
                    started = time.monotonic()
                    frontend.run_all(RUN_ALL)
                    stats = wait_for_probe(frontend)
                    at = stats["installed_at"] if stats else None
                    outcomes[at] += 1
                    sent = re.findall(r"sent (\d+) ms after notice", sidecar.log_text())
                    print(f"trial {trial + 1}: probe first hooked execution {at}; kernel answered "
                          f"{frontend.startup_s:.2f}s after start; install sent {sent[-1] if sent else '?'} ms "
                          f"after notice (cells took {time.monotonic() - started:.2f}s)", flush=True)
                finally:
                    frontend.close()
            statuses = collections.Counter(re.findall(r"EarlyAttach\((\w[\w-]*)", sidecar.log_text()))
        finally:
            sidecar.close()
    won = outcomes.get(1, 0)
    print(f"{'editor kernel naming its notebook (/proc)' if proc_only else 'announced kernel'}: "
          f"won {won}/{trials} (probe before the first queued cell); outcomes by first hooked execution: "
          f"{dict(sorted(outcomes.items(), key=lambda kv: (kv[0] is None, kv[0])))}; attach statuses: {dict(statuses)}")
    if recording:
        recording.add(Row(
            "probe-before-first-cell-unannounced" if proc_only else "probe-before-first-cell",
            "probe installed before the first cell of a fresh kernel's Run All, " + (
                "unannounced editor kernel naming its notebook just before its cells (/proc scan)" if proc_only
                else "kernel announced by its controller"), "", [Figure("trials won", won, f"of {trials}")], None,
            {"outcomes_by_first_hooked_execution": {str(k): v for k, v in outcomes.items()},
             "attach_statuses": dict(statuses)}))
        recording.write()
    return 0


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    sys.exit(main(int(numbers[0]) if numbers else 20, "--proc" in sys.argv,
                  Recording("tests/sidecar/kernel/race_bench.py", sys.argv) if "--record" in sys.argv else None))
