"""How often the watcher's probe install beats a Run All queued right after kernel_info.

    .venv/bin/python tests/sidecar/kernel/race_bench.py [trials] [--proc]

--proc: connection files outside the runtime dir (as VS Code's Jupyter extension keeps them), so only
the /proc scan can find the kernel.

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
                    print(f"trial {trial + 1}: probe first hooked execution {at} "
                          f"(cells took {time.monotonic() - started:.2f}s)", flush=True)
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
    sys.exit(main(int(numbers[0]) if numbers else 20, "--proc" in sys.argv))
