"""A notebook that trains and evaluates one model, shared by the experiment and compare tests (CLI and stdio):
re-running cell 1 with another C and then cell 2 makes another experiment."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Optional

from trackit_sidecar import protocol as p

MODEL_CELLS = [
    "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.metrics import accuracy_score\n"
    "df = pd.DataFrame({'x': [1, 2, 3, 4], 'y': [0, 1, 0, 1]})",
    "model = LogisticRegression(C=1.0).fit(df[['x']], df.y)",
    "acc = accuracy_score(df.y, model.predict(df[['x']]))\nprint(f'accuracy: {acc:.3f}')",
]


def with_c(value: str) -> str:
    """Cell 1 fitting with another C."""
    return MODEL_CELLS[1].replace("C=1.0", f"C={value}")


def model_capture(notebook: Path, cell: int, order: int, t0: float, source: Optional[str] = None,
                  printed: Optional[str] = None, *, cell_id: Optional[str] = None, kernel_id: str = "k1",
                  duration: float = 5) -> dict:
    """One `cellExecuted` capture of MODEL_CELLS[cell] (or `source` in its place), as the editor sends it."""
    outputs = [p.CellOutput(output_type="stream", mime="application/vnd.code.notebook.stdout", text=printed)] if printed else []
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=notebook.as_uri(), notebook_path=str(notebook),
        cell_id=cell_id or f"cell-{cell}", cell_index=cell, source=source or MODEL_CELLS[cell], execution_order=order,
        started_at=t0, ended_at=t0 + duration, status="ok", outputs=outputs, kernel_id=kernel_id).model_dump(mode="json")


def record_model_runs(db_path: str, notebook: Path, results: list[tuple[str, str]], *, list_experiments: bool = False) -> None:
    """Store runs of the model notebook in `db_path`: cells 0-2, then for each further (C, printed accuracy)
    cells 1-2 again. The first pair's C must be "1.0". `list_experiments` numbers the experiments as the first
    listing does."""
    from trackit_sidecar.services import TrackitService
    from trackit_sidecar.store import Store

    runs = [(0, None, None)]
    for c, printed in results:
        runs += [(1, with_c(c), None), (2, None, printed)]
    service = TrackitService(Store.open(db_path))
    t = 1_700_000_000_000.0
    for order, (cell, source, printed) in enumerate(runs, 1):
        service.ingest([p.CellExecution.model_validate(model_capture(
            notebook, cell, order, t + order, source, printed, cell_id=f"c{cell}", kernel_id="k", duration=1))])
    if list_experiments:
        service.experiments.experiments(notebook.as_uri())
    service.store.close()
