"""How often the watcher's probe install beats a Run All queued right after kernel_info.

    .venv/bin/python tests/sidecar/kernel/race_bench.py [trials] [--proc]

--proc: connection files outside the runtime dir (as VS Code's Jupyter extension keeps them), so only
the /proc scan can find the kernel.
--ask-first: no sidecar process; the same KernelWatcher in this process, but every attach asks
kernel_info before installing (the path for a kernel not known to be Python), to compare.

One real `trackit serve` watches a private Jupyter runtime dir; each trial starts a fresh kernel there
(as JupyterLab / jupyter_client frontends do), queues the 5 RUN_ALL cells the moment kernel_info
answers, and asks the probe at which execution count it started (1 = won: every cell has full facts).
Not a test: the outcome depends on machine load, so it is measured and reported, never asserted.
"""

from __future__ import annotations

import collections
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from early_attach_helpers import RUN_ALL, RunAllFrontend, WatchingSidecar, wait_for_probe  # noqa: E402


class AskFirstWatcher:
    """KernelWatcher in a thread of this process; attaches with python_known=False."""

    def __init__(self, runtime_dir: Path):
        import asyncio
        import threading

        from trackit_sidecar.kernel.attach import attach_new_kernel
        from trackit_sidecar.kernel.watcher import KernelWatcher, read_connection_info

        def attach(kernel):
            info = read_connection_info(kernel.connection_file)
            return attach_new_kernel(info, kernel.connection_file, python_known=False)

        self.running = True
        self.watcher = KernelWatcher(attach, lambda: self.running, runtime_dir=str(runtime_dir),
                                     proc=Path("/nonexistent"))
        self.runtime_dir = runtime_dir
        self.thread = threading.Thread(target=lambda: asyncio.run(self.watcher.run()), daemon=True)
        self.thread.start()
        time.sleep(1.5)  # a bench, not a test: let inotify start

    def close(self):
        self.running = False
        self.thread.join(10)


def ask_first(trials: int) -> int:
    with tempfile.TemporaryDirectory(prefix="trackit-race-") as tmp:
        root = Path(tmp)
        (root / "runtime").mkdir()
        watcher = AskFirstWatcher(root / "runtime")
        outcomes: collections.Counter = collections.Counter()
        try:
            for trial in range(trials):
                frontend = RunAllFrontend(root / "runtime", root)
                try:
                    frontend.run_all(RUN_ALL)
                    stats = wait_for_probe(frontend)
                    outcomes[stats["installed_at"] if stats else None] += 1
                    print(f"trial {trial + 1}: probe first hooked execution "
                          f"{stats['installed_at'] if stats else None}", flush=True)
                finally:
                    frontend.close()
        finally:
            watcher.close()
    print(f"kernel_info first: won {outcomes.get(1, 0)}/{trials}; outcomes by first hooked execution: "
          f"{dict(sorted(outcomes.items(), key=lambda kv: (kv[0] is None, kv[0])))}")
    return 0


def main(trials: int, proc_only: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="trackit-race-") as tmp:
        root = Path(tmp)
        sidecar = WatchingSidecar(root)
        outcomes: collections.Counter = collections.Counter()
        try:
            sidecar.open_cell(root / "nb.ipynb")
            sidecar.wait_log("watching for new kernels")
            for trial in range(trials):
                elsewhere = root / "vscode-tmp"
                elsewhere.mkdir(exist_ok=True)
                frontend = RunAllFrontend(elsewhere if proc_only else sidecar.runtime_dir, root)
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
            paths = collections.Counter(re.findall(r"new kernel (\S+?)(?:kernel-[^ ]*)?: EarlyAttach\((\w[\w-]*)",
                                                   sidecar.log_text()))
        finally:
            sidecar.close()
    won = outcomes.get(1, 0)
    print(f"won {won}/{trials} (probe before the first queued cell); outcomes by first hooked execution: "
          f"{dict(sorted(outcomes.items(), key=lambda kv: (kv[0] is None, kv[0])))}; attach statuses: {dict(paths)}")
    return 0


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    count = int(numbers[0]) if numbers else 20
    sys.exit(ask_first(count) if "--ask-first" in sys.argv else main(count, "--proc" in sys.argv))
