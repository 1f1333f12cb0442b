"""Where did runtime facts change the answer? (a script, not a test)

    .venv/bin/python bench/show_runtime_decisions.py NOTEBOOK [NOTEBOOK ...]

Runs each notebook in a fresh real kernel exactly as `trackit run` does (probe attached, every execution
recorded into a temporary DuckDB file), then prints, per code cell, the ops static analysis gives
(`trackit analyze`) next to the recorded lineage's ops with `decided_by`, and what the cell displayed.
Cells where the two differ are marked `*`. Nothing is written to the repository.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "sidecar"))

from trackit_sidecar.kernel.runner import run_notebook  # noqa: E402
from trackit_sidecar.lineage.static_notebook import analyze_notebook  # noqa: E402
from trackit_sidecar.services import TrackitService  # noqa: E402
from trackit_sidecar.store import Store  # noqa: E402


def show(notebook: Path) -> int:
    static = {e.cell_id: [s.op for s in e.steps] for e in analyze_notebook(notebook).executions}
    with tempfile.TemporaryDirectory() as tmp:
        service = TrackitService(Store.open(str(Path(tmp) / "lineage.duckdb")))
        try:
            def record(event, runtime):  # runtime: kernel.notebook_kernels.RuntimeResult
                service.ingest([event])
                service.add_runtime_facts(event.event_id, runtime.facts)
                if runtime.status:
                    service.set_runtime_status({event.event_id: (runtime.status, runtime.evidence)})

            result = run_notebook(str(notebook), on_execution=record)
            doc = service.lineage(str(notebook))
        finally:
            service.store.close()
    print(f"{notebook.name}: ran {'ok' if result.ok else 'with an error: ' + str(result.error_message)}")
    changed = 0
    for e in doc.executions:
        recorded = [f"{s.op}({s.decided_by})" for s in e.steps]
        shown = next((f for f in e.runtime if f.displayed), None)
        what = "" if shown is None else f"showed {shown.kind}" + (
            f" {shown.rows_after}x{shown.cols_after}" if shown.cols_after is not None else
            f" of {shown.rows_after}" if shown.rows_after is not None else "")
        differs = static.get(e.cell_id, []) != [s.op for s in e.steps]
        changed += differs
        first_line = e.source.strip().splitlines()[-1] if e.source.strip() else ""
        print(f"{'*' if differs else ' '} cell {e.cell_index + 1:<3} {first_line[:70]:<70}")
        print(f"      static {static.get(e.cell_id, [])}  ->  with kernel {recorded}  {what}")
    print(f"{changed} cell(s) where runtime facts changed the answer")
    return 0 if result.ok else 1


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    return max(show(Path(arg).resolve()) for arg in sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
